"""The product runs behind the regression figures (the seeds, the PLOVER gold standard dev
records, re3d, the 398 FA-KES dev articles), and the lookups the scorers make in them.

Each gold set reaches the product the way a user's files do: the seeds folder as it is, the
others as a JSONL file of records with an ``id`` each (``product.write_jsonl``). The records
are ingested into a fresh ledger, analysed with the shipped models, consolidated where a
figure needs it, and read back as export records (``product.run_product``). The scorers
read those records; nothing here or there predicts or resolves a gold string.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from sitrep.evaluate.product import ProductRun, run_product, write_jsonl
from sitrep.gold.spans import locate

Span = tuple[int, int]
T = TypeVar("T")


@dataclass
class RecordsRun:
    """A JSONL input's product run, with the stored article of each input record."""

    product: ProductRun
    # The input's own id -> the stored article (None when the product stored none). A record
    # whose text repeats an earlier record's is stored once: it maps to that article.
    article_of: dict[str, str | None]

    def text(self, input_id: str) -> str | None:
        article_id = self.article_of.get(input_id)
        return None if article_id is None else str(self.product.articles[article_id]["text"])

    def mentions(self, input_id: str) -> list[dict[str, Any]]:
        article_id = self.article_of.get(input_id)
        return [] if article_id is None else self.product.mentions.get(article_id, [])

    def entities(self, input_id: str) -> list[dict[str, Any]]:
        article_id = self.article_of.get(input_id)
        return [] if article_id is None else self.product.entities.get(article_id, [])

    def analysis(self, input_id: str) -> dict[str, Any]:
        article_id = self.article_of.get(input_id)
        return {} if article_id is None else self.product.analyses.get(article_id, {})


def run_records(
    records: Sequence[dict[str, Any]], name: str, cache_dir: Path | None = None
) -> RecordsRun:
    """``records`` (each with an ``id`` and a ``text``) through the product as the JSONL file
    ``<name>.jsonl``."""
    with tempfile.TemporaryDirectory() as tmp:
        source = write_jsonl(records, Path(tmp) / f"{name}.jsonl")
        product = run_product([source], cache_dir=cache_dir)
    by_text: dict[str, str] = {}
    for article_id, article in product.articles.items():
        by_text.setdefault(article["text"], article_id)
    article_of = {
        str(r["id"]): product.by_external.get(str(r["id"])) or by_text.get(r["text"])
        for r in records
    }
    return RecordsRun(product, article_of)


@dataclass
class SeedRun:
    """The seeds folder through the product (consolidated too), with each page's articles."""

    product: ProductRun
    files: dict[str, list[str]]  # seed file name -> its stored articles, in page order

    def text(self, article_id: str) -> str:
        return str(self.product.articles[article_id]["text"])

    def find(self, file: str, needle: str | None) -> tuple[str, Span] | None:
        """The first stored article of ``file`` whose text holds ``needle``, and where."""
        for article_id in self.files.get(file, []):
            span = locate(self.text(article_id), needle)
            if span is not None:
                return article_id, span
        return None

    def located(
        self,
        entries: Iterable[dict[str, Any]],
        key: str,
        make: Callable[[dict[str, Any], str, Span], T],
    ) -> dict[str, list[T]]:
        """The gold ``entries`` found by their ``key`` text (``find``), each as
        ``make(entry, article id, span)``, by article."""
        found: dict[str, list[T]] = {}
        for entry in entries:
            where = self.find(entry["file"], entry[key])
            if where is not None:
                article_id, span = where
                found.setdefault(article_id, []).append(make(entry, article_id, span))
        return found

    def mentions(self, article_id: str) -> list[dict[str, Any]]:
        return self.product.mentions.get(article_id, [])

    def claims(self, article_id: str) -> list[dict[str, Any]]:
        return self.product.claims.get(article_id, [])

    def signals(self, article_id: str) -> list[dict[str, Any]]:
        return self.product.signals.get(article_id, [])


def run_seeds(data_dir: Path, cache_dir: Path | None = None) -> SeedRun:
    product = run_product([data_dir / "seeds"], cache_dir=cache_dir, with_events=True)
    files: dict[str, list[str]] = {}
    for article_id, article in product.articles.items():  # in ingestion order
        files.setdefault(Path(article["source"]).name, []).append(article_id)
    return SeedRun(product, files)


def plover_records(data_dir: Path) -> list[dict[str, Any]]:
    """The PLOVER gold standard dev records that code an event in a sentence."""
    with (data_dir / "plover" / "gsr-dev.json").open(encoding="utf-8") as stream:
        records: list[dict[str, Any]] = json.load(stream)
    return [r for r in records if r.get("text") and r.get("event") != "DOCUMENT"]


def run_plover(data_dir: Path, cache_dir: Path | None = None) -> RecordsRun:
    inputs = [{"id": r["id"], "text": r["text"]} for r in plover_records(data_dir)]
    return run_records(inputs, "plover-gsr-dev", cache_dir)


def re3d_texts(data_dir: Path) -> dict[str, str]:
    """re3d's documents by id, every source folder."""
    texts: dict[str, str] = {}
    for folder in sorted((data_dir / "re3d").iterdir()):
        if folder.is_dir():
            for line in (folder / "documents.jsonl").read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                texts[record["_id"]] = record["text"]
    return texts


def run_re3d(data_dir: Path, cache_dir: Path | None = None) -> RecordsRun:
    inputs = [{"id": doc_id, "text": text} for doc_id, text in re3d_texts(data_dir).items()]
    return run_records(inputs, "re3d", cache_dir)


def fakes_dev_rows(data_dir: Path) -> list[dict[str, str]]:
    """The rows of FA-KES ``dev.csv`` (398; a few repeat an article under another label)."""
    with (data_dir / "fakes" / "dev.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def _iso(day: str) -> str | None:
    """FA-KES's month/day/year date as ISO 8601 (None when it is not one)."""
    try:
        return datetime.strptime(day.strip(), "%m/%d/%y").date().isoformat()
    except ValueError:
        return None


def fakes_dev_record(row: dict[str, str]) -> dict[str, Any]:
    """One dev.csv row as an input record, as the in-domain run writes them: the article's
    content as its text, its headline, outlet and date beside it."""
    record: dict[str, Any] = {
        "id": row["unit_id"],
        "text": row["article_content"],
        "title": row["article_title"],
        "outlet": row["source"],
    }
    published = _iso(row["date"])
    if published:
        record["published"] = published
    return record


def run_fakes_dev(data_dir: Path, cache_dir: Path | None = None) -> RecordsRun:
    inputs = [fakes_dev_record(row) for row in fakes_dev_rows(data_dir)]
    return run_records(inputs, "fakes-dev", cache_dir)
