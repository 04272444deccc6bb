"""Blocks: consecutive same-language segments of a document, processed as one text by a model,
and the merging of model and ruler mentions found in them."""
from __future__ import annotations

from dataclasses import dataclass

from pipeline.core.records import Mention, Segment
from pipeline.core.text import overlaps


@dataclass
class Block:
    """Consecutive same-language segments of one document, processed as one text."""

    doc_id: str
    lang: str
    start: int
    end: int


def make_blocks(segments: list[Segment], max_chars: int) -> list[Block]:
    """Join consecutive same-language segments into blocks of at most ``max_chars``.

    A single segment longer than ``max_chars`` is cut at whitespace so that no
    block exceeds the limit (spaCy's max_length and memory stay bounded).
    """
    blocks: list[Block] = []
    for seg in segments:
        for start, end in _cut(seg.start, seg.end, max_chars):
            last = blocks[-1] if blocks else None
            if last and last.lang == seg.lang and end - last.start <= max_chars:
                last.end = end
            else:
                blocks.append(Block(seg.doc_id, seg.lang, start, end))
    return blocks


def _cut(start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    pieces = []
    while end - start > max_chars:
        pieces.append((start, start + max_chars))
        start += max_chars
    pieces.append((start, end))
    return pieces


def _longer_name(model: Mention, ruler: Mention) -> bool:
    """A model mention that holds a ruler name and extends it with capitalised words is a longer name
    ('Garuda Indonesia', 'Festival Film Indonesia' around 'Indonesia'); 'The NATO force' is not."""
    if not (model.start <= ruler.start and ruler.end <= model.end) or (model.start, model.end) == (ruler.start, ruler.end):
        return False
    outside = (model.text[:ruler.start - model.start] + " " + model.text[ruler.end - model.start:]).split()
    return bool(outside) and all(w[0].isupper() for w in outside)


PERSON_LABELS = {"PER", "PERSON"}   # the models' person tags (Indonesian, English)


def _without_possessor(ruler: Mention, model: list[Mention]) -> Mention:
    """A ruler name (not a person) that ends with a person the model found, after at least two words
    of its own, ends before that person: the person is the possessor ('Partai Republik Trump' =
    Trump's Republican Party). A head word alone keeps the person ('Organisasi Trump')."""
    if ruler.model_label in PERSON_LABELS:
        return ruler
    for m in model:
        if m.model_label in PERSON_LABELS and ruler.start < m.start and m.end == ruler.end:
            head = ruler.text[:m.start - ruler.start].rstrip()
            if len(head.split()) >= 2:
                return Mention(ruler.doc_id, ruler.start, ruler.start + len(head), head, ruler.model_label,
                               ruler.lang, ruler.source, ruler.label, ruler.seg_id, ruler.entity_id, ruler.model_lang)
    return ruler


def merge_mentions(model: list[Mention], ruler: list[Mention]) -> list[Mention]:
    """Ruler mentions win over overlapping model mentions (curated knowledge beats the model), except
    that a model mention which is a longer name around a ruler name keeps its span ('Garuda Indonesia'),
    and a person closing a ruler name is its possessor, not part of it (``_without_possessor``)."""
    ruler = [_without_possessor(r, model) for r in ruler]
    longer = [m for m in model if any(_longer_name(m, r) for r in ruler)
              and not any(overlaps(m.start, m.end, r.start, r.end) and not _longer_name(m, r) for r in ruler)]
    ruler = [r for r in ruler if not any(overlaps(r.start, r.end, m.start, m.end) for m in longer)]
    kept = list(ruler) + longer
    for mention in model:
        if mention not in longer and not any(overlaps(mention.start, mention.end, r.start, r.end) for r in ruler):
            kept.append(mention)
    return sorted(kept, key=lambda m: (m.start, m.end))


def merge_rule_mentions(named: list[Mention], rules: list[Mention]) -> list[Mention]:
    """Numeric/temporal rule mentions next to the merged model and ruler names: a rule mention is kept
    unless it overlaps a ruler name or crosses a model mention ('Resolusi 1973' stays LAW, 'Piala Dunia
    2014' stays whole); model mentions inside a kept rule mention go ('Desember' in '12 Desember 2014')."""
    kept_rules = [r for r in rules if not any(
        overlaps(r.start, r.end, m.start, m.end) and (m.source != "model" or not (r.start <= m.start and m.end <= r.end))
        for m in named)]
    kept = [m for m in named if not any(r.start <= m.start and m.end <= r.end for r in kept_rules)]
    return sorted(kept + kept_rules, key=lambda m: (m.start, m.end))
