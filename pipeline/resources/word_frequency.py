"""``wordfreq.word_frequency`` for a fixed set of languages, with the same results, without building
wordfreq's in-memory dictionaries in every process.

wordfreq turns each language's list into a dictionary on first use: for the detector's nine
languages that is 2.6 million entries and ~2.4 s of every run, however few words the run looks up
(an incremental rerun of one new document). Here the lists are written once per machine into one
SQLite table (word -> frequency per language; ``pipeline/resources/derived.py``) and each word is
read when first asked for. Frequencies are combined and rounded exactly as wordfreq does, so the
results are bit-identical (tests/resources/test_word_frequency.py); words with digits are spread
over wordfreq's own digit distribution.
"""
from __future__ import annotations

import functools
import math
import sqlite3
from pathlib import Path
from typing import Callable

from pipeline.config.schema import DetectConfig
from pipeline.resources.derived import cached_entry, entry_name

FORMAT = "1"        # bump when the table's layout changes
WORDLIST = "best"   # the list word_frequency uses by default
# Latin-script languages whose wordfreq tokenization of an ASCII word is its lowercase (tested):
# the detector's default languages and a few more. Others go through wordfreq's tokenizer.
ASCII_CASEFOLD_LANGUAGES = frozenset({"en", "id", "ms", "fr", "de", "nl", "es", "pt", "it", "ca", "da",
                                      "fi", "nb", "pl", "ro", "sv", "cs", "hu", "fil", "sw"})


class WordFrequencies:
    """``frequency(word, lang)`` == ``wordfreq.word_frequency(word, lang)`` for ``languages``;
    ``row(word)`` gives the raw list frequency of a token per language (None where absent)."""

    def __init__(self, languages: tuple[str, ...]):
        self.languages = tuple(languages)
        self.index = {lang: i for i, lang in enumerate(self.languages)}
        self._all_casefold = bool(self.languages) and all(lang in ASCII_CASEFOLD_LANGUAGES for lang in self.languages)
        self.row: Callable[[str], tuple[float | None, ...]] = functools.lru_cache(maxsize=500_000)(self._open())

    def frequency(self, word: str, lang: str) -> float:
        """wordfreq's frequency of ``word`` in ``lang`` (0.0 when unknown), rounded as wordfreq rounds."""
        i = self.index[lang]
        if word.isascii() and word.isalpha() and (word.islower() or lang in ASCII_CASEFOLD_LANGUAGES):
            # A plain lowercase word is its own (and only) token; in these languages wordfreq's
            # tokenizer only lowercases an ASCII word of any case (no dotted-I rule as in tr/az).
            tokens = [word.lower()]
        else:
            from wordfreq.tokens import lossy_tokenize

            tokens = lossy_tokenize(word, lang)
            if not tokens:
                return 0.0
        one_over_result = 0.0
        for token in tokens:
            if any(c.isdigit() for c in token):
                if lang not in ASCII_CASEFOLD_LANGUAGES:
                    from wordfreq import word_frequency

                    return word_frequency(word, lang)
                # wordfreq's _word_frequency: multi-digit runs are looked up as zeros, then scaled by
                # its distribution of digit strings (years, Benford) -- without building its dictionary.
                from wordfreq.numbers import digit_freq, smash_numbers

                smashed = smash_numbers(token)
                freq = self.row(smashed)[i]
                if freq is None:
                    return 0.0
                if smashed != token:
                    freq *= digit_freq(token)
            else:
                freq = self.row(token)[i]
                if freq is None:
                    return 0.0
            one_over_result += 1.0 / freq
        return _rounded(1.0 / one_over_result)

    def frequencies(self, word: str) -> tuple[float, ...]:
        """``frequency(word, lang)`` for every language, in ``languages`` order (one table read for a
        plain ASCII word instead of one call per language)."""
        if self._all_casefold and word.isascii() and word.isalpha():
            # The same arithmetic as frequency() for a one-token word, so bit-identical.
            return tuple(0.0 if freq is None else _rounded(1.0 / (1.0 / freq)) for freq in self.row(word.lower()))
        return tuple(self.frequency(word, lang) for lang in self.languages)

    def _open(self) -> Callable[[str], tuple[float | None, ...]]:
        from importlib.metadata import version

        name = entry_name("wordfreq", FORMAT, version("wordfreq"), WORDLIST, *self.languages) + ".sqlite"
        path = cached_entry(name, lambda temporary: _build_table(temporary, self.languages))
        if path is None:
            return _in_memory_rows(self.languages)
        connection = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        query = "SELECT * FROM freq WHERE word = ?"
        missing = (None,) * len(self.languages)

        def row(word: str) -> tuple[float | None, ...]:
            found = connection.execute(query, (word,)).fetchone()
            return found[1:] if found else missing

        return row


