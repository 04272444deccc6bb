"""Wire the stages together: ingest -> detect -> ner -> normalize -> align -> tables.

Each stage is a function in its own module; this file calls them in order, keeps
per-document failures as rows, reuses cached per-document results, times the
stages and writes the manifest. Models are loaded once per run, only for the
languages that uncached documents need.
"""
from __future__ import annotations

import logging
import platform
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from tqdm import tqdm

from pipeline import __version__
from pipeline.align import Alignment, align
from pipeline.cache import DocumentCache
from pipeline.config import LoadedConfig
from pipeline.detect import Segment, build_detector, detect_document, is_mixed
from pipeline.errors import ModelError
from pipeline.ingest import Document, ingest
from pipeline.crashtest import kill_point
from pipeline.ner import GazetteerRuler, Mention, make_blocks, merge_mentions, segment_lookup
from pipeline.normalize import AcronymDefinition, Entity, Knowledge, group_entities, normalize_document
from pipeline.registry import ner_backends
from pipeline.resources import load_gazetteer, load_label_maps, load_name_patterns
from pipeline.tables import build_table, write_outputs

log = logging.getLogger("pipeline")


@dataclass
class RunState:
    """Everything a run has produced so far, per document and for the corpus."""

    documents: list[Document]
    lang: dict[str, tuple[str, float, bool]] = field(default_factory=dict)
    segments: dict[str, list[Segment]] = field(default_factory=dict)
    mentions: dict[str, list[Mention]] = field(default_factory=dict)
    n_tokens: dict[str, int] = field(default_factory=dict)
    entities: list[Entity] = field(default_factory=list)
    alignments: list[Alignment] = field(default_factory=list)
    knowledge: Knowledge | None = None
    models: dict[str, dict] = field(default_factory=dict)
    processed: list[str] = field(default_factory=list)   # documents detect/NER actually ran on
    stage_seconds: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    show_progress: bool = False

    def ok(self, among: list[Document] | None = None) -> list[Document]:
        return [d for d in (self.documents if among is None else among) if d.status == "ok"]


def _fail(doc: Document, stage: str, exc: BaseException) -> None:
    doc.status = "error"
    # repr() escapes control characters: a reason is data, never markup or terminal codes.
    doc.reason = f"{stage} failed: {type(exc).__name__}: {str(exc)[:200]!r}"
    log.debug("%s failed in %s", doc.doc_id, stage, exc_info=True)


def _progress(state: RunState, items, desc: str, total: int):
    return tqdm(items, desc=desc, total=total, unit="doc" if desc == "detect" else "block",
                disable=not state.show_progress, file=sys.stderr, leave=False)


def run_detect(state: RunState, docs: list[Document], config: LoadedConfig) -> None:
    """Language per document and segment; documents in other languages become ``skipped``."""
    settings = config.settings
    if not state.ok(docs):
        return
    detector = build_detector(settings.detect, settings.languages)
    for doc in _progress(state, state.ok(docs), "detect", len(state.ok(docs))):
        try:
            lang, score, segments = detect_document(doc, detector, settings.detect, settings.languages)
        except Exception as exc:  # one bad document never stops the batch
            _fail(doc, "detect", exc)
            continue
        state.lang[doc.doc_id] = (lang, score, is_mixed(lang, segments))
        state.segments[doc.doc_id] = segments
        if lang not in settings.languages:
            doc.status = "skipped"
            doc.reason = (f"language '{lang}' is not processed (languages: {', '.join(settings.languages)})"
                          if lang != "und" else "language undetermined (no letters to judge by)")


def run_ner(state: RunState, docs: list[Document], config: LoadedConfig) -> None:
    """Model + gazetteer-ruler mentions for the given ok documents, routed by segment language."""
    settings = config.settings
    gazetteer = load_gazetteer(config.resolve(settings.normalize.gazetteer))
    name_patterns = (load_name_patterns(config.resolve(settings.normalize.name_patterns))
                     if settings.normalize.name_patterns else {})
    blocks = [b for doc in state.ok(docs)
              for b in make_blocks(state.segments[doc.doc_id], settings.ner.block_chars)
              if b.lang in settings.languages]
    text_of = {d.doc_id: d.text for d in state.documents}
    for lang in sorted({b.lang for b in blocks}):
        model = settings.ner.models[lang]
        try:
            backend = ner_backends.get(model.backend)(model, config)
        except ModelError as exc:
            raise ModelError(f"{config.path}: ner.models.{lang}.model: {exc}") from None
        state.models[lang] = {"backend": model.backend, "name": backend.name, "version": backend.version,
                              "label_map": model.label_map}
        ruler = GazetteerRuler([e.__dict__ for e in gazetteer.get(lang, [])], name_patterns.get(lang, []))
        lang_blocks = [b for b in blocks if b.lang == lang]
        results = _annotate_isolating_failures(backend, lang_blocks, text_of, state)
        for block, result in zip(lang_blocks, _progress(state, results, f"ner {lang}", len(lang_blocks))):
            if result is None:
                continue
            spans, n_tokens = result
            text = text_of[block.doc_id][block.start:block.end]
            # A mention belongs to its document's language (an English name in an Indonesian text is
            # part of the Indonesian corpus); the segment's language only chose the model.
            doc_lang = state.lang[block.doc_id][0]
            found = [Mention(block.doc_id, block.start + s, block.start + e, text[s:e], label, doc_lang, "model",
                             model_lang=lang) for s, e, label in spans]
            ruled = [Mention(block.doc_id, block.start + s, block.start + e, text[s:e], label, doc_lang, "ruler",
                             model_lang=lang) for s, e, label in ruler.find(text)]
            state.mentions.setdefault(block.doc_id, []).extend(merge_mentions(found, ruled))
            state.n_tokens[block.doc_id] = state.n_tokens.get(block.doc_id, 0) + n_tokens
        kill_point("ner")


