"""The events stage."""

from __future__ import annotations

from sitrep.analyze.core.document import Document
from sitrep.analyze.core.registry import stage
from sitrep.analyze.core.resources import Resources
from sitrep.analyze.events.extract import extract_events


@stage(
    "events",
    requires=("doc", "actors", "places", "times", "quantities", "quotations"),
    provides=("events",),
)
def events(document: Document, resources: Resources) -> None:
    """Event mentions with PLOVER type, roles, place, date, tolls and modality."""
    document.events = extract_events(document, resources)
