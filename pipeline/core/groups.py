"""Grouping keys that are linked pairwise (union-find): entities from linked forms, concepts from
aligned entities."""
from __future__ import annotations


class UnionFind:
    """Disjoint sets of string keys; a group's root is its smallest key, so groups never depend on
    the order links were added."""

    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        """The root of ``x``'s group (``x`` joins as its own group if new)."""
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        """Join the groups of ``a`` and ``b``."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
