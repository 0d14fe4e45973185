"""Training one decision head: scikit-learn's histogram gradient boosting, written out as a
``TreeModel`` (numpy arrays) that analysis applies without scikit-learn.

Gradient-boosted trees were chosen by measurement over the alternatives (docs/quality.md,
"Choosing the method"): they take the parse and lexicon features as they come (counts,
flags, distances, missing values), need no scaling, and stay small (a few hundred KB).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from sitrep.analyze.core.learned import Row, TreeModel, to_matrix


@dataclass(frozen=True)
class BoostingParams:
    """Settings of one head's booster. The defaults are the ones every head uses unless its
    own definition says otherwise; they were chosen on the training folds (docs/quality.md)."""

    max_iter: int = 150
    learning_rate: float = 0.08
    max_depth: int = 4
    min_samples_leaf: int = 8
    l2_regularization: float = 1.0
    seed: int = 7
    # Weight each class inversely to its frequency (rare "why not" reasons still count).
    balanced: bool = False
    # How many boosters are averaged, each fitted on a bootstrap sample of the articles (the
    # rows' groups); 1: one booster on every row. Averaging steadies a head whose rows are few
    # and correlated within an article (docs/quality.md, "Twentieth round").
    bags: int = 1
    extra: dict[str, Any] = field(default_factory=dict)


def feature_names(rows: Sequence[Row], minimum_count: int = 2) -> tuple[str, ...]:
    """The features that are non-zero in at least ``minimum_count`` rows, sorted: a feature
    seen once cannot generalise and only grows the model."""
    counts: dict[str, int] = {}
    for row in rows:
        for name, value in row.items():
            if value != 0:
                counts[name] = counts.get(name, 0) + 1
    return tuple(sorted(name for name, n in counts.items() if n >= minimum_count))


def fit_trees(
    rows: Sequence[Row],
    labels: Sequence[str],
    params: BoostingParams = BoostingParams(),
    weights: Sequence[float] | None = None,
    meta: dict[str, Any] | None = None,
    groups: Sequence[str] | None = None,
) -> TreeModel:
    """A boosted tree model predicting ``labels`` from ``rows`` (deterministic for a seed).
    With ``params.bags`` above 1, the average of that many boosters, each fitted on a
    bootstrap sample of ``groups`` (the article of each row; each row its own without)."""
    from threadpoolctl import threadpool_limits

    features = feature_names(rows)
    x = to_matrix(rows, {name: i for i, name in enumerate(features)})
    y = np.asarray(labels)
    sample_weight = (
        np.asarray(weights, dtype=np.float64) if weights is not None else np.ones(len(y))
    )
    if params.balanced:
        classes, counts = np.unique(y, return_counts=True)
        per_class = {c: len(y) / (len(classes) * n) for c, n in zip(classes, counts, strict=True)}
        sample_weight = sample_weight * np.array([per_class[v] for v in y])
    samples = [np.ones(len(y))] if params.bags <= 1 else bootstrap_counts(groups, y, params)
    # Unweighted rows are fitted without weights, exactly as before bags existed.
    weighted = weights is not None or params.balanced or params.bags > 1
    boosters = []
    # One thread: on a few thousand rows OpenMP's start-up costs more than it saves (a
    # 9-class head took 87 s with two threads and 13 s with one on the 2-core machine).
    with threadpool_limits(limits=1):
        for bag, counts in enumerate(samples):
            kept = counts > 0
            booster = make_booster(replace(params, seed=params.seed + bag))
            booster.fit(
                x[kept], y[kept], sample_weight=(sample_weight * counts)[kept] if weighted else None
            )
            boosters.append(booster)
    return export_trees(boosters, features, {**(meta or {}), "params": vars(params)})


def bootstrap_counts(
    groups: Sequence[str] | None, labels: np.ndarray, params: BoostingParams
) -> list[np.ndarray]:
    """For each of ``params.bags`` bootstrap samples of the groups (drawn with replacement,
    as many as there are; each row its own group without ``groups``), how often each row is
    in it. A sample missing a class is drawn again: every booster of an average must know
    every class."""
    keys = list(groups) if groups is not None else [str(i) for i in range(len(labels))]
    index = {name: i for i, name in enumerate(sorted(set(keys)))}
    group_of = np.array([index[k] for k in keys])
    every = set(labels.tolist())
    rng = np.random.default_rng(params.seed)
    out: list[np.ndarray] = []
    while len(out) < params.bags:
        drawn = np.bincount(rng.integers(0, len(index), len(index)), minlength=len(index))
        counts = drawn[group_of].astype(np.float64)
        if set(labels[counts > 0].tolist()) == every:
            out.append(counts)
    return out


def make_booster(params: BoostingParams) -> Any:
    """scikit-learn's booster with ``params`` (no early stopping: every iteration is kept)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        max_iter=params.max_iter,
        learning_rate=params.learning_rate,
        max_depth=params.max_depth,
        min_samples_leaf=params.min_samples_leaf,
        l2_regularization=params.l2_regularization,
        early_stopping=False,
        random_state=params.seed,
    )


def export_trees(
    boosters: Sequence[Any], features: Sequence[str], meta: dict[str, Any]
) -> TreeModel:
    """The fitted boosters' trees as one ``TreeModel`` averaging their raw scores (a leaf's
    value and the baseline divided by their number), on their numeric splits: sitrep's
    features are all numeric, so no categorical bitsets arise."""
    feature, threshold, missing_left, left, right, leaf, value = [], [], [], [], [], [], []
    roots, outputs = [], []
    offset, depth = 0, 0
    share = 1.0 / len(boosters)
    classes = tuple(str(c) for c in boosters[0].classes_)
    if any(tuple(str(c) for c in b.classes_) != classes for b in boosters):
        raise ValueError("the averaged boosters know different classes")
    predictors = [
        (column, predictor)
        for booster in boosters
        for iteration in booster._predictors
        for column, predictor in enumerate(iteration)
    ]
    for column, predictor in predictors:
        nodes = predictor.nodes
        if nodes["is_categorical"].any():
            raise ValueError("categorical splits are not supported")
        roots.append(offset)
        outputs.append(column)
        feature.append(nodes["feature_idx"])
        threshold.append(nodes["num_threshold"])
        missing_left.append(nodes["missing_go_to_left"].astype(bool))
        left.append(nodes["left"].astype(np.int64) + offset)
        right.append(nodes["right"].astype(np.int64) + offset)
        leaf.append(nodes["is_leaf"].astype(bool))
        value.append(nodes["value"] * share)
        depth = max(depth, int(nodes["depth"].max()))
        offset += len(nodes)
    baseline = np.mean(
        [np.asarray(b._baseline_prediction, dtype=np.float64).reshape(-1) for b in boosters],
        axis=0,
    )
    return TreeModel(
        features=tuple(features),
        classes=classes,
        baseline=baseline,
        roots=np.asarray(roots, dtype=np.int32),
        tree_output=np.asarray(outputs, dtype=np.int32),
        feature=np.concatenate(feature).astype(np.int32),
        threshold=np.concatenate(threshold).astype(np.float64),
        missing_left=np.concatenate(missing_left),
        left=np.concatenate(left).astype(np.int32),
        right=np.concatenate(right).astype(np.int32),
        leaf=np.concatenate(leaf),
        value=np.concatenate(value).astype(np.float64),
        depth=depth + 1,
        meta=meta,
    )
