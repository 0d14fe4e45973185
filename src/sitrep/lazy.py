"""Names imported on first use, so the CLI starts without loading heavy libraries."""

from __future__ import annotations

from importlib import import_module
from typing import Any


class _LazyModule:
    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(import_module(self._name), attribute)


class _LazyAttribute:
    def __init__(self, module: str, name: str) -> None:
        self._module, self._name = module, name

    def _target(self) -> Any:
        return getattr(import_module(self._module), self._name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._target()(*args, **kwargs)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._target(), attribute)

    def __getitem__(self, key: Any) -> Any:
        return self._target()[key]

    def __iter__(self) -> Any:
        return iter(self._target())

    def __contains__(self, item: Any) -> bool:
        return item in self._target()


def lazy_module(name: str) -> Any:
    """A stand-in for module ``name`` that imports it when an attribute is first read."""
    return _LazyModule(name)


def lazy_attribute(module: str, name: str) -> Any:
    """A stand-in for ``module.name`` (a class, function or constant) imported on first use."""
    return _LazyAttribute(module, name)
