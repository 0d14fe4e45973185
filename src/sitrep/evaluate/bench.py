"""Speed figures behind `sitrep bench` (never timed unit tests)."""

from __future__ import annotations

import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sitrep.api import ingest
from sitrep.evaluate.incremental_bench import bench_incremental, bench_rerun
from sitrep.evaluate.metrics import Metric, StageResult
from sitrep.evaluate.textreuse_bench import bench_textreuse
from sitrep.ingest import IngestOptions
from sitrep.ledger.store import Ledger

FAKES_FIELDS = {
    "text": "article_content",
    "title": "article_title",
    "outlet": "source",
    "published": "date",
    "id": "unit_id",
}


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_ingest(data_dir: Path) -> StageResult:
    """Ingest throughput: FA-KES dev (one CSV) and the seeds replicated as many text files."""
    result = StageResult("ingest", "FA-KES dev CSV; 2,000 raw text pages")
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = data_dir / "fakes" / "dev.csv"
        with Ledger.open(Path(tmp) / "a.duckdb") as ledger:
            start = time.perf_counter()
            counts = ingest(ledger, [csv_path], IngestOptions(fields=FAKES_FIELDS))
            seconds = time.perf_counter() - start
        result.metrics.append(
            Metric(
                "bench.ingest.fakes_csv_records_per_s",
                f"FA-KES dev CSV: records/s ({counts.duplicates} are exact duplicates)",
                (counts.new + counts.duplicates) / seconds,
                None,
                counts.new + counts.duplicates,
            )
        )

        pages = Path(tmp) / "pages"
        pages.mkdir()
        seeds = sorted((data_dir / "seeds").glob("*.txt"))
        for i in range(2000):  # distinct texts, so each page is a new article
            source = seeds[i % len(seeds)].read_text(encoding="utf-8")
            middle = source.find("\n", len(source) // 2)  # inside the body, before any footer
            page = f"{source[:middle]}\nCopy number {i} of this page.\n{source[middle:]}"
            (pages / f"page-{i:05d}.txt").write_text(page, encoding="utf-8")
        with Ledger.open(Path(tmp) / "b.duckdb") as ledger:
            start = time.perf_counter()
            counts = ingest(ledger, [pages])
            seconds = time.perf_counter() - start
            words = sum(a.word_count for a in ledger.iter_articles())
        result.metrics += [
            Metric(
                "bench.ingest.text_pages_per_s",
                "raw text pages: pages/s",
                2000 / seconds,
                None,
                2000,
            ),
            Metric(
                "bench.ingest.words_per_s",
                "raw text pages: words/s",
                words / seconds,
                None,
                counts.new,
            ),
            Metric(
                "bench.peak_rss_mb",
                "peak memory (MB, whole bench process)",
                _peak_rss_mb(),
                None,
                0,
                lower_is_better=True,
            ),
        ]
    return result


def bench_analysis(data_dir: Path) -> StageResult:
    """Analysis of the whole FA-KES dev set with the local engine, one worker per core."""
    import csv

    from sitrep.config import default_cache_dir
    from sitrep.engines.local import LocalEngine, default_workers
    from sitrep.ingest.build import make_article
    from sitrep.ingest.numeric_dates import NumericDates
    from sitrep.model import Article, Origin

    with (data_dir / "fakes" / "dev.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    articles = []
    numeric = NumericDates()  # the publication dates, read as `sitrep ingest` reads them
    for row in rows:
        read = numeric.read(row["date"], row["article_content"])
        made = make_article(
            f"{row['article_title']}\n\n{row['article_content']}",
            Origin("fakes", row["unit_id"]),
            published=read[0] if read else None,
        )
        if isinstance(made, Article):
            articles.append(made)
    words = sum(a.word_count for a in articles)
    workers = default_workers()
    with LocalEngine(default_cache_dir(), workers=workers) as engine:
        # Warm-up: worker start-up (model and gazetteer loading) is reported separately.
        start = time.perf_counter()
        list(engine.run(articles[: workers * engine.chunk_size], "bench"))
        startup = time.perf_counter() - start
        start = time.perf_counter()
        analysed = sum(len(batch) for batch in engine.run(articles, "bench"))
        seconds = time.perf_counter() - start
    result = StageResult(
        "analysis", f"FA-KES dev ({len(articles)} articles, {words:,} words), {workers} workers"
    )
    result.metrics += [
        Metric(
            "bench.analysis.fakes_articles_per_s",
            "FA-KES dev: articles/s (all stages, the decision heads included)",
            analysed / seconds,
            # Issue 11's floor for analysis with the learned decision layer (the rule stages
            # alone were held to 20 before it: 21.9 articles/s then).
            15.0,
            analysed,
        ),
        Metric(
            "bench.analysis.words_per_s_per_core",
            "words/s per core",
            words / seconds / workers,
            None,
            analysed,
        ),
        Metric(
            "bench.analysis.pool_startup_s",
            "warm-up: pool start, model loading and a first chunk per worker (s)",
            startup,
            None,
            workers,
            lower_is_better=True,
        ),
    ]
    return result


def _consolidation_seconds(articles: int) -> float:
    from sitrep.consolidate.run import consolidate_refs
    from sitrep.evaluate.synthetic_events import synthetic_mentions

    refs, evidence = synthetic_mentions(articles)
    start = time.perf_counter()
    consolidate_refs(refs, [], evidence, [])
    return time.perf_counter() - start


# Consolidation is timed at these two corpus sizes (articles); the issue asks that ten times
# the articles cost at most twelve times the time.
SCALING_SIZES = (10_000, 100_000)


def bench_consolidation(data_dir: Path) -> StageResult:
    """Event consolidation (clustering and disagreements) on synthetic mention streams."""
    small, large = SCALING_SIZES
    result = StageResult(
        "consolidation", f"synthetic mentions of {small:,} and {large:,} articles (3 each)"
    )
    seconds_small = _consolidation_seconds(small)
    seconds_large = _consolidation_seconds(large)
    result.metrics += [
        Metric(
            "bench.consolidation.seconds_10k",
            f"{small:,} articles: seconds",
            seconds_small,
            None,
            small,
            lower_is_better=True,
        ),
        Metric(
            "bench.consolidation.seconds_100k",
            f"{large:,} articles: seconds",
            seconds_large,
            None,
            large,
            lower_is_better=True,
        ),
        Metric(
            "bench.consolidation.growth",
            "time at 100k ÷ time at 10k (near-linear)",
            seconds_large / seconds_small,
            12.0,
            large,
            lower_is_better=True,
        ),
    ]
    return result


def bench_views(data_dir: Path) -> StageResult:
    """The report's size and time to interactive, the API's latency (evaluate.views_bench)."""
    from sitrep.evaluate.views_bench import bench_views as run

    return run(data_dir)


BENCHES: dict[str, Callable[[Path], StageResult]] = {
    "ingest": bench_ingest,
    "analysis": bench_analysis,
    "consolidation": bench_consolidation,
    "textreuse": bench_textreuse,
    "views": bench_views,
    "rerun": bench_rerun,
    "incremental": bench_incremental,
}
