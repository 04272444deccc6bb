"""pipeline/run/forked.py: the projection search on processes forked from the driver."""
import multiprocessing
import os

import pytest

from pipeline.core.records import DocRecord, Document
from pipeline.run.forked import MIN_DOCUMENTS, search_in_parallel
from pipeline.run.spill import RecordSpill


class FakeProjector:
    """``search`` is a pure function of the record (None for every third one, as for a record with no
    forms to seek); ``remember`` keeps what it is given. Children inherit it by fork: never pickled."""

    def __init__(self):
        self.remembered = {}

    @staticmethod
    def search(record):
        number = int(record.doc_id.split("_")[1])
        return None if number % 3 == 0 else ([(0, number, "ORG")], {}, os.getpid())

    def remember(self, found):
        self.remembered.update(found)


def _spill(tmp_path, n):
    spill = RecordSpill(tmp_path)
    for place in reversed(range(n)):  # finished out of order, as shards come back
        doc_id = f"doc_{place:04d}"
        spill.put(place, DocRecord(Document(doc_id, doc_id, "0" * 64, f"text {place}", "utf-8")))
    return spill


needs_fork = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="the OS cannot fork")


@needs_fork
@pytest.mark.parametrize("processes, documents, used", [
    (1, MIN_DOCUMENTS + 50, 0),   # one process: the driver searches as it projects
    (2, MIN_DOCUMENTS - 1, 0),    # too few documents to be worth a fork
    (2, MIN_DOCUMENTS + 50, 2),
    (3, MIN_DOCUMENTS + 50, 3),
])
def test_forked_search_finds_what_the_driver_would(tmp_path, processes, documents, used):
    projector = FakeProjector()
    with _spill(tmp_path, documents) as spill:
        assert search_in_parallel(projector, spill, processes) == used
        expected = {r.doc_id: FakeProjector.search(r) for r in spill.records()}
    expected = {doc_id: found for doc_id, found in expected.items() if found is not None}
    if not used:
        assert projector.remembered == {}
        return
    # Every document searched once, by children (never the driver: a fast child may take two shares),
    # the results the same as searched here.
    assert {k: v[:2] for k, v in projector.remembered.items()} == {k: v[:2] for k, v in expected.items()}
    workers = {found[2] for found in projector.remembered.values()}
    assert os.getpid() not in workers and 1 <= len(workers) <= used


@needs_fork
def test_the_driver_spill_handle_is_not_moved_by_the_children(tmp_path):
    with _spill(tmp_path, MIN_DOCUMENTS) as spill:
        before = [r.doc_id for r in spill.records()]
        search_in_parallel(FakeProjector(), spill, 2)
        spill.put(MIN_DOCUMENTS, DocRecord(Document("doc_9999", "doc_9999", "0" * 64, "late", "utf-8")))
        assert [r.doc_id for r in spill.records()] == before + ["doc_9999"]
