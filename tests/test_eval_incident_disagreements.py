"""The incident-disagreements eval stage scores listed disagreements against the in-domain
gold's incidents: a pair is real only when the gold accounts of one incident, in the
articles giving them, give both values; a gold difference is found only by a listed
disagreement of its field and kind carrying both values from both accounts."""

from __future__ import annotations

from typing import Any

import pytest

from sitrep.consolidate.comparable import NAMED_VS_UNKNOWN, WHICH_SIDE
from sitrep.evaluate.incident_disagreements import (
    Listed,
    Side,
    gold_pairs,
    incident_events,
    is_found,
    is_real,
    score_disagreements,
    show_value,
    toll_value,
)
from sitrep.gold.fakes import FakesGold, GoldEvent, GoldRole, fakes_gold

from .conftest import DATA


@pytest.fixture(scope="module")
def gold() -> FakesGold:
    return fakes_gold(DATA)


def _first(gold: FakesGold, field: str, named_vs_unknown: bool) -> tuple[GoldEvent, GoldEvent]:
    for _incident, name, e1, e2 in gold_pairs(incident_events(gold)):
        unknown = not e1.actor_codes or not e2.actor_codes
        if name == field and (field == "killed" or unknown == named_vs_unknown):
            return e1, e2
    raise AssertionError(f"the gold has no {field} difference of that kind")


def _listed(field: str, kind: str, sides: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """One stored incident listing ``sides`` ((value, article id) each)."""
    values = [
        {"value": value, "sources": [{"article_id": article, "mention_index": 0}]}
        for value, article in sides
    ]
    disagreement = {"field": field, "kind": kind, "values": values}
    return [{"event_id": "x", "accounts": [], "disagreements": [disagreement]}]


def _figures(gold: FakesGold, events: list[dict[str, Any]], e1: GoldEvent, e2: GoldEvent):  # type: ignore[no-untyped-def]
    result = score_disagreements(gold, events, {"A": e1.unit_id, "B": e2.unit_id}, {})
    return {m.key.rsplit(".", 1)[1]: (m.value, m.support) for m in result.metrics}


def test_toll_values_read_as_the_product_shows_them() -> None:
    assert toll_value("12") == (12, 12)
    assert toll_value("12–15") == (12, 15)
    assert toll_value("≥12") == (12, None)


def test_a_toll_difference_listed_from_its_accounts_is_real_and_found(gold: FakesGold) -> None:
    e1, e2 = _first(gold, "killed", False)
    assert e1.killed is not None and e2.killed is not None
    right = _listed(
        "killed", "conflict", [(show_value(e1.killed), "A"), (show_value(e2.killed), "B")]
    )
    figures = _figures(gold, right, e1, e2)
    assert figures["real"] == (1.0, 1)
    assert figures["found"][0] > 0
    # the same two values, each from the other account's article: neither real nor found
    swapped = _listed(
        "killed", "conflict", [(show_value(e2.killed), "A"), (show_value(e1.killed), "B")]
    )
    figures = _figures(gold, swapped, e1, e2)
    assert figures["real"] == (0.0, 1) and figures["found"][0] == 0.0


def test_named_vs_unknown_is_found_only_as_its_own_kind(gold: FakesGold) -> None:
    e1, e2 = _first(gold, "perpetrator", True)
    sides = [(show_value(e1.actor_codes), "A"), (show_value(e2.actor_codes), "B")]
    assert _figures(gold, _listed("perpetrator", NAMED_VS_UNKNOWN, sides), e1, e2)["found"][0]
    assert not _figures(gold, _listed("perpetrator", "conflict", sides), e1, e2)["found"][0]


def test_one_country_on_two_sides_is_a_gold_difference_found_only_as_which_side() -> None:
    # FA-KES dev holds no such incident, so the two accounts are written here.
    def account(unit: str, sector: str) -> GoldEvent:
        actor = GoldRole("x", "SYR", sector)
        return GoldEvent(
            unit, unit, "ASSAULT", None, (0, 1), (), (actor,), (), None, None, None, None,
            None, None, "asserted", None, "i",
        )  # fmt: skip

    army, rebels = account("A", "MIL"), account("B", "REB")
    incidents = {"i": [army, rebels]}
    assert [(f, e1.id, e2.id) for _i, f, e1, e2 in gold_pairs(incidents)] == [
        ("perpetrator", "A", "B")
    ]
    # the army and the government are one side: no difference
    assert not list(gold_pairs({"i": [army, account("C", "GOV")]}))
    state = Side(frozenset({"SYR:state"}), frozenset({"A"}))
    rebel = Side(frozenset({"SYR:REB"}), frozenset({"B"}))
    listed = [Listed("perpetrator", WHICH_SIDE, state, rebel, "x")]
    assert is_real(listed[0], incidents) == "i"
    assert is_found("perpetrator", army, rebels, listed)
    as_codes = Side(frozenset({"SYR"}), frozenset({"A"}))
    assert not is_found(
        "perpetrator", army, rebels, [Listed("perpetrator", "conflict", as_codes, rebel, "x")]
    )
