"""What normalize and align know beyond the models: label maps, the gazetteer, country names and places,
indexed once by normalized form."""
from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.core.text import normalized_key
from pipeline.resources.countries import country_names
from pipeline.resources.files import GazetteerEntry
from pipeline.resources.places import PlaceKnowledge


@dataclass
class Knowledge:
    """Label maps per model, gazetteer entries per language, and their look-ups by normalized form."""

    label_maps: dict[str, dict[str, str]]       # model name -> {model_label: label}
    gazetteer: dict[str, list[GazetteerEntry]]  # lang -> entries
    places: PlaceKnowledge | None = None        # GPE vs LOC from libraries and configs/places.yaml
    gazetteer_by_key: dict[tuple[str, str], GazetteerEntry] = field(init=False)
    countries: set[tuple[str, str]] = field(init=False)

    def __post_init__(self):
        self.gazetteer_by_key = {}
        for lang, entries in sorted(self.gazetteer.items()):
            for entry in entries:
                for form in entry.forms:
                    self.gazetteer_by_key.setdefault((lang, normalized_key(form)), entry)
        self.countries = {(lang, normalized_key(name))
                          for lang, names in country_names().items() for name in names.values()}

    def known_label(self, lang: str, key: str) -> str:
        """Label from curated knowledge (gazetteer, then country list), or ''."""
        entry = self.gazetteer_by_key.get((lang, key))
        if entry:
            return entry.label
        return "GPE" if (lang, key) in self.countries else ""

    def is_country(self, lang: str, text: str) -> bool:
        """A country's name: ISO 3166 (pycountry) or configs/places.yaml gpe_names ('Inggris'); cities
        and provinces are not asked ('Central' is a town somewhere: 'Central Sulawesi' is one name)."""
        key = normalized_key(text)
        return (lang, key) in self.countries or bool(self.places and self.places.configured_gpe(lang, key))

    def place_label(self, lang: str, text: str) -> str:
        """GPE or LOC for a place name from place knowledge (countries, cities, provinces: GPE; seas,
        rivers, regions: LOC), or '' when unknown (or no place knowledge is loaded)."""
        return self.places.place_label(lang, text) if self.places else ""
