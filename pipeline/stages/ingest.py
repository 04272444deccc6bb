"""Stage ingest: find the input files and decode them into documents.

UTF-8 first; otherwise charset-normalizer guesses the encoding (it is maintained
and is what requests uses) and the document records what was done.
Nothing here raises for one bad file: the problem becomes the document's status.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline.config import IngestConfig
from pipeline.core.records import Document
from pipeline.errors import ConfigError

BOMS = (("utf-8-sig", b"\xef\xbb\xbf"), ("utf-16", b"\xff\xfe"), ("utf-16", b"\xfe\xff"))


def doc_id_for(relative: Path) -> str:
    """Contract doc_id: path relative to the input folder, with its suffix, '/'-separated
    (``en/report.txt``): unique per input file by construction."""
    return relative.as_posix()


def decode_bytes(data: bytes) -> tuple[str, str, str]:
    """Decode bytes to text. Returns (text, encoding, problem); problem is '' when decoding is trustworthy."""
    for name, bom in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name, ""
            except UnicodeDecodeError:
                break
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "", "binary", "binary content (NUL bytes): not a text document"
    try:
        return data.decode("utf-8"), "utf-8", ""
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return "", "unknown", "undecodable: no text encoding fits these bytes"
    return str(best), best.encoding, ""


def find_input_files(input_dir: Path, config: IngestConfig) -> list[Path]:
    """Every file under ``input_dir`` matching the configured patterns, recursively, sorted."""
    found = {p for pattern in config.patterns for p in input_dir.rglob(pattern)}
    return sorted(found, key=lambda p: p.relative_to(input_dir).as_posix())


def read_document(path: Path, input_dir: Path, config: IngestConfig) -> Document:
    """Read and decode one file; any problem becomes status ``error``/``skipped`` with a reason."""
    relative = path.relative_to(input_dir)
    doc = Document(doc_id=doc_id_for(relative), path=relative.as_posix(), sha256="", text="",
                   encoding="")
    root = input_dir.resolve()
    if path.is_symlink() or not path.resolve().is_relative_to(root):
        doc.status, doc.reason = "skipped", "symbolic link or path outside the input folder: not followed"
        return doc
    if not path.is_file():
        doc.status, doc.reason = "skipped", "not a regular file"
        return doc
    try:
        size = path.stat().st_size
        if size > config.max_bytes:
            doc.status, doc.reason = "error", f"file too large: {size} bytes > ingest.max_bytes={config.max_bytes}"
            return doc
        data = path.read_bytes()
    except OSError as exc:
        doc.status, doc.reason = "error", f"unreadable: {exc.strerror or exc}"
        return doc
    doc.sha256 = hashlib.sha256(data).hexdigest()
    text, encoding, problem = decode_bytes(data)
    doc.encoding = encoding
    if problem:
        doc.status, doc.reason = "error", problem
        return doc
    doc.text = text
    if not text.strip():
        doc.status, doc.reason = "skipped", "empty document (no text)"
    elif encoding not in ("utf-8",):
        doc.reason = f"decoded as {encoding}"
    return doc


def list_input_files(input_dir: Path, config: IngestConfig) -> list[Path]:
    """The files of an input folder in doc_id order, without reading them (a run reads them shard by shard)."""
    input_dir = Path(input_dir)
    if not input_dir.is_dir():
        raise ConfigError(f"--input {input_dir}: not a folder; pass the folder holding the *.txt / *.md documents")
    return find_input_files(input_dir, config)


def ingest(input_dir: Path, config: IngestConfig) -> list[Document]:
    """All documents of an input folder, in doc_id order."""
    return [read_document(p, Path(input_dir), config) for p in list_input_files(input_dir, config)]
