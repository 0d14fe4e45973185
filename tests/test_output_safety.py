"""Output that cannot attack the reader, and exit codes a script can tell apart."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console

from sitrep import terminal
from sitrep.export.writers import write_records
from sitrep.safetext import json_text, printable, spreadsheet_cell

HOSTILE = "\x1b[2J\x1b]0;owned\x07Title\r\u202edesrever\u202c [bold red]markup[/] <b>x</b>"


def test_control_and_bidi_characters_are_shown_escaped() -> None:
    shown = printable(HOSTILE)
    assert shown == (
        "\\x1b[2J\\x1b]0;owned\\x07Title\\x0d\\u202edesrever\\u202c [bold red]markup[/] <b>x</b>"
    )
    assert printable("a\tb\nc") == "a b c" and printable("a\nb", newlines=True) == "a\nb"
    assert (
        printable("caf\u00e9 \u0644\u064a\u0644\u0629 \u2013 ok")
        == "caf\u00e9 \u0644\u064a\u0644\u0629 \u2013 ok"
    )


def test_terminal_tables_show_cells_as_data(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = io.StringIO()
    fake = Console(file=screen, force_terminal=True, width=200, color_system="standard")
    monkeypatch.setattr(terminal, "stdout", fake)
    terminal.print_table("T", ("title",), [(HOSTILE,)])
    out = screen.getvalue()
    assert "\x1b[2J" not in out and "\x1b]0" not in out and "\u202e" not in out
    assert "\\x1b[2J" in out and "[bold red]markup[/]" in out  # markup is not read either


def test_tab_separated_tables_carry_no_control_characters(capsys) -> None:  # type: ignore[no-untyped-def]
    terminal.print_table("T", ("a", "b"), [(HOSTILE, "two\tcells\nline")])
    _header, row = capsys.readouterr().out.splitlines()
    assert row.count("\t") == 1 and "\x1b" not in row and "\u202e" not in row


@pytest.mark.parametrize("cell", ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_that_spreadsheets_run_as_formulas_are_neutralised(cell: str) -> None:
    out = io.StringIO()
    write_records([{"title": cell, "count": -5}], "csv", out)
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert row["title"] == "'" + cell and row["count"] == "-5"
    assert spreadsheet_cell("plain = text") == "plain = text"


def test_json_and_geojson_strings_cannot_open_a_tag() -> None:
    record = {"title": "<script>alert(1)</script> & \u2028", "place": {"lat": 1.0, "lon": 2.0}}
    text = json_text(record)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == record
    for fmt in ("jsonl", "geojson"):
        out = io.StringIO()
        write_records([record], fmt, out)
        assert "<script>" not in out.getvalue()
    assert json.loads(out.getvalue())["features"][0]["properties"] == record


@pytest.mark.parametrize(
    "args",
    [
        ("events", "--limit", "-5"),
        ("events", "--consolidated", "--min-articles", "-5"),
        ("articles", "--limit", "-1"),
        ("claims", "--limit", "-2"),
        ("run", "--max-bytes", "0", "."),
        ("run", "--workers", "-1", "."),
        ("fetch", "--timeout", "0", "urls.txt"),
    ],
)
def test_negative_or_zero_limits_are_usage_errors(
    args: tuple[str, ...], run_cli, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "urls.txt").write_text("", encoding="utf-8")
    result = run_cli(
        "--db", tmp_path / "x.duckdb", *(str(tmp_path / a) if a == "urls.txt" else a for a in args)
    )
    assert result.code == 2 and "Traceback" not in result.err and "Internal error" not in result.err


def test_a_ledger_in_use_has_its_own_exit_code(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "busy.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time, duckdb; c = duckdb.connect(sys.argv[1]); print('open', flush=True);"
            " time.sleep(60)",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        source = tmp_path / "a.txt"
        source.write_text("Headline\n\nShelling hit the town on Sunday.\n", encoding="utf-8")
        result = run_cli("--db", db, "ingest", source)
    finally:
        holder.kill()
        holder.wait()
    assert result.code == 75
    assert result.err.strip().startswith("Error: The ledger") and "in use" in result.err
    time.sleep(0.1)
    assert run_cli("--db", db, "ingest", source).code == 0
