"""Speech frames in the parse: a reporting verb (or "according to", or a statement noun), who
speaks, what they say, and who relays it.

A frame needs content: a clause ("said that …", "…, officials said"), an "of"-phrase for
verbs that take one ("accused X of …"), a quoted or demanded object ("demanded “full
explanations”"), or a claim made earlier ("denied the claim"). When a frame's content is
itself a frame with its own speaker ("TASS reported that a spokesman told a briefing …"),
the outer speaker is the inner claim's relay.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from sitrep.analyze.claims.cues import ClaimCues
from sitrep.model import Stance

__all__ = [
    "DEMANDING",
    "Frame",
    "demands_by_shape",
    "find_frames",
    "span_chars",
    "speaker_of",
    "subtree_span",
]

_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
# Links a subject-less reporting verb climbs to find its speaker ("… has admitted the attack,
# but claims …", "released a statement claiming …").
_CLIMB = ("conj", "xcomp", "advcl", "acl", "pcomp", "prep", "pobj", "dobj", "relcl")
# An outer statement relays an inner one when the inner speaker opens its content ("TASS
# reported that a spokesman told …"); the slack covers a leading quotation mark or "that".
RELAY_START_CHARS = 6
# Verbs whose addressee can pass a statement on.
_TELLING = {"tell", "inform", "say", "suggest", "speak", "explain", "confirm", "report", "write"}
_EDGE = set("\"“”«»‘’'()[],;:—–-…. ")


@dataclass(frozen=True)
class Frame:
    cue: tuple[int, int]
    content: tuple[int, int]
    stance: Stance
    speaker: tuple[int, int] | None
    speaker_head: int | None  # token index of the speaker's head word
    via: tuple[int, int] | None = None
    how: str = ""
    refers_back: bool = False  # the content is a claim made earlier ("denied the claim")
    cue_token: int = -1
    # The speaker is the reporting verb's own subject or agent (not found by climbing to
    # another clause), so it lies next to the cue.
    adjacent_speaker: bool = True


def span_chars(doc: Doc, first: int, last: int) -> tuple[int, int]:
    """Character span of tokens first..last (inclusive), without edge punctuation."""
    while first < last and _edge(doc[first]):
        first += 1
    while last > first and _edge(doc[last]):
        last -= 1
    return doc[first].idx, doc[last].idx + len(doc[last])


def _edge(token: Token) -> bool:
    return token.is_space or all(ch in _EDGE for ch in token.text)


def subtree_span(doc: Doc, token: Token, exclude: tuple[Token, ...] = ()) -> tuple[int, int]:
    """The token's phrase as a character span; an excluded subtree (the cue, the speaker) at
    its edge is cut off, one inside it keeps the longer side. A leading complementiser
    ("that") is dropped."""
    skip = {t.i for e in exclude if e.i != token.i for t in e.subtree}
    indices = sorted(t.i for t in token.subtree if t.i not in skip) or [token.i]
    runs: list[list[int]] = [[indices[0]]]
    for i in indices[1:]:
        if any(j in skip for j in range(runs[-1][-1] + 1, i)):
            runs.append([i])
        else:
            runs[-1].append(i)
    best = max(runs, key=len)
    first, last = best[0], best[-1]
    while first < last and doc[first].dep_ == "mark" and doc[first].lower_ in ("that", "as"):
        first += 1
    return span_chars(doc, first, last)


def speaker_phrase(doc: Doc, head: Token, cues: ClaimCues) -> tuple[int, int]:
    """A speaker's phrase without a relative clause after it ("the Observatory, which has
    documented …" is the Observatory), unless the clause says the speaker is unnamed
    ("officials who spoke on condition of anonymity"): that is who they are."""
    clauses = [c for c in head.children if c.dep_ == "relcl" and not _unnamed(c, cues)]
    # "Speaking to Asharq Al-Awsat, PYD spokesman Nawaf Khalil said": a participle clause
    # before the speaker is not its name.
    clauses += [
        c
        for c in head.children
        if c.dep_ in ("acl", "advcl") and c.i < head.i and c.tag_ in ("VBG", "VBN")
    ]
    start, end = subtree_span(doc, head, tuple(clauses))
    # With commas and quotation marks lost, the parse may open the phrase on words of the
    # clause before it ("… in the area of Mayadeen the ministry said", '… Mayadeen" SOHR
    # director …'): a noun phrase opens at its determiner, and never before a quotation mark.
    floors = [c.i for c in head.children if c.dep_ == "det" and c.i < head.i]
    floors += [t.i + 1 for t in doc[head.left_edge.i : head.i] if t.text in _QUOTATION_MARKS]
    if floors:
        start = max(start, doc[max(floors)].idx)
    source = _source_located_before(doc, doc.char_span(start, end, alignment_mode="expand"), cues)
    if source is not None:
        start = min(start, source.left_edge.idx)
    # "the Observatory for Human Rights (SOHR)": the parser hangs ")" elsewhere. (Read from
    # the phrase's own tokens: ``doc.text`` joins every token of the article at each call.)
    words = doc.char_span(start, end, alignment_mode="expand")
    if words is not None and words.end < len(doc):
        after = doc[words.end]
        opened = words.text.count("(") > words.text.count(")")
        if opened and after.idx == end and after.text.startswith(")"):
            end += 1
    return start, end


def _source_located_before(doc: Doc, phrase: Span | None, cues: ClaimCues) -> Token | None:
    """ "… a medic with the local health office told AFP": with the commas lost, the parser
    may make the body the subject and hang "a medic with the local" elsewhere. A source noun
    whose "with"/"from"/"at"/"in"/"of" phrase ends right before the speaker's phrase is who
    speaks, and the body is where it speaks from."""
    if phrase is None or phrase.start == 0:
        return None
    token = doc[phrase.start - 1]
    if token.dep_ == "prep" and not any(c.dep_ == "pobj" for c in token.children):
        preposition = token  # "with" left without its object, the body taken for the subject
    elif token.pos_ in _NOMINAL and token.dep_ in ("pobj", *_NOUN_PARTS):
        while token.dep_ in _NOUN_PARTS and phrase.start > token.head.i > token.i:
            token = token.head
        if token.dep_ != "pobj":
            return None
        preposition = token.head
    else:
        return None
    source = preposition.head
    if not (
        preposition.lower_ in ("with", "from", "at", "in", "of")
        and source.lower_ in cues.source_words
        and source.i < preposition.i
    ):
        return None
    return source


_QUOTATION_MARKS = {'"', "“", "”", "«", "»"}


def _unnamed(clause: Token, cues: ClaimCues) -> bool:
    words = " ".join(t.lower_ for t in clause.subtree)
    return any(f" {cue} " in f" {words} " for cue in cues.anonymity)


def _cue_span(verb: Token) -> tuple[int, int]:
    parts = [verb] + [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg", "prt")]
    near = [t for t in parts if abs(t.i - verb.i) <= 3]
    first, last = min(t.i for t in near), max(t.i for t in near)
    doc = verb.doc
    return doc[first].idx, doc[last].idx + len(doc[last])


def speaker_of(
    verb: Token, cues_nouns: frozenset[str] = frozenset()
) -> tuple[Token | None, Token | None]:
    """(speaker token, agent token of a passive) for a reporting verb, climbing to the clause
    that has a subject when the verb has none of its own."""
    token: Token | None = verb
    for _ in range(4):
        assert token is not None
        # A subject the parser hung on an auxiliary ("the Russians are … accusing") counts.
        auxiliaries = [c for c in token.children if c.dep_ in ("aux", "auxpass")]
        # A bracket or quotation mark the parser made a subject ("… Weapons [OPCW] said")
        # never speaks.
        subjects = [
            c
            for t in (token, *auxiliaries)
            for c in t.children
            if c.dep_ in _SUBJECTS and not c.is_punct
        ]
        agents = [g for c in token.children if c.dep_ == "agent" for g in c.children]
        if subjects or agents:
            # Two subjects is a misparse ("… killed 70 people in the district a monitoring
            # group said"): the one next to the verb speaks.
            before = [s for s in subjects if s.i < token.i]
            subject = before[-1] if before else subjects[0] if subjects else None
            return subject, agents[0] if agents else None
        if token.dep_ == "acl" and token.head.dep_ == "ROOT" and token.head.pos_ in _NOMINAL:
            # "A military source announced that …" parsed as a noun with a reduced relative
            # and no verb of its own: the noun is the subject.
            return token.head, None
        if token.dep_ == "acl" and token.head.lower_ in cues_nouns:
            owners = [c for c in token.head.children if c.dep_ == "poss"]
            if owners:
                return owners[0], None
        if token.dep_ not in _CLIMB or token.head.i == token.i:
            break
        token = token.head
    return None, None


# Verbs of saying that take no addressee or thing as their object: an object after one is
# the subject of what was said, misparsed ("he added The stances of the opposition serve …",
# "said The criminal gangs resorted to …" once quotation marks are stripped).
_SAYING = {"say", "add", "state", "stress", "note", "insist", "reiterate", "emphasise", "emphasize"}
# A verb that makes the words under an object a clause: a finite verb, or a participle
# that a reduced relative would not follow "said" with.
_CLAUSE_VERBS = {"VBD", "VBZ", "VBP", "VBN"}


def _unquoted_speech(verb: Token) -> Token | None:
    """The object of a verb of saying that opens the statement, when the words under it hold
    a finite verb ("said The criminal gangs resorted to …")."""
    if verb.lemma_.lower() not in _SAYING:
        return None
    return next(
        (
            child
            for child in verb.children
            if child.dep_ == "dobj"
            and child.i > verb.i
            and child.pos_ in ("NOUN", "PROPN")
            and any(t.tag_ in _CLAUSE_VERBS and t.dep_ in ("acl", "relcl") for t in child.subtree)
        ),
        None,
    )


def _subject_as_object(verb: Token, clause: Token) -> Token | None:
    """ "He added The stances of the opposition serve …": the clause's subject, parsed as the
    object of the verb of saying, between the verb and a clause with no subject of its own."""
    if verb.lemma_.lower() not in _SAYING or any(c.dep_ in _SUBJECTS for c in clause.children):
        return None
    return next((c for c in verb.children if c.dep_ == "dobj" and verb.i < c.i < clause.i), None)


def _content_token(verb: Token, cues: ClaimCues) -> tuple[Token | None, str]:
    lemma = verb.lemma_.lower()
    children = list(verb.children)
    for child in children:
        if child.dep_ == "ccomp" or (child.dep_ == "parataxis" and child.i < verb.i):
            return child, "clause"
    if (opening := _unquoted_speech(verb)) is not None:
        return opening, "clause"
    stance = cues.verb_stance.get(lemma)
    for child in children:
        if child.dep_ == "xcomp" and stance in (Stance.THREATEN, Stance.DEMAND, Stance.PREDICT):
            return child, "infinitive"
        # "accused the rebels of shelling …": the parser may hang "of" on the object, or
        # on its last conjunct ("accused the regime and its allies of using …").
        objects_told = [child, *child.conjuncts] if child.dep_ == "dobj" else []
        preps = [child] + [g for o in objects_told for g in o.children]
        for prep in preps:
            if prep.dep_ == "prep" and prep.lower_ in cues.preposition_content.get(lemma, ()):
                objects = [g for g in prep.children if g.dep_ in ("pcomp", "pobj")]
                if objects:
                    return objects[0], "prepositional"
    naming = any(g.dep_ in ("oprd", "xcomp", "ccomp") for g in children) or (
        lemma in _DESCRIBING and _as_phrase(verb) is not None
    )
    for child in children:
        if child.dep_ == "dobj" and child.lower_ in cues.back_reference_nouns:
            return child, "refers back"
        if child.dep_ == "dobj" and naming and child.tag_ not in ("WP", "WDT"):
            if lemma == "call" and _asked_to(verb, child):
                return child, "called on"  # "called the UN to act": asked it, as "called on"
            return child, "called it"
        objects_are_content = lemma in cues.object_content
        if child.dep_ == "dobj" and objects_are_content:
            return child, "object"
        if child.dep_ == "prep" and child.lower_ == "for" and lemma in cues.demanding_for:
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if objects:
                return objects[0], "called for"
        if child.dep_ == "prep" and child.lower_ in ("on", "upon") and lemma == "call":
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if objects and any(c.dep_ == "xcomp" for c in children):
                return objects[0], "called on"  # "called on X to …"
    if lemma in cues.object_content and verb.tag_ == "VBN" and _by(verb):
        # "Three deaths were reported by the rescuers", "the attack was condemned by …": the
        # passive's subject is what the agent states.
        subjects = [c for c in children if c.dep_ == "nsubjpass" and c.pos_ in _NOMINAL]
        if subjects:
            return subjects[0], "passive object"
    return None, ""


def _asked_to(verb: Token, obj: Token) -> bool:
    """ "called the UN to act …": what follows the object is a to-infinitive, what the speaker
    asks of it, not what it is called ("called the strike a crime")."""
    return any(
        c.dep_ == "xcomp"
        and c.i > obj.i
        and c.pos_ in ("VERB", "AUX")
        and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
        for c in verb.children
    )


# Verbs that say what something is by "as" ("described the attack as an aggression").
_DESCRIBING = {"describe", "characterise", "characterize", "portray", "depict", "label", "brand"}


def _as_phrase(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"), None)


def _called_it(verb: Token, obj: Token) -> tuple[int, int]:
    """ "called the strike a “serious attack”", "described the attack as an aggression": the
    object and what it is called."""
    doc = verb.doc
    predicates = [c for c in verb.children if c.dep_ in ("oprd", "xcomp", "ccomp") and c.i > obj.i]
    if verb.lemma_.lower() in _DESCRIBING and (phrase := _as_phrase(verb)) is not None:
        predicates.append(phrase)
    last = max((t.i for p in predicates for t in p.subtree), default=obj.right_edge.i)
    return span_chars(doc, obj.left_edge.i, last)


def _verb_frame(verb: Token, cues: ClaimCues) -> Frame | None:
    lemma = verb.lemma_.lower()
    if any(c.dep_ == "neg" for c in verb.children):
        return None  # "is careful not to say": no statement was made
    stance = cues.verb_stance.get(lemma)
    if lemma == "express":
        nouns = [c for c in verb.children if c.dep_ == "dobj" and c.lower_ in cues.express_nouns]
        if not nouns:
            return None
        stance = cues.express_nouns[nouns[0].lower_]
    if lemma in _RAISING_REPORTS and (raised := _reported_to_frame(verb)) is not None:
        return raised
    by_object = _object_noun_statement(verb, cues)
    if stance is None and by_object is not None:
        stance = by_object[0]
    if lemma in cues.relay_verbs and _as_saying(verb) is not None:
        return _quoted_as_saying(verb, cues)
    if lemma in _CITING and verb.tag_ == "VBG":
        return _citing_frame(verb, cues)
    if stance is None or lemma == "quote":
        return None
    content, how = (by_object[1], "object noun") if by_object else _content_token(verb, cues)
    extent: tuple[int, int] | None = None  # token range of a content no subtree covers
    if content is None:
        content, how = _hosting_clause(verb)
    if how == "clause" and content is not None and (opening := _subject_as_object(verb, content)):
        extent = (opening.left_edge.i, content.right_edge.i)
    if content is None and (trailing := _trailing_attribution(verb)) is not None:
        content, how, extent = verb.doc[trailing[0]], "trailing attribution", trailing
    inverted = _inverted_attribution(verb) if content is None else None
    if inverted is not None:  # "… in the old city said the Syrian Observatory."
        extent = (verb.sent.start, verb.i - 1)
        content, how = verb.doc[extent[0]], "trailing attribution"
    # A verb with no subject of its own closing a clause it hangs on ("… killing 10 people
    # the Observatory reported.", read as an adverbial clause of "dropped") would borrow the
    # reported clause's subject; the phrase just before it speaks instead.
    borrowed = verb.dep_ in ("advcl", "conj") and not any(
        c.dep_ in _SUBJECTS for c in verb.children
    )
    closing = (
        _speaker_just_before(verb, cues)
        if borrowed or speaker_of(verb, cues.nouns) == (None, None)
        else None
    )
    if closing is None and (content is None or how == "trailing attribution"):
        # "… on the main highway a local council said on Tuesday.", "… of the coastal city
        # state media said.": a verb closing its sentence with nothing said under it, where
        # the parse made the reported clause a modifier of its own subject ("strikes
        # killed" as "strikes that killed") and that subject the verb's; or a trailing
        # attribution whose subject is that clause's, far before the phrase just before the
        # verb ("… shelling which killed four people … the Observatory said"). The phrase
        # just before the verb speaks, and the words before it are what it says.
        near = _speaker_just_before(verb, cues)
        subject = speaker_of(verb, cues.nouns)[0]
        if near is not None and subject is not None and _nominal_path(subject, near):
            # "… a medic with the local health office told Reuters.": the phrase just
            # before the verb belongs to its subject's, which speaks.
            near = subject if subject.left_edge.i - verb.sent.start >= 4 else None
        if near is not None and (
            content is None or (subject is not None and subject.i < near.left_edge.i)
        ):
            closing, borrowed = near, True
    if closing is not None:  # "… near the border local sources said."
        extent = (verb.sent.start, closing.left_edge.i - 1)
        content, how = verb.doc[extent[0]], "trailing attribution"
    if lemma == "express" and content is None:
        noun = next(c for c in verb.children if c.dep_ == "dobj")
        at = [p for p in noun.children if p.lower_ == "at"]
        content, how = (at[0], "expressed at") if at else (noun, "expressed")
        reason = [p for p in verb.children if p.dep_ == "prep" and p.lower_ == "for"]
        if not at and reason and reason[0].i > noun.i:  # "expressed regret for what …"
            how, extent = "expressed for", (noun.left_edge.i, reason[0].right_edge.i)
    if content is None:
        return None
    if lemma in ("ask", "question") and any(
        c.dep_ == "mark" and c.lower_ in ("if", "whether") for c in content.children
    ):
        stance = Stance.QUESTION
    elif lemma == "ask" and how == "infinitive":
        stance = Stance.DEMAND
    if how in DEMANDING:
        stance = Stance.DEMAND
    if how == "called on":
        asked = max(c.right_edge.i for c in verb.children if c.dep_ == "xcomp")
        extent = (content.left_edge.i, asked)
    speaker, agent = speaker_of(verb, cues.nouns)
    if borrowed and closing is not None:
        speaker, agent = closing, None
    if inverted is not None:
        speaker, agent = inverted, None
    speaker = speaker or closing or _speaker_after(verb, content)
    if speaker is None and how in ("clause", "object") and content.i > verb.i:
        # "… the city's south as an AFP journalist in Aleppo said intense strikes could be
        # heard": the parse hangs the speaker on the clause before; the phrase just before
        # the verb speaks.
        speaker = _phrase_just_before(verb, cues)
    doc = verb.doc
    if (
        how == "clause"
        and speaker is not None
        and content.i < speaker.i < verb.i
        and content.left_edge.i < speaker.left_edge.i
        and _closes_sentence(verb)
    ):
        # "… killed 70 people in the district a monitoring group said": what the parse
        # hung elsewhere between the clause and its speaker is still said.
        extent = (content.left_edge.i, speaker.left_edge.i - 1)
    if speaker is not None and speaker.lower_ == "it" and verb.tag_ == "VBN":
        speaker = None  # "it was reported that": an unnamed report
    relative = speaker is not None and speaker.tag_ in ("WP", "WDT")
    if relative:
        speaker = _antecedent_of_relative(verb) or speaker
    passive_agent = agent is not None and (speaker is None or verb.tag_ == "VBN")
    named = agent if passive_agent else speaker  # "confirmed by RT", "denied by sources"
    # A speaker above its own verb ("A military source announced …" parsed as a noun and a
    # reduced relative) is the words before the verb.
    above = named is not None and named in verb.ancestors
    exclude = tuple(t for t in (named,) if t is not None and not above)
    exclude += _nested_speech(content, cues)
    if how in ("as-clause", "participle"):
        exclude += (verb,)
    if how == "called it":
        content_span = _called_it(verb, content)
    elif extent is not None:
        content_span = span_chars(doc, *extent)
    else:
        content_span = subtree_span(doc, content, exclude)
    speaker_span = speaker_phrase(doc, named, cues) if named is not None else None
    if named is not None and above and not relative:
        speaker_span = span_chars(doc, named.left_edge.i, verb.i - 1)
    if speaker_span is None and verb.tag_ == "VBN" and verb.lemma_ in ("report", "say"):
        speaker_span = _cue_span(verb)  # "it was reported": the report speaks
    relay = _addressee(verb, cues) or _carrier(verb, cues)
    if relay is not None and relay == speaker_span:
        relay = None  # "…, said the council's head": the object read as addressee speaks
    cited = _cited(verb)
    if cited is not None:  # "Reuters reported, citing the ministry, that …"
        relay, speaker_span, named = speaker_span, subtree_span(doc, cited), cited
    return Frame(
        _cue_span(verb),
        content_span,
        stance,
        speaker_span,
        named.i if named is not None else None,
        relay,
        f"{how}{HOW_OF_VERB}{verb.text!r}",
        how == "refers back",
        verb.i,
        named is not None and (named.head.i == verb.i or named.head.head.i == verb.i),
    )


def _object_noun_statement(verb: Token, cues: ClaimCues) -> tuple[Stance, Token] | None:
    """ "The two sides traded accusations over which side …", "the monitor put the toll at
    60": a verb that states something only with a statement noun as its object; its stance,
    and the content after the noun's preposition."""
    lemma = verb.lemma_.lower()
    for entry in cues.object_noun_statements:
        if lemma not in entry.verbs:
            continue
        nouns = [c for c in verb.children if c.dep_ == "dobj" and c.lower_ in entry.nouns]
        if not nouns:
            continue
        preps = sorted(
            (
                c
                for c in (*nouns[0].children, *verb.children)
                if c.dep_ == "prep" and c.lower_ in entry.prepositions and c.i > nouns[0].i
            ),
            key=lambda t: t.i,
        )
        for prep in preps:
            objects = [g for g in prep.children if g.dep_ in ("pobj", "pcomp")]
            if objects:
                return entry.stance, objects[0]
    return None


