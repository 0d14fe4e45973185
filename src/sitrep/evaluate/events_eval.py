"""Event mentions the product stored for the seed pages, against the seeds gold (``events``,
``not_events``), and the Deir ez-Zor strike check.

The seeds folder is ingested as a user gives it, analysed with the shipped models and
consolidated (``EvalContext.seed_run``); every figure reads the stored mention records.

Matching (``match_seed_events``, shared with the nlp and consolidation stages). Each gold
event is located in the first stored article of its file whose text holds its evidence. A
stored mention of that article can match it when one of the places the mention is told at
(its trigger, the triggers of the re-mentions merged into it) lies inside the evidence; the
pairs are one to one, as many as possible, preferring type agreement
(``indomain_events.pair_events``), first among the mentions that count as events, then, for
the gold events left, among the other stored mentions.

Figures. Recall: gold events matched by a stored mention of any modality. Precision: stored
mentions that count as events and are matched, of all that count in every seed article.
Type and modality: the stored values, over the matched pairs. Actor: the gold actor codes
are all among the mention's stored actor codes, over the matched pairs whose gold actor has
a code. Not-events counted: gold not-events whose evidence holds a place where a counted,
unmatched mention is told. Deir ez-Zor strike: for the stored mention matched to each of the
three gold accounts, its type ASSAULT, mode aerial, an actor coded USA, a recipient coded
SYR in sector MIL, its place within 25 km of Deir ez-Zor, its date 2016-09-17, and for 004
its killed range 62-100.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sitrep.evaluate.context import EvalContext
from sitrep.evaluate.indomain_events import codes, pair_events, told_at
from sitrep.evaluate.metrics import Metric, StageResult, prf, ratio
from sitrep.evaluate.stored import SeedRun
from sitrep.gold.data import seeds_gold
from sitrep.gold.fakes import GoldEvent, GoldRole, Span
from sitrep.gold.spans import km_between

# The 17 September 2016 strike near Deir ez-Zor air base, as the issue states it.
DEZ_EVENTS = ("e-002-1", "e-003-5", "e-004-1")
DEZ_PLACE = (35.336, 40.141)  # Deir ez-Zor (GeoNames); the air base is 6 km south-east
DEZ_KM = 25.0


def gold_codes(role: Any) -> frozenset[str]:
    """The actor codes of a seed gold role (one or a list of entries, each one or more codes)."""
    return frozenset(r.code for r in gold_roles(role) if r.code)


def gold_roles(role: Any) -> tuple[GoldRole, ...]:
    items = role if isinstance(role, list) else [role] if role else []
    return tuple(
        GoldRole(item.get("text"), code, item.get("sector"))
        for item in items
        for code in (item.get("code") if isinstance(item.get("code"), list) else [item.get("code")])
    )


def _gold_event(entry: dict[str, Any], article_id: str, evidence: Span) -> GoldEvent:
    """A seed gold event in the in-domain gold's shape, located in its stored article."""
    place = entry.get("place") or {}
    killed = entry.get("killed")
    day = (entry.get("date") or {}).get("value")
    return GoldEvent(
        id=entry["id"],
        unit_id=article_id,
        type=entry["type"],
        mode=entry.get("mode"),
        evidence=evidence,
        also=(),
        actors=gold_roles(entry.get("actor")),
        recipients=gold_roles(entry.get("recipient")),
        lat=place.get("lat"),
        lon=place.get("lon"),
        admin1=None,
        date=str(day) if day else None,
        killed=(killed.get("low"), killed.get("high")) if killed else None,
        injured=None,
        modality=entry["modality"],
        attributed_to=entry.get("attributed_to"),
        incident=entry.get("same_event_as"),
    )


@dataclass
class SeedEvents:
    """The seeds gold events paired with the stored mentions."""

    entries: dict[str, dict[str, Any]]  # gold id -> gold entry
    located: int = 0  # gold events whose evidence is in a stored article
    # gold id -> (article id, the stored mention record it is paired with)
    matched: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    counted: int = 0  # stored mentions that count as events, every seed article
    counted_matched: int = 0

    def mention(self, gold_id: str) -> dict[str, Any] | None:
        found = self.matched.get(gold_id)
        return found[1] if found else None


def match_seed_events(run: SeedRun, entries: list[dict[str, Any]]) -> SeedEvents:
    """The pairing of the module docstring."""
    result = SeedEvents({e["id"]: e for e in entries})
    by_article = run.located(entries, "evidence", _gold_event)
    result.located = sum(len(golds) for golds in by_article.values())
    for article_id in run.product.articles:
        mentions = run.mentions(article_id)
        counted = [m for m in mentions if m["counts"]]
        result.counted += len(counted)
        golds = by_article.get(article_id, [])
        pairs = pair_events(counted, golds)
        result.counted_matched += len(pairs)
        result.matched.update({golds[j].id: (article_id, counted[i]) for i, j in pairs})
        left = [g for g in golds if g.id not in result.matched]
        others = [m for m in mentions if not m["counts"]]
        for i, j in pair_events(others, left):
            result.matched[left[j].id] = (article_id, others[i])
    return result


