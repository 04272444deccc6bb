"""How alignment cost grows with the number of entities (synthetic lists, 1x / 10x / 100x)."""
from __future__ import annotations

import random
import time

from pipeline.config import load_config
from pipeline.core.records import Entity
from pipeline.core.text import normalized_key
from pipeline.plugins import align_entities, load_resources
from pipeline.stages.normalize import entity_id_for

HEADS = [("council", "dewan"), ("team", "tim"), ("mission", "misi"), ("agency", "badan"), ("command", "komando"),
         ("office", "kantor"), ("commission", "komisi"), ("ministry", "kementerian"), ("fund", "dana")]
MODIFIERS = [("security", "keamanan"), ("training", "pelatihan"), ("reconstruction", "rekonstruksi"),
             ("defense", "pertahanan"), ("humanitarian", "kemanusiaan"), ("joint", "gabungan"),
             ("national", "nasional"), ("international", "internasional"), ("police", "kepolisian")]


def synthetic_entities(n: int, seed: int = 0) -> list[Entity]:
    """n English and n Indonesian ORG entities; half have a translated partner, half are noise."""
    rng = random.Random(seed)
    entities = []
    for i in range(n):
        (head_en, head_id), (mod_en, mod_id) = rng.choice(HEADS), rng.choice(MODIFIERS)
        name = "".join(rng.choice("bdgklmnprstv") + rng.choice("aeiou") for _ in range(3)).capitalize()
        en = f"{name} {mod_en.title()} {head_en.title()}"
        ind = f"{head_id.title()} {mod_id.title()} {name}" if i % 2 == 0 else f"{head_id.title()} {name}{i}"
        for lang, text in (("en", en), ("id", ind)):
            entities.append(Entity(entity_id_for(lang, normalized_key(text)), text, "ORG", lang, [], 1, 1, ""))
    return entities


def run(sizes=(100, 1000, 10000)) -> list[dict]:
    """Seconds to align n x n entities for each n."""
    config = load_config()
    resources = load_resources(config)
    results = []
    for n in sizes:
        entities = synthetic_entities(n)
        started = time.perf_counter()
        pairs = align_entities(entities, config, resources)
        seconds = time.perf_counter() - started
        results.append({"entities_per_language": n, "seconds": round(seconds, 3), "pairs": len(pairs),
                        "naive_comparisons": n * n})
    return results
