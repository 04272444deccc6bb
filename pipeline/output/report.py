"""One self-contained HTML report of an output folder: ``python -m pipeline report OUT``.

Per document: the text with its mentions highlighted by label (spaCy's displaCy, from the
character spans), its language segments and its status. For the corpus: entity counts by label
and language, the top entities, the alignment table (searchable, sortable, paged by a small
inline script) and three charts drawn by matplotlib as inline SVG. Nothing is loaded from the
network: styles, script and charts are in the file.

The tables hold each sentence's text but not the text between sentences, so the document text is
read from the input file (manifest.json ``input`` + documents ``path``, decoded with the recorded
``encoding`` and checked against the recorded sha256). When that file is missing or has changed,
the text is rebuilt from the segments table and the report says so.

Every piece of text from the tables or the input is HTML-escaped: displaCy escapes the document
text; everything else goes through :func:`html.escape` here.
"""
from __future__ import annotations

import hashlib
import html
import io
import json
from collections import Counter
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

TABLES = ("documents", "segments", "mentions", "entities", "alignments")
LIST_COLUMNS = ("aliases", "methods")
MAX_TEXTS = 200          # documents whose full highlighted text is shown
MAX_DOCUMENT_ROWS = 10_000   # rows of the documents index table
MAX_ALIGNMENT_ROWS = 10_000  # rows of the alignment table
TOP_ENTITIES = 20        # per language
PAGE_SIZE = 50           # rows per page in the paged tables

# displaCy knows spaCy's English labels; ours are the contract's vocabulary.
LABEL_COLORS = {
    "PER": "#aa9cfc", "ORG": "#7aecec", "GPE": "#feca74", "LOC": "#ff9561", "NORP": "#c887fb",
    "EVENT": "#ffeb80", "LAW": "#ff8197", "MISC": "#e4e7d2", "DATE": "#bfe1d9", "TIME": "#bfe1d9",
    "MONEY": "#e4e7d2", "PERCENT": "#e4e7d2", "QUANTITY": "#e4e7d2", "CARDINAL": "#e4e7d2",
    "ORDINAL": "#e4e7d2",
}


def esc(value) -> str:
    """Any value as escaped HTML text (quotes too: safe in attributes)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def as_list(value) -> list[str]:
    """A list column's value as a list, whether a list/array (Parquet) or a '|'-joined string (CSV)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    if isinstance(value, str):
        return [part for part in value.split("|") if part]
    return [str(part) for part in value]


def read_output_table(output_dir: Path, name: str) -> pd.DataFrame | None:
    """A table of an output folder: Parquet when present, else the CSV (empty strings kept); None if absent."""
    output_dir = Path(output_dir)
    parquet, csv = output_dir / f"{name}.parquet", output_dir / f"{name}.csv"
    if parquet.exists():
        frame = pq.read_table(parquet).to_pandas()
    elif csv.exists():
        try:
            frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
        except pd.errors.EmptyDataError:  # a table with no columns at all
            return None
        for column in frame.columns:  # numbers back to numbers; text stays text
            if column in ("start_char", "end_char", "seg_id", "n_chars", "n_tokens", "n_mentions",
                          "n_docs", "n_segments", "score", "lang_score"):
                frame[column] = pd.to_numeric(frame[column], errors="coerce")
    else:
        return None
    for column in frame.columns:
        if frame[column].dtype != object and str(frame[column].dtype).startswith("str"):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), "")
    return frame


def _column(frame: pd.DataFrame, name: str, default="") -> pd.Series:
    return frame[name] if name in frame.columns else pd.Series([default] * len(frame), index=frame.index)


# --- document text ---------------------------------------------------------------------------

def _input_dirs(output_dir: Path, manifest: dict, input_dir: Path | None) -> list[Path]:
    if input_dir is not None:
        return [Path(input_dir)]
    given = manifest.get("input")
    if not given:
        return []
    given = Path(given)
    if given.is_absolute():
        return [given]
    return [Path.cwd() / given, output_dir.parent / given, output_dir / given]


