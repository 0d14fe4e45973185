"""Cross-article events the product stored for the seed pages, against the seeds gold
(``consolidated``): are two mentions one event, and are the Deir ez-Zor strike's
disagreements surfaced?

The seeds folder goes through the product and its consolidation (``EvalContext.seed_run``);
every figure reads the stored mention and consolidated event records. Gold mentions are
paired with stored mentions as the events stage pairs them
(``events_eval.match_seed_events``). Every pair of paired gold mentions is then a decision:
the gold says "same event" when both are listed under one ``consolidated`` entry; the
product says so when both stored mentions are accounts of one stored consolidated event. The
headline figure is over the gold mentions paired with a mention that counts as an event
(only those are consolidated); the same figure over every paired gold mention is reported
too, and over every gold mention (issue 12's figure: an unpaired gold mention is in no
stored event, so each of its gold pairs is a miss). "Told by 2+ articles" counts the stored
consolidated events whose accounts come from two or more articles.

Deir ez-Zor strike: the stored event holding the most of the mentions paired with the three
gold accounts of the strike. Its stored disagreements are read field by field: a field is
surfaced when it holds two or more values; a gold account is found on the right side when a
stored source of that field, from the gold account's file, names half the gold source's
words or says half the gold value's words (its evidence), and holds the value the project's
reading of the gold gives it (``DEZ_SIDES``); for the toll, each gold account on a value of
its own.
"""

from __future__ import annotations

import re
from typing import Any

from sitrep.evaluate.context import EvalContext
from sitrep.evaluate.events_eval import DEZ_EVENTS, match_seed_events
from sitrep.evaluate.metrics import Metric, StageResult, prf, ratio, same_group_pairs
from sitrep.evaluate.stored import SeedRun
from sitrep.gold.data import seeds_gold

MentionKey = tuple[str, int]  # (article id, mention index)


def _members(event: dict[str, Any]) -> set[MentionKey]:
    return {(a["article_id"], a["mention_index"]) for a in event["accounts"]}


def evaluate_consolidation(ctx: EvalContext) -> StageResult:
    gold = seeds_gold(ctx.data_dir)
    run = ctx.seed_run
    events = run.product.events
    cluster_at = {member: n for n, event in enumerate(events) for member in _members(event)}
    seeds = match_seed_events(run, gold["events"])
    key_of = {g: (a, m["mention_index"]) for g, (a, m) in seeds.matched.items()}
    gold_of = {m: entry["id"] for entry in gold["consolidated"] for m in entry["mentions"]}
    cluster_of: dict[str, int | None] = {g: cluster_at.get(key) for g, key in key_of.items()}
    counted = [g for g, (_a, m) in seeds.matched.items() if m["counts"]]
    result = StageResult("consolidation", f"seeds gold ({len(gold['consolidated'])} events)")
    for key, label, universe in (
        ("seeds.same_event.f1", "same-event pairs F1 (mentions that count as events)", counted),
        (
            "seeds.same_event.f1_all",
            "same-event pairs F1 (every matched gold mention)",
            list(seeds.matched),
        ),
        (
            "seeds.same_event.f1_every",
            "same-event pairs F1 (every gold mention; an unmatched one misses its pairs)",
            [e["id"] for e in gold["events"]],
        ),
    ):
        tp, pp, gp = same_group_pairs(universe, gold_of, cluster_of)
        precision, recall, f1 = prf(tp, pp, gp)
        target = {"seeds.same_event.f1": 0.80, "seeds.same_event.f1_every": 0.85}.get(key)
        result.metrics.append(Metric(key, label, f1, target, gp))
        result.notes.append(
            f"{label}: precision {precision:.3f} ({tp}/{pp}), recall {recall:.3f} ({tp}/{gp})."
        )
    result.metrics.append(
        Metric(
            "seeds.events_across_articles",
            "consolidated events told by 2+ articles",
            float(sum(e["n_articles"] > 1 for e in events)),
            None,
            len(events),
        )
    )
    _detail(result, gold, cluster_of, events, key_of)
    dez = _dez_event(events, key_of)
    result.notes.append(
        f"Deir ez-Zor strike: {len(dez['accounts']) if dez else 0} mentions merged."
    )
    _dez_disagreements(run, gold, dez, result)
    return result


# Which side each gold account of the 17 September 2016 strike takes, as sitrep names the
# values (resources/characterisations.yaml). This reading of the gold is the project's own;
# accounts left out here (Russia's demand that asks both ways, the author's "cowardly
# bombing") are not scored.
DEZ_SIDES: dict[str, dict[str, str]] = {
    "intent": {
        "The US government": "mistake",
        "the Pentagon": "mistake",
        "Maria Zakharova": "deliberate",
        "The Syrian military": "deliberate",
        "Vitaly Churkin": "deliberate",
        "@Agitpapa": "deliberate",
    },
    "coordination": {
        "The US Central Command": "coordinated",
        "The Pentagon": "coordinated",
        "Moscow": "not coordinated",
        "The Russians": "not coordinated",
    },
}
DEZ_FIELDS = ("killed", "intent", "coordination")
_WORDS = re.compile(r"[a-z0-9@]+")
_STOP = {"the", "a", "an", "of", "to", "in", "on", "and", "was", "is", "that", "what"}


