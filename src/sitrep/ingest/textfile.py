"""Raw text pages: one file, one or more articles."""

from __future__ import annotations

from sitrep.ingest.build import make_article
from sitrep.ingest.page import read_page
from sitrep.model import IngestOutcome, Origin, Skip, SkipReason, content_id


def articles_from_page(page: str, origin: Origin, url: str | None = None) -> list[IngestOutcome]:
    """The articles on one raw text page; a page holding several links them by ``page_id``."""
    parts = read_page(page)
    if not parts:
        return [Skip(origin, SkipReason.EMPTY, "The page holds no article text.")]
    page_id = content_id(page) if len(parts) > 1 else None
    outcomes: list[IngestOutcome] = []
    for index, part in enumerate(parts):
        part_origin = Origin(
            origin.source,
            f"{origin.part + ', ' if origin.part else ''}article {index + 1}"
            if page_id
            else origin.part,
            origin.format,
        )
        outcome = make_article(
            part.text,
            part_origin,
            title=part.title,
            authors=part.authors,
            outlet=part.outlet,
            published=part.published,
            url=url,
            page_id=page_id,
            page_part=index if page_id else None,
            body_start=part.body_start,
            provenance=part.provenance,
        )
        outcomes.append(outcome)
    return outcomes
