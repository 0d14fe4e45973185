"""The export record of each kind (the stable contract; add fields, never rename them)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sitrep.model import Article, DatePrecision, Origin, claim_id


def article_record(article: Article) -> dict[str, Any]:
    return {
        "article_id": article.id,
        "external_id": article.external_id,
        "source": article.origin.source,
        "part": article.origin.part,
        "format": article.origin.format,
        "url": article.url,
        "outlet": article.outlet,
        "title": article.title,
        "authors": list(article.authors),
        "published": article.published.isoformat() if article.published else None,
        "published_precision": str(article.published_precision)
        if article.published_precision
        else None,
        "language": article.language,
        "language_score": article.language_score,
        "analysable": article.analysable,
        "page_id": article.page_id,
        "page_part": article.page_part,
        "body_start": article.body_start,
        "word_count": article.word_count,
        "text": article.text,
        "provenance": dict(article.provenance),
    }


def article_from_record(record: dict[str, Any]) -> Article:
    """The inverse of ``article_record`` (for round trips and for reading export shards)."""
    precision = record.get("published_precision")
    published = record.get("published")
    if isinstance(published, str):
        published = date.fromisoformat(published)
    return Article(
        id=record["article_id"],
        text=record["text"],
        origin=Origin(record["source"], record.get("part") or "", record.get("format") or "text"),
        title=record.get("title"),
        authors=tuple(record.get("authors") or ()),
        outlet=record.get("outlet"),
        published=published or None,
        published_precision=DatePrecision(precision) if precision else None,
        url=record.get("url"),
        external_id=record.get("external_id"),
        page_id=record.get("page_id"),
        page_part=record.get("page_part"),
        body_start=int(record.get("body_start") or 0),
        language=record.get("language"),
        language_score=record.get("language_score"),
        provenance=dict(record.get("provenance") or {}),
    )


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
    place = None
    if row["place_name"] is not None:
        place = {
            "text": row["text"],
            "name": row["place_name"],
            "lat": row["lat"],
            "lon": row["lon"],
            "country": row["country"],
            "admin1": row["admin1"],
            "precision": row["precision"],
            "geonameid": row["geonameid"],
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
