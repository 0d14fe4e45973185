"""The gold articles analysed as the product analyses them: through the rule stages for the
heads that decide on candidates, or through the decided layers for a head that reads them."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sitrep.analyze.builtin import DEFAULT_STAGES, RULE_STAGES
from sitrep.analyze.core.document import Document
from sitrep.analyze.core.pipeline import Analyzer
from sitrep.analyze.core.resources import Resources
from sitrep.gold.fakes import FakesGold
from sitrep.ingest.build import body_start
from sitrep.model import Article, Origin

__all__ = ["CANDIDATE_STAGES", "DECIDED_STAGES", "analysed_gold"]

# The rule stages up to the claims: what the event and claim heads' rows are built from.
CANDIDATE_STAGES = RULE_STAGES[: RULE_STAGES.index("claims") + 1]
# Every stage up to the decided claims: what an assertion candidate reads. Not the signals
# stages, which need the very assertion head being trained (absent from a new folds folder).
DECIDED_STAGES = DEFAULT_STAGES[: DEFAULT_STAGES.index("decide_claims") + 1]


def analysed_gold(
    gold: FakesGold,
    resources: Resources,
    stages: Sequence[str] = CANDIDATE_STAGES,
    units: Collection[str] | None = None,
) -> dict[str, Document]:
    """The gold articles (``units`` of them, else all) through ``stages``, as the product
    analyses them: with the body's start that ingest finds, so that the headline a text
    runs into its lead is a headline in training as it is in the product."""
    articles = [
        Article(
            id=unit,
            text=a.text,
            origin=Origin("fakes-dev", unit, "csv"),
            title=a.title,
            outlet=a.outlet,
            published=a.published,
            language="en",
            body_start=body_start(a.text, a.title),
        )
        for unit, a in sorted(gold.articles.items())
        if units is None or unit in units
    ]
    analyzer = Analyzer(resources, stages)
    return {d.article.id: d for d in analyzer.analyze_many(articles)}
