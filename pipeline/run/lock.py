"""One run per output folder at a time: an advisory lock (filelock) inside ``OUT/.pipeline/``.

The lock is held for the whole run; the operating system releases it when the process dies, so a
killed run never blocks the next one. A second run exits 2 naming the holder instead of racing.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
from datetime import datetime, timezone
from pathlib import Path

from filelock import FileLock, Timeout

from pipeline.errors import ConfigError
from pipeline.output.tables import state_dir


class OutputLock:
    """``with OutputLock(out):`` holds the output folder for this run, or raises ConfigError."""

    def __init__(self, output_dir: Path):
        self.output_dir = Path(output_dir)
        self.folder = state_dir(output_dir)
        self._lock = FileLock(str(self.folder / "lock"), timeout=0)

    def holder(self) -> str:
        """Who holds the lock, as the holder wrote it down."""
        try:
            info = json.loads((self.folder / "holder.json").read_text(encoding="utf-8"))
            return f"pid {info['pid']} on {info['host']}, started {info['started']}"
        except (OSError, ValueError, KeyError, TypeError):
            return "another process"

    def __enter__(self) -> "OutputLock":
        self.created = not self.output_dir.exists()
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire()
        except Timeout:
            raise ConfigError(f"--output {self.output_dir}: another run is writing this folder ({self.holder()}); "
                              "wait for it to finish, or choose another --output") from None
        holder = {"pid": os.getpid(), "host": socket.gethostname(),
                  "started": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        (self.folder / "holder.json").write_text(json.dumps(holder) + "\n", encoding="utf-8")
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        (self.folder / "holder.json").unlink(missing_ok=True)
        self._lock.release()
        # A run that failed (not one interrupted: its cache is worth keeping) leaves no trace in an
        # output folder it created itself.
        if self.created and exc_type is not None and not issubclass(exc_type, KeyboardInterrupt):
            shutil.rmtree(self.output_dir, ignore_errors=True)
