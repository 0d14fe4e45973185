"""The export record of each kind (the stable contract; add fields, never rename them)."""

from __future__ import annotations

from typing import Any

from sitrep.model import claim_id


def _place_columns(row: dict[str, Any]) -> dict[str, Any] | None:
    """The place columns a ledger row shares with the entities and mentions tables."""
    if row["place_name"] is None:
        return None
    keys = ("lat", "lon", "country", "admin1", "precision")
    return {"name": row["place_name"], **{k: row[k] for k in keys}}


def entity_record(row: dict[str, Any]) -> dict[str, Any]:
    """One entity mention from its ledger row: span, type, and what it resolves to."""
    actor = None
    if row["actor_code"]:
        actor = {
            "code": row["actor_code"],
            "sector": row["actor_sector"],
            "name": row["actor_name"],
            "id": row["actor_id"],
            "how": row["actor_how"],
        }
    place = _place_columns(row)
    if place is not None:
        place = {
            "text": row["text"],
            **place,
            "geonameid": row["geonameid"],
            "population": row.get("population"),
            "how": row["place_how"],
        }
    return {
        "article_id": row["article_id"],
        "span": {"text": row["text"], "start": row["start_char"], "end": row["end_char"]},
        "label": row["label"],
        "kind": row["kind"],
        "found_by": row["found_by"],
        "actor": actor,
        "place": place,
        "unresolved": row["unresolved"],
    }


def mention_record(row: dict[str, Any]) -> dict[str, Any]:
    """One event mention (DESIGN §4): type, mode, modality, roles, place, date, tolls, evidence."""
    from sitrep.ledger.mentions import mention_from_row

    m = mention_from_row(row)
    place = None
    if m.place is not None:
        place = {
            "text": m.place_text,
            "name": m.place.name,
            "lat": m.place.lat,
            "lon": m.place.lon,
            "country": m.place.country,
            "admin1": m.place.admin1,
            "precision": str(m.place.precision),
            "population": m.place.population,
            "how": m.place.how,
        }
    evidence = {"text": row.get("evidence_text"), "start": m.start, "end": m.end}
    return {
        "article_id": row["article_id"],
        "mention_index": row["idx"],
        "type": m.type,
        "mode": m.mode,
        "modality": str(m.modality),
        "counts": m.counts,
        "not_event": m.not_event,
        "headline": m.headline,
        "trigger": {"text": m.trigger, "start": m.trigger_start, "end": m.trigger_end},
        "actor": [
            {"text": r.text, "code": r.code, "sector": r.sector, "name": r.name} for r in m.actors
        ],
        "recipient": [
            {"text": r.text, "code": r.code, "sector": r.sector, "name": r.name}
            for r in m.recipients
        ],
        "place": place,
        "date": {
            "value": m.date,
            "granularity": str(m.date_granularity) if m.date_granularity else None,
            "how": m.date_how,
        },
        "killed": {"low": m.killed_low, "high": m.killed_high}
        if m.killed_low is not None or m.killed_high is not None
        else None,
        # What the killed count counts, and where it is written (analyses before schema 11
        # and the rules alone give none).
        "toll": {
            "start": m.killed_start,
            "end": m.killed_end,
            "victims": m.killed_victims,
            "scope": m.killed_scope,
        }
        if m.killed_start is not None
        else None,
        "injured": {"low": m.injured_low, "high": m.injured_high}
        if m.injured_low is not None or m.injured_high is not None
        else None,
        "evidence": evidence,
        "also_told_at": [{"start": s, "end": e} for s, e in m.also],
        "claim_id": m.claim_id,
        "confidence": m.confidence,
        "modality_cue": m.why,
    }


def _span(text: str | None, start: int, end: int) -> dict[str, Any]:
    return {"text": text, "start": start, "end": end}


