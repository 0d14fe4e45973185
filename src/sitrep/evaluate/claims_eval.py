"""Claims and unattributed assertions the product stored for the seed pages, against the
seeds gold (``claims``, ``unattributed_assertions``).

The seeds folder goes through the product (``EvalContext.seed_run``); every figure reads the
stored claim and signal records. Each gold claim is located in the first stored article of
its file whose text holds its content; stored claims of that article are paired with the gold
claims located there when their contents overlap, one to one, the largest overlaps first
(``indomain_claims.pair_claims``).

Figures. Recall: gold claims paired; precision: stored claims paired, of every stored claim
in the seed articles. Over the pairs: the speaker's stored codes equal the gold's (none where
the gold has none), and its stored sector too; the content as bags of word tokens (the F1 of
quote extractors) between the stored content (its quoted parts, else its span) and the gold;
the stored stance and kind. The relay is scored over every gold claim that has one (a missed
claim's relay is missed too): right when the stored relay shares a word with the gold's
other than words every outlet's name may hold; "relay invented": paired claims whose gold
has no relay but whose stored claim has one. An unattributed assertion is found when a
stored signal of that kind overlaps it; "flagged" counts those signals in every seed article.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from sitrep.evaluate.context import EvalContext
from sitrep.evaluate.indomain_claims import pair_claims
from sitrep.evaluate.metrics import Metric, StageResult, prf, ratio
from sitrep.evaluate.stored import SeedRun
from sitrep.gold.data import seeds_gold
from sitrep.gold.fakes import GoldClaim, Span

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


def _stored_codes(claim: dict[str, Any]) -> frozenset[str]:
    speaker = claim.get("speaker")
    if speaker is None or speaker.get("code") is None:
        return frozenset()
    return frozenset(speaker.get("codes") or [speaker["code"]])


def _relay_words(text: str | None) -> set[str]:
    return {w for w in _tokens(text or "") if w not in _GENERIC and not w.isdigit()}


def _same_relay(claim: dict[str, Any], gold_via: str) -> bool:
    via = claim.get("via")
    return via is not None and bool(_relay_words(via["text"]) & _relay_words(gold_via))


def _content(claim: dict[str, Any]) -> str:
    parts = [p["text"] or "" for p in claim.get("parts") or []]
    return " ".join(parts) if parts else claim["content"]["text"] or ""


def _gold_claim(entry: dict[str, Any], article_id: str, content: Span) -> GoldClaim:
    """A seed gold claim in the in-domain gold's shape (pairing reads its content span)."""
    speaker = entry.get("speaker") or {}
    code = speaker.get("actor_code")
    return GoldClaim(
        id=entry["id"],
        unit_id=article_id,
        kind=entry["kind"],
        content=content,
        cue=None,
        speaker_text=speaker.get("text"),
        speaker=None,
        speaker_code=code if isinstance(code, str) else None,
        speaker_sector=speaker.get("sector"),
        anonymous=False,  # the seeds gold does not say
        via_text=entry.get("via"),
        via=None,
        stance=entry["stance"],
        about=entry.get("about"),
    )


Stored = tuple[str, dict[str, Any]]  # (article id, stored claim record)


def _match(run: SeedRun, entries: list[dict[str, Any]]) -> tuple[dict[str, Stored], int]:
    """Gold id -> the stored claim paired with it; gold claims located."""
    by_article = run.located(entries, "content", _gold_claim)
    matched: dict[str, Stored] = {}
    for article_id, golds in by_article.items():
        stored = run.claims(article_id)
        matched.update(
            {golds[j].id: (article_id, stored[i]) for i, j in pair_claims(stored, golds)}
        )
    return matched, sum(len(g) for g in by_article.values())


def evaluate_seed_claims(ctx: EvalContext) -> StageResult:
    gold = seeds_gold(ctx.data_dir)
    run = ctx.seed_run
    entries = {e["id"]: e for e in gold["claims"]}
    matched, located = _match(run, list(entries.values()))
    stored = [(a, c) for a in run.product.articles for c in run.claims(a)]
    result = StageResult("claims", f"seeds gold ({len(entries)} claims, {located} located)")
    precision, recall, _f1 = prf(len(matched), len(stored), len(entries))
    pairs = [(entries[i], c) for i, (_a, c) in matched.items()]
    speaker_right = sum(_gold_codes(e["speaker"]) == _stored_codes(c) for e, c in pairs)
    sector_right = sum(
        _gold_codes(e["speaker"]) == _stored_codes(c)
        and (e["speaker"].get("sector") or None) == (c["speaker"] or {}).get("sector")
        for e, c in pairs
    )
    f1s = [token_f1(_content(c), e["content"]) for e, c in pairs]
    with_via = [i for i, e in entries.items() if e.get("via")]
    via_right = sum(
        i in matched and _same_relay(matched[i][1], entries[i]["via"]) for i in with_via
    )
    without_via = [c for e, c in pairs if not e.get("via")]
    via_invented = sum(c["via"] is not None for c in without_via)
    stance_right = sum(e["stance"] == c["stance"] for e, c in pairs)
    kind_right = sum(e["kind"] == c["kind"] for e, c in pairs)
    n = len(matched)
    result.metrics += [
        Metric(
            "seeds.claims.recall",
            "claim recall (content spans overlap)",
            recall,
            0.80,
            len(entries),
        ),
        Metric("seeds.claims.precision", "claim precision", precision, 0.75, len(stored)),
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
    _detail(result, entries, matched, stored)
    _unattributed(run, gold["unattributed_assertions"], result)
    return result


def _detail(
    result: StageResult,
    entries: dict[str, dict[str, Any]],
    matched: dict[str, Stored],
    stored: list[Stored],
) -> None:
    result.detail.append(["check", "gold", "gold says", "stored"])
    for gold_id, entry in entries.items():
        if gold_id not in matched:
            result.detail.append(["missed", gold_id, entry["stance"], ""])
            continue
        claim = matched[gold_id][1]
        got_codes = "+".join(sorted(_stored_codes(claim))) or "-"
        want_codes = "+".join(sorted(_gold_codes(entry["speaker"]))) or "-"
        if got_codes != want_codes:
            result.detail.append(["speaker", gold_id, want_codes, got_codes])
        if entry["stance"] != claim["stance"]:
            result.detail.append(["stance", gold_id, entry["stance"], claim["stance"]])
    taken = {c["claim_id"] for _a, c in matched.values()}
    for _article_id, claim in stored:
        if claim["claim_id"] not in taken:
            result.detail.append(["not in gold", claim["claim_id"], "", claim["stance"]])


def _unattributed(run: SeedRun, entries: list[dict[str, Any]], result: StageResult) -> None:
    flagged = sum(
        s["kind"] == "unattributed_assertion"
        for article_id in run.product.articles
        for s in run.signals(article_id)
    )
    found = 0
    for n, entry in enumerate(entries):
        located = run.find(entry["file"], entry["evidence"])
        if located is None:
            continue
        article_id, (start, end) = located
        hit = any(
            s["kind"] == "unattributed_assertion" and s["start"] < end and start < s["end"]
            for s in run.signals(article_id)
        )
        found += hit
        if not hit:
            result.detail.append(["assertion missed", f"assertion {n + 1}", entry["file"][:3], ""])
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
