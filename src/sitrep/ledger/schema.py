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

MIGRATIONS.append(
    (
        2,
        "analysis layers: entities, times, quantities",
        """
        CREATE TABLE analyses (
            article_id VARCHAR PRIMARY KEY,
            pipeline VARCHAR NOT NULL,       -- stages + resources that produced the rows below
            dct VARCHAR,                     -- the date the text speaks from
            dct_granularity VARCHAR,
            dct_how VARCHAR,
            main_country VARCHAR,
            main_admin1 VARCHAR
        );
        CREATE TABLE entities (
            article_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            text VARCHAR NOT NULL,
            label VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            found_by VARCHAR NOT NULL,
            actor_code VARCHAR, actor_sector VARCHAR, actor_name VARCHAR, actor_id VARCHAR,
            actor_how VARCHAR,
            place_name VARCHAR, lat DOUBLE, lon DOUBLE, precision VARCHAR, country VARCHAR,
            admin1 VARCHAR, geonameid BIGINT, place_how VARCHAR,
            unresolved VARCHAR,
            PRIMARY KEY (article_id, idx)
        );
        CREATE TABLE times (
            article_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            text VARCHAR NOT NULL,
            value VARCHAR, end_value VARCHAR, granularity VARCHAR, how VARCHAR,
            PRIMARY KEY (article_id, idx)
        );
        CREATE TABLE quantities (
            article_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            text VARCHAR NOT NULL,
            low BIGINT, high BIGINT, category VARCHAR NOT NULL, subject VARCHAR,
            PRIMARY KEY (article_id, idx)
        );
        """,
    )
)

MIGRATIONS.append(
    (
        3,
        "event mentions",
        """
        CREATE TABLE mentions (
            article_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            start_char INTEGER NOT NULL,      -- the evidence sentence
            end_char INTEGER NOT NULL,
            trigger_start INTEGER NOT NULL,
            trigger_end INTEGER NOT NULL,
            trigger VARCHAR NOT NULL,
            type VARCHAR NOT NULL,
            mode VARCHAR,
            modality VARCHAR NOT NULL,
            counts BOOLEAN NOT NULL,         -- enters the ledger as an event
            headline BOOLEAN NOT NULL,
            actors JSON, recipients JSON,    -- [{text, start, end, code, sector, name}]
            place_name VARCHAR, place_text VARCHAR, lat DOUBLE, lon DOUBLE, precision VARCHAR,
            country VARCHAR, admin1 VARCHAR, geonameid BIGINT, place_how VARCHAR,
            date VARCHAR, date_granularity VARCHAR, date_how VARCHAR,
            killed_low BIGINT, killed_high BIGINT, injured_low BIGINT, injured_high BIGINT,
            claim_id VARCHAR, confidence DOUBLE, why VARCHAR,
            also JSON,                       -- other trigger spans telling the same happening
            PRIMARY KEY (article_id, idx)
        );
        """,
    )
)

MIGRATIONS.append(
    (
        4,
        "claims and signals",
        """
        CREATE TABLE claims (
            article_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,             -- the claim id is article_id-c{idx}
            start_char INTEGER NOT NULL,      -- the content
            end_char INTEGER NOT NULL,
            kind VARCHAR NOT NULL,            -- direct | indirect | mixed
            stance VARCHAR NOT NULL,
            cue_text VARCHAR NOT NULL, cue_start INTEGER NOT NULL, cue_end INTEGER NOT NULL,
            speaker_text VARCHAR, speaker_start INTEGER, speaker_end INTEGER,
            speaker_code VARCHAR, speaker_sector VARCHAR, speaker_name VARCHAR,
            speaker_how VARCHAR, speaker_anonymous BOOLEAN,
            speaker_codes JSON,             -- every actor of a compound speaker
            via_text VARCHAR, via_start INTEGER, via_end INTEGER, via_code VARCHAR,
            via_name VARCHAR,
            parts JSON,                       -- [[start, end]]: quoted stretches of the content
            events JSON,                      -- [idx]: event mentions the claim holds
            why VARCHAR,
            PRIMARY KEY (article_id, idx)
        );
        CREATE TABLE signals (
            article_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            text VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            score DOUBLE NOT NULL,
            why VARCHAR,
            PRIMARY KEY (article_id, idx)
        );
        """,
    )
)

LATEST_VERSION = MIGRATIONS[-1][0]
