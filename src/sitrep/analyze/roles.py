"""Who did it and to whom: the actor and recipient of an event trigger, from the parse.

Verbs: the subject acts and the object receives ("the US military shot down a Syrian
SU-22"); in the passive the by-phrase acts and the subject receives ("were killed by");
a relative clause's noun acts ("an SU-22 that was attacking …"); an infinitive takes its
controller's subject ("decided to attack"). Nouns: a possessive or a name before the noun
acts ("Russia's strike", "the US attack"), so does a by-phrase ("the bombing by the
coalition"); on/against/of/at-phrases receive ("the attack on Syrian troops").
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Token

from sitrep.analyze.actors import ActorIndex
from sitrep.analyze.triggers import Trigger
from sitrep.model import ActorRef, EntityMention, EventRole

_RECIPIENT_PREPS = {"on", "against", "at", "upon", "of", "targeting", "into"}
_LIGHT_VERBS = {
    "conduct",
    "carry",
    "launch",
    "stage",
    "mount",
    "make",
    "commit",
    "perpetrate",
    "order",
    "express",
    "reach",
    "give",
    "issue",
    "sign",
    "hold",
    "take",
    "voice",
    "announce",
}
# Types whose "of"-phrase names who acts ("the crossing of hundreds of fighters").
_MOVER_TYPES = {"MOBILIZE", "RETREAT", "PROTEST"}
MentionAt = Callable[[Token], EntityMention | None]


def _with_conjuncts(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    for token in tokens:
        for item in [token, *token.conjuncts]:
            if item not in out:
                out.append(item)
    return out


def _objects(prep: Token) -> list[Token]:
    return [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]


def _subject_of(verb: Token) -> list[Token]:
    """The subject of a verb, inherited through controlling, coordinated and prepositional
    verbs ("decided to attack", "were called in to hit", "retaliated by switching off")."""
    token = verb
    for step in range(4):
        deps = ("nsubj", "csubj") if step == 0 else ("nsubj", "csubj", "nsubjpass")
        subjects = [c for c in token.children if c.dep_ in deps]
        if subjects:
            return subjects
        if token.dep_ in ("xcomp", "conj", "advcl") and token.head.i != token.i:
            token = token.head
            continue
        if token.dep_ == "pcomp" and token.head.head.i != token.head.i:
            token = token.head.head
            continue
        if token.dep_ in ("relcl", "acl") and token.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return [token.head]
        break
    return []


def role_tokens(trigger: Trigger) -> tuple[list[Token], list[Token]]:
    head = trigger.head
    actors: list[Token] = []
    recipients: list[Token] = []
    if trigger.is_verb:
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in head.children)
        for child in head.children:
            if child.dep_ == "nsubjpass":
                recipients.append(child)
            elif child.dep_ == "agent":
                actors += _objects(child)
            elif child.dep_ == "dobj":
                recipients.append(child)
            elif child.dep_ == "prep" and child.lower_ in _RECIPIENT_PREPS - {"of"}:
                recipients += _objects(child)
        if not passive:
            actors = _subject_of(head) + actors
        elif head.dep_ in ("relcl", "acl") and not recipients:
            recipients.append(head.head)
    else:
        for child in head.children:
            if child.dep_ == "poss" or (
                child.dep_ in ("compound", "amod", "nmod") and child.pos_ == "PROPN"
            ):
                actors.append(child)
            elif child.dep_ == "prep" and child.lower_ in ("by", "between"):
                by_objects = _objects(child)
                actors += by_objects
                for obj in by_objects:  # "the bombing by the coalition of the Syrian Army"
                    for prep in obj.children:
                        if prep.dep_ == "prep" and prep.lower_ in ("of", "on", "against"):
                            recipients += _objects(prep)
            elif child.dep_ == "prep" and child.lower_ == "of" and trigger.type in _MOVER_TYPES:
                actors += _objects(child)
            elif child.dep_ == "prep" and child.lower_ in _RECIPIENT_PREPS:
                recipients += _objects(child)
            elif child.dep_ in (
                "acl",
                "relcl",
            ):  # "an agreement reached by Russia", "the bombing conducted by"
                for grandchild in child.children:
                    if grandchild.dep_ in ("agent", "prep") and grandchild.lower_ in (
                        "by",
                        "between",
                    ):
                        actors += _objects(grandchild)
        governor = head.head
        if head.dep_ in ("dobj", "attr") and governor.lemma_.lower() in _LIGHT_VERBS and not actors:
            actors = _subject_of(governor)
            recipients += [c for c in governor.children if c.dep_ in ("dative",)]
        if (
            not actors
            and head.dep_ in ("dobj", "attr", "xcomp", "nsubjpass")
            and governor.pos_ in ("VERB", "AUX")
        ):
            # "has promised to continue military aid": the clause's subject acts
            actors = _subject_of(governor)
    return _with_conjuncts(actors), _with_conjuncts(recipients)


def _phrase(token: Token) -> tuple[int, int]:
    """Token span of a role noun with its left modifiers ("the Syrian army"), not its clauses."""
    return token.left_edge.i, token.i + 1


def modifier_actor(trigger: Trigger, doc: Doc, actors: ActorIndex) -> EventRole | None:
    """The actor named by a noun trigger's own modifiers ("Syrian army reinforcements")."""
    head = trigger.head
    if trigger.is_verb or head.left_edge.i >= trigger.start:
        return None
    span = doc[head.left_edge.i : trigger.start]
    resolved = actors.resolve(span.text)
    if resolved is None:
        return None
    return _coded(span.text, span.start_char, span.end_char, resolved)


