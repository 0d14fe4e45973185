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


@pytest.fixture(scope="session")
def fakes_dev_jsonl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """FA-KES dev (../shared/data/fakes/dev.csv) as the JSONL input the in-domain run
    writes: each row's content as its text, with its headline, outlet and date."""
    import json

    from sitrep.evaluate.stored import fakes_dev_record, fakes_dev_rows

    source = tmp_path_factory.mktemp("fakes-dev") / "fakes-dev.jsonl"
    records = [fakes_dev_record(row) for row in fakes_dev_rows(DATA)]
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return source


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


# An article whose every field carries markup and script: it must stay inert text everywhere.
HOSTILE = {
    "id": "hostile-1",
    "title": (
        "@SUM(1)<img src=x onerror=\"window.__pwned='title'\">Strike <script>alert(1)</script>"
    ),
    "outlet": "=HYPERLINK(\"http://evil.test\")<script>window.__pwned='outlet'</script>",
    "authors": ['"><svg onload="window.__pwned=\'author\'">'],
    "url": "javascript:window.__pwned='url'",
    "published": "2017-03-04",
    "text": (
        "Russian jets struck the town of Deir ez-Zor on 3 March 2017, killing 12 people "
        "<img src=x onerror=\"window.__pwned='text'\"> <script>alert('text')</script>, "
        "the Syrian Observatory for Human Rights said. "
        '<a href="javascript:window.__pwned=\'link\'">click</a> =HYPERLINK("http://x")'
    ),
}


@pytest.fixture(scope="session")
def analysed_seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds and the hostile article, ingested, analysed by the rule stages and
    consolidated once per session (copy it before changing it: see ``seeds_copy``). The
    views, web and browser tests check what the faces show of a ledger; what the decision
    layer makes of the seeds is `sitrep eval`'s business (docs/quality.md)."""
    import json

    from sitrep import api
    from sitrep.analyze.builtin import RULE_STAGES
    from sitrep.engines.local import LocalEngine

    folder = tmp_path_factory.mktemp("analysed")
    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    path = folder / "seeds.duckdb"
    with Ledger.open(path) as opened, LocalEngine(None, workers=1, stages=RULE_STAGES) as engine:
        api.run(opened, [SEEDS, hostile], engine=engine)
        api.consolidate(opened, with_statements=False)
    return path


@pytest.fixture
def seeds_copy(analysed_seeds: Path, tmp_path: Path) -> Path:
    import shutil

    copy = tmp_path / "seeds.duckdb"
    shutil.copyfile(analysed_seeds, copy)
    return copy
