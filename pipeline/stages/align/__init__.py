"""Stage align: English entity <-> Indonesian entity pairs, each with method, score and evidence.

The enabled methods (named in ``align.methods``, looked up in pipeline/plugins.py) each return
candidate pairs; ``resolve`` merges the evidence per pair and keeps consistent one-to-one pairs.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable, NamedTuple

from pipeline.config import AlignMethodConfig
from pipeline.core.labels import NUMERIC_LABELS
from pipeline.core.records import Alignment, Entity
from pipeline.resources import Knowledge
from pipeline.stages.align.context import AlignmentContext, Candidate
from pipeline.stages.align.resolve import resolve

__all__ = ["align", "AlignmentMethod", "AlignmentContext", "Candidate", "resolve"]


class AlignmentMethod(NamedTuple):
    """One enabled method: its name, function, config section and the data it declared."""

    name: str
    function: Callable[[AlignmentContext, AlignMethodConfig, Any], list[Candidate]]
    settings: AlignMethodConfig
    data: Any = None


def align(entities: list[Entity], methods: list[AlignmentMethod], knowledge: Knowledge,
          min_score: float) -> list[Alignment]:
    """Run the given methods over the entities and resolve their candidates."""
    ctx = AlignmentContext([e for e in entities if e.lang == "en" and e.label not in NUMERIC_LABELS],
                           [e for e in entities if e.lang == "id" and e.label not in NUMERIC_LABELS],
                           knowledge)
    candidates: list[Candidate] = []
    for method in sorted(methods, key=lambda m: m.name):
        candidates += [replace(c, supporting=c.score < method.settings.min_score)
                       for c in method.function(ctx, method.settings, method.data)
                       if c.score >= method.settings.floor]
    return resolve(candidates, ctx.en, ctx.id, min_score)
