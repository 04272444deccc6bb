"""Bad input, killed runs and reruns (issue: reliability). Generated inputs only, no opaque blobs."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import main

from conftest import ROOT, rows

pytestmark = [pytest.mark.models, pytest.mark.slow]

GOOD_EN = "NATO trained Afghan security forces in Kabul after 2015. The mission ended in 2021 when the troops left."
GOOD_ID = "NATO melatih pasukan keamanan Afghanistan di Kabul setelah 2015. Misi itu berakhir pada 2021."
SENTENCE = "The alliance sent advisers to Kabul, Herat and Kandahar to train the Afghan army and police. "


def write_hostile_corpus(folder: Path, outside: Path) -> dict[str, str]:
    """Write every hostile case; return doc_id -> expected status ('ok', 'skipped', 'error', or 'ok|skipped')."""
    folder.mkdir(parents=True)
    cases = {}

    def put(name, data, expected):
        path = folder / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        cases[Path(name).as_posix()] = expected

    put("good_en.txt", GOOD_EN, "ok")
    put("good_id.txt", GOOD_ID, "ok")
    put("empty.txt", b"", "skipped")
    put("whitespace.txt", " \n\t \r\n ", "skipped")
    put("binary.txt", bytes(range(256)) * 8, "error")
    put("bad_utf8.txt", GOOD_EN.encode() + b" \xff\xfe\xc3 " + GOOD_EN.encode(), "ok")
    put("utf16.txt", GOOD_EN.encode("utf-16"), "ok")
    put("latin1.txt", ("Zoë and André met the envoy at a café in Kabul; the envoy’s résumé was long. "
                       + GOOD_EN).encode("cp1252"), "ok")
    put("utf8_bom.txt", b"\xef\xbb\xbf" + GOOD_EN.encode(), "ok")
    put("crlf.txt", GOOD_EN.replace(". ", ".\r\n"), "ok")
    put("lone_cr.txt", GOOD_EN.replace(". ", ".\r"), "ok")
    put("zero_width.txt", "N\u200bATO and the Tal\u00adiban met in Ka\u0007bul. " + GOOD_EN, "ok")
    put("long_line.txt", "abc " * (5 * 1024 * 1024 // 4), "ok|skipped")        # a single 5 MB line
    put("over_max_length.txt", (SENTENCE * 12 + "\n") * 900, "ok")            # > spaCy's 1,000,000 chars
    put("numbers.txt", "123 456 !!! 2021-08-15 ... 42 %", "skipped")
    put("emoji.txt", "🚀🔥 " + GOOD_EN + " 🇺🇸🇦🇫 👍", "ok")
    put("markup.md", "# Title\n<script>alert('x')</script>\n<b>NATO</b> met in **Kabul**. " + GOOD_EN, "ok")
    put("name with spaces é ü.txt", GOOD_EN, "ok")
    put("french.txt", "Le gouvernement a annoncé de nouvelles mesures pour la sécurité des villes du nord du pays. " * 3,
        "skipped")
    put("malay.txt", "Kerajaan Malaysia mengumumkan bahawa bantuan kewangan akan diberikan kepada semua rakyat "
                     "yang layak selepas mesyuarat kabinet minggu lepas kerana ramai penduduk terjejas. " * 2, "skipped")
    outside.write_text(GOOD_EN, encoding="utf-8")
    os.symlink(outside, folder / "link_outside.txt")
    cases["link_outside.txt"] = "skipped"
    locked = folder / "locked.txt"
    locked.write_text(GOOD_EN, encoding="utf-8")
    locked.chmod(0)
    # root reads any file regardless of permissions; then the honest outcome is a normal ok row.
    cases["locked.txt"] = "ok" if os.geteuid() == 0 else "error"
    (folder / "folder.txt").mkdir()
    cases["folder.txt"] = "skipped"
    return cases


def test_hostile_inputs_end_as_rows_and_spare_good_documents(tmp_path):
    cases = write_hostile_corpus(tmp_path / "in", tmp_path / "outside.txt")
    assert main(["run", "--input", str(tmp_path / "in"), "--output", str(tmp_path / "out"), "--quiet"]) == 0
    documents = {r["doc_id"]: r for r in rows(tmp_path / "out", "documents")}
    assert set(documents) == set(cases)
    for doc_id, expected in cases.items():
        row = documents[doc_id]
        assert row["status"] in expected.split("|"), (doc_id, row["status"], row["reason"])
        if row["status"] != "ok":
            assert row["reason"], doc_id
    assert documents["french.txt"]["lang"] == "fr" and "'fr'" in documents["french.txt"]["reason"]
    assert documents["malay.txt"]["lang"] == "ms" and "'ms'" in documents["malay.txt"]["reason"]
    assert "decoded as" in documents["latin1.txt"]["reason"] and documents["utf16.txt"]["encoding"] == "utf-16"
    assert documents["over_max_length.txt"]["n_chars"] > 1_000_000 and documents["over_max_length.txt"]["n_mentions"] > 1000

    # Offsets hold everywhere, also in the decoded non-UTF-8 and control-character documents.
    from pipeline.config import IngestConfig
    from pipeline.stages.ingest import read_document
    texts = {doc_id: read_document(tmp_path / "in" / documents[doc_id]["path"], tmp_path / "in", IngestConfig()).text
             for doc_id in documents if documents[doc_id]["status"] == "ok"}
    for m in rows(tmp_path / "out", "mentions"):
        assert texts[m["doc_id"]][m["start_char"]:m["end_char"]] == m["text"]

    # The good documents' rows equal a run without the bad files.
    clean = tmp_path / "clean"
    clean.mkdir()
    for name in ("good_en.txt", "good_id.txt"):
        shutil.copy(tmp_path / "in" / name, clean / name)
    assert main(["run", "--input", str(clean), "--output", str(tmp_path / "clean_out"), "--quiet"]) == 0
    for table in ("documents", "segments", "mentions"):
        good = lambda out: [{k: v for k, v in r.items() if k != "entity_id"} for r in rows(out, table)
                            if r["doc_id"] in ("good_en.txt", "good_id.txt")]
        assert good(tmp_path / "out") == good(tmp_path / "clean_out"), table


def _run_subprocess(args, kill_at=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PIPELINE_KILL_AT", None)
    if kill_at:
        env["PIPELINE_KILL_AT"] = kill_at
    return subprocess.run([sys.executable, "-m", "pipeline", "run", "--quiet", *args], env=env,
                          capture_output=True, text=True, timeout=600)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("kill_at", ["ner", "tables", "manifest", "swap"])
def test_killed_run_leaves_previous_outputs(tmp_path, kill_at):
    src = tmp_path / "in"
    shutil.copytree(ROOT / "raw", src)
    out = tmp_path / "out"
    assert _run_subprocess(["--input", str(src), "--output", str(out)]).returncode == 0
    before = _snapshot(out)
    (src / "extra.txt").write_text(GOOD_EN, encoding="utf-8")           # the new run has something new to do
    killed = _run_subprocess(["--input", str(src), "--output", str(out)], kill_at=kill_at)
    assert killed.returncode == -9, killed.stderr
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]   # nothing left beside the output
    assert _run_subprocess(["--input", str(src), "--output", str(out)]).returncode == 0
    assert _run_subprocess(["--input", str(src), "--output", str(tmp_path / "fresh")]).returncode == 0
    after, fresh = _snapshot(out), _snapshot(tmp_path / "fresh")
    for name in fresh:
        if name != "manifest.json":
            assert after[name] == fresh[name], name


def test_rerun_processes_only_the_new_document(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    places = ["Kabul", "Herat", "Kandahar", "Baghdad", "Tripoli"]
    for i in range(20):
        text = (f"Report {i}: NATO advisers met officials in {places[i % 5]} in {2004 + i}. "
                f"The Taliban and the United Nations were discussed at meeting number {i}.")
        (src / f"doc_{i:02d}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", "--input", str(src), "--output", str(out), "--quiet"]) == 0
    assert len(json.loads((out / "manifest.json").read_text())["processed"]) == 20
    (src / "doc_new.txt").write_text("Jens Stoltenberg visited Kabul and Bagram in 2019.", encoding="utf-8")
    assert main(["run", "--input", str(src), "--output", str(out), "--quiet"]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["processed"] == ["doc_new.txt"] and len(manifest["cached"]) == 20
    assert main(["run", "--input", str(src), "--output", str(tmp_path / "full"), "--quiet"]) == 0
    for name in ("documents", "segments", "mentions", "entities", "alignments"):
        for ext in ("parquet", "csv"):
            assert (out / f"{name}.{ext}").read_bytes() == (tmp_path / "full" / f"{name}.{ext}").read_bytes()
