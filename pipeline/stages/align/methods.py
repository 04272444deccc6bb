"""Alignment methods: each proposes English/Indonesian pairs with a score and readable evidence.

Expensive comparisons are blocked first (hash joins on keys, an inverted index on translated
words, phonetic-prefix buckets for fuzzy matching), so cost grows with the number of candidates,
not with N x M. Each method takes the context, its config section and the data it declared
(pipeline/plugins.py), and reads no file.
"""
from __future__ import annotations

import functools
import math
import re
from collections import defaultdict
from typing import Callable, Iterable

from rapidfuzz import fuzz

from pipeline.config import AlignMethodConfig
from pipeline.core.labels import LABEL_FAMILY
from pipeline.core.records import Entity
from pipeline.core.text import is_acronym, normalized_key
from pipeline.resources import GlossaryPair, NameEntry, Names
from pipeline.stages.align.context import AlignmentContext, Candidate, index_by

# Words an Indonesian name uses for grammar, not meaning (di = in, dan = and, ...).
ID_FUNCTION_WORDS = {"di", "ke", "dari", "dan", "yang", "untuk", "pada", "oleh", "atas"}
EN_FUNCTION_WORDS = {"the", "of", "in", "and", "for", "to", "on", "at", "by"}


def align_glossary(ctx: AlignmentContext, method: AlignMethodConfig, pairs: list[GlossaryPair]) -> list[Candidate]:
    """Pairs from the curated bilingual glossary (the user's own term list)."""
    en_index, id_index = index_by(ctx.en, ctx.keys), index_by(ctx.id, ctx.keys)
    found = []
    for pair in pairs:
        for en in en_index.get(normalized_key(pair.en), []):
            for ind in id_index.get(normalized_key(pair.id), []):
                found.append(Candidate(en.entity_id, ind.entity_id, "glossary", 1.0,
                                       f"glossary: '{pair.en}' = '{pair.id}'", by_meaning=True))
    return found


def align_identical(ctx: AlignmentContext, method: AlignMethodConfig, data: None = None) -> list[Candidate]:
    """Same name in both languages after normalizing case, diacritics and punctuation (NATO/NATO)."""
    id_index = index_by(ctx.id, ctx.keys)
    found = []
    for en in ctx.en:
        acronyms = {a.lower() for a in _acronyms(ctx, en)}
        for key in sorted(ctx.keys(en)):
            for ind in id_index.get(key, []):
                exact = key == normalized_key(en.canonical) == normalized_key(ind.canonical)
                if not exact and key in acronyms:
                    continue  # a shared acronym alias is the acronym method's evidence
                found.append(Candidate(en.entity_id, ind.entity_id, "identical", 1.0 if exact else 0.9,
                                       f"same name '{key}'" + ("" if exact else " (as an alias)"),
                                       same_string=exact))
    return found + _place_cores(ctx, id_index)


PLACE_CORE_SCORE = 0.85   # 'Lake Titicaca' / 'Titicaca': the same name once the place word is dropped


def place_core(key: str, heads: tuple[str, ...], tails: tuple[str, ...]) -> tuple[str, str]:
    """A place name's key without its place word (configs/places.yaml loc_heads / loc_tails: 'lake
    titicaca' -> 'titicaca', 'pulau nias' -> 'nias'), and that word; ('', '') when it has none or
    nothing would be left."""
    for head in sorted(heads, key=len, reverse=True):
        h = normalized_key(head)
        if h and key.startswith(h + " ") and len(key) > len(h) + 1:
            return key[len(h) + 1:], head
    for tail in sorted(tails, key=len, reverse=True):
        t = normalized_key(tail)
        if t and key.endswith(" " + t) and len(key) > len(t) + 1:
            return key[:-len(t) - 1], tail
    return "", ""


