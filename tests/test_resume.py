"""A run killed with SIGKILL and started again ends with the same ledger as an uninterrupted run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

SENTENCES = [
    "Shelling hit the district of {n} on day {d}, killing {k} people, medics said.",
    "Officials in sector {n} said {k} fighters were captured near the river on day {d}.",
    "A drone struck a vehicle on road {n} on day {d}; the monitor reported {k} dead.",
]


def _corpus(root: Path) -> Path:
    corpus = root / "corpus"
    corpus.mkdir()
    for f in range(6):
        with (corpus / f"batch-{f}.jsonl").open("w", encoding="utf-8") as out:
            for i in range(700):
                n = f * 1000 + i
                text = " ".join(s.format(n=n, d=i % 28 + 1, k=i % 9 + 1) for s in SENTENCES)
                out.write(json.dumps({"id": f"r{n}", "text": text}) + "\n")
    for i in range(40):
        (corpus / f"page-{i:03d}.txt").write_text(
            f"Headline {i}\n\n{SENTENCES[0].format(n=i, d=1, k=2)} Page {i}.\n", encoding="utf-8"
        )
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    return corpus


def _run(db: Path, corpus: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "SITREP_DB": str(db)}
    return subprocess.Popen(
        [sys.executable, "-m", "sitrep", "-v", "ingest", str(corpus)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
    )


def _snapshot(db: Path) -> tuple[list[tuple], list[tuple]]:  # type: ignore[type-arg]
    conn = duckdb.connect(str(db), read_only=True)
    try:
        articles = conn.execute("SELECT * FROM articles ORDER BY seq").fetchall()
        log = conn.execute("SELECT * FROM ingest_log ORDER BY source, part").fetchall()
    finally:
        conn.close()
    return articles, log


@pytest.mark.slow
def test_kill_and_resume_gives_the_uninterrupted_ledger(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    reference = tmp_path / "reference.duckdb"
    assert _run(reference, corpus).wait() == 1  # exit 1: the empty file is skipped

    crashed = tmp_path / "crashed.duckdb"
    process = _run(crashed, corpus)
    assert process.stderr is not None
    for line in process.stderr:
        if "committed batch 4" in line:
            process.send_signal(signal.SIGKILL)  # mid-run, between or during batch writes
            break
    process.wait()
    assert process.returncode == -signal.SIGKILL
    partial, _ = _snapshot(crashed)
    assert 0 < len(partial) < len(_snapshot(reference)[0])

    assert _run(crashed, corpus).wait() == 1
    assert _snapshot(crashed) == _snapshot(reference)
