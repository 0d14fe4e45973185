"""Pairwise clustering counts, as the incidents and consolidation stages score them."""

from __future__ import annotations

from sitrep.evaluate.metrics import prf, same_group_pairs


def test_an_unstored_gold_event_misses_its_pairs_and_a_wrong_join_costs_precision() -> None:
    gold = {"a": "I1", "b": "I1", "c": "I1", "g": "I1", "d": None, "e": "I2", "f": "I2"}
    # c and g were never stored (no cluster: not "the same missing cluster"); d is joined with
    # a and b by mistake; e and f are kept apart.
    clusters: dict[str, int | str | None] = {
        "a": 0,
        "b": 0,
        "c": None,
        "g": None,
        "d": 0,
        "e": 1,
        "f": 2,
    }
    tp, predicted, gold_pairs = same_group_pairs(list(gold), gold, clusters)
    assert (tp, predicted, gold_pairs) == (1, 3, 7)  # a-b right; a-d, b-d wrong; 6 + 1 gold
    precision, recall, _f1 = prf(tp, predicted, gold_pairs)
    assert (round(precision, 3), round(recall, 3)) == (0.333, 0.143)


def test_items_without_a_gold_group_are_never_gold_pairs() -> None:
    assert same_group_pairs(["x", "y"], {"x": None, "y": None}, {"x": 0, "y": 0}) == (0, 1, 0)
