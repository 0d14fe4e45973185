"""The model that decides whether two mentions from two articles tell one happening.

An additive evidence score over the pair features of ``pair_features``: each term's points
are general knowledge of how outlets report one happening, kept as data with their reasons
(``resources/incident_evidence.yaml``); the score becomes a probability by a logistic curve,
and only the threshold on that probability is fitted to data: ``sitrep train`` chooses it
by cross-validation over the incident groups of the annotated FA-KES dev articles. The
shipped threshold is in ``consolidate/models/`` (with its model card); ``sitrep train`` also
writes one per held-out fold (``eval/folds/<k>/incidents/``) so that ``sitrep eval``
measures each fold's incidents with a threshold that never saw them. Why points set by hand
rather than learned weights: docs/quality.md ("Incidents across outlets").
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from sitrep.errors import DataError
from sitrep.resources import load_yaml

__all__ = [
    "FOLDER",
    "PACKAGE_MODELS",
    "EvidenceScore",
    "IncidentModel",
    "PairModelChooser",
    "evidence_score",
    "incident_model",
]

FloatArray = npt.NDArray[np.float64]
PACKAGE_MODELS = Path(__file__).resolve().parent / "models"
# The subfolder of a models folder (``--models``, a fold's folder) that holds the threshold.
FOLDER = "incidents"
THRESHOLD_FILE = "incident.json"
EVIDENCE_FILE = "incident_evidence.yaml"


@dataclass(frozen=True)
class _Term:
    feature: str
    times: float | None
    cap: float
    bands: tuple[tuple[float, float, float], ...]  # (min, max, points)

    def points(self, values: FloatArray) -> FloatArray:
        """The points of each value (0 for a missing one)."""
        known = ~np.isnan(values)
        if self.times is not None:
            return np.where(known, self.times * np.minimum(values, self.cap), 0.0)
        out = np.zeros(values.shape)
        todo = known.copy()
        for low, high, points in self.bands:
            with np.errstate(invalid="ignore"):
                hit = todo & (values >= low) & (values <= high)
            out[hit] = points
            todo &= ~hit
        return out


@dataclass(frozen=True)
class EvidenceScore:
    """The summed points of the evidence terms, as a probability (logistic of the score
    less ``centre``)."""

    terms: tuple[_Term, ...]
    centre: float

    def scores(self, features: Mapping[str, FloatArray]) -> FloatArray:
        """The score of each pair, from the features of ``pair_features``."""
        size = len(next(iter(features.values()))) if features else 0
        total = np.zeros(size)
        for term in self.terms:
            total += term.points(features[term.feature])
        return total

    def probability(self, score: FloatArray | float) -> FloatArray:
        return 1.0 / (1.0 + np.exp(-(np.asarray(score, dtype=np.float64) - self.centre)))

    def probabilities(self, features: Mapping[str, FloatArray]) -> FloatArray:
        return self.probability(self.scores(features))


def _term(entry: dict[str, Any]) -> _Term:
    bands = tuple(
        (float(b.get("min", -math.inf)), float(b.get("max", math.inf)), float(b["points"]))
        for b in entry.get("bands", ())
    )
    times = entry.get("times")
    return _Term(
        str(entry["feature"]),
        float(times) if times is not None else None,
        float(entry.get("cap", math.inf)),
        bands,
    )


@cache
def evidence_score() -> EvidenceScore:
    """The bundled evidence terms (``resources/incident_evidence.yaml``)."""
    data = load_yaml(EVIDENCE_FILE)
    try:
        return EvidenceScore(tuple(_term(t) for t in data["terms"]), float(data["centre"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(f"The bundled data file {EVIDENCE_FILE} is malformed: {exc!r}.") from exc


@dataclass(frozen=True)
class IncidentModel:
    scorer: EvidenceScore
    # Groups join when the mean probability over their pairs reaches this.
    threshold: float
    source: str  # where the threshold was read from (for messages)

    def probabilities(self, features: Mapping[str, FloatArray]) -> FloatArray:
        return self.scorer.probabilities(features)


# For a pair of articles, the model that decides their mentions (the shipped one in use;
# evaluation gives each pair one whose threshold was chosen without it).
PairModelChooser = Callable[[str, str], IncidentModel]


def _folder(models: Path | None) -> Path:
    if models is None:
        return PACKAGE_MODELS
    inner = models / FOLDER
    return inner if inner.is_dir() else models


@cache
def incident_model(models: Path | None = None) -> IncidentModel:
    """The incident model with the threshold of a models folder (its ``incidents``
    subfolder, or the folder itself), or the shipped one; a folder without one is a
    DataError."""
    path = _folder(models) / THRESHOLD_FILE
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
        threshold = float(settings["threshold"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataError(
            f"No incident threshold can be read from {path}: run `sitrep train` to build it "
            "from ../shared/data."
        ) from exc
    return IncidentModel(evidence_score(), threshold, str(path.parent))
