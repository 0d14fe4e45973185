"""The sketches the reuse step keeps of every article it read (migration 12), so that new
articles are compared with them instead of the whole corpus being read again.

Arrays travel as flat numpy columns registered with DuckDB and are gathered into lists in
SQL: registering a Python object per article (bytes, or even strings) cost 5.5 s per 10,000
sketches on this machine, flat integer columns a few milliseconds. Articles are named by
their ``seq``; ids are read from ``articles``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt

from sitrep.ledger.consolidated import UNNEST, joined

__all__ = [
    "INPUT_SIGNATURE",
    "Sketch",
    "StoredInputs",
    "bucket_members",
    "clear_sketches",
    "outlet_code",
    "read_sketches",
    "stored_inputs",
    "write_bands",
    "write_postings",
    "write_reuse_inputs",
    "write_sketches",
]

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

TABLES = ("reuse_inputs", "dedup_sketches", "dedup_bands", "reuse_postings")
# What the reuse step reads of an article besides its text (a changed text is a new id).
INPUT_SIGNATURE = "json_array(a.seq, a.body_start, a.title, a.outlet)::VARCHAR"


@dataclass(frozen=True)
class Sketch:
    """One article's near-duplicate sketch."""

    article_id: str
    seq: int
    signature: U32
    body: U32
    headline: U64


@dataclass(frozen=True)
class StoredInputs:
    """What the last reuse run read: how many articles, the last one's ``seq``, and the
    articles read since that are new (None: one it read is gone or changed)."""

    count: int
    last_seq: int
    new: list[tuple[str, int]] | None


def clear_sketches(conn: duckdb.DuckDBPyConnection) -> None:
    for table in TABLES:
        conn.execute(f"DELETE FROM {table}")


def _insert(conn: duckdb.DuckDBPyConnection, sql: str, columns: dict[str, object]) -> None:
    """Run ``sql`` reading the numpy ``columns`` as the relation ``batch``."""
    conn.register("batch", columns)
    try:
        conn.execute(sql)
    finally:
        conn.unregister("batch")


def outlet_code(key: str | None) -> int:
    """A stable 63-bit code of an outlet as site templates compare them (-1: none)."""
    if key is None:
        return -1
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little") >> 1


def write_reuse_inputs(
    conn: duckdb.DuckDBPyConnection,
    seqs: I64,
    outlets: Sequence[str | None],
    repeats: npt.NDArray[np.bool_],
) -> None:
    """Record the articles the step read (``outlets``: as site templates compare them; the
    id and signature are read from ``articles``)."""
    if not len(seqs):
        return
    columns: dict[str, object] = {
        "seq": np.asarray(seqs, dtype=np.int64),
        "outlet": np.fromiter(map(outlet_code, outlets), np.int64, len(outlets)),
        "repeats": np.asarray(repeats, dtype=bool),
    }
    _insert(
        conn,
        f"""INSERT INTO reuse_inputs
            SELECT a.id, a.seq, {INPUT_SIGNATURE}, nullif(b.outlet, -1), b.repeats
            FROM batch b JOIN articles a ON a.seq = b.seq""",
        columns,
    )


def _flat(
    seqs: Sequence[int], arrays: Sequence[npt.NDArray[Any]], dtype: type
) -> dict[str, object]:
    """Arrays as one long relation: the article's seq, the position and the value."""
    sizes = np.fromiter(map(len, arrays), np.int64, len(arrays))
    starts = np.cumsum(sizes) - sizes
    return {
        "seq": np.repeat(np.asarray(seqs, dtype=np.int64), sizes),
        "i": np.arange(int(sizes.sum()), dtype=np.int64) - np.repeat(starts, sizes),
        "v": np.concatenate([*arrays, np.zeros(0, dtype=dtype)]).astype(dtype),
    }


def write_sketches(conn: duckdb.DuckDBPyConnection, sketches: Sequence[Sketch]) -> None:
    if not sketches:
        return
    seqs = [s.seq for s in sketches]
    parts = {
        "signature": _flat(seqs, [s.signature for s in sketches], np.uint32),
        "body": _flat(seqs, [s.body for s in sketches], np.uint32),
        "headline": _flat(seqs, [s.headline for s in sketches], np.uint64),
    }
    for name, columns in parts.items():
        conn.register(f"sketch_{name}", columns)
    try:
        conn.execute(
            """INSERT INTO dedup_sketches
               WITH s AS (SELECT seq, list(v ORDER BY i) AS v FROM sketch_signature GROUP BY seq),
                    b AS (SELECT seq, list(v ORDER BY i) AS v FROM sketch_body GROUP BY seq),
                    h AS (SELECT seq, list(v ORDER BY i) AS v FROM sketch_headline GROUP BY seq)
               SELECT s.seq, a.id, s.v, b.v, coalesce(h.v, []::UBIGINT[])
               FROM s JOIN articles a ON a.seq = s.seq JOIN b ON b.seq = s.seq
               LEFT JOIN h ON h.seq = s.seq"""
        )
    finally:
        for name in parts:
            conn.unregister(f"sketch_{name}")


