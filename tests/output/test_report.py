"""The HTML report (pipeline/output/report.py): escaping, text sources, tolerated table variants, size, browser."""
from __future__ import annotations

import hashlib
import json
import re
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest

from pipeline.output.report import MAX_TEXTS, build_report

CHROMIUM = Path("/usr/bin/chromium")
XSS_SCRIPT = "<script>document.title='XSS'</script>"
XSS_IMG = "<img src=x onerror=\"document.body.setAttribute('data-xss','1')\">"


def _sentences(text: str, doc_id: str, lang: str) -> list[dict]:
    """One segment per line (enough for hand-built documents)."""
    rows, start = [], 0
    for seg_id, line in enumerate(text.split("\n")):
        if line:
            rows.append({"doc_id": doc_id, "seg_id": seg_id, "start_char": start, "end_char": start + len(line),
                         "lang": lang, "lang_score": 1.0, "text": line})
        start += len(line) + 1
    return rows


def make_output(folder: Path, docs: dict[str, tuple[str, str]], names: dict[str, list[tuple[str, str]]],
                methods_as="string", write_inputs=True, fmt="parquet", extra_column=False) -> Path:
    """A hand-built output folder: docs = {path: (lang, text)}, names = {path: [(text, label), ...]}.

    Every name becomes one entity per language; same-text names in en and id documents are aligned.
    """
    inp = folder / "input"
    out = folder / "out"
    out.mkdir(parents=True)
    documents, segments, mentions, entities, alignments = [], [], [], [], []
    for path, (lang, text) in docs.items():
        doc_id = path.rsplit(".", 1)[0]
        data = text.encode("utf-8")
        if write_inputs:
            (inp / path).parent.mkdir(parents=True, exist_ok=True)
            (inp / path).write_bytes(data)
        segs = _sentences(text, doc_id, lang)
        segments += segs
        n = 0
        for name, label in names.get(path, []):
            for match in re.finditer(re.escape(name), text):
                s, e = match.span()
                seg = next(x["seg_id"] for x in segs if x["start_char"] <= s < x["end_char"])
                ent = f"{lang}_" + hashlib.sha256(f"{lang}|{name}".encode()).hexdigest()[:12]
                mentions.append({"doc_id": doc_id, "mention_id": f"{doc_id}:{s}-{e}", "seg_id": seg,
                                 "start_char": s, "end_char": e, "text": name, "label": label,
                                 "model_label": label, "lang": lang, "source": "model", "entity_id": ent})
                n += 1
        documents.append({"doc_id": doc_id, "path": path, "sha256": hashlib.sha256(data).hexdigest(), "lang": lang,
                          "lang_score": 1.0, "is_mixed": False, "n_chars": len(text), "n_tokens": len(text.split()),
                          "n_mentions": n, "status": "ok", "reason": "", "encoding": "utf-8",
                          "n_segments": len(segs)})
    frame = pd.DataFrame(mentions)
    if len(frame):
        for (ent, text, label, lang), group in frame.groupby(["entity_id", "text", "label", "lang"]):
            entities.append({"entity_id": ent, "canonical": text, "label": label, "lang": lang,
                             "aliases": [text.upper()] if fmt == "parquet" else text.upper(),
                             "n_mentions": len(group), "n_docs": group["doc_id"].nunique(), "external_id": ""})
        by_text = {}
        for ent in entities:
            by_text.setdefault(ent["canonical"], {})[ent["lang"]] = ent
        for text, pair in sorted(by_text.items()):
            if "en" in pair and "id" in pair:
                row = {"en_entity_id": pair["en"]["entity_id"], "id_entity_id": pair["id"]["entity_id"],
                       "en_term": text, "id_term": text, "label": pair["en"]["label"], "method": "identical",
                       "score": 1.0, "evidence": f"same name {text.lower()!r}"}
                if methods_as == "string":
                    row["methods"] = "identical|glossary"
                elif methods_as == "list":
                    row["methods"] = ["identical", "glossary"]
                if extra_column:
                    row["concept_id"] = "c_" + pair["en"]["entity_id"][3:]
                alignments.append(row)
    tables = {"documents": documents, "segments": segments, "mentions": mentions, "entities": entities,
              "alignments": alignments}
    for name, rows in tables.items():
        frame = pd.DataFrame(rows)
        if fmt == "parquet":
            frame.to_parquet(out / f"{name}.parquet", index=False)
        else:
            frame.to_csv(out / f"{name}.csv", index=False)
    (out / "manifest.json").write_text(json.dumps({"input": str(inp), "config_hash": "test",
                                                   "versions": {"pipeline": "test"}, "warnings": []}))
    return out


