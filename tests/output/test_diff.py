"""Table diff (pipeline/output/diff.py): stable keys, tolerated variants, summary, JSON, exit codes."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.output.diff import diff_outputs, fails, format_summary, parse_fail_on

from conftest import ROOT

DOCS = [{"doc_id": "en/a", "path": "en/a.txt", "sha256": "1", "lang": "en", "n_chars": 30, "status": "ok", "reason": ""}]
MENTIONS = [  # "NATO ... Kabul ... NATO"
    {"doc_id": "en/a", "mention_id": "en/a:0-4", "seg_id": 0, "start_char": 0, "end_char": 4, "text": "NATO",
     "label": "ORG", "lang": "en", "source": "model", "entity_id": "en_nato"},
    {"doc_id": "en/a", "mention_id": "en/a:8-13", "seg_id": 0, "start_char": 8, "end_char": 13, "text": "Kabul",
     "label": "GPE", "lang": "en", "source": "ruler", "entity_id": "en_kabul"},
    {"doc_id": "en/a", "mention_id": "en/a:20-24", "seg_id": 1, "start_char": 20, "end_char": 24, "text": "NATO",
     "label": "ORG", "lang": "en", "source": "model", "entity_id": "en_nato"},
]
ENTITIES = [
    {"entity_id": "en_kabul", "canonical": "Kabul", "label": "GPE", "lang": "en", "aliases": [], "n_mentions": 1, "n_docs": 1},
    {"entity_id": "en_nato", "canonical": "NATO", "label": "ORG", "lang": "en", "aliases": ["North Atlantic Treaty Organization"],
     "n_mentions": 2, "n_docs": 1},
]
ALIGNMENTS = [{"en_entity_id": "en_nato", "id_entity_id": "id_nato", "en_term": "NATO", "id_term": "NATO", "label": "ORG",
               "method": "identical", "score": 1.0, "evidence": "same name 'nato'", "methods": "identical|acronym"}]


def tables(**changes) -> dict[str, list[dict]]:
    base = {"documents": DOCS, "mentions": MENTIONS, "entities": ENTITIES, "alignments": ALIGNMENTS}
    return {name: [dict(r) for r in changes.get(name, rows)] for name, rows in base.items()}


def write(folder: Path, data: dict[str, list[dict]], fmt: str = "parquet", manifest: dict | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in data.items():
        frame = pd.DataFrame(rows)
        if fmt == "csv":
            for column in ("aliases", "methods"):
                if column in frame:
                    frame[column] = frame[column].map(lambda v: v if isinstance(v, str) else "|".join(v))
            frame.to_csv(folder / f"{name}.csv", index=False)
        else:
            frame.to_parquet(folder / f"{name}.parquet", index=False)
    (folder / "manifest.json").write_text(json.dumps(manifest or {"config_hash": "h", "versions": {"pipeline": "1"}}))
    return folder


def shifted(rows: list[dict], by: int) -> list[dict]:
    out = []
    for row in rows:
        s, e = row["start_char"] + by, row["end_char"] + by
        out.append({**row, "start_char": s, "end_char": e, "seg_id": row["seg_id"] + 1,
                    "mention_id": f"{row['doc_id']}:{s}-{e}"})
    return out


NEW_MENTION = {"doc_id": "en/a", "mention_id": "en/a:40-45", "seg_id": 2, "start_char": 40, "end_char": 45,
               "text": "Herat", "label": "GPE", "lang": "en", "source": "model", "entity_id": "en_herat"}
NEW_ENTITY = {"entity_id": "en_herat", "canonical": "Herat", "label": "GPE", "lang": "en", "aliases": [],
              "n_mentions": 1, "n_docs": 1}


@pytest.mark.parametrize("new, expected", [
    (tables(), {}),
    (tables(mentions=shifted(MENTIONS, 17)), {}),                            # offsets shifted: not a change
    (tables(alignments=[{**ALIGNMENTS[0], "methods": ["identical", "acronym"]}]), {}),  # list vs '|' string
    (tables(alignments=[{**ALIGNMENTS[0], "concept_id": "c1"}]), {}),         # an extra column
    (tables(mentions=MENTIONS + [NEW_MENTION], entities=ENTITIES + [NEW_ENTITY]),
     {("mentions", "added"): 1, ("entities", "added"): 1}),
    (tables(mentions=MENTIONS[:2]), {("mentions", "removed"): 1}),            # the second NATO is gone
    (tables(mentions=[MENTIONS[0], {**MENTIONS[1], "label": "LOC"}, MENTIONS[2]]),
     {("mentions", "added"): 1, ("mentions", "removed"): 1}),                 # label is part of the key
    (tables(mentions=[MENTIONS[0], {**MENTIONS[1], "source": "model"}, MENTIONS[2]]), {("mentions", "changed"): 1}),
    (tables(entities=[ENTITIES[0], {**ENTITIES[1], "aliases": []}]), {("entities", "changed"): 1}),
    (tables(alignments=[{**ALIGNMENTS[0], "score": 0.9}]), {("alignments", "changed"): 1}),
    (tables(alignments=[]), {("alignments", "removed"): 1}),
    (tables(documents=[{**DOCS[0], "status": "error", "reason": "bad bytes"}]), {("documents", "changed"): 1}),
])
def test_diff_on_hand_built_tables(tmp_path, new, expected):
    old_dir = write(tmp_path / "old", tables())
    new_dir = write(tmp_path / "new", new)
    diff = diff_outputs(old_dir, new_dir)
    got = {(name, kind): len(t[kind]) for name, t in diff["tables"].items()
           for kind in ("added", "removed", "changed") if t[kind]}
    assert got == expected, format_summary(diff)


def test_extra_column_is_listed_not_compared(tmp_path):
    diff = diff_outputs(write(tmp_path / "old", tables()),
                        write(tmp_path / "new", tables(alignments=[{**ALIGNMENTS[0], "concept_id": "c1"}])))
    assert diff["tables"]["alignments"]["columns_added"] == ["concept_id"]
    assert "columns added: concept_id" in format_summary(diff)


@pytest.mark.parametrize("old_fmt, new_fmt", [("parquet", "csv"), ("csv", "parquet"), ("csv", "csv")])
def test_csv_and_parquet_compare_equal(tmp_path, old_fmt, new_fmt):
    diff = diff_outputs(write(tmp_path / "old", tables(), old_fmt), write(tmp_path / "new", tables(), new_fmt))
    assert diff["totals"] == {"added": 0, "removed": 0, "changed": 0}, format_summary(diff)


def test_summary_json_and_notes(tmp_path):
    old_dir = write(tmp_path / "old", tables())
    new_dir = write(tmp_path / "new", tables(mentions=MENTIONS + [NEW_MENTION], entities=ENTITIES + [NEW_ENTITY]),
                    manifest={"config_hash": "other", "versions": {"pipeline": "2"}})
    diff = diff_outputs(old_dir, new_dir)
    text = format_summary(diff)
    assert "mentions    1 added, 0 removed, 0 changed  (rows 3 -> 4)" in text
    assert "+ mentions: doc_id='en/a', text='Herat', label='GPE'" in text
    assert "+ entities: entity_id='en_herat', canonical='Herat'" in text
    assert "note: config hash differs: h -> other" in text and "version of pipeline differs: 1 -> 2" in text
    out = tmp_path / "diff.json"
    assert main(["diff", str(old_dir), str(new_dir), "--json", str(out)]) == 0
    saved = json.loads(out.read_text())
    assert saved["totals"] == {"added": 2, "removed": 0, "changed": 0}
    assert saved["tables"]["mentions"]["added"][0]["text"] == "Herat"
    assert saved["tables"]["mentions"]["key"] == ["doc_id", "text", "label", "occurrence"]


@pytest.mark.parametrize("fail_on, code", [("", 0), ("added", 1), ("removed", 0), ("changed", 1),
                                           ("removed,changed", 1), ("added,removed,changed", 1)])
def test_fail_on_exit_codes(tmp_path, fail_on, code):
    new = tables(mentions=MENTIONS + [NEW_MENTION], entities=ENTITIES + [NEW_ENTITY],
                 documents=[{**DOCS[0], "sha256": "2"}])
    old_dir, new_dir = write(tmp_path / "old", tables()), write(tmp_path / "new", new)
    args = ["diff", str(old_dir), str(new_dir)] + (["--fail-on", fail_on] if fail_on else [])
    assert main(args) == code


def test_tolerance_and_bad_usage(tmp_path, capsys):
    old_dir = write(tmp_path / "old", tables())
    new_dir = write(tmp_path / "new", tables(alignments=[{**ALIGNMENTS[0], "score": 0.995}]))
    assert main(["diff", str(old_dir), str(new_dir), "--fail-on", "changed"]) == 1
    assert main(["diff", str(old_dir), str(new_dir), "--fail-on", "changed", "--tolerance", "0.01"]) == 0
    assert main(["diff", str(old_dir), str(new_dir), "--fail-on", "renamed"]) == 2
    assert main(["diff", str(old_dir), str(tmp_path / "absent")]) == 2
    assert "no such output folder" in capsys.readouterr().err
    with pytest.raises(ValueError):
        parse_fail_on("added,nope")
    assert fails({"totals": {"added": 1, "removed": 0, "changed": 0}}, "added")


def test_missing_table_counts_as_empty(tmp_path):
    old_dir = write(tmp_path / "old", tables())
    new_dir = write(tmp_path / "new", tables())
    (new_dir / "alignments.parquet").unlink()
    diff = diff_outputs(old_dir, new_dir)
    assert len(diff["tables"]["alignments"]["removed"]) == 1
    assert "alignments: missing in the new folder" in diff["notes"]


# --- on real runs of raw/ ---------------------------------------------------------------------------------

@pytest.mark.models
@pytest.mark.slow
def test_two_runs_of_raw_show_no_change(raw_run, tmp_path, capsys):
    again = tmp_path / "again"
    assert main(["run", "--input", str(ROOT / "raw"), "--output", str(again), "--quiet"]) == 0
    assert main(["diff", str(raw_run), str(again), "--fail-on", "added,removed,changed"]) == 0
    assert "no change in documents, mentions, entities, alignments" in capsys.readouterr().out


@pytest.mark.models
@pytest.mark.slow
def test_one_new_sentence_is_one_added_mention_and_entity(raw_run, tmp_path, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "raw", raw)
    doc = raw / "en" / "iraq_libya_brief.md"
    text = doc.read_text(encoding="utf-8")
    assert "In March 2011 the UN" in text
    # one sentence with one new name, early in the document: every later offset shifts
    doc.write_text(text.replace("In March 2011 the UN", "The envoy Margaret Holloway visited the region. "
                                                        "In March 2011 the UN"), encoding="utf-8")
    edited = tmp_path / "edited"
    assert main(["run", "--input", str(raw), "--output", str(edited), "--quiet"]) == 0
    capsys.readouterr()
    out = tmp_path / "diff.json"
    assert main(["diff", str(raw_run), str(edited), "--fail-on", "added", "--json", str(out)]) == 1
    summary = capsys.readouterr().out
    diff = json.loads(out.read_text())
    tables_ = diff["tables"]
    assert [(m["text"], m["label"]) for m in tables_["mentions"]["added"]] == [("Margaret Holloway", "PER")], summary
    assert [e["canonical"] for e in tables_["entities"]["added"]] == ["Margaret Holloway"], summary
    assert tables_["entities"]["added"][0]["entity_id"] == tables_["mentions"]["added"][0]["entity_id"]
    for name in ("mentions", "entities"):
        assert not tables_[name]["removed"] and not tables_[name]["changed"], summary
    assert not tables_["alignments"]["added"] and not tables_["alignments"]["removed"], summary
    assert [c["key"]["doc_id"] for c in tables_["documents"]["changed"]] == ["en/iraq_libya_brief.md"]
    assert main(["diff", str(raw_run), str(edited), "--fail-on", "removed"]) == 0
