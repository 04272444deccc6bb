"""Compare two output folders table by table: ``python -m pipeline diff OLD NEW``.

Rows are matched on stable keys, not on row order or offsets, so one inserted sentence is one
added mention rather than eighty shifted ones:

| table | key |
| --- | --- |
| documents | doc_id |
| mentions | (doc_id, text, label, occurrence): occurrence = 0, 1, 2 ... among the document's mentions with that text and label, in text order |
| entities | entity_id |
| alignments | (en_entity_id, id_entity_id) |

A matched row is ``changed`` when a compared column differs. Columns derived from offsets
(mentions' ``mention_id``, ``seg_id``, ``start_char``, ``end_char``) are not compared. Columns
present on one side only are listed, not compared. List columns (``aliases``, ``methods``) are
compared as lists, whether stored as lists (Parquet) or ``|``-joined strings (CSV, older runs);
missing values and empty strings are the same; numbers are compared to 1e-9 (``tolerance``).
``manifest.json`` is not diffed (its times always differ); its config hash and versions are
reported as notes when they differ.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

KEYS = {
    "documents": ["doc_id"],
    "mentions": ["doc_id", "text", "label"],  # + occurrence
    "entities": ["entity_id"],
    "alignments": ["en_entity_id", "id_entity_id"],
}
OCCURRENCE = {"mentions": ["start_char", "end_char"]}  # tables keyed with an occurrence index, in this order
IGNORED = {"mentions": {"mention_id", "seg_id", "start_char", "end_char"}}
LIST_COLUMNS = {"aliases", "methods"}
KINDS = ("added", "removed", "changed")


def _read(folder: Path, name: str) -> pd.DataFrame | None:
    parquet, csv = folder / f"{name}.parquet", folder / f"{name}.csv"
    if parquet.exists():
        return pq.read_table(parquet).to_pandas()
    if csv.exists():
        try:
            return pd.read_csv(csv, dtype=str, keep_default_na=False)
        except pd.errors.EmptyDataError:  # no header at all: an empty table
            return pd.DataFrame(columns=KEYS[name])
    return None


def _plain(value, column: str = ""):
    """A cell as a comparable, JSON-ready Python value."""
    if column in LIST_COLUMNS:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return []
        if isinstance(value, str):
            return [part for part in value.split("|") if part]
        return [str(part) for part in value]
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if hasattr(value, "item") and not isinstance(value, (list, tuple, str)):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, tuple):
        value = list(value)
    return value


def _same(a, b, tolerance: float = 1e-9) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return _as_bool(a) == _as_bool(b)
    if isinstance(a, (int, float)) or isinstance(b, (int, float)):
        try:
            return math.isclose(float(a), float(b), rel_tol=0, abs_tol=tolerance)
        except (TypeError, ValueError):
            return str(a) == str(b)
    return a == b


def _as_bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def _records(frame: pd.DataFrame, name: str) -> dict[tuple, dict]:
    """Rows keyed by the table's stable key (with an occurrence index where the key repeats)."""
    key = [c for c in KEYS[name] if c in frame.columns]
    rows = [{c: _plain(v, c) for c, v in record.items()} for record in frame.to_dict("records")]
    order = [c for c in OCCURRENCE.get(name, []) if c in frame.columns]

    def sort_key(row):
        return tuple(_num(row.get(c)) for c in order) + tuple(str(row.get(c)) for c in sorted(row))

    rows.sort(key=sort_key)
    keyed, seen = {}, {}
    for row in rows:
        base = tuple(str(row.get(c, "")) for c in key)
        n = seen.get(base, 0)
        seen[base] = n + 1
        # tables whose key is unique get no occurrence in the key unless it repeats
        full = base + (n,) if (name in OCCURRENCE or n) else base
        keyed[full] = row
    return keyed


