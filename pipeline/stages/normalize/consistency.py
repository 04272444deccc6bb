"""Per-document normalization: contract labels, repaired spans, acronyms tied to their long forms,
one label per surface form, and mentions the model missed for unambiguous forms.

Order of work: map labels -> an English name kept verbatim in Indonesian text is one mention ('Marks and
Spencer') -> join names split at '&', and at a joiner when the whole is a known name ('Trinidad and
Tobago') -> cut spans at line breaks, list commas, inner designators ('Xining provinsi Qinghai') and
after a leading country ('Italia Juve') -> repair spans (a dangling joiner: 'Federal Reserve Bank of'
-> '... of St. Louis'; designators: 'kota Berlin' -> 'Berlin'; titles: 'Bapak Mandagi' -> 'Mandagi')
-> one-word model mentions the document writes in lower case dropped -> acronyms defined by a lower-case
term dropped ('magnetic resonance imaging (MRI)') -> acronym definitions (kept only with evidence that
the acronym names an entity) -> one label per surface form (gazetteer > country list >
place knowledge for places > acronym > majority of model votes) -> time zones after a clock time are
TIME -> propagation -> language names ('bahasa Inggris': MISC).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from pipeline.config import NormalizeRules
from pipeline.core.labels import NUMERIC_LABELS
from pipeline.core.records import AcronymDefinition, DocRecord, Mention, segment_lookup
from pipeline.core.text import majority, normalized_key, opens_sentence, overlaps, trim_designator
from pipeline.resources import Knowledge
from pipeline.resources.word_frequency import frequency_lookup
from pipeline.stages.normalize.acronyms import CONNECTORS, all_acronym_definitions
from pipeline.stages.normalize.spans import (STRIP_LEFT, STRIP_RIGHT, close_dangling_joiner, complete_words,
                                             inner_designator_start, leading_country_end, line_parts, list_parts,
                                             repair_span, trim_designator_tail, verbatim_english_names)

PLACE_LABELS = ("GPE", "LOC")
RULE_SOURCES = ("ruler", "rule")   # what a rule said is already a contract label


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_-"


def _occurrences(text: str, form: str) -> list[tuple[int, int]]:
    r"""Where ``form`` stands whole in ``text`` (no word character or hyphen on either side), left to
    right, never overlapping: what ``re.finditer(r"(?<![\w-])FORM(?![\w-])")`` finds, by ``str.find``
    (a regex per form and document was most of propagation's time)."""
    found, start, size = [], text.find(form), len(form)
    while start != -1 and size:
        end = start + size
        if (start == 0 or not _is_word_char(text[start - 1])) and (end == len(text) or not _is_word_char(text[end])):
            found.append((start, end))
            start = text.find(form, end)
        else:
            start = text.find(form, start + 1)
    return found


def _overlaps(start: int, end: int, mentions: list[Mention]) -> bool:
    return any(overlaps(start, end, m.start, m.end) for m in mentions)


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


def normalize_record(record: DocRecord, model_names: dict[str, str], knowledge: Knowledge,
                     acronyms: bool = True, propagate: bool = True, rules: NormalizeRules | None = None) -> None:
    """Replace a record's model mentions by normalized ones (with seg_ids) and store its acronym
    definitions and term acronyms. ``model_names`` maps a model language to the label-map name of that model."""
    english = [(s.start, s.end) for s in record.segments if s.lang == "en"]
    mentions, found, terms = _normalize_text(record.document.text, record.doc_id, record.language.lang,
                                             record.mentions, model_names, knowledge, acronyms, propagate, rules,
                                             english)
    seg_id = segment_lookup(record.segments)
    for m in mentions:
        m.seg_id = seg_id(m.start)
    record.mentions, record.acronyms, record.terms = mentions, found, terms


class CorpusTerms:
    """The corpus's term acronyms, collected from the records as they finish: those some document defines
    by a lower-case term (``DocRecord.terms``) and no document defines as a name (``DocRecord.acronyms``)."""

    def __init__(self):
        self.defined_as_term: set[str] = set()
        self.defined_as_name: set[str] = set()

    def add(self, record: DocRecord) -> None:
        self.defined_as_term.update(record.terms)
        self.defined_as_name.update(d.acronym for d in record.acronyms)

    def terms(self) -> set[str]:
        return self.defined_as_term - self.defined_as_name


def drop_corpus_terms(record: DocRecord, terms: set[str], knowledge: Knowledge) -> None:
    """The corpus step's half of ``term_acronyms``: an acronym some document defines by a lower-case
    term is a term in every document, in both languages ('EVA' the Indonesian model tagged where only
    the English text says 'extravehicular activity (EVA)'); its mentions are dropped. ``terms`` leaves out
    what a document defines as a name (``CorpusTerms``); a mention the gazetteer or country list of its
    language knows is kept too ('AS' = Amerika Serikat in Indonesian, whatever an English text says)."""
    record.mentions = _without_terms(record.mentions, terms, knowledge)


def _without_terms(mentions: list[Mention], terms: set[str], knowledge: Knowledge) -> list[Mention]:
    """``mentions`` less those of the term acronyms ``terms``, but for a name the gazetteer or country
    list of the mention's language knows."""
    if not terms:
        return mentions
    return [m for m in mentions if _acronym_text(m.text) not in terms
            or knowledge.known_label(m.lang, normalized_key(m.text))]


def _acronym_text(text: str) -> str:
    """A mention's text as acronym definitions store it (a final period dropped: 'U.S.A.')."""
    return text.rstrip(".")


def normalize_document(text: str, doc_id: str, doc_lang: str, mentions: list[Mention],
                       model_names: dict[str, str], knowledge: Knowledge, acronyms: bool = True,
                       propagate: bool = True, rules: NormalizeRules | None = None,
                       english_segments: list[tuple[int, int]] = ()) -> tuple[list[Mention], list[AcronymDefinition]]:
    """Normalized mentions of one document's text, plus the acronym definitions found in it.

    Mentions added here (acronyms, propagation) take the document's language, like all its mentions.
    ``rules`` switches normalize's knowledge rules (default: all on). ``english_segments``: the
    (start, end) of the text's English segments, where English joiners are ordinary English.
    """
    return _normalize_text(text, doc_id, doc_lang, mentions, model_names, knowledge, acronyms, propagate, rules,
                           english_segments)[:2]


def _normalize_text(text: str, doc_id: str, doc_lang: str, mentions: list[Mention], model_names: dict[str, str],
                    knowledge: Knowledge, acronyms: bool, propagate: bool, rules: NormalizeRules | None,
                    english_segments) -> tuple[list[Mention], list[AcronymDefinition], list[str]]:
    """``normalize_document``'s work, plus the document's term acronyms (``term_acronyms``)."""
    rules = rules or NormalizeRules()
    places = knowledge.places
    designators = places.designators(doc_lang) if places and rules.designators else ()
    titles = places.person_titles(doc_lang) if places and rules.person_titles else ()
    tails = places.designator_tails(doc_lang) if places and rules.designators else ()
    # Joiner words of names ('of', 'dan'): the document's language's and English's (English names stand verbatim).
    joiners = frozenset(places.word_list(doc_lang, "name_joiners") + places.word_list("en", "name_joiners")) \
        if places else frozenset()
    result: list[Mention] = []

    def mapped(m: Mention) -> str:
        return m.model_label if m.source in RULE_SOURCES else \
            knowledge.label_maps[model_names[m.model_lang or m.lang]].get(m.model_label, "MISC")

    labelled = [(m, mapped(m)) for m in mentions]
    if rules.verbatim_english_names and places and doc_lang != "en":
        labelled = _join_verbatim_english(labelled, text, doc_id, doc_lang, places.word_list("en", "name_joiners"),
                                          english_segments)
    if rules.ampersand_names:
        labelled = _join_ampersands(labelled, text)
    if rules.joined_known_names and joiners:
        labelled = _join_known_names(labelled, text, knowledge, doc_lang, joiners, rules.known_labels)
    if rules.line_breaks:
        labelled = [(_part(m, text, s, e), label) for m, label in labelled for s, e in line_parts(text, m.start, m.end)]
    if rules.lists:
        labelled = [(_part(m, text, s, e), label) for m, label in labelled
                    for s, e in (list_parts(text, m.start, m.end) if m.source == "model" else [(m.start, m.end)])]
    if designators:
        labelled = [piece for m, label in labelled for piece in _designator_split(m, label, text, designators)]
    if rules.country_prefix:
        labelled = [piece for m, label in labelled for piece in _country_split(m, label, text, knowledge, rules)]
    absorbed: set[tuple[int, int]] = set()   # person-name parts another model mention took in
    grown: set[tuple[int, int]] = set()      # spans that took the name words after a dangling joiner
    # Every mention's span, once per document: a mention's own never reaches past a joiner it ends with.
    spans = [(o.start, o.end) for o, _ in labelled]
    for m, label in labelled:
        start, end = m.start, m.end
        if (start, end) in absorbed:
            continue
        if rules.whole_words and m.source == "model":
            others = [(o.start, o.end) for o, _ in labelled if o is not m]
            persons = [(o.start, o.end) for o, l in labelled if o is not m and label == l == "PER" and o.source == "model"]
            start, end = complete_words(text, start, end, others, persons)
            absorbed |= {s for s in persons if start <= s[0] and s[1] <= end}
        grew = False
        if rules.dangling_joiners and joiners and m.source == "model":
            before = end
            start, end = close_dangling_joiner(text, start, end, joiners, spans)
            grew = end > before
        start, end = repair_span(text, start, end)
        if designators and m.source == "model":
            start = trim_designator(text, start, end, designators)
        if tails and m.source == "model" and label in PLACE_LABELS:
            end = trim_designator_tail(text, start, end, tails)
        if titles and m.source == "model" and label == "PER":
            start = trim_designator(text, start, end, titles, any_case=True)
        if end <= start:
            continue
        if grew:
            grown.add((start, end))
        result.append(Mention(m.doc_id, start, end, text[start:end], m.model_label, m.lang, m.source, label,
                              model_lang=m.model_lang))
    # Repairs can make two mentions cover the same span; keep the first (ruler first). A mention a
    # repaired span now holds whole ('St. Louis' in 'Federal Reserve Bank of St. Louis') gives way.
    unique: dict[tuple[int, int], Mention] = {}
    for m in sorted(result, key=lambda m: (m.start, m.end, m.source not in RULE_SOURCES)):
        unique.setdefault((m.start, m.end), m)
    result = list(unique.values())
    if grown:
        result = [m for m in result if (m.start, m.end) in grown
                  or not any(s <= m.start and m.end <= e for s, e in grown)]
    if rules.common_words:
        result = [m for m in result if not _a_common_word(m, text, knowledge, doc_lang)]

    definitions = all_acronym_definitions(text) if acronyms else []
    terms = term_acronyms(definitions, knowledge, doc_lang) if rules.term_acronyms else []
    if terms:
        result = _without_terms(result, set(terms), knowledge)
    if rules.acronym_evidence:
        definitions = [d for d in definitions if _names_an_entity(d, result, knowledge, doc_lang)]
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
                result.append(Mention(doc_id, d.long_start, d.long_end, d.long_form, "", lang,
                                      "acronym", label))
    coverage = Coverage(len(text), result)
    for d in definitions:
        for start, end in _occurrences(text, d.acronym):
            if coverage.is_free(start, end):
                result.append(Mention(doc_id, start, end, d.acronym, "", doc_lang, "acronym",
                                      acronym_label[normalized_key(d.acronym)]))
                coverage.mark(start, end)

    result = _consistent_labels(result, knowledge, acronym_label, rules.place_knowledge, rules.known_labels)
    if rules.time_zones and places:
        _time_zones(result, text, places.time_zones())   # per occurrence, after the per-form vote
    if propagate:
        result = _propagate(text, result, doc_id, coverage, doc_lang)
    if rules.language_names and places:
        _language_names(text, result, places.language_cues(doc_lang))
    return sorted(result, key=lambda m: (m.start, m.end)), definitions, terms


def _a_common_word(m: Mention, text: str, knowledge: Knowledge, lang: str) -> bool:
    """``common_words`` for one mention: model mentions only, never dates and numbers ('May', 'March')
    or names the gazetteer, the country list or the place knowledge know ('Turkey'); a person only
    when the text never capitalises the word inside a sentence (surnames are words too: 'Theresa
    May' beside 'may pass' stays; 'Ribavirin: ribavirin was ...' tagged PER goes)."""
    return (m.source == "model" and m.label not in NUMERIC_LABELS
            and not knowledge.known_label(lang, normalized_key(m.text))
            and is_common_word(text, m.text, strict=m.label == "PER")
            and not (knowledge.places and knowledge.places.place_label(lang, m.text)))


def is_common_word(text: str, form: str, strict: bool = False) -> bool:
    """Whether the one-word ``form`` (letters only, capitalised or lower case) is an ordinary word in
    ``text``: the text writes it in lower case at least as often as capitalised inside a sentence.
    A name keeps its capital wherever it stands ('Labour' the party three times beside one 'labour
    market'); a word capitalised only where a sentence or headline opens does not ('Epidemic' ...
    'the epidemic'), and neither does a model mention written in lower case ('apelin'). ``strict``:
    the text never capitalises it inside a sentence at all."""
    if not form.isalpha() or not (form.islower() or form[1:].islower()):
        return False   # several words, digits, all capitals (acronyms have their own rules), 'iPhone'
    lower = capitalised = 0
    for start, end in _occurrences(text, form.lower()) + _occurrences(text, form[0].upper() + form[1:]):
        if text[start].islower():
            lower += 1
        else:
            capitalised += not opens_sentence(text, start)
    return lower > 0 and (capitalised == 0 if strict else lower >= capitalised)


AMPERSAND = re.compile(r"[ \t]*&[ \t]*")
JOINER_BETWEEN = re.compile(r" ([a-z]+) ")   # one lower-case word between two names, single spaces
CLOCK_TIME_BEFORE = re.compile(r"(?:\d[.:][0-5]\d|\d\s*[ap]\.?m\.?)[ \t]*\(?$", re.IGNORECASE)


def _time_zones(mentions: list[Mention], text: str, zones: frozenset[str]) -> None:
    """A time-zone abbreviation right after a clock time is part of the time: TIME ('19:30 BST',
    'pukul 09.30 GMT'), where the English model says ORG. Decided per occurrence, after the per-form
    label vote: elsewhere the same letters keep their label ('Stasiun TV BST')."""
    for m in mentions:
        if m.text in zones and CLOCK_TIME_BEFORE.search(text, max(0, m.start - 12), m.start):
            m.label = "TIME"


def _only_a_name(segment: str, joiners: tuple[str, ...]) -> bool:
    """Whether a segment's lowercase words are all joiners (capitalised words, joiners, punctuation)."""
    return all(word in joiners for word in re.findall(r"(?<![\w'’-])[a-z][\w'’-]*", segment))


def _join_verbatim_english(labelled: list[tuple[Mention, str]], text: str, doc_id: str, lang: str,
                           joiners: tuple[str, ...], english_segments=()) -> list[tuple[Mention, str]]:
    """An English name kept verbatim in the text ('Marks and Spencer', 'Brigham and Women's Hospital',
    'Game of Thrones': ``verbatim_english_names``) is one mention, replacing the pieces the models and
    rules found inside it. It takes the label of its last piece (English names end in their head:
    'Women's Hospital' makes the whole an ORG), else ORG (institutions are the commonest such names:
    'University of ...', 'Bank of ...'). A span that would cut a mention, or that stands in an English
    segment of the text with other English words (a quoted English sentence: 'Trump and Kim' there is
    two names), is left alone; an English segment of capitalised words and joiners only is the name
    itself (language id cuts 'Brigham and Women's Hospital' out of its Indonesian sentence)."""
    frequency = frequency_lookup((lang, "en"))

    def is_own_word(word: str) -> bool:
        key = word.strip(STRIP_LEFT + STRIP_RIGHT + ".").lower()
        return frequency(key, lang) > frequency(key, "en")

    names = [(m.text, label) for m, label in labelled if label not in NUMERIC_LABELS]
    spans = verbatim_english_names(text, joiners, is_own_word,
                                   frozenset(t for t, label in names if label not in PLACE_LABELS),
                                   frozenset(t for t, _ in names))
    for start, end in spans:
        start, end = repair_span(text, start, end)
        if end <= start or any(m.start == start and m.end == end for m, _ in labelled):
            continue
        if any(overlaps(start, end, s, e) and not _only_a_name(text[s:e], joiners) for s, e in english_segments):
            continue
        inside = [(m, label) for m, label in labelled if start <= m.start and m.end <= end]
        if any(overlaps(start, end, m.start, m.end) and not (start <= m.start and m.end <= end) for m, _ in labelled):
            continue
        named = [label for m, label in sorted(inside, key=lambda pair: pair[0].start) if label not in NUMERIC_LABELS]
        label = named[-1] if named else "ORG"
        joined = Mention(doc_id, start, end, text[start:end], label, lang, "verbatim", label, model_lang=lang)
        labelled = [(m, l) for m, l in labelled if not (start <= m.start and m.end <= end)] + [(joined, label)]
    return labelled


def _join_ampersands(labelled: list[tuple[Mention, str]], text: str) -> list[tuple[Mention, str]]:
    """Two model mentions joined by '&' are one name ('Marks' + 'Spencer' in 'Marks & Spencer',
    'Blohm & Voss'): the models split such firm names at the ampersand. The joined name keeps the
    label both parts share, else ORG (a name with '&' is a firm's far more often than anything else)."""
    ordered = sorted(labelled, key=lambda pair: (pair[0].start, pair[0].end))
    result: list[tuple[Mention, str]] = []
    for m, label in ordered:
        if result:
            prev, prev_label = result[-1]
            if (prev.source == m.source == "model" and prev.end < m.start
                    and AMPERSAND.fullmatch(text, prev.end, m.start) and m.text[:1].isupper()
                    and prev_label not in NUMERIC_LABELS and label not in NUMERIC_LABELS):
                result[-1] = (_part(prev, text, prev.start, m.end), prev_label if prev_label == label else "ORG")
                continue
        result.append((m, label))
    return result


def _join_known_names(labelled: list[tuple[Mention, str]], text: str, knowledge: Knowledge, lang: str,
                      joiners: frozenset[str], known_labels: bool = True) -> list[tuple[Mention, str]]:
    """Two model mentions with a joiner word between them ('Trinidad' and 'Tobago', 'Bosnia' dan
    'Herzegovina') are one mention when the whole span is a name the gazetteer or the country list
    knows and no other mention crosses it; it takes that name's label (with ``known_labels``; else
    the label both parts share, or the known one). The models split such names at the conjunction."""
    ordered = sorted(labelled, key=lambda pair: (pair[0].start, -pair[0].end))
    result: list[tuple[Mention, str]] = []
    for m, label in ordered:
        if result:
            prev, prev_label = result[-1]
            between = JOINER_BETWEEN.fullmatch(text, prev.end, m.start) if prev.end < m.start else None
            if between and between.group(1) in joiners and prev.source == m.source == "model":
                known = knowledge.known_label(lang, normalized_key(text[prev.start:m.end]))
                crossed = any(o is not prev and o is not m and o.start < m.end and prev.start < o.end
                              for o, _ in labelled)
                if known and not crossed:
                    joined = known if known_labels or prev_label != label else label
                    result[-1] = (_part(prev, text, prev.start, m.end), joined)
                    continue
        result.append((m, label))
    return result


def _part(m: Mention, text: str, start: int, end: int) -> Mention:
    """``m`` over ``start:end`` instead (the same mention when the span is its own)."""
    if (start, end) == (m.start, m.end):
        return m
    return Mention(m.doc_id, start, end, text[start:end], m.model_label, m.lang, m.source, m.label,
                   model_lang=m.model_lang)


def _designator_split(m: Mention, label: str, text: str, designators) -> list[tuple[Mention, str]]:
    """A model mention running from one place into another across a lowercase designator is two
    ('Xining provinsi Qinghai' -> 'Xining' + 'provinsi Qinghai', whose designator is trimmed next)."""
    if m.source != "model":
        return [(m, label)]
    cut = inner_designator_start(text, m.start, m.end, designators)
    if cut == m.start:
        return [(m, label)]
    first_end = cut - (len(text[m.start:cut]) - len(text[m.start:cut].rstrip()))
    return [(_part(m, text, m.start, first_end), label), (_part(m, text, cut, m.end), label)]


def _country_split(m: Mention, label: str, text: str, knowledge: Knowledge,
                   rules: NormalizeRules) -> list[tuple[Mention, str]]:
    """A model place (or MISC) mention opening with a country that runs on into another name is two: the
    country (GPE) and the rest, with the model's label ('Italia Juve' -> 'Italia' + 'Juve')."""
    if m.source != "model" or label not in (*PLACE_LABELS, "MISC") or " " not in m.text.strip():
        return [(m, label)]
    if knowledge.place_label(m.lang, m.text):
        return [(m, label)]    # the whole span is a place name the libraries know ('Amerika Latin')
    frequency = frequency_lookup((m.lang,))
    cut = leading_country_end(
        text, m.start, m.end,
        lambda name: knowledge.is_country(m.lang, name),
        lambda word: frequency(word.lower(), m.lang) >= rules.country_prefix_frequency)
    if cut == m.start:
        return [(m, label)]
    rest = cut + len(text[cut:m.end]) - len(text[cut:m.end].lstrip())
    return [(_part(m, text, m.start, cut), "GPE"), (_part(m, text, rest, m.end), label)]


def _is_name(long_form: str) -> bool:
    """A long form is a name when its content words are capitalised ('Tim Rekonstruksi Provinsi'),
    not a common noun phrase ('bahan bakar minyak', 'hak pengusahaan hutan')."""
    words = [w for w in re.split(r"[\s/]+", long_form) if re.search(r"\w", w) and w.lower() not in CONNECTORS]
    return bool(words) and all(w[0].isupper() or w[0].isdigit() for w in words)


def term_acronyms(definitions: list[AcronymDefinition], knowledge: Knowledge, lang: str) -> list[str]:
    """Acronyms defined by a common noun phrase ('magnetic resonance imaging (MRI)', 'resonansi
    magnetik nuklir (NMR)'): the abbreviation of a term is no more a name than the term (OntoNotes and
    the Indonesian sets tag neither). Never one the gazetteer knows as a name."""
    return sorted({d.acronym for d in definitions if _is_common_phrase(d.long_form)
                   and not knowledge.known_label(lang, normalized_key(d.acronym))})


def _is_common_phrase(long_form: str) -> bool:
    """Every content word of the long form is in lower case (not a name written partly capitalised)."""
    words = [w for w in re.split(r"[\s/,]+", long_form) if re.search(r"[^\W\d_]", w) and w.lower() not in CONNECTORS]
    return bool(words) and all(w[0].islower() for w in words)


def _names_an_entity(d: AcronymDefinition, mentions: list[Mention], knowledge: Knowledge, lang: str) -> bool:
    """Evidence that an acronym definition names an entity: the gazetteer knows the long form or the
    acronym; or the model or ruler tagged the long form (most of it); or the long form is a name
    (capitalised words) and the model or ruler tagged something in it or the acronym itself.
    Capitalisation alone is not enough on real news: 'Bahan Bakar Minyak (BBM)', 'Platelet Rich Plasma'."""
    if knowledge.known_label(lang, normalized_key(d.long_form)) or knowledge.known_label(lang, normalized_key(d.acronym)):
        return True
    names = [m for m in mentions if m.label not in NUMERIC_LABELS]
    if any(d.long_start <= m.start and m.end <= d.long_end and 2 * (m.end - m.start) >= d.long_end - d.long_start
           for m in names):
        return True
    return _is_name(d.long_form) and any((d.long_start <= m.start and m.end <= d.long_end) or m.text == d.acronym
                                         for m in names)


def _language_names(text: str, mentions: list[Mention], cues: tuple[str, ...]) -> None:
    """A name right after a language cue ('dalam bahasa Inggris') is a language: MISC, not a place.
    A mention that took the cue word ('bahasa Inggris') keeps only the name."""
    if not cues:
        return
    cue = re.compile(r"(?:^|(?<=\W))(?:" + "|".join(re.escape(c) for c in cues) + r")\s+$")
    lead = re.compile(r"^(?:" + "|".join(re.escape(c) for c in cues) + r")\s+(?=[A-Z])")
    for m in mentions:
        if m.label in NUMERIC_LABELS:
            continue
        took = lead.match(m.text)
        if took:
            m.start += took.end()
            m.text = text[m.start:m.end]
            m.label = "MISC"
        elif cue.search(text[max(0, m.start - 20):m.start]):
            m.label = "MISC"


def _label_inside(mentions: list[Mention], start: int, end: int) -> str:
    """Label of the longest mention inside [start, end) that is not numeric and covers at least half of
    it ('Indonesia' does not make 'Ikatan Ahli Perencanaan Indonesia' a place)."""
    inside = [m for m in mentions if start <= m.start and m.end <= end and m.label not in NUMERIC_LABELS
              and 2 * (m.end - m.start) >= end - start]
    return max(inside, key=lambda m: (m.end - m.start, m.label)).label if inside else ""


def _consistent_labels(mentions: list[Mention], knowledge: Knowledge,
                       acronym_label: dict[str, str], place_knowledge: bool = True,
                       known_labels: bool = True) -> list[Mention]:
    """One label per (language, normalized form) in a document. A place (GPE or LOC by the model's
    majority) takes GPE or LOC from place knowledge where it knows the name."""
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for m in mentions:
        votes[(m.lang, normalized_key(m.text))][m.label] += 1
    for m in mentions:
        key = normalized_key(m.text)
        counter = votes[(m.lang, key)]
        known = knowledge.known_label(m.lang, key) if known_labels else ""
        if known and m.label not in NUMERIC_LABELS:
            m.label = known
        elif key in acronym_label:
            m.label = acronym_label[key]
        else:
            # Majority, ties broken by label name so the outcome never depends on order.
            m.label = majority(counter)
            if place_knowledge and m.label in PLACE_LABELS:
                m.label = knowledge.place_label(m.lang, m.text) or m.label
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
