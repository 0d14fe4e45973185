"""Near duplicates and reused passages against the seeds gold (``reuse`` in gold.yaml).

A gold passage is found when a reported passage joins articles of the gold's files (both
sides in the file's articles for a passage repeated inside one page) and one of its spans
covers at least half of an occurrence of the gold passage. Gold passages are verbatim in
at least one of their files; the other file may word it differently ("an IS advance on a
hill" / "an [ISIS] advance on the hill"), which is why only a located occurrence is
required. The seeds hold no near duplicates: every pair reported is a false one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sitrep.evaluate.context import EvalContext
from sitrep.evaluate.metrics import Metric, StageResult, ratio
from sitrep.gold.data import seeds_gold
from sitrep.gold.spans import find_all
from sitrep.model import Article, DuplicateGroup, ReusePassage

__all__ = ["evaluate_reuse", "gold_passages_found"]

# Share of a gold passage's characters a reported span must cover.
COVER = 0.5


def _covers(span: tuple[int, int], gold: tuple[int, int]) -> bool:
    inside = min(span[1], gold[1]) - max(span[0], gold[0])
    return inside >= COVER * (gold[1] - gold[0])


def gold_passages_found(
    articles_by_file: Mapping[str, Sequence[Article]],
    passages: Iterable[ReusePassage],
    gold: Sequence[Mapping[str, Any]],
) -> list[tuple[Mapping[str, Any], bool]]:
    """Each gold ``reuse`` entry with whether a reported passage matches it."""
    passages = list(passages)
    file_of = {a.id: name for name, articles in articles_by_file.items() for a in articles}
    results = []
    for entry in gold:
        files = set(entry["files"])
        occurrences = {
            (a.id, span)
            for name in files
            for a in articles_by_file.get(name, [])
            for span in find_all(a.text, entry["passage"])
        }
        found = False
        for p in passages:
            sides = {file_of.get(p.a_article_id), file_of.get(p.b_article_id)}
            if sides != files:
                continue
            spans = ((p.a_article_id, (p.a_start, p.a_end)), (p.b_article_id, (p.b_start, p.b_end)))
            if any(
                article == where and _covers(span, at)
                for article, span in spans
                for where, at in occurrences
            ):
                found = True
                break
        results.append((entry, found))
    return results


def _false_pairs(groups: Iterable[DuplicateGroup]) -> int:
    return sum(len(g.members) * (len(g.members) - 1) // 2 for g in groups)


def evaluate_reuse(ctx: EvalContext) -> StageResult:
    """``seeds.reuse.found`` (gold passages found) and ``seeds.dedup.false_pairs``."""
    from sitrep.consolidate.textreuse import dedup_and_reuse

    by_file = ctx.seed_articles
    articles = [a for name in sorted(by_file) for a in by_file[name]]
    texts = {a.id: a.text for a in articles}
    result = dedup_and_reuse(articles, lambda ids: ((i, texts[i]) for i in ids))
    gold = seeds_gold(ctx.data_dir).get("reuse", [])
    matched = gold_passages_found(by_file, result.passages, gold)
    found = sum(1 for _, ok in matched if ok)
    stage = StageResult("reuse", "seeds (5 pages): gold reused passages; near duplicates")
    stage.metrics += [
        Metric(
            "seeds.reuse.found",
            "gold reused passages found",
            ratio(found, len(gold)),
            1.0,
            len(gold),
        ),
        Metric(
            "seeds.dedup.false_pairs",
            "near-duplicate pairs reported among the seeds (none are)",
            float(_false_pairs(result.groups)),
            0.0,
            len(articles),
            lower_is_better=True,
        ),
    ]
    stage.detail.append(["files", "gold passage", "found"])
    for entry, ok in matched:
        passage = " ".join(entry["passage"].split())
        short = passage if len(passage) <= 70 else passage[:67] + "…"
        stage.detail.append(
            [", ".join(f[:3] for f in entry["files"]), short, "yes" if ok else "no"]
        )
    stage.notes.append(
        f"{len(result.passages)} passages reported in all ({result.intra_passages} inside one "
        "article); the gold lists the ones the annotator checked, not every repeat."
    )
    return stage
