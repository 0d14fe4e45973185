"""Ledger rows of articles and of the ingest log, and back."""

from __future__ import annotations

import json
from typing import Any

from sitrep.model import Article, IngestOutcome, Skip, article_from_record, article_record


def log_row(outcome: IngestOutcome) -> dict[str, Any]:
    origin = outcome.origin
    if isinstance(outcome, Skip):
        return {
            "source": origin.source,
            "part": origin.part,
            "format": origin.format,
            "status": "skipped",
            "reason": str(outcome.reason),
            "message": outcome.message,
            "article_id": outcome.article_id,
        }
    ignored = outcome.provenance.get("ignored")
    return {
        "source": origin.source,
        "part": origin.part,
        "format": origin.format,
        "status": "ingested",
        "reason": None,
        "message": f"Stored without fields of the wrong type: {ignored}." if ignored else None,
        "article_id": outcome.id,
    }


def article_row(article: Article, seq: int) -> dict[str, Any]:
    """The ledger row is the export record under the table's column names."""
    return {**article_record(article), "id": article.id, "seq": seq}


def article_from_row(row: dict[str, Any]) -> Article:
    provenance = row.get("provenance")
    if isinstance(provenance, str):
        provenance = json.loads(provenance)
    return article_from_record({**row, "article_id": row["id"], "provenance": provenance})


def revision_record(row: dict[str, Any]) -> dict[str, Any]:
    """An old version of an article, as exported: when and by what it was superseded, then
    the article's own record."""
    superseded_at = row["superseded_at"]
    return {
        "revision": row["revision"],
        "superseded_by": row["superseded_by"],
        "superseded_at": superseded_at.isoformat() if superseded_at else None,
        **article_record(article_from_row(row)),
    }
