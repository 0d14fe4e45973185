"""Temporal expressions, resolved against the date the text speaks from.

Explicit dates ("September 17, 2016"), dates missing a year ("Saturday September 17": the
weekday fixes the year), months ("last October", "in April": the latest such month not
after the document date), years ("since 1999"), ranges ("September 8-12") and relative
expressions ("today", "yesterday", "on Friday", "three days ago", "last week", "recently").
When the article carries no publication date, the document date is estimated as the latest
full date the text itself names.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from sitrep.datelines import (
    DAY,
    WEEKDAYS,
    Found,
    day_number,
    explicit_day,
    infer_year,
    latest_date_in_text,
    month_number,
    scan,
    text_dateline,
    years_named,
)
from sitrep.model import Article, DocumentDate, Granularity, TimeMention

NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "several": 3,
    "few": 3,
    "a few": 3,
    "couple of": 2,
    "a couple of": 2,
}
# How far back vague recency reaches, in days (a reading of common news usage, not a rule):
# what happened "recently" is placed a week before the document date, and so on.
_VAGUE_DAYS_BACK = {
    "recently": 7,
    "in recent days": 3,
    "in recent weeks": 14,
    "in recent months": 60,
}
# Words that place a state on the day the text speaks from, not merely in its month.
_PRESENT_DAY = frozenset(("currently", "at this hour"))
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365, "hour": 0, "minute": 0}


def _iso(value: date, granularity: Granularity) -> str:
    if granularity in (Granularity.DAY, Granularity.WEEK):
        return value.isoformat()
    if granularity is Granularity.MONTH:
        return value.strftime("%Y-%m")
    return str(value.year)


def _latestmonth_number(month: int, anchor: date, strictly_before: bool) -> date:
    year = (
        anchor.year
        if (month < anchor.month or (month == anchor.month and not strictly_before))
        else anchor.year - 1
    )
    return date(year, month, 1)


# The document date's ``how`` when it comes from the text's own dateline.
FROM_DATELINE = "the text's dateline"


def estimate_document_date(article: Article) -> DocumentDate:
    """The date the text speaks from: the dateline it prints itself where that contradicts
    the record's publication date (relative dates count from the day the text was written,
    and a feed's date is often the day it was collected); else the publication date; else
    the latest full date the text (or its page) names."""
    dateline = text_dateline(article.text)
    if dateline is not None and article.published and dateline[0] != article.published:
        return DocumentDate(
            dateline[0], Granularity.DAY, f"{FROM_DATELINE} (the record says {article.published})"
        )
    if article.published:
        granularity = (
            Granularity(article.published_precision)
            if article.published_precision
            else Granularity.DAY
        )
        return DocumentDate(article.published, granularity, "publication")
    candidates = [d for d in (latest_date_in_text(article.text),) if d]
    page_hint = article.provenance.get("page_latest_date")
    if page_hint:
        candidates.append(date.fromisoformat(page_hint))
    if not candidates:
        return DocumentDate(None, None, "unknown")
    return DocumentDate(
        max(candidates), Granularity.DAY, "estimated: the latest date the text names"
    )


def resolve(found: Found, anchor: DocumentDate, years: list[int]) -> TimeMention:
    match, groups = found.match, found.match.groupdict()
    base = anchor.value
    value: str | None = None
    end_value: str | None = None
    granularity: Granularity | None = None
    how = "explicit"
    try:
        if found.kind in ("full", "iso") or (
            found.kind == "month_day" and (groups.get("wd") or groups.get("this"))
        ):
            day = explicit_day(found, base, years)
            if day is None and found.kind == "month_day":
                raise ValueError
            if day is not None:
                value, granularity = day.isoformat(), Granularity.DAY
                how = "explicit" if found.kind in ("full", "iso") else "explicit, year inferred"
        elif found.kind == "month_day":
            month, day_of_month = month_number(groups["month"]), day_number(groups["day"])
            year = infer_year(month, day_of_month, None, base, years)
            if year:
                value, granularity, how = (
                    date(year, month, day_of_month).isoformat(),
                    Granularity.DAY,
                    "explicit, year inferred",
                )
        elif found.kind == "day_list":
            month, year = month_number(groups["month"]), int(groups["year"])
            days = sorted(day_number(d) for d in re.findall(DAY, groups["days"]))
            value = date(year, month, days[0]).isoformat()
            end_value = date(year, month, days[-1]).isoformat()
            granularity = Granularity.DAY
        elif found.kind == "range":
            month = month_number(groups["month"])
            year = (
                int(groups["year"])
                if groups.get("year")
                else infer_year(month, day_number(groups["d1"]), None, base, years)
            )
            if year:
                value = date(year, month, day_number(groups["d1"])).isoformat()
                end_value = date(year, month, day_number(groups["d2"])).isoformat()
                granularity = Granularity.DAY
                how = "explicit" if groups.get("year") else "explicit, year inferred"
        elif found.kind == "month_year":
            value, granularity = (
                f"{int(groups['year']):04d}-{month_number(groups['month']):02d}",
                Granularity.MONTH,
            )
        elif found.kind == "month":
            if base:
                strictly = groups["rel"].lower() == "last"
                month_date = _latestmonth_number(month_number(groups["month"]), base, strictly)
                if groups["rel"].lower() == "next":
                    month_date = date(
                        base.year + (month_number(groups["month"]) <= base.month),
                        month_number(groups["month"]),
                        1,
                    )
                value, granularity, how = (
                    month_date.strftime("%Y-%m"),
                    Granularity.MONTH,
                    "explicit, year inferred",
                )
        elif found.kind == "year":
            value, granularity = groups["year"], Granularity.YEAR
        elif base is not None:
            value, granularity, how = _relative(found, base, anchor)
    except (ValueError, KeyError):
        value, granularity, how = None, None, "unreadable"
    if value is None and how == "explicit":
        how = "no document date to count from"
    return TimeMention(
        match.start(), match.end(), match.group(0), value, granularity, how, end_value
    )


_MAX_DIGITS = 9  # a count of days, weeks or years ago longer than this is no date


def _relative(
    found: Found, base: date, anchor: DocumentDate
) -> tuple[str | None, Granularity | None, str]:
    groups = found.match.groupdict()
    day_precise = anchor.granularity is Granularity.DAY
    if found.kind == "relative_day":
        word = groups["word"].lower()
        shift = (
            -2
            if "before" in word
            else -1
            if word.startswith("yesterday") or word == "last night"
            else 1
            if word.startswith("tomorrow")
            else 0
        )
        if not day_precise:  # the document's day is unknown: only its month can be given
            return _iso(base, Granularity.MONTH), Granularity.MONTH, "relative (document month)"
        return _iso(base + timedelta(days=shift), Granularity.DAY), Granularity.DAY, "relative"
    if found.kind == "weekday":
        target = WEEKDAYS[groups["wd"].lower()]
        rel = (groups.get("rel") or "").lower()
        back = (base.weekday() - target) % 7
        if rel == "last" and back == 0:
            back = 7
        if not day_precise:
            return _iso(base, Granularity.MONTH), Granularity.MONTH, "weekday (document month)"
        day = (
            base + timedelta(days=(target - base.weekday()) % 7)
            if rel == "next"
            else base - timedelta(days=back)
        )
        return _iso(day, Granularity.DAY), Granularity.DAY, "weekday"
    if found.kind == "ago":
        raw = (groups["n"] or "1").lower()
        if raw.isdigit() and len(raw) > _MAX_DIGITS:  # int() refuses 4,300 digits and more
            return None, None, "relative (out of the calendar)"
        n = int(raw) if raw.isdigit() else NUMBER_WORDS.get(raw, 1)
        unit = groups["unit"].lower()
        try:
            day = base - timedelta(days=n * _UNIT_DAYS[unit])
        except OverflowError:  # "6666666666 days ago" lies before the calendar begins
            return None, None, "relative (out of the calendar)"
        granularity = (
            Granularity.DAY
            if unit in ("hour", "day") and day_precise
            else Granularity.MONTH
            if unit != "year"
            else Granularity.YEAR
        )
        return _iso(day, granularity), granularity, "relative"
    if found.kind == "period":
        rel, unit = groups["rel"].lower(), groups["unit"].lower()
        step = -1 if rel in ("last", "past") else 1 if rel == "next" else 0
        if unit in ("week", "weekend"):
            if not day_precise:
                return (
                    _iso(base + timedelta(days=7 * step), Granularity.MONTH),
                    Granularity.MONTH,
                    "relative",
                )
            return (
                _iso(_week_start(base, step, unit, rel == "past"), Granularity.WEEK),
                Granularity.WEEK,
                "relative",
            )
        if unit == "month":
            month_index = base.year * 12 + base.month - 1 + step
            return (
                f"{month_index // 12:04d}-{month_index % 12 + 1:02d}",
                Granularity.MONTH,
                "relative",
            )
        return str(base.year + step), Granularity.YEAR, "relative"
    # vague: "recently" looks back about a week, "in recent days" a few days, "currently" none
    phrase = " ".join(groups["word"].lower().split())
    if phrase in _PRESENT_DAY and day_precise:  # "currently besieged": on the text's own day
        return _iso(base, Granularity.DAY), Granularity.DAY, "relative (the text's day)"
    back = _VAGUE_DAYS_BACK.get(phrase, 0)
    return (
        _iso(base - timedelta(days=back), Granularity.MONTH),
        Granularity.MONTH,
        "relative (vague)",
    )


def _week_start(base: date, step: int, unit: str, past: bool) -> date:
    """The first day of the week ``step`` weeks from the document's (weeks start on Monday;
    "the past week" is the seven days before), or the Saturday of the weekend."""
    if past:
        return base - timedelta(days=7)
    monday = base - timedelta(days=base.weekday()) + timedelta(days=7 * step)
    return monday + timedelta(days=5) if unit == "weekend" else monday


def find_times(text: str, anchor: DocumentDate) -> list[TimeMention]:
    """Every temporal expression, resolved; one counted from the text's own dateline says so."""
    years = years_named(text)
    times = [resolve(found, anchor, years) for found in scan(text)]
    if anchor.how.startswith(FROM_DATELINE):
        times = [
            replace(t, how=f"{t.how} (from {FROM_DATELINE})")
            if t.how.startswith(("relative", "weekday"))
            else t
            for t in times
        ]
    return times