def _separate_statements(frame: Frame, verb: Token) -> list[Frame]:
    """ "The group announced that the battle will continue and the retreat does not mean
    defeat": two complete clauses joined under one reporting verb are two statements (the
    in-domain guide: "X said A and added B" is two claims) when the second opens with its own
    "that" ("said that A and that B"); "said 10 were killed and 20 others wounded" stays one
    (splitting on any second subject cut claims the in-domain gold keeps whole: its claim
    precision fell from 0.975 to 0.923 over all 60 articles for four more found)."""
    clauses = [c for c in verb.children if c.dep_ == "ccomp"]
    if not clauses or not any(c.dep_ in _SUBJECTS for c in clauses[0].children):
        return [frame]
    first = clauses[0]
    second = next(
        (
            c
            for c in first.children
            if c.dep_ == "conj"
            and c.pos_ in ("VERB", "AUX")
            and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)
        ),
        None,
    )
    if second is None:
        return [frame]
    doc = verb.doc
    joint = second.left_edge.i - 1
    linking = (first.i, second.i)
    while joint > first.i and doc[joint].dep_ in ("cc", "punct") and doc[joint].head.i in linking:
        joint -= 1
    first_end = doc[joint].idx + len(doc[joint])
    second_span = subtree_span(doc, second)
    if not frame.content[0] < first_end <= second_span[0] < frame.content[1]:
        return [frame]
    return [
        replace(frame, content=(frame.content[0], first_end)),
        replace(frame, content=(second_span[0], min(second_span[1], frame.content[1]))),
    ]


