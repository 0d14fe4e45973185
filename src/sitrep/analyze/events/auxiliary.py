"""Auxiliary heads trained on open corpora, whose answers are features of the in-domain
heads (stacking): what UDS-IH2 says of a predicate (happened? negated? generic?
hypothetical?), what ECB+ says of an action mention (occurrence? negated? generic?
reporting?), and which PLOVER type the NGEC stories say a sentence's words tell.

They see only what any English sentence has (the predicate's parse and its contextual
vector; the sentence's content words), so they train on corpora written for other purposes
and carry what those corpora know into the decision on a candidate event.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from spacy.tokens import Span, Token

from sitrep.analyze.core.learned import TreeModel
from sitrep.analyze.core.models import ModelStore

Row = dict[str, float]

# Auxiliary heads: (file name, the prefix of the features they give).
AUXILIARY = {"uds": "aux_uds", "ecb": "aux_ecb", "ngec": "aux_ngec", "roles": "aux_role"}
_MODALS = ("will", "would", "could", "may", "might", "should", "can", "must")
_PERFECT = ("have", "has", "had")
# How many components of spaCy's contextual token vector (tok2vec, 96 wide in the small
# English model) a row carries for the trigger word.
TENSOR_WIDTH = 96
_TENSOR_NAMES = tuple(f"t{k}" for k in range(TENSOR_WIDTH))


def tensor_row(token: Token) -> Row:
    """The token's contextual vector from the parse (its first ``TENSOR_WIDTH`` values) as
    the features t0, t1, …; empty when the parse kept no vectors."""
    tensor = token.doc.tensor
    if tensor is None or tensor.shape[0] <= token.i:
        return {}
    return dict(zip(_TENSOR_NAMES, tensor[token.i, :TENSOR_WIDTH].tolist(), strict=False))


def dependency_path(option: Token, head: Token) -> tuple[str, str, int]:
    """The dependency path between two words: the labels going up from ``option``, those
    going up from ``head`` to where they meet, and its length in arcs (99: no meeting)."""
    ups_option = [option, *option.ancestors]
    ups_head = [head, *head.ancestors]
    index_head = {t.i: n for n, t in enumerate(ups_head)}
    for n, token in enumerate(ups_option):
        if token.i in index_head:
            m = index_head[token.i]
            up = ">".join(t.dep_ for t in ups_option[:n])
            down = ">".join(t.dep_ for t in ups_head[:m])
            return up[:40], down[:40], n + m
    return "far", "far", 99


def preposition(token: Token) -> str:
    """The preposition a noun is the object of ("by", "on", "against"), or "none"."""
    if token.dep_ in ("pobj", "pcomp") and token.head.dep_ in ("prep", "agent"):
        return token.head.lower_
    return "none"


# The prefix of the features the role head of the open corpora reads (``argument_row``).
ARGUMENT = "arg:"


def argument_row(argument: Token, trigger: Token, path: tuple[str, str, int] | None = None) -> Row:
    """What any sentence shows of a word's part in a happening told by ``trigger``: the
    parse path between them (``path`` when the caller has it already), the preposition it
    hangs on, which comes first, the voice; no word of either, so that it carries from other
    corpora's events to these."""
    up, down, length = path or dependency_path(argument, trigger)
    return {
        f"{ARGUMENT}up1={up.split('>')[0]}": 1.0,
        f"{ARGUMENT}down1={down.split('>')[0]}": 1.0,
        f"{ARGUMENT}up={up}": 1.0,
        f"{ARGUMENT}down={down}": 1.0,
        f"{ARGUMENT}path_length": float(length),
        f"{ARGUMENT}prep={preposition(argument)}": 1.0,
        f"{ARGUMENT}before": float(argument.i < trigger.i),
        f"{ARGUMENT}distance": float(abs(argument.i - trigger.i)),
        f"{ARGUMENT}passive": float(
            any(c.dep_ in ("nsubjpass", "auxpass") for c in trigger.children)
        ),
        f"{ARGUMENT}trigger_verb": float(trigger.pos_ == "VERB"),
        f"{ARGUMENT}pos={argument.pos_}": 1.0,
        f"{ARGUMENT}entity={argument.ent_type_ or 'none'}": 1.0,
    }


