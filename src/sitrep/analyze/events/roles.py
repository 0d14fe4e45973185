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

from sitrep.analyze.events.triggers import Trigger
from sitrep.analyze.mentions.actors import ActorIndex
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
        # "is willing to withdraw": through the adjective (acomp) to the clause's subject
        if token.dep_ in ("xcomp", "conj", "advcl", "acomp") and token.head.i != token.i:
            token = token.head
            continue
        if token.dep_ == "pcomp" and token.head.head.i != token.head.i:
            token = token.head.head
            continue
        if token.dep_ in ("relcl", "acl") and token.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return [token.head]
        break
    return []


def _counted(token: Token) -> Token:
    """The people a head count stands for: "thousands of Iraqi Kurds" -> "Kurds"."""
    if token.ent_type_ in ("CARDINAL", "QUANTITY") or token.pos_ == "NUM":
        people = [o for c in token.children if c.lower_ == "of" for o in _objects(c)]
        if people:
            return people[0]
    return token


def _measured(head: Token) -> Token:
    """Where a noun trigger measured out stands in its clause: "gave 5 million dollars of
    aid", "launched 10 days of war games" -> the measure word, whose verb is the trigger's."""
    measure = head.head.head
    if (
        head.dep_ == "pobj"
        and head.head.lower_ == "of"
        and measure.i != head.head.i
        and any(
            c.dep_ == "nummod" or c.ent_type_ in ("CARDINAL", "MONEY", "QUANTITY", "DATE")
            for c in measure.children
        )
    ):
        return measure
    return head


def _phrase_children(trigger: Trigger) -> list[Token]:
    """The dependents of a noun trigger's words ("the shooting down of the SU-22": the
    of-phrase hangs on "down"), outside the phrase itself."""
    words = trigger.head.doc[trigger.start : trigger.end]
    inside = set(range(trigger.start, trigger.end))
    return [c for w in words for c in w.children if c.i not in inside]


def _gerund_object(head: Token) -> list[Token]:
    """A verb used as a noun takes its object in an of-phrase ("the shooting down of the
    SU-22"), on the verb or on its particle."""
    if head.tag_ != "VBG" or any(c.dep_ == "dobj" for c in head.children):
        return []
    holders = [head, *(c for c in head.children if c.dep_ == "prt")]
    return [
        o
        for h in holders
        for c in h.children
        if c.dep_ == "prep" and c.lower_ == "of"
        for o in _objects(c)
    ]


def role_tokens(trigger: Trigger) -> tuple[list[Token], list[Token]]:
    actors, recipients = _role_tokens(trigger)
    return [_counted(t) for t in actors], recipients


def _role_tokens(trigger: Trigger) -> tuple[list[Token], list[Token]]:
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
        recipients += _gerund_object(head)
        if not passive:
            actors = _subject_of(head) + actors
        elif head.dep_ in ("relcl", "acl") and not recipients:
            recipients.append(head.head)
    else:
        for child in _phrase_children(trigger):
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
        anchor = _measured(head)
        governor = anchor.head
        if (
            anchor.dep_ in ("dobj", "attr")
            and governor.lemma_.lower() in _LIGHT_VERBS
            and not actors
        ):
            actors = _subject_of(governor)
            recipients += [c for c in governor.children if c.dep_ in ("dative",)]
        # "heeded the Russian warning": a nationality on the noun names its actor, not the
        # clause's subject
        national = any(
            c.dep_ in ("amod", "compound") and c.ent_type_ in ("NORP", "GPE", "ORG")
            for c in head.children
        )
        if (
            not actors
            and not national
            and anchor.dep_ in ("dobj", "attr", "xcomp", "nsubjpass")
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


def _fits(kind: str, mention: EntityMention) -> bool:
    """Whether a pronoun of ``kind`` can refer to the mention: a country is "it" or "they"
    like an organisation ("Syria says it will …")."""
    value = mention.kind.value
    return value == kind or (kind == "organisation" and value == "location")


def _speaker_of_clause(
    token: Token, kind: str, mentions: list[EntityMention]
) -> EntityMention | None:
    """ "Syria says it is willing …": the subject pronoun of a reported clause is the
    reporting verb's subject, when that subject names an actor."""
    clause = token.head
    if token.dep_ not in ("nsubj", "nsubjpass") or clause.dep_ != "ccomp":
        return None
    for subject in clause.head.children:
        if subject.dep_ != "nsubj" or subject.pos_ == "PRON":
            continue
        for mention in mentions:
            if mention.start <= subject.idx < mention.end and mention.actor is not None:
                return mention if _fits(kind, mention) else None
    return None


def antecedent(token: Token, mentions: list[EntityMention]) -> EntityMention | None:
    """What a pronoun refers to: the speaker of its clause, else the nearest earlier mention
    of its kind with an actor, else (for "it", "they") the nearest such country."""
    kind = _PRONOUN_KINDS.get(token.lower_)
    if kind is None:
        return None
    speaker = _speaker_of_clause(token, kind, mentions)
    if speaker is not None:
        return speaker
    country: EntityMention | None = None
    for mention in reversed(mentions):
        if mention.end > token.idx:
            continue
        if token.idx - mention.end > PRONOUN_REACH_CHARS:
            break
        if mention.actor is None or mention.label == "PRON" or not _fits(kind, mention):
            continue
        if mention.kind.value == kind:
            return mention
        country = country or mention
    return country


def _coded(text: str, start: int, end: int, actor: ActorRef) -> EventRole:
    """A role with its actor code; a code filled in from the article's main country is a guess."""
    guessed = "main country" in actor.how
    return EventRole(text, start, end, actor.code, actor.sector, actor.name, guessed)


def _apposition_actor(token: Token, doc: Doc, actors: ActorIndex) -> ActorRef | None:
    """An unknown name described by its apposition ("Salaheddine Sidhoum, Algeria's leading
    activist"): the description's actor, without the main-country guess."""
    for child in token.children:
        if child.dep_ == "appos":
            start, end = _phrase(child)
            resolved = actors.resolve(doc[start:end].text)
            if resolved is not None:
                return resolved
    return None


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
    if resolved is None:
        resolved = _apposition_actor(token, doc, actors)
    if mention is not None and resolved is None:
        return EventRole(mention.text, mention.start, mention.end, None)
    if resolved is None:
        return (
            EventRole(span.text, span.start_char, span.end_char, None)
            if token.pos_ in ("NOUN", "PROPN")
            else None
        )
    return _coded(span.text, span.start_char, span.end_char, resolved)
