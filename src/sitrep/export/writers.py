"""Writing export records as JSONL, CSV or Parquet (Parquet through DuckDB's writer).

Strings are written as data: CSV cells that a spreadsheet would take for a formula get a
leading apostrophe, and JSON escapes what could open a tag in a browser (``safetext``).
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import duckdb

from sitrep.safetext import json_text, spreadsheet_cell

FORMATS = ("jsonl", "csv", "parquet", "geojson")


def _flat(value: Any) -> Any:
    """CSV cells: lists joined with '; ', nested objects as JSON."""
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return "; ".join(value)
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _nested_as_json(record: dict[str, Any]) -> dict[str, Any]:
    """Objects become JSON text so the Parquet schema does not vary with the corpus."""

    def convert(value: Any) -> Any:
        nested = isinstance(value, dict) or (
            isinstance(value, list) and any(isinstance(v, dict | list) for v in value)
        )
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if nested else value

    return {k: convert(v) for k, v in record.items()}


def write_jsonl(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    count = 0
    for record in records:
        out.write(json_text(record) + "\n")
        count += 1
    return count


def write_csv(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    writer: csv.DictWriter[str] | None = None
    count = 0
    for record in records:
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(record), extrasaction="ignore")
            writer.writeheader()
        writer.writerow({k: spreadsheet_cell(_flat(v)) for k, v in record.items()})
        count += 1
    return count


def write_parquet(records: Iterable[dict[str, Any]], path: Path) -> int:
    """Stage the records as JSONL, then let DuckDB infer the schema and write Parquet."""
    handle, staged = tempfile.mkstemp(prefix="sitrep-export-", suffix=".jsonl")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            count = write_jsonl((_nested_as_json(r) for r in records), out)
        if count == 0:
            raise ValueError("nothing to export")
        conn = duckdb.connect()
        try:
            # COPY ... TO takes no bound parameters: quote the paths as SQL literals.
            conn.execute(
                f"COPY (SELECT * FROM read_json({_literal(staged)}, format='newline_delimited', "
                f"maximum_object_size=1073741824, sample_size=-1)) TO {_literal(str(path))} "
                "(FORMAT parquet)"
            )
        finally:
            conn.close()
        return count
    finally:
        Path(staged).unlink()


def write_geojson(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """A FeatureCollection of the records that have a place (a Point at its coordinates),
    streamed one feature at a time so memory stays flat."""
    out.write('{"type": "FeatureCollection", "features": [\n')
    count = 0
    for record in records:
        place = record.get("place")
        if not place or place.get("lat") is None:
            continue
        feature = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [place["lon"], place["lat"]]},
            "properties": record,
        }
        out.write((",\n" if count else "") + json_text(feature))
        count += 1
    out.write("\n]}\n")
    return count


def write_records(records: Iterable[dict[str, Any]], fmt: str, out: IO[str] | Path) -> int:
    """Write ``records`` in ``fmt`` to a text stream (jsonl, csv) or a file path (any format)."""
    if fmt == "parquet":
        if not isinstance(out, Path):
            raise ValueError("Parquet needs an output file (-o FILE).")
        return write_parquet(records, out)
    if isinstance(out, Path):
        with out.open("w", encoding="utf-8", newline="") as stream:
            return write_records(records, fmt, stream)
    if fmt == "geojson":
        return write_geojson(records, out)
    return write_jsonl(records, out) if fmt == "jsonl" else write_csv(records, out)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run: text starting with ``=``, ``+``, ``-``, ``@``,
    a tab or a carriage return gets a leading apostrophe (OWASP's advice for CSV injection).
    Lists of text are treated item by item, since CSV joins them; other values pass."""
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA_START) else value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [neutralise_formula(v) for v in value]
    return value