def _place_cores(ctx: AlignmentContext, id_index: dict[str, list[Entity]]) -> list[Candidate]:
    """A place named with its place word in one language and without it in the other ('Lake
    Titicaca' / 'Titicaca', 'Mount Everest' / 'Everest', 'Danau Toba' / 'Toba'): the rest must be
    the same name, of at least 4 characters, on place entities (GPE/LOC) of both sides."""
    places = ctx.knowledge.places
    if not places:
        return []
    words = {lang: places.words.get(lang) for lang in ("en", "id")}
    cores: dict[str, dict[str, list[tuple[Entity, str]]]] = {"en": defaultdict(list), "id": defaultdict(list)}
    for lang, entities in (("en", ctx.en), ("id", ctx.id)):
        w = words[lang]
        if not w:
            continue
        for entity in entities:
            if LABEL_FAMILY.get(entity.label) != "place":
                continue
            for key in sorted(ctx.keys(entity)):
                core, word = place_core(key, w.loc_heads, w.loc_tails)
                if len(core.replace(" ", "")) >= 4:
                    cores[lang][core].append((entity, word))
    en_index = index_by([e for e in ctx.en if LABEL_FAMILY.get(e.label) == "place"], ctx.keys)
    found = []
    for core, items in sorted(cores["en"].items()):
        for en, word in items:
            for ind in id_index.get(core, []):
                if LABEL_FAMILY.get(ind.label) == "place":
                    found.append(Candidate(en.entity_id, ind.entity_id, "identical", PLACE_CORE_SCORE,
                                           f"same name '{core}' without the place word '{word}'"))
    for core, items in sorted(cores["id"].items()):
        for ind, word in items:
            for en in en_index.get(core, []):
                found.append(Candidate(en.entity_id, ind.entity_id, "identical", PLACE_CORE_SCORE,
                                       f"same name '{core}' without the place word '{word}'"))
    return found


@functools.lru_cache(maxsize=200_000)  # the same names are keyed by every method and by projection
def phonetic_key(text: str) -> str:
    """Spelling-variant key: Indonesian spelling of loan names (q->k, ph->f, gh->g, double letters)."""
    key = normalized_key(text)
    # j -> y before y -> i: English 'j' is Indonesian 'y' (Judea = Yudea), and both end as 'i'
    for old, new in (("ph", "f"), ("gh", "g"), ("kh", "k"), ("q", "k"), ("x", "ks"), ("c", "k"),
                     ("j", "y"), ("y", "i"), ("w", "v"), ("oe", "u"), ("ou", "u")):
        key = key.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", key)


NAME_SOURCES = {"cldr-territories": "CLDR territory", "cldr-languages": "CLDR language", "pycountry": "ISO 3166"}
LANGUAGE_NAME_SCORE = 0.9  # a language's name is often a place's too (Aceh, Jawa, Bali): below STRONG


def _curated_codes(names: Names | None, lang: str, keys: set[str]) -> dict[str, NameEntry]:
    """CLDR/pycountry code -> the entry naming it, for an entity's normalized forms (Indonesian
    entities are looked up in the Malay column too: Perancis, Filipina)."""
    codes: dict[str, NameEntry] = {}
    for key in sorted(keys):
        for look in ((lang, "ms") if lang == "id" else (lang,)):
            for entry in names.lookup(look, key) if names else ():
                if entry.curated:
                    codes.setdefault(entry.code, entry)
    return codes


DEMONYM_SCORE = 0.9   # 'Syrian' derives from 'Syria' by a configured ending: a rule, below a table's own row


def _demonym_bases(ctx: AlignmentContext, en: Entity) -> set[str]:
    """The place names an English nationality (NORP) may derive from, by the demonym endings and
    demonyms of configs/places.yaml ('Syrian' -> 'syria', 'Scottish' -> 'scotland')."""
    words = ctx.knowledge.places.words.get("en") if ctx.knowledge.places else None
    if en.label != "NORP" or not words or not words.demonym_endings:
        return set()
    return {base for key in ctx.keys(en) for base in words.demonym_bases(key)}


def _demonym_codes(ctx: AlignmentContext, names: Names | None, en: Entity) -> dict[str, NameEntry]:
    """An English nationality's place as the CLDR/ISO 3166 territories it names (languages are left
    out: 'Chinese' is one)."""
    return {code: entry for code, entry in _curated_codes(names, "en", _demonym_bases(ctx, en)).items()
            if "languages" not in entry.source}


