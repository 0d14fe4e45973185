"""sitrep: an evidence ledger for news about armed conflict.

The public API: open a ledger, run inputs into it, read articles back, analyse a text.

    >>> from sitrep import Ledger, analyze_text, run
    >>> with Ledger.open("sitrep.duckdb") as ledger:
    ...     ingested, analysed = run(ledger, ["articles/"])
    >>> document = analyze_text("Russian jets struck near Rusafa on Monday.")

Names are imported on first use (PEP 562), so ``import sitrep`` (and `sitrep --version`)
does not load spaCy, torch or DuckDB.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

from sitrep.version import __version__

if TYPE_CHECKING:
    from sitrep.analyze.core.document import Document
    from sitrep.api import AnalyzeCounts, Progress, analyze, analyze_text, fetch, ingest, run
    from sitrep.errors import SitrepError, UsageError
    from sitrep.ingest import FetchOptions, IngestOptions
    from sitrep.ledger.store import IngestCounts, Ledger
    from sitrep.model import Article, Origin, Skip, SkipReason

_WHERE = {
    "Document": "sitrep.analyze.core.document",
    "AnalyzeCounts": "sitrep.api",
    "Progress": "sitrep.api",
    "analyze": "sitrep.api",
    "analyze_text": "sitrep.api",
    "fetch": "sitrep.api",
    "ingest": "sitrep.api",
    "run": "sitrep.api",
    "SitrepError": "sitrep.errors",
    "UsageError": "sitrep.errors",
    "FetchOptions": "sitrep.ingest",
    "IngestOptions": "sitrep.ingest",
    "IngestCounts": "sitrep.ledger.store",
    "Ledger": "sitrep.ledger.store",
    "Article": "sitrep.model",
    "Origin": "sitrep.model",
    "Skip": "sitrep.model",
    "SkipReason": "sitrep.model",
}

__all__ = [
    "AnalyzeCounts",
    "Article",
    "Document",
    "FetchOptions",
    "IngestCounts",
    "IngestOptions",
    "Ledger",
    "Origin",
    "Progress",
    "SitrepError",
    "Skip",
    "SkipReason",
    "UsageError",
    "__version__",
    "analyze",
    "analyze_text",
    "fetch",
    "ingest",
    "run",
]


class _Package(ModuleType):
    """The package module. ``ingest`` and ``analyze`` name both a function of the API and a
    subpackage; importing a subpackage binds its name on the package, which would hide the
    function. The function keeps the name (``sitrep.ingest.files`` still imports as ever)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("ingest", "analyze") and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'sitrep' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
