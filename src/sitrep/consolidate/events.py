"""Event mentions from many articles clustered into happenings.

Blocking keeps the cost near-linear: mentions are compared only inside a block of one week
(and the week after, for stories told a day or two later) and one province (a mention placed
only by its country meets the located ones of that country while the pairs stay few). Inside
a block, every pair that may be one happening (``possible_pairs``) is scored by the incident model
(``incident_model``: boosted trees over the pair's features, ``pair_features``, trained on
the incident gold), and groups grow by average linkage over those scores (see
``cluster_with_components``).
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from itertools import chain

import numpy as np
import numpy.typing as npt

from sitrep.consolidate.incident_model import IncidentModel, PairModelChooser, incident_model
from sitrep.consolidate.pair_features import (
    MentionColumns,
    day_span,
    explicit_day,
    pair_features,
)
from sitrep.disjoint import DisjointSets
from sitrep.model import (
    ConsolidatedEvent,
    EventMention,
    EventRole,
    Granularity,
    MentionRef,
    PlacePrecision,
)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

__all__ = [
    "Block",
    "PairScores",
    "block_of",
    "candidate_pairs",
    "cluster_mentions",
    "cluster_with_components",
    "pair_scores",
    "possible_pairs",
    "related_blocks",
    "summarise",
]

# Pairs whose probability of being one happening is below this are not kept: in the mean
# over two groups' pairs they count as 0, which they nearly are (keeping millions of them
# would cost memory and change no decision at the shipped threshold).
FLOOR = 0.05
# Candidate pairs are scored this many at a time.
PAIR_CHUNK = 200_000
# A mention placed only by its country is compared with the located mentions of that country
# in its week while that makes at most this many pairs (a bound that keeps the cost linear;
# beyond it such mentions are compared among themselves only).
MAX_CROSS_PAIRS = 20_000


def _ordered_codes(roles: tuple[EventRole, ...]) -> list[str]:
    """The named roles' codes in the order they are told: ties between equally common codes
    go to the first told, the same in every process (a set's order varies with the hash
    seed)."""
    return list(dict.fromkeys(r.code for r in roles if r.code and not r.guessed))


def _week(mention: EventMention, published: date | None) -> int:
    """The week a mention is blocked in: its day's, when it is dated to the day; else its
    article's (a month or a year says little about which week, and most reports tell what
    happened in the days before they were published); else the start of its month or year."""
    first, _last = day_span(mention)
    if mention.date_granularity is Granularity.DAY and not math.isnan(first):
        anchor = first
    elif published is not None:
        anchor = published.toordinal()
    elif not math.isnan(first):
        anchor = first
    else:
        return -1
    return int(anchor) // 7


def _cell(mention: EventMention) -> tuple[str | None, ...]:
    """Where a mention's block is: its province for a happening placed finer than its
    country, the country (or nothing) for the rest. Statements are placed where the analysis
    places them, like every other mention: the same accusation told by two outlets is
    usually placed alike, and a speaker-only block would part a strike from the same strike
    typed as a statement by one analysis."""
    place = mention.place
    if place is not None and place.precision not in (PlacePrecision.COUNTRY, PlacePrecision.REGION):
        return ("province", place.country, place.admin1 or place.name)
    return ("coarse", place.country if place else None)


Block = tuple[str, int, tuple[str | None, ...]]


# Blocks no longer part mentions by type (outlets and the analysis type one happening
# differently; the model weighs the types); the slot stays for the stored block keys.
ANY_TYPE = "*"


def block_of(ref: MentionRef) -> Block:
    """The block a mention is compared in: its week and cell (any type)."""
    return (ANY_TYPE, _week(ref.mention, ref.published), _cell(ref.mention))


def related_blocks(a: Block, b: Block) -> bool:
    """Whether ``candidate_pairs`` may pair members of the two blocks (either way round)."""
    if a[0] != b[0] or abs(a[1] - b[1]) > 1:
        return False
    if a[2] == b[2]:
        return True
    coarse, other = (a[2], b[2]) if a[2][0] == "coarse" else (b[2], a[2])
    return coarse[0] == "coarse" and other[0] == "province" and coarse[1] in (None, other[1])


def candidate_pairs(
    keys: Sequence[Block], sizes: Mapping[Block, int] | None = None
) -> Iterator[tuple[IntArray, IntArray]]:
    """Pairs worth comparing, as index arrays, a block or two at a time: the same or next
    week, the same block (province, or country for a mention placed no finer), and a mention
    placed only by country against the located ones of that country while the pairs stay
    few (``MAX_CROSS_PAIRS``). Each pair once. ``keys``: each mention's block
    (``block_of``); ``sizes``: the blocks' sizes in the whole corpus when the mentions are
    a part of it (incremental consolidation), so that the bound decides as it would over
    the whole."""
    blocks: dict[Block, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        blocks[key].append(i)
    arrays = {key: np.asarray(members, dtype=np.int64) for key, members in blocks.items()}
    by_week: dict[tuple[str, int], list[tuple[str | None, ...]]] = defaultdict(list)
    for event_type, week, cell in blocks:
        by_week[(event_type, week)].append(cell)

    def size(key: Block) -> int:
        return sizes.get(key, len(blocks[key])) if sizes is not None else len(blocks[key])

    for (event_type, week, cell), members in arrays.items():
        yield from _within(members)
        later = arrays.get((event_type, week + 1, cell))
        if later is not None:
            yield from _across(members, later)
        if cell[0] != "coarse":
            continue
        for other_week in (week, week + 1, week - 1):
            for other in by_week.get((event_type, other_week), []):
                if other[0] != "province" or (cell[1] and other[1] != cell[1]):
                    continue
                key = (event_type, other_week, other)
                if size((event_type, week, cell)) * size(key) <= MAX_CROSS_PAIRS:
                    yield from _across(members, arrays[key])


# A block's pairs are made a row at a time beyond this many (a flood of reports of one day
# and province would otherwise allocate every pair of it at once).
_ROWS_AT_ONCE = 2_000


def _within(members: IntArray) -> Iterator[tuple[IntArray, IntArray]]:
    """Every pair of a block's members, each once."""
    if len(members) <= _ROWS_AT_ONCE:
        first, second = np.triu_indices(len(members), k=1)
        yield members[first], members[second]
        return
    for x in range(len(members) - 1):
        rest = members[x + 1 :]
        yield np.full(len(rest), members[x]), rest


