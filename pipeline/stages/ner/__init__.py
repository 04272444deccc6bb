"""Stage ner: entity mentions per document, from a model per language plus a domain ruler.

Segments are routed by their own language (an English sentence inside an Indonesian document
goes to the English model). Consecutive segments of one language are joined into blocks, so the
model sees context and offsets map back to the document by adding the block start. Each model
is fed all blocks of its language at once (``nlp.pipe``); if that batch fails, blocks are retried
one by one so that only the documents whose text breaks the model become error rows.
"""
from __future__ import annotations

from typing import Callable, Iterable

from pipeline.config import NerConfig
from pipeline.core.faults import kill_point
from pipeline.core.records import DocRecord, Mention
from pipeline.resources import Resources
from pipeline.stages.ner.backends import NerBackend
from pipeline.stages.ner.blocks import Block, make_blocks, merge_mentions, merge_rule_mentions
from pipeline.stages.ner.numeric import NumericRuler
from pipeline.stages.ner.ruler import GazetteerRuler

__all__ = ["annotate_records", "languages_needed", "build_ruler", "build_numeric_ruler", "GazetteerRuler",
           "NumericRuler", "NerBackend"]

Progress = Callable[[Iterable, str, int], Iterable]


def _blocks(records: list[DocRecord], settings: NerConfig, languages: list[str]) -> list[tuple[DocRecord, Block]]:
    return [(record, block) for record in records if record.ok
            for block in make_blocks(record.segments, settings.block_chars) if block.lang in languages]


def languages_needed(records: list[DocRecord], settings: NerConfig, languages: list[str]) -> list[str]:
    """The model languages the ok records' segments need, sorted (only these models get loaded)."""
    return sorted({block.lang for _, block in _blocks(records, settings, languages)})


def build_ruler(resources: Resources, lang: str, settings: NerConfig | None = None) -> GazetteerRuler:
    """The domain ruler of one language: its gazetteer names and its name patterns (those of the
    pattern groups switched on in ``ner.rules``)."""
    rules = settings.rules if settings else None
    entries = resources.knowledge.gazetteer.get(lang, []) if rules is None or rules.gazetteer else []
    groups = None if rules is None else [g for g, on in (("names", rules.name_patterns), ("law", rules.law_patterns),
                                                       ("structural", rules.structural_patterns)) if on]
    return GazetteerRuler([e.__dict__ for e in entries], resources.name_patterns.get(lang, []), groups)


def build_numeric_ruler(resources: Resources, lang: str, settings: NerConfig | None = None) -> NumericRuler | None:
    """The numeric/temporal rules of one language, or None (no word lists for it, or switched off)."""
    vocab = resources.numeric.get(lang)
    if vocab is None or (settings is not None and not settings.rules.numeric):
        return None
    return NumericRuler(vocab)


def annotate_records(records: list[DocRecord], backend_for: Callable[[str], NerBackend], resources: Resources,
                     settings: NerConfig, languages: list[str],
                     progress: Progress = lambda items, desc, total: items) -> None:
    """Add model and ruler mentions (and token counts) to the ok records; ``backend_for(lang)``
    gives the loaded model of a language."""
    blocks = _blocks(records, settings, languages)
    for lang in sorted({block.lang for _, block in blocks}):
        backend = backend_for(lang)
        ruler = build_ruler(resources, lang, settings)
        numeric = build_numeric_ruler(resources, lang, settings)
        lang_blocks = [(record, block) for record, block in blocks if block.lang == lang]
        results = _annotate_isolating_failures(backend, lang_blocks)
        for (record, block), result in zip(lang_blocks, progress(results, f"ner {lang}", len(lang_blocks))):
            if result is None:
                continue
            spans, n_tokens = result
            text = record.document.text[block.start:block.end]
            # A mention belongs to its document's language (an English name in an Indonesian text is
            # part of the Indonesian corpus); the segment's language only chose the model.
            doc_lang = record.language.lang
            found = [Mention(block.doc_id, block.start + s, block.start + e, text[s:e], label, doc_lang, "model",
                             model_lang=lang) for s, e, label in spans]
            ruled = [Mention(block.doc_id, block.start + s, block.start + e, text[s:e], label, doc_lang, "ruler",
                             model_lang=lang) for s, e, label in ruler.find(text)]
            merged = merge_mentions(found, ruled)
            if numeric:
                rules = [Mention(block.doc_id, block.start + s, block.start + e, text[s:e], label, doc_lang, "rule",
                                 model_lang=lang) for s, e, label in numeric.find(text)]
                merged = merge_rule_mentions(merged, rules)
            record.mentions.extend(merged)
            record.n_tokens += n_tokens
        kill_point("ner")


def _annotate_isolating_failures(backend: NerBackend, blocks: list[tuple[DocRecord, Block]]) -> list:
    """Annotate all blocks in one batch; if the batch fails, retry block by block so only
    the documents whose text breaks the model become error rows (result None)."""
    texts = [record.document.text[b.start:b.end] for record, b in blocks]
    try:
        return backend.annotate(texts)
    except Exception:
        results = []
        for (record, _), text in zip(blocks, texts):
            try:
                results.append(backend.annotate([text])[0])
            except Exception as exc:  # one bad document never stops the batch
                record.fail("ner", exc)
                results.append(None)
        return results
