"""Bundled knowledge files (YAML), read once per process."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import yaml

from sitrep.errors import DataError


@cache
def load_yaml(name: str, package: str = __name__) -> Any:
    """Parse the bundled data file ``name``, a path relative to ``package`` (by default this
    one; a stage family passes its own, whose ``lexicons/`` folder holds its knowledge)."""
    path = resources.files(package).joinpath(name)
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"The bundled data file {name} cannot be read: {exc}.") from exc


def load_lexicon(family: str, name: str) -> Any:
    """A knowledge file of an analysis stage family: ``analyze/<family>/lexicons/<name>``."""
    return load_yaml(f"lexicons/{name}", f"sitrep.analyze.{family}")


def lexicon_path(family: str, name: str) -> Any:
    """A traversable handle on a file of ``analyze/<family>/lexicons/``."""
    return resource_path(f"lexicons/{name}", f"sitrep.analyze.{family}")


def resource_path(name: str, package: str = __name__) -> Any:
    """A traversable handle on a bundled file or folder (a lexicon, the demo corpus)."""
    return resources.files(package).joinpath(name)


def word_set(data: dict[str, Any], key: str, *, lower: bool = True) -> frozenset[str]:
    """A word list of a knowledge file as a set (lower-cased unless it holds codes)."""
    return frozenset(str(w).lower() if lower else str(w) for w in data[key])


# Folders of the package that hold no knowledge analysis reads: the demo corpus is input,
# evaluation code reads the gold data from outside the package.
_NOT_KNOWLEDGE = ("demo", "evaluate")


def bundled_files(suffixes: tuple[str, ...] = (".yaml",)) -> list[str]:
    """Every bundled data file with one of ``suffixes``, as a path relative to the ``sitrep``
    package (load one with ``load_yaml(path, "sitrep")``), sorted."""
    return sorted(_walk(resources.files("sitrep"), "", suffixes))


def _walk(folder: Traversable, prefix: str, suffixes: tuple[str, ...]) -> Iterator[str]:
    for child in folder.iterdir():
        name = f"{prefix}{child.name}"
        if child.is_dir():
            if child.name not in _NOT_KNOWLEDGE and not child.name.startswith(("__", ".")):
                yield from _walk(child, name + "/", suffixes)
        elif child.name.endswith(suffixes):
            yield name