def _across(first: IntArray, second: IntArray) -> Iterator[tuple[IntArray, IntArray]]:
    """Every pair of a member of ``first`` with one of ``second``."""
    if len(first) <= _ROWS_AT_ONCE:
        yield np.repeat(first, len(second)), np.tile(second, len(first))
        return
    for member in first:
        yield np.full(len(second), member), second


def cluster_mentions(
    refs: Sequence[MentionRef],
    evidence: dict[tuple[str, int], str],
    models: PairModelChooser | None = None,
) -> list[list[int]]:
    """Groups of indices into ``refs`` that tell one happening (every mention in one group),
    ordered by their first member.

    ``evidence`` maps (article_id, mention index) to the mention's evidence sentence;
    ``models`` chooses the incident model for a pair of articles (the shipped one when
    None).
    """
    return cluster_with_components(refs, evidence, models=models)[0]


def _shipped(_a: str, _b: str) -> IncidentModel:
    return incident_model(None)


def possible_pairs(
    keys: Sequence[Block],
    columns: MentionColumns,
    sizes: Mapping[Block, int] | None = None,
    involving: npt.NDArray[np.bool_] | None = None,
) -> Iterator[tuple[IntArray, IntArray]]:
    """The candidate pairs (``candidate_pairs``) that may be accounts of one happening at
    all, ``i < j``, in chunks of index arrays (a corpus holds millions of them). Not when
    one article tells both: the events stage has decided which of an article's mentions are
    re-mentions of one happening, with the context of the whole article, and what it kept
    apart (often two happenings told in one sentence) consolidation must not join. Nor when
    they happened in two countries. The model weighs everything else. ``involving``: when
    given, only the pairs with at least one of these mentions (new ones, incrementally)."""
    pending: list[tuple[IntArray, IntArray]] = []
    count = 0
    for first, second in chain(candidate_pairs(keys, sizes), [(_NONE, _NONE)]):
        if involving is not None and len(first):
            wanted = involving[first] | involving[second]
            first, second = first[wanted], second[wanted]
        if len(first):
            pending.append((first, second))
            count += len(first)
            if count < PAIR_CHUNK:
                continue
        elif not pending:
            continue
        a = np.concatenate([p[0] for p in pending])
        b = np.concatenate([p[1] for p in pending])
        pending, count = [], 0
        i, j = np.minimum(a, b), np.maximum(a, b)
        country_i, country_j = columns.country[i], columns.country[j]
        keep = (columns.article[i] != columns.article[j]) & (
            (country_i < 0) | (country_j < 0) | (country_i == country_j)
        )
        yield i[keep], j[keep]


