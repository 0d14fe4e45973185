"""A sentence that retells the happening being told joins it rather than counting again.

News tells a happening once with its anchors (when, where) and then goes on about it: "Four
civilians were killed, he said", "The strikes were especially intense around the district",
"The attack wounded dozens". Such a sentence names no day or place of its own, or points
back with a definite noun ("the attack"), and carries no word of a further happening
("another", "also", "separately": ``decision_cues.yaml``); and it tells no statement (a
statement is its speaker's, however little it says of when and where). The pair head weighs
these cues among many and, trained on 60 articles, often leaves such a sentence on its own;
read as the discourse rule it is, it joins the nearest happening of its type told before it.

A wire story also tells its happening twice with anchors: a lead ("Seven people died on
Friday when shells struck a village in Idlib province") and a paragraph that tells it again
in full ("Government artillery shelled Jisr al-Shughur in Idlib province on Friday, killing
seven"). A later telling whose own day and place agree with an earlier one of its type (the
same day; the same town, a town within 25 km, or a province holding it) and that names no
further happening retells it too: one article does not tell two strikes on one town on one
day without saying so ("another", "a second").

Applied after the clustering, to each happening the pair head made, in text order: the
happening's first telling decides whether it retells one told before. A happening joins
another only when nothing either tells of when, where or by what means (the ASSAULT mode)
differs, and none of its tellings names a further happening. A retelling never leads its
happening (its type, date and place come from the telling with anchors).
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from sitrep.analyze.events.anchors import dated_in_sentence, placed_in_sentence
from sitrep.analyze.events.candidates import EventCandidate
from sitrep.analyze.events.features import ArticleView, points_back
from sitrep.geo import km_between
from sitrep.model import EventMention, PlacePrecision

__all__ = ["attach_retellings"]

# Two places told finer than a province are one happening's when this close: a town and its
# outskirts, a district and a village in it (the 25 km of the place figure; general, not
# tuned).
NEAR_KM = 25.0
_COARSE = frozenset({PlacePrecision.PROVINCE, PlacePrecision.REGION})
# ASSAULT modes that name what an act did rather than its means ("the raid destroyed a
# bakery" tells the air strike's damage): no means to tell two tellings apart by.
_OUTCOME_MODES = frozenset({"destroy"})


def _definite_noun(head: Token) -> bool:
    """Whether a noun refers back to a happening told before ("the attack", "these
    strikes")."""
    return head.pos_ == "NOUN" and points_back(head)


def _further(view: ArticleView, candidate: EventCandidate) -> bool:
    """Whether the candidate's sentence says it tells a further happening ("another")."""
    return bool(view.further_words(view.sentence_of(view.head_token(candidate))))


def _may_retell(view: ArticleView, candidate: EventCandidate) -> bool:
    """Whether a candidate may retell a happening at all: not a headline (which comes before
    what it sums up), not a statement (a statement is its speaker's), not a further one."""
    mention = candidate.mention
    return (
        not mention.headline
        and mention.type not in view.cues.statements
        and not _further(view, candidate)
    )


def _retells_unanchored(view: ArticleView, candidate: EventCandidate) -> bool:
    """Whether a candidate that may retell (``_may_retell``) does so without anchors: its
    sentence names no day or place of its own, or points back with a definite noun (see the
    module)."""
    mention = candidate.mention
    anchored = dated_in_sentence(mention) or placed_in_sentence(mention)
    return _definite_noun(view.head_token(candidate)) or not anchored


def _one_place(a: EventMention, b: EventMention) -> bool:
    """Whether two sentences' own places can be one happening's: near each other, or one a
    province (or region) holding the other. True when either names none."""
    if not (placed_in_sentence(a) and placed_in_sentence(b)):
        return True
    pa, pb = a.place, b.place
    assert pa is not None and pb is not None
    if pa.precision in _COARSE or pb.precision in _COARSE:
        return pa.admin1 is None or pb.admin1 is None or pa.admin1 == pb.admin1
    return km_between(pa.lat, pa.lon, pb.lat, pb.lon) <= NEAR_KM


def _one_day(a: EventMention, b: EventMention) -> bool:
    """Whether two sentences' own dates can be one happening's (equal as far as both go).
    True when either names none."""
    if not (dated_in_sentence(a) and dated_in_sentence(b)):
        return True
    assert a.date is not None and b.date is not None
    width = min(len(a.date), len(b.date))
    return a.date[:width] == b.date[:width]


def _alike(a: EventMention, b: EventMention) -> bool:
    """Whether two tellings say nothing that tells them apart: day, place, and the means
    (an air strike and a ground assault are two happenings of one type)."""
    means = {a.mode, b.mode} - _OUTCOME_MODES - {None}
    same_means = len(means) <= 1 or a.mode == b.mode
    return same_means and _one_place(a, b) and _one_day(a, b)


def _share_an_anchor(a: EventMention, b: EventMention) -> bool:
    """Whether two tellings both name their own place, or both their own day."""
    return (placed_in_sentence(a) and placed_in_sentence(b)) or (
        dated_in_sentence(a) and dated_in_sentence(b)
    )


def _fits(tellings: Sequence[EventMention], told: Sequence[EventMention], unanchored: bool) -> bool:
    """Whether a happening (``tellings``, its first telling first) may retell one told before
    (``told``): no two of their tellings differ (``_alike``), and its first telling either
    retells without anchors (``unanchored``: ``_retells_unanchored``) or shares one with
    every earlier telling."""
    return all(_alike(a, b) for a in tellings for b in told) and (
        unanchored or all(_share_an_anchor(tellings[0], b) for b in told)
    )


def attach_retellings(
    view: ArticleView, candidates: Sequence[EventCandidate], clusters: list[list[int]]
) -> tuple[list[list[int]], set[int]]:
    """Each happening (a cluster of indices into ``candidates``) whose first telling retells
    a happening of its type told before it, without anchors or by agreeing ones, joins the
    happening holding the latest such candidate, in text order (so a retelling may join
    through one joined before it). Returns the clusters and the candidates joined from
    happenings of one candidate (those have no vote in their new happening's type)."""
    out = [list(cluster) for cluster in clusters]
    joined: set[int] = set()
    for cluster in sorted(out, key=lambda c: candidates[c[0]].mention.trigger_start):
        first = candidates[cluster[0]]
        if not _may_retell(view, first) or any(_further(view, candidates[i]) for i in cluster[1:]):
            continue
        mention = first.mention
        # The latest candidate of its type told before it, per other happening.
        latest = {
            n: max(
                (
                    candidates[j].mention.trigger_start
                    for j in other
                    if candidates[j].mention.type == mention.type
                    and candidates[j].mention.trigger_start < mention.trigger_start
                ),
                default=None,
            )
            for n, other in enumerate(out)
            if other is not cluster and other
        }
        tellings = [candidates[i].mention for i in cluster]
        unanchored = _retells_unanchored(view, first)
        homes = [
            (start, n)
            for n, start in latest.items()
            if start is not None
            and _fits(tellings, [candidates[j].mention for j in out[n]], unanchored)
        ]
        if not homes:
            continue
        _, home = max(homes)
        if len(cluster) == 1:
            joined.add(cluster[0])
        out[home] = sorted(out[home] + cluster)
        cluster.clear()
    return [cluster for cluster in out if cluster], joined
