"""docs/quality.md's generated block: a partial `sitrep eval --stage X` replaces only X."""

from __future__ import annotations

from pathlib import Path

from sitrep.evaluate.metrics import Metric, StageResult
from sitrep.evaluate.runner import BEGIN, END, write_quality_doc


def _result(name: str, value: float) -> StageResult:
    result = StageResult(
        name, f"{name} data", [Metric(f"{name}.figure", "a figure", value, 0.5, 3)]
    )
    result.name = name
    return result


def test_a_partial_run_keeps_the_other_stages_tables(tmp_path: Path) -> None:
    doc = tmp_path / "quality.md"
    doc.write_text("# Quality\n\nHand-written analysis.\n\n" + BEGIN + "\n" + END + "\nTail.\n")
    write_quality_doc([_result("ingest", 0.25), _result("plover", 0.5)], doc)
    write_quality_doc([_result("plover", 0.75)], doc)
    text = doc.read_text()
    assert "Hand-written analysis." in text and text.endswith("Tail.\n")
    assert "(`ingest.figure`) | 0.250" in text  # kept from the first run
    assert "(`plover.figure`) | 0.750" in text and "0.500" not in text  # replaced
    # a rerun stage keeps its place
    write_quality_doc([_result("ingest", 0.375)], doc)
    text = doc.read_text()
    assert "0.375" in text and text.index("ingest.figure") < text.index("plover.figure")


def test_results_outside_the_registry_keep_a_section_each(tmp_path: Path) -> None:
    """`sitrep bench` writes results that no eval stage name covers: one section per stage."""
    doc = tmp_path / "performance.md"
    speed = StageResult("analysis", "bench", [Metric("bench.a", "articles/s", 24.0, 20.0, 9)])
    growth = StageResult("consolidation", "bench", [Metric("bench.c", "growth", 11.0, 12.0, 9)])
    write_quality_doc([speed, growth], doc)
    text = doc.read_text()
    assert "`bench.a`" in text and "`bench.c`" in text


def test_rerunning_a_stage_rewrites_the_block_identically(tmp_path: Path) -> None:
    doc = tmp_path / "quality.md"
    write_quality_doc([_result("ingest", 0.25), _result("plover", 0.5)], doc)
    write_quality_doc([_result("plover", 0.5)], doc)
    once = doc.read_text()
    write_quality_doc([_result("plover", 0.5)], doc)
    write_quality_doc([_result("ingest", 0.25)], doc)
    assert doc.read_text() == once
    assert "\n\n\n" not in once
