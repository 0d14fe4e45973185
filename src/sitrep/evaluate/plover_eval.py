"""Event type and actor codes against the PLOVER gold-standard records (gsr-dev.json).

Each record is one sentence with its coded event. The mention scored is the one whose
trigger lies in the record's marked event text (EVT), one that counts as an event first
(the promise "will provide aid" over the future aid), else the sentence's first mention.
The GSR predates PLOVER's 16 types; its older labels map onto them as the codebook says:
DEMAND -> REQUEST, DISAPPROVE -> ACCUSE (disapprove), INVESTIGATE -> ACCUSE (investigate),
FIGHT -> ASSAULT. Its group codes IGO and NGO name a sector, not a state: a predicted actor
with that sector matches them. Three of its country codes are not ISO 3166 nor CAMEO (ITL
for Italy and JAP for Japan in sentences naming those countries, VTN beside VNM for
Vietnam): they are scored as ITA, JPN and VNM.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sitrep.analyze.core.pipeline import Analyzer
from sitrep.evaluate.context import EvalContext
from sitrep.evaluate.metrics import Metric, StageResult, ratio
from sitrep.gold.spans import locate, overlaps
from sitrep.ingest.build import make_article
from sitrep.model import Article, EventMention, Origin

OLD_TYPES = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
}
NON_ISO = {"ITL": "ITA", "JAP": "JPN", "VTN": "VNM"}
_EVT = re.compile(r"\(EVT:\s*([^)]*)\)")


def read_records(ctx: EvalContext) -> list[dict[str, Any]]:
    with (ctx.data_dir / "plover" / "gsr-dev.json").open(encoding="utf-8") as stream:
        records: list[dict[str, Any]] = json.load(stream)
    return [r for r in records if r.get("text") and r.get("event") != "DOCUMENT"]


def _chosen(record: dict[str, Any], text: str, events: list[EventMention]) -> EventMention | None:
    if not events:
        return None
    info = record.get("textInfo")
    markup = info.get("markup", "") if isinstance(info, dict) else str(info or "")
    for evt in _EVT.findall(markup):
        span = locate(text, evt.strip())
        if span:
            inside = [e for e in events if overlaps((e.trigger_start, e.trigger_end), span)]
            if inside:  # a record codes something that happened: a promise over its action
                return min(inside, key=lambda e: not e.modality.counts_as_event)
    return events[0]


def _actor_right(record: dict[str, Any], event: EventMention | None) -> bool | None:
    sources = record.get("source") or []
    gold = next((s.get("code") for s in sources if s.get("code")), None)
    if gold is None:
        return None
    gold = NON_ISO.get(gold, gold)
    if event is None:
        return False
    for actor in event.actors:
        if actor.code == gold or (gold in ("IGO", "NGO") and actor.sector == gold):
            return True
    return False


def evaluate_plover(ctx: EvalContext) -> StageResult:
    records = read_records(ctx)
    articles = []
    for record in records:
        article = make_article(record["text"], Origin("plover", record["id"]))
        assert isinstance(article, Article)
        articles.append(article)
    documents = Analyzer(ctx.resources).analyze_many(articles)
    result = StageResult("events", f"PLOVER gold standard dev ({len(records)} records)")
    type_right = actor_right = with_actor = 0
    result.detail.append(["record", "gold type", "predicted", "gold actor", "predicted actors"])
    for record, document in zip(records, documents, strict=True):
        event = _chosen(record, document.text, document.events)
        gold_type = OLD_TYPES.get(record["event"], record["event"])
        ok_type = event is not None and event.type == gold_type
        type_right += ok_type
        actor = _actor_right(record, event)
        if actor is not None:
            with_actor += 1
            actor_right += actor
        if not ok_type or actor is False:
            got = event.type if event else "none"
            actors = ", ".join(str(a.code) for a in event.actors) if event else ""
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