# What may follow a trailing attribution before the sentence ends ("… the ministry said on
# Saturday.", "… a monitor said Friday").
_AFTER_TRAILING = {"npadvmod", "prep", "pobj", "advmod", "punct", "det", "compound", "amod"}


def _addressed(verb: Token, child: Token) -> bool:
    """The object of "tell" after it is whom the statement is told to, not what is said."""
    return child.dep_ == "dobj" and child.i > verb.i and verb.lemma_.lower() == "tell"


def _closes_sentence(verb: Token) -> bool:
    """Nothing of the verb's own clause follows it but time and place ("… said on Friday."),
    and a statement it goes on to ("… said, adding that …")."""
    going_on = {
        t.i
        for c in verb.children
        if (
            c.dep_ in ("xcomp", "advcl", "conj")
            and c.i > verb.i
            and (c.lemma_.lower() in _CONTINUING or c.tag_ == "VBG")  # "…, updating a toll"
        )
        or _addressed(verb, c)  # "… a source told SANA's reporter."
        for t in c.subtree
    }
    after = [
        t for t in verb.doc[verb.i + 1 : verb.sent.end] if not t.is_space and t.i not in going_on
    ]
    return all(
        t.dep_ in _AFTER_TRAILING and (t.head.i >= verb.i or t.dep_ == "punct") for t in after
    )


