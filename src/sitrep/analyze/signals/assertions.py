"""Signals: what the outlet asserts in its own voice with no source, and claims whose source
has no name.

An **unattributed assertion** is a sentence in the writer's own voice (the part of it
outside every quotation, block quote, transcript turn and attributed statement), the
headline's included, that is not a question, names an actor, and says what it says
strongly. Strength is a score: charged words ("terrorists", "invaded", "lied"), certainty
boosters ("clearly", "we know"), amplifiers of a deed ("directly") and an attack told as
fact with a named actor (with its toll) add to it; hedges ("perhaps", "may", "if") take
from it. An **anonymous source** is the speaker span of a claim whose speaker has no name
("officials who spoke on condition of anonymity"). The cue lists are data
(resources/signals.yaml).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Span, Token

from sitrep.analyze.claims.quotes import paragraphs
from sitrep.analyze.core.document import Document
from sitrep.analyze.core.resources import Resources
from sitrep.analyze.signals.cues import ANONYMOUS, UNATTRIBUTED, SignalCues
from sitrep.model import Claim, Signal

__all__ = [
    "ANONYMOUS",
    "UNATTRIBUTED",
    "AssertionCandidate",
    "anonymous_sources",
    "assertion_candidates",
    "find_signals",
    "unattributed",
]


# Weights of the assertion score, by class of cue found in the writer's-voice part of a
# sentence. A booster is the writer vouching in so many words, so it alone reaches THRESHOLD;
# a charged word alone, or an attack told as fact alone (the plain news report "US jets
# bombed Syrian positions"), needs one more cue. Calibrated on the seeds gold with
# `sitrep eval --stage claims`, as seeds.unattributed.recall (15 items) / .flagged (all six
# seed articles), at THRESHOLD 1.5: these weights 1.00 / 44; booster 1.0 0.93 / 35;
# intensifier 0 0.93 / 41; event and toll 0 0.87 / 35; hedges ignored 1.00 / 50.
WEIGHTS = {
    "loaded": 1.0,  # each distinct charged word ("terrorists", "invaded", "lied")
    "booster": 1.5,  # each distinct certainty booster ("clearly", "we know")
    "intensifier": 0.5,  # each distinct amplifier of a deed ("directly", "deliberately")
    "event": 1.0,  # an attack or seizure told as fact, with a named actor
    "toll": 0.5,  # a count of the killed or injured told as fact
    "hedge": -1.0,  # each distinct hedge ("perhaps", "may", "if")
}
# How many distinct cues of a class count at most: a tirade is not ten times one verdict, and
# a sentence that tells one attack twice ("the strike ... bombed") tells one attack.
MAX_CUES = {"loaded": 2, "booster": 2, "intensifier": 2, "event": 1, "toll": 1, "hedge": 2}
# Calibrated as above (recall / flagged) with WEIGHTS: threshold 1.0 -> 1.00 / 83; 1.5 ->
# 1.00 / 44; 2.0 -> 0.80 / 31; 2.5 -> 0.60 / 21. With every weight 1 (hedge -1): 1.0 ->
# 1.00 / 86; 1.5 -> 0.93 / 35. 1.5 is the lowest threshold that drops a lone charged word or
# a lone attack report.
THRESHOLD = 1.5
# A stretch of a sentence outside quotations with fewer words than this is an attribution
# ("the ministry said.") or a fragment, not a statement of its own.
MIN_WORDS = 5
# Dependencies that make a word part of a noun phrase's description: a hedge under one of
# them qualifies that noun ("the most likely culprit", "which would mean"), not the statement.
_NOUN_MODIFIERS = frozenset({"amod", "relcl", "acl"})
# Characters trimmed from the ends of a stretch: spaces, quotation marks, joining punctuation.
_EDGES = "\"“”‘’'…,;:-–—( \n\t\u00a0"

Spans = list[tuple[int, int]]


class _Cover:
    """The union of some spans, as sorted disjoint spans, to cut a stretch by."""

    def __init__(self, spans: Spans) -> None:
        self.spans: Spans = []
        for start, end in sorted(spans):
            if self.spans and start <= self.spans[-1][1]:
                self.spans[-1] = (self.spans[-1][0], max(end, self.spans[-1][1]))
            else:
                self.spans.append((start, end))
        self.ends = [end for _start, end in self.spans]

    def _overlapping(self, start: int, end: int) -> Iterator[tuple[int, int]]:
        index = bisect_right(self.ends, start)
        while index < len(self.spans) and self.spans[index][0] < end:
            yield self.spans[index]
            index += 1

    def inside(self, start: int, end: int) -> Spans:
        """The parts of text[start:end] inside the cover."""
        return [(max(start, s), min(end, e)) for s, e in self._overlapping(start, end)]

    def outside(self, start: int, end: int) -> Spans:
        """The parts of text[start:end] outside the cover."""
        pieces = []
        for h_start, h_end in self._overlapping(start, end):
            if start < h_start:
                pieces.append((start, h_start))
            start = max(start, h_end)
        if start < end:
            pieces.append((start, end))
        return pieces

    def covers(self, at: int) -> bool:
        return not self.outside(at, at + 1)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGES:
        start += 1
    while end > start and text[end - 1] in _EDGES:
        end -= 1
    return start, end


class _Offsets:
    """Labelled offsets of one layer, sorted, to look up those inside a stretch."""

    def __init__(self, items: list[tuple[int, str]]) -> None:
        items.sort()
        self.starts = [at for at, _label in items]
        self.labels = [label for _at, label in items]

    def inside(self, pieces: Spans) -> set[str]:
        return {
            label
            for start, end in pieces
            for label in self.labels[
                bisect_left(self.starts, start) : bisect_left(self.starts, end)
            ]
        }


@dataclass
class _Layers:
    """What the assertion test reads from a document's other layers, indexed once."""

    others: _Cover  # stretches in someone else's voice
    actors: _Offsets  # mentions that resolve to an actor
    events: _Offsets  # trigger spans of attacks told as fact with a named actor
    tolls: _Offsets  # counts of the killed or injured
    numbers: _Cover  # every number (a hedge inside one is a range: "perhaps as many as")

    @classmethod
    def build(
        cls, document: Document, resources: Resources, claims: list[Claim], cues: SignalCues
    ) -> _Layers:
        text = document.text
        others = [span for claim in claims for span in claim.content_spans]
        quotations = document.quoted()
        others += [segment.span for segment in quotations.statements]
        others += quotations.block_paragraphs
        others += [(turn.name[0], turn.content[1]) for turn in quotations.turns]
        named_force = [
            e
            for e in document.events
            if e.counts
            and e.type in cues.event_types
            and any(r.code and not r.guessed for r in (*e.actors, *e.recipients))
        ]
        return cls(
            _Cover(others),
            _Offsets([(m.start, m.text) for m in document.entities if m.actor is not None]),
            _Offsets([(s, text[s:e]) for ev in named_force for s, e in ev.trigger_spans]),
            _Offsets([(q.start, q.text) for q in document.quantities if q.category != "count"]),
            _Cover([(q.start, q.end) for q in document.quantities]),
        )


