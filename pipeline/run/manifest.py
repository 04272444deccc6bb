"""The run record (``manifest.json``): times, config and hash, versions, inputs, row counts, stage
times, cache use and warnings."""
from __future__ import annotations

import platform
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from pipeline import __version__
from pipeline.config import LoadedConfig
from pipeline.core.records import Document


def package_version(package: str) -> str | None:
    """The installed version of a distribution, or None."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def build_manifest(config: LoadedConfig, input_dir: Path, started: datetime, documents: list[Document],
                   processed: list[str], models: dict[str, dict], rows: dict[str, int], stage_seconds: dict) -> dict:
    """The run record; ``processed`` are the documents the per-document stages ran on (the others
    came from the cache), ``models`` the NER models loaded, ``rows`` the rows written per table."""
    processed_set = set(processed)
    return {
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "input": str(Path(input_dir)),
        "config_file": str(config.path),
        "config": config.settings.model_dump(mode="json"),
        "config_hash": config.hash,
        "versions": {"pipeline": __version__, "python": platform.python_version(),
                     **{name: package_version(name) for name in ("spacy", "stanza", "torch", "langdetect",
                                                                 "wordfreq")}},
        "models": models,
        "inputs": [{"doc_id": d.doc_id, "path": d.path, "sha256": d.sha256, "status": d.status,
                    "reason": d.reason} for d in documents],
        "processed": processed,
        "cached": sorted(d.doc_id for d in documents if d.status == "ok" and d.doc_id not in processed_set),
        "rows": dict(rows),
        "stage_seconds": stage_seconds,
        # What a user should look at: documents that failed and documents that were not UTF-8.
        "warnings": [f"{d.doc_id}: {d.reason}" for d in documents
                     if d.status == "error" or (d.status == "ok" and d.encoding not in ("utf-8", ""))],
    }
