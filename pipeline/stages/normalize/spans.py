"""Span repair: trim determiners, possessives and stray punctuation from a mention's span."""
from __future__ import annotations

import re

from pipeline.core.text import LEADING_DETERMINERS

POSSESSIVE = re.compile(r"['’]s?$")
STRIP_LEFT = " \t\r\n\"'“”‘’([{-–—,.;:*•"
STRIP_RIGHT = " \t\r\n\"'“”‘’([{-–—,;:*•"


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


LETTER = re.compile(r"[^\W\d_]")


def complete_words(text: str, start: int, end: int, taken=()) -> tuple[int, int]:
    """A span that cuts a hyphenated word grows to the whole word: a name does not begin or end
    inside one ('Moon Jae' in 'Moon Jae-in', 'Peter Bartels' in 'Hans-Peter Bartels'). Only across
    a hyphen between letters; a lowercase part before the hyphen is a prefix and stays out
    ('anti-Erdogan'), and a part that another mention covers (``taken``: its (start, end) spans) is
    a name of its own ('US-China': two mentions)."""
    def covered(s: int, e: int) -> bool:
        return any(s < te and ts < e for ts, te in taken)

    while start >= 2 and text[start - 1] == "-" and LETTER.match(text[start - 2]) and LETTER.match(text[start]):
        left = start - 1
        while left > 0 and LETTER.match(text[left - 1]):
            left -= 1
        if not text[left].isupper() or covered(left, start - 1):
            break
        start = left
    while end + 1 < len(text) and text[end] == "-" and LETTER.match(text[end - 1]) and LETTER.match(text[end + 1]):
        right = end + 1
        while right < len(text) and LETTER.match(text[right]):
            right += 1
        if covered(end + 1, right):
            break
        end = right
    return start, end


def trim_designator(text: str, start: int, end: int, designators: tuple[str, ...]) -> int:
    """The start of a span without a leading lowercase designator before a capitalised name
    ('kota Berlin' -> 'Berlin', 'provinsi Jawa Tengah' -> 'Jawa Tengah'); 'Kota Kinabalu' is a name."""
    span = text[start:end]
    for word in sorted(designators, key=len, reverse=True):
        match = re.match(re.escape(word).replace(r"\ ", r"\s+") + r"\s+(?=[A-ZÀ-ÖØ-Þ])", span)
        if match:
            return start + match.end()
    return start
