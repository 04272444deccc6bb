"""Span repair: trim determiners, possessives and stray punctuation from a mention's span; cut spans at
line breaks and after a leading country that runs on into another name."""
from __future__ import annotations

import re

from pipeline.core.text import LEADING_DETERMINERS

POSSESSIVE = re.compile(r"['’]s?$")
STRIP_LEFT = " \t\r\n\"'“”‘’([{-–—,.;:*•"
STRIP_RIGHT = " \t\r\n\"'“”‘’([{-–—,;:*•"


def repair_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim determiners, possessives, stray punctuation and an unclosed parenthesis from a span; may
    return an empty span."""
    while True:
        old = (start, end)
        while start < end and text[start] in STRIP_LEFT:
            start += 1
        while start < end and text[end - 1] in STRIP_RIGHT:
            end -= 1
        # A trailing ')' is kept only when the span opens it too: "NTM-I (Iraq)".
        if end > start and text[end - 1] == ")" and text.count("(", start, end) < text.count(")", start, end):
            end -= 1
        # A '(' the span never closes cuts it: the model ran on into a parenthesis ("World Health
        # Organization (WHO", "Callejon del Beso (Alley of the Kiss").
        opened = _first_unclosed(text, start, end)
        if opened > start:
            end = opened
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


# One word after white space on the line: a dotted acronym ('U.S.', group 1: it may end the sentence, so
# it ends the run), an abbreviation that keeps its full stop ('St.', group 2), or a word (group 3).
ABBREVIATION = r"[A-Z][a-z]{0,2}\."
_WORD_AFTER = re.compile(rf"[ \t\u00a0]+(?:((?:[A-Z]\.){{2,}})|({ABBREVIATION})|([^\W\d_][\w'’-]*))")


def close_dangling_joiner(text: str, start: int, end: int, joiners: frozenset[str],
                          others: list[tuple[int, int]] = ()) -> tuple[int, int]:
    """A span ending with a joiner word ('Federal Reserve Bank of', 'Organisation for Economic
    Co-operation and') takes the capitalised words right after it ('... of St. Louis', '... and
    Development'); with none there, it ends before the joiner. Another mention (``others``: spans)
    that starts right after the joiner (or after abbreviations only: 'St.' + 'Louis') is taken whole
    and ends the name; one further on stops it before itself ('... of St. Louis' + 'President James
    Bullard'). Other spans are returned as given."""
    stripped = start + len(text[start:end].rstrip())
    last = re.search(r"\s([a-z]+)$", text[start:stripped])
    if last is None or last.group(1) not in joiners:
        return start, end
    end = grown = stripped
    abbreviations_only = True   # the words taken so far are abbreviations ('St.'): a mention may follow
    while True:
        word = _WORD_AFTER.match(text, grown)
        if word is None or not word.group(word.lastindex)[0].isupper():
            break
        word_start, word_end = word.start(word.lastindex), word.end()
        touched = sorted((s, e) for s, e in others if s < word_end and word_start < e)
        if touched:
            if abbreviations_only and touched[0][0] == word_start:
                grown = touched[0][1]   # a mention right after the joiner (or 'St.'): the name's last part
                if re.fullmatch(ABBREVIATION + "?", text[word_start:grown]):
                    # ... unless it is an abbreviation ('St.' tagged on its own, or 'St' cut from its stop)
                    grown += text.startswith(".", grown)
                    continue
            break
        grown = word_end
        abbreviations_only = abbreviations_only and word.lastindex == 2
        if word.lastindex == 1 or text.startswith(".", grown):
            break   # 'U.S.' or 'Louis.': the full stop may end the sentence
    return (start, grown) if grown > end else (start, start + last.start())


def _first_unclosed(text: str, start: int, end: int) -> int:
    """Offset of the outermost '(' in ``text[start:end]`` that is never closed there, or -1."""
    open_at: list[int] = []
    for i in range(start, end):
        if text[i] == "(":
            open_at.append(i)
        elif text[i] == ")" and open_at:
            open_at.pop()
    return open_at[0] if open_at else -1


LINE_BREAK = re.compile(r"\s*\n\s*")
NAME_WORD = re.compile(r"\w+(?:[-'’.]\w+)*")


def line_parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of a span between line breaks: a name never runs across one (the models see a
    headline and the paragraph after it as one block: 'Inggris\\n\\nSainsbury', 'Facebook\\n\\nTim')."""
    parts, begin = [], start
    for match in LINE_BREAK.finditer(text, start, end):
        parts.append((begin, match.start()))
        begin = match.end()
    parts.append((begin, end))
    return [(s, e) for s, e in parts if e > s]


def leading_country_end(text: str, start: int, end: int, is_country, is_common_word) -> int:
    """Where a leading country name ends in a span that runs on from it into another name, or
    ``start``: Indonesian puts the nationality after the noun ('klub Italia Juve', 'pegolf Italia
    Molinari') and the model takes both names as one. The longest leading run of words that
    ``is_country`` accepts counts, and only when the next word is capitalised and not an ordinary
    word (``is_common_word``: 'Korea Utara', 'Amerika Latin', 'Indonesia Timur' stay whole)."""
    words = list(NAME_WORD.finditer(text, start, end))
    for k in range(len(words) - 1, 0, -1):
        prefix_end = words[k - 1].end()
        if is_country(text[start:prefix_end]):
            following = words[k].group()
            if following[:1].isupper() and not is_common_word(following):
                return prefix_end
            return start
    return start


LIST_SEPARATOR = re.compile(r",\s+(?=[A-ZÀ-ÖØ-Þ])|(?<=\w)/(?=[A-ZÀ-ÖØ-Þ])")


def list_parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of a span that lists names with commas or a slash ('Boots, Superdrug' -> 'Boots',
    'Superdrug'; 'Suffolk University Political Research Center/Boston Globe'): cut at each comma
    followed by a capitalised word, and at a slash between two names of several words each ('AC/DC',
    'Elvie/Mother' stay whole: one name may be written that way)."""
    parts, begin = [], start
    for match in LIST_SEPARATOR.finditer(text, start, end):
        if match.group() == "/":
            left = text[begin:match.start()]
            right_end = next((m.start() for m in LIST_SEPARATOR.finditer(text, match.end(), end)), end)
            if " " not in left.strip() or " " not in text[match.end():right_end].strip():
                continue
        parts.append((begin, match.start()))
        begin = match.end()
    parts.append((begin, end))
    return [(s, e) for s, e in parts if e > s]


def inner_designator_start(text: str, start: int, end: int, designators) -> int:
    """Where a second name starts in a span that runs from one place into another across a lowercase
    designator ('Xining provinsi Qinghai': the city, then its province): the designator's start, or
    ``start`` when there is none. The designator itself is trimmed from the second part later."""
    for word in sorted(designators, key=lambda w: (-len(w), w)):
        pattern = r"(?<=\w)\s+(" + re.escape(word).replace(r"\ ", r"\s+") + r")\s+(?=[A-ZÀ-ÖØ-Þ])"
        match = re.search(pattern, text[start:end])
        if match and text[start:start + match.start()].split()[-1][:1].isupper():
            return start + match.start(1)
    return start


def trim_designator_tail(text: str, start: int, end: int, tails) -> int:
    """The end of a span without a trailing lowercase designator after a capitalised name ('Yunnan
    province' -> 'Yunnan', English writes the kind after the name); 'Quebec City' is a name."""
    words = text[start:end].split()
    if len(words) > 1 and words[-1] in tails and words[-2][:1].isupper():
        return start + re.search(r"\s+\S+\s*$", text[start:end]).start()
    return end


LETTER = re.compile(r"[^\W\d_]")
MAX_LOWER_PART = 3       # a lowercase part after a hyphen joins a name up to this length ('Jae-in', 'Myung-bak')
CLITICS = {"nya"}        # Indonesian enclitic written with a hyphen after a name: not part of it


def complete_words(text: str, start: int, end: int, taken=(), joinable=()) -> tuple[int, int]:
    """A span that cuts a hyphenated name grows to the whole name: 'Moon Jae' in 'Moon Jae-in',
    'Peter Bartels' in 'Hans-Peter Bartels'. Across a hyphen between letters only, and only onto a
    name part: a capitalised word, or a short lowercase one (at most MAX_LOWER_PART letters, a
    Korean given name's second syllable) that is not a clitic; 'anti-Erdogan', 'Netherlands-based',
    'Al-Qaeda-linked' keep the model's span. A part that another mention covers (``taken``: spans)
    is a name of its own ('US-China': two mentions), unless it is in ``joinable`` (the other half
    of one person's name, 'Hans' + 'Peter Bartels'), which the span then takes whole."""
    def blocked(s: int, e: int) -> bool:
        return any(s < te and ts < e for ts, te in taken if (ts, te) not in joinable)

    def joined(s: int, e: int) -> tuple[int, int]:
        spans = [(ts, te) for ts, te in joinable if s < te and ts < e]
        return (min([s] + [t[0] for t in spans]), max([e] + [t[1] for t in spans]))

    while start >= 2 and text[start - 1] == "-" and LETTER.match(text[start - 2]) and LETTER.match(text[start]):
        left = start - 1
        while left > 0 and LETTER.match(text[left - 1]):
            left -= 1
        if not text[left].isupper() or blocked(left, start - 1):
            break
        start = joined(left, start - 1)[0]
    while end + 1 < len(text) and text[end] == "-" and LETTER.match(text[end - 1]) and LETTER.match(text[end + 1]):
        right = end + 1
        while right < len(text) and LETTER.match(text[right]):
            right += 1
        part = text[end + 1:right]
        if blocked(end + 1, right) or not (part[0].isupper() or (len(part) <= MAX_LOWER_PART and part not in CLITICS)):
            break
        end = joined(end + 1, right)[1]
    return start, end


# A capitalised word: an upper-case letter (Latin, Greek and Cyrillic: 'Łódź', 'Škoda'), then word
# characters, apostrophes, hyphens, and dots only inside ('U.S'): a word never takes a full stop, so a
# run of capitalised words ends at the end of a sentence ('... Trump. Bank of England').
UPPER = "".join(re.escape(c) for c in map(chr, range(0x530)) if c.isupper())
CAPITALISED = rf"[{UPPER}](?:[\w'’-]|\.(?=\w))*"


def verbatim_english_names(text: str, joiners: tuple[str, ...], is_own_word, leading_names: frozenset[str] = frozenset(),
                           trailing_names: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """Spans of capitalised words joined by English function words ('Marks and Spencer', 'Game of
    Thrones', 'Florida Fish and Wildlife Commission') in another language's text: a translator turns
    'and' into 'dan' and 'of' into word order, so English joiners left among capitalised words mark a
    name kept verbatim, one name. Words before the first joiner's left word and after the last joiner's
    right word are dropped when the text's own language uses them more than English (``is_own_word``:
    'Bintang Game of Thrones' -> 'Game of Thrones') or when they are a name of their own, a form in
    ``leading_names`` before ('HBO Game of Thrones') or ``trailing_names`` after ('Game of Thrones Kit
    Harington'); the caller leaves places out of the leading ones ('Florida Fish and Wildlife')."""
    if not joiners:
        return []
    joiner = r"(?:" + "|".join(re.escape(j) for j in joiners) + r")"
    join = rf"(?:[ \t]+{joiner})+[ \t]+"
    run = rf"{CAPITALISED}(?:[ \t]+{CAPITALISED})*"
    spans = []
    for match in re.finditer(rf"(?<![\w'’.-]){run}(?:{join}{run})+", text):
        words = [w for w in re.finditer(r"\S+", match.group())]
        is_joiner = [re.fullmatch(joiner, w.group()) is not None for w in words]
        left_core = is_joiner.index(True) - 1
        right_core = len(words) - is_joiner[::-1].index(True)
        first, last = 0, len(words) - 1

        def phrase(a: int, b: int) -> str:   # words a..b inclusive, as the text writes them
            return match.group()[words[a].start():words[b].end()]

        while first < left_core:
            named = [k for k in range(left_core - 1, first - 1, -1) if phrase(first, k) in leading_names]
            if named:
                first = named[0] + 1
            elif is_own_word(words[first].group()):
                first += 1
            else:
                break
        while last > right_core:
            named = [k for k in range(right_core + 1, last + 1) if phrase(k, last) in trailing_names]
            if named:
                last = named[0] - 1
            elif is_own_word(words[last].group()):
                last -= 1
            else:
                break
        spans.append((match.start() + words[first].start(), match.start() + words[last].end()))
    return spans
