"""JSONL, JSON and CSV files of article records (DESIGN §4): text kept verbatim.

Each record is read on its own: a malformed line or row, a record larger than the limit or
a field of the wrong type is logged with its reason and the next record is read. A field
of the wrong type (a list as ``outlet``, a number as ``title``) is left out of the article
and named in its log row, never stored as the text of a Python value.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from sitrep.ingest.build import guarded, make_article, parse_published
from sitrep.ingest.numeric_dates import NumericDates
from sitrep.ingest.streams import BoundedLines, has_bad_bytes, text_stream
from sitrep.model import Article, DatePrecision, IngestOutcome, Origin, Skip, SkipReason

RECORD_FIELDS = ("text", "id", "title", "url", "outlet", "authors", "published")
csv.field_size_limit(1 << 30)  # rows are bounded by BoundedLines, with the user's limit
_TEXT_FIELDS = ("title", "url", "outlet")


def _type_name(value: Any) -> str:
    names = {list: "a list", dict: "an object", bool: "true/false", int: "a number"}
    return names.get(type(value), "a number" if isinstance(value, float) else "not text")


class _Fields:
    """The record's metadata fields, each checked for its type; wrong ones are noted."""

    def __init__(self, record: Mapping[str, Any], names: Mapping[str, str]) -> None:
        self.record, self.names = record, names
        self.ignored: list[str] = []

    def raw(self, name: str) -> Any:
        return self.record.get(self.names.get(name, name))

    def text(self, name: str, *, numbers: bool = False) -> str | None:
        value = self.raw(name)
        if value is None:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool) and numbers:
            value = str(value)
        if not isinstance(value, str):
            self.ignored.append(f"'{name}' is {_type_name(value)}")
            return None
        return value.strip() or None

    def authors(self) -> tuple[str, ...]:
        value = self.raw("authors")
        if value is None:
            return ()
        if isinstance(value, str):
            return tuple(a.strip() for a in value.split(";") if a.strip())
        if isinstance(value, list) and all(isinstance(a, str) for a in value):
            return tuple(a.strip() for a in value if a.strip())
        self.ignored.append(f"'authors' is {_type_name(value)} (not text or a list of names)")
        return ()


def article_from_record(
    record: Mapping[str, Any],
    origin: Origin,
    fields: Mapping[str, str],
    max_chars: int,
    numeric: NumericDates | None = None,
) -> IngestOutcome:
    """One record -> Article; ``fields`` maps our field names to the record's own keys;
    ``numeric`` is what the file's numeric dates have shown of their day-and-month order."""
    got = _Fields(record, fields)
    text = got.raw("text")
    if not isinstance(text, str):
        what = "no" if text is None else f"a non-text ({type(text).__name__})"
        return Skip(origin, SkipReason.PARSE_ERROR, f"The record has {what} 'text' field.")
    if len(text) > max_chars:
        return Skip(
            origin, SkipReason.TOO_LARGE, f"The record's text exceeds {max_chars:,} characters."
        )
    raw_published = got.text("published", numbers=True)
    published, precision = parse_published(raw_published)
    provenance = {"published": "record"} if published else {}
    if raw_published and not published:
        numeric_date = (numeric or NumericDates()).read(raw_published, text)
        if numeric_date is None:
            provenance["published"] = f"unreadable: {raw_published[:40]}"
        else:
            published, provenance["published"] = numeric_date
            precision = DatePrecision.DAY if published else None
    article = make_article(
        text,
        origin,
        title=got.text("title"),
        authors=got.authors(),
        outlet=got.text("outlet"),
        published=published,
        published_precision=precision,
        url=got.text("url"),
        external_id=got.text("id", numbers=True),
        provenance=provenance,
    )
    if isinstance(article, Article) and got.ignored:
        article.provenance["ignored"] = "; ".join(got.ignored)
    return article


def read_jsonl(
    stream: BinaryIO, source: str, fields: Mapping[str, str], max_chars: int
) -> Iterator[IngestOutcome]:
    """One outcome per non-blank line; a line longer than ``max_chars`` is passed over
    without being held in memory."""
    lines = BoundedLines(text_stream(stream), max_chars)
    numeric = NumericDates()
    for line in lines:
        number = lines.number
        origin = Origin(source, f"line {number}", "jsonl")
        if line is None:
            yield Skip(
                origin,
                SkipReason.TOO_LARGE,
                f"Line {number} is longer than {max_chars:,} characters, so it was not read.",
            )
            continue
        if not line.strip():
            continue  # blank lines separate nothing in JSONL; they are not inputs
        yield guarded(origin, _json_line, line, number, origin, fields, max_chars, numeric)


def _json_line(
    line: str,
    number: int,
    origin: Origin,
    fields: Mapping[str, str],
    max_chars: int,
    numeric: NumericDates,
) -> IngestOutcome:
    if has_bad_bytes(line):
        return Skip(origin, SkipReason.UNDECODABLE, f"Line {number} is not valid UTF-8.")
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as exc:
        why = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
        return Skip(origin, SkipReason.PARSE_ERROR, f"Line {number} is not valid JSON ({why}).")
    if not isinstance(record, dict):
        return Skip(origin, SkipReason.PARSE_ERROR, f"Line {number} is not a JSON object.")
    return article_from_record(record, origin, fields, max_chars, numeric)


