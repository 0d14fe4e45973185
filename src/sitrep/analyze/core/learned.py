"""Small trained models as numpy arrays: gradient-boosted trees, run without their trainer.

A model is stored as one ``.npz`` file (no pickle: plain arrays a reader can check) and
predicts from rows given as ``{feature name: value}`` dictionaries. ``sitrep train`` writes
them from scikit-learn's ``HistGradientBoostingClassifier`` (``sitrep.train.boosting``);
this module only reads and applies them, so analysis needs numpy and nothing else.

The trees of one model are concatenated into flat node arrays. To apply them, each tree is
laid out as a complete binary tree of the model's depth (a leaf above the last level passes
every row down to a copy of itself), so every row and every tree take one step per level
together: a handful of numpy operations per level, with no loop over trees and no
bookkeeping of which walks are done.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

from sitrep.errors import DataError

FloatArray = npt.NDArray[np.float64]
Row = Mapping[str, float]

FORMAT = "sitrep.trees.v1"


def to_matrix(rows: Sequence[Row], index: Mapping[str, int]) -> FloatArray:
    """Rows as a matrix with the columns ``index`` gives; features not in ``index`` are
    ignored, absent ones are 0 (flags and counts), NaN stays NaN (a value not known)."""
    out = np.zeros((len(rows), len(index)), dtype=np.float64)
    for r, row in enumerate(rows):
        for name, value in row.items():
            column = index.get(name)
            if column is not None:
                out[r, column] = value
    return out


@dataclass(frozen=True)
class TreeModel:
    """A boosted tree ensemble: the probability of each class from a row of features."""

    features: tuple[str, ...]
    classes: tuple[str, ...]
    baseline: FloatArray  # raw score per output column before any tree
    roots: npt.NDArray[np.int32]  # the root node of each tree
    tree_output: npt.NDArray[np.int32]  # which output column each tree adds to
    feature: npt.NDArray[np.int32]  # per node: the feature tested
    threshold: FloatArray  # per node: go left when the value is <= this
    missing_left: npt.NDArray[np.bool_]  # per node: where a missing (NaN) value goes
    left: npt.NDArray[np.int32]
    right: npt.NDArray[np.int32]
    leaf: npt.NDArray[np.bool_]
    value: FloatArray  # per leaf: what it adds to its tree's output column
    depth: int
    meta: dict[str, Any]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {name: i for i, name in enumerate(self.features)})
        object.__setattr__(self, "_complete", _complete_trees(self))

    @property
    def binary(self) -> bool:
        return len(self.classes) == 2 and self.baseline.shape[0] == 1

    def matrix(self, rows: Sequence[Row]) -> FloatArray:
        return to_matrix(rows, self._index)  # type: ignore[attr-defined]

    def raw(self, x: FloatArray) -> FloatArray:
        """The summed tree outputs of every row (rows x output columns)."""
        trees: _CompleteTrees = self._complete  # type: ignore[attr-defined]
        n_rows, n_features = x.shape
        n_trees = self.roots.shape[0]
        flat = x.ravel()
        has_missing = bool(np.isnan(flat).any())
        # Heap positions: node k of a tree has children 2k + 1 and 2k + 2.
        tree_base = np.arange(n_trees, dtype=np.int64) * trees.internal
        row_base = np.arange(n_rows, dtype=np.int64)[:, None] * n_features
        position = np.zeros((n_rows, n_trees), dtype=np.int64)
        for _ in range(trees.depth):
            node = tree_base + position
            values = flat[row_base + trees.feature[node]]
            right = values > trees.threshold[node]  # NaN compares False: it goes left …
            if has_missing:  # … unless the node sends a missing value right
                missing = np.isnan(values)
                right[missing] = ~trees.missing_left[node[missing]]
            position = 2 * position + 1 + right
        leaf_values = trees.value[
            np.arange(n_trees, dtype=np.int64) * trees.leaves + position - trees.internal
        ]
        out = np.tile(self.baseline, (n_rows, 1))
        for column in range(self.baseline.shape[0]):
            out[:, column] += leaf_values[:, self.tree_output == column].sum(axis=1)
        return out

    def predict_proba(self, rows: Sequence[Row]) -> FloatArray:
        """Class probabilities (rows x classes), in the order of ``classes``."""
        if not rows:
            return np.zeros((0, len(self.classes)))
        raw = self.raw(self.matrix(rows))
        if self.binary:
            positive = 1.0 / (1.0 + np.exp(-raw[:, 0]))
            return np.stack([1.0 - positive, positive], axis=1)
        shifted = np.exp(raw - raw.max(axis=1, keepdims=True))
        probabilities: FloatArray = shifted / shifted.sum(axis=1, keepdims=True)
        return probabilities

    def positive(self, rows: Sequence[Row]) -> FloatArray:
        """For a binary model: the probability of its second class for each row."""
        return self.predict_proba(rows)[:, 1]

    def save(self, target: Path | IO[bytes]) -> None:
        np.savez_compressed(
            target,
            format=np.array(FORMAT),
            features=np.array(self.features, dtype=str),
            classes=np.array(self.classes, dtype=str),
            baseline=self.baseline,
            roots=self.roots,
            tree_output=self.tree_output,
            feature=self.feature,
            threshold=self.threshold,
            missing_left=self.missing_left,
            left=self.left,
            right=self.right,
            leaf=self.leaf,
            value=self.value,
            depth=np.array(self.depth),
            meta=np.array(json.dumps(self.meta, sort_keys=True)),
        )


@dataclass(frozen=True)
class _CompleteTrees:
    """Every tree as a complete binary tree of ``depth`` levels, in heap order: per tree
    ``internal`` split nodes, then ``leaves`` leaf values. A leaf reached above the last level
    becomes a split that sends every row left (threshold +inf, missing values left) to copies
    of itself, so each walk takes exactly ``depth`` steps and ends on the same value."""

    depth: int
    internal: int
    leaves: int
    feature: npt.NDArray[np.int64]  # (trees * internal,)
    threshold: FloatArray
    missing_left: npt.NDArray[np.bool_]
    value: FloatArray  # (trees * leaves,)


def _complete_trees(model: TreeModel) -> _CompleteTrees:
    nodes = model.roots.astype(np.int64)[:, None]  # (trees, nodes at this level)
    features, thresholds, missing_left = [], [], []
    depth = 0
    while not model.leaf[nodes].all():
        leaf = model.leaf[nodes]
        features.append(np.where(leaf, 0, model.feature[nodes]))
        thresholds.append(np.where(leaf, np.inf, model.threshold[nodes]))
        missing_left.append(np.where(leaf, True, model.missing_left[nodes]))
        left = np.where(leaf, nodes, model.left[nodes])
        right = np.where(leaf, nodes, model.right[nodes])
        nodes = np.stack([left, right], axis=2).reshape(nodes.shape[0], -1)
        depth += 1
    n_trees = nodes.shape[0]

    def level_order(parts: list[np.ndarray], dtype: type) -> np.ndarray:
        if not parts:
            return np.zeros(0, dtype=dtype)
        return np.concatenate(parts, axis=1).astype(dtype).reshape(-1)

    return _CompleteTrees(
        depth=depth,
        internal=2**depth - 1,
        leaves=2**depth,
        feature=level_order(features, np.int64),
        threshold=level_order(thresholds, np.float64),
        missing_left=level_order(missing_left, np.bool_),
        value=model.value[nodes].reshape(n_trees * 2**depth).astype(np.float64),
    )


def load_model(source: Path | IO[bytes], name: str = "") -> TreeModel:
    """A model written by ``TreeModel.save``; a file of another format is a DataError."""
    try:
        with np.load(source, allow_pickle=False) as data:
            if str(data["format"]) != FORMAT:
                raise DataError(f"The model {name} is not a {FORMAT} file.")
            return TreeModel(
                features=tuple(str(f) for f in data["features"]),
                classes=tuple(str(c) for c in data["classes"]),
                baseline=data["baseline"].astype(np.float64),
                roots=data["roots"].astype(np.int32),
                tree_output=data["tree_output"].astype(np.int32),
                feature=data["feature"].astype(np.int32),
                threshold=data["threshold"].astype(np.float64),
                missing_left=data["missing_left"].astype(np.bool_),
                left=data["left"].astype(np.int32),
                right=data["right"].astype(np.int32),
                leaf=data["leaf"].astype(np.bool_),
                value=data["value"].astype(np.float64),
                depth=int(data["depth"]),
                meta=json.loads(str(data["meta"])),
            )
    except (OSError, KeyError, ValueError) as exc:
        raise DataError(f"The model {name} cannot be read: {exc}.") from exc
