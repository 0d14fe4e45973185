"""WARC / WARC.gz web archives: each HTML or text response is one page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from sitrep.ingest.decode import DecodeError, decode_text
from sitrep.model import IngestOutcome, Origin, Skip, SkipReason

PageReader = Callable[[str, Origin, str | None, str], list[IngestOutcome]]

_PAGE_TYPES = ("text/html", "application/xhtml", "text/plain")


def read_warc(path: Path, source: str, max_bytes: int, read_page: PageReader) -> Iterator[IngestOutcome]:
    """Pages of the archive in order; a truncated archive yields what it holds, then a Skip."""
    number = 0
    with path.open("rb") as stream:
        try:
            for record in ArchiveIterator(stream):
                if record.rec_type not in ("response", "resource"):
                    continue  # requests, metadata and warcinfo records are not pages
                number += 1
                url = record.rec_headers.get_header("WARC-Target-URI")
                origin = Origin(source, f"record {number}", "warc")
                yield from _read_record(record, origin, url, max_bytes, read_page)
        except Exception as exc:  # warcio raises many types on damaged archives
            yield Skip(
                Origin(source, f"record {number + 1}", "warc"),
                SkipReason.PARSE_ERROR,
                f"The archive is damaged or truncated after record {number} ({type(exc).__name__}).",
            )


def _read_record(
    record: object, origin: Origin, url: str | None, max_bytes: int, read_page: PageReader
) -> list[IngestOutcome]:
    http = getattr(record, "http_headers", None)
    if http is not None:
        status = http.get_statuscode()
        if status and not status.startswith("2"):
            return [Skip(origin, SkipReason.FETCH_ERROR, f"The archived response was HTTP {status}.")]
        mime = (http.get_header("Content-Type") or "").lower()
    else:
        mime = (getattr(record, "rec_headers").get_header("Content-Type") or "").lower()
    if mime and not mime.startswith(_PAGE_TYPES):
        return [Skip(origin, SkipReason.BINARY, f"The archived response is {mime.split(';')[0]}, not a page.")]
    data = getattr(record, "content_stream")().read(max_bytes + 1)
    if len(data) > max_bytes:
        return [Skip(origin, SkipReason.TOO_LARGE, f"The archived page exceeds {max_bytes} bytes.")]
    try:
        text, _ = decode_text(data)
    except DecodeError as exc:
        return [Skip(origin, exc.reason, str(exc))]
    kind = "text" if mime.startswith("text/plain") else "html"
    return read_page(text, origin, url, kind)
