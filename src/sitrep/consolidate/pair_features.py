"""What two event mentions from the corpus have in common, as the features the incident model
scores (``incident_model``).

Real coverage of one happening differs in every field a rule would compare: one outlet dates
it "on Monday", another by its month; one places it in a town, another in the province; one
names the perpetrator, another does not; tolls grow as the day goes on; the analysis types
one telling ASSAULT and another COERCE. So each field gives graded evidence (a gap, a
distance, an overlap) rather than a veto, and a value one account does not give stays
missing (NaN).

A corpus's blocks hold millions of candidate pairs, so the features are computed for arrays
of pairs at once: each mention's fields become columns (``MentionColumns``) and a pair's
features are gathered from its two rows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
from scipy import sparse

from sitrep.geo import km_between_many
from sitrep.model import (
    EventMention,
    EventRole,
    Granularity,
    MentionRef,
    PlacePrecision,
    PlaceRef,
    date_span,
)

__all__ = [
    "ARMED_SIDES",
    "QUAD_CLASS",
    "STATE_SECTORS",
    "STATE_SIDE",
    "MentionColumns",
    "PairFields",
    "armed",
    "day_span",
    "explicit_day",
    "fields_of",
    "named_sides",
    "pair_features",
    "side_of",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# PLOVER's four quad classes (the codebook's grouping of its sixteen types): an outlet that
# calls a happening a "raid" and another that calls it "shelling" stay in one class, while a
# ceasefire and a strike do not.
QUAD_CLASS = {
    **dict.fromkeys(("AGREE", "CONSULT", "SUPPORT", "CONCEDE"), "verbal cooperation"),
    **dict.fromkeys(("COOPERATE", "AID", "RETREAT"), "material cooperation"),
    **dict.fromkeys(("REQUEST", "ACCUSE", "REJECT", "THREATEN"), "verbal conflict"),
    **dict.fromkeys(("PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"), "material conflict"),
}
_FINE = {PlacePrecision.SITE, PlacePrecision.TOWN, PlacePrecision.DISTRICT}
# The side an actor's sector puts it on (PLOVER/CAMEO sectors, ``sectors.yaml``): in a civil
# war one country code names both the state and those fighting it, so two accounts that
# blame "SYR" agree on nothing until they agree on which of them. A state's government,
# army, police, intelligence, legislature and courts are one side; every other sector
# (rebels, civilians, monitors, media) is its own.
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "SPY", "LEG", "JUD"})
STATE_SIDE = "state"
# The sides that fight the war: the state and the rebels (every non-state armed group). A
# civilian, a reporter or a monitor named as the doer is more often a misread role than an
# outlet's claim, so only these sides are set against each other as who did it.
ARMED_SIDES = frozenset({STATE_SIDE, "REB"})
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{2,}")
# Function and reporting words, left out when comparing evidence sentences: two outlets'
# sentences share them whatever they tell.
_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "that",
        "with",
        "from",
        "this",
        "was",
        "were",
        "has",
        "have",
        "had",
        "are",
        "been",
        "its",
        "their",
        "his",
        "her",
        "said",
        "says",
        "saying",
        "told",
        "after",
        "before",
        "into",
        "over",
        "about",
        "than",
        "which",
        "who",
        "what",
        "when",
        "also",
        "not",
        "but",
        "they",
        "there",
        "other",
        "while",
        "would",
        "could",
        "will",
        "more",
        "some",
    ]
)
NAN = float("nan")


def explicit_day(mention: EventMention) -> date | None:
    """A day the text states or implies ("on Saturday", "yesterday"), not a fallback to the
    publication date."""
    return _stated_day(mention.date, mention.date_granularity, mention.date_how)


def _stated_day(value: str | None, granularity: Granularity | None, how: str | None) -> date | None:
    if granularity is not Granularity.DAY or not value:
        return None
    if (how or "").lower().startswith(("document date", "publication", "the day the text")):
        return None
    return date.fromisoformat(value[:10])


def day_span(mention: EventMention) -> tuple[float, float]:
    """The first and last day (ordinals) a date may mean: a day, a whole week, month or year;
    NaN when undated."""
    return _span(mention.date, mention.date_granularity)


def _span(value: str | None, granularity: Granularity | None) -> tuple[float, float]:
    span = date_span(value, granularity)
    if span is None:
        return NAN, NAN
    return span[0].toordinal(), span[1].toordinal()


@dataclass(frozen=True, slots=True)
class PairFields:
    """What the pair features read of one mention: taken from a decoded mention
    (``fields_of``), or straight from the ledger's columns when only pairs are scored
    (incremental consolidation reads thousands of stored mentions so)."""

    article_id: str
    outlet: str | None
    published: date | None
    type: str
    mode: str | None
    trigger: str
    date: str | None
    granularity: Granularity | None
    date_how: str | None
    place: PlaceRef | None
    killed_low: int | None
    killed_high: int | None
    actors: frozenset[str]  # the named (not guessed) codes
    recipients: frozenset[str]
    evidence: str
    # "code:side" of each named actor whose sector is known (``side_of``)
    actor_sides: frozenset[str] = frozenset()


def fields_of(ref: MentionRef, evidence: Mapping[tuple[str, int], str]) -> PairFields:
    m = ref.mention
    return PairFields(
        ref.article_id,
        ref.outlet,
        ref.published,
        m.type,
        m.mode,
        m.trigger,
        m.date,
        m.date_granularity,
        m.date_how,
        m.place,
        m.killed_low,
        m.killed_high,
        _codes(m.actors),
        _codes(m.recipients),
        evidence.get((ref.article_id, ref.index), ""),
        named_sides(m.actors),
    )


def _codes(roles: tuple[EventRole, ...]) -> frozenset[str]:
    return frozenset(r.code for r in roles if r.code and not r.guessed)


def named_sides(roles: tuple[EventRole, ...]) -> frozenset[str]:
    """ "code:side" of each named (not guessed) role whose sector is known."""
    return frozenset(
        f"{r.code}:{side_of(r.sector)}" for r in roles if r.code and r.sector and not r.guessed
    )


def side_of(sector: str) -> str:
    """The side a sector puts its actor on (``STATE_SECTORS``)."""
    return STATE_SIDE if sector in STATE_SECTORS else sector


def armed(sides: frozenset[str]) -> frozenset[str]:
    """The "code:side" of ``sides`` on a side that fights (``ARMED_SIDES``)."""
    return frozenset(s for s in sides if s.partition(":")[2] in ARMED_SIDES)


class _Ids:
    """Small integer ids for strings (-1 for none)."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def __call__(self, value: str | None) -> int:
        if value is None:
            return -1
        return self.ids.setdefault(value, len(self.ids))


