"""Incidents across outlets on the in-domain gold: are two accounts one happening?

The 60 annotated FA-KES dev articles go through the product (``EvalContext.indomain``): each
article analysed by the decision models trained without its fold, then the whole set
consolidated, each pair of articles decided by an incident model whose threshold was chosen
without that pair (``indomain.fold_incident_models``). Every figure reads the exported
mention and event records.

Each gold event is paired with at most one stored mention, as every in-domain scorer pairs
them (``indomain_events.pair_events``). Every pair of gold events is then a decision: the gold
says "one happening" when both are listed under one of its ``incidents``; the product says so
when both paired mentions are accounts of one stored event. A gold event without a paired
mention is in no stored event, so each of its gold pairs is a miss. The ceiling is the share
of gold pairs whose two events both have a paired mention: what consolidation could reach
with the events the decision layer stores.
"""

from __future__ import annotations

from itertools import combinations

from sitrep.evaluate.context import EvalContext
from sitrep.evaluate.indomain import InDomainRun
from sitrep.evaluate.indomain_events import gold_mention_keys
from sitrep.evaluate.metrics import Metric, StageResult, prf, ratio, same_group_pairs

__all__ = ["evaluate_incidents"]


def evaluate_incidents(ctx: EvalContext) -> StageResult:
    run: InDomainRun = ctx.indomain
    gold = run.gold
    keys = gold_mention_keys(run)
    event_at = {
        (a["article_id"], a["mention_index"]): n
        for n, event in enumerate(run.product.events)
        for a in event["accounts"]
    }
    incident_of = {e: incident.id for incident in gold.incidents for e in incident.events}
    universe = [e.id for e in gold.events]
    cluster_of = {e: event_at.get(keys[e]) if e in keys else None for e in universe}
    tp, pp, gp = same_group_pairs(universe, incident_of, cluster_of)
    precision, recall, f1 = prf(tp, pp, gp)
    reachable = sum(
        a in keys and b in keys
        for incident in gold.incidents
        for a, b in combinations(incident.events, 2)
    )
    result = StageResult(
        "incidents",
        f"in-domain gold, FA-KES dev ({len(gold.incidents)} incidents, {gp} same-incident "
        f"pairs among {len(universe)} events; thresholds chosen without the pair's fold)",
    )
    result.metrics += [
        Metric("fakes.same_incident.f1", "same-incident pairs F1 (every gold event)", f1, 0.85, gp),
        Metric("fakes.same_incident.precision", "... precision", precision, None, pp),
        Metric("fakes.same_incident.recall", "... recall", recall, None, gp),
        Metric(
            "fakes.same_incident.ceiling",
            "... gold pairs whose two events the events stage stored (the recall ceiling)",
            ratio(reachable, gp),
            None,
            gp,
        ),
    ]
    result.notes.append(
        f"same-incident pairs: {tp} found of {gp}, {pp} claimed; {reachable} of the {gp} had "
        "both events stored."
    )
    across = sum(len({a["article_id"] for a in e["accounts"]}) > 1 for e in run.product.events)
    result.notes.append(
        f"{len(run.product.events)} stored events, {across} told by two or more articles."
    )
    return result
