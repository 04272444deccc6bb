"""The edges users hit (issue 13), through the CLI with fake models: file ids, the output folder,
concurrent runs, relative output paths, empty inputs, Ctrl-C and small override configs."""
import json
import os
import stat
import subprocess
import sys

import pytest

from pipeline.cli import main
from pipeline.output.tables import read_table, state_dir

from conftest import ROOT

EN = "The Resolute Support Mission was led by the Alliance and its partners in Kabul."
ID = "Pasukan Afghanistan dilatih oleh Misi Dukungan Tegas di Kabul selama beberapa tahun."


def write(folder, files):
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def run(inp, out, sets, *extra):
    return main(["run", "--input", str(inp), "--output", str(out), "--quiet", *extra,
                 *[arg for s in sets for arg in ("--set", s)]])


def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_1_same_stem_different_suffix_are_two_documents(tmp_path, fake_parts):
    inp = write(tmp_path / "in", {"report.txt": EN, "report.md": "Jens Stoltenberg met Ashraf Ghani in Brussels."})
    assert run(inp, tmp_path / "out", fake_parts) == 0
    mentions = read_table(tmp_path / "out", "mentions").to_pylist()
    by_doc = {}
    for m in mentions:
        by_doc.setdefault(m["doc_id"], []).append(m["text"])
    assert set(by_doc) == {"report.txt", "report.md"}
    for doc_id, text in (("report.txt", EN), ("report.md", "Jens Stoltenberg met Ashraf Ghani in Brussels.")):
        alone = write(tmp_path / f"alone_{doc_id}", {doc_id: text})
        assert run(alone, tmp_path / f"out_{doc_id}", fake_parts) == 0
        assert by_doc[doc_id] == [m["text"] for m in read_table(tmp_path / f"out_{doc_id}", "mentions").to_pylist()]
        for m in mentions:
            if m["doc_id"] == doc_id:
                assert text[m["start_char"]:m["end_char"]] == m["text"]
    segments = read_table(tmp_path / "out", "segments").to_pylist()
    assert {s["doc_id"] for s in segments} == {"report.txt", "report.md"}


def test_2_foreign_files_survive_and_folders_follow_the_umask(tmp_path, fake_parts):
    inp = write(tmp_path / "in", {"a.txt": EN})
    out = tmp_path / "out"
    out.mkdir()
    (out / "my_analysis.csv").write_text("doc,score\n1,2\n")
    (out / "figures.parquet").write_bytes(b"not ours")
    old = os.umask(0o022)
    try:
        assert run(inp, out, fake_parts) == 0
        assert run(inp, out, fake_parts) == 0
    finally:
        os.umask(old)
    assert (out / "my_analysis.csv").read_text() == "doc,score\n1,2\n"
    assert (out / "figures.parquet").read_bytes() == b"not ours"
    assert stat.S_IMODE(out.stat().st_mode) == 0o755
    assert stat.S_IMODE((out / "mentions.csv").stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]   # nothing written beside it


@pytest.mark.parametrize("output, relation", [("in", "is the input folder"), ("in/out", "is inside the input folder"),
                                              (".", "contains the input folder")])
def test_2_output_mixed_with_input_is_refused(tmp_path, fake_parts, capsys, output, relation):
    inp = write(tmp_path / "in", {"a.txt": EN})
    assert run(inp, tmp_path / output, fake_parts) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and relation in err[0]
    assert sorted(p.name for p in inp.iterdir()) == ["a.txt"]


def test_3_a_second_run_on_a_busy_output_exits_2_naming_the_holder(tmp_path, fake_parts, capsys):
    inp = write(tmp_path / "in", {"a.txt": EN})
    out = tmp_path / "out"
    assert run(inp, out, fake_parts) == 0
    before = snapshot(out)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pipeline.run.lock import OutputLock\n"
         f"with OutputLock({str(out)!r}):\n    print('held', flush=True); time.sleep(60)"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        write(inp, {"b.txt": ID})
        assert run(inp, out, fake_parts) == 2
        err = capsys.readouterr().err
        assert "another run is writing this folder" in err and f"pid {holder.pid}" in err
        assert "Traceback" not in err and snapshot(out) == before
    finally:
        holder.kill()
        holder.wait()
    assert run(inp, out, fake_parts) == 0   # the lock died with its holder