NASTY_EN = (f"NATO met in Brussels. {XSS_SCRIPT}\n"
            f"The name {XSS_IMG} is not an entity.\n"
            "Jens Stoltenberg & <b>friends</b> spoke.")
NASTY_ID = "NATO bertemu di Brussels.\nJens Stoltenberg berbicara."


@pytest.fixture()
def nasty(tmp_path) -> Path:
    docs = {"en/<script>alert(1)</script>.txt": ("en", NASTY_EN), "id/berita.txt": ("id", NASTY_ID)}
    names = {"en/<script>alert(1)</script>.txt": [("NATO", "ORG"), ("Brussels", "GPE"),
                                                  ("Jens Stoltenberg", "PER"), (XSS_SCRIPT, "MISC")],
             "id/berita.txt": [("NATO", "ORG"), ("Brussels", "GPE"), ("Jens Stoltenberg", "PER")]}
    return make_output(tmp_path, docs, names)


def test_every_text_and_name_is_escaped(nasty):
    page = build_report(nasty).read_text(encoding="utf-8")
    assert page.count("<script") == 1  # the report's own script only
    assert "<img" not in page and "<b>friends" not in page
    assert "&lt;script&gt;document.title=&#x27;XSS&#x27;&lt;/script&gt;" in page or \
        "&lt;script&gt;document.title='XSS'&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the doc_id and path
    assert "Content-Security-Policy" in page and "script-src 'sha256-" in page  # only the report's script runs


def test_report_is_self_contained_and_highlights(nasty):
    page = build_report(nasty, nasty / "r.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing from the network
    assert page.count('class="entity"') >= 7  # displaCy marks, one per mention
    assert 'id="alignments"' in page and "same name &#x27;nato&#x27;" in page
    assert "<svg" in page  # charts inline
    assert "Text rebuilt" not in page  # read from the input files
    assert build_report(nasty, nasty / "r2.html").read_text(encoding="utf-8") == page  # deterministic


@pytest.mark.parametrize("methods_as", ["string", "list", "absent"])
@pytest.mark.parametrize("extra_column", [False, True])
def test_methods_as_string_or_list_and_extra_columns(tmp_path, methods_as, extra_column):
    out = make_output(tmp_path, {"en/a.txt": ("en", "NATO in Kabul."), "id/a.txt": ("id", "NATO di Kabul.")},
                      {"en/a.txt": [("NATO", "ORG"), ("Kabul", "GPE")], "id/a.txt": [("NATO", "ORG"), ("Kabul", "GPE")]},
                      methods_as=methods_as, extra_column=extra_column)
    page = build_report(out).read_text(encoding="utf-8")
    methods_cell = "<td>identical, glossary</td>" if methods_as != "absent" else "<td>identical</td><td>identical</td>"
    assert methods_cell in page
    assert "Alignment methods" in page


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_input_missing_text_rebuilt_from_segments(tmp_path, fmt):
    text = "NATO in Kabul.\n\nThe mission ended."
    out = make_output(tmp_path, {"en/a.txt": ("en", text)}, {"en/a.txt": [("NATO", "ORG"), ("Kabul", "GPE")]},
                      write_inputs=False, fmt=fmt)
    page = build_report(out).read_text(encoding="utf-8")
    assert "Text rebuilt from the segments table" in page and "not found" in page
    assert page.count('class="entity"') == 2 and "The mission ended." in page


def test_changed_input_is_not_trusted(tmp_path):
    out = make_output(tmp_path, {"en/a.txt": ("en", "NATO in Kabul.")}, {"en/a.txt": [("NATO", "ORG")]})
    (tmp_path / "input" / "en" / "a.txt").write_text("Something else entirely.")
    page = build_report(out).read_text(encoding="utf-8")
    assert "has changed since the run" in page and "NATO" in page


def test_ten_thousand_documents_stay_usable(tmp_path):
    n = 10_000
    out = tmp_path / "big"
    out.mkdir()
    ids = [f"doc{i:05d}" for i in range(n)]
    text = "NATO met in Kabul."
    pd.DataFrame({"doc_id": ids, "path": [f"{d}.txt" for d in ids], "sha256": "", "lang": "en", "lang_score": 1.0,
                  "is_mixed": False, "n_chars": len(text), "n_tokens": 4, "n_mentions": 1, "status": "ok",
                  "reason": ""}).to_parquet(out / "documents.parquet")
    pd.DataFrame({"doc_id": ids, "seg_id": 0, "start_char": 0, "end_char": len(text), "lang": "en",
                  "lang_score": 1.0, "text": text}).to_parquet(out / "segments.parquet")
    pd.DataFrame({"doc_id": ids, "mention_id": [f"{d}:0-4" for d in ids], "seg_id": 0, "start_char": 0,
                  "end_char": 4, "text": "NATO", "label": "ORG", "model_label": "ORG", "lang": "en",
                  "source": "model", "entity_id": "en_nato"}).to_parquet(out / "mentions.parquet")
    pd.DataFrame([{"entity_id": "en_nato", "canonical": "NATO", "label": "ORG", "lang": "en", "aliases": [],
                   "n_mentions": n, "n_docs": n}]).to_parquet(out / "entities.parquet")
    pd.DataFrame(columns=["en_entity_id", "id_entity_id", "en_term", "id_term", "label", "method", "score",
                          "evidence"]).astype({"score": float}).to_parquet(out / "alignments.parquet")
    started = time.perf_counter()
    page = build_report(out).read_text(encoding="utf-8")  # no manifest.json: tolerated
    assert time.perf_counter() - started < 60
    assert page.count('<div class="doc"') == MAX_TEXTS
    assert f"shown for the first {MAX_TEXTS:,} of 10,000 documents" in page
    assert page.count("<tr>") >= n  # the index lists them all, paged by the script
    assert len(page) < 20_000_000


@pytest.mark.models
@pytest.mark.slow
def test_report_of_a_real_run(raw_run, tmp_path):
    from pipeline.cli import main

    html = tmp_path / "report.html"
    assert main(["report", str(raw_run), "--html", str(html)]) == 0
    page = html.read_text(encoding="utf-8")
    documents = pd.read_parquet(raw_run / "documents.parquet")
    assert page.count('<div class="doc"') == len(documents)
    assert "Text rebuilt" not in page and "do not match" not in page
    assert page.count('class="entity"') == len(pd.read_parquet(raw_run / "mentions.parquet"))
    assert main(["report", str(tmp_path / "missing")]) == 2


def _chromium(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'chromium-profile'}"]
    return subprocess.run([str(CHROMIUM), *flags, *args], capture_output=True, text=True, timeout=120)


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="headless browser test: /usr/bin/chromium is absent "
                    "(Debian: apt-get install -y chromium)")
