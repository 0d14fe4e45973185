"""Finding event triggers: the words of a sentence that report a happening of a PLOVER type."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from spacy.tokens import Doc, Token

# How many lemmas a lexicon phrase may have ("cruise missile strike" has three).
MAX_PHRASE = 4


@dataclass(frozen=True)
class TriggerEntry:
    type: str
    mode: str | None


@dataclass
class Trigger:
    start: int  # token indices of the phrase
    end: int
    head: Token  # the token that carries the phrase's syntax (verb, or the noun's head)
    type: str
    mode: str | None
    is_verb: bool
    # Why the rules would pass this word over ("modifier": a participle in "US-backed";
    # "kind": a noun naming a kind of thing, "attack helicopters"); empty when they keep it.
    flags: frozenset[str] = frozenset()


class TriggerLexicon:
    """``resources/events.yaml`` as lookup tables keyed by lemma tuples."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.verbs: dict[tuple[str, ...], TriggerEntry] = {}
        self.nouns: dict[tuple[str, ...], TriggerEntry] = {}
        for event_type, table in data.items():
            for pos, target in (("verbs", self.verbs), ("nouns", self.nouns)):
                for phrase, mode in (table.get(pos) or {}).items():
                    key = tuple(str(phrase).lower().replace("-", " - ").split())
                    target.setdefault(key, TriggerEntry(event_type, mode))
        # First words of noun phrases: most tokens start none, and are passed over at once.
        self.noun_starts = {key[0] for key in self.nouns}

    def _verb_entry(self, token: Token) -> tuple[TriggerEntry, int] | None:
        lemma = token.lemma_.lower()
        particles = [
            c for c in token.children if c.dep_ in ("prt", "advmod", "prep") and c.i > token.i
        ]
        for particle in particles:  # "shoot down", "switch off", "call for", "fire on"
            entry = self.verbs.get((lemma, particle.lower_))
            if entry is not None:
                return entry, particle.i + 1 - token.i
        objects = [c for c in token.children if c.dep_ == "dobj"]
        for obj in objects:  # "open fire", "give green light"
            entry = self.verbs.get((lemma, obj.lemma_.lower()))
            if entry is not None:
                return entry, 1
        entry = self.verbs.get((lemma,))
        return (entry, 1) if entry is not None else None

    def _noun_entry(
        self, doc: Doc, i: int, lemmas: list[str], lowers: list[str]
    ) -> tuple[TriggerEntry, int] | None:
        if lemmas[i] not in self.noun_starts and lowers[i] not in self.noun_starts:
            return None
        for size in range(min(MAX_PHRASE, len(doc) - i), 0, -1):
            entry = self.nouns.get(tuple(lemmas[i : i + size])) or self.nouns.get(
                tuple(lowers[i : i + size])
            )
            last = doc[i + size - 1]
            # a noun, or a gerund used as one ("the shooting down of"), never a finite verb
            nominal = last.pos_ in ("NOUN", "PROPN") or last.tag_ == "VBG"
            particle = size > 1 and last.dep_ == "prt" and doc[i].pos_ == "NOUN"
            if entry is not None and (nominal or particle):
                return entry, size
        return None


