"""The unattributed-assertion head's rows, built with the features it meets at run time.

An assertion candidate reads the document's counted events and claims (the "attack told as
fact" cue, the stretches in someone else's voice). At run time those come from the decision
heads; built from the rule stages, the training rows carried other cues than the head is
later given. So its rows are built from each gold article analysed as ``sitrep eval``
analyses it: by the per-fold models trained without the article's fold, which ``sitrep
train`` has just written. Measured on the held-out folds' rows built the same way, at three
seeds: AUC 0.857-0.861 -> 0.866-0.871 and precision at threshold 0.2 0.39-0.44 -> 0.49-0.51
against rows from the rule stages (docs/quality.md, "Twenty-first round").

The other folds' rows are analysed by event heads that saw the held-out fold's events (not
its assertions), as the incident model's mentions are (``train/incidents.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

from sitrep.analyze.core.document import Document
from sitrep.analyze.core.resources import Resources
from sitrep.gold.fakes import FakesGold
from sitrep.gold.folds import FOLDS, Folds
from sitrep.train.analysed import DECIDED_STAGES, analysed_gold
from sitrep.train.events_data import HeadRows
from sitrep.train.signals_data import assertion_rows

__all__ = ["heldout_assertion_rows"]


def heldout_assertion_rows(
    gold: FakesGold,
    folds: Folds,
    resources: Resources,
    folds_dir: Path,
    drop: str | None = None,
) -> HeadRows:
    """The assertion head's labelled rows, from every gold article analysed through the
    decided events and claims by the models of ``folds_dir`` trained without its fold."""
    documents: dict[str, Document] = {}
    for fold in range(FOLDS):
        units = {u for u in gold.articles if folds.fold[u] == fold}
        fold_resources = resources.with_models(folds_dir / str(fold))
        documents.update(analysed_gold(gold, fold_resources, DECIDED_STAGES, units))
    rows = assertion_rows(gold, documents, folds.fold, resources)
    if drop:  # an ablation: the head learns without these features
        pattern = re.compile(drop)
        rows.rows = [{k: v for k, v in r.items() if not pattern.fullmatch(k)} for r in rows.rows]
    return rows
