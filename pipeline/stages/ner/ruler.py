"""The domain ruler: curated gazetteer names and institution-name patterns found in text."""
from __future__ import annotations

import re
from typing import Iterable

from pipeline.core.text import overlaps

NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w\-]*"  # a capitalised word or an acronym (NATO, NTM-I)


class GazetteerRuler:
    """The domain ruler: exact, case-sensitive matches of gazetteer names and aliases (whole words),
    plus institutional names found by their head or tail word (configs/name_patterns.yaml):
    'Kementerian' + capitalised words, capitalised words + 'Summit'."""

    def __init__(self, entries: Iterable[dict], patterns: Iterable = ()):
        self.label_of: dict[str, str] = {}
        for entry in entries:
            for form in [entry["name"], *entry.get("aliases", [])]:
                self.label_of.setdefault(form, entry["label"])
        forms = sorted(self.label_of, key=lambda f: (-len(f), f))
        self.pattern = re.compile(
            r"(?<!\w)(" + "|".join(re.escape(f) for f in forms) + r")(?!\w)") if forms else None
        self.name_patterns = []
        for p in patterns:
            joiner = r"\s+(?:(?:" + "|".join(map(re.escape, p.connectors)) + r")\s+)?" if p.connectors else r"\s+"
            if p.head:
                regex = rf"(?<!\w){re.escape(p.head)}(?:{joiner}{NAME_WORD})+(?!\w)"
            else:
                regex = rf"(?<![\w\-])(?:{NAME_WORD}{joiner})+{re.escape(p.tail)}(?!\w)"
            self.name_patterns.append((re.compile(regex), p.label))

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping matches. Gazetteer names: longest first at each position. A name pattern
        wins over gazetteer names strictly inside it ('Misi Pelatihan NATO di Irak' over 'NATO'),
        but not over a curated name that starts where it starts or crosses its boundary."""
        curated = [(m.start(), m.end(), self.label_of[m.group()])
                   for m in self.pattern.finditer(text)] if self.pattern else []
        by_pattern = sorted(((m.start(), m.end(), label) for regex, label in self.name_patterns
                             for m in regex.finditer(text)), key=lambda x: (x[0], -x[1], x[2]))
        named: list[tuple[int, int, str]] = []
        for start, end, label in by_pattern:
            if any(overlaps(start, end, s, e) for s, e, _ in named):
                continue
            if any(overlaps(start, end, s, e) and not (start < s and e <= end) for s, e, _ in curated):
                continue
            named.append((start, end, label))
        kept = named + [c for c in curated if not any(overlaps(c[0], c[1], s, e) for s, e, _ in named)]
        return sorted(kept)
