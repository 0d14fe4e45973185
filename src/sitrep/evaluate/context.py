"""What every scorer gets: the reference data folder and the analysis resources, made once."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from sitrep.analyze.core.document import Document
from sitrep.analyze.core.pipeline import Analyzer
from sitrep.analyze.core.resources import Resources, shared_resources
from sitrep.api import ingest
from sitrep.evaluate.indomain import FOLD_MODELS, InDomainRun, run_indomain
from sitrep.ledger.store import Ledger
from sitrep.model import Article


@dataclass
class EvalContext:
    data_dir: Path
    cache_dir: Path | None = None
    folds_dir: Path = FOLD_MODELS
    _seed_docs: dict[str, list[Document]] | None = field(default=None, repr=False)

    @cached_property
    def indomain(self) -> InDomainRun:
        """The annotated FA-KES dev articles through the product, fold by fold."""
        return run_indomain(self.data_dir, self.cache_dir, self.folds_dir)

    @cached_property
    def resources(self) -> Resources:
        return shared_resources(self.cache_dir)

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

    @cached_property
    def seed_documents(self) -> dict[str, list[Document]]:
        """The seed articles run through the default analysis pipeline."""
        analyzer = Analyzer(self.resources)
        return {
            name: analyzer.analyze_many(articles) for name, articles in self.seed_articles.items()
        }
