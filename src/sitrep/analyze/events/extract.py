"""Event mentions: triggers with their type, roles, place, date, tolls and modality."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from sitrep.analyze.core.document import Document
from sitrep.analyze.core.resources import Resources
from sitrep.analyze.events.anchors import (
    DATE_EARLIER_IN_PARAGRAPH,
    DATE_OF_DOCUMENT,
    DATE_OF_DOCUMENT_MONTH,
    DATE_OF_FOCUS,
    NO_DATE,
    PLACE_FROM_CONTEXT,
)
from sitrep.analyze.events.candidates import EventCandidate
from sitrep.analyze.events.commitments import announced_as, demanded_by
from sitrep.analyze.events.features import context_start
from sitrep.analyze.events.modality import (
    ModalityCues,
    decide,
    reporting_frame,
)
from sitrep.analyze.events.rementions import merge_rementions
from sitrep.analyze.events.roles import modifier_actor, role_tokens, to_role
from sitrep.analyze.events.tolls import toll_types, without_toll
from sitrep.analyze.events.triggers import Trigger, find_triggers
from sitrep.analyze.mentions.gazetteer import name_key
from sitrep.model import (
    EntityKind,
    EntityMention,
    EventMention,
    EventRole,
    Granularity,
    Modality,
    PlacePrecision,
    PlaceRef,
    Quantity,
)

# Triggers of one type linked within this many dependency arcs report one happening
# ("killed in a mortar attack", "the bombing attack").
LINK_ARCS = 3
_ABDUCTION_VERBS = {"seize", "take", "capture"}


@dataclass
class _Context:
    document: Document
    resources: Resources
    cues: ModalityCues
    quotes: list[tuple[int, int]]
    blocks: list[tuple[int, int]]
    mention_starts: list[int]
    mentions: list[EntityMention]


def _mention_at(ctx: _Context, token: Token) -> EntityMention | None:
    index = bisect_right(ctx.mention_starts, token.idx) - 1
    if index >= 0:
        mention = ctx.mentions[index]
        if mention.start <= token.idx < mention.end:
            return mention
    return None


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    return any(start <= offset < end for start, end in spans)


def _arcs(a: Token, b: Token) -> int | None:
    """Dependency distance between two tokens of one sentence (None if far apart)."""
    ancestors_a = {t.i: n for n, t in enumerate([a, *a.ancestors])}
    for n, t in enumerate([b, *b.ancestors]):
        if t.i in ancestors_a:
            return n + ancestors_a[t.i]
    return None


def _link(triggers: list[Trigger]) -> list[list[Trigger]]:
    """Group triggers of one type that are syntactically close within a sentence."""
    groups: list[list[Trigger]] = []
    for trigger in triggers:
        for group in groups:
            other = group[-1]
            if other.type != trigger.type or other.head.sent != trigger.head.sent:
                continue
            distance = _arcs(other.head, trigger.head)
            if distance is not None and distance <= LINK_ARCS:
                group.append(trigger)
                break
        else:
            groups.append([trigger])
    return groups


def _is_place(mention: EntityMention | None) -> bool:
    return mention is not None and mention.kind is EntityKind.LOCATION


def _drop_reason(trigger: Trigger, ctx: _Context) -> str | None:
    """Why the rules take this trigger word to report no happening here (None: they keep it)."""
    head = trigger.head
    if ctx.resources.trigger_senses.unmade(trigger):
        return "sense"
    if trigger.type == "COERCE" and head.lemma_.lower() == "take":
        objects = [c for c in head.children if c.dep_ == "dobj"]
        if not any(o.lower_ == "control" or _is_place(_mention_at(ctx, o)) for o in objects):
            return "take without control"
        return None
    # "units trained in …", "jets attacking …": a participle describing a noun, not a happening
    if trigger.is_verb and head.dep_ == "acl" and head.tag_ in ("VBN", "VBG"):
        return "participle"
    # "accusing X of collaborating": the accused act is the accusation's content
    if (
        head.dep_ == "pcomp"
        and head.head.lower_ == "of"
        and head.head.head.lemma_.lower() in ("accuse", "blame", "suspect")
    ):
        return "accused act"
    # "this attack", "these strikes" with no roles: a reference back to an event told before
    if not trigger.is_verb and any(
        c.dep_ == "det" and c.lower_ in ("this", "these", "that", "those") for c in head.children
    ):
        actors, recipients = role_tokens(trigger)
        if not (actors or recipients):
            return "reference"
    return None


def _means(triggers: list[Trigger]) -> set[int]:
    """ "Retaliated by switching off the hotline": the retaliation is the switching off; a
    trigger whose by-phrase names another type's happening is only the reason for it (the
    head token indices of such triggers)."""
    by_head = {t.head.i: t for t in triggers}

    def told_by_other(trigger: Trigger) -> bool:
        return any(
            prep.dep_ == "prep"
            and prep.lower_ == "by"
            and any(
                (means := by_head.get(c.i)) is not None and means.type != trigger.type
                for c in prep.children
                if c.dep_ == "pcomp"
            )
            for prep in trigger.head.children
        )

    return {t.head.i for t in triggers if t.is_verb and told_by_other(t)}


def _retype(trigger: Trigger, recipients: list[EventRole], ctx: _Context) -> tuple[str, str | None]:
    """ "Seized soldiers" is an abduction (ASSAULT), "seized Manbij" a seizure (COERCE)."""
    head = trigger.head
    if trigger.type == "MOBILIZE" and head.lemma_.lower() in ("advance", "move", "push"):
        targets = [
            c for c in head.children if c.dep_ == "prep" and c.lower_ in ("on", "against", "into")
        ]
        if any(t.lower_ in ("on", "against") for t in targets):
            return "ASSAULT", None  # "an advance on the base" is an offensive
    if trigger.type == "COERCE" and head.lemma_.lower() in _ABDUCTION_VERBS:
        people = [
            r
            for r in recipients
            if r.code
            and (r.sector in ("MIL", "CVL", "GOV", "REB", "MED", "JRN") or r.sector is None)
        ]
        places = [r for r in recipients if r.code is None]
        if people and not places:
            return "ASSAULT", "abduct"
    return trigger.type, trigger.mode


def _sentence_places(ctx: _Context, sentence: Span) -> list[EntityMention]:
    return [
        m for m in ctx.mentions if m.place and sentence.start_char <= m.start < sentence.end_char
    ]


def _role_resolver(ctx: _Context) -> Callable[[Token], EventRole | None]:
    """Words of the document -> the role they name (an actor code where one resolves)."""
    doc = ctx.document.doc
    assert doc is not None

    def role(token: Token) -> EventRole | None:
        return to_role(
            token,
            doc,
            lambda x: _mention_at(ctx, x),
            ctx.resources.actors,
            ctx.document.main_country,
            ctx.mentions,
        )

    return role


def _event_place(
    ctx: _Context, trigger: Token, sentence: Span
) -> tuple[PlaceRef | None, str | None]:
    in_sentence = _sentence_places(ctx, sentence)
    attached = [
        m
        for m in in_sentence
        if any(tok.idx == m.start or (m.start <= tok.idx < m.end) for tok in trigger.subtree)
    ]

    def finer(pool: list[EntityMention]) -> list[EntityMention]:
        return [m for m in pool if m.place and m.place.precision is not PlacePrecision.COUNTRY]

    attached_finer = finer(attached)
    if attached_finer or attached:  # a place the trigger's own phrase names
        chosen = (attached_finer or attached)[0]
        return chosen.place, chosen.text
    if finer(in_sentence):
        chosen = finer(in_sentence)[0]
        return chosen.place, chosen.text
    start = context_start(ctx.document.text, sentence)
    before = finer([m for m in ctx.mentions if start <= m.start < sentence.start_char])
    if before and before[-1].place:
        place = before[-1].place
        how = f"{PLACE_FROM_CONTEXT}: {before[-1].text!r} earlier in the paragraph"
        return replace(place, how=how), before[-1].text
    main = _main_province(ctx)
    if main is not None:
        return main, None
    if in_sentence and in_sentence[0].place:  # only a country, named for another reason perhaps
        return in_sentence[0].place, in_sentence[0].text
    return None, None


def _main_province(ctx: _Context) -> PlaceRef | None:
    return main_province(ctx.document, ctx.resources)


def main_province(document: Document, resources: Resources) -> PlaceRef | None:
    """The article's main province, as a place (its capital's coordinates)."""
    if document.main_admin1 is None:
        return None
    for mention in document.entities:
        place = mention.place
        if (
            place
            and place.admin1 == document.main_admin1
            and place.country == document.main_country
        ):
            province = resources.gazetteer.provinces.get(name_key(place.admin1))
            if province:
                entry = province[0]
                return PlaceRef(
                    entry.name,
                    entry.lat,
                    entry.lon,
                    PlacePrecision.PROVINCE,
                    entry.country,
                    entry.admin1,
                    None,
                    "the article's main province",
                )
    return None


def event_date(
    document: Document, sentence: Span, trigger: Token, statement: bool = False
) -> tuple[str | None, Granularity | None, str]:
    """The trigger's own date phrase, else the sentence's, else the paragraph's latest one
    before it, else the day the text is about, else the document date. A ``statement`` (an
    accusation, a demand, a threat: ``modality.yaml``, ``speech_act_types``) whose sentence
    names no day is the report's: news tells what was said on the day it reports it, and
    the date of the paragraph around it is that of the happening spoken about ("Rebels
    shelled the town on Thursday. The government called for a ceasefire")."""
    times = [
        t for t in document.times if t.value and sentence.start_char <= t.start < sentence.end_char
    ]
    if times:
        best = min(times, key=lambda t: abs(t.start - trigger.idx))
        return best.value, best.granularity, f"{best.how}: {best.text!r}"
    start = context_start(document.text, sentence)
    before = [t for t in document.times if t.value and start <= t.start < sentence.start_char]
    if before and not statement:
        return (
            before[-1].value,
            before[-1].granularity,
            f"{DATE_EARLIER_IN_PARAGRAPH}: {before[-1].text!r}",
        )
    if document.focus and not statement:
        return document.focus, Granularity.DAY, DATE_OF_FOCUS
    dct = document.dct
    if dct is not None and dct.value is not None:
        if dct.granularity is Granularity.DAY:
            return dct.value.isoformat(), Granularity.DAY, DATE_OF_DOCUMENT
        return dct.value.strftime("%Y-%m"), Granularity.MONTH, DATE_OF_DOCUMENT_MONTH
    return None, None, NO_DATE


def _tolls(
    quantities: list[Quantity], sentence: Span, trigger: Token
) -> dict[str, tuple[int | None, int | None]]:
    tolls: dict[str, tuple[int | None, int | None]] = {}
    for category in ("killed", "injured"):
        found = [
            q
            for q in quantities
            if q.category == category and sentence.start_char <= q.start < sentence.end_char
        ]
        if found:
            best = min(found, key=lambda q: abs(q.start - trigger.idx))
            tolls[category] = (best.low, best.high)
    return tolls


def _own_statement(
    modality: Modality,
    why: str,
    head: Token,
    event_type: str,
    mode: str | None,
    actors: list[EventRole],
    ctx: _Context,
    role: Callable[[Token], EventRole | None],
) -> tuple[Modality, str]:
    """A speech act in its own speaker's statement is the statement ("Russia will regard any
    flights as targets, the ministry stressed"): asserted. Relayed by another speaker ("Assad
    has vowed …, Ford noted") it is reported."""
    if (
        modality is not Modality.REPORTED
        or event_type not in ctx.cues.speech_acts
        or mode == "investigate"
    ):
        return modality, why
    frame = reporting_frame(head, ctx.cues)
    if frame is None or frame[1] is None:
        return modality, why
    if _said_by_actor(frame[1], actors, role):
        return Modality.ASSERTED, f"the speaker's own statement ({frame[1].text!r})"
    return modality, why


def _said_by_actor(
    speech: Token, actors: Iterable[EventRole], role: Callable[[Token], EventRole | None]
) -> bool:
    """Whether the subject of the speech verb is one of the event's actors."""
    speakers = [r for t in speech.children if t.dep_ in ("nsubj", "nsubjpass") if (r := role(t))]
    speaker_codes = {r.code for r in speakers if r.code}
    return bool(speaker_codes & {r.code for r in actors if r.code})


def _unique(roles: list[EventRole]) -> tuple[EventRole, ...]:
    out: list[EventRole] = []
    for role in roles:
        if not any(r.start == role.start and r.end == role.end for r in out):
            out.append(role)
    return tuple(out)


def _build(group: list[Trigger], ctx: _Context) -> EventMention:
    doc = ctx.document.doc
    assert doc is not None
    main = next((t for t in group if t.mode), group[0])
    head = main.head
    sentence = head.sent
    actors: list[EventRole] = []
    recipients: list[EventRole] = []

    role = _role_resolver(ctx)

    for trigger in group:
        actor_tokens, recipient_tokens = role_tokens(trigger)
        actors += [r for t in actor_tokens if (r := role(t))]
        recipients += [r for t in recipient_tokens if (r := role(t))]
        if not any(r.code for r in actors) and (
            own := modifier_actor(trigger, doc, ctx.resources.actors)
        ):
            actors.append(own)
    event_type, mode = _retype(main, recipients, ctx)
    offset = doc[main.start].idx
    modality, why = decide(
        head, event_type, ctx.cues, _inside(ctx.quotes, offset), _inside(ctx.blocks, offset)
    )
    modality, why = _own_statement(modality, why, head, event_type, mode, actors, ctx, role)
    place, place_text = _event_place(ctx, head, sentence)
    statement = event_type in ctx.cues.speech_acts
    date, granularity, date_how = event_date(ctx.document, sentence, head, statement)
    tolls = _tolls(ctx.document.quantities, sentence, head)
    killed, injured = tolls.get("killed", (None, None)), tolls.get("injured", (None, None))
    trigger_start, trigger_end = doc[main.start].idx, doc[main.end - 1].idx + len(doc[main.end - 1])
    headline = trigger_start < ctx.document.article.body_start
    confidence = (
        0.4 + 0.2 * bool(actors) + 0.2 * bool(recipients) + 0.1 * bool(mode) + 0.1 * bool(place)
    )
    return EventMention(
        sentence.start_char,
        sentence.end_char,
        trigger_start,
        trigger_end,
        ctx.document.text[trigger_start:trigger_end],
        event_type,
        mode,
        modality,
        _unique(actors),
        _unique(recipients),
        place,
        place_text,
        date,
        granularity,
        date_how,
        killed[0],
        killed[1],
        injured[0],
        injured[1],
        None,
        round(confidence, 2),
        why,
        (),
        headline,
    )


def _announcement(
    group: list[Trigger], mention: EventMention, ctx: _Context
) -> EventMention | None:
    """The promise or threat a future action was announced in ("Nigeria said it will withdraw
    unless …"), in the announcer's voice: its own statement is asserted, another's reported."""
    head = next((t for t in group if t.mode), group[0]).head
    found = announced_as(
        head, mention.type, mention.modality, ctx.resources.commitment_cues, ctx.cues
    )
    if found is None:
        return None
    own = _said_by_actor(found.speech, mention.actors, _role_resolver(ctx))
    modality = Modality.ASSERTED if own else Modality.REPORTED
    return replace(mention, type=found.type, mode=None, modality=modality, why=found.why)


def _announcements(
    built: list[tuple[list[Trigger], EventMention]], ctx: _Context
) -> list[EventCandidate]:
    """The promise or threat each mention was announced in, unless the sentence already
    tells one ("warned that it will …")."""
    events = [mention for _, mention in built]
    found = []
    for group, mention in built:
        announcement = _announcement(group, mention, ctx)
        told = announcement is not None and any(
            e.type == announcement.type and e.start == mention.start for e in events
        )
        if announcement is not None and not told:
            events.append(announcement)
            heads = tuple(t.head.i for t in group)
            found.append(EventCandidate(announcement, heads, frozenset({"announcement"})))
    return found


def _demands(ctx: _Context, events: list[EventMention]) -> list[tuple[int, EventMention]]:
    """ "X said that Y must …": X's demand of Y, told at the obliged verb, unless the sentence
    already tells a demand ("X demanded that Y must …")."""
    doc = ctx.document.doc
    assert doc is not None
    cues = ctx.resources.commitment_cues
    role = _role_resolver(ctx)
    found: list[tuple[int, EventMention]] = []
    for verb in doc:
        speech = demanded_by(verb, cues, ctx.cues)
        if speech is None:
            continue
        sentence = verb.sent
        if any(e.type == "REQUEST" and e.start == sentence.start_char for e in events):
            continue
        speakers = [r for c in speech.children if c.dep_ == "nsubj" if (r := role(c))]
        obliged = [r for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") if (r := role(c))]
        offset = verb.idx
        modality, why = decide(
            speech, "REQUEST", ctx.cues, _inside(ctx.quotes, offset), _inside(ctx.blocks, offset)
        )
        place, place_text = _event_place(ctx, verb, sentence)
        date, granularity, date_how = event_date(ctx.document, sentence, verb, statement=True)
        found.append(
            (
                verb.i,
                EventMention(
                    sentence.start_char,
                    sentence.end_char,
                    verb.idx,
                    verb.idx + len(verb),
                    verb.text,
                    "REQUEST",
                    None,
                    modality,
                    _unique(speakers),
                    _unique(obliged),
                    place,
                    place_text,
                    date,
                    granularity,
                    date_how,
                    confidence=0.6,
                    why=f"a demand ({speech.text!r} … must {verb.text!r}); {why}",
                    headline=verb.idx < ctx.document.article.body_start,
                ),
            )
        )
    return found


def _context(document: Document, resources: Resources) -> _Context:
    mentions = sorted(document.entities, key=lambda m: m.start)
    return _Context(
        document,
        resources,
        resources.modality_cues,
        [segment.span for segment in document.quoted().segments],
        document.quoted().block_paragraphs,
        [m.start for m in mentions],
        mentions,
    )


def _name_spans(document: Document) -> list[tuple[int, int]]:
    """Where multi-word organisation and building names stand ("the Local Coordination
    Committees", "the Higher Negotiations Committee"): a trigger word inside one names the
    body or the place, and reports no act."""
    return [
        (m.start, m.end)
        for m in document.entities
        if m.label in ("ORG", "FAC") and m.found_by in ("ner", "ruler") and len(m.text.split()) > 1
    ]


def find_candidates(document: Document, resources: Resources) -> list[EventCandidate]:
    """Every trigger group with the rules' reading of it: the groups the rules keep (linked
    triggers of one type, then the promises, threats and demands they carry), and each word
    they pass over on its own, flagged with why."""
    doc = document.doc
    if doc is None:
        return []
    ctx = _context(document, resources)
    senses = resources.trigger_senses
    triggers = [senses.as_act(t) for t in find_triggers(doc, resources.trigger_lexicon, every=True)]
    dropped = {t.head.i: r for t in triggers if not t.flags and (r := _drop_reason(t, ctx))}
    names = _name_spans(document)
    dropped |= {t.head.i: "sense" for t in triggers if any(s <= t.head.idx < e for s, e in names)}
    clean = [t for t in triggers if not t.flags and t.head.i not in dropped]
    means = _means(clean)
    kept = [t for t in clean if t.head.i not in means]
    built = [(group, _build(group, ctx)) for group in _link(kept)]
    candidates = [
        EventCandidate(mention, tuple(t.head.i for t in group)) for group, mention in built
    ]
    for trigger in triggers:
        if trigger in kept:
            continue
        flags = set(trigger.flags)
        if trigger.head.i in dropped:
            flags.add(dropped[trigger.head.i])
        if trigger.head.i in means:
            flags.add("means")
        mention = _build([trigger], ctx)
        candidates.append(EventCandidate(mention, (trigger.head.i,), frozenset(flags)))
    candidates += _announcements(built, ctx)
    told = [c.mention for c in candidates if c.kept_by_rules]
    candidates += [EventCandidate(m, (h,), frozenset({"demand"})) for h, m in _demands(ctx, told)]
    return sorted(candidates, key=lambda c: (c.mention.trigger_start, sorted(c.flags)))


def extract_events(document: Document, resources: Resources) -> list[EventMention]:
    """The rules' events: the candidates they keep, one mention per happening."""
    return rule_events(find_candidates(document, resources))


def rule_events(candidates: list[EventCandidate]) -> list[EventMention]:
    """What the rules alone make of the candidates: the kept ones, re-mentions merged; a
    trigger word with no participant and no toll ("the fighting") is no event to record."""
    kept = sorted((c.mention for c in candidates if c.kept_by_rules), key=lambda e: e.trigger_start)
    # A count beside a statement or a meeting is the toll of the happening it speaks of, so
    # it is taken away before it could stand in for the statement's participants.
    merged = [m if m.type in toll_types() else without_toll(m) for m in merge_rementions(kept)]
    return [m if m.has_participants else replace(m, not_event="no participant") for m in merged]
