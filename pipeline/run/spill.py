"""Finished records kept on disk instead of in memory, read back in document order.

A run finishes documents out of order (cached ones at once, the others as their shards come back);
the corpus step reads them in doc_id order, twice (entity grouping, then the tables). Holding every
record with its text and mentions until then made the driver's memory grow with the corpus (1.5 GB
at 20,000 documents); on disk it stays flat. The file lives in ``OUT/.pipeline/`` and is removed
when the run ends (``recover_output`` removes one left by a killed run). Only this process writes
it, and only it and processes forked from it (pipeline/run/forked.py) read it, so pickle (fast, and
exact for the records) is safe here.

A record is spilled as plain tuples of its fields (``encode``/``decode``), not as its objects:
pickling tens of thousands of dataclass objects (each with its slot names) took most of the spill's
time. They are not compressed (``COMPRESSION``, a zlib level, 0: none): zlib took as long as the
pickling, and the file is a few kilobytes per document (about 5 MB for 1,000 documents), for the
length of one run.
"""
from __future__ import annotations

import os
import pickle
import uuid
import zlib
from dataclasses import fields
from operator import attrgetter
from pathlib import Path
from typing import Iterator

from pipeline.core.records import AcronymDefinition, DocRecord, Document, LanguageResult, Mention, Segment
from pipeline.output.tables import state_dir

PREFIX = "spill-"
COMPRESSION = 0  # zlib level of the spilled records (0: none; level 1 cost 0.1 s per 1,000 documents)


def _getter(cls) -> attrgetter:
    """Every field of a dataclass, in declaration order (the order its constructor takes them)."""
    return attrgetter(*(f.name for f in fields(cls)))


_DOCUMENT, _LANGUAGE, _SEGMENT, _MENTION, _ACRONYM = map(_getter, (Document, LanguageResult, Segment, Mention,
                                                                   AcronymDefinition))


def encode(record: DocRecord) -> tuple:
    """A record as nested tuples of its field values (every field: the record comes back equal)."""
    return (_DOCUMENT(record.document), _LANGUAGE(record.language), [_SEGMENT(s) for s in record.segments],
            [_MENTION(m) for m in record.mentions], record.n_tokens, [_ACRONYM(a) for a in record.acronyms],
            record.terms)


def decode(data: tuple) -> DocRecord:
    """The record ``encode`` was given."""
    document, language, segments, mentions, n_tokens, acronyms, terms = data
    return DocRecord(Document(*document), LanguageResult(*language), [Segment(*s) for s in segments],
                     [Mention(*m) for m in mentions], n_tokens, [AcronymDefinition(*a) for a in acronyms],
                     list(terms))


class RecordSpill:
    """Append finished records at their place in the corpus; iterate them in that order."""

    def __init__(self, output_dir: Path, compression: int = COMPRESSION):
        self.compression = compression  # zlib level, 0: none
        folder = state_dir(Path(output_dir))
        folder.mkdir(parents=True, exist_ok=True)
        self._pid = os.getpid()  # the process that writes it (processes forked from it only read)
        self.path = folder / f"{PREFIX}{self._pid}-{uuid.uuid4().hex[:8]}.bin"
        self._file = open(self.path, "w+b")
        self._where: dict[int, tuple[int, int]] = {}  # place -> (offset, length)

    @staticmethod
    def remove_stale(output_dir: Path) -> None:
        """Delete spill files left in an output folder by runs that were killed (call while holding its lock)."""
        for path in state_dir(Path(output_dir)).glob(f"{PREFIX}*.bin"):
            path.unlink(missing_ok=True)

    def put(self, place: int, record: DocRecord) -> None:
        """Keep the finished record of the document at ``place`` (0-based, in doc_id order)."""
        data = pickle.dumps(encode(record), protocol=pickle.HIGHEST_PROTOCOL)
        if self.compression:
            data = zlib.compress(data, self.compression)
        self._file.seek(0, os.SEEK_END)
        self._where[place] = (self._file.tell(), len(data))
        self._file.write(data)

    def __len__(self) -> int:
        return len(self._where)

    def records(self) -> Iterator[DocRecord]:
        """Every record, in place order (a fresh copy each time: changes are not written back)."""
        self._file.flush()
        for place in sorted(self._where):
            yield self._read(self._file, place)

    def places(self) -> list[int]:
        """The places spilled so far, in order."""
        return sorted(self._where)

    def read(self, places: list[int]) -> Iterator[DocRecord]:
        """The records at ``places``, through a file handle of their own: a process forked from this
        one reads them without moving the position of the handle it shares with this one (``flush``
        before forking)."""
        if os.getpid() == self._pid:
            self._file.flush()
        with open(self.path, "rb") as handle:
            for place in places:
                yield self._read(handle, place)

    def flush(self) -> None:
        """Write what is buffered, so that another handle or process reads every record."""
        self._file.flush()

    def _read(self, handle, place: int) -> DocRecord:
        offset, length = self._where[place]
        handle.seek(offset)
        data = handle.read(length)
        return decode(pickle.loads(zlib.decompress(data) if self.compression else data))

    def close(self) -> None:
        """Delete the file."""
        self._file.close()
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> "RecordSpill":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
