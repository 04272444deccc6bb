"""Typed records passed between the stages.

Per document, the stages fill one ``DocRecord`` (document, language, segments, mentions, token
count, acronym definitions): it holds plain data only (no model objects), so it can be cached,
pickled and sent to another process or machine. Corpus-level stages take lists of records and
produce ``Entity`` and ``Alignment`` records.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field


@dataclass
class Document:
    """One input file and its decoded text (``text`` is empty unless status is ok)."""

    doc_id: str
    path: str
    sha256: str
    text: str
    encoding: str
    status: str = "ok"      # ok | skipped | error
    reason: str = ""


@dataclass
class LanguageResult:
    """A document's language: ISO 639-1 code (``und`` unknown), its probability, and whether
    some segment is in another language."""

    lang: str = "und"
    score: float = 0.0
    is_mixed: bool = False


@dataclass(slots=True)
class Segment:
    """A sentence-sized (or language-homogeneous) span of a document with its language."""

    doc_id: str
    seg_id: int
    start: int
    end: int
    lang: str
    score: float


@dataclass(slots=True)  # a corpus holds millions: no per-object __dict__
class Mention:
    """An entity mention with document character offsets (end exclusive).

    NER sets the span, ``model_label``, ``model_lang`` and ``source``; normalize sets ``label``
    and ``seg_id``; entity grouping sets ``entity_id`` (and may unify ``label``)."""

    doc_id: str
    start: int
    end: int
    text: str
    model_label: str
    lang: str               # the document's language: an English name in an Indonesian text is Indonesian corpus
    source: str             # model | ruler | acronym | propagated
    label: str = ""
    seg_id: int = -1
    entity_id: str = ""
    model_lang: str = ""    # language of the model (segment) that found it


@dataclass(frozen=True)
class AcronymDefinition:
    """'Long Form (ACR)' or 'ACR (Long Form)' found in a text, with character offsets."""

    acronym: str
    acronym_start: int
    long_start: int
    long_end: int
    long_form: str
    how: str  # "initials" (letters in order) or "reordered" (English acronym of an Indonesian long form)


def segment_lookup(segments: list[Segment]):
    """A function from character offset to the seg_id containing it (the last segment starting at
    or before it; -1 before the first). Built once per document: each lookup is a bisection."""
    starts = [s.start for s in segments]

    def seg_id(offset: int) -> int:
        index = bisect.bisect_right(starts, offset) - 1
        return segments[index].seg_id if index >= 0 else -1

    return seg_id


def seg_id_at(segments: list[Segment], offset: int) -> int:
    """seg_id of the segment containing ``offset`` (one-off lookups; see ``segment_lookup``)."""
    return segment_lookup(segments)(offset)


@dataclass
class DocRecord:
    """Everything the per-document stages produce for one document."""

    document: Document
    language: LanguageResult = field(default_factory=LanguageResult)
    segments: list[Segment] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    n_tokens: int = 0
    acronyms: list[AcronymDefinition] = field(default_factory=list)
    # Acronyms the text defines by a lower-case term ('magnetic resonance imaging (MRI)'): not names,
    # here or anywhere in the corpus (normalize.rules.term_acronyms)
    terms: list[str] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        return self.document.doc_id

    @property
    def ok(self) -> bool:
        return self.document.status == "ok"

    def fail(self, stage: str, exc: BaseException) -> None:
        """Mark the document as an error row naming the stage and the exception; drop its mentions."""
        # repr() escapes control characters: a reason is data, never markup or terminal codes.
        self.document.status = "error"
        self.document.reason = f"{stage} failed: {type(exc).__name__}: {str(exc)[:200]!r}"
        self.mentions = []


@dataclass
class Entity:
    """Mentions in one language that denote the same thing."""

    entity_id: str
    canonical: str
    label: str
    lang: str
    aliases: list[str]
    n_mentions: int
    n_docs: int
    external_id: str


@dataclass
class Alignment:
    """A kept English/Indonesian pair: the strongest method, the combined score and all evidence."""

    en: Entity
    id: Entity
    method: str
    score: float
    evidence: str
    methods: list[str]
    relabeled: tuple[str, ...] = ()  # label reconciliation, "lang:OLD->NEW" per entity that changed
    keep_labels: bool = False        # a nationality and a place name (German / Jerman): no reconciliation
