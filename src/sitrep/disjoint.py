"""Disjoint sets (union-find): which items a chain of links joins into one group.

Shared by the near-duplicate groups of consolidation, the independent accounts of an
incident and the incident groups of the in-domain folds. A group's root is its first item by
``key`` (by default the items' own order), so "the original" of a group of copies is
well-defined and does not depend on the order the links arrive in."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any, Generic, TypeVar

T = TypeVar("T", bound=Hashable)


class DisjointSets(Generic[T]):
    def __init__(self, items: Iterable[T] = (), key: Callable[[T], Any] | None = None) -> None:
        self._parent: dict[T, T] = {}
        self._key: Callable[[T], Any] = key or (lambda item: item)
        for item in items:
            self.add(item)

    def add(self, item: T) -> None:
        self._parent.setdefault(item, item)

    def find(self, item: T) -> T:
        """The root of ``item``'s group (``item`` is added when new)."""
        self.add(item)
        root = item
        while self._parent[root] != root:
            root = self._parent[root]
        while item != root:  # path compression
            self._parent[item], item = root, self._parent[item]
        return root

    def join(self, a: T, b: T) -> T:
        """Put ``a`` and ``b`` in one group; its root is the first of the two roots by key."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            first, second = sorted((ra, rb), key=self._key)
            self._parent[second] = first
            return first
        return ra

    def groups(self) -> dict[T, list[T]]:
        """Root -> the members of its group, in the order the items were first added."""
        members: dict[T, list[T]] = {}
        for item in list(self._parent):
            members.setdefault(self.find(item), []).append(item)
        return members
