"""What the learned decision layer sees of a candidate event: features from the parse, the
rules' reading, the lexicons and the article's layout, as ``{name: value}`` rows.

One function per decision: a candidate (is it a happening, and if not why; its type); a pair
of candidates (one happening told twice?); a candidate and an entity (its actor? its
recipient?); a candidate and a number (its toll?); a candidate and a place (where it
happened?). The rules' own choice is one feature among the others, so a head can follow the
rules where they are right and overrule them where the training data says they are not.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from spacy.tokens import Span, Token

from sitrep.analyze.core.document import Document
from sitrep.analyze.events.anchors import PLACE_FROM_CONTEXT
from sitrep.analyze.events.auxiliary import AuxiliaryHeads, dependency_path, tensor_row
from sitrep.analyze.events.candidates import EventCandidate
from sitrep.analyze.mentions.actors import ActorIndex
from sitrep.geo import km_between
from sitrep.model import ActorRef, EventRole, PlacePrecision, Quantity, date_span

Row = dict[str, float]
NAN = math.nan

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_NUMBER = re.compile(r"\b\d[\d,]*\b")
_AUXILIARIES = (
    "have",
    "has",
    "had",
    "will",
    "would",
    "could",
    "may",
    "might",
    "should",
    "can",
    "must",
    "be",
)


@dataclass(frozen=True)
class DecisionCues:
    """``events/lexicons/decision_cues.yaml``: word classes counted around a candidate."""

    classes: dict[str, frozenset[str]]
    # Words that mark a further happening: read by the same-happening pairs only, not counted
    # around every candidate, claim and assertion as the classes are.
    further: frozenset[str] = frozenset()
    # The event types that are statements (``modality.yaml``: ``speech_act_types``), each
    # made by its own speaker.
    statements: frozenset[str] = frozenset()

    @classmethod
    def build(cls, data: dict[str, Any], statements: frozenset[str] = frozenset()) -> DecisionCues:
        words = {name: frozenset(str(w).lower() for w in items) for name, items in data.items()}
        further = words.pop(FURTHER, frozenset())
        return cls(words, further, statements)


FURTHER = "further_happening"


# Determiners of a noun that refers to something told before ("the attack", "these strikes").
DEFINITE_DETERMINERS = frozenset({"the", "this", "that", "these", "those"})


def points_back(token: Token) -> bool:
    """Whether a word is determined as told before ("the attack", "these strikes")."""
    return any(c.dep_ == "det" and c.lower_ in DEFINITE_DETERMINERS for c in token.children)


def log_scale(value: float) -> float:
    return math.log10(1.0 + max(value, 0.0))


class ArticleView:
    """What every feature of one article reads, computed once per article."""

    def __init__(
        self, document: Document, cues: DecisionCues, actors: ActorIndex | None = None
    ) -> None:
        assert document.doc is not None
        self.document = document
        self.actors = actors
        self.doc = document.doc
        self.text = document.text
        self.cues = cues
        self.published: date | None = document.article.published
        self.sentences: list[Span] = list(self.doc.sents)
        self.sentence_starts = [s.start for s in self.sentences]
        # The body's first sentence (the lead): a headline and dateline that the text runs
        # into it are sentences of their own (``core/nlp.py``), so positions count from here.
        body = document.article.body_start
        self.lead = next((i for i, s in enumerate(self.sentences) if s.end_char > body), 0)
        self.quotes = [seg.span for seg in document.quoted().segments]
        self.blocks = document.quoted().block_paragraphs
        self.entities = sorted(document.entities, key=lambda m: m.start)
        self.entity_starts = [m.start for m in self.entities]
        self.killed = [q for q in document.quantities if q.category == "killed"]
        self.victims = [
            q for q in document.quantities if q.category in ("killed", "injured") and q.subject
        ]
        self.places = [m for m in self.entities if m.place is not None]
        self.n_chars = max(1, len(self.text))
        # Per-sentence answers the pair and option rows ask for again and again (a
        # happening's sentence is compared with every other candidate's).
        self._token_starts = [t.idx for t in self.doc]
        self._content_words: dict[int, frozenset[str]] = {}
        self._names: dict[int, frozenset[str]] = {}
        self._numbers: dict[int, frozenset[str]] = {}
        self._tokens_at: dict[int, Token] = {}

    def sentence_of(self, token: Token) -> int:
        return max(0, bisect_right(self.sentence_starts, token.i) - 1)

    def token_at(self, offset: int) -> Token:
        """The token covering a character offset (or the nearest before it)."""
        token = self._tokens_at.get(offset)
        if token is None:
            span = self.doc.char_span(offset, offset + 1, alignment_mode="expand")
            if span is not None and len(span):
                token = span[0]
            else:
                index = bisect_right(self._token_starts, offset) - 1
                token = self.doc[max(0, min(len(self.doc) - 1, index))]
            self._tokens_at[offset] = token
        return token

    @cached_property
    def _sentence_cues(self) -> list[Counter[str]]:
        out = []
        for sentence in self.sentences:
            counts: Counter[str] = Counter()
            for token in sentence:
                lower = token.lower_
                for name, words in self.cues.classes.items():
                    if lower in words:
                        counts[name] += 1
            out.append(counts)
        return out

    def sentence_cues(self, index: int) -> Counter[str]:
        return self._sentence_cues[index]

    @cached_property
    def _further(self) -> list[int]:
        return [sum(t.lower_ in self.cues.further for t in s) for s in self.sentences]

    def further_words(self, index: int) -> int:
        """How many words of a sentence mark a further happening ("another", "also")."""
        return self._further[index]

    @cached_property
    def _sentence_rows(self) -> list[Row]:
        out = []
        for sentence in self.sentences:
            text = sentence.text
            numbers = [int(n.replace(",", "")) for n in _NUMBER.findall(text) if len(n) < 12]
            row: Row = {
                "sentence_tokens": float(len(sentence)),
                "sentence_question": float(text.rstrip().endswith("?")),
                "sentence_verbs": float(sum(t.pos_ == "VERB" for t in sentence)),
                "sentence_period": float(text.rstrip()[-1:] in ".!?\"'”"),
                "sentence_capitals": sum(t.is_title for t in sentence) / max(1, len(sentence)),
                "sentence_years": float(len(_YEAR.findall(text))),
                "sentence_max_number": log_scale(max(numbers)) if numbers else 0.0,
            }
            out.append(row)
        return out

    def sentence_row(self, index: int) -> Row:
        """The features of a sentence every candidate in it shares (computed once)."""
        return self._sentence_rows[index]

    def content_words(self, index: int) -> frozenset[str]:
        """The sentence's nouns, verbs, adjectives and names, as lemmas."""
        if index not in self._content_words:
            self._content_words[index] = frozenset(
                t.lemma_.lower()
                for t in self.sentences[index]
                if t.pos_ in ("NOUN", "VERB", "PROPN", "ADJ") and not t.is_stop
            )
        return self._content_words[index]

    def names(self, index: int) -> frozenset[str]:
        """The entity names of a sentence (lower-cased), places and actors alike."""
        if index not in self._names:
            sentence = self.sentences[index]
            lo = bisect_right(self.entity_starts, sentence.start_char - 1)
            hi = bisect_right(self.entity_starts, sentence.end_char - 1)
            self._names[index] = frozenset(
                e.text.lower() for e in self.entities[lo:hi] if e.label != "PRON"
            )
        return self._names[index]

    def numbers(self, index: int) -> frozenset[str]:
        if index not in self._numbers:
            self._numbers[index] = frozenset(_NUMBER.findall(self.sentences[index].text))
        return self._numbers[index]

    def actor_of(self, text: str) -> ActorRef | None:
        """The actor words name, a bare group noun taken as the article's main country's."""
        if self.actors is None:
            return None
        return self.actors.resolve(text, self.document.main_country)

    def inside_quote(self, offset: int) -> bool:
        return any(s <= offset < e for s, e in self.quotes) or any(
            s <= offset < e for s, e in self.blocks
        )

    def line_of(self, offset: int) -> tuple[int, int]:
        start = self.text.rfind("\n", 0, offset) + 1
        end = self.text.find("\n", offset)
        return start, len(self.text) if end == -1 else end

    def value_count(self, quantity: Quantity) -> int:
        return sum(1 for q in self.killed if (q.low, q.high) == (quantity.low, quantity.high))

    def head_token(self, candidate: EventCandidate) -> Token:
        return self.token_at(candidate.mention.trigger_start)


