"""Disagreements only between comparable values (issue 12): a sub-count, a total over several
happenings or another group of victims is no second toll of a happening; an account naming
no perpetrator is shown against one naming one as its own kind."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sitrep.consolidate.comparable import (
    NAMED_VS_UNKNOWN,
    UNKNOWN,
    WHICH_SIDE,
    comparable_disagreements,
)
from sitrep.consolidate.disagreements import ArticleClaims
from sitrep.model import (
    Claim,
    ClaimKind,
    EventMention,
    EventRole,
    Granularity,
    MentionRef,
    Modality,
    PlacePrecision,
    PlaceRef,
    Relay,
    Speaker,
    Stance,
)

_IDLIB = PlaceRef("Idlib", 35.93, 36.63, PlacePrecision.TOWN, "SYR", "Idlib")
_ALEPPO = PlaceRef("Aleppo", 36.2, 37.16, PlacePrecision.TOWN, "SYR", "Aleppo")


def _strike(
    low: int | None = None,
    high: int | None = None,
    *,
    at_least: bool = False,
    victims: str | None = None,
    scope: str | None = None,
    actor: str | None = None,
    **fields: object,
) -> EventMention:
    mention = EventMention(
        0,
        40,
        10,
        16,
        "struck",
        "ASSAULT",
        "aerial",
        Modality.ASSERTED,
        actors=(EventRole("jets", 0, 4, actor, "MIL"),) if actor else (),
        killed_low=low,
        killed_high=None if at_least else high if high is not None else low,
        killed_start=20 if low is not None else None,
        killed_end=30 if low is not None else None,
        killed_victims=victims,
        killed_scope=scope,
    )
    return replace(mention, **fields)  # type: ignore[arg-type]


def _refs(*mentions: EventMention, article: str = "") -> list[MentionRef]:
    """One mention per article (a, b, c …) unless ``article`` names one for all."""
    return [
        MentionRef(article or chr(ord("a") + n), n, m, outlet=f"outlet {n}")
        for n, m in enumerate(mentions)
    ]


def _fields(refs: list[MentionRef], claims: dict[str, ArticleClaims] | None = None) -> dict:
    found = comparable_disagreements(refs, claims or {})
    return {(d.field, d.kind): sorted({a.value for a in d.accounts}) for d in found}


@pytest.mark.parametrize(
    ("mentions", "expected"),
    [
        # two outlets, one group: a disagreement
        ((_strike(16, victims="civilians"), _strike(7, victims="civilians")), ["16", "7"]),
        # "12 people" compares with any adult group
        ((_strike(12), _strike(16, victims="civilians")), ["12", "16"]),
        # a sub-count ("including five children") is no toll of the happening
        ((_strike(12), _strike(5, scope="part")), None),
        # a lead's total over several happenings is no toll of one of them
        ((_strike(16, scope="sum"), _strike(7)), None),
        # children are counted inside another toll: compared only with children
        ((_strike(12), _strike(5, victims="children")), None),
        # a pilot's death is not the civilians' toll
        ((_strike(1, victims="military"), _strike(12, victims="civilians")), None),
        # "at least 26" and "26" give one figure; "scores" is not "62 to 100"
        ((_strike(26, at_least=True), _strike(26)), None),
        ((_strike(20, at_least=True), _strike(62, 100)), ["62–100", "≥20"]),
        # beside a third toll, "at least 70" and "70" are shown as the one value they agree on
        ((_strike(70, at_least=True), _strike(70), _strike(12)), ["12", "70"]),
    ],
)
def test_issue12_tolls_compared_only_when_comparable(
    mentions: tuple[EventMention, ...], expected: list[str] | None
) -> None:
    found = _fields(_refs(*mentions))
    assert found.get(("killed", "conflict")) == expected


def test_issue12_each_group_of_victims_is_its_own_field() -> None:
    found = _fields(
        _refs(
            _strike(3, victims="military"),
            _strike(5, victims="military"),
            _strike(12, victims="civilians"),
            _strike(12, victims="civilians"),
        )
    )
    assert found == {("killed military", "conflict"): ["3", "5"]}


def test_issue12_one_voice_giving_two_tolls_is_no_disagreement() -> None:
    # An outlet's own voice giving 12 and 40 in one article tells two happenings.
    assert _fields(_refs(_strike(12), _strike(40), article="a")) == {}


def test_issue12_a_claimant_and_the_outlet_in_one_article_can_disagree() -> None:
    text = "Activists said 40 were killed."
    claim = Claim(
        0,
        len(text),
        ClaimKind.INDIRECT,
        Stance.ASSERT,
        "said",
        10,
        14,
        speaker=Speaker("Activists", 0, 9),
        via=Relay("AFP", 0, 0),
    )
    claimed = replace(_strike(40), claim_id="a-c0")
    refs = _refs(_strike(12), claimed, article="a")
    found = comparable_disagreements(refs, {"a": ArticleClaims("a", text, (claim,))})
    (toll,) = found
    sources = {a.value: (a.source, a.via, a.mention_index) for a in toll.accounts}
    assert sources == {"12": ("author", None, 0), "40": ("Activists", "AFP", 1)}


def test_issue12_named_against_unknown_perpetrator_is_its_own_kind() -> None:
    refs = _refs(_strike(actor="SYR"), _strike(), _strike(actor="RUS"))
    found = _fields(refs)
    assert found[("perpetrator", NAMED_VS_UNKNOWN)] == ["RUS", "SYR", UNKNOWN]
    assert found[("perpetrator", "conflict")] == ["RUS", "SYR"]


def test_issue12_one_country_on_two_sides_is_its_own_kind() -> None:
    """The central dispute of a civil war: one outlet blames the army, another the rebels.
    The country code alone agrees; its sides do not."""

    def blamed(sector: str | None, code: str = "SYR") -> EventMention:
        return _strike(actors=(EventRole("x", 0, 1, code, sector),))

    found = _fields(_refs(blamed("MIL"), blamed("REB"), blamed("GOV")))
    assert found == {("perpetrator", WHICH_SIDE): ["SYR:REB", "SYR:state"]}
    # the army and the government are one side; an account naming no sector takes no side
    assert _fields(_refs(blamed("MIL"), blamed("GOV"), blamed(None))) == {}
    # a civilian or a reporter named as the doer is no side of the war
    assert _fields(_refs(blamed("MIL"), blamed("CVL"), blamed("JRN"))) == {}
    # two countries are a plain conflict, not a question of sides
    assert set(_fields(_refs(blamed("MIL"), blamed("MIL", "RUS")))) == {("perpetrator", "conflict")}


def test_issue12_an_article_that_names_the_perpetrator_elsewhere_is_not_unknown() -> None:
    # its headline restatement names no one, its body does: the article names the doer
    named = MentionRef("a", 0, _strike(actor="SYR"))
    headline = MentionRef("a", 1, replace(_strike(), headline=True))
    other = MentionRef("b", 0, _strike(actor="SYR"))
    assert _fields([named, headline, other]) == {}


def test_issue12_a_doer_named_without_a_code_is_neither_a_value_nor_unknown() -> None:
    # "Gunmen shelled …": the account names a doer that the analysis could not code, or
    # only guessed from the article's country. It is no value to set against a coded doer,
    # and no account of an unknown doer either.
    guessed = _strike(actors=(EventRole("it", 0, 2, "SYR", guessed=True),))
    uncoded = _strike(actors=(EventRole("gunmen", 0, 6, None),))
    for account in (guessed, uncoded):
        assert _fields(_refs(_strike(actor="RUS"), account)) == {}
    # An account that names no doer at all is still shown against the named one.
    found = _fields(_refs(_strike(actor="RUS"), guessed, _strike()))
    assert found == {("perpetrator", NAMED_VS_UNKNOWN): ["RUS", UNKNOWN]}


def test_issue12_dates_and_places_only_as_the_accounts_state_them() -> None:
    day = {"date_granularity": Granularity.DAY}
    said = _strike(date="2016-10-24", date_how="weekday: 'on Monday'", **day)
    other = _strike(date="2016-10-25", date_how="explicit: 'October 25'", **day)
    carried = _strike(date="2016-10-25", date_how="earlier in the paragraph: 'Tuesday'", **day)
    assert _fields(_refs(said, other)) == {("date", "conflict"): ["2016-10-24", "2016-10-25"]}
    assert _fields(_refs(said, carried)) == {}
    # "last week" is its first day at week granularity: any of its seven days may be meant
    week = _strike(
        date="2016-10-24", date_how="relative: 'last week'", date_granularity=Granularity.WEEK
    )
    assert _fields(_refs(week, other)) == {}
    idlib = _strike(place=replace(_IDLIB, how="geonames"), place_text="Idlib")
    aleppo = _strike(place=replace(_ALEPPO, how="geonames"), place_text="Aleppo")
    fallback = _strike(place=replace(_ALEPPO, how="the article's main province"), place_text="x")
    assert _fields(_refs(idlib, aleppo)) == {("place", "conflict"): ["Aleppo", "Idlib"]}
    assert _fields(_refs(idlib, fallback)) == {}


def test_issue12_a_headline_naming_no_one_is_no_unknown_account() -> None:
    named = MentionRef("a", 0, _strike(actor="SYR"))
    headline = MentionRef("b", 0, replace(_strike(), headline=True))
    body = MentionRef("c", 0, _strike())
    assert _fields([named, headline]) == {}
    assert _fields([named, headline, body]) == {("perpetrator", NAMED_VS_UNKNOWN): ["SYR", UNKNOWN]}
