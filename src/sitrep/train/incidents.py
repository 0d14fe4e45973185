"""Training the incident model: which mentions of the corpus tell one happening.

The model learns from what the product really stores. The 60 annotated FA-KES dev articles
are analysed as ``sitrep eval`` analyses them (each by the decision models trained without
its fold, so the mentions carry the errors unseen text brings), and each stored mention that
the in-domain pairing ties to a gold event is labelled by the gold's ``incidents``: two
mentions are one happening when their gold events are listed under one incident, two
happenings otherwise. Pairs with an unpaired mention have no label and are left out.

Everything is cross-validated by incident group (``gold/folds.py``): each fold is clustered
by a model that never saw it, and the figures of ``sitrep train`` and ``sitrep eval`` are
those of the held-out folds. Nothing of the model is fitted any more: the mean probability at
which groups join is the evidence score's centre (probability 0.5), set a priori. Chosen as
the peak of the F1 curve of the training folds, it swung between scores 2.5 and 4.5 from
one retraining of the event decisions to the next, on curves flat within 0.05 F1 over 17 to
20 same-happening pairs (docs/quality.md, "Incidents across outlets"); the curve is still
computed and written into each model's settings and card, for reading.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sitrep.analyze.core.learned import FloatArray
from sitrep.consolidate.events import block_of, cluster_mentions, possible_pairs
from sitrep.consolidate.incident_model import (
    FOLDER,
    PACKAGE_MODELS,
    THRESHOLD_FILE,
    IncidentModel,
    evidence_score,
)
from sitrep.consolidate.incremental import mention_pool
from sitrep.consolidate.pair_features import MentionColumns, pair_features
from sitrep.evaluate.indomain import FOLD_MODELS, InDomainRun, indomain_ledger
from sitrep.evaluate.indomain_events import gold_mention_keys
from sitrep.evaluate.metrics import prf, same_group_pairs
from sitrep.evaluate.product import read_back
from sitrep.gold.fakes import FakesGold
from sitrep.gold.folds import Folds
from sitrep.model import MentionRef
from sitrep.train.cards import figures_table, training_inputs, write_card
from sitrep.version import __version__

__all__ = ["IncidentData", "incident_data", "train_incidents"]

# The evidence scores at which groups may join (as probabilities), tried on the training
# folds: from one strong agreement (a shared sentence) to agreement on nearly everything.
SCORE_GRID = (1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0)
SAME, DIFFERENT = "same", "different"


@dataclass
class IncidentData:
    """The analysed gold articles as consolidation sees them, and their labels."""

    gold: FakesGold
    folds: Folds
    refs: list[MentionRef]
    evidence: dict[tuple[str, int], str]
    fold_of: dict[str, int]  # article id -> fold
    gold_at: dict[tuple[str, int], str]  # stored mention -> its paired gold event id
    keys: dict[str, tuple[str, int]]  # gold event id -> its paired stored mention
    incident_of: dict[str, str]  # gold event id -> its incident id
    unit_of: dict[str, str]  # article id -> gold unit id

    def articles(self, folds: Collection[int]) -> set[str]:
        return {a for a, k in self.fold_of.items() if k in folds}


def incident_data(
    data_dir: Path, folds_dir: Path = FOLD_MODELS, cache_dir: Path | None = None
) -> IncidentData:
    """The 60 gold articles analysed fold by fold (``indomain_ledger``), their stored
    mentions and the gold events paired with them."""
    with indomain_ledger(data_dir, cache_dir, folds_dir) as (gold, folds, ledger):
        product = read_back(ledger, with_events=False)
        pool = mention_pool(ledger)
    run = InDomainRun(gold, folds, product)
    keys = gold_mention_keys(run)
    unit_of = {article: unit for unit, article in product.by_external.items()}
    return IncidentData(
        gold,
        folds,
        pool.refs,
        pool.evidence,
        {article: folds.fold[unit] for article, unit in unit_of.items()},
        {key: event for event, key in keys.items()},
        keys,
        {event: incident.id for incident in gold.incidents for event in incident.events},
        unit_of,
    )


def labelled_pairs(
    data: IncidentData, articles: set[str]
) -> tuple[dict[str, FloatArray], list[str]]:
    """The candidate pairs among ``articles``' mentions that consolidation may join and whose
    two mentions are both paired with gold events: their features (``pair_features``) and
    their labels."""
    refs = [r for r in data.refs if r.article_id in articles]
    columns = MentionColumns.of_mentions(refs, data.evidence)
    firsts: list[int] = []
    seconds: list[int] = []
    labels: list[str] = []
    for i, j in possible_pairs([block_of(r) for r in refs], columns):
        for a, b in zip(i.tolist(), j.tolist(), strict=True):
            event_a = data.gold_at.get((refs[a].article_id, refs[a].index))
            event_b = data.gold_at.get((refs[b].article_id, refs[b].index))
            if event_a is None or event_b is None:
                continue
            incident = data.incident_of.get(event_a)
            firsts.append(a)
            seconds.append(b)
            same = incident is not None and incident == data.incident_of.get(event_b)
            labels.append(SAME if same else DIFFERENT)
    features = pair_features(
        columns, np.asarray(firsts, dtype=np.int64), np.asarray(seconds, dtype=np.int64)
    )
    return features, labels


def clustering_counts(
    data: IncidentData, articles: set[str], model: IncidentModel
) -> tuple[int, int, int]:
    """Pairwise counts (true, predicted, gold positive) of clustering ``articles``' mentions
    with ``model``, over every gold event of those articles (an unpaired one misses its
    pairs)."""
    refs = [r for r in data.refs if r.article_id in articles]
    groups = cluster_mentions(refs, data.evidence, models=lambda _a, _b: model)
    cluster_at = {(refs[i].article_id, refs[i].index): n for n, g in enumerate(groups) for i in g}
    units = {data.unit_of[a] for a in articles}
    universe = [e.id for e in data.gold.events if e.unit_id in units]
    cluster_of = {
        event: cluster_at.get(data.keys[event]) if event in data.keys else None
        for event in universe
    }
    return same_group_pairs(universe, data.incident_of, cluster_of)


Curves = dict[int, dict[float, tuple[int, int, int]]]


def fold_curves(data: IncidentData, folds: Collection[int]) -> Curves:
    """For each fold, the pairwise counts of clustering it on its own at each score of the
    grid: computed once, summed for every set of training folds that holds the fold."""
    scorer = evidence_score()
    return {
        fold: {
            score: clustering_counts(
                data,
                data.articles([fold]),
                IncidentModel(scorer, float(scorer.probability(score)), "curve"),
            )
            for score in SCORE_GRID
        }
        for fold in folds
    }


def fit_incident_model(
    data: IncidentData, folds: list[int], name: str, curves: Curves
) -> tuple[IncidentModel, dict[str, Any]]:
    """The incident model, joining at the evidence score's centre, and what its card reports:
    the labelled pairs of ``folds`` and the F1 at each score of the grid (each fold
    clustered on its own, the pairwise counts summed over the folds), for reading only."""
    scorer = evidence_score()
    f1 = {
        score: prf(*(sum(curves[fold][score][i] for fold in folds) for i in range(3)))[2]
        for score in SCORE_GRID
    }
    best = scorer.centre  # a priori (module docstring)
    _features, labels = labelled_pairs(data, data.articles(folds))
    report = {
        "pairs": len(labels),
        "same_pairs": labels.count(SAME),
        "score": best,
        "f1_by_score": {str(score): round(value, 4) for score, value in f1.items()},
    }
    return IncidentModel(scorer, round(float(scorer.probability(best)), 6), name), report


def _save(model: IncidentModel, folder: Path, trained_on: str, report: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / THRESHOLD_FILE
    settings = {
        "threshold": model.threshold,
        "chosen_on": trained_on,
        "command": "sitrep train",
        "sitrep": __version__,
        **report,
    }
    target.write_text(json.dumps(settings, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return target


def _model_card(
    folder: Path, figures: dict[str, float], report: dict[str, Any], inputs: Any
) -> Path:
    entry = inputs["fakes-dev annotated"]
    lines = [
        "# Model card: the incident model",
        "",
        "Decides whether two event mentions from two articles tell one happening: groups of "
        "mentions join when the mean probability over their pairs reaches the threshold. The "
        "probability is the logistic of an additive evidence score whose points are general "
        "knowledge, kept with their reasons in `resources/incident_evidence.yaml`; the "
        "threshold (`incident.json`) is the score's centre, set a priori; `sitrep train` "
        "measures it from `../shared/data` (deterministic; no download).",
        "",
        "## Calibration data",
        "",
        f"The stored mentions of the 60 annotated FA-KES dev articles (`{entry['files'][0]}`, "
        f"sha256 `{entry['sha256']}`; {entry['licence']}), each article analysed by the "
        "decision models trained without its fold; pairs labelled by the gold `incidents` "
        f"({report['pairs']} labelled pairs of two articles, {report['same_pairs']} of one "
        f"happening). Score at which groups join: {report['score']} (threshold "
        f"{report['threshold']:.4f}), the evidence score's centre; the F1 of each score on "
        "these pairs is in `incident.json` (`f1_by_score`), for reading: fitted to it, the "
        "threshold swung from one retraining to the next.",
        "",
        "## Held-out figures",
        "",
        "Same-incident pairwise figures on each fold with the threshold chosen on the other "
        "folds (every gold event of the fold counts; an unpaired gold event misses its pairs; "
        "computed by `sitrep train` in memory; the ledger-based figure is `sitrep eval`'s, in "
        "docs/quality.md):",
        "",
        *figures_table(figures),
        "",
        "Intended use: grouping the event mentions sitrep finds in English news about the war "
        "in Syria (2012–2017 in calibration) into happenings. Sixty articles and 28 incidents "
        "are little: expect other text to differ.",
        "",
    ]
    return write_card(folder, lines)


def train_incidents(
    data_dir: Path,
    folds_dir: Path = FOLD_MODELS,
    package_dir: Path = PACKAGE_MODELS,
    cache_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
    folds_only: bool = False,
) -> tuple[list[Path], dict[str, float]]:
    """The per-fold incident models (``folds_dir/<k>/incidents``) and the shipped one
    (``package_dir``), with the held-out figures of the per-fold ones. Needs the per-fold
    decision models (``sitrep train`` builds those first)."""
    say = progress or (lambda _: None)
    say("incidents: analysing the gold articles fold by fold")
    data = incident_data(data_dir, folds_dir, cache_dir)
    inputs = training_inputs(data_dir)
    every = sorted(set(data.fold_of.values()))
    written: list[Path] = []
    held_out = [0, 0, 0]
    curves = fold_curves(data, every)
    for fold in every:
        training = [k for k in every if k != fold]
        model, report = fit_incident_model(data, training, f"fold {fold}", curves)
        written.append(_save(model, folds_dir / str(fold) / FOLDER, f"folds {training}", report))
        counts = clustering_counts(data, data.articles([fold]), model)
        held_out = [x + y for x, y in zip(held_out, counts, strict=True)]
        say(f"incidents: fold {fold} threshold {model.threshold} pairs {counts}")
    precision, recall, f1 = prf(*held_out)
    figures = {
        "same_incident.precision": precision,
        "same_incident.recall": recall,
        "same_incident.f1": f1,
    }
    say(f"incidents: held out P {precision:.3f} R {recall:.3f} F1 {f1:.3f}")
    if not folds_only:
        model, report = fit_incident_model(data, every, "shipped", curves)
        written.append(_save(model, package_dir, "every fold", report))
        report["threshold"] = model.threshold
        written.append(_model_card(package_dir, figures, report, inputs))
        say(f"incidents: shipped threshold {model.threshold}")
    return written, figures