def _text_from_file(doc: dict, dirs: list[Path]) -> tuple[str | None, str]:
    """The decoded input text, or None and why not."""
    path = doc.get("path") or ""
    if not dirs:
        return None, "manifest.json names no input folder"
    for folder in dirs:
        candidate = folder / path
        if candidate.is_file():
            data = candidate.read_bytes()
            sha = doc.get("sha256") or ""
            if sha and hashlib.sha256(data).hexdigest() != sha:
                return None, f"{candidate} has changed since the run (sha256 differs)"
            encoding = doc.get("encoding") or "utf-8"
            try:
                text = data.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                return None, f"{candidate} cannot be decoded as {encoding}"
            if encoding == "utf-8" and text.startswith("\ufeff"):
                text = text[1:]
            return text, ""
    return None, f"input file {path} not found under {', '.join(str(d) for d in dirs)}"


def _text_from_segments(segments: pd.DataFrame, n_chars: int) -> str:
    """The document text rebuilt from its sentences; what lies between them becomes spaces or a line break."""
    chars = [" "] * max(n_chars, int(segments["end_char"].max()) if len(segments) else 0)
    covered = [False] * len(chars)
    for start, end, text in zip(segments["start_char"], segments["end_char"], _column(segments, "text")):
        start, end, text = int(start), int(end), str(text or "")
        for i, ch in enumerate(text[: end - start]):
            chars[start + i] = ch
            covered[start + i] = True
    # a gap of 2+ characters between sentences is most likely a paragraph break
    i = 0
    while i < len(chars):
        if not covered[i]:
            j = i
            while j < len(chars) and not covered[j]:
                j += 1
            if j - i >= 2 and i > 0:
                chars[i] = "\n"
            i = j
        else:
            i += 1
    return "".join(chars)


def _spans(mentions: pd.DataFrame, text: str) -> list[dict]:
    """Sorted, non-overlapping spans for displaCy (the longer of two overlapping mentions wins)."""
    spans = []
    for start, end, label in sorted(zip(mentions["start_char"], mentions["end_char"], mentions["label"]),
                                    key=lambda s: (int(s[0]), -int(s[1]))):
        start, end = int(start), int(end)
        if not (0 <= start < end <= len(text)) or (spans and start < spans[-1]["end"]):
            continue
        spans.append({"start": start, "end": end, "label": esc(label)})
    return spans


def _render_text(text: str, spans: list[dict]) -> str:
    from spacy import displacy

    labels = {span["label"] for span in spans}
    colors = {label: LABEL_COLORS.get(html.unescape(label), "#ddd") for label in labels}
    return displacy.render({"text": text, "ents": spans}, style="ent", manual=True, jupyter=False,
                           options={"colors": colors})


# --- charts ----------------------------------------------------------------------------------

def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    import matplotlib.pyplot as plt

    plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]  # drop the XML prologue and doctype


