"""Filters of the analyst's views, checked once: an unknown type, sector, modality, stance or
precision is an error that lists the valid values; text filters (actor, province, outlet,
speaker) are case-insensitive. Every value reaches SQL as a bound parameter, never as text."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date
from functools import cache
from typing import Any

from sitrep.errors import UsageError
from sitrep.model import Modality, PlacePrecision, Stance
from sitrep.resources import load_lexicon

# Caps that keep one request, page or export bounded.
MAX_PAGE = 500
MAX_OFFSET = 1_000_000
MAX_TEXT = 200  # characters of one text filter or search query
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


@cache
def event_types() -> tuple[str, ...]:
    """The PLOVER types the trigger lexicon knows (analyze/events/lexicons/events.yaml)."""
    data = load_lexicon("events", "events.yaml") or {}
    return tuple(sorted(k for k in data if isinstance(k, str) and k.isupper()))


@cache
def sectors() -> tuple[str, ...]:
    data = load_lexicon("mentions", "sectors.yaml") or {}
    return tuple(sorted(k for k in data if isinstance(k, str) and k.isupper()))


MODALITIES = tuple(str(m) for m in Modality)
STANCES = tuple(str(s) for s in Stance)
PRECISIONS = tuple(str(p) for p in PlacePrecision)


def _choice(name: str, value: str | None, valid: tuple[str, ...], *, upper: bool) -> str | None:
    if value is None or value == "":
        return None
    wanted = value.strip().upper() if upper else value.strip().lower()
    if wanted not in valid:
        raise UsageError(f"Unknown {name} {value!r}: choose from {', '.join(valid)}.")
    return wanted


def _text(name: str, value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if len(value) > MAX_TEXT:
        raise UsageError(f"The {name} filter is longer than {MAX_TEXT} characters.")
    return value.strip()


def _date(name: str, value: str | date | None) -> str | None:
    if value is None or value == "":
        return None
    text = value.isoformat() if isinstance(value, date) else value.strip()
    if not _DATE.fullmatch(text):
        raise UsageError(f"The {name} date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD.")
    return text


@dataclass(frozen=True)
class Filters:
    """What an analyst narrows a view to. Build with ``Filters.checked(...)``."""

    date_from: str | None = None
    date_to: str | None = None
    type: str | None = None
    actor: str | None = None  # an actor code (USA, ISIS …) on either side, any case
    sector: str | None = None
    province: str | None = None  # admin-1 name, any case
    country: str | None = None
    outlet: str | None = None
    modality: str | None = None
    stance: str | None = None
    speaker: str | None = None  # a speaker's actor code
    kind: str | None = None  # a signal kind
    precision: str | None = None
    min_toll: int | None = None
    min_articles: int | None = None
    article_id: str | None = None
    q: str | None = None  # full-text search over article text
    include_all: bool = False  # also mentions that are no events (hypothetical, negated …)

    @classmethod
    def checked(cls, **values: Any) -> Filters:
        """Filters from user input: values checked, text trimmed, unknown names refused."""
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise UsageError(f"Unknown filter {sorted(unknown)[0]!r}: use {', '.join(known)}.")
        for number in ("min_toll", "min_articles"):
            raw = values.get(number)
            if raw is not None and raw != "":
                try:
                    values[number] = int(raw)
                except (TypeError, ValueError):
                    raise UsageError(f"{number} takes a whole number, not {raw!r}.") from None
                if not 0 <= values[number] <= 10_000_000:
                    raise UsageError(f"{number} must be between 0 and 10,000,000.")
            else:
                values[number] = None
        return cls(
            date_from=_date("from", values.get("date_from")),
            date_to=_date("to", values.get("date_to")),
            type=_choice("type", values.get("type"), event_types(), upper=True),
            actor=_text("actor", values.get("actor")),
            sector=_choice("sector", values.get("sector"), sectors(), upper=True),
            province=_text("province", values.get("province")),
            country=_text("country", values.get("country")),
            outlet=_text("outlet", values.get("outlet")),
            modality=_choice("modality", values.get("modality"), MODALITIES, upper=False),
            stance=_choice("stance", values.get("stance"), STANCES, upper=False),
            speaker=_text("speaker", values.get("speaker")),
            kind=_text("kind", values.get("kind")),
            precision=_choice("precision", values.get("precision"), PRECISIONS, upper=False),
            min_toll=values.get("min_toll"),
            min_articles=values.get("min_articles"),
            article_id=_text("article", values.get("article_id")),
            q=_text("search", values.get("q")),
            include_all=bool(values.get("include_all")),
        )


@dataclass(frozen=True)
class Page:
    limit: int = 50
    offset: int = 0

    @classmethod
    def checked(cls, limit: int | None = 50, offset: int | None = 0) -> Page:
        limit = 50 if limit is None else int(limit)
        offset = 0 if offset is None else int(offset)
        if not 1 <= limit <= MAX_PAGE:
            raise UsageError(f"limit must be between 1 and {MAX_PAGE}.")
        if not 0 <= offset <= MAX_OFFSET:
            raise UsageError(f"offset must be between 0 and {MAX_OFFSET:,}.")
        return cls(limit, offset)
