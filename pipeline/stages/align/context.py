"""What alignment methods see: the entities of both languages, their surface forms and keys, and
the claims (candidates) methods make about pairs."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable

from pipeline.core.records import Entity
from pipeline.core.text import normalized_key
from pipeline.resources import Knowledge


@dataclass(frozen=True)
class Candidate:
    """One method's claim that an English and an Indonesian entity denote the same referent."""

    en: str
    id: str
    method: str
    score: float
    evidence: str
    supporting: bool = False  # below the method's min_score: counts only next to another method's claim
    # The two names are one string (same normalized key, or the same phonetic key): evidence that
    # may pair entities across a label disagreement between the two NER models (see resolve).
    same_string: bool = False
    # The claim rests on what the words mean (a glossary, dictionary or CLDR entry), not on how they
    # are spelled: evidence that may pair a nationality with a place name (resolve.is_demonym_pair).
    by_meaning: bool = False
    # The claim derives a nationality from its place ('Syrian' of 'Syria'): the two name different things
    # (a people, a place), so it pairs a nationality with a place name only (resolve.is_demonym_pair).
    demonym: bool = False
    # The claim is a CLDR language name ('English' / 'Inggris'): Indonesian names a language after its
    # place ('bahasa Inggris'), so an English language name (MISC) may meet the place name as a nationality does.
    language: bool = False
    # A word-by-word translation that leaves words of either name unmatched ('Gereja Katolik Roma' =
    # 'Roman Catholic': 'gereja'): enough for two names of one kind, never for a nationality and a place.
    partial: bool = False


@dataclass
class AlignmentContext:
    """Entities of both languages plus the resources methods need."""

    en: list[Entity]
    id: list[Entity]
    knowledge: Knowledge
    forms: dict[str, list[str]] = field(default_factory=dict)  # entity_id -> surface forms
    party_heads: tuple[str, ...] = ()  # 'partai': a party may pair with its members (align.party_members)
    _keys: dict[str, set[str]] = field(default_factory=dict)   # entity_id -> normalized forms

    def __post_init__(self):
        for entity in self.en + self.id:
            forms = [entity.canonical, *entity.aliases]
            entry = self.knowledge.gazetteer_by_key.get((entity.lang, normalized_key(entity.canonical)))
            if entry:
                forms += list(entry.forms)
            self.forms[entity.entity_id] = list(dict.fromkeys(forms))
            self._keys[entity.entity_id] = {normalized_key(f) for f in forms} - {""}

    def keys(self, entity: Entity) -> set[str]:
        return self._keys[entity.entity_id]


def index_by(entities: Iterable[Entity], keys_of: Callable[[Entity], Iterable[str]]) -> dict[str, list[Entity]]:
    """Entities by each of their keys (a hash join's build side)."""
    index: dict[str, list[Entity]] = defaultdict(list)
    for entity in entities:
        for key in keys_of(entity):
            index[key].append(entity)
    return index
