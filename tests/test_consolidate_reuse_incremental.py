"""Near duplicates and reused passages of new articles, from the stored sketches: the groups
and passages are a whole run's, whatever the order the articles arrive in."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sitrep import api
from sitrep.consolidate import incremental_reuse, state, textreuse
from sitrep.consolidate.dedup import BUCKET_ALL_PAIRS, bucket_pairs
from sitrep.consolidate.reuse import posting_cap
from sitrep.consolidate.textreuse import run_dedup_and_reuse
from sitrep.evaluate.stored import fakes_dev_record, fakes_dev_rows
from sitrep.evaluate.synthetic import generate_corpus
from sitrep.ledger.reuse import read_duplicates, read_reuse
from sitrep.ledger.sketches import Sketch, read_sketches, write_sketches
from sitrep.ledger.store import Ledger

from .conftest import DATA, SEEDS


def _result(ledger: Ledger) -> tuple[list[Any], list[Any]]:
    return read_duplicates(ledger), sorted(read_reuse(ledger), key=repr)


def _write(folder: Path, name: str, records: list[dict[str, Any]]) -> Path:
    path = folder / f"{name}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def spied(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[incremental_reuse.NewPassages]]:
    """What each incremental run changed; a whole run (after the first) fails the test."""
    found: list[incremental_reuse.NewPassages] = []
    passages = incremental_reuse.new_passages

    def spy(*args: Any, **kwargs: Any) -> incremental_reuse.NewPassages:
        result = passages(*args, **kwargs)
        found.append(result)
        return result

    monkeypatch.setattr(textreuse, "new_passages", spy)
    yield found


def _count_whole_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """From here on, each whole run adds one to the list returned."""
    whole: list[int] = []
    store = textreuse._store_sketches

    def counted(*args: Any) -> None:
        whole.append(1)
        store(*args)

    monkeypatch.setattr(textreuse, "_store_sketches", counted)
    return whole


def _added_in_parts(
    ledger: Ledger, folder: Path, records: list[dict[str, Any]], cuts: list[int]
) -> None:
    """Ingest ``records`` in the parts ``cuts`` makes, finding copies and passages after each."""
    for n, (start, end) in enumerate(zip([0, *cuts], [*cuts, len(records)], strict=True)):
        api.ingest(ledger, [_write(folder, f"part{n}", records[start:end])])
        run_dedup_and_reuse(ledger)


def test_fakes_dev_added_in_parts_gives_a_whole_runs_groups_and_passages(
    tmp_path: Path, spied: list[incremental_reuse.NewPassages]
) -> None:
    # FA-KES dev in six parts: wire copies arrive after their originals, outlets' third pages
    # make their shared lines site templates, wire phrases pass the posting cap.
    records = [fakes_dev_record(row) for row in fakes_dev_rows(DATA)]
    with Ledger.open(tmp_path / "fakes.duckdb") as ledger:
        _added_in_parts(ledger, tmp_path, records, [150, 160, 200, 260, 330])
        step = _result(ledger)
        run_dedup_and_reuse(ledger, whole=True)
        assert _result(ledger) == step
    assert len(spied) == 5
    assert sum(len(s.replaced) for s in spied) > 0  # stored pairs were aligned again
    assert len(step[0]) >= 10 and len(step[1]) > 100


def test_synthetic_copies_and_pastes_added_in_parts(
    tmp_path: Path, spied: list[incremental_reuse.NewPassages]
) -> None:
    # The generator's families (exact and near copies), pasted paragraphs, repeats and
    # outlet footers (the posting cap stays at its floor).
    corpus = generate_corpus(700, seed=13)
    records = [
        {"id": a.id, "text": a.text, "title": a.title, "outlet": a.outlet} for a in corpus.articles
    ]
    with Ledger.open(tmp_path / "synthetic.duckdb") as ledger:
        _added_in_parts(ledger, tmp_path, records, [350, 355, 500])
        step = _result(ledger)
        run_dedup_and_reuse(ledger, whole=True)
        assert _result(ledger) == step
    assert len(spied) == 3
    assert any(len(g.members) > 2 for g in step[0])


def _seed_body(name: str) -> list[str]:
    page = (SEEDS / name).read_text(encoding="utf-8")
    return page.split("\n", 1)[1].split()


def test_a_new_copy_joins_two_groups_and_their_passage_goes(
    tmp_path: Path, spied: list[incremental_reuse.NewPassages]
) -> None:
    # Two excerpts of one seed page overlap by 40% (one passage, not near duplicates), one of
    # them reposted with a footer; the whole page then arrives and is a near duplicate of
    # both: one group, with the earlier excerpt as its representative, and no passage left
    # between its members. Every record's text is cut from the reference data here.
    body = _seed_body("004_eceadabca35864d4.txt")
    cut = len(body) * 3 // 10
    first, second = " ".join(body[: len(body) - cut]), " ".join(body[cut:])
    others = [
        {"id": p.stem, "text": p.read_text(encoding="utf-8"), "outlet": f"Outlet {n}"}
        for n, p in enumerate(sorted(SEEDS.glob("*.txt")))
        if not p.name.startswith("004")
    ]
    parts = [
        [*others, {"id": "first", "text": first, "outlet": "A"}],
        [{"id": "second", "text": second, "outlet": "B"}],
        [{"id": "repost", "text": second + " Share this story.", "outlet": "C"}],
        [{"id": "whole", "text": " ".join(body), "outlet": "D"}],
    ]
    with Ledger.open(tmp_path / "merge.duckdb") as ledger:
        for n, part in enumerate(parts):
            api.ingest(ledger, [_write(tmp_path, f"part{n}", part)])
            run_dedup_and_reuse(ledger)
            if n == 2:
                id_of = dict(ledger.conn.execute("SELECT external_id, id FROM articles").fetchall())
                (group,) = read_duplicates(ledger)
                assert set(group.article_ids) == {id_of["second"], id_of["repost"]}
                shared = {frozenset((p.a_article_id, p.b_article_id)) for p in read_reuse(ledger)}
                assert frozenset((id_of["first"], id_of["second"])) in shared
        step = _result(ledger)
        run_dedup_and_reuse(ledger, whole=True)
        assert _result(ledger) == step
    assert len(spied) == 3
    (group,) = step[0]
    assert group.representative_id == id_of["first"] and len(group.members) == 4
    members = set(group.article_ids)
    assert not [
        p
        for p in step[1]
        if p.a_article_id != p.b_article_id and {p.a_article_id, p.b_article_id} <= members
    ]


def test_interrupted_run_leaves_the_last_result_and_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = [fakes_dev_record(row) for row in fakes_dev_rows(DATA)][:200]
    with Ledger.open(tmp_path / "crash.duckdb") as ledger:
        _added_in_parts(ledger, tmp_path, records[:150], [])
        before = _result(ledger)
        stored = ledger.conn.execute("SELECT count(*) FROM reuse_postings").fetchone()
        api.ingest(ledger, [_write(tmp_path, "more", records[150:])])

        def crash(*args: Any, **kwargs: Any) -> None:
            raise KeyboardInterrupt  # killed after the sketches and groups were written

        monkeypatch.setattr(textreuse, "replace_reuse", crash)
        with pytest.raises(KeyboardInterrupt):
            run_dedup_and_reuse(ledger)
        monkeypatch.undo()
        assert _result(ledger) == before
        assert ledger.conn.execute("SELECT count(*) FROM reuse_postings").fetchone() == stored
        run_dedup_and_reuse(ledger)  # resumes from the stored sketches
        resumed = _result(ledger)
        run_dedup_and_reuse(ledger)  # nothing new: nothing changes
        assert _result(ledger) == resumed
        run_dedup_and_reuse(ledger, whole=True)
        assert _result(ledger) == resumed


def test_what_redoes_the_step_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records = [fakes_dev_record(row) for row in fakes_dev_rows(DATA)][:60]
    with Ledger.open(tmp_path / "whole.duckdb") as ledger:
        api.ingest(ledger, [_write(tmp_path, "first", records[:50])])
        run_dedup_and_reuse(ledger)
        whole = _count_whole_runs(monkeypatch)
        api.ingest(ledger, [_write(tmp_path, "second", records[50:55])])
        run_dedup_and_reuse(ledger)
        assert not whole  # new articles only
        ledger.conn.execute(
            "UPDATE articles SET outlet = 'Elsewhere' WHERE seq = (SELECT min(seq) FROM articles)"
        )
        run_dedup_and_reuse(ledger)
        assert whole == [1]  # a stored article changed
        ledger.conn.execute(
            "UPDATE consolidation_state SET fingerprint = 'old code' WHERE step = ?",
            [state.REUSE_BASE],
        )
        run_dedup_and_reuse(ledger)
        assert whole == [1, 1]  # the code changed


def test_the_posting_cap_moving_redoes_the_step() -> None:
    # The cap follows the corpus size between 1,600 and 6,400 articles: there, stored pairs
    # may change standing without a new article among them, so the step is redone.
    assert posting_cap(1600) == posting_cap(10) and posting_cap(1601) != posting_cap(1600)
    assert posting_cap(6400) == posting_cap(100_000)


@pytest.mark.parametrize("size", range(1, 3 * BUCKET_ALL_PAIRS))
def test_a_bucket_only_gains_pairs_as_members_arrive(size: int) -> None:
    before = set(zip(*(x.tolist() for x in bucket_pairs(size)), strict=True))
    after = set(zip(*(x.tolist() for x in bucket_pairs(size + 1)), strict=True))
    assert before < after and all(i < j <= size for i, j in after)
    if size < BUCKET_ALL_PAIRS:  # a small bucket: every two members
        assert len(after) == (size + 1) * size // 2
    else:  # past that, the newcomer is paired with the first member only
        assert after - before == {(0, size)}


def test_sketches_round_trip(ledger: Ledger, tmp_path: Path) -> None:
    api.ingest(ledger, [SEEDS])
    seqs = [int(r[0]) for r in ledger.conn.execute("SELECT seq FROM articles").fetchall()]
    rng = np.random.default_rng(1)
    sketches = [
        Sketch(
            str(ledger.conn.execute("SELECT id FROM articles WHERE seq = ?", [s]).fetchone()[0]),  # type: ignore[index]
            s,
            rng.integers(0, 2**32, 128, dtype=np.uint32),
            np.unique(rng.integers(0, 2**32, 40 + s, dtype=np.uint32)),
            np.unique(rng.integers(0, 2**64, s, dtype=np.uint64)),
        )
        for s in seqs
    ]
    write_sketches(ledger.conn, sketches)
    read = read_sketches(ledger.conn, seqs)
    for sketch in sketches:
        back = read[sketch.seq]
        assert back.article_id == sketch.article_id
        for field in ("signature", "body", "headline"):
            assert getattr(back, field).dtype == getattr(sketch, field).dtype
            assert (getattr(back, field) == getattr(sketch, field)).all()


def test_a_larger_addition_than_the_stored_corpus_is_done_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = [fakes_dev_record(row) for row in fakes_dev_rows(DATA)][:12]
    monkeypatch.setattr(textreuse, "BATCH", 2)  # the floor of the share, made small here
    with Ledger.open(tmp_path / "larger.duckdb") as ledger:
        api.ingest(ledger, [_write(tmp_path, "first", records[:4])])
        run_dedup_and_reuse(ledger)
        api.ingest(ledger, [_write(tmp_path, "second", records[4:])])
        whole = _count_whole_runs(monkeypatch)
        run_dedup_and_reuse(ledger)
        assert whole == [1]
