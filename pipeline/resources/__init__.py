"""Every file the config references, loaded once into one typed bundle (``Resources``).

Stages receive what they need from here and read no file themselves.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from pipeline.config import LoadedConfig
from pipeline.errors import ConfigError
from pipeline.resources.files import (GazetteerEntry, GlossaryPair, NameEntry, NamePattern, Names, NumericVocabulary,
                                      load_gazetteer, load_glossary, load_label_maps, load_lexicon, load_name_patterns,
                                      load_names, load_numeric_patterns)
from pipeline.resources.knowledge import Knowledge
from pipeline.resources.places import PlaceKnowledge, PlaceWords, load_places

__all__ = ["Resources", "load_resources", "Knowledge", "PlaceKnowledge", "PlaceWords", "load_places", "GazetteerEntry",
           "GlossaryPair", "NameEntry", "NamePattern", "Names", "NumericVocabulary", "load_numeric_patterns",
           "load_gazetteer", "load_glossary", "load_label_maps", "load_lexicon", "load_name_patterns", "load_names"]

Loader = Callable[[Any], Any]


@dataclass
class Resources:
    """All loaded resources of one config: knowledge (label maps, gazetteer, countries, places), the ruler's
    name patterns and the numeric rules' word lists per language, and the data each enabled alignment method declared it needs."""

    knowledge: Knowledge
    name_patterns: dict[str, list[NamePattern]]
    numeric: dict[str, NumericVocabulary] = field(default_factory=dict)  # lang -> numeric/temporal rule words
    method_data: dict[str, Any] = field(default_factory=dict)   # align method name -> its loaded file(s)
    shared: dict[str, Any] = field(default_factory=dict)        # shared resource name -> loaded data


def load_resources(config: LoadedConfig,
                   method_loaders: dict[str, tuple[Loader, str]] | None = None,
                   shared_loaders: dict[str, tuple[Loader, str]] | None = None,
                   needs: dict[str, tuple[str, ...]] | None = None) -> Resources:
    """Load every referenced file once; ConfigError lists every broken file and key at once.

    ``method_loaders`` maps an alignment method name to the loader of its ``path`` (one file or a
    list, read in order) and the default path (declared by the method's plug-in); only enabled
    methods with a loader are loaded. ``shared_loaders`` maps a shared resource name to its loader
    and default path (``align.resources.<name>`` overrides the path); ``needs`` maps a method to
    the shared resources it uses: each is loaded once, when an enabled method needs it."""
    s = config.settings
    problems: list[str] = []

    def attempt(loader, *args):
        try:
            return loader(*args)
        except ConfigError as exc:
            problems.append(str(exc))
            return None

    gazetteer = attempt(load_gazetteer, config.resolve(s.normalize.gazetteer)) or {}
    patterns = (attempt(load_name_patterns, config.resolve(s.normalize.name_patterns)) or {}
                if s.normalize.name_patterns else {})
    numeric = (attempt(load_numeric_patterns, config.resolve(s.normalize.numeric_patterns)) or {}
               if s.normalize.numeric_patterns else {})
    places = (attempt(load_places, config.resolve(s.normalize.places)) or {}) if s.normalize.places else {}
    label_maps = attempt(load_label_maps, config.resolve(s.normalize.labels)) or {}
    if label_maps:
        problems += [f"{config.locate(f'ner.models.{lang}.label_map')}: '{model.label_map}' is not in "
                     f"{config.resolve(s.normalize.labels)}; known: {', '.join(label_maps)}"
                     for lang, model in s.ner.models.items() if model.label_map not in label_maps]
    method_data = {}
    for name, method in sorted(s.align.methods.items()):
        loader, default_path = (method_loaders or {}).get(name, (None, ""))
        if method.enabled and loader:
            paths = [config.resolve(p) for p in (method.paths or [default_path])]
            method_data[name] = attempt(loader, paths[0] if len(paths) == 1 else paths)
    wanted = sorted({r for name, method in s.align.methods.items() if method.enabled
                     for r in (needs or {}).get(name, ())})
    shared = {}
    for resource in wanted:
        loader, default_path = (shared_loaders or {})[resource]
        shared[resource] = attempt(loader, config.resolve(s.align.resources.get(resource, default_path)))
    if problems:
        raise ConfigError("\n".join(problems))
    place_knowledge = PlaceKnowledge(places) if s.normalize.places or s.normalize.rules.place_knowledge else None
    return Resources(Knowledge(label_maps, gazetteer, place_knowledge), patterns, numeric, method_data, shared)
