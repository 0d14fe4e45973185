"""The signals stage."""

from __future__ import annotations

from sitrep.analyze.core.document import Document
from sitrep.analyze.core.registry import stage
from sitrep.analyze.core.resources import Resources
from sitrep.analyze.signals.assertions import UNATTRIBUTED, assertion_candidates, find_signals
from sitrep.analyze.signals.decide import decide_assertions


@stage("signals", requires=("doc", "quotations", "claims", "events"), provides=("signals",))
def signals(document: Document, resources: Resources) -> None:
    """Unattributed assertions in the writer's own voice; claims from anonymous sources."""
    document.signals = find_signals(document, resources)


@stage("decide_signals", requires=("signals", "claims", "events"), provides=("signals",))
def decide(document: Document, resources: Resources) -> None:
    """The learned decision on unattributed assertions: the rules' candidate sentences kept
    by a trained head (the other signals stay as the rules found them)."""
    candidates = assertion_candidates(document, resources, document.claims)
    kept = decide_assertions(document, candidates, resources.signal_heads, resources.decision_cues)
    others = [s for s in document.signals if s.kind != UNATTRIBUTED]
    document.signals = sorted([*others, *kept], key=lambda s: (s.start, s.end, s.kind))
