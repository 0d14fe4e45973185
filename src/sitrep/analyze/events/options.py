"""What a happening's roles, toll and place may be, and what the heads that choose among
them see: features of an option (an entity, a killed count, a place) against the mentions
that tell the happening.

A happening is told by one or more candidate mentions (its cluster). The options are those
of every mention's sentence; an option is described against the mention it is closest to
(by dependency path for entities and places, by distance for counts), together with what
the whole cluster says of it (is it in the clearest mention's sentence, named again …).
Training builds the same rows for the gold's happenings, so the heads learn the choice the
analysis makes.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Token

from sitrep.analyze.events.auxiliary import argument_row, dependency_path, preposition
from sitrep.analyze.events.candidates import EventCandidate
from sitrep.analyze.events.features import NAN, ArticleView, Row, log_scale
from sitrep.model import EntityKind, EntityMention, PlacePrecision, PlaceRef, Quantity

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_SPEECH = ("say", "tell", "report", "announce", "claim", "add", "state", "quote")
# Who a count counts: civilians and fighters die in different happenings (and totals).
_VICTIM_WORDS = (
    "civilian",
    "people",
    "child",
    "fighter",
    "soldier",
    "militant",
    "member",
    "person",
    "women",
)


def _span_head(view: ArticleView, start: int, end: int) -> Token:
    span = view.doc.char_span(start, end, alignment_mode="expand")
    if span is not None and len(span):
        return span.root
    return view.token_at(start)


def _sentences(view: ArticleView, members: Sequence[EventCandidate]) -> list[int]:
    return sorted({view.sentence_of(view.head_token(m)) for m in members})


def _nearest(
    view: ArticleView, members: Sequence[EventCandidate], token: Token
) -> tuple[EventCandidate, tuple[str, str, int]]:
    """The member whose trigger is closest to ``token`` in the parse (then in the text)."""
    scored = []
    for member in members:
        head = view.head_token(member)
        found = dependency_path(token, head)
        scored.append((found[2], abs(head.i - token.i), member, found))
    scored.sort(key=lambda s: (s[0], s[1]))
    return scored[0][2], scored[0][3]


# --------------------------------------------------------------------------- entities


def entity_options(view: ArticleView, members: Sequence[EventCandidate]) -> list[EntityMention]:
    """The spans a happening's actor or recipient may be: the entities of its mentions'
    sentences (a place hit stands for its people), and the victims its casualty counts
    name ("at least 12 civilians")."""
    found: dict[tuple[int, int], EntityMention] = {}
    for index in _sentences(view, members):
        sentence = view.sentences[index]
        lo = bisect_right(view.entity_starts, sentence.start_char - 1)
        hi = bisect_right(view.entity_starts, sentence.end_char - 1)
        for entity in view.entities[lo:hi]:
            found[(entity.start, entity.end)] = entity
        for quantity in view.victims:
            if sentence.start_char <= quantity.start < sentence.end_char:
                victims = _victims(view, quantity)
                if victims is None or (victims.start, victims.end) in found:
                    continue
                # The count's phrase holds an entity ("9 villagers" of "at least 9
                # villagers"): one option, the count's, not the same people twice.
                for key in [k for k in found if victims.start <= k[0] and k[1] <= victims.end]:
                    del found[key]
                found[(victims.start, victims.end)] = victims
    for member in members:
        whose = _trigger_modifier(view, member)
        if whose is not None and not any(s < whose.end and whose.start < e for s, e in found):
            found[(whose.start, whose.end)] = whose
    return [found[k] for k in sorted(found)]


# Links by which a word before an attack noun says whose the attack is ("Russian air
# strikes", "regime barrel bombs", "rebel shelling", "US-led coalition raids").
_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "npadvmod", "poss", "punct"})
# A modifier run with one of these is against its actor, not by it ("anti-government").
_AGAINST = frozenset({"anti", "counter"})


def _trigger_modifier(view: ArticleView, member: EventCandidate) -> EntityMention | None:
    """The actor a noun trigger's modifiers name, when they name one: the words before the
    trigger that its phrase holds, from the first to the last that the actor dictionary
    codes alone, coded as a whole. The parse leaves a demonym or a sector noun used as a
    modifier outside every entity ("an adjective belongs to its noun phrase"), so without
    this the most common way news names who struck ("Russian air strikes") offers the role
    heads nothing."""
    m = member.mention
    root = _span_head(view, m.trigger_start, m.trigger_end)
    if root.pos_ not in ("NOUN", "PROPN"):
        return None
    first = view.token_at(m.trigger_start)
    run: list[Token] = []
    index = first.i - 1
    sentence_start = root.sent.start
    while index >= sentence_start:
        token = view.doc[index]
        inside = token.dep_ in _MODIFIER_DEPS and root in token.ancestors
        if not inside or (token.dep_ == "punct" and token.text != "-"):
            break
        run.insert(0, token)
        index -= 1
    if any(t.lower_ in _AGAINST for t in run):
        return None
    coded = [t for t in run if view.actor_of(t.text) is not None]
    if not coded:
        return None
    start, end = coded[0].idx, coded[-1].idx + len(coded[-1])
    text = view.text[start:end]
    actor = view.actor_of(text)
    if actor is None:
        return None
    return EntityMention(
        start, end, text, "NORP", EntityKind.ORGANISATION, "trigger modifier", actor
    )


def _victims(view: ArticleView, quantity: Quantity) -> EntityMention | None:
    """The victims a casualty count names, as far as its head noun ("at least 70 people" of
    "at least 70 people in an opposition district") or the of-phrase that says who they are,
    with the actor they resolve to."""
    span = view.doc.char_span(quantity.start, quantity.end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    root = span.root
    last = root
    # "a total of 14 Daesh fighters", "members of the Nusra Front": who they are is told in
    # the of-phrase after the head noun.
    for child in root.children:
        if child.dep_ == "prep" and child.lower_ == "of" and child.i == root.i + 1:
            objects = [o for o in child.children if o.dep_ == "pobj"]
            if objects:
                last = objects[0]
    start, end = view.doc[root.left_edge.i].idx, last.idx + len(last)
    if end <= start:
        return None
    text = view.text[start:end]
    return EntityMention(
        start, end, text, "VICTIMS", EntityKind.ORGANISATION, "casualty count", view.actor_of(text)
    )


def role_row(view: ArticleView, members: Sequence[EventCandidate], option: EntityMention) -> Row:
    """Features of a (happening, entity) pair: is the entity the actor / the recipient?"""
    token = _span_head(view, option.start, option.end)
    member, (up, down, length) = _nearest(view, members, token)
    m = member.mention
    head = view.head_token(member)
    actor = option.actor
    place = option.place
    return argument_row(token, head, (up, down, length)) | {
        f"type={m.type}": 1.0,
        f"label={option.label}": 1.0,
        f"kind={option.kind.value}": 1.0,
        f"found_by={option.found_by}": 1.0,
        "coded": float(actor is not None),
        "place": float(place is not None),
        f"sector={actor.sector if actor else 'none'}": 1.0,
        f"code={actor.code if actor else 'none'}": 1.0,
        f"up={up}": 1.0,
        f"down={down}": 1.0,
        f"up1={up.split('>')[0]}": 1.0,
        f"down1={down.split('>')[0]}": 1.0,
        "path_length": float(length),
        f"prep={preposition(token)}": 1.0,
        "before": float(option.end <= m.trigger_start),
        "token_distance": float(abs(token.i - head.i)),
        "passive": float(any(c.dep_ in ("nsubjpass", "auxpass") for c in head.children)),
        "verb": float(head.pos_ == "VERB"),
        "rule_actor": float(
            any(
                r.start < option.end and option.start < r.end
                for c in members
                for r in c.mention.actors
            )
        ),
        "rule_recipient": float(
            any(
                r.start < option.end and option.start < r.end
                for c in members
                for r in c.mention.recipients
            )
        ),
        "in_quote": float(view.inside_quote(option.start)),
        "speech_subject": float(
            token.dep_ in ("nsubj", "nsubjpass") and token.head.lemma_.lower() in _SPEECH
        ),
        "in_parentheses": float(
            view.text[max(0, option.start - 1) : option.start] == "("
            or view.text[option.end : option.end + 1] in (")", "/")
        ),
        "pronoun": float(option.label == "PRON"),
        "victims": float(option.label == "VICTIMS"),
        "members": float(len(members)),
        "in_lead_sentence": float(
            view.sentence_of(token) == view.sentence_of(view.head_token(members[0]))
        ),
    }


def entity_code(option: EntityMention, country: str | None = None) -> tuple[str | None, str | None]:
    """The code and sector a chosen span stands for: the actor dictionary's; for a place hit
    by a happening, its country's people; else, when ``country`` (where the happening took
    place) is given, that country's: unnamed people, buildings and villages on the receiving
    end belong to the place they are in (the annotation convention: "civilians" in Idlib are
    SYR CVL). A pronoun has a code only from the person it refers back to
    (``mentions/refer_back.py``), never the country's: it stands for someone told elsewhere."""
    if option.actor is not None:
        return option.actor.code, option.actor.sector
    if option.kind is EntityKind.LOCATION and option.place is not None:
        return option.place.country, "CVL"
    if country is not None and option.label != "PRON":
        people = option.label == "VICTIMS" or option.kind is EntityKind.LOCATION
        return country, "CVL" if people else None
    return None, None


