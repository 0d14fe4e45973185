"""Defaults that depend on the environment, read once by the faces and passed to the library."""

from __future__ import annotations

import os
from pathlib import Path


def default_cache_dir() -> Path:
    """Where built indexes (the gazetteer) are cached: $SITREP_CACHE, else the XDG cache."""
    explicit = os.environ.get("SITREP_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sitrep"
