"""Revisions, not copies: an input that now gives another text replaces its old version in
every view and count; the old version is kept in `revisions`, never as a second source."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sitrep import Ledger, api, ingest
from sitrep.engines.local import LocalEngine

STORY = (
    "US jets struck Syrian army positions near Deir ez-Zor on Saturday, killing 62 soldiers, "
    "the Syrian army said. The strike hit the Jabal Thurdah hills overlooking the airport."
)


def _touch(path: Path, text: str) -> None:
    """Write ``text`` and move the file's time on, as an editor saving it would."""
    stat = path.stat() if path.exists() else None
    path.write_text(text, encoding="utf-8")
    if stat is not None:
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def _current(ledger: Ledger) -> dict[str, str]:
    return {a.origin.describe(): a.id for a in ledger.iter_articles()}


def _events(ledger: Ledger) -> list[tuple[int, int, int]]:
    """Per consolidated event: its n_articles, its member articles, their distinct sources."""
    return ledger.conn.execute(
        "SELECT any_value(e.n_articles), count(DISTINCT m.article_id), count(DISTINCT a.source) "
        "FROM consolidated_events e JOIN event_members m ON m.event_id = e.id "
        "LEFT JOIN articles a ON a.id = m.article_id GROUP BY e.id"
    ).fetchall()


@pytest.mark.slow
def test_an_edited_file_is_one_article_and_one_revision_and_counts_once(
    ledger: Ledger, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _touch(corpus / "a.txt", f"Strike near Deir ez-Zor\n\n{STORY}\n")
    _touch(corpus / "b.txt", f"Jets hit army near airport\n\n{STORY} Officials gave no names.\n")
    engine = LocalEngine(None, workers=1)
    ingest(ledger, [corpus])
    api.analyze(ledger, engine=engine)
    api.consolidate(ledger, with_statements=False)
    assert (2, 2, 2) in _events(ledger)  # told by both files
    old = _current(ledger)[str(corpus / "a.txt")]

    _touch(corpus / "a.txt", f"Strike near Deir ez-Zor\n\n{STORY} The ministry said more.\n")
    counts = ingest(ledger, [corpus])
    assert (counts.new, counts.revised, counts.files_unchanged) == (0, 1, 1)
    current = _current(ledger)
    assert len(current) == 2 and current[str(corpus / "a.txt")] != old
    (revision,) = ledger.revisions()
    assert (revision["article_id"], revision["superseded_by"]) == (
        old,
        current[str(corpus / "a.txt")],
    )
    assert revision["source"] == str(corpus / "a.txt")
    # Before the next analysis, nothing derived from the old version counts anywhere.
    for table in ("analyses", "entities", "mentions", "claims", "event_members", "reuse"):
        column = "a_article_id" if table == "reuse" else "article_id"
        assert ledger.conn.execute(
            f"SELECT count(*) FROM {table} WHERE {column} = ?", [old]
        ).fetchone() == (0,)
    assert all(
        n == len(members)
        for n, members in ledger.conn.execute(
            "SELECT e.n_mentions, list(m.mention_idx) FROM consolidated_events e "
            "JOIN event_members m ON m.event_id = e.id GROUP BY e.id, e.n_mentions"
        ).fetchall()
    )

    api.analyze(ledger, engine=engine)
    api.consolidate(ledger, with_statements=False)
    events = _events(ledger)
    assert (2, 2, 2) in events  # still told by both files, not by three articles
    assert all(n == articles == sources for n, articles, sources in events), events


def test_records_moved_changed_and_restored(ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    texts = [f"{STORY} Item {i}." for i in range(3)]

    def write(records: list[dict[str, object]]) -> None:
        _touch(path, "".join(json.dumps(r) + "\n" for r in records))

    write([{"text": t, "title": "T"} for t in texts])
    ingest(ledger, [path])
    write([{"text": "A new first item. " + STORY}, *({"text": t, "title": "T"} for t in texts)])
    ingest(ledger, [path])  # every record moved down a line; one is new
    assert sorted(_current(ledger)) == [f"{path} (line {n})" for n in range(1, 5)]
    assert ledger.revisions() == []  # a moved record is the same article, not an old version

    write([{"text": "A new first item. " + STORY}, {"text": texts[0], "title": "Corrected"}])
    counts = ingest(ledger, [path])
    assert counts.revised == 1  # line 2: same text, new title
    revised = [r for r in ledger.revisions() if r["part"] == "line 2"]
    assert [r["title"] for r in revised] == ["T"]
    article = next(a for a in ledger.iter_articles() if a.origin.part == "line 2")
    assert article.title == "Corrected" and revised[0]["superseded_by"] == article.id

    write([{"text": "A new first item. " + STORY}, {"text": "Changed. " + STORY}])
    ingest(ledger, [path])
    write([{"text": "A new first item. " + STORY}, {"text": texts[0], "title": "Corrected"}])
    ingest(ledger, [path])  # line 2 restored: its text is current again, not a revision
    current_ids = set(_current(ledger).values())
    assert not any(
        r["article_id"] in current_ids and r["superseded_by"] != r["article_id"]
        for r in ledger.revisions()
    )


def test_a_copy_keeps_the_text_its_first_source_no_longer_holds(
    ledger: Ledger, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    first, copy = corpus / "a.txt", corpus / "b.txt"
    _touch(first, f"Headline\n\n{STORY}\n")
    _touch(copy, f"Headline\n\n{STORY}\n")
    counts = ingest(ledger, [corpus])
    assert counts.duplicates == 1
    _touch(first, f"Headline\n\n{STORY} Now edited.\n")
    ingest(ledger, [corpus])
    assert sorted(_current(ledger)) == [str(first), str(copy)]
    assert ledger.revisions() == []
    assert [r["status"] for r in ledger.ingest_log()] == ["ingested", "ingested"]


def test_an_input_that_turns_unreadable_keeps_its_last_good_version(
    ledger: Ledger, tmp_path: Path
) -> None:
    path = tmp_path / "a.txt"
    _touch(path, f"Headline\n\n{STORY}\n")
    ingest(ledger, [path])
    _touch(path, "")
    counts = ingest(ledger, [path])
    assert counts.skipped == {"empty": 1}
    assert len(_current(ledger)) == 1 and ledger.revisions() == []


def test_sitrep_export_revisions_writes_the_old_version(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    path, db = tmp_path / "story.txt", tmp_path / "ledger.duckdb"
    _touch(path, STORY)
    assert run_cli("ingest", path, "--db", db).code == 0
    _touch(path, "Updated. " + STORY)
    assert run_cli("ingest", path, "--db", db).code == 0
    exported = run_cli("export", "revisions", "--db", db)
    assert exported.code == 0, exported.err
    (revision,) = [json.loads(line) for line in exported.out.splitlines()]
    assert revision["text"] == STORY and revision["superseded_by"]
