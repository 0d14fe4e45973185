"""Fast batch writes: rows are staged as JSONL and read by DuckDB's JSON reader.

DuckDB's ``executemany`` inserts about 1,000 article rows per second on this machine; staging
the same rows through ``read_json`` is about 20x faster (measured with 2,000 rows of 3 KB).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import duckdb


def _default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot store {type(value).__name__}")


def bulk_write(
    conn: duckdb.DuckDBPyConnection,
    table: str,
    columns: Mapping[str, str],
    rows: Sequence[Mapping[str, Any]],
    *,
    replace: bool = False,
) -> None:
    """Insert ``rows`` (dicts keyed by column) into ``table``; ``replace`` upserts on the key."""
    if not rows:
        return
    handle, path = tempfile.mkstemp(prefix="sitrep-", suffix=".jsonl")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps({c: row.get(c) for c in columns}, default=_default))
                out.write("\n")
        spec = ", ".join(f"{json.dumps(c)}: '{t}'" for c, t in columns.items())
        names = ", ".join(columns)
        verb = "INSERT OR REPLACE INTO" if replace else "INSERT INTO"
        conn.execute(
            f"{verb} {table} ({names}) SELECT {names} FROM read_json(?, format='newline_delimited',"
            f" columns={{{spec}}}, maximum_object_size=1073741824)",
            [path],
        )
    finally:
        Path(path).unlink()
