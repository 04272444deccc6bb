"""One spelling of each text concept the stages share: comparison keys, diacritics, acronyms,
sentence punctuation, span overlap, majority votes and file hashes."""
from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections import Counter
from pathlib import Path

# An acronym written on its own: NATO, NTM-I, PRT.
ACRONYM = r"[A-Z][A-Z0-9&\-]{1,10}"
# An acronym as it appears in parentheses after its long form, where mixed case and dots occur: (UNAMA), (NTM-I), (U.S.).
PARENTHESISED_ACRONYM = r"[A-Z][A-Za-z0-9&.\-]{1,11}"
ACRONYM_RE = re.compile(ACRONYM)
# Characters that end a sentence.
SENTENCE_PUNCTUATION = ".!?"
# What a capitalised word may follow at the start of a sentence, a headline or a quotation.
SENTENCE_OPENERS = frozenset('.!?:;"“”‘’\'([{-–—•*#\n')
QUOTES = frozenset('"“”„«»')
OPEN_QUOTES = QUOTES | {"'", "‘", "("}
# A word made of letters (an apostrophe inside is allowed: Qur'an).
LETTER_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
# A word with its inner hyphens and apostrophes ('Moon Jae-in', "Burt's"): projection's unit of text.
NAME_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*")
# A capitalised word or an acronym (NATO, NTM-I, Dewan): the unit of the ruler's institution names.
NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w\-]*"
# Placeholders of the ruler's regex patterns (configs/name_patterns.yaml 'pattern'): what each stands for.
PATTERN_PLACEHOLDERS = {
    "name": rf"{NAME_WORD}(?:\s+{NAME_WORD})*",       # capitalised words: 'Dewan Keamanan PBB'
    "number": r"\d+(?:[./\-]\d+)*(?![\w])",             # 2189, 34/2004
    "year": r"(?:1[0-9]{3}|2[01][0-9]{2})(?!\w)",
}


def expand_pattern(pattern: str) -> str:
    """A ruler pattern with its {placeholders} replaced; a literal space matches any whitespace.
    KeyError names an unknown placeholder."""
    def replace(match: re.Match) -> str:
        return PATTERN_PLACEHOLDERS[match.group(1)]
    spaced = pattern.replace(" ", r"\s+")
    return re.sub(r"\{([a-z_]+)\}", replace, spaced)


LEADING_DETERMINERS = re.compile(r"^(?:the|a|an|sang|para)\s+", re.IGNORECASE)


def strip_diacritics(text: str) -> str:
    """Remove combining marks: 'Türkiye' -> 'Turkiye'."""
    if text.isascii():  # nothing to strip (most forms): skip the decomposition
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


# UTF-8 text once decoded as Windows-1252 ('ErkoÃ§' for 'Erkoç', 'Apolloâ€“Soyuz'): third-party text
# carries such mojibake, so the same name would get two keys. What these marks begin is repaired.
MOJIBAKE_MARKS = ("Ã", "Â", "â€", "Ä", "Å")   # Latin-1 letters, punctuation, Latin Extended-A ('IÅŸÄ±k')


def repair_mojibake(text: str) -> str:
    """'Fatih ErkoÃ§' -> 'Fatih Erkoç' (ftfy's fix_encoding: it undoes only encodings it is sure of);
    other text is returned as it is. For comparison keys only: tables keep the text as written."""
    if not any(mark in text for mark in MOJIBAKE_MARKS):
        return text
    import ftfy  # already loaded by wordfreq in a run; imported here so that text.py stays light
    return ftfy.fix_encoding(text)


POSSESSIVE = re.compile(r"'s\b|s'(?=\s|$)")
PUNCTUATION = re.compile(r"[^\w\s]")
DOTTED_ACRONYM = re.compile(r"\b(?:[^\W\d_]\.){2,}")   # letters each followed by a dot: n.f.l., u.s.


def char_before(text: str, index: int) -> str:
    """The last character before ``index`` that is not white space other than a line break ('' at the
    start of the text; a line break opens a sentence)."""
    index -= 1
    while index >= 0 and text[index].isspace() and text[index] != "\n":
        index -= 1
    return text[index] if index >= 0 else ""


def opens_sentence(text: str, index: int) -> bool:
    """Whether a word at ``index`` stands where a sentence or headline begins; a quotation inside a
    sentence does not open one ('the show "Troy"'): what counts is what stands before its quote."""
    before = char_before(text, index)
    if before in OPEN_QUOTES:
        before = char_before(text, text.rindex(before, 0, index))
    return not before or before in SENTENCE_OPENERS


@functools.lru_cache(maxsize=1 << 16)
def normalized_key(text: str) -> str:
    """Comparison key for a surface form: case, diacritics, possessive, punctuation, 'the' and mojibake
    ignored.
    Cached: the corpus step keys every mention and name again and again (a pure function)."""
    key = strip_diacritics(repair_mojibake(text)).casefold().replace("’", "'")
    key = LEADING_DETERMINERS.sub("", key)
    key = POSSESSIVE.sub("", key)
    key = DOTTED_ACRONYM.sub(lambda m: m.group().replace(".", ""), key)   # 'N.F.L.' is 'NFL'
    key = PUNCTUATION.sub(" ", key)
    return " ".join(key.split())


def is_acronym(form: str) -> bool:
    """True for a form that is an acronym on its own (NATO, NTM-I)."""
    return ACRONYM_RE.fullmatch(form) is not None


def overlaps(start: int, end: int, other_start: int, other_end: int) -> bool:
    """Two half-open character intervals share at least one character."""
    return start < other_end and other_start < end


def majority(votes: Counter) -> str:
    """The most frequent key, ties broken alphabetically, so the outcome never depends on order."""
    return min(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def trim_designator(text: str, start: int, end: int, designators: tuple[str, ...] | set[str],
                    any_case: bool = False) -> int:
    """The start of a span without a leading lowercase designator before a capitalised name
    ('kota Berlin' -> 'Berlin', 'provinsi Jawa Tengah' -> 'Jawa Tengah'); 'Kota Kinabalu' is a name.
    With ``any_case`` a capitalised designator is trimmed too ('Kabupaten Pidie Jaya' -> 'Pidie Jaya')."""
    match = _designator_pattern(frozenset(designators), any_case).match(text, start, end)
    return match.end() if match else start


@functools.lru_cache(maxsize=64)
def _designator_pattern(designators: frozenset[str], any_case: bool) -> re.Pattern:
    # One alternation, longest designator first (ties alphabetically): the first that matches wins,
    # as when each was tried in turn; compiled once per designator set (it was rebuilt per call,
    # a sixth of an incremental rerun).
    words = sorted(designators, key=lambda word: (-len(word), word))
    alternatives = "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in words) or "(?!)"
    group = f"(?i:{alternatives})" if any_case else f"(?:{alternatives})"
    return re.compile(group + r"\s+(?=[A-ZÀ-ÖØ-Þ])")
