"""sitrep: an evidence ledger for news about armed conflict.

The public API: open a ledger, run inputs into it, read articles back, analyse a text.

    >>> from sitrep import Ledger, analyze_text, run
    >>> with Ledger.open("sitrep.duckdb") as ledger:
    ...     ingested, analysed = run(ledger, ["articles/"])
    >>> document = analyze_text("Russian jets struck near Rusafa on Monday.")
"""

from sitrep.analyze.core.document import Document
from sitrep.api import AnalyzeCounts, Progress, analyze, analyze_text, fetch, ingest, run
from sitrep.errors import SitrepError, UsageError
from sitrep.ingest import FetchOptions, IngestOptions
from sitrep.ledger.store import IngestCounts, Ledger
from sitrep.model import Article, Origin, Skip, SkipReason
from sitrep.version import __version__

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
