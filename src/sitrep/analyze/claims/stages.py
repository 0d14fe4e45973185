"""The quotes and claims stages."""

from __future__ import annotations

from sitrep.analyze.claims.extract import extract_claims, link_events
from sitrep.analyze.claims.quotes import find_quotations
from sitrep.analyze.core.document import Document
from sitrep.analyze.core.registry import stage
from sitrep.analyze.core.resources import Resources


@stage("quotes", requires=("article",), provides=("quotations",))
def quotes(document: Document, resources: Resources) -> None:
    """Quoted stretches, block quotes and transcript turns: whose words the text gives."""
    document.quotations = find_quotations(document.text, resources.modality_cues.speech)


@stage("claims", requires=("doc", "actors", "quotations", "events"), provides=("claims",))
def claims(document: Document, resources: Resources) -> None:
    """Attributed statements: speaker, relay, content, stance; event mentions linked to them."""
    document.claims = extract_claims(document, resources)
    link_events(document)
