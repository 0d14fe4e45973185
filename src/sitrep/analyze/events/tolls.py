"""What a happening's death toll counts, so that accounts are compared only on like figures.

The ``toll`` head chooses a happening's killed count; this module says what that count is
of: the group of victims its noun names (``events/lexicons/victims.yaml``: "26 civilians" is
``civilians``, "three children" ``children``, "a pilot" ``military``, "12 people" none), and
its scope: a
sub-count ("including five children", after a cue of the ``subcount`` class of
``decision_cues.yaml``) is ``part``; a lead's total over happenings the article then tells
one by one ("Sixteen civilians were killed …" then seven, seven and two) is ``sum``. Both
travel with the mention (``killed_victims``, ``killed_scope``), with the count's words
(``killed_start``, ``killed_end``), and consolidation compares only tolls of one scope and
group. Nothing here is learned: it reads the parse and general word lists.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import cache

from spacy.tokens import Token

from sitrep.analyze.events.features import ArticleView
from sitrep.model import EventMention, Quantity
from sitrep.resources import load_lexicon

__all__ = ["PART", "SUM", "mark_sums", "subgroups", "toll_types", "with_toll", "without_toll"]

PART = "part"  # a count inside the happening's count ("including five children")
SUM = "sum"  # a total over several happenings the article tells one by one
# Words before a count where a sub-count cue may stand ("among the dead were five children").
_CUE_REACH = 4
_CUE_WINDOW = 30  # characters


@cache
def victim_groups() -> dict[str, str | None]:
    """Victim noun -> its group (None: a generic noun, "people")."""
    data = load_lexicon("events", "victims.yaml")
    found: dict[str, str | None] = {str(w).lower(): None for w in data["generic"]}
    for section in ("groups", "subgroups"):
        for group, words in data[section].items():
            found.update({str(w).lower(): str(group) for w in words})
    return found


@cache
def subgroups() -> frozenset[str]:
    """The groups counted inside another's toll (children, women)."""
    return frozenset(load_lexicon("events", "victims.yaml")["subgroups"])


def _group_of(token: Token) -> tuple[bool, str | None]:
    """(whether the noun names victims, and their group: None for a generic noun)."""
    groups = victim_groups()
    for word in (token.lower_, token.lemma_.lower()):
        if word in groups:
            return True, groups[word]
    return False, None


def _victim_nouns(view: ArticleView, quantity: Quantity) -> list[Token]:
    """The words the count may count, in order: those of its own words, left to right (the
    first victim noun leads: "16 civilians, including three children" counts civilians,
    "62 and perhaps 100 Syrian government troops" troops), then for a bare number the noun
    it modifies ("killing 26 civilians") or the object of its "of" ("dozens of soldiers")."""
    span = view.doc.char_span(quantity.start, quantity.end, alignment_mode="expand")
    if span is None or not len(span):
        return []
    found = list(span)
    for token in span:
        found += [g for c in token.children if c.lower_ == "of" for g in c.children]
        if token.dep_ in ("nummod", "quantmod", "compound", "amod", "appos"):
            found.append(token.head)
    return found


@cache
def toll_types() -> frozenset[str]:
    """The PLOVER types whose happenings have a death toll (``victims.yaml``)."""
    return frozenset(load_lexicon("events", "victims.yaml")["toll_types"])


def victim_group(view: ArticleView, quantity: Quantity) -> str | None:
    """The group the count's noun names; None for a generic noun ("people") or none known."""
    for token in _victim_nouns(view, quantity):
        known, group = _group_of(token)
        if known:
            return group
    return None


def is_part(view: ArticleView, quantity: Quantity) -> bool:
    """Whether a sub-count cue stands just before the count ("including", "among them")."""
    before = view.text[max(0, quantity.start - _CUE_WINDOW) : quantity.start].lower()
    cues = view.cues.classes.get("subcount", frozenset())
    return any(w in cues for w in re.findall(r"[a-z]+", before)[-_CUE_REACH:])


def without_toll(mention: EventMention) -> EventMention:
    return replace(
        mention,
        killed_low=None,
        killed_high=None,
        killed_start=None,
        killed_end=None,
        killed_victims=None,
        killed_scope=None,
    )


def with_toll(view: ArticleView, mention: EventMention, toll: Quantity | None) -> EventMention:
    """The mention with the toll chosen for it (none: no toll), and what that toll counts."""
    if toll is None:
        return without_toll(mention)
    return replace(
        mention,
        killed_low=toll.low,
        killed_high=toll.high,
        killed_start=toll.start,
        killed_end=toll.end,
        killed_victims=victim_group(view, toll),
        killed_scope=PART if is_part(view, toll) else None,
    )


def _sum_of_parts(total: int, parts: Sequence[int]) -> bool:
    """Whether two or more of ``parts`` add up to ``total``."""
    most: dict[int, int] = {0: 0}  # reachable sum -> the most parts reaching it
    for part in parts:
        for reached, n in list(most.items()):
            if reached + part <= total:
                most[reached + part] = max(most.get(reached + part, 0), n + 1)
    return most.get(total, 0) >= 2


def _written_number(view: ArticleView, start: int, end: int) -> bool:
    """Whether the words hold a number ("seven", "12"), not only a vague count ("dozens",
    "scores"), which no sum is made of."""
    span = view.doc.char_span(start, end, alignment_mode="expand")
    return span is not None and any(t.like_num for t in span)


def _parts(view: ArticleView, mentions: Sequence[EventMention], after: int) -> list[int]:
    """The counts that may add up to a total written before ``after``: the exact killed
    counts written after it (a lead totals, the body details), and the exact tolls of the
    article's other happenings, each count once (by its words), none a sub-count."""
    counts = {
        (q.start, q.end): q.low or 0
        for q in view.killed
        if q.start >= after
        and q.low
        and q.high == q.low
        and not is_part(view, q)
        and _written_number(view, q.start, q.end)
    }
    for m in mentions:
        start, end = m.killed_start, m.killed_end
        if (
            m.not_event is None
            and m.killed_low
            and m.killed_high == m.killed_low
            and m.killed_scope is None
            and start is not None
            and end is not None
            and _written_number(view, start, end)
        ):
            counts[(start, end)] = m.killed_low
    return list(counts.values())


def mark_sums(view: ArticleView, mentions: Sequence[EventMention]) -> list[EventMention]:
    """The article's mentions, each whose toll is the sum of two or more other counts of the
    article (``_parts``) marked ``sum``: a lead that totals strikes the article then tells
    one by one ("Sixteen civilians were killed …", then seven, seven and two) is no toll of
    one of them. Only a toll told as one figure is taken for a total."""
    out = []
    for mention in mentions:
        total = mention.killed_low
        if (
            mention.not_event is None
            and total
            and mention.killed_high == total
            and mention.killed_scope is None
            and mention.killed_end is not None
        ):
            others = [m for m in mentions if m.killed_start != mention.killed_start]
            if _sum_of_parts(total, _parts(view, others, mention.killed_end)):
                mention = replace(mention, killed_scope=SUM)
        out.append(mention)
    return out
