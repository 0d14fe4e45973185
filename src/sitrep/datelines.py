"""Calendar dates as texts print them: the grammar shared by ingest (datelines) and analysis."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import chain

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_WEEKDAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)?"

# One calendar date: "September 26, 2017", "25 September 2017", "2017-09-26", "Sept. 3rd 2016".
# A feed that strips punctuation runs a month-first date's day into its year ("Aug 142016"
# for "Aug 14, 2016"): a year is four digits from 19 or 20, so the split is never in doubt.
DATE = (
    rf"{_WEEKDAY}(?:(?P<m1>{MONTH})\s+(?P<d1>{_DAY}),?\s*(?P<y1>{_YEAR})"
    rf"|(?P<d2>{_DAY})\s+(?P<m2>{MONTH}),?\s+(?P<y2>{_YEAR})"
    rf"|(?P<y3>{_YEAR})-(?P<m3>[01]\d)-(?P<d3>[0-3]\d))"
)
_DATE_RE = re.compile(DATE, re.IGNORECASE)
_TIME = r"\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?"
# A line that is nothing but a date, optionally with a time: "6:39 pm on September 17, 2016".
DATE_ONLY_LINE = re.compile(
    rf"^\s*(?:(?:Posted|Published|Updated)(?: on)?:?\s+)?(?:{_TIME}\s+(?:on\s+)?)?"
    rf"(?:{DATE})(?:,?\s+(?:at\s+)?{_TIME})?\s*$",
    re.IGNORECASE,
)


# A dateline printed inside an article's own text, which a record's date may contradict
# (a feed's date is often the day it was collected): "Date of publication 11 August 2016",
# "Last updated at Aug 14 2016", "Published November 23 2017", "AFP Saturday 25 Jun 2016".
TEXT_DATELINE = re.compile(
    rf"(?:\b(?:Date of publication|Last updated(?: at| on)?|(?:Published|Updated|Posted)"
    rf"(?: on)?)\s*:?\s*|\b(?:AFP|Reuters|AP|Agence France-Presse)\s+)(?P<date>{DATE})",
    re.IGNORECASE,
)


# A date that opens the text, before a headline or lead ("21 Jul 2016 Dozens of …",
# "Wednesday 10 Aug 2016 Rebel fire …"): the page's date printed above its story. What
# follows starts as a headline or sentence does (a capital, a figure, a quotation mark); a
# sentence that opens with a date goes on in lower case ("March 15, 2011 marked the …").
_OPENING_DATE = re.compile(rf"\s*(?P<date>{DATE})(?=\s+(?-i:[A-Z0-9\"'“‘(]))", re.IGNORECASE)


def text_dateline(text: str) -> tuple[date, tuple[int, int]] | None:
    """The first dateline the text itself prints, and where (None if it prints none): a date
    that opens the text, or one after a dateline's words anywhere in it."""
    opening = _OPENING_DATE.match(text)
    for match in chain([opening] if opening else [], TEXT_DATELINE.finditer(text)):
        found = _DATE_RE.fullmatch(match.group("date"))
        value = date_from_match(found) if found else None
        if value is not None:
            return value, match.span("date") if match is opening else match.span()
    return None


def parse_date(text: str) -> date | None:
    """The first explicit calendar date in ``text`` (None if it names none, or an invalid one)."""
    match = _DATE_RE.search(text)
    return date_from_match(match) if match else None


def date_from_match(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    try:
        if groups.get("y3"):
            return date(int(groups["y3"]), int(groups["m3"]), int(groups["d3"]))
        n = "1" if groups.get("y1") else "2"
        month = _MONTHS[groups[f"m{n}"].lower()[:3]]
        day = int(re.sub(r"\D", "", groups[f"d{n}"]))
        return date(int(groups[f"y{n}"]), month, day)
    except (KeyError, ValueError):
        return None


# Dates as running text prints them, relative ones included (read by analysis, whose
# dates stage resolves them; ingest uses the latest full date a page names).
WEEKDAYS = {
    d: i
    for i, d in enumerate(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    )
}
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?:19|20)\d\d"

