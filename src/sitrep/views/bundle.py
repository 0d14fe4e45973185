"""The data behind the report and the web app's pages: one JSON object in one shape, built by
the library so both faces stay thin.

``{"meta", "incidents", "options", "geo", "articles"}``: ``incidents`` are the incident records
(corrections applied; an ``area`` index into ``geo.features`` for places known only to their
province or country); ``articles`` maps each article id to its title, outlet, date, text and
the spans to highlight. The report embeds the articles gzip-compressed (the browser's own
DecompressionStream unpacks them); the server hands each article out on request.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

from sitrep.ledger.store import Ledger
from sitrep.version import __version__
from sitrep.views.article import claim_spans, mention_span, signal_span
from sitrep.views.corrections import CorrectionSet
from sitrep.views.filters import MODALITIES, Filters, event_types
from sitrep.views.incidents import IncidentCache, iter_incidents
from sitrep.views.lists import _CLAIMS, _MENTIONS, _SIGNALS, claim_view, mention_view, signal_view

# The report holds at most this many incidents (the newest and most widely told first).
MAX_INCIDENTS = 50_000
AREA_PRECISIONS = ("province", "region", "country")
# Fields of an account the views use (the rest of the stored record stays in exports).
# (Outlet, title and date are the source's, in ``sources``.)
_ACCOUNT_KEYS = (
    "article_id",
    "mention_id",
    "modality",
    "evidence",
    "evidence_start",
    "evidence_end",
    "speaker",
    "speaker_code",
    "via",
    "via_code",
    "support",
)


@cache
def region_geojson() -> dict[str, Any]:
    """Country borders and provinces around Syria (vendored Natural Earth, reduced)."""
    path = resources.files("sitrep.resources").joinpath("web/vendor/geo/region.geojson")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@cache
def _areas() -> tuple[dict[tuple[str, str], int], dict[str, int]]:
    provinces: dict[tuple[str, str], int] = {}
    countries: dict[str, int] = {}
    for index, feature in enumerate(region_geojson()["features"]):
        p = feature["properties"]
        if p["kind"] == "province" and p.get("admin1"):
            provinces.setdefault((p["country"], p["admin1"].lower()), index)
        elif p["kind"] == "country" and p["country"]:
            countries.setdefault(p["country"], index)
    return provinces, countries


def area_of(place: dict[str, Any] | None) -> int | None:
    """The map feature that draws a place known only to its province (or country)."""
    if not place or place.get("precision") not in AREA_PRECISIONS:
        return None
    provinces, countries = _areas()
    country = place.get("country") or ""
    if place.get("precision") == "province" and place.get("admin1"):
        found = provinces.get((country, str(place["admin1"]).lower()))
        if found is not None:
            return found
    return countries.get(country)


def _slim(record: dict[str, Any]) -> dict[str, Any]:
    keep = (
        "incident_id",
        "type",
        "mode",
        "date",
        "place",
        "actors",
        "recipients",
        "killed",
        "n_articles",
        "n_mentions",
        "independent_sources",
        "repeating_outlets",
        "outlets",
        "disagreements",
        "corrections",
        "original",
        "merged_from",
        "split_from",
    )
    slim = {k: record[k] for k in keep if k in record}
    slim["accounts"] = [{k: a.get(k) for k in _ACCOUNT_KEYS} for a in record["accounts"]]
    slim["sources"] = [
        {
            "article_id": s["article_id"],
            "outlet": s["outlet"],
            "title": s["title"],
            "published": s["published"],
            "mentions": [a["mention_id"] for a in s["accounts"]],
            "reposts": s["reposts"],
        }
        for s in record["sources"]
    ]
    slim["area"] = area_of(record["place"])
    slim["modalities"] = sorted({a["modality"] for a in record["accounts"]})
    return slim


def incident_bundle(
    ledger: Ledger,
    filters: Filters | None = None,
    limit: int = MAX_INCIDENTS,
    cache: IncidentCache | None = None,
) -> list[dict[str, Any]]:
    found = []
    for record in iter_incidents(ledger, filters, cache=cache):
        found.append(_slim(record))
        if len(found) >= limit:
            break
    return found


def _options(ledger: Ledger, incidents: list[dict[str, Any]]) -> dict[str, list[str]]:
    actors = {c for r in incidents for c in r["actors"] + r["recipients"]}
    provinces = {r["place"]["admin1"] for r in incidents if r["place"] and r["place"]["admin1"]}
    outlets = {o for r in incidents for o in r["outlets"]}
    return {
        "types": list(event_types()),
        "modalities": list(MODALITIES),
        "actors": sorted(actors),
        "provinces": sorted(provinces),
        "outlets": sorted(outlets, key=str.lower),
    }


def article_texts(ledger: Ledger, ids: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
    """Every article (or those of ``ids``) with the spans to highlight, read in bulk."""
    corrections = CorrectionSet.load(ledger)
    wanted = None if ids is None else sorted(set(ids))
    where, params = (
        ("", []) if wanted is None else ("WHERE {}.article_id IN (SELECT unnest(?))", [wanted])
    )
    spans: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in ledger.iter_rows(_MENTIONS.format(where=where.format("m")), params):
        spans[row["article_id"]].append(mention_span(mention_view(row, corrections)))
    for row in ledger.iter_rows(_CLAIMS.format(where=where.format("c")), params):
        spans[row["article_id"]] += claim_spans(claim_view(row, corrections))
    for row in ledger.iter_rows(_SIGNALS.format(where=where.format("s")), params):
        spans[row["article_id"]].append(signal_span(signal_view(row)))
    article_where = "" if wanted is None else "WHERE id IN (SELECT unnest(?))"
    articles = {}
    for row in ledger.iter_rows(
        f"SELECT id, title, outlet, published, authors, url, text FROM articles {article_where} "
        "ORDER BY seq",
        params,
    ):
        text = row["text"]
        articles[row["id"]] = {
            "title": row["title"],
            "outlet": row["outlet"],
            "published": str(row["published"]) if row["published"] else None,
            "authors": list(row["authors"] or []),
            "url": row["url"],
            "text": text,
            "spans": sorted(
                (s for s in spans.get(row["id"], []) if 0 <= s["start"] < s["end"] <= len(text)),
                key=lambda s: (s["start"], -s["end"]),
            ),
        }
    return articles


def bundle(
    ledger: Ledger,
    filters: Filters | None = None,
    *,
    limit: int = MAX_INCIDENTS,
    with_articles: bool = True,
    cache: IncidentCache | None = None,
) -> dict[str, Any]:
    """The views' data in one object (see the module docstring)."""
    incidents = incident_bundle(ledger, filters, limit, cache)
    return {
        "meta": {
            "generated": datetime.now(UTC).isoformat(timespec="seconds"),
            "sitrep": __version__,
            "ledger": ledger.path.name,
            "incidents": len(incidents),
            "articles": ledger.article_count(),
        },
        "incidents": incidents,
        "options": _options(ledger, incidents),
        "geo": region_geojson(),
        "articles": article_texts(ledger) if with_articles else {},
    }
