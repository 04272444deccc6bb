"""Stage normalize: contract labels, repaired spans, acronyms, consistent labels, entities.

Order of work per document: map labels -> repair spans -> acronym definitions ->
one label per surface form (gazetteer > country list > acronym > majority of model
votes) -> add missed mentions of unambiguous forms. Then, per language over the
whole corpus, mentions are grouped into entities with content-derived ids.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from pipeline.ingest import Document
from pipeline.ner import Mention
from pipeline.resources import GazetteerEntry, country_names, strip_diacritics

NUMERIC_LABELS = {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"}
# Words that may sit inside a long form without contributing a letter to its acronym.
CONNECTORS = {"of", "and", "the", "for", "in", "on", "to", "de", "dan", "di", "untuk", "yang", "pada", "ke", "dari"}
LEADING_DETERMINERS = re.compile(r"^(?:the|a|an|sang|para)\s+", re.IGNORECASE)
POSSESSIVE = re.compile(r"['’]s?$")
STRIP_LEFT = " \t\r\n\"'“”‘’([{-–—,.;:*•"
STRIP_RIGHT = " \t\r\n\"'“”‘’([{-–—,;:*•"
ACRONYM_IN_PARENS = re.compile(r"\(\s*([A-Z][A-Za-z0-9&.\-]{1,11})\s*\)")
WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


# ---------------------------------------------------------------- keys and spans

def normalized_key(text: str) -> str:
    """Comparison key for a surface form: case, diacritics, possessive, punctuation and 'the' ignored."""
    key = strip_diacritics(text).casefold().replace("’", "'")
    key = LEADING_DETERMINERS.sub("", key)
    key = re.sub(r"'s\b|s'(?=\s|$)", "", key)
    key = re.sub(r"[^\w\s]", " ", key)
    return " ".join(key.split())


def repair_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim determiners, possessives and stray punctuation from a span; may return an empty span."""
    while True:
        old = (start, end)
        while start < end and text[start] in STRIP_LEFT:
            start += 1
        while start < end and text[end - 1] in STRIP_RIGHT:
            end -= 1
        # A trailing ')' is kept only when the span opens it too: "NTM-I (Iraq)".
        if end > start and text[end - 1] == ")" and text.count("(", start, end) < text.count(")", start, end):
            end -= 1
        if end > start and text[end - 1] == "." and not re.search(r"(?:\b\w\.){2,}$|\b[A-Z]\.$", text[start:end]):
            end -= 1
        match = LEADING_DETERMINERS.match(text[start:end])
        if match and match.end() < end - start:
            start += match.end()
        match = POSSESSIVE.search(text[start:end])
        if match and end - start - len(match.group()) > 1:
            end -= len(match.group())
        if (start, end) == old:
            return start, end


# ---------------------------------------------------------------- acronyms

@dataclass(frozen=True)
class AcronymDefinition:
    """'Long Form (ACR)' or 'ACR (Long Form)' found in a text, with character offsets."""

    acronym: str
    acronym_start: int
    long_start: int
    long_end: int
    long_form: str
    how: str  # "initials" (letters in order) or "reordered" (English acronym of an Indonesian long form)


def _acronym_letters(acronym: str) -> str:
    return "".join(c for c in acronym if c.isalpha()).lower()