def _num(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("inf")


def _key_dict(name: str, key: tuple) -> dict:
    names = KEYS[name] + (["occurrence"] if len(key) > len(KEYS[name]) else [])
    return dict(zip(names, key))


def diff_table(name: str, old: pd.DataFrame | None, new: pd.DataFrame | None, tolerance: float = 1e-9) -> dict:
    """added / removed / changed rows of one table (a missing side counts as empty)."""
    result = {"key": KEYS[name] + (["occurrence"] if name in OCCURRENCE else []),
              "n_old": 0 if old is None else len(old), "n_new": 0 if new is None else len(new),
              "missing": [side for side, f in (("old", old), ("new", new)) if f is None],
              "columns_added": [], "columns_removed": [], "added": [], "removed": [], "changed": []}
    if old is None and new is None:
        return result
    old_cols = list(old.columns) if old is not None else list(new.columns)
    new_cols = list(new.columns) if new is not None else list(old.columns)
    if old is not None and new is not None:
        result["columns_added"] = [c for c in new_cols if c not in old_cols]
        result["columns_removed"] = [c for c in old_cols if c not in new_cols]
    old_rows = _records(old, name) if old is not None else {}
    new_rows = _records(new, name) if new is not None else {}
    compared = [c for c in old_cols if c in new_cols and c not in IGNORED.get(name, set())]
    for key in sorted(new_rows.keys() - old_rows.keys(), key=str):
        result["added"].append(new_rows[key])
    for key in sorted(old_rows.keys() - new_rows.keys(), key=str):
        result["removed"].append(old_rows[key])
    for key in sorted(old_rows.keys() & new_rows.keys(), key=str):
        a, b = old_rows[key], new_rows[key]
        changes = {c: [a.get(c), b.get(c)] for c in compared if not _same(a.get(c), b.get(c), tolerance)}
        if changes:
            result["changed"].append({"key": _key_dict(name, key), "changes": changes})
    return result


def diff_outputs(old_dir, new_dir, tables=None, tolerance: float = 1e-9) -> dict:
    """Compare two output folders; ``{"tables": {name: {...}}, "totals": {...}, "notes": [...]}``.

    ``tolerance``: numbers closer than this are equal (``0.01`` ignores score shifts below a point).
    """
    old_dir, new_dir = Path(old_dir), Path(new_dir)
    for folder in (old_dir, new_dir):
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder}: no such output folder")
    result = {"old": str(old_dir), "new": str(new_dir), "tables": {}, "notes": []}
    for name in tables or KEYS:
        result["tables"][name] = diff_table(name, _read(old_dir, name), _read(new_dir, name), tolerance)
    result["totals"] = {kind: sum(len(t[kind]) for t in result["tables"].values()) for kind in KINDS}
    manifests = []
    for folder in (old_dir, new_dir):
        path = folder / "manifest.json"
        manifests.append(json.loads(path.read_text(encoding="utf-8")) if path.exists() else {})
    if manifests[0].get("config_hash") != manifests[1].get("config_hash"):
        result["notes"].append(f"config hash differs: {manifests[0].get('config_hash')} -> "
                               f"{manifests[1].get('config_hash')}")
    old_v, new_v = manifests[0].get("versions") or {}, manifests[1].get("versions") or {}
    for name in sorted(set(old_v) | set(new_v)):
        if old_v.get(name) != new_v.get(name):
            result["notes"].append(f"version of {name} differs: {old_v.get(name)} -> {new_v.get(name)}")
    for name, table in result["tables"].items():
        for side in table["missing"]:
            result["notes"].append(f"{name}: missing in the {side} folder")
    return result


def parse_fail_on(text: str | None) -> list[str]:
    """``"added,changed"`` -> ["added", "changed"]; ValueError names an unknown kind."""
    if not text:
        return []
    kinds = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise ValueError(f"--fail-on: unknown kind {', '.join(unknown)} (choose from {', '.join(KINDS)})")
    return kinds


def fails(diff: dict, fail_on) -> bool:
    """True when the diff holds a change of one of the kinds in ``fail_on`` (a list or 'a,b' string)."""
    kinds = parse_fail_on(fail_on) if isinstance(fail_on, str) else list(fail_on or [])
    return any(diff["totals"].get(kind, 0) for kind in kinds)


def _clip(value, width: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def _short(row: dict, columns: list[str]) -> str:
    return ", ".join(f"{c}={_clip(row[c])}" for c in columns if c in row)


SHOWN = {
    "documents": ["doc_id", "status"],
    "mentions": ["doc_id", "text", "label", "start_char", "entity_id"],
    "entities": ["entity_id", "canonical", "label", "lang"],
    "alignments": ["en_term", "id_term", "label", "method", "score"],
}


def format_summary(diff: dict, limit: int = 5) -> str:
    """Counts per table, then the first ``limit`` rows of each kind of change."""
    lines = [f"{diff['old']} -> {diff['new']}"]
    totals = diff["totals"]
    if not any(totals.values()):
        lines.append("no change in " + ", ".join(diff["tables"]))
    width = max(len(n) for n in diff["tables"]) if diff["tables"] else 0
    for name, table in diff["tables"].items():
        counts = ", ".join(f"{len(table[k])} {k}" for k in KINDS)
        lines.append(f"  {name:<{width}}  {counts}  (rows {table['n_old']} -> {table['n_new']})")
        for side in ("columns_added", "columns_removed"):
            if table[side]:
                lines.append(f"    {side.replace('_', ' ')}: {', '.join(table[side])}")
    for name, table in diff["tables"].items():
        for kind in ("added", "removed"):
            rows = table[kind]
            for row in rows[:limit]:
                lines.append(f"  {'+' if kind == 'added' else '-'} {name}: {_short(row, SHOWN.get(name, list(row)))}")
            if len(rows) > limit:
                lines.append(f"    ... {len(rows) - limit} more {kind} in {name}")
        for item in table["changed"][:limit]:
            what = "; ".join(f"{c}: {_clip(a)} -> {_clip(b)}" for c, (a, b) in item["changes"].items())
            lines.append(f"  ~ {name}: {_short(item['key'], list(item['key']))}: {what}")
        if len(table["changed"]) > limit:
            lines.append(f"    ... {len(table['changed']) - limit} more changed in {name}")
    for note in diff["notes"]:
        lines.append(f"  note: {note}")
    return "\n".join(lines)


def write_json(diff: dict, path) -> None:
    Path(path).write_text(json.dumps(diff, indent=2, ensure_ascii=False, sort_keys=True, default=str) + "\n",
                          encoding="utf-8")
