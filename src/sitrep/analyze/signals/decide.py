"""The learned decision on unattributed assertions: which of the writer's own-voice
sentences that name an actor assert something contestable about it.

The rules find the candidates and their cues (charged words, boosters, amplifiers, hedges,
an attack told as fact, a toll: ``assertions.py``); a trained head weighs those cues with the
sentence's other words (the decision-cue classes), its actors' sectors and its place in the
article, and keeps the sentences above its threshold (chosen on the training folds).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitrep.analyze.core.document import Document
from sitrep.analyze.core.learned import TreeModel
from sitrep.analyze.core.models import ModelStore
from sitrep.analyze.events.features import DecisionCues, Row
from sitrep.analyze.signals.cues import UNATTRIBUTED
from sitrep.model import Signal

if TYPE_CHECKING:
    from sitrep.analyze.signals.assertions import AssertionCandidate

_WORD = re.compile(r"[a-z']+")


@dataclass(frozen=True)
class SignalHeads:
    assertion: TreeModel
    threshold: float = 0.5

    @classmethod
    def load(cls, store: ModelStore) -> SignalHeads:
        model = store.get("signals", "assertion")
        return cls(model, float(model.meta.get("threshold", 0.5)))


def assertion_row(document: Document, candidate: AssertionCandidate, decision: DecisionCues) -> Row:
    text = document.text
    own = " ".join(text[s:e] for s, e in candidate.pieces)
    words = _WORD.findall(own.lower())
    row: Row = {
        "rule_score": candidate.score,
        "words": float(len(words)),
        "pieces": float(len(candidate.pieces)),
        "own_share": len(own) / max(1, len(candidate.sentence.text)),
        "relative_position": candidate.start / max(1, len(text)),
        "quote_marks": float(sum(candidate.sentence.text.count(q) for q in '"“”')),
    }
    for name, cues in candidate.found.items():
        row[f"{name}_cues"] = float(len(cues))
        # The first three in sorted order: a set's order changes from one process to the
        # next (string hashing), and the row must not.
        for cue in sorted(cues)[:3]:
            row[f"{name}={cue.lower()}"] = 1.0
    for name, vocabulary in decision.classes.items():
        row[f"class={name}"] = float(sum(w in vocabulary for w in words))
    for entity in document.entities:
        if entity.actor and any(s <= entity.start < e for s, e in candidate.pieces):
            row[f"sector={entity.actor.sector}"] = 1.0
            row["actors"] = row.get("actors", 0.0) + 1.0
    return row


def decide_assertions(
    document: Document,
    candidates: list[AssertionCandidate],
    heads: SignalHeads,
    decision: DecisionCues,
) -> list[Signal]:
    """The candidates the head keeps, as unattributed-assertion signals scored by it."""
    if not candidates:
        return []
    rows = [assertion_row(document, c, decision) for c in candidates]
    scores = heads.assertion.positive(rows)
    text = document.text
    return [
        Signal(c.start, c.end, text[c.start : c.end], UNATTRIBUTED, round(float(p), 3), c.why)
        for c, p in zip(candidates, scores, strict=True)
        if p >= heads.threshold
    ]
