"""Training the event heads and choosing their thresholds, on given folds only.

``fit_heads`` trains the seven heads on the rows of some folds. ``tune`` chooses the
thresholds the decision layer applies by cross-validation inside those folds: each inner
fold is decided by heads trained on the others, the product's decision code assembles the
events, and the in-domain scorer compares them with the gold of those folds only. The
held-out fold of an evaluation is never seen, not even for a threshold.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sitrep.analyze.core.learned import TreeModel
from sitrep.analyze.events.auxiliary import NO_AUXILIARY, AuxiliaryHeads
from sitrep.analyze.events.decide import HEADS, EventHeads, Scores, Thresholds, decide_events
from sitrep.evaluate.indomain_events import score_events
from sitrep.export.records import mention_record
from sitrep.gold.fakes import FakesGold
from sitrep.gold.folds import Folds
from sitrep.ledger.mentions import mention_row
from sitrep.train.boosting import BoostingParams, fit_trees
from sitrep.train.events_data import EventRows, HeadRows, LabelledArticle

# The boosting settings of each head: a shallow, regularised booster for the small heads.
# Chosen on the training folds (docs/quality.md, "Choosing the method").
PARAMS: dict[str, BoostingParams] = {name: BoostingParams(max_iter=100) for name in HEADS}
PARAMS["why_not"] = BoostingParams(max_iter=60, balanced=True)
# The happening head (what is counted at all) and the two role heads: five boosters, each on
# a bootstrap sample of the articles, averaged. Measured on the per-fold heads' held-out
# decisions with the folds' thresholds fixed (docs/quality.md, "Twentieth round"): the
# happening head's AUC 0.800 -> 0.808, event F1 +0.004 to +0.014 at four event and
# same-happening settings; with it, the role heads bagged too: recipient +0.031 to +0.038,
# actor +0.004 to +0.008. Bagging the place head lowered place by about 0.02, the toll
# head's did not move, and the same-happening head merged less (AUC 0.900 -> 0.902): these
# stay one booster.
for _name in ("happening", "actor", "recipient"):
    PARAMS[_name] = BoostingParams(max_iter=100, bags=5)

# The thresholds tried for each decision (probabilities of the head's "yes"), one decision
# after the other in this order, each for its own figure.
EVENT_GRID = (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6)
SAME_GRID = (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6)
ROLE_GRID = (0.02, 0.05, 0.1, 0.15, 0.2, 0.3)
TOLL_GRID = (0.03, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4)
CROSS_TYPE_GRID = (0.0, 0.25, 0.5, 0.75, 1.0)
SECOND_GRID = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)  # 1.01: never a second actor
PART_GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)  # 1.01: never attach a part

Progress = Callable[[str], None]
Objective = Callable[[dict[str, float]], float]


def rows_of_folds(rows: HeadRows, folds: Collection[int]) -> tuple[list[Any], list[str], list[str]]:
    """The rows, labels and groups (articles) of ``folds``."""
    chosen = [i for i, f in enumerate(rows.folds) if f in folds]
    return (
        [rows.rows[i] for i in chosen],
        [rows.labels[i] for i in chosen],
        [rows.groups[i] for i in chosen],
    )


def fit_heads(
    rows: EventRows,
    folds: Collection[int],
    thresholds: Thresholds,
    meta: dict[str, Any],
    auxiliary: AuxiliaryHeads = NO_AUXILIARY,
) -> EventHeads:
    """The heads trained on the rows of ``folds`` (whose features include the answers of
    ``auxiliary``, which the returned heads carry)."""
    models: dict[str, TreeModel] = {}
    for name in HEADS:
        x, y, groups = rows_of_folds(getattr(rows, name), folds)
        head_meta = {**meta, "head": name, "rows": len(y)}
        if name == "happening":
            head_meta["thresholds"] = vars(thresholds)
        models[name] = fit_trees(x, y, PARAMS[name], meta=head_meta, groups=groups)
    return EventHeads(
        models["happening"],
        models["why_not"],
        models["same"],
        models["actor"],
        models["recipient"],
        models["toll"],
        models["place"],
        thresholds,
        auxiliary,
    )


def decided_records(
    articles: Sequence[LabelledArticle],
    heads: EventHeads,
    scores: dict[str, Scores] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """The mention records (export shape) the decision layer makes of each article; with
    ``scores`` the heads' answers are kept between calls (heads fixed, thresholds varied)."""
    out = {}
    for article in articles:
        memo = None
        if scores is not None:
            memo = scores.get(article.unit_id)
            if memo is None:
                memo = scores[article.unit_id] = Scores(article.view, article.candidates, heads)
            memo.heads = heads
        mentions = decide_events(
            article.view, article.candidates, heads, article.main_province, memo
        )
        records = []
        for index, mention in enumerate(mentions):
            row = mention_row(article.unit_id, index, mention)
            row["evidence_text"] = article.view.text[mention.start : mention.end]
            records.append(mention_record(row))
        out[article.unit_id] = records
    return out


@dataclass
class _OutOfFold:
    """Heads trained without each inner fold, to decide that fold's articles (and what they
    said, kept across threshold settings)."""

    heads: dict[int, EventHeads]
    articles: dict[int, list[LabelledArticle]]
    scores: dict[str, Scores] = field(default_factory=dict)


def _figures(
    gold: FakesGold, folds: Folds, oof: _OutOfFold, thresholds: Thresholds
) -> dict[str, float]:
    records: dict[str, list[dict[str, Any]]] = {}
    for fold, heads in oof.heads.items():
        decided = decided_records(
            oof.articles[fold], replace(heads, thresholds=thresholds), oof.scores
        )
        records.update(decided)
    provinces = {a.unit_id: a.document.main_admin1 for f in oof.articles.values() for a in f}
    result = score_events(gold, folds, lambda u: records[u], provinces, units=records.keys())
    return {m.key: m.value for m in result.metrics}


