"""Consolidating again: a re-run with nothing new, and a few articles added to a large ledger.

``rerun``: FA-KES dev (398 rows) ingested and analysed by the rule stages (the decision
layer changes what is found, not what a re-run costs), consolidated, then consolidated again
with nothing new: the seconds the second consolidation takes.

``incremental``: a synthetic ledger of 10,000 articles (the mention stream of the
consolidation bench, ``synthetic_events``, each article's sentences written as its text and
its mentions stored as its analysis), consolidated; then 10 more articles of the same stream
arrive and are consolidated, and the same ledger is consolidated whole: the share of the
whole consolidation the addition costs, per step and in all. Statements are left out (they
load the embedding model, and the synthetic claims are none).
"""

from __future__ import annotations

import json
import tempfile
import time
from collections import defaultdict
from dataclasses import replace
from datetime import date
from pathlib import Path

from sitrep.api import analyze, consolidate, ingest
from sitrep.evaluate.metrics import Metric, StageResult
from sitrep.ledger.layers import write_analyses
from sitrep.ledger.store import Ledger
from sitrep.model import Analysis, DocumentDate, EventMention, Granularity, MentionRef

__all__ = ["add_synthetic", "bench_incremental", "bench_rerun", "synthetic_articles"]

BASE_ARTICLES = 10_000
ADDED_ARTICLES = 10
_PIPELINE = "synthetic mentions"


def _timed_consolidate(ledger: Ledger, *, force: bool = False) -> dict[str, float]:
    """Seconds of each consolidation step and of the whole call."""
    marks: list[tuple[str, float]] = []
    start = time.perf_counter()
    consolidate(
        ledger,
        with_statements=False,
        force=force,
        on_step=lambda step, n, total: marks.append((step, time.perf_counter())),
    )
    end = time.perf_counter()
    seconds = {"all": end - start}
    for (step, at), (_, after) in zip(marks, [*marks[1:], ("", end)], strict=True):
        seconds["reuse" if "duplicates" in step else "events"] = after - at
    return seconds


def bench_rerun(data_dir: Path) -> StageResult:
    """FA-KES dev consolidated, then consolidated again with nothing new."""
    from sitrep.analyze.builtin import RULE_STAGES
    from sitrep.engines.local import LocalEngine, default_workers
    from sitrep.evaluate.stored import fakes_dev_record, fakes_dev_rows

    result = StageResult("rerun", "FA-KES dev (rule stages): consolidating again, nothing new")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "fakes-dev.jsonl"
        rows = [fakes_dev_record(row) for row in fakes_dev_rows(data_dir)]
        source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        with (
            Ledger.open(Path(tmp) / "fakes.duckdb") as ledger,
            LocalEngine(None, workers=default_workers(), stages=RULE_STAGES) as engine,
        ):
            ingest(ledger, [source])
            analyze(ledger, engine=engine)
            first = _timed_consolidate(ledger)
            again = _timed_consolidate(ledger)
            articles = ledger.article_count()
    result.metrics += [
        Metric(
            "bench.rerun.first_seconds",
            "first consolidation: seconds",
            first["all"],
            None,
            articles,
            lower_is_better=True,
        ),
        Metric(
            "bench.rerun.nothing_new_seconds",
            "re-run with no new input: seconds in consolidation",
            again["all"],
            2.0,
            articles,
            lower_is_better=True,
        ),
    ]
    return result


def _article(
    name: str, refs: list[MentionRef], evidence: dict[tuple[str, int], str]
) -> tuple[dict[str, object], list[EventMention]]:
    """An input record whose text is the article's evidence sentences, and its mentions
    pointing at them."""
    text, mentions = f"Report {name}.", []
    for ref in sorted(refs, key=lambda r: r.index):
        sentence = evidence[(ref.article_id, ref.index)] + "."
        start = len(text) + 1
        text += " " + sentence
        end = start + len(sentence)
        mentions.append(
            replace(ref.mention, start=start, end=end, trigger_start=start, trigger_end=start + 2)
        )
    published = min((r.published for r in refs if r.published), default=date(2016, 1, 1))
    record: dict[str, object] = {
        "id": name,
        "text": text,
        "outlet": f"Outlet {int(name[1:]) % 50}",
        "published": published.isoformat(),
    }
    return record, mentions


