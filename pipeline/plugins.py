"""The registries of swappable parts, filled in this one place, and the look-ups the run layer uses.

Parts are chosen by name in configs/pipeline.yaml: language detectors (``detect.detector``), NER
backends (``ner.models.<lang>.backend``) and alignment methods (``align.methods``). Adding one is a
function in its stage module plus one ``register`` line below, which also declares the resources
the part needs: an alignment method's ``path`` loader, and the shared resources (``needs``, files
several methods read, such as the names table) that are loaded once and passed by name. Like stanza's ``core.py``, this module
imports every part explicitly, so registration never depends on import order.
"""
from __future__ import annotations

from typing import Any, Callable, NamedTuple

from pipeline.config import DetectConfig, LoadedConfig, ModelConfig
from pipeline.errors import ConfigError, ModelError
from pipeline.resources import Resources, load_glossary, load_lexicon, load_names
from pipeline.resources import load_resources as _load_resources
from pipeline.stages import detect
from pipeline.stages.align import AlignmentMethod
from pipeline.stages.align import methods as align_methods
from pipeline.stages.ner import backends as ner


class Plugin(NamedTuple):
    """A registered part: its factory, and optionally the loader and default path of the file it needs."""

    factory: Callable
    loader: Callable[[Any], Any] | None = None
    default_path: str = ""
    needs: tuple[str, ...] = ()   # shared resources (``shared_resources``) passed as keyword arguments


class Registry:
    """A named table of parts: ``register`` adds one, ``get`` looks one up."""

    def __init__(self, kind: str):
        self.kind = kind
        self._plugins: dict[str, Plugin] = {}

    def register(self, name: str, factory: Callable, loader: Callable | None = None, default_path: str = "",
                 needs: tuple[str, ...] = ()) -> None:
        """Add ``factory`` under ``name`` (with the loader of the file it needs, if any, and the
        shared resources it uses)."""
        if name in self._plugins:
            raise ValueError(f"{self.kind} '{name}' is registered twice")
        self._plugins[name] = Plugin(factory, loader, default_path, tuple(needs))

    def plugin(self, name: str, key: str) -> Plugin:
        """The part registered as ``name``; ConfigError naming ``key`` and the known names otherwise."""
        try:
            return self._plugins[name]
        except KeyError:
            raise ConfigError(f"{key}: unknown {self.kind} '{name}'; known: {', '.join(self.names())}") from None

    def get(self, name: str, key: str) -> Callable:
        """The factory registered as ``name`` (ConfigError naming ``key`` when unknown)."""
        return self.plugin(name, key).factory

    def names(self) -> list[str]:
        """Registered names, sorted."""
        return sorted(self._plugins)


detectors = Registry("language detector")
ner_backends = Registry("NER backend")
aligners = Registry("alignment method")
shared_resources = Registry("shared alignment resource")   # factory = the loader; path: align.resources.<name>

detectors.register("langid_hybrid", detect.make_langid_hybrid_detector)
detectors.register("langid", detect.make_langid_detector)
detectors.register("hybrid", detect.make_hybrid_detector)
detectors.register("langdetect", detect.make_langdetect)
detectors.register("lingua", detect.make_lingua_detector)
detectors.register("fasttext", detect.make_fasttext_detector)

ner_backends.register("spacy", ner.load_spacy_backend)
ner_backends.register("stanza", ner.load_stanza_backend)

# CLDR territories and languages, pycountry, dictionary proper nouns (make build-lexicon).
shared_resources.register("names", load_names, default_path="../models/lexicon/names.tsv")

aligners.register("glossary", align_methods.align_glossary, load_glossary, "glossary.tsv")
aligners.register("identical", align_methods.align_identical)
aligners.register("transliteration", align_methods.align_transliteration, needs=("names",))
aligners.register("acronym", align_methods.align_acronym)
aligners.register("translation", align_methods.align_translation, load_lexicon,
                  "lexicon_id_en.tsv", needs=("names",))


def check_names(config: LoadedConfig) -> None:
    """Every registry name the config uses exists; one ConfigError lists all unknown ones."""
    s = config.settings
    uses = [(detectors, "detect.detector", s.detect.detector)]
    uses += [(ner_backends, f"ner.models.{lang}.backend", m.backend) for lang, m in s.ner.models.items()]
    uses += [(aligners, f"align.methods.{name}", name) for name in s.align.methods]
    uses += [(shared_resources, f"align.resources.{name}", name) for name in s.align.resources]
    problems = []
    for registry, key, name in uses:
        try:
            registry.plugin(name, config.locate(key))
        except ConfigError as exc:
            problems.append(str(exc))
    if problems:
        raise ConfigError("\n".join(problems))


def load_resources(config: LoadedConfig) -> Resources:
    """Check the config's names, then load every resource it references (all problems at once)."""
    check_names(config)
    plugins = {name: aligners.plugin(name, "align.methods") for name in aligners.names()}
    loaders = {name: (p.loader, p.default_path) for name, p in plugins.items() if p.loader}
    shared = {name: (p.factory, p.default_path) for name in shared_resources.names()
              if (p := shared_resources.plugin(name, "align.resources"))}
    return _load_resources(config, loaders, shared, {name: p.needs for name, p in plugins.items()})


def build_detector(settings: DetectConfig, processed: list[str] | None = None,
                   config: LoadedConfig | None = None) -> detect.Detector:
    """The detector named in ``detect.detector``; ``processed`` are the languages the pipeline
    processes (the others get ``other_language_prior``; default: all). With ``config``, the
    detector's files are resolved against the config file's folder."""
    if config is not None:
        settings = settings.model_copy(update={"model": str(config.resolve(settings.model)),
                                               "language_data": str(config.resolve(settings.language_data))})
    return detectors.get(settings.detector, "detect.detector")(settings, processed)


def load_ner_backend(model: ModelConfig, config: LoadedConfig, key: str) -> ner.NerBackend:
    """Load the model of one config section; ModelError naming the config file and ``key``."""
    factory = ner_backends.get(model.backend, key)
    try:
        return factory(model, config)
    except ModelError as exc:
        raise ModelError(f"{key if key.startswith('--') else config.locate(key)}: {exc}") from None


def alignment_methods(config: LoadedConfig, resources: Resources) -> list[AlignmentMethod]:
    """The enabled alignment methods with their settings, declared data and shared resources."""
    methods = []
    for name, settings in sorted(config.settings.align.methods.items()):
        if settings.enabled:
            plugin = aligners.plugin(name, f"align.methods.{name}")
            methods.append(AlignmentMethod(name, plugin.factory, settings, resources.method_data.get(name),
                                           {r: resources.shared.get(r) for r in plugin.needs}))
    return methods


def align_entities(entities: list, config: LoadedConfig, resources: Resources | None = None) -> list:
    """Align entities with the config's enabled methods (loads the resources unless given)."""
    from pipeline.stages.align import align

    resources = resources or load_resources(config)
    return align(entities, alignment_methods(config, resources), resources.knowledge,
                 config.settings.align.min_score, resources.shared.get("names"),
                 demonyms=config.settings.align.demonyms, party_members=config.settings.align.party_members)