def _annotate_isolating_failures(backend, blocks, text_of, state: RunState):
    """Annotate all blocks in one batch; if the batch fails, retry block by block so only
    the documents whose text breaks the model become error rows."""
    texts = [text_of[b.doc_id][b.start:b.end] for b in blocks]
    try:
        return backend.annotate(texts)
    except Exception:
        results = []
        docs = {d.doc_id: d for d in state.documents}
        for block, text in zip(blocks, texts):
            try:
                results.append(backend.annotate([text])[0])
            except Exception as exc:
                _fail(docs[block.doc_id], "ner", exc)
                results.append(None)
        return results


def _to_cache(state: RunState, doc: Document) -> dict:
    return {"status": doc.status, "reason": doc.reason, "lang": list(state.lang[doc.doc_id]),
            "segments": [[s.start, s.end, s.lang, s.score] for s in state.segments[doc.doc_id]],
            "mentions": [[m.start, m.end, m.model_label, m.model_lang, m.source]
                         for m in state.mentions.get(doc.doc_id, [])],
            "n_tokens": state.n_tokens.get(doc.doc_id, 0)}


def _from_cache(state: RunState, doc: Document, payload: dict) -> None:
    doc.status, doc.reason = payload["status"], payload["reason"] or doc.reason
    state.lang[doc.doc_id] = tuple(payload["lang"])  # type: ignore[assignment]
    state.segments[doc.doc_id] = [Segment(doc.doc_id, i, s, e, l, sc)
                                  for i, (s, e, l, sc) in enumerate(payload["segments"])]
    doc_lang = payload["lang"][0]
    state.mentions[doc.doc_id] = [Mention(doc.doc_id, s, e, doc.text[s:e], lab, doc_lang, src, model_lang=model_lang)
                                  for s, e, lab, model_lang, src in payload["mentions"]]
    state.n_tokens[doc.doc_id] = payload["n_tokens"]


def run_normalize(state: RunState, config: LoadedConfig) -> None:
    """Contract labels, repaired spans, acronyms, consistent labels, entities."""
    settings = config.settings
    knowledge = Knowledge(load_label_maps(config.resolve(settings.normalize.labels)),
                          load_gazetteer(config.resolve(settings.normalize.gazetteer)))
    model_names = {lang: m.label_map for lang, m in settings.ner.models.items()}
    definitions: list[tuple[str, AcronymDefinition]] = []
    for doc in state.ok():
        doc.lang = state.lang[doc.doc_id][0]
        try:
            mentions, found = normalize_document(doc, state.mentions.get(doc.doc_id, []), model_names, knowledge,
                                                 settings.normalize.acronyms, settings.normalize.propagate)
        except Exception as exc:
            _fail(doc, "normalize", exc)
            state.mentions.pop(doc.doc_id, None)
            continue
        seg_id = segment_lookup(state.segments[doc.doc_id])
        for m in mentions:
            m.seg_id = seg_id(m.start)
        state.mentions[doc.doc_id] = mentions
        definitions += [(doc.lang, d) for d in found]
    ok_ids = sorted(d.doc_id for d in state.ok())
    all_mentions = [m for doc_id in ok_ids for m in state.mentions.get(doc_id, [])]
    state.entities = group_entities(all_mentions, definitions, knowledge)
    state.knowledge = knowledge