def typed_f1(figures: dict[str, float]) -> float:
    """The event F1 counting a happening found only when its type is right too (as event
    extraction is usually scored: a trigger identified and classified). Plain F1 rewards
    merging two happenings into one telling, which saves a duplicate but gives the survivor
    the wrong type, toll and place; the typed F1 pays for that. Precision and recall each
    scale by the type accuracy of the paired mentions, so the typed F1 is their product."""
    return figures["fakes.events.f1"] * figures["fakes.events.type"]


def tune(
    rows: EventRows,
    articles: Sequence[LabelledArticle],
    gold: FakesGold,
    folds: Folds,
    training: Collection[int],
    progress: Progress | None = None,
    auxiliary: AuxiliaryHeads = NO_AUXILIARY,
    held_out: Mapping[int, EventHeads] | None = None,
) -> Thresholds:
    """Thresholds chosen by cross-validation inside the ``training`` folds: the event, the
    same-happening threshold, then the weight of two types' mentions, then the threshold a
    lone part of another type's telling joins it at, for the typed event F1 (``typed_f1``); the
    role threshold, then the one a second actor or recipient must pass, for the actor and
    recipient figures; then the toll threshold for the toll figure. Each fold is decided by
    heads trained on the others, or by the given ``held_out`` heads (fold -> heads trained
    without it)."""
    oof = _OutOfFold({}, {})
    for inner in sorted(training):
        others = [f for f in training if f != inner]
        if held_out is not None:
            oof.heads[inner] = held_out[inner]
        else:
            oof.heads[inner] = fit_heads(rows, others, Thresholds(), {}, auxiliary)
        oof.articles[inner] = [a for a in articles if a.fold == inner]
    best = Thresholds()
    grids: list[
        tuple[tuple[str, ...], tuple[tuple[float, ...], ...], Callable[[dict[str, float]], float]]
    ] = [
        (("event", "same"), (EVENT_GRID, SAME_GRID), typed_f1),
        (("cross_type",), (CROSS_TYPE_GRID,), typed_f1),
        (("part",), (PART_GRID,), typed_f1),
        (
            ("role",),
            (ROLE_GRID,),
            lambda f: f["fakes.events.actor"] + f["fakes.events.recipient"],
        ),
        (
            ("second",),
            (SECOND_GRID,),
            lambda f: f["fakes.events.actor"] + f["fakes.events.recipient"],
        ),
        (("toll",), (TOLL_GRID,), lambda f: f["fakes.events.toll"]),
    ]
    for names, values, objective in grids:
        scored: dict[tuple[float, ...], float] = {}
        for combination in _product(values):
            candidate = replace(best, **dict(zip(names, combination, strict=True)))
            scored[combination] = objective(_figures(gold, folds, oof, candidate))
        smoothed = smoothed_figures(scored, values)
        combination = plateau_centre(smoothed, values)
        score = smoothed[combination]
        best = replace(best, **dict(zip(names, combination, strict=True)))
        if progress:
            progress(f"thresholds {dict(zip(names, combination, strict=True))}: {score:.3f}")
    return best


def smoothed_figures(
    scored: dict[tuple[float, ...], float], values: tuple[tuple[float, ...], ...]
) -> dict[tuple[float, ...], float]:
    """Each setting's figure averaged with its neighbours on the grid (one step along each
    threshold): the figures of a few dozen articles are flat and noisy near their best,
    and the single best cell moved by up to four grid steps between retrainings that
    changed a handful of candidates (0.1 to 0.5 for the event threshold). The middle of a
    good region is kept instead of its luckiest point."""
    out = {}
    for combination in scored:
        around = [scored[combination]]
        for axis, grid in enumerate(values):
            at = grid.index(combination[axis])
            for step in (-1, 1):
                if 0 <= at + step < len(grid):
                    neighbour = list(combination)
                    neighbour[axis] = grid[at + step]
                    around.append(scored[tuple(neighbour)])
        out[combination] = sum(around) / len(around)
    return out


# Settings whose smoothed figure is within this share of the best are indistinguishable on
# the training folds: one standard error of an F1 over the ~250 gold events of four folds is
# about 0.03 (3-5% of the figures tuned here), so 1.5% is well inside the noise. Derived from
# the sample size, not tuned on any fold.
PLATEAU_SHARE = 0.015


def plateau_centre(
    smoothed: dict[tuple[float, ...], float], values: tuple[tuple[float, ...], ...]
) -> tuple[float, ...]:
    """The setting in the middle of the near-best region of the grid. On a few dozen articles
    the smoothed figures are flat near their best, and which cell of the flat region is
    highest changes between retrainings (the toll threshold moved 0.03 -> 0.4, the weight of
    two types' mentions 0 -> 1, with a handful of candidates changed). The centre of the
    region (the cell nearest its mean grid position) moves far less than its peak."""
    best = max(smoothed.values())
    plateau = [c for c in smoothed if smoothed[c] >= best - PLATEAU_SHARE * abs(best)]
    positions = {c: [grid.index(v) for grid, v in zip(values, c, strict=True)] for c in plateau}
    centre = [
        sum(p[axis] for p in positions.values()) / len(plateau) for axis in range(len(values))
    ]

    def distance(c: tuple[float, ...]) -> float:
        return sum((at - mid) ** 2 for at, mid in zip(positions[c], centre, strict=True))

    return min(plateau, key=lambda c: (distance(c), -smoothed[c], c))


def _product(values: tuple[tuple[float, ...], ...]) -> list[tuple[float, ...]]:
    out: list[tuple[float, ...]] = [()]
    for options in values:
        out = [(*prefix, v) for prefix in out for v in options]
    return out