# How many sentences back a happening takes its date or place from when its own sentence
# has none (news paragraphs run one to three sentences: general knowledge of the genre, not
# tuned).
CONTEXT_SENTENCES = 2


def context_start(text: str, sentence: Span) -> int:
    """Where the context a sentence inherits a date or place from begins: its paragraph, but
    no more than ``CONTEXT_SENTENCES`` back. A date or place carries over a few sentences,
    not a whole article: a feed that loses its paragraph breaks would otherwise date and
    place every later happening by its lead."""
    reach = sentence
    for _ in range(CONTEXT_SENTENCES):
        if reach.start == 0:
            break
        reach = sentence.doc[reach.start - 1].sent
    return max(text.rfind("\n\n", 0, sentence.start_char) + 1, reach.start_char)


def _coarse_why(why: str) -> str:
    """The kind of cue behind the rules' voice ("reported: said …" -> "reported")."""
    return re.split(r"[:(;,]", why, maxsplit=1)[0].strip().lower()[:30] if why else "none"


def _aux_features(head: Token, row: Row) -> None:
    governor = head if head.pos_ in ("VERB", "AUX") else head.head
    for child in governor.children:
        if child.dep_ in ("aux", "auxpass") and child.lower_ in _AUXILIARIES:
            row[f"aux={child.lower_}"] = 1.0
        if child.dep_ == "neg":
            row["negated_here"] = 1.0
        if child.dep_ == "mark" and child.lower_ in ("if", "unless", "whether"):
            row["conditional"] = 1.0
        if child.dep_ in ("nsubjpass", "auxpass"):
            row["passive"] = 1.0
    row[f"governor_tag={governor.tag_}"] = 1.0
    for ancestor in list(head.ancestors)[:3]:
        if any(c.dep_ == "neg" for c in ancestor.children):
            row["negated_above"] = 1.0
        if ancestor.lemma_.lower() in ("say", "tell", "report", "announce", "claim", "accuse"):
            row["speech_above"] = 1.0