def _sentences(document: Document) -> Iterator[tuple[Span, tuple[int, int]]]:
    """Every sentence, the headline's too, each cut at paragraph breaks and trimmed: a
    charged headline is the outlet's own claim, and the in-domain annotation marks it so
    (9 of its 79 unattributed assertions are in a headline)."""
    assert document.doc is not None
    text = document.text
    breaks = _Cover(paragraphs(text))
    for sentence in document.doc.sents:
        for piece in breaks.inside(sentence.start_char, sentence.end_char):
            start, end = _trim(text, *piece)
            if start < end:
                yield sentence, (start, end)


def _hedges_statement(token: Token) -> bool:
    """Whether a hedge word holds back the sentence's statement rather than describing a
    noun of it."""
    return token.dep_ not in _NOUN_MODIFIERS and not any(
        a.dep_ in _NOUN_MODIFIERS for a in token.ancestors
    )


def _hedges(
    text: str, cues: SignalCues, layers: _Layers, sentence: Span, span: tuple[int, int]
) -> set[str]:
    """Hedges of the sentence's statement, anywhere in it: a hedged attribution ("it seems
    that") hedges what it attributes."""
    tokens = {t.idx: t for t in sentence}
    found = {
        cue
        for at, cue in cues.hedges.find(text, *span)
        if not layers.numbers.covers(at) and (at not in tokens or _hedges_statement(tokens[at]))
    }
    found |= {
        t.lower_
        for t in sentence
        if t.tag_ == "MD"
        and t.lower_ in cues.hedge_modals
        and span[0] <= t.idx < span[1]
        and _hedges_statement(t)
    }
    return found


