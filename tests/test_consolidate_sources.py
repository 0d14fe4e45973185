"""Independent sources: a copy or a repost of an article counts once in an incident."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from sitrep import api
from sitrep.analyze.builtin import RULE_STAGES
from sitrep.consolidate import incremental, textreuse
from sitrep.consolidate.sources import NEAR_DUPLICATE, PASSAGE, independent_accounts
from sitrep.consolidate.textreuse import run_dedup_and_reuse
from sitrep.disjoint import DisjointSets
from sitrep.engines.local import LocalEngine
from sitrep.evaluate.stored import fakes_dev_record, fakes_dev_rows
from sitrep.gold import folds
from sitrep.ledger.reuse import read_duplicates, read_reuse
from sitrep.ledger.store import Ledger
from sitrep.views.exports import export_records

from .conftest import DATA, SEEDS


@pytest.mark.parametrize(
    ("articles", "groups", "shared", "expected"),
    [
        # Two copies of one group whose representative tells another happening: one account.
        (["b", "c"], {"b": 1, "c": 1}, [], [("b", ["c"])]),
        # A repost of a repost is the first article's account.
        (["a", "b", "c"], {"a": 1, "b": 1}, [("c", "b")], [("a", ["b", "c"])]),
        # A shared passage with an article outside the incident links nothing.
        (["a", "b"], {}, [("b", "z")], [("a", []), ("b", [])]),
        # Different groups are different accounts.
        (["a", "b", "c", "d"], {"a": 1, "b": 2, "c": 1, "d": 2}, [], [("a", ["c"]), ("b", ["d"])]),
    ],
)
def test_copies_fold_into_the_account_they_repeat(
    articles: list[str],
    groups: dict[str, int],
    shared: list[tuple[str, str]],
    expected: list[tuple[str, list[str]]],
) -> None:
    found = independent_accounts(articles, groups, shared)
    assert [(a.original_id, [r.article_id for r in a.repeats]) for a in found] == expected


def test_how_each_copy_repeats() -> None:
    (account,) = independent_accounts(["a", "b", "c"], {"a": 1, "b": 1}, [("c", "a")])
    assert {r.article_id: r.how for r in account.repeats} == {"b": NEAR_DUPLICATE, "c": PASSAGE}


@pytest.fixture(scope="module")
def fakes_duplicates(
    tmp_path_factory: pytest.TempPathFactory, fakes_dev_jsonl: Path
) -> tuple[list[str], list[list[str]]]:
    """FA-KES dev as the in-domain run ingests it, and its near-duplicate groups."""
    folder = tmp_path_factory.mktemp("fakes")
    with Ledger.open(folder / "fakes.duckdb") as ledger:
        api.ingest(ledger, [fakes_dev_jsonl])
        run_dedup_and_reuse(ledger)
        articles = [a.id for a in ledger.iter_articles()]
        groups = [[m.article_id for m in g.members] for g in read_duplicates(ledger)]
    return articles, groups


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_no_fakes_dev_repost_counts_as_an_independent_source(
    fakes_duplicates: tuple[list[str], list[list[str]]], seed: int
) -> None:
    articles, groups = fakes_duplicates
    assert len(groups) >= 10  # the wire stories FA-KES holds several copies of
    group_of = {a: n for n, members in enumerate(groups) for a in members}
    # Told in any order, as one incident: each group is one account, every other article one.
    shuffled = random.Random(seed).sample(articles, len(articles))
    found = independent_accounts(shuffled, group_of)
    assert len(found) == len(articles) - sum(len(g) - 1 for g in groups)
    for account in found:
        assert len({group_of.get(a, a) for a in account.article_ids}) == 1


@pytest.fixture(scope="module")
def seeds_with_a_repost(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds, and one seed page reposted by another outlet: new headline, the body
    cut short and a footer of its own (the text is read from the reference data here)."""
    folder = tmp_path_factory.mktemp("repost")
    page = (SEEDS / "004_eceadabca35864d4.txt").read_text(encoding="utf-8")
    body = page.split("\n", 1)[1]
    repost = {
        "id": "repost-1",
        "outlet": "Repost Daily",
        "title": "Reposted: the air strike near the air base",
        "published": "2016-09-19",
        "text": body[: int(len(body) * 0.8)] + "\n\nShare this story with your friends.",
    }
    source = folder / "repost.jsonl"
    source.write_text(json.dumps(repost) + "\n", encoding="utf-8")
    path = folder / "seeds.duckdb"
    with Ledger.open(path) as ledger, LocalEngine(None, workers=1, stages=RULE_STAGES) as engine:
        api.run(ledger, [SEEDS, source], engine=engine)
        api.consolidate(ledger, with_statements=False)
    return path


