"""The corpus step's projection search on several processes forked from the driver.

Cross-lingual projection looks for every other-language name form in every document (the corpus
step's largest part: about 0.85 s per 1,000 mixed documents, on the driver alone while every other
core is idle). It needs all the forms, so it cannot start before the last shard is back; but each
document's search is a pure function of the record and the forms (``MentionProjector.search``), so
processes forked from the driver, which share its projector and spill file without pickling them,
search a share of the documents each and send back only what they found. The driver then projects
from those results (``MentionProjector.remember``): the tables are the same as with one process.

Only where the OS forks (Linux, macOS): elsewhere, and for small corpora, the driver searches alone.
"""
from __future__ import annotations

import logging
import multiprocessing

from pipeline.run.spill import RecordSpill

log = logging.getLogger("pipeline")

MIN_DOCUMENTS = 100  # below this, forking costs more than it saves (a few milliseconds per 100 documents)

_SHARED: tuple | None = None  # (projector, spill) of the forking driver, inherited by its children


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
    global _SHARED
    if processes < 2 or len(spill) < MIN_DOCUMENTS or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    places = spill.places()
    spill.flush()
    _SHARED = (projector, spill)
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            parts = pool.map(_search_places, [places[i::processes] for i in range(processes)])
    finally:
        _SHARED = None
    projector.remember({doc_id: result for part in parts for doc_id, result in part})
    return processes
