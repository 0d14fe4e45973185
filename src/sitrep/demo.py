"""The bundled example corpus (illustrative texts written for this project, not real news)."""

from __future__ import annotations

from pathlib import Path

from sitrep.resources import resource_path

_DEMO_SUFFIXES = (".txt", ".html", ".jsonl", ".csv")


def demo_inputs() -> list[Path]:
    """The demo corpus files (the folder's README, which explains them, is not an input)."""
    folder = Path(str(resource_path("demo")))
    return sorted(p for p in folder.iterdir() if p.suffix in _DEMO_SUFFIXES)
