"""Reading the header of a raw text page: headline, byline, outlet, dateline.

A header is a handful of short lines before the body. Each recogniser below looks at one
line (joining the wrapped continuation lines of hard-wrapped pages) and says what it is;
recognised lines are metadata and leave the body.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sitrep.datelines import DATE, DATE_ONLY_LINE, parse_date
from sitrep.ingest.cues import page_cues
from sitrep.ingest.lines import Line
from sitrep.ingest.outlets import outlet_for_domain, outlet_for_name

_NAME_TOKEN = r"(?:[A-Z][\w'’.-]*|de|del|der|van|von|al|el|bin|ibn|da|di|le|la)"
_NAMES = rf"{_NAME_TOKEN}(?:(?:\s+|\s*,\s*|\s+and\s+|\s*&\s*){_NAME_TOKEN}){{0,9}}"
_BYLINE = re.compile(rf"^By:?\s+(?P<names>{_NAMES})$")
_NAME_ONLY = re.compile(rf"^{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,2}}$")
_OUTLET_DATELINE = re.compile(rf"^(?P<outlet>[A-Z][\w .&'’-]{{1,40}}?),\s*(?P<date>{DATE})$")
_NAME_DATELINE = re.compile(rf"^(?P<who>[A-Z][\w .&'’-]{{1,40}}?)\s+(?P<date>{DATE})$")
_QUOTED = re.compile(r"^[\"“](?P<name>[^\"”]{2,60})[\"”]$")
_DASH_SOURCE = re.compile(r"^[-–—|]\s*[\"“]?(?P<name>[^\"”]{1,40}?)[\"”]?$")
_LONE_DASH = re.compile(r"^[-–—|]+$")
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|\band\b|&)\s*")
_SENTENCE_END = re.compile(r"[.!?:;,]$")

# A header has at most this many lines (title excluded), and ends after this many body lines.
# Calibrated on the seed pages (the longest header, 000's, has 9 metadata lines).
HEADER_WINDOW = 14
HEADER_CONTENT_LINES = 3
TITLE_MAX_LINES = 3
TITLE_MAX_WORDS = 40


@dataclass
class Header:
    title: str | None = None
    title_lines: list[int] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    outlet: str | None = None
    published: date | None = None
    dropped: set[int] = field(default_factory=set)
    body_start: int = 0  # index of the first body line
    provenance: dict[str, str] = field(default_factory=dict)

    def set_outlet(self, name: str | None, how: str) -> None:
        if name and not self.outlet:
            self.outlet, self.provenance["outlet"] = name, how

    def set_published(self, when: date | None, how: str) -> None:
        if when and not self.published:
            self.published, self.provenance["published"] = when, how


# A recogniser gets (lines, index, header) and returns how many lines it consumed (0 = not its).
Recogniser = Callable[[list[Line], int, Header], int]


def _next_nonblank(lines: list[Line], i: int) -> int | None:
    for j in range(i + 1, len(lines)):
        if not lines[j].blank:
            return j
    return None


def _relay(lines: list[Line], i: int, header: Header) -> int:
    match = page_cues().relay.match(lines[i].clean)
    if not match or len(match["source"].split()) > 6:
        return 0
    source = match["source"].strip(" .")
    header.set_outlet(outlet_for_domain(source) or outlet_for_name(source) or source, "relay line")
    return 1


def _label(lines: list[Line], i: int, header: Header) -> int:
    if not page_cues().header_label.match(lines[i].clean):
        return 0
    consumed, previous = 1, lines[i].clean
    j = _next_nonblank(lines, i)
    while j is not None and lines[j].words <= 8 and not _SENTENCE_END.search(lines[j].clean):
        text = lines[j].clean
        wraps = previous.endswith(",") or text[:1].islower()
        if not wraps or _recognise(lines, j, Header()):
            break
        consumed, previous = j - i + 1, text
        j = _next_nonblank(lines, j)
    return consumed


def _byline(lines: list[Line], i: int, header: Header) -> int:
    text = lines[i].clean
    match = _BYLINE.match(text)
    if not match:
        return 0
    names, consumed = match["names"], 1
    following = lines[i + 1] if i + 1 < len(lines) else None
    # A hard-wrapped byline continues on the next line: "By Federico" / "Pieraccini".
    wrapped = following and not following.blank and _NAME_ONLY.match(following.clean)
    if following and wrapped and not parse_date(following.clean):
        names, consumed = f"{names} {following.clean}", 2
    if not header.authors:
        header.authors = [n for n in _AUTHOR_SPLIT.split(names) if n]
        header.provenance["authors"] = "byline"
    return consumed


def _datelines(lines: list[Line], i: int, header: Header) -> int:
    text = " ".join(lines[i].clean.split())
    if match := _OUTLET_DATELINE.match(text):
        outlet = match["outlet"]
        header.set_outlet(outlet_for_name(outlet) or outlet, "dateline")
        header.set_published(parse_date(match["date"]), "dateline")
        return 1
    if DATE_ONLY_LINE.match(text):
        header.set_published(parse_date(text), "dateline")
        return 1
    if match := _NAME_DATELINE.match(text):
        # "The Saker 25 September 2017": the original author's date of a repost.
        header.provenance.setdefault("original_published", str(parse_date(match["date"])))
        return 1
    return 0


def _quoted_outlet(lines: list[Line], i: int, header: Header) -> int:
    text = lines[i].clean
    if text[:1] not in '"“':
        return 0
    for width in range(1, 4):  # a quoted name may be wrapped over up to three lines
        chunk = lines[i : i + width]
        if any(line.blank for line in chunk):
            return 0
        match = _QUOTED.match(" ".join(line.clean for line in chunk))
        if match:
            name = match["name"].strip()
            if len(name.split()) > 6:
                return 0
            header.set_outlet(outlet_for_name(name) or name, "quoted masthead")
            return width
    return 0


def _dash_source(lines: list[Line], i: int, header: Header) -> int:
    text = lines[i].clean.strip()
    if _LONE_DASH.match(text):
        return 1
    match = _DASH_SOURCE.match(text)
    if match and len(match["name"].split()) <= 5:
        header.provenance.setdefault("reposted_from", match["name"].strip())
        return 1
    return 0


_RECOGNISERS: tuple[Recogniser, ...] = (
    _relay,
    _label,
    _byline,
    _datelines,
    _quoted_outlet,
    _dash_source,
)


def _recognise(lines: list[Line], i: int, header: Header) -> int:
    for recogniser in _RECOGNISERS:
        consumed = recogniser(lines, i, header)
        if consumed:
            return consumed
    return 0


def _title(lines: list[Line], header: Header) -> int:
    """Find the headline; returns the index where the header scan continues."""
    i = _next_nonblank(lines, -1)
    while i is not None and (consumed := _recognise(lines, i, header)):  # page starts with a field
        header.dropped.update(range(i, i + consumed))
        i = _next_nonblank(lines, i + consumed - 1)
    if i is None:
        return len(lines)
    candidate: list[int] = []
    j: int | None = i
    while j is not None and j < len(lines) and not lines[j].blank:
        if len(candidate) == TITLE_MAX_LINES or _recognise(lines, j, Header()):
            break
        candidate.append(j)
        j += 1
    ended_by_field = j is not None and j < len(lines) and not lines[j].blank
    if len(candidate) > 1 and not ended_by_field:
        candidate = candidate[:1]  # a hard-wrapped page with no byline: trust one line only
    words = sum(lines[k].words for k in candidate)
    first = lines[candidate[0]].clean
    if words > TITLE_MAX_WORDS or (first.endswith(".") and words > 15):
        return i  # the page opens with prose: no headline
    header.title = " ".join(" ".join(lines[k].clean for k in candidate).split())
    header.title_lines = candidate
    header.provenance["title"] = "first line"
    return candidate[-1] + 1


def read_header(lines: list[Line]) -> Header:
    header = Header()
    i: int | None = _title(lines, header)
    body_start: int | None = None
    content_seen = scanned = 0
    i = _next_nonblank(lines, (i or 0) - 1)
    while i is not None and scanned < HEADER_WINDOW and content_seen < HEADER_CONTENT_LINES:
        consumed = _recognise(lines, i, header)
        if consumed:
            header.dropped.update(range(i, i + consumed))
            i = _next_nonblank(lines, i + consumed - 1)
        else:
            content_seen += 1
            body_start = i if body_start is None else body_start
            i = _next_nonblank(lines, i)
        scanned += 1
    if body_start is None:
        body_start = i if i is not None else len(lines)
    header.body_start = body_start
    return header
