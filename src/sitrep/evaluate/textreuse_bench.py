"""`sitrep bench` figures for near duplicates and reused passages, on the synthetic corpus.

The corpus is generated in memory (``evaluate.synthetic``) and handed to
``consolidate.textreuse.dedup_and_reuse`` directly: the timing covers hashing, sketching,
the LSH bands, the exact checks, the reuse postings (a DuckDB scratch table) and the
alignment of candidate pairs, not the ledger (ingesting 100,000 articles is timed by the
ingest bench). Quality is scored against the planted truth.
"""

from __future__ import annotations

import resource
import time
from dataclasses import dataclass
from pathlib import Path

from sitrep.consolidate.textreuse import TextReuseResult, dedup_and_reuse
from sitrep.evaluate.metrics import Metric, StageResult, prf, ratio
from sitrep.evaluate.synthetic import SyntheticCorpus, generate_corpus

__all__ = ["TextReuseScore", "bench_textreuse", "measure_textreuse", "score_textreuse"]

BENCH_ARTICLES = 100_000
# The figures: dedup and reuse of 100,000 articles within three minutes on this
# 2-core machine, and near-duplicate recall and precision of 0.95 against the planted truth.
TARGET_SECONDS = 180.0
TARGET_DEDUP = 0.95
# A planted passage is found when a reported one covers this share of it on both sides.
COVER = 0.5


@dataclass(frozen=True)
class TextReuseScore:
    dedup_precision: float
    dedup_recall: float
    duplicate_pairs: int  # planted
    passages_found: int  # planted passages found
    passages_planted: int
    passages_unplanted: int  # reported passages matching no planted one


def _covered(span: tuple[int, int], planted: tuple[int, int]) -> bool:
    return min(span[1], planted[1]) - max(span[0], planted[0]) >= COVER * (planted[1] - planted[0])


def score_textreuse(corpus: SyntheticCorpus, result: TextReuseResult) -> TextReuseScore:
    """Compare what was found with what the generator planted."""
    predicted = {pair for group in result.groups for pair in group.pairs()}
    truth = corpus.duplicate_pairs()
    precision, recall, _ = prf(len(predicted & truth), len(predicted), len(truth))
    by_pair: dict[tuple[str, str], list[int]] = {}
    for index, passage in enumerate(result.passages):
        by_pair.setdefault((passage.a_article_id, passage.b_article_id), []).append(index)
    matched: set[int] = set()
    found = 0
    for planted in corpus.passages:
        hits = [
            i
            for i in by_pair.get((planted.source_id, planted.target_id), [])
            if _covered(
                (result.passages[i].a_start, result.passages[i].a_end),
                (planted.source_start, planted.source_end),
            )
            and _covered(
                (result.passages[i].b_start, result.passages[i].b_end),
                (planted.target_start, planted.target_end),
            )
        ]
        matched.update(hits)
        found += bool(hits)
    return TextReuseScore(
        precision,
        recall,
        len(truth),
        found,
        len(corpus.passages),
        len(result.passages) - len(matched),
    )


def _reset_peak_memory() -> float:
    """Reset the process's peak resident memory where Linux allows it (``clear_refs``), and
    return the resident memory now (MB); elsewhere the peak so far."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return _status_mb("VmRSS")
    except (OSError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _peak_memory() -> float:
    try:
        return _status_mb("VmHWM")
    except (OSError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise ValueError(field)


def measure_textreuse(articles: int = BENCH_ARTICLES, seed: int = 0) -> StageResult:
    """Generate ``articles`` synthetic articles, run dedup + reuse on them, time and score.

    Usable at any size (e.g. 10,000 and 100,000 for a scaling figure); the metric keys
    carry the size when it is not the bench's 100,000.
    """
    start = time.perf_counter()
    corpus = generate_corpus(articles, seed)
    generated = time.perf_counter() - start
    texts = corpus.texts()
    before = _reset_peak_memory()
    start = time.perf_counter()
    result = dedup_and_reuse(corpus.articles, lambda ids: ((i, texts[i]) for i in ids))
    seconds = time.perf_counter() - start
    grown = max(0.0, _peak_memory() - before)
    score = score_textreuse(corpus, result)
    key = "bench.textreuse" + ("" if articles == BENCH_ARTICLES else f".n{articles}")
    stage = StageResult(
        "textreuse",
        f"synthetic corpus of {articles:,} articles ({corpus.words / articles:.0f} words each), "
        "generated in memory, not ingested into DuckDB; dedup + reuse",
    )
    stage.metrics += [
        Metric(
            f"{key}.seconds",
            "dedup + reuse: wall time (s)",
            seconds,
            TARGET_SECONDS if articles == BENCH_ARTICLES else None,
            articles,
            lower_is_better=True,
        ),
        Metric(f"{key}.articles_per_s", "dedup + reuse: articles/s", articles / seconds, None, 0),
        Metric(
            f"{key}.dedup_recall",
            "near-duplicate pairs: recall (planted copies)",
            score.dedup_recall,
            TARGET_DEDUP,
            score.duplicate_pairs,
        ),
        Metric(
            f"{key}.dedup_precision",
            "near-duplicate pairs: precision",
            score.dedup_precision,
            TARGET_DEDUP,
            score.duplicate_pairs,
        ),
        Metric(
            f"{key}.passage_recall",
            "planted passages found (pasted paragraphs, repeated quotations)",
            ratio(score.passages_found, score.passages_planted),
            None,
            score.passages_planted,
        ),
        Metric(
            f"{key}.unplanted_per_1000",
            "passages reported that were not planted, per 1,000 articles",
            1000 * score.passages_unplanted / articles,
            None,
            len(result.passages),
            lower_is_better=True,
        ),
        Metric(
            f"{key}.memory_mb",
            "memory added by dedup + reuse (MB, peak above the corpus held in memory)",
            grown,
            None,
            0,
            lower_is_better=True,
        ),
    ]
    phases = ", ".join(f"{name} {value:.1f} s" for name, value in result.seconds.items())
    stage.notes.append(
        f"Generating the corpus took {generated:.1f} s. Phases: {phases}. "
        f"{len(result.groups):,} groups ({result.duplicate_articles:,} articles), "
        f"{result.dedup_candidates:,} LSH candidate pairs, {result.dedup_checks:,} checked "
        f"exactly; {result.candidate_pairs:,} reuse candidate pairs aligned, "
        f"{len(result.passages):,} passages ({result.intra_passages:,} inside one article)."
    )
    return stage


def bench_textreuse(data_dir: Path) -> StageResult:
    """Dedup + reuse on 100,000 synthetic articles (``data_dir`` is not needed)."""
    return measure_textreuse(BENCH_ARTICLES)
