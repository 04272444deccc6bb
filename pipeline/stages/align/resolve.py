"""Resolution: merge the methods' claims per pair into one score and keep consistent pairs."""
from __future__ import annotations

from collections import defaultdict

from pipeline.core.labels import NUMERIC_LABELS, labels_compatible
from pipeline.core.records import Alignment, Entity
from pipeline.core.text import normalized_key
from pipeline.stages.align.context import Candidate

# When methods give a pair the same score, the more direct evidence names the pair's method.
METHOD_PRIORITY = {"glossary": 0, "identical": 1, "acronym": 2, "transliteration": 3, "translation": 4}

STRONG = 0.95  # a second partner is kept only with evidence at least this strong

# Across a label disagreement only the same string counts (identical, or the same phonetic key),
# and only for names this long (letters and digits): short strings meet by chance ('AS', 'Ini').
MIN_CROSS_LABEL_CHARS = 4


def _cross_label_claims(claims: list[Candidate], e: Entity, i: Entity) -> list[Candidate]:
    """The claims that may pair two entities whose labels are incompatible: same-string evidence
    on a name of at least MIN_CROSS_LABEL_CHARS characters (Palu PER / Palu LOC, Susilo Bambang
    Yudhoyono ORG / PER: one model is wrong, the string says they are one referent)."""
    if e.label in NUMERIC_LABELS or i.label in NUMERIC_LABELS:
        return []
    if min(len(normalized_key(e.canonical).replace(" ", "")),
           len(normalized_key(i.canonical).replace(" ", ""))) < MIN_CROSS_LABEL_CHARS:
        return []
    return [c for c in claims if c.same_string]


def resolve(candidates: list[Candidate], en: list[Entity], ind: list[Entity], min_score: float) -> list[Alignment]:
    """Merge evidence per pair (noisy-or of method scores), drop incompatible labels and weak pairs,
    then keep one partner per entity, best score first. A second partner survives only with strong
    evidence (two names for one referent, e.g. 'Resolute Support Mission' and 'Dukungan Tegas' in
    one Indonesian text), and its evidence says so.

    Supporting claims (below their method's own min_score) count only when at least two methods
    claim the pair: a partial translation plus a spelling variant can carry a pair that neither
    carries alone, but one weak method never does.

    Incompatible labels drop a pair unless the names are the same string (``_cross_label_claims``);
    such a pair says so in its evidence ("labels disagree (ORG/LOC)") and ``reconcile_labels``
    then gives both entities one label."""
    entities = {e.entity_id: e for e in en + ind}
    by_pair: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    for c in candidates:
        by_pair[(c.en, c.id)].append(c)
    merged = []
    for (en_id, id_id), claims in by_pair.items():
        e, i = entities[en_id], entities[id_id]
        disagree = not labels_compatible(e.label, i.label)
        if disagree:
            claims = _cross_label_claims(claims, e, i)
            if not claims:
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
        if disagree:
            evidence += f"; labels disagree ({e.label}/{i.label}), paired on the same string"
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
