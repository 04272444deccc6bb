"""Typed rows -> Parquet + CSV with the declared schemas, written so that a killed run loses nothing.

The pipeline owns only the files it writes: the manifest lists them (``outputs``), a run replaces
those and nothing else, and keeps its own state (cache, lock, staging) in ``OUT/.pipeline/``.
"""
from __future__ import annotations

import csv
import io
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


CHUNK_ROWS = 16_384  # rows per Parquet row group and per CSV chunk: a table is never held whole (the rows of one chunk are the peak)


def build_table(name: str, rows: list[dict]) -> pa.Table:
    """A typed, sorted Arrow table for one of the declared schemas."""
    schema = SCHEMAS[name]
    table = pa.Table.from_pylist(rows, schema=schema)
    return table.sort_by([(key, "ascending") for key in SORT_KEYS[name]]) if rows else table


def _csv_text(table: pa.Table, header: bool = True) -> str:
    """CSV with lists joined by '|' (CSV has no list type), byte for byte what pandas' ``to_csv`` wrote
    before: the standard csv writer (pandas' own underneath) over the columns, nulls and NaN as empty
    fields, floats as their repr (numpy's ``astype(str)``, which pandas used, gives the same text), and an
    integer column holding nulls as floats, as pandas turned it. Building a DataFrame per chunk and
    pandas' formatting took a fifth more time than this."""
    columns = []
    for column, field in zip(table.columns, table.schema):
        values = column.to_pylist()
        if pa.types.is_list(field.type):
            values = ["|".join(items) if items is not None else "" for items in values]
        elif pa.types.is_floating(field.type):
            values = ["" if v is None or v != v else repr(v) for v in values]
        elif pa.types.is_integer(field.type) and column.null_count:
            values = ["" if v is None else repr(float(v)) for v in values]
        columns.append(values)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow(table.column_names)
    writer.writerows(zip(*columns))
    return buffer.getvalue()


class TableWriter:
    """One table written as its rows arrive, already in the table's sort order: every ``CHUNK_ROWS``
    rows become one Parquet row group and one CSV chunk, so no table is ever held whole. Chunks
    depend on the rows alone (never on timing or workers): the files are byte-identical run to run."""

    def __init__(self, folder: Path, name: str, formats: list[str], chunk_rows: int = CHUNK_ROWS):
        self.folder, self.name, self.formats, self.chunk_rows = Path(folder), name, formats, chunk_rows
        self.schema = SCHEMAS[name]
        self.keys = SORT_KEYS[name]
        self.rows: list[dict] = []
        self.num_rows = 0
        self._last_key: tuple | None = None
        self._parquet = None
        self._csv = open(self.folder / f"{name}.csv", "w", encoding="utf-8") if "csv" in formats else None

    def add(self, rows: list[dict]) -> None:
        """Append rows (in sort order, after every row added before)."""
        self.rows.extend(rows)
        if len(self.rows) >= self.chunk_rows:
            self._flush(self.chunk_rows)

    def _flush(self, n: int) -> None:
        chunk, self.rows = self.rows[:n], self.rows[n:]
        keys = [tuple(row[k] for k in self.keys) for row in chunk]
        if self._last_key is not None:
            keys.insert(0, self._last_key)
        if any(a > b for a, b in zip(keys, keys[1:])):
            raise AssertionError(f"{self.name}: rows reached the writer out of {self.keys} order")
        self._last_key = keys[-1] if keys else self._last_key
        self._write(pa.Table.from_pylist(chunk, schema=self.schema))

    def _write(self, table: pa.Table) -> None:
        if "parquet" in self.formats:
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self.folder / f"{self.name}.parquet", self.schema, compression="zstd")
            self._parquet.write_table(table)
        if self._csv is not None:
            self._csv.write(_csv_text(table, header=self.num_rows == 0))
        self.num_rows += table.num_rows

    def write(self, table: pa.Table) -> None:
        """Write a whole (small, sorted) table at once."""
        for offset in range(0, table.num_rows, self.chunk_rows):
            self._write(table.slice(offset, self.chunk_rows))

    def close(self) -> int:
        """Flush the last rows and close the files; returns the number of rows written."""
        while self.rows:
            self._flush(self.chunk_rows)
        if self.num_rows == 0:
            self._write(self.schema.empty_table())  # an empty table still has its columns
        if self._parquet is not None:
            self._parquet.close()
        if self._csv is not None:
            self._csv.close()
        return self.num_rows


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


class OutputStaging:
    """A run's outputs written beside the output folder's files, then swapped in at once.

    Everything is written to a staging folder inside ``OUT/.pipeline/`` first (``writer`` streams a
    table, ``write_table`` writes a whole one); ``commit`` writes the manifest, then a marker that
    lists the files, and moves them in with ``os.replace`` (atomic per file), the manifest last,
    replacing only the files the pipeline wrote before (the previous manifest's ``outputs``). A run
    killed before the marker leaves the previous outputs untouched; one killed after it is finished
    by ``recover_output`` at the start of the next run. Files and folders follow the user's umask."""

    def __init__(self, output_dir: Path, formats: list[str]):
        self.output_dir = Path(output_dir)
        self.formats = formats
        state_dir(self.output_dir).mkdir(parents=True, exist_ok=True)
        recover_output(self.output_dir)
        self.folder = state_dir(self.output_dir) / f"staging-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.folder.mkdir()
        self.rows: dict[str, int] = {}
        self._writers: dict[str, TableWriter] = {}

    def writer(self, name: str) -> TableWriter:
        """A streaming writer for table ``name`` (closed by ``close_tables`` or ``commit``)."""
        self._writers[name] = TableWriter(self.folder, name, self.formats)
        return self._writers[name]

    def write_table(self, name: str, table: pa.Table) -> None:
        """Write a whole table."""
        writer = self.writer(name)
        writer.write(table)
        self.rows[name] = writer.close()

    def close_tables(self) -> dict[str, int]:
        """Close every open writer; returns rows per table, in the order the tables were opened."""
        for name, writer in self._writers.items():
            if name not in self.rows:
                self.rows[name] = writer.close()
        return {name: self.rows[name] for name in self._writers}

    def commit(self, manifest: dict) -> None:
        """Write the manifest and move every file into the output folder."""
        produced = [f for name in self.close_tables() for f in table_files(name, self.formats)]
        kill_point("tables")
        manifest = {**manifest, "outputs": sorted(produced) + [MANIFEST]}
        (self.folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                                            encoding="utf-8")
        kill_point("manifest")
        marker = self.folder / f"{COMPLETE}.tmp"
        marker.write_text(json.dumps({"files": manifest["outputs"]}), encoding="utf-8")
        os.replace(marker, self.folder / COMPLETE)
        kill_point("swap")
        _finish(self.folder, self.output_dir)

    def abort(self) -> None:
        """Drop what was staged (the previous outputs stay as they were)."""
        for writer in self._writers.values():
            try:
                writer.close()
            except Exception:  # noqa: BLE001  (dropping the folder anyway)
                pass
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> "OutputStaging":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if self.folder.exists() and not (self.folder / COMPLETE).exists():
            self.abort()


def write_outputs(output_dir: Path, tables: dict[str, pa.Table], manifest: dict, formats: list[str]) -> None:
    """Write whole tables in every format plus the manifest into the output folder, atomically
    (``OutputStaging``), replacing only the files the pipeline wrote before."""
    with OutputStaging(output_dir, formats) as staging:
        for name, table in tables.items():
            staging.write_table(name, table)
        staging.commit(manifest)


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
