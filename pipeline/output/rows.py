"""Records -> the rows of the five output tables (see ../shared/CONTRACT.md and README)."""
from __future__ import annotations

import hashlib

from pipeline.core.groups import UnionFind
from pipeline.core.records import Alignment, DocRecord, Entity
from pipeline.output.tables import OutputStaging, build_table


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
    entity with no alignment is a concept of its own. A nationality paired with its place's name
    (German / Jerman: ``Alignment.keep_labels``) joins no concept: a people and a country are two."""
    groups = UnionFind()
    for entity in entities:
        groups.find(entity.entity_id)
    for a in alignments:
        if not a.keep_labels:
            groups.union(a.en.entity_id, a.id.entity_id)
    members: dict[str, list[str]] = {}
    for entity_id in list(groups.parent):
        members.setdefault(groups.find(entity_id), []).append(entity_id)
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


class RowWriter:
    """The tables streamed to ``staging``: the per-document ones (documents, segments, and once
    entities exist, mentions) record by record in doc_id order (``add``), then the corpus-level
    ones (``finish``); ``until``: detect, ner or align."""

    def __init__(self, staging: OutputStaging, until: str, entities: list[Entity], alignments: list[Alignment]):
        self.staging, self.until, self.alignments = staging, until, alignments
        self.concept = concept_ids(entities, alignments)
        self.canonical = {e.entity_id: e.canonical for e in entities}
        self.documents, self.segments = staging.writer("documents"), staging.writer("segments")
        self.mentions = staging.writer("mentions") if until in ("ner", "align") else None

    def add(self, record: DocRecord) -> None:
        """The rows of one finished record (after every record before it in doc_id order)."""
        self.documents.add([document_row(record)])
        self.segments.add(segment_rows(record))
        if self.mentions is not None and record.ok:
            rows = mention_rows(record, self.canonical, self.concept)
            self.mentions.add(sorted(rows, key=lambda r: (r["start_char"], r["end_char"], r["label"])))

    def finish(self, entities: list[Entity]) -> None:
        """The corpus-level tables (entities, with their final document counts, and alignments),
        written whole once every record was added."""
        if self.until in ("ner", "align"):
            self.staging.write_table("entities", build_table("entities", [
                {**e.__dict__, "concept_id": self.concept[e.entity_id]} for e in entities]))
        if self.until == "align":
            self.staging.write_table("alignments", build_table("alignments", [
                alignment_row(a, self.concept) for a in self.alignments]))
