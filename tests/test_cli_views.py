"""The CLI as users type it: --db after the command, ids and evidence in every table, checked
filters, `show`, `correct`, `report`."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from sitrep import cli
from sitrep.export.writers import FORMATS
from sitrep.ingest.files import DEFAULT_MAX_BYTES
from sitrep.terminal_tables import disagreement_label
from sitrep.views import exports


def test_cli_views_constants_match_the_modules_they_stand_for() -> None:
    assert cli.FORMATS == FORMATS and cli.DEFAULT_MAX_BYTES == DEFAULT_MAX_BYTES
    assert cli.EXPORT_KINDS == exports.EXPORT_KINDS and cli.GEOJSON_KINDS == exports.GEOJSON_KINDS


def test_cli_views_db_goes_after_the_command_too(seeds_copy: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    after = run_cli("articles", "--db", seeds_copy)
    before = run_cli("--db", seeds_copy, "articles")
    assert after.code == 0 and after.out == before.out
    assert len(after.out.splitlines()) == 8  # the header, six seed articles, the hostile one


def test_cli_views_tables_start_with_ids_and_show_evidence(seeds_copy: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    events = run_cli("events", "--db", seeds_copy, "--type", "assault", "--limit", "3")
    header, *rows = events.out.splitlines()
    assert header.split("\t")[0] == "id" and header.split("\t")[-1] == "evidence"
    assert rows and all(r.split("\t")[0].split("-m")[1].isdigit() for r in rows)
    assert all(r.split("\t")[2].startswith("ASSAULT") for r in rows)
    incidents = run_cli("events", "--consolidated", "--db", seeds_copy, "--limit", "1")
    assert incidents.out.splitlines()[0].split("\t")[0] == "id"
    claims = run_cli("claims", "--db", seeds_copy, "--stance", "DENY", "--limit", "2")
    assert claims.out.splitlines()[1].split("\t")[0].split("-c")[1].isdigit()


def test_cli_views_unknown_filter_values_are_usage_errors_listing_the_valid_ones(
    seeds_copy: Path, run_cli
) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("events", "--db", seeds_copy, "--type", "EXPLODE")
    assert result.code == 2 and "ASSAULT" in result.err and "THREATEN" in result.err
    kinds = run_cli("signals", "--db", seeds_copy, "--kind", "nope")
    assert kinds.code == 2 and "anonymous_source" in kinds.err
    stance = run_cli("claims", "--db", seeds_copy, "--stance", "shout")
    assert stance.code == 2 and "deny" in stance.err


def test_cli_views_text_filters_ignore_case(seeds_copy: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    lower = run_cli("events", "--db", seeds_copy, "--outlet", "the duran", "--limit", "0")
    exact = run_cli("events", "--db", seeds_copy, "--outlet", "The Duran", "--limit", "0")
    assert lower.out == exact.out and len(lower.out.splitlines()) > 1


def test_cli_views_show_and_correct(seeds_copy: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    table = run_cli("events", "--consolidated", "--db", seeds_copy, "--type", "ASSAULT")
    incident_id = table.out.splitlines()[1].split("\t")[0]
    shown = run_cli("show", incident_id, "--db", seeds_copy)
    assert shown.code == 0 and "killed: 62–100" in shown.out and "disagreement on" in shown.out
    view = json.loads(run_cli("show", incident_id, "--json", "--db", seeds_copy).out)
    mention_id = view["item"]["accounts"][0]["mention_id"]
    mention = run_cli("show", mention_id, "--db", seeds_copy)
    assert f"incident: {incident_id}" in mention.out
    fixed = run_cli(
        "correct", incident_id, "set", "--field", "killed", "--value", "70",
        "--why", "UN figure", "--who", "ana", "--db", seeds_copy,
    )  # fmt: skip
    assert fixed.code == 0, fixed.err
    assert "killed: 70–70" in run_cli("show", incident_id, "--db", seeds_copy).out
    refused = run_cli("correct", incident_id, "set", "--field", "killed", "--value", "lots",
                      "--why", "x", "--db", seeds_copy)  # fmt: skip
    assert refused.code == 2
    assert run_cli("show", "nothing", "--db", seeds_copy).code == 2


def test_cli_views_report_writes_one_offline_file(
    seeds_copy: Path, tmp_path: Path, run_cli
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "r.html"
    result = run_cli("report", "-o", out, "--db", seeds_copy, "--type", "ASSAULT")
    assert result.code == 0, result.err
    page = html.unescape(out.read_text(encoding="utf-8"))
    assert "connect-src 'none'" in page and "<script src=" not in page
    assert '<link rel="stylesheet"' not in page and 'src="http' not in page


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ({"field": "killed", "kind": "conflict"}, "killed"),
        ({"field": "perpetrator", "kind": "named vs unknown"}, "perpetrator (named vs unknown)"),
        ({"field": "intent"}, "intent"),  # records from before the kind was stored
    ],
)
def test_cli_views_a_disagreement_shows_its_kind(field: dict, label: str) -> None:  # type: ignore[type-arg]
    assert disagreement_label(field) == label
