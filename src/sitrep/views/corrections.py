"""Analysts' corrections: an append-only ledger table, applied on read to every view and export.

A correction points at its target through an *anchor*, a span of the article text that
re-analysis keeps (article ids are content hashes, so the text never changes): a mention's
trigger, a claim's content, an incident's first account's trigger. Consolidation replaces
incidents and their ids on every run, and re-analysis replaces mentions; anchors survive both.
A later correction of the same target and field wins; nothing is ever updated or deleted
(to undo "wrong", record "right").
"""

from __future__ import annotations

import copy
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sitrep.errors import UsageError
from sitrep.ledger.store import Ledger
from sitrep.model import PlacePrecision, Stance
from sitrep.views.filters import event_types

Anchor = tuple[str, int, int]  # article id, start, end

TARGETS = ("mention", "claim", "incident")
ACTIONS = ("wrong", "right", "set", "merge", "split")
FIELDS = {
    "mention": ("type", "actor", "recipient", "place", "date", "killed"),
    "incident": ("type", "actor", "recipient", "place", "date", "killed"),
    "claim": ("speaker", "stance"),
}
MAX_WHY = 2000
MAX_WHO = 100
_MENTION_ID = re.compile(r"([0-9a-f]{16})-m(\d+)")
_CLAIM_ID = re.compile(r"([0-9a-f]{16})-c(\d+)")
_INCIDENT_ID = re.compile(r"[0-9a-f]{16}")
_TOLL = re.compile(r"\s*(\d{1,7})\s*(?:[-–]\s*(\d{1,7})?)?\s*")
_CODE = re.compile(r"[A-Z][A-Z0-9]{1,9}")


@dataclass(frozen=True)
class Correction:
    id: int
    at: str
    who: str
    why: str
    target: str
    anchor: Anchor
    shown_id: str | None
    action: str
    field: str | None
    value: Any
    other: Anchor | None

    def record(self) -> dict[str, Any]:
        """The correction as the views and `sitrep export corrections` show it."""
        return {
            "correction_id": self.id,
            "at": self.at,
            "who": self.who,
            "why": self.why,
            "target": self.target,
            "target_id": self.shown_id,
            "anchor": {
                "article_id": self.anchor[0],
                "start": self.anchor[1],
                "end": self.anchor[2],
            },
            "action": self.action,
            "field": self.field,
            "value": self.value,
            "other": None
            if self.other is None
            else {"article_id": self.other[0], "start": self.other[1], "end": self.other[2]},
        }


# --------------------------------------------------------------------------- values


def _toll(value: Any) -> dict[str, int | None] | None:
    if value is None or value == "":
        return None
    if isinstance(value, dict):
        low, high = value.get("low"), value.get("high")
        if low is None:
            raise UsageError("A toll needs at least its low figure.")
        return {"low": int(low), "high": None if high is None else int(high)}
    match = _TOLL.fullmatch(str(value))
    if not match:
        raise UsageError(f"A toll is a number or a range such as 62-100, not {value!r}.")
    low = int(match[1])
    high = low if "-" not in str(value) and "–" not in str(value) else match[2]
    return {"low": low, "high": None if high is None else int(high)}


def _codes(value: Any) -> list[str]:
    items = value if isinstance(value, list) else str(value).split(",")
    codes = [str(c).strip().upper() for c in items if str(c).strip()]
    bad = [c for c in codes if not _CODE.fullmatch(c)]
    if bad:
        raise UsageError(f"{bad[0]!r} is not an actor code (letters and digits, e.g. RUS, ISIS).")
    return codes


