"""The local engine: analysis in a pool of worker processes, one pipeline loaded per worker.

Workers receive articles and send back ``Analysis`` records (never spaCy objects); the
caller writes them to the ledger, so only one process ever writes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from pathlib import Path

from sitrep.analyze.builtin import DEFAULT_STAGES
from sitrep.analyze.core.document import Document
from sitrep.analyze.core.models import ModelStore
from sitrep.analyze.core.pipeline import Analyzer, pipeline_id
from sitrep.analyze.core.resources import shared_resources
from sitrep.model import Analysis, Article, DocumentDate

_worker: Analyzer | None = None
# Articles sent to a worker at once (spaCy parses them as one batch). Measured on FA-KES dev
# with 2 workers on the 2-core machine: 16 -> 19.2 articles/s, 32 -> 21.7, 64 -> 23.0.
CHUNK_SIZE = 64


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


def _analyzer(
    cache_dir: Path | None, models: Path | None, stages: Sequence[str], disabled: Sequence[str]
) -> Analyzer:
    return Analyzer(shared_resources(cache_dir).with_models(models), stages, disabled)


def _init_worker(
    cache_dir: Path | None, models: Path | None, stages: Sequence[str], disabled: Sequence[str]
) -> None:
    global _worker
    _worker = _analyzer(cache_dir, models, stages, disabled)


def _analyze_chunk(articles: list[Article], pipeline: str) -> list[Analysis]:
    assert _worker is not None
    return [to_analysis(d, pipeline) for d in _worker.analyze_many(articles)]


def default_workers() -> int:
    return max(
        1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )


class LocalEngine:
    """Analyse articles with ``workers`` processes (1 = in this process, no pool).

    The pool starts on first use and lives until ``close`` (or the end of a ``with`` block),
    so workers load the models once however many runs they serve.
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

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers,
                initializer=_init_worker,
                initargs=(self.cache_dir, self.models, self.stages, self.disabled),
            )
        return self._pool

    @property
    def pipeline(self) -> str:
        """What this engine's analyses are stored under: the stages it runs (turned-off ones
        left out), the package's knowledge files and models, and a given models folder."""
        return pipeline_id(
            [s for s in self.stages if s not in self.disabled], ModelStore(self.models)
        )

    def run(self, articles: Iterable[Article], pipeline: str) -> Iterator[list[Analysis]]:
        """Analyses in the input order, one chunk at a time."""
        chunks = _chunks(articles, self.chunk_size)
        if self.workers == 1:
            analyzer = _analyzer(self.cache_dir, self.models, self.stages, self.disabled)
            for chunk in chunks:
                yield [to_analysis(d, pipeline) for d in analyzer.analyze_many(chunk)]
            return
        pool = self._get_pool()
        pending: list[Future[list[Analysis]]] = []
        for chunk in chunks:
            pending.append(pool.submit(_analyze_chunk, chunk, pipeline))
            if len(pending) >= self.workers * 2:  # bounded queue: memory stays flat
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(articles)
    while chunk := list(islice(iterator, size)):
        yield chunk
