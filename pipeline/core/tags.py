"""Token-level entity tags (IOB and BIOES) to spans: one decoder for gold data and model output."""
from __future__ import annotations

from typing import Iterable

# A span is (first_token, end_token_exclusive, label).
Span = tuple[int, int, str]


def tag_spans(tags: Iterable[str]) -> set[Span]:
    """Entity spans from IOB or BIOES tags, conlleval-style: a stray I- (or E-) opens a span,
    a label change or B-/S-/O closes one, E-/S- close the span they end."""
    spans, start, label = set(), None, None
    for index, tag in enumerate(list(tags) + ["O"]):
        prefix, _, tag_label = tag.partition("-")
        if start is not None and (prefix in ("O", "B", "S") or tag_label != label):
            spans.add((start, index, label))
            start, label = None, None
        if prefix in ("B", "S") or (prefix in ("I", "E") and start is None):
            start, label = index, tag_label
        if prefix in ("E", "S") and start is not None:
            spans.add((start, index + 1, label))
            start, label = None, None
    return spans