def _demonym_places(ctx: AlignmentContext, names: Names | None, en: Entity) -> dict[str, str]:
    """Indonesian key -> how: the places an English nationality names that no territory code covers:
    a dictionary's proper noun ('Scottish' -> 'Scotland' = 'Skotlandia', freedict) or a known place's
    own name, which Indonesian writes the same ('Californian' -> 'California')."""
    found: dict[str, str] = {}
    places = ctx.knowledge.places
    for base in sorted(_demonym_bases(ctx, en)):
        if places and places.place_label("en", base):  # a place the place knowledge knows, not 'Californ'
            found.setdefault(base, "the same name")
        for entry in names.lookup("en", base) if names else ():
            if not entry.code and entry.id:
                found.setdefault(normalized_key(entry.id), f"'{entry.en}' = '{entry.id}' ({entry.source})")
    return found


def align_transliteration(ctx: AlignmentContext, method: AlignMethodConfig, data: None = None,
                          names: Names | None = None) -> list[Candidate]:
    """Place and language names in both languages (CLDR territories and languages via babel,
    ISO 3166 via pycountry: ``names.tsv``, rows sharing a code name one referent) and spelling
    variants (Iraq/Irak, Russia/Rusia)."""
    found = []
    en_by_code: dict[str, list[tuple[Entity, NameEntry, str]]] = defaultdict(list)
    for en in ctx.en:
        codes = _curated_codes(names, "en", ctx.keys(en))
        for code, entry in codes.items():
            en_by_code[code].append((en, entry, ""))
        for code, entry in _demonym_codes(ctx, names, en).items():
            if code not in codes:
                en_by_code[code].append((en, entry, en.canonical))
    for ind in ctx.id:
        for code, id_entry in sorted(_curated_codes(names, "id", ctx.keys(ind)).items()):
            for en, en_entry, nationality in en_by_code.get(code, []):
                language = "languages" in id_entry.source
                source = f"{NAME_SOURCES.get(id_entry.source, id_entry.source)} {code}"
                if nationality and not language:
                    found.append(Candidate(en.entity_id, ind.entity_id, "transliteration", DEMONYM_SCORE,
                                           f"nationality '{nationality}' of '{en_entry.en}' ({source}) / "
                                           f"'{id_entry.id or id_entry.ms}'", by_meaning=True, demonym=True))
                elif not nationality:
                    found.append(Candidate(en.entity_id, ind.entity_id, "transliteration",
                                           LANGUAGE_NAME_SCORE if language else 1.0,
                                           f"{source}: '{en_entry.en}' / '{id_entry.id or id_entry.ms}'",
                                           by_meaning=True, language=language))
    # Nationalities of places that have no territory code (Scotland, California), by the place's key.
    by_place: dict[str, list[tuple[Entity, str]]] = defaultdict(list)
    coded = {en.entity_id for entries in en_by_code.values() for en, _, nationality in entries if nationality}
    for en in ctx.en:
        if en.entity_id in coded:
            continue  # a territory names its place already
        for key, how in _demonym_places(ctx, names, en).items():
            by_place[key].append((en, how))
    for ind in ctx.id if by_place else ():
        if LABEL_FAMILY.get(ind.label) != "place":
            continue
        paired = set()
        for key in sorted(ctx.keys(ind)):
            for en, how in by_place.get(key, []):
                if en.entity_id not in paired:
                    paired.add(en.entity_id)
                    found.append(Candidate(en.entity_id, ind.entity_id, "transliteration", DEMONYM_SCORE,
                                           f"nationality '{en.canonical}' of the place {how} / '{ind.canonical}'",
                                           by_meaning=True, demonym=True))
    # Fuzzy matching of phonetic keys, blocked by their first two characters.
    buckets: dict[str, list[tuple[str, str, Entity]]] = defaultdict(list)
    for en in ctx.en:
        for key in sorted(ctx.keys(en)):
            pkey = phonetic_key(key)
            if len(pkey) >= 4:
                buckets[pkey[:2]].append((pkey, key, en))
    for ind in ctx.id:
        for key in sorted(ctx.keys(ind)):
            pkey = phonetic_key(key)
            if len(pkey) < 4:
                continue
            for en_pkey, en_key, en in buckets.get(pkey[:2], []):
                if en_key == key:
                    continue  # identical names are the identical method's
                similarity = fuzz.ratio(pkey, en_pkey) / 100
                score = round(similarity * 0.95, 4)  # below 'identical' (1.0) even when the keys agree
                if score >= method.min_score:  # whole-name look-alikes only ever make standalone claims
                    found.append(Candidate(en.entity_id, ind.entity_id, "transliteration", score,
                                           f"spelling variants '{en_pkey}' ~ '{pkey}' ({similarity:.2f})",
                                           same_string=pkey == en_pkey))
    return found + _shared_spelled_words(ctx, method)