def _charts(mentions: pd.DataFrame, alignments: pd.DataFrame, segments: pd.DataFrame,
            documents: pd.DataFrame) -> list[tuple[str, str]]:
    """(title, inline SVG) for: mentions per label and language, alignment methods, language mix."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "report"  # stable ids: two reports of one folder are identical
    plt.rcParams["svg.fonttype"] = "path"
    charts = []
    if len(mentions):
        counts = pd.crosstab(mentions["label"], mentions["lang"])
        counts = counts.loc[counts.sum(axis=1).sort_values().index]
        fig, ax = plt.subplots(figsize=(6, 0.3 * len(counts) + 1.2))
        counts.plot.barh(ax=ax, width=0.8)
        ax.set_xlabel("mentions")
        ax.set_ylabel("")
        ax.legend(title="language")
        charts.append(("Mentions per label and language", _svg(fig)))
    if len(alignments):
        methods = Counter(m for agreed, strongest in zip(_column(alignments, "methods", None), alignments["method"])
                          for m in (as_list(agreed) or as_list(strongest)))
        strongest = Counter(alignments["method"])
        names = sorted(methods, key=lambda m: methods[m])
        fig, ax = plt.subplots(figsize=(6, 0.35 * len(names) + 1.2))
        ax.barh([n for n in names], [methods[n] for n in names], label="agreed (methods)", color="#9ecae1")
        ax.barh([n for n in names], [strongest.get(n, 0) for n in names], height=0.4,
                label="strongest (method)", color="#3182bd")
        ax.set_xlabel("aligned pairs")
        ax.legend()
        charts.append(("Alignment methods", _svg(fig)))
    if len(segments):
        seg = segments.assign(n=segments["end_char"] - segments["start_char"])
        doc_lang = dict(zip(documents["doc_id"], documents["lang"])) if len(documents) else {}
        seg = seg.assign(doc_lang=seg["doc_id"].map(doc_lang).fillna("und"))
        mix = seg.pivot_table(index="doc_lang", columns="lang", values="n", aggfunc="sum", fill_value=0)
        share = mix.div(mix.sum(axis=1), axis=0) * 100
        fig, ax = plt.subplots(figsize=(6, 0.5 * len(share) + 1.2))
        share.plot.barh(ax=ax, stacked=True, width=0.7)
        ax.set_xlabel("% of the sentences' characters, by sentence language")
        ax.set_ylabel("document language")
        ax.set_xlim(0, 100)
        ax.legend(title="sentence", loc="upper left", bbox_to_anchor=(1.0, 1.0))
        charts.append(("Language mix", _svg(fig)))
    return charts


# --- HTML pieces -----------------------------------------------------------------------------

def _table(columns: list[str], rows: list[list], table_id: str = "", paged: bool = False,
           raw_columns: tuple = ()) -> str:
    """An HTML table; every cell escaped unless its column is in raw_columns (already-escaped HTML)."""
    attrs = f' id="{esc(table_id)}"' if table_id else ""
    cls = ' class="data paged"' if paged else ' class="data"'
    head = "".join(f"<th>{esc(c)}</th>" for c in columns)
    body = []
    for row in rows:
        cells = "".join(f"<td>{v if c in raw_columns else esc(v)}</td>" for c, v in zip(columns, row))
        body.append(f"<tr>{cells}</tr>")
    search = (f'<input type="search" class="filter" data-table="{esc(table_id)}" placeholder="search…">'
              if paged else "")
    return f'{search}<table{attrs}{cls}><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _fmt(value, digits: int = 2) -> str:
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return "" if value is None else str(value)


STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;max-width:1200px;padding:0 1em;color:#222}
h1{margin-top:.6em} h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}
table.data{border-collapse:collapse;font-size:.85em;margin:.5em 0;width:100%}
table.data th,table.data td{border:1px solid #ddd;padding:.25em .45em;text-align:left;vertical-align:top}
table.data th{background:#f3f3f3;cursor:pointer;user-select:none}
table.data th.asc:after{content:" ▲"} table.data th.desc:after{content:" ▼"}
.filter{margin:.4em 0;padding:.3em;width:20em}
.pager{font-size:.85em;margin:.2em 0}.pager button{margin:0 .3em}
.note{background:#fff6d5;border-left:4px solid #e0b400;padding:.4em .7em;margin:.5em 0}
.status-ok{color:#17702a}.status-error{color:#b00020}.status-skipped{color:#8a6d00}
.doc{border:1px solid #ddd;border-radius:6px;padding:.2em 1em 1em;margin:1em 0}
.entities{line-height:2.4!important;font-size:.95em}
.charts{display:flex;flex-wrap:wrap;gap:1em}.charts figure{margin:0;flex:1 1 360px}
.charts svg{max-width:100%;height:auto}
nav a{margin-right:1em}
"""

