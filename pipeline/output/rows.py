"""Records -> the rows of the five output tables (see ../shared/CONTRACT.md and README)."""
from __future__ import annotations

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


def mention_rows(record: DocRecord) -> list[dict]:
    """The ``mentions`` rows of one ok document."""
    return [{"doc_id": m.doc_id, "mention_id": f"{m.doc_id}:{m.start}-{m.end}", "seg_id": m.seg_id,
             "start_char": m.start, "end_char": m.end, "text": m.text, "label": m.label,
             "model_label": m.model_label, "lang": m.lang, "source": m.source, "entity_id": m.entity_id}
            for m in record.mentions]


def alignment_row(a: Alignment) -> dict:
    """One ``alignments`` row."""
    return {"en_entity_id": a.en.entity_id, "id_entity_id": a.id.entity_id, "en_term": a.en.canonical,
            "id_term": a.id.canonical, "label": a.en.label, "method": a.method, "score": a.score,
            "evidence": a.evidence, "methods": "|".join(a.methods), "relabeled": "|".join(a.relabeled)}


def build_tables(records: list[DocRecord], entities: list[Entity], alignments: list[Alignment],
                 until: str) -> dict[str, pa.Table]:
    """Typed Arrow tables of every table the run reached (``until``: detect, ner or align)."""
    tables = {"documents": build_table("documents", [document_row(r) for r in records]),
              "segments": build_table("segments", [row for r in records for row in segment_rows(r)])}
    if until in ("ner", "align"):
        tables["mentions"] = build_table("mentions", [row for r in records if r.ok for row in mention_rows(r)])
        tables["entities"] = build_table("entities", [e.__dict__ for e in entities])
    if until == "align":
        tables["alignments"] = build_table("alignments", [alignment_row(a) for a in alignments])
    return tables
