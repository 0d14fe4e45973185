"""Scoring against the gold files of ../shared/data (`sitrep eval`) and speed (`sitrep bench`)."""

from sitrep.evaluate.metrics import Metric, StageResult
from sitrep.evaluate.runner import STAGES, check_baseline, run_stages, update_baseline

__all__ = ["STAGES", "Metric", "StageResult", "check_baseline", "run_stages", "update_baseline"]
