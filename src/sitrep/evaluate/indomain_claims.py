"""Claims and unattributed assertions the product stored for the in-domain gold, scored
against its ``claims`` and ``unattributed_assertions``, each article decided by its held-out
fold's models.

A stored claim is paired with a gold claim when their content spans overlap in the same
article, one to one, the largest overlaps first (a maximum-weight assignment). Speaker,
anonymity, stance and kind are scored over the pairs. The speaker's code must equal the
gold's (no code where the gold has none: anonymous sources, joint speakers); the speaker's
span must overlap the gold's naming of the speaker nearest the content. The relay is scored
where the gold gives one (the annotation's convention): a missed claim's relay is missed
too; it is right when the stored relay overlaps the gold relay's words. An unattributed
assertion is found when a signal of that kind overlaps it; precision counts the signals
that overlap one.

Baselines: the majority value of the training folds' gold (speaker code, stance, anonymous,
kind), and "no relay" for the relay.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from sitrep.evaluate.context import EvalContext
from sitrep.evaluate.indomain import InDomainRun
from sitrep.evaluate.metrics import Metric, StageResult, Tally, prf, ratio
from sitrep.gold.fakes import GoldClaim, Span


def _spans(claim: dict[str, Any]) -> list[Span]:
    parts = [(p["start"], p["end"]) for p in claim.get("parts") or []]
    return parts or [(claim["content"]["start"], claim["content"]["end"])]


def _overlap(a: Sequence[Span], b: Span) -> int:
    return sum(max(0, min(e, b[1]) - max(s, b[0])) for s, e in a)


def pair_claims(
    claims: Sequence[dict[str, Any]], gold: Sequence[GoldClaim]
) -> list[tuple[int, int]]:
    """One-to-one (stored, gold) pairs whose contents overlap, the largest overlaps first."""
    if not claims or not gold:
        return []
    weight = np.array([[_overlap(_spans(c), g.content) for g in gold] for c in claims], float)
    rows, cols = linear_sum_assignment(weight, maximize=True)
    return [(int(r), int(c)) for r, c in zip(rows, cols, strict=True) if weight[r, c] > 0]


def _touches(span: dict[str, Any] | None, gold: Span | None) -> bool:
    return (
        span is not None and gold is not None and span["start"] < gold[1] and gold[0] < span["end"]
    )


def _majority(values: Sequence[Any]) -> Any:
    return Counter(values).most_common(1)[0][0] if values else None


def evaluate_indomain_claims(ctx: EvalContext) -> StageResult:
    run: InDomainRun = ctx.indomain
    gold = run.gold
    result = StageResult(
        "claims",
        f"in-domain gold, FA-KES dev ({len(gold.claims)} claims, {len(gold.assertions)} "
        "unattributed assertions; each fold decided by models trained without it)",
    )
    majority: dict[int, dict[str, Any]] = {}
    for fold in set(run.folds.fold.values()):
        train = [c for c in gold.claims if run.folds.fold[c.unit_id] != fold]
        majority[fold] = {
            "code": _majority([c.speaker_code for c in train]),
            "stance": _majority([c.stance for c in train]),
            "anonymous": _majority([c.anonymous for c in train]),
            "kind": _majority([c.kind for c in train]),
        }
    tallies = {k: Tally() for k in ("speaker", "speaker_span", "anonymous", "stance", "kind")}
    via = Tally()
    stored_total = paired_total = 0
    found = flagged = flagged_right = 0
    for unit in sorted(gold.articles):
        stored = run.claims(unit)
        entries = [c for c in gold.claims if c.unit_id == unit]
        pairs = pair_claims(stored, entries)
        stored_total += len(stored)
        paired_total += len(pairs)
        base = majority[run.folds.fold[unit]]
        by_gold = {j: stored[i] for i, j in pairs}
        for i, j in pairs:
            claim, entry = stored[i], entries[j]
            speaker = claim.get("speaker") or {}
            tallies["speaker"].add(
                speaker.get("code") == entry.speaker_code, base["code"] == entry.speaker_code
            )
            if entry.speaker is not None:
                tallies["speaker_span"].add(_touches(claim.get("speaker"), entry.speaker))
            tallies["anonymous"].add(
                bool(speaker.get("anonymous")) == entry.anonymous,
                base["anonymous"] == entry.anonymous,
            )
            tallies["stance"].add(claim["stance"] == entry.stance, base["stance"] == entry.stance)
            tallies["kind"].add(claim["kind"] == entry.kind, base["kind"] == entry.kind)
        for j, entry in enumerate(entries):
            if entry.via is not None:
                paired = by_gold.get(j)
                via.add(paired is not None and _touches(paired.get("via"), entry.via))
        signals = [s for s in run.signals(unit) if s["kind"] == "unattributed_assertion"]
        assertions = [span for u, span in gold.assertions if u == unit]
        flagged += len(signals)
        flagged_right += sum(
            any(s["start"] < e and b < s["end"] for b, e in assertions) for s in signals
        )
        found += sum(any(s["start"] < e and b < s["end"] for s in signals) for b, e in assertions)
    precision, recall, _f1 = prf(paired_total, stored_total, len(gold.claims))
    result.metrics += [
        Metric(
            "fakes.claims.recall",
            "claim recall (content spans overlap)",
            recall,
            0.85,
            len(gold.claims),
        ),
        Metric("fakes.claims.precision", "claim precision", precision, None, stored_total),
        tallies["speaker"].metric("fakes.claims.speaker", "speaker code right, of paired", 0.85),
        tallies["speaker_span"].metric(
            "fakes.claims.speaker_span", "speaker span overlaps the gold speaker, of paired", None
        ),
        via.metric("fakes.claims.via", "relay (via) right, of gold claims with one", 0.80),
        tallies["stance"].metric("fakes.claims.stance", "stance right, of paired", 0.80),
        tallies["anonymous"].metric(
            "fakes.claims.anonymous", "anonymous flag right, of paired", 0.90
        ),
        tallies["kind"].metric(
            "fakes.claims.kind", "kind (direct / indirect / mixed) right, of paired", None
        ),
        Metric(
            "fakes.unattributed.recall",
            "unattributed assertions found (recall)",
            ratio(found, len(gold.assertions)),
            0.60,
            len(gold.assertions),
        ),
        Metric(
            "fakes.unattributed.precision",
            "unattributed assertions flagged that are gold ones (precision)",
            ratio(flagged_right, flagged),
            0.60,
            flagged,
        ),
    ]
    return result