_PRONOUN_KINDS = {
    "it": "organisation",
    "its": "organisation",
    "they": "organisation",
    "them": "organisation",
    "their": "organisation",
    "he": "person",
    "she": "person",
    "him": "person",
    "his": "person",
    "her": "person",
}
# A pronoun's antecedent is looked for this far back (about two sentences).
PRONOUN_REACH_CHARS = 400


def antecedent(token: Token, mentions: list[EntityMention]) -> EntityMention | None:
    """The nearest earlier mention with an actor that a pronoun can refer to."""
    kind = _PRONOUN_KINDS.get(token.lower_)
    if kind is None:
        return None
    for mention in reversed(mentions):
        if mention.end > token.idx:
            continue
        if token.idx - mention.end > PRONOUN_REACH_CHARS:
            return None
        if mention.actor is not None and mention.label != "PRON" and mention.kind.value == kind:
            return mention
    return None


def _coded(text: str, start: int, end: int, actor: ActorRef) -> EventRole:
    """A role with its actor code; a code filled in from the article's main country is a guess."""
    guessed = "main country" in actor.how
    return EventRole(text, start, end, actor.code, actor.sector, actor.name, guessed)


def to_role(
    token: Token,
    doc: Doc,
    mention_at: MentionAt,
    actors: ActorIndex,
    context: str | None,
    mentions: list[EntityMention] | None = None,
) -> EventRole | None:
    if token.pos_ == "PRON" and mentions:
        referent = antecedent(token, mentions)
        if referent is not None and referent.actor is not None:
            actor = referent.actor
            return EventRole(
                token.text, token.idx, token.idx + len(token), actor.code, actor.sector, actor.name
            )
    if token.ent_type_ in ("DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"):
        return None  # "today's attack": a date, not an actor
    mention = mention_at(token)
    if mention is not None and mention.start < doc[token.left_edge.i].idx:
        mention = None  # the token is in a longer phrase's of-part: its own words decide
    if mention is not None and mention.actor is not None:
        actor = mention.actor
        return _coded(mention.text, mention.start, mention.end, actor)
    start, end = _phrase(token)
    span = doc[start:end]
    if token.pos_ == "PRON" and token.lower_ in ("it", "this", "that", "what", "which", "who"):
        return None
    resolved = actors.resolve(span.text, context if token.pos_ in ("NOUN", "PROPN") else None)
    if mention is not None and resolved is None:
        return EventRole(mention.text, mention.start, mention.end, None)
    if resolved is None:
        return (
            EventRole(span.text, span.start_char, span.end_char, None)
            if token.pos_ in ("NOUN", "PROPN")
            else None
        )
    return _coded(span.text, span.start_char, span.end_char, resolved)
