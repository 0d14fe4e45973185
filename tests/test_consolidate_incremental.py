"""Consolidation again: with nothing new it keeps what the ledger holds; with new articles it
gives what a consolidation from scratch gives."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from sitrep import api
from sitrep.analyze.builtin import RULE_STAGES
from sitrep.consolidate import events, incremental, reach
from sitrep.consolidate.pair_features import PairFields, fields_of
from sitrep.engines.local import LocalEngine
from sitrep.evaluate.incremental_bench import add_synthetic, synthetic_articles
from sitrep.ledger.store import Ledger
from sitrep.model import EventMention, PlacePrecision, PlaceRef

from .conftest import SEEDS

# An account of one more strike, written for this test (not from the reference data).
_NEW = {
    "id": "new-1",
    "outlet": "Test Wire",
    "published": "2016-09-18",
    "title": "Coalition jets strike army positions near Deir ez-Zor",
    "text": (
        "Coalition jets struck Syrian army positions near Deir ez-Zor on Saturday, killing "
        "at least 60 soldiers, the Russian defence ministry said. The Pentagon said the "
        "strike had been meant for Islamic State fighters and was halted once Russian "
        "officers called."
    ),
}


def _fail(*args: object, **kwargs: object) -> None:
    raise AssertionError("consolidation ran although nothing had changed")


def _exports(ledger: Ledger) -> dict[str, list[str]]:
    """Every consolidation export, as sorted JSON lines (ids hash the members, so two
    consolidations that agree give the same lines)."""
    found: dict[str, list[str]] = {}
    for kind in ("events", "reuse"):
        records: list[dict[str, Any]] = list(api.export_records(ledger, kind))
        found[kind] = sorted(json.dumps(r, sort_keys=True, default=str) for r in records)
    return found


def test_rerun_with_nothing_new_keeps_the_stored_consolidation(
    seeds_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Ledger.open(seeds_copy) as ledger:
        before = _exports(ledger)
        full = api.consolidate(ledger, with_statements=False, force=True)
        monkeypatch.setattr(api, "run_dedup_and_reuse", _fail)
        monkeypatch.setattr(api, "consolidate_ledger", _fail)
        again = api.consolidate(ledger, with_statements=False)
        assert again.unchanged == ("reuse", "events")
        assert again == type(full)(**{**full.__dict__, "unchanged": again.unchanged})
        assert _exports(ledger) == before


def test_the_pair_fields_read_from_the_ledger_are_the_decoded_mentions(seeds_copy: Path) -> None:
    """Incremental consolidation scores stored mentions from the ledger's columns; what it
    reads (the perpetrators' codes and sides, the place's population among them) is what a
    whole run reads."""
    with Ledger.open(seeds_copy, read_only=True) as ledger:
        pool = incremental.mention_pool(ledger)
        decoded = [fields_of(ref, pool.evidence) for ref in pool.refs]
        blocks = {events.block_of(ref) for ref in pool.refs}
        stored = reach._stored_members(ledger, blocks).fields

    def key(f: PairFields) -> tuple[object, ...]:
        population = f.place.population if f.place and f.place.population else 0
        return (
            f.article_id,
            f.trigger,
            f.type,
            sorted(f.actors),
            sorted(f.actor_sides),
            population,
        )

    assert sorted(map(key, stored)) == sorted(map(key, decoded))
    assert any(f.actor_sides for f in stored)
    assert any(f.place and f.place.population for f in stored)


def test_another_switch_is_another_consolidation(seeds_copy: Path) -> None:
    with Ledger.open(seeds_copy) as ledger:
        api.consolidate(ledger, with_statements=False)
        # Clustering statements changes the result: the event step runs, reuse is kept.
        summary = api.consolidate(ledger, with_statements=True)
        assert summary.unchanged == ("reuse",)


def test_new_article_gives_what_a_consolidation_from_scratch_gives(
    seeds_copy: Path, tmp_path: Path
) -> None:
    new = tmp_path / "new.jsonl"
    new.write_text(json.dumps(_NEW) + "\n", encoding="utf-8")
    with Ledger.open(seeds_copy) as ledger:
        api.consolidate(ledger, with_statements=False)
        with LocalEngine(None, workers=1, stages=RULE_STAGES) as engine:
            api.run(ledger, [new], engine=engine)
        summary = api.consolidate(ledger, with_statements=False)
        assert summary.unchanged == ()
        incremental = _exports(ledger)
        api.consolidate(ledger, with_statements=False, force=True)
        assert _exports(ledger) == incremental
        outlets = {o for line in incremental["events"] for o in json.loads(line)["outlets"]}
        assert "Test Wire" in outlets


def test_cli_says_when_nothing_was_new(seeds_copy: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    first = run_cli("--db", seeds_copy, "consolidate")
    second = run_cli("--db", seeds_copy, "consolidate")
    assert first.code == second.code == 0
    assert "nothing new" in second.out
    assert first.out.split(";")[0] == second.out.split(";")[0]


def _headlined(mentions: list[EventMention]) -> list[EventMention]:
    if len(mentions) < 2:
        return mentions
    return [*mentions[:-1], dataclasses.replace(mentions[-1], headline=True)]


def _split_seeds(folder: Path) -> tuple[Path, Path]:
    """The seed pages in two folders: the first three, then the other two (the strike of
    17 September is told in both halves)."""
    first, second = folder / "first", folder / "second"
    first.mkdir()
    second.mkdir()
    for n, page in enumerate(sorted(SEEDS.glob("*.txt"))):
        (first if n < 3 else second).joinpath(page.name).write_bytes(page.read_bytes())
    return first, second


def _no_whole_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, a consolidation that redoes every event fails the test."""

    def whole(*args: object, **kwargs: object) -> None:
        raise AssertionError("the new articles did not join incrementally")

    monkeypatch.setattr(incremental, "consolidate_all", whole)


