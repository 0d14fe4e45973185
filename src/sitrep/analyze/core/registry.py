"""Registered analysis stages with declared inputs and outputs, and the pipeline that runs them.

Modelled on spaCy's pipeline: a stage is a named function that reads some layers of a
Document and adds others. A pipeline checks that every stage's inputs are produced by an
earlier stage, so stages can be turned off, replaced or added safely.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitrep.errors import UsageError

if TYPE_CHECKING:
    from sitrep.analyze.core.document import Document
    from sitrep.analyze.core.resources import Resources

StageFunc = Callable[["Document", "Resources"], None]
BatchFunc = Callable[[Sequence["Document"], "Resources"], None]


@dataclass(frozen=True)
class Stage:
    name: str
    requires: tuple[str, ...]  # layers read
    provides: tuple[str, ...]  # layers written
    func: StageFunc
    batch: BatchFunc | None = None  # a faster way to run many documents at once
    doc: str = ""


STAGES: dict[str, Stage] = {}


def stage(
    name: str, *, requires: Iterable[str] = (), provides: Iterable[str] = ()
) -> Callable[[StageFunc], StageFunc]:
    """Register ``func`` as the stage ``name`` (a later registration replaces an earlier one)."""

    def register(func: StageFunc) -> StageFunc:
        STAGES[name] = Stage(name, tuple(requires), tuple(provides), func, None, func.__doc__ or "")
        return func

    return register


def batch_for(name: str) -> Callable[[BatchFunc], BatchFunc]:
    """Give the already registered stage ``name`` a batch implementation."""

    def register(func: BatchFunc) -> BatchFunc:
        current = STAGES[name]
        STAGES[name] = Stage(
            current.name, current.requires, current.provides, current.func, func, current.doc
        )
        return func

    return register


def plan(names: Sequence[str], disabled: Iterable[str] = ()) -> list[Stage]:
    """The stages to run, in order, after checking each one's inputs are available."""
    off = set(disabled)
    unknown = [n for n in [*names, *off] if n not in STAGES]
    if unknown:
        raise UsageError(
            f"There is no analysis stage called {unknown[0]!r} (known: {', '.join(STAGES)})."
        )
    available = {"article"}
    chosen = []
    for name in names:
        if name in off:
            continue
        spec = STAGES[name]
        missing = [layer for layer in spec.requires if layer not in available]
        if missing:
            raise UsageError(
                f"The stage {name!r} needs the layer {missing[0]!r}, "
                "which no earlier stage provides."
            )
        available.update(spec.provides)
        chosen.append(spec)
    return chosen
