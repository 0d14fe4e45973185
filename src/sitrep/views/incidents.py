"""Incidents as the analyst's views show them: the consolidated event's record (the export
shape) and, for every attribute, the spans of text that support it; accounts grouped by outlet
with speaker → relay → outlet, reposts folded into the account they copy.

Today an incident is a consolidated event; when incidents across outlets land (issue 12) the
same record gains fields, and the views show what is there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

from sitrep.consolidate.sources import Account, independent_accounts
from sitrep.export.records import consolidated_record
from sitrep.ledger.mentions import json_value
from sitrep.ledger.store import Ledger
from sitrep.views.corrections import CorrectionSet
from sitrep.views.filters import Filters, Page
from sitrep.views.search import matching_articles, search_subquery

# The details of a page of incidents, read as flat queries over the page's ids (DuckDB
# runs a correlated list-per-event query over the whole ledger before filtering).
_EVENTS = "SELECT e.* FROM consolidated_events e {where}"
# The other articles of a reused passage that holds at least half of a mention's evidence
# sentence (the passage tells the happening): side b is the later article, side a the earlier.
_SHARED = """
SELECT r.{side}_article_id AS article_id, x.idx, list(DISTINCT r.{other}_article_id) AS ids
FROM reuse r JOIN mentions x ON x.article_id = r.{side}_article_id
WHERE r.a_article_id <> r.b_article_id
  AND 2 * (least(r.{side}_end, x.end_char) - greatest(r.{side}_start, x.start_char))
      >= x.end_char - x.start_char
GROUP BY 1, 2
"""
_ACCOUNT_ROWS = f"""
SELECT m.event_id, m.article_id, m.mention_idx AS mention_index, a.seq,
  m.article_id || '-m' || m.mention_idx AS mention_id, a.outlet, a.title, a.published,
  mm.modality, mm.headline,
  substr(a.text, mm.start_char + 1, mm.end_char - mm.start_char) AS evidence,
  mm.start_char AS evidence_start, mm.end_char AS evidence_end, mm.trigger,
  mm.trigger_start, mm.trigger_end, mm.type, mm.actors AS actor_roles,
  mm.recipients AS recipient_roles, mm.place_text, mm.place_name, mm.lat, mm.lon,
  mm.precision, mm.country, mm.admin1, mm.date, mm.date_granularity, mm.killed_low,
  mm.killed_high, mm.claim_id, c.speaker_text AS speaker, c.speaker_code, c.speaker_start,
  c.speaker_end, c.via_text AS via, c.via_code,
  CASE WHEN g.representative_id <> a.id THEN g.representative_id END AS copy_of,
  g.group_id AS duplicate_group, coalesce(sb.ids, []) AS shares_passage_of,
  coalesce(sa.ids, []) AS passage_repeated_in
FROM event_members m
JOIN articles a ON a.id = m.article_id
JOIN mentions mm ON mm.article_id = m.article_id AND mm.idx = m.mention_idx
LEFT JOIN claims c ON c.article_id = mm.article_id AND mm.claim_id = c.article_id || '-c' || c.idx
LEFT JOIN duplicate_groups g ON g.article_id = a.id
LEFT JOIN ({_SHARED.format(side="b", other="a")}) sb
  ON sb.article_id = m.article_id AND sb.idx = m.mention_idx
LEFT JOIN ({_SHARED.format(side="a", other="b")}) sa
  ON sa.article_id = m.article_id AND sa.idx = m.mention_idx
"""
_ACCOUNTS = f"""
SELECT * EXCLUDE (seq) FROM ({_ACCOUNT_ROWS}) {{where}}
ORDER BY event_id, headline, seq, mention_index
"""
_DISAGREEMENTS = """
SELECT d.event_id, d.field, d.kind, d.value, d.article_id, a.outlet, d.source, d.source_code,
       d.via, d.mention_idx AS mention_index, d.claim_idx AS claim_index,
       d.start_char AS start, d.end_char AS "end",
       substr(a.text, d.start_char + 1, d.end_char - d.start_char) AS evidence
