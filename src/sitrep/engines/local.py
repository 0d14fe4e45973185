"""The local engine: analysis in a pool of worker processes, one pipeline loaded per worker.

Workers receive articles and send back ``Analysis`` records (never spaCy objects); the
caller writes them to the ledger, so only one process ever writes.

No article can stop the others: one that is too long, or on which a stage raises, comes back
as an ``AnalysisFailure``; one that kills its worker (out of memory, a crash in a library) is
found by analysing the chunk it was in one article at a time in a fresh pool. Workers die
with the process that started them, even when it is killed with SIGKILL (see
``engines/lifeline.py``), and leave Ctrl-C to it.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from pathlib import Path

from sitrep.analyze.builtin import DEFAULT_STAGES
from sitrep.analyze.core.bounded import too_long
from sitrep.analyze.core.document import Document
from sitrep.analyze.core.models import ModelStore
from sitrep.analyze.core.pipeline import Analyzer, pipeline_id
from sitrep.analyze.core.resources import shared_resources
from sitrep.engines.lifeline import tie_to_parent, trim_before_fork
from sitrep.model import Analysis, AnalysisFailure, Article, DocumentDate

log = logging.getLogger(__name__)
Result = Analysis | AnalysisFailure
_Submitted = tuple[ProcessPoolExecutor, Future[list[Result]], list[Article]]

_worker: Analyzer | None = None
# Articles sent to a worker at once (spaCy parses them as one batch). Measured on FA-KES dev
# with 2 workers on the 2-core machine: 16 -> 19.2 articles/s, 32 -> 21.7, 64 -> 23.0.
CHUNK_SIZE = 64
WORKER_DIED = (
    "The analysis process died on this article (out of memory, or a crash inside a "
    "library), so it is not analysed."
)


def to_analysis(document: Document, pipeline: str) -> Analysis:
    return Analysis(
        document.article.id,
        pipeline,
        document.dct or DocumentDate(None, None, "unknown"),
        document.main_country,
        document.main_admin1,
        tuple(document.entities),
        tuple(document.times),
        tuple(document.quantities),
        tuple(document.events),
        tuple(document.claims),
        tuple(document.signals),
    )


def analyse_chunk(analyzer: Analyzer, articles: Sequence[Article], pipeline: str) -> list[Result]:
    """Each article's analysis, or its failure: too long, or a stage raised on it (then the
    others of the chunk are analysed one by one, so only that article fails)."""
    results: dict[int, Result] = {}
    runnable: list[tuple[int, Article]] = []
    for index, article in enumerate(articles):
        if why := too_long(article.text):
            results[index] = AnalysisFailure(article.id, pipeline, "too_long", why)
        else:
            runnable.append((index, article))
    try:
        documents = analyzer.analyze_many([article for _, article in runnable])
        for (index, _), document in zip(runnable, documents, strict=True):
            results[index] = to_analysis(document, pipeline)
    except Exception:
        for index, article in runnable:
            results[index] = _analyse_alone(analyzer, article, pipeline)
    return [results[index] for index in range(len(articles))]


def _analyse_alone(analyzer: Analyzer, article: Article, pipeline: str) -> Result:
    try:
        return to_analysis(analyzer.analyze(article), pipeline)
    except Exception as exc:  # a stage's failure on one article must not stop the others
        log.warning("analysis failed on article %s", article.id, exc_info=exc)
        message = (
            f"Analysis failed on this article ({type(exc).__name__}: {str(exc)[:200]}), "
            "so it is not analysed."
        )
        return AnalysisFailure(article.id, pipeline, "failed", message)


def _analyzer(
    cache_dir: Path | None, models: Path | None, stages: Sequence[str], disabled: Sequence[str]
) -> Analyzer:
    return Analyzer(shared_resources(cache_dir).with_models(models), stages, disabled)


def _init_worker(
    cache_dir: Path | None,
    models: Path | None,
    stages: Sequence[str],
    disabled: Sequence[str],
    parent: int,
    deathsig: bool,
) -> None:
    global _worker
    tie_to_parent(parent, deathsig)
    _worker = _analyzer(cache_dir, models, stages, disabled)


def _analyze_chunk(articles: list[Article], pipeline: str) -> list[Result]:
    assert _worker is not None
    return analyse_chunk(_worker, articles, pipeline)


def default_workers() -> int:
    return max(
        1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )


class LocalEngine:
    """Analyse articles with ``workers`` processes (1 = in this process, no pool).

    The pool starts on first use and lives until ``close`` (or the end of a ``with`` block),
    so workers load the models once however many runs they serve. Leaving the ``with`` block
    on an exception (Ctrl-C, SIGTERM) stops the workers at once instead of waiting for them.
    """

    def __init__(
        self,
        cache_dir: Path | None,
        workers: int | None = None,
        chunk_size: int = CHUNK_SIZE,
        stages: Sequence[str] = DEFAULT_STAGES,
        disabled: Sequence[str] = (),
        models: Path | None = None,
    ) -> None:
        self.cache_dir, self.chunk_size = cache_dir, chunk_size
        self.models = models  # a folder of decision models; None: the shipped ones
        self.workers = workers or default_workers()
        self.stages, self.disabled = tuple(stages), tuple(disabled)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.terminate()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def terminate(self) -> None:
        """Stop the workers now, dropping the work they hold (nothing of it is stored)."""
        if self._pool is None:
            return
        # The executor has no public way to stop running work: kill its processes.
        for process in list(getattr(self._pool, "_processes", {}).values()):
            process.kill()
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = None

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # A parent-death signal is tied to the thread that forks the worker: use it only
            # from the main thread (which lives as long as the process), else rely on the
            # watchdog thread alone.
            deathsig = threading.current_thread() is threading.main_thread()
            trim_before_fork()
            self._pool = ProcessPoolExecutor(
                self.workers,
                initializer=_init_worker,
                initargs=(
                    self.cache_dir,
                    self.models,
                    self.stages,
                    self.disabled,
                    os.getpid(),
                    deathsig,
                ),
            )
        return self._pool

    @property
    def pipeline(self) -> str:
        """What this engine's analyses are stored under: the stages it runs (turned-off ones
        left out), the package's knowledge files and models, and a given models folder."""
        return pipeline_id(
            [s for s in self.stages if s not in self.disabled], ModelStore(self.models)
        )

    def run(self, articles: Iterable[Article], pipeline: str) -> Iterator[list[Result]]:
        """Analyses (or failures) in the input order, one chunk at a time."""
        chunks = _chunks(articles, self.chunk_size)
        if self.workers == 1:
            analyzer = _analyzer(self.cache_dir, self.models, self.stages, self.disabled)
            for chunk in chunks:
                yield analyse_chunk(analyzer, chunk, pipeline)
            return
        pending: deque[_Submitted] = deque()
        for chunk in chunks:
            pool = self._get_pool()
            pending.append((pool, pool.submit(_analyze_chunk, chunk, pipeline), chunk))
            if len(pending) >= self.workers * 2:  # bounded queue: memory stays flat
                yield self._collect(pending.popleft(), pipeline)
        while pending:
            yield self._collect(pending.popleft(), pipeline)

    def _collect(self, submitted: _Submitted, pipeline: str) -> list[Result]:
        pool, future, chunk = submitted
        try:
            return future.result()
        except BrokenProcessPool:
            log.warning("an analysis worker died; analysing its %d articles alone", len(chunk))
            if pool is self._pool:
                self._discard_pool()
            return [self._alone(article, pipeline) for article in chunk]

    def _alone(self, article: Article, pipeline: str) -> Result:
        try:
            return self._get_pool().submit(_analyze_chunk, [article], pipeline).result()[0]
        except BrokenProcessPool:
            self._discard_pool()
            return AnalysisFailure(article.id, pipeline, "worker_died", WORKER_DIED)

    def _discard_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(articles)
    while chunk := list(islice(iterator, size)):
        yield chunk
