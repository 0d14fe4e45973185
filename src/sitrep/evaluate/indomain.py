"""The in-domain gold run: the 60 annotated FA-KES dev articles through the product, each
decided by the models of the fold it was held out of, and the one-to-one matching of what
was stored to the gold that every in-domain scorer shares."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitrep.analyze.builtin import DEFAULT_STAGES
from sitrep.evaluate.product import ProductRun, run_product, write_jsonl
from sitrep.gold.fakes import FakesGold, fakes_gold
from sitrep.gold.folds import Folds, fakes_folds

PROJECT_ROOT = Path(__file__).resolve().parents[3]
# The models each fold's articles are decided by: trained by `sitrep train` without that
# fold (eval/folds/<k>/<family>/<head>.npz).
FOLD_MODELS = PROJECT_ROOT / "eval" / "folds"


@dataclass
class InDomainRun:
    gold: FakesGold
    folds: Folds
    product: ProductRun

    def article_id(self, unit_id: str) -> str:
        return self.product.by_external[unit_id]

    def text(self, unit_id: str) -> str:
        return self.gold.articles[unit_id].text

    def mentions(self, unit_id: str) -> list[dict[str, Any]]:
        return self.product.mentions.get(self.article_id(unit_id), [])

    def claims(self, unit_id: str) -> list[dict[str, Any]]:
        return self.product.claims.get(self.article_id(unit_id), [])

    def signals(self, unit_id: str) -> list[dict[str, Any]]:
        return self.product.signals.get(self.article_id(unit_id), [])


def fold_models(folds_dir: Path, fold: int) -> Path | None:
    """The models trained without ``fold``, or None when no fold models have been built."""
    path = folds_dir / str(fold)
    return path if path.is_dir() else None


def run_indomain(
    data_dir: Path,
    cache_dir: Path | None = None,
    folds_dir: Path = FOLD_MODELS,
    stages: Sequence[str] = DEFAULT_STAGES,
) -> InDomainRun:
    gold = fakes_gold(data_dir)
    folds = fakes_folds(data_dir)
    records = [
        {
            "id": unit,
            "text": article.text,
            "title": article.title,
            "outlet": article.outlet,
            "published": article.published.isoformat(),
        }
        for unit, article in sorted(gold.articles.items())
    ]
    models_for = {unit: fold_models(folds_dir, folds.fold[unit]) for unit in gold.articles}
    with tempfile.TemporaryDirectory() as tmp:
        source = write_jsonl(records, Path(tmp) / "fakes-dev-annotated.jsonl")
        product = run_product(
            [source], cache_dir=cache_dir, models_for=models_for, with_events=True, stages=stages
        )
    return InDomainRun(gold, folds, product)