class _Sets:
    """A set per mention, as a binary rows x vocabulary matrix, with each set's size."""

    def __init__(self, rows: Sequence[frozenset[str]]) -> None:
        ids = _Ids()
        indptr, indices = [0], []
        for items in rows:
            indices += sorted(ids(item) for item in items)
            indptr.append(len(indices))
        data = np.ones(len(indices), dtype=np.float32)
        shape = (len(rows), max(len(ids.ids), 1))
        self.matrix = sparse.csr_matrix(
            (data, np.asarray(indices, dtype=np.int64), indptr), shape=shape
        )
        self.sizes = np.diff(np.asarray(indptr)).astype(np.float64)

    def overlap(self, i: IntArray, j: IntArray) -> tuple[FloatArray, FloatArray]:
        """For each pair: the size of the two sets' intersection, and of their union (0 when
        either set is empty, so that the Jaccard index is NaN)."""
        product = self.matrix[i].multiply(self.matrix[j])
        shared = np.asarray(product.sum(axis=1), dtype=np.float64).ravel()
        union = self.sizes[i] + self.sizes[j] - shared
        union[(self.sizes[i] == 0) | (self.sizes[j] == 0)] = 0.0
        return shared, union

    def jaccard(self, i: IntArray, j: IntArray) -> FloatArray:
        return _ratio(*self.overlap(i, j))