_NOMINAL = ("NOUN", "PROPN")
# Links inside a noun phrase, from a word to the word it modifies.
_NOUN_PARTS = {"compound", "amod", "nmod", "det", "poss", "nummod", "punct", "appos", "npadvmod"}


def _speaker_just_before(verb: Token, cues: ClaimCues) -> Token | None:
    """ "… close to the border local sources said.", "… the Syrian Observatory for Human
    Rights said.": with the comma lost (feeds often strip punctuation) the parser hangs the
    speaker inside the clause before a reporting verb that then has no subject. When the
    verb closes its sentence, the noun phrase just before it speaks: its head, climbing from
    the last word through the phrase's modifiers and through "of"/"for" inside a proper
    name, or from a place or body to the source it locates ("a source in Hasaka province
    told …", "an activist with the local media centre told …").
    The words before it are the content."""
    if verb.i - verb.sent.start < 5 or not _closes_sentence(verb):
        return None
    return _phrase_just_before(verb, cues)


def _nominal_path(top: Token, token: Token) -> bool:
    """Whether ``token`` lies in ``top``'s phrase through noun-phrase links alone (no verb
    between them): "office" in "a medic with the local health office", not "Observatory" in
    "shelling which killed four people … the Observatory"."""
    while token.i != top.i:
        if token.head.i == token.i or token.pos_ in ("VERB", "AUX"):
            return False
        token = token.head
    return True


