"""Consolidation over the ledger: read every analysed article's mentions and claims, cluster,
and store the consolidated events (replacing the previous consolidation: re-runs agree)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sitrep.consolidate import state
from sitrep.consolidate.disagreements import ArticleClaims
from sitrep.consolidate.run import MentionPool, consolidate_refs
from sitrep.consolidate.statements import same_statements
from sitrep.ledger.claims import claim_from_row
from sitrep.ledger.consolidated import write_events
from sitrep.ledger.mentions import mention_from_row
from sitrep.ledger.store import Ledger
from sitrep.model import Claim, EventMention, MentionRef

__all__ = ["ConsolidationSummary", "consolidate_ledger", "stored_summary"]

_MENTIONS = """
SELECT m.*, substr(a.text, m.start_char + 1, m.end_char - m.start_char) AS evidence_text,
       a.outlet, a.published
FROM mentions m JOIN articles a ON a.id = m.article_id
ORDER BY a.seq, m.idx
"""
_CLAIMS = "SELECT * FROM claims ORDER BY article_id, idx"


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
    ledger: Ledger, *, with_statements: bool = True, digest: str | None = None
) -> ConsolidationSummary:
    """``with_statements``: also find the claims that report one statement (loads the
    sentence-embedding model); ``digest``: the inputs' fingerprint (``state.fingerprint``),
    stored with the result."""
    pool = MentionPool()
    mentions: dict[str, list[EventMention]] = defaultdict(list)
    for row in ledger.iter_rows(_MENTIONS):
        mention = mention_from_row(row)
        article_id, index = row["article_id"], row["idx"]
        mentions[article_id].append(mention)
        ref = MentionRef(article_id, index, mention, row["outlet"], row["published"])
        pool.add(ref, row["evidence_text"] or "")
    claims: dict[str, list[Claim]] = defaultdict(list)
    for row in ledger.iter_rows(_CLAIMS):
        claims[row["article_id"]].append(claim_from_row(row))
    texts = {
        row["id"]: row["text"]
        for row in ledger.iter_rows(
            "SELECT id, text FROM articles WHERE id IN (SELECT DISTINCT article_id FROM claims)"
        )
    }
    articles = [
        ArticleClaims(a, texts.get(a, ""), tuple(c), tuple(mentions.get(a, [])))
        for a, c in claims.items()
    ]
    events = consolidate_refs(pool.refs, pool.headlines, pool.evidence, articles)
    statements = same_statements(events, articles) if with_statements else []
    with ledger.transaction():
        write_events(ledger.conn, events, statements)
        if digest is not None:
            state.record(ledger, state.EVENTS, digest)
    return ConsolidationSummary(
        len(events),
        sum(len(e.articles) > 1 for e in events),
        sum(bool(e.disagreements) for e in events),
        len({cluster for cluster, *_ in statements}),
    )
