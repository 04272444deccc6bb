"""Resolution: merge the methods' claims per pair into one score and keep consistent pairs."""
from __future__ import annotations

from collections import defaultdict

from pipeline.core.labels import LABEL_FAMILY, NUMERIC_LABELS, labels_compatible
from pipeline.core.records import Alignment, Entity
from pipeline.core.text import normalized_key
from pipeline.stages.align.context import Candidate

# When methods give a pair the same score, the more direct evidence names the pair's method.
METHOD_PRIORITY = {"glossary": 0, "identical": 1, "acronym": 2, "transliteration": 3, "translation": 4}

STRONG = 0.95  # a second partner is kept only with evidence at least this strong

# Across a label disagreement only the same string counts (identical, or the same phonetic key),
# and only for names this long (letters and digits): short strings meet by chance ('AS', 'Ini').
MIN_CROSS_LABEL_CHARS = 4
# ... or evidence of meaning at least this strong: a dictionary or CLDR entry for the whole name
# (Sikhism = Sikhisme, Korean = Korea the language), or a word-by-word translation of a name of two or
# more words this complete (Harvard Law School ORG / Sekolah Hukum Harvard LOC, Fort Capuzzo PER /
# Benteng Capuzzo LOC): the two names mean the same, and one model's label is wrong.
MEANING_CROSS_LABEL_SCORE = 0.9


def _cross_label_claims(claims: list[Candidate], e: Entity, i: Entity) -> list[Candidate]:
    """The claims that may pair two entities whose labels are incompatible: same-string evidence
    on a name of at least MIN_CROSS_LABEL_CHARS characters (Palu PER / Palu LOC, Susilo Bambang
    Yudhoyono ORG / PER: one model is wrong, the string says they are one referent), and standalone
    evidence of meaning of at least MEANING_CROSS_LABEL_SCORE (a dictionary, CLDR or a full translation;
    not a nationality derived from its place: a people and a place are two referents).
    A nationality or language against a place name is not a disagreement (``is_demonym_pair``)."""
    if e.label in NUMERIC_LABELS or i.label in NUMERIC_LABELS:
        return []
    if min(len(normalized_key(e.canonical).replace(" ", "")),
           len(normalized_key(i.canonical).replace(" ", ""))) < MIN_CROSS_LABEL_CHARS:
        return []
    # A person is often named after a place ('Jordan', 'Georgia', 'Chad'): against PER a CLDR/ISO place or
    # language name never counts, only a translation; against the English model's PER (reliable in English
    # text) only that of a name of two or more words. The Indonesian model's PER is the one often wrong
    # (Sikhisme, Renaisans, Dinasti Joseon): a dictionary's whole name may cross it.
    person = "PER" in (e.label, i.label)
    one_word = e.label == "PER" and " " not in normalized_key(e.canonical)
    return [c for c in claims if c.same_string or (
        c.by_meaning and not c.supporting and not c.demonym and c.score >= MEANING_CROSS_LABEL_SCORE
        and (not person or (c.method == "translation" and not one_word)))]


def is_demonym_pair(e: Entity, i: Entity, claims: list[Candidate] = ()) -> bool:
    """An English nationality or group (NORP) against an Indonesian place (GPE/LOC): Indonesian
    names a people by its country ('orang Jerman', 'pemerintah Jerman'), so 'German' in the English
    text and 'Jerman' in the Indonesian one are the same term, each with its own correct label.
    Likewise an English language name (MISC) that a CLDR language entry in ``claims`` ties to the place
    name ('English' / 'Inggris': 'bahasa Inggris')."""
    return LABEL_FAMILY.get(i.label) == "place" and (
        e.label == "NORP" or (e.label == "MISC" and any(c.language for c in claims)))


def is_party_pair(e: Entity, i: Entity, party_heads: tuple[str, ...]) -> bool:
    """An English group (NORP: 'Republicans', 'Democrats') against an Indonesian party (ORG) named by
    one of ``party_heads`` ('Partai Republik'): English news names a party by its members, Indonesian
    by the party; both labels are right."""
    return e.label == "NORP" and i.label == "ORG" and any(
        len(words) == 2 and words[0] in party_heads
        for words in (normalized_key(form).split() for form in [i.canonical, *i.aliases]))