# --------------------------------------------------------------------------- tolls


def quantity_options(view: ArticleView, members: Sequence[EventCandidate]) -> list[Quantity]:
    """The death tolls a happening may have: killed counts of its mentions' sentences."""
    found: dict[int, Quantity] = {}
    for index in _sentences(view, members):
        sentence = view.sentences[index]
        for quantity in view.killed:
            if sentence.start_char <= quantity.start < sentence.end_char:
                found[quantity.start] = quantity
    return [found[k] for k in sorted(found)]


def toll_row(view: ArticleView, members: Sequence[EventCandidate], quantity: Quantity) -> Row:
    """Features of a (happening, killed count) pair: is this the happening's death toll?"""
    token = view.token_at(quantity.start)
    member = min(members, key=lambda c: abs(c.mention.trigger_start - quantity.start))
    m = member.mention
    index = view.sentence_of(token)
    before = view.text[max(0, quantity.start - 30) : quantity.start].lower()
    subcount = view.cues.classes.get("subcount", frozenset())
    values = {(q.low, q.high) for q in quantity_options(view, members)}
    row: Row = {
        f"type={m.type}": 1.0,
        "same_sentence": float(index == view.sentence_of(view.head_token(member))),
        "lead_sentence": float(index == view.sentence_of(view.head_token(members[0]))),
        "log_distance": log_scale(abs(quantity.start - m.trigger_start)),
        "before_trigger": float(quantity.start < m.trigger_start),
        "open_ended": float(quantity.high is None),
        "range": float(quantity.high is not None and quantity.high != quantity.low),
        "log_value": log_scale(quantity.low or 0),
        "subcount_before": float(any(w in subcount for w in re.findall(r"[a-z]+", before)[-3:])),
        "repeated": float(view.value_count(quantity)),
        "first_in_article": float(bool(view.killed) and view.killed[0] is quantity),
        "sentence_index": float(index - view.lead),
        "killed_in_sentence": float(
            sum(1 for q in view.killed if view.sentence_of(view.token_at(q.start)) == index)
        ),
        "options": float(len(values)),
        "largest": float(all((quantity.low or 0) >= (v[0] or 0) for v in values)),
        "rule_toll": float(
            any(
                (c.mention.killed_low, c.mention.killed_high) == (quantity.low, quantity.high)
                for c in members
            )
        ),
        "sentence_years": float(len(_YEAR.findall(view.sentences[index].text))),
        "members": float(len(members)),
    }
    for name, count in view.sentence_cues(index).items():
        row[f"cue={name}"] = float(count)
    subject = (quantity.subject or "").lower()
    for word in _VICTIM_WORDS:
        if word in subject:
            row[f"subject={word}"] = 1.0
    return row


