"""Promises and threats: "X said it will do Y" is itself an event, coded by what Y is.

A speaker who says others must act ("Russia said that Sudan must return the helicopter")
makes a demand (REQUEST) of them, whether or not the action is an event word.

The announced action keeps its own mention (modality future: it has not happened). The
announcement is a second mention on the same words, of type AGREE (a promise: Y cooperates,
concedes or withdraws) or THREATEN (Y is hostile, or is made a condition: "… unless …"), as
the PLOVER codebook codes statements of intent. Only announcements someone is said to have
made count: an outlet's own forecast ("the Russians will want to …") is not a promise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.tokens import Token

from sitrep.analyze.events.modality import ModalityCues, reporting_frame
from sitrep.model import Modality
from sitrep.resources import word_set

__all__ = ["Announcement", "CommitmentCues", "announced_as", "demanded_by"]


@dataclass(frozen=True)
class Announcement:
    """What an announced action makes of its announcement, and the verb that announced it."""

    type: str  # AGREE or THREATEN
    why: str
    speech: Token


@dataclass(frozen=True)
class CommitmentCues:
    threat_types: frozenset[str]
    promise_types: frozenset[str]
    ultimatum_marks: frozenset[str]
    backshifted_modals: frozenset[str]
    readiness: frozenset[str]
    obligation_modals: frozenset[str]

    @classmethod
    def build(cls, data: dict[str, Any]) -> CommitmentCues:
        return cls(
            word_set(data, "threat_types", lower=False),
            word_set(data, "promise_types", lower=False),
            word_set(data, "ultimatum_marks"),
            word_set(data, "backshifted_modals"),
            word_set(data, "readiness"),
            word_set(data, "obligation_modals"),
        )


def _announced_future(
    head: Token, modality: Modality, cues: CommitmentCues, modality_cues: ModalityCues
) -> bool:
    """Whether the action is put in the future by "will", a reported "would", or readiness
    ("is willing to"), and not denied."""
    if modality not in (Modality.FUTURE, Modality.HYPOTHETICAL):
        return False
    future = modality_cues.future_aux | cues.backshifted_modals
    if any(c.dep_ == "aux" and c.lower_ in future for c in head.children):
        return True
    return head.dep_ == "xcomp" and head.head.lower_ in cues.readiness


def _ultimatum(head: Token, cues: CommitmentCues) -> bool:
    return any(
        clause.dep_ == "advcl"
        and any(m.dep_ == "mark" and m.lower_ in cues.ultimatum_marks for m in clause.children)
        for clause in head.children
    )


def announced_as(
    head: Token,
    event_type: str,
    modality: Modality,
    cues: CommitmentCues,
    modality_cues: ModalityCues,
) -> Announcement | None:
    """The promise or threat when the mention at ``head`` is an action someone said they
    will take; None otherwise."""
    if event_type not in cues.threat_types | cues.promise_types:
        return None
    if not _announced_future(head, modality, cues, modality_cues):
        return None
    speech = _announcing_verb(head, modality_cues)
    if speech is None:
        return None
    said = f"({speech.text!r} … {head.text!r})"
    if event_type in cues.threat_types:
        return Announcement("THREATEN", f"a threat to act {said}", speech)
    if _ultimatum(head, cues):
        return Announcement("THREATEN", f"an ultimatum {said}", speech)
    return Announcement("AGREE", f"a promise to act {said}", speech)


def _announcing_verb(head: Token, modality_cues: ModalityCues) -> Token | None:
    """The speech verb the action was announced with: the frame it sits in ("said it will
    …"), or a trailing attribution the parser hangs off the action ("… will provide aid, the
    agency said")."""
    frame = reporting_frame(head, modality_cues)
    if frame is not None:
        return frame[1]
    for child in head.children:
        trailing = child.dep_ in ("parataxis", "ccomp", "advcl", "conj") and child.i > head.i
        if (
            trailing
            and child.lemma_.lower() in modality_cues.speech
            and (child.doc[child.i - 1].is_punct or any(c.dep_ == "nsubj" for c in child.children))
        ):
            return child
    return None


def demanded_by(verb: Token, cues: CommitmentCues, modality_cues: ModalityCues) -> Token | None:
    """The speech verb of "X said (that) Y must <verb>": X, its subject, demands the action of
    Y. None when ``verb`` carries no obligation or no named speaker says it."""
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    if not any(c.dep_ == "aux" and c.lower_ in cues.obligation_modals for c in verb.children):
        return None
    speech = _announcing_verb(verb, modality_cues)
    if speech is None or not any(c.dep_ == "nsubj" for c in speech.children):
        return None
    return speech