def test_report_in_headless_chromium(nasty, tmp_path):
    report = build_report(nasty)
    url = report.resolve().as_uri()
    shot = tmp_path / "report.png"
    result = _chromium(f"--screenshot={shot}", "--window-size=1200,1600", url, tmp_path=tmp_path)
    assert shot.exists() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", result.stderr[-2000:]
    assert shot.stat().st_size > 10_000
    dom = _chromium("--dump-dom", url, tmp_path=tmp_path).stdout
    assert dom.count('class="entity"') >= 7                      # the highlights are there
    assert re.search(r'<table id="alignments" class="data paged">.*?<td>NATO</td>', dom, re.S)
    assert re.search(r"page 1 of 1 \(\d+ of \d+ rows\)", dom)   # the inline script ran
    assert "<title>XSS</title>" not in dom and 'data-xss="1"' not in dom  # the injected code did not
    assert "&lt;script&gt;document.title" in dom


@pytest.mark.parametrize("status, reason", [("error", "cannot decode <b>bytes</b>"), ("skipped", "language fr")])
def test_documents_not_processed_show_status_and_reason(tmp_path, status, reason):
    out = make_output(tmp_path, {"en/a.txt": ("en", "NATO in Kabul.")}, {"en/a.txt": [("NATO", "ORG")]})
    docs = pd.read_parquet(out / "documents.parquet")
    extra = {**docs.iloc[0].to_dict(), "doc_id": "fr/b", "path": "fr/b.txt", "status": status, "reason": reason,
             "n_mentions": 0}
    pd.concat([docs, pd.DataFrame([extra])]).to_parquet(out / "documents.parquet", index=False)
    page = build_report(out).read_text(encoding="utf-8")
    assert f'<span class="status-{status}">{status}</span>: ' in page
    assert "<b>bytes" not in page and ("&lt;b&gt;bytes" in page or reason in page)
    assert page.count('<div class="doc"') == 2