WORD_VARIANT_RATIO = 0.8   # phonetic-key similarity for two words to count as one word spelled two ways
WORD_SHARE_WEIGHT = 0.6    # a name whose words have look-alikes scores at most this much: never a pair alone ...
WORD_SHARE_FULL = 0.8      # ... unless every word on both sides has its look-alike (Kastel Kirby Muxloe ~
                           # Kirby Muxloe Castle): a standalone claim at the transliteration method's min_score


def _keyed(words: list[str]) -> dict[str, str]:
    """Phonetic key -> the first word with that key, in text order."""
    keyed: dict[str, str] = {}
    for word in words:
        keyed.setdefault(phonetic_key(word), word)
    return keyed


def spelling_variants(keys: Iterable[str]) -> Callable[[str], list[str]]:
    """A cached lookup: a phonetic key -> the ``keys`` spelled like it (the same key, or both of 4+
    letters and at least WORD_VARIANT_RATIO alike), in the order of ``keys``; blocked by first two letters."""
    buckets: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        buckets[key[:2]].append(key)
    cache: dict[str, list[str]] = {}

    def variants(key: str) -> list[str]:
        if key not in cache:
            cache[key] = [k for k in buckets.get(key[:2], []) if k == key or (
                min(len(k), len(key)) >= 4 and fuzz.ratio(k, key) / 100 >= WORD_VARIANT_RATIO)]
        return cache[key]
    return variants


