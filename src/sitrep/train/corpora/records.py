"""The few record kinds every corpus reader yields: plain frozen values, no behaviour.

Spans are character offsets into the record's ``text``, end exclusive (``text[start:end]``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

# What a predicate mention says about its happening (see uds.py and ecbplus.py for how each
# corpus's annotation is mapped onto these).
Label = Literal["happened", "negated", "generic", "hypothetical", "reporting", "other"]
LABELS: Final[tuple[Label, ...]] = (
    "happened",
    "negated",
    "generic",
    "hypothetical",
    "reporting",
    "other",
)

# The part an argument plays, PLOVER style (kairos_plover.yaml maps each corpus's roles).
Role = Literal["actor", "recipient", "place", "instrument", "other"]
ROLES: Final[tuple[Role, ...]] = ("actor", "recipient", "place", "instrument", "other")

# The 16 PLOVER event types, upper case as the PLOVER codebook writes them.
PLOVER_TYPES: Final[tuple[str, ...]] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)


@dataclass(frozen=True, slots=True)
class CorpusInfo:
    """One training corpus: where it lies under the training-data folder, its licence as the
    copy states it, and whether a model trained on it may ship."""

    name: str
    path: str  # relative to the training-data folder; a file or a folder
    licence: str
    shippable: bool
    provenance: str
    note: str


@dataclass(frozen=True, slots=True)
class PredicateExample:
    """One predicate (action) mention in one sentence, with what the corpus says about it."""

    corpus: str
    doc_id: str
    sentence_id: str
    text: str  # the sentence, its tokens joined by single spaces
    start: int  # character span of the predicate tokens in text
    end: int
    factuality: float | None  # UDS: -3 (did not happen) .. +3 (happened); None elsewhere
    label: Label
    particular: float | None  # UDS genericity scores, 0 .. 1; None when not annotated
    hypothetical: float | None
    dynamic: float | None
    chain: str | None  # ECB+ coreference chain id (same id = same happening)
    split: str | None  # the corpus's own train/dev/test split, when it has one


@dataclass(frozen=True, slots=True)
class TypedText:
    """A text labelled with one PLOVER event type (and its mode, when given)."""

    corpus: str
    doc_id: str
    text: str
    plover_type: str  # one of PLOVER_TYPES
    mode: str | None  # lower case, words joined by hyphens: "heavy-weapons"
    synthetic: bool  # machine-written text


@dataclass(frozen=True, slots=True)
class Argument:
    """One argument span of an event, its role normalised and as the corpus names it."""

    role: Role
    source_role: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class RoleExample:
    """One event of a document with its argument spans (character offsets into text)."""

    corpus: str
    doc_id: str
    text: str
    trigger_start: int | None  # None when the corpus gives no trigger (MUC-4)
    trigger_end: int | None
    source_type: str | None  # the event type as the corpus names it
    plover_type: str | None  # its PLOVER type, None when it has no clear one
    arguments: tuple[Argument, ...]


@dataclass(frozen=True, slots=True)
class CodebookMode:
    """One mode of a PLOVER type: what the codebook says it covers."""

    name: str  # lower case, hyphenated: "suicide-attack"
    definitions: tuple[str, ...]
    notes: tuple[str, ...]  # the codebook's extraction notes, when it has some


@dataclass(frozen=True, slots=True)
class CodebookType:
    """One PLOVER type as the codebook defines it: its definition, the examples it lists
    without a mode, and its modes."""

    name: str
    definition: str
    examples: tuple[str, ...]
    notes: tuple[str, ...]
    modes: tuple[CodebookMode, ...]
