"""The CI quality gate: `sitrep eval` figures must not fall below eval/baseline.json."""

from __future__ import annotations

from pathlib import Path

from sitrep.evaluate import check_baseline, run_stages

from .conftest import PROJECT


def test_no_figure_fell_below_the_baseline(data_dir: Path) -> None:
    results = run_stages(data_dir)
    problems = check_baseline(results, PROJECT / "eval" / "baseline.json")
    assert not problems, " ".join(problems)


def test_ingest_done_when_figures(data_dir: Path) -> None:
    (result,) = run_stages(data_dir, ["ingest"])
    missed = [m.key for m in result.metrics if m.met is False]
    assert not missed
