"""Assembling an Article (id, language) from what a reader found."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sitrep.datelines import parse_date, text_dateline
from sitrep.ingest.language import detect_language
from sitrep.model import (
    Article,
    DatePrecision,
    IngestOutcome,
    Origin,
    Skip,
    SkipReason,
    clean_string,
    content_id,
)

_YEAR_MONTH = re.compile(r"^\s*((?:19|20)\d\d)-([01]\d)\s*$")
_YEAR = re.compile(r"^\s*((?:19|20)\d\d)\s*$")
log = logging.getLogger(__name__)
_NUL = "\x00"
_UNDECODED = re.compile("[\udc80-\udcff]")  # bytes a reader kept with "surrogateescape"
_STRING_FIELDS = ("title", "outlet", "url", "external_id")


# A record's title run into its text: feeds and spreadsheets often print the title again at
# the top of the text, after at most a dateline ("Fri Sep 27 2013 <title> . <body>").
_TITLE_REACH = 80  # characters before the title (a dateline, a byline's date)
_MIN_TITLE = 15  # a shorter title is too likely to recur in a body sentence


def title_run_in(text: str, title: str | None) -> int:
    """Where the body starts when the text opens with the record's title (within a short
    prefix); 0 when it does not."""
    title = (title or "").strip()
    if len(title) < _MIN_TITLE:
        return 0
    at = text.find(title, 0, _TITLE_REACH + len(title))
    if at < 0 or "\n\n" in text[:at]:
        return 0
    return _after_separators(text, at + len(title), 0)


def _after_separators(text: str, end: int, otherwise: int) -> int:
    """Where the body starts after a headline or dateline ending at ``end``: past the spaces
    and separators that follow it; ``otherwise`` when nothing follows."""
    while end < len(text) and (text[end].isspace() or text[end] in ".:-–—|"):
        end += 1
    return end if end < len(text) else otherwise


# A dateline the text prints near its top ("<headline> AFP Wednesday 9 Apr 2014 <lead>"):
# what comes before it is the headline (and an outlet's label), the body starts after it.
_DATELINE_REACH = 250  # characters from the body's start: a headline and a label
_DATELINE_LONGEST = 80  # characters a printed dateline takes ("Date of publication 11 …")
# A sentence ending inside the stretch before the dateline: that stretch is body, not a
# headline, and the dateline is one the body prints.
_SENTENCE_END = re.compile(r"[.!?][\"'”’]?\s+[A-Z]")


def dateline_run_in(text: str, body_start: int = 0) -> int:
    """Where the body starts when the text prints a dateline within a headline's reach of
    ``body_start`` (the dateline's end); ``body_start`` when it does not."""
    found = text_dateline(text[body_start : body_start + _DATELINE_REACH + _DATELINE_LONGEST])
    if found is None:
        return body_start
    start, end = (body_start + found[1][0], body_start + found[1][1])
    before = text[body_start : start + 1]  # with the dateline's first letter
    if start - body_start > _DATELINE_REACH or "\n\n" in before or _SENTENCE_END.search(before):
        return body_start
    return _after_separators(text, end, body_start)


def body_start(text: str, title: str | None) -> int:
    """Where the body of ``text`` starts: after the record's title and a dateline the text
    runs into its lead ("<headline> AFP Saturday 17 Aug 2013 <lead>"); 0 when it opens with
    neither."""
    return dateline_run_in(text, title_run_in(text, title))


def make_article(text: str, origin: Origin, **fields: Any) -> Article | Skip:
    """An Article for ``text`` (or a Skip if it holds no text), with id and language set."""
    provenance: dict[str, str] = dict(fields.pop("provenance", None) or {})
    if bad := len(_UNDECODED.findall(text)):  # a spreadsheet cell with a stray byte
        provenance["encoding"] = f"{bad} undecodable bytes replaced"
    if _NUL in text:
        provenance["text"] = f"{text.count(_NUL)} NUL characters removed"
        if fields.get("body_start"):  # offsets count the text as stored
            fields["body_start"] -= text[: fields["body_start"]].count(_NUL)
    text = clean_string(text)
    if not text.strip():
        return Skip(origin, SkipReason.EMPTY, "The input holds no article text.")
    for name in _STRING_FIELDS:
        if isinstance(fields.get(name), str):
            fields[name] = clean_string(fields[name]) or None
    if fields.get("authors"):
        fields["authors"] = tuple(clean_string(a) for a in fields["authors"])
    language, score, how = detect_language(text)
    provenance["language"] = how
    if not fields.get("body_start"):
        fields["body_start"] = body_start(text, fields.get("title"))
    if fields.get("published") is not None and fields.get("published_precision") is None:
        fields["published_precision"] = DatePrecision.DAY
    return Article(
        id=content_id(text),
        text=text,
        origin=origin,
        language=language,
        language_score=round(score, 4),
        provenance=provenance,
        **fields,
    )


def failed_skip(origin: Origin, exc: BaseException) -> Skip:
    """The skip for an input sitrep itself failed on (a bug): the traceback goes to the log,
    the input to the ingest log, and the other inputs go on."""
    log.warning("failed on %s", origin.describe(), exc_info=exc)
    return Skip(
        origin,
        SkipReason.FAILED,
        f"sitrep failed on this input ({type(exc).__name__}: {str(exc)[:200]}); "
        "the other inputs went on.",
    )


def guarded(origin: Origin, read: Callable[..., IngestOutcome], *args: Any) -> IngestOutcome:
    """``read(*args)``, or a ``failed`` skip for ``origin`` if it raises."""
    try:
        return read(*args)
    except Exception as exc:  # one record's failure must not stop the others
        return failed_skip(origin, exc)


def parse_published(value: object) -> tuple[date | None, DatePrecision | None]:
    """A publication date given by a user record: ISO date/time, "2017-09", "2017", or prose."""
    if value is None or value == "":
        return None, None
    if isinstance(value, datetime):
        return value.date(), DatePrecision.DAY
    if isinstance(value, date):
        return value, DatePrecision.DAY
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10]), DatePrecision.DAY
    except ValueError:
        pass
    if match := _YEAR_MONTH.match(text):
        return date(int(match[1]), int(match[2]), 1), DatePrecision.MONTH
    if match := _YEAR.match(text):
        return date(int(match[1]), 1, 1), DatePrecision.YEAR
    parsed = parse_date(text)
    return (parsed, DatePrecision.DAY) if parsed else (None, None)
