"""Input discovery (files and folders) and dispatch to the reader for each format."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from sitrep.errors import UsageError
from sitrep.ingest.build import failed_skip
from sitrep.ingest.decode import DecodeError, decode_text
from sitrep.ingest.html import article_from_html
from sitrep.ingest.records import read_csv, read_json_array, read_jsonl
from sitrep.ingest.textfile import articles_from_page
from sitrep.ingest.walk import (
    InputFile,
    NotRegularFileError,
    discover,
    display_path,
    open_regular,
)
from sitrep.ingest.warc import read_warc
from sitrep.model import Article, IngestOutcome, Origin, Skip, SkipReason

# A single page (text or HTML file, or record text) larger than this is not an article: the
# longest piece in FA-KES and the seeds is under 60 KB. Container formats (JSONL, CSV, WARC)
# are streamed and have no overall limit.
DEFAULT_MAX_BYTES = 10_000_000

_EXTENSIONS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "csv",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".warc": "warc",
    ".arc": "warc",
}
# Files that are text but never articles: data, configuration and code found beside corpora
# (such as an annotation file in the corpus folder). They are logged as unsupported.
_NOT_ARTICLES = {
    ".yaml",
    ".yml",
    ".toml",
    ".ini",
    ".cfg",
    ".conf",
    ".py",
    ".js",
    ".css",
    ".sql",
    ".sh",
    ".ipynb",
    ".lock",
    ".log",
    ".xml",
    ".rss",
    ".atom",
    ".parquet",
    ".duckdb",
    ".wal",
}
log = logging.getLogger(__name__)
__all__ = ["IngestOptions", "InputFile", "detect_format", "discover", "read_file"]
_HTML_SNIFF = (b"<!doctype html", b"<html", b"<head", b"<body")


@dataclass(frozen=True)
class IngestOptions:
    max_bytes: int = DEFAULT_MAX_BYTES
    # Our record field name -> the input's column/key name, e.g. {"text": "article_content"}.
    fields: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.max_bytes <= 0:
            raise UsageError(
                f"The size limit must be a positive number of bytes, not {self.max_bytes}."
            )


def detect_format(path: Path, head: bytes) -> str:
    name = path.name.lower()
    if name.endswith((".warc.gz", ".arc.gz")) or head.startswith(b"WARC/"):
        return "warc"
    suffix = path.suffix.lower()
    if suffix in _NOT_ARTICLES:
        return "unsupported"
    fmt = _EXTENSIONS.get(suffix)
    if fmt:
        return fmt
    if head.lstrip()[:200].lower().startswith(_HTML_SNIFF):
        return "html"
    return "text"


def read_file(item: InputFile, options: IngestOptions) -> Iterator[IngestOutcome]:
    """Every article or skip that one input file yields; never raises for bad content.

    sitrep's own failures are contained too: what the file gave before the failure is kept,
    and the failure becomes a ``failed`` skip, so no input can stop the others.
    """
    origin, yielded = Origin(item.source, "", "text"), False
    try:
        for outcome in _read_file(item, options):
            origin, yielded = outcome.origin, True
            yield outcome
    except Exception as exc:  # a bug of sitrep's must not stop the other inputs
        if yielded:  # keep the log rows of what the file gave before the failure
            origin = Origin(origin.source, f"after {origin.part or 'its articles'}", origin.format)
        yield _os_skip(origin, exc) if isinstance(exc, OSError) else failed_skip(origin, exc)
        return
    if not yielded:  # every input has a log row, even a file that holds no record at all
        yield Skip(origin, SkipReason.EMPTY, "The file holds no record, page or article.")


def _os_skip(origin: Origin, exc: OSError) -> Skip:
    if isinstance(exc, NotRegularFileError):
        return Skip(origin, SkipReason.SPECIAL_FILE, f"The {exc}, so it is not read.")
    reason = exc.strerror or type(exc).__name__
    return Skip(origin, SkipReason.UNREADABLE, f"The file cannot be read ({reason}).")


def _read_file(item: InputFile, options: IngestOptions) -> Iterator[IngestOutcome]:
    with open_regular(item.path) as stream:
        head = stream.read(8192)
        fmt = detect_format(item.path, head)
        origin = Origin(item.source, "", fmt)
        if fmt == "unsupported":
            suffix = display_path(item.path.suffix)
            message = f"Files of type {suffix} are not articles (data, code or configuration)."
            yield Skip(origin, SkipReason.UNSUPPORTED, message)
            return
        if fmt in ("jsonl", "csv", "warc"):
            if not head.strip():
                yield Skip(origin, SkipReason.EMPTY, "The file is empty.")
                return
            stream.seek(0)
            yield from _read_container(stream, item, fmt, options)
            return
        data = head + stream.read(max(0, options.max_bytes + 1 - len(head)))
    if len(data) > options.max_bytes:
        size = f" ({item.size:,} bytes)" if item.size > options.max_bytes else ""
        limit = f"{options.max_bytes:,}-byte limit"
        message = f"The file is larger than the {limit} for one page{size}."
        yield Skip(origin, SkipReason.TOO_LARGE, message)
        return
    try:
        if fmt == "json":
            yield from read_json_array(data, item.source, options.fields, options.max_bytes)
            return
        text, encoding = decode_text(data)
    except DecodeError as exc:
        yield Skip(origin, exc.reason, str(exc))
        return
    for outcome in read_page_text(text, origin, None, fmt):
        if isinstance(outcome, Article) and encoding != "utf-8":
            outcome = replace(outcome, provenance={**outcome.provenance, "encoding": encoding})
        yield outcome


def read_page_text(text: str, origin: Origin, url: str | None, fmt: str) -> list[IngestOutcome]:
    """A decoded page (HTML or raw text) -> its articles."""
    origin = Origin(origin.source, origin.part, fmt)
    if fmt == "html":
        return [article_from_html(text, origin, url)]
    return articles_from_page(text, origin, url)


def _read_container(
    stream: BinaryIO, item: InputFile, fmt: str, options: IngestOptions
) -> Iterator[IngestOutcome]:
    fields, limit = options.fields, options.max_bytes
    if fmt == "jsonl":
        yield from read_jsonl(stream, item.source, fields, limit)
    elif fmt == "csv":
        delimiter = "\t" if item.path.suffix.lower() == ".tsv" else ","
        yield from read_csv(stream, item.source, fields, limit, delimiter)
    else:
        yield from read_warc(stream, item.path, item.source, limit, read_page_text)
