"""The data model: every record that flows through sitrep, as frozen dataclasses.

Every character offset anywhere in the system refers to ``Article.text``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

_WHITESPACE = re.compile(r"\s+")


def normalise_for_identity(text: str) -> str:
    """The form of a text that decides whether two inputs are "the same text".

    Unicode compatibility forms, case and whitespace differ between copies of one article
    (non-breaking spaces, hard line wraps), so they do not change its identity.
    """
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def content_id(text: str) -> str:
    """Article id: 16 hex digits of the SHA-256 of the normalised text."""
    return hashlib.sha256(normalise_for_identity(text).encode("utf-8")).hexdigest()[:16]


class SkipReason(StrEnum):
    """Why an input did not become an article. Each value is stored in the ingest log."""

    EMPTY = "empty"
    BINARY = "binary"
    UNDECODABLE = "undecodable"
    TOO_LARGE = "too_large"
    DUPLICATE = "duplicate"
    PARSE_ERROR = "parse_error"
    UNREADABLE = "unreadable"
    FETCH_ERROR = "fetch_error"
    ROBOTS = "robots_disallowed"
    UNSUPPORTED = "unsupported_format"


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an input came from: a file path or URL, and the part inside it."""

    source: str
    part: str = ""
    format: str = "text"

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.part)

    def describe(self) -> str:
        return f"{self.source} ({self.part})" if self.part else self.source


@dataclass(frozen=True, slots=True)
class Article:
    """One article: its cleaned text and what is known about where it came from.

    ``text`` begins with the headline where the input page printed one (raw text and HTML
    pages); ``body_start`` is the offset where the body proper begins. JSONL/CSV text is
    kept verbatim.
    """

    id: str
    text: str
    origin: Origin
    title: str | None = None
    authors: tuple[str, ...] = ()
    outlet: str | None = None
    published: date | None = None
    published_precision: DatePrecision | None = None
    url: str | None = None
    external_id: str | None = None
    page_id: str | None = None
    page_part: int | None = None
    body_start: int = 0
    language: str | None = None
    language_score: float | None = None
    # How each metadata field was found, e.g. {"published": "dateline", "outlet": "domain"}.
    provenance: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def analysable(self) -> bool:
        """Only English text goes through analysis; other languages are stored and flagged."""
        return self.language == "en"

    @property
    def word_count(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True, slots=True)
class Skip:
    """An input that did not become an article, with a reason a user can act on."""

    origin: Origin
    reason: SkipReason
    message: str
    article_id: str | None = None  # for duplicates: the article it duplicates


IngestOutcome = Article | Skip