_NONE = np.zeros(0, dtype=np.int64)


class PairScores:
    """The kept pairs' scores: each pair's probability of being one happening less its
    deciding model's threshold (its margin), held as sorted arrays (a dictionary of millions
    of pairs would take gigabytes). A pair not kept counts as probability 0."""

    def __init__(
        self,
        size: int,
        keys: IntArray,
        margins: FloatArray,
        missing: Callable[[int, int], float],
    ) -> None:
        order = np.argsort(keys, kind="stable")
        self.size = size
        self.keys, self.margins = keys[order], margins[order]
        self._missing = missing

    def passing(self) -> list[tuple[int, int]]:
        """The pairs whose margin is at least 0, most likely first (ties by indices)."""
        where = np.flatnonzero(self.margins >= 0)
        order = np.lexsort((self.keys[where], -self.margins[where]))
        return [divmod(int(k), self.size) for k in self.keys[where][order]]

    def mean(self, left: Sequence[int], right: Sequence[int]) -> float:
        """The mean margin over every pair of a member of ``left`` with one of ``right``."""
        a = np.repeat(np.asarray(left, dtype=np.int64), len(right))
        b = np.tile(np.asarray(right, dtype=np.int64), len(left))
        keys = np.minimum(a, b) * self.size + np.maximum(a, b)
        at = np.minimum(np.searchsorted(self.keys, keys), max(len(self.keys) - 1, 0))
        found = self.keys[at] == keys if len(self.keys) else np.zeros(len(keys), dtype=bool)
        total = float(self.margins[at][found].sum()) if len(self.keys) else 0.0
        for p, q in zip(a[~found].tolist(), b[~found].tolist(), strict=True):
            total += self._missing(p, q)
        return total / len(keys)


def pair_scores(
    refs: Sequence[MentionRef],
    evidence: Mapping[tuple[str, int], str],
    sizes: Mapping[Block, int] | None = None,
    models: PairModelChooser | None = None,
) -> PairScores:
    """The margin of each candidate pair (i < j) that may be one happening and whose
    probability of being one reaches ``FLOOR`` (joined when the mean over two groups' pairs
    is at least 0)."""
    columns = MentionColumns.of_mentions(refs, evidence)
    size = max(len(refs), 1)
    found_keys: list[IntArray] = []
    found_margins: list[FloatArray] = []
    for i, j in possible_pairs([block_of(r) for r in refs], columns, sizes):
        if models is None:  # one model decides every pair
            groups = [(incident_model(None), np.arange(len(i)))]
        else:
            chosen: dict[int, tuple[IncidentModel, list[int]]] = {}
            for k, (a, b) in enumerate(zip(i.tolist(), j.tolist(), strict=True)):
                model = models(refs[a].article_id, refs[b].article_id)
                chosen.setdefault(id(model), (model, []))[1].append(k)
            groups = [(m, np.asarray(ks, dtype=np.int64)) for m, ks in chosen.values()]
        for model, picked in groups:
            pi, pj = i[picked], j[picked]
            probability = model.probabilities(pair_features(columns, pi, pj))
            kept = probability >= FLOOR
            found_keys.append(pi[kept] * size + pj[kept])
            found_margins.append(probability[kept] - model.threshold)

    choose = models or _shipped

    def missing(p: int, q: int) -> float:
        return -choose(refs[p].article_id, refs[q].article_id).threshold

    return PairScores(
        size,
        np.concatenate(found_keys) if found_keys else np.zeros(0, dtype=np.int64),
        np.concatenate(found_margins) if found_margins else np.zeros(0),
        missing,
    )


