"""Readers for the reference data in ../shared/data (formats: its README)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from sitrep.errors import UsageError

_PROJECT_ROOT = Path(__file__).resolve().parents[3]


def find_data_dir(given: str | Path | None = None) -> Path:
    """The reference data folder: ``given``, else ../shared/data from here or the project."""
    candidates = (
        [Path(given)]
        if given
        else [
            Path.cwd() / ".." / "shared" / "data",
            _PROJECT_ROOT / ".." / "shared" / "data",
        ]
    )
    for candidate in candidates:
        if (candidate / "seeds" / "gold.yaml").exists():
            return candidate.resolve()
    where = given or "../shared/data"
    raise UsageError(f"No reference data at {where}: pass --data DIR (the folder holding seeds/).")


@cache
def seeds_gold(data_dir: Path) -> dict[str, Any]:
    with (data_dir / "seeds" / "gold.yaml").open(encoding="utf-8") as stream:
        gold: dict[str, Any] = yaml.safe_load(stream)
    return gold


def normalise_space(text: str | None) -> str:
    return " ".join((text or "").split())
