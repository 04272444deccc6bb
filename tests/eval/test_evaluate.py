"""pipeline/eval/: NER scorer against hand counts, the CLI on a tiny file, alignment scoring."""
import json

import pytest

from pipeline.cli import main
from pipeline.eval.conll import TaggedSentence
from pipeline.eval.scoring import aligned_forms, read_gold_alignments, score_alignments, score_ner

TINY = ("Joko\tB-PERSON\nWidodo\tI-PERSON\nke\tO\nJakarta\tB-PLACE\n.\tO\n\n"
        "Bank\tB-ORGANISATION\nIndonesia\tI-ORGANISATION\ndi\tO\nBali\tB-PLACE\n\n"
        "Ani\tB-PPL\nmakan\tO\nrendang\tB-FNB\n")
# Hand count after mapping: PER 2 (Joko Widodo, Ani), LOC 2 (Jakarta, Bali), ORG 1 (Bank Indonesia); FNB dropped.
GOLD_COUNTS = {"PER": 2, "LOC": 2, "ORG": 1}


class FixedTagger:
    """Predicts fixed spans: one right PER, one LOC with a wrong boundary, one spurious ORG."""

    def tag_tokens(self, sentences):
        return [{(0, 2, "PER"), (3, 5, "LOC")}, {(3, 4, "ORG")}, set()]


def test_score_ner_hand_counts():
    sentences = [TaggedSentence(("Joko", "Widodo", "ke", "Jakarta", "."), ("B-PER", "I-PER", "O", "B-LOC", "O")),
                 TaggedSentence(("Bank", "Indonesia", "di", "Bali"), ("B-ORG", "I-ORG", "O", "B-LOC")),
                 TaggedSentence(("Ani", "makan"), ("B-PER", "O"))]
    report = score_ner(FixedTagger(), sentences, ["PER", "ORG", "LOC"])
    per, org, loc = (report["per_label"][k] for k in ("PER", "ORG", "LOC"))
    assert (per["tp"], per["fp"], per["fn"]) == (1, 0, 1)
    assert (org["tp"], org["fp"], org["fn"]) == (0, 1, 1)
    assert (loc["tp"], loc["fp"], loc["fn"]) == (0, 1, 2)
    assert report["micro"]["tp"] == 1 and report["micro"]["fp"] == 2 and report["micro"]["fn"] == 4
    assert report["micro"]["precision"] == pytest.approx(33.33) and report["micro"]["recall"] == 20.0
    assert report["micro"]["f1"] == 25.0


@pytest.mark.models
def test_evaluate_ner_cli_on_tiny_file(tmp_path, capsys):
    data = tmp_path / "tiny.tsv"
    data.write_text(TINY, encoding="utf-8")
    out = tmp_path / "scores.json"
    assert main(["evaluate", "ner", "--lang", "id", "--data", str(data), "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    for label, count in GOLD_COUNTS.items():
        scores = report["per_label"].get(label, {"tp": 0, "fn": 0})
        assert scores["tp"] + scores["fn"] == count, label
    assert report["words"] == 12 and report["sentences"] == 3
    assert "micro" in capsys.readouterr().out


def test_evaluate_ner_rejects_unknown_tags(tmp_path, capsys):
    data = tmp_path / "bad.tsv"
    data.write_text("Joko\tB-HERO\n", encoding="utf-8")
    assert main(["evaluate", "ner", "--lang", "id", "--data", str(data)]) == 2
    assert "unknown tag label(s) HERO" in capsys.readouterr().err


@pytest.mark.parametrize("lang, backend", [("en", "nope"), ("id", "spaCy")])
def test_evaluate_ner_unknown_backend_exits_2_in_one_line(tmp_path, capsys, lang, backend):
    data = tmp_path / "tiny.tsv"
    data.write_text(TINY, encoding="utf-8")
    assert main(["evaluate", "ner", "--lang", lang, "--backend", backend, "--data", str(data)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith(f"error: --backend: unknown NER backend '{backend}'; known: ")
    assert {"spacy", "stanza"} <= set(err.split("known: ")[1].split(", "))


def test_alignment_scoring(tmp_path):
    gold = tmp_path / "gold.tsv"
    gold.write_text("type\ten\tid\ten_aliases\tid_aliases\nGPE\tIraq\tIrak\t\t\n"
                    "ORG\tUnited Nations\tPerserikatan Bangsa-Bangsa\tUN\tPBB\nGPE\tKabul\tKabul\t\t\n",
                    encoding="utf-8")
    report = score_alignments([("Iraq", "Irak"), ("UN", "PBB"), ("Iraq", "Kabul")], read_gold_alignments(gold))
    assert (report["correct"], report["gold_found"]) == (2, 2)
    assert report["precision"] == pytest.approx(66.67) and report["recall"] == pytest.approx(66.67)
    assert report["missed"] == ["Kabul = Kabul"] and report["wrong"] == ["Iraq = Kabul"]


@pytest.mark.parametrize("id_aliases, expected_correct", [(["PBB"], 1), ([], 0)])
def test_alignment_scoring_matches_any_form_of_the_entities(tmp_path, id_aliases, expected_correct):
    # The text says PBB; the entity's term is its canonical long form. The pair denotes the gold
    # referent through the entity's alias, and only through it.
    gold = tmp_path / "gold.tsv"
    gold.write_text("type\ten\tid\ten_aliases\tid_aliases\nORG\tUnited Nations\tPBB\tUN\t\n", encoding="utf-8")
    alignments = [{"en_entity_id": "en_un", "id_entity_id": "id_pbb", "en_term": "United Nations",
                   "id_term": "Perserikatan Bangsa-Bangsa"}]
    entities = [{"entity_id": "en_un", "canonical": "United Nations", "aliases": []},
                {"entity_id": "id_pbb", "canonical": "Perserikatan Bangsa-Bangsa", "aliases": id_aliases}]
    report = score_alignments(aligned_forms(alignments, entities), read_gold_alignments(gold))
    assert (report["correct"], report["gold_found"]) == (expected_correct, expected_correct)
    terms_only = score_alignments([("United Nations", "Perserikatan Bangsa-Bangsa")], read_gold_alignments(gold))
    assert terms_only["correct"] == 0