def run_pipeline(input_dir: Path, output_dir: Path, config: LoadedConfig, until: str = "align",
                 show_progress: bool = False) -> dict:
    """Run the stages up to ``until`` and write the tables they produce plus the manifest."""
    started = datetime.now(timezone.utc)
    timer = time.perf_counter()
    state = RunState(ingest(Path(input_dir), config.settings.ingest), show_progress=show_progress)
    state.stage_seconds["ingest"] = round(time.perf_counter() - timer, 3)

    with_ner = until in ("ner", "align")
    cache = DocumentCache(Path(output_dir), config) if with_ner else None
    todo = []
    for doc in state.ok():
        payload = cache.load(doc.sha256) if cache else None
        if payload is None:
            todo.append(doc)
        else:
            _from_cache(state, doc, payload)
    state.processed = [d.doc_id for d in todo]

    steps = [("detect", lambda: run_detect(state, todo, config))]
    if with_ner:
        steps += [("ner", lambda: run_ner(state, todo, config)),
                  ("normalize", lambda: run_normalize(state, config))]
    if until == "align":
        steps += [("align", lambda: setattr(state, "alignments", align(state.entities, state.knowledge, config)))]
    for name, step in steps:
        timer = time.perf_counter()
        step()
        state.stage_seconds[name] = round(time.perf_counter() - timer, 3)
        if name == "ner" and cache:
            for doc in todo:
                if doc.status in ("ok", "skipped") and doc.doc_id in state.lang:
                    cache.save(doc.sha256, _to_cache(state, doc))

    timer = time.perf_counter()
    tables = build_tables(state, until)
    manifest = build_manifest(state, config, input_dir, started, tables)
    write_outputs(Path(output_dir), tables, manifest, config.settings.tables.formats)
    manifest["stage_seconds"]["tables"] = round(time.perf_counter() - timer, 3)
    return manifest


def build_tables(state: RunState, until: str) -> dict:
    """Rows of every table the run reached, as typed Arrow tables."""
    ok_ids = {d.doc_id for d in state.ok()}
    mentions = [m for doc_id in sorted(ok_ids) for m in state.mentions.get(doc_id, [])]
    documents = []
    for d in state.documents:
        lang, score, mixed = state.lang.get(d.doc_id, ("und", 0.0, False))
        documents.append({
            "doc_id": d.doc_id, "path": d.path, "sha256": d.sha256, "lang": lang, "lang_score": score,
            "is_mixed": mixed, "n_chars": len(d.text), "n_tokens": state.n_tokens.get(d.doc_id, 0),
            "n_mentions": len(state.mentions.get(d.doc_id, [])) if d.doc_id in ok_ids else 0,
            "status": d.status, "reason": d.reason, "encoding": d.encoding,
            "n_segments": len(state.segments.get(d.doc_id, [])),
        })
    text_of = {d.doc_id: d.text for d in state.documents}
    segments = [{"doc_id": s.doc_id, "seg_id": s.seg_id, "start_char": s.start, "end_char": s.end,
                 "lang": s.lang, "lang_score": s.score, "text": text_of[s.doc_id][s.start:s.end]}
                for doc_id in sorted(state.segments) for s in state.segments[doc_id]]
    tables = {"documents": build_table("documents", documents), "segments": build_table("segments", segments)}
    if until in ("ner", "align"):
        tables["mentions"] = build_table("mentions", [{
            "doc_id": m.doc_id, "mention_id": f"{m.doc_id}:{m.start}-{m.end}", "seg_id": m.seg_id,
            "start_char": m.start, "end_char": m.end, "text": m.text, "label": m.label,
            "model_label": m.model_label, "lang": m.lang, "source": m.source, "entity_id": m.entity_id,
        } for m in mentions])
        tables["entities"] = build_table("entities", [e.__dict__ for e in state.entities])
    if until == "align":
        tables["alignments"] = build_table("alignments", [{
            "en_entity_id": a.en.entity_id, "id_entity_id": a.id.entity_id, "en_term": a.en.canonical,
            "id_term": a.id.canonical, "label": a.en.label, "method": a.method, "score": a.score,
            "evidence": a.evidence, "methods": "|".join(a.methods),
        } for a in state.alignments])
    return tables


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def build_manifest(state: RunState, config: LoadedConfig, input_dir: Path, started: datetime,
                   tables: dict) -> dict:
    """The run record: times, config and hash, versions, inputs, row counts, stage times, cache use."""
    processed = set(state.processed)
    return {
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "input": str(Path(input_dir)),
        "config_file": str(config.path),
        "config": config.settings.model_dump(mode="json"),
        "config_hash": config.hash,
        "versions": {"pipeline": __version__, "python": platform.python_version(),
                     "spacy": _version("spacy"), "stanza": _version("stanza"), "torch": _version("torch"),
                     "langdetect": _version("langdetect"), "wordfreq": _version("wordfreq")},
        "models": state.models,
        "inputs": [{"doc_id": d.doc_id, "path": d.path, "sha256": d.sha256, "status": d.status,
                    "reason": d.reason} for d in state.documents],
        "processed": state.processed,
        "cached": sorted(d.doc_id for d in state.ok() if d.doc_id not in processed),
        "rows": {name: table.num_rows for name, table in tables.items()},
        "stage_seconds": state.stage_seconds,
        "warnings": state.warnings,
    }
