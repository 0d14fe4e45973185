"""A raw text page -> one or more articles with their metadata and boilerplate removed.

Pages are copy-pastes or text dumps of web pages: a header (headline, byline, dateline,
labels), the body, and furniture after it (comment forms, membership appeals, disclaimers,
a trailing timestamp). A repost page may hold several articles separated by rule lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sitrep.datelines import DATE_ONLY_LINE, latest_date_in_text, parse_date
from sitrep.ingest.cues import page_cues
from sitrep.ingest.header import Header, read_header
from sitrep.ingest.lines import Line, split_lines, word_count
from sitrep.ingest.outlets import outlet_for_name


@dataclass(frozen=True)
class PagePart:
    """One article read off a page: ``text`` is headline + blank line + body."""

    text: str
    body_start: int
    title: str | None
    authors: tuple[str, ...]
    outlet: str | None
    published: date | None
    provenance: dict[str, str] = field(default_factory=dict)


def _rule_splits(lines: list[Line]) -> list[list[Line]]:
    rule = page_cues().rule_line
    parts: list[list[Line]] = [[]]
    for line in lines:
        if rule.match(line.text):
            parts.append([])
        else:
            parts[-1].append(line)
    return [p for p in parts if any(not line.blank for line in p)]


def _first_lines(part: list[Line], n: int) -> list[str]:
    return [" ".join(line.clean.split()).casefold() for line in part if not line.blank][:n]


def _merge_parts(parts: list[list[Line]]) -> list[list[Line]]:
    """Undo splits that do not separate two articles.

    A part too short to be an article is furniture of its neighbour; a part whose headline is
    printed again at the top of the next part (a repost's editor's note before the original)
    belongs with it.
    """
    minimum = page_cues().min_article_words
    merged: list[list[Line]] = []
    pending: list[Line] = []
    for index, part in enumerate(parts):
        part = pending + part
        pending = []
        following = parts[index + 1] if index + 1 < len(parts) else None
        if following is not None:
            headline = _first_lines(part, 1)
            if headline and headline[0] in _first_lines(following, 3):
                pending = part
                continue
            if word_count(part) < minimum and not merged:
                pending = part
                continue
        if word_count(part) < minimum and merged:
            merged[-1] = merged[-1] + part
        else:
            merged.append(part)
    return merged


def _footer_start(page: str, body: list[Line], header: Header) -> int:
    """Index into ``body`` of the first line of page furniture (len(body) if none)."""
    nonblank = [k for k, line in enumerate(body) if not line.blank]
    if not nonblank:
        return len(body)
    end = len(body)
    last = body[nonblank[-1]]
    if DATE_ONLY_LINE.match(" ".join(last.clean.split())):
        header.set_published(parse_date(last.clean), "trailing timestamp")
        end = nonblank[-1]
    cues = page_cues()
    start, stop = body[0].start, body[end - 1].end if end else body[0].start
    threshold = start + cues.footer_min_fraction * (stop - start)
    for match in cues.footer.finditer(page, start, stop):
        if match.start() >= threshold:
            return next(k for k, line in enumerate(body) if line.end >= match.start())
    return end


def _read_part(page: str, lines: list[Line]) -> PagePart:
    header = read_header(lines)
    body = [line for k, line in enumerate(lines) if k >= header.body_start]
    dropped = {lines[k].start for k in header.dropped}
    body = body[: _footer_start(page, body, header)]
    kept = "".join(
        page[line.start : line.end] + "\n" for line in body if line.start not in dropped
    ).strip()
    if match := page_cues().self_reference.search(kept):
        name = match["outlet"].rstrip(".")
        header.set_outlet(outlet_for_name(name) or name, "self-reference")
    prefix = f"{header.title}\n\n" if header.title else ""
    return PagePart(
        text=prefix + kept,
        body_start=len(prefix),
        title=header.title,
        authors=tuple(header.authors),
        outlet=header.outlet,
        published=header.published,
        provenance=dict(header.provenance),
    )


def read_page(page: str) -> list[PagePart]:
    """Every article on the page, in page order; a page with no text gives none."""
    lines = split_lines(page)
    parts = _merge_parts(_rule_splits(lines))
    if len(parts) <= 1:
        result = [_read_part(page, lines)]
    else:
        result = [_read_part(page, part) for part in parts]
        result = _inherit_page_metadata(result, page)
    return [part for part in result if part.text.strip()]


def _inherit_page_metadata(parts: list[PagePart], page: str) -> list[PagePart]:
    """Later articles on a repost page share the page's outlet and date when they lack their own.

    When the page states no date, every part records the latest full date the whole page
    names (``page_latest_date``): analysis may count relative dates from it, and a part that
    names only old dates of its own does not seem years older than its page.
    """
    first = parts[0]
    latest = latest_date_in_text(page)
    inherited = []
    for part in parts:
        if part.published is None and first.published is None and latest:
            part.provenance["page_latest_date"] = latest.isoformat()
        if part is first:
            inherited.append(part)
            continue
        provenance = dict(part.provenance)
        outlet, published = part.outlet, part.published
        if outlet is None and first.outlet:
            outlet, provenance["outlet"] = first.outlet, "page"
        if published is None and first.published:
            published, provenance["published"] = first.published, "page"
        inherited.append(
            PagePart(
                part.text, part.body_start, part.title, part.authors, outlet, published, provenance
            )
        )
    return inherited