def _demonym_claims(claims: list[Candidate]) -> list[Candidate]:
    """The claims that may pair a demonym (or party) pair: standalone evidence of meaning (a glossary,
    dictionary or CLDR entry says 'german' = 'jerman', or a translation of every word: 'Arab Suriah' =
    'Syrian Arabs'); a look-alike spelling never does, nor a translation that leaves words out."""
    return [c for c in claims if c.by_meaning and not c.supporting and not c.partial]


def resolve(candidates: list[Candidate], en: list[Entity], ind: list[Entity], min_score: float,
            demonyms: bool = False, party_heads: tuple[str, ...] = ()) -> list[Alignment]:
    """Merge evidence per pair (noisy-or of method scores), drop incompatible labels and weak pairs,
    then keep one partner per entity, best score first. A second partner survives only with strong
    evidence (two names for one referent, e.g. 'Resolute Support Mission' and 'Dukungan Tegas' in
    one Indonesian text), and its evidence says so.

    Supporting claims (below their method's own min_score) count only when at least two methods
    claim the pair: a partial translation plus a spelling variant can carry a pair that neither
    carries alone, but one weak method never does.

    Incompatible labels drop a pair unless the names are the same string (``_cross_label_claims``);
    such a pair says so in its evidence ("labels disagree (ORG/LOC)") and ``reconcile_labels``
    then gives both entities one label. With ``demonyms``, an English NORP may also pair with an
    Indonesian place name on dictionary evidence (``is_demonym_pair``), and with ``party_heads`` an
    Indonesian party named after it (``is_party_pair``); both keep their labels."""
    entities = {e.entity_id: e for e in en + ind}
    by_pair: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    for c in candidates:
        by_pair[(c.en, c.id)].append(c)
    merged = []
    for (en_id, id_id), claims in by_pair.items():
        e, i = entities[en_id], entities[id_id]
        disagree = not labels_compatible(e.label, i.label)
        keep_labels = party = False   # two right labels that differ: a nationality or a party's members
        if disagree:
            # a nationality and a place name meet only as a demonym pair (align.demonyms), labels kept
            demonym = is_demonym_pair(e, i, claims)
            same = [c for c in _cross_label_claims(claims, e, i) if c.same_string or not demonym]
            # the same string is one referent that one model mislabelled; else a nationality may
            # still meet the place name Indonesian uses for it, and a party's members the party,
            # on evidence of meaning
            party = not same and is_party_pair(e, i, party_heads)
            keep_labels = not same and (party or (demonyms and demonym))
            claims = _demonym_claims(claims) if keep_labels else same
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
        if party:
            evidence += f"; a party's members ({e.label}) and the party ({i.label}): labels kept"
        elif keep_labels:
            evidence += (f"; a {'nationality' if e.label == 'NORP' else 'language'} ({e.label}) and the place "
                         f"name Indonesian uses for it ({i.label}): labels kept")
        elif disagree:
            how = ("the same string" if any(c.same_string for c in claims) else
                   "a full translation" if any("word by word" in c.evidence for c in claims) else
                   "a dictionary or CLDR name")
            evidence += f"; labels disagree ({e.label}/{i.label}), paired on {how}"
        merged.append(Alignment(e, i, top.method, score, evidence, sorted(best_per_method), keep_labels=keep_labels))
    merged.sort(key=lambda a: (-a.score, -len(a.methods), a.en.canonical, a.id.canonical))
    kept: list[Alignment] = []
    # A place's name and its people's name are two terms: the Indonesian 'Jerman' keeps its partner
    # 'Germany' and may take 'German' as well, so on the Indonesian side demonym pairs compete only
    # with demonym pairs; an English name has one partner either way.
    partner: dict[tuple[str, bool], Alignment] = {}
    for a in merged:
        slots = [(a.en.entity_id, False), (a.id.entity_id, a.keep_labels)]
        rivals = [partner[x] for x in slots if x in partner]
        if rivals and a.score < STRONG:
            continue
        for rival in rivals:
            other = rival.id.canonical if rival.en is a.en else rival.en.canonical
            kind = "equal evidence" if rival.score == a.score else f"score {rival.score:.2f}"
            a.evidence += f"; also aligned with '{other}' ({kind})"
        kept.append(a)
        for slot in slots:
            partner.setdefault(slot, a)
    return sorted(kept, key=lambda a: (a.en.entity_id, a.id.entity_id))
