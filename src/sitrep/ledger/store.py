"""The ledger: one DuckDB file, the single source of truth for everything sitrep shows."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from sitrep.errors import LedgerError, LedgerInUseError
from sitrep.ledger.bulk import bulk_write
from sitrep.ledger.revisions import apply_actions, forget_revived, plan_batch
from sitrep.ledger.rows import article_from_row, revision_record
from sitrep.ledger.schema import MIGRATIONS
from sitrep.model import Article, IngestOutcome

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
    revised: int = 0  # new versions of inputs read before (the old ones kept as revisions)

    @property
    def problems(self) -> int:
        return self.duplicates + sum(self.skipped.values())

    def add(self, other: IngestCounts) -> None:
        self.new += other.new
        self.unchanged += other.unchanged
        self.duplicates += other.duplicates
        self.files_unchanged += other.files_unchanged
        self.revised += other.revised
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
                raise LedgerInUseError(
                    f"The ledger {path} is in use by another process: try again when it is done."
                ) from exc
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
        """Store one batch of outcomes, and mark ``completed`` files, in one transaction; an
        input that now gives another text replaces its old version (``ledger.revisions``)."""
        plan = plan_batch(self.conn, outcomes, self._next_seq())
        with self.transaction():
            apply_actions(self.conn, plan.actions)
            bulk_write(self.conn, "articles", ARTICLE_COLUMNS, plan.article_rows)
            if plan.article_rows and self._has_table("revisions"):
                forget_revived(self.conn, [row["id"] for row in plan.article_rows])
            log = list(plan.log_rows.values())
            bulk_write(self.conn, "ingest_log", LOG_COLUMNS, log, replace=True)
            files = [vars(stamp) for stamp in completed]
            bulk_write(self.conn, "input_files", FILE_COLUMNS, files, replace=True)
        return IngestCounts(
            plan.new, plan.unchanged, plan.duplicates, plan.skipped, revised=plan.revised
        )

    def _has_table(self, name: str) -> bool:
        row = self.conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
        ).fetchone()
        return bool(row and row[0])

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

    def revisions(self, source: str | None = None) -> list[dict[str, Any]]:
        """Old versions of articles (of one input, or all), oldest first, as export records."""
        sql = "SELECT * FROM revisions" + (" WHERE source = ?" if source else "")
        rows = self.iter_rows(sql + " ORDER BY revision", [source] if source else [])
        return [revision_record(row) for row in rows]

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
