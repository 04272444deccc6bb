"""Read, override and validate a pipeline config.

Relative paths inside a config file are resolved against that file's folder. Every problem
becomes one ConfigError listing all problems at once, each naming the file (or ``--set``) and
the dotted key.
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


class LoadedConfig:
    """A validated config plus where it came from (for paths, messages and the manifest)."""

    def __init__(self, path: Path, settings: PipelineConfig):
        self.path = path
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


def parse_override(dotted: str) -> tuple[list[str], object]:
    """``a.b.c=value`` -> (['a', 'b', 'c'], value); the value is parsed as YAML ('false', '0.7', '[en]')."""
    key, sep, value = dotted.partition("=")
    if not sep or not key:
        raise ConfigError(f"--set {dotted!r}: expected dotted.key=value, e.g. align.methods.glossary.enabled=false")
    return key.split("."), yaml.safe_load(value)


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


def format_validation_errors(path: Path, error: ValidationError) -> str:
    """Every problem pydantic found, one line each: ``file: dotted.key: message``."""
    lines = []
    for problem in error.errors():
        key = ".".join(str(p) for p in problem["loc"]) or "(top level)"
        message = problem["msg"]
        if problem["type"] == "extra_forbidden":
            message = "unknown key (check the spelling against configs/pipeline.yaml)"
        elif "input" in problem and problem["type"] != "missing":
            message += f" (got {problem['input']!r})"
        lines.append(f"{path}: {key}: {message}")
    return "\n".join(lines)


def read_yaml_mapping(path: Path) -> dict:
    """A YAML file whose top level is a mapping; ConfigError naming the file otherwise."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc.strerror}); "
                          "pass an existing file with --config") from None
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: (top level): expected a mapping of sections")
    return raw


def load_config(path: str | Path | None = None, overrides: list[str] | None = None) -> LoadedConfig:
    """Read, override and validate a pipeline config; ConfigError lists every problem with file and key."""
    path = Path(path) if path else DEFAULT_CONFIG
    raw = read_yaml_mapping(path)
    for override in overrides or []:
        apply_override(raw, override)
    try:
        settings = PipelineConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(format_validation_errors(path, exc)) from None
    loaded = LoadedConfig(path.resolve(), settings)
    problems = _reference_problems(loaded)
    if problems:
        raise ConfigError("\n".join(problems))
    return loaded


def _reference_problems(loaded: LoadedConfig) -> list[str]:
    """Keys that point at a missing language model or a missing file."""
    s = loaded.settings
    problems = [f"{loaded.path}: ner.models: no model for language '{lang}' listed in languages"
                for lang in s.languages if lang not in s.ner.models]
    files = [("normalize.labels", s.normalize.labels), ("normalize.gazetteer", s.normalize.gazetteer)]
    files += [("normalize.name_patterns", s.normalize.name_patterns)] if s.normalize.name_patterns else []
    files += [(f"align.methods.{n}.path", m.path) for n, m in s.align.methods.items() if m.path and m.enabled]
    problems += [f"{loaded.path}: {key}: file not found: {loaded.resolve(relative)}"
                 for key, relative in files if not loaded.resolve(relative).is_file()]
    return problems
