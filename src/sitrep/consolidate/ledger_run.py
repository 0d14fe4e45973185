"""Consolidation over the ledger: events across sources from every analysed article's
mentions and claims (``incremental`` does the work), and the summary of what is stored."""

from __future__ import annotations

from dataclasses import dataclass

from sitrep.consolidate import incremental, state
from sitrep.consolidate.incident_model import PairModelChooser
from sitrep.ledger.store import Ledger

__all__ = ["ConsolidationSummary", "consolidate_ledger", "stored_summary"]


@dataclass(frozen=True)
class ConsolidationSummary:
    events: int
    across_articles: int  # told by two or more articles
    with_disagreements: int
    same_statements: int  # statements reported by several articles
    duplicate_articles: int = 0  # near-duplicates of an earlier article
    reused_passages: int = 0
    # Steps whose inputs had not changed since they last ran (their stored result was kept).
    unchanged: tuple[str, ...] = ()


# The summary of what the ledger holds, for a run that kept the stored consolidation.
_STORED = """
SELECT (SELECT count(*) FROM consolidated_events),
       (SELECT count(*) FROM consolidated_events WHERE n_articles > 1),
       (SELECT count(DISTINCT event_id) FROM disagreements),
       (SELECT count(DISTINCT cluster_id) FROM claim_clusters),
       (SELECT count(*) - count(DISTINCT group_id) FROM duplicate_groups),
       (SELECT count(*) FROM reuse WHERE kind = 'passage')
"""


def stored_summary(ledger: Ledger) -> ConsolidationSummary:
    """The figures of the consolidation the ledger holds."""
    row = ledger.conn.execute(_STORED).fetchone() or (0,) * 6
    events, across, disagreeing, statements, duplicates, passages = (int(v) for v in row)
    return ConsolidationSummary(events, across, disagreeing, statements, duplicates, passages)


def consolidate_ledger(
    ledger: Ledger,
    *,
    with_statements: bool = True,
    digest: str | None = None,
    whole: bool = False,
    models: PairModelChooser | None = None,
) -> ConsolidationSummary:
    """``with_statements``: also find the claims that report one statement (loads the
    sentence-embedding model); ``digest``: the inputs' fingerprint (``state.fingerprint``),
    stored with the result. When the only change since the last run is new articles, their
    mentions join the stored events (``incremental``); otherwise, or when ``whole``, every
    event is redone. ``models``: the incident model of each pair of articles (the shipped
    one when None); given, every event is redone with it."""
    base = state.fingerprint(ledger, state.EVENTS_BASE, with_statements)
    if models is not None:
        incremental.consolidate_all(ledger, with_statements, base, digest, models)
    elif whole or not incremental.join_new_articles(ledger, with_statements, base, digest):
        incremental.consolidate_all(ledger, with_statements, base, digest)
    return stored_summary(ledger)