def cluster_with_components(
    refs: Sequence[MentionRef],
    evidence: dict[tuple[str, int], str],
    sizes: Mapping[Block, int] | None = None,
    models: PairModelChooser | None = None,
) -> tuple[list[list[int]], list[int]]:
    """The groups of ``cluster_mentions``, and for each mention its component: mentions
    joined by a chain of pairs that pass (same component) may influence each other's group;
    mentions of different components never do. Incremental consolidation re-examines only
    the components new mentions reach.

    Groups grow by average linkage: pairs are taken from the most to the least likely, and
    two groups join when their mentions' mean score over every pair between them is at
    least the threshold (a pair never compared counts as probability 0), so one loose pair
    cannot chain two happenings together; and never when both hold a mention of one article
    (an article tells each happening once: its re-mentions are already one mention)."""
    scores = pair_scores(refs, evidence, sizes, models)
    passing = scores.passing()
    components = DisjointSets(range(len(refs)))
    for i, j in passing:
        components.join(i, j)
    members: dict[int, list[int]] = {i: [i] for i in range(len(refs))}
    articles: dict[int, frozenset[str]] = {i: frozenset([r.article_id]) for i, r in enumerate(refs)}
    root = list(range(len(refs)))
    for i, j in passing:
        ri, rj = root[i], root[j]
        if ri == rj:
            continue
        left, right = members[ri], members[rj]
        if articles[ri] & articles[rj]:
            continue  # one article tells a happening once (see ``possible_pairs``)
        if scores.mean(left, right) < 0:
            continue
        keep, gone = min(ri, rj), max(ri, rj)
        members[keep] = left + right
        articles[keep] = articles[keep] | articles.pop(gone)
        del members[gone]
        for p in members[keep]:
            root[p] = keep
    groups = sorted(sorted(group) for group in members.values())
    return groups, [components.find(i) for i in range(len(refs))]


def _most_common(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(code for code, _n in Counter(values).most_common())


def summarise(group: Sequence[MentionRef]) -> ConsolidatedEvent:
    """The canonical type, date, place, actors and toll of one cluster."""
    mentions = [r.mention for r in group]
    dated = [m for m in mentions if m.date]
    best_date = max(
        dated, key=lambda m: (len(m.date or ""), explicit_day(m) is not None), default=None
    )
    placed = [m.place for m in mentions if m.place]
    order = list(PlacePrecision)
    place = min(placed, key=lambda p: order.index(p.precision), default=None)
    tolls = [m for m in mentions if m.killed_low is not None]
    toll = max(tolls, key=lambda m: m.killed_low or 0, default=None)
    members = tuple(sorted((r.article_id, r.index) for r in group))
    ident = hashlib.sha256(repr(members).encode()).hexdigest()[:16]
    return ConsolidatedEvent(
        ident,
        Counter(m.type for m in mentions).most_common(1)[0][0],
        next((m.mode for m in mentions if m.mode), None),
        best_date.date if best_date else None,
        best_date.date_granularity if best_date else None,
        place,
        _most_common(code for m in mentions for code in _ordered_codes(m.actors)),
        _most_common(code for m in mentions for code in _ordered_codes(m.recipients)),
        toll.killed_low if toll else None,
        toll.killed_high if toll else None,
        members,
    )
