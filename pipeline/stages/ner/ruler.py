"""The domain ruler: curated gazetteer names and institution-name patterns found in text."""
from __future__ import annotations

import re
from typing import Iterable

from pipeline.core.text import NAME_WORD, expand_pattern, is_acronym, overlaps


def _words(phrase: str) -> str:
    """A literal phrase whose spaces match any whitespace ('Satuan Tugas', 'Air Base')."""
    return r"\s+".join(map(re.escape, phrase.split()))


class GazetteerRuler:
    """The domain ruler: exact, case-sensitive matches of gazetteer names and aliases (whole words),
    plus institutional names found by their head or tail word (configs/name_patterns.yaml):
    'Kementerian' + capitalised words, capitalised words + 'Summit'."""

    def __init__(self, entries: Iterable[dict], patterns: Iterable = (), groups: Iterable[str] | None = None):
        self.label_of: dict[str, str] = {}
        for entry in entries:
            for form in [entry["name"], *entry.get("aliases", [])]:
                self.label_of.setdefault(form, entry["label"])
        forms = sorted(self.label_of, key=lambda f: (-len(f), f))
        self.pattern = re.compile(
            r"(?<!\w)(" + "|".join(re.escape(f) for f in forms) + r")(?!\w)") if forms else None
        self.name_patterns = []
        groups = None if groups is None else set(groups)
        for p in patterns:
            if groups is not None and getattr(p, "group", "names") not in groups:
                continue
            joiner = r"\s+(?:(?:" + "|".join(map(re.escape, p.connectors)) + r")\s+)?" if p.connectors else r"\s+"
            if getattr(p, "pattern", ""):
                regex = rf"(?<![\w\-])(?:{expand_pattern(p.pattern)})(?![\w\-])"
            elif p.head:
                regex = rf"(?<!\w){_words(p.head)}(?:{joiner}{NAME_WORD})+(?!\w)"
            else:
                regex = rf"(?<![\w\-])(?:{NAME_WORD}{joiner})+{_words(p.tail)}(?!\w)"
            kind = "pattern" if getattr(p, "pattern", "") else "head" if p.head else "tail"
            self.name_patterns.append((re.compile(regex), p.label, kind))

    def _trim_acronyms(self, text: str, start: int, end: int) -> int:
        """The end of a head/tail name without an acronym it swallowed: an acronym that is not a curated
        name ends the name before it ('Dewan Gubernur RDG Bank Indonesia' -> 'Dewan Gubernur'), and a
        closing acronym of the words before it goes ('Bank Indonesia BI' -> 'Bank Indonesia')."""
        words = [(m.start() + start, m.end() + start, m.group()) for m in re.finditer(r"\S+", text[start:end])]
        for i, (s, _, word) in enumerate(words[1:], start=1):
            if is_acronym(word) and word not in self.label_of and i < len(words) - 1:
                return words[i - 1][1]
        if len(words) > 2 and is_acronym(words[-1][2]) and words[-1][2] not in self.label_of:
            letters = "".join(c for c in words[-1][2] if c.isalpha()).lower()
            initials = "".join(w[2][0].lower() for w in words[-1 - len(letters):-1])
            if letters and letters == initials:
                return words[-2][1]
        return end

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping matches. Gazetteer names: longest first at each position. A name pattern
        wins over gazetteer names strictly inside it ('Misi Pelatihan NATO di Irak' over 'NATO'),
        but not over a curated name that starts where it starts or crosses its boundary."""
        curated = [(m.start(), m.end(), self.label_of[m.group()])
                   for m in self.pattern.finditer(text)] if self.pattern else []
        matches = [(m.start(), m.end() if kind == "pattern" else self._trim_acronyms(text, m.start(), m.end()),
                    label, kind) for regex, label, kind in self.name_patterns for m in regex.finditer(text)]
        # a name is more than its head or tail word
        by_pattern = sorted((m for m in matches if re.search(r"\s", text[m[0]:m[1]])), key=lambda x: (x[0], -x[1], x[2]))
        named: list[tuple[int, int, str]] = []
        for start, end, label, kind in by_pattern:
            if any(overlaps(start, end, s, e) for s, e, _ in named):
                continue
            # A head pattern yields to a curated name that starts with it ('Misi Dukungan Tegas Baru');
            # a tail or regex pattern takes a curated name that opens it ('Bagram Air Base',
            # 'UN Security Council Resolution 1973').
            inside = (lambda s, e: start <= s and e <= end and (s, e) != (start, end)) if kind != "head" else \
                (lambda s, e: start < s and e <= end)
            if any(overlaps(start, end, s, e) and not inside(s, e) for s, e, _ in curated):
                continue
            named.append((start, end, label))
        kept = named + [c for c in curated if not any(overlaps(c[0], c[1], s, e) for s, e, _ in named)]
        return sorted(kept)
