"""Stage align: English entity <-> Indonesian entity pairs, each with method, score and evidence.

The enabled methods (named in ``align.methods``, looked up in pipeline/plugins.py) each return
candidate pairs; ``resolve`` merges the evidence per pair and keeps consistent one-to-one pairs;
``reconcile_labels`` gives each kept pair one label in both languages (``label_changes``
carries it to the mentions).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable, NamedTuple, Optional

from pipeline.config import AlignMethodConfig
from pipeline.core.labels import NUMERIC_LABELS
from pipeline.core.records import Alignment, Entity
from pipeline.resources import Knowledge, Names
from pipeline.stages.align.context import AlignmentContext, Candidate
from pipeline.stages.align.labels import label_changes, reconcile_labels
from pipeline.stages.align.project import MentionProjector, ProjectionForms
from pipeline.stages.align.resolve import resolve

__all__ = ["align", "AlignmentMethod", "AlignmentContext", "Candidate", "resolve", "reconcile_labels",
           "label_changes", "MentionProjector", "ProjectionForms"]


class AlignmentMethod(NamedTuple):
    """One enabled method: its name, function, config section, the data of its ``path`` and the
    shared resources it declared (passed as keyword arguments)."""

    name: str
    function: Callable[..., list[Candidate]]
    settings: AlignMethodConfig
    data: Any = None
    needs: Optional[dict[str, Any]] = None


def align(entities: list[Entity], methods: list[AlignmentMethod], knowledge: Knowledge,
          min_score: float, names: Names | None = None, demonyms: bool = False,
          party_members: bool = False) -> list[Alignment]:
    """Run the given methods over the entities, resolve their candidates and reconcile the labels
    of the kept pairs (the entities are updated in place; ``Alignment.relabeled`` says what changed).
    ``demonyms``: an English NORP may pair with an Indonesian place name; ``party_members``: with an
    Indonesian party (``resolve``)."""
    heads = knowledge.places.word_list("id", "party_heads") if knowledge.places and party_members else ()
    ctx = AlignmentContext([e for e in entities if e.lang == "en" and e.label not in NUMERIC_LABELS],
                           [e for e in entities if e.lang == "id" and e.label not in NUMERIC_LABELS],
                           knowledge, party_heads=heads)
    candidates: list[Candidate] = []
    for method in sorted(methods, key=lambda m: m.name):
        candidates += [replace(c, supporting=c.score < method.settings.min_score)
                       for c in method.function(ctx, method.settings, method.data, **(method.needs or {}))
                       if c.score >= method.settings.floor]
    alignments = resolve(candidates, ctx.en, ctx.id, min_score, demonyms=demonyms, party_heads=heads)
    reconcile_labels(alignments, knowledge, names)
    return alignments
