"""Claims and signals in the ledger: rows to and from the model."""

from __future__ import annotations

from typing import Any

from sitrep.ledger.mentions import json_value, row_key
from sitrep.model import Claim, ClaimKind, Relay, Signal, Speaker, Stance

CLAIM_COLUMNS = {
    "article_id": "VARCHAR",
    "idx": "INTEGER",
    "start_char": "INTEGER",
    "end_char": "INTEGER",
    "kind": "VARCHAR",
    "stance": "VARCHAR",
    "cue_text": "VARCHAR",
    "cue_start": "INTEGER",
    "cue_end": "INTEGER",
    "speaker_text": "VARCHAR",
    "speaker_start": "INTEGER",
    "speaker_end": "INTEGER",
    "speaker_code": "VARCHAR",
    "speaker_sector": "VARCHAR",
    "speaker_name": "VARCHAR",
    "speaker_how": "VARCHAR",
    "speaker_anonymous": "BOOLEAN",
    "speaker_codes": "JSON",
    "via_text": "VARCHAR",
    "via_start": "INTEGER",
    "via_end": "INTEGER",
    "via_code": "VARCHAR",
    "via_name": "VARCHAR",
    "parts": "JSON",
    "events": "JSON",
    "why": "VARCHAR",
}
SIGNAL_COLUMNS = {
    "article_id": "VARCHAR",
    "idx": "INTEGER",
    "start_char": "INTEGER",
    "end_char": "INTEGER",
    "text": "VARCHAR",
    "kind": "VARCHAR",
    "score": "DOUBLE",
    "why": "VARCHAR",
}
_SPEAKER_FIELDS = ("text", "start", "end", "code", "sector", "name", "how", "anonymous")
_RELAY_FIELDS = ("text", "start", "end", "code", "name")
_SIGNAL_FIELDS = ("text", "kind", "score", "why")


def _prefixed(prefix: str, fields: tuple[str, ...], value: object | None) -> dict[str, Any]:
    """A speaker or relay as ``{prefix}_{field}`` columns, all null when there is none."""
    return {f"{prefix}_{f}": None if value is None else getattr(value, f) for f in fields}


def _unprefixed(prefix: str, fields: tuple[str, ...], row: dict[str, Any]) -> dict[str, Any]:
    return {f: row[f"{prefix}_{f}"] for f in fields}


def claim_row(article_id: str, idx: int, c: Claim) -> dict[str, Any]:
    return {
        **row_key(article_id, idx, c.start, c.end),
        "kind": str(c.kind),
        "stance": str(c.stance),
        "cue_text": c.cue,
        "cue_start": c.cue_start,
        "cue_end": c.cue_end,
        **_prefixed("speaker", _SPEAKER_FIELDS, c.speaker),
        "speaker_codes": list(c.speaker.codes) if c.speaker else None,
        **_prefixed("via", _RELAY_FIELDS, c.via),
        "parts": [list(span) for span in c.parts],
        "events": list(c.events),
        "why": c.why,
    }


def speaker_from_row(row: dict[str, Any]) -> Speaker | None:
    if row["speaker_start"] is None:
        return None
    fields = _unprefixed("speaker", _SPEAKER_FIELDS, row)
    codes = tuple(json_value(row.get("speaker_codes")) or ())
    return Speaker(
        **{**fields, "how": fields["how"] or "", "anonymous": bool(fields["anonymous"])},
        codes=codes,
    )


def relay_from_row(row: dict[str, Any]) -> Relay | None:
    if row["via_start"] is None:
        return None
    return Relay(**_unprefixed("via", _RELAY_FIELDS, row))


def claim_from_row(row: dict[str, Any]) -> Claim:
    return Claim(
        row["start_char"],
        row["end_char"],
        ClaimKind(row["kind"]),
        Stance(row["stance"]),
        row["cue_text"],
        row["cue_start"],
        row["cue_end"],
        speaker_from_row(row),
        relay_from_row(row),
        tuple((int(s), int(e)) for s, e in (json_value(row["parts"]) or [])),
        tuple(int(i) for i in (json_value(row["events"]) or [])),
        row["why"] or "",
    )


def signal_row(article_id: str, idx: int, s: Signal) -> dict[str, Any]:
    return {
        **row_key(article_id, idx, s.start, s.end),
        **{f: getattr(s, f) for f in _SIGNAL_FIELDS},
    }


def signal_from_row(row: dict[str, Any]) -> Signal:
    fields = {f: row[f] for f in _SIGNAL_FIELDS}
    return Signal(row["start_char"], row["end_char"], **{**fields, "why": fields["why"] or ""})