def evaluate_seed_events(ctx: EvalContext) -> StageResult:
    gold = seeds_gold(ctx.data_dir)
    run = ctx.seed_run
    seeds = match_seed_events(run, gold["events"])
    events, matched = seeds.entries, seeds.matched
    result = StageResult(
        "events", f"seeds gold ({len(events)} events, {len(gold['not_events'])} not-events)"
    )
    precision, _recall, _f1 = prf(seeds.counted_matched, seeds.counted, len(events))
    recall = ratio(len(matched), len(events))
    pairs = [(events[i], m) for i, (_a, m) in matched.items()]
    type_right = sum(m["type"] == e["type"] for e, m in pairs)
    modality_right = sum(m["modality"] == e["modality"] for e, m in pairs)
    with_actor = [(e, m) for e, m in pairs if gold_codes(e.get("actor"))]
    actor_right = sum(gold_codes(e.get("actor")) <= codes(m["actor"]) for e, m in with_actor)
    result.detail.append(["check", "gold", "gold says", "stored"])
    paired = {(a, m["mention_index"]) for a, m in matched.values()}
    slipped = 0
    for n, entry in enumerate(gold["not_events"]):
        found = run.find(entry["file"], entry["evidence"])
        if found is None:
            continue
        article_id, (start, end) = found
        # A mention matched to a gold event may share the sentence with a not-event
        # ("did not retaliate after Turkey shot down its jet"): only unmatched ones slip.
        if any(
            m["counts"]
            and (article_id, m["mention_index"]) not in paired
            and any(start <= p < end for p in told_at(m))
            for m in run.mentions(article_id)
        ):
            slipped += 1
            result.detail.append(["not-event counted", f"not-event {n + 1}", entry["why"], ""])
    n_not = len(gold["not_events"])
    result.metrics += [
        Metric("seeds.events.recall", "event-mention recall", recall, 0.80, len(events)),
        Metric(
            "seeds.events.precision",
            "event-mention precision (mentions that count as events)",
            precision,
            0.70,
            seeds.counted,
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
            ratio(actor_right, len(with_actor)),
            None,
            len(with_actor),
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
    confusion = Counter((e["type"], m["type"]) for e, m in pairs if m["type"] != e["type"])
    for (gold_type, got), n in confusion.most_common(12):
        result.detail.append(["type confusion", f"{n}×", gold_type, got])
    for event_id, event in events.items():
        mention = seeds.mention(event_id)
        if mention is None:
            result.detail.append(["missed", event_id, f"{event['type']}/{event['modality']}", ""])
        elif mention["modality"] != event["modality"]:
            got = f"{mention['modality']} ({mention['modality_cue']})"
            result.detail.append(["modality", event_id, event["modality"], got])
    _dez_checks(seeds, result)
    return result


def _dez_checks(seeds: SeedEvents, result: StageResult) -> None:
    """The 17 September 2016 strike as told by 002, 003 and 004 (the issue's acceptance check)."""
    passed = total = 0
    for event_id in DEZ_EVENTS:
        m = seeds.mention(event_id) or {}
        place = m.get("place")
        checks = {
            "found": bool(m),
            "ASSAULT": m.get("type") == "ASSAULT",
            "aerial": m.get("mode") == "aerial",
            "by USA": "USA" in codes(m.get("actor") or []),
            "on SYR MIL": any(
                r.get("code") == "SYR" and r.get("sector") == "MIL"
                for r in m.get("recipient") or []
            ),
            "at Deir ez-Zor": place is not None
            and km_between(place["lat"], place["lon"], *DEZ_PLACE) <= DEZ_KM,
            "2016-09-17": (m.get("date") or {}).get("value") == "2016-09-17",
        }
        if event_id == "e-004-1":
            killed = m.get("killed") or {}
            checks["killed 62-100"] = (killed.get("low"), killed.get("high")) == (62, 100)
        for name, ok in checks.items():
            total += 1
            passed += ok
            if not ok:
                result.detail.append(["Deir ez-Zor strike", event_id, name, "failed"])
    result.metrics.append(
        Metric(
            "seeds.dez_strike_checks",
            "Deir ez-Zor strike: checks passed (002, 003, 004)",
            ratio(passed, total),
            1.0,
            total,
        )
    )
