"""JSONL and CSV files of article records (DESIGN §4): text kept verbatim."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from sitrep.ingest.build import make_article, parse_published
from sitrep.model import IngestOutcome, Origin, Skip, SkipReason

RECORD_FIELDS = ("text", "id", "title", "url", "outlet", "authors", "published")
csv.field_size_limit(1 << 30)


def _authors(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return tuple(str(a).strip() for a in value if str(a).strip())
    return tuple(a.strip() for a in str(value).split(";") if a.strip())


def _text_or_none(value: Any) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


def article_from_record(
    record: Mapping[str, Any], origin: Origin, fields: Mapping[str, str], max_chars: int
) -> IngestOutcome:
    """One record -> Article; ``fields`` maps our field names to the record's own keys."""

    def get(name: str) -> Any:
        return record.get(fields.get(name, name))

    text = get("text")
    if not isinstance(text, str):
        what = "no" if text is None else f"a non-text ({type(text).__name__})"
        return Skip(origin, SkipReason.PARSE_ERROR, f"The record has {what} 'text' field.")
    if len(text) > max_chars:
        return Skip(
            origin, SkipReason.TOO_LARGE, f"The record's text exceeds {max_chars} characters."
        )
    published, precision = parse_published(get("published"))
    provenance = {"published": "record"} if published else {}
    raw_published = _text_or_none(get("published"))
    if raw_published and not published:
        provenance["published"] = f"unreadable: {raw_published[:40]}"
    return make_article(
        text,
        origin,
        title=_text_or_none(get("title")),
        authors=_authors(get("authors")),
        outlet=_text_or_none(get("outlet")),
        published=published,
        published_precision=precision,
        url=_text_or_none(get("url")),
        external_id=_text_or_none(get("id")),
        provenance=provenance,
    )


def read_jsonl(
    stream: IO[bytes], source: str, fields: Mapping[str, str], max_chars: int
) -> Iterator[IngestOutcome]:
    for number, raw in enumerate(stream, start=1):
        origin = Origin(source, f"line {number}", "jsonl")
        if not raw.strip():
            continue  # blank lines separate nothing in JSONL; they are not inputs
        try:
            record = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            yield Skip(origin, SkipReason.PARSE_ERROR, f"Line {number} is not valid JSON ({exc}).")
            continue
        if not isinstance(record, dict):
            yield Skip(origin, SkipReason.PARSE_ERROR, f"Line {number} is not a JSON object.")
            continue
        yield article_from_record(record, origin, fields, max_chars)


def read_csv(
    path: Path, source: str, fields: Mapping[str, str], max_chars: int
) -> Iterator[IngestOutcome]:
    with path.open("rb") as binary:
        stream = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="replace", newline="")
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
        reader = csv.DictReader(stream, delimiter=delimiter)
        columns = reader.fieldnames or []
        text_column = fields.get("text", "text")
        if text_column not in columns:
            shown = ", ".join(columns[:12]) or "none"
            yield Skip(
                Origin(source, "", "csv"),
                SkipReason.PARSE_ERROR,
                f"The CSV has no '{text_column}' column (its columns: {shown}).",
            )
            return
        try:
            for number, row in enumerate(reader, start=2):
                origin = Origin(source, f"row {number}", "csv")
                yield article_from_record(row, origin, fields, max_chars)
        except csv.Error as exc:
            yield Skip(
                Origin(source, f"row {reader.line_num}", "csv"),
                SkipReason.PARSE_ERROR,
                f"The CSV is malformed from line {reader.line_num} on ({exc}).",
            )


def read_json_array(
    data: bytes, source: str, fields: Mapping[str, str], max_chars: int
) -> Iterator[IngestOutcome]:
    """A .json file holding one record or an array of records."""
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        yield Skip(
            Origin(source, "", "json"),
            SkipReason.PARSE_ERROR,
            f"The file is not valid JSON ({exc}).",
        )
        return
    records = value if isinstance(value, list) else [value]
    for number, record in enumerate(records, start=1):
        origin = Origin(source, f"record {number}", "json")
        if isinstance(record, dict):
            yield article_from_record(record, origin, fields, max_chars)
        else:
            yield Skip(origin, SkipReason.PARSE_ERROR, f"Record {number} is not a JSON object.")
