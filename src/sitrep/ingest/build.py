"""Assembling an Article (id, language) from what a reader found."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from sitrep.datelines import parse_date
from sitrep.ingest.language import detect_language
from sitrep.model import Article, DatePrecision, Origin, Skip, SkipReason, content_id

_YEAR_MONTH = re.compile(r"^\s*((?:19|20)\d\d)-([01]\d)\s*$")
_YEAR = re.compile(r"^\s*((?:19|20)\d\d)\s*$")


def make_article(text: str, origin: Origin, **fields: Any) -> Article | Skip:
    """An Article for ``text`` (or a Skip if it holds no text), with id and language set."""
    if not text.strip():
        return Skip(origin, SkipReason.EMPTY, "The input holds no article text.")
    provenance: dict[str, str] = dict(fields.pop("provenance", None) or {})
    language, score, how = detect_language(text)
    provenance["language"] = how
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
