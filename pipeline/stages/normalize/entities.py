"""Entities: mentions of one language grouped by normalized form, acronym definitions and gazetteer
aliases, with content-derived ids."""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict

from pipeline.core.groups import UnionFind
from pipeline.core.labels import NUMERIC_LABELS
from pipeline.core.records import AcronymDefinition, DocRecord, Entity, Mention
from pipeline.core.text import majority, normalized_key
from pipeline.resources import Knowledge


def entity_id_for(lang: str, canonical_key: str) -> str:
    """Content-derived id: the same canonical form in the same language always gets the same id."""
    return f"{lang}_" + hashlib.sha1(f"{lang}\x1f{canonical_key}".encode("utf-8")).hexdigest()[:12]


def group_entities(mentions: list[Mention], definitions: list[tuple[str, AcronymDefinition]],
                   knowledge: Knowledge) -> list[Entity]:
    """Group mentions into entities per language and set each mention's entity_id.

    Forms are linked by identical normalized key, acronym definitions (any document
    in the same language) and gazetteer aliases. ``definitions`` pairs each
    definition with the language it was found in.
    """
    groups = UnionFind()
    for m in mentions:
        groups.find(f"{m.lang}\x1f{normalized_key(m.text)}")
    for lang, d in definitions:
        groups.union(f"{lang}\x1f{normalized_key(d.acronym)}", f"{lang}\x1f{normalized_key(d.long_form)}")
    for (lang, key), entry in knowledge.gazetteer_by_key.items():
        node = f"{lang}\x1f{key}"
        if node in groups.parent:
            groups.union(node, f"{lang}\x1f{normalized_key(entry.name)}")

    members: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        members[groups.find(f"{m.lang}\x1f{normalized_key(m.text)}")].append(m)

    entities = []
    for root, group in members.items():
        lang = group[0].lang
        keys = {normalized_key(m.text) for m in group}
        entry = next((knowledge.gazetteer_by_key[(lang, k)] for k in sorted(keys)
                      if (lang, k) in knowledge.gazetteer_by_key), None)
        forms = Counter(m.text for m in group)
        if entry:
            canonical = entry.name
        else:
            # The most informative form: most words, then most frequent, then alphabetical.
            canonical = min(forms, key=lambda f: (-len(f.split()), -forms[f], f))
        labels = Counter(m.label for m in group)
        label = entry.label if entry else majority(labels)
        entity_id = entity_id_for(lang, normalized_key(canonical))
        for m in group:
            m.entity_id = entity_id
            m.label = label if m.label not in NUMERIC_LABELS or label in NUMERIC_LABELS else m.label
        entities.append(Entity(entity_id, canonical, label, lang, sorted(f for f in forms if f != canonical),
                               len(group), len({m.doc_id for m in group}), entry.wikidata if entry else ""))
    return sorted(entities, key=lambda e: (e.lang, e.entity_id))


def group_record_entities(records: list[DocRecord], knowledge: Knowledge) -> list[Entity]:
    """Entities over the ok records (in doc_id order), setting each mention's entity_id."""
    ok = sorted((r for r in records if r.ok), key=lambda r: r.doc_id)
    mentions = [m for r in ok for m in r.mentions]
    definitions = [(r.language.lang, d) for r in ok for d in r.acronyms]
    return group_entities(mentions, definitions, knowledge)
