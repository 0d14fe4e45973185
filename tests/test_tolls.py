"""What a death toll counts (analyze/events/tolls.py): the victims' group its noun names, a
sub-count, a lead's total over happenings the article then tells one by one."""

from __future__ import annotations

import pytest

from sitrep.analyze.events.features import ArticleView
from sitrep.analyze.events.tolls import SUM, is_part, mark_sums, victim_group, with_toll
from sitrep.api import analyze_text, make_article
from sitrep.model import EventMention, Modality, Origin, Quantity

from .conftest import SEEDS


def _view(text: str, resources) -> ArticleView:  # type: ignore[no-untyped-def]
    return ArticleView(analyze_text(text, resources=resources), resources.decision_cues)


def _killed(view: ArticleView, low: int) -> Quantity:
    return next(q for q in view.killed if q.low == low)


@pytest.mark.parametrize(
    ("text", "low", "group", "part"),
    [
        (
            "Air strikes killed 16 civilians, including three children, on Monday.",
            16,
            "civilians",
            False,
        ),
        ("Another seven people died in raids on a village nearby.", 7, None, False),
        ("A pilot was killed when his jet crashed near the base.", 1, "military", False),
        ("Dozens of soldiers were killed in the ambush.", 24, "military", False),
        ("Twelve people died. Among the dead were five children.", 5, "children", True),
    ],
)
def test_tolls_victims_group_and_subcount(  # type: ignore[no-untyped-def]
    resources, text: str, low: int, group: str | None, part: bool
) -> None:
    view = _view(text, resources)
    toll = _killed(view, low)
    assert (victim_group(view, toll), is_part(view, toll)) == (group, part)


def _strike(view: ArticleView, toll: Quantity) -> EventMention:
    mention = EventMention(0, 10, 0, 3, "air strikes", "ASSAULT", "aerial", Modality.ASSERTED)
    return with_toll(view, mention, toll)


@pytest.mark.parametrize(("lead", "is_sum"), [("Sixteen", True), ("Twenty", False)])
def test_tolls_a_lead_that_totals_the_happenings_told_after_it_is_a_sum(  # type: ignore[no-untyped-def]
    resources, lead: str, is_sum: bool
) -> None:
    text = (
        f"{lead} civilians were killed on Monday in air strikes on three towns in Idlib "
        "province. In Kafr Nabl, air strikes killed seven people. Seven people were killed in "
        "Saraqeb. In Binnish, two people were killed by rocket fire."
    )
    view = _view(text, resources)
    total = _killed(view, 16 if is_sum else 20)
    (marked,) = mark_sums(view, [_strike(view, total)])
    assert (marked.killed_scope == SUM) is is_sum
    assert (marked.killed_start, marked.killed_end) == (total.start, total.end)


def test_tolls_a_vague_count_is_no_part_of_a_sum(resources) -> None:  # type: ignore[no-untyped-def]
    # "a large number" is no count (it was once read as one, which with three would make
    # the lead's four)
    text = (
        "Four fighters were killed on Monday in clashes in Daraa province. In Nawa, army units "
        "killed a large number of terrorists. Three fighters were killed in Jasim."
    )
    view = _view(text, resources)
    assert sorted(q.low or 0 for q in view.killed) == [3, 4]
    (marked,) = mark_sums(view, [_strike(view, _killed(view, 4))])
    assert marked.killed_scope is None


def test_tolls_the_deir_ez_zor_strike_counts_soldiers(resources) -> None:  # type: ignore[no-untyped-def]
    # The seed page's own range of the strike's toll, read in place.
    page = (SEEDS / "004_eceadabca35864d4.txt").read_text(encoding="utf-8")
    article = make_article(page, Origin("004"))
    assert not isinstance(article, type(None))
    view = ArticleView(analyze_text(article.text, resources=resources), resources.decision_cues)
    toll = next(q for q in view.killed if (q.low, q.high) == (62, 100))
    assert victim_group(view, toll) == "military"
    assert not is_part(view, toll)


def test_the_victims_a_count_names_include_its_of_phrase(resources) -> None:  # type: ignore[no-untyped-def]
    # "A total of 14 ISIS fighters": who was killed is told after "of", and codes the option.
    from sitrep.analyze.events.extract import find_candidates
    from sitrep.analyze.events.options import entity_options

    document = analyze_text(
        "A total of 14 ISIS fighters were killed in air strikes near the border on Tuesday.",
        resources=resources,
    )
    view = ArticleView(document, resources.decision_cues, resources.actors)
    options = entity_options(view, find_candidates(document, resources))
    victims = [o for o in options if o.found_by == "casualty count"]
    assert [(o.text, o.actor and o.actor.code) for o in victims] == [
        ("A total of 14 ISIS fighters", "ISIS")
    ]


def test_the_people_a_count_names_are_one_option(resources) -> None:  # type: ignore[no-untyped-def]
    # The count's phrase "At least 9 villagers" holds the entity "9 villagers": the role heads
    # are offered them once, as the count's victims, and the entity drops "at least" whole.
    from sitrep.analyze.events.extract import find_candidates
    from sitrep.analyze.events.options import entity_options

    document = analyze_text(
        "At least 9 villagers were killed when shells hit the market of a town on Sunday.",
        resources=resources,
    )
    assert "9 villagers" in [e.text for e in document.entities]
    view = ArticleView(document, resources.decision_cues, resources.actors)
    options = entity_options(view, find_candidates(document, resources))
    assert [o.text for o in options if "villagers" in o.text] == ["At least 9 villagers"]


@pytest.mark.parametrize(
    "text",
    [
        "Car bomb kills 45 in Syrian town.\n\nAt least 45 people were killed on Friday when a car"
        " bomb exploded near a mosque in the town of Jableh, a monitor said.",
        "A car bomb killed 45 people near a mosque in Jableh on Friday. At least 45 people died"
        " in the blast, the monitor said.",
    ],
)
def test_tolls_a_count_hedged_in_one_telling_stays_open_ended(resources, text: str) -> None:  # type: ignore[no-untyped-def]
    counted = [
        e for e in analyze_text(text, resources=resources).events if e.modality.counts_as_event
    ]
    assert [(e.killed_low, e.killed_high) for e in counted] == [(45, None)]
