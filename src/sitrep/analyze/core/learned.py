"""Small trained models as numpy arrays: gradient-boosted trees, run without their trainer.

A model is stored as one ``.npz`` file (no pickle: plain arrays a reader can check) and
predicts from rows given as ``{feature name: value}`` dictionaries. ``sitrep train`` writes
them from scikit-learn's ``HistGradientBoostingClassifier`` (``sitrep.train.boosting``);
this module only reads and applies them, so analysis needs numpy and nothing else.

The trees of one model are concatenated into flat node arrays and walked for every row and
every tree at once, one depth level per step: a chunk of articles costs a few numpy
operations per level instead of a Python loop per tree.
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

    @property
    def binary(self) -> bool:
        return len(self.classes) == 2 and self.baseline.shape[0] == 1

    def matrix(self, rows: Sequence[Row]) -> FloatArray:
        return to_matrix(rows, self._index)  # type: ignore[attr-defined]

    def raw(self, x: FloatArray) -> FloatArray:
        """The summed tree outputs of every row (rows x output columns)."""
        n_rows, n_features = x.shape
        n_trees = self.roots.shape[0]
        # One flat (row, tree) walk; only the walks not yet at a leaf take the next step.
        nodes = np.tile(self.roots, n_rows)
        offsets = np.repeat(np.arange(n_rows, dtype=np.int64) * n_features, n_trees)
        flat = x.ravel()
        walking = np.flatnonzero(~self.leaf[nodes])
        while walking.size:
            at = nodes[walking]
            values = flat[offsets[walking] + self.feature[at]]
            go_left = np.where(
                np.isnan(values), self.missing_left[at], values <= self.threshold[at]
            )
            step = np.where(go_left, self.left[at], self.right[at])
            nodes[walking] = step
            walking = walking[~self.leaf[step]]
        leaf_values = self.value[nodes].reshape(n_rows, n_trees)
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
