"""pipeline/output/tables.py: declared schemas, deterministic bytes, owned files, recovery after a kill."""
import json
import os
import stat

import pytest

from pipeline.output.schemas import SCHEMAS
from pipeline.output.tables import (build_table, check_tables, read_csv_table, read_table, recover_output,
                                    remove_outputs, state_dir, write_outputs)

ROW = {"doc_id": "b", "path": "b.txt", "sha256": "0" * 64, "lang": "en", "lang_score": 0.99, "is_mixed": False,
       "n_chars": 3, "n_tokens": 1, "n_mentions": 0, "status": "ok", "reason": "", "encoding": "utf-8",
       "n_segments": 1}


def _tables():
    docs = build_table("documents", [ROW, {**ROW, "doc_id": "a", "path": "a.txt"}])
    empty = {name: build_table(name, []) for name in SCHEMAS if name != "documents"}
    ent = build_table("entities", [{"entity_id": "en_1", "canonical": "NATO", "label": "ORG", "lang": "en",
                                    "aliases": ["NATO's", "N.A.T.O."], "n_mentions": 2, "n_docs": 1,
                                    "external_id": "Q7184", "concept_id": "c_1"}])
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


def test_foreign_files_are_never_touched(tmp_path):
    out = tmp_path / "processed"
    out.mkdir()
    (out / "README.md").write_text("placeholder")
    (out / "my_analysis.csv").write_text("mine")
    (out / "notes.parquet").write_text("mine too")
    write_outputs(out, _tables(), {}, ["parquet", "csv"])
    assert (out / "README.md").read_text() == "placeholder"
    assert (out / "my_analysis.csv").read_text() == "mine" and (out / "notes.parquet").read_text() == "mine too"


def test_only_files_of_the_previous_run_are_replaced_or_removed(tmp_path):
    out = tmp_path / "out"
    write_outputs(out, _tables(), {}, ["parquet", "csv"])
    assert "documents.csv" in json.loads((out / "manifest.json").read_text())["outputs"]
    write_outputs(out, _tables(), {}, ["parquet"])            # csv switched off: our csv files go
    assert not (out / "documents.csv").exists() and (out / "documents.parquet").exists()


@pytest.mark.parametrize("complete", [True, False])
def test_recovery_finishes_a_complete_staging_and_drops_an_incomplete_one(tmp_path, complete):
    out = tmp_path / "out"
    write_outputs(out, _tables(), {"run": 1}, ["parquet", "csv"])
    staging = state_dir(out) / "staging-999-dead"
    staging.mkdir()
    (staging / "manifest.json").write_text(json.dumps({"run": 2, "outputs": ["manifest.json"]}))
    if complete:
        (staging / "COMPLETE").write_text(json.dumps({"files": ["manifest.json"]}))
    recover_output(out)
    assert not staging.exists()
    assert json.loads((out / "manifest.json").read_text())["run"] == (2 if complete else 1)


def test_files_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        write_outputs(tmp_path / "out", _tables(), {}, ["csv"])
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "out" / "documents.csv").stat().st_mode) == 0o644


def test_remove_outputs_removes_only_ours(tmp_path):
    out = tmp_path / "out"
    write_outputs(out, _tables(), {}, ["csv"])
    (out / "mine.csv").write_text("mine")
    removed = remove_outputs(out)
    assert "documents.csv" in removed and ".pipeline/" in removed
    assert [p.name for p in out.iterdir()] == ["mine.csv"]


def test_csv_reads_back_equal_to_parquet(tmp_path):
    tables = _tables()
    tables["documents"] = build_table("documents", [ROW, {**ROW, "doc_id": "a", "path": "a.txt",
                                                          "reason": "decoded as cp1252"}])
    write_outputs(tmp_path / "out", tables, {}, ["parquet", "csv"])
    for name in ("documents", "entities", "alignments"):
        assert read_csv_table(tmp_path / "out", name).equals(read_table(tmp_path / "out", name)), name
    assert read_csv_table(tmp_path / "out", "documents").column("reason").to_pylist() == ["decoded as cp1252", ""]


# --- issue 17: tables streamed in row groups, never held whole ---

from pipeline.output.tables import OutputStaging, TableWriter  # noqa: E402


def _rows(n):
    return [{**ROW, "doc_id": f"d{i:03d}", "path": f"d{i:03d}.txt"} for i in range(n)]


@pytest.mark.parametrize("n_rows, chunk_rows, row_groups", [(0, 2, 1), (1, 2, 1), (4, 2, 2), (5, 2, 3), (5, 50, 1)])
def test_streamed_table_equals_the_whole_table(tmp_path, n_rows, chunk_rows, row_groups):
    import pyarrow.parquet as pq

    (tmp_path / "whole").mkdir()
    (tmp_path / "streamed").mkdir()
    whole = TableWriter(tmp_path / "whole", "documents", ["parquet", "csv"])
    whole.write(build_table("documents", _rows(n_rows)))
    whole.close()
    writer = TableWriter(tmp_path / "streamed", "documents", ["parquet", "csv"], chunk_rows=chunk_rows)
    for row in _rows(n_rows):
        writer.add([row])
    assert writer.close() == n_rows
    assert (tmp_path / "streamed" / "documents.csv").read_text() == (tmp_path / "whole" / "documents.csv").read_text()
    assert read_table(tmp_path / "streamed", "documents").equals(read_table(tmp_path / "whole", "documents"))
    assert pq.ParquetFile(tmp_path / "streamed" / "documents.parquet").num_row_groups == row_groups
    assert read_csv_table(tmp_path / "streamed", "documents").equals(read_table(tmp_path / "streamed", "documents"))


def test_rows_out_of_order_are_refused(tmp_path):
    writer = TableWriter(tmp_path, "documents", ["csv"], chunk_rows=2)
    with pytest.raises(AssertionError, match="out of"):
        writer.add(list(reversed(_rows(3))))


def test_an_aborted_staging_leaves_the_previous_outputs(tmp_path):
    out = tmp_path / "out"
    write_outputs(out, _tables(), {"run": 1}, ["parquet", "csv"])
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    with pytest.raises(RuntimeError):
        with OutputStaging(out, ["parquet", "csv"]) as staging:
            staging.writer("documents").add(_rows(2))
            raise RuntimeError("a bug half way through the tables")
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert not list(state_dir(out).glob("staging-*"))
