"""pipeline/run/runner.py with a fake NER backend and a fake language detector: routing by segment
language, batch failure isolation and the cache round trip, in milliseconds."""
import json

import pytest

from pipeline import plugins
from pipeline.config import load_config
from pipeline.core.records import AcronymDefinition, DocRecord, Document, LanguageResult, Mention, Segment
from pipeline.output.tables import read_table
from pipeline.run.cache import record_from_json, record_to_json
from pipeline.run.runner import run_pipeline

SEEN: dict[str, list[str]] = {}


class FakeBackend:
    """Tags every capitalised word as ORG (a label both label maps know); fails on 'BOOM'."""

    version = "0"

    def __init__(self, lang):
        self.name = f"fake-{lang}"
        self.lang = lang

    def annotate(self, texts):
        SEEN.setdefault(self.lang, []).extend(texts)
        if any("BOOM" in t for t in texts):
            raise RuntimeError("the model cannot read this")
        results = []
        for text in texts:
            spans, cursor = [], 0
            for word in text.split():
                start = text.index(word, cursor)
                cursor = start + len(word)
                clean = word.strip(".,")
                if clean[:1].isupper() and clean.lower() not in ("the", "di"):
                    spans.append((start, start + len(clean), "ORG"))
            results.append((spans, len(text.split())))
        return results


ENGLISH = {"the", "of", "and", "was", "by", "its"}
INDONESIAN = {"di", "oleh", "dan", "yang", "selama", "dilatih", "pasukan", "beberapa", "tahun", "setiap", "para"}


def fake_detector(settings, processed=None):
    """English when the text has more English than Indonesian function words, otherwise Indonesian."""
    def detect(text):
        words = text.lower().replace(".", " ").split()
        english = sum(w in ENGLISH for w in words) > sum(w in INDONESIAN for w in words)
        return [("en", 0.99), ("id", 0.01)] if english else [("id", 0.99), ("en", 0.01)]
    return detect


@pytest.fixture
def fake_parts():
    plugins.ner_backends.register("fake", lambda model, config: FakeBackend(model.model[0]))
    plugins.detectors.register("fake", fake_detector)
    SEEN.clear()
    yield ["detect.detector=fake", "ner.models.en.backend=fake", "ner.models.en.model=en",
           "ner.models.id.backend=fake", "ner.models.id.model=id"]
    plugins.ner_backends._plugins.pop("fake")
    plugins.detectors._plugins.pop("fake")


def _run(tmp_path, documents: dict[str, str], overrides, out="out"):
    source = tmp_path / "in"
    for name, text in documents.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(text, encoding="utf-8")
    return run_pipeline(source, tmp_path / out, load_config(None, overrides))


MIXED = ("Pasukan Afghanistan dilatih oleh Misi Dukungan Tegas di Kabul selama beberapa tahun.\n"
         "The Resolute Support Mission was led by the Alliance and its partners.\n")


def test_segments_go_to_the_model_of_their_own_language(tmp_path, fake_parts):
    _run(tmp_path, {"campuran.txt": MIXED}, fake_parts)
    assert [t for t in SEEN["en"]] == ["The Resolute Support Mission was led by the Alliance and its partners."]
    assert len(SEEN["id"]) == 1 and SEEN["id"][0].startswith("Pasukan Afghanistan")
    mentions = read_table(tmp_path / "out", "mentions").to_pylist()
    assert {m["lang"] for m in mentions} == {"id"}   # the document's language, whatever model read it
    assert {"Alliance", "Kabul", "Resolute Support Mission"} <= {m["text"] for m in mentions}  # model + ruler


def test_a_document_that_breaks_the_model_is_an_error_row(tmp_path, fake_parts):
    docs = {"a.txt": "Pasukan Afghanistan dilatih di Kabul setiap tahun oleh para pelatih.",
            "b.txt": "Pasukan BOOM dilatih di Herat setiap tahun oleh para pelatih.",
            "c.txt": "Pasukan Irak dilatih di Baghdad setiap tahun oleh para pelatih."}
    manifest = _run(tmp_path, docs, fake_parts)
    documents = {r["doc_id"]: r for r in read_table(tmp_path / "out", "documents").to_pylist()}
    assert documents["b"]["status"] == "error" and documents["b"]["reason"].startswith("ner failed: RuntimeError")
    assert documents["a"]["status"] == documents["c"]["status"] == "ok"
    assert documents["a"]["n_mentions"] > 0 and documents["b"]["n_mentions"] == 0
    assert any(w.startswith("b: ner failed") for w in manifest["warnings"])


def test_cached_records_give_the_same_tables(tmp_path, fake_parts):
    docs = {"a.txt": MIXED, "b.txt": "Pasukan Irak dilatih di Baghdad (PIB) setiap tahun oleh para pelatih."}
    first = _run(tmp_path, docs, fake_parts)
    tables = {p.name: p.read_bytes() for p in (tmp_path / "out").glob("*.csv")}
    SEEN.clear()
    second = _run(tmp_path, {}, fake_parts)
    assert first["processed"] == ["a", "b"] and second["processed"] == [] and second["cached"] == ["a", "b"]
    assert SEEN == {}   # no model was called
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").glob("*.csv")} == tables


def test_record_json_round_trip():
    text = "The Provincial Reconstruction Team (PRT) met."
    doc = Document("d", "d.txt", "abc", text, "utf-8")
    record = DocRecord(doc, LanguageResult("en", 0.99, False), [Segment("d", 0, 0, len(text), "en", 0.99)],
                       [Mention("d", 4, 33, text[4:33], "ORG", "en", "model", "ORG", 0, model_lang="en")], 9,
                       [AcronymDefinition("PRT", 35, 4, 33, text[4:33], "initials")])
    payload = json.loads(json.dumps(record_to_json(record)))
    again = record_from_json(Document("d", "d.txt", "abc", text, "utf-8"), payload)
    assert again == record
