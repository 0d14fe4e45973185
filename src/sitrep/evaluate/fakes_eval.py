"""Cause of death and civilians killed against FA-KES (dev.csv), one figure per article.

The article's main violent event is its counted ASSAULT mention with the largest toll (the
first one when none gives a toll). Its mode maps to FA-KES's causes: aerial and
heavy-weapons -> shelling (FA-KES counts air strikes and barrel bombs as shelling),
explosives and suicide-attack -> explosion, firearms -> shooting, targeted -> execution,
unconventional -> chemical and toxic gases; no mode or no ASSAULT -> unknown.
Civilians killed: the body's first precise casualty count whose victims are not named as
fighters (vague counts and the headline's only as fallbacks); 0 when the article gives none.
"""

from __future__ import annotations

import re

from sitrep.analyze.core.document import Document
from sitrep.analyze.core.pipeline import Analyzer
from sitrep.evaluate.context import EvalContext
from sitrep.evaluate.metrics import Metric, StageResult, ratio
from sitrep.evaluate.nlp_eval import fakes_articles

WAR_TOTAL = 10_000
_VAGUE = re.compile(
    r"(?:scores|dozens|hundreds|thousands|several|many|a number|tens|few)\b", re.IGNORECASE
)
CAUSES = {
    "aerial": "shelling",
    "heavy-weapons": "shelling",
    "explosives": "explosion",
    "suicide-attack": "explosion",
    "firearms": "shooting",
    "targeted": "execution",
    "unconventional": "chemical and toxic gases",
}
_FIGHTERS = re.compile(
    r"\b(?:soldiers?|troops?|fighters?|militants?|rebels?|jihadists?|terrorists?|members?|gunmen|"
    r"officers?|personnel|forces?|insurgents?|recruits?|policemen|police|guards?|commanders?)\b",
    re.IGNORECASE,
)


def main_assault(document: Document):  # type: ignore[no-untyped-def]
    assaults = [e for e in document.events if e.type == "ASSAULT" and e.modality.counts_as_event]
    if not assaults:
        return None
    with_toll = [e for e in assaults if e.killed_low is not None]
    return max(with_toll, key=lambda e: e.killed_low or 0) if with_toll else assaults[0]


def cause_of_death(document: Document) -> str:
    """The main assault's method, else the first method any assault in the article names."""
    event = main_assault(document)
    if event is not None and event.mode in CAUSES:
        return CAUSES[event.mode]
    for mention in sorted(
        document.events, key=lambda e: (not e.modality.counts_as_event, e.trigger_start)
    ):
        if mention.type == "ASSAULT" and mention.mode in CAUSES:
            return CAUSES[mention.mode]
    return "unknown"


def civilians_killed(document: Document) -> int:
    """The incident's civilian toll: the first precise count in the body whose victims are not
    named as fighters; a vague one ("scores", "dozens") or the headline's only when the body
    gives no precise count. Counts of 10,000 or more are the war's running total, not an
    incident's toll."""
    candidates = []
    for q in sorted(document.quantities, key=lambda q: q.start):
        if q.category != "killed" or q.low is None or q.low >= WAR_TOTAL:
            continue
        victims = (q.subject or "") + " " + document.text[q.end : q.end + 40].split(".")[0]
        if _FIGHTERS.search(victims):
            continue
        vague = bool(_VAGUE.match(q.text.strip()))
        in_headline = q.start < document.article.body_start
        candidates.append((vague, in_headline, q.start, q.low))
    return min(candidates)[3] if candidates else 0


def evaluate_fakes_events(ctx: EvalContext) -> StageResult:
    pairs = fakes_articles(ctx)
    documents = Analyzer(ctx.resources).analyze_many([a for _, a in pairs])
    result = StageResult("events", f"FA-KES dev ({len(pairs)} articles)")
    cause_right = civilians_right = 0
    result.detail.append(["unit", "gold cause", "predicted", "gold civilians", "predicted"])
    for (row, _), document in zip(pairs, documents, strict=True):
        cause = cause_of_death(document)
        civilians = civilians_killed(document)
        ok_cause = cause == row["cause_of_death"]
        ok_civilians = str(civilians) == row["nb_civilians"].strip()
        cause_right += ok_cause
        civilians_right += ok_civilians
        if (not ok_cause or not ok_civilians) and len(result.detail) < 40:
            result.detail.append(
                [row["unit_id"], row["cause_of_death"], cause, row["nb_civilians"], civilians]
            )
    n = len(pairs)
    result.metrics += [
        Metric("fakes.cause_of_death", "cause of death right", ratio(cause_right, n), 0.70, n),
        Metric(
            "fakes.civilians_killed",
            "civilians killed exactly right",
            ratio(civilians_right, n),
            0.60,
            n,
        ),
    ]
    return result
