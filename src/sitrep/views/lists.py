"""Lists of mentions, claims, signals, articles and reuse links: filtered and paged by DuckDB
with bound parameters, each record in its export shape plus its id, corrections applied."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sitrep.export.queries import REUSE_QUERY
from sitrep.export.records import claim_record, mention_record, reuse_record, signal_record
from sitrep.ledger.store import Ledger
from sitrep.views.corrections import CorrectionSet
from sitrep.views.filters import Filters, Page
from sitrep.views.search import search_subquery

_MENTIONS = """
SELECT m.*, substr(a.text, m.start_char + 1, m.end_char - m.start_char) AS evidence_text,
       a.outlet, a.title, a.published
FROM mentions m JOIN articles a ON a.id = m.article_id
{where}
ORDER BY a.seq, m.idx
"""
_CLAIMS = """
SELECT c.*, substr(a.text, c.start_char + 1, c.end_char - c.start_char) AS content_text,
       list_transform(json_transform(c.parts, '[["INTEGER"]]'),
                      lambda p: substr(a.text, p[1] + 1, p[2] - p[1])) AS part_texts,
       a.outlet, a.title, a.published
FROM claims c JOIN articles a ON a.id = c.article_id
{where}
ORDER BY a.seq, c.idx
"""
_SIGNALS = """
SELECT s.*, a.outlet, a.title, a.published
FROM signals s JOIN articles a ON a.id = s.article_id
{where}
ORDER BY a.seq, s.idx
"""
_ARTICLES = """
SELECT a.id, a.title, a.outlet, a.published, a.authors, a.url, a.source, a.part, a.language,
       a.word_count, n.main_country, n.main_admin1,
       (SELECT count(*) FROM mentions m WHERE m.article_id = a.id AND m.counts) AS events,
       (SELECT count(*) FROM claims c WHERE c.article_id = a.id) AS claims,
       g.representative_id AS copy_of
