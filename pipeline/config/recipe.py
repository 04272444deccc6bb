"""The Indonesian model's training recipe (``configs/train_id.yaml``): loading, key checks, and the
dataset tag -> label map that training and evaluation share."""
from __future__ import annotations

from pathlib import Path

import yaml

from pipeline.config.load import PROJECT_ROOT
from pipeline.core.labels import LABELS
from pipeline.errors import ConfigError

DEFAULT_RECIPE = PROJECT_ROOT / "configs" / "train_id.yaml"
REQUIRED_KEYS = ("data_dir", "datasets", "micro_labels", "seed", "backends")


def load_recipe(path: Path = DEFAULT_RECIPE) -> dict:
    """Load the training recipe and check the keys the recipe relies on."""
    try:
        recipe = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read the training recipe ({exc})") from None
    missing = [key for key in REQUIRED_KEYS if not isinstance(recipe, dict) or key not in recipe]
    if missing:
        raise ConfigError("\n".join(f"{path}: {key}: missing key" for key in missing))
    return recipe


def dataset_label_map(recipe: dict) -> dict[str, str | None]:
    """Every dataset tag the recipe knows (all its datasets), mapped to our labels (None: dropped), plus our own labels."""
    mapping: dict[str, str | None] = {label: label for label in LABELS}
    for spec in recipe["datasets"].values():
        mapping.update(spec["labels"])
    return mapping
