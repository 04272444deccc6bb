"""Resolution: merge the methods' claims per pair into one score and keep consistent pairs."""
from __future__ import annotations

from collections import defaultdict

from pipeline.core.labels import labels_compatible
from pipeline.core.records import Alignment, Entity
from pipeline.stages.align.context import Candidate

# When methods give a pair the same score, the more direct evidence names the pair's method.
METHOD_PRIORITY = {"glossary": 0, "identical": 1, "acronym": 2, "transliteration": 3, "translation": 4}

STRONG = 0.95  # a second partner is kept only with evidence at least this strong


def resolve(candidates: list[Candidate], en: list[Entity], ind: list[Entity], min_score: float) -> list[Alignment]:
    """Merge evidence per pair (noisy-or of method scores), drop incompatible labels and weak pairs,
    then keep one partner per entity, best score first. A second partner survives only with strong
    evidence (two names for one referent, e.g. 'Resolute Support Mission' and 'Dukungan Tegas' in
    one Indonesian text), and its evidence says so.

    Supporting claims (below their method's own min_score) count only when at least two methods
    claim the pair: a partial translation plus a spelling variant can carry a pair that neither
    carries alone, but one weak method never does."""
    entities = {e.entity_id: e for e in en + ind}
    by_pair: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    for c in candidates:
        by_pair[(c.en, c.id)].append(c)
    merged = []
    for (en_id, id_id), claims in by_pair.items():
        e, i = entities[en_id], entities[id_id]
        if not labels_compatible(e.label, i.label):
            continue
        best_per_method = {}
        for c in sorted(claims, key=lambda c: (-c.score, c.evidence)):
            best_per_method.setdefault(c.method, c)
        if len(best_per_method) < 2 and all(c.supporting for c in best_per_method.values()):
            continue
        miss = 1.0
        for c in best_per_method.values():
            miss *= 1 - c.score
        score = round(1 - miss, 4)
        if score < min_score:
            continue
        top = min(best_per_method.values(), key=lambda c: (-c.score, METHOD_PRIORITY.get(c.method, 9), c.method))
        evidence = "; ".join(c.evidence + (" (supporting)" if c.supporting else "")
                             for c in sorted(best_per_method.values(), key=lambda c: c.method))
        merged.append(Alignment(e, i, top.method, score, evidence, sorted(best_per_method)))
    merged.sort(key=lambda a: (-a.score, -len(a.methods), a.en.canonical, a.id.canonical))
    kept: list[Alignment] = []
    partner: dict[str, Alignment] = {}
    for a in merged:
        rivals = [partner[x] for x in (a.en.entity_id, a.id.entity_id) if x in partner]
        if rivals and a.score < STRONG:
            continue
        for rival in rivals:
            other = rival.id.canonical if rival.en is a.en else rival.en.canonical
            kind = "equal evidence" if rival.score == a.score else f"score {rival.score:.2f}"
            a.evidence += f"; also aligned with '{other}' ({kind})"
        kept.append(a)
        partner.setdefault(a.en.entity_id, a)
        partner.setdefault(a.id.entity_id, a)
    return sorted(kept, key=lambda a: (a.en.entity_id, a.id.entity_id))