_opened: dict[tuple[str, ...], WordFrequencies] = {}


def word_frequencies(languages: tuple[str, ...]) -> WordFrequencies:
    """One shared lookup per language set and process."""
    languages = tuple(languages)
    if languages not in _opened:
        _opened[languages] = WordFrequencies(languages)
    return _opened[languages]


def frequency_lookup(languages: tuple[str, ...]) -> Callable[[str, str], float]:
    """``wordfreq.word_frequency`` for ``languages``: from a table already open in this process that
    has them all (the detector opens one for its candidate languages), else from the table of the
    detector's default candidate languages when they include them (one table per machine), else
    from one for exactly them."""
    wanted = set(languages)
    for store in _opened.values():
        if wanted <= store.index.keys():
            return store.frequency
    default = tuple(DetectConfig.model_fields["candidate_languages"].default)
    return word_frequencies(default if wanted <= set(default) else tuple(languages)).frequency


def word_frequency(word: str, lang: str) -> float:
    """``wordfreq.word_frequency(word, lang)`` (see ``frequency_lookup``)."""
    return frequency_lookup((lang,))(word, lang)


def _rounded(freq: float) -> float:
    # wordfreq: "All our frequency data is only precise to within 1% anyway, so round it to 3
    # significant digits" (its _word_frequency, with minimum 0).
    return round(freq, math.floor(-math.log(freq, 10)) + 3)


def _list_rows(languages: tuple[str, ...]) -> dict[str, list[float | None]]:
    from wordfreq import cB_to_freq, get_frequency_list

    rows: dict[str, list[float | None]] = {}
    for i, lang in enumerate(languages):
        # wordfreq's get_frequency_dict: bucket k holds the words at -k centibels; a word listed in
        # several buckets keeps the last, as its dictionary does.
        for index, bucket in enumerate(get_frequency_list(lang, WORDLIST)):
            freq = cB_to_freq(-index)
            for word in bucket:
                row = rows.get(word)
                if row is None:
                    row = rows[word] = [None] * len(languages)
                row[i] = freq
    return rows


def _build_table(path: Path, languages: tuple[str, ...]) -> None:
    """Write every listed word of ``languages`` with its frequency per language into ``path``."""
    rows = _list_rows(languages)
    columns = ", ".join(f"f{i} REAL" for i in range(len(languages)))
    connection = sqlite3.connect(path)
    try:
        # Written once into a temporary file that is renamed when complete: no journal needed.
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute(f"CREATE TABLE freq (word TEXT PRIMARY KEY, {columns}) WITHOUT ROWID")
        marks = ", ".join("?" * (len(languages) + 1))
        connection.executemany(f"INSERT INTO freq VALUES ({marks})",
                               ((word, *row) for word, row in sorted(rows.items())))
        connection.commit()
    finally:
        connection.close()


def _in_memory_rows(languages: tuple[str, ...]) -> Callable[[str], tuple[float | None, ...]]:
    """Without a writable cache folder: wordfreq's own dictionaries (built in this process)."""
    from wordfreq import get_frequency_dict

    tables = [get_frequency_dict(lang, WORDLIST) for lang in languages]
    return lambda word: tuple(table.get(word) for table in tables)
