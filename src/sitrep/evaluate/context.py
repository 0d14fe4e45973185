"""What every scorer gets: the reference data folder and the product runs it scores, each
made once (on first use) and shared by every stage that reads it."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from sitrep.analyze.builtin import DEFAULT_STAGES
from sitrep.api import ingest
from sitrep.evaluate.indomain import FOLD_MODELS, InDomainRun, run_indomain
from sitrep.evaluate.stored import (
    RecordsRun,
    SeedRun,
    run_fakes_dev,
    run_plover,
    run_re3d,
    run_seeds,
)
from sitrep.ledger.store import Ledger
from sitrep.model import Article


@dataclass
class EvalContext:
    data_dir: Path
    cache_dir: Path | None = None
    folds_dir: Path = FOLD_MODELS
    # The analysis stages of the in-domain run (RULE_STAGES: the rules alone, for comparison).
    stages: tuple[str, ...] = DEFAULT_STAGES

    @cached_property
    def indomain(self) -> InDomainRun:
        """The annotated FA-KES dev articles through the product, fold by fold."""
        return run_indomain(self.data_dir, self.cache_dir, self.folds_dir, self.stages)

    @cached_property
    def seed_run(self) -> SeedRun:
        """The seeds folder through the product (shipped models), consolidated."""
        return run_seeds(self.data_dir, self.cache_dir)

    @cached_property
    def plover_run(self) -> RecordsRun:
        """The PLOVER gold standard dev sentences through the product, one record each."""
        return run_plover(self.data_dir, self.cache_dir)

    @cached_property
    def re3d_run(self) -> RecordsRun:
        """The re3d documents through the product, one record each."""
        return run_re3d(self.data_dir, self.cache_dir)

    @cached_property
    def fakes398_run(self) -> RecordsRun:
        """The 398 FA-KES dev articles (dev.csv) through the product, one record each."""
        return run_fakes_dev(self.data_dir, self.cache_dir)

    @cached_property
    def seed_articles(self) -> dict[str, list[Article]]:
        """The seed pages as ingested, by file name (a page may hold several articles)."""
        by_file: dict[str, list[Article]] = {}
        with (
            tempfile.TemporaryDirectory() as tmp,
            Ledger.open(Path(tmp) / "seeds.duckdb") as ledger,
        ):
            ingest(ledger, [self.data_dir / "seeds"])
            for article in ledger.iter_articles():
                by_file.setdefault(Path(article.origin.source).name, []).append(article)
        return by_file
