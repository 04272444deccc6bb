"""pipeline/output/tables.py: declared schemas, deterministic bytes, atomic folder swap."""
import pytest

from pipeline.output.schemas import SCHEMAS
from pipeline.output.tables import build_table, check_tables, read_table, recover_output, write_outputs

ROW = {"doc_id": "b", "path": "b.txt", "sha256": "0" * 64, "lang": "en", "lang_score": 0.99, "is_mixed": False,
       "n_chars": 3, "n_tokens": 1, "n_mentions": 0, "status": "ok", "reason": "", "encoding": "utf-8",
       "n_segments": 1}


def _tables():
    docs = build_table("documents", [ROW, {**ROW, "doc_id": "a", "path": "a.txt"}])
    empty = {name: build_table(name, []) for name in SCHEMAS if name != "documents"}
    ent = build_table("entities", [{"entity_id": "en_1", "canonical": "NATO", "label": "ORG", "lang": "en",
                                    "aliases": ["NATO's"], "n_mentions": 2, "n_docs": 1, "external_id": "Q7184"}])
    return {**empty, "documents": docs, "entities": ent}


def test_rows_are_sorted_and_typed():
    table = _tables()["documents"]
    assert table.column("doc_id").to_pylist() == ["a", "b"]
    assert table.schema.equals(SCHEMAS["documents"])


def test_outputs_are_byte_identical(tmp_path):
    for out in ("one", "two"):
        write_outputs(tmp_path / out, _tables(), {"x": 1}, ["parquet", "csv"])
    for name in SCHEMAS:
        for ext in ("parquet", "csv"):
            assert (tmp_path / "one" / f"{name}.{ext}").read_bytes() == (tmp_path / "two" / f"{name}.{ext}").read_bytes()
    assert "NATO's" in (tmp_path / "one" / "entities.csv").read_text()
    assert check_tables(tmp_path / "one") == []


def test_swap_keeps_foreign_files_and_recovers(tmp_path):
    out = tmp_path / "processed"
    out.mkdir()
    (out / "README.md").write_text("placeholder")
    write_outputs(out, _tables(), {}, ["parquet", "csv"])
    assert (out / "README.md").read_text() == "placeholder"
    # A run killed between the two renames leaves only the previous folder: it is put back.
    out.rename(tmp_path / ".processed.previous")
    (tmp_path / ".processed.tmp-dead").mkdir()
    recover_output(out)
    assert read_table(out, "documents").num_rows == 2
    assert not (tmp_path / ".processed.tmp-dead").exists()
