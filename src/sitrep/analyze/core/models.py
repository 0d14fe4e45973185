"""Where the trained decision heads are read from: the package, or a folder given at run time.

Each stage family owns its heads: ``analyze/<family>/models/<head>.npz`` in the package, with
a model card (``<head>.card.json``) beside each. A folder given instead (``--models DIR``, or
the per-fold models evaluation uses) has the same layout: ``DIR/<family>/<head>.npz``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from sitrep.analyze.core.learned import TreeModel, load_model
from sitrep.errors import DataError

SUFFIX = ".npz"


@dataclass
class ModelStore:
    """The decision heads of one model set, loaded on first use."""

    root: Path | None = None  # None: the models shipped in the package
    _loaded: dict[tuple[str, str], TreeModel] = field(default_factory=dict, repr=False)

    def _file(self, family: str, head: str) -> Traversable:
        if self.root is not None:
            return self.root / family / f"{head}{SUFFIX}"
        return resources.files(f"sitrep.analyze.{family}").joinpath(f"models/{head}{SUFFIX}")

    def has(self, family: str, head: str) -> bool:
        return self._file(family, head).is_file()

    def get(self, family: str, head: str) -> TreeModel:
        """The head ``family/head``; a missing one is an error that says how to build it."""
        key = (family, head)
        if key not in self._loaded:
            source = self._file(family, head)
            if not source.is_file():
                where = self.root or "the package"
                raise DataError(f"The model {family}/{head} is not in {where}: run `sitrep train`.")
            with source.open("rb") as stream:
                self._loaded[key] = load_model(stream, f"{family}/{head}")
        return self._loaded[key]

    def fingerprint(self) -> str:
        """A digest of a given folder's models (the package's are in the pipeline id already)."""
        if self.root is None:
            return ""
        digest = hashlib.sha256()
        for path in sorted(self.root.rglob(f"*{SUFFIX}")):
            digest.update(str(path.relative_to(self.root)).encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()[:16]
