"""The corpus step's projection search on several processes forked from the driver.

Cross-lingual projection looks for every other-language name form in every document (the corpus
step's largest part: about 0.85 s per 1,000 mixed documents, on the driver alone while every other
core is idle). It needs all the forms, so it cannot start before the last shard is back; but each
document's search is a pure function of the record and the forms (``MentionProjector.search``), so
processes forked from the driver, which inherit its projector and spill file without pickling them,
search a share of the documents each and send back only what they found. The driver then projects
from those results (``MentionProjector.remember``) and searches itself whatever they did not give
back: the tables are the same as with one process.

The driver forks only where that is safe (``can_fork``): on Linux, after a ``processes`` run, not
after a Dask client or models that ran threads in the driver. Children read the word-frequency
SQLite database through the connection they inherit: it is opened read-only and immutable, and read
with pread (no shared file offset). Below ``MIN_DOCUMENTS``, or when a child fails, the driver
searches alone.
"""
from __future__ import annotations

import logging
import multiprocessing
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from pipeline.run.spill import RecordSpill

log = logging.getLogger("pipeline")

MIN_DOCUMENTS = 100  # below this, forking costs more than it saves (a few milliseconds per 100 documents)
SLICES_PER_PROCESS = 4  # interleaved slices, so that a process that finishes early takes another

_SHARED: tuple | None = None  # (projector, spill) in a forked child, set by its initializer


def can_fork() -> bool:
    """Whether this process may fork children that run the projection search: Linux, no Python thread
    but this one (a Dask client's, a notebook kernel's: one holding a lock at the fork would leave it
    held in the child for ever), and no torch (its thread pools; the driver has it only when it ran
    the models itself). The native threads of numpy's OpenBLAS and pyarrow's jemalloc, in every
    driver, take their locks across a fork (pthread_atfork) and are not used by the search."""
    return sys.platform.startswith("linux") and threading.active_count() == 1 and "torch" not in sys.modules


def _adopt(projector, spill: RecordSpill) -> None:
    global _SHARED
    _SHARED = (projector, spill)


def _search_places(places: list[int]) -> list[tuple[str, tuple]]:
    projector, spill = _SHARED
    found = []
    for record in spill.read(places):
        result = projector.search(record)
        if result is not None:
            found.append((record.doc_id, result))
    return found


def search_in_parallel(projector, spill: RecordSpill, processes: int) -> int:
    """Search the spilled records for ``projector`` on ``processes`` forked processes and hand it the
    results; returns the processes used (0: none, the driver searches as it projects)."""
    if processes < 2 or len(spill) < MIN_DOCUMENTS or not can_fork():
        return 0
    places = spill.places()
    slices = processes * SLICES_PER_PROCESS
    spill.flush()  # the children inherit the driver's file object: nothing may be left in its buffer
    try:
        with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_adopt, initargs=(projector, spill)) as pool:
            parts = list(pool.map(_search_places, [places[i::slices] for i in range(slices)]))
    except (BrokenProcessPool, OSError) as exc:  # a child died, or the OS would not fork
        log.warning("the projection search on %d processes failed (%s); the driver searches alone", processes, exc)
        return 0
    projector.remember({doc_id: result for part in parts for doc_id, result in part})
    return processes
