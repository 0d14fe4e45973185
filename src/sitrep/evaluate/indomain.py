"""The in-domain gold run: the 60 annotated FA-KES dev articles through the product, each
decided by the models of the fold it was held out of, and the one-to-one matching of what
was stored to the gold that every in-domain scorer shares."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitrep.analyze.builtin import DEFAULT_STAGES
from sitrep.api import consolidate
from sitrep.consolidate.incident_model import (
    FOLDER,
    IncidentModel,
    PairModelChooser,
    incident_model,
)
from sitrep.evaluate.product import (
    ProductRun,
    analysed_ledger,
    external_ids,
    read_back,
    write_jsonl,
)
from sitrep.gold.fakes import FakesGold, fakes_gold
from sitrep.gold.folds import Folds, fakes_folds
from sitrep.ledger.store import Ledger

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


def _records(gold: FakesGold) -> list[dict[str, Any]]:
    return [
        {
            "id": unit,
            "text": article.text,
            "title": article.title,
            "outlet": article.outlet,
            "published": article.published.isoformat(),
        }
        for unit, article in sorted(gold.articles.items())
    ]


@contextmanager
def indomain_ledger(
    data_dir: Path,
    cache_dir: Path | None = None,
    folds_dir: Path = FOLD_MODELS,
    stages: Sequence[str] = DEFAULT_STAGES,
) -> Iterator[tuple[FakesGold, Folds, Ledger]]:
    """The gold, its folds and a ledger of the 60 articles, each analysed by the models of
    the fold it was held out of (not consolidated)."""
    gold = fakes_gold(data_dir)
    folds = fakes_folds(data_dir)
    models_for = {unit: fold_models(folds_dir, folds.fold[unit]) for unit in gold.articles}
    with tempfile.TemporaryDirectory() as tmp:
        source = write_jsonl(_records(gold), Path(tmp) / "fakes-dev-annotated.jsonl")
        with analysed_ledger(
            [source], cache_dir=cache_dir, models_for=models_for, stages=stages
        ) as ledger:
            yield gold, folds, ledger


def fold_incident_models(
    folds_dir: Path, fold_of_article: Mapping[str, int]
) -> PairModelChooser | None:
    """For a pair of articles, the incident model trained without the fold of the first of
    the two (by fold number): incidents lie inside one fold (the folds are incident groups),
    so a pair of one fold is decided by the model that never saw that fold, and a pair that
    spans two folds by a model that never saw the pair. None when no fold has such a model
    (``sitrep train`` builds them)."""
    folders = {k: folds_dir / str(k) / FOLDER for k in set(fold_of_article.values())}
    if not all(folder.is_dir() for folder in folders.values()):
        return None

    def choose(a: str, b: str) -> IncidentModel:
        return incident_model(folders[min(fold_of_article[a], fold_of_article[b])])

    return choose


def run_indomain(
    data_dir: Path,
    cache_dir: Path | None = None,
    folds_dir: Path = FOLD_MODELS,
    stages: Sequence[str] = DEFAULT_STAGES,
) -> InDomainRun:
    """The 60 articles through the product: analysed fold by fold, consolidated with the
    fold incident models (the shipped one when none were built), read back."""
    with indomain_ledger(data_dir, cache_dir, folds_dir, stages) as (gold, folds, ledger):
        fold_of = {a: folds.fold[unit] for unit, a in external_ids(ledger).items()}
        consolidate(
            ledger,
            with_statements=False,
            incident_models=fold_incident_models(folds_dir, fold_of),
        )
        return InDomainRun(gold, folds, read_back(ledger, with_events=True))