def _phrase_just_before(verb: Token, cues: ClaimCues) -> Token | None:
    """The head of the noun phrase that ends just before ``verb`` (see
    ``_speaker_just_before``), when at least four words of the sentence come before it."""
    sentence = verb.sent
    token = verb.doc[verb.i - 1]
    while token.head.i < verb.i and token.head.i != token.i:
        head = token.head
        if token.dep_ == "appos" and token.pos_ == "PROPN" and head.pos_ != "PROPN":
            break  # "… including a child the Syrian Observatory reported": no apposition
        if token.dep_ == "appos" and head.dep_ == "pobj":
            break  # "… in the area of Mayadeen the ministry said": the place is the clause's
        if token.dep_ in _NOUN_PARTS and head.pos_ in ("NOUN", "PROPN"):
            token = head
        elif (
            token.dep_ == "pobj"
            and token.pos_ == "PROPN"
            and head.pos_ == "ADP"
            and head.head.pos_ == "PROPN"
            and head.head.i < head.i
        ) or (
            token.dep_ == "pobj"
            and head.lower_ in ("in", "from", "at", "of", "with")
            and head.head.lower_ in cues.source_words
            and head.head.i < head.i
        ):
            token = head.head
        elif _relative_object(token):
            # "… an organisation that tracks the conflict said": the noun the clause
            # describes, and no further (its own phrase may sit in a clause before).
            token = head.head
            break
        else:
            break
    if token.pos_ not in ("NOUN", "PROPN") or token.left_edge.i - sentence.start < 4:
        return None
    return token


def _relative_object(token: Token) -> bool:
    """The object of a relative clause on a noun before it ("the conflict" of "an
    organisation that tracks the conflict"): the phrase is the noun's."""
    clause = token.head
    return (
        token.dep_ == "dobj"
        and clause.dep_ == "relcl"
        # one object and nothing else after the verb ("… who left the town yesterday the
        # army said" is no such phrase)
        and [c.i for c in clause.children if c.i > clause.i] == [token.i]
        and clause.head.pos_ in _NOMINAL
        and any(c.dep_ == "nsubj" and c.tag_ in ("WDT", "WP") for c in clause.children)
    )


def _speaker_after(verb: Token, content: Token) -> Token | None:
    """ "… dropped a barrel bomb on the village said the Syrian Observatory.": a reporting
    verb after its clause, without a subject, whose speaker follows it (parsed as its
    object)."""
    if content.i > verb.i or content.dep_ != "ccomp":
        return None
    return _phrase_after(verb)


def _phrase_after(verb: Token) -> Token | None:
    """The first subject or object after a verb, when it is a noun phrase: where the parse
    puts a speaker named after its verb of saying."""
    after = [c for c in verb.children if c.dep_ in ("dobj", "nsubj", "attr") and c.i > verb.i]
    return after[0] if after and after[0].pos_ in _NOMINAL else None


def _trailing_attribution(verb: Token) -> tuple[int, int] | None:
    """ "… killing at least one person the interior ministry said.": with the comma lost
    (feeds often strip punctuation) the parser reads the attribution as a relative clause of
    the noun before it, or as a second clause of the sentence ("… in the town the Syrian
    Observatory said on Friday.", "… on the village said the Syrian Observatory."). A
    reporting verb closing its sentence, with its subject just before it (or after it, as
    the sentence's last words) and no object or conjunction of its own, attributes the
    sentence's words before the attribution: their token range."""
    # A participle after the verb ("… the Observatory reported, updating a toll") and the
    # addressee of "told" are no content of its own.
    if verb.dep_ not in ("relcl", "conj") or any(
        c.dep_ in ("dobj", "ccomp", "xcomp", "cc")
        and not (c.dep_ == "xcomp" and c.tag_ == "VBG")
        and not _addressed(verb, c)
        for c in verb.children
    ):
        return None
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if not subjects:
        return None
    sentence = verb.sent
    subject = subjects[0]
    if subject.i > verb.i:
        last = max(t.i for t in sentence if not (t.is_punct or t.is_space))
        if verb.dep_ != "conj" or subject.right_edge.i < last or verb.i - sentence.start < 5:
            return None
        return sentence.start, verb.i - 1
    if not _closes_sentence(verb):
        return None
    return _words_before(subject)


def _inverted_attribution(verb: Token) -> Token | None:
    """ "… when a shell hit their home said the Syrian Observatory.": with the comma lost, a
    verb of saying after its statement and before its speaker, read as a clause of the
    statement with the speaker as its object or as a subject after it. The phrase right
    after the verb, when it ends the sentence and the verb has no subject before it and no
    clause of its own, speaks; the words before the verb are what it says."""
    if verb.lemma_.lower() not in _SAYING or verb.i - verb.sent.start < 5:
        return None
    if any(
        (c.dep_ in _SUBJECTS and c.i < verb.i) or c.dep_ in ("ccomp", "xcomp")
        for c in verb.children
    ):
        return None
    speaker = _phrase_after(verb)
    last = max(t.i for t in verb.sent if not (t.is_punct or t.is_space))
    if speaker is None or speaker.left_edge.i != verb.i + 1 or speaker.right_edge.i != last:
        return None
    return speaker


