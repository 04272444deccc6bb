"""pipeline/eval/conll.py + core/tags.py: IOB reading, repair, spans and scores, checked against hand counts."""
import pytest

from pipeline.core.tags import tag_spans as iob_to_spans
from pipeline.eval.conll import SpanScores, map_tags, read_iob_tsv, repair_iob


@pytest.mark.parametrize("tags, expected", [
    (["B-PER", "I-PER", "O"], {(0, 2, "PER")}),
    (["I-LOC", "O", "B-ORG"], {(0, 1, "LOC"), (2, 3, "ORG")}),          # stray I- opens a span
    (["B-PER", "I-LOC"], {(0, 1, "PER"), (1, 2, "LOC")}),               # label change splits
    (["B-PER", "B-PER"], {(0, 1, "PER"), (1, 2, "PER")}),
    (["O", "O"], set()),
])
def test_iob_to_spans(tags, expected):
    assert iob_to_spans(tags) == expected


@pytest.mark.parametrize("tags, expected", [
    (["I-PER", "I-PER"], ["B-PER", "I-PER"]),
    (["O", "I-LOC"], ["O", "B-LOC"]),
    (["B-PER", "I-LOC"], ["B-PER", "B-LOC"]),
    (["B-ORG", "I-ORG"], ["B-ORG", "I-ORG"]),
])
def test_repair_iob(tags, expected):
    assert repair_iob(tags) == expected


def test_map_tags_drops_and_renames():
    assert map_tags(["B-PPL", "I-PPL", "B-FNB", "O"], {"PPL": "PER", "FNB": None}) == ["B-PER", "I-PER", "O", "O"]
    with pytest.raises(KeyError):
        map_tags(["B-NEW"], {"PPL": "PER"})


def test_read_iob_tsv(tmp_path):
    path = tmp_path / "tiny.tsv"
    path.write_text("Joko\tB-PER\nWidodo\tI-PER\n\nke\tO\nBali\tB-LOC\n", encoding="utf-8")
    sentences = read_iob_tsv(path)
    assert [s.words for s in sentences] == [("Joko", "Widodo"), ("ke", "Bali")]
    path.write_text("no tab here\n", encoding="utf-8")
    with pytest.raises(ValueError, match="tiny.tsv:1"):
        read_iob_tsv(path)


def test_scores_match_hand_counts():
    scores = SpanScores()
    # gold: PER(0,2) LOC(3,4); predicted: PER(0,2) correct, LOC(3,4) labelled ORG -> 1 FP ORG, 1 FN LOC
    scores.add({(0, 2, "PER"), (3, 4, "LOC")}, {(0, 2, "PER"), (3, 4, "ORG")})
    # gold: ORG(0,1); predicted: nothing -> 1 FN ORG
    scores.add({(0, 1, "ORG")}, set())
    report = scores.report(["PER", "ORG", "LOC"])
    assert report["per_label"]["PER"] == {"precision": 100.0, "recall": 100.0, "f1": 100.0, "tp": 1, "fp": 0, "fn": 0}
    micro = report["micro"]
    assert (micro["tp"], micro["fp"], micro["fn"]) == (1, 1, 2)
    assert micro["precision"] == 50.0 and micro["recall"] == pytest.approx(33.33)
    assert micro["f1"] == 40.0
