"""Where, who, when and how many, as the product stored them: the seeds gold events' places,
actors, dates and tolls, and FA-KES dev's governorates.

Seeds. The seeds folder goes through the product (``EvalContext.seed_run``) and each gold
event is paired with a stored mention as the events stage pairs them
(``events_eval.match_seed_events``). Each figure reads the paired mention's stored field; a
gold event no stored mention is paired with counts as wrong:
- places: of the gold events with coordinates, the mention's stored place lies within 25 km;
- actor codes: of the gold actors and recipients with a code, the mention's stored codes for
  that role are the gold's codes exactly; "and sector": besides, every sector the gold
  gives is among the stored sectors of that role;
- dates: of the gold events with a date, the mention's stored date value is the same day
  (the same month when the gold gives a month);
- killed: of the gold events with a killed range, the mention's stored killed low and high
  equal the gold's.

FA-KES. The 398 rows of ``fakes/dev.csv`` go through the product as a JSONL file, one
record each (its content as the text, its headline as the title, its outlet and date:
``stored.fakes_dev_record``; ``EvalContext.fakes398_run``); a row whose text repeats an
earlier row's reads that stored article. A row's governorate is right when the stored
``analyses.main_admin1`` of its article is one that FA-KES's label covers.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sitrep.evaluate.context import EvalContext
from sitrep.evaluate.events_eval import gold_codes, gold_roles, match_seed_events
from sitrep.evaluate.indomain_events import codes
from sitrep.evaluate.metrics import Metric, StageResult, ratio
from sitrep.evaluate.stored import fakes_dev_rows
from sitrep.gold.data import seeds_gold
from sitrep.gold.spans import km_between

PLACE_KM = 25.0
Pair = tuple[dict[str, Any], dict[str, Any] | None]  # (gold event, its stored mention)


def score_places(pairs: list[Pair], result: StageResult) -> None:
    right = total = 0
    for event, mention in pairs:
        gold = event.get("place") or {}
        if gold.get("lat") is None:
            continue
        total += 1
        place = (mention or {}).get("place")
        distance = (
            km_between(place["lat"], place["lon"], gold["lat"], gold["lon"]) if place else None
        )
        ok = distance is not None and distance <= PLACE_KM
        right += ok
        if not ok:
            got = f"{place['name']} ({distance:.0f} km)" if place else _none(mention, "no place")
            result.detail.append(["place", event["id"], gold["name"], got])
    result.metrics.append(
        Metric(
            "seeds.places_within_25km",
            "event places within 25 km of gold",
            ratio(right, total),
            0.90,
            total,
        )
    )


def _none(mention: dict[str, Any] | None, what: str) -> str:
    return what if mention is not None else "no stored mention"


def score_actors(pairs: list[Pair], result: StageResult) -> None:
    right = with_sector = total = 0
    for event, mention in pairs:
        for role in ("actor", "recipient"):
            gold = event.get(role)
            want = gold_codes(gold)
            if not want:
                continue
            total += 1
            stored = (mention or {}).get(role) or []
            ok = codes(stored) == want
            right += ok
            sectors = {r.sector for r in gold_roles(gold) if r.sector}
            with_sector += ok and sectors <= {r["sector"] for r in stored}
            if not ok:
                got = ", ".join(f"{r['code']}/{r['sector']}" for r in stored) or _none(
                    mention, "no code"
                )
                result.detail.append([role, event["id"], "+".join(sorted(want)), got])
    result.metrics += [
        Metric(
            "seeds.actor_codes",
            "gold actors/recipients with the right code",
            ratio(right, total),
            0.85,
            total,
        ),
        Metric(
            "seeds.actor_codes_and_sector",
            "... and the right sector too",
            ratio(with_sector, total),
            None,
            total,
        ),
    ]


def _same_date(stored: str | None, gold: str) -> bool:
    if stored is None:
        return False
    if len(gold) == 7:  # the gold is a month: the same month is right
        return stored[:7] == gold
    return stored == gold


def score_dates(pairs: list[Pair], result: StageResult) -> None:
    right = total = 0
    for event, mention in pairs:
        gold = (event.get("date") or {}).get("value")
        if not gold:
            continue
        total += 1
        date = (mention or {}).get("date") or {}
        ok = _same_date(date.get("value"), str(gold))
        right += ok
        if not ok:
            got = f"{date.get('value')} ({date.get('how')})" if date else _none(mention, "")
            result.detail.append(["date", event["id"], str(gold), got])
    result.metrics.append(
        Metric(
            "seeds.dates",
            "event dates right (same day; same month for month gold)",
            ratio(right, total),
            0.85,
            total,
        )
    )


def score_killed(pairs: list[Pair], result: StageResult) -> None:
    right = total = 0
    for event, mention in pairs:
        gold = event.get("killed")
        if not gold:
            continue
        total += 1
        killed = (mention or {}).get("killed") or {}
        ok = (killed.get("low"), killed.get("high")) == (gold.get("low"), gold.get("high"))
        right += ok
        if not ok:
            got = f"{killed['low']}-{killed['high']}" if killed else _none(mention, "none")
            result.detail.append(["killed", event["id"], f"{gold['low']}-{gold['high']}", got])
    result.metrics.append(
        Metric(
            "seeds.killed_exact", "killed ranges exactly right", ratio(right, total), 0.85, total
        )
    )


def evaluate_seeds_nlp(ctx: EvalContext) -> StageResult:
    events = seeds_gold(ctx.data_dir)["events"]
    seeds = match_seed_events(ctx.seed_run, events)
    pairs = [(event, seeds.mention(event["id"])) for event in events]
    result = StageResult("nlp core", "seeds gold events (the fields of the paired stored mention)")
    result.detail.append(["field", "gold event", "gold value", "stored"])
    score_places(pairs, result)
    score_actors(pairs, result)
    score_dates(pairs, result)
    score_killed(pairs, result)
    return result


# FA-KES governorate names -> the admin1 names that count as right ("damascus" covers the
# city and its countryside, Rif Dimashq, as FA-KES's annotators used it).
FAKES_GOVERNORATES = {
    "aleppo": {"Aleppo"},
    "damascus": {"Damascus", "Rif Dimashq"},
    "idlib": {"Idlib"},
    "deir ezzor": {"Deir ez-Zor"},
    "raqqa": {"Raqqa"},
    "homs": {"Homs"},
    "hasakeh": {"Al-Hasakah"},
    "hama": {"Hama"},
    "daraa": {"Daraa"},
    "lattakia": {"Latakia"},
    "quneitra": {"Quneitra"},
    "tartous": {"Tartus"},
    "sweida": {"As-Suwayda"},
}


def evaluate_fakes_places(ctx: EvalContext) -> StageResult:
    rows = fakes_dev_rows(ctx.data_dir)
    run = ctx.fakes398_run
    result = StageResult("places", f"FA-KES dev ({len(rows)} articles)")
    right = 0
    confusion: Counter[tuple[str, str]] = Counter()
    for row in rows:
        gold = row["location"].strip().lower()
        stored = run.analysis(row["unit_id"]).get("main_admin1")
        ok = stored in FAKES_GOVERNORATES.get(gold, {gold})
        right += ok
        if not ok:
            confusion[(gold, str(stored))] += 1
    result.metrics.append(
        Metric(
            "fakes.main_governorate",
            "article's main governorate right",
            ratio(right, len(rows)),
            0.85,
            len(rows),
        )
    )
    result.detail.append(["gold governorate", "stored", "articles"])
    result.detail += [[g, p, n] for (g, p), n in confusion.most_common(15)]
    return result