# --------------------------------------------------------------------------- places


@dataclass(frozen=True)
class PlaceOption:
    place: PlaceRef
    text: str | None
    start: int  # -1 for the rules' choice and the article's main province
    how: str  # "sentence", "paragraph", "rules", "province"


def place_options(
    view: ArticleView, members: Sequence[EventCandidate], province: PlaceRef | None
) -> list[PlaceOption]:
    """Where a happening may have been: places of its mentions' sentences and of their
    paragraphs before them, the rules' choices, the article's main province."""
    options: dict[tuple[str, int], PlaceOption] = {}
    for index in _sentences(view, members):
        sentence = view.sentences[index]
        paragraph_start = view.text.rfind("\n\n", 0, sentence.start_char) + 1
        for mention in view.places:
            assert mention.place is not None
            if sentence.start_char <= mention.start < sentence.end_char:
                how = "sentence"
            elif paragraph_start <= mention.start < sentence.start_char:
                how = "paragraph"
            else:
                continue
            key = (mention.place.name, mention.start)
            if key not in options or how == "sentence":
                options[key] = PlaceOption(mention.place, mention.text, mention.start, how)
    for member in members:
        m = member.mention
        if m.place is not None and not any(o.place == m.place for o in options.values()):
            options[(m.place.name, -1)] = PlaceOption(m.place, m.place_text, -1, "rules")
    if province is not None:
        options[(province.name, -2)] = PlaceOption(province, None, -1, "province")
    return list(options.values())


