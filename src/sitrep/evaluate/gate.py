"""The quality gate: figures must not fall below their baseline, and no baseline figure may
be lowered, removed or renamed without a line saying why.

``eval/baseline.json`` holds the floors; ``eval/baseline-lowered.yaml`` lists every figure
lowered or removed since the gate began reading it (key, the new value or ``removed``, and
the reason). The test suite checks both the current figures against the floors and every
change of the floors in the project's history (``git log``) against that list, so a floor
cannot be lowered quietly in the same commit as the change that lowered the figure.

Each line explains one fall: the falls of the history take the lines in order (a fall only
a line the list already held when the fall was committed), and only a line no fall has
taken excuses a figure now below its floor. From the list's
``one_line_per_fall_since`` commit on this is enforced: a figure that falls again to a value
it fell to in an earlier round needs a new line with the new reason. (Before that commit a
line explained every fall to its value, which is how the older history was written.)
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


@dataclass(frozen=True)
class Fall:
    key: str
    to: float | None  # the new floor, None when removed
    strict: bool  # after the list's `one_line_per_fall_since` commit: it needs its own line
    # How many lines the list held when the fall was committed (None: the working copy's, all
    # of them): a line written later was written for a later fall.
    known: int | None = None


def figures(results: Iterable[StageResult]) -> dict[str, float]:
    return {m.key: round(m.value, 4) for r in results for m in r.metrics}


def _read_list(text: str, name: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise DataError(f"{name} is not valid YAML: {exc}.") from exc
    if not isinstance(data, dict):
        raise DataError(f"{name} is not a mapping with a `lowered` list.")
    return data


def read_lowerings(path: Path) -> list[Lowering]:
    """The lines of the lowering list, in order."""
    if not path.exists():
        return []
    data = _read_list(path.read_text(encoding="utf-8"), str(path))
    found = []
    for entry in data.get("lowered") or []:
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


def take_lowerings(
    falls: Iterable[Fall], lowerings: list[Lowering]
) -> tuple[list[str], list[Lowering]]:
    """Match the falls, oldest first, with the lines that explain them: each fall takes the
    first line not yet taken that explains it; a strict fall with none left is unexplained,
    an older one is explained by any line. Returns the falls left unexplained, one sentence
    each, and the lines no fall has taken."""
    left = list(range(len(lowerings)))
    problems = []
    for fall in falls:
        known = len(lowerings) if fall.known is None else fall.known
        taken = next(
            (i for i in left if i < known and explained(fall.key, fall.to, [lowerings[i]])), None
        )
        if taken is not None:
            left.remove(taken)
        elif fall.strict or not explained(fall.key, fall.to, lowerings):
            now = "removed" if fall.to is None else f"lowered to {fall.to:g}"
            own = " of its own" if fall.strict else ""
            problems.append(f"{fall.key} was {now} without a line{own}")
    return problems, [lowerings[i] for i in left]


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


def baseline_history(
    root: Path, baseline: str, since: str, strict_since: str | None = None
) -> list[tuple[bool, dict[str, Any], str | None]]:
    """Every committed version of the baseline file from ``since`` on, oldest first, then the
    working copy; each with whether it came after ``strict_since`` (the working copy does)
    and its commit (None for the working copy)."""
    commits = _git(root, "log", "--format=%H", f"{since}..HEAD", "--", baseline).split()
    strict = set()
    if strict_since:
        strict = set(_git(root, "log", "--format=%H", f"{strict_since}..HEAD").split())
    versions: list[tuple[bool, dict[str, Any], str | None]] = [
        (False, json.loads(_git(root, "show", f"{since}:{baseline}")), since)
    ]
    versions += [
        (c in strict, json.loads(_git(root, "show", f"{c}:{baseline}")), c)
        for c in reversed(commits)
    ]
    versions.append((True, json.loads((root / baseline).read_text(encoding="utf-8")), None))
    return versions


def _lines_at(root: Path, lowered: str, commit: str | None) -> int | None:
    """How many lines the lowering list held at ``commit`` (None: the working copy's)."""
    if commit is None:
        return None
    try:
        text = _git(root, "show", f"{commit}:{lowered}")
    except DataError:
        return 0  # the list did not exist yet
    return len(_read_list(text, lowered).get("lowered") or [])


def _history(
    root: Path, lowered_file: Path, lower_better: set[str], baseline: str
) -> tuple[list[Fall], list[Lowering]]:
    """The falls of the floors since the lowering list began, oldest first, and its lines."""
    data = _read_list(lowered_file.read_text(encoding="utf-8"), str(lowered_file))
    since = str(data.get("since") or "")
    if not since:
        raise DataError(f"{lowered_file} names no `since` commit.")
    strict_since = str(data.get("one_line_per_fall_since") or "") or None
    lowered = lowered_file.resolve().relative_to(root.resolve()).as_posix()
    history = baseline_history(root, baseline, since, strict_since)
    known = {commit: _lines_at(root, lowered, commit) for _, _, commit in history}
    falls = [
        Fall(key, new.get(key), strict, known[commit])
        for (_, old, _), (strict, new, commit) in itertools.pairwise(history)
        for key in sorted(_falls(old, new, lower_better))
    ]
    return falls, read_lowerings(lowered_file)


def unexplained_lowerings(
    root: Path, lowered_file: Path, lower_better: set[str], baseline: str = "eval/baseline.json"
) -> list[str]:
    """Floors lowered or removed in the history of the baseline with no line in the
    lowering list to explain them, one sentence each."""
    problems, _ = take_lowerings(*_history(root, lowered_file, lower_better, baseline))
    return sorted({f"{p} in {lowered_file.name}." for p in problems})


def unused_lowerings(
    root: Path, lowered_file: Path, lower_better: set[str], baseline: str = "eval/baseline.json"
) -> list[Lowering]:
    """The lines that may still excuse a figure now below its floor: those no fall in the
    history has taken. Outside a git checkout (an unpacked release) the
    history cannot be read, and every line counts."""
    try:
        return take_lowerings(*_history(root, lowered_file, lower_better, baseline))[1]
    except (DataError, OSError, ValueError):
        return read_lowerings(lowered_file)


def lowerings_for(
    baseline_path: Path, lowered_path: Path, lower_better: set[str]
) -> list[Lowering]:
    """The lines that may excuse a figure now below the floors of ``baseline_path``: read from
    the git checkout holding both files, or every line when there is none."""
    try:
        root = Path(_git(lowered_path.parent, "rev-parse", "--show-toplevel").strip())
        baseline = baseline_path.resolve().relative_to(root.resolve()).as_posix()
    except (DataError, OSError, ValueError):
        return read_lowerings(lowered_path)
    return unused_lowerings(root, lowered_path, lower_better, baseline)