def _ordered_match(letters: str, words: list[str]) -> bool:
    """Schwartz-Hearst: the acronym's letters appear in order, the first at a word start,
    and most letters (all but one) are word initials."""
    long_form = " ".join(words).lower()
    li = len(long_form) - 1
    for si in range(len(letters) - 1, -1, -1):
        char = letters[si]
        while li >= 0 and (long_form[li] != char or (si == 0 and li > 0 and long_form[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return False
        li -= 1
    # Require the long form to start where the first letter matched, not earlier.
    if not words[0].lower().startswith(letters[0]):
        return False
    initials = [part[0].lower() for w in words for part in re.split(r"[-/]", w) if part]
    hits = sum(1 for c in letters if c in initials)
    return hits >= max(2, len(letters) - 1) or (len(letters) <= 2 and hits == len(letters))


def _reordered_match(letters: str, words: list[str]) -> bool:
    """Initials of the content words are the acronym's letters in another order (PRT for
    'Tim Rekonstruksi Provinsi': Indonesian puts the head noun first)."""
    initials = [part[0].lower() for w in words if w.lower() not in CONNECTORS
                for part in re.split(r"[-/]", w) if part]
    return len(initials) == len(letters) and sorted(initials) == sorted(letters) and \
        all(w[0].isupper() for w in words if w.lower() not in CONNECTORS)


def find_acronym_definitions(text: str) -> list[AcronymDefinition]:
    """Acronym definitions in ``text``: 'Long Form (ACR)' and 'ACR (Long Form)'."""
    found = []
    for match in ACRONYM_IN_PARENS.finditer(text):
        acronym = match.group(1).rstrip(".")
        letters = _acronym_letters(acronym)
        if sum(c.isupper() for c in acronym) < 2 or len(letters) < 2:
            continue
        before = text[max(0, match.start() - 200):match.start()]
        # Stop at a clause boundary: the long form never spans one.
        before = re.split(r"[.;:!?()\[\]\n]|\s[-–—]{1,2}\s", before)[-1]
        offset = match.start() - len(before)
        words = [(m.start() + offset, m.end() + offset, m.group()) for m in
                 re.finditer(r"[^\s,]+", before)]
        max_words = min(len(letters) + 5, len(letters) * 2)
        definition = None
        for size in range(1, min(max_words, len(words)) + 1):
            candidate = words[-size:]
            tokens = [w[2] for w in candidate]
            if tokens[0].lower() in CONNECTORS:
                continue
            how = ("initials" if _ordered_match(letters, tokens)
                   else "reordered" if _reordered_match(letters, tokens) else "")
            if how:
                definition = AcronymDefinition(acronym, match.start(1), candidate[0][0], candidate[-1][1],
                                               text[candidate[0][0]:candidate[-1][1]], how)
                break
        if definition:
            found.append(definition)
    return found


def find_reverse_definitions(text: str) -> list[AcronymDefinition]:
    """'ACR (Long Form)': an acronym followed by its long form in parentheses."""
    found = []
    for match in re.finditer(r"(?<![\w-])([A-Z][A-Z0-9&\-]{1,10})\s*\(([^()\n]{3,120})\)", text):
        acronym, inner = match.group(1), match.group(2)
        letters = _acronym_letters(acronym)
        words = inner.split()
        if len(words) < 2 or len(letters) < 2:
            continue
        if _ordered_match(letters, words) or _reordered_match(letters, words):
            found.append(AcronymDefinition(acronym, match.start(1), match.start(2), match.end(2),
                                           inner, "initials"))
    return found


def all_acronym_definitions(text: str) -> list[AcronymDefinition]:
    """Both directions, sorted by position."""
    return sorted(find_acronym_definitions(text) + find_reverse_definitions(text),
                  key=lambda d: d.acronym_start)


# ---------------------------------------------------------------- per-document normalization

@dataclass
class Knowledge:
    """What normalize knows beyond the model: label maps, gazetteer and country names."""

    label_maps: dict[str, dict[str, str]]       # model name -> {model_label: label}
    gazetteer: dict[str, list[GazetteerEntry]]  # lang -> entries

    def __post_init__(self):
        self.gazetteer_by_key: dict[tuple[str, str], GazetteerEntry] = {}
        for lang, entries in sorted(self.gazetteer.items()):
            for entry in entries:
                for form in entry.forms:
                    self.gazetteer_by_key.setdefault((lang, normalized_key(form)), entry)
        self.countries = {(lang, normalized_key(name))
                          for lang, names in country_names().items() for name in names.values()}

    def known_label(self, lang: str, key: str) -> str:
        """Label from curated knowledge (gazetteer, then country list), or ''."""
        entry = self.gazetteer_by_key.get((lang, key))
        if entry:
            return entry.label
        return "GPE" if (lang, key) in self.countries else ""


def _occurrences(text: str, form: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"(?<![\w-])" + re.escape(form) + r"(?![\w-])", text)]


def _overlaps(start: int, end: int, mentions: list[Mention]) -> bool:
    return any(start < m.end and m.start < end for m in mentions)


class Coverage:
    """Which characters of a document are inside a mention: O(span) checks, whatever the mention count."""

    def __init__(self, size: int, mentions: list[Mention]):
        self.covered = bytearray(size)
        for m in mentions:
            self.mark(m.start, m.end)

    def mark(self, start: int, end: int) -> None:
        self.covered[start:end] = b"\x01" * (end - start)

    def is_free(self, start: int, end: int) -> bool:
        return not any(self.covered[start:end])


def normalize_document(doc: Document, mentions: list[Mention], model_names: dict[str, str],
                       knowledge: Knowledge, acronyms: bool = True, propagate: bool = True
                       ) -> tuple[list[Mention], list[AcronymDefinition]]:
    """Normalized mentions of one document, plus the acronym definitions found in it.

    ``model_names`` maps a model language to the label-map name of that model. Mentions added
    here (acronyms, propagation) take the document's language, like all its mentions.
    """
    text = doc.text
    doc_lang = doc.lang
    result: list[Mention] = []
    for m in mentions:
        start, end = repair_span(text, m.start, m.end)
        if end <= start:
            continue
        label = m.model_label if m.source == "ruler" else \
            knowledge.label_maps[model_names[m.model_lang or m.lang]].get(m.model_label, "MISC")
        result.append(Mention(m.doc_id, start, end, text[start:end], m.model_label, m.lang, m.source, label,
                              model_lang=m.model_lang))
    # Repairs can make two mentions cover the same span; keep the first (ruler first).
    unique: dict[tuple[int, int], Mention] = {}
    for m in sorted(result, key=lambda m: (m.start, m.end, m.source != "ruler")):
        unique.setdefault((m.start, m.end), m)
    result = list(unique.values())

    definitions = all_acronym_definitions(text) if acronyms else []
    acronym_label: dict[str, str] = {}
    for d in definitions:
        lang = doc_lang
        long_key = normalized_key(d.long_form)
        label = knowledge.known_label(lang, long_key) or _label_inside(result, d.long_start, d.long_end)
        if not label:
            label = knowledge.known_label(lang, normalized_key(d.acronym)) or "ORG"
        acronym_label[normalized_key(d.acronym)] = label
        acronym_label[long_key] = label
        if not any(m.start == d.long_start and m.end == d.long_end for m in result):
            # The long form is an entity even where the model split or missed it.
            result = [m for m in result if not (d.long_start <= m.start and m.end <= d.long_end)]
            if not _overlaps(d.long_start, d.long_end, result):
                result.append(Mention(doc.doc_id, d.long_start, d.long_end, d.long_form, "", lang,
                                      "acronym", label))
    coverage = Coverage(len(text), result)
    for d in definitions:
        for start, end in _occurrences(text, d.acronym):
            if coverage.is_free(start, end):
                result.append(Mention(doc.doc_id, start, end, d.acronym, "", doc_lang, "acronym",
                                      acronym_label[normalized_key(d.acronym)]))
                coverage.mark(start, end)

    result = _consistent_labels(result, knowledge, acronym_label)
    if propagate:
        result = _propagate(text, result, doc.doc_id, coverage, doc_lang)
    return sorted(result, key=lambda m: (m.start, m.end)), definitions


def _label_inside(mentions: list[Mention], start: int, end: int) -> str:
    """Label of the longest mention inside [start, end) that is not numeric."""
    inside = [m for m in mentions if start <= m.start and m.end <= end and m.label not in NUMERIC_LABELS]
    return max(inside, key=lambda m: (m.end - m.start, m.label)).label if inside else ""


def _consistent_labels(mentions: list[Mention], knowledge: Knowledge,
                       acronym_label: dict[str, str]) -> list[Mention]:
    """One label per (language, normalized form) in a document."""
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for m in mentions:
        votes[(m.lang, normalized_key(m.text))][m.label] += 1
    for m in mentions:
        key = normalized_key(m.text)
        counter = votes[(m.lang, key)]
        known = knowledge.known_label(m.lang, key)
        if known and m.label not in NUMERIC_LABELS:
            m.label = known
        elif key in acronym_label:
            m.label = acronym_label[key]
        else:
            # Majority, ties broken by label name so the outcome never depends on order.
            m.label = min(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    return mentions


def _propagate(text: str, mentions: list[Mention], doc_id: str, coverage: Coverage,
               lang: str) -> list[Mention]:
    """Add mentions the model missed for capitalized forms that got one label in this document."""
    labels_by_form: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        labels_by_form[m.text].add(m.label)
    added = []
    for form in sorted(labels_by_form, key=lambda f: (-len(f), f)):
        labels = labels_by_form[form]
        if len(labels) != 1 or len(form) < 2 or not form[0].isupper():
            continue
        label = next(iter(labels))
        if label in NUMERIC_LABELS:
            continue
        for start, end in _occurrences(text, form):
            if coverage.is_free(start, end):
                added.append(Mention(doc_id, start, end, form, "", lang, "propagated", label))
                coverage.mark(start, end)
    return mentions + added


# ---------------------------------------------------------------- entities

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


class _UnionFind:
    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def entity_id_for(lang: str, canonical_key: str) -> str:
    """Content-derived id: the same canonical form in the same language always gets the same id."""
    return f"{lang}_" + hashlib.sha1(f"{lang}\x1f{canonical_key}".encode("utf-8")).hexdigest()[:12]


def group_entities(mentions: list[Mention], definitions: list[tuple[str, AcronymDefinition]],
                   knowledge: Knowledge) -> list[Entity]:
    """Group mentions into entities per language and set each mention's entity_id.

    Forms are linked by identical normalized key, acronym definitions (any document
    in the same language) and gazetteer aliases. ``definitions`` pairs each
    definition with the language it was found in.
    """
    groups = _UnionFind()
    for m in mentions:
        groups.find(f"{m.lang}\x1f{normalized_key(m.text)}")
    for lang, d in definitions:
        groups.union(f"{lang}\x1f{normalized_key(d.acronym)}", f"{lang}\x1f{normalized_key(d.long_form)}")
    for (lang, key), entry in knowledge.gazetteer_by_key.items():
        node = f"{lang}\x1f{key}"
        if node in groups.parent:
            groups.union(node, f"{lang}\x1f{normalized_key(entry.name)}")

    members: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        members[groups.find(f"{m.lang}\x1f{normalized_key(m.text)}")].append(m)

    entities = []
    for root, group in members.items():
        lang = group[0].lang
        keys = {normalized_key(m.text) for m in group}
        entry = next((knowledge.gazetteer_by_key[(lang, k)] for k in sorted(keys)
                      if (lang, k) in knowledge.gazetteer_by_key), None)
        forms = Counter(m.text for m in group)
        if entry:
            canonical = entry.name
        else:
            # The most informative form: most words, then most frequent, then alphabetical.
            canonical = min(forms, key=lambda f: (-len(f.split()), -forms[f], f))
        labels = Counter(m.label for m in group)
        label = entry.label if entry else min(labels.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        entity_id = entity_id_for(lang, normalized_key(canonical))
        for m in group:
            m.entity_id = entity_id
            m.label = label if m.label not in NUMERIC_LABELS or label in NUMERIC_LABELS else m.label
        entities.append(Entity(entity_id, canonical, label, lang, sorted(f for f in forms if f != canonical),
                               len(group), len({m.doc_id for m in group}), entry.wikidata if entry else ""))
    return sorted(entities, key=lambda e: (e.lang, e.entity_id))
