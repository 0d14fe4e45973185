"""Result types of an evaluation and the arithmetic shared by every scorer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any


@dataclass(frozen=True)
class Metric:
    key: str  # stable identifier used by the baseline file, e.g. "seeds.metadata_fields"
    label: str
    value: float
    target: float | None = None  # the "done when" figure (value must be >= target)
    support: int = 0  # how many gold items the figure is computed over
    lower_is_better: bool = False
    # What a trivial predictor scores on the same items (the majority class of the training
    # folds, or "nothing"), so a reader can tell what the figure is worth.
    baseline: float | None = None

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        return self.value <= self.target if self.lower_is_better else self.value >= self.target


@dataclass
class StageResult:
    stage: str
    dataset: str
    metrics: list[Metric] = field(default_factory=list)
    # A table of per-item detail for docs/quality.md: header row first.
    detail: list[list[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    name: str = ""  # the registry name it was run under (`sitrep eval --stage NAME`)


def ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def prf(true_positives: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts."""
    precision = ratio(true_positives, predicted)
    recall = ratio(true_positives, gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


class Tally:
    """Counts of one figure: right / total, and the baseline's right."""

    def __init__(self) -> None:
        self.right = self.total = self.baseline = 0

    def add(self, right: bool, baseline: bool = False) -> None:
        self.total += 1
        self.right += right
        self.baseline += baseline

    def metric(self, key: str, label: str, target: float | None) -> Metric:
        return Metric(
            key,
            label,
            ratio(self.right, self.total),
            target,
            self.total,
            baseline=ratio(self.baseline, self.total),
        )


def same_group_pairs(
    universe: Sequence[str],
    gold_of: Mapping[str, str | None],
    cluster_of: Mapping[str, int | str | None],
) -> tuple[int, int, int]:
    """Pairwise clustering counts over ``universe``: (true positive, predicted positive, gold
    positive) pairs. A pair is gold-positive when both items have one gold group, predicted
    positive when both have one predicted cluster; an item without a cluster (an unmatched
    gold mention) is in no pair the product joined, so its gold pairs count as misses."""
    tp = pp = gp = 0
    for a, b in combinations(universe, 2):
        gold_same = gold_of.get(a) is not None and gold_of.get(a) == gold_of.get(b)
        predicted = cluster_of.get(a)
        predicted_same = predicted is not None and predicted == cluster_of.get(b)
        tp += gold_same and predicted_same
        pp += predicted_same
        gp += gold_same
    return tp, pp, gp
