"""pipeline/run/spill.py: finished records on disk, read back in document order."""
import pytest

from pipeline.core.records import DocRecord, Document, Mention
from pipeline.output.tables import state_dir
from pipeline.run.spill import RecordSpill


def _record(doc_id: str) -> DocRecord:
    text = f"NATO in {doc_id}."
    return DocRecord(Document(doc_id, doc_id, "0" * 64, text, "utf-8"),
                     mentions=[Mention(doc_id, 0, 4, "NATO", "ORG", "en", "model", "ORG")])


@pytest.mark.parametrize("finish_order", [[0, 1, 2], [2, 0, 1], [1, 2, 0]])
def test_records_come_back_in_place_order_whatever_order_they_finished(tmp_path, finish_order):
    names = ["a.txt", "b.txt", "c.txt"]
    with RecordSpill(tmp_path) as spill:
        for place in finish_order:
            spill.put(place, _record(names[place]))
        for _ in range(2):  # the corpus step reads them twice
            back = list(spill.records())
            assert [r.doc_id for r in back] == names
            assert [r.document.text for r in back] == [f"NATO in {n}." for n in names]
            assert back[0].mentions[0].text == "NATO"
        path = spill.path
        assert path.parent == state_dir(tmp_path)
    assert not path.exists()


def test_stale_spill_files_of_killed_runs_are_removed(tmp_path):
    state_dir(tmp_path).mkdir()
    stale = state_dir(tmp_path) / "spill-123-abcd.bin"
    stale.write_bytes(b"left by a killed run")
    keep = state_dir(tmp_path) / "cache"
    keep.mkdir()
    RecordSpill.remove_stale(tmp_path)
    assert not stale.exists() and keep.exists()


@pytest.mark.parametrize("compression", [0, 1])
def test_a_record_comes_back_equal_field_for_field(tmp_path, compression):
    from pipeline.core.records import AcronymDefinition, LanguageResult, Segment

    text = "North Atlantic Treaty Organization (NATO) met."
    record = DocRecord(Document("a.txt", "sub/a.txt", "1" * 64, text, "latin-1", "ok", "why"),
                       LanguageResult("en", 0.875, True), [Segment("a.txt", 0, 0, len(text), "en", 0.5)],
                       [Mention("a.txt", 36, 40, "NATO", "ORG", "en", "acronym", "ORG", 0, "en_x", "id")],
                       9, [AcronymDefinition("NATO", 36, 0, 34, text[:34], "initials")], ["EVA"])
    with RecordSpill(tmp_path, compression) as spill:
        spill.put(0, record)
        assert list(spill.records()) == [record]


def test_records_are_read_by_place_through_a_handle_of_their_own(tmp_path):
    names = ["a.txt", "b.txt", "c.txt", "d.txt"]
    with RecordSpill(tmp_path) as spill:
        for place in (3, 1, 0):
            spill.put(place, _record(names[place]))
        assert spill.places() == [0, 1, 3]
        assert [r.doc_id for r in spill.read([3, 0])] == ["d.txt", "a.txt"]
        spill.put(2, _record(names[2]))  # the spill's own handle goes on appending where it was
        assert [r.doc_id for r in spill.records()] == names