def _content_words(text: str) -> set[str]:
    return {w for w in _WORDS.findall(text.lower()) if w not in _STOP}


def _find_account(
    gold_account: dict[str, Any], accounts: list[dict[str, Any]], ids: list[str]
) -> dict[str, Any] | None:
    """The stored source, from the same file, that names the same source or says the same."""
    source = _content_words(re.sub(r"\(.*?\)", "", gold_account["source"]))
    value = _content_words(gold_account["value"])
    best, best_score = None, 0.0
    for account in accounts:
        if account["article_id"] not in ids:
            continue
        score = max(
            len(source & _content_words(account["source"] or "")) / max(len(source), 1),
            len(value & _content_words(account["evidence"] or "")) / max(len(value), 1),
        )
        if score > best_score:
            best, best_score = account, score
    return best if best_score >= MATCH_SHARE else None


# A gold account and ours match when half the gold's source words or value words recur.
MATCH_SHARE = 0.5


def _stored_accounts(event: dict[str, Any] | None) -> dict[str, list[dict[str, Any]]]:
    """Field -> every stored source of a disagreement, each with the value it gives."""
    found: dict[str, list[dict[str, Any]]] = {}
    for disagreement in (event or {}).get("disagreements", []):
        found[disagreement["field"]] = [
            {"value": v["value"], **source}
            for v in disagreement["values"]
            for source in v["sources"]
        ]
    return found


def _dez_disagreements(
    run: SeedRun, gold: dict[str, Any], dez: dict[str, Any] | None, result: StageResult
) -> None:
    entry = next(e for e in gold["consolidated"] if e["id"] == "X-DEZ-STRIKE-2016")
    ours = _stored_accounts(dez)
    surfaced = scored = right = 0
    for disagreement in entry["disagreements"]:
        field = disagreement["field"].split()[0]
        if field not in DEZ_FIELDS:
            continue
        accounts = ours.get(field, [])
        surfaced += len({a["value"] for a in accounts}) > 1
        values_given: list[str] = []
        for gold_account in disagreement["accounts"]:
            side = DEZ_SIDES.get(field, {}).get(gold_account["source"])
            if field != "killed" and side is None:
                continue
            scored += 1
            found = _find_account(gold_account, accounts, run.files.get(gold_account["file"], []))
            ok = found is not None and (side is None or found["value"] == side)
            if field == "killed" and found is not None:
                ok = found["value"] not in values_given  # each account on its own side
                values_given.append(found["value"])
            right += ok
            result.detail.append(
                [
                    "DEZ " + field,
                    gold_account["source"],
                    side or "",
                    found["value"] if found else "not found",
                    "ok" if ok else "wrong",
                ]
            )
    result.metrics += [
        Metric(
            "seeds.dez_disagreements.fields",
            "Deir ez-Zor strike: killed, intent, coordination surfaced as disagreements",
            ratio(surfaced, len(DEZ_FIELDS)),
            1.0,
            len(DEZ_FIELDS),
        ),
        Metric(
            "seeds.dez_disagreements.accounts",
            "... gold accounts found on the right side",
            ratio(right, scored),
            None,
            scored,
        ),
    ]


def _dez_event(
    events: list[dict[str, Any]], key_of: dict[str, MentionKey]
) -> dict[str, Any] | None:
    keys = {key_of[g] for g in DEZ_EVENTS if g in key_of}
    best = max(events, key=lambda e: len(keys & _members(e)), default=None)
    return best if best is not None and keys & _members(best) else None


def _detail(
    result: StageResult,
    gold: dict[str, Any],
    cluster_of: dict[str, int | None],
    events: list[dict[str, Any]],
    key_of: dict[str, MentionKey],
) -> None:
    result.detail.append(["gold event", "mentions", "stored events", "", ""])
    for entry in gold["consolidated"]:
        got = [str(cluster_of.get(m, "unmatched")) for m in entry["mentions"]]
        result.detail.append([entry["id"], " ".join(entry["mentions"]), " ".join(got), "", ""])
    gold_ids = {key: g for g, key in key_of.items()}
    for n, event in enumerate(events):
        members = sorted(_members(event))
        if len(members) > 1:
            names = [gold_ids.get(k, f"{k[0][:6]}#{k[1]}") for k in members]
            date = (event["date"] or {}).get("value") or ""
            result.detail.append([f"event {n}", event["type"], " ".join(names), date, ""])
