"""Ledger rows as the rows of the `events`, `claims` and `signals` terminal tables."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sitrep.export import claim_record, consolidated_record, mention_record, signal_record

Row = tuple[Any, ...]
CONTENT_WIDTH = 100

EVENT_COLUMNS = (
    "date",
    "type",
    "actor",
    "recipient",
    "place",
    "killed",
    "voice",
    "outlet",
    "trigger",
)
CLAIM_COLUMNS = ("speaker", "via", "stance", "kind", "content", "outlet")
SIGNAL_COLUMNS = ("kind", "score", "text", "why", "outlet")
CONSOLIDATED_COLUMNS = ("date", "type", "who → whom", "place", "killed", "sources", "disagreements")


def _first(
    rows: Iterable[dict[str, Any]],
    keep: Callable[[dict[str, Any]], bool],
    limit: int,
) -> Iterator[dict[str, Any]]:
    """The first ``limit`` rows that ``keep`` accepts (all of them for a limit of 0)."""
    return itertools.islice(filter(keep, rows), limit or None)


def _trim(text: str | None, width: int = CONTENT_WIDTH) -> str:
    """One line of at most ``width`` characters."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def _coded(text: str, code: str | None, sector: str | None = None) -> str:
    """Words with the actor they resolve to: ``the spokesman (RUS/GOV)``."""
    if not code:
        return text
    return f"{text} ({code}/{sector})" if sector else f"{text} ({code})"


def _toll(killed: dict[str, Any] | None) -> str:
    """ "62–100", "4" (an exact count), "20–?" (at least 20), or nothing."""
    if not killed:
        return ""
    low, high = killed["low"], killed["high"]
    return str(low) if high == low else f"{low}–{high if high is not None else '?'}"


def event_rows(
    rows: Iterable[dict[str, Any]], *, show_all: bool, event_type: str | None, limit: int
) -> list[Row]:
    def keep(row: dict[str, Any]) -> bool:
        wanted = not event_type or row["type"] == event_type.upper()
        return wanted and (show_all or bool(row["counts"]))

    table = []
    for row in _first(rows, keep, limit):
        record = mention_record(row)
        who, whom = (
            ", ".join(f"{r['code']}/{r['sector'] or '-'}" for r in record[role] if r["code"])
            for role in ("actor", "recipient")
        )
        killed = record["killed"]
        toll = _toll(killed)
        place = record["place"]["name"] if record["place"] else ""
        kind = record["type"] + (f"/{record['mode']}" if record["mode"] else "")
        voice = record["modality"]
        when = record["date"]["value"]
        trigger = record["trigger"]["text"]
        table.append((when, kind, who, whom, place, toll, voice, row["outlet"], trigger))
    return table


def claim_rows(
    rows: Iterable[dict[str, Any]], *, stance: str | None, speaker: str | None, limit: int
) -> list[Row]:
    def keep(row: dict[str, Any]) -> bool:
        code = (row["speaker_code"] or "").upper()
        return (not stance or row["stance"] == stance.lower()) and (
            not speaker or code == speaker.upper()
        )

    table = []
    for row in _first(rows, keep, limit):
        record = claim_record(row)
        who, via = record["speaker"], record["via"]
        said_by = ""
        if who:
            said_by = _coded(who["text"], who["code"], who["sector"])
            said_by += " [anonymous]" if who["anonymous"] else ""
        relayed_by = _coded(via["text"], via["code"]) if via else ""
        content = _trim(record["content"]["text"])
        table.append(
            (said_by, relayed_by, record["stance"], record["kind"], content, row["outlet"])
        )
    return table


def signal_rows(rows: Iterable[dict[str, Any]], *, kind: str | None, limit: int) -> list[Row]:
    def keep(row: dict[str, Any]) -> bool:
        return not kind or row["kind"].casefold() == kind.casefold()

    table = []
    for row in _first(rows, keep, limit):
        record = signal_record(row)
        score = f"{record['score']:.2f}"
        table.append((record["kind"], score, _trim(record["text"]), record["why"], row["outlet"]))
    return table


def _sources(record: dict[str, Any]) -> str:
    outlets = record["outlets"] or ["(no outlet)"]
    return f"{record['n_articles']} articles: " + ", ".join(outlets)


def _disagreement_lines(record: dict[str, Any]) -> str:
    """One line per field: each value with who gives it ("intent: mistake (The US government)
    | deliberate (Maria Zakharova via TASS, …)")."""
    lines = []
    for field in record["disagreements"]:
        sides = []
        for value in field["values"]:
            givers = [
                s["source"] + (f" via {s['via']}" if s["via"] else "") for s in value["sources"]
            ]
            sides.append(f"{value['value']} ({_trim('; '.join(givers), 60)})")
        lines.append(f"{field['field']}: " + " | ".join(sides))
    return "\n".join(lines)


def consolidated_rows(
    rows: Iterable[dict[str, Any]], *, event_type: str | None, min_articles: int, limit: int
) -> list[Row]:
    def keep(row: dict[str, Any]) -> bool:
        wanted = not event_type or row["type"] == event_type.upper()
        return wanted and int(row["n_articles"]) >= min_articles

    table = []
    for row in _first(rows, keep, limit):
        record = consolidated_record(row)
        killed = record["killed"]
        toll = _toll(killed)
        kind = record["type"] + (f"/{record['mode']}" if record["mode"] else "")
        who = f"{', '.join(record['actors']) or '?'} → {', '.join(record['recipients']) or '?'}"
        place = record["place"]["name"] if record["place"] else ""
        table.append(
            (
                record["date"]["value"] or "",
                kind,
                who,
                place,
                toll,
                _sources(record),
                _disagreement_lines(record),
            )
        )
    return table
