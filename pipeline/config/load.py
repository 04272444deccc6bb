"""Read, merge, override and validate a pipeline config.

A user's config file holds only the keys it changes: it is merged over the defaults
(``configs/pipeline.yaml``), then ``--set`` overrides apply, then the whole is validated. Relative
paths are resolved against the folder of the file that set them. Every problem becomes one
ConfigError listing all problems at once, each naming its source (the file, or ``--set``) and the
dotted key.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import yaml
from pydantic import ValidationError

from pipeline.config.schema import PipelineConfig
from pipeline.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "configs" / "pipeline.yaml"

# libyaml's loader when PyYAML was built with it: the same objects as yaml.SafeLoader (checked on every
# file in configs/) about 8x faster; every run parses seven config files (0.1-0.15 s with the pure-Python one).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load_yaml(text: str) -> object:
    """``yaml.safe_load`` with libyaml's loader where available."""
    return yaml.load(text, Loader=_SAFE_LOADER)


# Keys whose string values are file paths (``*`` matches one key); relative ones are resolved
# against the folder of the file that set them. Model entries are paths only when they look like
# one (``../models/x``); otherwise they name an installed package.
PATH_KEYS = ("normalize.*", "align.methods.*.path", "align.resources.*", "detect.model", "detect.language_data")
MODEL_KEYS = ("ner.models.*.model",)


