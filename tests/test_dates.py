"""Temporal expressions resolved against the document date."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.analyze.mentions.dates import estimate_document_date, find_times, infer_year
from sitrep.model import Article, DocumentDate, Granularity, Origin, date_label

SUNDAY = DocumentDate(date(2016, 9, 18), Granularity.DAY, "publication")


def _resolve(text: str, anchor: DocumentDate = SUNDAY) -> list[tuple[str, str | None]]:
    return [(t.text, t.value) for t in find_times(text, anchor)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("today", "2016-09-18"),
        ("yesterday", "2016-09-17"),
        ("on Friday", "2016-09-16"),
        ("Saturday night", "2016-09-17"),
        ("early Sunday", "2016-09-18"),
        ("last October", "2015-10"),
        ("in April", "2016-04"),
        ("since 1999", "1999"),
        ("three days ago", "2016-09-15"),
        ("hours ago", "2016-09-18"),
        ("last week", "2016-09-05"),
        ("this week", "2016-09-12"),
        ("last weekend", "2016-09-10"),
        ("past week", "2016-09-11"),
        ("in recent days", "2016-09"),
        ("currently", "2016-09-18"),
        ("September 17, 2016", "2016-09-17"),
        ("8th April 2017", "2017-04-08"),
        ("Saturday September 17", "2016-09-17"),
    ],
)
def test_expressions_resolve_against_the_document_date(text: str, value: str) -> None:
    assert _resolve(f"It happened {text}.") == [(text, value)]


def test_a_week_is_its_first_day_at_week_granularity() -> None:
    (week,) = find_times("Shelling hit the town last week.", SUNDAY)
    assert (week.value, week.granularity) == ("2016-09-05", Granularity.WEEK)
    month_only = DocumentDate(date(2017, 9, 1), Granularity.MONTH, "publication")
    (vague,) = find_times("Shelling hit the town last week.", month_only)
    assert (vague.value, vague.granularity) == ("2017-08", Granularity.MONTH)


def test_a_week_reads_as_a_week_not_a_day() -> None:
    assert date_label({"value": "2016-09-05", "granularity": "week"}) == "week of 2016-09-05"
    assert date_label({"value": "2016-09-05", "granularity": "day"}) == "2016-09-05"
    assert date_label({"value": None, "granularity": None}) is None


def test_ranges_keep_both_ends() -> None:
    (found,) = find_times("photos made on September 8-12 over the area", SUNDAY)
    assert (found.value, found.end_value) == ("2016-09-08", "2016-09-12")
    (listed,) = find_times("missions (21st, 23rd and 31st January 2017)", SUNDAY)
    assert (listed.value, listed.end_value) == ("2017-01-21", "2017-01-31")


def test_a_weekday_fixes_a_missing_year() -> None:
    assert infer_year(1, 28, "Saturday", None, [2017]) == 2017
    assert infer_year(9, 17, "Saturday", None, [2014, 2016]) == 2016


def test_relative_dates_without_a_document_day_are_months() -> None:
    month_only = DocumentDate(date(2017, 9, 1), Granularity.MONTH, "publication")
    assert _resolve("it ended yesterday", month_only) == [("yesterday", "2017-09")]


def test_document_date_is_estimated_from_the_text_when_the_page_has_none() -> None:
    text = (
        "Polls open on Sunday, September 18, after the strike of Saturday September 17. "
        "In 2014 too."
    )
    article = Article("x", text, Origin("t"))
    estimated = estimate_document_date(article)
    assert estimated.value == date(2016, 9, 18) and estimated.how.startswith("estimated")


@pytest.mark.parametrize(
    ("opening", "day"),
    [
        # The page's date printed above the story, before anything else.
        ("12 Mar 2016 Shells hit the market on Friday.", date(2016, 3, 12)),
        ("Saturday 12 March 2016 Shells hit the market on Friday.", date(2016, 3, 12)),
        # A feed that strips punctuation runs the day into the year ("Mar 12, 2016").
        ("Last updated at Mar 122016 Shells hit the market on Friday.", date(2016, 3, 12)),
    ],
)
def test_the_texts_own_date_outranks_a_record_date_that_disagrees(opening: str, day: date) -> None:
    # A feed's record date is often the day it was collected: the text's own date is the day
    # it speaks from, and the document date says which it used.
    article = Article("x", opening, Origin("t"), published=date(2016, 4, 2))
    estimated = estimate_document_date(article)
    assert estimated.value == day and "dateline" in estimated.how
    assert _resolve("on Friday", estimated) == [("on Friday", "2016-03-11")]
    # A date inside the story, or a sentence that opens with one, is no dateline.
    for text in ("12 Mar 2016 marked five years of war.", "Shells hit the market on 12 Mar 2016."):
        story = Article("y", text, Origin("t"), published=date(2016, 4, 2))
        assert estimate_document_date(story).how == "publication"


def test_modal_may_is_not_a_month() -> None:
    assert _resolve("Russia may respond, officials said.") == []
    assert _resolve("In may the rebels shell the town?") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("In April", "2016-04"),
        ("Last October", "2015-10"),
        ("In 2014", "2014"),
        ("Last Friday", "2016-09-16"),
    ],
)
def test_a_sentence_may_open_with_its_date(text: str, value: str) -> None:
    assert _resolve(f"{text} rebels shelled the town.") == [(text, value)]
