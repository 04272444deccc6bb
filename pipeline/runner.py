"""Wire the stages together: ingest -> detect -> ner -> normalize -> align -> tables.

Each stage is a function in its own module; this file only calls them in
order, keeps per-document failures as rows, times the stages and writes the
manifest. Models are loaded once per run, only for languages present.
"""
from __future__ import annotations

import logging
import platform
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from pipeline import __version__
from pipeline.align import Alignment, align
from pipeline.config import LoadedConfig
from pipeline.detect import Segment, build_detector, detect_document, is_mixed

from pipeline.ingest import Document, ingest
from pipeline.ner import GazetteerRuler, Mention, make_blocks, merge_mentions, seg_id_at
from pipeline.normalize import AcronymDefinition, Entity, Knowledge, group_entities, normalize_document
from pipeline.registry import ner_backends
from pipeline.resources import load_gazetteer, load_label_maps
from pipeline.tables import build_table, write_outputs

log = logging.getLogger("pipeline")
STAGES = ("detect", "ner", "align")


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
    models: dict[str, dict] = field(default_factory=dict)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def ok(self) -> list[Document]:
        return [d for d in self.documents if d.status == "ok"]


def _fail(doc: Document, stage: str, exc: BaseException) -> None:
    doc.status = "error"
    doc.reason = f"{stage} failed: {type(exc).__name__}: {str(exc)[:200]}"
    log.debug("%s: %s", doc.doc_id, traceback.format_exc())


def run_detect(state: RunState, config: LoadedConfig, progress=None) -> None:
    """Language per document and segment; other languages become ``skipped``."""
    settings = config.settings
    detector = build_detector(settings.detect)
    for doc in state.ok():
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
        if progress:
            progress.update(1)


def run_ner(state: RunState, config: LoadedConfig) -> None:
    """Model + gazetteer-ruler mentions for every ok document, routed by segment language."""
    settings = config.settings
    gazetteer = load_gazetteer(config.resolve(settings.normalize.gazetteer))
    blocks = [b for doc in state.ok()
              for b in make_blocks(state.segments[doc.doc_id], settings.ner.block_chars)
              if b.lang in settings.languages]
    text_of = {d.doc_id: d.text for d in state.documents}
    for lang in sorted({b.lang for b in blocks}):
        model = settings.ner.models[lang]
        backend = ner_backends.get(model.backend)(model, config)
        state.models[lang] = {"backend": model.backend, "name": backend.name, "version": backend.version,
                              "label_map": model.label_map}
        ruler = GazetteerRuler([e.__dict__ for e in gazetteer.get(lang, [])])
        lang_blocks = [b for b in blocks if b.lang == lang]
        results = _annotate_isolating_failures(backend, lang_blocks, text_of, state)
        for block, result in zip(lang_blocks, results):
            if result is None:
                continue
            spans, n_tokens = result
            text = text_of[block.doc_id][block.start:block.end]
            found = [Mention(block.doc_id, block.start + s, block.start + e, text[s:e], label, lang, "model")
                     for s, e, label in spans]
            ruled = [Mention(block.doc_id, block.start + s, block.start + e, text[s:e], label, lang, "ruler")
                     for s, e, label in ruler.find(text)]
            state.mentions.setdefault(block.doc_id, []).extend(merge_mentions(found, ruled))
            state.n_tokens[block.doc_id] = state.n_tokens.get(block.doc_id, 0) + n_tokens


def _annotate_isolating_failures(backend, blocks, text_of, state: RunState):
    """Annotate all blocks in one batch; if the batch fails, retry block by block so only
    the documents whose text breaks the model become error rows."""
    texts = [text_of[b.doc_id][b.start:b.end] for b in blocks]
    try:
        return backend.annotate(texts)
    except Exception:  # pragma: no cover - exercised by the hostile-input tests
        results = []
        docs = {d.doc_id: d for d in state.documents}
        for block, text in zip(blocks, texts):
            try:
                results.append(backend.annotate([text])[0])
            except Exception as exc:
                _fail(docs[block.doc_id], "ner", exc)
                results.append(None)
        return results


def run_normalize(state: RunState, config: LoadedConfig) -> None:
    """Contract labels, repaired spans, acronyms, consistent labels, entities."""
    settings = config.settings
    knowledge = Knowledge(load_label_maps(config.resolve(settings.normalize.labels)),
                          load_gazetteer(config.resolve(settings.normalize.gazetteer)))
    model_names = {lang: m.label_map for lang, m in settings.ner.models.items()}
    definitions: list[tuple[str, AcronymDefinition]] = []
    for doc in state.ok():
        doc.lang = state.lang[doc.doc_id][0]  # type: ignore[attr-defined]
        try:
            mentions, found = normalize_document(doc, state.mentions.get(doc.doc_id, []), model_names, knowledge,
                                                 settings.normalize.acronyms, settings.normalize.propagate)
        except Exception as exc:
            _fail(doc, "normalize", exc)
            state.mentions.pop(doc.doc_id, None)
            continue
        for m in mentions:
            m.seg_id = seg_id_at(state.segments[doc.doc_id], m.start)
        state.mentions[doc.doc_id] = mentions
        seg_langs = {m.lang for m in mentions}
        definitions += [(lang, d) for d in found for lang in sorted(seg_langs)]
    ok_ids = {d.doc_id for d in state.ok()}
    all_mentions = [m for doc_id in sorted(ok_ids) for m in state.mentions.get(doc_id, [])]
    state.entities = group_entities(all_mentions, definitions, knowledge)
    state.knowledge = knowledge  # type: ignore[attr-defined]


def run_pipeline(input_dir: Path, output_dir: Path, config: LoadedConfig, until: str = "align",
                 progress_factory=None) -> dict:
    """Run the stages up to ``until`` and write the tables they produce plus the manifest."""
    started = datetime.now(timezone.utc)
    timer = time.perf_counter()
    state = RunState(ingest(Path(input_dir), config.settings.ingest))
    state.stage_seconds["ingest"] = round(time.perf_counter() - timer, 3)

    steps = [("detect", lambda: run_detect(state, config))]
    if until in ("ner", "align"):
        steps += [("ner", lambda: run_ner(state, config)), ("normalize", lambda: run_normalize(state, config))]
    if until == "align":
        steps += [("align", lambda: setattr(state, "alignments",
                                            align(state.entities, state.knowledge, config)))]  # type: ignore[attr-defined]
    for name, step in steps:
        timer = time.perf_counter()
        step()
        state.stage_seconds[name] = round(time.perf_counter() - timer, 3)

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
    """The run record: times, config and hash, versions, inputs, row counts, stage times, warnings."""
    return {
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "input": str(Path(input_dir)),
        "config_file": str(config.path),
        "config": config.settings.model_dump(mode="json"),
        "config_hash": config.hash,
        "versions": {"pipeline": __version__, "python": platform.python_version(),
                     "spacy": _version("spacy"), "stanza": _version("stanza"),
                     "langdetect": _version("langdetect")},
        "models": state.models,
        "inputs": [{"doc_id": d.doc_id, "path": d.path, "sha256": d.sha256, "status": d.status,
                    "reason": d.reason} for d in state.documents],
        "rows": {name: table.num_rows for name, table in tables.items()},
        "stage_seconds": state.stage_seconds,
        "warnings": state.warnings,
    }
