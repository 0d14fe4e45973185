"""Bundled knowledge files (YAML), read once per process."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from sitrep.errors import DataError


@cache
def load_yaml(name: str) -> Any:
    """Parse the bundled data file ``name`` (a path relative to this package)."""
    path = resources.files(__name__).joinpath(name)
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"The bundled data file {name} cannot be read: {exc}.") from exc


def resource_path(name: str) -> Any:
    """A traversable handle on a bundled file or folder (for the demo corpus)."""
    return resources.files(__name__).joinpath(name)


def word_set(data: dict[str, Any], key: str, *, lower: bool = True) -> frozenset[str]:
    """A word list of a knowledge file as a set (lower-cased unless it holds codes)."""
    return frozenset(str(w).lower() if lower else str(w) for w in data[key])
