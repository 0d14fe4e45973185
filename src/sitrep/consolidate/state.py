"""What each consolidation step last ran on, so that a re-run with nothing new does no work.

A step's fingerprint digests everything its result depends on: the articles it reads (ids,
ingestion order and the metadata the step uses), for the event step each article's analysis
pipeline and the analysts' corrections, and the consolidation code itself. It is stored with
the step's result, in the same transaction (migration 10, ``consolidation_state``), so a run
killed before the result is written leaves the old fingerprint and the step is redone.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from sitrep import resources as data_package
from sitrep.ledger.store import Ledger
from sitrep.version import __version__

__all__ = [
    "EVENTS",
    "EVENTS_BASE",
    "REUSE",
    "REUSE_BASE",
    "fingerprint",
    "is_current",
    "record",
]

REUSE = "reuse"
# What the reuse step's stored sketches depend on besides the articles (the code): while it
# is unchanged, new articles are compared with the stored sketches.
REUSE_BASE = "reuse.base"
EVENTS = "events"
# What the event step's result depends on besides its articles (code, switches,
# corrections): while it is unchanged, new articles can join the stored events.
EVENTS_BASE = "events.base"

# One string per step from the ledger, in ingestion order: a changed text is a new id, a
# changed outlet, date or headline (a metadata-only revision keeps the id) or a new analysis
# changes the string. md5 is enough: this detects change, it does not resist an adversary.
_INPUTS = {
    REUSE: """
        SELECT count(*), md5(coalesce(string_agg(
            concat_ws('|', id, seq, body_start, title, outlet), '\n' ORDER BY seq), ''))
        FROM articles
    """,
    EVENTS: """
        SELECT count(*), md5(coalesce(string_agg(
            concat_ws('|', a.id, a.seq, a.outlet, a.published, y.pipeline), '\n'
            ORDER BY a.seq), ''))
        FROM articles a LEFT JOIN analyses y ON y.article_id = a.id
    """,
}
# Corrections apply on read today; they are in the event step's fingerprint so that a step
# that learns to read them is redone when an analyst adds one.
_CORRECTIONS = "SELECT count(*), coalesce(max(id), 0) FROM corrections"


# The bundled data files consolidation reads (``disagreements`` reads the characterisations).
_DATA_FILES = ("characterisations.yaml",)


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """The digest of the consolidation code and the data it reads: a changed rule or
    lexicon redoes the work even when the package version was not bumped (as in a
    development checkout)."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    # The shipped incident model decides which mentions are one happening.
    for path in sorted((Path(__file__).parent / "models").glob("incident.*")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for name in _DATA_FILES:
        digest.update(name.encode() + b"\0" + files(data_package).joinpath(name).read_bytes())
    return digest.hexdigest()


def fingerprint(ledger: Ledger, step: str, *options: object) -> str:
    """The digest of what ``step`` would read now (``options``: the run's switches that
    change its result, such as whether statements are clustered)."""
    row = ledger.conn.execute(_INPUTS[step]).fetchone() if step in _INPUTS else ()
    parts: list[object] = [step, _code_digest(), *(row or ()), *options]
    if step in (EVENTS, EVENTS_BASE):
        parts += list(ledger.conn.execute(_CORRECTIONS).fetchone() or ())
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()


def is_current(ledger: Ledger, step: str, digest: str) -> bool:
    """Whether ``step``'s stored result was computed from inputs with this digest."""
    row = ledger.conn.execute(
        "SELECT fingerprint FROM consolidation_state WHERE step = ?", [step]
    ).fetchone()
    return row is not None and row[0] == digest


def record(ledger: Ledger, step: str, digest: str) -> None:
    """Store the digest ``step`` ran on (call in the transaction that writes its result)."""
    ledger.conn.execute(
        "INSERT OR REPLACE INTO consolidation_state VALUES (?, ?, ?)",
        [step, digest, datetime.now(UTC).replace(tzinfo=None)],
    )