@dataclass(frozen=True)
class TriggerSenses:
    """``resources/trigger_senses.yaml``: surroundings that make a trigger word name a thing,
    a condition or an opinion ("represents a threat", "offered an assessment")."""

    objects_that_unmake: dict[str, frozenset[str]]
    governors_that_unmake: dict[str, frozenset[str]]
    particles_that_unmake: dict[str, frozenset[str]]
    words_needed: dict[str, frozenset[str]]
    results_of_an_assault: dict[str, frozenset[str]]
    modifier_forms_that_unmake: frozenset[str]
    weapons_of_an_assault: dict[str, frozenset[str]]
    group_nouns: dict[str, frozenset[str]]

    @classmethod
    def build(cls, data: dict[str, Any]) -> TriggerSenses:
        def table(key: str) -> dict[str, frozenset[str]]:
            return {
                word.lower(): frozenset(w.lower() for w in words)
                for word, words in (data.get(key) or {}).items()
            }

        return cls(
            table("objects_that_unmake"),
            table("governors_that_unmake"),
            table("particles_that_unmake"),
            table("words_needed"),
            table("results_of_an_assault"),
            frozenset(w.lower() for w in data.get("modifier_forms_that_unmake") or ()),
            table("weapons_of_an_assault"),
            table("group_nouns"),
        )

    def unmade(self, trigger: Trigger) -> bool:
        head = trigger.head
        lemma = head.lemma_.lower()
        if head.lower_ in self.modifier_forms_that_unmake and _modifies_a_noun(head):
            return True
        needed = self.words_needed.get(lemma)
        if trigger.is_verb:
            objects = self.objects_that_unmake.get(lemma, frozenset())
            particles = self.particles_that_unmake.get(lemma, frozenset())
            return (
                bool(objects & _affected_lemmas(head))
                or any(c.dep_ == "prt" and c.lower_ in particles for c in head.children)
                or (needed is not None and not any(t.lower_ in needed for t in head.subtree))
            )
        governors = self.governors_that_unmake.get(lemma, frozenset())
        governor = head.head
        if needed is not None and not needed & _noun_phrase_words(head):
            return True  # "the Shiite movement Hezbollah" is no troop movement
        makers = self.group_nouns.get(lemma)
        if makers is not None and not (governor.i != head.i and governor.lemma_.lower() in makers):
            return True  # "the rebel alliance said", "Alliance fighters began an assault"
        return (
            head.dep_ in ("dobj", "attr")
            and governor.i != head.i
            and governor.lemma_.lower() in governors
        )

    def as_act(self, trigger: Trigger) -> Trigger:
        """The trigger, or the assault it tells by its result ("left three people dead") or by
        its weapon ("released barrel bombs", "delivered a series of strikes")."""
        head = trigger.head
        lemma = head.lemma_.lower()
        if not trigger.is_verb:
            return trigger
        states = self.results_of_an_assault.get(lemma, frozenset())
        weapons = self.weapons_of_an_assault.get(lemma, frozenset())
        left_dead = any(
            t.lower_ in states
            for c in head.children
            if c.dep_ in ("dobj", "oprd", "ccomp", "xcomp", "acomp")
            for t in c.subtree
        )
        armed = bool(weapons & _object_words(head))
        if not (left_dead or armed):
            return trigger
        return replace(trigger, type="ASSAULT", mode=None)


def _affected_lemmas(verb: Token) -> set[str]:
    """The lemmas of what a verb acts on: its direct object, its passive subject ("the
    statement was released"), or the noun its participle describes ("a statement released on
    Sunday", "crimes committed by ..."), which is the same argument in another construction."""
    lemmas = {c.lemma_.lower() for c in verb.children if c.dep_ in ("dobj", "nsubjpass")}
    if verb.tag_ == "VBN" and verb.dep_ in ("acl", "amod", "relcl") and verb.head.i != verb.i:
        lemmas.add(verb.head.lemma_.lower())
    return lemmas