def _words_before(subject: Token) -> tuple[int, int] | None:
    """The token range of the sentence's words before the phrase of an attribution's
    subject, when there are enough of them to be a statement."""
    first = subject.left_edge.i
    if first - subject.sent.start < 4:
        return None  # too little before the speaker to be a statement
    return subject.sent.start, first - 1


def _antecedent_of_relative(verb: Token) -> Token | None:
    """ "Kinzinger, who used to brag …": the noun a relative clause above the verb describes."""
    token = verb
    while token.head.i != token.i:
        if token.dep_ == "relcl":
            return token.head
        token = token.head
    return None


def _hosting_clause(verb: Token) -> tuple[Token | None, str]:
    """ "…, as sources like X claimed", "as was stated by the president": the clause the
    as-clause hangs on is the content; "the joint bombing (denied by sources …)": the noun a
    participle with an agent describes is."""
    marked_as = any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)
    head = verb.head
    if marked_as and verb.dep_ == "advcl" and head.i != verb.i:
        return head, "as-clause"
    has_agent = any(c.dep_ == "agent" for c in verb.children)
    if has_agent and verb.tag_ == "VBN" and verb.dep_ in ("acl", "conj") and head.pos_ == "NOUN":
        return head, "participle"
    return None, ""


def _nested_speech(content: Token, cues: ClaimCues) -> tuple[Token, ...]:
    """Reporting verbs hanging inside the content as modifiers ("questioned X's willingness …
    saying that …", "said A adding that B"): their own statements, not part of this one."""
    return tuple(
        t
        for t in content.subtree
        if t.i != content.i
        and (
            t.dep_ in ("acl", "advcl")
            or (t.dep_ in ("xcomp", "conj") and t.tag_ == "VBG" and t.lemma_.lower() in _CONTINUING)
        )
        and t.lemma_.lower() in cues.verb_stance
        and any(c.dep_ == "ccomp" for c in t.children)
    )


def _addressee(verb: Token, cues: ClaimCues) -> tuple[int, int] | None:
    """ "told TASS", "suggested to the Observatory": a named addressee who passes it on."""
    if verb.lemma_.lower() not in _TELLING:
        return None
    # The object of "reported a heavy air campaign" is what is said, not who is told.
    objects = ("dative",) if verb.lemma_.lower() in cues.object_content else ("dobj", "dative")
    candidates = [c for c in verb.children if c.dep_ in objects]
    candidates += [
        g for c in verb.children if c.dep_ == "prep" and c.lower_ == "to" for g in c.children
    ]
    for token in candidates:
        phrase = " ".join(t.lower_ for t in token.subtree)
        # "told SANA reporter": the tagger may read an outlet's acronym as an adjective.
        named = any(t.pos_ == "PROPN" or (t.is_upper and len(t) > 1) for t in token.subtree)
        generic = phrase in cues.generic_addressees or token.lower_ in cues.generic_addressees
        if named and not generic:
            return subtree_span(verb.doc, token)
    return None


# Participles through which a reporter names its source ("…, citing the ministry").
_CITING = {"cite", "quote"}


def _as_saying(verb: Token) -> Token | None:
    """The "saying" of "quoted X as saying", "was cited as telling"."""
    return next(
        (
            g
            for c in verb.children
            if c.dep_ == "prep" and c.lower_ == "as"
            for g in c.children
            if g.dep_ == "pcomp"
        ),
        None,
    )


def _by(token: Token) -> list[Token]:
    """The agents of a passive ("quoted by Y", "quoted as saying by Y")."""
    return [
        g
        for c in token.children
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by")
        for g in c.children
        if g.dep_ == "pobj"
    ]


def _quoted_as_saying(verb: Token, cues: ClaimCues) -> Frame | None:
    """ "X was quoted by Y as saying that …", "Y quoted (cited, reported) X as saying …",
    "X was quoted as telling Y …": X speaks, Y relays."""
    saying = _as_saying(verb)
    if saying is None:
        return None
    inner = _content_token(saying, cues)[0]
    doc = verb.doc
    if inner is not None:
        content = subtree_span(doc, inner)
    elif verb.dep_ in ("ccomp", "parataxis") and verb.head.i < verb.i:
        # '"…" X was quoted as saying by Y': the parser hangs the attribution on the quote.
        content = subtree_span(doc, verb.head, exclude=(verb,))
    elif (words := _quoted_after(verb, saying)) is not None:
        content = span_chars(doc, *words)
    else:
        return None
    passive = [c for c in verb.children if c.dep_ == "nsubjpass"]
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    relay: tuple[int, int] | None = None
    if objects and not passive:  # the subject passes on what its object said
        speaker: Token | None = objects[0]
        reporter = speaker_of(verb, cues.nouns)[0]
        relay = subtree_span(doc, reporter) if reporter is not None else None
    else:
        speakers = passive or [c for c in verb.children if c.dep_ == "nsubj"]
        speaker = speakers[0] if speakers else None
        agents = _by(verb) + _by(saying)
        relay = subtree_span(doc, agents[0]) if agents else None
    relay = relay or _addressee(saying, cues)
    stance = cues.verb_stance.get(saying.lemma_.lower(), Stance.ASSERT)
    return Frame(
        (doc[verb.i].idx, saying.idx + len(saying)),
        content,
        stance,
        subtree_span(doc, speaker) if speaker is not None else None,
        speaker.i if speaker is not None else None,
        relay,
        "quoted as saying",
        False,
        verb.i,
    )


