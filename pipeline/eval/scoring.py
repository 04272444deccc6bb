"""Scores: entity-level NER precision/recall/F1 and alignment precision/recall against a gold list."""
from __future__ import annotations

import csv
from typing import Iterable, Protocol, Sequence

from pipeline.core.tags import Span, tag_spans
from pipeline.core.text import normalized_key
from pipeline.errors import ConfigError
from pipeline.eval.conll import SpanScores, TaggedSentence


class PretokenizedTagger(Protocol):
    """Anything that labels pre-tokenized sentences with entity spans (token offsets)."""

    def tag_tokens(self, sentences: Sequence[Sequence[str]]) -> list[set[Span]]: ...


def score_ner(tagger: PretokenizedTagger, sentences: list[TaggedSentence],
              micro_labels: Iterable[str]) -> dict:
    """Entity-level precision/recall/F1 of a tagger on gold sentences (exact span + label)."""
    predicted = tagger.tag_tokens([s.words for s in sentences])
    scores = SpanScores()
    for sentence, spans in zip(sentences, predicted):
        scores.add(tag_spans(sentence.tags), spans)
    report = scores.report(micro_labels)
    report["sentences"] = len(sentences)
    report["words"] = sum(len(s.words) for s in sentences)
    return report


def read_gold_alignments(path) -> list[dict]:
    """Gold pairs: TSV with columns type, en, id, en_aliases, id_aliases (aliases '|'-separated)."""
    rows = []
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader((l for l in handle if l.strip() and not l.startswith("#")), delimiter="\t")
            for row in reader:
                en = [row["en"], *filter(None, (row.get("en_aliases") or "").split("|"))]
                ind = [row["id"], *filter(None, (row.get("id_aliases") or "").split("|"))]
                rows.append({"type": row["type"], "en": row["en"], "id": row["id"],
                             "en_keys": {normalized_key(f) for f in en},
                             "id_keys": {normalized_key(f) for f in ind}})
    except (OSError, KeyError) as exc:
        raise ConfigError(f"--gold {path}: cannot read a TSV with columns type, en, id, en_aliases, "
                          f"id_aliases ({exc})") from None
    return rows


def aligned_forms(alignments: Iterable[dict], entities: Iterable[dict] = ()) -> list[dict]:
    """Each alignment row with the normalized keys of every form of its two entities: the terms shown,
    and the canonical name and aliases from the entities table. A gold row names a referent by the forms
    the texts use (PBB), while an entity's term may be its canonical long form (Perserikatan
    Bangsa-Bangsa): the pair denotes the gold referent when any form of each side is one of its forms."""
    forms: dict[str, set[str]] = {}
    for entity in entities:
        forms[entity["entity_id"]] = {normalized_key(f) for f in [entity["canonical"], *(entity.get("aliases") or [])]}
    return [{"en": row["en_term"], "id": row["id_term"],
             "en_keys": {normalized_key(row["en_term"])} | forms.get(row.get("en_entity_id"), set()),
             "id_keys": {normalized_key(row["id_term"])} | forms.get(row.get("id_entity_id"), set())}
            for row in alignments]


def pair_matches(pair: dict, row: dict) -> bool:
    """Whether a predicted pair (from ``aligned_forms``) denotes a gold row's referent on both sides."""
    return bool(pair["en_keys"] & row["en_keys"]) and bool(pair["id_keys"] & row["id_keys"])


def score_alignments(predicted: Sequence, gold: list[dict]) -> dict:
    """Precision over predicted pairs and recall over gold rows. A predicted pair is an (en_term, id_term)
    tuple (matched by its terms only) or a row of ``aligned_forms`` (matched by any form of its entities)."""
    pairs = [p if isinstance(p, dict) else {"en": p[0], "id": p[1], "en_keys": {normalized_key(p[0])},
                                            "id_keys": {normalized_key(p[1])}} for p in predicted]
    correct = {i for i, p in enumerate(pairs) if any(pair_matches(p, row) for row in gold)}
    found = [row for row in gold if any(pair_matches(p, row) for p in pairs)]
    precision = len(correct) / len(pairs) if pairs else 0.0
    recall = len(found) / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"predicted": len(pairs), "gold": len(gold), "correct": len(correct), "gold_found": len(found),
            "precision": round(100 * precision, 2), "recall": round(100 * recall, 2), "f1": round(100 * f1, 2),
            "wrong": sorted(f"{p['en']} = {p['id']}" for i, p in enumerate(pairs) if i not in correct),
            "missed": sorted(f"{r['en']} = {r['id']}" for r in gold if r not in found)}