def _ratio(shared: FloatArray, union: FloatArray) -> FloatArray:
    """Intersection over union, NaN where either set was empty."""
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio: FloatArray = np.where(union > 0, shared / np.where(union > 0, union, 1.0), NAN)
    return ratio


class MentionColumns:
    """The fields of a list of mentions as columns, for computing many pairs' features."""

    def __init__(self, rows: Sequence[PairFields]) -> None:
        kinds, modes, triggers, names, admins, outlets = (_Ids() for _ in range(6))
        articles, countries = _Ids(), _Ids()
        n = len(rows)
        self.article = np.asarray([articles(r.article_id) for r in rows], dtype=np.int64)
        self.country = np.asarray(
            [countries(r.place.country if r.place else None) for r in rows], dtype=np.int64
        )
        self.type = np.empty(n, np.int64)
        self.quad = np.empty(n, np.int64)
        self.mode = np.empty(n, np.int64)
        self.trigger = np.empty(n, np.int64)
        self.outlet = np.empty(n, np.int64)
        self.day = np.full(n, NAN)
        self.first, self.last = np.full(n, NAN), np.full(n, NAN)
        self.is_day = np.zeros(n, bool)
        self.published = np.full(n, NAN)
        self.lat, self.lon = np.full(n, NAN), np.full(n, NAN)
        self.fine = np.zeros(n, bool)
        self.admin1 = np.full(n, -1, np.int64)
        self.place = np.full(n, -1, np.int64)
        self.population = np.full(n, NAN)
        self.killed_low, self.killed_high = np.full(n, NAN), np.full(n, NAN)
        words: list[frozenset[str]] = []
        capitalised: list[frozenset[str]] = []
        for i, r in enumerate(rows):
            self.type[i] = kinds(r.type)
            self.quad[i] = kinds("quad:" + QUAD_CLASS.get(r.type, r.type))
            self.mode[i] = modes(r.mode)
            self.trigger[i] = triggers(r.trigger.lower())
            self.outlet[i] = outlets(r.outlet)
            day = _stated_day(r.date, r.granularity, r.date_how)
            self.day[i] = day.toordinal() if day else NAN
            self.first[i], self.last[i] = _span(r.date, r.granularity)
            self.is_day[i] = r.granularity is Granularity.DAY
            self.published[i] = r.published.toordinal() if r.published else NAN
            if r.place is not None:
                self.lat[i], self.lon[i] = r.place.lat, r.place.lon
                self.fine[i] = r.place.precision in _FINE
                self.admin1[i] = admins(r.place.admin1)
                self.place[i] = names(r.place.name)
                if r.place.population is not None:
                    self.population[i] = r.place.population
            if r.killed_low is not None:
                self.killed_low[i] = r.killed_low
                high = r.killed_high if r.killed_high is not None else r.killed_low
                self.killed_high[i] = high
            tokens = _WORD.findall(r.evidence)
            words.append(frozenset(t.lower() for t in tokens if t.lower() not in _STOP))
            # The first word is capitalised by position, not because it is a name.
            capitalised.append(
                frozenset(
                    t.lower() for t in tokens[1:] if t[0].isupper() and t.lower() not in _STOP
                )
            )
        self.words, self.names = _Sets(words), _Sets(capitalised)
        self.actors = _Sets([r.actors for r in rows])
        self.actor_sides = _Sets([r.actor_sides for r in rows])
        self.recipients = _Sets([r.recipients for r in rows])

    @classmethod
    def of_mentions(
        cls, refs: Sequence[MentionRef], evidence: Mapping[tuple[str, int], str]
    ) -> MentionColumns:
        """The columns of decoded mentions (``evidence``: each one's evidence sentence)."""
        return cls([fields_of(ref, evidence) for ref in refs])


def _flag(values: npt.NDArray[np.bool_]) -> FloatArray:
    return values.astype(np.float64)


def _known_equal(a: IntArray, b: IntArray) -> FloatArray:
    """1 where both are known and equal, 0 where both are known and differ, NaN else."""
    return np.where((a >= 0) & (b >= 0), _flag(a == b), NAN)