FROM articles a LEFT JOIN analyses n ON n.article_id = a.id
LEFT JOIN duplicate_groups g ON g.article_id = a.id AND g.representative_id <> a.id
{where}
ORDER BY a.seq
"""


def _common(f: Filters, ledger: Ledger, alias: str) -> tuple[list[str], list[Any]]:
    """Conditions every list shares: article, outlet, publication dates, search."""
    clauses: list[str] = []
    params: list[Any] = []
    if f.article_id:
        clauses.append(f"{alias}.article_id = ?" if alias != "a" else "a.id = ?")
        params.append(f.article_id)
    if f.outlet:
        clauses.append("lower(a.outlet) = lower(?)")
        params.append(f.outlet)
    if f.q:
        sql, found = search_subquery(ledger, f.q)
        clauses.append(f"a.id IN ({sql})")
        params += found
    return clauses, params


def _mention_where(f: Filters, ledger: Ledger) -> tuple[list[str], list[Any]]:
    clauses, params = _common(f, ledger, "m")
    if not f.include_all and not f.modality:
        clauses.append("m.counts")
    if f.type:
        clauses.append("m.type = ?")
        params.append(f.type)
    if f.modality:
        clauses.append("m.modality = ?")
        params.append(f.modality)
    if f.actor:
        clauses.append(
            "(EXISTS (SELECT 1 FROM unnest(json_transform(m.actors, '[\"JSON\"]')) r(x) "
            "WHERE upper(x->>'code') = upper(?)) OR EXISTS (SELECT 1 FROM "
            "unnest(json_transform(m.recipients, '[\"JSON\"]')) r(x) "
            "WHERE upper(x->>'code') = upper(?)))"
        )
        params += [f.actor, f.actor]
    if f.province:
        clauses.append("lower(m.admin1) = lower(?)")
        params.append(f.province)
    if f.precision:
        clauses.append("m.precision = ?")
        params.append(f.precision)
    if f.min_toll is not None:
        clauses.append("coalesce(m.killed_high, m.killed_low) >= ?")
        params.append(f.min_toll)
    if f.date_from:
        clauses.append("m.date >= left(?, length(m.date))")
        params.append(f.date_from)
    if f.date_to:
        clauses.append("m.date <= left(?, length(m.date))")
        params.append(f.date_to)
    return clauses, params


def _claim_where(f: Filters, ledger: Ledger) -> tuple[list[str], list[Any]]:
    clauses, params = _common(f, ledger, "c")
    if f.stance:
        clauses.append("c.stance = ?")
        params.append(f.stance)
    if f.speaker:
        clauses.append("upper(c.speaker_code) = upper(?)")
        params.append(f.speaker)
    return clauses, params


def _signal_where(f: Filters, ledger: Ledger) -> tuple[list[str], list[Any]]:
    clauses, params = _common(f, ledger, "s")
    if f.kind:
        clauses.append("lower(s.kind) = lower(?)")
        params.append(f.kind)
    return clauses, params


def _article_where(f: Filters, ledger: Ledger) -> tuple[list[str], list[Any]]:
    clauses, params = _common(f, ledger, "a")
    if f.date_from:
        clauses.append("a.published >= TRY_CAST(? AS DATE)")
        params.append(_full_date(f.date_from, "01"))
    if f.date_to:
        clauses.append("a.published <= TRY_CAST(? AS DATE)")
        params.append(_full_date(f.date_to, "28"))
    return clauses, params


def _full_date(value: str, day: str) -> str:
    parts = value.split("-")
    month = parts[1] if len(parts) > 1 else ("01" if day == "01" else "12")
    return f"{parts[0]}-{month}-{parts[2] if len(parts) > 2 else day}"


def _paged(
    ledger: Ledger,
    sql: str,
    clauses: list[str],
    params: list[Any],
    page: Page,
) -> tuple[int, Iterator[dict[str, Any]]]:
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    query = sql.format(where=where)
    total_row = ledger.conn.execute(f"SELECT count(*) FROM ({query})", params).fetchone()
    total = int(total_row[0]) if total_row else 0
    rows = ledger.iter_rows(f"{query} LIMIT ? OFFSET ?", [*params, page.limit, page.offset])
    return total, rows


def _with_context(record: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    record["outlet"] = row.get("outlet")
    record["title"] = row.get("title")
    published = row.get("published")
    record["published"] = str(published) if published is not None else None
    return record


def mention_view(row: dict[str, Any], corrections: CorrectionSet) -> dict[str, Any]:
    record = mention_record(row)
    record["mention_id"] = f"{row['article_id']}-m{row['idx']}"
    return _with_context(corrections.mention(record), row)


def claim_view(row: dict[str, Any], corrections: CorrectionSet) -> dict[str, Any]:
    return _with_context(corrections.claim(claim_record(row)), row)


def signal_view(row: dict[str, Any]) -> dict[str, Any]:
    record = signal_record(row)
    record["signal_id"] = f"{row['article_id']}-s{row['idx']}"
    return _with_context(record, row)


def article_summary(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "article_id": row["id"],
        "title": row["title"],
        "outlet": row["outlet"],
        "published": str(row["published"]) if row["published"] else None,
        "authors": list(row["authors"] or []),
        "url": row["url"],
        "source": row["source"],
        "part": row["part"],
        "language": row["language"],
        "word_count": row["word_count"],
        "country": row["main_country"],
        "province": row["main_admin1"],
        "events": row["events"],
        "claims": row["claims"],
        "copy_of": row["copy_of"],
    }


def _corrected_list(
    ledger: Ledger,
    sql: str,
    where: tuple[list[str], list[Any]],
    page: Page,
    to_record: Callable[[dict[str, Any]], dict[str, Any]],
    keep: Callable[[dict[str, Any]], bool],
) -> tuple[int, list[dict[str, Any]]]:
    total, rows = _paged(ledger, sql, *where, page)
    records = [r for r in map(to_record, rows) if keep(r)]
    return total, records


def list_mentions(
    ledger: Ledger, filters: Filters | None = None, page: Page | None = None
) -> tuple[int, list[dict[str, Any]]]:
    """Event mentions (only those that count as events unless ``include_all`` or a modality
    is asked for), corrections applied: a mention marked wrong shows only with
    ``include_all``."""
    f, corrections = filters or Filters(), CorrectionSet.load(ledger)
    return _corrected_list(
        ledger,
        _MENTIONS,
        _mention_where(f, ledger),
        page or Page(),
        lambda row: mention_view(row, corrections),
        lambda r: f.include_all or not r.get("wrong"),
    )


def list_claims(
    ledger: Ledger, filters: Filters | None = None, page: Page | None = None
) -> tuple[int, list[dict[str, Any]]]:
    f, corrections = filters or Filters(), CorrectionSet.load(ledger)
    return _corrected_list(
        ledger,
        _CLAIMS,
        _claim_where(f, ledger),
        page or Page(),
        lambda row: claim_view(row, corrections),
        lambda r: f.include_all or not r.get("wrong"),
    )


def list_signals(
    ledger: Ledger, filters: Filters | None = None, page: Page | None = None
) -> tuple[int, list[dict[str, Any]]]:
    f = filters or Filters()
    total, rows = _paged(ledger, _SIGNALS, *_signal_where(f, ledger), page or Page())
    return total, [signal_view(r) for r in rows]


def list_articles(
    ledger: Ledger, filters: Filters | None = None, page: Page | None = None
) -> tuple[int, list[dict[str, Any]]]:
    f = filters or Filters()
    total, rows = _paged(ledger, _ARTICLES, *_article_where(f, ledger), page or Page())
    return total, [article_summary(r) for r in rows]


def list_reuse(
    ledger: Ledger, filters: Filters | None = None, page: Page | None = None
) -> tuple[int, list[dict[str, Any]]]:
    """Near-duplicate articles and reused passages (``article_id`` on either side)."""
    f, page = filters or Filters(), page or Page()
    clauses, params = [], []
    if f.article_id:
        clauses.append("(a_article_id = ? OR b_article_id = ?)")
        params += [f.article_id, f.article_id]
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    query = f"SELECT * FROM ({REUSE_QUERY}) {where}"
    total_row = ledger.conn.execute(f"SELECT count(*) FROM ({query})", params).fetchone()
    rows = ledger.iter_rows(f"{query} LIMIT ? OFFSET ?", [*params, page.limit, page.offset])
    return (int(total_row[0]) if total_row else 0), [reuse_record(r) for r in rows]


def iter_mentions(ledger: Ledger, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
    """Every matching mention record, corrections applied (exports)."""
    f, corrections = filters or Filters(include_all=True), CorrectionSet.load(ledger)
    clauses, params = _mention_where(f, ledger)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    for row in ledger.iter_rows(_MENTIONS.format(where=where), params):
        yield mention_view(row, corrections)


def iter_claims(ledger: Ledger, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
    f, corrections = filters or Filters(include_all=True), CorrectionSet.load(ledger)
    clauses, params = _claim_where(f, ledger)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    for row in ledger.iter_rows(_CLAIMS.format(where=where), params):
        yield claim_view(row, corrections)
