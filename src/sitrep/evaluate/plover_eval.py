"""Event type and actor codes the product stored for the PLOVER gold-standard records
(gsr-dev.json).

Each record is one sentence with its coded event. The records go through the product as a
JSONL file, one input record (its ``id`` and ``text``) each (``EvalContext.plover_run``); the
figures read the stored mention records. The mention scored is the stored one whose trigger
overlaps the record's marked event text (EVT), one asserted or reported first (the promise
"will provide aid" over the future aid), else the sentence's first stored mention; a record
with no stored mention is wrong. Type: the mention's stored type. Actor: a stored actor of
the mention has the gold source's code.

The GSR predates PLOVER's 16 types; its older labels map onto them as the codebook says:
DEMAND -> REQUEST, DISAPPROVE -> ACCUSE (disapprove), INVESTIGATE -> ACCUSE (investigate),
FIGHT -> ASSAULT. Its group codes IGO and NGO name a sector, not a state: a stored actor
with that sector matches them. Three of its country codes are not ISO 3166 nor CAMEO (ITL
for Italy and JAP for Japan in sentences naming those countries, VTN beside VNM for
Vietnam): they are scored as ITA, JPN and VNM.
"""

from __future__ import annotations

import re
from typing import Any

from sitrep.evaluate.context import EvalContext
from sitrep.evaluate.metrics import Metric, StageResult, ratio
from sitrep.evaluate.stored import plover_records
from sitrep.gold.spans import locate, overlaps

OLD_TYPES = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
}
NON_ISO = {"ITL": "ITA", "JAP": "JPN", "VTN": "VNM"}
_EVT = re.compile(r"\(EVT:\s*([^)]*)\)")
SAID_HAPPENED = ("asserted", "reported")


def _chosen(
    record: dict[str, Any], text: str | None, mentions: list[dict[str, Any]]
) -> dict[str, Any] | None:
    if not mentions or text is None:
        return None
    info = record.get("textInfo")
    markup = info.get("markup", "") if isinstance(info, dict) else str(info or "")
    for evt in _EVT.findall(markup):
        span = locate(text, evt.strip())
        if span:
            inside = [
                m for m in mentions if overlaps((m["trigger"]["start"], m["trigger"]["end"]), span)
            ]
            if inside:  # a record codes something that happened: a promise over its action
                return min(inside, key=lambda m: m["modality"] not in SAID_HAPPENED)
    return mentions[0]


def _actor_right(record: dict[str, Any], mention: dict[str, Any] | None) -> bool | None:
    sources = record.get("source") or []
    gold = next((s.get("code") for s in sources if s.get("code")), None)
    if gold is None:
        return None
    gold = NON_ISO.get(gold, gold)
    if mention is None:
        return False
    return any(
        actor["code"] == gold or (gold in ("IGO", "NGO") and actor["sector"] == gold)
        for actor in mention["actor"]
    )


def evaluate_plover(ctx: EvalContext) -> StageResult:
    records = plover_records(ctx.data_dir)
    run = ctx.plover_run
    result = StageResult("events", f"PLOVER gold standard dev ({len(records)} records)")
    type_right = actor_right = with_actor = 0
    result.detail.append(["record", "gold type", "stored", "gold actor", "stored actors"])
    for record in records:
        mention = _chosen(record, run.text(record["id"]), run.mentions(record["id"]))
        gold_type = OLD_TYPES.get(record["event"], record["event"])
        ok_type = mention is not None and mention["type"] == gold_type
        type_right += ok_type
        actor = _actor_right(record, mention)
        if actor is not None:
            with_actor += 1
            actor_right += actor
        if not ok_type or actor is False:
            got = mention["type"] if mention else "none"
            actors = ", ".join(str(a["code"]) for a in mention["actor"]) if mention else ""
            gold_actor = next((s.get("code") for s in record.get("source") or []), None)
            result.detail.append([record["id"], gold_type, got, gold_actor, actors])
    result.metrics += [
        Metric(
            "plover.event_type",
            "event type right",
            ratio(type_right, len(records)),
            0.70,
            len(records),
        ),
        Metric(
            "plover.actor_code",
            "source actor code right",
            ratio(actor_right, with_actor),
            0.70,
            with_actor,
        ),
    ]
    return result
