"""Labelled rows for the event decision heads, from the in-domain gold.

Each article is analysed by the rule stages; every candidate is aligned with the gold: a
candidate whose trigger lies inside a gold event's evidence or one of its re-mentions tells
that event (the tightest span wins, type agreement first); one inside a gold not-event is
that not-event, with its why; any other is no happening ("other"). A candidate of another
type inside a happening that a candidate of its own type tells is a part of that telling
(``PART``): no happening of its own, but told by the same happening as its host. From the
alignment come the rows of every head: happening or why not, same happening, type, actor,
recipient, toll and place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sitrep.analyze.core.document import Document
from sitrep.analyze.events.auxiliary import NO_AUXILIARY, AuxiliaryHeads
from sitrep.analyze.events.candidates import EventCandidate
from sitrep.analyze.events.features import (
    ArticleView,
    DecisionCues,
    Row,
    candidate_rows,
    pair_row,
)
from sitrep.analyze.events.options import (
    entity_options,
    place_options,
    place_row,
    quantity_options,
    role_row,
    toll_row,
)
from sitrep.analyze.mentions.actors import ActorIndex
from sitrep.geo import km_between
from sitrep.gold.fakes import FakesGold, GoldEvent, GoldRole, Span
from sitrep.gold.spans import find_all
from sitrep.model import EntityMention, PlaceRef

# The gold's reasons for a not-event, as the happening head's classes (the annotation guide
# names the first four; conditional, speculation and hypothetical are one decision here).
WHY_CLASSES = {
    "generic": "generic",
    "aggregate": "aggregate",
    "furniture": "furniture",
    "negated": "negated",
    "prediction": "future",
    "hypothetical": "hypothetical",
    "conditional": "hypothetical",
    "speculation": "hypothetical",
    "question": "question",
}
EVENT, OTHER = "event", "other"
# A trigger word inside a happening's telling that is not that happening's own word.
PART = "part"
PLACE_KM = 25.0


@dataclass
class LabelledArticle:
    unit_id: str
    fold: int
    document: Document
    view: ArticleView
    candidates: list[EventCandidate]
    gold: list[GoldEvent | None] = field(default_factory=list)  # per candidate
    why: list[str] = field(default_factory=list)  # per candidate: "event" or why not
    main_province: PlaceRef | None = None
    # Per candidate: the happening whose telling holds it, its own word or a part (``PART``).
    within: list[GoldEvent | None] = field(default_factory=list)


def _positions(view: ArticleView, candidate: EventCandidate) -> list[int]:
    return [candidate.mention.trigger_start, *(view.doc[h].idx for h in candidate.heads)]


def _inside(offset: int, span: Span) -> bool:
    return span[0] <= offset < span[1]


def within_tellings(
    view: ArticleView, candidates: Sequence[EventCandidate], events: Sequence[GoldEvent]
) -> list[GoldEvent | None]:
    """Per candidate, the happening whose telling (evidence or re-mention) holds its trigger:
    the tightest span wins, type agreement first."""
    out: list[GoldEvent | None] = []
    for candidate in candidates:
        positions = _positions(view, candidate)
        best: GoldEvent | None = None
        best_key = (True, 0)
        for event in events:
            for span in event.spans:
                if any(_inside(p, span) for p in positions):
                    key = (candidate.mention.type != event.type, span[1] - span[0])
                    if best is None or key < best_key:
                        best, best_key = event, key
        out.append(best)
    return out


def align(
    view: ArticleView,
    candidates: Sequence[EventCandidate],
    within: Sequence[GoldEvent | None],
    not_events: Sequence[tuple[Span, str]],
) -> tuple[list[GoldEvent | None], list[str]]:
    """Per candidate, the happening it tells as its own word (none for a part) and why it is
    or is not one, from ``within`` (``within_tellings``)."""
    gold = list(within)
    why: list[str] = []
    for candidate, told in zip(candidates, gold, strict=True):
        if told is not None:
            why.append(EVENT)
            continue
        positions = _positions(view, candidate)
        reasons = [r for span, r in not_events if any(_inside(p, span) for p in positions)]
        why.append(WHY_CLASSES.get(reasons[0], OTHER) if reasons else OTHER)
    # A happening told by a candidate of its own type is not also told by the other trigger
    # words of its sentences ("lies" in "al-Bab, which lies in Aleppo province"; "released"
    # of a gas): those are no happening of their own, and would be told twice.
    typed = {g.id for g, c in zip(gold, candidates, strict=True) if g and g.type == c.mention.type}
    for n, (told, candidate) in enumerate(zip(gold, candidates, strict=True)):
        if told is not None and told.id in typed and told.type != candidate.mention.type:
            gold[n], why[n] = None, PART
    return gold, why


def _role_texts(view: ArticleView, roles: Iterable[GoldRole], lo: int, hi: int) -> list[Span]:
    spans: list[Span] = []
    for role in roles:
        if role.text:
            spans += [s for s in find_all(view.text, role.text) if lo <= s[0] and s[1] <= hi]
    return spans


def role_label(
    view: ArticleView, event: GoldEvent, option: EntityMention, roles: Sequence[GoldRole]
) -> bool:
    """Whether ``option`` is one of the gold roles: it overlaps where the gold names the role
    in one of the happening's tellings, or (the gold naming it elsewhere) it has the gold's
    code and sector."""
    where = [s for lo, hi in event.spans for s in _role_texts(view, roles, lo, hi)]
    if where:
        return any(option.start < e and s < option.end for s, e in where)
    actor = option.actor
    return actor is not None and any(
        r.code == actor.code and (r.sector is None or r.sector == actor.sector) for r in roles
    )


@dataclass
class HeadRows:
    rows: list[Row] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    folds: list[int] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)  # the article of each row

    def add(self, row: Row, label: str, fold: int, group: str = "") -> None:
        self.rows.append(row)
        self.labels.append(label)
        self.folds.append(fold)
        self.groups.append(group)


@dataclass
class EventRows:
    happening: HeadRows = field(default_factory=HeadRows)
    why_not: HeadRows = field(default_factory=HeadRows)
    type: HeadRows = field(default_factory=HeadRows)
    same: HeadRows = field(default_factory=HeadRows)
    actor: HeadRows = field(default_factory=HeadRows)
    recipient: HeadRows = field(default_factory=HeadRows)
    toll: HeadRows = field(default_factory=HeadRows)
    place: HeadRows = field(default_factory=HeadRows)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _members(article: LabelledArticle, event: GoldEvent) -> list[EventCandidate]:
    """The candidates telling a gold happening, its clearest telling (in its evidence) first."""
    members = [c for c, g in zip(article.candidates, article.gold, strict=True) if g is event]
    start, end = event.evidence
    return sorted(
        members, key=lambda c: (not start <= c.mention.trigger_start < end, c.mention.trigger_start)
    )


def article_rows(
    article: LabelledArticle, rows: EventRows, auxiliary: AuxiliaryHeads = NO_AUXILIARY
) -> None:
    view, fold, unit = article.view, article.fold, article.unit_id
    candidate_features = candidate_rows(view, article.candidates, auxiliary)
    for gold, why, row in zip(article.gold, article.why, candidate_features, strict=True):
        rows.happening.add(row, _yes(why == EVENT), fold, unit)
        if gold is None:
            if why != PART:
                rows.why_not.add(row, why, fold, unit)
            continue
        rows.type.add(row, gold.type, fold, unit)
    events = list(dict.fromkeys(g for g in article.gold if g is not None))
    for event in events:
        members = _members(article, event)
        options = entity_options(view, members)
        role_rows = [role_row(view, members, entity) for entity in options]
        auxiliary.add_role_answers(role_rows)
        for entity, features in zip(options, role_rows, strict=True):
            rows.actor.add(
                features, _yes(role_label(view, event, entity, event.actors)), fold, unit
            )
            rows.recipient.add(
                features, _yes(role_label(view, event, entity, event.recipients)), fold, unit
            )
        for quantity in quantity_options(view, members):
            right = event.killed is not None and (quantity.low, quantity.high) == event.killed
            rows.toll.add(toll_row(view, members, quantity), _yes(right), fold, unit)
        if event.lat is not None and event.lon is not None:
            for place in place_options(view, members, article.main_province):
                near = km_between(place.place.lat, place.place.lon, event.lat, event.lon)
                rows.place.add(place_row(view, members, place), _yes(near <= PLACE_KM), fold, unit)
    # The pair head decides between the candidates the happening head lets through, and a
    # part of a telling ("a statement released after the strike") is let through often
    # enough: it learns that such a part is told by the same happening as its host, so that
    # the part merges rather than counts again. Pairs of two parts are left out (neither is
    # a happening of its own).
    aligned = [
        (c, g, own is not None)
        for c, g, own in zip(article.candidates, article.within, article.gold, strict=True)
        if g
    ]
    for i, (first, gold_first, own_first) in enumerate(aligned):
        for later, gold_later, own_later in aligned[i + 1 :]:
            if own_first or own_later:
                same = gold_first is gold_later
                rows.same.add(pair_row(view, first, later), _yes(same), fold, unit)


def labelled_articles(
    gold: FakesGold,
    documents: dict[str, Document],
    candidates: dict[str, list[EventCandidate]],
    folds: dict[str, int],
    cues: DecisionCues,
    provinces: dict[str, PlaceRef | None],
    actors: ActorIndex | None = None,
) -> list[LabelledArticle]:
    out = []
    for unit in sorted(gold.articles):
        document = documents[unit]
        view = ArticleView(document, cues, actors)
        found = candidates[unit]
        not_events = [(n.span, n.why) for n in gold.not_events if n.unit_id == unit]
        within = within_tellings(view, found, gold.events_of(unit))
        aligned, why = align(view, found, within, not_events)
        out.append(
            LabelledArticle(
                unit, folds[unit], document, view, found, aligned, why, provinces.get(unit), within
            )
        )
    return out
