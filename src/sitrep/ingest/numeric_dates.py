"""Numeric publication dates in records ("2/23/15", "23.02.2015", "05-09-2013"): which number
is the month.

A spreadsheet or scraper export writes its dates in one order for the whole file, and that
order is only visible where a day is above 12: "2/23/15" can only be month first, "23/2/15"
only day first, while "2/1/15" could be either. The reader learns the file's order from the
values that decide it and reads the undecided ones by it. Before a file has shown its order,
an undecided value is read by the date the article's text prints near its top (a lead such as
"Sun 01 Feb 2015 ..."); with neither, it is left unread and its log says why, rather than
guessed. Two-digit years are read as strptime's ``%y`` reads them (69-99 → 1900s, 00-68 → 2000s).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sitrep.datelines import parse_date

# A numeric date standing alone (optionally followed by a time): day and month in either
# order, one separator used twice, a two- or four-digit year.
_NUMERIC = re.compile(r"^\s*(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?:[\sT,].*)?$")
MONTH_FIRST = "month first"
DAY_FIRST = "day first"
# How far into the text a printed date still reads as its dateline (a headline and a date).
_LEAD_CHARS = 300
# A reading this close to the date the text prints is the one the record meant (a feed's
# date may be a day or two after the text's own, never weeks).
_LEAD_DAYS = 3


def _year(digits: str) -> int:
    value = int(digits)
    if len(digits) == 4:
        return value
    return 1900 + value if value >= 69 else 2000 + value


def _readings(text: str) -> dict[str, date] | None:
    """The valid calendar dates a numeric date can be, by order; None if it is not one."""
    match = _NUMERIC.match(text)
    if match is None:
        return None
    first, second, year = int(match[1]), int(match[3]), _year(match[4])
    readings = {}
    for order, (month, day) in ((MONTH_FIRST, (first, second)), (DAY_FIRST, (second, first))):
        try:
            readings[order] = date(year, month, day)
        except ValueError:
            continue
    return readings


@dataclass
class NumericDates:
    """The day-and-month order one file's numeric dates have shown so far."""

    month_first: int = 0  # values only a month-first reading makes a date
    day_first: int = 0

    @property
    def order(self) -> str | None:
        if self.month_first and not self.day_first:
            return MONTH_FIRST
        if self.day_first and not self.month_first:
            return DAY_FIRST
        return None  # not shown yet, or the file mixes both

    def read(self, value: str, text: str = "") -> tuple[date | None, str] | None:
        """The date a numeric ``value`` stands for and how it was read (None and why, when
        it cannot be told); None when ``value`` is not a numeric date at all. ``text`` is the
        article's, whose printed lead date decides a value the file has not yet decided."""
        readings = _readings(value)
        if readings is None:
            return None
        if not readings:
            return None, f"not a calendar date: {value.strip()[:40]}"
        if len(set(readings.values())) == 1:
            if len(readings) == 1:  # the other order would make no date: it decides
                (decided,) = readings
                self.month_first += decided == MONTH_FIRST
                self.day_first += decided == DAY_FIRST
                return readings[decided], f"record ({decided})"
            return next(iter(readings.values())), "record"
        if self.order is not None:
            return readings[self.order], f"record ({self.order}, as the file's dates show)"
        lead = parse_date(text[:_LEAD_CHARS])
        if lead is not None:
            near = [o for o, d in readings.items() if abs((d - lead).days) <= _LEAD_DAYS]
            if len(near) == 1:
                return readings[near[0]], f"record ({near[0]}, as the text's dateline shows)"
        return None, f"ambiguous: {value.strip()[:40]} (day and month could be either)"
