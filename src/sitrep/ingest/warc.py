"""WARC / WARC.gz web archives: each HTML or text response is one page."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator

from sitrep.ingest.build import failed_skip
from sitrep.ingest.decode import DecodeError, decode_text
from sitrep.ingest.walk import open_regular
from sitrep.model import IngestOutcome, Origin, Skip, SkipReason

PageReader = Callable[[str, Origin, str | None, str], list[IngestOutcome]]

_PAGE_RECORDS = ("response", "resource")
_PAGE_TYPES = ("text/html", "application/xhtml", "text/plain")


def _gzip_complete(path: Path) -> bool:
    """Whether a gzip file decompresses to its end (warcio reads a cut-off member silently)."""
    try:
        with open_regular(path) as raw, gzip.open(raw, "rb") as stream:
            while stream.read(1 << 20):
                pass
    except (EOFError, OSError, zlib.error):
        return False
    return True


def _cut_short(record: Any) -> bool:
    """Whether the file ended before the record's declared Content-Length (warcio reads a
    plain .warc cut inside a record without complaint)."""
    return bool(getattr(getattr(record, "raw_stream", None), "limit", 0))


def read_warc(
    stream: BinaryIO, path: Path, source: str, max_bytes: int, read_page: PageReader
) -> Iterator[IngestOutcome]:
    """Pages of the archive in order; a truncated archive yields what it holds, then a Skip.

    Each record's outcomes are held back until the next record starts, so that the last
    record of a cut-off archive (incomplete) can be logged as such instead of stored.
    """
    number, held = 0, list[IngestOutcome]()
    last: Any = None
    try:
        for record in ArchiveIterator(stream):
            last = record if record.rec_type else last  # a record with no WARC-Type is no record
            if record.rec_type not in _PAGE_RECORDS:
                continue  # requests, metadata and warcinfo records are not pages
            yield from held
            number += 1
            url = record.rec_headers.get_header("WARC-Target-URI")
            origin = Origin(source, f"record {number}", "warc")
            held = _guarded_record(record, origin, url, max_bytes, read_page)
    except Exception as exc:  # warcio raises many types on damaged archives
        yield from held
        yield Skip(
            Origin(source, f"record {number + 1}", "warc"),
            SkipReason.PARSE_ERROR,
            f"The archive is damaged after record {number} ({type(exc).__name__}).",
        )
        return
    if last is None:
        message = "The file holds no WARC record sitrep can read (is it a web archive?)."
        yield Skip(Origin(source, "", "warc"), SkipReason.PARSE_ERROR, message)
        return
    if number == 0:
        message = "The archive holds no response with an HTML or text page."
        yield Skip(Origin(source, "", "warc"), SkipReason.EMPTY, message)
        return
    gzipped = path.name.lower().endswith(".gz")
    cut = _cut_short(last)
    if (cut and last.rec_type in _PAGE_RECORDS) or (gzipped and not _gzip_complete(path)):
        yield Skip(
            Origin(source, f"record {number}", "warc"),
            SkipReason.PARSE_ERROR,
            f"The archive is truncated inside record {number}, so that record is incomplete.",
        )
        return
    yield from held
    if cut:
        yield Skip(
            Origin(source, "end", "warc"),
            SkipReason.PARSE_ERROR,
            f"The archive is truncated inside its last record (a {last.rec_type} record, "
            "not a page).",
        )


def _guarded_record(
    record: Any, origin: Origin, url: str | None, max_bytes: int, read_page: PageReader
) -> list[IngestOutcome]:
    try:
        return _read_record(record, origin, url, max_bytes, read_page)
    except Exception as exc:  # one record's failure must not stop the archive
        return [failed_skip(origin, exc)]


def _read_record(
    record: Any, origin: Origin, url: str | None, max_bytes: int, read_page: PageReader
) -> list[IngestOutcome]:
    http = getattr(record, "http_headers", None)
    if http is not None:
        status = http.get_statuscode()
        if status and not status.startswith("2"):
            return [
                Skip(origin, SkipReason.FETCH_ERROR, f"The archived response was HTTP {status}.")
            ]
        mime = (http.get_header("Content-Type") or "").lower()
    else:
        mime = (record.rec_headers.get_header("Content-Type") or "").lower()
    if mime and not mime.startswith(_PAGE_TYPES):
        return [
            Skip(
                origin,
                SkipReason.BINARY,
                f"The archived response is {mime.split(';')[0]}, not a page.",
            )
        ]
    data = record.content_stream().read(max_bytes + 1)
    if len(data) > max_bytes:
        return [Skip(origin, SkipReason.TOO_LARGE, f"The archived page exceeds {max_bytes} bytes.")]
    try:
        text, _ = decode_text(data)
    except DecodeError as exc:
        return [Skip(origin, exc.reason, str(exc))]
    kind = "text" if mime.startswith("text/plain") else "html"
    return read_page(text, origin, url, kind)