def predicate_row(token: Token, tensor: bool = True) -> Row:
    """What any sentence shows of a predicate: its form, its auxiliaries, negation,
    conditions, its subject's and object's number, and its contextual vector."""
    governor = token if token.pos_ in ("VERB", "AUX") else token.head
    row: Row = {
        f"tag={token.tag_}": 1.0,
        f"pos={token.pos_}": 1.0,
        f"dep={token.dep_}": 1.0,
        f"governor_tag={governor.tag_}": 1.0,
        f"lemma={token.lemma_.lower()}": 1.0,
        "question": float(token.sent.text.rstrip().endswith("?")),
    }
    for child in governor.children:
        word = child.lower_
        if child.dep_ in ("aux", "auxpass"):
            if word in _MODALS:
                row[f"modal={word}"] = 1.0
            elif word in _PERFECT:
                row["perfect"] = 1.0
            elif child.lemma_ == "be" and governor.tag_ == "VBG":
                row["progressive"] = 1.0
        if child.dep_ == "neg":
            row["negated"] = 1.0
        if child.dep_ == "mark" and word in ("if", "unless", "whether", "when", "once"):
            row[f"mark={word}"] = 1.0
        if child.dep_ in ("nsubj", "nsubjpass", "dobj"):
            role = "subject" if child.dep_ != "dobj" else "object"
            row[f"{role}_plural"] = float(child.tag_ in ("NNS", "NNPS"))
            row[f"{role}_bare"] = float(not any(c.dep_ == "det" for c in child.children))
            row[f"{role}_proper"] = float(child.pos_ == "PROPN")
    for ancestor in list(governor.ancestors)[:3]:
        if any(c.dep_ == "neg" for c in ancestor.children):
            row["negated_above"] = 1.0
        if ancestor.tag_ == "MD" or any(c.tag_ == "MD" for c in ancestor.children):
            row["modal_above"] = 1.0
    if tensor:
        row.update(tensor_row(token))
    return row


def sentence_words(sentence: Span) -> Row:
    """A sentence's content words as lemma features (what the type classifier reads)."""
    return {
        f"w={t.lemma_.lower()}": 1.0
        for t in sentence
        if t.is_alpha and not t.is_stop and t.pos_ in ("NOUN", "VERB", "PROPN", "ADJ")
    }


@dataclass(frozen=True)
class AuxiliaryHeads:
    """The auxiliary heads present in a model set (each optional)."""

    heads: dict[str, TreeModel]

    @classmethod
    def load(cls, store: ModelStore) -> AuxiliaryHeads:
        return cls({n: store.get("events", n) for n in AUXILIARY if store.has("events", n)})

    def features(self, tokens: list[Token], event_types: list[str]) -> list[Row]:
        """The auxiliary heads' answers for candidates' trigger words (and their types), as
        one feature row per candidate; empty rows when the model set has no such heads."""
        rows: list[Row] = [{} for _ in tokens]
        if not tokens:
            return rows
        if "uds" in self.heads or "ecb" in self.heads:
            predicates = [predicate_row(t) for t in tokens]
            for name in ("uds", "ecb"):
                model = self.heads.get(name)
                if model is None:
                    continue
                for row, probabilities in zip(rows, model.predict_proba(predicates), strict=True):
                    for label, p in zip(model.classes, probabilities, strict=True):
                        row[f"{AUXILIARY[name]}={label}"] = float(p)
        model = self.heads.get("ngec")
        if model is not None:
            # The type head reads only the sentence: candidates of one sentence share its answer.
            sentences = [t.sent for t in tokens]
            unique = {sentence.start: sentence for sentence in sentences}
            answers = dict(
                zip(
                    unique,
                    model.predict_proba([sentence_words(s) for s in unique.values()]),
                    strict=True,
                )
            )
            found = [answers[sentence.start] for sentence in sentences]
            for row, probabilities, event_type in zip(rows, found, event_types, strict=True):
                by_type = dict(zip(model.classes, probabilities, strict=True))
                row["aux_ngec_own_type"] = float(by_type.get(event_type, 0.0))
                row["aux_ngec_entropy"] = float(-sum(p * math.log(p + 1e-9) for p in probabilities))
                row[f"aux_ngec_top={model.classes[int(probabilities.argmax())]}"] = 1.0
        return rows

    def add_role_answers(self, rows: list[Row]) -> None:
        """Add the open corpora's role head's answers (is this word the attacker, the target
        or victim?) to role rows that carry ``argument_row``'s features; nothing without it."""
        model = self.heads.get("roles")
        if model is None or not rows:
            return
        for row, probabilities in zip(rows, model.predict_proba(rows), strict=True):
            for label, p in zip(model.classes, probabilities, strict=True):
                row[f"{AUXILIARY['roles']}={label}"] = float(p)


NO_AUXILIARY = AuxiliaryHeads({})  # a model set without auxiliary heads