def _role_features(prefix: str, roles: Sequence[EventRole], row: Row) -> None:
    coded = [r for r in roles if r.code and not r.guessed]
    row[f"{prefix}_coded"] = float(len(coded))
    row[f"{prefix}_guessed"] = float(any(r.guessed for r in roles))
    row[f"{prefix}_words"] = float(len(roles))
    for role in coded:
        row[f"{prefix}_sector={role.sector}"] = 1.0


def candidate_row(view: ArticleView, candidate: EventCandidate, tensor: bool = True) -> Row:
    """Features of one candidate: is it a happening to record, and of what type."""
    m = candidate.mention
    head = view.head_token(candidate)
    sentence_index = view.sentence_of(head)
    row: Row = {
        f"type={m.type}": 1.0,
        f"mode={m.mode}": 1.0,
        "has_mode": float(m.mode is not None),
        f"modality={m.modality.value}": 1.0,
        f"why={_coarse_why(m.why)}": 1.0,
        f"lemma={head.lemma_.lower()}": 1.0,
        f"tag={head.tag_}": 1.0,
        f"dep={head.dep_}": 1.0,
        "verb": float(head.pos_ == "VERB"),
        "group": float(len(candidate.heads)),
        "headline": float(m.headline),
        "killed": float(m.killed_low is not None),
        "log_killed": log_scale(m.killed_low) if m.killed_low is not None else NAN,
        "injured": float(m.injured_low is not None),
        f"place={m.place.precision.value if m.place else 'none'}": 1.0,
        "place_from_context": float(
            bool(m.place and m.place.how.startswith((PLACE_FROM_CONTEXT, "the article")))
        ),
        f"date_how={(m.date_how or 'none').split(':')[0][:24]}": 1.0,
        f"date_granularity={m.date_granularity.value if m.date_granularity else 'none'}": 1.0,
        "in_quote": float(view.inside_quote(m.trigger_start)),
        "sentence_index": float(sentence_index - view.lead),
        "relative_position": m.trigger_start / view.n_chars,
    }
    row.update(view.sentence_row(sentence_index))
    for flag in candidate.flags:
        row[f"flag={flag}"] = 1.0
    _role_features("actor", m.actors, row)
    _role_features("recipient", m.recipients, row)
    _aux_features(head, row)
    line_start, line_end = view.line_of(m.trigger_start)
    row["line_chars"] = float(line_end - line_start)
    row["line_words"] = float(len(view.text[line_start:line_end].split()))
    for name, count in view.sentence_cues(sentence_index).items():
        row[f"cue={name}"] = float(count)
    # From the first day the date may mean: background told by its year alone ("the uprising
    # began in 2011") is the furthest from the news of the day.
    span = date_span(m.date, m.date_granularity)
    if span is not None and view.published:
        row["date_age_days"] = float((view.published - span[0]).days)
    else:
        row["date_age_days"] = NAN
    if tensor:
        row.update(tensor_row(head))
    return row


