"""What a model card says of every trained head: its inputs with their licences and digests,
its shape and settings, and the command that built it."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sitrep.analyze.core.learned import TreeModel
from sitrep.version import __version__

__all__ = ["figures_table", "head_card", "training_inputs", "write_card"]


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def training_inputs(data_dir: Path) -> dict[str, Any]:
    """What the heads are trained on, for their model cards: each set, its licence, a digest."""
    return {
        "fakes-dev annotated": {
            "files": ["annotated/fakes-dev.yaml", "fakes/dev.csv"],
            "licence": "annotation made for this project; FA-KES texts CC BY 4.0 (Zenodo)",
            "sha256": _digest(
                [data_dir / "annotated" / "fakes-dev.yaml", data_dir / "fakes" / "dev.csv"]
            ),
        }
    }


def head_card(
    name: str,
    model: TreeModel,
    trained_on: str,
    inputs: dict[str, Any],
    thresholds: dict[str, float] | None = None,
) -> dict[str, Any]:
    return {
        "head": name,
        "format": "sitrep.trees.v1 (numpy arrays; see analyze/core/learned.py)",
        "trainer": "scikit-learn HistGradientBoostingClassifier, exported",
        "classes": list(model.classes),
        "features": len(model.features),
        "trees": int(model.roots.shape[0]),
        "params": model.meta.get("params"),
        "rows": model.meta.get("rows"),
        "thresholds": thresholds,
        "trained_on": trained_on,
        "training_sets": inputs,
        "sitrep": __version__,
        "command": "sitrep train",
    }


def figures_table(figures: dict[str, float]) -> list[str]:
    """A model card's held-out figures as Markdown table lines."""
    return [
        "| figure | value |",
        "|---|---|",
        *(f"| `{k}` | {v:.3f} |" for k, v in figures.items()),
    ]


def write_card(folder: Path, lines: list[str]) -> Path:
    """Write a model card (``MODEL_CARD.md``) into ``folder``."""
    target = folder / "MODEL_CARD.md"
    target.write_text("\n".join(lines), encoding="utf-8")
    return target
