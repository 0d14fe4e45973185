"""Analysis results in the ledger: round trips, idempotency, the entities export."""

from __future__ import annotations

import json
from pathlib import Path

from sitrep import Ledger, ingest
from sitrep.api import analyze
from sitrep.engines.local import LocalEngine
from sitrep.export import entity_record
from sitrep.ledger.layers import entity_from_row, entity_row, read_analysis
from sitrep.model import EntityKind, EntityMention, PlacePrecision, PlaceRef

from .conftest import SEEDS


def test_analysis_round_trips_through_the_ledger_and_is_idempotent(
    ledger: Ledger, resources, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    ingest(ledger, [SEEDS / "004_eceadabca35864d4.txt"])
    engine = LocalEngine(None, workers=1)
    first = analyze(ledger, engine=engine)
    assert first.analysed == 1
    before = ledger.conn.execute("SELECT * FROM entities ORDER BY idx").fetchall()
    again = analyze(ledger, engine=engine)
    assert again.analysed == 0 and again.already == 1
    assert ledger.conn.execute("SELECT * FROM entities ORDER BY idx").fetchall() == before
    article = next(ledger.iter_articles())
    stored = read_analysis(ledger.conn, article.id)
    assert stored is not None and stored.main_country == "SYR"
    from sitrep.analyze.core.pipeline import Analyzer
    from sitrep.engines.local import to_analysis

    fresh = to_analysis(Analyzer(resources).analyze(article), stored.pipeline)
    assert fresh == stored


def test_entities_export_carries_codes_and_coordinates(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "e.duckdb"
    assert (
        run_cli("--db", db, "run", SEEDS / "004_eceadabca35864d4.txt", "--workers", "1").code == 0
    )
    result = run_cli("--db", db, "export", "entities")
    records = [json.loads(line) for line in result.out.splitlines()]
    assert records and all(
        {"article_id", "span", "label", "kind", "actor", "place"} <= set(r) for r in records
    )
    text = next(Ledger.open(db, read_only=True).iter_articles()).text
    for record in records:
        span = record["span"]
        assert text[span["start"] : span["end"]] == span["text"]
    coded = [r for r in records if r["actor"]]
    located = [r for r in records if r["place"]]
    assert any(r["actor"]["code"] == "USA" for r in coded)
    assert any(r["place"]["admin1"] == "Deir ez-Zor" for r in located)


def test_entity_records_follow_the_ledger_rows() -> None:
    place = PlaceRef("Syria", 35.0, 38.5, PlacePrecision.COUNTRY, "SYR", how="country")
    mention = EntityMention(0, 5, "Syria", "GPE", EntityKind.LOCATION, "ruler", place=place)
    row = entity_row("a", 0, mention)
    assert entity_from_row(row) == mention
    record = entity_record(row)
    assert record["span"] == {"text": "Syria", "start": 0, "end": 5}
    assert record["place"]["precision"] == "country" and record["actor"] is None
