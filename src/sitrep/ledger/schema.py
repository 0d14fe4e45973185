"""The ledger's schema as an ordered list of migrations; the version lives in ``meta``.

The newest version is the last migration's.

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


MIGRATIONS.append(
    (
        5,
        "consolidated events, their mentions, claims and disagreements",
        """
        CREATE TABLE consolidated_events (
            id VARCHAR PRIMARY KEY,           -- hash of the member mentions
            type VARCHAR NOT NULL,
            mode VARCHAR,
            date VARCHAR, date_granularity VARCHAR,
            place_name VARCHAR, lat DOUBLE, lon DOUBLE, precision VARCHAR, country VARCHAR,
            admin1 VARCHAR, geonameid BIGINT, place_how VARCHAR,
            actors JSON, recipients JSON,     -- actor codes, most often named first
            killed_low BIGINT, killed_high BIGINT,
            n_articles INTEGER NOT NULL,
            n_mentions INTEGER NOT NULL
        );
        CREATE TABLE event_members (
            event_id VARCHAR NOT NULL,
            article_id VARCHAR NOT NULL,
            mention_idx INTEGER NOT NULL,
            PRIMARY KEY (article_id, mention_idx)
        );
        CREATE TABLE event_claims (
            event_id VARCHAR NOT NULL,
            article_id VARCHAR NOT NULL,
            claim_idx INTEGER NOT NULL
        );
        CREATE TABLE disagreements (
            event_id VARCHAR NOT NULL,
            field VARCHAR NOT NULL,
            value VARCHAR NOT NULL,
            article_id VARCHAR NOT NULL,
            source VARCHAR NOT NULL,          -- "author", "headline" or the claimant's words
            source_code VARCHAR,
            via VARCHAR,
            mention_idx INTEGER,
            claim_idx INTEGER,
            start_char INTEGER NOT NULL,      -- the evidence in the article's text
            end_char INTEGER NOT NULL
        );
        CREATE TABLE claim_clusters (
            cluster_id VARCHAR NOT NULL,      -- one statement reported by several articles
            event_id VARCHAR,                 -- the consolidated event the claims are about
            article_id VARCHAR NOT NULL,
            claim_idx INTEGER NOT NULL
        );
        """,
    )
)

MIGRATIONS.append(
    (
        6,
        "near-duplicate groups and reused passages",
        """
        CREATE TABLE duplicate_groups (
            group_id INTEGER NOT NULL,
            article_id VARCHAR PRIMARY KEY,    -- an article is in one group at most
            representative_id VARCHAR NOT NULL, -- the group's earliest article (it is a member)
            body_similarity DOUBLE NOT NULL,   -- Jaccard of body shingles vs the representative
            headline_similarity DOUBLE NOT NULL -- Jaccard of headline words (reported only)
        );
        CREATE TABLE reuse (
            a_article_id VARCHAR NOT NULL,     -- the earlier article (or occurrence)
            a_start INTEGER NOT NULL,
            a_end INTEGER NOT NULL,
            b_article_id VARCHAR NOT NULL,     -- equal to a_article_id: repeated in one article
            b_start INTEGER NOT NULL,
            b_end INTEGER NOT NULL,
            words INTEGER NOT NULL,            -- the shorter span's length in words
            similarity DOUBLE NOT NULL,        -- identical words / words of the longer span
            kind VARCHAR NOT NULL              -- 'passage'
        );
        """,
    )
)

MIGRATIONS.append(
    (
        7,
        "why a mention is no event",
        """
        ALTER TABLE mentions ADD COLUMN not_event VARCHAR;  -- generic, negated … or NULL
        """,
    )
)

MIGRATIONS.append(
    (
        8,
        "analysts' corrections (append-only)",
        """
        CREATE SEQUENCE correction_seq START 1;
        CREATE TABLE corrections (
            id BIGINT PRIMARY KEY DEFAULT nextval('correction_seq'),
            created TIMESTAMP NOT NULL,        -- when (UTC)
            who VARCHAR NOT NULL,              -- the analyst
            why VARCHAR NOT NULL,              -- their reason, in their words
            target VARCHAR NOT NULL,           -- mention | claim | incident
            article_id VARCHAR NOT NULL,       -- the anchor: a span of an article's text that
            start_char INTEGER NOT NULL,       -- re-analysis keeps (a mention's trigger, a
            end_char INTEGER NOT NULL,         -- claim's content, an incident's first account)
            shown_id VARCHAR,                  -- the id the analyst saw (for the record only)
            action VARCHAR NOT NULL,           -- wrong | right | set | merge | split
            field VARCHAR,                     -- for set: type, actor, recipient, place, date,
            value JSON,                        -- killed, speaker; the new value
            other_article_id VARCHAR,          -- for merge: the other incident's anchor
            other_start INTEGER,
            other_end INTEGER
        );
        """,
    )
)

MIGRATIONS.append(
    (
        9,
        "revisions of articles; analyses that failed",
        """
        -- An old version of an article: the columns of articles (as they are at this
        -- version) after the three that say when and by what it was superseded.
        CREATE TABLE revisions AS
            SELECT 0::BIGINT AS revision,           -- order in which versions were superseded
                   ''::VARCHAR AS superseded_by,    -- the article now read from its input
                   now()::TIMESTAMP AS superseded_at,
                   *
            FROM articles LIMIT 0;
        CREATE TABLE analysis_failures (
            article_id VARCHAR PRIMARY KEY,
            pipeline VARCHAR NOT NULL,        -- the pipeline that failed; a new one tries again
            reason VARCHAR NOT NULL,          -- too_long | failed | worker_died
            message VARCHAR NOT NULL
        );
        """,
    )
)

MIGRATIONS.append(
    (
        10,
        "what each consolidation step last ran on",
        """
        -- A step whose inputs have the fingerprint it last ran on has nothing to redo.
        CREATE TABLE consolidation_state (
            step VARCHAR PRIMARY KEY,         -- reuse | events
            fingerprint VARCHAR NOT NULL,     -- digest of the inputs and the code (state.py)
            done_at TIMESTAMP NOT NULL        -- when (UTC)
        );
        -- Every mention the event step clustered: its block and its component (mentions
        -- joined by a chain of passing pairs), so new mentions re-examine only the
        -- components of the blocks they fall into.
        CREATE TABLE event_blocks (
            article_id VARCHAR NOT NULL,
            mention_idx INTEGER NOT NULL,
            type VARCHAR NOT NULL,
            week INTEGER NOT NULL,
            cell VARCHAR NOT NULL,            -- JSON: ["province", country, province] …
            component BIGINT NOT NULL,
            PRIMARY KEY (article_id, mention_idx)
        );
        -- The articles the event step read, each as it was then (order, outlet, date,
        -- analysis): a changed one redoes the step, new ones join incrementally.
        CREATE TABLE consolidated_inputs (
            article_id VARCHAR PRIMARY KEY,
            signature VARCHAR NOT NULL
        );
        """,
    )
)

MIGRATIONS.append(
    (
        11,
        "what a toll counts; the kind of a disagreement",
        """
        -- The words of the chosen toll, the victims' group it counts (everyone, children,
        -- military …) and its scope (NULL: the happening's toll; part: a sub-count; sum: a
        -- total over happenings the article tells one by one). NULL in analyses made before.
        ALTER TABLE mentions ADD COLUMN killed_start INTEGER;
        ALTER TABLE mentions ADD COLUMN killed_end INTEGER;
        ALTER TABLE mentions ADD COLUMN killed_victims VARCHAR;
        ALTER TABLE mentions ADD COLUMN killed_scope VARCHAR;
        -- conflict (values that cannot both hold) | named vs unknown (who did it)
        ALTER TABLE disagreements ADD COLUMN kind VARCHAR DEFAULT 'conflict';
        """,
    )
)

MIGRATIONS.append(
    (
        12,
        "sketches of near duplicates and reused passages",
        """
        -- The articles the reuse step read, each as it was then: a changed one redoes the
        -- step, new ones are compared with the sketches below (consolidate.incremental_reuse).
        CREATE TABLE reuse_inputs (
            article_id VARCHAR PRIMARY KEY,
            seq BIGINT NOT NULL,
            signature VARCHAR NOT NULL,       -- JSON: [seq, body_start, title, outlet]
            outlet BIGINT,                    -- hash of the lower-cased outlet (site
                                              -- templates); NULL: none
            repeats BOOLEAN NOT NULL          -- may hold a passage repeated inside it
        );
        -- Each article with a body long enough to be compared for near duplicates.
        CREATE TABLE dedup_sketches (
            seq BIGINT PRIMARY KEY,
            article_id VARCHAR NOT NULL,
            signature UINTEGER[] NOT NULL,    -- MinHash (NUM_PERM values)
            body UINTEGER[] NOT NULL,         -- sorted distinct body shingle hashes
            headline UBIGINT[] NOT NULL       -- sorted distinct headline word hashes
        );
        -- The LSH band keys of each sketch (the band is mixed into the key).
        CREATE TABLE dedup_bands (key UBIGINT NOT NULL, seq BIGINT NOT NULL);
        -- Each article's distinct seed shingles (reuse.SEED_BITS-bit hashes).
        CREATE TABLE reuse_postings (h BIGINT NOT NULL, seq BIGINT NOT NULL);
        """,
    )
)

MIGRATIONS.append(
    (
        13,
        "how many people live where a place is",
        """
        -- GeoNames population of the place; NULL when unknown (most Syrian towns, provinces,
        -- countries) and in analyses made before.
        ALTER TABLE entities ADD COLUMN population BIGINT;
        ALTER TABLE mentions ADD COLUMN population BIGINT;
        ALTER TABLE consolidated_events ADD COLUMN population BIGINT;
        """,
    )
)

# Keep last: the newest schema version.
LATEST_VERSION = MIGRATIONS[-1][0]
