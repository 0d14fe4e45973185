"""Claims and signals in the ledger: round trips, the schema 3 -> 4 migration, exports, tables."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from sitrep import Ledger, ingest
from sitrep.ledger import store
from sitrep.ledger.bulk import bulk_write
from sitrep.ledger.layers import ANALYSIS_COLUMNS, read_analysis, write_analyses
from sitrep.ledger.mentions import MENTION_COLUMNS, mention_row
from sitrep.ledger.schema import LATEST_VERSION, MIGRATIONS
from sitrep.model import (
    Analysis,
    Claim,
    ClaimKind,
    DocumentDate,
    EventMention,
    EventRole,
    Modality,
    Relay,
    Signal,
    Speaker,
    Stance,
    claim_id,
    content_id,
)

# Non-ASCII before the spans (an emoji is one code point but two UTF-16 units and four bytes),
# quotes of both kinds, commas, a newline and a tab inside the claims' content.
TEXT = (
    "Ÿ 😀 Moscow — TASS quoted Maria Zakharova as saying: “We did not, in fact, strike\n"
    'the \t"hospital", ever.” She added: “Never.” Officials who spoke on condition of '
    "anonymity said «никогда», the strikes were, perhaps, a mistake. Was it deliberate?"
)


def _at(fragment: str) -> tuple[int, int]:
    start = TEXT.index(fragment)
    return start, start + len(fragment)


def _claims() -> tuple[Claim, ...]:
    first, second = _at('We did not, in fact, strike\nthe \t"hospital", ever.'), _at("Never.")
    zakharova = Speaker(
        "Maria Zakharova", *_at("Maria Zakharova"), "RUS", "GOV", "Maria Zakharova", "named"
    )
    said = TEXT.index("said «")
    anonymous = Speaker("Officials", *_at("Officials"), anonymous=True, codes=("SYR", "RUS"))
    return (
        Claim(
            first[0],
            second[1],
            ClaimKind.DIRECT,
            Stance.DENY,
            "as saying",
            *_at("as saying"),
            speaker=zakharova,
            via=Relay("TASS", *_at("TASS"), "RUS", None),
            parts=(first, second),
            events=(0, 2),
            why='quote after "as saying:", then "She added:"',
        ),
        Claim(
            *_at("«никогда», the strikes were, perhaps, a mistake"),
            ClaimKind.MIXED,
            Stance.ASSERT,
            "said",
            said,
            said + len("said"),
            speaker=anonymous,
        ),
        Claim(
            *_at("Was it deliberate?"),
            ClaimKind.INDIRECT,
            Stance.QUESTION,
            "",
            0,
            0,
        ),
    )


def _signals() -> tuple[Signal, ...]:
    return (
        Signal(
            *_at("Officials who spoke on condition of anonymity"),
            "Officials who spoke on condition of anonymity",
            "anonymous_source",
            0.875,
            'cue "condition of anonymity"',
        ),
        Signal(*_at("perhaps"), "perhaps", "hedge", 0.1),
    )


def _analysis(
    article_id: str,
    events: tuple[EventMention, ...] = (),
    claims: tuple[Claim, ...] = (),
    signals: tuple[Signal, ...] = (),
) -> Analysis:
    dct = DocumentDate(None, None, "unknown")
    return Analysis(article_id, "test", dct, None, None, (), (), (), events, claims, signals)


def _ledger_with_claims(path: Path, tmp_path: Path) -> Analysis:
    source = tmp_path / "claims.jsonl"
    record = {"text": TEXT, "outlet": 'The "Daily", Moscow'}
    source.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    analysis = _analysis(content_id(TEXT), claims=_claims(), signals=_signals())
    with Ledger.open(path) as ledger:
        ingest(ledger, [source])
        for _ in range(2):  # writing again replaces the rows
            with ledger.transaction():
                write_analyses(ledger.conn, [analysis])
    return analysis


def test_claims_and_signals_round_trip_through_the_ledger(tmp_path: Path) -> None:
    path = tmp_path / "c.duckdb"
    analysis = _ledger_with_claims(path, tmp_path)
    with Ledger.open(path, read_only=True) as ledger:
        stored = read_analysis(ledger.conn, analysis.article_id)
        counts = ledger.conn.execute(
            "SELECT (SELECT count(*) FROM claims), (SELECT count(*) FROM signals)"
        ).fetchone()
    assert stored is not None
    assert stored.claims == analysis.claims
    assert stored.signals == analysis.signals
    assert stored == analysis
    assert counts == (3, 2)


def test_a_schema_3_ledger_migrates_to_4_and_keeps_its_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "v3.duckdb"
    source = tmp_path / "a.jsonl"
    source.write_text(json.dumps({"text": TEXT}) + "\n", encoding="utf-8")
    mention = EventMention(
        *_at("the strikes were, perhaps, a mistake"),
        *_at("strikes"),
        "strikes",
        "ASSAULT",
        "aerial",
        Modality.REPORTED,
        actors=(EventRole("Moscow", *_at("Moscow"), "RUS", "GOV"),),
    )
    old = _analysis(content_id(TEXT), events=(mention,))
    monkeypatch.setattr(store, "MIGRATIONS", MIGRATIONS[:3])
    with Ledger.open(path) as ledger:
        assert ledger.schema_version == 3
        ingest(ledger, [source])
        with ledger.transaction():  # as sitrep at schema 3 wrote its analyses
            summary = {"article_id": old.article_id, "pipeline": old.pipeline, "dct_how": "unknown"}
            bulk_write(ledger.conn, "analyses", ANALYSIS_COLUMNS, [summary])
            row = mention_row(old.article_id, 0, mention)
            # the columns the mentions table had at schema 3 (later migrations add more)
            later = {
                "not_event",
                "killed_start",
                "killed_end",
                "killed_victims",
                "killed_scope",
                "population",
            }
            columns = {k: v for k, v in MENTION_COLUMNS.items() if k not in later}
            bulk_write(ledger.conn, "mentions", columns, [{k: row[k] for k in columns}])
        before = [
            ledger.conn.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
            for table in ("articles", "ingest_log", "analyses", "mentions")
        ]
    monkeypatch.undo()

    with Ledger.open(path) as ledger:
        assert ledger.schema_version == LATEST_VERSION > 3
        after = [
            ledger.conn.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
            for table in ("articles", "ingest_log", "analyses", "mentions")
        ]
        # Later migrations add columns (empty for old rows): the old columns keep their values.
        kept = [
            [row[: len(old_rows[0])] for row in rows]
            for rows, old_rows in zip(after, before, strict=True)
        ]
        assert kept == before and all(before)
        added = [row[len(before[3][0]) :] for row in after[3]]
        assert all(value is None for row in added for value in row)
        assert read_analysis(ledger.conn, old.article_id) == old
        new = _analysis(old.article_id, events=(mention,), claims=_claims(), signals=_signals())
        with ledger.transaction():
            write_analyses(ledger.conn, [new])
        assert read_analysis(ledger.conn, old.article_id) == new


def test_claims_export_carries_spans_sliced_from_the_article_text(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "c.duckdb"
    analysis = _ledger_with_claims(db, tmp_path)
    result = run_cli("--db", db, "export", "claims")
    assert result.code == 0, result.err
    records = [json.loads(line) for line in result.out.splitlines()]
    assert [r["claim_id"] for r in records] == [claim_id(analysis.article_id, i) for i in range(3)]
    first = records[0]
    assert first["speaker"] == {
        "text": "Maria Zakharova",
        "start": TEXT.index("Maria"),
        "end": TEXT.index("Maria") + len("Maria Zakharova"),
        "code": "RUS",
        "sector": "GOV",
        "name": "Maria Zakharova",
        "how": "named",
        "anonymous": False,
        "codes": ["RUS"],
    }
    assert first["via"]["text"] == "TASS" and first["via"]["code"] == "RUS"
    assert (first["kind"], first["stance"], first["event_mentions"]) == ("direct", "deny", [0, 2])
    assert [p["text"] for p in first["parts"]] == [
        'We did not, in fact, strike\nthe \t"hospital", ever.',
        "Never.",
    ]
    for record in records:
        for span in (record["content"], record["cue"], *record["parts"]):
            assert TEXT[span["start"] : span["end"]] == span["text"]
    assert records[1]["speaker"]["anonymous"] is True and records[1]["via"] is None
    assert records[1]["content"]["text"].startswith("«никогда»")
    assert records[2]["speaker"] is None and records[2]["parts"] == []

    signals = [
        json.loads(line) for line in run_cli("--db", db, "export", "signals").out.splitlines()
    ]
    assert signals == [
        {
            "article_id": analysis.article_id,
            "kind": s.kind,
            "start": s.start,
            "end": s.end,
            "text": s.text,
            "score": s.score,
            "why": s.why,
        }
        for s in analysis.signals
    ]


def test_claims_csv_escapes_commas_quotes_and_newlines(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "c.duckdb"
    analysis = _ledger_with_claims(db, tmp_path)
    result = run_cli("--db", db, "export", "claims", "--format", "csv")
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert len(rows) == len(analysis.claims)
    content = json.loads(rows[0]["content"])
    assert content["text"] == TEXT[analysis.claims[0].start : analysis.claims[0].end]
    assert "\n" in content["text"] and '"' in content["text"] and "," in content["text"]
    assert rows[0]["why"] == analysis.claims[0].why
    assert [json.loads(r["content"])["text"] for r in rows] == [
        TEXT[c.start : c.end] for c in analysis.claims
    ]
    signal_rows = list(
        csv.DictReader(io.StringIO(run_cli("--db", db, "export", "signals", "--format", "csv").out))
    )
    assert [r["why"] for r in signal_rows] == [s.why for s in analysis.signals]


@pytest.mark.parametrize("kind", ["claims", "signals"])
def test_claims_and_signals_have_no_geojson(tmp_path: Path, run_cli, kind: str) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "c.duckdb"
    _ledger_with_claims(db, tmp_path)
    result = run_cli("--db", db, "export", kind, "--format", "geojson")
    assert result.code == 2 and result.out == ""
    message = result.err.strip()
    assert message.startswith("Error: ") and "GeoJSON" in message
    assert "\n" not in message and message.endswith(".") and message.count(". ") == 0


def test_claims_and_signals_tables(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "c.duckdb"
    _ledger_with_claims(db, tmp_path)
    lines = run_cli("--db", db, "claims").out.splitlines()
    assert lines[0].split("\t") == ["id", "speaker", "via", "stance", "kind", "content", "outlet"]
    assert len(lines) == 4
    claim_id, *denial = lines[1].split("\t")
    assert claim_id.endswith("-c0")
    assert denial[:4] == ["Maria Zakharova (RUS/GOV)", "TASS (RUS)", "deny", "direct"]
    assert denial[4].startswith("We did not, in fact, strike the") and "\n" not in denial[4]
    assert denial[5] == 'The "Daily", Moscow'
    assert len(run_cli("--db", db, "claims", "--stance", "DENY").out.splitlines()) == 2
    assert len(run_cli("--db", db, "claims", "--speaker", "rus").out.splitlines()) == 2
    assert len(run_cli("--db", db, "claims", "--limit", "1").out.splitlines()) == 2
    assert run_cli("--db", db, "claims", "--stance", "nonsense").code == 2
    signals = run_cli("--db", db, "signals", "--kind", "hedge").out.splitlines()
    assert signals[0].split("\t")[:4] == ["id", "kind", "score", "text"]
    assert [line.split("\t")[1:4] for line in signals[1:]] == [["hedge", "0.10", "perhaps"]]
