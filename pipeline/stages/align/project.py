"""Cross-lingual projection: a name one language's model found becomes a mention where the same
string stands in the other language's documents and that language's model missed it.

Names are mostly written the same in English and Indonesian news (people, cities, many
organisations); when one model misses a name the other found, alignment cannot pair it. The
corpus step collects every name form of each language (``ProjectionForms``, as records finish)
and, before grouping entities, adds a ``projected`` mention wherever a form of the other language
occurs, capitalised and whole, in a gap between the document's mentions (``MentionProjector``).
Forms that are ordinary words in the target language (by wordfreq: frequent there, and more frequent
there than in the form's own language) and short forms are left out.
Three widenings, each measured on the development gold A: a form may cover whole numbers the
numeric rules took ('Nord Stream 2'); a form starting with a place designator also gives the name
without it ('Kabupaten Pidie Jaya' -> 'Pidie Jaya'); a one-word form is also found under another
spelling with the same phonetic key ('Damascus' -> 'Damaskus').
A form may also stand over whole mentions it covers (``widen_mentions``): the model found part of the
name ('St. Louis' of 'Six Flags St. Louis') or cut it in two ('Partizan' + 'Belgrade'); the form replaces
them, never cutting a mention. And a form may stand inside a model mention whose other words are not
part of the name (``trim_mentions``): lower-case words, numbers among them ('kampus Southern University'), an ALL-CAPS
abbreviation ('Jeane Freeman MSP'), a place ('AS Dustin Lance Black', 'Stamford Bridge London') or
another form of two or more words; the form replaces the mention, and a place or such a form becomes a
mention too. A place is a name the text's own language has as a
place or nationality mention of its own that is an abbreviation or known to the place knowledge (CLDR,
pycountry, geonames).
Deterministic: the result depends on the set of forms, never on the order of documents.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Callable

from pipeline.config import ProjectionConfig
from pipeline.core.labels import NUMERIC_LABELS
from pipeline.core.records import DocRecord, Mention, segment_lookup
from pipeline.core.text import NAME_TOKEN, QUOTES, majority, opens_sentence, trim_designator
from pipeline.resources.word_frequency import frequency_lookup
from pipeline.stages.align.methods import phonetic_key
from pipeline.stages.align.name_translation import NameTranslator

PLACE_LABELS = ("GPE", "LOC", "NORP")
APOSTROPHES = (("'", "’"), ("’", "'"))


class ProjectionForms:
    """Name forms seen per document language, with their labels (one summary per form).

    A form that starts with one of its language's place designators ('Kabupaten Pidie Jaya',
    'Provinsi Aceh'; ``designators``, from configs/places.yaml) also gives the name without it:
    the other language writes the designator elsewhere or not at all ('Pidie Jaya regency')."""

    def __init__(self, config: ProjectionConfig, designators: dict[str, tuple[str, ...]] | None = None,
                 place_label: Callable[[str, str], str] | None = None):
        self.config = config
        self.designators = designators or {}
        # (lang, text) -> 'GPE'/'LOC' for a known place name, '' otherwise (PlaceKnowledge.place_label)
        self.place_label = place_label or (lambda lang, text: "")
        self.labels: dict[str, dict[str, Counter]] = {}  # lang -> form -> label counts
        self.verbatim: dict[str, set[str]] = {}         # lang -> English names kept verbatim there (normalize)
        # lang -> place and nationality mentions of any length with their labels ('AS', 'London'): what a
        # model may have run into a name, and which stands as a name of its own when the name is trimmed
        self.places: dict[str, dict[str, Counter]] = {}
        # lang -> runs of capitalised words standing inside a sentence where no mention is
        # (``shared_names``): a run both languages write is a name neither model found ('Homer', 'Irkutsk')
        self.runs: dict[str, set[str]] = {}
        self.opening_runs: dict[str, set[str]] = {}   # ... and those opening a sentence

    def add(self, record: DocRecord) -> None:
        """The name forms of one finished record (model and rule mentions; numeric ones never)."""
        if not record.ok:
            return
        for m in record.mentions:
            if m.label in NUMERIC_LABELS:
                continue
            for form in (m.text, self._without_designator(m.text, m.lang)):
                if form and _is_name_form(form, self.config):
                    self.labels.setdefault(m.lang, {}).setdefault(form, Counter())[m.label] += 1
            if m.source == "verbatim":
                self.verbatim.setdefault(m.lang, set()).add(m.text)
            if m.label in PLACE_LABELS and m.text[:1].isupper():
                self.places.setdefault(m.lang, {}).setdefault(m.text, Counter())[m.label] += 1
        if self.config.shared_names and record.document.text:
            inner, opening = capitalised_runs(record.document.text, record.mentions)
            self.runs.setdefault(record.language.lang, set()).update(
                run for run in inner if _is_name_form(run, self.config))
            self.opening_runs.setdefault(record.language.lang, set()).update(
                run for run in opening if _is_name_form(run, self.config))

    def forget(self, forms: set[str]) -> None:
        """Leave ``forms`` out of everything collected (acronyms of terms: never projected)."""
        if not forms:
            return
        for collected in (self.labels, self.places):
            for by_form in collected.values():
                for form in forms & by_form.keys():
                    del by_form[form]
        for collected in (self.verbatim, self.runs, self.opening_runs):
            for found in collected.values():
                found -= forms

    def shared_names(self) -> dict[str, str]:
        """Runs of capitalised words where no model found a name that one language's documents write
        inside a sentence and another's write too (inside a sentence or opening one), with a label: the
        place knowledge's (GPE/LOC), else MISC. A run standing inside a sentence is a name; one that the
        other language writes the same is a name both models missed ('Homer', 'Irkutsk'), not a word."""
        shared: dict[str, str] = {}
        languages = sorted(self.runs)
        for lang in languages:
            for other in languages:
                if other == lang:
                    continue
                seen = self.runs[other] | self.opening_runs.get(other, set())
                for run in sorted(self.runs[lang] & seen):
                    shared.setdefault(run, self.place_label(lang, run) or self.place_label(other, run) or "MISC")
        return shared

    def _without_designator(self, text: str, lang: str) -> str:
        """The name after a leading designator, in any case, or ''."""
        start = trim_designator(text, 0, len(text), self.designators.get(lang, ()), any_case=True)
        return text[start:] if start else ""


def _is_name_form(text: str, config: ProjectionConfig) -> bool:
    words = NAME_TOKEN.findall(text)
    return (len(text) >= config.min_chars and 1 <= len(words) <= config.max_words
            and text[:1].isupper() and text == " ".join(text.split()))


class MentionProjector:
    """Adds ``projected`` mentions to records from the forms of the other languages; with a
    ``lexicon`` (Indonesian -> English, the translation method's) also English names found in
    Indonesian text under their translation (``translate``, name_translation.py)."""

    def __init__(self, forms: ProjectionForms, languages: list[str], lexicon: dict[str, list[str]] | None = None,
                 curated: dict[str, frozenset[str]] | None = None):
        self.config = forms.config
        # the gazetteer's names and aliases per language: a curated name is never trimmed
        self.curated = curated or {}
        self._frequency = frequency_lookup(tuple(languages))
        self.targets: dict[str, dict[str, str]] = {}  # target lang -> form -> label
        shared = forms.shared_names() if self.config.shared_names else {}
        for target in languages:
            found: dict[str, Counter] = {}
            for source, labels in forms.labels.items():
                if source == target:
                    continue
                for form, counts in labels.items():
                    if not self._common_word(form, target, source):
                        found.setdefault(form, Counter()).update(counts)
            self.targets[target] = {form: majority(counts) for form, counts in found.items()}
            for form, label in shared.items():
                if not self._common_word(form, target):
                    self.targets[target].setdefault(form, label)
            # One text writes "Burt's Bees", its translation "Burt’s Bees": a form is sought with either
            # apostrophe (the form itself wins where both were seen).
            for form, label in list(self.targets[target].items()):
                for a, b in APOSTROPHES:
                    if a in form:
                        self.targets[target].setdefault(form.replace(a, b), label)
        # An English name another language kept verbatim ('Marks and Spencer' in Indonesian text) is one
        # name where it stands in the text too: it replaces the pieces the model cut it into ('Marks',
        # 'Spencer'), which a form otherwise never does (forms go into gaps between mentions only).
        self.replacing: dict[str, frozenset[str]] = {
            target: frozenset(form for source, forms_ in forms.verbatim.items() if source != target
                              for form in forms_ if form in self.targets[target])
            for target in languages}
        # The first word of each form, per target language, with the form lengths (in words) starting
        # with it, longest first: most words of a text start no form and are passed over at once.
        self.starts: dict[str, dict[str, list[int]]] = {}
        for target, forms_ in self.targets.items():
            starts: dict[str, set[int]] = {}
            for form in forms_:
                words = NAME_TOKEN.findall(form)
                starts.setdefault(words[0], set()).add(len(words))
            self.starts[target] = {word: sorted(lengths, reverse=True) for word, lengths in starts.items()}
        # Spelling variants: a one-word form under its phonetic key ('Damascus' -> 'damaskus'), so that
        # the target language's own spelling of it ('Damaskus') is found too; keys of several forms
        # with different labels take the majority, keys of ordinary target-language words are never sought.
        self.variants: dict[str, dict[str, str]] = {}
        for target, forms_ in self.targets.items():
            keyed: dict[str, Counter] = {}
            if self.config.spelling_variants:
                for form, label in sorted(forms_.items()):
                    if len(NAME_TOKEN.findall(form)) == 1 and len(form) >= self.config.min_variant_chars:
                        keyed.setdefault(phonetic_key(form), Counter())[label] += 1
            self.variants[target] = {key: majority(counts) for key, counts in keyed.items()}
        self._variant_of: dict[tuple[str, str], str | None] = {}
        self.forms = forms
        self.translator = NameTranslator(
            {form: majority(counts) for form, counts in forms.labels.get("en", {}).items()},
            lexicon, self.config.max_words) if lexicon and self.config.translate and "id" in languages else None
        # Each language's own place and nationality forms, with their labels: the words a model may
        # have run into a name ('AS' in 'AS Dustin Lance Black') that stand as names of their own.
        self.own_places: dict[str, dict[str, str]] = {
            lang: {form: majority(counts) for form, counts in forms.places.get(lang, {}).items()}
            for lang in languages} if self.config.trim_mentions else {}
        # doc_id -> the spans found in it: the corpus step's second pass reads the same records again,
        # and searching every text twice was a tenth of an incremental rerun (a few tuples per document).
        self._found: dict[str, list[tuple[int, int, str]]] = {}

    def _common_word(self, form: str, lang: str, source: str | None = None) -> bool:
        """One-word forms that are ordinary words in ``lang`` ('Presiden' in English text). With the
        ``source`` language the form was found in, the word must also be at least ``common_word_ratio``
        times as frequent in ``lang`` as there: a name is frequent in every language's news ('London',
        'Australia' are as frequent in Indonesian as 'partai'), an ordinary word only in its own."""
        words = NAME_TOKEN.findall(form)
        if len(words) != 1:
            return False
        key = form.lower()
        frequency = self._frequency(key, lang)
        if frequency < self.config.common_word_frequency:
            return False
        return source is None or frequency >= self.config.common_word_ratio * self._frequency(key, source)

    def _forms_for(self, record: DocRecord) -> dict[str, str] | None:
        """The forms sought in ``record`` (those of its language's target), or None where nothing is
        projected: a failed or empty document, or one projected already."""
        forms = self.targets.get(record.language.lang) if record.ok else None
        if not forms or not record.document.text or any(m.source == "projected" for m in record.mentions):
            return None
        return forms

    def search(self, record: DocRecord) -> tuple[list, dict] | None:
        """What ``project`` would add to ``record`` and trim in it, without changing it (None where it
        projects nothing): a pure function of the record and the forms, so other processes may compute it
        for ``remember``."""
        forms = self._forms_for(record)
        return None if forms is None else self._find(record, forms)

    def remember(self, found: dict[str, tuple[list, dict]]) -> None:
        """Take ``search``'s results (doc_id -> result) computed elsewhere: ``project`` uses them as its own."""
        self._found.update(found)

    def project(self, record: DocRecord) -> int:
        """Add the projected mentions of one record (in gaps between its mentions); returns how many.
        A pure function of the record and the forms: the corpus step's two passes get the same."""
        forms = self._forms_for(record)
        if forms is None:
            return 0
        text, lang = record.document.text, record.language.lang
        found = self._found.get(record.doc_id)
        if found is None:
            found = self._found[record.doc_id] = self._find(record, forms)
        spans, trims = found
        if spans or trims:
            seg_of = segment_lookup(record.segments)
            new = spans + [span for parts in trims.values() for span in parts]
            added = [Mention(record.doc_id, start, end, text[start:end], label, lang, "projected", label,
                             seg_of(start), model_lang=lang) for start, end, label in new]
            # A number inside a projected name is part of it ('Nord Stream 2'), and so are the pieces of a
            # name kept verbatim ('Marks', 'Spencer') and the place in a translated name ('Skotlandia' in
            # 'Pemerintah Skotlandia'): the name replaces them. A trimmed mention gives way to its parts.
            kept = [m for m in record.mentions if (m.start, m.end) not in trims
                    and not any(s <= m.start and m.end <= e for s, e, _ in spans)]
            record.mentions = sorted(kept + added, key=lambda m: (m.start, m.end))
        return len(spans) + len(trims)

    def _find(self, record: DocRecord, forms: dict[str, str]) -> tuple[list, dict]:
        """The spans to add (start, end, label) and the mentions to trim, for one record: names found
        under their translation first, then trims of the mentions they leave, then identical forms in
        the gaps that remain."""
        text, lang, mentions = record.document.text, record.language.lang, record.mentions
        translated = [(start, end, label) for start, end, label, _ in self.translator.find(text, mentions)] \
            if self.translator is not None and lang == "id" else []
        inside = lambda m: any(s <= m.start and m.end <= e for s, e, _ in translated)
        untouched = [m for m in mentions if not inside(m)]
        name_of = self.translator.name_of_run if self.translator is not None and lang == "id" else None
        curated = self.curated.get(lang, frozenset())
        trims = self._trims(text, untouched, forms, self.starts[lang], self._place_of(lang),
                            lambda name: bool(self.forms.place_label(lang, name)) or name in curated, name_of) \
            if self.config.trim_mentions else {}
        # the translated names are taken: identical forms are sought around them
        taken = untouched + [Mention(record.doc_id, s, e, text[s:e], label, lang, "projected", label)
                             for s, e, label in translated]
        variant = (lambda word: self._variant(word, lang)) if self.variants.get(lang) else None
        spans = self._search(text, taken, forms, self.starts[lang], variant,
                             self.config.min_variant_chars, self.replacing.get(lang, frozenset()),
                             self.config.widen_mentions)
        # a mention a widened form covers is replaced whole: it is not trimmed as well
        trims = {key: parts for key, parts in trims.items()
                 if not any(s <= key[0] and key[1] <= e for s, e, _ in spans)}
        return sorted(translated + spans), trims

    def _place_of(self, lang: str) -> Callable[[str], str]:
        """The label of a place or nationality name of ``lang``, or '': a name that ``lang``'s documents
        have as a place mention of its own, and that is an abbreviation ('AS') or a place the place
        knowledge knows ('London'; not 'Ri' of 'Ri Yong Ho', which both models took for a place)."""
        own, known = self.own_places.get(lang, {}), self.forms.place_label
        # a designator is part of the name it stands before ('Kota New York'), though 'Kota' is a city too
        designators = {d.lower() for d in self.forms.designators.get(lang, ())}

        def place_of(text: str) -> str:
            if text.lower() in designators:
                return ""
            label = own.get(text, "")
            if label and text.isupper():
                return label
            # a known place the language's own model found as one too ('Rogers' is a town as well)
            return label and known(lang, text) and label
        return place_of

    @staticmethod
    def _trims(text: str, mentions: list[Mention], forms: dict[str, str], starts: dict[str, list[int]],
               place_of: Callable[[str], str], known_name: Callable[[str], bool],
               name_of: Callable[[str], tuple[str, str] | None] | None = None
               ) -> dict[tuple[int, int], list[tuple[int, int, str]]]:
        """(start, end) of each model or ruler mention that the longest form inside it replaces, with the spans
        and labels that stand instead: the form, and a rest that is a place ('AS', 'London'), another
        form of 2+ words ('Excelsior Terrace' + 'Midsomer Norton') or, with ``name_of`` (the name
        translator's look-up), an English name of 2+ words under its translation ('Partai Komunis
        Tiongkok' + 'Xi Jinping': 'Chinese Communist Party'). Only when every rest (before and after
        the form) is lower-case words (numbers among them), an ALL-CAPS abbreviation, a place
        (``place_of``) or such a form, never two person names; a mention that is itself a form, a known
        place or curated name (``known_name``) or an English name under its translation stays."""
        trims: dict[tuple[int, int], list[tuple[int, int, str]]] = {}
        for m in mentions:
            if m.source not in ("model", "ruler") or m.label in NUMERIC_LABELS or m.text in forms \
                    or known_name(m.text):
                continue  # a known place is one name ('Korea Utara', though English has 'Korea')
            tokens = list(NAME_TOKEN.finditer(text, m.start, m.end))
            best = None
            for i, token in enumerate(tokens):
                for n in starts.get(token.group(), ()):
                    if i + n > len(tokens) or n == len(tokens):
                        continue
                    start, end = token.start(), tokens[i + n - 1].end()
                    label = forms.get(text[start:end])
                    if label is not None and (best is None or end - start > best[1] - best[0]):
                        best = (start, end, label)
            if best is None or (name_of is not None and name_of(m.text) is not None):
                continue  # no form inside, or the whole mention is an English name ('Partai Republik Florida')
            parts = [best]
            for rest_start, rest_end in ((m.start, best[0]), (best[1], m.end)):
                rest = text[rest_start:rest_end].strip(" \t,.&-–'’\"")
                if not rest:
                    continue
                # another form of two or more words ('Midsomer Norton'); one word may be a first name that
                # the other model took apart ('Lukas' of 'Lukas Lundvald Nielsen') or a title ('MSP')
                label = place_of(rest) or (len(rest.split()) > 1 and forms.get(rest))
                translated = name_of(rest) if not label and name_of is not None and len(rest.split()) > 1 else None
                if translated is not None:
                    label = translated[0]  # an English name under its translation ('Partai Komunis Tiongkok')
                if label == "PER" and best[2] == "PER":
                    break  # two person names side by side are one
                if label:  # 'AS' in 'AS Dustin Lance Black', 'London' in 'Stamford Bridge London', another name
                    offset = text.index(rest, rest_start)
                    parts.append((offset, offset + len(rest), label))
                elif not (_lower_words(rest) or (rest.isupper() and rest.isalpha() and len(rest) <= 5)):
                    break  # another capitalised word may belong to the name ('Universitas Harvard')
            else:
                trims[(m.start, m.end)] = sorted(parts)
        return trims

    def _variant(self, word: str, lang: str) -> str | None:
        """The label of the form ``word`` (capitalised, ``min_variant_chars`` or longer) is a spelling
        variant of in ``lang``'s documents, or None."""
        key = (word, lang)
        if key not in self._variant_of:
            label = self.variants[lang].get(phonetic_key(word))
            self._variant_of[key] = None if label is None or self._common_word(word, lang) else label
        return self._variant_of[key]

    @staticmethod
    def _search(text: str, mentions: list[Mention], forms: dict[str, str], starts: dict[str, list[int]],
                variant=None, min_variant_chars: int = 1, replacing: frozenset[str] = frozenset(),
                widen: bool = False) -> list[tuple[int, int, str]]:
        """(start, end, label) of every form standing whole in a gap between ``mentions``, longest first,
        or, for a form in ``replacing`` or any form with ``widen``, over whole mentions (never cutting one,
        never just one mention's own span: its label stands); a one-word gap that
        ``variant`` gives a label (a spelling variant of a form; asked only of capitalised words of
        ``min_variant_chars`` or more) when no form stands there."""
        words = NAME_TOKEN.findall(text)
        if variant is None:
            variant = _no_variant
        # Only tokens that start some form or may be a variant are looked at (most are neither; the
        # cheap tests first: calling ``variant`` for every word was a third of the search);
        # positions are taken from the regex's matches only there.
        candidates = [i for i, word in enumerate(words)
                      if word in starts or (word[:1].isupper() and len(word) >= min_variant_chars
                                            and variant(word) is not None)]
        if not candidates:
            return []
        tokens = list(NAME_TOKEN.finditer(text))
        # 1 where a name mention already stands; numbers do not block: a form may hold whole numbers
        # ('Nord Stream 2', whose '2' the numeric rules took) but never cut one.
        taken = bytearray(len(text))
        for m in mentions:
            if m.label not in NUMERIC_LABELS:
                taken[m.start:m.end] = b"\x01" * (m.end - m.start)
        found = []
        free_from = 0  # the first token after the last match (matches never overlap)
        for i in candidates:
            if i < free_from:
                continue
            for n in starts.get(words[i], ()):
                if i + n > len(tokens):
                    continue
                start, end = tokens[i].start(), tokens[i + n - 1].end()
                form = text[start:end]
                label = forms.get(form)
                free = taken.find(1, start, end) == -1 or (
                    (form in replacing or (widen and _may_widen(form, mentions, start, end)))
                    and _replaces_pieces(mentions, start, end))
                if label is not None and free and not _cuts_number(mentions, start, end):
                    found.append((start, end, label))
                    free_from = i + n
                    break
            else:
                if not (words[i][:1].isupper() and len(words[i]) >= min_variant_chars):
                    continue
                start, end = tokens[i].start(), tokens[i].end()
                label = variant(words[i])
                if label is not None and taken.find(1, start, end) == -1 and not _cuts_number(mentions, start, end):
                    found.append((start, end, label))
                    free_from = i + 1
        return found


# A capitalised word ('Irkutsk', 'Chandrayaan-1'), not an abbreviation or a code ('ALT', 'CD4', 'D-dimer':
# those need the evidence the acronym rules ask for); runs of them joined by single spaces, a number
# may close one ('Formula 1'). Latin-1 capitals, as core.text.NAME_WORD ('Łódź' is not found).
CAPITALISED_WORD = r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ][^\W_]*(?:[-'’][^\W_]+)*"
# not inside a word ('O'Brien', 'Jae-in'); after a quotation mark it is ('the show 'Troy'')
CAPITALISED_RUN = re.compile(
    rf"(?<![\w-])(?<!\w['’]){CAPITALISED_WORD}(?: {CAPITALISED_WORD})*(?: \d+(?!\w))?(?!\w)")


def capitalised_runs(text: str, mentions: list[Mention]) -> tuple[list[str], list[str]]:
    """Runs of capitalised words (not abbreviations; numbers may follow one: 'Formula 1') joined by single
    spaces that touch no mention: those standing inside a sentence (after a word or a comma: a name, in
    either language) and those opening one (where every word is capitalised)."""
    taken = bytearray(len(text))
    for m in mentions:
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
    inner, opening = [], []
    for run in CAPITALISED_RUN.finditer(text):
        start, end = run.span()
        if taken.find(1, start, end) != -1:
            continue
        (opening if opens_sentence(text, start) else inner).append(run.group())
    return inner, opening


def _lower_words(rest: str) -> bool:
    """Lower-case words, with numbers among them ('kampus', 'stasiun pompa 9'); a number alone may be
    part of the name ('Nord Stream 2')."""
    words = rest.split()
    return any(w[:1].islower() for w in words) and all(w[:1].islower() or w.isdigit() for w in words)


def _no_variant(word: str) -> None:
    return None


def _replaces_pieces(mentions: list[Mention], start: int, end: int) -> bool:
    """Whether the span ``start:end`` holds only whole mentions, none of them the span itself (that
    one is the name already: its label stands)."""
    return not any(m.start < start < m.end or m.start < end < m.end or (m.start, m.end) == (start, end)
                   for m in mentions)


def _may_widen(form: str, mentions: list[Mention], start: int, end: int) -> bool:
    """Whether a form may stand over the mentions it covers: never over a person (the models find person
    names whole; what a longer form adds is a title or a post: 'Dr.', 'Lord', 'MSP'), no digits (a score or
    a count run into a name: 'Livi 11', 'Dundee 2-1'), no quotation marks (a span cut inside a quotation)."""
    if any(c.isdigit() or c in QUOTES for c in form):
        return False
    return not any(m.label == "PER" for m in mentions if start <= m.start and m.end <= end)


def _cuts_number(mentions: list[Mention], start: int, end: int) -> bool:
    """Whether the span ``start:end`` holds part of a numeric mention but not all of it."""
    return any(m.label in NUMERIC_LABELS and (m.start < start < m.end or m.start < end < m.end) for m in mentions)
