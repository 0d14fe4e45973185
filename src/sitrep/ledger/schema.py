"""The ledger's schema as an ordered list of migrations; the version lives in ``meta``.

Never edit a released migration: add a new one. Each runs in one transaction.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "articles, ingest log, input files",
        """
        CREATE TABLE articles (
            id VARCHAR PRIMARY KEY,
            seq BIGINT NOT NULL,             -- ingestion order, stable across resumed runs
            source VARCHAR NOT NULL,
            part VARCHAR NOT NULL,
            format VARCHAR NOT NULL,
            external_id VARCHAR,
            url VARCHAR,
            outlet VARCHAR,
            title VARCHAR,
            authors VARCHAR[],
            published DATE,
            published_precision VARCHAR,
            language VARCHAR,
            language_score DOUBLE,
            analysable BOOLEAN NOT NULL,
            page_id VARCHAR,
            page_part INTEGER,
            body_start INTEGER NOT NULL,
            word_count INTEGER NOT NULL,
            text VARCHAR NOT NULL,
            provenance JSON
        );
        CREATE TABLE ingest_log (
            source VARCHAR NOT NULL,
            part VARCHAR NOT NULL,
            format VARCHAR,
            status VARCHAR NOT NULL,         -- ingested | skipped
            reason VARCHAR,                  -- a SkipReason value for skipped inputs
            message VARCHAR,
            article_id VARCHAR,
            PRIMARY KEY (source, part)
        );
        CREATE TABLE input_files (
            path VARCHAR PRIMARY KEY,        -- absolute path of a file read to its end
            size BIGINT NOT NULL,
            mtime_ns BIGINT NOT NULL
        );
        """,
    ),
]

LATEST_VERSION = MIGRATIONS[-1][0]
