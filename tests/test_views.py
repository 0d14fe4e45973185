"""The analyst's views over the seeds: incidents with the spans behind their attributes, checked
filters, injection probes, corrections that persist through re-runs and re-analysis."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sitrep import api
from sitrep.analyze.builtin import RULE_STAGES
from sitrep.engines.local import LocalEngine
from sitrep.errors import UsageError
from sitrep.ledger.store import Ledger
from sitrep.views import (
    Filters,
    Page,
    add_correction,
    article_view,
    list_articles,
    list_claims,
    list_incidents,
    list_mentions,
    list_reuse,
    list_signals,
    matching_articles,
    show,
)

from .conftest import HOSTILE


def _strike(ledger: Ledger) -> dict:  # type: ignore[type-arg]
    """The 17 September 2016 Deir ez-Zor strike (told by three seed articles)."""
    _, found = list_incidents(
        ledger, Filters.checked(date_from="2016-09-17", date_to="2016-09-17", type="assault")
    )
    told = [r for r in found if r["place"] and r["place"]["name"] == "Deir ez-Zor"]
    return told[0]  # the one told by the most articles


def test_views_strike_card_has_sources_disagreements_and_the_spans_behind_each_attribute(
    analysed_seeds: Path,
) -> None:
    with Ledger.open(analysed_seeds, read_only=True) as ledger:
        strike = _strike(ledger)
        texts = {a.id: a.text for a in ledger.iter_articles()}
    assert strike["n_articles"] == 3 and strike["independent_sources"] == 3
    assert {d["field"] for d in strike["disagreements"]} >= {"killed", "intent"}
    assert strike["killed"] == {"low": 62, "high": 100}
    for account in strike["accounts"]:
        trigger = account["support"]["type"][0]
        assert texts[trigger["article_id"]][trigger["start"] : trigger["end"]] == account["trigger"]
    tolls = [s for a in strike["accounts"] for s in a["support"].get("killed", [])]
    assert any("at least 62" in texts[s["article_id"]][s["start"] : s["end"]] for s in tolls)
    actors = [s for a in strike["accounts"] for s in a["support"].get("actors", [])]
    assert any(s["code"] == "USA" for s in actors)
    # Every value of a disagreement names its evidence in the text.
    for field in strike["disagreements"]:
        for value in field["values"]:
            for source in value["sources"]:
                text = texts[source["article_id"]]
                assert text[source["start"] : source["end"]] == source["evidence"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("type", "EXPLODE"),
        ("sector", "WIZ"),
        ("modality", "maybe"),
        ("stance", "shout"),
        ("precision", "galaxy"),
        ("date_from", "17/09/2016"),
        ("min_toll", "many"),
    ],
)
def test_views_unknown_filter_values_are_errors_that_say_what_is_valid(
    name: str, value: str
) -> None:
    with pytest.raises(UsageError) as error:
        Filters.checked(**{name: value})
    message = str(error.value)
    assert value in message or "number" in message
    if name == "type":
        assert "ASSAULT" in message and "THREATEN" in message


def test_views_text_filters_ignore_case(analysed_seeds: Path) -> None:
    with Ledger.open(analysed_seeds, read_only=True) as ledger:
        counts = {
            spelling: list_incidents(ledger, Filters.checked(province=spelling, actor="usa"))[0]
            for spelling in ("Deir ez-Zor", "deir EZ-ZOR")
        }
        outlets = {
            spelling: list_mentions(ledger, Filters.checked(outlet=spelling))[0]
            for spelling in ("The Duran", "the duran")
        }
    assert len(set(counts.values())) == 1 and counts["Deir ez-Zor"] > 0
    assert len(set(outlets.values())) == 1 and outlets["The Duran"] > 0


PROBES = ("' OR 1=1 --", "x'); DROP TABLE articles; --", '" OR ""="', "%", "_", "\\", "\x00")
# Each list and the filters it reads.
LISTS = {
    list_incidents: (
        "actor",
        "province",
        "country",
        "outlet",
        "article_id",
        "type",
        "modality",
        "precision",
        "date_from",
    ),
    list_mentions: (
        "actor",
        "province",
        "outlet",
        "article_id",
        "type",
        "modality",
        "precision",
        "date_from",
    ),
    list_claims: ("speaker", "outlet", "article_id", "stance"),
    list_signals: ("kind", "outlet", "article_id"),
    list_articles: ("outlet", "article_id", "date_from"),
    list_reuse: ("article_id",),
}


@pytest.mark.parametrize("probe", PROBES)
def test_views_injection_probes_in_every_filter_return_nothing_or_an_error(
    analysed_seeds: Path, probe: str
) -> None:
    with Ledger.open(analysed_seeds, read_only=True) as ledger:
        articles = ledger.article_count()
        for lister, names in LISTS.items():
            for name in names:
                try:
                    filters = Filters.checked(**{name: probe})
                except UsageError:
                    continue
                total, items = lister(ledger, filters, Page(50, 0))
                assert (total, items) == (0, []), (name, lister.__name__)
        hits = matching_articles(ledger, probe)  # search: words, never SQL
        assert len(hits) <= articles
        assert ledger.article_count() == articles


def test_views_article_view_spans_lie_inside_the_text_and_explain_themselves(
    analysed_seeds: Path,
) -> None:
    with Ledger.open(analysed_seeds, read_only=True) as ledger:
        strike = _strike(ledger)
        view = article_view(ledger, strike["accounts"][0]["article_id"])
    assert view is not None
    text = view["article"]["text"]
    kinds = {s["kind"] for s in view["spans"]}
    assert {"event", "claim", "speaker"} <= kinds
    for span in view["spans"]:
        assert 0 <= span["start"] < span["end"] <= len(text) and span["explain"]
    events = [s for s in view["spans"] if s["kind"] == "event"]
    # Hypothetical and negated mentions are hidden by default (with every other non-event).
    assert all(s["hidden"] for s in events if s["modality"] in ("hypothetical", "negated"))
    assert any(s["hidden"] for s in events) and any(not s["hidden"] for s in events)


def test_views_show_opens_any_id(analysed_seeds: Path) -> None:
    with Ledger.open(analysed_seeds, read_only=True) as ledger:
        strike = _strike(ledger)
        mention_id = strike["accounts"][0]["mention_id"]
        claim_id = strike["claims"][0]["claim_id"]
        found = {i: show(ledger, i) for i in (strike["event_id"], mention_id, claim_id)}
        article = show(ledger, strike["accounts"][0]["article_id"])
        assert show(ledger, "nothing-here") is None
    assert [f[0] for f in found.values() if f] == ["incident", "mention", "claim"]
    assert found[mention_id][1]["record"]["incident_id"] == strike["event_id"]  # type: ignore[index]
    assert article is not None and article[0] == "article"


def test_views_corrections_apply_on_read(seeds_copy: Path) -> None:
    with Ledger.open(seeds_copy) as ledger:
        strike = _strike(ledger)
        add_correction(
            ledger,
            strike["event_id"],
            "set",
            field="killed",
            value="70-80",
            who="ana",
            why="UN figure",
        )
        add_correction(
            ledger,
            strike["event_id"],
            "set",
            field="actor",
            value="usa, gbr",
            who="ana",
            why="coalition",
        )
        mention = strike["accounts"][-1]["mention_id"]
        add_correction(ledger, mention, "wrong", who="ana", why="tells another strike")
        fixed = _strike(ledger)
        hidden = list_mentions(
            ledger, Filters.checked(article_id=mention.split("-")[0]), Page(500, 0)
        )
        shown = list_mentions(
            ledger,
            Filters.checked(article_id=mention.split("-")[0], include_all=True),
            Page(500, 0),
        )
    assert fixed["killed"] == {"low": 70, "high": 80} and fixed["actors"] == ["USA", "GBR"]
    assert fixed["original"]["killed"] == {"low": 62, "high": 100}
    assert mention not in [a["mention_id"] for a in fixed["accounts"]]
    assert mention not in [m["mention_id"] for m in hidden[1]]
    wrong = [m for m in shown[1] if m["mention_id"] == mention]
    assert wrong and wrong[0]["wrong"] and wrong[0]["corrections"][0]["who"] == "ana"


def test_views_merge_and_split_incidents(seeds_copy: Path) -> None:
    with Ledger.open(seeds_copy) as ledger:
        strike = _strike(ledger)
        _, others = list_incidents(ledger, Filters.checked(type="ASSAULT"), Page(500, 0))
        other = next(r for r in others if r["event_id"] != strike["event_id"])
        add_correction(
            ledger, strike["event_id"], "merge", other_id=other["event_id"], who="ana", why="same"
        )
        merged = _strike(ledger)
        split_off = merged["accounts"][0]["mention_id"]
        add_correction(ledger, split_off, "split", who="ana", why="another day")
        after = _strike(ledger)
        total, everything = list_incidents(ledger, Filters(), Page(500, 0))
    assert other["event_id"] in merged["merged_from"]
    assert merged["n_mentions"] == strike["n_mentions"] + other["n_mentions"]
    assert split_off not in [a["mention_id"] for a in after["accounts"]]
    alone = [r for r in everything if [a["mention_id"] for a in r["accounts"]] == [split_off]]
    assert len(alone) == 1 and alone[0]["split_from"] == merged["event_id"]
    assert total == len(everything)


def test_views_corrections_refuse_what_cannot_be_a_value(seeds_copy: Path) -> None:
    with Ledger.open(seeds_copy) as ledger:
        strike = _strike(ledger)
        for field, value in (("type", "EXPLODE"), ("killed", "lots"), ("date", "soon")):
            with pytest.raises(UsageError):
                add_correction(
                    ledger, strike["event_id"], "set", field=field, value=value, who="a", why="b"
                )
        with pytest.raises(UsageError):
            add_correction(ledger, strike["event_id"], "wrong", who="a", why="")
        with pytest.raises(UsageError):
            add_correction(ledger, "0123456789abcdef", "wrong", who="a", why="b")
        assert ledger.conn.execute("SELECT count(*) FROM corrections").fetchone() == (0,)


def test_views_corrections_survive_a_run_on_new_input_and_a_reanalysis(
    seeds_copy: Path, tmp_path: Path, run_cli
) -> None:  # type: ignore[no-untyped-def]
    with Ledger.open(seeds_copy) as ledger:
        strike = _strike(ledger)
        mention = strike["accounts"][-1]["mention_id"]
        add_correction(
            ledger, strike["event_id"], "set", field="killed", value="70", who="ana", why="x"
        )
        add_correction(ledger, mention, "wrong", who="ana", why="y")
    new_input = tmp_path / "new.jsonl"
    new_input.write_text(
        json.dumps(
            {
                "text": "Turkish artillery shelled Afrin on 2 February 2018, killing 4.",
                "title": "Shelling",
                "published": "2018-02-02",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    run = run_cli("run", new_input, "--db", seeds_copy, "--workers", "1", "--rules-only")
    assert run.code == 0
    with (
        Ledger.open(seeds_copy) as ledger,
        LocalEngine(None, workers=1, stages=RULE_STAGES) as engine,
    ):
        ledger.conn.execute("UPDATE analyses SET pipeline = 'an older pipeline'")
        counts = api.analyze(ledger, engine=engine)
        api.consolidate(ledger, with_statements=False)
        assert counts.analysed == ledger.article_count()
        after = _strike(ledger)
    assert after["killed"] == {"low": 70, "high": 70}
    assert mention not in [a["mention_id"] for a in after["accounts"]]
    exported = run_cli("export", "corrections", "--db", seeds_copy)
    records = [json.loads(line) for line in exported.out.splitlines()]
    assert [r["action"] for r in records] == ["set", "wrong"]
    assert records[0]["anchor"]["article_id"] == strike["accounts"][0]["article_id"]
    assert {"who", "why", "at", "target", "value"} <= set(records[0])


def test_views_hostile_article_keeps_its_text_verbatim(analysed_seeds: Path) -> None:
    with Ledger.open(analysed_seeds, read_only=True) as ledger:
        (article,) = [a for a in ledger.iter_articles() if a.external_id == HOSTILE["id"]]
        view = article_view(ledger, article.id)
    assert view is not None and view["article"]["title"] == HOSTILE["title"]
    assert "<script>" in view["article"]["text"]


def test_views_cli_does_not_load_heavy_libraries_to_answer_version() -> None:
    code = (
        "import sys; from sitrep.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('spacy', 'torch', 'duckdb', 'trafilatura', 'rich') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