def _quoted_after(verb: Token, saying: Token) -> tuple[int, int] | None:
    """ "… Barazi was quoted as saying by Al Mayadeen.", "… news agencies cited the defence
    ministry as saying on Thursday.": with the comma lost the attribution closes the sentence
    as a second clause; the words before its subject are what was said (their token range).
    Only time, place and the relay may follow the verb."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i]
    if verb.dep_ not in ("conj", "relcl") or not subjects:
        return None
    kept = {
        t.i for c in verb.children if c.dep_ == "dobj" or c.i == saying.head.i for t in c.subtree
    }
    after = [t for t in verb.doc[verb.i + 1 : verb.sent.end] if t.i not in kept]
    if not all(t.dep_ in _AFTER_TRAILING for t in after if not t.is_space):
        return None
    return _words_before(subjects[0])


def _cited(token: Token) -> Token | None:
    """The source a reporter cites beside its statement: "reported, citing the ministry,
    that …", "according to SANA, citing the ministry"."""
    for child in token.children:
        if child.dep_ in ("xcomp", "advcl", "acl") and child.lemma_.lower() in _CITING:
            objects = [g for g in child.children if g.dep_ == "dobj"]
            if objects and child.tag_ == "VBG":
                return objects[0]
    return None


def _citing_frame(verb: Token, cues: ClaimCues) -> Frame | None:
    """ "Reuters reported citing the ministry that …" parsed with the clause under "citing":
    the cited source speaks, the reporter relays."""
    objects = [c for c in verb.children if c.dep_ == "dobj" and c.tag_ not in ("WDT", "WP")]
    clauses = [c for c in verb.children if c.dep_ == "ccomp"]
    if not objects or not clauses:
        return None
    doc = verb.doc
    reporter = speaker_of(verb, cues.nouns)[0]
    return Frame(
        _cue_span(verb),
        subtree_span(doc, clauses[0]),
        Stance.ASSERT,
        subtree_span(doc, objects[0]),
        objects[0].i,
        subtree_span(doc, reporter) if reporter is not None else None,
        "citing",
        False,
        verb.i,
    )


def _carrier(verb: Token, cues: ClaimCues) -> tuple[int, int] | None:
    """ "said in a statement carried by state media": who published the statement."""
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("in", "via"):
            continue
        for noun in prep.children:
            if noun.dep_ != "pobj" or noun.lower_ not in cues.nouns:
                continue
            for participle in noun.children:
                if participle.dep_ == "acl" and participle.lemma_.lower() in cues.relay_verbs:
                    agents = _by(participle)
                    if agents:
                        return subtree_span(verb.doc, agents[0])
    return None


def _according_frame(token: Token, cues: ClaimCues) -> Frame | None:
    """ "According to X, …": X speaks; the clause the phrase hangs on is the content."""
    to = [c for c in token.children if c.lower_ == "to"]
    sources = [g for t in to for g in t.children if g.dep_ == "pobj"]
    head = token.head
    if not sources or head.i == token.i:
        return None
    doc = token.doc
    source, relay = sources[0], None
    cited = _cited(source)
    if cited is not None:  # "according to SANA, citing the ministry": the ministry speaks
        relay = span_chars(doc, source.left_edge.i, source.i)
        source = cited
    # "…, adding that B" is a statement of its own (``_nest`` gives it to X).
    content = subtree_span(doc, head, (token, *_nested_speech(head, cues)))
    speaker = speaker_phrase(doc, source, cues)
    name_end = _name_before_subject(source, head, cues)
    if name_end is not None:  # "According to the Observatory heavy bombardment has …"
        speaker = span_chars(doc, source.left_edge.i, name_end.i)
        content = (doc[name_end.i + 1].idx, content[1])
        source = name_end
    return Frame(
        (token.idx, to[0].idx + len(to[0])),
        content,
        Stance.ASSERT,
        speaker,
        source.i,
        relay,
        "according to",
        False,
        token.i,
    )


# Reporting verbs whose passive takes the reported clause's subject ("two children are
# reported to have died", "he is said to have fled").
_RAISING_REPORTS = {"report", "say", "allege", "rumour", "rumor"}


def _reported_to_frame(verb: Token) -> Frame | None:
    """ "At least two children are reported to have died": a passive reporting verb whose
    subject and infinitive are the statement, said by unnamed reports (the cue speaks; a
    named agent, "reported by the Observatory to …", is left to the ordinary frame)."""
    children = list(verb.children)
    passive = [c for c in children if c.dep_ == "auxpass"]
    infinitive = [
        c for c in children if c.dep_ == "xcomp" and any(g.lower_ == "to" for g in c.children)
    ]
    if not (passive and infinitive and any(c.dep_ == "nsubjpass" for c in children)):
        return None
    if any(c.dep_ == "agent" for c in children):
        return None
    doc = verb.doc
    cue = span_chars(doc, min(passive[0].i, verb.i), verb.i)
    return Frame(
        cue, subtree_span(doc, verb), Stance.ASSERT, cue, None, None, "reported to", False, verb.i
    )


def _hearsay_frame(adverb: Token) -> Frame | None:
    """ "Dozens of civilians have reportedly been killed": the clause the adverb modifies is
    said by unnamed reports, which the adverb itself stands for."""
    verb = adverb.head
    while verb.dep_ in ("aux", "auxpass") and verb.head.i != verb.i:
        verb = verb.head  # "are reportedly suffering": the clause is the main verb's
    if adverb.dep_ != "advmod" or verb.i == adverb.i or verb.pos_ not in ("VERB", "AUX"):
        return None
    doc = adverb.doc
    cue = (adverb.idx, adverb.idx + len(adverb))
    # The whole clause, the adverb inside it: cutting it out would leave the words on one
    # side of it only.
    return Frame(
        cue,
        subtree_span(doc, verb),
        Stance.ASSERT,
        cue,
        None,
        None,
        "hearsay",
        False,
        adverb.i,
    )


def _name_before_subject(source: Token, clause: Token, cues: ClaimCues) -> Token | None:
    """ "According to the Syrian Observatory heavy bombardment has battered …": with the comma
    lost, the parser reads the clause's subject into the source's phrase ("the Syrian
    Observatory heavy bombardment"). When the clause has no subject of its own and the
    phrase opens with a proper name followed by common words that end it, the name (and a
    statement noun right after it: "a General Staff statement") speaks; the words after
    it open the content. Returns the speaker's last word."""
    if any(c.dep_ in _SUBJECTS for c in clause.children) or clause.i < source.i:
        return None
    phrase = [t for t in source.subtree if t.i <= source.i]
    for k, token in enumerate(phrase[:-1]):
        after = phrase[k + 1]
        if token.pos_ == "PROPN" and after.pos_ in ("NOUN", "ADJ") and source.pos_ == "NOUN":
            if after.lower_ in cues.nouns and k + 2 < len(phrase):
                return after
            return token if after.lower_ not in cues.nouns else None
    return None


