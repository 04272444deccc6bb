"""The label vocabulary shared by both languages (../shared/CONTRACT.md) and which labels may align."""
from __future__ import annotations

LABELS = ("PER", "ORG", "GPE", "LOC", "NORP", "EVENT", "LAW", "MISC",
          "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL")
NUMERIC_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"})

# Labels that can denote the same referent across languages: a place is GPE in one model, LOC in another.
LABEL_FAMILY = {"GPE": "place", "LOC": "place", "ORG": "ORG", "PER": "PER", "NORP": "NORP",
                "EVENT": "EVENT", "LAW": "LAW", "MISC": "MISC"}


def labels_compatible(a: str, b: str) -> bool:
    """ORG with ORG, GPE/LOC with GPE/LOC, and so on; numeric labels never align."""
    return a not in NUMERIC_LABELS and b not in NUMERIC_LABELS and LABEL_FAMILY.get(a) == LABEL_FAMILY.get(b)
