"""The CI quality gate: `sitrep eval` figures must not fall below eval/baseline.json, and no
floor may be lowered, removed or renamed without a reason in eval/baseline-lowered.yaml."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.evaluate import run_stages
from sitrep.evaluate.gate import check_figures, read_lowerings, unexplained_lowerings
from sitrep.evaluate.metrics import Metric, StageResult

from .conftest import PROJECT

BASELINE = PROJECT / "eval" / "baseline.json"
LOWERED = PROJECT / "eval" / "baseline-lowered.yaml"


@pytest.fixture(scope="module")
def results(data_dir: Path) -> list[StageResult]:
    return run_stages(data_dir)


def test_no_figure_fell_below_the_baseline(results: list[StageResult]) -> None:
    floors = json.loads(BASELINE.read_text(encoding="utf-8"))
    problems = check_figures(results, floors, read_lowerings(LOWERED), complete=True)
    assert not problems, " ".join(problems)


def test_no_floor_was_lowered_without_a_reason(results: list[StageResult]) -> None:
    lower_better = {m.key for r in results for m in r.metrics if m.lower_is_better}
    problems = unexplained_lowerings(PROJECT, LOWERED, lower_better)
    assert not problems, " ".join(problems)


def test_ingest_done_when_figures(results: list[StageResult]) -> None:
    (ingest,) = [r for r in results if r.name == "ingest"]
    assert not [m.key for m in ingest.metrics if m.met is False]


def _result(**values: float) -> list[StageResult]:
    return [StageResult("s", "d", [Metric(k, k, v) for k, v in values.items()], name="s")]


@pytest.mark.parametrize(
    ("measured", "lowered", "complaint"),
    [
        ({"a": 0.5, "b": 0.9}, [], "a regressed"),
        ({"b": 0.9}, [], "a is no longer measured"),
        ({"a": 0.5, "b": 0.9}, [("a", 0.6)], "a regressed"),  # the reason names another value
    ],
)
def test_gate_catches_falls_and_disappearances(
    measured: dict[str, float], lowered: list[tuple[str, float]], complaint: str
) -> None:
    from sitrep.evaluate.gate import Lowering

    reasons = [Lowering(key, to, "because") for key, to in lowered]
    problems = check_figures(_result(**measured), {"a": 0.7, "b": 0.9}, reasons, complete=True)
    assert any(p.startswith(complaint) for p in problems), problems


@pytest.mark.parametrize(
    ("measured", "lowered"),
    [
        ({"a": 0.5, "b": 0.9}, [("a", 0.5)]),
        ({"b": 0.9}, [("a", "removed")]),
        ({"a": 0.7, "b": 0.95}, []),
    ],
)
def test_gate_accepts_explained_lowerings(
    measured: dict[str, float], lowered: list[tuple[str, float | str]]
) -> None:
    from sitrep.evaluate.gate import Lowering

    reasons = [Lowering(key, to, "because") for key, to in lowered]
    assert not check_figures(_result(**measured), {"a": 0.7, "b": 0.9}, reasons, complete=True)
