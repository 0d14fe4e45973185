"""Bad input gets a clear answer and loses nothing: every file ends as articles or logged skips."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from sitrep import Ledger, ingest

from .helpers import article_html, write_warc

GOOD = (
    "Government aircraft bombed a market in the town on Sunday, killing at least nine people, "
    "a monitoring group said, adding that rescue workers were still searching the rubble."
)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    (root / "empty.txt").write_bytes(b"")
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    shutil.copyfile(sys.executable, root / "program")  # a real ELF binary
    (root / "one-bad-byte.txt").write_bytes(
        f"Headline\n\n{GOOD} Caf".encode() + b"\xff" + b" closed.\n"
    )
    (root / "latin1.txt").write_bytes(
        f"R\u00e9fugi\u00e9s\n\n{GOOD} Le caf\u00e9 \u00e9tait ferm\u00e9.\n".encode("latin-1")
    )
    (root / "noise.txt").write_bytes(bytes((i * 7919) % 255 + 1 for i in range(5000)))
    with (root / "huge.txt").open("w", encoding="utf-8") as out:
        line = GOOD + "\n"
        for _ in range(100 * 1024 * 1024 // len(line) + 1):
            out.write(line)
    (root / "nobody.html").write_text(
        "<html><head><title>Only a title</title></head></html>", encoding="utf-8"
    )
    depth = 5000
    (root / "nested.html").write_text(
        "<html><body>" + "<div>" * depth + f"<p>{GOOD}</p>" + "</div>" * depth + "</body></html>",
        encoding="utf-8",
    )
    write_warc(
        root / "full.warc.gz",
        [
            (
                f"https://example.org/{i}",
                "text/html",
                article_html(f"Page {i}", f"{GOOD} ({i})").encode(),
            )
            for i in range(3)
        ],
    )
    data = (root / "full.warc.gz").read_bytes()
    (root / "truncated.warc.gz").write_bytes(data[: int(len(data) * 0.6)])
    (root / "full.warc.gz").unlink()
    lines = [
        json.dumps({"text": GOOD + " (one)"}),
        '{"text": "unterminated',
        json.dumps({"text": GOOD + " (three)"}),
        json.dumps({"text": 42}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": "   "}),
    ]
    (root / "broken-middle.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "no-text-column.csv").write_text("title,body\nA,B\n", encoding="utf-8")
    odd = root / "dir with spaces" / "rapport syrien – été ليلة.txt"
    odd.parent.mkdir()
    odd.write_text(f"Rapport\n\n{GOOD} (odd name)\n", encoding="utf-8")
    return root


def _log_by_file(ledger: Ledger) -> dict[str, list[dict]]:  # type: ignore[type-arg]
    by_file: dict[str, list[dict]] = {}  # type: ignore[type-arg]
    for row in ledger.ingest_log():
        by_file.setdefault(Path(row["source"]).name, []).append(row)
    return by_file


def test_every_hostile_file_is_accounted_for(hostile: Path, ledger: Ledger) -> None:
    ingest(ledger, [hostile])
    log = _log_by_file(ledger)
    every_file = {p.name for p in hostile.rglob("*") if p.is_file()}
    assert every_file == set(log)
    for rows in log.values():
        for row in rows:
            assert row["status"] == "ingested" or (row["reason"] and row["message"]), row

    def reasons(name: str) -> list[str | None]:
        return [r["reason"] for r in log[name]]

    assert reasons("empty.txt") == ["empty"]
    assert reasons("image.png") == ["binary"]
    assert reasons("program") == ["binary"]
    assert reasons("huge.txt") == ["too_large"]
    assert reasons("nobody.html") == ["empty"]
    assert reasons("no-text-column.csv") == ["parse_error"]
    assert sorted(map(str, reasons("broken-middle.jsonl"))) == [
        "None",
        "None",
        "empty",
        "parse_error",
        "parse_error",
        "parse_error",
    ]
    truncated = reasons("truncated.warc.gz")
    assert truncated[0] is None and truncated[-1] == "parse_error"
    assert log["noise.txt"][0]["status"] in ("ingested", "skipped")


def test_good_inputs_around_the_bad_ones_all_land(hostile: Path, ledger: Ledger) -> None:
    ingest(ledger, [hostile])
    texts = {Path(a.origin.source).name: a.text for a in ledger.iter_articles()}
    assert "(odd name)" in texts["rapport syrien – été ليلة.txt"]
    assert "caf\u00e9 \u00e9tait ferm\u00e9" in texts["latin1.txt"]
    assert "Caf\ufffd closed" in texts["one-bad-byte.txt"]
    assert GOOD in texts["nested.html"]
    jsonl = [a for a in ledger.iter_articles() if a.origin.source.endswith(".jsonl")]
    assert [a.origin.part for a in jsonl] == ["line 1", "line 3"]


def test_cli_reports_skips_in_one_sentence_each_and_exits_1(
    hostile: Path, tmp_path: Path, run_cli
) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("--db", tmp_path / "h.duckdb", "run", hostile)
    assert result.code == 1
    assert "Traceback" not in result.err
    skipped_lines = [line for line in result.err.splitlines() if line.startswith("skipped ")]
    assert skipped_lines and all(line.rstrip().endswith((".", ")")) for line in skipped_lines)
