"""Terminal presentation for the CLI: tables on stdout, progress and logs on stderr."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.logging import RichHandler
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from sitrep.safetext import printable

if TYPE_CHECKING:
    from sitrep.api import Progress as IngestProgress
    from sitrep.ledger.store import IngestCounts

stdout = Console(soft_wrap=True)
stderr = Console(stderr=True, soft_wrap=True)


def setup_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    handler: logging.Handler
    if stderr.is_terminal:
        handler = RichHandler(console=stderr, show_path=False, show_time=False)
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)


@contextmanager
def progress_bar(label: str, unit: str = "") -> Iterator[Callable[[IngestProgress], None] | None]:
    """A progress callback drawing a bar on stderr (done/total, percentage, rate, time spent and
    the estimate of what is left), or None when stderr is not a terminal. Until the first
    item is done the label says the work is starting (workers loading their models)."""
    if not stderr.is_terminal:
        yield None
        return
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=stderr, transient=True) as bar:
        task = bar.add_task(f"{label} (starting)", total=None, rate="")

        def update(progress: IngestProgress) -> None:
            elapsed = bar.tasks[0].elapsed or 0.0
            rate = f"{progress.done / elapsed:.1f} {unit}/s" if progress.done and elapsed else ""
            description = label if progress.done else f"{label} (starting)"
            bar.update(
                task,
                completed=progress.done,
                total=progress.total,
                rate=rate,
                description=description,
            )

        yield update


@contextmanager
def steps(label: str) -> Iterator[Callable[[str, int, int], None] | None]:
    """A callback showing which step of ``label`` runs (``step``, ``n`` of ``total``) with a
    spinner and the time spent, or None when stderr is not a terminal."""
    if not stderr.is_terminal:
        yield None
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=stderr, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(step: str, n: int, total: int) -> None:
            bar.update(task, description=f"{label}: {step} ({n}/{total})")

        yield update


def summary_line(counts: IngestCounts) -> str:
    parts = [f"{counts.new} new article{'s' if counts.new != 1 else ''}"]
    if counts.revised:
        plural = "s" if counts.revised != 1 else ""
        parts.append(f"{counts.revised} new version{plural} of inputs read before")
    if counts.unchanged:
        parts.append(f"{counts.unchanged} already in the ledger")
    if counts.files_unchanged:
        files = counts.files_unchanged
        parts.append(f"{files} unchanged file{'s' if files != 1 else ''} not read again")
    if counts.duplicates:
        parts.append(f"{counts.duplicates} duplicate{'s' if counts.duplicates != 1 else ''}")
    if counts.skipped:
        detail = ", ".join(f"{reason} {n}" for reason, n in sorted(counts.skipped.items()))
        parts.append(f"{sum(counts.skipped.values())} skipped ({detail})")
    return "; ".join(parts)


def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A rich table on a terminal; tab-separated values when stdout is a pipe. Cells are data:
    control and bidi characters are shown escaped, and rich markup in them is not read."""
    if not stdout.is_terminal:
        print("\t".join(columns))
        for row in rows:
            print("\t".join(printable(v) for v in row))
        return
    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(Text(printable(v, newlines=True)) for v in row))
    stdout.print(table)
