"""The in-domain gold: FA-KES dev articles annotated at mention level
(``annotated/fakes-dev.yaml``, conventions in its README), with every string located in its
article's text.

Training reads it to make labels, evaluation to score what the product stored; neither
copies its text anywhere. Each gold string is a verbatim substring of the article text
(the CSV's ``article_content``), found here whitespace-tolerantly; the spans carry on.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from sitrep.errors import DataError
from sitrep.gold.spans import find_all, locate

Span = tuple[int, int]


@dataclass(frozen=True)
class GoldArticle:
    unit_id: str  # FA-KES unit id; the gold's doc key is "fakes:<unit_id>"
    title: str
    outlet: str
    published: date
    location: str  # FA-KES's governorate label
    text: str  # the CSV's article_content: every span below points into it


@dataclass(frozen=True)
class GoldRole:
    text: str | None
    code: str | None
    sector: str | None


@dataclass(frozen=True)
class GoldEvent:
    id: str
    unit_id: str
    type: str
    mode: str | None
    evidence: Span
    also: tuple[Span, ...]  # other mentions of the same happening in the article
    actors: tuple[GoldRole, ...]
    recipients: tuple[GoldRole, ...]
    lat: float | None
    lon: float | None
    admin1: str | None
    date: str | None  # YYYY-MM-DD or YYYY-MM
    killed: tuple[int | None, int | None] | None
    injured: tuple[int | None, int | None] | None
    modality: str
    attributed_to: str | None
    incident: str | None

    @property
    def spans(self) -> tuple[Span, ...]:
        return (self.evidence, *self.also)

    @property
    def actor_codes(self) -> frozenset[str]:
        return frozenset(r.code for r in self.actors if r.code)

    @property
    def recipient_codes(self) -> frozenset[str]:
        return frozenset(r.code for r in self.recipients if r.code)


@dataclass(frozen=True)
class GoldNotEvent:
    unit_id: str
    span: Span
    why: str


@dataclass(frozen=True)
class GoldClaim:
    id: str
    unit_id: str
    kind: str
    content: Span
    cue: Span | None
    speaker_text: str | None
    speaker: Span | None  # the speaker's naming, located nearest the content
    speaker_code: str | None
    speaker_sector: str | None
    anonymous: bool
    via_text: str | None
    via: Span | None
    stance: str
    about: str | None


@dataclass(frozen=True)
class GoldIncident:
    id: str
    date: str | None
    place: str | None
    events: tuple[str, ...]


@dataclass(frozen=True)
class FakesGold:
    articles: dict[str, GoldArticle]  # by unit id
    events: tuple[GoldEvent, ...]
    not_events: tuple[GoldNotEvent, ...]
    claims: tuple[GoldClaim, ...]
    assertions: tuple[tuple[str, Span], ...]  # (unit id, span)
    incidents: tuple[GoldIncident, ...]

    def events_of(self, unit_id: str) -> list[GoldEvent]:
        return [e for e in self.events if e.unit_id == unit_id]


def _unit(doc: str) -> str:
    return doc.split(":", 1)[1]


def _span(text: str, needle: str, where: str) -> Span:
    spans = find_all(text, needle)
    if not spans:
        raise DataError(f"The gold string of {where} is not in its article's text.")
    return spans[0]


def _roles(value: Any) -> tuple[GoldRole, ...]:
    if not value:
        return ()
    items = value if isinstance(value, list) else [value]
    roles = []
    for item in items:
        codes = item.get("code")
        for code in codes if isinstance(codes, list) else [codes]:
            roles.append(GoldRole(item.get("text"), code, item.get("sector")))
    return tuple(roles)


def _toll(value: Any) -> tuple[int | None, int | None] | None:
    if not value:
        return None
    return (value.get("low"), value.get("high"))


def _event(entry: dict[str, Any], text: str) -> GoldEvent:
    place = entry.get("place") or {}
    when = entry.get("date") or {}
    return GoldEvent(
        id=entry["id"],
        unit_id=_unit(entry["doc"]),
        type=entry["type"],
        mode=entry.get("mode"),
        evidence=_span(text, entry["evidence"], entry["id"]),
        also=tuple(_span(text, s, entry["id"]) for s in entry.get("also") or []),
        actors=_roles(entry.get("actor")),
        recipients=_roles(entry.get("recipient")),
        lat=place.get("lat"),
        lon=place.get("lon"),
        admin1=place.get("admin1"),
        date=str(when["value"]) if when.get("value") else None,
        killed=_toll(entry.get("killed")),
        injured=_toll(entry.get("injured")),
        modality=entry["modality"],
        attributed_to=entry.get("attributed_to"),
        incident=entry.get("incident"),
    )


def _claim(entry: dict[str, Any], text: str) -> GoldClaim:
    content = _span(text, entry["content"], entry["id"])
    speaker = entry.get("speaker") or {}
    via_text = entry.get("via")
    cue_text = entry.get("cue")
    return GoldClaim(
        id=entry["id"],
        unit_id=_unit(entry["doc"]),
        kind=entry["kind"],
        content=content,
        cue=locate(text, cue_text, content) if cue_text else None,
        speaker_text=speaker.get("text"),
        speaker=locate(text, speaker.get("text"), content),
        speaker_code=speaker.get("actor_code"),
        speaker_sector=speaker.get("sector"),
        anonymous=bool(speaker.get("anonymous")),
        via_text=via_text,
        via=locate(text, via_text, content) if via_text else None,
        stance=entry["stance"],
        about=entry.get("about"),
    )


def _texts(data_dir: Path) -> dict[str, dict[str, str]]:
    path = data_dir / "fakes" / "dev.csv"
    try:
        with path.open(encoding="utf-8", newline="") as stream:
            return {row["unit_id"]: row for row in csv.DictReader(stream)}
    except OSError as exc:
        raise DataError(f"The FA-KES dev file cannot be read: {exc}.") from exc


@cache
def fakes_gold(data_dir: Path) -> FakesGold:
    """The annotated FA-KES dev articles with every gold string located in its text."""
    path = data_dir / "annotated" / "fakes-dev.yaml"
    try:
        with path.open(encoding="utf-8") as stream:
            data: dict[str, Any] = yaml.safe_load(stream)
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"The in-domain gold {path} cannot be read: {exc}.") from exc
    rows = _texts(data_dir)
    articles: dict[str, GoldArticle] = {}
    for entry in data["articles"]:
        unit = _unit(entry["doc"])
        row = rows[unit]
        articles[unit] = GoldArticle(
            unit,
            entry.get("title") or row["article_title"],
            entry["outlet"],
            date.fromisoformat(str(entry["published"])),
            row.get("location") or "",
            row["article_content"],
        )

    def text(entry: dict[str, Any]) -> str:
        return articles[_unit(entry["doc"])].text

    return FakesGold(
        articles=articles,
        events=tuple(_event(e, text(e)) for e in data["events"]),
        not_events=tuple(
            GoldNotEvent(_unit(n["doc"]), _span(text(n), n["evidence"], n["doc"]), n["why"])
            for n in data["not_events"]
        ),
        claims=tuple(_claim(c, text(c)) for c in data["claims"]),
        assertions=tuple(
            (_unit(a["doc"]), _span(text(a), a["evidence"], a["doc"]))
            for a in data["unattributed_assertions"]
        ),
        incidents=tuple(
            GoldIncident(
                i["id"],
                str(i["date"]) if i.get("date") else None,
                i.get("place"),
                tuple(i["events"]),
            )
            for i in data["incidents"]
        ),
    )