# An undated happening in a news text is usually on the day the text is about, which can be a
# day or two before it was written ("Saturday's strike" in Sunday's paper). That day is the
# day the text names most often (at least twice), no more than this many days before the
# document date.
FOCUS_MAX_DAYS_BEFORE = 7
FOCUS_MIN_MENTIONS = 2  # one mention of a day does not make it what the text is about
# Expressions that only restate the writing time ("today", "hours ago") say nothing about focus.
_NOW = re.compile(
    r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening)|hours?\s+ago|minutes?\s+ago)\b", re.I
)


def focus_date(times: list[TimeMention], anchor: DocumentDate) -> str | None:
    """The day the text is about: its most often named day near the document date."""
    if anchor.value is None:
        return None
    counts: dict[str, int] = {}
    for time in times:
        restates_now = _NOW.search(time.text) is not None
        if (
            time.granularity is Granularity.DAY
            and time.value
            and time.end_value is None
            and not restates_now
        ):
            day = date.fromisoformat(time.value)
            if timedelta(0) <= anchor.value - day <= timedelta(days=FOCUS_MAX_DAYS_BEFORE):
                counts[time.value] = counts.get(time.value, 0) + 1
    named = {value: n for value, n in counts.items() if n >= FOCUS_MIN_MENTIONS}
    if not named:
        return None
    # On a tie the earlier day: news reports happenings after they happen.
    return min(named, key=lambda value: (-named[value], value))
