"""The public, face-independent operations: ingest files or URLs into a ledger.

Nothing here prints, exits or reads the environment; progress is reported through callbacks
and the ``sitrep`` logger.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from sitrep.analyze.builtin import DEFAULT_STAGES
from sitrep.analyze.core.bounded import too_long
from sitrep.analyze.core.document import Document
from sitrep.analyze.core.pipeline import Analyzer
from sitrep.analyze.core.resources import Resources, shared_resources
from sitrep.consolidate import state as consolidation_state
from sitrep.consolidate.incident_model import PairModelChooser
from sitrep.consolidate.ledger_run import (
    ConsolidationSummary,
    consolidate_ledger,
    stored_summary,
)
from sitrep.consolidate.textreuse import run_dedup_and_reuse
from sitrep.engines.local import LocalEngine
from sitrep.errors import UsageError
from sitrep.export.queries import ROW_EXPORTS
from sitrep.ingest import (
    FetchOptions,
    IngestOptions,
    InputFile,
    discover,
    fetch_urls,
    read_file,
)
from sitrep.ingest.build import make_article
from sitrep.ingest.walk import display_path
from sitrep.ledger.layers import pending_article_ids, write_analyses, write_failures
from sitrep.ledger.store import FileStamp, IngestCounts, Ledger
from sitrep.model import Analysis, AnalysisFailure, IngestOutcome, Origin, Skip, article_record

log = logging.getLogger("sitrep")

# Outcomes per transaction: a crash loses at most this many, and a batch of 200 typical
# articles (~1 MB) commits in about 0.1 s on this machine.
DEFAULT_BATCH_SIZE = 200


@dataclass(frozen=True)
class Progress:
    done: int  # inputs (files or URLs) finished
    total: int
    counts: IngestCounts


ProgressCallback = Callable[[Progress], None]


class _Batcher:
    """Collects outcomes and completed-file stamps; commits them together."""

    def __init__(
        self, ledger: Ledger, size: int, on_commit: Callable[[], None] | None = None
    ) -> None:
        self.ledger, self.size, self.on_commit = ledger, size, on_commit
        self.outcomes: list[IngestOutcome] = []
        self.completed: list[FileStamp] = []
        self.counts = IngestCounts()
        self.batches = 0

    def add(self, outcome: IngestOutcome) -> None:
        self.outcomes.append(outcome)
        if len(self.outcomes) >= self.size:
            self.flush()

    def read(self, item: InputFile, options: IngestOptions) -> None:
        """Every outcome of one file, unless it was read to its end before, unchanged since."""
        stamp = _stamp(item)
        if self.ledger.is_current(stamp):
            self.counts.files_unchanged += 1
            return
        for outcome in read_file(item, options):
            self.add(outcome)
        self.completed.append(stamp)
        if len(self.completed) >= self.size:
            self.flush()

    def flush(self) -> None:
        if not self.outcomes and not self.completed:
            return
        self.counts.add(self.ledger.record_ingest(self.outcomes, self.completed))
        self.batches += 1
        log.info(
            "committed batch %d: %d outcomes, %d files completed",
            self.batches,
            len(self.outcomes),
            len(self.completed),
        )
        self.outcomes, self.completed = [], []
        if self.on_commit:
            self.on_commit()


def ingest(
    ledger: Ledger,
    paths: Iterable[str | Path],
    options: IngestOptions | None = None,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_progress: ProgressCallback | None = None,
) -> IngestCounts:
    """Read every file under ``paths`` into ``ledger``; safe to re-run and to resume."""
    options = options or IngestOptions()
    items = list(discover(paths))
    done = 0

    def report() -> None:
        if on_progress:
            on_progress(Progress(done, len(items), batcher.counts))

    batcher = _Batcher(ledger, batch_size, report)
    try:
        for done, item in enumerate(items, start=1):  # noqa: B007 (report() reads it)
            if isinstance(item, Skip):
                batcher.add(item)
            else:
                batcher.read(item, options)
            report()
    finally:  # interrupted too (Ctrl-C, SIGTERM): what was read is stored
        batcher.flush()
    return batcher.counts


def fetch(
    ledger: Ledger,
    urls: Iterable[str],
    options: FetchOptions | None = None,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_progress: ProgressCallback | None = None,
) -> IngestCounts:
    """Download each URL and read it into ``ledger``."""
    url_list = list(urls)
    batcher = _Batcher(ledger, batch_size)
    seen_sources: set[str] = set()
    try:
        for outcome in fetch_urls(url_list, options):
            batcher.add(outcome)
            seen_sources.add(outcome.origin.source)
            if on_progress:
                on_progress(Progress(len(seen_sources), len(url_list), batcher.counts))
    finally:  # interrupted too: what was fetched is stored
        batcher.flush()
    return batcher.counts


@dataclass
class AnalyzeCounts:
    analysed: int = 0
    already: int = 0  # analysed before by the same pipeline (or failed by it before)
    not_analysable: int = 0  # stored articles that are not in English
    failed: dict[str, int] = field(default_factory=dict)  # reason -> articles, this run


def analyze(
    ledger: Ledger,
    *,
    engine: LocalEngine | None = None,
    stages: Sequence[str] = DEFAULT_STAGES,
    on_progress: ProgressCallback | None = None,
    article_ids: Collection[str] | None = None,
) -> AnalyzeCounts:
    """Analyse every stored article not yet analysed by this pipeline (or only those of
    ``article_ids``); resumable."""
    engine = engine or LocalEngine(None, workers=1, stages=stages)
    pipeline = engine.pipeline
    pending = pending_article_ids(ledger.conn, pipeline)
    if article_ids is not None:
        chosen = set(article_ids)
        pending = [a for a in pending if a in chosen]
    counts = AnalyzeCounts()
    total_row = ledger.conn.execute(
        "SELECT count(*), count(*) FILTER (WHERE NOT analysable) FROM articles"
    ).fetchone()
    total, counts.not_analysable = (int(total_row[0]), int(total_row[1])) if total_row else (0, 0)
    counts.already = total - counts.not_analysable - len(pending)
    # Small runs go one article per chunk so progress advances per article; large runs keep
    # the engine's chunks (spaCy batches them).
    engine.chunk_size = max(1, min(engine.chunk_size, len(pending) // (engine.workers * 8)))
    if on_progress:
        on_progress(Progress(0, len(pending), IngestCounts()))
    articles = (a for article_id in pending if (a := ledger.get_article(article_id)) is not None)
    for batch in engine.run(articles, pipeline):
        failures = [r for r in batch if isinstance(r, AnalysisFailure)]
        with ledger.transaction():
            write_analyses(ledger.conn, [r for r in batch if isinstance(r, Analysis)])
            write_failures(ledger.conn, failures)
        for failure in failures:
            counts.failed[failure.reason] = counts.failed.get(failure.reason, 0) + 1
        counts.analysed += len(batch) - len(failures)
        done = counts.analysed + sum(counts.failed.values())
        log.info("analysed %d of %d articles", done, len(pending))
        if on_progress:
            on_progress(Progress(done, len(pending), IngestCounts()))
    return counts


def analysis_failures(ledger: Ledger) -> list[dict[str, Any]]:
    """Articles analysis did not process (``reason``, ``message``), with where they came from,
    in ingestion order."""
    return list(
        ledger.iter_rows(
            "SELECT f.article_id, a.source, a.part, f.pipeline, f.reason, f.message "
            "FROM analysis_failures f JOIN articles a ON a.id = f.article_id ORDER BY a.seq"
        )
    )


def run(
    ledger: Ledger,
    paths: Iterable[str | Path],
    options: IngestOptions | None = None,
    *,
    engine: LocalEngine | None = None,
) -> tuple[IngestCounts, AnalyzeCounts]:
    """Ingest ``paths`` and analyse every article not analysed yet (what `sitrep run` does)."""
    counts = ingest(ledger, paths, options)
    return counts, analyze(ledger, engine=engine)


StepCallback = Callable[[str, int, int], None]


def consolidate(
    ledger: Ledger,
    *,
    with_statements: bool = True,
    on_step: StepCallback | None = None,
    force: bool = False,
    incident_models: PairModelChooser | None = None,
) -> ConsolidationSummary:
    """Near-duplicate articles and reused passages; every analysed article's event mentions
    clustered into events across sources, with the accounts behind each and the fields on
    which they disagree; claims that report one statement (each run replaces the last).
    A step whose inputs are those it last ran on keeps its stored result (``unchanged`` in
    the summary names it), and new articles join the stored events, unless ``force``
    (everything is redone). ``on_step(step, n, total)`` is told which step
    starts. ``incident_models`` chooses the model that decides whether two articles' mentions
    are one happening (the shipped one when None; evaluation gives each pair a model trained
    without it); given, the event step is always redone."""
    if on_step:
        on_step("near duplicates and reused passages", 1, 2)
    kept: list[str] = []
    digest = consolidation_state.fingerprint(ledger, consolidation_state.REUSE)
    if not force and consolidation_state.is_current(ledger, consolidation_state.REUSE, digest):
        kept.append(consolidation_state.REUSE)
    else:
        run_dedup_and_reuse(ledger, digest, whole=force)
    if on_step:
        on_step("events across sources and statements", 2, 2)
    digest = consolidation_state.fingerprint(ledger, consolidation_state.EVENTS, with_statements)
    if (
        not force
        and incident_models is None
        and consolidation_state.is_current(ledger, consolidation_state.EVENTS, digest)
    ):
        kept.append(consolidation_state.EVENTS)
    else:
        consolidate_ledger(
            ledger,
            with_statements=with_statements,
            digest=None if incident_models is not None else digest,
            whole=force,
            models=incident_models,
        )
    # The figures are read back from the tables, the same whether a step ran or was kept.
    return replace(stored_summary(ledger), unchanged=tuple(kept))


EXPORT_KINDS = ("articles", *ROW_EXPORTS)


def export_records(ledger: Ledger, kind: str) -> Iterator[dict[str, Any]]:
    """The records of one export kind (the README's export schema), in ingestion order, as
    analysed and consolidated: analysts' corrections are not applied here
    (``sitrep.views.exports.export_records`` applies them, as `sitrep export` does)."""
    if kind == "articles":
        yield from (article_record(a) for a in ledger.iter_articles())
        return
    if kind not in ROW_EXPORTS:
        raise UsageError(f"There is no export kind {kind!r} (known: {', '.join(EXPORT_KINDS)}).")
    query, to_record = ROW_EXPORTS[kind]
    yield from (to_record(row) for row in ledger.iter_rows(query))


def analyze_text(
    text: str,
    *,
    title: str | None = None,
    published: date | None = None,
    resources: Resources | None = None,
    stages: Sequence[str] = DEFAULT_STAGES,
) -> Document:
    """Analyse one text without a ledger (every stage's layer: entities, places, dates,
    numbers, events, claims, signals); ``stages`` may name another order, such as
    ``RULE_STAGES`` (the rules alone, without the learned decision layer)."""
    article = make_article(text, Origin("text"), title=title, published=published)
    if isinstance(article, Skip):
        raise UsageError(f"There is nothing to analyse: {article.message}")
    if why := too_long(article.text):
        raise UsageError(why)
    return Analyzer(resources or shared_resources(), stages).analyze(article)


def _stamp(item: InputFile) -> FileStamp:
    try:
        path = item.path.resolve()
    except (OSError, RuntimeError):  # a link loop between the stat and now
        path = item.path.absolute()
    return FileStamp(display_path(path), item.size, item.mtime_ns)
