"""Ingest quality on the seeds (metadata, boilerplate removal, page splitting, idempotency)
and on the FA-KES dev CSV as a user reads it (its publication dates)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from sitrep.api import ingest
from sitrep.evaluate.metrics import Metric, StageResult, ratio
from sitrep.gold.data import normalise_space, seeds_gold
from sitrep.gold.fakes import fakes_gold
from sitrep.ingest.files import IngestOptions
from sitrep.ledger.store import Ledger
from sitrep.model import Article

FIELDS = ("title", "authors", "outlet", "published")
# The FA-KES CSV's columns under sitrep's record field names, as its README's users pass them
# with --field.
FAKES_FIELDS = {
    "text": "article_content",
    "title": "article_title",
    "published": "date",
    "outlet": "source",
    "id": "unit_id",
}
# The tail of a page after the gold body end: any line at least this long found in the
# stored body counts as leftover boilerplate (shorter lines, like "SYRIA", recur in bodies).
_TAIL_LINE_MIN_CHARS = 25


def _field_value(article: Article, name: str) -> Any:
    if name == "authors":
        return sorted(normalise_space(a) for a in article.authors)
    if name == "published":
        return article.published.isoformat() if article.published else None
    value = getattr(article, name)
    return normalise_space(value) or None


def _gold_value(entry: dict[str, Any], name: str) -> Any:
    value = entry.get(name)
    if name == "authors":
        return sorted(normalise_space(a) for a in value or [])
    if name == "published":
        return str(value) if value else None
    return normalise_space(value) or None


def _leftover_boilerplate(page: str, cue: str, body: str) -> list[str]:
    """Lines of the page from ``cue`` on that survive in ``body`` (whitespace-insensitive)."""
    flat_cue, flat_body = normalise_space(cue), normalise_space(body)
    found = re.search(r"\s+".join(map(re.escape, cue.split())), page)
    if not found:
        return [f"gold cue not found in page: {cue[:40]!r}"]
    tail_lines = [normalise_space(x) for x in page[found.start() :].splitlines()]
    tail_lines = [x for x in tail_lines if len(x) >= _TAIL_LINE_MIN_CHARS]
    leftovers = [x for x in tail_lines if x in flat_body]
    if flat_cue in flat_body:
        leftovers.insert(0, flat_cue)
    return leftovers


def evaluate_ingest(data_dir: Path) -> StageResult:
    gold = seeds_gold(data_dir)
    seeds = data_dir / "seeds"
    result = StageResult("ingest", "seeds (5 pages)")
    with tempfile.TemporaryDirectory() as tmp, Ledger.open(Path(tmp) / "eval.duckdb") as ledger:
        ingest(ledger, [seeds])
        ledger.conn.execute("DELETE FROM input_files")  # force a full re-read
        second = ingest(ledger, [seeds])
        stored = list(ledger.iter_articles())
    by_file: dict[str, list[Article]] = {}
    for article in stored:
        by_file.setdefault(Path(article.origin.source).name, []).append(article)

    right = total = clean = with_cue = split_right = 0
    result.detail.append(["file", *FIELDS, "articles", "boilerplate left"])
    for entry in gold["articles"]:
        articles = sorted(by_file.get(entry["file"], []), key=lambda a: a.page_part or 0)
        row: list[Any] = [entry["file"]]
        for name in FIELDS:
            ok = bool(articles) and _field_value(articles[0], name) == _gold_value(entry, name)
            right, total = right + ok, total + 1
            row.append(
                "ok"
                if ok
                else f"got {_field_value(articles[0], name)!r}"
                if articles
                else "missing"
            )
        expected = 2 if entry.get("contains_multiple_articles") else 1
        split_right += len(articles) == expected
        row.append(f"{len(articles)} (gold {expected})")
        cue = entry.get("body_ends_before")
        if cue and articles:
            with_cue += 1
            page = (seeds / entry["file"]).read_text(encoding="utf-8")
            leftovers = _leftover_boilerplate(page, cue, articles[-1].text)
            clean += not leftovers
            row.append("none" if not leftovers else f"{len(leftovers)}: {leftovers[0][:40]!r}")
        else:
            row.append("n/a")
        result.detail.append(row)

    n = len(gold["articles"])
    result.metrics += [
        Metric(
            "seeds.metadata_fields",
            "title/authors/outlet/date fields right",
            ratio(right, total),
            0.90,
            total,
        ),
        Metric(
            "seeds.boilerplate_free",
            "bodies with no boilerplate from body_ends_before on",
            ratio(clean, with_cue),
            1.0,
            with_cue,
        ),
        Metric(
            "seeds.pages_split_right",
            "pages split into the right number of articles",
            ratio(split_right, n),
            1.0,
            n,
        ),
        Metric(
            "seeds.rerun_new_articles",
            "articles added by a second run (re-reading every file)",
            float(second.new),
            0.0,
            n,
            lower_is_better=True,
        ),
        fakes_published(data_dir),
    ]
    return result


def fakes_published(data_dir: Path) -> Metric:
    """The FA-KES dev CSV ingested as a user would (``--field`` for its column names): of
    the annotated articles, those whose stored publication date is the gold's (the CSV
    writes its dates month first with two-digit years, "2/23/15")."""
    gold = fakes_gold(data_dir)
    options = IngestOptions(fields=FAKES_FIELDS)
    with tempfile.TemporaryDirectory() as tmp, Ledger.open(Path(tmp) / "eval.duckdb") as ledger:
        ingest(ledger, [data_dir / "fakes" / "dev.csv"], options)
        stored = {a.external_id: a.published for a in ledger.iter_articles()}
    right = sum(stored.get(unit) == article.published for unit, article in gold.articles.items())
    return Metric(
        "fakes.ingest.published",
        "FA-KES dev CSV: publication date read as the gold's (annotated articles)",
        ratio(right, len(gold.articles)),
        1.0,
        len(gold.articles),
    )
