"""Trained decision heads: what `sitrep train` writes is what analysis applies."""

from __future__ import annotations

import io
import math
from dataclasses import replace

import numpy as np
import pytest

from sitrep.analyze.core.learned import load_model, to_matrix
from sitrep.errors import DataError
from sitrep.train.boosting import BoostingParams, bootstrap_counts, fit_trees, make_booster


def _rows(n: int, seed: int) -> tuple[list[dict[str, float]], list[str]]:
    rng = np.random.default_rng(seed)
    rows, labels = [], []
    for _ in range(n):
        a, b, c = (float(v) for v in rng.random(3))
        row = {"a": a, "b": b}
        if c > 0.3:
            row["c"] = c
        if c > 0.8:
            row["unknown"] = math.nan  # a value the features could not give
        rows.append(row)
        labels.append("x" if a + b > 1 else "y" if c > 0.5 else "z")
    return rows, labels


@pytest.mark.parametrize("binary", [True, False])
def test_learned_trees_predict_what_scikit_learn_predicts(binary: bool) -> None:
    rows, labels = _rows(400, 1)
    if binary:
        labels = ["yes" if v == "x" else "no" for v in labels]
    params = BoostingParams(max_iter=40)
    model = fit_trees(rows, labels, params)
    stored = io.BytesIO()
    model.save(stored)
    stored.seek(0)
    loaded = load_model(stored, "test")
    x = to_matrix(rows, {name: i for i, name in enumerate(model.features)})
    reference = make_booster(params).fit(x, labels)
    assert loaded.classes == tuple(reference.classes_)
    assert np.allclose(loaded.predict_proba(rows), reference.predict_proba(x), atol=1e-9)


def test_learned_trees_are_deterministic() -> None:
    rows, labels = _rows(300, 2)
    first, second = io.BytesIO(), io.BytesIO()
    fit_trees(rows, labels, BoostingParams(max_iter=20)).save(first)
    fit_trees(rows, labels, BoostingParams(max_iter=20)).save(second)
    assert first.getvalue() == second.getvalue()


@pytest.mark.parametrize("binary", [True, False])
def test_a_bag_of_boosters_predicts_their_average(binary: bool) -> None:
    """A head of several boosters (each fitted on a bootstrap sample of the articles) is one
    stored model whose raw score is the mean of theirs: the probabilities are those of
    scikit-learn's boosters averaged in log-odds, and every article's rows are drawn
    together, so no booster sees half an article."""
    rows, labels = _rows(400, 4)
    if binary:
        labels = ["yes" if v == "x" else "no" for v in labels]
    groups = [f"article {i // 8}" for i in range(len(rows))]
    params = BoostingParams(max_iter=30, bags=3)
    stored = io.BytesIO()
    fit_trees(rows, labels, params, groups=groups).save(stored)
    stored.seek(0)
    model = load_model(stored, "bag")
    x = to_matrix(rows, {name: i for i, name in enumerate(model.features)})
    y = np.asarray(labels)
    raws = []
    for bag, counts in enumerate(bootstrap_counts(groups, y, params)):
        kept = counts > 0
        for group in set(groups):
            in_group = np.array([g == group for g in groups])
            assert len(set(counts[in_group].tolist())) == 1  # an article is drawn whole
        booster = make_booster(replace(params, seed=params.seed + bag))
        booster.fit(x[kept], y[kept], sample_weight=counts[kept])
        raw = booster._raw_predict(x)
        raws.append(raw)
    assert len(raws) == 3
    assert not np.allclose(raws[0], raws[1])  # the samples differ
    assert np.allclose(model.raw(x), np.mean(raws, axis=0), atol=1e-9)
    single = fit_trees(rows, labels, replace(params, bags=1))
    assert not np.allclose(single.predict_proba(rows), model.predict_proba(rows))


def test_a_file_that_is_no_model_is_a_clear_error() -> None:
    with pytest.raises(DataError, match="cannot be read"):
        load_model(io.BytesIO(b"not a model"), "broken")


def test_missing_values_and_short_branches_follow_scikit_learn() -> None:
    """Trees whose leaves stand at different depths, with missing values sent either way,
    give scikit-learn's probabilities (the walk pads short branches to the full depth)."""
    rng = np.random.default_rng(3)
    rows, labels = [], []
    for _ in range(500):
        a, d = (float(v) for v in rng.random(2))
        known = d > 0.4
        rows.append({"a": a, "d": d if known else math.nan})
        # A missing "d" goes with the high values of "d": some splits send it right.
        labels.append("yes" if (not known or d > 0.7) and a > 0.2 else "no")
    params = BoostingParams(max_iter=30)
    model = fit_trees(rows, labels, params)
    x = to_matrix(rows, {name: i for i, name in enumerate(model.features)})
    reference = make_booster(params).fit(x, labels)
    predictors = [p for ps in reference._predictors for p in ps]
    nodes = np.concatenate([p.nodes for p in predictors])
    assert not nodes["missing_go_to_left"][~nodes["is_leaf"].astype(bool)].all()
    leaves = nodes["is_leaf"].astype(bool)
    assert len(set(nodes["depth"][leaves].tolist())) > 1  # leaves at more than one depth
    assert np.allclose(model.predict_proba(rows), reference.predict_proba(x), atol=1e-9)


def test_the_shipped_role_head_of_the_open_corpora_tells_attacker_from_target(
    resources,  # type: ignore[no-untyped-def]
) -> None:
    """The role head trained on WikiEvents alone reads who did it and to whom from the parse
    path: the subject of an active attack verb is its attacker, its object the target; in
    the passive the by-phrase is the attacker."""
    from sitrep.analyze.core.models import ModelStore
    from sitrep.analyze.events.auxiliary import AuxiliaryHeads, argument_row

    heads = AuxiliaryHeads.load(ModelStore())
    assert "roles" in heads.heads
    active = resources.nlp("Rebel fighters shelled the village on Monday.")
    passive = resources.nlp("The village was shelled by rebel fighters on Monday.")
    rows = [
        argument_row(active[1], active[2]),  # fighters -> shelled
        argument_row(active[4], active[2]),  # village
        argument_row(passive[6], passive[3]),  # fighters (by-phrase) -> shelled
        argument_row(passive[1], passive[3]),  # village (passive subject)
    ]
    heads.add_role_answers(rows)
    fighters, village, by_fighters, passive_village = rows
    assert fighters["aux_role=actor"] > village["aux_role=actor"]
    assert village["aux_role=recipient"] > fighters["aux_role=recipient"]
    assert by_fighters["aux_role=actor"] > passive_village["aux_role=actor"]
    assert passive_village["aux_role=recipient"] > by_fighters["aux_role=recipient"]