def _object_words(verb: Token) -> set[str]:
    """The words naming a verb's direct object (or passive subject: "gas was released"): its
    head, the compounds before it ("barrel bombs"), and what a measure of it counts ("a
    series of strikes")."""
    words: set[str] = set()
    for obj in (c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")):
        words.add(obj.lower_)
        for child in obj.children:
            if child.dep_ == "compound":
                words.add(child.lower_)
            elif child.dep_ == "prep" and child.lower_ == "of":
                words.update(g.lower_ for g in child.children if g.dep_ == "pobj")
    return words


def _noun_phrase_words(noun: Token) -> set[str]:
    """The words a noun's own phrase holds: the noun, its modifiers before it ("troop
    movements") and its of- and by-phrases ("the movement of reinforcements", "movements by
    the militia"); not a clause attached to it, which the parser may hang on any noun."""
    words = {noun.lower_}
    for child in noun.children:
        if child.i < noun.i and child.dep_ in ("compound", "amod", "nmod", "poss"):
            words.update(t.lower_ for t in child.subtree)
        elif child.dep_ in ("prep", "agent") and child.lower_ in ("of", "by"):
            words.add(child.lower_)
            words.update(t.lower_ for t in child.subtree)
    return words


def _modifies_a_noun(token: Token) -> bool:
    """An adjective-like use: a modifier of a noun, or a participle phrase after one."""
    return token.dep_ in ("amod", "acl", "compound") and token.head.pos_ in ("NOUN", "PROPN")


# Words that look like trigger forms but are function words here ("according to" is not an accord).
_NEVER = {"according", "regarding", "concerning", "following", "including"}


def _is_modifier_only(token: Token) -> bool:
    """A participle inside a modifier ("US-backed") names a relation, not an event."""
    if token.dep_ in ("amod", "compound") and token.tag_ in ("VBN", "JJ"):
        return True
    left = token.i > 0 and token.doc[token.i - 1].text == "-"
    return left and token.tag_ == "VBN"


def _names_a_kind(last: Token, lexicon: TriggerLexicon) -> bool:
    """A trigger noun that only says what kind of thing another noun is ("riot police",
    "attack helicopters", "strike aircraft") reports no happening; one that modifies another
    trigger ("a car bomb explosion") is part of that happening's telling."""
    head = last.head
    if last.dep_ != "compound" or head.i == last.i or head.pos_ not in ("NOUN", "PROPN"):
        return False
    if last.i > 0 and last.doc[last.i - 1].lower_ == "to":
        return False  # a Title-Case headline's verb read as a noun ("Pentagon to Attack Forces")
    return (head.lemma_.lower(),) not in lexicon.nouns and (head.lower_,) not in lexicon.nouns


def find_triggers(doc: Doc, lexicon: TriggerLexicon, *, every: bool = False) -> list[Trigger]:
    """Triggers in document order; a phrase's words are not triggers of their own. With
    ``every``, words the rules pass over (modifiers, kind nouns) come too, flagged: the
    learned decision layer weighs them instead."""
    found: list[Trigger] = []
    taken: set[int] = set()
    lemmas = [t.lemma_.lower() for t in doc]
    lowers = [t.lower_ for t in doc]
    i = 0
    while i < len(doc):
        token = doc[i]
        if (
            i in taken
            or not token.is_alpha
            or token.lower_ in _NEVER
            or token.ent_type_ in ("DATE", "TIME")  # "in March", "on Strike Day": a date
        ):
            i += 1
            continue
        modifier = _is_modifier_only(token)
        if token.pos_ in ("VERB", "AUX") and (every or not modifier):
            verb = lexicon._verb_entry(token)
            if verb is not None:
                entry, _ = verb
                flags = frozenset({"modifier"} if modifier else ())
                found.append(Trigger(i, i + 1, token, entry.type, entry.mode, True, flags))
                taken.add(i)
                i += 1
                continue
        noun = lexicon._noun_entry(doc, i, lemmas, lowers)
        if noun is not None:
            entry, size = noun
            last = doc[i + size - 1]
            flags = frozenset(
                name
                for name, fired in (
                    ("kind", _names_a_kind(last, lexicon)),
                    ("modifier", _is_modifier_only(last)),
                )
                if fired
            )
            if every or not flags:
                head = doc[i : i + size].root
                is_verb = head.pos_ == "VERB"
                found.append(Trigger(i, i + size, head, entry.type, entry.mode, is_verb, flags))
                taken.update(range(i, i + size))
                i += size
                continue
        i += 1
    return found
