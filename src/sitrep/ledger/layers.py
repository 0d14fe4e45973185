"""Storing and reading analysis layers (entities, times, quantities, events, claims, signals)
per article."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import Any, NamedTuple

import duckdb

from sitrep.ledger.bulk import bulk_write
from sitrep.ledger.claims import (
    CLAIM_COLUMNS,
    SIGNAL_COLUMNS,
    claim_from_row,
    claim_row,
    signal_from_row,
    signal_row,
)
from sitrep.ledger.mentions import (
    MENTION_COLUMNS,
    PLACE_COLUMNS,
    mention_from_row,
    mention_row,
    place_columns,
    place_from_row,
    row_key,
)
from sitrep.model import (
    ActorRef,
    Analysis,
    AnalysisFailure,
    DocumentDate,
    EntityKind,
    EntityMention,
    Granularity,
    Quantity,
    TimeMention,
)

ANALYSIS_COLUMNS = {
    "article_id": "VARCHAR",
    "pipeline": "VARCHAR",
    "dct": "VARCHAR",
    "dct_granularity": "VARCHAR",
    "dct_how": "VARCHAR",
    "main_country": "VARCHAR",
    "main_admin1": "VARCHAR",
}
ENTITY_COLUMNS = {
    "article_id": "VARCHAR",
    "idx": "INTEGER",
    "start_char": "INTEGER",
    "end_char": "INTEGER",
    "text": "VARCHAR",
    "label": "VARCHAR",
    "kind": "VARCHAR",
    "found_by": "VARCHAR",
    "actor_code": "VARCHAR",
    "actor_sector": "VARCHAR",
    "actor_name": "VARCHAR",
    "actor_id": "VARCHAR",
    "actor_how": "VARCHAR",
    **PLACE_COLUMNS,
    "unresolved": "VARCHAR",
}
TIME_COLUMNS = {
    "article_id": "VARCHAR",
    "idx": "INTEGER",
    "start_char": "INTEGER",
    "end_char": "INTEGER",
    "text": "VARCHAR",
    "value": "VARCHAR",
    "end_value": "VARCHAR",
    "granularity": "VARCHAR",
    "how": "VARCHAR",
}
FAILURE_COLUMNS = {
    "article_id": "VARCHAR",
    "pipeline": "VARCHAR",
    "reason": "VARCHAR",
    "message": "VARCHAR",
}
QUANTITY_COLUMNS = {
    "article_id": "VARCHAR",
    "idx": "INTEGER",
    "start_char": "INTEGER",
    "end_char": "INTEGER",
    "text": "VARCHAR",
    "low": "BIGINT",
    "high": "BIGINT",
    "category": "VARCHAR",
    "subject": "VARCHAR",
}


def entity_row(article_id: str, idx: int, m: EntityMention) -> dict[str, Any]:
    actor, place = m.actor, m.place
    return {
        **row_key(article_id, idx, m.start, m.end),
        "text": m.text,
        "label": m.label,
        "kind": str(m.kind),
        "found_by": m.found_by,
        "actor_code": actor.code if actor else None,
        "actor_sector": actor.sector if actor else None,
        "actor_name": actor.name if actor else None,
        "actor_id": actor.actor_id if actor else None,
        "actor_how": actor.how if actor else None,
        **place_columns(place),
        "unresolved": m.unresolved,
    }


def entity_from_row(row: dict[str, Any]) -> EntityMention:
    actor = None
    if row["actor_code"]:
        actor = ActorRef(
            row["actor_code"],
            row["actor_sector"],
            row["actor_name"],
            row["actor_id"],
            row["actor_how"] or "",
        )
    place = place_from_row(row)
    return EntityMention(
        row["start_char"],
        row["end_char"],
        row["text"],
        row["label"],
        EntityKind(row["kind"]),
        row["found_by"],
        actor,
        place,
        row["unresolved"],
    )


def _time_row(article_id: str, idx: int, t: TimeMention) -> dict[str, Any]:
    return {
        **row_key(article_id, idx, t.start, t.end),
        "text": t.text,
        "value": t.value,
        "end_value": t.end_value,
        "granularity": str(t.granularity) if t.granularity else None,
        "how": t.how,
    }


def _time_from_row(r: dict[str, Any]) -> TimeMention:
    return TimeMention(
        r["start_char"],
        r["end_char"],
        r["text"],
        r["value"],
        Granularity(r["granularity"]) if r["granularity"] else None,
        r["how"],
        r["end_value"],
    )


def _quantity_row(article_id: str, idx: int, q: Quantity) -> dict[str, Any]:
    return {
        **row_key(article_id, idx, q.start, q.end),
        "text": q.text,
        "low": q.low,
        "high": q.high,
        "category": q.category,
        "subject": q.subject,
    }


def _quantity_from_row(r: dict[str, Any]) -> Quantity:
    return Quantity(
        r["start_char"], r["end_char"], r["text"], r["low"], r["high"], r["category"], r["subject"]
    )


class _Layer(NamedTuple):
    """A layer table: its columns, the ``Analysis`` field it stores, and the row conversions."""

    table: str
    columns: dict[str, str]
    field: str
    to_row: Callable[[str, int, Any], dict[str, Any]]
    from_row: Callable[[dict[str, Any]], Any]


_LAYERS = (
    _Layer("entities", ENTITY_COLUMNS, "entities", entity_row, entity_from_row),
    _Layer("times", TIME_COLUMNS, "times", _time_row, _time_from_row),
    _Layer("quantities", QUANTITY_COLUMNS, "quantities", _quantity_row, _quantity_from_row),
    _Layer("mentions", MENTION_COLUMNS, "events", mention_row, mention_from_row),
    _Layer("claims", CLAIM_COLUMNS, "claims", claim_row, claim_from_row),
    _Layer("signals", SIGNAL_COLUMNS, "signals", signal_row, signal_from_row),
)
LAYER_TABLES = tuple(layer.table for layer in _LAYERS)


def write_analyses(conn: duckdb.DuckDBPyConnection, analyses: Sequence[Analysis]) -> None:
    """Replace the stored layers of these articles (call inside a transaction)."""
    if not analyses:
        return
    ids = [a.article_id for a in analyses]
    for table in (*LAYER_TABLES, "analyses", "analysis_failures"):
        conn.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))", [ids])
    summary = [
        {
            "article_id": a.article_id,
            "pipeline": a.pipeline,
            "dct": a.dct.value.isoformat() if a.dct.value else None,
            "dct_granularity": str(a.dct.granularity) if a.dct.granularity else None,
            "dct_how": a.dct.how,
            "main_country": a.main_country,
            "main_admin1": a.main_admin1,
        }
        for a in analyses
    ]
    bulk_write(conn, "analyses", ANALYSIS_COLUMNS, summary)
    for layer in _LAYERS:
        rows = [
            layer.to_row(a.article_id, i, item)
            for a in analyses
            for i, item in enumerate(getattr(a, layer.field))
        ]
        bulk_write(conn, layer.table, layer.columns, rows)


def write_failures(conn: duckdb.DuckDBPyConnection, failures: Sequence[AnalysisFailure]) -> None:
    """Record articles this pipeline could not analyse (call inside a transaction): any layers
    an older pipeline stored for them go, so an article is analysed by the current pipeline
    or marked as failed by it, never both."""
    if not failures:
        return
    ids = [f.article_id for f in failures]
    for table in (*LAYER_TABLES, "analyses", "analysis_failures"):
        conn.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))", [ids])
    rows = [asdict(f) for f in failures]
    bulk_write(conn, "analysis_failures", FAILURE_COLUMNS, rows)


def _rows(conn: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _read_layer(conn: duckdb.DuckDBPyConnection, layer: _Layer, article_id: str) -> tuple[Any, ...]:
    sql = f"SELECT * FROM {layer.table} WHERE article_id = ? ORDER BY idx"
    return tuple(layer.from_row(row) for row in _rows(conn, sql, [article_id]))


def read_analysis(conn: duckdb.DuckDBPyConnection, article_id: str) -> Analysis | None:
    heads = _rows(conn, "SELECT * FROM analyses WHERE article_id = ?", [article_id])
    if not heads:
        return None
    head = heads[0]
    from datetime import date

    dct = DocumentDate(
        date.fromisoformat(head["dct"]) if head["dct"] else None,
        Granularity(head["dct_granularity"]) if head["dct_granularity"] else None,
        head["dct_how"],
    )
    return Analysis(
        article_id,
        head["pipeline"],
        dct,
        head["main_country"],
        head["main_admin1"],
        **{layer.field: _read_layer(conn, layer, article_id) for layer in _LAYERS},
    )


def pending_article_ids(conn: duckdb.DuckDBPyConnection, pipeline: str) -> list[str]:
    """Analysable articles with no analysis by this pipeline yet, in ingestion order; an
    article this pipeline failed on is not tried again blindly."""
    rows = conn.execute(
        "SELECT a.id FROM articles a LEFT JOIN analyses n ON n.article_id = a.id "
        "LEFT JOIN analysis_failures f ON f.article_id = a.id AND f.pipeline = ? "
        "WHERE a.analysable AND (n.pipeline IS NULL OR n.pipeline <> ?) AND f.pipeline IS NULL "
        "ORDER BY a.seq",
        [pipeline, pipeline],
    ).fetchall()
    return [r[0] for r in rows]