def _assess(
    text: str,
    cues: SignalCues,
    layers: _Layers,
    sentence: Span,
    span: tuple[int, int],
    pieces: Spans,
) -> tuple[float, str, dict[str, set[str]]] | None:
    """The score of a sentence, the cues behind it and the cues by class; None when it
    names no actor."""
    events = layers.events.inside(pieces)
    if not events and not layers.actors.inside(pieces):
        return None
    found = {
        "loaded": {cue for p in pieces for _at, cue in cues.loaded.find(text, *p)},
        "booster": {cue for p in pieces for _at, cue in cues.boosters.find(text, *p)},
        "intensifier": {cue for p in pieces for _at, cue in cues.intensifiers.find(text, *p)},
        "event": events,
        "toll": layers.tolls.inside(pieces),
        "hedge": _hedges(text, cues, layers, sentence, span),
    }
    score = sum(WEIGHTS[name] * min(len(words), MAX_CUES[name]) for name, words in found.items())
    why = "; ".join(f"{name}: {', '.join(sorted(w))}" for name, w in found.items() if w)
    return score, why, found


@dataclass(frozen=True)
class AssertionCandidate:
    """A sentence's stretch in the writer's own voice that names an actor, with its cues."""

    sentence: Span
    start: int  # the longest own-voice piece of the sentence
    end: int
    pieces: Spans
    score: float  # the rules' strength score (WEIGHTS)
    why: str
    found: dict[str, set[str]]


def assertion_candidates(
    document: Document, resources: Resources, claims: list[Claim]
) -> list[AssertionCandidate]:
    """Every body sentence with a stretch in the writer's own voice that names an actor or
    tells a named attack (not a question), with the cues found in it."""
    if document.doc is None:
        return []
    cues = resources.signal_cues
    text = document.text
    layers = _Layers.build(document, resources, claims, cues)
    found = []
    for sentence, span in _sentences(document):
        if text[span[0] : span[1]].rstrip(_EDGES).endswith("?"):
            continue  # a question asserts nothing
        pieces = [
            _trim(text, *piece)
            for piece in layers.others.outside(*span)
            if len(text[piece[0] : piece[1]].split()) >= MIN_WORDS
        ]
        assessed = _assess(text, cues, layers, sentence, span, pieces) if pieces else None
        if assessed is None:
            continue
        start, end = max(pieces, key=lambda p: p[1] - p[0])
        found.append(AssertionCandidate(sentence, start, end, pieces, *assessed))
    return found


def unattributed(document: Document, resources: Resources, claims: list[Claim]) -> list[Signal]:
    """Strong statements about named actors in the writer's own voice (see the module doc):
    the candidates whose score reaches THRESHOLD."""
    text = document.text
    return [
        Signal(c.start, c.end, text[c.start : c.end], UNATTRIBUTED, c.score, c.why)
        for c in assertion_candidates(document, resources, claims)
        if c.score >= THRESHOLD
    ]


def anonymous_sources(claims: list[Claim]) -> list[Signal]:
    """The speaker span of every claim whose speaker has no name."""
    return [
        Signal(s.start, s.end, s.text, ANONYMOUS, 1.0, f"claim cue: {claim.cue}")
        for claim in claims
        if (s := claim.speaker) is not None and s.anonymous
    ]


def find_signals(document: Document, resources: Resources) -> list[Signal]:
    """Every signal of the document, in text order."""
    found = unattributed(document, resources, document.claims)
    found += anonymous_sources(document.claims)
    return sorted(found, key=lambda s: (s.start, s.end, s.kind))
