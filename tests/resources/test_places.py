"""pipeline/resources/places.py: GPE vs LOC from the libraries and configs/places.yaml."""
import pytest

from pipeline.config.load import PROJECT_ROOT
from pipeline.errors import ConfigError
from pipeline.resources import PlaceKnowledge, load_places


@pytest.fixture(scope="module")
def places():
    return PlaceKnowledge(load_places(PROJECT_ROOT / "configs" / "places.yaml"))


@pytest.mark.parametrize("lang, name, label", [
    ("id", "China", "GPE"), ("id", "Jepang", "GPE"), ("id", "Tiongkok", "GPE"),   # countries (CLDR, both languages)
    ("id", "Jakarta", "GPE"), ("id", "Kabul", "GPE"), ("en", "Berlin", "GPE"),    # capitals and cities
    ("id", "Jawa Tengah", "GPE"), ("en", "California", "GPE"),                     # provinces and states
    ("id", "Asia Tenggara", "LOC"), ("en", "Europe", "LOC"),                        # CLDR regions and continents
    ("id", "Laut China Selatan", "LOC"), ("id", "Sungai Eufrat", "LOC"),           # seas, rivers (head words)
    ("en", "Persian Gulf", "LOC"), ("en", "Mount Everest", "LOC"), ("id", "Timur Tengah", "LOC"),
    ("id", "Nama Tak Dikenal", ""),
])
def test_place_labels(places, lang, name, label):
    assert places.place_label(lang, name) == label


def test_places_file_errors_name_the_key(tmp_path):
    path = tmp_path / "places.yaml"
    path.write_text("id:\n  loc_head: [Laut]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"places.yaml: id.loc_head: unknown key"):
        load_places(path)
    path.write_text("id:\n  loc_heads: Laut\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"places.yaml: id.loc_heads: expected a list"):
        load_places(path)
    for joiners, bad in (("[of, on behalf of]", "'on behalf of'"), ("[of, Of]", "'Of'"), ("[of, für]", "'für'")):
        path.write_text(f"en:\n  name_joiners: {joiners}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=rf"places.yaml: en.name_joiners: \[{bad}\] are not single lower-case"):
            load_places(path)


def test_numeric_patterns_errors_name_the_key(tmp_path):
    from pipeline.resources import load_numeric_patterns
    path = tmp_path / "n.yaml"
    path.write_text("id:\n  months: [Januari]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"n.yaml: id.months: expected the 12 month names"):
        load_numeric_patterns(path)
    path.write_text("id:\n  months: [a, b, c, d, e, f, g, h, i, j, k, l]\n  month_abbreviations: {Jan: 13}\n",
                    encoding="utf-8")
    with pytest.raises(ConfigError, match=r"id.month_abbreviations: expected a mapping"):
        load_numeric_patterns(path)
    path.write_text("id:\n  months: [a, b, c, d, e, f, g, h, i, j, k, l]\n  unit: [km]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"id.unit: unknown key"):
        load_numeric_patterns(path)


def test_library_places_from_the_cache_equal_a_fresh_build(tmp_path, monkeypatch):
    """The per-machine cache entry holds exactly what the libraries give; without a writable cache
    folder they are built in memory."""
    from pipeline.resources import derived
    from pipeline.resources.places import _build_library_places, library_places

    built = _build_library_places()
    monkeypatch.setenv(derived.CACHE_ENV, str(tmp_path / "cache"))
    assert library_places.__wrapped__() == built                 # builds the entry
    assert library_places.__wrapped__() == built                 # reads it
    assert [p.suffix for p in (tmp_path / "cache").glob("places-*.json")] == [".json"]
    (tmp_path / "file").write_text("", encoding="utf-8")
    monkeypatch.setenv(derived.CACHE_ENV, str(tmp_path / "file" / "cache"))
    assert library_places.__wrapped__() == built


@pytest.mark.parametrize("key, base", [
    ("syrian", "syria"), ("syrians", "syria"), ("italian", "italy"), ("chilean", "chile"),
    ("mexican", "mexico"), ("american", "america"), ("japanese", "japan"), ("chinese", "china"),
    ("turkish", "turkey"), ("polish", "poland"), ("spanish", "spain"), ("french", "france"),
    ("iraqi", "iraq"), ("pakistani", "pakistan"),
    # no ending derives these: configs/places.yaml demonyms
    ("spaniard", "spain"), ("swede", "sweden"), ("swedes", "sweden"), ("welsh", "wales"), ("dutch", "netherlands"),
])
def test_demonym_bases_from_the_configured_endings(places, key, base):
    assert base in places.words["en"].demonym_bases(key)


def test_demonym_endings_must_say_what_replaces_what(tmp_path):
    path = tmp_path / "places.yaml"
    path.write_text("en:\n  demonym_endings: ['ian']\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"en.demonym_endings: expected entries of the form 'ending -> replacement'"):
        load_places(path)
