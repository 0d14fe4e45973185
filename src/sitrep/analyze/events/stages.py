"""The events stage."""

from __future__ import annotations

from sitrep.analyze.core.document import Document
from sitrep.analyze.core.registry import stage
from sitrep.analyze.core.resources import Resources
from sitrep.analyze.events.decide import decide_events
from sitrep.analyze.events.extract import find_candidates, main_province, rule_events
from sitrep.analyze.events.features import ArticleView


@stage(
    "events",
    requires=("doc", "actors", "places", "times", "quantities", "quotations"),
    provides=("event_candidates", "events"),
)
def events(document: Document, resources: Resources) -> None:
    """Candidate event mentions (every trigger group, with the rules' reading of its type,
    roles, place, date, tolls and voice), and the events the rules alone make of them."""
    document.candidates = find_candidates(document, resources)
    document.events = rule_events(document.candidates)


@stage("decide_events", requires=("event_candidates", "places"), provides=("events",))
def decide(document: Document, resources: Resources) -> None:
    """The learned decision layer: which candidates are happenings to record (and why the
    others are not), one mention per happening, its actor, recipient, toll and place."""
    if document.doc is None:
        return
    view = ArticleView(document, resources.decision_cues, resources.actors)
    province = main_province(document, resources)
    document.events = decide_events(view, document.candidates, resources.event_heads, province)