_LOCAL_PRECISION = frozenset({PlacePrecision.SITE, PlacePrecision.TOWN, PlacePrecision.DISTRICT})


def _codes(roles: Sequence[EventRole]) -> set[str]:
    return {r.code for r in roles if r.code and not r.guessed}


def pair_row(view: ArticleView, first: EventCandidate, later: EventCandidate) -> Row:
    """Features of two candidates of one article (``first`` told earlier): one happening?"""
    a, b = first.mention, later.mention
    head_a, head_b = view.head_token(first), view.head_token(later)
    sentence_a, sentence_b = view.sentence_of(head_a), view.sentence_of(head_b)
    row: Row = {
        "same_type": float(a.type == b.type),
        f"types={'|'.join(sorted((a.type, b.type)))}": 1.0,
        "same_mode": float(bool(a.mode) and a.mode == b.mode),
        "mode_conflict": float(bool(a.mode and b.mode) and a.mode != b.mode),
        "same_sentence": float(sentence_a == sentence_b),
        "sentence_distance": float(abs(sentence_b - sentence_a)),
        "log_char_distance": log_scale(abs(b.trigger_start - a.trigger_start)),
        "same_lemma": float(head_a.lemma_.lower() == head_b.lemma_.lower()),
        "later_definite": float(points_back(head_b)),
        "later_headline": float(b.headline),
        "first_sentence_pair": float(sentence_a == view.lead),
        "both_asserted": float(a.modality == b.modality),
    }
    for name, x, y in (("actor", a.actors, b.actors), ("recipient", a.recipients, b.recipients)):
        cx, cy = _codes(x), _codes(y)
        row[f"{name}_shared"] = float(bool(cx & cy))
        row[f"{name}_conflict"] = float(bool(cx and cy and not cx & cy))
        row[f"{name}_one_missing"] = float(bool(cx) != bool(cy))
    # "Another seven were killed in raids on …", "More shells later hit …": the later telling
    # says it is a further happening.
    row["later_further"] = float(view.further_words(sentence_b))
    if a.place and b.place:
        km = km_between(a.place.lat, a.place.lon, b.place.lat, b.place.lon)
        row["place_km"] = log_scale(km)
        row["same_admin1"] = float(a.place.admin1 == b.place.admin1)
        # Two towns or sites named apart are two places; a province and a town in it may be
        # one happening told coarsely and finely.
        local = _LOCAL_PRECISION.issuperset((a.place.precision, b.place.precision))
        row["local_km"] = log_scale(km) if local else NAN
        row["local_names_differ"] = float(local and a.place.name != b.place.name)
    else:
        row["place_km"] = NAN
    if a.date and b.date:
        width = min(len(a.date), len(b.date))
        row["date_conflict"] = float(a.date[:width] != b.date[:width])
        row["date_equal"] = float(a.date == b.date)
    else:
        row["date_conflict"] = NAN
    if a.killed_low is not None and b.killed_low is not None:
        row["same_toll"] = float((a.killed_low, a.killed_high) == (b.killed_low, b.killed_high))
        row["toll_ratio"] = min(a.killed_low, b.killed_low) / max(1, a.killed_low, b.killed_low)
    else:
        row["same_toll"] = NAN
    if sentence_a == sentence_b:
        up, down, length = dependency_path(head_b, head_a)
        row["arcs"] = float(length)
        row[f"link={up.split('>')[0]}|{down.split('>')[0]}"] = 1.0
        row["conjoined"] = float(head_b in head_a.conjuncts)
        row["nested"] = float(head_a in head_b.subtree or head_b in head_a.subtree)
        between = view.doc[min(head_a.i, head_b.i) + 1 : max(head_a.i, head_b.i)]
        row["between_and"] = float(any(t.lower_ in ("and", ";", "while", "as") for t in between))
        row["between_after"] = float(
            any(t.lower_ in ("after", "before", "following") for t in between)
        )
    else:
        words_a = view.content_words(sentence_a)
        words_b = view.content_words(sentence_b)
        union = words_a | words_b
        row["word_overlap"] = len(words_a & words_b) / len(union) if union else 0.0
        names_a, names_b = view.names(sentence_a), view.names(sentence_b)
        row["shared_names"] = float(len(names_a & names_b))
        row["shared_numbers"] = float(len(view.numbers(sentence_a) & view.numbers(sentence_b)))
    return row


