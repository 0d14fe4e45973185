"""The `sitrep` command: a thin layer over the library API.

Data goes to stdout, logs and progress to stderr. Exit codes: 0 all good, 1 some inputs
were skipped or not analysed (or a check failed, or an error the message explains), 2 usage
error, 70 internal error (a bug), 75 the ledger is in use by another process (try again
later), 130 / 143 interrupted by Ctrl-C / SIGTERM (what was done is saved).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from sitrep.errors import LedgerInUseError, SitrepError, UsageError
from sitrep.safetext import printable
from sitrep.version import __version__

# Heavy modules (spaCy, torch, DuckDB, trafilatura, rich) are imported inside the commands
# that need them, so `sitrep --help` and `sitrep --version` answer at once.
if TYPE_CHECKING:
    from sitrep import api, terminal, terminal_tables
    from sitrep.config import default_cache_dir
    from sitrep.engines.local import LocalEngine
    from sitrep.evaluate.metrics import StageResult
    from sitrep.export import article_record, write_records
    from sitrep.export.queries import ROW_EXPORTS
    from sitrep.ingest import FetchOptions, IngestOptions
    from sitrep.ingest.fetch import read_url_file
    from sitrep.ledger.store import IngestCounts, Ledger, default_ledger_path
else:
    from sitrep.lazy import lazy_attribute, lazy_module

    api = lazy_module("sitrep.api")
    terminal = lazy_module("sitrep.terminal")
    terminal_tables = lazy_module("sitrep.terminal_tables")
    default_cache_dir = lazy_attribute("sitrep.config", "default_cache_dir")
    LocalEngine = lazy_attribute("sitrep.engines.local", "LocalEngine")
    article_record = lazy_attribute("sitrep.export", "article_record")
    write_records = lazy_attribute("sitrep.export", "write_records")
    ROW_EXPORTS = lazy_attribute("sitrep.export.queries", "ROW_EXPORTS")
    FetchOptions = lazy_attribute("sitrep.ingest", "FetchOptions")
    IngestOptions = lazy_attribute("sitrep.ingest", "IngestOptions")
    read_url_file = lazy_attribute("sitrep.ingest.fetch", "read_url_file")
    Ledger = lazy_attribute("sitrep.ledger.store", "Ledger")
    default_ledger_path = lazy_attribute("sitrep.ledger.store", "default_ledger_path")

# What `export --format` accepts (sitrep.export.writers.FORMATS, which imports DuckDB; a test
# keeps the two equal) and ingest's page cap (sitrep.ingest.files.DEFAULT_MAX_BYTES, likewise).
FORMATS = ("jsonl", "csv", "parquet", "geojson")
DEFAULT_MAX_BYTES = 10_000_000

EXIT_OK, EXIT_SKIPPED, EXIT_USAGE = 0, 1, 2
EXIT_INTERNAL = 70  # sysexits.h EX_SOFTWARE
EXIT_IN_USE = 75  # sysexits.h EX_TEMPFAIL: another process holds the ledger, try again later
EXIT_SIGNAL_BASE = 128  # the shell's convention: 128 + the signal's number
SKIPS_SHOWN = 20


@dataclass
class Context:
    db: Path
    verbose: int
    db_given: bool = False


def _ctx() -> Context:
    obj = click.get_current_context().find_object(Context)
    assert obj is not None
    return obj


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Ledger file (default: $SITREP_DB or ./sitrep.duckdb).",
)
@click.option(
    "-v",
    "--verbose",
    count=True,
    help="More logging on stderr (-vv for debug); tracebacks on errors.",
)
@click.version_option(__version__, prog_name="sitrep")
@click.pass_context
def cli(ctx: click.Context, db: Path | None, verbose: int) -> None:
    """Turn news about an armed conflict into an evidence ledger."""
    terminal.setup_logging(verbose)
    ctx.obj = Context(db or default_ledger_path(), verbose, db is not None)


def _db_after_command(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    """`sitrep COMMAND --db FILE` as well as `sitrep --db FILE COMMAND` (DESIGN §4)."""
    if value is not None:
        obj = ctx.find_object(Context)
        assert obj is not None
        obj.db, obj.db_given = value, True


def _parse_fields(values: Sequence[str]) -> dict[str, str]:
    fields = {}
    for value in values:
        name, sep, column = value.partition("=")
        if not sep or not name or not column:
            raise UsageError(f"--field takes NAME=COLUMN, not {value!r}.")
        fields[name.strip()] = column.strip()
    return fields


def _report(counts: IngestCounts, ledger: Ledger) -> int:
    terminal.stdout.print(terminal.summary_line(counts), highlight=False)
    if not counts.problems:
        return EXIT_OK
    skipped = ledger.ingest_log(status="skipped")
    for row in skipped[:SKIPS_SHOWN]:
        where = f"{row['source']} ({row['part']})" if row["part"] else row["source"]
        line = f"skipped {printable(where)}: {printable(row['message'])}"
        terminal.stderr.print(line, highlight=False, markup=False)
    if len(skipped) > SKIPS_SHOWN:
        terminal.stderr.print(
            f"... and {len(skipped) - SKIPS_SHOWN} more: see `sitrep log --skipped`."
        )
    return EXIT_SKIPPED


_F = TypeVar("_F", bound=Callable[..., Any])

_input_options = [
    click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path)),
    click.option(
        "--field",
        "fields",
        multiple=True,
        metavar="NAME=COLUMN",
        help="Read a JSONL/CSV field under another name, e.g. text=article_content.",
    ),
    click.option(
        "--max-bytes",
        type=click.IntRange(min=1),
        default=DEFAULT_MAX_BYTES,
        show_default=True,
        help="Largest single page (text/HTML file, record or line) accepted.",
    ),
]


def _with_input_options(func: _F) -> _F:
    for option in reversed(_input_options):
        func = option(func)
    return func


def _ingest_command(
    inputs: Sequence[Path],
    fields: Sequence[str],
    max_bytes: int,
    then_analyze: int | None = None,
    rules_only: bool = False,
) -> int:
    options = IngestOptions(max_bytes=max_bytes, fields=_parse_fields(fields))
    with Ledger.open(_ctx().db) as ledger:
        with terminal.progress_bar("ingest") as progress:
            counts = api.ingest(ledger, inputs, options, on_progress=_checked(progress))
        code = _report(counts, ledger)
        if then_analyze is not None:
            code = max(code, _analyze(ledger, then_analyze, rules_only))
            _consolidate(ledger)
        return code


def _analyze(ledger: Ledger, workers: int, rules_only: bool = False) -> int:
    from sitrep.analyze.builtin import DEFAULT_STAGES, RULE_STAGES

    stages = RULE_STAGES if rules_only else DEFAULT_STAGES
    with (
        LocalEngine(default_cache_dir(), workers=workers or None, stages=stages) as engine,
        terminal.progress_bar("analyse", "articles") as progress,
    ):
        counts = api.analyze(ledger, engine=engine, on_progress=_checked(progress))
    skipped = f", {counts.not_analysable} not in English" if counts.not_analysable else ""
    if counts.failed:
        detail = ", ".join(f"{reason} {n}" for reason, n in sorted(counts.failed.items()))
        skipped += f", {sum(counts.failed.values())} not analysed ({detail})"
    terminal.stdout.print(
        f"{counts.analysed} articles analysed, {counts.already} already analysed{skipped}",
        highlight=False,
    )
    for failure in api.analysis_failures(ledger)[:SKIPS_SHOWN] if counts.failed else []:
        line = f"not analysed {failure['article_id']} ({printable(failure['source'])}): "
        terminal.stderr.print(line + printable(failure["message"]), highlight=False, markup=False)
    return EXIT_SKIPPED if counts.failed else EXIT_OK


def _consolidate(ledger: Ledger) -> None:
    with terminal.steps("consolidate") as on_step:
        summary = api.consolidate(ledger, on_step=on_step)
    terminal.stdout.print(
        f"{summary.events} events, {summary.across_articles} told by several articles, "
        f"{summary.with_disagreements} with disagreements, "
        f"{summary.same_statements} statements reported by several articles; "
        f"{summary.duplicate_articles} near-duplicate articles, "
        f"{summary.reused_passages} reused passages"
        + ("; nothing new since the last consolidation" if len(summary.unchanged) == 2 else ""),
        highlight=False,
    )


_workers_option = click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=0,
    help="Worker processes for analysis (default: one per core).",
)
_rules_only_option = click.option(
    "--rules-only",
    is_flag=True,
    help="Analyse with the rules alone, without the learned decision layer.",
)


@cli.command()
@_with_input_options
@_workers_option
@_rules_only_option
def run(
    inputs: tuple[Path, ...],
    fields: tuple[str, ...],
    max_bytes: int,
    workers: int,
    rules_only: bool,
) -> int:
    """Ingest INPUTS (files, folders), analyse and consolidate them; safe to re-run and to
    resume."""
    return _ingest_command(inputs, fields, max_bytes, then_analyze=workers, rules_only=rules_only)


@cli.command()
@_workers_option
@_rules_only_option
def analyze(workers: int, rules_only: bool) -> int:
    """Analyse the articles not yet analysed by this pipeline (entities, places, dates,
    numbers, events, claims, signals)."""
    with Ledger.open(_ctx().db) as ledger:
        return _analyze(ledger, workers, rules_only)


@cli.command()
def consolidate() -> int:
    """Cluster event mentions into events across sources, with their disagreements."""
    with Ledger.open(_ctx().db) as ledger:
        _consolidate(ledger)
    return EXIT_OK


@cli.command()
@_with_input_options
def ingest(inputs: tuple[Path, ...], fields: tuple[str, ...], max_bytes: int) -> int:
    """Read INPUTS (text, HTML, JSONL, CSV, WARC files or folders) into the ledger."""
    return _ingest_command(inputs, fields, max_bytes)


@cli.command()
@click.argument("url_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--delay",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    help="Seconds between requests to one host.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=4,
    show_default=True,
    help="Hosts fetched in parallel.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=20.0,
    show_default=True,
    help="Seconds to wait for a server to connect or send more.",
)
@click.option(
    "--max-time",
    type=click.FloatRange(min=0, min_open=True),
    default=120.0,
    show_default=True,
    help="Seconds one page may take in all, redirects included.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    help="Largest page accepted.",
)
@click.option("--ignore-robots", is_flag=True, help="Fetch even where robots.txt forbids it.")
def fetch(
    url_file: Path,
    delay: float,
    concurrency: int,
    timeout: float,
    max_time: float,
    max_bytes: int,
    ignore_robots: bool,
) -> int:
    """Download the URLs listed in URL_FILE (one per line) and ingest the pages."""
    urls = read_url_file(url_file)
    options = FetchOptions(
        max_bytes=max_bytes,
        timeout=timeout,
        max_time=max_time,
        concurrency=concurrency,
        per_host_delay=delay,
        obey_robots=not ignore_robots,
    )
    with Ledger.open(_ctx().db) as ledger, terminal.progress_bar("fetch") as progress:
        counts = api.fetch(ledger, urls, options, on_progress=_checked(progress))
        return _report(counts, ledger)


@cli.command()
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    help="Rows to show (0 for all).",
)
@click.option("--outlet", help="Only articles from this outlet.")
@click.option("--language", help="Only articles in this language (ISO 639-1).")
def articles(limit: int, outlet: str | None, language: str | None) -> int:
    """List the articles in the ledger."""
    clauses, params = [], []
    for column, value in (("outlet", outlet), ("language", language)):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    with Ledger.open(_ctx().db, read_only=True) as ledger:
        rows: list[tuple[Any, ...]] = []
        for article in ledger.iter_articles(" AND ".join(clauses), params):
            if limit and len(rows) >= limit:
                break
            rows.append(
                (
                    article.id,
                    article.published,
                    article.outlet,
                    ", ".join(article.authors),
                    (article.title or "")[:80],
                    article.language,
                    article.word_count,
                    article.origin.describe(),
                )
            )
    columns = ("id", "published", "outlet", "authors", "title", "lang", "words", "source")
    terminal.print_table("Articles", columns, rows)
    return EXIT_OK


@cli.command(name="log")
@click.option("--skipped", is_flag=True, help="Only inputs that were skipped.")
def ingest_log(skipped: bool) -> int:
    """Show what became of every input: ingested, or skipped and why."""
    with Ledger.open(_ctx().db, read_only=True) as ledger:
        rows = [
            (r["source"], r["part"], r["status"], r["reason"], r["article_id"], r["message"])
            for r in ledger.ingest_log("skipped" if skipped else None)
        ]
    terminal.print_table(
        "Ingest log", ("source", "part", "status", "reason", "article", "message"), rows
    )
    return EXIT_OK


# What `export` accepts and which kinds map (sitrep.views.exports, which imports DuckDB; a
# test keeps them equal).
EXPORT_KINDS = (
    "articles",
    "entities",
    "mentions",
    "claims",
    "signals",
    "events",
    "reuse",
    "revisions",
    "corrections",
)
GEOJSON_KINDS = ("articles", "entities", "mentions", "events")


@cli.command()
@click.argument("kind", type=click.Choice(EXPORT_KINDS))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: stdout).",
)
def export(kind: str, fmt: str, output: Path | None) -> int:
    """Export KIND from the ledger (the stable records of the README's export schema), with
    analysts' corrections applied; `export corrections` writes the corrections themselves
    (training data)."""
    if fmt == "parquet" and output is None:
        raise UsageError("Parquet export needs an output file: add -o FILE.")
    if fmt == "geojson" and kind not in GEOJSON_KINDS:
        raise UsageError(
            f"{kind.capitalize()} have no place to map, so GeoJSON does not apply: "
            "use --format jsonl, csv or parquet."
        )
    with Ledger.open(_ctx().db, read_only=True) as ledger:
        from sitrep.views.exports import export_records

        count = write_records(export_records(ledger, kind), fmt, output or sys.stdout)
    terminal.stderr.print(f"exported {count} {kind}", highlight=False)
    return EXIT_OK


_limit_option = click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=100,
    show_default=True,
    help="Rows to show (0 for all).",
)


def _table(
    title: str,
    columns: Sequence[str],
    lister: Callable[..., tuple[int, list[dict[str, Any]]]],
    to_rows: Callable[[list[dict[str, Any]]], list[tuple[Any, ...]]],
    filters: dict[str, Any],
    limit: int,
) -> int:
    """A terminal table of a views list (filters checked, corrections applied)."""
    from sitrep.views import Filters, Page
    from sitrep.views.filters import MAX_PAGE

    checked = Filters.checked(**filters)
    with Ledger.open(_ctx().db, read_only=True) as ledger:
        records: list[dict[str, Any]] = []
        total = None
        while total is None or len(records) < min(total, limit or total):
            size = min(MAX_PAGE, (limit or MAX_PAGE) - len(records) if limit else MAX_PAGE)
            total, page = lister(ledger, checked, Page(max(1, size), len(records)))
            if not page:
                break
            records += page
    rows = to_rows(records[: limit or None])
    terminal.print_table(title, columns, rows)
    if limit and total is not None and total > limit:
        terminal.stderr.print(f"{limit} of {total} shown: --limit 0 shows all.", highlight=False)
    return EXIT_OK


@cli.command()
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="Also mentions that are not events (hypothetical, negated …).",
)
@click.option("--type", "event_type", help="Only this PLOVER type (ASSAULT, ACCUSE …), any case.")
@click.option("--actor", help="Only events with this actor code on either side (any case).")
@click.option("--province", help="Only events placed in this province (any case).")
@click.option("--outlet", help="Only events told by this outlet (any case).")
@click.option("--modality", help="Only mentions with this modality (asserted, reported …).")
@click.option("--from", "date_from", metavar="DATE", help="Only events on or after DATE.")
@click.option("--to", "date_to", metavar="DATE", help="Only events on or before DATE.")
@click.option("--min-toll", type=int, help="Only events with at least this many killed.")
@click.option(
    "--consolidated",
    is_flag=True,
    help="Events across sources: each with its sources and where their accounts disagree.",
)
@click.option(
    "--min-articles",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="With --consolidated: told by at least N articles.",
)
@_limit_option
def events(
    show_all: bool,
    event_type: str | None,
    actor: str | None,
    province: str | None,
    outlet: str | None,
    modality: str | None,
    date_from: str | None,
    date_to: str | None,
    min_toll: int | None,
    consolidated: bool,
    min_articles: int,
    limit: int,
) -> int:
    """Event mentions: type, who did it to whom, where, when, how many killed, in whose voice,
    with their ids and evidence (or, with --consolidated, events across sources with their
    disagreements). `sitrep show ID` opens one."""
    from sitrep import views

    filters = {
        "type": event_type,
        "actor": actor,
        "province": province,
        "outlet": outlet,
        "modality": modality,
        "date_from": date_from,
        "date_to": date_to,
        "min_toll": min_toll,
    }
    if consolidated:
        return _table(
            "Consolidated events",
            terminal_tables.CONSOLIDATED_COLUMNS,
            views.list_incidents,
            terminal_tables.consolidated_rows,
            {**filters, "min_articles": min_articles},
            limit,
        )
    return _table(
        "Event mentions",
        terminal_tables.EVENT_COLUMNS,
        views.list_mentions,
        terminal_tables.event_rows,
        {**filters, "include_all": show_all},
        limit,
    )


@cli.command()
@click.option("--stance", help="Only claims with this stance (assert, deny, accuse …).")
@click.option("--speaker", metavar="CODE", help="Only claims whose speaker has this actor code.")
@click.option("--outlet", help="Only claims in articles of this outlet (any case).")
@_limit_option
def claims(stance: str | None, speaker: str | None, outlet: str | None, limit: int) -> int:
    """Claims: who says what (and through whom), with what stance, in which outlet."""
    from sitrep import views

    return _table(
        "Claims",
        terminal_tables.CLAIM_COLUMNS,
        views.list_claims,
        terminal_tables.claim_rows,
        {"stance": stance, "speaker": speaker, "outlet": outlet},
        limit,
    )


@cli.command()
@click.option("--kind", help="Only signals of this kind (e.g. anonymous_source), any case.")
@_limit_option
def signals(kind: str | None, limit: int) -> int:
    """Signals: spans that show how a text persuades or sources itself."""
    from sitrep import views

    if kind:
        _check_signal_kind(kind)
    return _table(
        "Signals",
        terminal_tables.SIGNAL_COLUMNS,
        views.list_signals,
        terminal_tables.signal_rows,
        {"kind": kind},
        limit,
    )


def _check_signal_kind(kind: str) -> None:
    with Ledger.open(_ctx().db, read_only=True) as ledger:
        known = sorted(
            r[0] for r in ledger.conn.execute("SELECT DISTINCT kind FROM signals").fetchall()
        )
    if known and kind.casefold() not in {k.casefold() for k in known}:
        raise UsageError(f"Unknown signal kind {kind!r}: choose from {', '.join(known)}.")


@cli.command()
def demo() -> int:
    """Run sitrep on its bundled, illustrative example corpus (ledger: ./sitrep-demo.duckdb)."""
    from sitrep.demo import demo_inputs

    given = _db_given() or bool(os.environ.get("SITREP_DB"))
    db = _ctx().db if given else Path("sitrep-demo.duckdb")
    with Ledger.open(db) as ledger:
        counts = api.ingest(ledger, demo_inputs())
        code = max(_report(counts, ledger), _analyze(ledger, 0))
        _consolidate(ledger)
        fields = ("published", "outlet", "title", "main_country", "main_admin1", "places", "actors")
        rows = [tuple(r[f] for f in fields) for r in ledger.iter_rows(DEMO_SUMMARY)]
    columns = ("published", "outlet", "title", "country", "province", "places", "actors")
    terminal.print_table(f"Demo ledger {db}", columns, rows)
    return code


DEMO_SUMMARY = """
SELECT a.published, a.outlet, a.title, n.main_country, n.main_admin1,
       count(e.place_name) AS places, count(e.actor_code) AS actors
FROM articles a
LEFT JOIN analyses n ON n.article_id = a.id
LEFT JOIN entities e ON e.article_id = a.id
GROUP BY a.seq, a.published, a.outlet, a.title, n.main_country, n.main_admin1
ORDER BY a.seq
"""


_data_option = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Reference data folder (default: ../shared/data).",
)


def _doc_option(default: str) -> Callable[[_F], _F]:
    return click.option(
        "--doc",
        type=click.Path(dir_okay=False, path_type=Path),
        default=Path(default),
        show_default=True,
        help="Markdown file whose generated block receives the figures.",
    )


@cli.command(name="eval")
@_data_option
@click.option("--stage", "stages", multiple=True, help="Only these stages (default: all).")
@_doc_option("docs/quality.md")
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("eval/baseline.json"),
    show_default=True,
    help="Figures a change must not fall below.",
)
@click.option("--update-baseline", is_flag=True, help="Record these figures as the new baseline.")
@click.option(
    "--folds-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("eval/folds"),
    show_default=True,
    help="The per-fold models the in-domain gold is decided with (built by `sitrep train`).",
)
@click.option(
    "--rules-only", is_flag=True, help="Analyse the in-domain gold without the decision layer."
)
def evaluate(
    data_dir: Path | None,
    stages: tuple[str, ...],
    doc: Path,
    baseline: Path,
    update_baseline: bool,
    folds_dir: Path,
    rules_only: bool,
) -> int:
    """Score every stage against the gold data; exit 1 if a figure fell below the baseline."""
    from sitrep.analyze.builtin import DEFAULT_STAGES, RULE_STAGES
    from sitrep.evaluate import runner
    from sitrep.evaluate.context import EvalContext
    from sitrep.gold.data import find_data_dir

    unknown = set(stages) - set(runner.STAGES)
    if unknown:
        raise UsageError(
            f"Unknown stage {sorted(unknown)[0]!r}; choose from {', '.join(runner.STAGES)}."
        )
    if rules_only or folds_dir != Path("eval/folds"):
        if update_baseline:
            raise UsageError(
                "The baseline records the shipped configuration: drop --update-baseline."
            )
        if doc == Path("docs/quality.md"):
            raise UsageError(
                "docs/quality.md holds the shipped configuration's figures: add --doc FILE."
            )
    data = find_data_dir(data_dir)
    context = EvalContext(
        data, default_cache_dir(), folds_dir, RULE_STAGES if rules_only else DEFAULT_STAGES
    )
    results = runner.run_stages(data, stages or None, context=context)
    _print_results(results)
    if doc.parent.is_dir():
        runner.write_quality_doc(results, doc, known=runner.STAGES)
    lowered = baseline.with_name("baseline-lowered.yaml")
    if update_baseline:
        refused = runner.update_baseline(results, baseline, lowered)
        for sentence in refused:
            terminal.stderr.print(f"baseline: {sentence}", highlight=False)
        return EXIT_SKIPPED if refused else EXIT_OK
    complete = not stages
    problems = (
        runner.check_baseline(results, baseline, lowered, complete) if baseline.exists() else []
    )
    for problem in problems:
        terminal.stderr.print(f"regression: {problem}", highlight=False)
    return EXIT_SKIPPED if problems else EXIT_OK


@cli.command()
@_data_option
@click.option(
    "--folds-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("eval/folds"),
    show_default=True,
    help="Where the per-fold models evaluation decides each held-out fold with go.",
)
@click.option("--folds-only", is_flag=True, help="Build the per-fold models, not the shipped ones.")
@click.option(
    "--incidents-only",
    is_flag=True,
    help="Build only the incident model (from the decision models already built).",
)
@click.option(
    "--assertions-only",
    is_flag=True,
    help="Build only the unattributed-assertion heads (from the per-fold models already built).",
)
@click.option(
    "--sources",
    default="uds,ecb,ngec,roles",
    show_default=True,
    help="Open corpora whose auxiliary heads to train and use (comma-separated; '' for none).",
)
@click.option(
    "--drop",
    metavar="REGEX",
    help="An ablation: train without the features whose names match (e.g. 't[0-9]+').",
)
def train(
    data_dir: Path | None,
    folds_dir: Path,
    folds_only: bool,
    incidents_only: bool,
    assertions_only: bool,
    sources: str,
    drop: str | None,
) -> int:
    """Build the decision models from the reference data (reproducibly; takes minutes)."""
    from sitrep.gold.data import find_data_dir
    from sitrep.train.run import train_all

    def say(line: str) -> None:
        terminal.stderr.print(line, highlight=False)

    if incidents_only and assertions_only:
        raise UsageError("Choose one of --incidents-only and --assertions-only.")
    data, cache = find_data_dir(data_dir), default_cache_dir()
    if incidents_only:
        from sitrep.train.incidents import train_incidents

        written, _figures = train_incidents(
            data, folds_dir, cache_dir=cache, progress=say, folds_only=folds_only
        )
    elif assertions_only:
        from sitrep.train.run import train_assertions

        written = train_assertions(
            data, folds_dir, cache_dir=cache, progress=say, folds_only=folds_only, drop=drop
        )
    else:
        written = train_all(
            data,
            folds_dir,
            cache_dir=cache,
            progress=say,
            folds_only=folds_only,
            sources=[s.strip() for s in sources.split(",") if s.strip()],
            drop=drop,
        ).written
    say(f"wrote {len(written)} files")
    return EXIT_OK


@cli.command()
@_data_option
@click.option("--stage", "stages", multiple=True, help="Only these benches (default: all).")
@_doc_option("docs/performance.md")
def bench(data_dir: Path | None, stages: tuple[str, ...], doc: Path) -> int:
    """Measure speed (articles/s, words/s, peak memory, report size, API latency) here."""
    from sitrep.evaluate import runner
    from sitrep.evaluate.bench import BENCHES
    from sitrep.gold.data import find_data_dir

    unknown = set(stages) - set(BENCHES)
    if unknown:
        raise UsageError(f"Unknown bench {sorted(unknown)[0]!r}; choose from {', '.join(BENCHES)}.")
    found = find_data_dir(data_dir)
    results = [run(found) for name, run in BENCHES.items() if not stages or name in stages]
    _print_results(results)
    if doc.parent.is_dir():
        runner.write_quality_doc(results, doc)
    return EXIT_OK


def _print_results(results: list[StageResult]) -> None:
    for result in results:
        rows = [
            (
                m.key,
                m.label,
                f"{m.value:.3f}" if abs(m.value) < 10 else f"{m.value:,.0f}",
                "" if m.target is None else m.target,
                {True: "met", False: "MISSED", None: ""}[m.met],
                m.support,
            )
            for m in result.metrics
        ]
        terminal.print_table(
            f"{result.stage} — {result.dataset}",
            ("key", "figure", "value", "target", "status", "n"),
            rows,
        )


def _db_given() -> bool:
    return _ctx().db_given


def _register_db_option() -> None:
    """Every command also takes --db after its name."""
    from sitrep import cli_views

    cli_views.register(cli)
    for command in cli.commands.values():
        command.params.append(
            click.Option(
                ["--db"],
                type=click.Path(dir_okay=False, path_type=Path),
                expose_value=False,
                callback=_db_after_command,
                help="Ledger file (default: $SITREP_DB or ./sitrep.duckdb).",
            )
        )


_register_db_option()


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: maps errors to one sentence and an exit code."""
    verbose = any(a in ("-v", "-vv", "--verbose") for a in (argv or sys.argv[1:]))
    _stop.clear()
    in_main_thread = threading.current_thread() is threading.main_thread()
    signals = _STOP_SIGNALS if in_main_thread else ()  # handlers can be set only there
    previous = {signum: signal.signal(signum, _terminated) for signum in signals}
    try:
        code = cli.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.ClickException as exc:
        exc.show()
        code = EXIT_USAGE
    except (click.exceptions.Abort, KeyboardInterrupt) as exc:  # click wraps Ctrl-C in Abort
        cause = exc.__cause__ if isinstance(exc, click.exceptions.Abort) else exc
        code = _interrupted(cause.signum if isinstance(cause, Terminated) else signal.SIGINT)
    except UsageError as exc:
        _error(exc)
        code = EXIT_USAGE
    except LedgerInUseError as exc:
        _error(exc)
        code = EXIT_IN_USE
    except SitrepError as exc:
        _error(exc)
        code = EXIT_SKIPPED
    except BrokenPipeError:
        code = EXIT_OK  # the reader (head, less) went away: not an error of ours
    except Exception as exc:
        if verbose:
            traceback.print_exc()
        message = f"Internal error ({type(exc).__name__}: {exc}); run with -v for the traceback."
        terminal.stderr.print(printable(message), highlight=False, markup=False)
        code = EXIT_INTERNAL
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    sys.exit(code if isinstance(code, int) else EXIT_OK)


class Terminated(KeyboardInterrupt):
    """Ctrl-C or SIGTERM, raised where the program is, so that what was done is committed on
    the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_stop: list[int] = []  # signals received: an exception raised inside C code can be lost
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _terminated(signum: int, _frame: object) -> None:
    _stop.append(signum)
    raise Terminated(signum)


def _checked(progress: Callable[[api.Progress], None] | None) -> Callable[[api.Progress], None]:
    """A progress callback that also stops the run at the next checkpoint (each input, batch
    or chunk) if a SIGTERM came while C code (DuckDB) ran and swallowed its exception."""

    def callback(update: api.Progress) -> None:
        if _stop:
            raise Terminated(_stop[0])
        if progress is not None:
            progress(update)

    return callback


def _interrupted(signum: int) -> int:
    name = signal.Signals(signum).name
    terminal.stderr.print(
        f"Interrupted by {name}: what was finished is saved; run the same command again to go on.",
        highlight=False,
        markup=False,
    )
    return EXIT_SIGNAL_BASE + signum


def _error(exc: Exception) -> None:
    terminal.stderr.print(f"Error: {printable(exc)}", highlight=False, markup=False)
