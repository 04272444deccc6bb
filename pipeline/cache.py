"""Per-document cache of detect + NER results, so a rerun only processes new or changed documents.

Entries live beside the output folder (``.<output>.cache/``, removed by ``make clean``), one JSON
file per document, keyed by the document's sha256 plus everything that shapes these stages'
results: the detect/ner/languages settings, the gazetteer (it drives the ruler) and the identity
of every configured model. Normalization and alignment are corpus-level and always recomputed.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from importlib import metadata
from pathlib import Path

from pipeline.config import LoadedConfig
from pipeline.resources import sha256_file


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


class DocumentCache:
    """Read and write per-document results; a broken entry is treated as a miss."""

    def __init__(self, output_dir: Path, config: LoadedConfig):
        output_dir = Path(output_dir)
        self.folder = output_dir.parent / f".{output_dir.name}.cache"
        s = config.settings
        shaping = {"format": 3, "languages": s.languages, "detect": s.detect.model_dump(mode="json"),
                   "ner": s.ner.model_dump(mode="json"), "models": model_identity(config),
                   "gazetteer": sha256_file(config.resolve(s.normalize.gazetteer)),
                   "name_patterns": sha256_file(config.resolve(s.normalize.name_patterns))
                   if s.normalize.name_patterns else None}
        self.settings_key = hashlib.sha256(json.dumps(shaping, sort_keys=True).encode()).hexdigest()

    def _path(self, doc_sha256: str) -> Path:
        key = hashlib.sha256(f"{doc_sha256}:{self.settings_key}".encode()).hexdigest()
        return self.folder / key[:2] / f"{key}.json"

    def load(self, doc_sha256: str) -> dict | None:
        """The cached payload for a document, or None."""
        try:
            return json.loads(self._path(doc_sha256).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def save(self, doc_sha256: str, payload: dict) -> None:
        """Write one entry atomically (a killed run never leaves half an entry)."""
        path = self._path(doc_sha256)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(payload, out, ensure_ascii=False)
        os.replace(tmp, path)
