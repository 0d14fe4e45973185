"""The analyst's views as data: incidents, mentions, claims, signals, articles, reuse links and
the spans behind them, filtered, paged and corrected. The report, the web app, the API and the
CLI's `show` read these shapes; nothing here prints or reads global state."""

from sitrep.views.article import article_view, show
from sitrep.views.bundle import article_texts, bundle, region_geojson
from sitrep.views.corrections import CorrectionSet, add_correction, read_corrections
from sitrep.views.filters import Filters, Page
from sitrep.views.incidents import IncidentCache, incident, iter_incidents, list_incidents
from sitrep.views.lists import (
    iter_claims,
    iter_mentions,
    list_articles,
    list_claims,
    list_mentions,
    list_reuse,
    list_signals,
)
from sitrep.views.search import ensure_search_index, matching_articles, search_articles

__all__ = [
    "CorrectionSet",
    "Filters",
    "IncidentCache",
    "Page",
    "add_correction",
    "article_texts",
    "article_view",
    "bundle",
    "ensure_search_index",
    "incident",
    "iter_claims",
    "iter_incidents",
    "iter_mentions",
    "list_articles",
    "list_claims",
    "list_incidents",
    "list_mentions",
    "list_reuse",
    "list_signals",
    "matching_articles",
    "read_corrections",
    "region_geojson",
    "search_articles",
    "show",
]
