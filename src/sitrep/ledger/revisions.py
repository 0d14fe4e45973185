"""Revisions, not copies: what a batch of ingest outcomes does to the stored articles.

An article belongs to the input it was read from, its source and part (``a.jsonl``,
``line 3``). When that input now gives another text, the new article replaces the old one in
every view and count: the old row moves to ``revisions`` (with the id of the article that
superseded it), and everything derived from it (analysis layers, its place in consolidated
events, duplicate groups and reused passages) is dropped, so no event counts both versions.
The same text with changed metadata (a corrected title or date) is a revision too: the row
is updated in place, the old one kept in ``revisions``, and the article is analysed again.

If another input still holds the old text (it was logged as a duplicate of it), the article
stays current and now belongs to that input. An input that becomes unreadable keeps its last
good version: only a new text replaces an old one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from sitrep.ledger.rows import article_from_row, article_row, log_row
from sitrep.model import Article, IngestOutcome, Origin, Skip, SkipReason, article_record

Key = tuple[str, str]

# Tables holding rows derived from one article, by the column naming it.
_DERIVED = (
    ("analyses", "article_id"),
    ("analysis_failures", "article_id"),
    ("entities", "article_id"),
    ("times", "article_id"),
    ("quantities", "article_id"),
    ("mentions", "article_id"),
    ("claims", "article_id"),
    ("signals", "article_id"),
    ("event_members", "article_id"),
    ("event_claims", "article_id"),
    ("disagreements", "article_id"),
    ("claim_clusters", "article_id"),
    ("reuse", "a_article_id"),
    ("reuse", "b_article_id"),
)
# Fields that do not make a new version when they differ (the row's place in the ledger).
_NOT_CONTENT = ("source", "part", "format")


@dataclass
class Action:
    """One change to stored articles, applied in order inside the batch's transaction."""

    kind: str  # "supersede" | "reown" | "update" (the new row is among the inserted ones)
    old_id: str
    new_id: str = ""
    owner: Key = ("", "")  # reown: the input that holds the text now


@dataclass
class BatchPlan:
    """The rows and changes one batch of outcomes makes."""

    article_rows: list[dict[str, Any]] = field(default_factory=list)
    log_rows: dict[Key, dict[str, Any]] = field(default_factory=dict)
    actions: list[Action] = field(default_factory=list)
    new: int = 0
    unchanged: int = 0
    duplicates: int = 0
    revised: int = 0
    skipped: dict[str, int] = field(default_factory=dict)