def _place(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        value = {"name": value}
    if not isinstance(value, dict) or not str(value.get("name", "")).strip():
        raise UsageError("A place needs at least a name.")
    place: dict[str, Any] = {"name": str(value["name"]).strip()[:200]}
    for key in ("lat", "lon"):
        if value.get(key) is not None:
            place[key] = float(value[key])
    for key in ("country", "admin1"):
        if value.get(key):
            place[key] = str(value[key])[:100]
    precision = value.get("precision")
    if precision:
        if precision not in {str(p) for p in PlacePrecision}:
            raise UsageError(f"Unknown precision {precision!r}.")
        place["precision"] = precision
    return place


def checked_value(target: str, field: str, value: Any) -> Any:
    """The value of a ``set`` correction in its stored form; refuses what cannot be a value."""
    if field not in FIELDS[target]:
        raise UsageError(f"A {target} has no field {field!r}: use {', '.join(FIELDS[target])}.")
    if field == "type":
        wanted = str(value).strip().upper()
        if wanted not in event_types():
            raise UsageError(f"Unknown type {value!r}: choose from {', '.join(event_types())}.")
        return wanted
    if field in ("actor", "recipient"):
        return _codes(value)
    if field == "place":
        return _place(value)
    if field == "date":
        text = str(value).strip()
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
            raise UsageError(f"A date is YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}.")
        return text
    if field == "killed":
        return _toll(value)
    if field == "stance":
        wanted = str(value).strip().lower()
        if wanted not in {str(s) for s in Stance}:
            raise UsageError(f"Unknown stance {value!r}.")
        return wanted
    # speaker: an actor code, or words naming them
    text = str(value).strip()[:200]
    return {"code": text.upper(), "text": text} if _CODE.fullmatch(text.upper()) else {"text": text}


# --------------------------------------------------------------------------- anchors


def mention_anchor(ledger: Ledger, mention_id: str) -> Anchor:
    match = _MENTION_ID.fullmatch(mention_id.strip())
    row = None
    if match:
        row = ledger.conn.execute(
            "SELECT article_id, trigger_start, trigger_end FROM mentions "
            "WHERE article_id = ? AND idx = ?",
            [match[1], int(match[2])],
        ).fetchone()
    if row is None:
        raise UsageError(f"There is no event mention {mention_id!r} (ids look like ARTICLE-m3).")
    return (str(row[0]), int(row[1]), int(row[2]))


def claim_anchor(ledger: Ledger, claim_id: str) -> Anchor:
    match = _CLAIM_ID.fullmatch(claim_id.strip())
    row = None
    if match:
        row = ledger.conn.execute(
            "SELECT article_id, start_char, end_char FROM claims WHERE article_id = ? AND idx = ?",
            [match[1], int(match[2])],
        ).fetchone()
    if row is None:
        raise UsageError(f"There is no claim {claim_id!r} (ids look like ARTICLE-c2).")
    return (str(row[0]), int(row[1]), int(row[2]))


def incident_anchor(ledger: Ledger, incident_id: str) -> Anchor:
    """The first account of an incident (in ingestion order): its trigger span."""
    row = None
    if _INCIDENT_ID.fullmatch(incident_id.strip()):
        row = ledger.conn.execute(
            """SELECT m.article_id, mm.trigger_start, mm.trigger_end
               FROM event_members m JOIN articles a ON a.id = m.article_id
               JOIN mentions mm ON mm.article_id = m.article_id AND mm.idx = m.mention_idx
               WHERE m.event_id = ? ORDER BY mm.headline, a.seq, m.mention_idx LIMIT 1""",
            [incident_id.strip()],
        ).fetchone()
    if row is None:
        raise UsageError(f"There is no incident {incident_id!r}.")
    return (str(row[0]), int(row[1]), int(row[2]))


def _anchor_of(ledger: Ledger, target: str, target_id: str) -> Anchor:
    if target == "mention":
        return mention_anchor(ledger, target_id)
    if target == "claim":
        return claim_anchor(ledger, target_id)
    return incident_anchor(ledger, target_id)


def target_kind(target_id: str) -> str:
    """Which kind of thing an id names: ARTICLE-m3 a mention, ARTICLE-c2 a claim, 16 hex
    digits an incident."""
    text = target_id.strip()
    if _MENTION_ID.fullmatch(text):
        return "mention"
    if _CLAIM_ID.fullmatch(text):
        return "claim"
    if _INCIDENT_ID.fullmatch(text):
        return "incident"
    raise UsageError(f"{target_id!r} is no mention, claim or incident id.")


# --------------------------------------------------------------------------- writing


def add_correction(
    ledger: Ledger,
    target_id: str,
    action: str,
    *,
    who: str,
    why: str,
    field: str | None = None,
    value: Any = None,
    other_id: str | None = None,
) -> Correction:
    """Append one correction (checked; nothing is stored when a check fails)."""
    target = target_kind(target_id)
    if action not in ACTIONS:
        raise UsageError(f"Unknown action {action!r}: use {', '.join(ACTIONS)}.")
    who, why = (who or "").strip(), (why or "").strip()
    if not who or len(who) > MAX_WHO:
        raise UsageError(f"Say who corrects (1 to {MAX_WHO} characters).")
    if not why or len(why) > MAX_WHY:
        raise UsageError(f"Say why (1 to {MAX_WHY} characters).")
    if action == "split" and target != "mention":
        raise UsageError("Split takes the mention (account) to take out of its incident.")
    if action == "merge" and (target != "incident" or not other_id):
        raise UsageError("Merge takes two incident ids: the one to keep and the other.")
    stored = None
    if action == "set":
        if not field:
            raise UsageError("Set needs a field and a value.")
        stored = checked_value(target, field, value)
    elif field:
        raise UsageError(f"{action!r} takes no field.")
    anchor = _anchor_of(ledger, target, target_id)
    other = incident_anchor(ledger, other_id) if action == "merge" and other_id else None
    if other == anchor:
        raise UsageError("An incident cannot be merged with itself.")
    at = datetime.now(UTC).replace(tzinfo=None)
    row = ledger.conn.execute(
        """INSERT INTO corrections (created, who, why, target, article_id, start_char, end_char,
               shown_id, action, field, value, other_article_id, other_start, other_end)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
        [
            at,
            who,
            why,
            target,
            *anchor,
            target_id.strip(),
            action,
            field,
            None if stored is None else json.dumps(stored),
            *(other or (None, None, None)),
        ],
    ).fetchone()
    assert row is not None
    return Correction(
        int(row[0]),
        at.isoformat(timespec="seconds"),
        who,
        why,
        target,
        anchor,
        target_id.strip(),
        action,
        field,
        stored,
        other,
    )


def read_corrections(ledger: Ledger) -> list[Correction]:
    rows = ledger.conn.execute(
        """SELECT id, created, who, why, target, article_id, start_char, end_char, shown_id, action,
                  field, value, other_article_id, other_start, other_end
           FROM corrections ORDER BY id"""
    ).fetchall()
    return [
        Correction(
            int(r[0]),
            r[1].isoformat(timespec="seconds"),
            r[2],
            r[3],
            r[4],
            (r[5], int(r[6]), int(r[7])),
            r[8],
            r[9],
            r[10],
            None if r[11] is None else json.loads(r[11]),
            None if r[12] is None else (r[12], int(r[13]), int(r[14])),
        )
        for r in rows
    ]


# --------------------------------------------------------------------------- applying


def _note(record: dict[str, Any], correction: Correction, old: Any = None) -> None:
    entry = {
        "correction_id": correction.id,
        "action": correction.action,
        "field": correction.field,
        "value": correction.value,
        "who": correction.who,
        "at": correction.at,
        "why": correction.why,
    }
    record.setdefault("corrections", []).append(entry)
    if correction.field and correction.field not in record.setdefault("original", {}):
        record["original"][correction.field] = old


def _roles(codes: list[str]) -> list[dict[str, Any]]:
    return [{"text": c, "code": c, "sector": None, "name": None} for c in codes]


def _set_mention_field(record: dict[str, Any], c: Correction) -> None:
    field, value = c.field, c.value
    key = {"type": "type", "actor": "actor", "recipient": "recipient"}.get(field or "", field)
    assert key is not None
    _note(record, c, copy.deepcopy(record.get(key)))
    if field in ("actor", "recipient"):
        record[key] = _roles(value)
    elif field == "date":
        record["date"] = {"value": value, "granularity": _granularity(value), "how": "corrected"}
    elif field == "place":
        record["place"] = {"text": value["name"], "how": "corrected", **_place_defaults(value)}
    else:
        record[key] = value


def _granularity(value: str) -> str:
    return {4: "year", 7: "month"}.get(len(value), "day")


def _place_defaults(value: dict[str, Any]) -> dict[str, Any]:
    keys = ("name", "lat", "lon", "country", "admin1", "precision")
    return {k: value.get(k) for k in keys}


class CorrectionSet:
    """Every correction, indexed by anchor, applied to records on read."""

    def __init__(self, corrections: Iterable[Correction]) -> None:
        self.all = list(corrections)
        self.by_anchor: dict[tuple[str, Anchor], list[Correction]] = defaultdict(list)
        for c in self.all:
            target = "mention" if c.action == "split" else c.target
            self.by_anchor[(target, c.anchor)].append(c)

    @classmethod
    def load(cls, ledger: Ledger) -> CorrectionSet:
        return cls(read_corrections(ledger))

    def __bool__(self) -> bool:
        return bool(self.all)

    def anchors(self) -> set[Anchor]:
        """Every span a correction points at (for finding the incidents they touch)."""
        found = {c.anchor for c in self.all if c.target != "claim"}
        return found | {c.other for c in self.all if c.other is not None}

    def mention(self, record: dict[str, Any]) -> dict[str, Any]:
        """A mention record (export shape) with its corrections applied."""
        trigger = record["trigger"]
        found = self.by_anchor.get(
            ("mention", (record["article_id"], trigger["start"], trigger["end"]))
        )
        if not found:
            return record
        record = copy.deepcopy(record)
        for c in found:
            if c.action == "wrong":
                _note(record, c)
                record["wrong"], record["counts"] = True, False
            elif c.action == "right":
                _note(record, c)
                record["wrong"], record["counts"] = False, True
            elif c.action == "set":
                _set_mention_field(record, c)
            elif c.action == "split":
                _note(record, c)
                record["split"] = True
        return record

    def claim(self, record: dict[str, Any]) -> dict[str, Any]:
        content = record["content"]
        found = self.by_anchor.get(
            ("claim", (record["article_id"], content["start"], content["end"]))
        )
        if not found:
            return record
        record = copy.deepcopy(record)
        for c in found:
            if c.action in ("wrong", "right"):
                _note(record, c)
                record["wrong"] = c.action == "wrong"
            elif c.field == "stance":
                _note(record, c, record["stance"])
                record["stance"] = c.value
            elif c.field == "speaker":
                _note(record, c, copy.deepcopy(record["speaker"]))
                speaker = dict(record["speaker"] or {})
                speaker.update(
                    {"text": c.value["text"], "code": c.value.get("code"), "how": "corrected"}
                )
                speaker.setdefault("start", None)
                speaker.setdefault("end", None)
                record["speaker"] = speaker
        return record

    # ----------------------------------------------------------------- incidents
    def incidents(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Incident records (with their accounts' anchors) after every correction, applied in
        the order they were made: wrong accounts dropped, split accounts made incidents of
        their own, merges joined, fields fixed. An incident marked wrong (or left with no
        account) stays in the list with ``wrong`` true. An incident correction follows its
        anchor account (split it off first, and later corrections go with it)."""
        if not self.all:
            return records
        out = [copy.deepcopy(r) for r in records]
        for c in self.all:
            owner = _owners(out)
            target = owner.get(c.anchor)
            if target is None:
                continue
            if c.target == "mention":
                out += self._account(target, c)
            elif c.action == "merge":
                other = owner.get(c.other) if c.other else None
                if other is not None and other is not target:
                    _merge(target, other, c)
                    out = [r for r in out if r is not other]
            elif c.action in ("wrong", "right"):
                _note(target, c)
                target["wrong"] = c.action == "wrong"
            elif c.action == "set":
                _set_incident_field(target, c)
        return out

    def _account(self, record: dict[str, Any], c: Correction) -> list[dict[str, Any]]:
        """Apply a mention correction to the incident holding it; returns new incidents."""
        index = next(i for i, a in enumerate(record["accounts"]) if _account_anchor(a) == c.anchor)
        if c.action == "right" or c.action == "set":
            return []
        account = record["accounts"].pop(index)
        _note(record, c)
        _recount(record)
        if not record["accounts"]:
            record["wrong"] = True
        if c.action == "wrong":
            record.setdefault("dropped_accounts", []).append(account)
            return []
        return [_single_incident(record, account, c)]


def _owners(records: list[dict[str, Any]]) -> dict[Anchor, dict[str, Any]]:
    owner: dict[Anchor, dict[str, Any]] = {}
    for record in records:
        for account in record["accounts"]:
            owner[_account_anchor(account)] = record
    return owner


def _merge(keep: dict[str, Any], other: dict[str, Any], c: Correction) -> None:
    keep["accounts"] += other["accounts"]
    keep["disagreements"] = keep.get("disagreements", []) + other.get("disagreements", [])
    keep["claims"] = keep.get("claims", []) + other.get("claims", [])
    keep.setdefault("merged_from", []).append(other["event_id"])
    _recount(keep)
    _note(keep, c)


def _account_anchor(account: dict[str, Any]) -> Anchor:
    return (account["article_id"], int(account["trigger_start"]), int(account["trigger_end"]))


def _recount(record: dict[str, Any]) -> None:
    accounts = record["accounts"]
    record["n_mentions"] = len(accounts)
    record["n_articles"] = len({a["article_id"] for a in accounts})
    record["outlets"] = sorted({a["outlet"] for a in accounts if a.get("outlet")})


def _set_incident_field(record: dict[str, Any], c: Correction) -> None:
    field, value = c.field, c.value
    if field == "type":
        _note(record, c, record["type"])
        record["type"] = value
    elif field in ("actor", "recipient"):
        key = "actors" if field == "actor" else "recipients"
        _note(record, c, record[key])
        record[key] = list(value)
    elif field == "date":
        _note(record, c, record["date"])
        record["date"] = {"value": value, "granularity": _granularity(value)}
    elif field == "place":
        _note(record, c, record["place"])
        record["place"] = _place_defaults(value)
    elif field == "killed":
        _note(record, c, record["killed"])
        record["killed"] = value


def _single_incident(
    parent: dict[str, Any], account: dict[str, Any], c: Correction
) -> dict[str, Any]:
    """An account split off its incident, as an incident of its own."""
    anchor = _account_anchor(account)
    place = None
    if account.get("place_name"):
        keys = ("lat", "lon", "country", "admin1", "precision")
        place = {"name": account["place_name"], **{k: account.get(k) for k in keys}}
    low = account.get("killed_low")
    record = {
        "event_id": f"{parent['event_id']}-{anchor[0]}-{anchor[1]}",
        "type": account.get("type") or parent["type"],
        "mode": None,
        "date": {"value": account.get("date"), "granularity": account.get("date_granularity")},
        "place": place,
        "actors": [r["code"] for r in account.get("actor_roles") or [] if r.get("code")],
        "recipients": [r["code"] for r in account.get("recipient_roles") or [] if r.get("code")],
        "killed": None if low is None else {"low": low, "high": account.get("killed_high")},
        "accounts": [account],
        "claims": [],
        "same_statement": [],
        "disagreements": [],
        "split_from": parent["event_id"],
    }
    _recount(record)
    _note(record, c)
    return record
