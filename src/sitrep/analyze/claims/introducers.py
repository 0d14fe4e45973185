"""Who speaks in a block quote: the paragraph that introduces it.

"… the Russians are now officially accusing the Americans of …:" (a reporting verb and its
subject), "… the statement made public yesterday by the Russian Defence Ministry:" (a
statement noun and its author), "The US version of the incident goes like this (courtesy of
The Hill)…" (the source is the noun phrase itself; the relay follows "courtesy of"), "… an
article in The New York Times …, which said the following:" (a news outlet: the relay of
every statement inside the block that names its own speaker).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from sitrep.analyze.claims.quotes import Block
from sitrep.analyze.claims.speakers import resolve_speaker
from sitrep.analyze.claims.speech import Frame, span_chars, speaker_of, subtree_span
from sitrep.analyze.core.document import Document
from sitrep.analyze.core.resources import Resources
from sitrep.model import Speaker, Stance

__all__ = ["Introducer", "block_introducer"]

_RELATIVES = {"which", "that", "who"}
_SOURCE_NOUNS = {
    "article",
    "statement",
    "version",
    "report",
    "reports",
    "release",
    "account",
    "communique",
    "transcript",
    "text",
    "words",
    "note",
}


@dataclass(frozen=True)
class Introducer:
    speaker: tuple[int, int] | None
    speaker_head: int | None
    cue: tuple[int, int]
    stance: Stance
    via: tuple[int, int] | None
    is_media: bool
    resolved: Speaker | None


def _last_sentence(document: Document, span: tuple[int, int]) -> Span | None:
    assert document.doc is not None
    inside = [s for s in document.doc.sents if span[0] <= s.start_char < span[1] and s.text.strip()]
    return inside[-1] if inside else None


def _relay_after_introducer(
    text: str, sentence: Span, resources: Resources
) -> tuple[int, int] | None:
    words = "|".join(re.escape(w) for w in resources.claim_cues.relay_introducers)
    match = re.search(rf"\b(?:{words})\s+([^()…:]+?)\s*(?:\)|…|\.\.\.|:|$)", sentence.text, re.I)
    if not match:
        return None
    start = sentence.start_char + match.start(1)
    return (start, start + len(match.group(1).rstrip(" .")))


def _owner(noun: Token) -> Token | None:
    """The author of a statement noun: its possessor, "by X" of its participle, "from/of/in X"."""
    for child in noun.children:
        if child.dep_ == "poss":
            return child
        if child.dep_ == "acl":
            agents = [g for a in child.children if a.dep_ == "agent" for g in a.children]
            if agents:
                return agents[0]
        if child.dep_ == "prep" and child.lower_ in ("by", "from", "in"):
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if objects and objects[0].pos_ in ("PROPN", "NOUN"):
                return objects[0]
    return None


def _source(sentence: Span, resources: Resources) -> tuple[Token | None, Token | None, Stance]:
    """(speaker token, cue token, stance) named by the introducing sentence."""
    cues = resources.claim_cues
    verbs = [
        t for t in sentence if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in cues.verb_stance
    ]
    nouns = [t for t in sentence if t.pos_ in ("NOUN", "PROPN") and t.lower_ in _SOURCE_NOUNS]
    if verbs:
        verb = verbs[-1]
        subject, agent = speaker_of(verb, cues.nouns)
        speaker = agent if agent is not None and subject is None else subject
        if speaker is not None and speaker.lower_ in _RELATIVES and verb.dep_ == "relcl":
            speaker = verb.head
        if speaker is not None:
            return speaker, verb, cues.verb_stance[verb.lemma_.lower()]
    for noun in reversed(nouns):
        return _owner(noun) or noun, noun, Stance.ASSERT
    return None, None, Stance.ASSERT


def block_introducer(
    document: Document, block: Block, frames: list[Frame], resources: Resources
) -> Introducer:
    doc = document.doc
    assert doc is not None
    sentence = _last_sentence(document, block.intro)
    empty = Introducer(
        None, None, (block.intro[1] - 1, block.intro[1]), Stance.ASSERT, None, False, None
    )
    if sentence is None:
        return empty
    via = _relay_after_introducer(document.text, sentence, resources)
    speaker_token, cue_token, stance = _source(sentence, resources)
    if speaker_token is None or cue_token is None:
        return Introducer(None, None, empty.cue, Stance.ASSERT, via, False, None)
    relative = [
        c for c in speaker_token.children if c.dep_ in ("relcl", "acl") and c.i > cue_token.i - 1
    ]
    span = subtree_span(doc, speaker_token, tuple(relative))
    if via is not None and span[0] <= via[0] < span[1]:
        span = span_chars(doc, speaker_token.left_edge.i, speaker_token.i)
    resolved, _referent = resolve_speaker(
        doc,
        document.text,
        span,
        speaker_token.i,
        [],
        document.entities,
        resources.actors,
        resources.claim_cues,
    )
    is_media = resolved.sector == "JRN"
    cue = (cue_token.idx, cue_token.idx + len(cue_token))
    return Introducer(span, speaker_token.i, cue, stance, via, is_media, resolved)