def test_seed_repost_does_not_count_as_an_independent_source(
    seeds_with_a_repost: Path, run_cli
) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("--db", seeds_with_a_repost, "export", "events")
    assert result.code == 0, result.err
    records = [json.loads(line) for line in result.out.splitlines()]
    with Ledger.open(seeds_with_a_repost, read_only=True) as ledger:
        (copy, original) = ledger.conn.execute(
            "SELECT article_id, representative_id FROM duplicate_groups "
            "WHERE article_id <> representative_id"
        ).fetchone() or ("", "")
    told = [r for r in records if copy in {a["article_id"] for a in r["accounts"]}]
    assert told
    for record in told:
        articles = {a["article_id"] for a in record["accounts"]}
        independent = {s["article_id"] for s in record["sources"]}
        assert record["independent_sources"] == len(independent) <= len(articles)
        if original in articles:  # the repost folds into the page it copies
            assert copy not in independent and len(independent) < len(articles)
    # The happening the copy and its original tell together, with the most other accounts.
    strike = max(told, key=lambda r: r["n_articles"])
    assert {copy, original} <= {a["article_id"] for a in strike["accounts"]}
    assert strike["independent_sources"] < strike["n_articles"]
    assert {
        "outlet": "Repost Daily",
        "repeats": [{"article_id": original, "outlet": _outlet_of(strike, original)}],
    } in strike["repeating_outlets"]

    table = run_cli("--db", seeds_with_a_repost, "events", "--consolidated")
    assert table.code == 0, table.err
    row = next(line for line in table.out.splitlines() if line.startswith(strike["event_id"]))
    assert f"{strike['independent_sources']} independent" in row
    assert "repeating:" in row and "Repost Daily" in row


def _outlet_of(record: dict[str, Any], article_id: str) -> str | None:
    return next(a["outlet"] for a in record["accounts"] if a["article_id"] == article_id)


