"""Acronym definitions ('Long Form (ACR)' and 'ACR (Long Form)'), after Schwartz & Hearst (2003),
extended to English acronyms of Indonesian long forms (PRT = Tim Rekonstruksi Provinsi)."""
from __future__ import annotations

import re

from pipeline.core.records import AcronymDefinition
from pipeline.core.text import ACRONYM, PARENTHESISED_ACRONYM

# Words that may sit inside a long form without contributing a letter to its acronym.
CONNECTORS = {"of", "and", "the", "for", "in", "on", "to", "de", "dan", "di", "untuk", "yang", "pada", "ke", "dari"}
ACRONYM_IN_PARENS = re.compile(rf"\(\s*({PARENTHESISED_ACRONYM})\s*\)")
ACRONYM_BEFORE_PARENS = re.compile(rf"(?<![\w-])({ACRONYM})\s*\(([^()\n]{{3,120}})\)")


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
    'Tim Rekonstruksi Provinsi': Indonesian puts the head noun first), the words all capitalised
    or, for three letters or more, all in lower case (an English term's acronym: NMR for 'resonansi
    magnetik nuklir'; two lower-case words fit two letters too easily: 'ketua mahkamah (MK)')."""
    content = [w for w in words if w.lower() not in CONNECTORS]
    initials = [part[0].lower() for w in content for part in re.split(r"[-/]", w) if part]
    return len(initials) == len(letters) and sorted(initials) == sorted(letters) and (
        all(w[0].isupper() for w in content) or (len(letters) >= 3 and all(w[0].islower() for w in content)))


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
    for match in ACRONYM_BEFORE_PARENS.finditer(text):
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
