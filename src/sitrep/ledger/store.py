"""The ledger: one DuckDB file, the single source of truth for everything sitrep shows."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from sitrep.errors import LedgerError
from sitrep.ledger.bulk import bulk_write
from sitrep.ledger.schema import MIGRATIONS
from sitrep.model import (
    Article,
    IngestOutcome,
    Origin,
    Skip,
    SkipReason,
    article_from_record,
    article_record,
)

ARTICLE_COLUMNS = {
    "id": "VARCHAR",
    "seq": "BIGINT",
    "source": "VARCHAR",
    "part": "VARCHAR",
    "format": "VARCHAR",
    "external_id": "VARCHAR",
    "url": "VARCHAR",
    "outlet": "VARCHAR",
    "title": "VARCHAR",
    "authors": "VARCHAR[]",
    "published": "DATE",
    "published_precision": "VARCHAR",
    "language": "VARCHAR",
    "language_score": "DOUBLE",
    "analysable": "BOOLEAN",
    "page_id": "VARCHAR",
    "page_part": "INTEGER",
    "body_start": "INTEGER",
    "word_count": "INTEGER",
    "text": "VARCHAR",
    "provenance": "JSON",
}
LOG_COLUMNS = {
    "source": "VARCHAR",
    "part": "VARCHAR",
    "format": "VARCHAR",
    "status": "VARCHAR",
    "reason": "VARCHAR",
    "message": "VARCHAR",
    "article_id": "VARCHAR",
}
FILE_COLUMNS = {"path": "VARCHAR", "size": "BIGINT", "mtime_ns": "BIGINT"}


@dataclass(frozen=True)
class FileStamp:
    """Identity of an input file's content at the time it was read to its end."""

    path: str
    size: int
    mtime_ns: int


@dataclass
class IngestCounts:
    new: int = 0
    unchanged: int = 0  # already in the ledger from this same input
    duplicates: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> count
    files_unchanged: int = 0

    @property
    def problems(self) -> int:
        return self.duplicates + sum(self.skipped.values())

    def add(self, other: IngestCounts) -> None:
        self.new += other.new
        self.unchanged += other.unchanged
        self.duplicates += other.duplicates
        self.files_unchanged += other.files_unchanged
        for reason, n in other.skipped.items():
            self.skipped[reason] = self.skipped.get(reason, 0) + n


def default_ledger_path() -> Path:
    """``$SITREP_DB`` or ./sitrep.duckdb (read by the faces, passed down to the library)."""
    return Path(os.environ.get("SITREP_DB") or "sitrep.duckdb")


