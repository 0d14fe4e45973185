"""Full-text search over article text: DuckDB's FTS extension (BM25), loaded from the PyPI
package ``duckdb-extension-fts`` (no download), with an index kept in the ledger and rebuilt
when the articles change. Without the index (a read-only ledger never indexed) a plain
case-insensitive substring scan answers instead."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import duckdb

from sitrep.ledger.store import Ledger

log = logging.getLogger(__name__)

MAX_HITS = 10_000  # articles one search returns at most
_STAMP_KEY = "fts_articles"


def _extension() -> Path | None:
    try:
        import duckdb_extension_fts  # type: ignore[import-untyped]  # ships no type hints
    except ImportError:
        return None
    folder = Path(duckdb_extension_fts.__file__).parent / "extensions" / f"v{duckdb.__version__}"
    found = folder / "fts.duckdb_extension"
    return found if found.exists() else None


def load_fts(conn: duckdb.DuckDBPyConnection) -> bool:
    """Load the FTS extension into ``conn``; False when it is not installed."""
    path = _extension()
    if path is None:
        return False
    try:
        conn.execute(f"LOAD '{path.as_posix()}'")
    except duckdb.Error as exc:
        log.warning("full-text search extension not loaded: %s", exc)
        return False
    return True


def _stamp(ledger: Ledger) -> str:
    row = ledger.conn.execute("SELECT count(*), coalesce(max(seq), 0) FROM articles").fetchone()
    return f"{row[0]}:{row[1]}" if row else "0:0"


def _indexed(ledger: Ledger) -> bool:
    row = ledger.conn.execute(
        "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'fts_main_articles'"
    ).fetchone()
    return bool(row and row[0])


def ensure_search_index(ledger: Ledger) -> bool:
    """Build (or rebuild, when articles changed) the full-text index; needs a writable ledger.
    Returns whether the index is usable."""
    if not load_fts(ledger.conn):
        return False
    row = ledger.conn.execute("SELECT value FROM meta WHERE key = ?", [_STAMP_KEY]).fetchone()
    stamp = _stamp(ledger)
    if row and row[0] == stamp and _indexed(ledger):
        return True
    ledger.conn.execute(
        "PRAGMA create_fts_index('articles', 'id', 'title', 'text', stemmer = 'english', "
        "stopwords = 'english', overwrite = 1)"
    )
    ledger.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [_STAMP_KEY, stamp])
    return True


def _usable(ledger: Ledger) -> bool:
    return _indexed(ledger) and load_fts(ledger.conn)


def matching_articles(ledger: Ledger, query: str, limit: int = MAX_HITS) -> list[str]:
    """Ids of the articles matching ``query``, best first."""
    if not query.strip():
        return []
    if _usable(ledger):
        rows = ledger.conn.execute(
            "SELECT id FROM (SELECT id, fts_main_articles.match_bm25(id, ?) AS score "
            "FROM articles) WHERE score IS NOT NULL ORDER BY score DESC, id LIMIT ?",
            [query, limit],
        ).fetchall()
        return [str(r[0]) for r in rows]
    pattern = "%" + re.sub(r"([%_\\\\])", r"\\\1", query.strip()) + "%"
    rows = ledger.conn.execute(
        "SELECT id FROM articles WHERE text ILIKE ? ESCAPE '\\' OR title ILIKE ? ESCAPE '\\' "
        "ORDER BY seq LIMIT ?",
        [pattern, pattern, limit],
    ).fetchall()
    return [str(r[0]) for r in rows]


def search_articles(ledger: Ledger, query: str, limit: int = 50) -> list[dict[str, object]]:
    """Matching articles with a snippet around the first hit of a query word."""
    ids = matching_articles(ledger, query, limit)
    if not ids:
        return []
    rows = {
        r[0]: r
        for r in ledger.conn.execute(
            "SELECT id, title, outlet, published, text FROM articles "
            "WHERE id IN (SELECT unnest(?))",
            [ids],
        ).fetchall()
    }
    words = [w for w in re.findall(r"\w+", query.lower()) if len(w) > 1]
    hits = []
    for article_id in ids:
        _, title, outlet, published, text = rows[article_id]
        lowered = text.lower()
        at = min((p for w in words if (p := lowered.find(w)) >= 0), default=0)
        start = max(0, at - 80)
        hits.append(
            {
                "article_id": article_id,
                "title": title,
                "outlet": outlet,
                "published": str(published) if published else None,
                "snippet": {"text": text[start : start + 240], "start": start},
                "terms": words,
            }
        )
    return hits