# Sort on header click, filter on typing, page by PAGE_SIZE rows; no library, no network.
SCRIPT = """
(function(){
  var PAGE=%d;
  function cellValue(tr,i){var t=tr.children[i].textContent.trim();var n=parseFloat(t);
    return (t!==''&&!isNaN(n)&&/^-?[0-9.]+$/.test(t))?n:t.toLowerCase();}
  function render(table){
    var rows=Array.prototype.slice.call(table.tBodies[0].rows);
    var q=(table._query||'').toLowerCase();
    var shown=rows.filter(function(r){return !q||r.textContent.toLowerCase().indexOf(q)>=0;});
    var paged=table.classList.contains('paged');
    var pages=Math.max(1,Math.ceil(shown.length/PAGE));
    table._page=Math.min(table._page||0,pages-1);
    rows.forEach(function(r){r.style.display='none';});
    shown.forEach(function(r,i){if(!paged||Math.floor(i/PAGE)===table._page)r.style.display='';});
    var pager=table._pager;
    if(pager){pager.querySelector('span').textContent='page '+(table._page+1)+' of '+pages+
      ' ('+shown.length+' of '+rows.length+' rows)';}
  }
  document.querySelectorAll('table.data').forEach(function(table){
    table.querySelectorAll('th').forEach(function(th,i){
      th.addEventListener('click',function(){
        var asc=!th.classList.contains('asc');
        table.querySelectorAll('th').forEach(function(h){h.classList.remove('asc','desc');});
        th.classList.add(asc?'asc':'desc');
        var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
        rows.sort(function(a,b){var x=cellValue(a,i),y=cellValue(b,i);
          return (x<y?-1:x>y?1:0)*(asc?1:-1);});
        rows.forEach(function(r){body.appendChild(r);});
        table._page=0;render(table);});
    });
    if(table.classList.contains('paged')){
      var pager=document.createElement('div');pager.className='pager';
      var prev=document.createElement('button');prev.textContent='‹ previous';
      var next=document.createElement('button');next.textContent='next ›';
      pager.appendChild(prev);pager.appendChild(document.createElement('span'));pager.appendChild(next);
      table.parentNode.insertBefore(pager,table.nextSibling);table._pager=pager;
      prev.addEventListener('click',function(){table._page=Math.max(0,(table._page||0)-1);render(table);});
      next.addEventListener('click',function(){table._page=(table._page||0)+1;render(table);});
    }
    render(table);
  });
  document.querySelectorAll('input.filter').forEach(function(input){
    var table=document.getElementById(input.getAttribute('data-table'));
    input.addEventListener('input',function(){table._query=input.value;table._page=0;render(table);});
  });
})();
""" % PAGE_SIZE


