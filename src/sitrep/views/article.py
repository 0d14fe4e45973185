"""One article as the analyst reads it: its text and every span sitrep found in it (event
mentions, claims with their speaker and relay, signals), each with the words that explain it;
and `show ID` for any article, mention, claim or incident."""

from __future__ import annotations

from typing import Any

from sitrep.ledger.store import Ledger
from sitrep.model import article_record, date_label
from sitrep.views.corrections import CorrectionSet, target_kind
from sitrep.views.filters import Filters, Page
from sitrep.views.incidents import incident, list_incidents
from sitrep.views.lists import (
    _CLAIMS,
    _MENTIONS,
    _SIGNALS,
    claim_view,
    list_reuse,
    mention_view,
    signal_view,
)

MAX_ARTICLE_CHARS = 2_000_000  # longer texts are cut in the view (the ledger keeps them whole)


def _roles(roles: list[dict[str, Any]]) -> str:
    return ", ".join(r["code"] or r["text"] for r in roles) or "?"


def mention_span(record: dict[str, Any]) -> dict[str, Any]:
    """The highlight of an event mention, and what it says on hover."""
    kind = record["type"] + (f"/{record['mode']}" if record["mode"] else "")
    parts = [f"{kind}: {_roles(record['actor'])} → {_roles(record['recipient'])}"]
    if record["place"]:
        parts.append(f"at {record['place']['name']} ({record['place'].get('precision')})")
    if record["date"]["value"]:
        parts.append(f"on {date_label(record['date'])}")
    if record["killed"]:
        low, high = record["killed"]["low"], record["killed"]["high"]
        parts.append(f"killed {low}" + ("" if high == low else f"–{high or '?'}"))
    parts.append(f"modality {record['modality']}")
    if record["modality_cue"]:
        parts.append(f"because: {record['modality_cue']}")
    if record.get("wrong"):
        parts.append("marked wrong by an analyst")
    return {
        "kind": "event",
        "id": record["mention_id"],
        "start": record["trigger"]["start"],
        "end": record["trigger"]["end"],
        "modality": record["modality"],
        "counts": record["counts"],
        "hidden": not record["counts"],
        "explain": "; ".join(parts),
    }


def claim_spans(record: dict[str, Any]) -> list[dict[str, Any]]:
    speaker, via = record["speaker"], record["via"]
    who = (
        (speaker["text"] + (f" ({speaker['code']})" if speaker.get("code") else ""))
        if speaker
        else "unnamed"
    )
    relay = f" via {via['text']}" if via else ""
    cue = record["cue"]["text"]
    explain = f"claim ({record['stance']}, {record['kind']}) by {who}{relay}; cue “{cue}”"
    spans = [
        {
            "kind": "claim",
            "id": record["claim_id"],
            "start": part["start"],
            "end": part["end"],
            "hidden": bool(record.get("wrong")),
            "explain": explain,
        }
        for part in (record["parts"] or [record["content"]])
    ]
    for role, value in (("speaker", speaker), ("relay", via)):
        if value and value.get("start") is not None and value["end"] > value["start"]:
            spans.append(
                {
                    "kind": role,
                    "id": record["claim_id"],
                    "start": value["start"],
                    "end": value["end"],
                    "hidden": False,
                    "explain": f"{role} of claim {record['claim_id']}: {value['text']}"
                    + (f" ({value['code']})" if value.get("code") else ""),
                }
            )
    return spans


def signal_span(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": "signal",
        "id": record["signal_id"],
        "start": record["start"],
        "end": record["end"],
        "hidden": False,
        "explain": f"{record['kind']} (score {record['score']:.2f}): {record['why']}",
    }


def article_view(ledger: Ledger, article_id: str) -> dict[str, Any] | None:
    """The article's record (export shape), its mentions, claims and signals, and the spans
    to highlight."""
    article = ledger.get_article(article_id)
    if article is None:
        return None
    corrections = CorrectionSet.load(ledger)
    where = "WHERE {}.article_id = ?"
    mentions = [
        mention_view(r, corrections)
        for r in ledger.iter_rows(_MENTIONS.format(where=where.format("m")), [article_id])
    ]
    claims = [
        claim_view(r, corrections)
        for r in ledger.iter_rows(_CLAIMS.format(where=where.format("c")), [article_id])
    ]
    signals = [
        signal_view(r)
        for r in ledger.iter_rows(_SIGNALS.format(where=where.format("s")), [article_id])
    ]
    record = article_record(article)
    record["text"] = record["text"][:MAX_ARTICLE_CHARS]
    spans = [mention_span(m) for m in mentions]
    spans += [s for c in claims for s in claim_spans(c)]
    spans += [signal_span(s) for s in signals]
    limit = len(record["text"])
    spans = [s for s in spans if 0 <= s["start"] < s["end"] <= limit]
    _, reuse = list_reuse(ledger, Filters(article_id=article_id), Page(100, 0))
    return {
        "article": record,
        "mentions": mentions,
        "claims": claims,
        "signals": signals,
        "spans": sorted(spans, key=lambda s: (s["start"], -s["end"])),
        "reuse": reuse,
    }


def show(ledger: Ledger, identifier: str) -> tuple[str, dict[str, Any]] | None:
    """Whatever an id names: ("article", view), ("incident", record), ("mention", record) or
    ("claim", record) with its article's spans; None when nothing has that id."""
    text = identifier.strip()
    if ledger.get_article(text) is not None:
        view = article_view(ledger, text)
        return ("article", view) if view else None
    try:
        kind = target_kind(text)
    except Exception:
        return None
    if kind == "incident":
        found = incident(ledger, text)
        return ("incident", found) if found else None
    article_id = text.split("-")[0]
    view = article_view(ledger, article_id)
    if view is None:
        return None
    key = "mention_id" if kind == "mention" else "claim_id"
    items = view["mentions"] if kind == "mention" else view["claims"]
    for item in items:
        if item[key] == text:
            incidents = list_incidents(ledger, Filters(article_id=article_id), Page(500, 0))[1]
            if kind == "mention":
                item = dict(item)
                item["incident_id"] = next(
                    (
                        r["event_id"]
                        for r in incidents
                        for a in r["accounts"]
                        if a["mention_id"] == text
                    ),
                    None,
                )
            return kind, {"record": item, "article": view["article"]}
    return None
