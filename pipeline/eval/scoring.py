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


def score_alignments(predicted: list[tuple[str, str]], gold: list[dict]) -> dict:
    """Precision over predicted (en_term, id_term) pairs and recall over gold rows."""
    def matches(pair, row):
        return normalized_key(pair[0]) in row["en_keys"] and normalized_key(pair[1]) in row["id_keys"]

    correct = [p for p in predicted if any(matches(p, row) for row in gold)]
    found = [row for row in gold if any(matches(p, row) for p in predicted)]
    precision = len(correct) / len(predicted) if predicted else 0.0
    recall = len(found) / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"predicted": len(predicted), "gold": len(gold), "correct": len(correct), "gold_found": len(found),
            "precision": round(100 * precision, 2), "recall": round(100 * recall, 2), "f1": round(100 * f1, 2),
            "wrong": sorted(f"{p[0]} = {p[1]}" for p in predicted if p not in correct),
            "missed": sorted(f"{r['en']} = {r['id']}" for r in gold if r not in found)}
