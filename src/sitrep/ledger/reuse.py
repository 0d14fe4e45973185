"""Near-duplicate groups and reused passages in the ledger: each run replaces the last."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from sitrep.ledger.bulk import bulk_write
from sitrep.ledger.store import Ledger
from sitrep.model import DuplicateGroup, DuplicateMember, ReusePassage

__all__ = ["read_duplicates", "read_reuse", "replace_reuse", "write_duplicates", "write_reuse"]

GROUP_COLUMNS = {
    "group_id": "INTEGER",
    "article_id": "VARCHAR",
    "representative_id": "VARCHAR",
    "body_similarity": "DOUBLE",
    "headline_similarity": "DOUBLE",
}
REUSE_COLUMNS = {
    "a_article_id": "VARCHAR",
    "a_start": "INTEGER",
    "a_end": "INTEGER",
    "b_article_id": "VARCHAR",
    "b_start": "INTEGER",
    "b_end": "INTEGER",
    "words": "INTEGER",
    "similarity": "DOUBLE",
    "kind": "VARCHAR",
}
PASSAGE = "passage"


def write_duplicates(ledger: Ledger, groups: Sequence[DuplicateGroup]) -> None:
    """Replace every stored group (call inside a transaction to replace atomically)."""
    ledger.conn.execute("DELETE FROM duplicate_groups")
    rows = [
        {
            "group_id": group.group_id,
            "article_id": member.article_id,
            "representative_id": group.representative_id,
            "body_similarity": member.body_similarity,
            "headline_similarity": member.headline_similarity,
        }
        for group in groups
        for member in group.members
    ]
    bulk_write(ledger.conn, "duplicate_groups", GROUP_COLUMNS, rows)


def write_reuse(ledger: Ledger, passages: Iterable[ReusePassage]) -> None:
    """Replace every stored reused passage (call inside a transaction)."""
    ledger.conn.execute("DELETE FROM reuse WHERE kind = ?", [PASSAGE])
    rows = [{**_passage_row(p), "kind": PASSAGE} for p in passages]
    bulk_write(ledger.conn, "reuse", REUSE_COLUMNS, rows)


def replace_reuse(
    ledger: Ledger,
    pairs: Sequence[tuple[str, str]],
    passages: Iterable[ReusePassage],
    regrouped: Sequence[Sequence[str]] = (),
) -> None:
    """Replace the stored passages of the article ``pairs`` (earlier first; an article with
    itself: its repeats) with ``passages``, and drop those between two members of one of the
    ``regrouped`` near-duplicate groups (groups that gained members: a pair inside a group
    has no passages). Call inside a transaction."""
    _delete_pairs(ledger, pairs)
    _delete_pairs(ledger, [(a, b) for group in regrouped for a in group for b in group if a != b])
    rows = [{**_passage_row(p), "kind": PASSAGE} for p in passages]
    bulk_write(ledger.conn, "reuse", REUSE_COLUMNS, rows)


def _delete_pairs(ledger: Ledger, pairs: Sequence[tuple[str, str]]) -> None:
    if not pairs:
        return
    ledger.conn.register(
        "replaced",
        {
            "a": np.asarray([a for a, _ in pairs], dtype=object),
            "b": np.asarray([b for _, b in pairs], dtype=object),
        },
    )
    try:
        ledger.conn.execute(
            "DELETE FROM reuse WHERE kind = ? AND EXISTS (SELECT 1 FROM replaced r "
            "WHERE r.a = reuse.a_article_id AND r.b = reuse.b_article_id)",
            [PASSAGE],
        )
    finally:
        ledger.conn.unregister("replaced")


def _passage_row(passage: ReusePassage) -> dict[str, Any]:
    return {name: getattr(passage, name) for name in REUSE_COLUMNS if name != "kind"}


def read_duplicates(ledger: Ledger) -> list[DuplicateGroup]:
    """The stored groups, in group order, each representative first."""
    groups: dict[int, tuple[str, list[DuplicateMember]]] = {}
    for row in ledger.iter_rows(
        """
        SELECT d.* FROM duplicate_groups d JOIN articles a ON a.id = d.article_id
        ORDER BY d.group_id, d.article_id != d.representative_id, a.seq
        """
    ):
        _, members = groups.setdefault(row["group_id"], (row["representative_id"], []))
        members.append(
            DuplicateMember(row["article_id"], row["body_similarity"], row["headline_similarity"])
        )
    return [
        DuplicateGroup(group_id, representative, tuple(members))
        for group_id, (representative, members) in groups.items()
    ]


def read_reuse(ledger: Ledger, article_id: str | None = None) -> list[ReusePassage]:
    """The stored passages (those of one article, on either side, when ``article_id`` is
    given), ordered by article and position."""
    where = "WHERE a_article_id = ? OR b_article_id = ?" if article_id else ""
    params = [article_id, article_id] if article_id else []
    return [
        ReusePassage(**{k: v for k, v in row.items() if k != "kind"})
        for row in ledger.iter_rows(
            f"SELECT * FROM reuse {where} ORDER BY a_article_id, a_start, b_article_id, b_start",
            params,
        )
    ]