def _shared_spelled_words(ctx: AlignmentContext, method: AlignMethodConfig) -> list[Candidate]:
    """Multi-word names whose words are spelled alike in any order (Akademi Militer Nasional
    Afghanistan ~ National Military Academy of Afghanistan), for words the lexicon may not know.

    Word order and untranslated words make this weak evidence: the score is at most
    WORD_SHARE_WEIGHT, below the method's min_score, so it only supports another method's claim,
    unless every word of both names has its look-alike (WORD_SHARE_FULL).
    Prefix filtering keeps it cheap: a pair needs ``needed`` shared words, so it shares one of the
    Indonesian name's ``k - needed + 1`` rarest words; only their postings are read."""
    # English forms by their content words' phonetic keys; keys bucketed by their first two letters.
    form_words: dict[tuple[str, str], dict[str, str]] = {}       # (en_id, form) -> {key: word}
    postings: dict[str, list[tuple[str, str]]] = defaultdict(list)  # key -> [(en_id, form)]
    for en in ctx.en:
        for form in ctx.forms[en.entity_id]:
            words = name_words(form, EN_FUNCTION_WORDS)
            if len(words) >= 2:
                form_words[(en.entity_id, form)] = _keyed(words)
                for key in form_words[(en.entity_id, form)]:
                    postings[key].append((en.entity_id, form))
    variants = spelling_variants(postings)

    min_share = max(method.floor, 0.01) / WORD_SHARE_WEIGHT
    found = []
    for ind in ctx.id:
        best: dict[str, Candidate] = {}
        for form in ctx.forms[ind.entity_id]:
            words = _keyed(name_words(form, ID_FUNCTION_WORDS))
            if len(words) < 2:
                continue
            needed = max(2, math.ceil(min_share * len(words) - 1e-9))
            by_rarity = sorted(words, key=lambda k: (sum(len(postings[v]) for v in variants(k)), k))
            probe = {target for k in by_rarity[:max(len(words) - needed + 1, 0)]
                     for v in variants(k) for target in postings[v]}
            for en_id, en_form in sorted(probe):
                en_words = form_words[(en_id, en_form)]
                pairs = {words[k]: en_words[v] for k in words for v in variants(k) if v in en_words}
                share = len(pairs) / max(len(words), len(en_words))
                # full: each word of both names has its own look-alike ('mario' and 'maria' both ~ 'maria'
                # leave 'lopez' without one)
                full = len(set(pairs.values())) == len(pairs) == len(words) == len(en_words)
                score = WORD_SHARE_FULL if full else round(WORD_SHARE_WEIGHT * share, 4)
                if len(pairs) < 2 or all(i.casefold() == e.casefold() for i, e in pairs.items()):
                    continue  # names sharing only identical words are the other methods' business
                if score < method.floor or (en_id in best and score <= best[en_id].score):
                    continue
                shown = ", ".join(f"'{i}' ~ '{e}'" for i, e in pairs.items())
                best[en_id] = Candidate(en_id, ind.entity_id, "transliteration", score,
                                        f"'{form}' and '{en_form}' share words spelled alike: {shown} "
                                        f"({len(pairs)} of {max(len(words), len(en_words))})")
        found += [best[k] for k in sorted(best)]
    return found


def _acronyms(ctx: AlignmentContext, entity: Entity) -> set[str]:
    return {f for f in ctx.forms[entity.entity_id] if is_acronym(f)}


def align_acronym(ctx: AlignmentContext, method: AlignMethodConfig, data: None = None) -> list[Candidate]:
    """The same acronym tied to an entity in both languages (PRT, SOFA, NTM-I): an English acronym
    defined or used inside Indonesian text bridges to the English long form."""
    en_index = index_by(ctx.en, lambda e: _acronyms(ctx, e))
    found = []
    for ind in ctx.id:
        for acronym in sorted(_acronyms(ctx, ind)):
            for en in en_index.get(acronym, []):
                both_long = len(ind.canonical) > len(acronym) and len(en.canonical) > len(acronym)
                found.append(Candidate(en.entity_id, ind.entity_id, "acronym", 0.9 if both_long else 0.75,
                                       f"acronym {acronym}: '{en.canonical}' (en) and '{ind.canonical}' (id)"))
    return found


def name_words(text: str, function_words: set[str]) -> list[str]:
    """Distinct content words in order ('Bangsa-Bangsa' counts once)."""
    return list(dict.fromkeys(w for w in normalized_key(text).split() if w not in function_words))


