"""Full-text search over article text: DuckDB's FTS extension (BM25), loaded from the PyPI
package ``duckdb-extension-fts`` (no download), with an index kept in the ledger and rebuilt
when the articles change. Without the index (a read-only ledger never indexed) a plain
case-insensitive substring scan answers instead."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import duckdb

from sitrep.ledger.store import Ledger

log = logging.getLogger(__name__)

MAX_HITS = 10_000  # articles one search returns at most
_STAMP_KEY = "fts_articles"
# The query's terms as the index knows them (stemmed; stop words are not in the dictionary).
_TERMS = """
SELECT d.termid, d.df FROM fts_main_articles.dict d
WHERE d.term IN (SELECT DISTINCT stem(unnest(fts_main_articles.tokenize(?)), 'english'))
"""
# BM25 (k1 1.2, b 0.75, as the extension's match_bm25) over the articles holding every term,
# from a copy of the index's postings sorted by term: DuckDB then reads only the row groups
# of the query's terms. The extension's macro scores one document per call (most of a second
# over 100,000 articles); its terms table is in document order, so it is read whole.
_BM25 = """
WITH p AS (SELECT termid, docid, tf FROM fts_main_articles.postings WHERE termid IN ({terms})),
c AS (SELECT docid FROM p GROUP BY docid HAVING count(*) = ?),
q AS (SELECT unnest(?) AS termid, unnest(?) AS df),
s AS (SELECT num_docs, avgdl FROM fts_main_articles.stats)
SELECT docs.name FROM p
JOIN c USING (docid) JOIN q USING (termid) JOIN fts_main_articles.docs docs USING (docid), s
GROUP BY docs.name
ORDER BY sum(ln((s.num_docs - q.df + 0.5) / (q.df + 0.5) + 1)
             * (p.tf * 2.2 / (p.tf + 1.2 * (0.25 + 0.75 * docs.len / s.avgdl)))) DESC, docs.name
LIMIT ?
"""
_POSTINGS = """
CREATE OR REPLACE TABLE fts_main_articles.postings AS
SELECT termid, docid, count(*)::INTEGER AS tf FROM fts_main_articles.terms
GROUP BY termid, docid ORDER BY termid, docid
"""


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
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_schema = 'fts_main_articles' AND table_name = 'postings'"
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
    ledger.conn.execute(_POSTINGS)
    ledger.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [_STAMP_KEY, stamp])
    return True


def _usable(ledger: Ledger) -> bool:
    return _indexed(ledger) and load_fts(ledger.conn)


def matching_articles(ledger: Ledger, query: str, limit: int = MAX_HITS) -> list[str]:
    """Ids of the articles holding every word of ``query`` (stemmed, stop words left out),
    best first (BM25)."""
    if not query.strip():
        return []
    if _usable(ledger):
        terms = ledger.conn.execute(_TERMS, [query]).fetchall()
        if not terms:
            return []
        ids, dfs = [int(t[0]) for t in terms], [int(t[1]) for t in terms]
        sql = _BM25.format(terms=", ".join("?" * len(ids)))
        rows = ledger.conn.execute(sql, [*ids, len(ids), ids, dfs, limit]).fetchall()
        return [str(r[0]) for r in rows]
    pattern = "%" + re.sub(r"([%_\\\\])", r"\\\1", query.strip()) + "%"
    rows = ledger.conn.execute(
        "SELECT id FROM articles WHERE text ILIKE ? ESCAPE '\\' OR title ILIKE ? ESCAPE '\\' "
        "ORDER BY seq LIMIT ?",
        [pattern, pattern, limit],
    ).fetchall()
    return [str(r[0]) for r in rows]


_MATCHING = """
SELECT docs.name FROM (
  SELECT docid FROM fts_main_articles.postings WHERE termid IN ({terms})
  GROUP BY docid HAVING count(*) = ?) c
JOIN fts_main_articles.docs docs USING (docid)
"""


def search_subquery(ledger: Ledger, query: str) -> tuple[str, list[Any]]:
    """SQL selecting the ids of the articles holding every word of ``query`` (unranked), and
    its parameters: for filters that only need the set."""
    if _usable(ledger):
        terms = ledger.conn.execute(_TERMS, [query]).fetchall()
        if not terms:
            return "SELECT NULL::VARCHAR WHERE false", []
        ids = [int(t[0]) for t in terms]
        return _MATCHING.format(terms=", ".join("?" * len(ids))), [*ids, len(ids)]
    pattern = "%" + re.sub(r"([%_\\])", r"\\\1", query.strip()) + "%"
    return (
        "SELECT id FROM articles WHERE text ILIKE ? ESCAPE '\\' OR title ILIKE ? ESCAPE '\\'",
        [pattern, pattern],
    )


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
