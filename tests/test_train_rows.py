"""Which labelled rows `sitrep train` makes of an annotated article."""

from __future__ import annotations

from sitrep import analyze_text
from sitrep.analyze.builtin import RULE_STAGES
from sitrep.analyze.events.extract import find_candidates
from sitrep.analyze.events.features import ArticleView
from sitrep.gold.fakes import GoldEvent
from sitrep.train.events_data import PART, EventRows, LabelledArticle, align, article_rows, told_in

TEXT = (
    "Fighting went on. Russian air strikes killed at least 14 civilians as they were fleeing "
    "the village on Friday."
)


def _strike() -> GoldEvent:
    sentence = TEXT.index("Russian")
    return GoldEvent(
        "e-1", "u", "ASSAULT", "aerial", (sentence, len(TEXT)), (), (), (), None, None, None,
        "2016-10-07", (14, None), None, "asserted", None, None,
    )  # fmt: skip


def test_a_word_inside_a_happenings_telling_joins_it_for_the_same_happening_head(
    resources,  # type: ignore[no-untyped-def]
) -> None:
    document = analyze_text(TEXT, resources=resources, stages=RULE_STAGES)
    view = ArticleView(document, resources.decision_cues, resources.actors)
    candidates = find_candidates(document, resources)
    words = [TEXT[c.mention.trigger_start : c.mention.trigger_end] for c in candidates]
    strike = _strike()
    gold, why = align(view, candidates, [strike], [])
    fleeing = words.index("fleeing")
    # "fleeing" is no happening of its own (a part of the strike's telling) ...
    assert why[fleeing] == PART and gold[fleeing] is None
    told = told_in(view, candidates, [strike])
    # ... but it belongs with the strike when the decision layer counts it.
    assert told[fleeing] is strike and told[words.index("air strikes")] is strike
    article = LabelledArticle("u", 0, document, view, candidates, gold, why, None, told)
    rows = EventRows()
    article_rows(article, rows)
    assert rows.same.labels.count("yes") == 1