def singular(word: str) -> str:
    """Plural -> singular, enough to match 'teams' with 'team' and 'forces' with 'force'."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


PHRASE_LENGTHS = (3, 2)       # lexicon phrases tried inside a name, longest first (angkatan laut = navy)


def word_groups(words: list[str], lexicon: dict[str, list[str]]) -> list[tuple[str, list[str]]]:
    """An Indonesian name's content words as translation units: adjacent words that form a lexicon
    phrase (angkatan laut, luar negeri, mahkamah agung) are one unit, longest phrase first; each
    unit with its translations (a phrase's own, then its words' own)."""
    groups, i = [], 0
    while i < len(words):
        for n in PHRASE_LENGTHS:
            phrase = " ".join(words[i:i + n])
            if len(words[i:i + n]) == n and phrase in lexicon:
                members = [t for w in words[i:i + n] for t in lexicon.get(w, [])]
                groups.append((phrase, list(dict.fromkeys(lexicon[phrase] + members + words[i:i + n]))))
                i += n
                break
        else:
            groups.append((words[i], list(dict.fromkeys(lexicon.get(words[i], [])))))
            i += 1
    return groups


def translation_options(groups: list[tuple[str, list[str]]]) -> list[set[str]]:
    """Per translation unit of ``word_groups``, the English words it may stand for (singular), itself
    included: a unit matches an English name that uses any of them."""
    return [{singular(w) for t in translations for w in t.split()} | {singular(unit)} for unit, translations in groups]


DICTIONARY_NAME_SCORE = 0.9   # a dictionary's proper-noun entry: Teluk Persia = Persian Gulf
AMBIGUOUS_NAME_SCORE = 0.45   # a form the table gives several English names (Amerika): supporting only
SINGLE_WORD_SCORE = 0.7       # a one-word name whose lexicon translation is an English one-word name


def _names_claims(ctx: AlignmentContext, method: AlignMethodConfig, names: Names | None,
                  lexicon: dict[str, list[str]]) -> list[Candidate]:
    """Whole Indonesian names translated as a whole: the names table's dictionary proper nouns
    (Teluk Persia = Persian Gulf, Laut Merah = Red Sea; CLDR and ISO 3166 rows are the
    transliteration method's), and one-word names by the lexicon (irak = iraq). A hash join on
    the English entities' keys: no pairwise comparison."""
    en_index = index_by(ctx.en, ctx.keys)
    party_heads = ctx.party_heads
    found = []
    for ind in ctx.id:
        best: dict[str, Candidate] = {}

        def claim(en: Entity, score: float, evidence: str) -> None:
            if score >= method.floor and (en.entity_id not in best or score > best[en.entity_id].score):
                best[en.entity_id] = Candidate(en.entity_id, ind.entity_id, "translation", score, evidence,
                                               by_meaning=True)

        for key in sorted(ctx.keys(ind)):
            entries = [e for e in (names.lookup("id", key) if names else []) if not e.curated]
            english = sorted({normalized_key(e.en) for e in entries} - {""})
            for en_key in english:
                score = DICTIONARY_NAME_SCORE if len(english) == 1 else AMBIGUOUS_NAME_SCORE
                sources = "+".join(sorted({e.source for e in entries if normalized_key(e.en) == en_key}))
                note = "" if len(english) == 1 else f" (one of {len(english)} English names: ambiguous)"
                for en in en_index.get(en_key, []):
                    claim(en, score, f"names table ({sources}): '{key}' = '{en_key}'{note}")
            # a one-word name, or a name that is one lexicon phrase (angkatan laut = navy)
            if key in lexicon and len(key.split()) <= max(PHRASE_LENGTHS):
                what = "one-word name" if len(key.split()) == 1 else "name that is a lexicon phrase"
                for translation in lexicon[key]:
                    if translation != key and (len(key.split()) > 1 or len(translation.split()) == 1):
                        for en in en_index.get(translation, []):
                            claim(en, SINGLE_WORD_SCORE, f"{what} '{key}' = '{translation}' (lexicon)")
                        if len(key.split()) == 1:
                            # the English plural names the same group (Amerika = Americans), and a plural
                            # name's singular its adjective (Olimpiade = Olympics: 'Olympic')
                            for other, how in ((translation + "s", "plural"), (singular(translation), "singular")):
                                for en in en_index.get(other, []) if other != translation else ():
                                    claim(en, SINGLE_WORD_SCORE,
                                          f"{what} '{key}' = '{translation}' (lexicon), {how} '{other}'")
            # a party and its members: 'Partai Republik' = 'Republicans' (resolve lets NORP meet ORG here)
            words = key.split()
            if len(words) == 2 and words[0] in party_heads:
                for translation in dict.fromkeys([words[1], *lexicon.get(words[1], [])]):
                    for member in (translation, translation + "s"):
                        for en in en_index.get(member, []):
                            if en.label == "NORP":
                                claim(en, SINGLE_WORD_SCORE, f"party '{key}', its members '{member}' "
                                                             f"('{words[1]}' = '{translation}', lexicon)")
        found += [best[k] for k in sorted(best)]
    return found


def _look_alike_words(postings: dict[str, set[str]]) -> Callable[[str], set[str]]:
    """A lookup: an Indonesian word -> the English name words spelled like it (phonetic keys of 4+
    letters at least WORD_VARIANT_RATIO alike: pasifik ~ pacific, kastel ~ castle), cached per word."""
    words_of: dict[str, list[str]] = defaultdict(list)   # phonetic key -> the English words with it
    for word in postings:
        words_of[phonetic_key(word)].append(word)
    variants = spelling_variants(words_of)

    def look_alikes(word: str) -> set[str]:
        key = phonetic_key(word)
        return {w for k in variants(key) for w in words_of[k]} if len(key) >= 4 else set()
    return look_alikes


def _derived_place_words(ctx: AlignmentContext, names: Names | None) -> Callable[[str], tuple[str, ...]]:
    """A cached lookup: an English name word -> the places it derives from by the demonym endings of
    configs/places.yaml, kept only where the names table or the place knowledge knows the place
    ('egyptian' -> 'egypt'; 'museum' -> nothing)."""
    words = ctx.knowledge.places.words.get("en") if ctx.knowledge.places else None
    places = ctx.knowledge.places

    @functools.lru_cache(maxsize=None)
    def bases(word: str) -> tuple[str, ...]:
        if not words or not words.demonym_endings:
            return ()
        return tuple(b for b in words.demonym_bases(word) if b != word and (
            (names is not None and names.lookup("en", b)) or (places and places.place_label("en", b))))
    return bases


COMPOUND_MIN = 4   # an English word this long may be the last part of a one-word translation (falls: waterfall)


def _word_matches(word: str, options: set[str], bases: Callable[[str], tuple[str, ...]],
                  english_words: set[str]) -> bool:
    """An English name word matches a translation unit's options: the same word, the place it derives
    from (egyptian: 'egypt'), or the last part of a compound translation whose first part is an
    English word of the lexicon too (falls: 'waterfall'; not land: 'england')."""
    if word in options or any(b in options for b in bases(word)):
        return True
    return len(word) >= COMPOUND_MIN and any(
        len(t) >= len(word) + 3 and t.endswith(word) and t[:-len(word)] in english_words for t in options)


def _phrase_whole(translations: list[str], target_words: set[str]) -> bool:
    """A lexicon phrase inside a name is matched whole when one of its translations has all its words
    in the English name ('angkatan laut' = 'navy'; not 'gereja katolik' = 'catholic church' against
    'Roman Catholic')."""
    return any({singular(w) for w in t.split()} <= target_words for t in translations)


def align_translation(ctx: AlignmentContext, method: AlignMethodConfig,
                      lexicon: dict[str, list[str]], names: Names | None = None) -> list[Candidate]:
    """Word-by-word translation of Indonesian names with the lexicon, matched against English names;
    whole names by the names table, one-word names by the lexicon (``_names_claims``).

    Indonesian noun phrases put the head first (Dewan Keamanan PBB = council security UN), so the
    words are compared as sets, weighted by rarity (IDF over English names): sharing 'council' says
    little, sharing a name word says a lot. Weighted prefix filtering keeps the cost down: only the
    postings of an Indonesian name's rarest words are looked at, which is exact for the threshold for
    words matched as spelled or derived from a place; a compound match (falls: 'waterfall') only adds
    to pairs another word puts forward.
    """
    en_forms: dict[str, tuple[str, str, set[str]]] = {}
    label_of = {e.entity_id: e.label for e in ctx.en}
    postings: dict[str, set[str]] = defaultdict(set)
    bases = _derived_place_words(ctx, names)
    english_words = {w for translations in lexicon.values() for t in translations for w in t.split()}
    for en in ctx.en:
        for form in ctx.forms[en.entity_id]:
            words = {singular(w) for w in name_words(form, EN_FUNCTION_WORDS)}
            if len(words) >= 2:
                key = f"{en.entity_id}\x1f{form}"
                en_forms[key] = (en.entity_id, form, words)
                for word in words:
                    postings[word].add(key)
    total = max(len(en_forms), 1)
    weight = lambda w: math.log(1 + total / len(postings[w])) if w in postings else math.log(1 + total)
    # An English word derived from a place (Egyptian Museum = Museum Mesir: 'egypt') is found by the
    # place too; its weight stays the English word's own.
    base_postings = defaultdict(set)
    for word in list(postings):
        for base in bases(word):
            base_postings[base] |= postings[word]
    look_alikes = _look_alike_words(postings)

    # Candidates are enumerated with the standalone bound (min_score): supporting claims (down to
    # support_score) are collected only among pairs sharing one of the name's most informative words,
    # so weak evidence costs nothing extra to find.
    threshold = max(method.floor, 0.05)
    enumerate_at = max(method.min_score, 0.05)
    found = []
    for ind in ctx.id:
        best: dict[str, Candidate] = {}
        for form in ctx.forms[ind.entity_id]:
            groups = word_groups(name_words(form, ID_FUNCTION_WORDS), lexicon)
            if len(groups) < 2:
                continue   # one word or one phrase: _names_claims
            # a translation unit matches the English words of any of its translations ('supreme court')
            words = [unit for unit, _ in groups]
            # a word the lexicon does not know may be a name word spelled the Indonesian way
            # ('Samudra Pasifik Selatan' = 'South Pacific Ocean': pasifik ~ pacific)
            options = [opts | look_alikes(unit) if not translations else opts
                       for opts, (unit, translations) in zip(translation_options(groups), groups)]
            # A word weighs what its most informative translation that English names use weighs;
            # translations no English name uses say nothing (else 'defence' would look rare).
            group_weight = [max((weight(t) for t in opts if t in postings), default=weight(""))
                            for opts in options]
            id_weight = sum(group_weight)
            # Dice >= t with matched weight M <= English weight B implies M >= t*A/(2-t) (A: Indonesian
            # weight). Take groups rarest first; once the rest weigh less than that, a pair must share
            # a word from the groups already taken, so no further postings are needed.
            needed = enumerate_at * id_weight / (2 - enumerate_at)
            order = sorted(range(len(options)), key=lambda i: -group_weight[i])
            candidates: set[str] = set()
            remaining = id_weight
            for i in order:
                if remaining < needed:
                    break
                candidates |= set().union(*(postings.get(t, set()) | base_postings.get(t, set())
                                            for t in options[i]))
                remaining -= group_weight[i]
            for target in sorted(candidates):
                en_id, en_form, target_words = en_forms[target]
                if ind.label == "PER" and label_of[en_id] == "PER":
                    # Person names are not translated: between two of them word by word only ever
                    # meets shared name words, i.e. one span cut wrong ('Yong Ho' in 'Ri Yong Ho').
                    continue
                hit = [{w for w in target_words if _word_matches(w, opts, bases, english_words)} for opts in options]
                matched_en = set().union(*hit)
                matched = sum(weight(t) for t in matched_en)
                en_weight = sum(weight(t) for t in target_words)
                score = min(1.0, 2 * matched / (id_weight + en_weight))
                if score < threshold or (en_id in best and score <= best[en_id].score):
                    continue
                # The English reading: Indonesian order reversed (head last), matching translations shown.
                reading = " ".join(" ".join(sorted(h)) if h else (lexicon[w][0] if w in lexicon else w)
                                   for w, h in reversed(list(zip(words, hit))))
                best[en_id] = Candidate(en_id, ind.entity_id, "translation", round(score, 4),
                                        f"'{form}' word by word, head moved last = '{reading}'; matches "
                                        f"'{en_form}' on {len(matched_en)}/{len(target_words)} words "
                                        f"(rarity-weighted {score:.2f})", by_meaning=True,
                                        partial=len(matched_en) < len(target_words) or not all(hit) or any(
                                            " " in w and not _phrase_whole(lexicon.get(w, []), target_words)
                                            for w in words))
        found += [best[k] for k in sorted(best)]
    return found + _names_claims(ctx, method, names, lexicon)