def candidate_rows(
    view: ArticleView, candidates: Sequence[EventCandidate], auxiliary: AuxiliaryHeads
) -> list[Row]:
    """The features of every candidate of an article, the auxiliary heads' answers included."""
    tokens = [view.head_token(c) for c in candidates]
    extra = auxiliary.features(tokens, [c.mention.type for c in candidates])
    rows = [candidate_row(view, c) | more for c, more in zip(candidates, extra, strict=True)]
    for row, own in zip(rows, _neighbour_rows(view, candidates, tokens), strict=True):
        row.update(own)
    return rows


# How far up the parse a candidate looks for another candidate governing it: a participle
# modifier or a clause under a strike sits one to three links below it.
_GOVERNOR_LINKS = 3


def _neighbour_rows(
    view: ArticleView, candidates: Sequence[EventCandidate], tokens: Sequence[Token]
) -> list[Row]:
    """What the other candidates of a candidate's sentence are, and whether one of them governs
    it in the parse: a word inside the telling of another happening ("machinegun-equipped
    vehicles were destroyed", "as they were leaving") is mostly part of that telling. Linear
    in the candidates: each sentence's candidates are tallied once."""
    by_token = {t.i: c for t, c in zip(tokens, candidates, strict=True)}
    sentence = [view.sentence_of(t) for t in tokens]
    # Per word: the types of its candidates (two candidates may share a head word); per
    # sentence: its candidate words, their types (each once per word) and tolls.
    word_types: dict[int, set[str]] = {}
    types: dict[int, Counter[str]] = {}
    words: dict[int, set[int]] = {}
    tolls: dict[int, set[int]] = {}
    for candidate, token, index in zip(candidates, tokens, sentence, strict=True):
        words.setdefault(index, set()).add(token.i)
        own = word_types.setdefault(token.i, set())
        if candidate.mention.type not in own:
            own.add(candidate.mention.type)
            types.setdefault(index, Counter())[candidate.mention.type] += 1
        if candidate.mention.killed_low is not None:
            tolls.setdefault(index, set()).add(token.i)
    ancestors = [[a.i for a in list(t.ancestors)[:_GOVERNOR_LINKS]] for t in tokens]
    governing = {a for up in ancestors for a in up if a in by_token}
    rows: list[Row] = []
    for candidate, token, index, up in zip(candidates, tokens, sentence, ancestors, strict=True):
        own_type = candidate.mention.type
        mates = types[index] - Counter(word_types[token.i])  # the other words' candidates
        row: Row = {"sentence_candidates": float(len(words[index]) - 1)}
        for mate_type, count in mates.items():
            if count > 0:
                row[f"mate_type={mate_type}"] = 1.0
        row["mate_same_type"] = float(mates[own_type] > 0)
        row["mate_killed"] = float(bool(tolls.get(index, set()) - {token.i}))
        for depth, ancestor in enumerate(up, start=1):
            governor = by_token.get(ancestor)
            if governor is not None:
                row["under_candidate_depth"] = float(depth)
                row[f"under_candidate={governor.mention.type}"] = 1.0
                break
        row["over_candidate"] = float(token.i in governing)
        rows.append(row)
    return rows
