"""sitrep: an evidence ledger for news about armed conflict.

The public API: open a ledger, ingest inputs into it, read articles back.

    >>> from sitrep import Ledger, ingest
    >>> with Ledger.open("sitrep.duckdb") as ledger:
    ...     counts = ingest(ledger, ["articles/"])
"""

from sitrep.api import Progress, fetch, ingest
from sitrep.errors import SitrepError, UsageError
from sitrep.ingest import FetchOptions, IngestOptions
from sitrep.ledger.store import IngestCounts, Ledger
from sitrep.model import Article, Origin, Skip, SkipReason
from sitrep.version import __version__

__all__ = [
    "Article",
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
    "fetch",
    "ingest",
]
