"""HTML pages: main text and metadata with trafilatura, publication date with htmldate."""

from __future__ import annotations

import logging
from datetime import date

import trafilatura
from htmldate import find_date

from sitrep.ingest.build import make_article
from sitrep.ingest.html_text import visible_text
from sitrep.ingest.outlets import outlet_for_domain, outlet_for_name
from sitrep.model import IngestOutcome, Origin, Skip, SkipReason

log = logging.getLogger(__name__)


def _authors(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(a.strip() for a in value.replace(" and ", ";").split(";") if a.strip())


def _published(html: str, url: str | None, fallback: str | None) -> tuple[date | None, str]:
    try:
        found = find_date(html, url=url, original_date=True, extensive_search=True)
    except Exception as exc:  # htmldate fails on some malformed pages; the date is optional
        log.debug("htmldate failed: %s", exc)
        found = None
    for value, how in ((found, "htmldate"), (fallback, "html metadata")):
        if value:
            try:
                return date.fromisoformat(value[:10]), how
            except ValueError:
                continue
    return None, ""


def article_from_html(html: str, origin: Origin, url: str | None = None) -> IngestOutcome:
    """The article in one HTML page, or a Skip saying why there is none."""
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, favor_precision=True
        )
    except (RecursionError, ValueError, TypeError, AttributeError) as exc:
        return Skip(origin, SkipReason.PARSE_ERROR, f"The HTML cannot be parsed ({exc}).")
    body = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    provenance: dict[str, str] = {}
    if not body:
        body = visible_text(html)
        provenance["text"] = "visible text (no main text found by trafilatura)"
    if not body:
        return Skip(origin, SkipReason.EMPTY, "The HTML page holds no visible text.")
    title = " ".join((getattr(doc, "title", None) or "").split()) or None
    if title:
        provenance["title"] = "html metadata"
    published, how = _published(html, url, getattr(doc, "date", None))
    if published:
        provenance["published"] = how
    sitename = getattr(doc, "sitename", None)
    outlet = outlet_for_domain(url) if url else None
    outlet = outlet or (outlet_for_name(sitename) or sitename if sitename else None)
    if outlet:
        provenance["outlet"] = "domain" if url and outlet_for_domain(url) else "html metadata"
    # trafilatura keeps the <h1> in the body when it repeats the title: print it once.
    first_line = body.split("\n", 1)[0].strip()
    if title and " ".join(first_line.split()) == title:
        body = body[len(first_line) :].lstrip("\n")
    prefix = f"{title}\n\n" if title else ""
    return make_article(
        prefix + body,
        origin,
        title=title,
        authors=_authors(getattr(doc, "author", None)),
        outlet=outlet,
        published=published,
        url=url or getattr(doc, "url", None),
        body_start=len(prefix),
        provenance=provenance,
    )
