"""Declared schemas of the output tables (the contract in ../shared/CONTRACT.md, plus extras).

Columns appear in this order in both Parquet and CSV; ``SORT_KEYS`` fixes row order.
Extra columns beyond the contract are listed last and documented in the README.
"""
from __future__ import annotations

import pyarrow as pa

STRING, INT, FLOAT, BOOL = pa.string(), pa.int64(), pa.float64(), pa.bool_()

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema([
        ("doc_id", STRING), ("path", STRING), ("sha256", STRING), ("lang", STRING),
        ("lang_score", FLOAT), ("is_mixed", BOOL), ("n_chars", INT), ("n_tokens", INT),
        ("n_mentions", INT), ("status", STRING), ("reason", STRING),
        # extras
        ("encoding", STRING), ("n_segments", INT),
    ]),
    "segments": pa.schema([
        ("doc_id", STRING), ("seg_id", INT), ("start_char", INT), ("end_char", INT),
        ("lang", STRING), ("lang_score", FLOAT),
        # extras
        ("text", STRING),
    ]),
    "mentions": pa.schema([
        ("doc_id", STRING), ("mention_id", STRING), ("seg_id", INT), ("start_char", INT),
        ("end_char", INT), ("text", STRING), ("label", STRING), ("model_label", STRING),
        ("lang", STRING), ("source", STRING), ("entity_id", STRING),
        # extras: the entity's canonical form and its cross-language concept (saves two joins)
        ("canonical", STRING), ("concept_id", STRING),
    ]),
    "entities": pa.schema([
        ("entity_id", STRING), ("canonical", STRING), ("label", STRING), ("lang", STRING),
        ("aliases", pa.list_(STRING)), ("n_mentions", INT), ("n_docs", INT),
        # extras: Wikidata id from the gazetteer; the cross-language concept (one id per aligned group)
        ("external_id", STRING), ("concept_id", STRING),
    ]),
    "alignments": pa.schema([
        ("en_entity_id", STRING), ("id_entity_id", STRING), ("en_term", STRING),
        ("id_term", STRING), ("label", STRING), ("method", STRING), ("score", FLOAT),
        ("evidence", STRING),
        # extras: every method that proposed this pair (a list, like entities.aliases); the pair's concept;
        # the labels the pair's label reconciliation changed (['en:ORG->PER', 'id:LOC->GPE'], empty when
        # the models agreed)
        ("methods", pa.list_(STRING)), ("concept_id", STRING), ("relabeled", pa.list_(STRING)),
    ]),
}

SORT_KEYS: dict[str, list[str]] = {
    "documents": ["doc_id"],
    "segments": ["doc_id", "seg_id"],
    "mentions": ["doc_id", "start_char", "end_char", "label"],
    "entities": ["lang", "entity_id"],
    "alignments": ["en_entity_id", "id_entity_id"],
}
