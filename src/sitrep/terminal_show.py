"""`sitrep show ID` on the terminal: the item's fields and its article text with the spans
behind it highlighted. Text from the ledger goes into rich ``Text`` objects (never markup), so
brackets in an article stay brackets."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

from sitrep.model import date_label
from sitrep.terminal_tables import disagreement_label

STYLES = {
    "event": "black on yellow",
    "claim": "black on bright_cyan",
    "speaker": "bold black on green",
    "relay": "black on bright_green",
    "signal": "underline red",
    "focus": "bold reverse",
}
CONTEXT = 300  # characters of text shown around a mention's or claim's evidence

# How a repost repeats the account it folds into (consolidate.sources).
_HOW = {"near_duplicate": "a near duplicate", "passage": "shares the passage telling it"}


def _line(console: Console, label: str, value: Any) -> None:
    text = Text(f"{label}: ", style="bold")
    text.append("" if value is None else str(value))
    console.print(text)


def _highlighted(
    text: str, spans: list[dict[str, Any]], window: tuple[int, int] | None = None
) -> Text:
    start, end = window or (0, len(text))
    out = Text(("…" if start > 0 else "") + text[start:end] + ("…" if end < len(text) else ""))
    shift = 1 if start > 0 else 0
    for span in spans:
        a, b = max(span["start"], start), min(span["end"], end)
        if a < b:
            out.stylize(STYLES.get(span["kind"], "bold"), a - start + shift, b - start + shift)
    return out


def _article(console: Console, view: dict[str, Any]) -> None:
    article = view["article"]
    for label, key in (("article", "article_id"), ("title", "title"), ("outlet", "outlet")):
        _line(console, label, article[key])
    _line(console, "published", article["published"])
    _line(console, "source", article["source"])
    visible = [s for s in view["spans"] if not s["hidden"]]
    _line(
        console,
        "spans",
        f"{sum(s['kind'] == 'event' for s in visible)} events, "
        f"{len(view['claims'])} claims, {len(view['signals'])} signals (ids: `sitrep show ID`)",
    )
    console.print(_highlighted(article["text"], visible))
    for span in visible:
        console.print(Text(f"  {span['id']} [{span['kind']}] {span['explain']}"))


def _incident(console: Console, record: dict[str, Any]) -> None:
    place = record["place"]
    _line(console, "incident", record["event_id"] + (" [wrong]" if record.get("wrong") else ""))
    _line(console, "type", record["type"] + (f"/{record['mode']}" if record["mode"] else ""))
    _line(console, "date", date_label(record["date"]))
    _line(console, "place", f"{place['name']} ({place['precision']})" if place else None)
    _line(
        console,
        "who → whom",
        f"{', '.join(record['actors']) or '?'} → {', '.join(record['recipients']) or '?'}",
    )
    killed = record["killed"]
    _line(console, "killed", None if not killed else f"{killed['low']}–{killed['high']}")
    _line(
        console,
        "sources",
        f"{record['n_articles']} articles, {record['independent_sources']} independent",
    )
    for source in record["sources"]:
        console.print(
            Text(
                f"\n{source['outlet'] or 'outlet unknown'} — {source['title'] or ''}", style="bold"
            )
        )
        for account in source["accounts"]:
            chain = [account.get("speaker") or "the outlet itself"]
            if account.get("via"):
                chain.append(account["via"])
            chain.append(source["outlet"] or "outlet unknown")
            console.print(
                Text(f"  {account['mention_id']}: {' → '.join(chain)} ({account['modality']})")
            )
            console.print(Text(f"    {account['evidence']}"))
        for repost in source["reposts"]:
            console.print(
                Text(
                    f"  repeated by {repost['outlet'] or 'unknown'} ({repost['article_id']}, "
                    f"{_HOW.get(repost.get('how', ''), 'a copy')})"
                )
            )
    for field in record["disagreements"]:
        console.print(Text(f"\ndisagreement on {disagreement_label(field)}:", style="bold"))
        for value in field["values"]:
            givers = "; ".join(
                f"{s['source']}{' via ' + s['via'] if s['via'] else ''} ({s['outlet'] or '?'})"
                for s in value["sources"]
            )
            console.print(Text(f"  {value['value']}: {givers}"))
    for correction in record.get("corrections", []):
        line = (
            f"corrected #{correction['correction_id']} {correction['action']} "
            f"{correction['field'] or ''} by {correction['who']}: {correction['why']}"
        )
        console.print(Text(line))


def _spanned(console: Console, kind: str, found: dict[str, Any]) -> None:
    record, article = found["record"], found["article"]
    if kind == "mention":
        anchor = record["evidence"]
        spans = [{"kind": "event", **record["trigger"]}]
        _line(console, "mention", record["mention_id"])
        _line(console, "type", record["type"] + (f"/{record['mode']}" if record["mode"] else ""))
        _line(console, "modality", f"{record['modality']} ({record['modality_cue']})")
        _line(console, "actor", ", ".join(r["code"] or r["text"] for r in record["actor"]))
        _line(console, "recipient", ", ".join(r["code"] or r["text"] for r in record["recipient"]))
        _line(console, "place", record["place"]["name"] if record["place"] else None)
        _line(console, "date", date_label(record["date"]))
        _line(console, "incident", record.get("incident_id"))
    else:
        anchor = record["content"]
        spans = [{"kind": "claim", **p} for p in (record["parts"] or [record["content"]])]
        for role, value in (("speaker", record["speaker"]), ("relay", record["via"])):
            if value and value.get("start") is not None:
                spans.append({"kind": role, **value})
        _line(console, "claim", record["claim_id"])
        _line(console, "stance", f"{record['stance']} ({record['kind']})")
        _line(console, "speaker", (record["speaker"] or {}).get("text"))
        _line(console, "via", (record["via"] or {}).get("text"))
    _line(console, "article", f"{article['article_id']} — {article['title']} ({article['outlet']})")
    text = article["text"]
    window = (max(0, anchor["start"] - CONTEXT), min(len(text), anchor["end"] + CONTEXT))
    console.print(_highlighted(text, spans, window))


def print_item(console: Console, kind: str, item: dict[str, Any]) -> None:
    if kind == "article":
        _article(console, item)
    elif kind == "incident":
        _incident(console, item)
    else:
        _spanned(console, kind, item)
