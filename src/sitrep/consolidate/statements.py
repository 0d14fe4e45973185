"""The same statement reported by several outlets, found among the claims about one event.

Claims are compared only with the other claims about the same consolidated event (the
blocking that keeps this affordable: an embedding per claim, a comparison per pair inside
one event), and only events told by two or more articles can hold such pairs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from sitrep.consolidate.claim_clusters import ClaimText, cluster_claims
from sitrep.consolidate.disagreements import ArticleClaims
from sitrep.model import ConsolidatedEvent

__all__ = ["same_statements"]


def same_statements(
    events: Sequence[ConsolidatedEvent], articles: Sequence[ArticleClaims]
) -> list[tuple[str, str, str, int]]:
    """(cluster id, event id, article id, claim index) for each claim that reports a statement
    another article reports too."""
    by_article = {a.article_id: a for a in articles}
    found: list[tuple[str, str, str, int]] = []
    for event in events:
        if len({a for a, _ in event.claims}) < 2:
            continue
        texts = []
        for article_id, index in event.claims:
            claim = by_article[article_id].claims[index]
            text = " ".join(by_article[article_id].text[s:e] for s, e in claim.content_spans)
            speaker = claim.speaker.code if claim.speaker else None
            texts.append(
                ClaimText(f"{article_id}-c{index}", article_id, speaker, text, str(claim.stance))
            )
        for group in cluster_claims(texts):
            keys = sorted(texts[i].key for i in group)
            cluster = hashlib.sha256("|".join(keys).encode()).hexdigest()[:16]
            found += [(cluster, event.id, *event.claims[i]) for i in group]
    return found