FROM disagreements d JOIN articles a ON a.id = d.article_id
{where}
ORDER BY d.event_id, d.field, d.value, a.seq, d.start_char, d.source, d.end_char,
  d.mention_idx, d.claim_idx
"""
_CLAIM_LINKS = """
SELECT event_id, article_id, claim_idx AS claim_index FROM event_claims
{where} ORDER BY event_id, article_id, claim_idx
"""
_STATEMENTS = """
SELECT event_id, list(article_id || '-c' || claim_idx ORDER BY article_id, claim_idx) AS members
FROM claim_clusters {where}
GROUP BY event_id, cluster_id ORDER BY event_id, members
"""
# Where in an article each kind of value is written: (table, the column matched, condition).
_SPANS = {
    "killed_span": ("quantities", "low", "category = 'killed'"),
    "place_span": ("entities", "place_name", "place_name IS NOT NULL"),
    "date_span": ("times", "value", "value IS NOT NULL"),
}
_SPAN_OF = {"killed_span": "killed_low", "place_span": "place_name", "date_span": "date"}
ORDER = "e.n_articles DESC, e.date DESC NULLS LAST, e.id"
_NUMBER = re.compile(r"\d[\d,]*")


def _where(filters: Filters, ledger: Ledger) -> tuple[list[str], list[Any]]:
    """SQL conditions on ``consolidated_events e`` and their bound parameters."""
    clauses: list[str] = []
    params: list[Any] = []
    f = filters
    if f.date_from:
        clauses.append("e.date >= left(?, length(e.date))")
        params.append(f.date_from)
    if f.date_to:
        clauses.append("e.date <= left(?, length(e.date))")
        params.append(f.date_to)
    if f.type:
        clauses.append("e.type = ?")
        params.append(f.type)
    if f.actor:
        clauses.append(
            "(list_contains(list_transform(json_transform(e.actors, '[\"VARCHAR\"]'), x -> "
            "upper(x)), upper(?)) OR list_contains(list_transform(json_transform(e.recipients, "
            "'[\"VARCHAR\"]'), x -> upper(x)), upper(?)))"
        )
        params += [f.actor, f.actor]
    if f.province:
        clauses.append("lower(e.admin1) = lower(?)")
        params.append(f.province)
    if f.country:
        clauses.append("lower(e.country) = lower(?)")
        params.append(f.country)
    if f.precision:
        clauses.append("e.precision = ?")
        params.append(f.precision)
    if f.min_toll is not None:
        clauses.append("coalesce(e.killed_high, e.killed_low) >= ?")
        params.append(f.min_toll)
    if f.min_articles is not None:
        clauses.append("e.n_articles >= ?")
        params.append(f.min_articles)
    # Conditions on an incident's accounts: a semi-join (not a correlated EXISTS).
    member = (
        "e.id IN (SELECT m.event_id FROM event_members m JOIN articles a ON a.id = m.article_id "
        "JOIN mentions mm ON mm.article_id = m.article_id AND mm.idx = m.mention_idx "
        "WHERE {})"
    )
    if f.outlet:
        clauses.append(
            "e.id IN (SELECT m.event_id FROM event_members m WHERE m.article_id IN "
            "(SELECT id FROM articles WHERE lower(outlet) = lower(?)))"
        )
        params.append(f.outlet)
    if f.modality:
        clauses.append(member.format("mm.modality = ?"))
        params.append(f.modality)
    if f.article_id:
        clauses.append("e.id IN (SELECT m.event_id FROM event_members m WHERE m.article_id = ?)")
        params.append(f.article_id)
    if f.q:
        sql, found = search_subquery(ledger, f.q)
        clauses.append(
            f"e.id IN (SELECT m.event_id FROM event_members m WHERE m.article_id IN ({sql}))"
        )
        params += found
    return clauses, params


def _support(account: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Spans of the account's article that support each attribute it gives."""
    article, evidence = account["article_id"], account.get("evidence") or ""
    base = int(account["evidence_start"])

    def span(start: int, end: int) -> dict[str, Any]:
        return {"article_id": article, "start": start, "end": end}

    sentence = span(base, int(account["evidence_end"]))

    def found(key: str) -> list[dict[str, Any]] | None:
        """The span the ledger's own layers give (the nearest quantity, place or time)."""
        where = account.get(key)
        return [span(int(where[0]), int(where[1]))] if where else None

    support: dict[str, list[dict[str, Any]]] = {
        "type": [span(account["trigger_start"], account["trigger_end"])],
        "date": found("date_span") or [sentence],
    }
    for key, roles in (("actors", "actor_roles"), ("recipients", "recipient_roles")):
        spans = [
            span(r["start"], r["end"]) | {"code": r.get("code")}
            for r in json_value(account.get(roles)) or []
            if r.get("code") and r.get("end", 0) > r.get("start", 0)
        ]
        if spans:
            support[key] = spans
    place_text = account.get("place_text")
    if place_text or account.get("place_span"):
        at = evidence.find(place_text) if place_text else -1
        near = span(base + at, base + at + len(place_text or "")) if at >= 0 else None
        support["place"] = [near] if near else found("place_span") or [sentence]
    if account.get("killed_low") is not None:
        number = _toll_span(evidence, int(account["killed_low"]))
        in_sentence = [span(base + number[0], base + number[1])] if number else None
        support["killed"] = in_sentence or found("killed_span") or [sentence]
    return support