class _RecordTooLongError(Exception):
    pass


class _CsvLines:
    """Lines for the csv module, bounded per record: the lines of the record being read are
    kept (at most ``limit`` characters) so that they can be read again after a bad quote."""

    def __init__(self, lines: BoundedLines) -> None:
        self.lines, self.limit = lines, lines.limit
        self.record: list[str] = []
        self.size = 0
        self.replay: list[str] = []
        self.replayed = False  # the current record holds a line read again

    def start_record(self) -> None:
        self.record, self.size, self.replayed = [], 0, False

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self.replay:
            line: str | None = self.replay.pop(0)
            self.replayed = True
        else:
            line = next(self.lines)
        if line is None or self.size + len(line) > self.limit:
            raise _RecordTooLongError
        self.record.append(line)
        self.size += len(line)
        return line

    def read_again_after_first_line(self) -> bool:
        """Give the failed record's lines after its first again (a quote left open swallowed
        them); whether there were any."""
        self.replay = self.record[1:] + self.replay
        return len(self.record) > 1


def read_csv(
    stream: BinaryIO, source: str, fields: Mapping[str, str], max_chars: int, delimiter: str = ","
) -> Iterator[IngestOutcome]:
    """One outcome per row; a malformed row (a stray quote, a quote never closed, more cells
    than the header, a row over the limit) is logged and reading goes on after it: the lines
    a broken row swallowed are read again, and kept only as rows with the header's cells."""
    feed = _CsvLines(BoundedLines(text_stream(stream, newline="", guess=True), max_chars))
    reader = csv.reader(feed, delimiter=delimiter, strict=True)
    try:
        columns = next(reader)
    except (StopIteration, csv.Error, _RecordTooLongError):
        columns = []
    text_column = fields.get("text", "text")
    if text_column not in columns:
        shown = ", ".join(columns[:12]) or "none"
        yield Skip(
            Origin(source, "", "csv"),
            SkipReason.PARSE_ERROR,
            f"The CSV has no '{text_column}' column (its columns: {shown}).",
        )
        return
    number = 1
    numeric = NumericDates()
    while True:
        number += 1
        origin = Origin(source, f"row {number}", "csv")
        feed.start_record()
        first_line = feed.lines.number + 1 - len(feed.replay)
        try:
            row = next(reader)
        except StopIteration:
            return
        except (csv.Error, _RecordTooLongError) as exc:
            again = feed.read_again_after_first_line()
            yield _bad_row(exc, origin, first_line, max_chars, again)
            reader = csv.reader(feed, delimiter=delimiter, strict=True)
            continue
        if feed.replayed and len(row) != len(columns):
            yield Skip(
                origin,
                SkipReason.PARSE_ERROR,
                f"Row {number} (from line {first_line}), read again after a broken row, does "
                f"not have the header's {len(columns)} cells, so it is taken for part of it.",
            )
            continue
        yield guarded(origin, _csv_row, row, columns, origin, fields, max_chars, numeric)


def _bad_row(
    exc: Exception, origin: Origin, first_line: int, max_chars: int, again: bool
) -> IngestOutcome:
    where = f"{origin.part.capitalize()} (from line {first_line})"
    then = "; the lines after its first are read again as rows" if again else ""
    if isinstance(exc, _RecordTooLongError):
        problem = f"is longer than {max_chars:,} characters or opens a quote it never closes"
        return Skip(origin, SkipReason.TOO_LARGE, f"{where} {problem}{then}.")
    if "end of data" in str(exc):
        problem = "opens a quote it never closes"
    else:
        problem = f"is malformed ({exc})"
    return Skip(origin, SkipReason.PARSE_ERROR, f"{where} {problem}{then}.")


def _csv_row(
    row: list[str],
    columns: list[str],
    origin: Origin,
    fields: Mapping[str, str],
    max_chars: int,
    numeric: NumericDates,
) -> IngestOutcome:
    number = origin.part.removeprefix("row ")
    if len(row) > len(columns) and any(cell.strip() for cell in row[len(columns) :]):
        return Skip(
            origin,
            SkipReason.PARSE_ERROR,
            f"Row {number} has {len(row)} cells where the header has {len(columns)} "
            "(an unquoted delimiter or quote inside a cell?).",
        )
    record = dict(zip(columns, row, strict=False))
    return article_from_record(record, origin, fields, max_chars, numeric)


def read_json_array(
    data: bytes, source: str, fields: Mapping[str, str], max_chars: int
) -> Iterator[IngestOutcome]:
    """A .json file holding one record or an array of records (UTF-8, -16 or -32, with or
    without a byte order mark)."""
    try:
        value = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        why = {UnicodeDecodeError: "not UTF-8", RecursionError: "nested too deeply"}.get(
            type(exc), getattr(exc, "msg", str(exc))
        )
        yield Skip(
            Origin(source, "", "json"),
            SkipReason.PARSE_ERROR,
            f"The file is not valid JSON ({why}).",
        )
        return
    records = value if isinstance(value, list) else [value]
    numeric = NumericDates()
    for number, record in enumerate(records, start=1):
        origin = Origin(source, f"record {number}", "json")
        if isinstance(record, dict):
            yield guarded(origin, article_from_record, record, origin, fields, max_chars, numeric)
        else:
            yield Skip(origin, SkipReason.PARSE_ERROR, f"Record {number} is not a JSON object.")
