"""The CI quality gate: `sitrep eval` figures must not fall below eval/baseline.json, and no
floor may be lowered, removed or renamed without a reason in eval/baseline-lowered.yaml."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from sitrep.evaluate import run_stages
from sitrep.evaluate.gate import (
    Fall,
    Lowering,
    check_figures,
    lowerings_for,
    take_lowerings,
    unexplained_lowerings,
    unused_lowerings,
)
from sitrep.evaluate.metrics import Metric, StageResult

from .conftest import PROJECT

BASELINE = PROJECT / "eval" / "baseline.json"
LOWERED = PROJECT / "eval" / "baseline-lowered.yaml"


@pytest.fixture(scope="module")
def results(data_dir: Path) -> list[StageResult]:
    return run_stages(data_dir)


def test_no_figure_fell_below_the_baseline(results: list[StageResult]) -> None:
    floors = json.loads(BASELINE.read_text(encoding="utf-8"))
    lower_better = {m.key for r in results for m in r.metrics if m.lower_is_better}
    problems = check_figures(
        results, floors, lowerings_for(BASELINE, LOWERED, lower_better), complete=True
    )
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


def _fall(key: str, to: float | None, strict: bool = True) -> Fall:
    return Fall(key, to, strict)


def test_a_new_fall_needs_a_line_of_its_own() -> None:
    old = Lowering("a", 0.5, "an earlier round")
    new = Lowering("a", 0.5, "this round")
    earlier = _fall("a", 0.5, strict=False)
    # A line an earlier fall took does not excuse a fall after the strict point …
    problems, _ = take_lowerings([earlier, _fall("a", 0.5)], [old])
    assert problems == ["a was lowered to 0.5 without a line of its own"]
    # … a new line does, once: a second fall to the same value needs a second line.
    problems, left = take_lowerings([earlier, _fall("a", 0.5), _fall("a", 0.5)], [old, new])
    assert len(problems) == 1 and not left
    # A line no fall has taken yet (a removal still pending) stays to excuse one.
    assert take_lowerings([], [old]) == ([], [old])
    # Falls before the strict point are explained by any line, as the history was written.
    assert take_lowerings([earlier, earlier], [old]) == ([], [])


def test_a_fall_takes_no_line_written_after_it() -> None:
    # Two old falls to 0.5 (and one to 0.498, within the tolerance) were committed when the
    # list held one line; a line added this round is left for this round's fall.
    old = Lowering("a", 0.5, "an earlier round")
    new = Lowering("a", 0.5, "this round")
    history = [Fall("a", 0.5, False, 1), Fall("a", 0.5, False, 1), Fall("a", 0.498, False, 1)]
    assert take_lowerings(history, [old, new]) == ([], [new])
    assert take_lowerings([*history, Fall("a", 0.5, True)], [old, new]) == ([], [])
    # Without the commit's count every line could be taken, and this round's fall had none.
    unknown = [Fall("a", 0.5, False), Fall("a", 0.5, False)]
    assert take_lowerings([*unknown, Fall("a", 0.5, True)], [old, new])[0]


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def _commit(root: Path, floors: dict[str, float], lowered: str, message: str) -> str:
    (root / "eval" / "baseline.json").write_text(json.dumps(floors), encoding="utf-8")
    (root / "eval" / "baseline-lowered.yaml").write_text(lowered, encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", message)
    done = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def test_an_old_line_does_not_excuse_a_floor_lowered_again(tmp_path: Path) -> None:
    """In a real history: a floor lowered, raised, then lowered again to the same value after
    the strict point fails the check until the list gains a line for the second fall."""
    (tmp_path / "eval").mkdir()
    _git(tmp_path, "init", "-q")
    line = "- {key: a, to: 0.5, reason: first round}\n"
    start = _commit(tmp_path, {"a": 0.7}, f"since: HEAD\nlowered:\n{line}", "start")
    header = f"since: {start}\nlowered:\n{line}"
    _commit(tmp_path, {"a": 0.5}, header, "lowered with its line")
    strict = _commit(tmp_path, {"a": 0.7}, header, "raised again")
    header = f"since: {start}\none_line_per_fall_since: {strict}\nlowered:\n{line}"
    _commit(tmp_path, {"a": 0.7}, header, "one line per fall from here")
    lowered = tmp_path / "eval" / "baseline-lowered.yaml"
    assert not unexplained_lowerings(tmp_path, lowered, set())
    # The working copy lowers the floor to the old value: the old line does not excuse it.
    (tmp_path / "eval" / "baseline.json").write_text(json.dumps({"a": 0.5}), encoding="utf-8")
    assert unexplained_lowerings(tmp_path, lowered, set()) == [
        "a was lowered to 0.5 without a line of its own in baseline-lowered.yaml."
    ]
    lowered.write_text(header + "- {key: a, to: 0.5, reason: second round}\n", encoding="utf-8")
    assert not unexplained_lowerings(tmp_path, lowered, set())
    # Taken by that fall, the new line no longer excuses a figure below the floor.
    assert not unused_lowerings(tmp_path, lowered, set())


def test_outside_a_git_checkout_every_line_counts(tmp_path: Path) -> None:
    """An unpacked copy has no history to read: the gate then takes the list as it stands."""
    (tmp_path / "baseline.json").write_text(json.dumps({"a": 0.7}), encoding="utf-8")
    lowered = tmp_path / "baseline-lowered.yaml"
    lowered.write_text("since: abc\nlowered:\n- {key: a, to: 0.5, reason: why}\n", "utf-8")
    assert lowerings_for(tmp_path / "baseline.json", lowered, set()) == [Lowering("a", 0.5, "why")]
