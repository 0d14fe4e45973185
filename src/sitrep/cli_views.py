"""The analyst's commands of the CLI: `report`, `serve`, `show`, `correct`. Thin layers over
``sitrep.views``, ``sitrep.report`` and ``sitrep.web``; heavy modules load inside them."""

from __future__ import annotations

import getpass
import json
import os
import secrets
import sys
from pathlib import Path
from typing import Any

import click

from sitrep.errors import UsageError

EXIT_OK = 0


def _db() -> Path:
    """The ledger the `sitrep` group (or the command's own --db) chose."""
    db: Path = click.get_current_context().find_root().obj.db
    return db


def _filter_options(func: Any) -> Any:
    options = [
        click.option(
            "--from", "date_from", metavar="DATE", help="Only incidents on or after DATE."
        ),
        click.option("--to", "date_to", metavar="DATE", help="Only incidents on or before DATE."),
        click.option("--type", "event_type", help="Only this PLOVER type, any case."),
        click.option("--actor", help="Only incidents with this actor code on either side."),
        click.option("--province", help="Only incidents placed in this province."),
        click.option("--outlet", help="Only incidents told by this outlet."),
        click.option("--min-toll", type=int, help="Only incidents with at least this many killed."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def report(
    output: Path,
    limit: int,
    date_from: str | None,
    date_to: str | None,
    event_type: str | None,
    actor: str | None,
    province: str | None,
    outlet: str | None,
    min_toll: int | None,
) -> int:
    """Write the analyst's view as one self-contained offline HTML file: map, timeline,
    incident cards with their sources and disagreements, articles with highlighted spans."""
    from sitrep import terminal
    from sitrep.ledger.store import Ledger
    from sitrep.report import write_report
    from sitrep.views import Filters

    filters = Filters.checked(
        date_from=date_from,
        date_to=date_to,
        type=event_type,
        actor=actor,
        province=province,
        outlet=outlet,
        min_toll=min_toll,
    )
    with Ledger.open(_db(), read_only=True) as ledger:
        stats = write_report(ledger, output, filters, limit=limit)
    terminal.stdout.print(
        f"{stats.path}: {stats.incidents} incidents, {stats.articles} articles, "
        f"{stats.bytes / 1e6:.1f} MB",
        highlight=False,
        markup=False,
    )
    return EXIT_OK


def serve(host: str, port: int, token: str | None) -> int:
    """Serve the web app and the JSON API (docs at /docs) over the ledger. Corrections need
    the token printed at start."""
    import uvicorn

    from sitrep import terminal
    from sitrep.web import create_app

    token = token or os.environ.get("SITREP_TOKEN") or secrets.token_urlsafe(24)
    app = create_app(_db(), token, allowed_hosts=(host,))
    terminal.stdout.print(
        f"sitrep serves {_db()} at http://{host}:{port}/  (API docs: /docs)\n"
        f"write token: {token}\n"
        f"open http://{host}:{port}/#token={token} to correct from the browser",
        highlight=False,
        markup=False,
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")
    return EXIT_OK


def show(identifier: str, as_json: bool) -> int:
    """Open one article, event mention (ARTICLE-m3), claim (ARTICLE-c2) or incident by its id,
    with the spans of text behind it."""
    from sitrep import terminal
    from sitrep.ledger.store import Ledger
    from sitrep.views import show as find

    with Ledger.open(_db(), read_only=True) as ledger:
        found = find(ledger, identifier)
    if found is None:
        raise UsageError(f"Nothing in the ledger has the id {identifier!r}.")
    kind, item = found
    if as_json:
        sys.stdout.write(json.dumps({"kind": kind, "item": item}, ensure_ascii=False, default=str))
        sys.stdout.write("\n")
        return EXIT_OK
    from sitrep.terminal_show import print_item

    print_item(terminal.stdout, kind, item)
    return EXIT_OK


def correct(
    identifier: str,
    action: str,
    field: str | None,
    value: str | None,
    other: str | None,
    who: str | None,
    why: str,
) -> int:
    """Correct a mention, claim or incident: mark it wrong or right, set a field, merge two
    incidents, or split a mention off its incident. Corrections are kept (who, when, why)
    and applied to every view and export; they survive re-runs and re-analysis."""
    from sitrep import terminal
    from sitrep.ledger.store import Ledger
    from sitrep.views import add_correction

    name = who or os.environ.get("SITREP_ANALYST") or getpass.getuser()
    with Ledger.open(_db()) as ledger:
        correction = add_correction(
            ledger, identifier, action, who=name, why=why, field=field, value=value, other_id=other
        )
    terminal.stdout.print(
        f"correction {correction.id} recorded: {correction.action} "
        f"{correction.field or ''} {json.dumps(correction.value) if correction.value else ''} "
        f"on {identifier}",
        highlight=False,
        markup=False,
    )
    return EXIT_OK


def register(group: click.Group) -> None:
    group.command(name="report")(
        click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False, path_type=Path),
            default=Path("report.html"),
            show_default=True,
            help="The HTML file to write.",
        )(
            click.option(
                "--limit",
                type=int,
                default=50_000,
                show_default=True,
                help="Most incidents the report holds (the most widely told first).",
            )(_filter_options(report))
        )
    )
    group.command(name="serve")(
        click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")(
            click.option("--port", type=int, default=8000, show_default=True)(
                click.option(
                    "--token",
                    default=None,
                    help="Write token (default: $SITREP_TOKEN or a new random one).",
                )(serve)
            )
        )
    )
    group.command(name="show")(
        click.argument("identifier")(
            click.option("--json", "as_json", is_flag=True, help="The view as JSON.")(show)
        )
    )
    group.command(name="correct")(
        click.argument("identifier")(
            click.argument(
                "action", type=click.Choice(["wrong", "right", "set", "merge", "split"])
            )(
                click.option(
                    "--field",
                    help="With set: type, actor, recipient, place, date, killed (or, for a "
                    "claim, speaker, stance).",
                )(
                    click.option("--value", help="With set: the new value (actors: RUS,SYR).")(
                        click.option("--other", help="With merge: the other incident's id.")(
                            click.option(
                                "--who", help="Who corrects (default: $SITREP_ANALYST or $USER)."
                            )(
                                click.option("--why", required=True, help="Why (kept with it).")(
                                    correct
                                )
                            )
                        )
                    )
                )
            )
        )
    )