def _toll_span(evidence: str, low: int) -> tuple[int, int] | None:
    for match in _NUMBER.finditer(evidence):
        if match.group().replace(",", "") == str(low):
            return match.span()
    return None


def _article_order(account: dict[str, Any]) -> tuple[bool, str, str]:
    """Originals before copies, then earliest published: the first article of an account is
    the one the others repeat."""
    return (
        account.get("copy_of") is not None,
        account.get("published") or "~",
        account["article_id"],
    )


def _accounts(accounts: list[dict[str, Any]]) -> list[Account]:
    """The incident's independent accounts (``consolidate.sources``): near-duplicate groups
    and articles sharing the passage that tells the happening count once."""
    articles = [a["article_id"] for a in sorted(accounts, key=_article_order)]
    groups = {
        a["article_id"]: int(a["duplicate_group"])
        for a in accounts
        if a.get("duplicate_group") is not None
    }
    shared = [
        pair
        for a in accounts
        for pair in [(a["article_id"], o) for o in a.get("shares_passage_of") or []]
        + [(o, a["article_id"]) for o in a.get("passage_repeated_in") or []]
    ]
    return independent_accounts(articles, groups, shared)


def _sources(accounts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per independent account, side by side by outlet: the original article's
    accounts, with the articles that only repeat it folded in as reposts."""
    by_article: dict[str, list[dict[str, Any]]] = {}
    for account in accounts:
        by_article.setdefault(account["article_id"], []).append(account)
    sources = []
    for independent in _accounts(accounts):
        first = by_article[independent.original_id][0]
        sources.append(
            {
                "article_id": independent.original_id,
                "outlet": first.get("outlet"),
                "title": first.get("title"),
                "published": first.get("published"),
                "accounts": by_article[independent.original_id],
                "reposts": [
                    {
                        "article_id": r.article_id,
                        "outlet": by_article[r.article_id][0].get("outlet"),
                        "how": r.how,
                    }
                    for r in independent.repeats
                ],
            }
        )
    return sorted(sources, key=lambda s: ((s["outlet"] or "~").lower(), s["title"] or ""))


def _repeating_outlets(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The outlets whose every article in the incident repeats another outlet's account,
    each with the accounts (original article and its outlet) it repeats."""
    own = {s["outlet"] for s in sources}
    repeating: dict[str, dict[str, str | None]] = {}
    for source in sources:
        for repost in source["reposts"]:
            outlet = repost["outlet"]
            if outlet and outlet not in own:
                repeating.setdefault(outlet, {})[source["article_id"]] = source["outlet"]
    return [
        {
            "outlet": outlet,
            "repeats": [{"article_id": a, "outlet": o} for a, o in sorted(originals.items())],
        }
        for outlet, originals in sorted(repeating.items())
    ]


def incident_record(row: dict[str, Any]) -> dict[str, Any]:
    """The consolidated event's export record, with the incident view's additions."""
    record = consolidated_record(row)
    for account in record["accounts"]:
        for key in ("actor_roles", "recipient_roles"):
            account[key] = json_value(account.get(key)) or []
    return finish_incident(record)


def finish_incident(record: dict[str, Any]) -> dict[str, Any]:
    """Derived parts of an incident record (recomputed after corrections)."""
    record["incident_id"] = record["event_id"]
    for account in record["accounts"]:
        account["support"] = _support(account)
    record["sources"] = _sources(record["accounts"])
    record["independent_sources"] = len(record["sources"])
    record["repeating_outlets"] = _repeating_outlets(record["sources"])
    record.setdefault("wrong", False)
    return record


def _by_id(column: str, ids: Sequence[str] | None) -> tuple[str, list[Any]]:
    """A WHERE clause keeping the rows of ``ids`` (all rows for None). The ids travel as one
    comma-separated parameter: DuckDB 1.5 binds one string in well under a millisecond and a
    list of 50 in about 15 (measured), and a page runs several of these queries."""
    if ids is None:
        return "", []
    if any("," in i for i in ids):
        raise ValueError("an incident id holds a comma")
    return f"WHERE {column} IN (SELECT unnest(string_split(?, ',')))", [",".join(ids)]


def _grouped(
    ledger: Ledger, sql: str, column: str, ids: Sequence[str] | None
) -> dict[str, list[dict[str, Any]]]:
    where, params = _by_id(column, ids)
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in ledger.iter_rows(sql.format(where=where), params):
        grouped.setdefault(row.pop("event_id"), []).append(row)
    return grouped


def _nearest_spans(ledger: Ledger, accounts: list[dict[str, Any]], every: bool) -> None:
    """Each account's ``killed_span``, ``place_span`` and ``date_span``: where its article
    writes the toll, the place and the date, nearest the account's sentence."""
    articles = ",".join(sorted({a["article_id"] for a in accounts}))
    for key, (table, column, condition) in _SPANS.items():
        where: dict[tuple[str, Any], list[tuple[int, int]]] = {}
        among = "" if every else " AND article_id IN (SELECT unnest(string_split(?, ',')))"
        rows = ledger.conn.execute(
            f"SELECT article_id, {column}, start_char, end_char FROM {table} "
            f"WHERE {condition}{among}",
            [] if every else [articles],
        ).fetchall()
        for article_id, value, start, end in rows:
            where.setdefault((article_id, value), []).append((int(start), int(end)))
        for account in accounts:
            found = where.get((account["article_id"], account.get(_SPAN_OF[key])))
            if found:
                sentence: int = account["evidence_start"]
                nearest = min(found, key=lambda pair: abs(pair[0] - sentence))
                account[key] = [nearest[0], nearest[1]]


def read_incidents(ledger: Ledger, ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Incident records read from the consolidation tables: those of ``ids``, in that order,
    or every one (in a handful of set-based queries, for ``IncidentCache``)."""
    if ids is not None and not ids:
        return []
    where, params = _by_id("e.id", ids)
    rows = {r["id"]: r for r in ledger.iter_rows(_EVENTS.format(where=where), params)}
    accounts = _grouped(ledger, _ACCOUNTS, "event_id", ids)
    _nearest_spans(ledger, [a for group in accounts.values() for a in group], ids is None)
    disagreements = _grouped(ledger, _DISAGREEMENTS, "d.event_id", ids)
    claims = _grouped(ledger, _CLAIM_LINKS, "event_id", ids)
    statements = _grouped(ledger, _STATEMENTS, "event_id", ids)
    records = []
    for incident_id in rows if ids is None else ids:
        row = rows.get(incident_id)
        if row is None:
            continue
        row["account_rows"] = accounts.get(incident_id, [])
        row["disagreement_rows"] = disagreements.get(incident_id, [])
        row["claim_rows"] = claims.get(incident_id, [])
        row["statement_rows"] = [s["members"] for s in statements.get(incident_id, [])]
        records.append(incident_record(row))
    return records


class IncidentCache:
    """Every incident's record as compact JSON, in memory, for a process that holds the ledger
    open for writing (`sitrep serve`): nothing else can change its consolidation meanwhile,
    so a page is read from here instead of from five tables (corrections still apply on
    read). Built with one pass over the tables."""

    def __init__(self, ledger: Ledger) -> None:
        self.docs = {
            r["event_id"]: json.dumps(r, default=str, separators=(",", ":"))
            for r in read_incidents(ledger)
        }

    def get(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        return [json.loads(self.docs[i]) for i in ids if i in self.docs]

    def raw(self, ids: Sequence[str]) -> list[str]:
        return [self.docs[i] for i in ids if i in self.docs]


def _page(ledger: Ledger, ids: Sequence[str], cache: IncidentCache | None, raw: bool) -> list[Any]:
    if raw and cache is not None:
        return cache.raw(ids)
    records = _details(ledger, ids, cache)
    return [json.dumps(r, default=str) for r in records] if raw else records


def _details(
    ledger: Ledger, ids: Sequence[str], cache: IncidentCache | None = None
) -> list[dict[str, Any]]:
    if cache is not None:
        return cache.get(ids)
    return read_incidents(ledger, ids)


def touched_incidents(ledger: Ledger, corrections: CorrectionSet) -> list[str]:
    """Ids of the stored incidents that any correction points into."""
    anchors = sorted(corrections.anchors())
    if not anchors:
        return []
    rows = ledger.conn.execute(
        """SELECT DISTINCT m.event_id FROM event_members m
           JOIN mentions mm ON mm.article_id = m.article_id AND mm.idx = m.mention_idx
           JOIN (SELECT unnest(?) AS a, unnest(?) AS s, unnest(?) AS t) k
             ON k.a = mm.article_id AND k.s = mm.trigger_start AND k.t = mm.trigger_end
           ORDER BY 1""",
        [[a[0] for a in anchors], [a[1] for a in anchors], [a[2] for a in anchors]],
    ).fetchall()
    return [str(r[0]) for r in rows]


def _matches(record: dict[str, Any], f: Filters) -> bool:
    """The SQL filters, in Python, for the few incidents corrections changed."""
    date = record["date"]["value"] or ""
    place = record["place"] or {}
    killed = record["killed"] or {}
    accounts = record["accounts"]
    checks = [
        not f.date_from or (bool(date) and date >= f.date_from[: len(date)]),
        not f.date_to or (bool(date) and date <= f.date_to[: len(date)]),
        not f.type or record["type"] == f.type,
        not f.actor
        or f.actor.upper() in {c.upper() for c in record["actors"] + record["recipients"]},
        not f.province or (place.get("admin1") or "").lower() == f.province.lower(),
        not f.country or (place.get("country") or "").lower() == f.country.lower(),
        not f.precision or place.get("precision") == f.precision,
        f.min_toll is None or (killed.get("high") or killed.get("low") or -1) >= f.min_toll,
        f.min_articles is None or record["n_articles"] >= f.min_articles,
        not f.outlet or any((a.get("outlet") or "").lower() == f.outlet.lower() for a in accounts),
        not f.modality or any(a.get("modality") == f.modality for a in accounts),
        not f.article_id or any(a["article_id"] == f.article_id for a in accounts),
    ]
    return all(checks)


def _inverted(date: str | None) -> str:
    """A key that sorts dates newest first and missing dates last (as ORDER does)."""
    if not date:
        return "\U0010ffff"
    return "".join(chr(0x10FFFF - ord(ch)) for ch in date) + "\U0010ffff"


def _sort_key(record: dict[str, Any]) -> tuple[int, str, str]:
    return (-record["n_articles"], _inverted(record["date"]["value"]), record["event_id"])


def list_incidents(
    ledger: Ledger,
    filters: Filters | None = None,
    page: Page | None = None,
    *,
    corrections: CorrectionSet | None = None,
    include_wrong: bool = False,
    cache: IncidentCache | None = None,
    raw: bool = False,
) -> tuple[int, list[Any]]:
    """(how many match, the page of incident records), corrections applied. Incidents that
    corrections touch are read whole, corrected and filtered here; the others are filtered
    and paged by DuckDB. ``raw``: the records as JSON text (a server passes them on as they
    are)."""
    filters, page = filters or Filters(), page or Page()
    corrections = corrections if corrections is not None else CorrectionSet.load(ledger)
    touched = touched_incidents(ledger, corrections)
    clauses, params = _where(filters, ledger)
    if touched:
        clauses.append("e.id NOT IN (SELECT unnest(?))")
        params.append(touched)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    if not touched:  # the common case: one query gives the page and the count
        found = ledger.conn.execute(
            f"SELECT e.id, count(*) OVER () FROM consolidated_events e {where} "
            f"ORDER BY {ORDER} LIMIT ? OFFSET ?",
            [*params, page.limit, page.offset],
        ).fetchall()
        if found or page.offset == 0:
            ids = [str(r[0]) for r in found]
            total = int(found[0][1]) if found else 0
            return total, _page(ledger, ids, cache, raw)
    total_row = ledger.conn.execute(
        f"SELECT count(*) FROM consolidated_events e {where}", params
    ).fetchone()
    total = int(total_row[0]) if total_row else 0
    fixed: list[dict[str, Any]] = []
    if touched:
        fixed = [
            finish_incident(r)
            for r in corrections.incidents(_details(ledger, touched))
            if (include_wrong or not r.get("wrong"))
        ]
        if filters.q:
            hits = set(matching_articles(ledger, filters.q))
            fixed = [r for r in fixed if any(a["article_id"] in hits for a in r["accounts"])]
        fixed = [r for r in fixed if _matches(r, filters)]
    end = page.offset + page.limit
    if not fixed:
        ids = [
            str(r[0])
            for r in ledger.conn.execute(
                f"SELECT e.id FROM consolidated_events e {where} ORDER BY {ORDER} LIMIT ? OFFSET ?",
                [*params, page.limit, page.offset],
            ).fetchall()
        ]
        return total, _page(ledger, ids, cache, raw)
    # Merge the corrected incidents into DuckDB's order by their sort keys, then read the
    # details of the page only.
    keys = [
        (-int(n), _inverted(d), str(i), None)
        for i, n, d in ledger.conn.execute(
            f"SELECT e.id, e.n_articles, e.date FROM consolidated_events e {where} "
            f"ORDER BY {ORDER} LIMIT ?",
            [*params, end],
        ).fetchall()
    ]
    merged = sorted(keys + [(*_sort_key(r), r) for r in fixed], key=lambda k: k[:3])
    window = merged[page.offset : end]
    page_ids = [k[2] for k in window if k[3] is None]
    details = {r["event_id"]: r for r in _details(ledger, page_ids, cache)}
    records = [k[3] if k[3] is not None else details[k[2]] for k in window]
    return total + len(fixed), [json.dumps(r, default=str) for r in records] if raw else records


def iter_incidents(
    ledger: Ledger,
    filters: Filters | None = None,
    *,
    include_wrong: bool = False,
    cache: IncidentCache | None = None,
) -> Iterator[dict[str, Any]]:
    """Every matching incident, corrections applied (for exports and the report)."""
    offset = 0
    corrections = CorrectionSet.load(ledger)
    while True:
        total, records = list_incidents(
            ledger,
            filters,
            Page(500, offset),
            corrections=corrections,
            include_wrong=include_wrong,
            cache=cache,
        )
        yield from records
        offset += 500
        if offset >= total or not records:
            return


def incident(
    ledger: Ledger, incident_id: str, cache: IncidentCache | None = None
) -> dict[str, Any] | None:
    """One incident by id (after corrections, a split-off or merged one too)."""
    corrections = CorrectionSet.load(ledger)
    touched = touched_incidents(ledger, corrections)
    for record in corrections.incidents(_details(ledger, touched)):
        if record["event_id"] == incident_id or incident_id in record.get("merged_from", []):
            return finish_incident(record)
    found = _details(ledger, [incident_id], cache)
    return found[0] if found else None
