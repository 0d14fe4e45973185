"""The built-in stages, registered on import, and the order the default pipeline runs them."""

from __future__ import annotations

from sitrep.analyze.claims import stages as _claims
from sitrep.analyze.core import stages as _core
from sitrep.analyze.events import stages as _events
from sitrep.analyze.mentions import stages as _mentions
from sitrep.analyze.signals import stages as _signals

REGISTERED = (_core, _mentions, _events, _claims, _signals)

# The rule stages propose (triggers, roles, quotations, cue words); each ``decide_`` stage
# that follows applies the trained heads of its family (analyze/<family>/models/).
DEFAULT_STAGES = (
    "parse",
    "entities",
    "places",
    "actors",
    "dates",
    "quantities",
    "quotes",
    "events",
    "decide_events",
    "claims",
    "decide_claims",
    "signals",
    "decide_signals",
)
# The rules alone, without the learned layer (the comparison of docs/quality.md).
RULE_STAGES = tuple(s for s in DEFAULT_STAGES if not s.startswith("decide_"))
