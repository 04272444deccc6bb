"""pipeline/resources/word_frequency.py and derived.py: wordfreq's frequencies from a per-machine
table, bit-identical to wordfreq; cache entries built once, atomically, or not at all."""
import os

import pytest

from pipeline.config.schema import DetectConfig
from pipeline.resources import derived
from pipeline.resources.word_frequency import (ASCII_CASEFOLD_LANGUAGES, WordFrequencies, frequency_lookup,
                                                word_frequencies)

# The detector's languages: the table every run opens (tests share it with the detector's tests).
LANGUAGES = tuple(DetectConfig().candidate_languages)
WORDS = ["karena", "kerana", "the", "pasukan", "zzzqx", "naïve", "2011", "don't", "Kabul", "straße", "perang2", "é",
         "Türkiye", "co-operation", "F-16", "São", "ÁFRICA", "a.b", "", "...", "New York", "NATO's",
         "3006", "1999", "co2", "1,000", "ss19", "al-qaeda", "Al-Qaeda", "mexico's", "l’oreal", "Zárate", "T-SHIRT",
         "IRAQ", "McDonald", "iPhone", "kerajaan"]


@pytest.mark.parametrize("word", WORDS)
def test_frequencies_equal_wordfreq(word):
    """Every language, plain and tokenized words, digits (wordfreq's own path), unknown words."""
    from wordfreq import word_frequency

    store = word_frequencies(LANGUAGES)
    expected = [word_frequency(word, lang) for lang in LANGUAGES]
    assert [store.frequency(word, lang) for lang in LANGUAGES] == expected
    assert list(store.frequencies(word)) == expected  # all languages at once (the detector's path)


@pytest.mark.parametrize("lang", sorted(ASCII_CASEFOLD_LANGUAGES))
def test_ascii_words_of_any_case_tokenize_to_their_lowercase(lang):
    """The shortcut that skips wordfreq's tokenizer holds for every language it is taken in."""
    from wordfreq.tokens import lossy_tokenize

    words = ["Kabul", "NATO", "McDonald", "iPhone", "I", "Istanbul", "IRAQ", "Eindhoven", "x", "ABCdefGHI", "Ijssel"]
    assert [lossy_tokenize(word, lang) for word in words] == [[word.lower()] for word in words]


def test_lookup_reuses_an_open_table_that_covers_the_languages():
    store = word_frequencies(LANGUAGES)
    assert frequency_lookup(("id", "en")) == store.frequency


def test_without_a_writable_cache_wordfreq_builds_in_memory(tmp_path, monkeypatch):
    from wordfreq import word_frequency

    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(derived.CACHE_ENV, str(blocked / "cache"))
    store = WordFrequencies(("ms",))
    assert not (blocked / "cache").exists()
    assert [store.frequency(w, "ms") for w in ("kerana", "iaitu", "zzzqx")] == \
        [word_frequency(w, "ms") for w in ("kerana", "iaitu", "zzzqx")]


def test_an_entry_is_built_once(tmp_path, monkeypatch):
    monkeypatch.setenv(derived.CACHE_ENV, str(tmp_path / "cache"))
    builds = []

    def build(path):
        builds.append(path)
        path.write_text("entry", encoding="utf-8")

    name = derived.entry_name("probe", "1.0", "en")
    first = derived.cached_entry(name, build)
    second = derived.cached_entry(name, build)
    assert first == second == tmp_path / "cache" / name and first.read_text(encoding="utf-8") == "entry"
    assert len(builds) == 1 and oct(first.stat().st_mode & 0o777) == oct(0o644)
    assert derived.entry_name("probe", "1.1", "en") != name  # a new version: a new entry


def test_a_failed_build_leaves_no_entry(tmp_path, monkeypatch):
    monkeypatch.setenv(derived.CACHE_ENV, str(tmp_path / "cache"))

    def build(path):
        path.write_text("half", encoding="utf-8")
        raise RuntimeError("killed mid-build")

    with pytest.raises(RuntimeError):
        derived.cached_entry("probe-x", build)
    assert sorted(p.name for p in (tmp_path / "cache").iterdir() if not p.name.endswith(".lock")) == []


def test_an_unwritable_cache_gives_none(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv(derived.CACHE_ENV, str(blocked / "cache"))
    assert derived.cached_entry("probe-y", lambda path: path.write_text("x")) is None
    assert os.listdir(tmp_path) == ["file"]
