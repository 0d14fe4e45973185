"""The stance of a claim: what the speaker does with it.

A charged reporting verb decides ("accused", "denied", "demanded", "warned"). A neutral one
("said", "noted", a colon before a block quote) leaves it to the content, checked in this
order: a threat (the future plus force: "will regard any flights as legitimate targets"),
an accusation (wrongdoing words: "a cynical violation", "support of Daesh"), a denial (the
content's main verb negated, unless it is stative: "did not target" but not "does not
appear"), a prediction (modals and the future: "could", "will complicate", "a real risk").
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from sitrep.analyze.claims.cues import ClaimCues
from sitrep.model import Stance

__all__ = ["content_stance"]


def _has_any(text: str, words: frozenset[str]) -> bool:
    lowered = " " + re.sub(r"[^\w'’ -]+", " ", text.lower()).replace("’", "'") + " "
    return any(f" {w} " in lowered for w in words)


def _negated_action(doc: Doc, start: int, end: int, cues: ClaimCues) -> bool:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    roots = [t for t in span if t.head.i < span.start or t.head.i >= span.end or t.head == t]
    for root in roots[:1]:
        for verb in (root, *(c for c in root.children if c.dep_ in ("xcomp", "conj"))):
            # "did not target", or a negated object ("received NO notification")
            negated = any(
                c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no")
                for t in (verb, *verb.children)
                for c in t.children
            )
            if negated and verb.lemma_.lower() not in cues.stative:
                return True
    return False


def content_stance(
    doc: Doc, article_text: str, spans: tuple[tuple[int, int], ...], cue: Stance, cues: ClaimCues
) -> Stance:
    """The stance of a claim whose reporting verb gives ``cue``."""
    if cue is not Stance.ASSERT:
        return cue
    text = " ".join(article_text[s:e] for s, e in spans)
    future = _has_any(text, cues.prediction)
    if future and _has_any(text, cues.threat):
        return Stance.THREATEN
    if _has_any(text, cues.accusation):
        return Stance.ACCUSE
    if _negated_action(doc, spans[0][0], spans[-1][1], cues):
        return Stance.DENY
    if future:
        return Stance.PREDICT
    if text.rstrip(" ”\"'").endswith("?"):
        return Stance.QUESTION
    return Stance.ASSERT
