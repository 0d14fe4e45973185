"""Consolidation of analysed articles: events across sources, with their disagreements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from sitrep.consolidate.disagreements import ArticleClaims, characterise, mention_disagreements
from sitrep.consolidate.events import cluster_mentions, summarise
from sitrep.model import ConsolidatedEvent, MentionRef

__all__ = ["MentionPool", "build_events", "consolidate_refs", "main_clusters"]


@dataclass
class MentionPool:
    """The mentions consolidation takes: those that enter the ledger as events, the
    headlines' restatements (accounts of their article's main happening), and the evidence
    sentence of each."""

    refs: list[MentionRef] = field(default_factory=list)
    headlines: list[MentionRef] = field(default_factory=list)
    evidence: dict[tuple[str, int], str] = field(default_factory=dict)

    def add(self, ref: MentionRef, evidence: str) -> None:
        mention = ref.mention
        if mention.counts:
            self.refs.append(ref)
        elif mention.headline and mention.modality.counts_as_event:
            self.headlines.append(ref)
        else:
            return
        self.evidence[(ref.article_id, ref.index)] = evidence


def main_clusters(groups: Sequence[Sequence[tuple[str, str]]]) -> dict[tuple[str, str], int]:
    """(article, type) -> the cluster that is the article's main happening of that type: the
    one told by the most articles (the first such, in the order given). Each group is given
    as the (article, type) of its mentions."""
    best: dict[tuple[str, str], int] = {}
    reach = [len({article for article, _ in group}) for group in groups]
    for n, group in enumerate(groups):
        for key in group:
            current = best.get(key)
            if current is None or reach[n] > reach[current]:
                best[key] = n
    return best


def consolidate_refs(
    refs: Sequence[MentionRef],
    headlines: Sequence[MentionRef],
    evidence: dict[tuple[str, int], str],
    articles: Sequence[ArticleClaims],
) -> list[ConsolidatedEvent]:
    """Cluster the mentions, attach each headline to its article's main happening of the
    same type, and find the disagreements of every cluster."""
    groups = [[refs[i] for i in group] for group in cluster_mentions(refs, evidence)]
    return build_events(groups, headlines, evidence, articles)


def build_events(
    groups: Sequence[Sequence[MentionRef]],
    headlines: Sequence[MentionRef],
    evidence: dict[tuple[str, int], str],
    articles: Sequence[ArticleClaims],
    *,
    emit: Sequence[bool] | None = None,
    keys: Sequence[Sequence[tuple[str, str]] | None] | None = None,
) -> list[ConsolidatedEvent]:
    """The events of ``groups`` (clusters of mentions, in corpus order of their first
    member): each headline joins its article's main happening of its type, then every
    event's claims and disagreements. ``emit``: which groups to make events of (None: all);
    the others only compete for being an article's main happening (incremental
    consolidation passes the stored clusters of the articles it touches, as ``keys``: the
    (article, type) of each member, in place of a group's mentions)."""
    main = main_clusters(
        [
            (keys[n] if keys is not None else None)
            or [(r.article_id, r.mention.type) for r in group]
            for n, group in enumerate(groups)
        ]
    )
    members = [list(group) for group in groups]
    for ref in headlines:
        target = main.get((ref.article_id, ref.mention.type))
        if target is not None:
            members[target].append(ref)
    by_article = {a.article_id: a for a in articles}
    main_in: dict[tuple[int, str], set[str]] = {}  # (cluster, type) -> articles it leads
    for (article_id, event_type), n in main.items():
        main_in.setdefault((n, event_type), set()).add(article_id)
    events = []
    for n, group in enumerate(members):
        if emit is not None and not emit[n]:
            continue
        event = summarise(group)
        told_by = [by_article[a] for a in event.articles if a in by_article]
        dominant = main_in.get((n, event.type), set())
        claims, characterisations = characterise(event, told_by, dominant)
        disagreements = mention_disagreements(event, group, by_article) + characterisations
        events.append(replace(event, claims=tuple(claims), disagreements=tuple(disagreements)))
    return events
