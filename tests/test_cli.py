"""The `sitrep` command: exit codes, stdout/stderr separation, one-sentence errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb

from sitrep.version import __version__

from .conftest import SEEDS


def test_version(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("--version")
    assert result.code == 0 and __version__ in result.out


def test_run_seeds_then_again_adds_nothing(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "s.duckdb"
    first = run_cli("--db", db, "run", SEEDS)
    assert first.code == 1  # gold.yaml beside the seeds is logged as not an article
    assert "6 new articles" in first.out and "unsupported_format 1" in first.out
    second = run_cli("--db", db, "run", SEEDS)
    assert "0 new articles" in second.out


def test_missing_input_is_a_usage_error_in_one_sentence(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("--db", tmp_path / "x.duckdb", "run", tmp_path / "nope")
    assert result.code == 2
    assert result.err.strip() == f"Error: The input {tmp_path / 'nope'} does not exist."


def test_bad_option_is_a_usage_error(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("export", "articles", "--format", "xml").code == 2
    assert run_cli("run", "--field", "nonsense", ".").code == 2
    # two training phases asked for alone at once: a clear refusal before any work
    both = run_cli("train", "--incidents-only", "--assertions-only")
    assert both.code == 2 and "Choose one of" in both.err


def test_reading_commands_on_a_missing_ledger_fail_cleanly(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("--db", tmp_path / "none.duckdb", "articles")
    assert result.code == 1 and "Traceback" not in result.err and "sitrep run" in result.err


def test_export_formats(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "e.duckdb"
    run_cli("--db", db, "ingest", SEEDS)
    jsonl = run_cli("--db", db, "export", "articles")
    records = [json.loads(line) for line in jsonl.out.splitlines()]
    assert len(records) == 6
    required = {
        "article_id",
        "external_id",
        "source",
        "url",
        "outlet",
        "title",
        "authors",
        "published",
        "text",
    }
    assert required <= set(records[0])
    rows = list(
        csv.DictReader(
            io.StringIO(run_cli("--db", db, "export", "articles", "--format", "csv").out)
        )
    )
    assert [r["text"] for r in rows] == [
        r["text"] for r in records
    ]  # newlines, quotes, commas survive
    parquet = tmp_path / "a.parquet"
    assert run_cli("--db", db, "export", "articles", "--format", "parquet", "-o", parquet).code == 0
    assert duckdb.sql(f"SELECT count(*) FROM '{parquet}'").fetchone() == (6,)
    assert run_cli("--db", db, "export", "articles", "--format", "parquet").code == 2


def test_untrusted_text_is_escaped_in_every_export(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    hostile_text = (
        "He said \"stop\", then\nleft;\ttab, =cmd|' /C calc'!A0 <script>alert(1)</script> \u202e"
    )
    source = tmp_path / "hostile.jsonl"
    source.write_text(
        json.dumps({"text": hostile_text, "title": '<b>x</b>,"y"'}) + "\n", encoding="utf-8"
    )
    db = tmp_path / "h.duckdb"
    run_cli("--db", db, "ingest", source)
    (record,) = [json.loads(x) for x in run_cli("--db", db, "export", "articles").out.splitlines()]
    assert record["text"] == hostile_text
    (row,) = list(
        csv.DictReader(
            io.StringIO(run_cli("--db", db, "export", "articles", "--format", "csv").out)
        )
    )
    assert row["text"] == hostile_text and row["title"] == '<b>x</b>,"y"'


def test_articles_table_is_tab_separated_when_piped(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "t.duckdb"
    run_cli("--db", db, "ingest", SEEDS)
    lines = run_cli("--db", db, "articles").out.splitlines()
    assert lines[0].split("\t")[:3] == ["id", "published", "outlet"]
    assert len(lines) == 7
    assert any("Global Research" in line for line in lines)
    log = run_cli("--db", db, "log", "--skipped").out.splitlines()
    assert len(log) == 2 and "gold.yaml" in log[1]


def test_demo_runs_on_the_bundled_corpus(tmp_path: Path, run_cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    result = run_cli("demo")
    assert result.code == 0, result.err
    assert (tmp_path / "sitrep-demo.duckdb").exists()
    assert "9 new articles" in result.out
    assert run_cli("demo").code == 0
