"""Where the accounts of one happening differ: tolls, perpetrators, victims, dates, places,
and how claimants characterise it (a mistake or deliberate, coordinated or not).

Mention fields give a disagreement when two accounts give comparable values that differ
(``consolidate/comparable.py`` says which values are comparable). Characterisations come
from the claims about the happening, matched against ``resources/characterisations.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sitrep.consolidate.comparable import comparable_disagreements
from sitrep.model import (
    Account,
    Claim,
    ConsolidatedEvent,
    Disagreement,
    EventMention,
    MentionRef,
    Stance,
)
from sitrep.resources import load_yaml

__all__ = ["ArticleClaims", "characterise", "mention_disagreements"]

# Words before a value that can negate it ("received NO notification").
_NEGATION_REACH = 4


@dataclass(frozen=True)
class ArticleClaims:
    """An article's claims and text, as the consolidation sees them."""

    article_id: str
    text: str
    claims: tuple[Claim, ...]
    mentions: tuple[EventMention, ...] = ()  # the article's event mentions, by index


@cache
def _lexicon() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml("characterisations.yaml")
    return data


def mention_disagreements(
    event: ConsolidatedEvent, refs: Sequence[MentionRef], claims: dict[str, ArticleClaims]
) -> list[Disagreement]:
    """Tolls, perpetrators, victims, dates and places on which the mentions disagree, each
    only between comparable values (``consolidate/comparable.py``)."""
    return comparable_disagreements(refs, dict(claims))


def _matches(text: str, term: str) -> list[int]:
    """Word offsets in ``text`` (lower-cased words) where ``term`` starts."""
    words = re.findall(r"[\w'’-]+", text.lower())
    parts = term.lower().split()
    return [i for i in range(len(words) - len(parts) + 1) if words[i : i + len(parts)] == parts]


def _negated(text: str, at: int, negations: set[str]) -> bool:
    words = re.findall(r"[\w'’-]+", text.lower())
    return any(
        w in negations or w.endswith("n't") for w in words[max(0, at - _NEGATION_REACH) : at]
    )


def _value(field: dict[str, Any], text: str, stance: Stance, negations: set[str]) -> str | None:
    found: set[str] = set()
    for value, terms in field["values"].items():
        for term in terms:
            for at in _matches(text, str(term)):
                # A denial negates what it denies; a content that negates itself ("received
                # NO notification") is already a denial, so the two do not cancel.
                negated = _negated(text, at, negations) or stance is Stance.DENY
                found.add(field.get("negated", {}).get(value, value) if negated else value)
    if len(found) > 1 and field.get("both") and stance in (Stance.DEMAND, Stance.QUESTION):
        return str(field["both"])
    return sorted(found)[0] if len(found) == 1 else None


_PRONOUNS = {"it", "they", "he", "she", "its", "their", "this", "them"}


def _actor_codes(mention: EventMention) -> set[str]:
    """Actors the text names (a pronoun's guessed antecedent is not evidence enough)."""
    return {
        r.code
        for r in mention.actors
        if r.code and not r.guessed and r.text.lower() not in _PRONOUNS
    }


def about(event: ConsolidatedEvent, article: ArticleClaims, dominant: bool) -> list[int]:
    """Indices of the article's claims about the event: those holding one of its mentions,
    and, where the event is the article's main happening of its type, those whose sentence
    names such a happening ("admitted to the attack, but claims it was all a mistake") and
    holds no mention of that type by another perpetrator (the Syrian shoot-down of an Israeli
    jet is not the US strike). Dates and places inside a claim are too often the writer's
    asides ("17:00 Moscow time") to rule a claim out."""
    members = {i for a, i in event.members if a == article.article_id}
    references = [str(w) for w in _lexicon()["references"].get(event.type, [])]
    found = []
    for index, claim in enumerate(article.claims):
        if set(claim.events) & members:
            found.append(index)
            continue
        others = [article.mentions[i] for i in claim.events if i < len(article.mentions)]
        main_actor = set(event.actors[:1])
        elsewhere = [
            m
            for m in others
            if m.type == event.type
            and main_actor
            and _actor_codes(m)
            and not _actor_codes(m) & main_actor
        ]
        if not dominant or elsewhere:
            continue
        speaker = claim.speaker.start if claim.speaker else claim.start
        start = min(claim.start, claim.cue_start, speaker)
        end = max(claim.end, claim.cue_end)
        if any(_matches(article.text[start:end], word) for word in references):
            found.append(index)
    return found


def characterise(
    event: ConsolidatedEvent,
    articles: Sequence[ArticleClaims],
    dominant: set[str],
) -> tuple[list[tuple[str, int]], list[Disagreement]]:
    """The claims about the event, and the characterisation fields on which they differ.
    ``dominant`` names the articles in which the event is the main happening of its type."""
    lexicon = _lexicon()
    negations = {str(w) for w in lexicon["negations"]}
    claim_keys: list[tuple[str, int]] = []
    accounts: dict[str, list[Account]] = {}
    for article in articles:
        for index in about(event, article, article.article_id in dominant):
            claim = article.claims[index]
            claim_keys.append((article.article_id, index))
            content = " ".join(article.text[s:e] for s, e in claim.content_spans)
            speaker = claim.speaker
            for name, field in lexicon["fields"].items():
                value = _value(field, content, claim.stance, negations)
                if value is None:
                    continue
                accounts.setdefault(name, []).append(
                    Account(
                        value,
                        article.article_id,
                        speaker.text if speaker else "unnamed",
                        speaker.code if speaker else None,
                        claim.via.text if claim.via else None,
                        None,
                        index,
                        claim.start,
                        claim.end,
                    )
                )
    found = [
        Disagreement(name, tuple(items))
        for name, items in accounts.items()
        if len({a.value for a in items}) > 1
    ]
    return claim_keys, found