def write_bands(conn: duckdb.DuckDBPyConnection, seqs: I64, keys: U64) -> None:
    """The band keys of sketched articles (``keys``: a row of keys per ``seqs`` entry)."""
    if not len(seqs):
        return
    columns: dict[str, object] = {
        "key": keys.ravel(),
        "seq": np.repeat(seqs, keys.shape[1]),
    }
    _insert(conn, "INSERT INTO dedup_bands SELECT key, seq FROM batch", columns)


def write_postings(
    conn: duckdb.DuckDBPyConnection,
    hashes: U64 | None = None,
    seqs: I64 | None = None,
    *,
    parquet: Path | None = None,
    doc_seqs: I64 | None = None,
) -> None:
    """Seed shingles: (hash, seq) pairs, or the (h, doc) rows of a Parquet file with each
    doc number's seq in ``doc_seqs``."""
    if parquet is not None and doc_seqs is not None:
        columns: dict[str, object] = {
            "doc": np.arange(len(doc_seqs), dtype=np.int32),
            "seq": doc_seqs,
        }
        _insert(
            conn,
            "INSERT INTO reuse_postings SELECT p.h, b.seq FROM read_parquet("
            + _quoted(parquet)
            + ") p JOIN batch b ON b.doc = p.doc",
            columns,
        )
    elif hashes is not None and seqs is not None and len(hashes):
        columns = {"h": hashes.view(np.int64), "seq": seqs}
        _insert(conn, "INSERT INTO reuse_postings SELECT h, seq FROM batch", columns)


def _quoted(path: Path) -> str:
    return "'" + path.as_posix().replace("'", "''") + "'"


def stored_inputs(conn: duckdb.DuckDBPyConnection) -> StoredInputs:
    """Compare the articles the last run read with the ledger's."""
    count, last, changed = conn.execute(
        f"""SELECT count(*), coalesce(max(r.seq), -1),
                   count(*) FILTER (WHERE a.id IS NULL OR r.signature <> {INPUT_SIGNATURE})
            FROM reuse_inputs r LEFT JOIN articles a ON a.id = r.article_id"""
    ).fetchone() or (0, -1, 0)
    if changed:
        return StoredInputs(int(count), int(last), None)
    new = conn.execute(
        """SELECT a.id, a.seq FROM articles a ANTI JOIN reuse_inputs r ON r.article_id = a.id
           ORDER BY a.seq"""
    ).fetchall()
    return StoredInputs(int(count), int(last), [(str(i), int(s)) for i, s in new])


def read_sketches(conn: duckdb.DuckDBPyConnection, seqs: Sequence[int]) -> dict[int, Sketch]:
    """The stored sketches of the articles ``seqs`` (those that have one)."""
    if not seqs:
        return {}
    rows = conn.execute(
        f"""SELECT seq, article_id, signature, body, headline FROM dedup_sketches
            WHERE seq IN (SELECT TRY_CAST({UNNEST} AS BIGINT))""",
        [joined(sorted(set(seqs)))],
    ).fetchall()
    return {
        int(seq): Sketch(
            str(article_id),
            int(seq),
            np.asarray(signature, dtype=np.uint32),
            np.asarray(body, dtype=np.uint32),
            np.asarray(headline, dtype=np.uint64),
        )
        for seq, article_id, signature, body, headline in rows
    }


def bucket_members(conn: duckdb.DuckDBPyConnection, keys: U64) -> tuple[U64, I64]:
    """The stored (band key, seq) rows of the buckets ``keys``, in corpus order."""
    if not len(keys):
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    conn.register("wanted", {"key": np.unique(keys)})
    try:
        found = conn.execute(
            "SELECT b.key, b.seq FROM dedup_bands b SEMI JOIN wanted w ON w.key = b.key "
            "ORDER BY b.seq, b.key"
        ).fetchnumpy()
    finally:
        conn.unregister("wanted")
    return np.asarray(found["key"], dtype=np.uint64), np.asarray(found["seq"], dtype=np.int64)
