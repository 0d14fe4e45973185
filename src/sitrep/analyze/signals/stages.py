"""The signals stage."""

from __future__ import annotations

from sitrep.analyze.core.document import Document
from sitrep.analyze.core.registry import stage
from sitrep.analyze.core.resources import Resources
from sitrep.analyze.signals.assertions import find_signals


@stage("signals", requires=("doc", "quotations", "claims", "events"), provides=("signals",))
def signals(document: Document, resources: Resources) -> None:
    """Unattributed assertions in the writer's own voice; claims from anonymous sources."""
    document.signals = find_signals(document, resources)