class _Stored:
    """What the ledger holds for the ids and inputs of one batch, updated as it is planned."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, articles: Sequence[Article]) -> None:
        ids = sorted({a.id for a in articles})
        keys = sorted({a.origin.key for a in articles})
        self.owner: dict[str, Key] = {}
        self.holder: dict[Key, str] = {}
        self.seq: dict[str, int] = {}
        rows = conn.execute(
            "SELECT id, source, part, seq FROM articles WHERE id IN (SELECT unnest(?)) "
            "UNION SELECT a.id, a.source, a.part, a.seq FROM articles a "
            "JOIN (SELECT unnest(?) AS source, unnest(?) AS part) k USING (source, part)",
            [ids, [k[0] for k in keys], [k[1] for k in keys]],
        ).fetchall()
        for article_id, source, part, seq in rows:
            self.owner[article_id] = (source, part)
            self.holder[(source, part)] = article_id
            self.seq[article_id] = seq
        held = sorted(self.holder.values())
        self.copies: dict[str, Key] = {}
        for article_id, source, part in conn.execute(
            "SELECT article_id, source, part FROM ingest_log WHERE status = 'skipped' "
            "AND reason = 'duplicate' AND article_id IN (SELECT unnest(?)) "
            "ORDER BY source DESC, part DESC",
            [held],
        ).fetchall():
            self.copies[article_id] = (source, part)
        own = [i for i, key in self.owner.items() if i in ids and key in keys]
        self.records: dict[str, dict[str, Any]] = {}
        if own:
            cursor = conn.execute("SELECT * FROM articles WHERE id IN (SELECT unnest(?))", [own])
            names = [d[0] for d in cursor.description or []]
            for values in cursor.fetchall():
                row = dict(zip(names, values, strict=True))
                self.records[row["id"]] = _content(article_record(article_from_row(row)))


def _content(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in _NOT_CONTENT}


def plan_batch(
    conn: duckdb.DuckDBPyConnection, outcomes: Sequence[IngestOutcome], next_seq: int
) -> BatchPlan:
    """Decide, outcome by outcome, what the batch stores (see the module's docstring)."""
    plan = BatchPlan()
    stored = _Stored(conn, [o for o in outcomes if isinstance(o, Article)])
    pending: dict[str, dict[str, Any]] = {}  # rows inserted by this batch, by id
    seqs = iter(range(next_seq, next_seq + len(outcomes)))
    for outcome in outcomes:
        key = outcome.origin.key
        if isinstance(outcome, Skip):
            plan.log_rows[key] = log_row(outcome)
            plan.skipped[outcome.reason] = plan.skipped.get(outcome.reason, 0) + 1
            continue
        held = stored.holder.get(key)
        replaced = held is not None and held != outcome.id
        seq = None
        if held is not None and replaced:
            seq = _release(plan, stored, pending, held, outcome.id, key)
        owner = stored.owner.get(outcome.id)
        if owner is None:
            row = article_row(outcome, next(seqs) if seq is None else seq)
            plan.article_rows.append(row)
            pending[outcome.id] = row
            stored.owner[outcome.id], stored.holder[key] = key, outcome.id
            plan.log_rows[key] = log_row(outcome)
            plan.revised += replaced
            plan.new += not replaced
        elif owner == key:
            plan.log_rows[key] = log_row(outcome)
            _compare(plan, stored, outcome)
        else:
            duplicate = Skip(
                outcome.origin,
                SkipReason.DUPLICATE,
                f"The text duplicates article {outcome.id} from {_describe(owner)}.",
                article_id=outcome.id,
            )
            plan.log_rows[key] = log_row(duplicate)
            plan.duplicates += 1
    return plan


def _release(
    plan: BatchPlan,
    stored: _Stored,
    pending: dict[str, dict[str, Any]],
    held: str,
    new_id: str,
    key: Key,
) -> int | None:
    """The input ``key`` no longer holds ``held``: hand it to a copy or supersede it; the
    new version takes its place in the ingestion order."""
    stored.holder.pop(key, None)
    stored.owner.pop(held, None)
    if held in pending:  # read twice in one batch with different texts (edited meanwhile)
        plan.article_rows.remove(pending.pop(held))
        return None
    copy = stored.copies.pop(held, None)
    if copy is not None and copy not in stored.holder:
        plan.actions.append(Action("reown", held, owner=copy))
        stored.owner[held], stored.holder[copy] = copy, held
        return None
    plan.actions.append(Action("supersede", held, new_id))
    return stored.seq.get(held)


def _compare(plan: BatchPlan, stored: _Stored, outcome: Article) -> None:
    """The same text from the same input: unchanged, or new metadata (a revision)."""
    before = stored.records.get(outcome.id)
    row = article_row(outcome, stored.seq.get(outcome.id, 0))
    if before is None or before == _content(article_record(outcome)):
        plan.unchanged += 1
        return
    plan.actions.append(Action("update", outcome.id, outcome.id))
    plan.article_rows.append(row)
    stored.records[outcome.id] = _content(article_record(outcome))
    plan.revised += 1


def apply_actions(conn: duckdb.DuckDBPyConnection, actions: Sequence[Action]) -> None:
    """Carry out the plan's changes to stored articles (inside the batch's transaction)."""
    for action in actions:
        if action.kind == "reown":
            source, part = action.owner
            conn.execute(
                "UPDATE articles SET source = ?, part = ?, format = coalesce("
                "(SELECT format FROM ingest_log WHERE source = ? AND part = ?), format) "
                "WHERE id = ?",
                [source, part, source, part, action.old_id],
            )
            conn.execute(
                "UPDATE ingest_log SET status = 'ingested', reason = NULL, message = NULL "
                "WHERE source = ? AND part = ?",
                [source, part],
            )
            continue
        _keep_revision(conn, action.old_id, action.new_id)
        forget_derived(conn, [action.old_id])
        conn.execute("DELETE FROM articles WHERE id = ?", [action.old_id])


def _keep_revision(conn: duckdb.DuckDBPyConnection, old_id: str, new_id: str) -> None:
    conn.execute(
        "INSERT INTO revisions BY NAME SELECT "
        "(SELECT coalesce(max(revision), 0) + 1 FROM revisions) AS revision, "
        "? AS superseded_by, now()::TIMESTAMP AS superseded_at, * FROM articles WHERE id = ?",
        [new_id, old_id],
    )


def forget_revived(conn: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> None:
    """Articles stored again (a record moved back, a text restored) are current, not old
    versions: drop their revision rows that name another article as their successor."""
    if ids:
        conn.execute(
            "DELETE FROM revisions WHERE id IN (SELECT unnest(?)) AND superseded_by <> id",
            [list(ids)],
        )


def forget_derived(conn: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> None:
    """Drop every row derived from these articles; consolidated events keep their other
    members, and events left with none are dropped (the next consolidation redoes all)."""
    for table, column in _DERIVED:
        conn.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT unnest(?))", [list(ids)])
    conn.execute(
        "DELETE FROM duplicate_groups WHERE group_id IN (SELECT group_id FROM duplicate_groups "
        "WHERE article_id IN (SELECT unnest(?)))",
        [list(ids)],
    )
    conn.execute(
        "DELETE FROM consolidated_events WHERE id NOT IN (SELECT event_id FROM event_members)"
    )
    conn.execute(
        "UPDATE consolidated_events SET n_articles = m.articles, n_mentions = m.mentions "
        "FROM (SELECT event_id, count(DISTINCT article_id) AS articles, count(*) AS mentions "
        "FROM event_members GROUP BY event_id) m WHERE m.event_id = consolidated_events.id"
    )


def _describe(key: Key) -> str:
    return Origin(key[0], key[1]).describe()
