"""Consolidated events in the ledger: a whole consolidation replaces the previous one."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import duckdb

from sitrep.ledger.bulk import bulk_write
from sitrep.ledger.mentions import PLACE_COLUMNS, place_columns
from sitrep.model import ConsolidatedEvent

# Many values travel to DuckDB as one string split in SQL: binding a Python list costs a
# failed module import per element in DuckDB 1.5 (measured: 2.4 s for 25,000 values), one
# string well under a millisecond. The separator (unit separator) is in no id, code or name.
SEPARATOR = "\x1f"
UNNEST = "unnest(string_split(?, chr(31)))"


def joined(values: Iterable[object]) -> str:
    """``values`` as the one parameter ``UNNEST`` splits."""
    return SEPARATOR.join(map(str, values))


EVENT_COLUMNS = {
    "id": "VARCHAR",
    "type": "VARCHAR",
    "mode": "VARCHAR",
    "date": "VARCHAR",
    "date_granularity": "VARCHAR",
    **PLACE_COLUMNS,
    "actors": "JSON",
    "recipients": "JSON",
    "killed_low": "BIGINT",
    "killed_high": "BIGINT",
    "n_articles": "INTEGER",
    "n_mentions": "INTEGER",
}
MEMBER_COLUMNS = {"event_id": "VARCHAR", "article_id": "VARCHAR", "mention_idx": "INTEGER"}
CLAIM_LINK_COLUMNS = {"event_id": "VARCHAR", "article_id": "VARCHAR", "claim_idx": "INTEGER"}
DISAGREEMENT_COLUMNS = {
    "event_id": "VARCHAR",
    "field": "VARCHAR",
    "value": "VARCHAR",
    "article_id": "VARCHAR",
    "source": "VARCHAR",
    "source_code": "VARCHAR",
    "via": "VARCHAR",
    "mention_idx": "INTEGER",
    "claim_idx": "INTEGER",
    "start_char": "INTEGER",
    "end_char": "INTEGER",
    "kind": "VARCHAR",
}
TABLES = (
    "consolidated_events",
    "event_members",
    "event_claims",
    "disagreements",
    "claim_clusters",
)
CLAIM_CLUSTER_COLUMNS = {
    "cluster_id": "VARCHAR",
    "event_id": "VARCHAR",
    "article_id": "VARCHAR",
    "claim_idx": "INTEGER",
}


def _event_row(event: ConsolidatedEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "type": event.type,
        "mode": event.mode,
        "date": event.date,
        "date_granularity": str(event.date_granularity) if event.date_granularity else None,
        **place_columns(event.place),
        "actors": list(event.actors),
        "recipients": list(event.recipients),
        "killed_low": event.killed_low,
        "killed_high": event.killed_high,
        "n_articles": len(event.articles),
        "n_mentions": len(event.members),
    }


def write_events(
    conn: duckdb.DuckDBPyConnection,
    events: Sequence[ConsolidatedEvent],
    statements: Sequence[tuple[str, str, str, int]] = (),
    *,
    replacing: Sequence[str] | None = None,
) -> None:
    """Replace every stored consolidated event (``replacing``: only those with these ids),
    and the claims found to report one statement (``statements``: cluster id, event id,
    article id, claim index); call inside a transaction."""
    for table in TABLES:
        column = "id" if table == "consolidated_events" else "event_id"
        if replacing is None:
            conn.execute(f"DELETE FROM {table}")
        elif replacing:
            conn.execute(
                f"DELETE FROM {table} WHERE {column} IN (SELECT {UNNEST})", [joined(replacing)]
            )
    members, claims, disagreements = [], [], []
    for event in events:
        members += [
            {"event_id": event.id, "article_id": a, "mention_idx": i} for a, i in event.members
        ]
        claims += [{"event_id": event.id, "article_id": a, "claim_idx": i} for a, i in event.claims]
        for disagreement in event.disagreements:
            for account in disagreement.accounts:
                disagreements.append(
                    {
                        "event_id": event.id,
                        "field": disagreement.field,
                        "value": account.value,
                        "article_id": account.article_id,
                        "source": account.source,
                        "source_code": account.source_code,
                        "via": account.via,
                        "mention_idx": account.mention_index,
                        "claim_idx": account.claim_index,
                        "start_char": account.start,
                        "end_char": account.end,
                        "kind": disagreement.kind,
                    }
                )
    bulk_write(conn, "consolidated_events", EVENT_COLUMNS, [_event_row(e) for e in events])
    bulk_write(conn, "event_members", MEMBER_COLUMNS, members)
    bulk_write(conn, "event_claims", CLAIM_LINK_COLUMNS, claims)
    bulk_write(conn, "disagreements", DISAGREEMENT_COLUMNS, disagreements)
    rows = [
        {"cluster_id": c, "event_id": e, "article_id": a, "claim_idx": i}
        for c, e, a, i in statements
    ]
    bulk_write(conn, "claim_clusters", CLAIM_CLUSTER_COLUMNS, rows)


BLOCK_COLUMNS = {
    "article_id": "VARCHAR",
    "mention_idx": "INTEGER",
    "type": "VARCHAR",
    "week": "INTEGER",
    "cell": "VARCHAR",
    "component": "BIGINT",
}


def write_blocks(
    conn: duckdb.DuckDBPyConnection,
    rows: Sequence[dict[str, Any]],
    *,
    replacing: Sequence[tuple[str, int]] | None = None,
) -> None:
    """Store the clustered mentions' blocks and components (``BLOCK_COLUMNS``), replacing
    every stored row (``replacing``: only those of these mentions)."""
    if replacing is None:
        conn.execute("DELETE FROM event_blocks")
    elif replacing:
        conn.execute(
            f"DELETE FROM event_blocks WHERE article_id || ':' || mention_idx IN (SELECT {UNNEST})",
            [joined(f"{a}:{i}" for a, i in replacing)],
        )
    bulk_write(conn, "event_blocks", BLOCK_COLUMNS, rows)


def write_inputs(
    conn: duckdb.DuckDBPyConnection, signatures: dict[str, str], *, replace_all: bool
) -> None:
    """Record the articles the event step read (article id -> signature)."""
    if replace_all:
        conn.execute("DELETE FROM consolidated_inputs")
    rows = [{"article_id": a, "signature": s} for a, s in signatures.items()]
    bulk_write(conn, "consolidated_inputs", {"article_id": "VARCHAR", "signature": "VARCHAR"}, rows)
