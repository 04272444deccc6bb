"""Entities: mentions of one language grouped by normalized form, acronym definitions and gazetteer
aliases, with content-derived ids.

``EntityGrouper`` does it in passes over the records, holding one summary per distinct form, never
the mentions themselves, so a corpus of any size groups in memory that grows with its vocabulary:
``add`` every record (forms, labels, acronym definitions), ``close``, then ``assign`` every record
(each mention's entity id and label, counting documents per entity), then ``entities``.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from pipeline.core.groups import UnionFind
from pipeline.core.labels import NUMERIC_LABELS
from pipeline.core.records import AcronymDefinition, DocRecord, Entity, Mention
from pipeline.core.text import majority, normalized_key
from pipeline.resources import Knowledge


def entity_id_for(lang: str, canonical_key: str) -> str:
    """Content-derived id: the same canonical form in the same language always gets the same id."""
    return f"{lang}_" + hashlib.sha1(f"{lang}\x1f{canonical_key}".encode("utf-8")).hexdigest()[:12]


def _node(lang: str, text: str) -> str:
    return f"{lang}\x1f{normalized_key(text)}"


@dataclass
class _Group:
    """What the entity of one group of forms is made of (counts, not mentions)."""

    lang: str
    keys: set[str] = field(default_factory=set)
    forms: Counter = field(default_factory=Counter)
    labels: Counter = field(default_factory=Counter)


class EntityGrouper:
    """Group mentions into entities per language, over records seen one at a time (twice).

    Forms are linked by identical normalized key, acronym definitions (any document in the same
    language), gazetteer aliases and, with ``plural_groups``, an English group's plural to its singular
    ('Assyrians' / 'Assyrian': one people); the result never depends on the order of the records."""

    def __init__(self, knowledge: Knowledge, plural_groups: bool = True):
        self.knowledge = knowledge
        self.plural_groups = plural_groups
        self.links = UnionFind()
        self.forms: dict[str, Counter] = {}    # node -> form -> count
        self.labels: dict[str, Counter] = {}   # node -> label -> count
        self.entity_of: dict[str, Entity] = {}  # node -> its entity, after close()
        self._docs: Counter = Counter()         # entity_id -> documents, counted by assign()
        self._entities: list[Entity] = []

    def add_mentions(self, mentions: list[Mention]) -> None:
        """Pass 1: count the forms and labels of some mentions."""
        for m in mentions:
            node = _node(m.lang, m.text)
            self.links.find(node)
            self.forms.setdefault(node, Counter())[m.text] += 1
            self.labels.setdefault(node, Counter())[m.label] += 1

    def add_definitions(self, lang: str, definitions: list[AcronymDefinition]) -> None:
        """Pass 1: link each acronym to its long form (in ``lang``, across documents)."""
        for d in definitions:
            self.links.union(_node(lang, d.acronym), _node(lang, d.long_form))

    def add(self, record: DocRecord) -> None:
        """Pass 1 over one record (ok records only take part)."""
        if record.ok:
            self.add_mentions(record.mentions)
            self.add_definitions(record.language.lang, record.acronyms)

    def close(self) -> None:
        """Between the passes: link gazetteer aliases and decide each group's id, canonical form and label."""
        for (lang, key), entry in self.knowledge.gazetteer_by_key.items():
            node = f"{lang}\x1f{key}"
            if node in self.links.parent:
                self.links.union(node, _node(lang, entry.name))
        if self.plural_groups:
            self._link_plural_groups()
        groups: dict[str, _Group] = {}
        members: dict[str, list[str]] = {}
        for node in self.forms:
            root = self.links.find(node)
            group = groups.setdefault(root, _Group(node.split("\x1f", 1)[0]))
            group.keys.add(node.split("\x1f", 1)[1])
            group.forms.update(self.forms[node])
            group.labels.update(self.labels[node])
            members.setdefault(root, []).append(node)
        gazetteer = self.knowledge.gazetteer_by_key
        for root, group in groups.items():
            lang = group.lang
            entry = next((gazetteer[(lang, k)] for k in sorted(group.keys) if (lang, k) in gazetteer), None)
            if entry:
                canonical = entry.name
            else:
                # The most informative form: most words, then most frequent, then alphabetical.
                canonical = min(group.forms, key=lambda f: (-len(f.split()), -group.forms[f], f))
            label = entry.label if entry else majority(group.labels)
            entity = Entity(entity_id_for(lang, normalized_key(canonical)), canonical, label, lang,
                            sorted(f for f in group.forms if f != canonical), sum(group.forms.values()), 0,
                            entry.wikidata if entry else "")
            self._entities.append(entity)
            for node in members[root]:
                self.entity_of[node] = entity
        self.forms, self.labels = {}, {}  # counted: only the node -> entity map is needed now

    def _link_plural_groups(self) -> None:
        """A one-word English nationality or group in the plural joins its singular, when both are
        mostly NORP ('Italians' / 'Italian', 'Assyrians' / 'Assyrian'): English names a people both
        ways, and Indonesian has one word for both (Italia, Asiria)."""
        for node in sorted(self.forms):
            lang, key = node.split("\x1f", 1)
            if lang != "en" or " " in key or not key.endswith("s") or key.endswith("ss"):
                continue
            single = f"{lang}\x1f{key[:-1]}"
            if single in self.forms and majority(self.labels[node]) == majority(self.labels[single]) == "NORP":
                self.links.union(node, single)

    def assign_mentions(self, mentions: list[Mention], relabel: dict[str, str] | None = None) -> None:
        """Pass 2: each mention's entity id and label (the entity's, unless the mention is numeric and
        the entity is not; ``relabel``: entity id -> label decided by alignment). Counts documents per
        entity: give each document's mentions in one call (or all of them at once)."""
        relabel = relabel or {}
        pairs = set()
        for m in mentions:
            entity = self.entity_of[_node(m.lang, m.text)]
            m.entity_id = entity.entity_id
            if m.label not in NUMERIC_LABELS or entity.label in NUMERIC_LABELS:
                m.label = entity.label
            new_label = relabel.get(entity.entity_id)
            if new_label and m.label not in NUMERIC_LABELS:
                m.label = new_label
            pairs.add((m.doc_id, entity.entity_id))
        self._docs.update(entity_id for _, entity_id in pairs)

    def assign(self, record: DocRecord, relabel: dict[str, str] | None = None) -> None:
        """Pass 2 over one record (ok records only)."""
        if record.ok:
            self.assign_mentions(record.mentions, relabel)

    def entities(self) -> list[Entity]:
        """Every entity, sorted by language and id, with ``n_docs`` from the records assigned so far."""
        for entity in self._entities:
            entity.n_docs = self._docs[entity.entity_id]
        return sorted(self._entities, key=lambda e: (e.lang, e.entity_id))


def group_entities(mentions: list[Mention], definitions: list[tuple[str, AcronymDefinition]],
                   knowledge: Knowledge) -> list[Entity]:
    """Group mentions held in memory into entities per language and set each mention's entity_id
    and label. ``definitions`` pairs each definition with the language it was found in."""
    grouper = EntityGrouper(knowledge)
    grouper.add_mentions(mentions)
    for lang, d in definitions:
        grouper.add_definitions(lang, [d])
    grouper.close()
    grouper.assign_mentions(mentions)
    return grouper.entities()