@pytest.mark.parametrize("statements", [False, True])
def test_consolidating_a_then_b_equals_a_and_b_at_once(
    tmp_path: Path, statements: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = _split_seeds(tmp_path)
    extra = tmp_path / "new.jsonl"
    extra.write_text(json.dumps(_NEW) + "\n", encoding="utf-8")
    with LocalEngine(None, workers=1, stages=RULE_STAGES) as engine:
        with Ledger.open(tmp_path / "stepwise.duckdb") as ledger:
            api.run(ledger, [first], engine=engine)
            api.consolidate(ledger, with_statements=statements)
            _no_whole_run(monkeypatch)
            for more in (second, extra):
                api.run(ledger, [more], engine=engine)
                assert api.consolidate(ledger, with_statements=statements).unchanged == ()
            monkeypatch.undo()
            stepwise = _exports(ledger)
            joined = ledger.conn.execute(
                "SELECT max(n_articles) FROM consolidated_events"
            ).fetchone()
        with Ledger.open(tmp_path / "at-once.duckdb") as ledger:
            api.ingest(ledger, [first])
            api.ingest(ledger, [second])
            api.ingest(ledger, [extra])
            api.analyze(ledger, engine=engine)
            api.consolidate(ledger, with_statements=statements)
            at_once = _exports(ledger)
    assert joined is not None and joined[0] >= 3  # the strike joined across the halves
    assert stepwise == at_once


@pytest.mark.parametrize(("articles", "seed"), [(200, 7), (400, 11)])
def test_synthetic_articles_added_give_a_whole_runs_events(
    tmp_path: Path, articles: int, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A dense stream (every article tells three happenings, each told by up to six): the
    # new mentions reach many stored clusters, and the main happenings they lead move; each
    # article's last mention is its headline's, which joins its main happening of the type.
    first, later = (
        {name: (record, _headlined(mentions)) for name, (record, mentions) in part.items()}
        for part in synthetic_articles(articles, 10, seed)
    )
    with Ledger.open(tmp_path / "synthetic.duckdb") as ledger:
        add_synthetic(ledger, tmp_path, "first", first)
        api.consolidate(ledger, with_statements=False)
        add_synthetic(ledger, tmp_path, "later", later)
        _no_whole_run(monkeypatch)
        assert api.consolidate(ledger, with_statements=False).unchanged == ()
        monkeypatch.undo()
        joined = _exports(ledger)["events"]
        api.consolidate(ledger, with_statements=False, force=True)
        assert _exports(ledger)["events"] == joined


def _country_only(mentions: list[EventMention], every: int) -> list[EventMention]:
    """Every ``every``-th mention placed only by its country (a report that says "in Syria")."""
    syria = PlaceRef("Syria", 35.0, 38.5, PlacePrecision.COUNTRY, "SYR")
    return [
        dataclasses.replace(m, place=syria) if n % every == 0 else m for n, m in enumerate(mentions)
    ]


def test_new_articles_that_take_country_and_province_blocks_over_the_bound_regroup_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Country-only mentions meet the located ones of their week while the two blocks make
    # few pairs; new articles that take a pair of blocks over the bound part stored
    # mentions that were compared, and their clusters must be redone as a whole run would.
    first, later = (
        {name: (record, _country_only(mentions, 2)) for name, (record, mentions) in part.items()}
        for part in synthetic_articles(200, 10, 5)
    )
    crossed: list[set[object]] = []
    bound = reach._cross_bound_crossed

    def spy(*args: Any) -> Any:
        found = bound(*args)
        crossed.append(found)
        return found

    monkeypatch.setattr(events, "MAX_CROSS_PAIRS", 3_000)
    with Ledger.open(tmp_path / "synthetic.duckdb") as ledger:
        add_synthetic(ledger, tmp_path, "first", first)
        api.consolidate(ledger, with_statements=False)
        add_synthetic(ledger, tmp_path, "later", later)
        monkeypatch.setattr(reach, "_cross_bound_crossed", spy)
        assert api.consolidate(ledger, with_statements=False).unchanged == ()
        joined = _exports(ledger)["events"]
        api.consolidate(ledger, with_statements=False, force=True)
        assert _exports(ledger)["events"] == joined
    assert any(crossed)  # the bound was crossed, so the test tried what it says
