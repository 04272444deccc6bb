"""pipeline/run/runner.py with a fake NER backend and a fake language detector: routing by segment
language, batch failure isolation and the cache round trip, in milliseconds."""
import json


from pipeline.config import load_config
from pipeline.core.records import AcronymDefinition, DocRecord, Document, LanguageResult, Mention, Segment
from pipeline.output.tables import read_table
from pipeline.run.cache import record_from_json, record_to_json
from pipeline.run.runner import run_pipeline

from conftest import SEEN

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
    assert documents["b.txt"]["status"] == "error" and documents["b.txt"]["reason"].startswith("ner failed: RuntimeError")
    assert documents["a.txt"]["status"] == documents["c.txt"]["status"] == "ok"
    assert documents["a.txt"]["n_mentions"] > 0 and documents["b.txt"]["n_mentions"] == 0
    assert any(w.startswith("b.txt: ner failed") for w in manifest["warnings"])


def test_cached_records_give_the_same_tables(tmp_path, fake_parts):
    docs = {"a.txt": MIXED, "b.txt": "Pasukan Irak dilatih di Baghdad (PIB) setiap tahun oleh para pelatih."}
    first = _run(tmp_path, docs, fake_parts)
    tables = {p.name: p.read_bytes() for p in (tmp_path / "out").glob("*.csv")}
    SEEN.clear()
    second = _run(tmp_path, {}, fake_parts)
    assert first["processed"] == ["a.txt", "b.txt"] and second["processed"] == [] and second["cached"] == ["a.txt", "b.txt"]
    assert SEEN == {}   # no model was called
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").glob("*.csv")} == tables


def test_a_change_to_the_per_document_code_reprocesses_every_document(tmp_path, fake_parts, monkeypatch):
    # A new release (or a local edit) of detect/ner/normalize must never reuse records the old code made.
    from pipeline.run import cache
    docs = {"a.txt": MIXED}
    assert _run(tmp_path, docs, fake_parts)["processed"] == ["a.txt"]
    assert _run(tmp_path, {}, fake_parts)["cached"] == ["a.txt"]
    monkeypatch.setattr(cache, "record_code_hash", lambda: "other code")
    again = _run(tmp_path, {}, fake_parts)
    assert again["processed"] == ["a.txt"] and again["cached"] == []


def test_the_code_hash_follows_an_edit_of_a_per_document_stage(tmp_path, monkeypatch):
    import shutil
    from pipeline.run import cache
    package = tmp_path / "pipeline"
    shutil.copytree(cache.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "PACKAGE", package)
    cache.record_code_hash.cache_clear()
    try:
        before = cache.record_code_hash()
        with open(package / "stages" / "normalize" / "consistency.py", "a", encoding="utf-8") as handle:
            handle.write("# an edit\n")
        cache.record_code_hash.cache_clear()
        assert cache.record_code_hash() != before
    finally:
        cache.record_code_hash.cache_clear()


def test_record_json_round_trip():
    text = "The Provincial Reconstruction Team (PRT) met."
    doc = Document("d", "d.txt", "abc", text, "utf-8")
    record = DocRecord(doc, LanguageResult("en", 0.99, False), [Segment("d", 0, 0, len(text), "en", 0.99)],
                       [Mention("d", 4, 33, text[4:33], "ORG", "en", "model", "ORG", 0, model_lang="en")], 9,
                       [AcronymDefinition("PRT", 35, 4, 33, text[4:33], "initials")], ["MRI"])
    payload = json.loads(json.dumps(record_to_json(record)))
    again = record_from_json(Document("d", "d.txt", "abc", text, "utf-8"), payload)
    assert again == record


def test_an_acronym_one_document_defines_as_a_term_is_no_name_anywhere(tmp_path, fake_parts):
    # The English text defines EVA by a lower-case term; the Indonesian model tags EVA in a text that
    # does not define it: dropped there too (and never projected), Apollo stays.
    docs = {"en.txt": "The crew of Apollo did an extravehicular activity (EVA) and the EVA was long.",
            "id.txt": "Para astronot Apollo di EVA selama beberapa tahun."}
    _run(tmp_path, docs, fake_parts)
    texts = {(m["doc_id"], m["text"]) for m in read_table(tmp_path / "out", "mentions").to_pylist()}
    assert ("id.txt", "Apollo") in texts and ("en.txt", "Apollo") in texts
    assert not any(text == "EVA" for _, text in texts)
    _run(tmp_path, docs, fake_parts + ["normalize.rules.term_acronyms=false"], out="without")
    texts = {(m["doc_id"], m["text"]) for m in read_table(tmp_path / "without", "mentions").to_pylist()}
    assert ("id.txt", "EVA") in texts and ("en.txt", "EVA") in texts   # the model's, and projected


def test_a_term_acronym_never_drops_a_name_another_document_or_the_country_list_knows(tmp_path, fake_parts):
    docs = {"a.txt": "The router of the autonomous system (AS) and the artificial intelligence (AI) of Apollo.",
            "b.txt": "The Amnesty International (AI) report and the AI of Apollo.",
            "c.txt": "Presiden AS di Jakarta selama beberapa tahun."}
    _run(tmp_path, docs, fake_parts)
    texts = {(m["doc_id"], m["text"]) for m in read_table(tmp_path / "out", "mentions").to_pylist()}
    assert ("c.txt", "AS") in texts        # Amerika Serikat: the Indonesian country list knows it
    assert ("b.txt", "AI") in texts        # b.txt defines AI as a name: a term nowhere else either
