"""The modality of an event mention: asserted, reported, hypothetical, negated, future, question.

Cues are looked for on the trigger and on the words that control it, climbing only through
the links that carry them: a negation or a modal of a controlling verb reaches its infinitive
("did not try to hide" negates hiding) but not an adverbial clause ("did not retaliate after
Turkey shot down its jet" does not negate the shoot-down). A statement frame ("X said that
…") makes the events of its complement reported, but not the background clauses hanging off
them (relative and adverbial clauses are the writer's own).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.tokens import Token

from sitrep.model import Modality
from sitrep.resources import word_set

__all__ = ["ModalityCues", "decide", "reporting_frame"]

# Links through which a statement frame reaches down to an event.
_FRAME_LINKS = {
    "ccomp",
    "xcomp",
    "conj",
    "dobj",
    "pobj",
    "prep",
    "pcomp",
    "nsubj",
    "nsubjpass",
    "attr",
    "dep",
    "compound",
    "amod",
    "appos",
    "acomp",
    "oprd",
    "parataxis",
}


@dataclass(frozen=True)
class ModalityCues:
    speech: frozenset[str]
    speech_nouns: frozenset[str]
    relay: frozenset[str]
    speech_acts: frozenset[str]
    modals: frozenset[str]
    future_aux: frozenset[str]
    intention: frozenset[str]
    intention_nouns: frozenset[str]
    conditional: frozenset[str]
    negative_determiners: frozenset[str]
    negative_pronouns: frozenset[str]
    speculation: frozenset[str]
    speculation_verbs: frozenset[str]
    speculation_adjectives: frozenset[str]
    reporting_adverbs: frozenset[str]
    implicative: frozenset[str]
    prevention: frozenset[str]
    possibility_nouns: frozenset[str]
    request_verbs: frozenset[str]
    denial_verbs: frozenset[str]
    rebuttal_verbs: frozenset[str]
    contested_nouns: frozenset[str]

    @classmethod
    def build(cls, data: dict[str, Any]) -> ModalityCues:
        def words(key: str) -> frozenset[str]:
            return word_set(data, key)

        return cls(
            words("speech"),
            words("speech_nouns"),
            words("relay"),
            word_set(data, "speech_act_types", lower=False),
            words("modals"),
            words("future_aux"),
            words("intention_verbs"),
            words("intention_nouns"),
            words("conditional_marks"),
            words("negative_determiners"),
            words("negative_pronouns"),
            words("speculation"),
            words("speculation_verbs"),
            words("speculation_adjectives"),
            words("reporting_adverbs"),
            words("implicative_true"),
            words("prevention_verbs"),
            words("possibility_nouns"),
            words("request_verbs"),
            words("denial_verbs"),
            words("rebuttal_verbs"),
            words("contested_nouns"),
        )


def _negated(token: Token, cues: ModalityCues) -> bool:
    return any(
        c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ in cues.negative_determiners)
        for c in token.children
    )


def _done_by_no_one(verb: Token, cues: ModalityCues) -> bool:
    """A verb whose subject is no one ("Nobody was killed", "None of the rebels withdrew"). It
    negates the verb's own happening only: in "Nobody was killed in the shelling" the
    shelling stays real."""
    return any(
        c.dep_ in ("nsubj", "nsubjpass")
        and (c.lower_ in cues.negative_pronouns or _negated(c, cues))
        for c in verb.children
    )


def _chain(trigger: Token) -> list[Token]:
    """The trigger and the words that control it: the verb of its infinitive ("tried to hide"),
    the word its preposition hangs on ("no evidence of assault", "intended as a warning")."""
    chain = [trigger]
    token = trigger
    while token.head.i != token.i:
        link = token.dep_
        if link == "xcomp" or (link == "acl" and token.head.pos_ == "NOUN"):
            token = token.head
            chain.append(token)
        elif link == "pobj" and token.head.dep_ == "prep" and token.head.head.i != token.head.i:
            token = token.head.head
            chain.append(token)
        elif link in ("prep", "aux", "auxpass"):
            token = token.head
        else:
            break
    return chain


def _clauses(trigger: Token) -> list[Token]:
    """The heads of the clauses the trigger sits in, innermost first (for "it is likely that …"),
    stopping at a relative clause (background the writer states)."""
    heads = []
    token = trigger
    while token.head.i != token.i:
        if token.dep_ in ("relcl", "acl"):
            break
        if token.dep_ in ("ccomp", "csubj", "xcomp", "conj"):  # complements, not purposes or times
            heads.append(token.head)
        token = token.head
    return heads


def _infinitive_intention(trigger: Token, cues: ModalityCues) -> str | None:
    """ "Pentagon to Attack", "the decision to target", "have to retaliate": a plan, not a fact."""
    is_infinitive = any(c.dep_ == "aux" and c.tag_ == "TO" for c in trigger.children)
    before = trigger.doc[trigger.i - 1] if trigger.i > 0 else None
    # A Title-Case headline ("Pentagon to Attack Russian Forces") is parsed as nouns: a bare
    # "to" right before a singular trigger word is its infinitive marker all the same.
    headline_infinitive = (
        before is not None
        and before.lower_ == "to"
        and trigger.tag_ in ("VB", "NNP")
        and trigger.is_title
    )
    if headline_infinitive:
        return "an infinitive (a plan) in a headline"
    if not is_infinitive:
        return None
    governor = trigger.head
    if governor.i == trigger.i:
        return "an infinitive headline"
    lemma = governor.lemma_.lower()
    if lemma in cues.implicative or lemma in cues.speech:
        return None
    if governor.pos_ == "NOUN" and lemma in cues.intention_nouns:
        return f"intention {governor.text!r}"
    # "gave Damascus the green light to shoot down", "issued an order to attack": the
    # infinitive hangs on the verb, the intention is its object
    plan = [
        c
        for c in governor.children
        if c.dep_ == "dobj" and c.lemma_.lower() in cues.intention_nouns
    ]
    if plan and trigger.i > plan[0].i:
        return f"intention {plan[0].text!r}"
    if trigger.dep_ == "xcomp" and lemma in cues.intention:
        return f"intention {governor.text!r}"
    if trigger.dep_ in ("advcl", "xcomp") and governor.pos_ in ("VERB", "AUX"):
        return None  # "called in to hit", "flying patrols to …": a purpose of a real act
    return None


def _possibility(trigger: Token, cues: ModalityCues) -> str | None:
    """ "The ability to strike", "the ability to carry out airstrikes": an infinitive (or its
    object) under a noun of possibility."""
    verb = trigger.head if trigger.dep_ == "dobj" else trigger
    governor = verb.head
    infinitive = any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)
    if infinitive and governor.pos_ == "NOUN" and governor.lemma_.lower() in cues.possibility_nouns:
        return f"possibility {governor.text!r}"
    return None


def _object_of_prevention_or_guess(
    trigger: Token, cues: ModalityCues
) -> tuple[Modality, str] | None:
    """ "Preventing any clashes": the clashes did not happen; "assuming a hidden coordination",
    "suspect a plot": the writer's guess; "demanded the withdrawal", "called for a session":
    asked for, not yet done."""
    verb = trigger.head
    if trigger.dep_ == "pobj" and verb.lower_ == "for":  # "called for a session", "asked for"
        verb = verb.head
        if verb.lemma_.lower() in cues.request_verbs and trigger.pos_ == "NOUN":
            return Modality.FUTURE, f"requested ({verb.text!r} for)"
        return None
    if trigger.dep_ != "dobj":
        return None
    lemma = verb.lemma_.lower()
    if lemma in cues.prevention:
        return Modality.NEGATED, f"prevented ({verb.text!r})"
    if lemma in cues.speculation_verbs:
        return Modality.HYPOTHETICAL, f"speculation {verb.text!r}"
    if lemma in cues.request_verbs and trigger.pos_ == "NOUN":
        return Modality.FUTURE, f"requested ({verb.text!r})"
    return None


# Links from a denied happening up to the verb that denies it ("denied that its jets had
# struck", "denied shelling the market", "rejected claims that they had shelled").
_DENIAL_LINKS = {"ccomp", "xcomp", "dobj", "pcomp", "pobj", "prep", "acl", "conj"}
_COMPLEMENTS = {"ccomp", "xcomp", "dobj", "pcomp"}


def _denied(trigger: Token, cues: ModalityCues) -> str | None:
    """The verb that denies the trigger's happening, if one does: a denial verb whose
    complement holds it ("Russia denied its jets had struck"), or a rebuttal verb whose object
    is a report or claim of it ("dismissed reports that …"). Denying a part in a happening is
    not denying the happening: "denied responsibility for the strike" leaves the strike real,
    so the climb passes through no noun but a report or claim."""
    token = trigger
    through_claim = False
    while token.head.i != token.i and token.dep_ in _DENIAL_LINKS:
        head = token.head
        lemma = head.lemma_.lower()
        if head.pos_ == "VERB":
            complement = token.dep_ in _COMPLEMENTS
            if not _negated(head, cues) and (
                (complement and lemma in cues.denial_verbs)
                or (through_claim and lemma in cues.rebuttal_verbs)
            ):
                return head.text
            if not complement and token.dep_ != "conj":
                return None  # a verb's adjunct ("taking part in the strikes") is not denied
        elif head.pos_ in ("NOUN", "PROPN"):
            if lemma not in cues.contested_nouns:
                return None
            through_claim = True
        elif head.pos_ != "ADP":
            return None
        token = head
    return None


def decide(
    trigger: Token, event_type: str, cues: ModalityCues, quoted: bool, in_block_quote: bool
) -> tuple[Modality, str]:
    """The modality of the event whose trigger is ``trigger``, and the cue that decided it."""
    sentence = trigger.sent
    if sentence.text.rstrip(" \"”’')").endswith("?"):
        return Modality.QUESTION, "the sentence is a question"
    speech_act = event_type in cues.speech_acts
    chain = _chain(trigger)
    if _done_by_no_one(trigger, cues):
        return Modality.NEGATED, f"no one is the subject of {trigger.text!r}"
    for token in chain:
        if _negated(token, cues):
            return Modality.NEGATED, f"negated at {token.text!r}"
        for child in token.children:
            word = child.lower_
            if child.dep_ == "advmod" and word in cues.speculation:
                return Modality.HYPOTHETICAL, f"speculation {child.text!r}"
            if speech_act and event_type in ("THREATEN", "REQUEST"):
                continue  # a threat or demand is made now, whatever it says about the future
            if child.tag_ == "MD" and word in cues.modals:
                return Modality.HYPOTHETICAL, f"modal {child.text!r}"
            if child.dep_ == "mark" and word in cues.conditional:
                return Modality.HYPOTHETICAL, f"condition {child.text!r}"
            if child.dep_ == "aux" and word in cues.future_aux:
                return Modality.FUTURE, f"future {child.text!r}"
    denial = _denied(trigger, cues)
    if denial is not None:
        return Modality.NEGATED, f"denied ({denial!r})"
    possible = _possibility(trigger, cues)
    if possible is not None:
        return Modality.HYPOTHETICAL, possible
    governed = _object_of_prevention_or_guess(trigger, cues)
    if governed is not None:
        return governed
    for token in chain[1:]:
        lemma = token.lemma_.lower()
        if lemma in cues.prevention:
            return Modality.NEGATED, f"prevented ({token.text!r})"
        if lemma in cues.speculation_verbs:
            return Modality.HYPOTHETICAL, f"speculation {token.text!r}"
        if lemma in cues.intention and event_type not in ("THREATEN", "REQUEST"):
            return Modality.FUTURE, f"intention {token.text!r}"
    if event_type not in ("THREATEN", "REQUEST"):
        intention = _infinitive_intention(trigger, cues)
        if intention:
            return Modality.FUTURE, intention
        for head in _clauses(trigger):
            estimate = [
                c
                for c in head.children
                if c.dep_ in ("acomp", "advmod") and c.lower_ in cues.speculation_adjectives
            ]
            if estimate:
                return Modality.HYPOTHETICAL, f"estimate {estimate[0].text!r}"
            if head.lemma_.lower() in cues.speculation_verbs:
                return Modality.HYPOTHETICAL, f"speculation {head.text!r}"
        conditional = _in_condition(trigger, cues)
        if conditional:
            return Modality.HYPOTHETICAL, conditional
    frame = reporting_frame(trigger, cues)
    relayed = any(t.lower_ in cues.relay for t in sentence)
    if speech_act and not relayed and frame is None:
        return Modality.ASSERTED, "a statement the text records"
    if frame:
        return Modality.REPORTED, frame[0]
    if quoted:
        return Modality.REPORTED, "inside a quotation"
    if in_block_quote:
        return Modality.REPORTED, "inside a block quote"
    return Modality.ASSERTED, "the outlet's own voice"


def _in_condition(trigger: Token, cues: ModalityCues) -> str | None:
    token = trigger
    while token.head.i != token.i:
        if token.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in cues.conditional for c in token.children
        ):
            return f"condition at {token.text!r}"
        if token.dep_ in ("relcl", "acl", "advcl"):
            return None  # a background clause does not inherit its host's modality
        head = token.head
        controlled = token.dep_ in (
            "xcomp",
            "conj",
        )  # "would have to retaliate", not "must have heard: X"
        if (
            controlled
            and head.pos_ in ("VERB", "AUX")
            and any(c.tag_ == "MD" and c.lower_ in cues.modals for c in head.children)
        ):
            return f"modal governs it at {head.text!r}"
        token = head
    return None


_CONTRAST_MARKS = {"when", "while", "whereas", "although", "though"}


def reporting_frame(trigger: Token, cues: ModalityCues) -> tuple[str, Token | None] | None:
    """A speech verb or report noun whose complement holds the trigger: (description, the
    speech verb, whose subject is the source)."""
    for child in trigger.children:
        if child.dep_ == "advmod" and child.lower_ in cues.reporting_adverbs:
            return f"attributed: {child.text!r}", None
    token = trigger
    while token.head.i != token.i:
        head = token.head
        contrast = token.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in _CONTRAST_MARKS for c in token.children
        )
        if (token.dep_ not in _FRAME_LINKS and token.dep_ != "advcl") or contrast:
            break  # relative clauses and "when/while" rebuttals are the writer's own
        lemma = head.lemma_.lower()
        if head.pos_ in ("VERB", "AUX") and lemma in cues.speech and head.i != trigger.i:
            return f"in what {head.text!r} reports", head
        if head.pos_ in ("NOUN", "PROPN", "VERB") and head.lower_ in cues.speech_nouns:
            return f"in the {head.text!r}", None
        if head.lower_ == "to" and head.head.lower_ == "according":
            return "according to a source", None
        token = head
    sentence = trigger.sent
    if any(
        t.lower_ == "according" and t.i + 1 < len(t.doc) and t.nbor(1).lower_ == "to"
        for t in sentence
    ):
        return "according to a source", None
    return None
