"""The built-in stages, registered on import, and the order the default pipeline runs them."""

from __future__ import annotations

from sitrep.analyze.claims import stages as _claims
from sitrep.analyze.core import stages as _core
from sitrep.analyze.events import stages as _events
from sitrep.analyze.mentions import stages as _mentions
from sitrep.analyze.signals import stages as _signals

REGISTERED = (_core, _mentions, _events, _claims, _signals)

DEFAULT_STAGES = (
    "parse",
    "entities",
    "places",
    "actors",
    "dates",
    "quantities",
    "quotes",
    "events",
    "claims",
    "signals",
)
