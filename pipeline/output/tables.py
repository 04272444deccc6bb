"""Typed rows -> Parquet + CSV with the declared schemas, written so that a killed run loses nothing.

The pipeline owns only the files it writes: the manifest lists them (``outputs``), a run replaces
those and nothing else, and keeps its own state (cache, lock, staging) in ``OUT/.pipeline/``.
"""
from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.csv  # noqa: F401  (registers pa.csv)
import pyarrow.parquet as pq

from pipeline.core.faults import kill_point
from pipeline.output.schemas import SCHEMAS, SORT_KEYS

MANIFEST = "manifest.json"
STATE_DIR = ".pipeline"   # the pipeline's own folder inside an output folder
COMPLETE = "COMPLETE"     # marker of a staging folder whose files are all written


def build_table(name: str, rows: list[dict]) -> pa.Table:
    """A typed, sorted Arrow table for one of the declared schemas."""
    schema = SCHEMAS[name]
    table = pa.Table.from_pylist(rows, schema=schema)
    return table.sort_by([(key, "ascending") for key in SORT_KEYS[name]]) if rows else table


def _csv_text(table: pa.Table) -> str:
    """CSV via pandas with lists joined by '|' (CSV has no list type)."""
    frame = table.to_pandas()
    for column, field in zip(table.column_names, table.schema):
        if pa.types.is_list(field.type):
            frame[column] = frame[column].map(lambda items: "|".join(items) if items is not None else "")
    return frame.to_csv(index=False, lineterminator="\n")


def table_files(name: str, formats: list[str]) -> list[str]:
    """File names one table is written to."""
    return [f"{name}.{fmt}" for fmt in formats]


def state_dir(output_dir: Path) -> Path:
    """The pipeline's own hidden folder inside an output folder (cache, lock, staging)."""
    return Path(output_dir) / STATE_DIR


def _owned_files(output_dir: Path) -> set[str]:
    """The files the previous run wrote, as its manifest lists them (nothing else is ours)."""
    try:
        previous = json.loads((Path(output_dir) / MANIFEST).read_text(encoding="utf-8"))
        return {name for name in previous.get("outputs", []) if "/" not in name and name not in ("", ".", "..")}
    except (OSError, ValueError, AttributeError):
        return set()


def _finish(staging: Path, output_dir: Path) -> None:
    """Move a complete staging folder's files into the output folder (the manifest last) and drop
    the files of the previous run that this one no longer writes. Idempotent: a run killed half way
    through is finished by the next one."""
    plan = json.loads((staging / COMPLETE).read_text(encoding="utf-8"))
    stale = _owned_files(output_dir) - set(plan["files"])
    for name in plan["files"]:  # the manifest comes last in the plan
        if (staging / name).exists():
            os.replace(staging / name, output_dir / name)
    for name in sorted(stale):
        (output_dir / name).unlink(missing_ok=True)
    shutil.rmtree(staging)


def recover_output(output_dir: Path) -> None:
    """Settle what a killed run left: a complete staging folder is finished (its files moved in),
    an incomplete one is removed. Call only while holding the output folder's lock."""
    for staging in sorted(state_dir(output_dir).glob("staging-*")):
        if (staging / COMPLETE).exists():
            _finish(staging, Path(output_dir))
        else:
            shutil.rmtree(staging, ignore_errors=True)


def write_outputs(output_dir: Path, tables: dict[str, pa.Table], manifest: dict, formats: list[str]) -> None:
    """Write every table in every format plus the manifest into the output folder, replacing only
    the files the pipeline wrote before (the manifest's ``outputs``) and nothing else.

    Everything is written to a staging folder inside ``OUT/.pipeline/`` first; once complete, a
    marker lists the files and they are moved in with ``os.replace`` (atomic per file), the manifest
    last. A run killed before the marker leaves the previous outputs untouched; one killed after it
    is finished by ``recover_output`` at the start of the next run. Files and folders are created
    with the user's umask."""
    output_dir = Path(output_dir)
    state_dir(output_dir).mkdir(parents=True, exist_ok=True)
    recover_output(output_dir)
    staging = state_dir(output_dir) / f"staging-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    produced = []
    for index, (name, table) in enumerate(tables.items()):
        if index == 1:
            kill_point("tables")
        if "parquet" in formats:
            pq.write_table(table, staging / f"{name}.parquet", compression="zstd")
        if "csv" in formats:
            (staging / f"{name}.csv").write_text(_csv_text(table), encoding="utf-8")
        produced += table_files(name, formats)
    manifest = {**manifest, "outputs": sorted(produced) + [MANIFEST]}
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                                    encoding="utf-8")
    kill_point("manifest")
    marker = staging / f"{COMPLETE}.tmp"
    marker.write_text(json.dumps({"files": manifest["outputs"]}), encoding="utf-8")
    os.replace(marker, staging / COMPLETE)
    kill_point("swap")
    _finish(staging, output_dir)


def read_table(output_dir: Path, name: str) -> pa.Table:
    """Read a table back from Parquet (for tests, notebooks and ``pipeline tables``)."""
    return pq.read_table(Path(output_dir) / f"{name}.parquet")


def check_tables(output_dir: Path) -> list[str]:
    """Problems found in an output folder's Parquet tables against the declared schemas ([] if none)."""
    problems = []
    for name, schema in SCHEMAS.items():
        path = Path(output_dir) / f"{name}.parquet"
        if not path.exists():
            problems.append(f"{path}: missing")
            continue
        actual = pq.read_schema(path)
        if not actual.remove_metadata().equals(schema):
            problems.append(f"{path}: schema differs from the declared one")
    return problems


def remove_outputs(output_dir: Path, extra: tuple[str, ...] = ("report.html",)) -> list[str]:
    """Delete what the pipeline wrote in an output folder (the manifest's ``outputs``, ``extra``
    files such as the report, and ``OUT/.pipeline/``) and nothing else; returns the names removed."""
    output_dir = Path(output_dir)
    removed = []
    for name in sorted(_owned_files(output_dir) | set(extra)):
        if (output_dir / name).is_file():
            (output_dir / name).unlink()
            removed.append(name)
    if state_dir(output_dir).is_dir():
        shutil.rmtree(state_dir(output_dir))
        removed.append(STATE_DIR + "/")
    return removed


def read_csv_table(output_dir: Path, name: str) -> pa.Table:
    """Read a table back from its CSV with the declared types: empty fields stay empty strings (not
    NaN), ``|``-joined list columns become lists again. Equal to the Parquet table."""
    import pandas as pd

    schema = SCHEMAS[name]
    strings = {f.name: str for f in schema if pa.types.is_string(f.type) or pa.types.is_list(f.type)}
    frame = pd.read_csv(Path(output_dir) / f"{name}.csv", keep_default_na=False, na_values=[], dtype=strings)
    if frame.empty:
        return schema.empty_table()
    for field in schema:
        if pa.types.is_list(field.type):
            frame[field.name] = frame[field.name].map(lambda text: text.split("|") if text else [])
    return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