def pair_features(c: MentionColumns, i: IntArray, j: IntArray) -> dict[str, FloatArray]:
    """The features of the pairs (i[k], j[k]) of rows of ``c`` (order does not matter)."""
    same_type = c.type[i] == c.type[j]
    same_quad = c.quad[i] == c.quad[j]
    fine = c.fine[i] & c.fine[j]
    same_place = fine & (c.place[i] == c.place[j])
    km = km_between_many(c.lat[i], c.lon[i], c.lat[j], c.lon[j])
    gap = np.maximum(np.maximum(c.first[j] - c.last[i], c.first[i] - c.last[j]), 0.0)
    toll_known = ~np.isnan(c.killed_low[i]) & ~np.isnan(c.killed_low[j])
    with np.errstate(invalid="ignore"):
        overlap = (c.killed_low[i] <= c.killed_high[j]) & (c.killed_low[j] <= c.killed_high[i])
        ratio = np.abs(np.log((c.killed_low[i] + 1) / (c.killed_low[j] + 1)))
    actors_i, recipients_i = c.actors.sizes > 0, c.recipients.sizes > 0
    actors_shared, actors_union = c.actors.overlap(i, j)
    # One country named by both, but on two sides of it (its army in one account, its rebels
    # in the other): compared only where both accounts give a named actor's side (NaN
    # elsewhere), few of a corpus's pairs. With several actors an account is read as a
    # whole: a shared code and no shared side.
    sides_differ = np.full(len(i), NAN)
    sided = np.flatnonzero((c.actor_sides.sizes[i] > 0) & (c.actor_sides.sizes[j] > 0))
    if len(sided):
        sides_shared, _union = c.actor_sides.overlap(i[sided], j[sided])
        sides_differ[sided] = _flag((actors_shared[sided] > 0) & (sides_shared == 0))
    names_shared, names_union = c.names.overlap(i, j)
    words = c.words.jaccard(i, j)
    return {
        "same_type": _flag(same_type),
        "same_quad_class": _flag(same_quad),
        "type_agreement": np.where(same_type, 1.0, np.where(same_quad, 0.5, 0.0)),
        "same_mode": _known_equal(c.mode[i], c.mode[j]),
        "same_trigger": _flag(c.trigger[i] == c.trigger[j]),
        "same_outlet": _flag((c.outlet[i] >= 0) & (c.outlet[i] == c.outlet[j])),
        "published_gap_days": np.abs(c.published[i] - c.published[j]),
        "date_gap_days": gap,  # NaN when either is undated
        "both_dated_to_day": _flag(c.is_day[i] & c.is_day[j]),
        "explicit_day_gap": np.abs(c.day[i] - c.day[j]),
        "km": km,
        "both_placed_finely": _flag(fine),
        # How far apart two towns or sites are (a province's centre says nothing of distance).
        "fine_km": np.where(fine, km, NAN),
        "same_fine_place": _flag(same_place),
        # How many people live in the town both name (NaN when it is not the same town, or
        # its size is unknown): a city of a million sees several happenings a day in a war,
        # a village rarely two.
        "same_place_population": np.where(same_place, c.population[i], NAN),
        "same_province": _known_equal(c.admin1[i], c.admin1[j]),
        "actors_jaccard": _ratio(actors_shared, actors_union),
        "actors_one_unnamed": _flag(actors_i[i] != actors_i[j]),
        "actors_sides_differ": sides_differ,
        "recipients_jaccard": c.recipients.jaccard(i, j),
        "recipients_one_unnamed": _flag(recipients_i[i] != recipients_i[j]),
        "tolls_overlap": _flag(toll_known & overlap),
        "toll_log_ratio": np.where(toll_known, ratio, NAN),
        "one_toll_only": _flag(np.isnan(c.killed_low[i]) != np.isnan(c.killed_low[j])),
        "words_jaccard": words,
        "shared_names": np.where(np.isnan(words), 0.0, names_shared),
        "names_jaccard": _ratio(names_shared, names_union),
    }
