"""Who a speaker is: a speaker phrase resolved to an actor, back-references followed.

A named speaker resolves through the actor dictionary (people to their institutions,
capitals to governments). A pronoun ("he said") or a bare description ("the ministry",
"the unnamed spokesman", "officials who spoke on condition of anonymity") refers back to
the nearest earlier speaker it fits, and so does a surname alone ("Ford noted"). Former
officials are coded as elites (sector ELI), as CAMEO does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc, Token

from sitrep.analyze.claims.cues import ClaimCues
from sitrep.analyze.events.roles import antecedent
from sitrep.analyze.mentions.actors import ActorIndex
from sitrep.model import ActorRef, EntityKind, EntityMention, Speaker

__all__ = ["names_person", "resolve_speaker"]

_PERSON_PRONOUNS = {"he", "she", "him", "her"}
_THING_PRONOUNS = {"it"}
_GROUP_PRONOUNS = {"they", "them"}
# A pronoun or description refers back to a speaker named at most this far before (about
# four paragraphs of news prose; a quoted expert is often re-cited that far on).
SPEAKER_REACH_CHARS = 1500
# "It"/"they" as a speaker is the institution quoted just before if it was this close (about
# one sentence); further away the nearest named group is likelier.
PRONOUN_SPEAKER_CHARS = 250


def _from_actor(text: str, start: int, end: int, actor: ActorRef, how: str) -> Speaker:
    return Speaker(text, start, end, actor.code, actor.sector, actor.name, how)


def _head_word(doc: Doc, head: int | None) -> Token | None:
    return doc[head] if head is not None else None


def _is_personal(speaker: Speaker, mentions: Sequence[EntityMention]) -> bool:
    return any(
        m.kind is EntityKind.PERSON and speaker.start <= m.start < speaker.end for m in mentions
    )


def _refers_back(
    speaker: Speaker,
    head: Token,
    earlier: Sequence[Speaker],
    mentions: Sequence[EntityMention],
) -> Speaker | None:
    """The earlier speaker a pronoun, surname or bare description stands for."""
    word = head.lower_
    for previous in reversed(earlier):
        if previous.code is None or speaker.start - previous.end > SPEAKER_REACH_CHARS:
            continue
        if previous.end > speaker.start:
            continue
        personal = _is_personal(previous, mentions)
        if word in _PERSON_PRONOUNS and not personal:
            continue
        if word in _THING_PRONOUNS and personal:
            continue
        if head.pos_ == "PRON" or word in previous.text.lower().split():
            return previous
        if head.lemma_.lower() in {w.rstrip("s") for w in previous.text.lower().split()}:
            return previous
        if word in _GENERIC_GROUPS and not personal and _definite(head):
            return previous  # "The group said …" after "The White Helmets said …"
    return None


# Head nouns of a definite description that names any organisation ("the group", "the
# volunteer group", "the organisation"): it stands for the organisation that spoke last.
_GENERIC_GROUPS = {"group", "organisation", "organization"}


def _definite(head: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in head.children)


def names_person(mentions: Sequence[EntityMention], start: int, end: int) -> bool:
    """Whether start:end names a person (a description such as "a resident" is a person
    mention, but names no one)."""
    return any(m.label == "PERSON" and start <= m.start < end for m in mentions)


def _anonymous(
    text: str, mentions: Sequence[EntityMention], start: int, end: int, cues: ClaimCues
) -> bool:
    """An unnamed source: no person named, and a word or phrase of anonymity."""
    if names_person(mentions, start, end):
        return False
    words = " " + " ".join(text.lower().replace(",", " ").split()) + " "
    return any(f" {cue} " in words for cue in cues.anonymity)


def resolve_speaker(
    doc: Doc,
    article_text: str,
    span: tuple[int, int],
    head_index: int | None,
    earlier: Sequence[Speaker],
    mentions: Sequence[EntityMention],
    actors: ActorIndex,
    cues: ClaimCues,
    context: str | None = None,
) -> tuple[Speaker, Speaker | None]:
    """The speaker of ``span`` (its actor, how it was found, whether it is anonymous), and
    the earlier speaker it refers back to, if it does. A description naming no country
    ("a military source", "a monitoring group") is taken to be of ``context``, the
    article's main country."""
    start, end = span
    # A parse that cuts a known name ("… Zubdiya the Syrian Observatory for | Human Rights
    # said", commas lost) leaves its tail as the speaker: the whole name speaks.
    start = min([start] + [m.start for m in mentions if m.actor and m.start < start < m.end])
    text = article_text[start:end]
    speaker = Speaker(text, start, end, how="unresolved")
    head = _head_word(doc, head_index)
    if head is not None and head.lower_ in _GROUP_PRONOUNS | _THING_PRONOUNS:
        # "It called the strike …" right after "The Syrian military said …": the speaker just
        # quoted; otherwise the nearest group or institution named before.
        last = earlier[-1] if earlier else None
        just_quoted = (
            last is not None
            and last.code is not None
            and 0 <= start - last.end <= PRONOUN_SPEAKER_CHARS
            and not _is_personal(last, mentions)
        )
        if last is not None and just_quoted:
            how = f"refers back to {last.text!r}"
            return replace(last, text=text, start=start, end=end, how=how), last
        referent = antecedent(head, list(mentions))
        if referent is not None and referent.actor is not None:
            how = f"refers back to {referent.text!r}"
            return _from_actor(text, start, end, referent.actor, how), None
    found = actors.resolve_all(text)
    specific = [r for r in found if r.actor_id]
    referred: Speaker | None = None
    if head is not None and (head.pos_ == "PRON" or not specific):
        previous = _refers_back(speaker, head, earlier, mentions)
        if previous is not None and (head.pos_ == "PRON" or not found):
            speaker = replace(
                previous, text=text, start=start, end=end, how=f"refers back to {previous.text!r}"
            )
            referred, found = previous, []
    if not found and referred is None and context:
        described = actors.resolve(text, context)
        found = [described] if described else []
        if not found and names_person(mentions, start, end):
            # A named person the dictionary does not know (a local activist, a doctor, a
            # commander) is taken to be of the article's main country, as descriptions are.
            how = "a person the dictionary does not know, of the article's main country"
            found = [ActorRef(context, None, how=how)]
    if found:
        # The actor named nearest the phrase's head is the one the speaker speaks for (a
        # lost comma glues the addressee on: "… to Asharq Al-Awsat PYD spokesman X").
        best = specific[-1] if specific else found[0]
        speaker = _from_actor(text, start, end, best, best.how or "named")
        if len(found) > 1 and not specific:
            speaker = replace(speaker, codes=tuple(r.code for r in found))
    if speaker.code and " former " in f" {text.lower()} ":
        speaker = replace(speaker, sector="ELI")  # CAMEO: former officials are elites
    if speaker.sector == "NGO":
        # CAMEO codes non-governmental organisations NGO whatever their seat: a monitor or
        # an aid group speaks for itself, not for its country.
        speaker = replace(speaker, code="NGO")
    return replace(speaker, anonymous=_anonymous(text, mentions, start, end, cues)), referred
