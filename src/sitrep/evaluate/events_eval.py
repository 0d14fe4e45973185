"""Event mentions against the seeds gold (events, not_events) and the Deir ez-Zor strike check.

A predicted mention matches a gold event when its trigger lies inside the gold evidence
(both in the same article), one to one in text order. Recall counts gold events matched by
a mention of any modality; precision counts mentions that enter the ledger (asserted or
reported); type and modality are scored over the matched pairs.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sitrep.analyze.core.document import Document
from sitrep.evaluate.context import EvalContext
from sitrep.evaluate.metrics import Metric, StageResult, prf, ratio
from sitrep.gold.data import seeds_gold
from sitrep.gold.spans import km_between, locate, overlaps
from sitrep.model import EventMention

# The 17 September 2016 strike near Deir ez-Zor air base, as the issue states it.
DEZ_EVENTS = ("e-002-1", "e-003-5", "e-004-1")
DEZ_PLACE = (35.336, 40.141)  # Deir ez-Zor (GeoNames); the air base is 6 km south-east
DEZ_KM = 25.0


def _gold_spans(
    ctx: EvalContext, entries: list[dict[str, Any]]
) -> list[tuple[dict[str, Any], Document, tuple[int, int]]]:
    found = []
    for entry in entries:
        for document in ctx.seed_documents.get(entry["file"], []):
            span = locate(document.text, entry["evidence"])
            if span:
                found.append((entry, document, span))
                break
    return found


def match_events(ctx: EvalContext) -> tuple[dict[str, EventMention], list[EventMention], int]:
    """Gold event id -> matched mention; all predicted mentions; gold events located."""
    gold = sorted(
        _gold_spans(ctx, seeds_gold(ctx.data_dir)["events"]),
        key=lambda g: (g[1].article.id, g[2][0]),
    )
    used: set[int] = set()
    matched: dict[str, EventMention] = {}
    # Two passes: pairs that agree on the type first, so that a mention told in two places is
    # not taken by a gold event of another type that shares one of its sentences.
    for same_type in (True, False):
        for entry, document, span in gold:
            if entry["id"] in matched:
                continue
            candidates = [
                e
                for e in document.events
                if id(e) not in used
                and _told_at(e, span)
                and (e.type == entry["type"] or not same_type)
            ]
            if candidates:
                best = min(
                    candidates,
                    key=lambda e: (
                        not overlaps((e.trigger_start, e.trigger_end), span),
                        e.trigger_start,
                    ),
                )
                used.add(id(best))
                matched[entry["id"]] = best
    predicted = [e for docs in ctx.seed_documents.values() for d in docs for e in d.events]
    return matched, predicted, len(gold)


def _told_at(event: EventMention, span: tuple[int, int]) -> bool:
    """Whether any of the places the mention is told at lies in the gold evidence."""
    return any(overlaps(trigger, span) for trigger in event.trigger_spans)


def _codes(role: Any) -> set[str]:
    if not role:
        return set()
    items = role if isinstance(role, list) else [role]
    codes: set[str] = set()
    for item in items:
        code = item.get("code")
        codes.update(code if isinstance(code, list) else [code] if code else [])
    return codes


def evaluate_seed_events(ctx: EvalContext) -> StageResult:
    gold = seeds_gold(ctx.data_dir)
    events = {e["id"]: e for e in gold["events"]}
    matched, predicted, _located = match_events(ctx)
    result = StageResult(
        "events", f"seeds gold ({len(events)} events, {len(gold['not_events'])} not-events)"
    )
    countable = [e for e in predicted if e.counts]
    matched_ids = {id(e) for e in matched.values()}
    true_positive = sum(1 for e in countable if id(e) in matched_ids)
    precision, recall, _f1 = prf(true_positive, len(countable), len(events))
    recall = ratio(len(matched), len(events))
    type_right = sum(matched[i].type == events[i]["type"] for i in matched)
    modality_right = sum(matched[i].modality.value == events[i]["modality"] for i in matched)
    actor_right = sum(
        _codes(events[i].get("actor")) <= {r.code for r in matched[i].actors if r.code}
        for i in matched
        if _codes(events[i].get("actor"))
    )
    with_actor = sum(1 for i in matched if _codes(events[i].get("actor")))
    slipped = 0
    for entry, document, span in _gold_spans(ctx, gold["not_events"]):
        # A mention matched to a gold event may share the sentence with a not-event
        # ("did not retaliate after Turkey shot down its jet"): only unmatched ones slip.
        if any(
            e.counts and id(e) not in matched_ids and _told_at(e, span) for e in document.events
        ):
            slipped += 1
            result.detail.append(
                ["not-event counted", entry["file"][:3], entry["why"], entry["evidence"][:70], ""]
            )
    n_not = len(gold["not_events"])
    result.metrics += [
        Metric("seeds.events.recall", "event-mention recall", recall, 0.80, len(events)),
        Metric(
            "seeds.events.precision",
            "event-mention precision (mentions that count as events)",
            precision,
            0.70,
            len(countable),
        ),
        Metric(
            "seeds.events.type",
            "type right, of matched mentions",
            ratio(type_right, len(matched)),
            0.80,
            len(matched),
        ),
        Metric(
            "seeds.events.modality",
            "modality right, of matched mentions",
            ratio(modality_right, len(matched)),
            0.85,
            len(matched),
        ),
        Metric(
            "seeds.events.actor",
            "gold actor codes found, of matched mentions with an actor",
            ratio(actor_right, with_actor),
            None,
            with_actor,
        ),
        Metric(
            "seeds.not_events.counted",
            "not-events that come out as asserted/reported",
            ratio(slipped, n_not),
            0.10,
            n_not,
            lower_is_better=True,
        ),
    ]
    confusion = Counter(
        (events[i]["type"], matched[i].type)
        for i in matched
        if matched[i].type != events[i]["type"]
    )
    result.detail.insert(0, ["check", "file", "gold", "evidence / got", "predicted"])
    for (gold_type, got), n in confusion.most_common(12):
        result.detail.append(["type confusion", "", gold_type, f"{n}×", got])
    for event_id, event in events.items():
        if event_id not in matched:
            result.detail.append(
                [
                    "missed",
                    event["file"][:3],
                    f"{event['type']}/{event['modality']}",
                    event["evidence"][:70],
                    "",
                ]
            )
        elif matched[event_id].modality.value != event["modality"]:
            mention = matched[event_id]
            result.detail.append(
                [
                    "modality",
                    event["file"][:3],
                    event["modality"],
                    event["evidence"][:70],
                    f"{mention.modality.value} ({mention.why})",
                ]
            )
    _dez_checks(ctx, events, matched, result)
    return result


def _dez_checks(
    ctx: EvalContext,
    events: dict[str, dict[str, Any]],
    matched: dict[str, EventMention],
    result: StageResult,
) -> None:
    """The 17 September 2016 strike as told by 002, 003 and 004 (the issue's acceptance check)."""
    passed = total = 0
    for event_id in DEZ_EVENTS:
        mention = matched.get(event_id)
        checks = {
            "found": mention is not None,
            "ASSAULT": mention is not None and mention.type == "ASSAULT",
            "aerial": mention is not None and mention.mode == "aerial",
            "by USA": mention is not None and "USA" in {r.code for r in mention.actors},
            "on SYR MIL": mention is not None
            and any(r.code == "SYR" and r.sector == "MIL" for r in mention.recipients),
            "at Deir ez-Zor": mention is not None
            and mention.place is not None
            and km_between(mention.place.lat, mention.place.lon, *DEZ_PLACE) <= DEZ_KM,
            "2016-09-17": mention is not None and mention.date == "2016-09-17",
        }
        if event_id == "e-004-1":
            checks["killed 62-100"] = mention is not None and (
                mention.killed_low,
                mention.killed_high,
            ) == (62, 100)
        for name, ok in checks.items():
            total += 1
            passed += ok
            if not ok:
                result.detail.append(["Deir ez-Zor strike", event_id, name, "failed", ""])
    result.metrics.append(
        Metric(
            "seeds.dez_strike_checks",
            "Deir ez-Zor strike: checks passed (002, 003, 004)",
            ratio(passed, total),
            1.0,
            total,
        )
    )
