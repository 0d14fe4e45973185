"""Calendar dates as texts print them: the grammar shared by ingest (datelines) and analysis."""

from __future__ import annotations

import re
from datetime import date

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
DATE = (
    rf"{_WEEKDAY}(?:(?P<m1>{MONTH})\s+(?P<d1>{_DAY}),?\s+(?P<y1>{_YEAR})"
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
