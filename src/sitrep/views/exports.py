"""What `sitrep export KIND` writes, as records: the kinds analysts' corrections change
(mentions, claims, events) come from the views, with every correction applied and each event
with its independent sources; the others are the ledger's rows as the README's export schema
describes them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sitrep.errors import UsageError
from sitrep.export.queries import ROW_EXPORTS
from sitrep.ledger.store import Ledger
from sitrep.model import article_record
from sitrep.views.corrections import read_corrections
from sitrep.views.incidents import iter_incidents
from sitrep.views.lists import iter_claims, iter_mentions

EXPORT_KINDS = (
    "articles",
    "entities",
    "mentions",
    "claims",
    "signals",
    "events",
    "reuse",
    "revisions",
    "corrections",
)
GEOJSON_KINDS = ("articles", "entities", "mentions", "events")
# Kinds whose records analysts' corrections change.
CORRECTED_KINDS = ("mentions", "claims", "events")


def export_records(ledger: Ledger, kind: str) -> Iterator[dict[str, Any]]:
    """The records of one export kind, in ingestion order, corrections applied."""
    if kind == "articles":
        return (article_record(a) for a in ledger.iter_articles())
    if kind == "corrections":
        return (c.record() for c in read_corrections(ledger))
    if kind == "events":
        return iter_incidents(ledger, include_wrong=True)
    if kind == "mentions":
        return iter_mentions(ledger)
    if kind == "claims":
        return iter_claims(ledger)
    if kind not in ROW_EXPORTS:
        raise UsageError(f"There is no export kind {kind!r} (known: {', '.join(EXPORT_KINDS)}).")
    query, to_record = ROW_EXPORTS[kind]
    return (to_record(row) for row in ledger.iter_rows(query))
