"""Shared fixtures: the reference data in ../shared/data, temporary ledgers, the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sitrep.cli import main
from sitrep.ledger.store import Ledger

PROJECT = Path(__file__).resolve().parents[1]
DATA = (PROJECT / ".." / "shared" / "data").resolve()
SEEDS = DATA / "seeds"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    assert (DATA / "seeds" / "gold.yaml").exists(), f"reference data missing at {DATA}"
    return DATA


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger.open(tmp_path / "test.duckdb") as opened:
        yield opened


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run `sitrep ARGS...` in-process; returns exit code, stdout and stderr."""

    def invoke(*args: str | Path) -> CliResult:
        capsys.readouterr()
        with pytest.raises(SystemExit) as exited:
            main([str(a) for a in args])
        captured = capsys.readouterr()
        return CliResult(int(exited.value.code or 0), captured.out, captured.err)

    return invoke


@pytest.fixture(scope="session")
def resources(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The analysis resources, loaded once for the whole test session."""
    from sitrep.analyze.core.resources import shared_resources

    return shared_resources(tmp_path_factory.mktemp("cache"))
