"""Load, override and validate ``configs/pipeline.yaml``.

Relative paths inside a config file are resolved against that file's folder.
Every problem becomes a ConfigError naming the file and the dotted key.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal, Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pipeline.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "configs" / "pipeline.yaml"

LABELS = ("PER", "ORG", "GPE", "LOC", "NORP", "EVENT", "LAW", "MISC",
          "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL")


class Strict(BaseModel):
    """Base for config sections: unknown keys are errors, values are not coerced loosely."""

    model_config = ConfigDict(extra="forbid", strict=True)


class IngestConfig(Strict):
    patterns: list[str] = ["*.txt", "*.md"]
    max_bytes: int = Field(50_000_000, gt=0, description="larger files become error rows")


class DetectConfig(Strict):
    detector: str = "hybrid"
    seed: int = 0
    min_segment_words: int = Field(4, ge=1, description="shorter segments take the document language")
    min_segment_score: float = Field(0.9, ge=0, le=1)
    candidate_languages: list[str] = Field(["en", "id", "ms", "fr", "de", "nl", "es", "pt", "it"], min_length=1,
                                           description="languages the word-frequency detector chooses among")
    min_known_share: float = Field(0.5, ge=0, le=1, description="below this share of known words, langdetect decides")
    min_run_words: int = Field(3, ge=0, description="other-language runs inside a sentence (0: off)")
    other_language_prior: float = Field(1.0, gt=0, le=1,
                                         description="prior odds of a candidate language we do not process")
    close_languages: list[list[str]] = Field([["id", "ms"]], description="decided on their own words only")
    # detector langid (the project's model) and the segmentation / run rules of every detector
    model: str = Field("../models/lid", description="langid model folder, relative to the configs folder")
    language_data: str = Field("langid.yaml", description="function words and abbreviations, relative to configs/")
    min_run_function_words: int = Field(1, ge=0, description="function words an other-language run needs to split off")
    min_common_word_share: float = Field(0.34, ge=0, le=1, description=(
        "segments with a smaller share of lower-case words (names, numbers) take the document language"))


class ModelConfig(Strict):
    backend: str = "spacy"
    model: list[str] = Field(min_length=1, description="names or paths; the first that loads is used")
    label_map: str

    @field_validator("model", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class NerConfig(Strict):
    batch_size: int = Field(16, gt=0)
    block_chars: int = Field(20_000, ge=1000, le=900_000,
                             description="segments of one language are joined into blocks of at most this size")
    models: dict[str, ModelConfig]


class NormalizeConfig(Strict):
    labels: str
    gazetteer: str
    name_patterns: Optional[str] = None  # head/tail words of institutional names, for the domain ruler
    propagate: bool = True
    acronyms: bool = True


class AlignMethodConfig(Strict):
    enabled: bool = True
    min_score: float = Field(0.0, ge=0, le=1,
                             description="claims at least this strong may carry a pair on their own")
    support_score: Optional[float] = Field(
        None, ge=0, le=1, description="weaker claims down to this score only count when another method "
                                      "also claims the pair (unset: no supporting claims)")
    path: Optional[str] = None

    @model_validator(mode="after")
    def _support_below_min(self):
        if self.support_score is not None and self.support_score > self.min_score:
            raise ValueError(f"support_score ({self.support_score}) must not exceed min_score ({self.min_score})")
        return self

    @property
    def floor(self) -> float:
        """The weakest claim a method needs to emit."""
        return self.min_score if self.support_score is None else self.support_score


class AlignConfig(Strict):
    min_score: float = Field(0.5, ge=0, le=1)
    methods: dict[str, AlignMethodConfig]


class TablesConfig(Strict):
    formats: list[Literal["parquet", "csv"]] = ["parquet", "csv"]


class PipelineConfig(Strict):
    """The whole pipeline configuration (configs/pipeline.yaml)."""

    languages: list[str] = ["en", "id"]
    ingest: IngestConfig = IngestConfig()
    detect: DetectConfig = DetectConfig()
    ner: NerConfig
    normalize: NormalizeConfig
    align: AlignConfig
    tables: TablesConfig = TablesConfig()


class LoadedConfig:
    """A validated config plus where it came from (for paths, messages and the manifest)."""

    def __init__(self, path: Path, raw: dict, settings: PipelineConfig):
        self.path = path
        self.raw = raw
        self.settings = settings

    def resolve(self, relative: str) -> Path:
        """A path from the config, resolved against the config file's folder."""
        candidate = Path(relative)
        return candidate if candidate.is_absolute() else (self.path.parent / candidate).resolve()

    @property
    def hash(self) -> str:
        """sha256 of the resolved settings (stable key order)."""
        text = json.dumps(self.settings.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def apply_override(raw: dict, dotted: str, source: str = "--set") -> None:
    """Set ``a.b.c=value`` in a nested dict; the value is parsed as YAML (so 'false', '0.7', '[en]')."""
    key, sep, value = dotted.partition("=")
    if not sep or not key:
        raise ConfigError(f"{source} {dotted!r}: expected dotted.key=value, e.g. align.methods.glossary.enabled=false")
    node = raw
    parts = key.split(".")
    for part in parts[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise ConfigError(f"{source} {key}: '{part}' is a value, not a section")
        node = child
    node[parts[-1]] = yaml.safe_load(value)


def _format_validation_error(path: Path, error: ValidationError) -> str:
    first = error.errors()[0]
    key = ".".join(str(p) for p in first["loc"]) or "(top level)"
    message = first["msg"]
    if first["type"] == "extra_forbidden":
        message = "unknown key (check the spelling against configs/pipeline.yaml)"
    elif "input" in first and first["type"] != "missing":
        message += f" (got {first['input']!r})"
    more = f" (+{len(error.errors()) - 1} more)" if len(error.errors()) > 1 else ""
    return f"{path}: {key}: {message}{more}"


def load_config(path: str | Path | None = None, overrides: list[str] | None = None) -> LoadedConfig:
    """Read, override and validate a pipeline config; ConfigError names file and key."""
    path = Path(path) if path else DEFAULT_CONFIG
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc.strerror}); "
                          "pass an existing file with --config") from None
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: (top level): expected a mapping of sections")
    for override in overrides or []:
        apply_override(raw, override)
    try:
        settings = PipelineConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_format_validation_error(path, exc)) from None
    loaded = LoadedConfig(path.resolve(), raw, settings)
    _check_names(loaded)
    return loaded


