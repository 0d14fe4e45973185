"""Consolidation: one happening told by many articles becomes one event with its accounts."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from sitrep import api
from sitrep.analyze.builtin import RULE_STAGES
from sitrep.consolidate.events import cluster_mentions
from sitrep.consolidate.incident_model import evidence_score, incident_model
from sitrep.consolidate.pair_features import MentionColumns, pair_features
from sitrep.engines.local import LocalEngine
from sitrep.errors import DataError
from sitrep.ledger.store import Ledger
from sitrep.model import (
    EventMention,
    EventRole,
    Granularity,
    MentionRef,
    Modality,
    PlacePrecision,
    PlaceRef,
)

from .conftest import SEEDS

_DEIR = PlaceRef("Deir ez-Zor", 35.336, 40.141, PlacePrecision.TOWN, "SYR", "Deir ez-Zor")
_RAQQA = PlaceRef("Raqqa", 35.95, 39.01, PlacePrecision.TOWN, "SYR", "Raqqa")


def _strike(
    day: str, place: PlaceRef = _DEIR, actor: str = "USA", victim: str = "SYR"
) -> EventMention:
    return EventMention(
        0,
        10,
        0,
        6,
        "struck",
        "ASSAULT",
        "aerial",
        Modality.ASSERTED,
        actors=(EventRole("US jets", 0, 7, actor, "MIL"),),
        recipients=(EventRole("Syrian troops", 8, 20, victim, "MIL"),),
        place=place,
        date=day,
        date_granularity=Granularity.DAY,
        date_how="explicit",
    )


def test_same_strike_told_by_two_outlets_is_one_event_unless_far_apart_or_days_apart() -> None:
    def told(article: str, mention: EventMention) -> MentionRef:
        return MentionRef(article, 0, mention, article, date(2016, 9, 18))

    def one_event(other: EventMention) -> bool:
        refs = [told("a", _strike("2016-09-17")), told("b", other)]
        return len(cluster_mentions(refs, {})) == 1

    assert one_event(_strike("2016-09-17"))
    assert one_event(_strike("2016-09-18"))  # a day apart: told the next day
    assert not one_event(_strike("2016-09-21"))  # four days apart
    assert not one_event(_strike("2016-09-17", place=_RAQQA))  # 140 km apart


def test_one_article_tells_a_happening_once() -> None:
    """Two mentions an article's events stage kept apart are never joined, even when another
    article's mention fits both."""
    refs = [
        MentionRef("a", 0, _strike("2016-09-17"), "Wire", date(2016, 9, 17)),
        MentionRef("a", 1, _strike("2016-09-17"), "Wire", date(2016, 9, 17)),
        MentionRef("b", 0, _strike("2016-09-17"), "Blog", date(2016, 9, 18)),
    ]
    groups = cluster_mentions(refs, {})
    assert sorted(map(len, groups)) == [1, 2]
    assert [0, 1] not in groups