_FINER_THAN_PROVINCE = frozenset(
    (PlacePrecision.TOWN, PlacePrecision.DISTRICT, PlacePrecision.SITE)
)


def _sentence_places(view: ArticleView, members: Sequence[EventCandidate]) -> list[PlaceRef]:
    """The towns, districts and sites named in the sentences of a happening's mentions."""
    spans = [
        (view.sentences[i].start_char, view.sentences[i].end_char)
        for i in _sentences(view, members)
    ]
    return [
        m.place
        for m in view.places
        if m.place is not None
        and m.place.precision in _FINER_THAN_PROVINCE
        and any(start <= m.start < end for start, end in spans)
    ]


def place_row(view: ArticleView, members: Sequence[EventCandidate], option: PlaceOption) -> Row:
    """Features of a (happening, place) pair: is this where the happening was?"""
    place = option.place
    row: Row = {
        f"type={members[0].mention.type}": 1.0,
        f"precision={place.precision.value}": 1.0,
        f"how={option.how}": 1.0,
        f"place_how={place.how.split(':')[0][:20]}": 1.0,
        "syria": float(place.country == "SYR"),
        "main_admin1": float(
            place.admin1 is not None and place.admin1 == view.document.main_admin1
        ),
        "rule_place": float(any(c.mention.place == place for c in members)),
        "mentions": float(sum(1 for p in view.places if p.place and p.place.name == place.name)),
        "members": float(len(members)),
    }
    # What the happening's own sentences name: a province option competes with the towns
    # told beside the trigger, and loses to those in another province (a round-up article
    # whose main province is not this happening's).
    named = _sentence_places(view, members)
    row["sentence_places"] = float(len(named))
    row["admin1_named_in_sentence"] = float(
        place.admin1 is not None and any(p.admin1 == place.admin1 for p in named)
    )
    row["other_admin1_in_sentence"] = float(
        any(p.admin1 is not None and p.admin1 != place.admin1 for p in named)
    )
    if option.start >= 0:
        token = _span_head(view, option.start, option.start + len(option.text or " "))
        member, (up, _down, length) = _nearest(view, members, token)
        row[f"up={up}"] = 1.0
        row[f"up1={up.split('>')[0]}"] = 1.0
        row["path_length"] = float(length)
        row[f"prep={preposition(token)}"] = 1.0
        row["log_distance"] = log_scale(abs(option.start - member.mention.trigger_start))
        row["before"] = float(option.start < member.mention.trigger_start)
        row["speech_subject"] = float(
            token.dep_ == "nsubj" and token.head.lemma_.lower() in _SPEECH
        )
        row["in_lead_sentence"] = float(
            view.sentence_of(token) == view.sentence_of(view.head_token(members[0]))
        )
    else:
        row["path_length"] = NAN
        row["log_distance"] = NAN
    return row
