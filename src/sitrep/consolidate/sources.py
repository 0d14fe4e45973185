"""Independent accounts of one happening: a copy or a repost counts once.

Two articles of one incident are one account when they are near duplicates (the same
near-duplicate group, found by ``dedup``: a repost with another headline or footer), or when
one tells the happening in a passage it shares with the other (``reuse``: a wire story's
paragraph pasted into a longer piece). Accounts are joined transitively: a repost of a
repost is still the first article's account. Each account has an original, the earliest
article that copies nothing in the incident; the others only repeat it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sitrep.disjoint import DisjointSets

__all__ = ["NEAR_DUPLICATE", "PASSAGE", "Account", "Repeat", "independent_accounts"]

NEAR_DUPLICATE = "near_duplicate"
PASSAGE = "passage"


@dataclass(frozen=True)
class Repeat:
    """``article_id`` tells the happening in text it shares with ``original_id`` (``how``:
    near duplicate or shared passage)."""

    article_id: str
    original_id: str
    how: str


@dataclass(frozen=True)
class Account:
    """One independent account: its original article and the articles that repeat it."""

    original_id: str
    repeats: tuple[Repeat, ...] = ()

    @property
    def article_ids(self) -> tuple[str, ...]:
        return (self.original_id, *(r.article_id for r in self.repeats))


def independent_accounts(
    articles: Sequence[str],
    duplicate_group: Mapping[str, int],
    shared: Iterable[tuple[str, str]] = (),
) -> list[Account]:
    """The independent accounts among ``articles`` (earliest first).

    ``duplicate_group``: article -> its near-duplicate group (articles in none are absent);
    ``shared``: pairs (later article, earlier article) where the later one tells the
    happening in a passage the earlier one holds. Links to articles outside ``articles`` are
    ignored: a copy whose original tells another happening is an account of its own here.
    """
    order = {a: n for n, a in enumerate(dict.fromkeys(articles))}
    # The earlier article is a group's root: it is the original.
    sets = DisjointSets(order, key=order.__getitem__)
    join = sets.join

    how: dict[str, str] = {}
    first_in_group: dict[int, str] = {}
    for article in order:
        group = duplicate_group.get(article)
        if group is None:
            continue
        if group in first_in_group:
            join(first_in_group[group], article)
            how[article] = NEAR_DUPLICATE
        else:
            first_in_group[group] = article
    for later, earlier in shared:
        if later in order and earlier in order and later != earlier:
            join(earlier, later)
            how.setdefault(max(later, earlier, key=order.__getitem__), PASSAGE)
    members = sets.groups()
    return [
        Account(root, tuple(Repeat(a, root, how.get(a, PASSAGE)) for a in group[1:]))
        for root, group in members.items()
    ]
