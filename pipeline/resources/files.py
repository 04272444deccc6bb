"""Loaders for the config-referenced files (gazetteer, name patterns, label maps, glossary, lexicon).

Each loader validates what it reads and raises ConfigError naming the file and the key or line at fault.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import yaml

from pipeline.config import safe_load_yaml
from pipeline.core.labels import LABELS
from pipeline.core.text import PATTERN_PLACEHOLDERS, expand_pattern, normalized_key
from pipeline.errors import ConfigError


@dataclass(frozen=True)
class GazetteerEntry:
    """A known entity in one language: its name, aliases, label and optional Wikidata id."""

    lang: str
    name: str
    label: str
    aliases: tuple[str, ...] = ()
    wikidata: str = ""

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class GlossaryPair:
    """A curated English/Indonesian term pair."""

    en: str
    id: str
    label: str
    note: str = ""


def _read_yaml(path: Path) -> object:
    try:
        return safe_load_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None


def _check_label(path: Path, key: str, label: object) -> str:
    if label not in LABELS:
        raise ConfigError(f"{path}: {key}: {label!r} is not a label; expected one of {', '.join(LABELS)}")
    return label  # type: ignore[return-value]


def _lists_per_language(path: Path, what: str) -> dict[str, list]:
    """A YAML file shaped ``{lang: [item, ...]}``, checked at the top two levels."""
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: (top level): expected a mapping from language code to a list of {what}")
    for lang, items in data.items():
        if not isinstance(items, list):
            raise ConfigError(f"{path}: {lang}: expected a list of {what}")
    return data


def _check_keys(path: Path, key: str, entry: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(entry) - set(allowed)
    if unknown:
        raise ConfigError(f"{path}: {key}.{sorted(unknown)[0]}: unknown key; allowed: {', '.join(allowed)}")


def _string_list(path: Path, key: str, value: object, what: str) -> tuple[str, ...]:
    """An optional list of non-empty strings (None or missing: empty)."""
    value = value or []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{path}: {key}: expected a list of {what}")
    return tuple(value)


def load_gazetteer(path: Path) -> dict[str, list[GazetteerEntry]]:
    """Gazetteer entries per language: ``{lang: [{name, label, aliases?, wikidata?}, ...]}``."""
    result: dict[str, list[GazetteerEntry]] = {}
    for lang, entries in _lists_per_language(path, "entries").items():
        result[lang] = []
        for index, entry in enumerate(entries):
            key = f"{lang}[{index}]"
            if not isinstance(entry, dict) or "name" not in entry or "label" not in entry:
                raise ConfigError(f"{path}: {key}: expected a mapping with at least 'name' and 'label'")
            _check_keys(path, key, entry, ("name", "label", "aliases", "wikidata"))
            aliases = _string_list(path, f"{key}.aliases", entry.get("aliases"), "non-empty strings")
            result[lang].append(GazetteerEntry(
                lang=lang, name=str(entry["name"]), label=_check_label(path, f"{key}.label", entry["label"]),
                aliases=aliases, wikidata=str(entry.get("wikidata", "") or "")))
    return result


@dataclass(frozen=True)
class NamePattern:
    """A name the domain ruler finds in one language, given by the words that open (``head``) or close
    (``tail``) it: 'Kementerian Pertahanan Irak', 'Istanbul Summit' (``connectors`` may join name words:
    'di'); or by a regular expression (``pattern``) with placeholders {name}, {number}, {year}:
    'Resolusi {name} {number}'. ``group`` names the switch (ner.rules) that turns it on or off."""

    lang: str
    label: str
    head: str = ""
    tail: str = ""
    connectors: tuple[str, ...] = ()
    pattern: str = ""
    group: str = "names"


PATTERN_GROUPS = ("names", "law", "structural")


def load_name_patterns(path: Path) -> dict[str, list[NamePattern]]:
    """Name patterns per language: ``{lang: [{head|tail|pattern, label, connectors?, group?}, ...]}``."""
    result: dict[str, list[NamePattern]] = {}
    for lang, entries in _lists_per_language(path, "patterns").items():
        result[lang] = []
        for index, entry in enumerate(entries):
            key = f"{lang}[{index}]"
            kinds = [k for k in ("head", "tail", "pattern") if isinstance(entry, dict) and k in entry]
            if not isinstance(entry, dict) or "label" not in entry or len(kinds) != 1:
                raise ConfigError(f"{path}: {key}: expected a mapping with 'label' and exactly one of "
                                  "'head', 'tail', 'pattern'")
            _check_keys(path, key, entry, ("head", "tail", "pattern", "label", "connectors", "group"))
            word = entry[kinds[0]]
            if not isinstance(word, str) or not word.strip():
                raise ConfigError(f"{path}: {key}.{kinds[0]}: expected a non-empty string, got {word!r}")
            if kinds[0] == "pattern":
                try:
                    re.compile(expand_pattern(word))
                except KeyError as exc:
                    raise ConfigError(f"{path}: {key}.pattern: unknown placeholder {{{exc.args[0]}}}; "
                                      f"known: {', '.join('{' + p + '}' for p in PATTERN_PLACEHOLDERS)}") from None
                except re.error as exc:
                    raise ConfigError(f"{path}: {key}.pattern: not a valid regular expression ({exc})") from None
            group = entry.get("group", "names")
            if group not in PATTERN_GROUPS:
                raise ConfigError(f"{path}: {key}.group: {group!r} is not a group; expected one of "
                                  f"{', '.join(PATTERN_GROUPS)}")
            connectors = _string_list(path, f"{key}.connectors", entry.get("connectors"), "words")
            result[lang].append(NamePattern(lang, _check_label(path, f"{key}.label", entry["label"]),
                                            str(entry.get("head", "")), str(entry.get("tail", "")),
                                            connectors, str(entry.get("pattern", "")), group))
    return result


def load_label_maps(path: Path) -> dict[str, dict[str, str]]:
    """Label maps per model: ``{map_name: {model_label: contract_label}}``."""
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: (top level): expected a mapping from map name to label mapping")
    for name, mapping in data.items():
        if not isinstance(mapping, dict):
            raise ConfigError(f"{path}: {name}: expected a mapping model_label: LABEL")
        for model_label, label in mapping.items():
            _check_label(path, f"{name}.{model_label}", label)
    return data


def _read_tsv(path: Path, columns: list[str]) -> list[dict[str, str]]:
    try:
        handle = open(path, encoding="utf-8", newline="")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    rows = []
    with handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        # csv.reader and the header zipped by hand: what csv.DictReader gave (a missing field is empty,
        # an extra one dropped, a repeated column name keeps its last value) at half the cost, which
        # counted in every run (the lexicon has 20,000 rows).
        reader = csv.reader(lines, delimiter="\t")
        fieldnames = next(reader, [])
        missing = [c for c in columns if c not in fieldnames]
        if missing:
            raise ConfigError(f"{path}: header: missing column(s) {', '.join(missing)}; "
                              f"expected tab-separated {', '.join(columns)}")
        named = [(i, name) for i, name in enumerate(fieldnames) if name]
        width = len(fieldnames)
        for line_no, fields in enumerate(reader, start=2):
            if len(fields) < width:
                fields += [""] * (width - len(fields))
            row = {name: fields[i].strip() for i, name in named}
            if not all(row[c] for c in columns):
                raise ConfigError(f"{path}: row {line_no}: empty value in {', '.join(columns)}")
            rows.append(row)
    return rows


def _path_list(path: Path | str | Sequence[Path | str]) -> list[Path]:
    """One path or a list of paths (a method's ``path`` may be either), as a list."""
    return [Path(path)] if isinstance(path, (str, Path)) else [Path(p) for p in path]


def load_glossary(path: Path | Sequence[Path]) -> list[GlossaryPair]:
    """Curated bilingual pairs: TSV with columns en, id, label (and optional note); several files
    are concatenated in order."""
    return [GlossaryPair(r["en"], r["id"], _check_label(p, f"{r['en']}.label", r["label"]), r.get("note", ""))
            for p in _path_list(path) for r in _read_tsv(p, ["en", "id", "label"])]


def load_lexicon(path: Path | Sequence[Path]) -> dict[str, list[str]]:
    """Indonesian word -> English translations (TSV columns id, en; several rows per word allowed).

    Several files are read in order and merged: a word's translations from an earlier file come
    first (a curated list on top of the built lexicon), repeats are dropped."""
    lexicon: dict[str, list[str]] = {}
    for p in _path_list(path):
        for row in _read_tsv(p, ["id", "en"]):
            translations = lexicon.setdefault(row["id"].casefold(), [])
            if row["en"].casefold() not in translations:
                translations.append(row["en"].casefold())
    return lexicon


@dataclass(frozen=True)
class NameEntry:
    """A whole name in English, Indonesian and Malay (``models/lexicon/names.tsv``): a CLDR territory
    or language, a pycountry country, or a dictionary proper noun. ``code`` is the CLDR/ISO code
    (empty for dictionary names); rows sharing a code name one referent."""

    en: str
    id: str
    ms: str
    label: str
    source: str
    code: str = ""

    @property
    def curated(self) -> bool:
        """From a maintained name database (CLDR, pycountry), not a dictionary's proper nouns."""
        return bool(self.code)


@dataclass
class Names:
    """The names table indexed by normalized form: per language, the entries a form names."""

    entries: list[NameEntry]
    by_key: dict[tuple[str, str], list[NameEntry]] = field(init=False)

    def __post_init__(self):
        self.by_key = {}
        for entry in self.entries:
            for lang, form in (("en", entry.en), ("id", entry.id), ("ms", entry.ms)):
                key = normalized_key(form) if form else ""
                if key and entry not in self.by_key.get((lang, key), []):
                    self.by_key.setdefault((lang, key), []).append(entry)

    def lookup(self, lang: str, key: str) -> list[NameEntry]:
        """Entries with ``key`` (a normalized form) in language ``lang``."""
        return self.by_key.get((lang, key), [])

    def label(self, lang: str, key: str) -> str:
        """The label curated entries (CLDR, pycountry) agree on for a form, or ''."""
        labels = {e.label for e in self.lookup(lang, key) if e.curated}
        return labels.pop() if len(labels) == 1 else ""


def load_names(path: Path | Sequence[Path]) -> Names:
    """The names table: TSV columns en, id, label, source (ms and code optional), labels checked."""
    entries = []
    for p in _path_list(path):
        for line_no, row in enumerate(_read_tsv(p, ["en", "id", "label", "source"]), start=2):
            entries.append(NameEntry(row["en"], row["id"], row.get("ms", ""),
                                     _check_label(p, f"row {line_no}.label", row["label"]), row["source"],
                                     row.get("code", "")))
    return Names(entries)


NUMERIC_LIST_KEYS = ("months", "weekdays", "year_words", "year_after", "century_words", "time_words", "time_zones", "day_parts",
                     "currency_before", "currency_after", "scales", "percent_words", "units", "number_words",
                     "ordinal_words", "ordinal_not_after")
NUMERIC_KEYS = NUMERIC_LIST_KEYS + ("month_abbreviations", "decade_suffix", "ordinal_prefix")


@dataclass(frozen=True)
class NumericVocabulary:
    """The words the numeric/temporal rules of one language are built from (configs/numeric_patterns.yaml)."""

    lang: str
    months: tuple[str, ...]
    month_abbreviations: tuple[tuple[str, int], ...] = ()
    weekdays: tuple[str, ...] = ()
    year_words: tuple[str, ...] = ()
    year_after: tuple[str, ...] = ()
    decade_suffix: str = ""
    century_words: tuple[str, ...] = ()
    time_words: tuple[str, ...] = ()
    time_zones: tuple[str, ...] = ()
    day_parts: tuple[str, ...] = ()
    currency_before: tuple[str, ...] = ()
    currency_after: tuple[str, ...] = ()
    scales: tuple[str, ...] = ()
    percent_words: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    number_words: tuple[str, ...] = ()
    ordinal_words: tuple[str, ...] = ()
    ordinal_prefix: str = ""
    ordinal_not_after: tuple[str, ...] = ()

    def month_number(self, word: str) -> int:
        """1-12 for a month name or abbreviation of this language, 0 otherwise."""
        if word in self.months:
            return self.months.index(word) + 1
        return dict(self.month_abbreviations).get(word.rstrip("."), 0)


def load_numeric_patterns(path: Path) -> dict[str, NumericVocabulary]:
    """Numeric/temporal rule vocabularies per language: ``{lang: {months: [...12], weekdays: [...], ...}}``."""
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: (top level): expected a mapping from language code to word lists")
    result: dict[str, NumericVocabulary] = {}
    for lang, entry in data.items():
        if not isinstance(entry, dict):
            raise ConfigError(f"{path}: {lang}: expected a mapping of word lists ({', '.join(NUMERIC_KEYS)})")
        _check_keys(path, str(lang), entry, NUMERIC_KEYS)
        values: dict = {key: _string_list(path, f"{lang}.{key}", entry.get(key), "non-empty strings")
                        for key in NUMERIC_LIST_KEYS}
        if len(values["months"]) != 12:
            raise ConfigError(f"{path}: {lang}.months: expected the 12 month names, got {len(values['months'])}")
        abbreviations = entry.get("month_abbreviations") or {}
        if not isinstance(abbreviations, dict) or not all(
                isinstance(k, str) and k and isinstance(v, int) and 1 <= v <= 12 for k, v in abbreviations.items()):
            raise ConfigError(f"{path}: {lang}.month_abbreviations: expected a mapping abbreviation: month number 1-12")
        for key in ("decade_suffix", "ordinal_prefix"):
            if not isinstance(entry.get(key, ""), str):
                raise ConfigError(f"{path}: {lang}.{key}: expected a string")
            values[key] = entry.get(key, "")
        result[str(lang)] = NumericVocabulary(lang=str(lang), month_abbreviations=tuple(sorted(abbreviations.items())),
                                              **values)
    return result