class LoadedConfig:
    """A validated config plus where it came from (for paths, messages and the manifest)."""

    def __init__(self, path: Path, settings: PipelineConfig, sources: dict[str, str] | None = None):
        self.path = path
        self.settings = settings
        self._sources = sources or {}

    def source(self, key: str) -> str:
        """Who set a dotted key: ``--set``, the user's file or the defaults file (for messages)."""
        parts = key.split(".")
        for length in range(len(parts), 0, -1):
            origin = self._sources.get(".".join(parts[:length]))
            if origin:
                return origin
        return str(self.path)

    def locate(self, key: str) -> str:
        """``file: key`` or ``--set key``: how a message names a key."""
        origin = self.source(key)
        return f"--set {key}" if origin == "--set" else f"{origin}: {key}"

    def resolve(self, relative: str) -> Path:
        """A path from the config, resolved against the config file's folder."""
        candidate = Path(relative)
        return candidate if candidate.is_absolute() else (self.path.parent / candidate).resolve()

    @property
    def hash(self) -> str:
        """sha256 of the resolved settings (stable key order)."""
        text = json.dumps(self.settings.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_override(dotted: str) -> tuple[list[str], object]:
    """``a.b.c=value`` -> (['a', 'b', 'c'], value); the value is parsed as YAML ('false', '0.7', '[en]')."""
    key, sep, value = dotted.partition("=")
    if not sep or not key:
        raise ConfigError(f"--set {dotted!r}: expected dotted.key=value, e.g. align.methods.glossary.enabled=false")
    return key.split("."), safe_load_yaml(value)


def apply_override(raw: dict, dotted: str) -> None:
    """Set ``a.b.c=value`` in a nested dict (``--set``); errors name ``--set`` and the key."""
    parts, value = parse_override(dotted)
    node = raw
    for part in parts[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise ConfigError(f"--set {'.'.join(parts)}: '{part}' is a value, not a section")
        node = child
    node[parts[-1]] = value


def format_validation_errors(locate, error: ValidationError) -> str:
    """Every problem pydantic found, one line each: ``source: dotted.key: message``."""
    lines = []
    for problem in error.errors():
        key = ".".join(str(p) for p in problem["loc"]) or "(top level)"
        message = problem["msg"]
        if problem["type"] == "extra_forbidden":
            message = "unknown key (check the spelling against configs/pipeline.yaml)"
        elif "input" in problem and problem["type"] != "missing":
            message += f" (got {problem['input']!r})"
        lines.append(f"{locate(key)}: {message}")
    return "\n".join(lines)


def read_yaml_mapping(path: Path) -> dict:
    """A YAML file whose top level is a mapping; ConfigError naming the file otherwise."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc.strerror}); "
                          "pass an existing file with --config") from None
    try:
        raw = safe_load_yaml(text) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: (top level): expected a mapping of sections")
    return raw


def _matches(key: str, pattern: str) -> bool:
    parts, wanted = key.split("."), pattern.split(".")
    return len(parts) == len(wanted) and all(w in ("*", p) for p, w in zip(parts, wanted))


def _walk(node: dict, prefix: str = ""):
    """(dotted key, parent dict, key) for every entry of a nested dict."""
    for key, value in list(node.items()):
        dotted = f"{prefix}{key}"
        yield dotted, node, key
        if isinstance(value, dict):
            yield from _walk(value, dotted + ".")


def _absolute_paths(raw: dict, folder: Path) -> None:
    """Make the relative paths of one file absolute (against its folder), so that they keep
    pointing where that file meant once merged with another file's keys."""
    def absolute(value, always: bool):
        is_path = isinstance(value, str) and (always or "/" in value or value.startswith("."))
        return str((folder / value).resolve()) if is_path and not Path(value).is_absolute() else value

    for dotted, parent, key in _walk(raw):
        always = any(_matches(dotted, pattern) for pattern in PATH_KEYS)
        if always or any(_matches(dotted, pattern) for pattern in MODEL_KEYS):
            value = parent[key]
            parent[key] = [absolute(v, always) for v in value] if isinstance(value, list) else absolute(value, always)


def _merge(base: dict, override: dict) -> dict:
    """``override`` deep-merged over ``base`` (mappings merge key by key; other values replace)."""
    merged = dict(base)
    for key, value in override.items():
        merged[key] = _merge(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) \
            else value
    return merged


def load_config(path: str | Path | None = None, overrides: list[str] | None = None) -> LoadedConfig:
    """Read a config (merged over the defaults), apply ``--set`` overrides and validate the whole;
    ConfigError lists every problem with its source and key."""
    path = Path(path).resolve() if path else DEFAULT_CONFIG
    raw = read_yaml_mapping(path)
    sources = {}
    if path != DEFAULT_CONFIG.resolve():
        defaults = read_yaml_mapping(DEFAULT_CONFIG)
        _absolute_paths(defaults, DEFAULT_CONFIG.parent)
        sources = {dotted: str(DEFAULT_CONFIG) for dotted, _, _ in _walk(defaults)}
        sources.update({dotted: str(path) for dotted, _, _ in _walk(raw)})
        raw = _merge(defaults, raw)
    for override in overrides or []:
        apply_override(raw, override)
        sources[".".join(parse_override(override)[0])] = "--set"
    loaded_sources = {k: v for k, v in sources.items() if v != str(path)}
    locate = LoadedConfig(path, None, loaded_sources).locate  # type: ignore[arg-type]
    try:
        settings = PipelineConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(format_validation_errors(locate, exc)) from None
    loaded = LoadedConfig(path, settings, loaded_sources)
    problems = _reference_problems(loaded)
    if problems:
        raise ConfigError("\n".join(problems))
    return loaded


def _reference_problems(loaded: LoadedConfig) -> list[str]:
    """Keys that point at a missing language model or a missing file."""
    s = loaded.settings
    problems = [f"{loaded.locate('ner.models')}: no model for language '{lang}' listed in languages"
                for lang in s.languages if lang not in s.ner.models]
    files = [("normalize.labels", s.normalize.labels), ("normalize.gazetteer", s.normalize.gazetteer)]
    files += [("normalize.name_patterns", s.normalize.name_patterns)] if s.normalize.name_patterns else []
    files += [(f"align.methods.{n}.path", p) for n, m in s.align.methods.items() if m.enabled for p in m.paths]
    files += [(f"align.resources.{n}", p) for n, p in s.align.resources.items()]
    problems += [f"{loaded.locate(key)}: file not found: {loaded.resolve(relative)}"
                 for key, relative in files if not loaded.resolve(relative).is_file()]
    return problems
