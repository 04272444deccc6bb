"""Numeric and temporal mentions by rule (DATE, TIME, MONEY, PERCENT, QUANTITY, CARDINAL, ORDINAL).

The regular expressions are assembled from one language's word lists (configs/numeric_patterns.yaml,
loaded as ``NumericVocabulary``): '12 Desember 2014', 'Senin (12/12)', 'tahun 2014', 'pukul 10.00 WIB',
'Rp 5 miliar', '5 juta dolar AS', '30 persen', 'ke-3', 'ketiga'. Dates are checked for validity
(no '31 Februari'). Overlapping candidates: the longest wins, then the earliest.
"""
from __future__ import annotations

import calendar
import re

from pipeline.resources import NumericVocabulary

# Indonesian digits: '.' groups thousands (5.000), ',' marks decimals (2,5); English-style also passes.
NUMBER = r"\d+(?:[.,]\d+)*"
LEFT = r"(?<![\w.,/\-])"     # a number does not continue a word, code or another number (F-16, G20, 1/2)
RIGHT = r"(?![\w/]|[.,]\d|-\w)"


def _alternation(words) -> str:
    """Longest first, so 'dolar Amerika Serikat' wins over 'dolar'; spaces match any whitespace."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _word(words) -> str:
    return rf"(?:{_alternation(words)})" if words else r"(?!x)x"


class NumericRuler:
    """Finds numeric and temporal mentions in a text of one language."""

    def __init__(self, vocab: NumericVocabulary):
        self.vocab = vocab
        v = vocab
        month = _word(list(v.months) + [a for a, _ in v.month_abbreviations])
        weekday = _word(v.weekdays)
        number_word = _word(v.number_words)
        scale = _word(v.scales)
        amount = rf"(?:{LEFT}{NUMBER}|(?<!\w){number_word})(?:\s+{scale})?"
        year = r"(?:1[0-9]{3}|2[01][0-9]{2})"
        W = r"(?![\w])"   # end of a word
        self.patterns: list[tuple[str, re.Pattern]] = []

        def add(label: str, regex: str) -> None:
            self.patterns.append((label, re.compile(regex)))

        # DATE: [Senin,] 12 Desember [2014]; Desember 2014; Senin (12/12); 12/12/2014; tahun 2014; 1990-an; abad ke-21
        add("DATE", rf"(?<!\w)(?:{weekday},?\s+)?(?P<day>[0-3]?\d)\s+(?P<month>{month})\.?(?:\s+(?P<year>{year}))?{W}")
        add("DATE", rf"(?<!\w)(?P<month>{month})\s+(?P<year>{year}){W}")
        add("DATE", rf"(?<!\w){weekday}\s*\((?P<day>[0-3]?\d)/(?P<mnum>[01]?\d)(?:/(?P<year>\d{{2}}|{year}))?\)")
        add("DATE", rf"(?<!\w){weekday}(?:\s+(?:{_word(v.day_parts)}))?{W}")
        add("DATE", rf"{LEFT}(?P<day>[0-3]?\d)[/\-](?P<mnum>[01]?\d)[/\-](?P<year>{year}){RIGHT}")
        add("DATE", rf"(?<!\w){_word(v.year_words)}\s+{year}(?:{re.escape(v.decade_suffix)})?{W}")
        # 'sejak 2014': the year alone (group 'span') is the mention
        add("DATE", rf"(?<!\w){_word(v.year_after)}\s+(?P<span>{year}){RIGHT}")
        if v.decade_suffix:
            add("DATE", rf"{LEFT}(?:1[0-9]{{2}}|2[01][0-9])0{re.escape(v.decade_suffix)}{W}")
        if v.century_words and v.ordinal_prefix:
            add("DATE", rf"(?<!\w){_word(v.century_words)}\s+{re.escape(v.ordinal_prefix)}\d{{1,2}}{W}")
        # TIME: pukul 10.00 [WIB] [pagi]; 10.00 WIB
        zone = _word(v.time_zones)
        add("TIME", rf"(?<!\w){_word(v.time_words)}\s+[0-2]?\d(?:[.:][0-5]\d)?(?:\s+{zone})?"
                    rf"(?:\s+{_word(v.day_parts)})?{W}")
        add("TIME", rf"{LEFT}[0-2]?\d[.:][0-5]\d\s+{zone}{W}")
        # MONEY: Rp 5 miliar, Rp5.000, US$ 3 juta, 5 juta dolar AS
        before = _word(v.currency_before)
        after = _word(v.currency_after)
        add("MONEY", rf"(?<![\w$]){before}\s?(?:{NUMBER})(?:\s+{scale})?(?:\s+{after})?(?![\w/]|[.,]\d)")
        add("MONEY", rf"{amount}\s+{after}{W}")
        # PERCENT: 30 persen, 30%, 2,5 persen
        add("PERCENT", rf"{amount}\s*%")
        add("PERCENT", rf"{amount}\s+{_word(v.percent_words)}{W}")
        # QUANTITY: 5 kilometer, 10 ribu ton
        add("QUANTITY", rf"{amount}\s+{_word(v.units)}{W}")
        # ORDINAL: ke-3, ketiga
        if v.ordinal_prefix:
            add("ORDINAL", rf"(?<![\w\-]){re.escape(v.ordinal_prefix)}\d+{W}")
        add("ORDINAL", rf"(?<!\w){_word(v.ordinal_words)}{W}")
        # CARDINAL: 10, 5.000, 2,5 juta, tiga, ratusan ribu
        add("CARDINAL", rf"{amount}{RIGHT}")
        self.not_after = {w.casefold() for w in v.ordinal_not_after}

    def _valid(self, label: str, match: re.Match, text: str) -> bool:
        groups = match.groupdict()
        if label == "DATE" and groups.get("day"):
            month = self.vocab.month_number(groups["month"]) if groups.get("month") else int(groups.get("mnum") or 0)
            day = int(groups["day"])
            year = groups.get("year")
            year_number = int(year) if year and len(year) == 4 else 2000   # 2000 is a leap year: 29 Feb passes
            if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year_number, month)[1]):
                return False
        if label == "ORDINAL" and not match.group().startswith(self.vocab.ordinal_prefix or "\0"):
            before = text[:match.start()].rstrip()
            previous = re.search(r"(\w+)\W*$", before)
            # 'Kedua negara' (both countries) opens a sentence; 'antara kedua negara': both, too.
            if not previous or before.endswith((".", "!", "?", "\n")) or previous.group(1).casefold() in self.not_after:
                return False
        return True

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping (start, end, label) spans: longest first, then earliest, then pattern order."""
        candidates = []
        for order, (label, regex) in enumerate(self.patterns):
            for match in regex.finditer(text):
                if match.end() > match.start() and self._valid(label, match, text):
                    start, end = match.span("span") if "span" in regex.groupindex else match.span()
                    candidates.append((start, end, order, label))
        candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0], c[2]))
        taken: list[tuple[int, int, str]] = []
        for start, end, _, label in candidates:
            if all(end <= s or e <= start for s, e, _ in taken):
                taken.append((start, end, label))
        return sorted(taken)
