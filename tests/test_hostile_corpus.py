"""The hostile corpus (``evaluate/hostile.py``: over 50 kinds of bad input mixed with good
articles) through `sitrep run`: no internal error, no hang, no good article lost, every bad
input logged with a one-sentence reason, bounded memory. Its large inputs (a 200 MB line, a
5,000,000-character article) are written on the fly and removed with the temporary folder."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from sitrep.evaluate.hostile import Corpus, build_corpus, unlock
from sitrep.evaluate.robustness import (
    HostileReport,
    check_hostile,
    run_measured,
    sitrep_command,
)

MEMORY_LIMIT_MB = 1536


@pytest.fixture(scope="module")
def hostile() -> Iterator[tuple[Corpus, HostileReport, Path]]:
    with tempfile.TemporaryDirectory(prefix="sitrep-hostile-") as tmp:
        root = Path(tmp) / "corpus"
        corpus = build_corpus(root)
        db = Path(tmp) / "hostile.duckdb"
        argv = sitrep_command(db, "run", root, "--workers", "2")
        measured = run_measured(argv, timeout=900)
        try:
            yield corpus, check_hostile(corpus, db, measured), db
        finally:
            unlock(root)


def _rows(db: Path, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.mark.slow
def test_every_hostile_input_is_an_article_or_a_logged_skip(hostile) -> None:  # type: ignore[no-untyped-def]
    corpus, report, _ = hostile
    assert len(corpus.kinds) >= 50
    assert report.measured.code == 1, report.measured.stderr[-2000:]  # some inputs skipped
    assert report.problems == []
    assert report.lost == []
    assert report.articles > 100 and report.skipped >= 40


@pytest.mark.slow
def test_hostile_run_stays_within_memory(hostile) -> None:  # type: ignore[no-untyped-def]
    _, report, _ = hostile
    assert report.measured.peak_tree_mb < MEMORY_LIMIT_MB  # PSS of sitrep and its workers


@pytest.mark.slow
def test_texts_too_long_to_analyse_are_marked_not_retried(hostile, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, report, db = hostile
    assert report.analysis_failures == {"too_long": 3}  # 5 M, 3 M and 2 M characters
    again = run_measured(sitrep_command(db, "analyze", "--workers", "1"), timeout=300)
    assert again.code == 0 and "0 articles analysed" in again.stdout, again.stderr


@pytest.mark.slow
def test_decoded_texts_tell_the_truth(hostile) -> None:  # type: ignore[no-untyped-def]
    _corpus, _, db = hostile
    texts = dict(
        _rows(db, "SELECT regexp_extract(source, 'corpus/([^/]+)/', 1), text FROM articles")
    )
    for kind in ("utf16le-bom", "utf16be-bom", "utf16le-no-bom", "utf32le-bom", "utf8-bom"):
        text = texts[f"encoding-{kind}"]
        assert text.startswith("Fighting near the river") and "\x00" not in text, kind
    assert "Caf\u00e9 \u2013 \u00e9t\u00e9" in texts["csv-cp1252"]
    assert "\x00" not in texts["nul-bytes-in-text"] and "\x00" not in texts["jsonl-nul-escapes"]
    assert "\ufffd and \ufffd end" in texts["jsonl-lone-surrogates"]


@pytest.mark.slow
def test_wrongly_typed_fields_are_left_out_and_logged(hostile) -> None:  # type: ignore[no-untyped-def]
    _, _, db = hostile
    rows = _rows(
        db,
        "SELECT a.outlet, a.title, a.published, a.authors, a.external_id, l.message "
        "FROM articles a JOIN ingest_log l ON l.article_id = a.id AND l.status = 'ingested' "
        "WHERE a.source LIKE '%jsonl-wrong-field-types%' ORDER BY a.part",
    )
    assert [r[:2] for r in rows] == [(None, None)] * 4  # never "['a']" nor "42"
    assert (
        rows[0][5]
        == "Stored without fields of the wrong type: 'title' is a number; 'outlet' is a list."
    )
    assert str(rows[2][2]) == "2017-01-01" and rows[2][4] == "7"  # a year and an id as numbers
    assert rows[1][3] == [] and "'authors' is a list" in rows[1][5]


@pytest.mark.slow
def test_bad_names_are_stored_safely_and_shown_escaped(hostile, run_cli) -> None:  # type: ignore[no-untyped-def]
    _, _, db = hostile
    sources = [r[0] for r in _rows(db, "SELECT source FROM articles")]
    assert any(s.endswith("bad-\\xff\\xfe-name.txt") for s in sources)
    log = run_cli("--db", db, "log").out
    assert "\x1b" not in log and "\u202e" not in log and "\x07" not in log
    assert "evil\\x1b[2J\\x1b]0;owned\\x07 name.txt" in log
    assert "report-\\u202etxt.exe" in log
    articles = run_cli("--db", db, "articles", "--limit", "0").out
    assert "\x1b" not in articles and "\\x1b[2J\\x1b[31mRed alert" in articles


@pytest.mark.slow
def test_exports_carry_hostile_strings_as_data(hostile, run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, _, db = hostile
    jsonl = run_cli("--db", db, "export", "articles").out
    assert "<script>" not in jsonl and "\\u003cscript\\u003e" in jsonl
    records = [json.loads(line) for line in jsonl.splitlines()]
    titles = {r["title"] for r in records}
    assert '=HYPERLINK("http://x","y")' in titles and "<img src=x onerror=alert(1)>" in titles
    csv_out = run_cli("--db", db, "export", "articles", "--format", "csv").out
    assert "'=HYPERLINK" in csv_out and ",=HYPERLINK" not in csv_out
