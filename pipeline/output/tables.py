"""Stage tables: typed rows -> Parquet + CSV with declared schemas, written atomically.

All files go to a staging folder beside the output folder, which is then
swapped in with two renames. A run killed at any point leaves either the old
complete folder or the new one (``recover_output`` puts back the old one if the
kill fell between the two renames).
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.csv  # noqa: F401  (registers pa.csv)
import pyarrow.parquet as pq

from pipeline.core.faults import kill_point
from pipeline.output.schemas import SCHEMAS, SORT_KEYS

MANIFEST = "manifest.json"


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


def _staging_dirs(output_dir: Path) -> tuple[Path, Path]:
    return output_dir.parent / f".{output_dir.name}.previous", output_dir.parent


def recover_output(output_dir: Path) -> None:
    """Undo the effects of a run killed mid-write: restore the previous folder, drop staging leftovers."""
    previous, parent = _staging_dirs(output_dir)
    if previous.exists() and not output_dir.exists():
        os.rename(previous, output_dir)
    elif previous.exists():
        shutil.rmtree(previous)
    for leftover in parent.glob(f".{output_dir.name}.tmp-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def write_outputs(output_dir: Path, tables: dict[str, pa.Table], manifest: dict, formats: list[str]) -> None:
    """Write every table in every format plus the manifest, then swap the folder in atomically."""
    output_dir = Path(output_dir)
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    recover_output(output_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.tmp-", dir=output_dir.parent))
    produced = {MANIFEST}
    for index, (name, table) in enumerate(tables.items()):
        if index == 1:
            kill_point("tables")
        if "parquet" in formats:
            pq.write_table(table, staging / f"{name}.parquet", compression="zstd")
        if "csv" in formats:
            (staging / f"{name}.csv").write_text(_csv_text(table), encoding="utf-8")
        produced.update(table_files(name, formats))
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                                    encoding="utf-8")
    kill_point("manifest")
    if output_dir.exists():
        # Files that are not ours (a placeholder README, a user's notes) are carried over.
        for item in output_dir.iterdir():
            if item.name not in produced and not item.name.endswith((".parquet", ".csv")):
                target = staging / item.name
                if item.is_dir():
                    shutil.copytree(item, target, symlinks=True)
                else:
                    shutil.copy2(item, target, follow_symlinks=False)
    previous, _ = _staging_dirs(output_dir)
    if output_dir.exists():
        os.rename(output_dir, previous)
    kill_point("swap")
    os.rename(staging, output_dir)
    if previous.exists():
        shutil.rmtree(previous)


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
