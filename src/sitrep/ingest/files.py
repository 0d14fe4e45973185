"""Input discovery (files and folders) and dispatch to the reader for each format."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from sitrep.errors import UsageError
from sitrep.ingest.decode import DecodeError, check_not_binary, decode_text
from sitrep.ingest.html import article_from_html
from sitrep.ingest.records import read_csv, read_json_array, read_jsonl
from sitrep.ingest.textfile import articles_from_page
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
_HTML_SNIFF = (b"<!doctype html", b"<html", b"<head", b"<body")


@dataclass(frozen=True)
class IngestOptions:
    max_bytes: int = DEFAULT_MAX_BYTES
    # Our record field name -> the input's column/key name, e.g. {"text": "article_content"}.
    fields: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class InputFile:
    path: Path
    source: str  # the path as the user named it (stored with every article)
    size: int
    mtime_ns: int


def discover(paths: Iterable[str | Path]) -> Iterator[InputFile | Skip]:
    """Every file under ``paths`` (folders recursively, in name order)."""
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise UsageError(f"The input {given} does not exist.")
        if path.is_dir():
            found = [Path(root) / name for root, _, files in os.walk(path) for name in files]
            for file in sorted(found, key=lambda p: p.relative_to(path).parts):
                yield _input_file(file)
        else:
            yield _input_file(path)


def _input_file(path: Path) -> InputFile | Skip:
    try:
        stat = path.stat()
    except OSError as exc:
        return Skip(
            Origin(str(path)), SkipReason.UNREADABLE, f"The file cannot be read ({exc.strerror})."
        )
    return InputFile(path, str(path), stat.st_size, stat.st_mtime_ns)


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
    """Every article or skip that one input file yields; never raises for bad content."""
    try:
        with item.path.open("rb") as stream:
            head = stream.read(8192)
    except OSError as exc:
        yield Skip(
            Origin(item.source), SkipReason.UNREADABLE, f"The file cannot be read ({exc.strerror})."
        )
        return
    fmt = detect_format(item.path, head)
    origin = Origin(item.source, "", fmt)
    if fmt == "unsupported":
        yield Skip(
            origin,
            SkipReason.UNSUPPORTED,
            f"Files of type {item.path.suffix} are not articles (data, code or configuration).",
        )
        return
    if fmt in ("jsonl", "csv", "warc"):
        if not head.strip():
            yield Skip(origin, SkipReason.EMPTY, "The file is empty.")
            return
        yield from _read_container(item, fmt, options)
        return
    if item.size > options.max_bytes:
        yield Skip(
            origin,
            SkipReason.TOO_LARGE,
            f"The file is {item.size:,} bytes, over the {options.max_bytes:,}-byte limit "
            "for one page.",
        )
        return
    try:
        check_not_binary(head)
        data = item.path.read_bytes()
        if fmt == "json":
            yield from read_json_array(data, item.source, options.fields, options.max_bytes)
            return
        text, encoding = decode_text(data)
    except DecodeError as exc:
        yield Skip(origin, exc.reason, str(exc))
        return
    except OSError as exc:
        yield Skip(origin, SkipReason.UNREADABLE, f"The file cannot be read ({exc.strerror}).")
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


def _read_container(item: InputFile, fmt: str, options: IngestOptions) -> Iterator[IngestOutcome]:
    if fmt == "jsonl":
        with item.path.open("rb") as stream:
            yield from read_jsonl(stream, item.source, options.fields, options.max_bytes)
    elif fmt == "csv":
        yield from read_csv(item.path, item.source, options.fields, options.max_bytes)
    else:
        yield from read_warc(item.path, item.source, options.max_bytes, read_page_text)
