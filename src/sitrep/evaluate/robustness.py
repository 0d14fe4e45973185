"""Robustness figures: the hostile corpus, kill -9 and resume, measured on `sitrep run`.

``python -m sitrep.evaluate.robustness`` builds the hostile corpus (``evaluate/hostile.py``)
in a temporary folder, runs ``sitrep run`` on it in a subprocess while sampling the memory
of its whole process tree, and checks that every input ended as an article or a logged skip
with a reason; then it kills ``sitrep run`` with SIGKILL at random points of ingest,
analysis and consolidation, checks that no worker outlives it, resumes, and compares the
ledger's exports with a clean run's. The figures go into docs/performance.md. The test
suite runs the same checks (``tests/test_hostile_corpus.py``, ``tests/test_kill_resume.py``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from sitrep.evaluate.hostile import Corpus, build_corpus, unlock
from sitrep.evaluate.metrics import Metric, StageResult

_MARKER = r"goodmarker\d{4}x"


# ------------------------------------------------------------------------ processes


def descendants(pid: int) -> set[int]:
    """Every living process below ``pid`` (Linux: from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _memory_mb(pid: int) -> tuple[float, float]:
    """(resident, proportional) memory of a process in MB: PSS counts a page shared by n
    processes (a forked worker's copy of its parent's modules) as 1/n in each, so PSS
    summed over a process tree is the memory the tree really uses; RSS summed counts shared
    pages once per process."""
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return 0.0, 0.0
    sizes = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        sizes[name] = int(value.split()[0]) if value.split() else 0
    return sizes.get("Rss", 0) / 1024, sizes.get("Pss", 0) / 1024


@dataclass
class Measured:
    code: int | None  # None when it was stopped at the timeout
    stdout: str
    stderr: str
    seconds: float
    peak_tree_mb: float  # the largest sum of PSS over the process and its descendants
    peak_process_mb: float  # the largest RSS of a single process
    peak_tree_rss_mb: float = 0.0  # the largest sum of RSS (shared pages counted repeatedly)


def run_measured(
    argv: Sequence[str], timeout: float, env: dict[str, str] | None = None
) -> Measured:
    """Run ``argv``, sampling the memory of its process tree every 0.1 s (see _memory_mb)."""
    start = time.monotonic()
    process = subprocess.Popen(
        list(argv),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        env=env,
    )
    peak = [0.0, 0.0, 0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            sizes = [_memory_mb(p) for p in {process.pid, *descendants(process.pid)}]
            peak[0] = max(peak[0], sum(pss for _, pss in sizes))
            peak[1] = max([peak[1], *(rss for rss, _ in sizes)])
            peak[2] = max(peak[2], sum(rss for rss, _ in sizes))
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, err = process.communicate(timeout=timeout)
        code: int | None = process.returncode
    except subprocess.TimeoutExpired:
        for pid in descendants(process.pid):
            _kill(pid)
        process.kill()
        out, err = process.communicate()
        code = None
    done.set()
    sampler.join()
    return Measured(code, out, err, time.monotonic() - start, peak[0], peak[1], peak[2])


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def sitrep_command(db: Path, *args: str | Path) -> list[str]:
    return [sys.executable, "-m", "sitrep", "--db", str(db), *map(str, args)]


# ------------------------------------------------------------------------ the hostile corpus


@dataclass
class HostileReport:
    kinds: int
    inputs: int  # ingest log rows
    articles: int
    skipped: int
    measured: Measured
    lost: list[str] = field(default_factory=list)  # markers of good articles not stored
    problems: list[str] = field(default_factory=list)  # one sentence each
    analysis_failures: dict[str, int] = field(default_factory=dict)


def check_hostile(corpus: Corpus, db: Path, measured: Measured) -> HostileReport:
    """What ``sitrep run`` made of the corpus, against what each kind expects."""
    conn = duckdb.connect(str(db), read_only=True)
    try:
        log = conn.execute(
            "SELECT source, part, status, reason, message FROM ingest_log"
        ).fetchall()
        found = {
            row[0]
            for row in conn.execute(
                f"SELECT DISTINCT unnest(regexp_extract_all(text, '{_MARKER}')) FROM articles"
            ).fetchall()
        }
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()
        unanalysed = conn.execute(
            "SELECT count(*) FROM articles a WHERE a.analysable AND a.id NOT IN "
            "(SELECT article_id FROM analyses UNION SELECT article_id FROM analysis_failures)"
        ).fetchone()
        failures = dict(
            conn.execute("SELECT reason, count(*) FROM analysis_failures GROUP BY 1").fetchall()
        )
    finally:
        conn.close()
    report = HostileReport(
        len(corpus.kinds),
        len(log),
        int(articles[0]) if articles else 0,
        sum(row[2] == "skipped" for row in log),
        measured,
        sorted(set(corpus.markers) - found),
        analysis_failures=failures,
    )
    report.problems += _process_problems(measured)
    report.problems += _kind_problems(corpus, log)
    if unanalysed and unanalysed[0]:
        report.problems.append(
            f"{unanalysed[0]} analysable articles are neither analysed nor failed."
        )
    if failures.get("failed") or failures.get("worker_died"):
        report.problems.append(f"Analysis failed on some articles: {failures}.")
    return report


def _process_problems(measured: Measured) -> list[str]:
    problems = []
    if measured.code is None:
        problems.append(f"sitrep run did not finish in {measured.seconds:.0f} s (a hang).")
    elif measured.code not in (0, 1):
        problems.append(f"sitrep run exited {measured.code}: {measured.stderr[-500:]}")
    if "Internal error" in measured.stderr or "Traceback" in measured.stderr:
        problems.append(f"sitrep run reported an internal error: {measured.stderr[-500:]}")
    return problems


def _kind_problems(corpus: Corpus, log: list[tuple[Any, ...]]) -> list[str]:
    problems = []
    root = str(corpus.root)
    for spec in corpus.kinds:
        prefix = f"{root}/{spec.name}"
        rows = [r for r in log if r[0] == prefix or r[0].startswith(prefix + "/")]
        if not rows:
            problems.append(f"{spec.name}: no ingest log row at all.")
            continue
        reasons = {r[3] for r in rows if r[2] == "skipped"}
        for missing in sorted(spec.must - reasons):
            problems.append(f"{spec.name}: no input was skipped as {missing}.")
        for unexpected in sorted(reasons - spec.must - spec.may):
            problems.append(f"{spec.name}: an input was skipped as {unexpected}.")
        for row in rows:
            if row[2] == "skipped" and not _one_sentence(row[4] or ""):
                problems.append(f"{spec.name}: the skip reason {row[4]!r} is not one sentence.")
    return problems


def _one_sentence(message: str) -> bool:
    body = re.sub(r"\([^()]*\)", "", message)  # exception text in brackets may hold dots
    return bool(message) and message.endswith(".") and "\n" not in message and body.count(". ") == 0


def run_hostile(tmp: Path, workers: int = 2, timeout: float = 900) -> HostileReport:
    """Build the corpus under ``tmp``, run ``sitrep run`` on it, and check the outcome."""
    root = tmp / "corpus"
    corpus = build_corpus(root)
    try:
        db = tmp / "hostile.duckdb"
        argv = sitrep_command(db, "run", root, "--workers", str(workers))
        measured = run_measured(argv, timeout, {**os.environ, "SITREP_CACHE": str(tmp / "cache")})
        return check_hostile(corpus, db, measured)
    finally:
        unlock(root)


# ------------------------------------------------------------------------ kill -9 and resume

# No one is quoted: claims told by several articles would load the sentence-embedding model
# in every run, which is a quarter of a trial's time and not what is tested here.
KILL_SENTENCES = (
    "Shelling hit the district of {n} on day {d}, killing {k} people.",
    "A drone struck a vehicle on road {n} on day {d} and {k} people died.",
    "Fighters were captured near the river crossing in sector {n} on day {d}.",
)
_FRENCH = "Des tirs ont frappé le quartier numéro {n} pendant la nuit, selon les habitants."
# Tables compared after a resume, as sorted exports of their rows; `revisions` and the
# ingest log's order of writing are not part of a ledger's content.
COMPARED = (
    "articles",
    "ingest_log",
    "analyses",
    "analysis_failures",
    "entities",
    "times",
    "quantities",
    "mentions",
    "claims",
    "signals",
    "consolidated_events",
    "event_members",
    "event_claims",
    "disagreements",
    "claim_clusters",
    "duplicate_groups",
    "reuse",
)


def kill_corpus(root: Path, records: int = 260, pages: int = 30, french: int = 2000) -> Path:
    """More inputs than one ingest batch (200) and analysis chunk (64), reposts for dedup,
    and records in French (stored, not analysed) that make ingest last long enough to be
    killed in."""
    corpus = root / "kill-corpus"
    corpus.mkdir(parents=True)
    with (corpus / "wire.jsonl").open("w", encoding="utf-8") as out:
        for i in range(records):
            text = " ".join(s.format(n=i, d=i % 28 + 1, k=i % 9 + 2) for s in KILL_SENTENCES)
            out.write(json.dumps({"id": f"r{i}", "text": text}) + "\n")
    with (corpus / "presse.jsonl").open("w", encoding="utf-8") as out:
        for i in range(french):
            out.write(json.dumps({"id": f"f{i}", "text": _FRENCH.format(n=i)}) + "\n")
    for i in range(pages):
        body = KILL_SENTENCES[0].format(n=i % 10, d=3, k=4) + f" Page {i // 2}."
        (corpus / f"page-{i:03d}.txt").write_text(f"Headline {i}\n\n{body}\n", encoding="utf-8")
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    return corpus


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every compared table's rows, sorted (the ledger's content, not its write order)."""
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return {
            table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
            for table in COMPARED
        }
    finally:
        conn.close()


@dataclass
class Trial:
    phase: str
    delay: float  # seconds after the phase began
    killed: bool  # the run ended by the signal (False when it finished before it came)
    orphans: int  # workers alive 5 s after the kill
    orphan_seconds: float  # how long the last worker outlived the kill
    equal: bool  # resumed ledger == clean ledger
    differing: list[str] = field(default_factory=list)
    signal: str = "SIGKILL"


_PHASE_LINES = {
    "ingest": "committed batch 1:",  # the first of the ingest's transactions
    "analysis": "new article",  # the ingest summary: analysis begins
    "consolidation": "articles analysed",  # the analysis summary
}


def kill_trial(
    corpus: Path,
    db: Path,
    clean: dict[str, list[tuple[Any, ...]]],
    phase: str,
    delay: float,
    env: dict[str, str],
    workers: int = 2,
    signum: int = signal.SIGKILL,
) -> Trial:
    """Start ``sitrep run``, send it ``signum`` ``delay`` seconds into ``phase``, check that
    its workers die with it (and, for SIGTERM, that it says so and exits 143), resume, and
    compare with the clean ledger."""
    argv = sitrep_command(db, "-v", "run", corpus, "--workers", str(workers))
    process = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    assert process.stdout is not None
    watched: set[int] = set()
    sent: list[float] = []
    stop = threading.Event()

    def watch() -> None:  # remember every worker the run starts
        while not stop.is_set():
            watched.update(descendants(process.pid))
            stop.wait(0.05)

    def send() -> None:
        watched.update(descendants(process.pid))
        sent.append(time.monotonic())
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signum)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    timer: threading.Timer | None = None
    output = []
    for line in process.stdout:
        output.append(line)
        if timer is None and _PHASE_LINES[phase] in line:
            timer = threading.Timer(delay, send)
            timer.start()
    process.wait()
    stop.set()
    watcher.join()
    if timer is not None:
        timer.cancel()
    expected = -signal.SIGKILL if signum == signal.SIGKILL else 128 + signum
    killed = bool(sent) and process.returncode == expected
    if killed and signum != signal.SIGKILL:
        killed = any(
            line.startswith(f"Interrupted by {signal.Signals(signum).name}") for line in output
        )
    orphan_seconds = 0.0
    while sent and any(alive(p) for p in watched):
        orphan_seconds = time.monotonic() - sent[0]
        if orphan_seconds > 5:
            break
        time.sleep(0.05)
    orphans = sum(alive(p) for p in watched)
    for pid in watched:
        _kill(pid)
    resumed = subprocess.run(
        sitrep_command(db, "run", corpus, "--workers", str(workers)),
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    after = snapshot(db) if resumed.returncode in (0, 1) else {}
    differing = [t for t in COMPARED if after.get(t) != clean[t]]
    name = signal.Signals(signum).name
    return Trial(phase, delay, killed, orphans, orphan_seconds, not differing, differing, name)


def run_kill_trials(
    tmp: Path,
    trials: int = 10,
    seed: int = 14,
    workers: int = 2,
    extra: Sequence[tuple[str, float, int]] = (),
) -> list[Trial]:
    """A clean run, then ``trials`` kills spread over ingest, analysis and consolidation at
    random points, then the ``extra`` trials given as (phase, delay, signal)."""
    corpus = kill_corpus(tmp)
    env = {**os.environ, "SITREP_CACHE": str(tmp / "cache"), "PYTHONUNBUFFERED": "1"}
    clean_db = tmp / "clean.duckdb"
    subprocess.run(
        sitrep_command(clean_db, "run", corpus, "--workers", str(workers)),
        capture_output=True,
        env=env,
        check=False,
    )
    clean = snapshot(clean_db)
    rng = random.Random(seed)
    phases = ("ingest", "analysis", "consolidation")
    plan = [
        (phases[n % 3], round(rng.uniform(*_DELAYS[phases[n % 3]]), 2), int(signal.SIGKILL))
        for n in range(trials)
    ]
    return [
        kill_trial(corpus, tmp / f"trial-{n}.duckdb", clean, phase, delay, env, workers, signum)
        for n, (phase, delay, signum) in enumerate([*plan, *extra])
    ]


# Seconds after a phase's first line within which the signal falls, inside the phases'
# lengths on the project machine when it is idle (they stretch when it is busy): ingest
# ~2 s from its first commit, analysis ~10 s of which the workers' start is ~7, consolidation
# ~2 s.
_DELAYS = {"ingest": (0.0, 1.8), "analysis": (0.0, 9.0), "consolidation": (0.0, 1.8)}


# ------------------------------------------------------------------------ figures


def hostile_result(report: HostileReport) -> StageResult:
    result = StageResult("robustness.hostile", f"hostile corpus of {report.kinds} kinds")
    measured = report.measured
    result.metrics += [
        Metric("robustness.hostile.kinds", "kinds of bad input", report.kinds, 50, report.kinds),
        Metric("robustness.hostile.inputs", "inputs logged", report.inputs, None, report.inputs),
        Metric(
            "robustness.hostile.problems",
            "inputs not accounted for as expected",
            len(report.problems),
            0,
            report.inputs,
            lower_is_better=True,
        ),
        Metric(
            "robustness.hostile.lost",
            "good articles lost",
            len(report.lost),
            0,
            len(report.lost),
            lower_is_better=True,
        ),
        Metric("robustness.hostile.seconds", "sitrep run: seconds", measured.seconds, None, 1),
        Metric(
            "robustness.hostile.peak_tree_mb",
            "peak memory, process and workers together (MB)",
            measured.peak_tree_mb,
            1536,
            1,
            lower_is_better=True,
        ),
        Metric(
            "robustness.hostile.peak_process_mb",
            "peak memory, largest single process (MB)",
            measured.peak_process_mb,
            1536,
            1,
            lower_is_better=True,
        ),
    ]
    return result


def kill_result(trials: list[Trial]) -> StageResult:
    result = StageResult("robustness.kill", f"kill -9 of sitrep run, {len(trials)} trials")
    equal = sum(t.equal for t in trials)
    result.metrics += [
        Metric(
            "robustness.kill.equal",
            "resumed ledgers equal to the clean run's",
            equal,
            len(trials),
            len(trials),
        ),
        Metric(
            "robustness.kill.orphans",
            "workers alive 5 s after their parent's kill",
            sum(t.orphans for t in trials),
            0,
            len(trials),
            lower_is_better=True,
        ),
        Metric(
            "robustness.kill.orphan_seconds",
            "longest a worker outlived its parent (s)",
            max((t.orphan_seconds for t in trials), default=0.0),
            5,
            len(trials),
            lower_is_better=True,
        ),
    ]
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10, help="kill -9 trials (0: none)")
    parser.add_argument("--doc", type=Path, default=Path("docs/performance.md"))
    args = parser.parse_args(argv)
    from sitrep.evaluate.runner import write_quality_doc

    with tempfile.TemporaryDirectory() as tmp:
        report = run_hostile(Path(tmp) / "hostile")
        for problem in report.problems + [f"lost {m}" for m in report.lost]:
            print(problem)
        trials = run_kill_trials(Path(tmp) / "kill", args.trials) if args.trials else []
    for trial in trials:
        print(trial)
    results = [hostile_result(report)] + ([kill_result(trials)] if trials else [])
    if args.doc.parent.is_dir():
        write_quality_doc(results, args.doc)
    bad = report.problems or report.lost or not all(t.equal and not t.orphans for t in trials)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
