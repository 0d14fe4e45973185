"""The quality gate: figures must not fall below their baseline, and no baseline figure may
be lowered, removed or renamed without a line saying why.

``eval/baseline.json`` holds the floors; ``eval/baseline-lowered.yaml`` lists every figure
lowered or removed since the gate began reading it (key, the new value or ``removed``, and
the reason). The test suite checks both the current figures against the floors and every
change of the floors in the project's history (``git log``) against that list, so a floor
cannot be lowered quietly in the same commit as the change that lowered the figure.
"""

from __future__ import annotations

import itertools
import json
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sitrep.errors import DataError
from sitrep.evaluate.metrics import StageResult

# A figure may fall this far below its baseline before the check fails: room for float
# noise only; any real regression on the small gold sets moves a figure by more.
BASELINE_TOLERANCE = 0.005
REMOVED = "removed"


@dataclass(frozen=True)
class Lowering:
    key: str
    to: float | str  # the new floor, or "removed"
    reason: str


def figures(results: Iterable[StageResult]) -> dict[str, float]:
    return {m.key: round(m.value, 4) for r in results for m in r.metrics}


def read_lowerings(path: Path) -> list[Lowering]:
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise DataError(f"{path} is not valid YAML: {exc}.") from exc
    entries = data.get("lowered") or []
    found = []
    for entry in entries:
        if not entry.get("reason"):
            raise DataError(f"{path}: the lowering of {entry.get('key')} gives no reason.")
        found.append(Lowering(str(entry["key"]), entry["to"], str(entry["reason"])))
    return found


def explained(key: str, new: float | None, lowerings: list[Lowering]) -> bool:
    for lowering in lowerings:
        if lowering.key != key:
            continue
        if new is None and lowering.to == REMOVED:
            return True
        number = isinstance(lowering.to, (int, float))
        if new is not None and number and abs(float(lowering.to) - new) <= BASELINE_TOLERANCE:
            return True
    return False


def check_figures(
    results: list[StageResult],
    baseline: dict[str, float],
    lowerings: list[Lowering],
    complete: bool,
) -> list[str]:
    """Regressions of ``results`` against ``baseline``, one sentence each. When the run was
    ``complete`` (every stage), a baseline figure no stage produced has disappeared, which is
    a failure unless it was recorded as removed."""
    current = figures(results)
    lower_better = {m.key for r in results for m in r.metrics if m.lower_is_better}
    problems = []
    for key, old in sorted(baseline.items()):
        if key not in current:
            if complete and not explained(key, None, lowerings):
                problems.append(
                    f"{key} is no longer measured (renamed or removed): record it in "
                    "eval/baseline-lowered.yaml with the reason."
                )
            continue
        value = current[key]
        if worse(key, value, old, lower_better) and not explained(key, value, lowerings):
            problems.append(f"{key} regressed from {old:g} to {value:g}.")
    return problems


def _falls(old: dict[str, float], new: dict[str, float], lower_better: set[str]) -> list[str]:
    """Keys whose floor ``new`` lowers (or removes) relative to ``old``."""
    return [
        key
        for key, value in old.items()
        if key not in new or worse(key, new[key], value, lower_better)
    ]


def worse(key: str, value: float, floor: float, lower_better: set[str]) -> bool:
    if key in lower_better:
        return value > floor + BASELINE_TOLERANCE
    return value < floor - BASELINE_TOLERANCE


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise DataError(f"git {' '.join(args)} failed in {root}: {done.stderr.strip()}")
    return done.stdout


def baseline_history(root: Path, baseline: str, since: str) -> list[dict[str, Any]]:
    """Every committed version of the baseline file from ``since`` on, oldest first, then the
    working copy."""
    commits = _git(root, "log", "--format=%H", f"{since}..HEAD", "--", baseline).split()
    versions = [json.loads(_git(root, "show", f"{since}:{baseline}"))]
    versions += [json.loads(_git(root, "show", f"{c}:{baseline}")) for c in reversed(commits)]
    versions.append(json.loads((root / baseline).read_text(encoding="utf-8")))
    return versions


def unexplained_lowerings(
    root: Path, lowered_file: Path, lower_better: set[str], baseline: str = "eval/baseline.json"
) -> list[str]:
    """Floors lowered or removed in the history of the baseline since the lowering list
    began (its ``since`` commit) with no line in the list, one sentence each."""
    data = yaml.safe_load(lowered_file.read_text(encoding="utf-8")) or {}
    since = str(data.get("since") or "")
    if not since:
        raise DataError(f"{lowered_file} names no `since` commit.")
    lowerings = read_lowerings(lowered_file)
    versions = baseline_history(root, baseline, since)
    problems = []
    for old, new in itertools.pairwise(versions):
        for key in _falls(old, new, lower_better):
            value = new.get(key)
            if not explained(key, value, lowerings):
                now = "removed" if value is None else f"lowered to {value:g}"
                problems.append(f"{key} was {now} without a line in {lowered_file.name}.")
    return sorted(set(problems))
