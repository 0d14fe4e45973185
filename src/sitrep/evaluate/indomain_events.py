"""Event mentions the product stored for the in-domain gold, scored against its events and
not-events (``annotated/fakes-dev.yaml``), each article decided by its held-out fold's models.

Matching. A stored mention that counts as an event is told at one or more places (its
trigger and the triggers of the re-mentions merged into it); it can match a gold event when
one of those places lies inside the gold evidence or one of its re-mentions (``also``), in
the same article. Mentions and gold events are paired one to one, as many as possible,
preferring pairs that agree on the type and pairs told at the gold evidence.

Figures. Precision: counted mentions paired with a gold event, of all counted mentions (a
happening counted twice is one pair and one error). Recall: gold events paired. The fields
are scored over the pairs: the type; the actor and recipient codes (the set of codes must
equal the gold's; no code where the gold names none); the killed toll (low and high equal,
over the pairs where the gold or the mention gives one); the place (within 25 km of the
gold coordinates); the date (equal at the gold's own granularity). Not-events counted: gold
not-events holding the trigger of a counted mention that matches no gold event. Re-mentions
merged: of the gold re-mentions that hold the trigger of a counted mention, those whose
mention is the one paired with their happening and no unpaired counted mention is there too.

Baselines: the majority value of the training folds' gold for each field (type, actor and
recipient codes, mode), "no toll", and the article's own main province for places.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Sequence
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from sitrep.evaluate.context import EvalContext
from sitrep.evaluate.indomain import InDomainRun
from sitrep.evaluate.metrics import Metric, StageResult, Tally, prf, ratio
from sitrep.geo import km_between
from sitrep.gold.fakes import FakesGold, GoldEvent, Span
from sitrep.gold.folds import Folds

PLACE_KM = 25.0
# The figures over paired mentions: tally name (key suffix), label, the target.
FIELD_FIGURES = (
    ("type", "PLOVER type right, of paired", 0.85),
    ("mode", "ASSAULT mode right, of paired assaults with a gold mode", None),
    ("modality", "voice right (asserted / reported), of paired", None),
    ("actor", "actor codes right, of paired", 0.80),
    ("recipient", "recipient codes right, of paired", 0.75),
    ("toll", "killed toll exact, of paired where the gold or the mention gives one", 0.85),
    ("place", "place within 25 km, of paired with a gold place", 0.85),
    ("date", "date right at the gold's granularity, of paired with a gold date", 0.80),
)


def told_at(mention: dict[str, Any]) -> list[int]:
    """Where a stored mention is told: its trigger and the triggers merged into it."""
    return [mention["trigger"]["start"], *(s["start"] for s in mention.get("also_told_at", []))]


def _inside(offset: int, spans: Sequence[Span]) -> bool:
    return any(start <= offset < end for start, end in spans)


def pair_events(
    mentions: Sequence[dict[str, Any]], events: Sequence[GoldEvent]
) -> list[tuple[int, int]]:
    """One-to-one pairs (mention index, gold index) with the most pairs, preferring type
    agreement and the gold evidence (a maximum-weight assignment)."""
    if not mentions or not events:
        return []
    weight = np.zeros((len(mentions), len(events)))
    for i, mention in enumerate(mentions):
        places = told_at(mention)
        for j, event in enumerate(events):
            if not any(_inside(p, event.spans) for p in places):
                continue
            weight[i, j] = (
                100
                + 10 * (mention["type"] == event.type)
                + any(_inside(p, [event.evidence]) for p in places)
            )
    rows, cols = linear_sum_assignment(weight, maximize=True)
    return [(int(r), int(c)) for r, c in zip(rows, cols, strict=True) if weight[r, c] > 0]


def gold_mention_keys(run: InDomainRun) -> dict[str, tuple[str, int]]:
    """Gold event id -> the stored mention paired with it (article id, mention index), by
    the one-to-one pairing every in-domain scorer shares (``indomain_events.pair_events``)."""
    keys: dict[str, tuple[str, int]] = {}
    for unit in run.gold.articles:
        mentions = [m for m in run.mentions(unit) if m["counts"]]
        events = run.gold.events_of(unit)
        for i, j in pair_events(mentions, events):
            keys[events[j].id] = (run.article_id(unit), int(mentions[i]["mention_index"]))
    return keys


def codes(roles: Sequence[dict[str, Any]]) -> frozenset[str]:
    return frozenset(r["code"] for r in roles if r.get("code"))


def _toll(mention: dict[str, Any]) -> tuple[int | None, int | None] | None:
    killed = mention.get("killed")
    return (killed["low"], killed["high"]) if killed else None


def _date_right(predicted: str | None, gold: str) -> bool:
    return predicted is not None and predicted[: len(gold)] == gold and len(predicted) >= len(gold)


def _majority(values: Sequence[Any]) -> Any:
    return Counter(values).most_common(1)[0][0] if values else None


def evaluate_indomain_events(ctx: EvalContext) -> StageResult:
    run: InDomainRun = ctx.indomain
    provinces = {
        unit: run.product.analyses.get(run.article_id(unit), {}).get("main_admin1")
        for unit in run.gold.articles
    }
    return score_events(run.gold, run.folds, run.mentions, provinces)


def score_events(
    gold: FakesGold,
    folds: Folds,
    mentions_of: Callable[[str], list[dict[str, Any]]],
    provinces: dict[str, str | None],
    units: Collection[str] | None = None,
) -> StageResult:
    """The figures of the module docstring, from the mention records of each gold article
    (``mentions_of(unit id)``) and each article's main province (the place baseline); over
    ``units`` only when given (training tunes its thresholds on its own folds so)."""
    result = StageResult(
        "events",
        f"in-domain gold, FA-KES dev ({len(gold.events)} events, {len(gold.not_events)} "
        f"not-events in {len(gold.articles)} articles; each fold decided by models trained "
        "without it)",
    )
    training_majority: dict[int, dict[str, Any]] = {}
    for fold in set(folds.fold.values()):
        train = [e for e in gold.events if folds.fold[e.unit_id] != fold]
        training_majority[fold] = {
            "type": _majority([e.type for e in train]),
            "actor": _majority([e.actor_codes for e in train]),
            "recipient": _majority([e.recipient_codes for e in train]),
            "mode": _majority([e.mode for e in train if e.type == "ASSAULT" and e.mode]),
            "modality": _majority([e.modality for e in train]),
        }
    counted_total = matched_total = 0
    tallies = {
        k: Tally()
        for k in ("type", "mode", "modality", "actor", "recipient", "toll", "place", "date")
    }
    not_events_counted = 0
    remention_right = remention_total = 0
    chosen = sorted(units) if units is not None else sorted(gold.articles)
    gold_events = [e for e in gold.events if e.unit_id in set(chosen)]
    gold_not_events = [n for n in gold.not_events if n.unit_id in set(chosen)]
    for unit in chosen:
        mentions = [m for m in mentions_of(unit) if m["counts"]]
        events = gold.events_of(unit)
        pairs = pair_events(mentions, events)
        counted_total += len(mentions)
        matched_total += len(pairs)
        majority = training_majority[folds.fold[unit]]
        main_province = provinces.get(unit)
        paired_mention = {j: i for i, j in pairs}
        for i, j in pairs:
            m, e = mentions[i], events[j]
            tallies["type"].add(m["type"] == e.type, majority["type"] == e.type)
            tallies["modality"].add(m["modality"] == e.modality, majority["modality"] == e.modality)
            if e.type == "ASSAULT" and e.mode:
                tallies["mode"].add(m["mode"] == e.mode, majority["mode"] == e.mode)
            tallies["actor"].add(
                codes(m["actor"]) == e.actor_codes, majority["actor"] == e.actor_codes
            )
            tallies["recipient"].add(
                codes(m["recipient"]) == e.recipient_codes,
                majority["recipient"] == e.recipient_codes,
            )
            if e.killed is not None or _toll(m) is not None:
                tallies["toll"].add(_toll(m) == e.killed, e.killed is None)
            if e.lat is not None and e.lon is not None:
                place = m.get("place")
                near = (
                    place is not None
                    and km_between(place["lat"], place["lon"], e.lat, e.lon) <= PLACE_KM
                )
                tallies["place"].add(near, bool(e.admin1) and e.admin1 == main_province)
            if e.date:
                published = gold.articles[unit].published.isoformat()
                tallies["date"].add(
                    _date_right(m["date"]["value"], e.date), _date_right(published, e.date)
                )
        matched_ids = {i for i, _ in pairs}
        for not_event in (n for n in gold.not_events if n.unit_id == unit):
            if any(
                i not in matched_ids and _inside(m["trigger"]["start"], [not_event.span])
                for i, m in enumerate(mentions)
            ):
                not_events_counted += 1
        for j, event in enumerate(events):
            for span in event.also:
                holders = [
                    i for i, m in enumerate(mentions) if any(_inside(p, [span]) for p in told_at(m))
                ]
                if holders:
                    # Wrong when a counted mention here is no gold happening (the re-mention
                    # counted on its own), or when this happening's mention is not here.
                    remention_total += 1
                    remention_right += paired_mention.get(j) in holders and all(
                        h in matched_ids for h in holders
                    )
    precision, recall, f1 = prf(matched_total, counted_total, len(gold_events))
    result.metrics += [
        Metric(
            "fakes.events.precision",
            "event precision (counted mentions that are a gold happening, once)",
            precision,
            0.80,
            counted_total,
        ),
        Metric(
            "fakes.events.recall",
            "event recall (gold happenings counted)",
            recall,
            0.80,
            len(gold_events),
        ),
        Metric("fakes.events.f1", "event F1", f1, None, len(gold_events)),
    ]
    result.metrics += [
        tallies[name].metric(f"fakes.events.{name}", label, target)
        for name, label, target in FIELD_FIGURES
    ]
    result.metrics += [
        Metric(
            "fakes.not_events.counted",
            "not-events counted as events (share of gold not-events)",
            ratio(not_events_counted, len(gold_not_events)),
            0.10,
            len(gold_not_events),
            lower_is_better=True,
        ),
        Metric(
            "fakes.events.rementions_merged",
            "re-mentions merged into their happening (of gold re-mentions a counted mention tells)",
            ratio(remention_right, remention_total),
            0.85,
            remention_total,
        ),
    ]
    return result