def claim_record(row: dict[str, Any]) -> dict[str, Any]:
    """One claim (DESIGN §4) from its ledger row, with ``content_text`` and ``part_texts`` sliced
    from the article text by the export query: who says what, in whose relay, with what stance."""
    from sitrep.ledger.claims import claim_from_row

    c = claim_from_row(row)
    speaker = None
    if c.speaker is not None:
        s = c.speaker
        speaker = {
            **_span(s.text, s.start, s.end),
            "code": s.code,
            "sector": s.sector,
            "name": s.name,
            "how": s.how,
            "anonymous": s.anonymous,
            "codes": list(s.codes) or ([s.code] if s.code else []),
        }
    via = None
    if c.via is not None:
        v = c.via
        via = {**_span(v.text, v.start, v.end), "code": v.code, "name": v.name}
    part_texts = row.get("part_texts") or [None] * len(c.parts)
    return {
        "article_id": row["article_id"],
        "claim_id": claim_id(row["article_id"], row["idx"]),
        "kind": str(c.kind),
        "stance": str(c.stance),
        "cue": _span(c.cue, c.cue_start, c.cue_end),
        "speaker": speaker,
        "via": via,
        "content": _span(row.get("content_text"), c.start, c.end),
        "parts": [_span(t, s, e) for t, (s, e) in zip(part_texts, c.parts, strict=True)],
        "event_mentions": list(c.events),
        "why": c.why,
    }


def signal_record(row: dict[str, Any]) -> dict[str, Any]:
    """One signal (DESIGN §4): a span telling how the text persuades or sources itself."""
    return {
        "article_id": row["article_id"],
        "kind": row["kind"],
        "start": row["start_char"],
        "end": row["end_char"],
        "text": row["text"],
        "score": row["score"],
        "why": row["why"] or "",
    }


# Who gives a disagreement's value and where: the claimant (``source``), the relay (``via``),
# the outlet, the mention and claim it is read from, and the evidence's offsets.
_SOURCE_KEYS = (
    "article_id",
    "outlet",
    "source",
    "source_code",
    "via",
    "mention_index",
    "claim_index",
    "start",
    "end",
)


def consolidated_record(row: dict[str, Any]) -> dict[str, Any]:
    """One consolidated event (DESIGN §3): its canonical fields, every account that tells it,
    and, per field on which they differ, each value with the articles and claimants behind it."""
    fields: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = {}
    for d in row.get("disagreement_rows") or []:
        source = {k: d.get(k) for k in _SOURCE_KEYS}
        source["evidence"] = d["evidence"]
        key = (d["field"], d.get("kind") or "conflict")
        fields.setdefault(key, {}).setdefault(d["value"], []).append(source)
    place = _place_columns(row)
    accounts = [dict(a) for a in row.get("account_rows") or []]
    for account in accounts:
        if account.get("published") is not None:
            account["published"] = str(account["published"])
    return {
        "event_id": row["id"],
        "type": row["type"],
        "mode": row["mode"],
        "date": {"value": row["date"], "granularity": row["date_granularity"]},
        "place": place,
        "actors": _json_list(row["actors"]),
        "recipients": _json_list(row["recipients"]),
        "killed": {"low": row["killed_low"], "high": row["killed_high"]}
        if row["killed_low"] is not None
        else None,
        "n_articles": row["n_articles"],
        "n_mentions": row["n_mentions"],
        "outlets": sorted({a["outlet"] for a in accounts if a.get("outlet")}),
        "accounts": accounts,
        "claims": [
            {"claim_id": claim_id(c["article_id"], c["claim_index"]), **c}
            for c in row.get("claim_rows") or []
        ],
        "same_statement": [list(group) for group in row.get("statement_rows") or []],
        "disagreements": [
            {
                "field": field,
                "kind": kind,
                "values": [{"value": v, "sources": s} for v, s in values.items()],
            }
            for (field, kind), values in fields.items()
        ],
    }


def _json_list(value: Any) -> list[Any]:
    import json

    return json.loads(value) if isinstance(value, str) else list(value or [])


def reuse_record(row: dict[str, Any]) -> dict[str, Any]:
    """One reuse link (DESIGN §3 ReuseLink): a near-duplicate article of a group's
    representative, or a passage shared by two articles (or repeated in one), with both spans."""
    if row["link"] == "near_duplicate":
        return {
            "kind": "near_duplicate",
            "a": {"article_id": row["a_article_id"]},
            "b": {"article_id": row["b_article_id"]},
            "similarity": row["similarity"],
            "headline_similarity": row["headline_similarity"],
        }
    return {
        "kind": "passage",
        "a": {
            "article_id": row["a_article_id"],
            "start": row["a_start"],
            "end": row["a_end"],
            "text": row["a_text"],
        },
        "b": {
            "article_id": row["b_article_id"],
            "start": row["b_start"],
            "end": row["b_end"],
            "text": row["b_text"],
        },
        "words": row["words"],
        "similarity": row["similarity"],
    }
