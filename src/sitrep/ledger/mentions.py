"""Event mentions in the ledger: rows to and from the model."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from sitrep.model import EventMention, EventRole, Granularity, Modality, PlacePrecision, PlaceRef

# Place columns shared by the entities and mentions tables.
PLACE_COLUMNS = {
    "place_name": "VARCHAR",
    "lat": "DOUBLE",
    "lon": "DOUBLE",
    "precision": "VARCHAR",
    "country": "VARCHAR",
    "admin1": "VARCHAR",
    "geonameid": "BIGINT",
    "place_how": "VARCHAR",
    "population": "BIGINT",
}
MENTION_COLUMNS = {
    "article_id": "VARCHAR",
    "idx": "INTEGER",
    "start_char": "INTEGER",
    "end_char": "INTEGER",
    "trigger_start": "INTEGER",
    "trigger_end": "INTEGER",
    "trigger": "VARCHAR",
    "type": "VARCHAR",
    "mode": "VARCHAR",
    "modality": "VARCHAR",
    "counts": "BOOLEAN",
    "headline": "BOOLEAN",
    "actors": "JSON",
    "recipients": "JSON",
    **PLACE_COLUMNS,
    "place_text": "VARCHAR",
    "date": "VARCHAR",
    "date_granularity": "VARCHAR",
    "date_how": "VARCHAR",
    "killed_low": "BIGINT",
    "killed_high": "BIGINT",
    "injured_low": "BIGINT",
    "injured_high": "BIGINT",
    "claim_id": "VARCHAR",
    "confidence": "DOUBLE",
    "why": "VARCHAR",
    "also": "JSON",
    "not_event": "VARCHAR",
    "killed_start": "INTEGER",
    "killed_end": "INTEGER",
    "killed_victims": "VARCHAR",
    "killed_scope": "VARCHAR",
}


def row_key(article_id: str, idx: int, start: int, end: int) -> dict[str, Any]:
    """The columns every layer table begins with: the article, the position, the span."""
    return {"article_id": article_id, "idx": idx, "start_char": start, "end_char": end}


def mention_row(article_id: str, idx: int, m: EventMention) -> dict[str, Any]:
    place = m.place
    return {
        **row_key(article_id, idx, m.start, m.end),
        "trigger_start": m.trigger_start,
        "trigger_end": m.trigger_end,
        "trigger": m.trigger,
        "type": m.type,
        "mode": m.mode,
        "modality": str(m.modality),
        "counts": m.counts,
        "headline": m.headline,
        "actors": [asdict(r) for r in m.actors],
        "recipients": [asdict(r) for r in m.recipients],
        **place_columns(place),
        "place_text": m.place_text,
        "date": m.date,
        "date_granularity": str(m.date_granularity) if m.date_granularity else None,
        "date_how": m.date_how,
        "killed_low": m.killed_low,
        "killed_high": m.killed_high,
        "injured_low": m.injured_low,
        "injured_high": m.injured_high,
        "claim_id": m.claim_id,
        "confidence": m.confidence,
        "why": m.why,
        "also": [list(span) for span in m.also],
        "not_event": m.not_event,
        "killed_start": m.killed_start,
        "killed_end": m.killed_end,
        "killed_victims": m.killed_victims,
        "killed_scope": m.killed_scope,
    }


def json_value(value: Any) -> Any:
    """A JSON column as Python (DuckDB hands JSON back as text)."""
    return json.loads(value) if isinstance(value, str) else value


def place_columns(place: PlaceRef | None) -> dict[str, Any]:
    """A place as the columns the entities and mentions tables share."""
    return {
        "place_name": place.name if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "precision": str(place.precision) if place else None,
        "country": place.country if place else None,
        "admin1": place.admin1 if place else None,
        "geonameid": place.geonameid if place else None,
        "place_how": place.how if place else None,
        "population": place.population if place else None,
    }


def place_from_row(row: dict[str, Any]) -> PlaceRef | None:
    """The place columns shared by the entities and mentions tables."""
    if row["place_name"] is None:
        return None
    return PlaceRef(
        row["place_name"],
        row["lat"],
        row["lon"],
        PlacePrecision(row["precision"]),
        row["country"],
        row["admin1"],
        row["geonameid"],
        row["place_how"] or "",
        row.get("population"),
    )


def mention_from_row(row: dict[str, Any]) -> EventMention:
    place = place_from_row(row)
    roles = {
        key: tuple(EventRole(**r) for r in (json_value(row[key]) or []))
        for key in ("actors", "recipients")
    }
    return EventMention(
        row["start_char"],
        row["end_char"],
        row["trigger_start"],
        row["trigger_end"],
        row["trigger"],
        row["type"],
        row["mode"],
        Modality(row["modality"]),
        roles["actors"],
        roles["recipients"],
        place,
        row["place_text"],
        row["date"],
        Granularity(row["date_granularity"]) if row["date_granularity"] else None,
        row["date_how"],
        row["killed_low"],
        row["killed_high"],
        row["injured_low"],
        row["injured_high"],
        row["claim_id"],
        row["confidence"],
        row["why"] or "",
        tuple(tuple(span) for span in (json_value(row["also"]) or [])),
        bool(row["headline"]),
        row.get("not_event"),
        row.get("killed_start"),
        row.get("killed_end"),
        row.get("killed_victims"),
        row.get("killed_scope"),
    )
