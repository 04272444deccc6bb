"""Translated projection: an English name of two or more words found in Indonesian text under its
translation, where the Indonesian model missed it ('Scottish Government' -> 'Pemerintah Skotlandia',
'Hero of the Soviet Union' -> 'Pahlawan Uni Soviet').

Identical projection (``project.py``) finds names both languages write the same; names of
institutions, events and works are translated, and the Indonesian model misses many of them (on the
development golds, a third of the Indonesian-side misses). Each run of capitalised words in an
Indonesian text (internal function words allowed: 'Komite Perdagangan dan Energi') is read word by
word with the translation method's lexicon (phrases first, as ``word_groups`` does), and a part of it
becomes a ``projected`` mention when its words and an English name's content words match one to one:
every Indonesian word translates to a word of the name, and every word of the name is met. Person
names are never translated (a person's name is written the same). The span may hold whole mentions
(the place inside 'Pemerintah Skotlandia' gives way to the name) but never cuts one.
Deterministic: a pure function of the text, its mentions, the English forms and the lexicon.
"""
from __future__ import annotations

from collections import defaultdict

from pipeline.core.labels import NUMERIC_LABELS
from pipeline.core.records import Mention
from pipeline.core.text import NAME_TOKEN
from pipeline.stages.align.methods import (EN_FUNCTION_WORDS, ID_FUNCTION_WORDS, name_words, singular,
                                           translation_options, word_groups)


class NameTranslator:
    """English multi-word names (with labels) indexed by their content words, found in Indonesian text."""

    def __init__(self, english_forms: dict[str, str], lexicon: dict[str, list[str]], max_words: int = 6):
        self.lexicon = lexicon
        self.max_words = max_words
        self.names: dict[frozenset[str], list[tuple[str, str]]] = defaultdict(list)  # words -> (form, label)
        self.postings: dict[str, set[frozenset[str]]] = defaultdict(set)
        for form, label in sorted(english_forms.items()):
            if label == "PER" or label in NUMERIC_LABELS or _coordination(form, english_forms):
                continue
            words = [singular(w) for w in name_words(form, EN_FUNCTION_WORDS)]
            if len(words) < 2 or len(set(words)) != len(words):
                continue
            key = frozenset(words)
            self.names[key].append((form, label))
            for word in key:
                self.postings[word].add(key)
        # first words of the lexicon's phrases ('musim' of 'musim semi'), and per word whether a name
        # can start there: most capitalised words translate to no word of any English name
        self._phrase_starts = {key.split()[0] for key in lexicon if " " in key} if self.names else set()
        self._can_start: dict[str, bool] = {}

    def find(self, text: str, mentions: list[Mention]) -> list[tuple[int, int, str, str]]:
        """(start, end, label, English form) of each name found in ``text``, longest first at each
        position, never overlapping each other, never cutting a mention, never a mention's own span."""
        if not self.names:
            return []
        tokens = list(NAME_TOKEN.finditer(text))
        # 1 at each offset strictly inside a mention: a span may not start or end there
        inside = bytearray(len(text) + 1)
        for m in mentions:
            inside[m.start + 1:m.end] = b"\x01" * max(0, m.end - m.start - 1)
        exact = {(m.start, m.end) for m in mentions if m.label not in NUMERIC_LABELS}
        found = []
        free_from = 0
        for i, token in enumerate(tokens):
            if i < free_from or not token.group()[:1].isupper():
                continue
            match = self._longest_at(text, tokens, i, mentions, inside, exact)
            if match is not None:
                n, label, form = match
                found.append((token.start(), tokens[i + n - 1].end(), label, form))
                free_from = i + n
        return found

    def _longest_at(self, text, tokens, i, mentions, inside, exact):
        first = tokens[i].group()
        if first.lower() in ID_FUNCTION_WORDS or not self._starts_a_name(first.lower()):
            return None  # 'Di Pulau Nias' opens a sentence; most capitalised words start no name
        # the run: capitalised words, function words between them, separated by spaces only
        run_end = i + 1
        while run_end < len(tokens) and run_end - i < self.max_words:
            word, gap = tokens[run_end].group(), text[tokens[run_end - 1].end():tokens[run_end].start()]
            if gap.strip() or "\n" in gap or not (word[:1].isupper() or word in ID_FUNCTION_WORDS):
                break
            run_end += 1
        for last in range(run_end - 1, i, -1):
            run = tokens[i:last + 1]
            if not run[-1].group()[:1].isupper():
                continue
            start, end = run[0].start(), run[-1].end()
            if inside[start] or inside[end] or (start, end) in exact or (
                    any(t.group() == "dan" for t in run) and _holds_several(mentions, start, end)):
                continue
            named = self.name_of(text[start:end])
            if named is not None:
                return (len(run), *named)
        return None

    def _starts_a_name(self, word: str) -> bool:
        """Whether a name may start with ``word``: it or one of its translations is a word of some
        English name, or it opens a lexicon phrase (a pure look-up, cached per word)."""
        known = self._can_start.get(word)
        if known is None:
            words = {singular(word)} | {singular(w) for t in self.lexicon.get(word, ()) for w in t.split()}
            known = self._can_start[word] = bool(words & self.postings.keys()) or word in self._phrase_starts
        return known

    def name_of_run(self, span: str) -> tuple[str, str] | None:
        """``name_of`` for a span that stands as a name on its own, as ``find`` reads them: capitalised
        words (function words between them) separated by single spaces, no punctuation."""
        tokens = list(NAME_TOKEN.finditer(span))
        if not tokens or tokens[0].start() or tokens[-1].end() != len(span):
            return None
        words = [t.group() for t in tokens]
        gaps = [span[a.end():b.start()] for a, b in zip(tokens, tokens[1:])]
        if any(gap != " " for gap in gaps) or not (words[0][:1].isupper() and words[-1][:1].isupper()) \
                or not all(w[:1].isupper() or w in ID_FUNCTION_WORDS for w in words):
            return None
        return self.name_of(span)

    def name_of(self, span: str) -> tuple[str, str] | None:
        """The (label, English form) whose content words the span's words translate one to one."""
        groups = word_groups(name_words(span, ID_FUNCTION_WORDS), self.lexicon)
        if len(groups) < 2:
            return None
        options = translation_options(groups)
        candidates = set().union(*(self.postings.get(w, set()) for w in options[0]))
        for key in sorted(candidates, key=lambda k: sorted(k)):
            if len(key) == len(groups) and _one_to_one(options, key):
                form, label = self.names[key][0]
                return label, form
        return None


def _holds_several(mentions: list[Mention], start: int, end: int) -> bool:
    """Whether the span holds two name mentions or more: with 'dan' between them a coordination
    ('Berlin dan Moscow', 'Facebook dan Google'), not one name."""
    return sum(start <= m.start and m.end <= end and m.label not in NUMERIC_LABELS for m in mentions) > 1


def _coordination(form: str, forms: dict[str, str]) -> bool:
    """An English span joining two names of its own ('Facebook and Google'): the model ran them together."""
    parts = form.split(" and ")
    return len(parts) == 2 and all(part in forms for part in parts)


def _one_to_one(options: list[set[str]], words: frozenset[str]) -> bool:
    """Whether each Indonesian unit can take a distinct English word among its translations
    (a perfect matching; names are short, so plain backtracking)."""
    def assign(i: int, used: frozenset[str]) -> bool:
        if i == len(options):
            return True
        return any(assign(i + 1, used | {w}) for w in sorted(options[i] & words) if w not in used)
    return assign(0, frozenset())
