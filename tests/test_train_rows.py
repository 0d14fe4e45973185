"""The labelled rows the event heads train on: what the gold makes of each candidate."""

from __future__ import annotations

from sitrep.analyze.builtin import RULE_STAGES
from sitrep.analyze.events.features import ArticleView
from sitrep.api import analyze_text
from sitrep.gold.fakes import GoldEvent
from sitrep.train.events_data import (
    EVENT,
    PART,
    EventRows,
    LabelledArticle,
    align,
    article_rows,
    within_tellings,
)

# Written for the test: a shelling told with a second trigger word of another type inside its
# telling ("seized"), and a later sentence telling another happening.
TEXT = (
    "Government artillery shelled the town of Saraqib on Monday, and troops seized its "
    "northern district. Separately, rebels fired rockets at Aleppo on Tuesday."
)


def _event(name: str, kind: str, start: int, end: int) -> GoldEvent:
    return GoldEvent(
        name, "u", kind, None, (start, end), (), (), (), None, None, None, None, None, None,
        "asserted", None, None,
    )  # fmt: skip


def test_a_part_of_a_telling_trains_the_pair_head_to_merge_it(resources) -> None:  # type: ignore[no-untyped-def]
    document = analyze_text(TEXT, resources=resources, stages=RULE_STAGES)
    view = ArticleView(document, resources.decision_cues, resources.actors)
    candidates = list(document.candidates)
    first_end = TEXT.index("Separately")
    shelling = _event("e1", "ASSAULT", 0, first_end)
    rockets = _event("e2", "ASSAULT", first_end, len(TEXT))
    by_trigger = {c.mention.trigger: n for n, c in enumerate(candidates)}
    assert {"shelled", "seized", "fired"} <= set(by_trigger)

    within = within_tellings(view, candidates, [shelling, rockets])
    gold, why = align(view, candidates, within, [])
    seized = by_trigger["seized"]
    # The seizure lies in the shelling's telling: no happening of its own, but told by it.
    assert (gold[seized], why[seized]) == (None, PART)
    assert within[seized] is shelling and why[by_trigger["shelled"]] == EVENT

    rows = EventRows()
    article = LabelledArticle("u", 0, document, view, candidates, gold, why, None, within)
    article_rows(article, rows)
    labels = {
        (row["same_sentence"], row.get("types=ASSAULT|COERCE", 0.0)): label
        for row, label in zip(rows.same.rows, rows.same.labels, strict=True)
    }
    assert labels[(1.0, 1.0)] == "yes"  # the seizure with the shelling it is part of
    assert labels[(0.0, 1.0)] == "no"  # the seizure with the rockets of another happening
    assert rows.happening.labels[seized] == "no"


def test_the_assertion_head_learns_from_the_held_out_models_decisions(  # type: ignore[no-untyped-def]
    resources, monkeypatch, tmp_path
) -> None:
    # At run time an assertion candidate reads the events the decision heads counted, so
    # its training rows come from each gold article decided, through the event and claim
    # heads, by the models trained without the article's fold, never from the rule stages
    # alone; and not through the signals stages, which need the head being trained.
    from sitrep.gold.fakes import fakes_gold
    from sitrep.gold.folds import fakes_folds
    from sitrep.train import assertions
    from sitrep.train.events_data import HeadRows

    from .conftest import DATA

    gold, folds = fakes_gold(DATA), fakes_folds(DATA)
    calls = []

    def analysed(gold, fold_resources, stages, units):  # type: ignore[no-untyped-def]
        calls.append((fold_resources.models.root, tuple(stages), set(units)))
        return {}

    monkeypatch.setattr(assertions, "analysed_gold", analysed)
    monkeypatch.setattr(assertions, "assertion_rows", lambda *_args: HeadRows())
    assertions.heldout_assertion_rows(gold, folds, resources, tmp_path)
    assert {root for root, _stages, _units in calls} == {tmp_path / str(k) for k in range(5)}
    for _root, stages, _units in calls:
        assert {"decide_events", "decide_claims"} <= set(stages)
        assert not {"signals", "decide_signals"} & set(stages)
    for root, _stages, units in calls:
        assert units and {folds.fold[u] for u in units} == {int(root.name)}
    assert set().union(*(units for _root, _stages, units in calls)) == set(gold.articles)