@pytest.fixture(scope="module")
def seeds_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds analysed by the rule stages and consolidated: these tests check how
    consolidation groups and compares the mentions it is given (how well the decision layer
    finds them is `sitrep eval`'s business, docs/quality.md)."""
    path = tmp_path_factory.mktemp("consolidation") / "seeds.duckdb"
    with Ledger.open(path) as ledger, LocalEngine(None, workers=1, stages=RULE_STAGES) as engine:
        api.ingest(ledger, [SEEDS])
        api.analyze(ledger, engine=engine)
        api.consolidate(ledger)
    return path


def _rows(path: Path, table: str) -> list[tuple[object, ...]]:
    with Ledger.open(path, read_only=True) as ledger:
        return ledger.conn.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()


def test_seed_strike_consolidated_with_its_disagreements(seeds_ledger: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("--db", seeds_ledger, "export", "events")
    assert result.code == 0, result.err
    records = [json.loads(line) for line in result.out.splitlines()]
    strike = records[0]  # the event told by the most articles comes first
    assert strike["type"] == "ASSAULT" and strike["n_articles"] == 3
    assert strike["date"]["value"] == "2016-09-17" and strike["place"]["name"] == "Deir ez-Zor"
    fields = {d["field"]: {v["value"] for v in d["values"]} for d in strike["disagreements"]}
    assert fields["intent"] == {"mistake", "deliberate"}
    assert fields["coordination"] == {"coordinated", "not coordinated"}
    assert len(fields["killed"]) == 2
    claims_ids = [c["claim_id"] for c in strike["claims"]]
    assert all(c.startswith(tuple(a["article_id"] for a in strike["accounts"])) for c in claims_ids)


def test_consolidating_again_changes_nothing(seeds_ledger: Path) -> None:
    before = {t: _rows(seeds_ledger, t) for t in ("consolidated_events", "disagreements")}
    with Ledger.open(seeds_ledger) as ledger:
        api.consolidate(ledger)
    assert {t: _rows(seeds_ledger, t) for t in before} == before


def test_empty_ledger_consolidates_to_nothing(ledger: Ledger) -> None:
    summary = api.consolidate(ledger)
    assert (summary.events, summary.across_articles) == (0, 0)


def test_every_evidence_term_reads_a_pair_feature_and_silence_scores_nothing() -> None:
    refs = [
        MentionRef("a", 0, _strike("2016-09-17"), "Wire", date(2016, 9, 17)),
        MentionRef("b", 0, _strike("2016-09-17"), "Blog", date(2016, 9, 18)),
    ]
    columns = MentionColumns.of_mentions(refs, {})
    features = pair_features(columns, np.array([0]), np.array([1]))
    scorer = evidence_score()
    assert {t.feature for t in scorer.terms} <= set(features)
    # No evidence sentence: the word terms add nothing either way.
    assert np.isnan(features["words_jaccard"][0]) and features["shared_names"][0] == 0
    silent = {name: np.array([np.nan]) for name in features}
    assert scorer.scores(silent)[0] == 0.0


def test_two_days_between_the_stated_days_counts_against_one_happening() -> None:
    def score(other: EventMention) -> float:
        refs = [
            MentionRef("a", 0, _strike("2016-09-17"), "Wire", date(2016, 9, 17)),
            MentionRef("b", 0, other, "Blog", date(2016, 9, 21)),
        ]
        columns = MentionColumns.of_mentions(refs, {})
        features = pair_features(columns, np.array([0]), np.array([1]))
        return float(evidence_score().scores(features)[0])

    undated = replace(_strike("2016-09-17"), date=None, date_granularity=None, date_how=None)
    days = [_strike(day) for day in ("2016-09-17", "2016-09-18", "2016-09-19", "2016-09-20")]
    scores = [score(m) for m in days]
    # Each day between the accounts' stated days weakens the case; from two days on it is
    # evidence against, where an account that states no day is silent.
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == len(scores), scores
    assert scores[2] < score(undated) < scores[1]


def test_one_country_blamed_on_two_sides_is_no_shared_perpetrator() -> None:
    """In a civil war one code names the state and those fighting it: accounts blaming the
    Syrian army and Syrian rebels share no perpetrator, while the army and the government
    are one side."""

    def blamed(code: str, sector: str | None) -> EventMention:
        return replace(_strike("2016-09-17"), actors=(EventRole("x", 0, 1, code, sector),))

    def score(first: EventMention, other: EventMention) -> float:
        refs = [
            MentionRef("a", 0, first, "Wire", date(2016, 9, 17)),
            MentionRef("b", 0, other, "Blog", date(2016, 9, 17)),
        ]
        columns = MentionColumns.of_mentions(refs, {})
        return float(
            evidence_score().scores(pair_features(columns, np.array([0]), np.array([1])))[0]
        )

    army, rebels = blamed("SYR", "MIL"), blamed("SYR", "REB")
    unnamed = replace(_strike("2016-09-17"), actors=())
    assert score(army, blamed("SYR", "GOV")) == score(army, army)
    assert score(army, blamed("SYR", None)) == score(army, army)  # side untold: silent
    assert score(army, rebels) == score(army, unnamed) < score(army, army)
    assert score(army, blamed("RUS", "MIL")) < score(army, rebels)  # two countries


def test_a_shared_large_city_is_weaker_evidence_than_a_shared_village() -> None:
    """Two accounts of one day naming the same city of a million people may tell two
    happenings (a shelling of one quarter, an air raid on another); naming the same village
    says more. A town of unknown size keeps the point."""

    def score(population: int | None) -> float:
        place = replace(_DEIR, population=population)
        refs = [
            MentionRef("a", 0, _strike("2016-09-17", place), "Wire", date(2016, 9, 17)),
            MentionRef("b", 0, _strike("2016-09-17", place), "Blog", date(2016, 9, 17)),
        ]
        columns = MentionColumns.of_mentions(refs, {})
        return float(
            evidence_score().scores(pair_features(columns, np.array([0]), np.array([1])))[0]
        )

    assert score(1_500_000) < score(5_000) == score(None)
    elsewhere = [
        MentionRef(
            "a",
            0,
            _strike("2016-09-17", replace(_DEIR, population=1_500_000)),
            "Wire",
            date(2016, 9, 17),
        ),
        MentionRef(
            "b",
            0,
            _strike("2016-09-17", replace(_RAQQA, population=1_500_000)),
            "Blog",
            date(2016, 9, 17),
        ),
    ]
    features = pair_features(
        MentionColumns.of_mentions(elsewhere, {}), np.array([0]), np.array([1])
    )
    assert np.isnan(features["same_place_population"][0])  # two cities: no shared one


def test_a_models_folder_without_an_incident_threshold_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="sitrep train"):
        incident_model(tmp_path)
