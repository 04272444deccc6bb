"""Reading and scoring token-level IOB data (the IndoNLU TSV format).

One ``token<TAB>TAG`` per line, a blank line between sentences. Used by the
Indonesian training recipe and by ``python -m pipeline evaluate ner``.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from pipeline.core.tags import Span


@dataclass(frozen=True)
class TaggedSentence:
    """One sentence: its tokens and one IOB tag per token."""

    words: tuple[str, ...]
    tags: tuple[str, ...]


def read_iob_tsv(path: str | Path) -> list[TaggedSentence]:
    """Read a ``token<TAB>tag`` file into sentences; raise ValueError naming the bad line."""
    sentences: list[TaggedSentence] = []
    words: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as handle:
        for line_no, raw_line in enumerate(handle, start=1):
            line = raw_line.rstrip("\n").rstrip("\r")
            if not line.strip():
                if words:
                    sentences.append(TaggedSentence(tuple(words), tuple(tags)))
                    words, tags = [], []
                continue
            parts = line.split("\t")
            if len(parts) != 2 or not parts[0] or not parts[1]:
                raise ValueError(
                    f"{path}:{line_no}: expected 'token<TAB>tag', got {line!r}"
                )
            words.append(parts[0])
            tags.append(parts[1].strip())
    if words:
        sentences.append(TaggedSentence(tuple(words), tuple(tags)))
    return sentences


def map_tags(tags: Iterable[str], label_map: Mapping[str, str | None]) -> list[str]:
    """Rename the label part of each IOB tag; a label mapped to None becomes ``O``.

    Labels absent from ``label_map`` raise KeyError so that a new tag set is
    never silently dropped.
    """
    mapped = []
    for tag in tags:
        if tag == "O":
            mapped.append("O")
            continue
        prefix, _, label = tag.partition("-")
        target = label_map[label]
        mapped.append("O" if target is None else f"{prefix}-{target}")
    return mapped


def repair_iob(tags: Iterable[str]) -> list[str]:
    """Turn an ``I-X`` that does not continue an ``X`` span into ``B-X`` (known IndoNLU noise)."""
    repaired: list[str] = []
    previous = "O"
    for tag in tags:
        if tag.startswith("I-"):
            label = tag[2:]
            if previous == "O" or previous[2:] != label:
                tag = "B-" + label
        repaired.append(tag)
        previous = tag
    return repaired


@dataclass
class SpanScores:
    """Entity-level true positive / false positive / false negative counts per label."""

    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)

    def add(self, gold: set[Span], predicted: set[Span]) -> None:
        """Count one sentence: exact span and label match."""
        for span in predicted & gold:
            self.tp[span[2]] += 1
        for span in predicted - gold:
            self.fp[span[2]] += 1
        for span in gold - predicted:
            self.fn[span[2]] += 1

    @staticmethod
    def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": round(100 * precision, 2), "recall": round(100 * recall, 2),
                "f1": round(100 * f1, 2), "tp": tp, "fp": fp, "fn": fn}

    def report(self, micro_labels: Iterable[str]) -> dict:
        """Scores per label plus a micro average over ``micro_labels``."""
        labels = sorted(set(self.tp) | set(self.fp) | set(self.fn))
        per_label = {lab: self._prf(self.tp[lab], self.fp[lab], self.fn[lab]) for lab in labels}
        micro_labels = list(micro_labels)
        micro = self._prf(sum(self.tp[l] for l in micro_labels),
                          sum(self.fp[l] for l in micro_labels),
                          sum(self.fn[l] for l in micro_labels))
        return {"per_label": per_label, "micro": micro, "micro_labels": micro_labels}