def _script_hash() -> str:
    """CSP source for the one inline script: anything injected despite the escaping would not run."""
    import base64

    return "sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def build_report(output_dir, html_path=None, input_dir=None, max_texts: int = MAX_TEXTS) -> Path:
    """Write the HTML report of an output folder (default ``<output_dir>/report.html``); returns its path.

    ``input_dir`` overrides where the input documents are looked for (default: manifest.json's
    ``input``); ``max_texts`` caps the documents whose highlighted text is shown (the index table
    lists up to 10,000 documents, paged).
    """
    output_dir = Path(output_dir)
    if not output_dir.is_dir():
        raise FileNotFoundError(f"{output_dir}: no such output folder")
    html_path = Path(html_path) if html_path else output_dir / "report.html"
    manifest_file = output_dir / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8")) if manifest_file.exists() else {}
    tables = {name: read_output_table(output_dir, name) for name in TABLES}
    missing = [name for name, frame in tables.items() if frame is None]
    defaults = {
        "documents": ["doc_id", "path", "sha256", "lang", "lang_score", "is_mixed", "n_chars", "n_tokens",
                      "n_mentions", "status", "reason"],
        "segments": ["doc_id", "seg_id", "start_char", "end_char", "lang", "lang_score", "text"],
        "mentions": ["doc_id", "mention_id", "seg_id", "start_char", "end_char", "text", "label", "lang",
                     "source", "entity_id"],
        "entities": ["entity_id", "canonical", "label", "lang", "aliases", "n_mentions", "n_docs"],
        "alignments": ["en_entity_id", "id_entity_id", "en_term", "id_term", "label", "method", "score",
                       "evidence"],
    }
    for name in missing:
        tables[name] = _empty(defaults[name])
    documents, segments, mentions, entities, alignments = (tables[n] for n in TABLES)
    notes = [f"table {name} is missing (or empty) in {output_dir}" for name in missing]

    parts = []
    # -- summary
    status_counts = Counter(_column(documents, "status"))
    lang_counts = Counter(_column(documents, "lang"))
    summary = [
        ["documents", f"{len(documents):,} (" + ", ".join(f"{v:,} {k}" for k, v in sorted(status_counts.items())) + ")"],
        ["languages", ", ".join(f"{k} {v:,}" for k, v in sorted(lang_counts.items()))],
        ["mentions / entities / alignments", f"{len(mentions):,} / {len(entities):,} / {len(alignments):,}"],
        ["input", manifest.get("input", "")],
        ["run", f"{manifest.get('started', '')} – {manifest.get('finished', '')}"],
        ["config hash", manifest.get("config_hash", "")],
        ["pipeline version", (manifest.get("versions") or {}).get("pipeline", "")],
    ]
    parts.append('<h2 id="summary">Summary</h2>' + _table(["what", "value"], summary))
    warnings = manifest.get("warnings") or []
    if warnings:
        parts.append("<details><summary>%d warning(s) in the run</summary><ul>%s</ul></details>"
                     % (len(warnings), "".join(f"<li>{esc(w)}</li>" for w in warnings)))

    # -- charts
    charts = _charts(mentions, alignments, segments, documents)
    if charts:
        parts.append('<h2 id="charts">Charts</h2><div class="charts">' + "".join(
            f"<figure><figcaption><b>{esc(title)}</b></figcaption>{svg}</figure>" for title, svg in charts)
            + "</div>")

    # -- entity counts by label and language
    parts.append('<h2 id="entities">Entities</h2>')
    if len(entities):
        ent_counts = pd.crosstab(entities["label"], entities["lang"])
        men_counts = pd.crosstab(mentions["label"], mentions["lang"]) if len(mentions) else pd.DataFrame()
        langs = sorted(set(ent_counts.columns) | set(men_counts.columns))
        rows = []
        for label in sorted(set(ent_counts.index) | set(men_counts.index)):
            row = [label]
            for lang in langs:
                row.append(int(ent_counts.at[label, lang]) if label in ent_counts.index and lang in ent_counts.columns else 0)
            for lang in langs:
                row.append(int(men_counts.at[label, lang]) if label in men_counts.index and lang in men_counts.columns else 0)
            rows.append(row)
        cols = ["label"] + [f"entities {lang}" for lang in langs] + [f"mentions {lang}" for lang in langs]
        parts.append("<h3>Counts by label and language</h3>" + _table(cols, rows, "counts"))
        for lang in sorted(set(entities["lang"])):
            top = entities[entities["lang"] == lang].sort_values(
                ["n_mentions", "n_docs", "canonical"], ascending=[False, False, True]).head(TOP_ENTITIES)
            rows = [[r["canonical"], r["label"], int(r["n_mentions"]), int(r["n_docs"]),
                     ", ".join(as_list(r.get("aliases"))), r["entity_id"]] for _, r in top.iterrows()]
            parts.append(f"<h3>Top entities: {esc(lang)}</h3>" + _table(
                ["canonical", "label", "mentions", "documents", "aliases", "entity_id"], rows, f"top-{lang}"))
    else:
        parts.append("<p>No entities.</p>")

    # -- alignments
    parts.append('<h2 id="alignments">Alignments</h2>')
    shown = alignments.sort_values("score", ascending=False, kind="stable") if len(alignments) else alignments
    if len(shown) > MAX_ALIGNMENT_ROWS:
        parts.append(f'<p class="note">{len(shown):,} aligned pairs: the {MAX_ALIGNMENT_ROWS:,} with the highest '
                     f"scores are listed; alignments.parquet holds them all.</p>")
        shown = shown.head(MAX_ALIGNMENT_ROWS)
    methods = _column(shown, "methods", None)
    rows = [[r["en_term"], r["id_term"], r["label"], r["method"],
             ", ".join(as_list(m) or as_list(r["method"])), _fmt(float(r["score"])), r["evidence"],
             r["en_entity_id"], r["id_entity_id"]]
            for (_, r), m in zip(shown.iterrows(), methods)]
    parts.append(_table(["en_term", "id_term", "label", "method", "methods", "score", "evidence",
                         "en_entity_id", "id_entity_id"], rows, "alignments", paged=True))

    # -- documents index
    parts.append('<h2 id="documents">Documents</h2>')
    index = documents.sort_values("doc_id", kind="stable") if len(documents) else documents
    if len(index) > MAX_DOCUMENT_ROWS:
        parts.append(f'<p class="note">{len(index):,} documents: the first {MAX_DOCUMENT_ROWS:,} by doc_id are '
                     f"listed; documents.parquet holds them all.</p>")
        index = index.head(MAX_DOCUMENT_ROWS)
    with_text = set(index["doc_id"].head(max_texts))
    rows = [[(f'<a href="#doc-{esc(r["doc_id"])}">{esc(r["doc_id"])}</a>' if r["doc_id"] in with_text
              else esc(r["doc_id"])),
             r["path"], r["status"], r.get("reason", ""), r["lang"], _fmt(r.get("lang_score")),
             "yes" if bool(r.get("is_mixed")) else "", r.get("n_chars", ""), r.get("n_mentions", "")]
            for _, r in index.iterrows()]
    parts.append(_table(["doc_id", "path", "status", "reason", "lang", "lang_score", "mixed", "chars",
                         "mentions"], rows, "documents", paged=True, raw_columns=("doc_id",)))

    # -- per document
    if len(index) > max_texts:
        parts.append(f'<p class="note">The highlighted text is shown for the first {max_texts:,} of '
                     f"{len(index):,} documents (by doc_id); build the report with a higher cap "
                     f"(<code>build_report(..., max_texts=N)</code>) or from a smaller folder for the others.</p>")
    dirs = _input_dirs(output_dir, manifest, input_dir)
    seg_by_doc = {k: g for k, g in segments.groupby("doc_id", sort=False)} if len(segments) else {}
    men_by_doc = {k: g for k, g in mentions.groupby("doc_id", sort=False)} if len(mentions) else {}
    for _, doc in index.head(max_texts).iterrows():
        doc = doc.to_dict()
        doc_id = doc["doc_id"]
        segs = seg_by_doc.get(doc_id, _empty(defaults["segments"]))
        mens = men_by_doc.get(doc_id, _empty(defaults["mentions"]))
        status = str(doc.get("status", ""))
        head = (f'<div class="doc" id="doc-{esc(doc_id)}"><h3>{esc(doc_id)}</h3><p>'
                f'<span class="status-{esc(status)}">{esc(status)}</span>'
                + (f": {esc(doc.get('reason'))}" if doc.get("reason") else "")
                + f" · {esc(doc.get('path'))} · language {esc(doc.get('lang'))} "
                  f"({esc(_fmt(doc.get('lang_score')))})"
                + (" · mixed" if bool(doc.get("is_mixed")) else "")
                + f" · {len(mens)} mentions · {len(segs)} segments</p>")
        body = ""
        if status == "ok":
            text, why = _text_from_file(doc, dirs)
            if text is None:
                body += (f'<p class="note">Text rebuilt from the segments table ({esc(why)}): what lies '
                         f"between sentences is shown as spaces or line breaks.</p>")
                text = _text_from_segments(segs, int(doc.get("n_chars") or 0))
            elif mens is not None and len(mens):
                bad = sum(text[int(s):int(e)] != t for s, e, t in zip(mens["start_char"], mens["end_char"], mens["text"]))
                if bad:
                    body += f'<p class="note">{bad} mention(s) do not match the text at their offsets.</p>'
            body += _render_text(text, _spans(mens, text))
        if len(segs):
            seg_rows = [[int(s["seg_id"]), int(s["start_char"]), int(s["end_char"]), s["lang"],
                         _fmt(s.get("lang_score")), s.get("text", "")] for _, s in segs.iterrows()]
            langs = Counter(segs["lang"])
            body += ("<details><summary>language segments: "
                     + esc(", ".join(f"{k} {v}" for k, v in sorted(langs.items()))) + "</summary>"
                     + _table(["seg_id", "start", "end", "lang", "score", "text"], seg_rows) + "</details>")
        parts.append(head + body + "</div>")

    title = f"Entity report: {output_dir.resolve().name}"
    note_html = "".join(f'<p class="note">{esc(n)}</p>' for n in notes)
    page = (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        f"style-src 'unsafe-inline'; script-src '{_script_hash()}'; img-src data:\">"
        f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{esc(title)}</h1>"
        '<nav><a href="#summary">summary</a><a href="#charts">charts</a><a href="#entities">entities</a>'
        '<a href="#alignments">alignments</a><a href="#documents">documents</a></nav>'
        + note_html + "".join(parts)
        + f"<script>{SCRIPT}</script></body></html>\n"
    )
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(page, encoding="utf-8")
    return html_path
