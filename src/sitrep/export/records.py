"""The export record of each kind (the stable contract; add fields, never rename them)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sitrep.model import Article, DatePrecision, Origin


def article_record(article: Article) -> dict[str, Any]:
    return {
        "article_id": article.id,
        "external_id": article.external_id,
        "source": article.origin.source,
        "part": article.origin.part,
        "format": article.origin.format,
        "url": article.url,
        "outlet": article.outlet,
        "title": article.title,
        "authors": list(article.authors),
        "published": article.published.isoformat() if article.published else None,
        "published_precision": str(article.published_precision)
        if article.published_precision
        else None,
        "language": article.language,
        "language_score": article.language_score,
        "analysable": article.analysable,
        "page_id": article.page_id,
        "page_part": article.page_part,
        "body_start": article.body_start,
        "word_count": article.word_count,
        "text": article.text,
        "provenance": dict(article.provenance),
    }


def article_from_record(record: dict[str, Any]) -> Article:
    """The inverse of ``article_record`` (for round trips and for reading export shards)."""
    precision = record.get("published_precision")
    published = record.get("published")
    if isinstance(published, str):
        published = date.fromisoformat(published)
    return Article(
        id=record["article_id"],
        text=record["text"],
        origin=Origin(record["source"], record.get("part") or "", record.get("format") or "text"),
        title=record.get("title"),
        authors=tuple(record.get("authors") or ()),
        outlet=record.get("outlet"),
        published=published or None,
        published_precision=DatePrecision(precision) if precision else None,
        url=record.get("url"),
        external_id=record.get("external_id"),
        page_id=record.get("page_id"),
        page_part=record.get("page_part"),
        body_start=int(record.get("body_start") or 0),
        language=record.get("language"),
        language_score=record.get("language_score"),
        provenance=dict(record.get("provenance") or {}),
    )


def entity_record(row: dict[str, Any]) -> dict[str, Any]:
    """One entity mention from its ledger row: span, type, and what it resolves to."""
    actor = None
    if row["actor_code"]:
        actor = {
            "code": row["actor_code"],
            "sector": row["actor_sector"],
            "name": row["actor_name"],
            "id": row["actor_id"],
            "how": row["actor_how"],
        }
    place = None
    if row["place_name"] is not None:
        place = {
            "text": row["text"],
            "name": row["place_name"],
            "lat": row["lat"],
            "lon": row["lon"],
            "country": row["country"],
            "admin1": row["admin1"],
            "precision": row["precision"],
            "geonameid": row["geonameid"],
            "how": row["place_how"],
        }
    return {
        "article_id": row["article_id"],
        "span": {"text": row["text"], "start": row["start_char"], "end": row["end_char"]},
        "label": row["label"],
        "kind": row["kind"],
        "found_by": row["found_by"],
        "actor": actor,
        "place": place,
        "unresolved": row["unresolved"],
    }
