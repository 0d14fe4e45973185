"""Claims and unattributed assertions against the seeds gold (``claims``,
``unattributed_assertions``).

A predicted claim matches a gold claim when their content spans overlap in the same article,
one to one, the largest overlaps first. Speaker, relay and stance are scored over matched
pairs (the relay over every gold claim that has one: a missed claim's relay is missed too);
content is compared as bags of word tokens (the F1 of quote extractors). An unattributed
assertion is found when a signal of that kind overlaps it.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from sitrep.analyze.core.document import Document
from sitrep.evaluate.context import EvalContext
from sitrep.evaluate.metrics import Metric, StageResult, prf, ratio
from sitrep.gold.data import seeds_gold
from sitrep.gold.spans import locate
from sitrep.model import Claim

_WORD = re.compile(r"\w+")
# Words that every news outlet's name may share; a relay is compared on the other ones.
_GENERIC = {"the", "news", "agency", "state", "an", "article", "in", "of", "s", "russia", "dated"}


def _tokens(text: str) -> Counter[str]:
    return Counter(w.casefold() for w in _WORD.findall(text))


def token_f1(predicted: str, gold: str) -> float:
    p, g = _tokens(predicted), _tokens(gold)
    common = sum((p & g).values())
    if not common:
        return 0.0
    precision, recall = common / sum(p.values()), common / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def _gold_codes(speaker: dict[str, Any]) -> frozenset[str]:
    code = speaker.get("actor_code")
    return frozenset(code if isinstance(code, list) else [code] if code else [])


def _predicted_codes(claim: Claim) -> frozenset[str]:
    speaker = claim.speaker
    if speaker is None or speaker.code is None:
        return frozenset()
    return frozenset(speaker.codes or (speaker.code,))


def _relay_words(text: str | None) -> set[str]:
    return {w for w in _tokens(text or "") if w not in _GENERIC and not w.isdigit()}


def _same_relay(claim: Claim, gold_via: str) -> bool:
    via = claim.via
    return via is not None and bool(_relay_words(via.text) & _relay_words(gold_via))


def _content(document: Document, claim: Claim) -> str:
    return " ".join(document.text[s:e] for s, e in claim.content_spans)


def _match(
    ctx: EvalContext, entries: list[dict[str, Any]]
) -> tuple[dict[str, tuple[Document, Claim]], list[tuple[Document, Claim]], int]:
    """Gold id -> (document, claim); every predicted claim; gold entries located."""
    pairs: list[tuple[int, str, int, int]] = []
    predicted = [
        (document, claim)
        for docs in ctx.seed_documents.values()
        for document in docs
        for claim in document.claims
    ]
    located = 0
    for entry in entries:
        for document in ctx.seed_documents.get(entry["file"], []):
            span = locate(document.text, entry["content"])
            if span is None:
                continue
            located += 1
            for index, (doc, claim) in enumerate(predicted):
                if doc is document:
                    overlap = min(span[1], claim.end) - max(span[0], claim.start)
                    if overlap > 0:
                        pairs.append((overlap, entry["id"], index, span[0]))
            break
    matched: dict[str, tuple[Document, Claim]] = {}
    used: set[int] = set()
    for _overlap, gold_id, index, _start in sorted(pairs, key=lambda p: -p[0]):
        if gold_id in matched or index in used:
            continue
        used.add(index)
        matched[gold_id] = predicted[index]
    return matched, predicted, located


def evaluate_seed_claims(ctx: EvalContext) -> StageResult:
    gold = seeds_gold(ctx.data_dir)
    entries = {e["id"]: e for e in gold["claims"]}
    matched, predicted, located = _match(ctx, list(entries.values()))
    result = StageResult("claims", f"seeds gold ({len(entries)} claims, {located} located)")
    precision, recall, _f1 = prf(len(matched), len(predicted), len(entries))
    speaker_right = sum(
        _gold_codes(entries[i]["speaker"]) == _predicted_codes(c) for i, (_d, c) in matched.items()
    )
    sector_right = sum(
        _gold_codes(entries[i]["speaker"]) == _predicted_codes(c)
        and (entries[i]["speaker"].get("sector") or None)
        == (c.speaker.sector if c.speaker else None)
        for i, (_d, c) in matched.items()
    )
    f1s = [token_f1(_content(d, c), entries[i]["content"]) for i, (d, c) in matched.items()]
    with_via = [i for i, e in entries.items() if e.get("via")]
    via_right = sum(
        i in matched and _same_relay(matched[i][1], entries[i]["via"]) for i in with_via
    )
    without_via = [i for i in matched if not entries[i].get("via")]
    via_invented = sum(matched[i][1].via is not None for i in without_via)
    stance_right = sum(entries[i]["stance"] == c.stance.value for i, (_d, c) in matched.items())
    kind_right = sum(entries[i]["kind"] == c.kind.value for i, (_d, c) in matched.items())
    n = len(matched)
    result.metrics += [
        Metric(
            "seeds.claims.recall",
            "claim recall (content spans overlap)",
            recall,
            0.80,
            len(entries),
        ),
        Metric("seeds.claims.precision", "claim precision", precision, 0.75, len(predicted)),
        Metric(
            "seeds.claims.speaker",
            "speaker actor code right, of matched",
            ratio(speaker_right, n),
            0.85,
            n,
        ),
        Metric(
            "seeds.claims.speaker_sector", "... and the sector too", ratio(sector_right, n), None, n
        ),
        Metric(
            "seeds.claims.content_f1",
            "content token-overlap F1, of matched",
            sum(f1s) / len(f1s) if f1s else 0.0,
            0.80,
            n,
        ),
        Metric(
            "seeds.claims.via",
            "relay (via) right, of gold claims with one",
            ratio(via_right, len(with_via)),
            0.80,
            len(with_via),
        ),
        Metric(
            "seeds.claims.via_invented",
            "relay given where the gold has none, of matched",
            ratio(via_invented, len(without_via)),
            None,
            len(without_via),
            lower_is_better=True,
        ),
        Metric("seeds.claims.stance", "stance right, of matched", ratio(stance_right, n), 0.75, n),
        Metric(
            "seeds.claims.kind",
            "kind (direct/indirect/mixed) right, of matched",
            ratio(kind_right, n),
            None,
            n,
        ),
    ]
    _detail(result, entries, matched, predicted)
    _unattributed(ctx, gold["unattributed_assertions"], result)
    return result


def _detail(
    result: StageResult,
    entries: dict[str, dict[str, Any]],
    matched: dict[str, tuple[Document, Claim]],
    predicted: list[tuple[Document, Claim]],
) -> None:
    result.detail.append(["check", "gold", "gold says", "predicted", "content"])
    for gold_id, entry in entries.items():
        if gold_id not in matched:
            result.detail.append(
                ["missed", gold_id, entry["speaker"]["text"][:30], "", entry["content"][:60]]
            )
            continue
        _doc, claim = matched[gold_id]
        got_codes = "+".join(sorted(_predicted_codes(claim))) or "-"
        want_codes = "+".join(sorted(_gold_codes(entry["speaker"]))) or "-"
        if got_codes != want_codes:
            speaker_text = claim.speaker.text[:30] if claim.speaker else ""
            result.detail.append(
                [
                    "speaker",
                    gold_id,
                    want_codes,
                    f"{got_codes} ({speaker_text})",
                    entry["content"][:60],
                ]
            )
        if entry["stance"] != claim.stance.value:
            result.detail.append(
                ["stance", gold_id, entry["stance"], claim.stance.value, entry["content"][:60]]
            )
    taken = {id(c) for _d, c in matched.values()}
    for document, claim in predicted:
        if id(claim) not in taken:
            speaker = claim.speaker.text[:30] if claim.speaker else ""
            result.detail.append(
                [
                    "not in gold",
                    document.article.id[:6],
                    speaker,
                    claim.stance.value,
                    document.text[claim.start : claim.end][:60],
                ]
            )


def _unattributed(ctx: EvalContext, entries: list[dict[str, Any]], result: StageResult) -> None:
    found = flagged = 0
    for docs in ctx.seed_documents.values():
        for document in docs:
            flagged += sum(s.kind == "unattributed_assertion" for s in document.signals)
    for entry in entries:
        for document in ctx.seed_documents.get(entry["file"], []):
            span = locate(document.text, entry["evidence"])
            if span is None:
                continue
            hit = any(
                s.kind == "unattributed_assertion" and s.start < span[1] and span[0] < s.end
                for s in document.signals
            )
            found += hit
            if not hit:
                result.detail.append(
                    ["assertion missed", entry["file"][:3], "", "", entry["evidence"][:60]]
                )
            break
    result.metrics += [
        Metric(
            "seeds.unattributed.recall",
            "unattributed assertions found (recall)",
            ratio(found, len(entries)),
            0.6,
            len(entries),
        ),
        Metric(
            "seeds.unattributed.flagged",
            "unattributed assertions flagged (all seed articles; fewer at equal recall is better)",
            float(flagged),
            None,
            flagged,
            lower_is_better=True,
        ),
    ]
