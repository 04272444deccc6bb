"""Records -> the rows of the five output tables (see ../shared/CONTRACT.md and README)."""
from __future__ import annotations

import hashlib

import pyarrow as pa

from pipeline.core.records import Alignment, DocRecord, Entity
from pipeline.output.tables import build_table


def document_row(record: DocRecord) -> dict:
    """One ``documents`` row."""
    d = record.document
    return {"doc_id": d.doc_id, "path": d.path, "sha256": d.sha256, "lang": record.language.lang,
            "lang_score": record.language.score, "is_mixed": record.language.is_mixed, "n_chars": len(d.text),
            "n_tokens": record.n_tokens, "n_mentions": len(record.mentions) if record.ok else 0,
            "status": d.status, "reason": d.reason, "encoding": d.encoding, "n_segments": len(record.segments)}


def segment_rows(record: DocRecord) -> list[dict]:
    """The ``segments`` rows of one document."""
    text = record.document.text
    return [{"doc_id": s.doc_id, "seg_id": s.seg_id, "start_char": s.start, "end_char": s.end, "lang": s.lang,
             "lang_score": s.score, "text": text[s.start:s.end]} for s in record.segments]


def concept_ids(entities: list[Entity], alignments: list[Alignment]) -> dict[str, str]:
    """entity_id -> concept_id: one id per group of entities joined by alignments (transitively),
    derived from the group's sorted entity ids, so it is stable across runs and file order. An
    entity with no alignment is a concept of its own."""
    parent = {e.entity_id: e.entity_id for e in entities}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a in alignments:
        first, second = sorted((root(a.en.entity_id), root(a.id.entity_id)))
        parent[second] = first
    members: dict[str, list[str]] = {}
    for entity_id in parent:
        members.setdefault(root(entity_id), []).append(entity_id)
    concept = {}
    for group in members.values():
        digest = hashlib.sha256("|".join(sorted(group)).encode("utf-8")).hexdigest()[:12]
        concept.update({entity_id: f"c_{digest}" for entity_id in group})
    return concept


def mention_rows(record: DocRecord, canonical: dict[str, str], concept: dict[str, str]) -> list[dict]:
    """The ``mentions`` rows of one ok document."""
    return [{"doc_id": m.doc_id, "mention_id": f"{m.doc_id}:{m.start}-{m.end}", "seg_id": m.seg_id,
             "start_char": m.start, "end_char": m.end, "text": m.text, "label": m.label,
             "model_label": m.model_label, "lang": m.lang, "source": m.source, "entity_id": m.entity_id,
             "canonical": canonical.get(m.entity_id, ""), "concept_id": concept.get(m.entity_id, "")}
            for m in record.mentions]


def alignment_row(a: Alignment, concept: dict[str, str]) -> dict:
    """One ``alignments`` row."""
    return {"en_entity_id": a.en.entity_id, "id_entity_id": a.id.entity_id, "en_term": a.en.canonical,
            "id_term": a.id.canonical, "label": a.en.label, "method": a.method, "score": a.score,
            "evidence": a.evidence, "methods": list(a.methods), "concept_id": concept[a.en.entity_id],
            "relabeled": list(a.relabeled)}


def build_tables(records: list[DocRecord], entities: list[Entity], alignments: list[Alignment],
                 until: str) -> dict[str, pa.Table]:
    """Typed Arrow tables of every table the run reached (``until``: detect, ner or align)."""
    tables = {"documents": build_table("documents", [document_row(r) for r in records]),
              "segments": build_table("segments", [row for r in records for row in segment_rows(r)])}
    concept = concept_ids(entities, alignments)
    if until in ("ner", "align"):
        canonical = {e.entity_id: e.canonical for e in entities}
        tables["mentions"] = build_table("mentions", [row for r in records if r.ok
                                                      for row in mention_rows(r, canonical, concept)])
        tables["entities"] = build_table("entities", [{**e.__dict__, "concept_id": concept[e.entity_id]}
                                                      for e in entities])
    if until == "align":
        tables["alignments"] = build_table("alignments", [alignment_row(a, concept) for a in alignments])
    return tables