# Ordered: the first pattern that matches at a position wins (longest forms first).
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "day_list",
        re.compile(
            rf"\b(?P<days>{DAY}(?:\s*(?:,|and)\s*{DAY})+)\s+(?P<month>{MONTH}),?\s+(?P<year>{YEAR})\b"
        ),
    ),
    (
        "range",
        re.compile(
            rf"\b(?P<month>{MONTH})\s+(?P<d1>{DAY})\s*[-–]\s*(?P<d2>{DAY})(?:,?\s+(?P<year>{YEAR}))?\b"
        ),
    ),
    (
        "full",
        re.compile(
            rf"\b(?:(?P<wd>{WEEKDAY}),?\s+)?(?P<month>{MONTH})\s+(?P<day>{DAY}),?\s+(?P<year>{YEAR})\b"
        ),
    ),
    (
        "full",
        re.compile(
            rf"\b(?:(?P<wd>{WEEKDAY}),?\s+)?(?:the\s+)?(?P<day>{DAY})\s+(?:of\s+)?(?P<month>{MONTH}),?\s+(?P<year>{YEAR})\b"
        ),
    ),
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    (
        "month_day",
        re.compile(
            rf"\b(?:(?P<wd>{WEEKDAY}),?\s+)?(?P<month>{MONTH})\s+(?P<day>{DAY})\b(?!\s*[-–,]?\s*\d)(?P<this>\s+this\s+year)?"
        ),
    ),
    (
        "month_day",
        re.compile(
            rf"\b(?:(?P<wd>{WEEKDAY}),?\s+)?(?:the\s+)?(?P<day>{DAY})\s+(?:of\s+)?(?P<month>{MONTH})\b(?!\s*,?\s*(?:19|20)\d\d)"
        ),
    ),
    ("month_year", re.compile(rf"\b(?P<month>{MONTH}),?\s+(?P<year>{YEAR})\b")),
    (
        "month",
        re.compile(
            rf"\b(?P<rel>(?i:last|this|next|early|late|mid|mid-|in|since|by|until|back in|during))"
            rf"\s+(?P<month>{MONTH})\b(?!\s*\d)"
        ),
    ),
    (
        "year",
        re.compile(
            rf"\b(?P<rel>(?i:in|since|by|until|of|during|from|before|after|early|late|mid-?))\s+(?P<year>{YEAR})\b(?![-–/]\d)"
        ),
    ),
    (
        "relative_day",
        re.compile(
            r"\b(?P<word>(?:the\s+day\s+before\s+)?yesterday|today|tonight|tomorrow|this\s+(?:morning|afternoon|evening)|last\s+night)(?:['’]s)?\b",
            re.I,
        ),
    ),
    (
        "weekday",
        re.compile(
            rf"\b(?:(?P<rel>last|this|next|early|late|on)\s+)?(?P<wd>{WEEKDAY})(?:\s+(?:morning|afternoon|evening|night))?\b",
            re.I,
        ),
    ),
    (
        "ago",
        re.compile(
            r"\b(?:(?P<n>\d+|a few|a couple of|couple of|several|few|an?|one|two|three|four|five"
            r"|six|seven|eight|nine|ten)\s+)?(?P<unit>hour|day|week|month|year)s?\s+(?:ago|earlier)\b",
            re.I,
        ),
    ),
    (
        "period",
        re.compile(r"\b(?P<rel>last|this|next|past)\s+(?P<unit>week|weekend|month|year)\b", re.I),
    ),
    (
        "vague",
        re.compile(
            r"\b(?P<word>recently|in\s+recent\s+(?:days|weeks|months)|currently|so\s+far|at\s+this\s+hour|latest|nowadays|these\s+days)\b",
            re.I,
        ),
    ),
]


def month_number(name: str) -> int:
    return _MONTHS[name.lower()[:3]]


def day_number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def infer_year(
    month: int, day: int, weekday: str | None, anchor: date | None, years: list[int]
) -> int | None:
    """The year of a day-and-month: the weekday pins it, else the anchor's year (going back a
    year if that would put the date more than a month after the anchor)."""
    if weekday:
        target = WEEKDAYS[weekday.lower()]
        centre = anchor.year if anchor else (max(years) if years else None)
        if centre is None:
            return None
        for offset in (0, -1, 1, -2, 2, -3, 3, -4, 4, -5, 5, -6, 6):
            try:
                if date(centre + offset, month, day).weekday() == target:
                    return centre + offset
            except ValueError:
                return None
        return None
    if anchor is None:
        return max(years) if years else None
    try:
        candidate = date(anchor.year, month, day)
    except ValueError:
        return None
    return anchor.year - 1 if candidate - anchor > timedelta(days=31) else anchor.year


@dataclass
class Found:
    kind: str
    match: re.Match[str]


def scan(text: str) -> Iterator[Found]:
    taken: list[tuple[int, int]] = []
    hits = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            span = match.span()
            if any(s < span[1] and span[0] < e for s, e in taken):
                continue
            taken.append(span)
            hits.append(Found(kind, match))
    yield from sorted(hits, key=lambda h: h.match.start())


def years_named(text: str) -> list[int]:
    return [int(y) for y in re.findall(rf"\b({YEAR})\b", text)]


def latest_date_in_text(text: str) -> date | None:
    """The latest full date a text names, years supplied by weekdays or "this year"."""
    years = years_named(text)
    latest: date | None = None
    for found in scan(text):
        value = explicit_day(found, None, years, this_year=max(years) if years else None)
        if value and (latest is None or value > latest):
            latest = value
    return latest


def explicit_day(
    found: Found, anchor: date | None, years: list[int], this_year: int | None = None
) -> date | None:
    groups = found.match.groupdict()
    try:
        if found.kind == "full":
            return date(
                int(groups["year"]), month_number(groups["month"]), day_number(groups["day"])
            )
        if found.kind == "iso":
            return date(int(groups["year"]), int(groups["m"]), int(groups["d"]))
        if found.kind == "month_day":
            month, day = month_number(groups["month"]), day_number(groups["day"])
            if groups.get("this") and (anchor or this_year):
                return date(anchor.year if anchor else this_year or 0, month, day)
            if groups.get("wd") or (anchor is None and groups.get("this")):
                year = infer_year(month, day, groups.get("wd"), anchor, years)
                return date(year, month, day) if year else None
    except ValueError:
        return None
    return None
