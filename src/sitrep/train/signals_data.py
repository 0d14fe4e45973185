"""Labelled rows for the unattributed-assertion head, from the in-domain gold: every
candidate sentence the rules find in a gold article, "yes" when it overlaps one of the
gold's unattributed assertions."""

from __future__ import annotations

from sitrep.analyze.core.document import Document
from sitrep.analyze.core.resources import Resources
from sitrep.analyze.signals.assertions import assertion_candidates
from sitrep.analyze.signals.decide import assertion_row
from sitrep.gold.fakes import FakesGold
from sitrep.train.events_data import HeadRows


def assertion_rows(
    gold: FakesGold, documents: dict[str, Document], fold_of: dict[str, int], resources: Resources
) -> HeadRows:
    rows = HeadRows()
    for unit in sorted(gold.articles):
        document = documents[unit]
        spans = [span for u, span in gold.assertions if u == unit]
        for candidate in assertion_candidates(document, resources, document.claims):
            hit = any(candidate.start < e and s < candidate.end for s, e in spans)
            rows.add(
                assertion_row(document, candidate, resources.decision_cues),
                "yes" if hit else "no",
                fold_of[unit],
                unit,
            )
    return rows
