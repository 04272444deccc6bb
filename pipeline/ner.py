"""Stage ner: entity mentions per document, from a model per language plus a domain ruler.

Segments are routed by their own language (an English sentence inside an
Indonesian document goes to the English model). Consecutive segments of one
language are joined into blocks, so the model sees context and offsets map
back to the document by adding the block start. Each model is loaded once and
fed all blocks of its language through ``nlp.pipe``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Protocol, Sequence

from pipeline.config import LoadedConfig, ModelConfig
from pipeline.conll import Span
from pipeline.detect import Segment
from pipeline.errors import ModelError
from pipeline.registry import ner_backends


@dataclass
class Mention:
    """An entity mention with document character offsets (end exclusive)."""

    doc_id: str
    start: int
    end: int
    text: str
    model_label: str
    lang: str
    source: str
    label: str = ""
    seg_id: int = -1
    entity_id: str = ""
    model_lang: str = ""  # language of the model (segment) that found it; ``lang`` is the document's


@dataclass
class Block:
    """Consecutive same-language segments of one document, processed as one text."""

    doc_id: str
    lang: str
    start: int
    end: int


class NerBackend(Protocol):
    """What the pipeline needs from an NER model."""

    name: str
    version: str

    def annotate(self, texts: Sequence[str]) -> list[tuple[list[tuple[int, int, str]], int]]:
        """For each text: (character spans with labels, number of tokens)."""

    def tag_tokens(self, sentences: Sequence[Sequence[str]]) -> list[set[Span]]:
        """For each pre-tokenized sentence: token spans with labels (for evaluation)."""


class SpacyTagger:
    """A loaded spaCy pipeline used as NER backend."""

    def __init__(self, nlp, batch_size: int = 16):
        self.nlp = nlp
        self.batch_size = batch_size
        self.name = f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', 'unknown')}"
        self.version = str(nlp.meta.get("version", "0"))

    def annotate(self, texts):
        return [([(e.start_char, e.end_char, e.label_) for e in doc.ents], len(doc))
                for doc in self.nlp.pipe(texts, batch_size=self.batch_size)]

    def tag_tokens(self, sentences):
        from spacy.tokens import Doc

        docs = (Doc(self.nlp.vocab, words=list(words)) for words in sentences)
        return [{(e.start, e.end, e.label_) for e in doc.ents}
                for doc in self.nlp.pipe(docs, batch_size=256)]


# Components NER does not need; excluding them roughly halves English run time.
UNUSED_SPACY_COMPONENTS = ["parser", "lemmatizer", "attribute_ruler", "tagger", "senter", "morphologizer"]


@ner_backends.register("spacy")
def load_spacy_backend(model: ModelConfig, config: LoadedConfig) -> SpacyTagger:
    """The first of ``model.model`` that spaCy can load: an installed package name or a path."""
    import spacy

    problems = []
    for candidate in model.model:
        looks_like_path = "/" in candidate or candidate.startswith(".")
        target = str(config.resolve(candidate)) if looks_like_path else candidate
        try:
            nlp = spacy.load(target, exclude=UNUSED_SPACY_COMPONENTS)
        except (OSError, ImportError, ValueError) as exc:
            problems.append(f"{candidate}: {str(exc).splitlines()[0][:160]}")
            continue
        if "ner" not in nlp.pipe_names:
            problems.append(f"{candidate}: has no 'ner' component")
            continue
        return SpacyTagger(nlp, config.settings.ner.batch_size)
    raise ModelError(
        "no spaCy model could be loaded (" + "; ".join(problems) + "). "
        "Run `make setup` for the English model, `make train-id-spacy` for the Indonesian spaCy one, "
        "or point ner.models.<lang>.model at an installed model.")


def bioes_spans(tags: Sequence[str]) -> set[Span]:
    """Token spans from BIOES (or BIO) tags, as stanza emits them."""
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


class StanzaTagger:
    """stanza's NER tagger trained by `make train-id` (the default for Indonesian), fed tokens from spaCy's Indonesian
    tokenizer (stanza has no downloadable Indonesian NER, and nothing is downloaded at run time)."""

    SENTENCE_END = {".", "!", "?"}

    def __init__(self, model_dir: Path, batch_size: int = 32):
        import spacy
        import stanza

        model_dir = Path(model_dir)
        pretrain = model_dir / "pretrain.pt"
        # An empty resources.json beside the model keeps stanza from looking anything up online.
        resources = model_dir / "resources.json"
        if not resources.exists():
            resources.write_text("{}\n", encoding="utf-8")
        self.nlp = stanza.Pipeline(
            lang="id", dir=str(model_dir), resources_filepath=str(resources), allow_unknown_language=True,
            processors="tokenize,ner", tokenize_pretokenized=True, download_method=None,
            ner_model_path=str(model_dir / "ner.pt"), ner_pretrain_path=str(pretrain) if pretrain.exists() else None,
            ner_batch_size=batch_size, use_gpu=False, logging_level="ERROR")
        self.tokenizer = spacy.blank("id").tokenizer
        self.name = f"stanza:{model_dir.name}"
        self.version = stanza.__version__

    def _tag(self, sentences: list[list[str]]) -> list[set[Span]]:
        if not sentences:
            return []
        doc = self.nlp(sentences)
        return [bioes_spans([t.ner for t in sentence.tokens]) for sentence in doc.sentences]

    def tag_tokens(self, sentences):
        return self._tag([list(words) for words in sentences])

    def annotate(self, texts):
        results = []
        for text in texts:
            tokens = [t for t in self.tokenizer(text) if not t.is_space]
            sentences, current = [], []
            for token in tokens:
                current.append(token)
                if token.text in self.SENTENCE_END:
                    sentences.append(current)
                    current = []
            if current:
                sentences.append(current)
            spans = []
            for sentence, found in zip(sentences, self._tag([[t.text for t in s] for s in sentences])):
                for start, end, label in sorted(found):
                    spans.append((sentence[start].idx, sentence[end - 1].idx + len(sentence[end - 1].text), label))
            results.append((spans, len(tokens)))
        return results


@ner_backends.register("stanza")
def load_stanza_backend(model: ModelConfig, config: LoadedConfig) -> StanzaTagger:
    """A stanza NER model folder (ner.pt + pretrain.pt)."""
    try:
        import stanza  # noqa: F401
    except ImportError:
        raise ModelError("the stanza backend needs stanza and torch, which `make setup` installs: "
                         "run `make setup` (or .venv/bin/pip install -e .)") from None
    problems = []
    for candidate in model.model:
        path = config.resolve(candidate)
        if (path / "ner.pt").is_file():
            return StanzaTagger(path, config.settings.ner.batch_size)
        problems.append(f"{path}: no ner.pt")
    raise ModelError("no stanza model found (" + "; ".join(problems) + "); run `make train-id`.")


NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w\-]*"  # a capitalised word or an acronym (NATO, NTM-I)


class GazetteerRuler:
    """The domain ruler: exact, case-sensitive matches of gazetteer names and aliases (whole words),
    plus institutional names found by their head or tail word (configs/name_patterns.yaml):
    'Kementerian' + capitalised words, capitalised words + 'Summit'."""

    def __init__(self, entries: Iterable[dict], patterns: Iterable = ()):
        self.label_of: dict[str, str] = {}
        for entry in entries:
            for form in [entry["name"], *entry.get("aliases", [])]:
                self.label_of.setdefault(form, entry["label"])
        forms = sorted(self.label_of, key=lambda f: (-len(f), f))
        self.pattern = re.compile(
            r"(?<!\w)(" + "|".join(re.escape(f) for f in forms) + r")(?!\w)") if forms else None
        self.name_patterns = []
        for p in patterns:
            joiner = r"\s+(?:(?:" + "|".join(map(re.escape, p.connectors)) + r")\s+)?" if p.connectors else r"\s+"
            if p.head:
                regex = rf"(?<!\w){re.escape(p.head)}(?:{joiner}{NAME_WORD})+(?!\w)"
            else:
                regex = rf"(?<![\w\-])(?:{NAME_WORD}{joiner})+{re.escape(p.tail)}(?!\w)"
            self.name_patterns.append((re.compile(regex), p.label))

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping matches. Gazetteer names: longest first at each position. A name pattern
        wins over gazetteer names strictly inside it ('Misi Pelatihan NATO di Irak' over 'NATO'),
        but not over a curated name that starts where it starts or crosses its boundary."""
        curated = [(m.start(), m.end(), self.label_of[m.group()])
                   for m in self.pattern.finditer(text)] if self.pattern else []
        by_pattern = sorted(((m.start(), m.end(), label) for regex, label in self.name_patterns
                             for m in regex.finditer(text)), key=lambda x: (x[0], -x[1], x[2]))
        named: list[tuple[int, int, str]] = []
        for start, end, label in by_pattern:
            if any(s < end and start < e for s, e, _ in named):
                continue
            if any(s < end and start < e and not (start < s and e <= end) for s, e, _ in curated):
                continue
            named.append((start, end, label))
        kept = named + [c for c in curated if not any(s < c[1] and c[0] < e for s, e, _ in named)]
        return sorted(kept)


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


def merge_mentions(model: list[Mention], ruler: list[Mention]) -> list[Mention]:
    """Ruler mentions win over overlapping model mentions (curated knowledge beats the model)."""
    kept = list(ruler)
    for mention in model:
        if not any(mention.start < r.end and r.start < mention.end for r in ruler):
            kept.append(mention)
    return sorted(kept, key=lambda m: (m.start, m.end))


def segment_lookup(segments: list[Segment]):
    """A function from character offset to the seg_id containing it (the last segment starting at
    or before it; -1 before the first). Built once per document: each lookup is a bisection."""
    import bisect

    starts = [s.start for s in segments]

    def seg_id(offset: int) -> int:
        index = bisect.bisect_right(starts, offset) - 1
        return segments[index].seg_id if index >= 0 else -1

    return seg_id


def seg_id_at(segments: list[Segment], offset: int) -> int:
    """seg_id of the segment containing ``offset`` (one-off lookups; see ``segment_lookup``)."""
    return segment_lookup(segments)(offset)
