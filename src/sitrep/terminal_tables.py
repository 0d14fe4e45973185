"""View records (``sitrep.views``: corrections applied) as the rows of the `events`, `claims`
and `signals` terminal tables. Every table starts with the id `sitrep show` opens and shows
the evidence."""

from __future__ import annotations

from typing import Any

from sitrep.model import date_label

Row = tuple[Any, ...]
CONTENT_WIDTH = 100
EVIDENCE_WIDTH = 120

EVENT_COLUMNS = (
    "id",
    "date",
    "type",
    "actor",
    "recipient",
    "place",
    "killed",
    "voice",
    "outlet",
    "trigger",
    "evidence",
)
CLAIM_COLUMNS = ("id", "speaker", "via", "stance", "kind", "content", "outlet")
SIGNAL_COLUMNS = ("id", "kind", "score", "text", "why", "outlet")
CONSOLIDATED_COLUMNS = (
    "id",
    "date",
    "type",
    "who → whom",
    "place",
    "killed",
    "sources",
    "disagreements",
    "evidence",
)


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


def _flag(record: dict[str, Any]) -> str:
    return " [corrected]" if record.get("corrections") else ""


def event_rows(records: list[dict[str, Any]]) -> list[Row]:
    table = []
    for record in records:
        who, whom = (
            ", ".join(f"{r['code']}/{r['sector'] or '-'}" for r in record[role] if r["code"])
            for role in ("actor", "recipient")
        )
        place = record["place"]["name"] if record["place"] else ""
        kind = record["type"] + (f"/{record['mode']}" if record["mode"] else "")
        voice = record["modality"] + (" [wrong]" if record.get("wrong") else "")
        table.append(
            (
                record["mention_id"] + _flag(record),
                date_label(record["date"]),
                kind,
                who,
                whom,
                place,
                _toll(record["killed"]),
                voice,
                record.get("outlet"),
                record["trigger"]["text"],
                _trim(record["evidence"]["text"], EVIDENCE_WIDTH),
            )
        )
    return table


def claim_rows(records: list[dict[str, Any]]) -> list[Row]:
    table = []
    for record in records:
        who, via = record["speaker"], record["via"]
        said_by = ""
        if who:
            said_by = _coded(who["text"], who["code"], who.get("sector"))
            said_by += " [anonymous]" if who.get("anonymous") else ""
        relayed_by = _coded(via["text"], via["code"]) if via else ""
        content = _trim(record["content"]["text"])
        table.append(
            (
                record["claim_id"] + _flag(record),
                said_by,
                relayed_by,
                record["stance"],
                record["kind"],
                content,
                record.get("outlet"),
            )
        )
    return table


def signal_rows(records: list[dict[str, Any]]) -> list[Row]:
    return [
        (
            r["signal_id"],
            r["kind"],
            f"{r['score']:.2f}",
            _trim(r["text"]),
            r["why"],
            r.get("outlet"),
        )
        for r in records
    ]


def _sources(record: dict[str, Any]) -> str:
    """How many independent accounts tell it (copies and reposts count once), by whom, and
    which outlets only repeat another's."""
    independent = record.get("independent_sources", record["n_articles"])
    sources = record.get("sources")
    outlets = (
        sorted({s["outlet"] or "(no outlet)" for s in sources})
        if sources is not None
        else record["outlets"] or ["(no outlet)"]
    )
    text = f"{independent} independent: " + ", ".join(outlets)
    repeating = record.get("repeating_outlets") or []
    if repeating:
        text += "; repeating: " + ", ".join(
            f"{r['outlet']} ({', '.join(o['outlet'] or o['article_id'] for o in r['repeats'])})"
            for r in repeating
        )
    return text


def disagreement_label(field: dict[str, Any]) -> str:
    """A disagreement's field, with its kind when it is no plain conflict ("perpetrator
    (named vs unknown)")."""
    kind = field.get("kind") or "conflict"
    return str(field["field"]) + (f" ({kind})" if kind != "conflict" else "")


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
        lines.append(f"{disagreement_label(field)}: " + " | ".join(sides))
    return "\n".join(lines)


def consolidated_rows(records: list[dict[str, Any]]) -> list[Row]:
    table = []
    for record in records:
        kind = record["type"] + (f"/{record['mode']}" if record["mode"] else "")
        who = f"{', '.join(record['actors']) or '?'} → {', '.join(record['recipients']) or '?'}"
        place = record["place"]["name"] if record["place"] else ""
        first = record["accounts"][0]["evidence"] if record["accounts"] else ""
        table.append(
            (
                record["event_id"] + _flag(record),
                date_label(record["date"]) or "",
                kind,
                who,
                place,
                _toll(record["killed"]),
                _sources(record),
                _disagreement_lines(record),
                _trim(first, EVIDENCE_WIDTH),
            )
        )
    return table