def add_synthetic(
    ledger: Ledger,
    folder: Path,
    label: str,
    articles: dict[str, tuple[dict[str, object], list[EventMention]]],
) -> None:
    """Ingest ``articles`` and store their mentions as their analysis."""
    source = folder / f"{label}.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r, _ in articles.values()), "utf-8")
    ingest(ledger, [source])
    ids = {
        str(external): str(article_id)
        for article_id, external in ledger.conn.execute(
            "SELECT id, external_id FROM articles WHERE external_id IN (SELECT unnest(?))",
            [sorted(articles)],
        ).fetchall()
    }
    analyses = []
    for name, (record, mentions) in articles.items():
        day = date.fromisoformat(str(record["published"]))
        analyses.append(
            Analysis(
                ids[name],
                _PIPELINE,
                DocumentDate(day, Granularity.DAY, "publication"),
                "SYR",
                None,
                (),
                (),
                (),
                events=tuple(mentions),
            )
        )
    with ledger.transaction():
        write_analyses(ledger.conn, analyses)


Synthetic = dict[str, tuple[dict[str, object], list[EventMention]]]


def synthetic_articles(total: int, added: int, seed: int = 7) -> tuple[Synthetic, Synthetic]:
    """The articles of the synthetic mention stream (input record and mentions by name):
    all but the last ``added``, and those."""
    from sitrep.evaluate.synthetic_events import synthetic_mentions

    refs, evidence = synthetic_mentions(total, seed)
    by_article: dict[str, list[MentionRef]] = defaultdict(list)
    for ref in refs:
        by_article[ref.article_id].append(ref)
    names = sorted(by_article)
    made = {name: _article(name, by_article[name], evidence) for name in names}
    late = set(names[-added:])
    return (
        {n: a for n, a in made.items() if n not in late},
        {n: made[n] for n in sorted(late)},
    )


def bench_incremental(data_dir: Path) -> StageResult:
    """10 articles added to a consolidated 10,000-article synthetic ledger."""
    total = BASE_ARTICLES + ADDED_ARTICLES
    first, later = synthetic_articles(total, ADDED_ARTICLES)
    result = StageResult(
        "incremental",
        f"synthetic ledger of {BASE_ARTICLES:,} articles, {ADDED_ARTICLES} added",
    )
    with tempfile.TemporaryDirectory() as tmp, Ledger.open(Path(tmp) / "s.duckdb") as ledger:
        add_synthetic(ledger, Path(tmp), "base", first)
        _timed_consolidate(ledger)
        add_synthetic(ledger, Path(tmp), "added", later)
        step = _timed_consolidate(ledger)
        whole = _timed_consolidate(ledger, force=True)
    for key, label in (
        ("events", "event step"),
        ("reuse", "copies and reused passages"),
        ("all", "all of consolidation"),
    ):
        result.metrics.append(
            Metric(
                f"bench.incremental.share_{key}",
                f"adding {ADDED_ARTICLES} articles: share of a whole run ({label})",
                step[key] / whole[key],
                0.05 if key == "all" else None,
                total,
                lower_is_better=True,
            )
        )
    result.metrics.append(
        Metric(
            "bench.incremental.whole_seconds",
            "whole consolidation of the ledger: seconds",
            whole["all"],
            None,
            total,
            lower_is_better=True,
        )
    )
    result.notes.append(
        f"seconds, added / whole: events {step['events']:.2f} / {whole['events']:.2f}, "
        f"copies and reused passages {step['reuse']:.2f} / {whole['reuse']:.2f}"
    )
    return result
