"""`sitrep run` killed with SIGKILL in analysis and consolidation, or stopped with SIGTERM
in ingest: no worker outlives it, and running it again gives the ledger a clean run gives.

The full figure (10 random points over the three phases) comes from
``python -m sitrep.evaluate.robustness`` and is recorded in docs/performance.md; here three
points keep the suite's time bounded (a trial is a stopped run and a resumed one, up to
~50 s with the workers' start). SIGKILL in ingest is ``test_resume.py``'s case.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from sitrep.evaluate.robustness import run_kill_trials


@pytest.mark.slow
def test_killed_and_terminated_runs_resume_to_the_clean_ledger(tmp_path: Path) -> None:
    trials = run_kill_trials(
        tmp_path,
        trials=0,
        extra=[
            ("analysis", 6.0, signal.SIGKILL),  # the workers are loading their models
            ("consolidation", 0.5, signal.SIGKILL),
            ("ingest", 0.8, signal.SIGTERM),  # commits what it read, says so, exits 143
        ],
    )
    for trial in trials:
        assert trial.killed, trial  # the signal came while it ran, and it ended by it
        assert trial.orphans == 0 and trial.orphan_seconds < 5, trial
        assert trial.equal, trial
