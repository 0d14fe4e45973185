"""Labelled rows for the claim decision heads, from the in-domain gold.

The rules' claims of each gold article are paired with the gold claims whose content they
overlap (one to one, the largest overlaps first: the pairing evaluation uses); each paired
claim is a row of the stance head (the gold stance) and of the anonymity head (the gold
flag). Unpaired claims teach nothing here: whether a claim is one at all is the rules'.
"""

from __future__ import annotations

from collections.abc import Sequence

from sitrep.analyze.claims.cues import ClaimCues
from sitrep.analyze.claims.decide import claim_row, stance_row
from sitrep.analyze.core.document import Document
from sitrep.analyze.events.features import DecisionCues
from sitrep.evaluate.indomain_claims import pair_claims
from sitrep.gold.fakes import FakesGold
from sitrep.train.events_data import HeadRows


def _as_record(start: int, end: int, parts: Sequence[tuple[int, int]]) -> dict[str, object]:
    return {
        "content": {"start": start, "end": end},
        "parts": [{"start": s, "end": e} for s, e in parts],
    }


def claim_rows(
    gold: FakesGold,
    documents: dict[str, Document],
    fold_of: dict[str, int],
    cues: ClaimCues,
    decision: DecisionCues,
) -> tuple[HeadRows, HeadRows]:
    """Rows of the stance head and of the anonymity head."""
    stance, anonymous = HeadRows(), HeadRows()
    for unit in sorted(gold.articles):
        document = documents[unit]
        entries = [c for c in gold.claims if c.unit_id == unit]
        records = [_as_record(c.start, c.end, c.parts) for c in document.claims]
        for i, j in pair_claims(records, entries):
            claim, entry = document.claims[i], entries[j]
            row = claim_row(document, claim, cues, decision)
            stance.add(stance_row(document, claim, row), entry.stance, fold_of[unit], unit)
            if claim.speaker is not None:
                anonymous.add(row, "yes" if entry.anonymous else "no", fold_of[unit], unit)
    return stance, anonymous