def _noun_frame(noun: Token, cues: ClaimCues) -> Frame | None:
    """ "the ministry's claim that …", "analysis that …": a statement noun with its clause."""
    clauses = [
        c
        for c in noun.children
        if c.dep_ in ("acl", "ccomp")
        and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)
    ]
    if not clauses:
        return None
    owners = [c for c in noun.children if c.dep_ == "poss"]
    owners += [
        g
        for c in noun.children
        if c.dep_ in ("prep", "agent") and c.lower_ in ("by", "from", "of")
        for g in c.children
        if g.dep_ == "pobj"
    ]
    if not owners:
        return None
    doc = noun.doc
    return Frame(
        (noun.idx, noun.idx + len(noun)),
        subtree_span(doc, clauses[0]),
        Stance.ASSERT,
        subtree_span(doc, owners[0]),
        owners[0].i,
        None,
        f"statement noun {noun.text!r}",
        False,
        noun.i,
    )


def _nest(frames: list[Frame], doc: Doc, speaks: Callable[[Frame], bool]) -> list[Frame]:
    """Frames inside another frame's content. A plain statement inside a statement ("TASS
    reported that a spokesman told a briefing …") is the inner speaker's claim, relayed by the
    outer one; a speech act inside a statement ("Assad has vowed to …, Ford noted") is part of
    what the outer speaker says."""

    def holds(outer: Frame, inner: Frame) -> bool:
        return (
            outer is not inner
            and outer.speaker is not None
            and inner.speaker is not None
            and outer.content[0] <= doc[inner.cue_token].idx < outer.content[1]
            and speaks(outer)
        )

    def continues(outer: Frame, inner: Frame) -> Frame | None:
        # "X said A, adding that B" with the participle hung inside A: X says B too. So
        # does "according to X, A did C, adding that B", the participle hung on the clause
        # "according to" attributes (its subject A is what X tells of, not who adds).
        verb = doc[inner.cue_token]
        cue = doc[outer.cue_token]
        attributes = cue.head if cue.lower_ == "according" else cue
        if not (
            outer is not inner
            and outer.speaker is not None
            and attributes in verb.ancestors
            and verb.tag_ == "VBG"
            and verb.dep_ in ("advcl", "xcomp", "conj", "acl")
            and verb.lemma_.lower() in _CONTINUING
            and not inner.adjacent_speaker
        ):
            return None
        return replace(inner, speaker=outer.speaker, speaker_head=outer.speaker_head, via=outer.via)

    def relays(outer: Frame, inner: Frame) -> bool:
        # The inner statement, speaker first, is what the outer one passes on.
        if not holds(outer, inner) or inner.speaker is None or not speaks(inner):
            return False
        if continues(outer, inner) is not None:
            return False  # "X said A adding that B": X says both, nobody relays
        at_start = abs(inner.speaker[0] - outer.content[0]) <= RELAY_START_CHARS
        return inner.stance is Stance.ASSERT and at_start

    kept = []
    for frame in frames:
        if any(relays(frame, inner) for inner in frames):
            continue  # a relay, recorded on the inner claim
        going_on = [c for outer in frames if (c := continues(outer, frame)) is not None]
        if going_on:
            kept.append(going_on[0])
            continue
        # A speech act reported inside someone's statement is part of it; one in a relative
        # clause ("the chemical attack, which Washington blames on Damascus") is its own
        # speaker's.
        aside = doc[frame.cue_token].dep_ == "relcl"
        if not aside and any(holds(outer, frame) and not relays(outer, frame) for outer in frames):
            continue
        outers = [o for o in frames if relays(o, frame)]
        if outers and frame.via is None:
            frame = replace(frame, via=outers[0].speaker)
        kept.append(frame)
    return kept


# How a frame is found when its shape makes it a demand whatever its verb ("called for a
# ceasefire", "called on the UN to act"): the decision layer keeps the stance of these.
DEMANDING = ("called for", "called on")
# The words between a frame's ``how`` and its verb in the pattern a claim records (``why``).
HOW_OF_VERB = " of "


def demands_by_shape(why: str) -> bool:
    """Whether the pattern that found a claim (its ``why``) makes it a demand."""
    return why.split(HOW_OF_VERB, 1)[0] in DEMANDING


# Participles that carry on the statement of the clause they follow ("…, adding that …").
_CONTINUING = {
    "add",
    "say",
    "stress",
    "note",
    "explain",
    "insist",
    "warn",
    "emphasise",
    "emphasize",
    "point",
}


def _quoted_as(token: Token, cues: ClaimCues) -> bool:
    """The "saying" of "was quoted by Y as saying": part of the "quoted" frame."""
    head = token.head
    return (
        token.dep_ == "pcomp"
        and head.lower_ == "as"
        and head.head.lemma_.lower() in cues.relay_verbs
    )


def find_frames(
    doc: Doc | Span, cues: ClaimCues, speaks: Callable[[Frame], bool] | None = None
) -> list[Frame]:
    """Every speech frame in ``doc``, relays resolved, in text order. A frame whose subject
    cannot speak (``speaks`` says so: "the images suggest that …") neither relays the
    statement around it nor takes in the statements inside it."""
    frames = []
    for token in doc:
        frame = None
        if token.lower_ == "according" and token.dep_ == "prep":
            frame = _according_frame(token, cues)
        elif token.pos_ in ("VERB", "AUX") and not _quoted_as(token, cues):
            frame = _verb_frame(token, cues)
            if frame is not None and frame.how.startswith("clause of"):
                parts = _separate_statements(frame, token)
                frames += parts[:-1]
                frame = parts[-1]
        elif token.pos_ == "NOUN" and token.lower_ in cues.nouns:
            frame = _noun_frame(token, cues)
        elif token.lower_ in cues.hearsay_adverbs:
            frame = _hearsay_frame(token)
        if frame is not None and frame.content[1] > frame.content[0]:
            frames.append(frame)
    whole = doc.doc if isinstance(doc, Span) else doc
    # Asked once per frame: the nesting compares every pair of frames.
    speaking = {id(f) for f in frames if speaks is None or speaks(f)}
    return sorted(_nest(frames, whole, lambda f: id(f) in speaking), key=lambda f: f.content[0])
