"""The ledger: schema versioning, idempotent ingest, duplicates, round trips."""

from __future__ import annotations

import io
import json
from pathlib import Path

import duckdb
import pytest

from sitrep import Ledger, ingest
from sitrep.errors import LedgerError
from sitrep.export import article_from_record, article_record, write_records
from sitrep.ledger.schema import LATEST_VERSION

from .conftest import SEEDS


def _snapshot(ledger: Ledger) -> tuple[list[tuple], list[tuple]]:  # type: ignore[type-arg]
    articles = ledger.conn.execute("SELECT * FROM articles ORDER BY seq").fetchall()
    log = ledger.conn.execute("SELECT * FROM ingest_log ORDER BY source, part").fetchall()
    return articles, log


def test_new_ledger_is_at_the_latest_schema_and_reopens(tmp_path: Path) -> None:
    path = tmp_path / "l.duckdb"
    with Ledger.open(path) as ledger:
        assert ledger.schema_version == LATEST_VERSION
    with Ledger.open(path, read_only=True) as ledger:
        assert ledger.schema_version == LATEST_VERSION


def test_ledger_from_a_newer_sitrep_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "l.duckdb"
    Ledger.open(path).close()
    conn = duckdb.connect(str(path))
    conn.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    conn.close()
    with pytest.raises(LedgerError, match="newer than this sitrep"):
        Ledger.open(path)


def test_reading_a_missing_ledger_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(LedgerError, match="sitrep run"):
        Ledger.open(tmp_path / "none.duckdb", read_only=True)


def test_a_file_that_is_not_a_ledger_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "not.duckdb"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(LedgerError):
        Ledger.open(path)


def test_seeds_twice_add_nothing_even_when_every_file_is_read_again(ledger: Ledger) -> None:
    first = ingest(ledger, [SEEDS])
    before = _snapshot(ledger)
    again = ingest(ledger, [SEEDS])
    assert again.new == 0 and again.files_unchanged == len(list(SEEDS.iterdir()))
    ledger.conn.execute("DELETE FROM input_files")
    reread = ingest(ledger, [SEEDS])
    assert reread.new == 0 and reread.duplicates == 0 and reread.unchanged == first.new
    assert _snapshot(ledger) == before


def test_the_same_text_from_another_file_is_a_logged_duplicate(
    ledger: Ledger, tmp_path: Path
) -> None:
    text = "Clashes broke out near the border crossing on Friday, officials said.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        text.replace(" ", "  "), encoding="utf-8"
    )  # whitespace differs only
    counts = ingest(ledger, [tmp_path / "a.txt", tmp_path / "b.txt"])
    assert (counts.new, counts.duplicates) == (1, 1)
    (dup,) = ledger.ingest_log(status="skipped")
    assert dup["reason"] == "duplicate" and dup["article_id"] == next(ledger.iter_articles()).id
    assert "a.txt" in dup["message"]


def test_article_round_trip_model_ledger_export_and_back(ledger: Ledger) -> None:
    ingest(ledger, [SEEDS])
    originals = list(ledger.iter_articles())
    buffer = io.StringIO()
    write_records((article_record(a) for a in originals), "jsonl", buffer)
    restored = [article_from_record(json.loads(line)) for line in buffer.getvalue().splitlines()]
    assert restored == originals
    assert [r.provenance for r in restored] == [a.provenance for a in originals]
    assert all(a.text[a.body_start :].strip() for a in restored)


def test_a_second_writer_gets_a_clear_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "busy.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(path)!r}); "
            "print('ready', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(LedgerError, match="in use by another process"):
            Ledger.open(path)
    finally:
        holder.kill()
        holder.wait()


def test_a_schema_10_ledger_migrates_its_disagreements_as_conflicts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sitrep.ledger import store
    from sitrep.ledger.schema import MIGRATIONS

    path = tmp_path / "v10.duckdb"
    monkeypatch.setattr(store, "MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 10])
    with Ledger.open(path) as ledger:
        assert ledger.schema_version == 10
        ledger.conn.execute(
            "INSERT INTO disagreements VALUES ('e1', 'killed', '12', 'a1', 'author', NULL, "
            "NULL, 0, NULL, 0, 40)"
        )
    monkeypatch.undo()
    with Ledger.open(path) as ledger:
        assert ledger.schema_version == LATEST_VERSION
        rows = ledger.conn.execute("SELECT field, value, kind FROM disagreements").fetchall()
        columns = {r[0] for r in ledger.conn.execute("DESCRIBE mentions").fetchall()}
    # a stored disagreement was a conflict of values; old mentions say nothing of their toll
    assert rows == [("killed", "12", "conflict")]
    assert {"killed_start", "killed_end", "killed_victims", "killed_scope"} <= columns
