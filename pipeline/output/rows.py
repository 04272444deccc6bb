"""Records -> the rows of the five output tables (see ../shared/CONTRACT.md and README)."""
from __future__ import annotations

import hashlib

import pyarrow as pa

from pipeline.core.groups import UnionFind
from pipeline.core.records import Alignment, DocRecord, Entity
from pipeline.output.schemas import SCHEMAS, SORT_KEYS
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
    groups = UnionFind()
    for entity in entities:
        groups.find(entity.entity_id)
    for a in alignments:
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


def build_tables(records: list[DocRecord], entities: list[Entity], alignments: list[Alignment],
                 until: str) -> dict[str, pa.Table]:
    """Typed Arrow tables of every table the run reached (``until``: detect, ner or align)."""
    builder = TableBuilder(until)
    for record in records:
        builder.add(record)
    return builder.tables(records, entities, alignments)


class TableBuilder:
    """The tables built record by record, so a run can drop each document's text once its rows exist.

    ``add`` turns a finished record into its ``documents`` and ``segments`` rows (the ones that
    need the text), kept as compact Arrow parts; ``tables`` adds the ``mentions`` rows, which need
    the corpus-level entity ids, from the records' mentions. The result equals ``build_tables``.
    """

    def __init__(self, until: str, part_rows: int = 2000):
        self.until = until
        self.part_rows = part_rows
        self._rows: dict[str, list[dict]] = {"documents": [], "segments": []}
        self._parts: dict[str, list[pa.Table]] = {"documents": [], "segments": []}

    def add(self, record: DocRecord) -> None:
        """Rows of one record whose per-document stages are done; its text may be dropped after."""
        self._rows["documents"].append(document_row(record))
        self._rows["segments"].extend(segment_rows(record))
        if len(self._rows["segments"]) >= self.part_rows or len(self._rows["documents"]) >= self.part_rows:
            self._flush()

    def _flush(self) -> None:
        for name, rows in self._rows.items():
            if rows:
                self._parts[name].append(pa.Table.from_pylist(rows, schema=SCHEMAS[name]))
                rows.clear()

    def _table(self, name: str) -> pa.Table:
        self._flush()
        parts = self._parts[name]
        if not parts or not sum(p.num_rows for p in parts):
            return build_table(name, [])
        table = pa.concat_tables(parts).sort_by([(key, "ascending") for key in SORT_KEYS[name]])
        return table.combine_chunks()

    def _mentions(self, records: list[DocRecord], canonical: dict[str, str], concept: dict[str, str]) -> pa.Table:
        """The mentions table built in Arrow parts (a list of a million row dicts would be the run's peak)."""
        parts, rows = [], []
        for record in records:
            if record.ok:
                rows.extend(mention_rows(record, canonical, concept))
            if len(rows) >= 20 * self.part_rows:
                parts.append(pa.Table.from_pylist(rows, schema=SCHEMAS["mentions"]))
                rows = []
        if rows:
            parts.append(pa.Table.from_pylist(rows, schema=SCHEMAS["mentions"]))
        if not parts:
            return build_table("mentions", [])
        table = pa.concat_tables(parts)
        return table.sort_by([(key, "ascending") for key in SORT_KEYS["mentions"]]).combine_chunks()

    def tables(self, records: list[DocRecord], entities: list[Entity], alignments: list[Alignment]) -> dict[str, pa.Table]:
        """Every table the run reached; ``records`` need only their mentions (texts may be gone)."""
        tables = {"documents": self._table("documents"), "segments": self._table("segments")}
        concept = concept_ids(entities, alignments)
        if self.until in ("ner", "align"):
            canonical = {e.entity_id: e.canonical for e in entities}
            tables["mentions"] = self._mentions(records, canonical, concept)
            tables["entities"] = build_table("entities", [{**e.__dict__, "concept_id": concept[e.entity_id]}
                                                          for e in entities])
        if self.until == "align":
            tables["alignments"] = build_table("alignments", [alignment_row(a, concept) for a in alignments])
        return tables