def test_3_staging_left_by_a_dead_run_is_cleaned(tmp_path, fake_parts):
    inp = write(tmp_path / "in", {"a.txt": EN})
    out = tmp_path / "out"
    assert run(inp, out, fake_parts) == 0
    dead = state_dir(out) / "staging-12345-deadbeef"
    dead.mkdir()
    (dead / "documents.csv").write_text("half written")
    assert run(inp, out, fake_parts) == 0
    assert not dead.exists() and "half written" not in (out / "documents.csv").read_text()


def test_4_output_dot_and_relative_forms(tmp_path, fake_parts, monkeypatch):
    write(tmp_path / "in", {"a.txt": EN})
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    assert run("../in", ".", fake_parts) == 0
    assert (tmp_path / "here" / "mentions.parquet").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["here", "in"]   # no ..cache or ..tmp-* beside
    assert not list(state_dir(tmp_path / "here").glob("staging-*"))
    assert run("../in", "./sub/../", fake_parts) == 0


def test_5_an_empty_input_folder_exits_2_and_keeps_previous_outputs(tmp_path, fake_parts, capsys):
    inp = write(tmp_path / "in", {"a.txt": EN})
    out = tmp_path / "out"
    assert run(inp, out, fake_parts) == 0
    before = snapshot(out)
    (inp / "a.txt").unlink()
    assert run(inp, out, fake_parts) == 2
    assert "no documents found" in capsys.readouterr().err
    assert snapshot(out) == before


def test_6_ctrl_c_exits_130_and_keeps_previous_outputs(tmp_path, fake_parts, capsys):
    inp = write(tmp_path / "in", {"a.txt": EN})
    out = tmp_path / "out"
    assert run(inp, out, fake_parts) == 0
    before = snapshot(out)
    write(inp, {"b.txt": "Pasukan CTRLC dilatih di Herat setiap tahun oleh para pelatih."})
    assert run(inp, out, fake_parts) == 130
    assert "interrupted" in capsys.readouterr().err
    assert snapshot(out) == before
    assert not list(state_dir(out).glob("staging-*"))


def test_6_ctrl_c_keeps_the_cache_of_finished_documents(tmp_path, fake_parts):
    inp = write(tmp_path / "in", {"a.txt": EN, "b.txt": ID,
                                  "c.txt": "Pasukan CTRLC dilatih di Herat setiap tahun oleh para pelatih."})
    out = tmp_path / "out"
    one_per_shard = [*fake_parts, "run.engine=local", "run.shard_size=1"]
    assert run(inp, out, one_per_shard) == 130
    assert not (out / "documents.csv").exists()          # nothing half-written
    (inp / "c.txt").write_text("Pasukan Irak dilatih di Herat setiap tahun oleh para pelatih.", encoding="utf-8")
    assert run(inp, out, one_per_shard) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["cached"] == ["a.txt", "b.txt"] and manifest["processed"] == ["c.txt"]


def test_7_a_small_override_config_is_enough(tmp_path, fake_parts):
    inp = write(tmp_path / "in", {"a.txt": EN, "b.txt": ID})
    mine = tmp_path / "mine.yaml"
    mine.write_text("align:\n  min_score: 0.9\n  methods:\n    glossary: {enabled: false}\n", encoding="utf-8")
    assert run(inp, tmp_path / "out", fake_parts, "--config", str(mine)) == 0
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["config"]["align"]["min_score"] == 0.9
    assert manifest["config"]["align"]["methods"]["glossary"]["enabled"] is False
    assert manifest["config"]["align"]["methods"]["translation"]["enabled"] is True