def _check_names(loaded: LoadedConfig) -> None:
    """Check that registry names and referenced files exist, naming the key."""
    from pipeline import registry
    # Importing the stage modules registers their parts.
    import pipeline.align  # noqa: F401
    import pipeline.detect  # noqa: F401
    import pipeline.ner  # noqa: F401

    s = loaded.settings
    checks = [("detect.detector", s.detect.detector, registry.detectors)]
    checks += [(f"ner.models.{lang}.backend", m.backend, registry.ner_backends)
               for lang, m in s.ner.models.items()]
    checks += [(f"align.methods.{name}", name, registry.aligners) for name in s.align.methods]
    for key, name, reg in checks:
        if name not in reg.names():
            raise ConfigError(f"{loaded.path}: {key}: unknown {reg.kind} '{name}'; "
                              f"known: {', '.join(reg.names())}")
    for lang in s.languages:
        if lang not in s.ner.models:
            raise ConfigError(f"{loaded.path}: ner.models: no model for language '{lang}' listed in languages")
    files = [("normalize.labels", s.normalize.labels), ("normalize.gazetteer", s.normalize.gazetteer)]
    files += [("normalize.name_patterns", s.normalize.name_patterns)] if s.normalize.name_patterns else []
    files += [(f"align.methods.{n}.path", m.path) for n, m in s.align.methods.items() if m.path and m.enabled]
    for key, relative in files:
        if not loaded.resolve(relative).is_file():
            raise ConfigError(f"{loaded.path}: {key}: file not found: {loaded.resolve(relative)}")
    # Load every referenced resource once, so a broken file stops the run before any work.
    from pipeline.resources import load_gazetteer, load_glossary, load_label_maps, load_lexicon, load_name_patterns

    load_gazetteer(loaded.resolve(s.normalize.gazetteer))
    if s.normalize.name_patterns:
        load_name_patterns(loaded.resolve(s.normalize.name_patterns))
    label_maps = load_label_maps(loaded.resolve(s.normalize.labels))
    for lang, model in s.ner.models.items():
        if model.label_map not in label_maps:
            raise ConfigError(f"{loaded.path}: ner.models.{lang}.label_map: '{model.label_map}' is not in "
                              f"{loaded.resolve(s.normalize.labels)}; known: {', '.join(label_maps)}")
    loaders = {"glossary": load_glossary, "translation": load_lexicon}
    for name, method in s.align.methods.items():
        if method.enabled and method.path and name in loaders:
            loaders[name](loaded.resolve(method.path))
