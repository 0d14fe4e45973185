"""Running the product on gold articles and reading back what it stored.

Every figure of ``sitrep eval`` on the in-domain gold is computed from the records the
product exports (the README's export schema), after the articles went through the same
path a user's do: ingest from a JSONL file, analysis by the local engine, consolidation,
storage in a ledger. Evaluation code scores those records; it never predicts.

The in-domain gold is analysed fold by fold: each article is decided by the models trained
without its fold (``eval/folds/<k>/``, built by ``sitrep train``), so no figure is read off
data its model was trained or tuned on.
"""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitrep.analyze.builtin import DEFAULT_STAGES
from sitrep.api import analyze, consolidate, export_records, ingest
from sitrep.engines.local import LocalEngine
from sitrep.ledger.store import Ledger


@dataclass
class ProductRun:
    """What the product stored for a set of inputs, as export records by article."""

    articles: dict[str, dict[str, Any]] = field(default_factory=dict)  # article id -> record
    by_external: dict[str, str] = field(default_factory=dict)  # the input's own id -> article id
    mentions: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    claims: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    signals: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    entities: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    analyses: dict[str, dict[str, Any]] = field(default_factory=dict)  # main country, province
    events: list[dict[str, Any]] = field(default_factory=list)  # consolidated

    def article_of(self, external_id: str) -> dict[str, Any]:
        return self.articles[self.by_external[external_id]]


def read_back(ledger: Ledger, with_events: bool) -> ProductRun:
    run = ProductRun()
    for record in export_records(ledger, "articles"):
        run.articles[record["article_id"]] = record
        if record.get("external_id"):
            run.by_external[str(record["external_id"])] = record["article_id"]
    for kind, target in (
        ("mentions", run.mentions),
        ("claims", run.claims),
        ("signals", run.signals),
        ("entities", run.entities),
    ):
        for record in export_records(ledger, kind):
            target[record["article_id"]].append(record)
    for row in ledger.iter_rows("SELECT article_id, main_country, main_admin1 FROM analyses"):
        run.analyses[row["article_id"]] = row
    if with_events:
        run.events = list(export_records(ledger, "events"))
    return run


@contextmanager
def analysed_ledger(
    inputs: Iterable[Path],
    *,
    cache_dir: Path | None = None,
    models_for: Mapping[str, Path | None] | None = None,
    workers: int = 1,
    stages: Sequence[str] = DEFAULT_STAGES,
) -> Iterator[Ledger]:
    """A fresh ledger with ``inputs`` ingested and analysed (each article with the models
    ``models_for`` names for its input id, else the shipped ones), deleted on exit."""
    with tempfile.TemporaryDirectory() as tmp, Ledger.open(Path(tmp) / "eval.duckdb") as ledger:
        ingest(ledger, list(inputs))
        if models_for is None:
            with LocalEngine(cache_dir, workers=workers, stages=stages) as engine:
                analyze(ledger, engine=engine)
        else:
            by_models: dict[Path | None, list[str]] = defaultdict(list)
            for external_id, article_id in external_ids(ledger).items():
                by_models[models_for.get(external_id)].append(article_id)
            for models, ids in sorted(by_models.items(), key=lambda kv: str(kv[0])):
                with LocalEngine(
                    cache_dir, workers=workers, stages=stages, models=models
                ) as engine:
                    analyze(ledger, engine=engine, article_ids=ids)
        yield ledger


def external_ids(ledger: Ledger) -> dict[str, str]:
    """The input's own id -> the article id, for the articles that have one."""
    return {
        str(r["external_id"]): r["article_id"]
        for r in export_records(ledger, "articles")
        if r.get("external_id")
    }


def run_product(
    inputs: Iterable[Path],
    *,
    cache_dir: Path | None = None,
    models_for: Mapping[str, Path | None] | None = None,
    with_events: bool = False,
    workers: int = 1,
    stages: Sequence[str] = DEFAULT_STAGES,
) -> ProductRun:
    """Ingest ``inputs`` into a fresh ledger, analyse them (``analysed_ledger``), consolidate
    when asked (with the shipped models), and return the exported records."""
    with analysed_ledger(
        inputs, cache_dir=cache_dir, models_for=models_for, workers=workers, stages=stages
    ) as ledger:
        if with_events:
            consolidate(ledger, with_statements=False)
        return read_back(ledger, with_events)


def write_jsonl(records: Iterable[Mapping[str, Any]], path: Path) -> Path:
    """Input records as a JSONL file (what a user hands `sitrep run`)."""
    with path.open("w", encoding="utf-8") as stream:
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path
