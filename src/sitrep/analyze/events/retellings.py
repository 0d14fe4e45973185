"""A sentence that retells the happening being told joins it rather than counting again.

News tells a happening once with its anchors (when, where) and then goes on about it: "Four
civilians were killed, he said", "The strikes were especially intense around the district",
"The attack wounded dozens". Such a sentence names no day or place of its own, or points
back with a definite noun ("the attack"), and carries no word of a further happening
("another", "also", "separately": ``decision_cues.yaml``); and it tells no statement (a
statement is its speaker's, however little it says of when and where). The pair head weighs
these cues among many and, trained on 60 articles, often leaves such a sentence on its own;
read as the discourse rule it is, it joins the nearest happening of its type told before it.

Applied after the clustering, to happenings of one candidate only: a sentence the pair head
already joined to a happening stays where it was put. A retelling never leads its happening
(its type, date and place come from the telling with anchors).
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from sitrep.analyze.events.anchors import dated_in_sentence, placed_in_sentence
from sitrep.analyze.events.candidates import EventCandidate
from sitrep.analyze.events.features import ArticleView, points_back

__all__ = ["attach_retellings", "retells"]


def _definite_noun(head: Token) -> bool:
    """Whether a noun refers back to a happening told before ("the attack", "these
    strikes")."""
    return head.pos_ == "NOUN" and points_back(head)


def retells(view: ArticleView, candidate: EventCandidate) -> bool:
    """Whether a candidate's sentence retells a happening told before it (see the module)."""
    mention = candidate.mention
    # A statement is its speaker's: "X called for talks" after "Y called for a truce" is a
    # second statement though it names no day or place.
    if mention.headline or mention.type in view.cues.statements:
        return False
    head = view.head_token(candidate)
    if view.further_words(view.sentence_of(head)):
        return False
    anchored = dated_in_sentence(mention) or placed_in_sentence(mention)
    return _definite_noun(head) or not anchored


def attach_retellings(
    view: ArticleView, candidates: Sequence[EventCandidate], clusters: list[list[int]]
) -> tuple[list[list[int]], set[int]]:
    """Each happening of one candidate (indices into ``candidates``) that ``retells`` joins
    the happening holding the latest candidate of its type told before it, in text order (so
    a retelling may join through one joined before it). Returns the clusters and the joined
    candidates."""
    out = [list(cluster) for cluster in clusters]
    joined: set[int] = set()
    for cluster in sorted(out, key=lambda c: candidates[c[0]].mention.trigger_start):
        if len(cluster) != 1 or not retells(view, candidates[cluster[0]]):
            continue
        mention = candidates[cluster[0]].mention
        earlier = [
            (candidates[j].mention.trigger_start, n)
            for n, other in enumerate(out)
            if other is not cluster
            for j in other
            if candidates[j].mention.type == mention.type
            and candidates[j].mention.trigger_start < mention.trigger_start
        ]
        if not earlier:
            continue
        _, home = max(earlier)
        out[home] = sorted(out[home] + cluster)
        joined.add(cluster[0])
        cluster.clear()
    return [cluster for cluster in out if cluster], joined
