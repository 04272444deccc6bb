"""Finished records kept on disk instead of in memory, read back in document order.

A run finishes documents out of order (cached ones at once, the others as their shards come back);
the corpus step reads them in doc_id order, twice (entity grouping, then the tables). Holding every
record with its text and mentions until then made the driver's memory grow with the corpus (1.5 GB
at 20,000 documents); on disk it stays flat. The file lives in ``OUT/.pipeline/`` and is removed
when the run ends (``recover_output`` removes one left by a killed run). Only this process writes
and reads it, so pickle (fast, and exact for the records) is safe here.
"""
from __future__ import annotations

import os
import pickle
import uuid
import zlib
from pathlib import Path
from typing import Iterator

from pipeline.core.records import DocRecord
from pipeline.output.tables import state_dir

PREFIX = "spill-"


class RecordSpill:
    """Append finished records at their place in the corpus; iterate them in that order."""

    def __init__(self, output_dir: Path):
        folder = state_dir(Path(output_dir))
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}.bin"
        self._file = open(self.path, "w+b")
        self._where: dict[int, tuple[int, int]] = {}  # place -> (offset, length)

    @staticmethod
    def remove_stale(output_dir: Path) -> None:
        """Delete spill files left in an output folder by runs that were killed (call while holding its lock)."""
        for path in state_dir(Path(output_dir)).glob(f"{PREFIX}*.bin"):
            path.unlink(missing_ok=True)

    def put(self, place: int, record: DocRecord) -> None:
        """Keep the finished record of the document at ``place`` (0-based, in doc_id order)."""
        data = zlib.compress(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL), 1)
        self._file.seek(0, os.SEEK_END)
        self._where[place] = (self._file.tell(), len(data))
        self._file.write(data)

    def __len__(self) -> int:
        return len(self._where)

    def records(self) -> Iterator[DocRecord]:
        """Every record, in place order (a fresh copy each time: changes are not written back)."""
        self._file.flush()
        for place in sorted(self._where):
            offset, length = self._where[place]
            self._file.seek(offset)
            yield pickle.loads(zlib.decompress(self._file.read(length)))

    def close(self) -> None:
        """Delete the file."""
        self._file.close()
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> "RecordSpill":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
