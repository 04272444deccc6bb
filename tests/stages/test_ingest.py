"""pipeline/stages/ingest.py: decoding, doc ids, bad files become rows."""
import os

import pytest

from pipeline.config import IngestConfig
from pipeline.stages.ingest import decode_bytes, doc_id_for, ingest

TEXT = "NATO melatih pasukan keamanan Afghanistan di Kabul. Café Zürich."


@pytest.mark.parametrize("data, encoding", [
    (TEXT.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
    (TEXT.encode("utf-16"), "utf-16"),
])
def test_decode_known_encodings(data, encoding):
    text, used, problem = decode_bytes(data)
    assert (text, used, problem) == (TEXT, encoding, "")


def test_decode_latin1_falls_back_to_detection():
    data = ("Le café de Zürich est fermé. " * 20).encode("cp1252")
    text, used, problem = decode_bytes(data)
    assert problem == "" and "café" in text and used != "utf-8"


def test_binary_is_refused():
    assert decode_bytes(b"\x00\x01\x02garbage\x00")[2].startswith("binary content")


@pytest.mark.parametrize("relative, doc_id", [("a.txt", "a.txt"), ("sub/dir/b.md", "sub/dir/b.md"),
                                              ("c.d.txt", "c.d.txt"), ("report.md", "report.md")])
def test_doc_id(relative, doc_id):
    from pathlib import Path
    assert doc_id_for(Path(relative)) == doc_id


def test_ingest_turns_problems_into_rows(tmp_path):
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "empty.md").write_text("   \n", encoding="utf-8")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x00\xff")
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    outside = tmp_path.parent / "outside.txt"
    outside.write_text(TEXT, encoding="utf-8")
    os.symlink(outside, tmp_path / "link.txt")
    docs = {d.doc_id: d for d in ingest(tmp_path, IngestConfig())}
    assert set(docs) == {"good.txt", "empty.md", "bin.txt", "link.txt"}
    assert docs["good.txt"].status == "ok" and docs["good.txt"].text == TEXT
    assert (docs["empty.md"].status, docs["bin.txt"].status, docs["link.txt"].status) == ("skipped", "error", "skipped")
    assert "outside" in docs["link.txt"].reason and docs["link.txt"].text == ""
    assert len(docs["good.txt"].sha256) == 64