class Ledger:
    """An open ledger file. Use as a context manager; writes happen in per-batch transactions."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, path: Path) -> None:
        self.conn, self.path = conn, path

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False) -> Ledger:
        path = Path(path)
        if read_only and not path.exists():
            raise LedgerError(f"There is no ledger at {path}: run `sitrep run INPUT` first.")
        try:
            conn = duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise LedgerError(f"The ledger {path} is in use by another process.") from exc
            raise LedgerError(f"The ledger {path} cannot be opened ({exc}).") from exc
        except duckdb.Error as exc:
            raise LedgerError(f"The file {path} is not a sitrep ledger ({exc}).") from exc
        ledger = cls(conn, path)
        ledger._check_or_migrate(read_only)
        return ledger

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    # ---------------------------------------------------------------- schema
    @property
    def schema_version(self) -> int:
        exists = self.conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
        ).fetchone()
        if not exists or not exists[0]:
            return 0
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def _check_or_migrate(self, read_only: bool) -> None:
        version = self.schema_version
        latest = MIGRATIONS[-1][0]
        if version > latest:
            raise LedgerError(
                f"The ledger {self.path} has schema {version}, newer than this sitrep "
                f"understands ({latest}): upgrade sitrep."
            )
        if version == latest:
            return
        if read_only:
            raise LedgerError(f"The ledger {self.path} needs migrating: open it once for writing.")
        for number, _name, sql in MIGRATIONS:
            if number <= version:
                continue
            with self.transaction():
                if number == 1:
                    self.conn.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
                self.conn.execute(sql)
                self.conn.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(number)]
                )

    def transaction(self) -> _Transaction:
        return _Transaction(self.conn)

    # ---------------------------------------------------------------- ingest writes
    def is_current(self, stamp: FileStamp) -> bool:
        """Whether this file was read to its end before, unchanged since."""
        row = self.conn.execute(
            "SELECT size, mtime_ns FROM input_files WHERE path = ?", [stamp.path]
        ).fetchone()
        return row is not None and (row[0], row[1]) == (stamp.size, stamp.mtime_ns)

    def record_ingest(
        self, outcomes: Sequence[IngestOutcome], completed: Sequence[FileStamp] = ()
    ) -> IngestCounts:
        """Store one batch of outcomes, and mark ``completed`` files, in one transaction."""
        counts = IngestCounts()
        ids = sorted({o.id for o in outcomes if isinstance(o, Article)})
        owners = self._article_owners(ids)
        next_seq = self._next_seq()
        article_rows: list[dict[str, Any]] = []
        log_rows: dict[tuple[str, str], dict[str, Any]] = {}
        for outcome in outcomes:
            if isinstance(outcome, Skip):
                log_rows[outcome.origin.key] = _log_row(outcome)
                counts.skipped[outcome.reason] = counts.skipped.get(outcome.reason, 0) + 1
                continue
            owner = owners.get(outcome.id)
            if owner is None:
                owners[outcome.id] = outcome.origin.key
                article_rows.append(_article_row(outcome, next_seq + len(article_rows)))
                log_rows[outcome.origin.key] = _log_row(outcome)
                counts.new += 1
            elif owner == outcome.origin.key:
                log_rows[outcome.origin.key] = _log_row(outcome)
                counts.unchanged += 1
            else:
                duplicate = Skip(
                    outcome.origin,
                    SkipReason.DUPLICATE,
                    f"The text duplicates article {outcome.id} from {_describe(owner)}.",
                    article_id=outcome.id,
                )
                log_rows[outcome.origin.key] = _log_row(duplicate)
                counts.duplicates += 1
        with self.transaction():
            bulk_write(self.conn, "articles", ARTICLE_COLUMNS, article_rows)
            bulk_write(self.conn, "ingest_log", LOG_COLUMNS, list(log_rows.values()), replace=True)
            files = [vars(stamp) for stamp in completed]
            bulk_write(self.conn, "input_files", FILE_COLUMNS, files, replace=True)
        return counts

    def _article_owners(self, ids: list[str]) -> dict[str, tuple[str, str]]:
        if not ids:
            return {}
        rows = self.conn.execute(
            "SELECT id, source, part FROM articles WHERE id IN (SELECT unnest(?))", [ids]
        ).fetchall()
        return {r[0]: (r[1], r[2]) for r in rows}

    def _next_seq(self) -> int:
        row = self.conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM articles").fetchone()
        return int(row[0]) if row else 1

    # ---------------------------------------------------------------- reads
    def article_count(self) -> int:
        row = self.conn.execute("SELECT count(*) FROM articles").fetchone()
        return int(row[0]) if row else 0

    def iter_articles(self, where: str = "", params: Sequence[Any] = ()) -> Iterator[Article]:
        cursor = self.conn.execute(
            f"SELECT * FROM articles {('WHERE ' + where) if where else ''} ORDER BY seq",
            list(params),
        )
        names = [d[0] for d in cursor.description or []]
        while batch := cursor.fetchmany(500):
            for row in batch:
                yield article_from_row(dict(zip(names, row, strict=True)))

    def get_article(self, article_id: str) -> Article | None:
        return next(self.iter_articles("id = ?", [article_id]), None)

    def iter_rows(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        """Rows of a query as dicts, fetched in batches (for exports of any size)."""
        cursor = self.conn.execute(sql, list(params))
        names = [d[0] for d in cursor.description or []]
        while batch := cursor.fetchmany(1000):
            for row in batch:
                yield dict(zip(names, row, strict=True))

    def ingest_log(self, status: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT * FROM ingest_log" + (" WHERE status = ?" if status else "")
        cursor = self.conn.execute(sql + " ORDER BY source, part", [status] if status else [])
        names = [d[0] for d in cursor.description or []]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


class _Transaction:
    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN TRANSACTION")

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


def _describe(key: tuple[str, str]) -> str:
    return Origin(key[0], key[1]).describe()


def _log_row(outcome: IngestOutcome) -> dict[str, Any]:
    origin = outcome.origin
    if isinstance(outcome, Skip):
        return {
            "source": origin.source,
            "part": origin.part,
            "format": origin.format,
            "status": "skipped",
            "reason": str(outcome.reason),
            "message": outcome.message,
            "article_id": outcome.article_id,
        }
    return {
        "source": origin.source,
        "part": origin.part,
        "format": origin.format,
        "status": "ingested",
        "reason": None,
        "message": None,
        "article_id": outcome.id,
    }


def _article_row(article: Article, seq: int) -> dict[str, Any]:
    """The ledger row is the export record under the table's column names."""
    return {**article_record(article), "id": article.id, "seq": seq}


def article_from_row(row: dict[str, Any]) -> Article:
    provenance = row.get("provenance")
    if isinstance(provenance, str):
        provenance = json.loads(provenance)
    return article_from_record({**row, "article_id": row["id"], "provenance": provenance})