def test_seed_accounts_in_their_own_words_are_independent(analysed_seeds: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    # The seeds hold no near duplicates; pages that share quotes about a happening still tell
    # it in their own words. (Which seed mentions are one happening is `sitrep eval`'s.)
    result = run_cli("--db", analysed_seeds, "export", "events")
    strike = json.loads(result.out.splitlines()[0])
    assert strike["n_articles"] >= 2
    assert strike["independent_sources"] == strike["n_articles"]
    assert strike["repeating_outlets"] == []


def _fakes_near_duplicates() -> tuple[list[dict[str, Any]], list[list[str]]]:
    """FA-KES dev's near-duplicate texts, found as the folds find them (word trigrams shared
    at ``folds.NEAR_DUPLICATE``, independently of ``consolidate.dedup``): the records of
    their members, and the groups (FA-KES unit ids)."""
    records: dict[str, dict[str, Any]] = {}
    for row in fakes_dev_rows(DATA):
        records.setdefault(row["unit_id"], fakes_dev_record(row))
    units = sorted(records)
    trigrams = {u: folds._trigrams(records[u]["text"]) for u in units}
    sets = DisjointSets(units)
    for n, a in enumerate(units):
        for b in units[n + 1 :]:
            union = len(trigrams[a] | trigrams[b])
            if union and len(trigrams[a] & trigrams[b]) / union >= folds.NEAR_DUPLICATE:
                sets.join(a, b)
    groups = [members for members in sets.groups().values() if len(members) > 1]
    return [records[u] for g in groups for u in g], groups


@pytest.fixture(scope="module")
def fakes_copies_in_two_parts(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[list[dict[str, Any]], list[list[str]], dict[str, str], list[dict[str, Any]]]:
    """The members of FA-KES dev's near-duplicate groups, every group split over two parts:
    analysed by the rule stages and consolidated part by part (the second part joins the
    stored consolidation), then all at once. Returns the incidents of both ways, the groups
    and each unit's ledger id."""
    folder = tmp_path_factory.mktemp("fakes-copies")
    records, groups = _fakes_near_duplicates()
    first_of = {g[0] for g in groups}
    parts = [
        folder / "first.jsonl",
        folder / "second.jsonl",
    ]
    for path, keep in zip(parts, (True, False), strict=True):
        chosen = [r for r in records if (r["id"] in first_of) == keep]
        path.write_text("".join(json.dumps(r) + "\n" for r in chosen), encoding="utf-8")
    with (
        LocalEngine(None, workers=1, stages=RULE_STAGES) as engine,
        Ledger.open(folder / "parts.duckdb") as ledger,
    ):
        api.run(ledger, [parts[0]], engine=engine)
        api.consolidate(ledger, with_statements=False)
        api.run(ledger, [parts[1]], engine=engine)
        with pytest.MonkeyPatch.context() as patch:  # the second part joins, nothing is redone
            patch.setattr(textreuse, "_store_sketches", _redone)
            patch.setattr(incremental, "consolidate_all", _redone)
            assert api.consolidate(ledger, with_statements=False).unchanged == ()
        in_parts = _incidents(ledger)
        unit_ids = dict(ledger.conn.execute("SELECT external_id, id FROM articles").fetchall())
        stored = (read_duplicates(ledger), read_reuse(ledger))
        api.consolidate(ledger, with_statements=False, force=True)  # all at once
        at_once = _incidents(ledger)
        assert (read_duplicates(ledger), read_reuse(ledger)) == stored
    return in_parts, groups, unit_ids, at_once


def _redone(*args: object) -> None:
    raise AssertionError("the new articles did not join incrementally")


def _incidents(ledger: Ledger) -> list[dict[str, Any]]:
    return sorted(export_records(ledger, "events"), key=lambda r: str(r["incident_id"]))


def test_fakes_copies_in_two_parts_give_the_incidents_of_one_run(
    fakes_copies_in_two_parts: tuple[Any, ...],
) -> None:
    in_parts, _, _, at_once = fakes_copies_in_two_parts
    assert in_parts == at_once
    assert any(r["n_articles"] > r["independent_sources"] for r in in_parts)


def test_no_fakes_dev_near_duplicate_counts_as_two_independent_sources(
    fakes_copies_in_two_parts: tuple[Any, ...],
) -> None:
    incidents, groups, unit_ids, _ = fakes_copies_in_two_parts
    assert len(groups) >= 10
    # Exact copies (the same text under two unit ids) are one article from ingest on.
    group_of = {
        unit_ids[u]: n for n, members in enumerate(groups) for u in members if u in unit_ids
    }
    told = 0
    for incident in incidents:
        articles = {a["article_id"] for a in incident["accounts"]}
        sources = [group_of.get(s["article_id"]) for s in incident["sources"]]
        for group in {g for g in sources if g is not None}:
            assert sources.count(group) == 1, (incident["incident_id"], groups[group])
        copies = [group_of[a] for a in articles if a in group_of]
        told += len(copies) > len(set(copies))
    assert told  # incidents told by several copies of one story
