"""Reuse without templates: what an outlet prints on its own pages only is no reused passage."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from sitrep import api
from sitrep.consolidate.textreuse import TextReuseResult, _Row, dedup_and_reuse
from sitrep.ledger.store import Ledger

Pair = tuple[str, int, int, str, int, int]


@pytest.fixture(scope="module")
def fakes_rows(tmp_path_factory: pytest.TempPathFactory, fakes_dev_jsonl: Path) -> list[_Row]:
    """FA-KES dev as the in-domain run ingests it (with each article's outlet)."""
    folder = tmp_path_factory.mktemp("templates")
    with Ledger.open(folder / "fakes.duckdb") as ledger:
        api.ingest(ledger, [fakes_dev_jsonl])
        return [
            _Row(r["id"], r["text"], r["body_start"], r["title"], r["outlet"])
            for r in ledger.iter_rows(
                "SELECT id, text, body_start, title, outlet FROM articles ORDER BY seq"
            )
        ]


def _passages(rows: list[_Row]) -> tuple[TextReuseResult, set[Pair]]:
    texts = {r.id: r.text for r in rows}
    result = dedup_and_reuse(rows, lambda ids: ((i, texts[i]) for i in ids))
    found = {
        (p.a_article_id, p.a_start, p.a_end, p.b_article_id, p.b_start, p.b_end)
        for p in result.passages
    }
    return result, found


def test_site_template_is_no_reused_passage(fakes_rows: list[_Row]) -> None:
    outlet = {r.id: r.outlet for r in fakes_rows}
    _, with_outlets = _passages(fakes_rows)
    # The same texts, their outlets unknown: no text can be told to be a site's template.
    _, without = _passages([replace(r, outlet=None) for r in fakes_rows])
    dropped = without - with_outlets
    assert len(dropped) >= 50  # the related-news boxes, category links, house phrases
    # Only text shared inside one outlet is template; reuse across outlets is untouched.
    assert all(outlet[p[0]] == outlet[p[3]] for p in dropped)
    across = {p for p in without if outlet[p[0]] != outlet[p[3]]}
    assert across and across <= with_outlets


def test_articles_of_no_known_outlet_keep_their_passages(fakes_rows: list[_Row]) -> None:
    nameless = [replace(r, outlet=None) for r in fakes_rows]
    one = [replace(r, outlet="One Outlet") for r in fakes_rows]
    _, unknown = _passages(nameless)
    _, all_one = _passages(one)
    # Every page of one outlet: its repeated text is its template, so fewer passages remain.
    assert len(all_one) < len(unknown)
