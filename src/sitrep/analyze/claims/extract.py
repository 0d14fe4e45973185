"""Claims: every statement a text attributes to someone, in one pass over an analysed article.

Sources of claims, in the order they are taken: transcript turns ("SPICER: …"), block
quotes (each sentence a claim of the block's introducer unless it names its own speaker),
speech frames in the parse (indirect speech, widened to the quotation they introduce), and
quotation marks that carry on a quotation already attributed ("“…,” he said. “…”"). Frames
inside a quotation belong to the quoted speaker and are not claims of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Token

from sitrep.analyze.claims.cues import ClaimCues
from sitrep.analyze.claims.introducers import Introducer, block_introducer
from sitrep.analyze.claims.quotes import Block, QuoteSegment
from sitrep.analyze.claims.relays import inherit_relays
from sitrep.analyze.claims.speakers import SPEAKER_REACH_CHARS, resolve_speaker
from sitrep.analyze.claims.speech import Frame, find_frames
from sitrep.analyze.claims.stance import content_stance
from sitrep.analyze.core.document import Document
from sitrep.analyze.core.resources import Resources
from sitrep.datelines import text_dateline
from sitrep.model import Claim, ClaimKind, EntityKind, Relay, Speaker, Stance

__all__ = ["extract_claims"]

# Speaker words that do not name a speaker: relative and demonstrative pronouns.
_NOT_SPEAKERS = {"who", "which", "that", "this", "what", "whom", "these", "those", "whoever"}
_SPEAKING_PRONOUNS = {"he", "she", "they", "it"}
# A block sentence, or the part of one before its own attribution, shorter than this many
# words is a fragment ("As of June 19,"), not a statement.
MIN_CLAIM_WORDS = 4
# A block sentence at least this much taken by claims found in it is not a claim again.
HALF = 0.5
# Text between two quoted stretches of one statement: an attribution ("he said.") fits.
MAX_ATTRIBUTION_GAP_CHARS = 200


@dataclass
class _Draft:
    start: int
    end: int
    kind: ClaimKind
    stance: Stance
    cue: tuple[int, int]
    speaker: tuple[int, int] | None
    speaker_head: int | None
    via: tuple[int, int] | None
    why: str
    parts: list[tuple[int, int]] = field(default_factory=list)
    refers_back: bool = False
    fixed_speaker: Speaker | None = None  # a block introducer's speaker, resolved once
    opens_at: int = -1  # where the sentence's attribution or content begins

    def __post_init__(self) -> None:
        if self.opens_at < 0:
            self.opens_at = min(self.start, self.cue[0])


def _words(text: str) -> int:
    return len(text.split())


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= offset < e for s, e in spans)


def _names_speaker(frame: Frame, document: Document, resources: Resources) -> bool:
    """Whether the frame's subject can speak: a name, a personal pronoun, a person or body by
    its role ("the spokesman", "the ministry"), unnamed sources, or a report; not the
    writer ("we"), a relative pronoun, or a thing ("their presence … lends")."""
    if frame.speaker is None:
        return False
    if frame.speaker_head is None:
        return True  # "it was reported": the report itself
    doc = document.doc
    assert doc is not None
    head = doc[frame.speaker_head]
    word, lemma = head.lower_, head.lemma_.lower()
    cues, lexicons = resources.claim_cues, resources.lexicons
    # "US" is the country, not the pronoun "us" it lowercases to.
    acronym = len(head.text) > 1 and head.text.isupper()
    if word in _NOT_SPEAKERS or (word in cues.writer_voice and not acronym):
        return False
    if head.pos_ == "PRON":
        return word in _SPEAKING_PRONOUNS
    speaking = (
        lexicons.person_heads | lexicons.group_heads | cues.anonymity | cues.nouns | cues.sources
    )
    named = any(
        m.start <= head.idx < m.end and m.kind is not EntityKind.LOCATION for m in document.entities
    )
    # A parse that makes a participle the head ("British based Syrian Observatory") still
    # names the speaker when a proper name is inside.
    misparsed = head.pos_ == "VERB" and any(t.pos_ == "PROPN" for t in head.subtree)
    return head.pos_ == "PROPN" or lemma in speaking or word in speaking or named or misparsed


def _from_frame(frame: Frame, segments: list[QuoteSegment], via: tuple[int, int] | None) -> _Draft:
    """A frame's claim; content inside a quotation becomes the whole quotation (direct)."""
    start, end = frame.content
    kind = ClaimKind.INDIRECT
    parts: list[tuple[int, int]] = []
    for segment in segments:
        inside = segment.start <= start and end <= segment.end + 1
        overlap = min(end, segment.end) - max(start, segment.start)
        if inside or overlap >= 0.8 * (end - start):
            kind, start, end = ClaimKind.DIRECT, segment.start, max(end, segment.end)
            parts = [(start, end)]
            break
        if overlap > 0:
            kind = ClaimKind.MIXED
    return _Draft(
        start,
        end,
        kind,
        frame.stance,
        frame.cue,
        frame.speaker,
        frame.speaker_head,
        frame.via or via,
        frame.how,
        parts,
        frame.refers_back,
    )


def _sentences(doc: Doc, span: tuple[int, int]) -> list[tuple[int, int]]:
    return [
        (s.start_char, s.end_char)
        for s in doc.sents
        if span[0] <= s.start_char < span[1] and s.text.strip()
    ]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in '“"….'):
        start += 1
    stripped = text[start:end].rstrip(' \n\t,;:“"')
    for tail in (" and", " but", " while"):
        if stripped.endswith(tail):
            stripped = stripped[: -len(tail)]
    return start, start + len(stripped.rstrip(" ,"))


def _covered(span: tuple[int, int], drafts: list[_Draft], text: str) -> float:
    """The share of a sentence's letters that drafts already use (content, speaker, cue)."""
    used: set[int] = set()
    for d in drafts:
        for s, e in [*d.parts, (d.start, d.end), d.cue, *([d.speaker] if d.speaker else [])]:
            used.update(range(max(s, span[0]), min(e, span[1])))
    letters = [i for i in range(*span) if text[i].isalnum()]
    return sum(i in used for i in letters) / len(letters) if letters else 1.0


def _block_drafts(
    document: Document,
    block: Block,
    frames: list[Frame],
    segments: list[QuoteSegment],
    resources: Resources,
    intro: Introducer,
) -> list[_Draft]:
    drafts: list[_Draft] = []
    doc = document.doc
    assert doc is not None
    text = document.text
    relay = intro.via or (intro.speaker if intro.is_media else None)
    for paragraph in block.paragraphs:
        own = [
            _from_frame(f, segments, relay)
            for f in frames
            if paragraph[0] <= f.cue[0] < paragraph[1] and _names_speaker(f, document, resources)
        ]
        inside = [g for g in segments if paragraph[0] <= g.start < paragraph[1]]
        _continue_quotes(own, inside, text)
        drafts += own
        for s_start, s_end in _sentences(doc, paragraph):
            if intro.speaker is None or _covered((s_start, s_end), own, text) >= HALF:
                continue
            starts = [
                p
                for d in own
                for p in (d.opens_at, d.cue[0], *(d.speaker or ()))
                if s_start <= p < s_end
            ]
            stop = min(starts, default=s_end)
            start, end = _trimmed(text, s_start, stop)
            if _words(text[start:end]) < MIN_CLAIM_WORDS:
                continue
            drafts.append(
                _Draft(
                    start,
                    end,
                    ClaimKind.DIRECT,
                    # The introducer's verb ("accusing") frames the whole block; each
                    # sentence's own words decide its stance.
                    Stance.ASSERT,
                    intro.cue,
                    intro.speaker,
                    intro.speaker_head,
                    intro.via,
                    "a sentence of a block quote",
                    fixed_speaker=intro.resolved,
                )
            )
    return drafts


def _complete_before_ellipsis(block: Block, frames: list[Frame], text: str) -> bool:
    """ "The Hill reports that …, digging in…": the statement is complete; the ellipsis
    trails off rather than introducing a quotation (a colon always introduces one)."""
    if text[block.intro[0] : block.intro[1]].rstrip().endswith(":"):
        return False
    last = max(
        (f for f in frames if block.intro[0] <= f.cue[0] < block.intro[1]),
        key=lambda f: f.content[1],
        default=None,
    )
    return last is not None and last.content[1] >= block.intro[1] - 3


# An attribution that closes its sentence before the next quotation opens ('…" he said.
# "…'): the next quotation is the speaker's next statement, not the same one carried on.
_CLOSED_ATTRIBUTION = re.compile(r"[.!?]\s+[\"“‘']?$")


def _continue_quotes(drafts: list[_Draft], segments: list[QuoteSegment], text: str) -> None:
    """Quoted stretches right after an attributed quotation carry it on (as more parts) when
    the attribution interrupts one sentence ('"…," he said, "…"'); after an attribution that
    ends its sentence they are the same speaker's next statement (the annotation's "one claim
    per statement")."""
    for segment in segments:
        if any(d.start <= segment.start < d.end for d in drafts):
            continue
        before = [
            d for d in drafts if d.kind is ClaimKind.DIRECT and d.parts and d.end <= segment.start
        ]
        if not before:
            continue
        last = max(before, key=lambda d: d.end)
        gap = text[last.end : segment.start]
        if len(gap) > MAX_ATTRIBUTION_GAP_CHARS or gap.count("\n\n") > 1:
            continue
        if _CLOSED_ATTRIBUTION.search(gap):
            drafts.append(
                replace(
                    last,
                    start=segment.start,
                    end=segment.end,
                    parts=[segment.span],
                    opens_at=segment.start,
                )
            )
        else:
            last.parts.append(segment.span)
            last.end = segment.end


def _dedupe(drafts: list[_Draft]) -> list[_Draft]:
    kept: list[_Draft] = []
    for draft in sorted(drafts, key=lambda d: (d.start, -(d.end - d.start))):
        same = [
            k for k in kept if k.start <= draft.start and draft.end <= k.end and k.cue == draft.cue
        ]
        if not same:
            kept.append(draft)
    return kept


def _relay(article_text: str, span: tuple[int, int] | None, resources: Resources) -> Relay | None:
    if span is None:
        return None
    text = article_text[span[0] : span[1]]
    actor = resources.actors.resolve(text)
    return Relay(
        text, span[0], span[1], actor.code if actor else None, actor.name if actor else None
    )


def _definite_description(doc: Doc, start: int, end: int, head: Token) -> bool:
    """ "the devastated man", "the statement", "the agency": words that name no one, with
    the definite article that makes them point back."""
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in head.children):
        return False
    words = doc.char_span(start, end, alignment_mode="expand")
    return words is not None and not any(t.pos_ == "PROPN" for t in words)


def _phrase_words(doc: Doc, relay: Relay) -> set[str]:
    """The lemmas of the noun phrase a speaker or relay stands in, its apposition included
    ("The Syrian state news agency SANA"), and of the actor name it resolved to."""
    words = {w.lower() for w in (relay.name or "").split()}
    span = doc.char_span(relay.start, relay.end, alignment_mode="expand")
    if span is None:
        return words
    root = span.root
    if root.dep_ in ("appos", "compound") and root.head.i != root.i:
        root = root.head
    words |= {t.lemma_.lower() for t in root.subtree}
    before = doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.pos_ == "NOUN" and before.right_edge.i == before.i:
        # An apposition the parser left as a second subject: "The news agency SANA said".
        words |= {t.lemma_.lower() for t in before.subtree}
    return words


def _resolved_relay(doc: Doc, relay: Relay | None, earlier: list[Relay]) -> Relay | None:
    """ "The agency quoted a source …" after "SANA news agency reported …": a relay named by
    a definite description is the earlier speaker or relay whose words include its head
    word; the claim reaches the article through that one, so its words and code are kept."""
    if relay is None:
        return None
    words = doc.char_span(relay.start, relay.end, alignment_mode="expand")
    if words is None or not _definite_description(doc, relay.start, relay.end, words.root):
        return relay
    word = words.root.lemma_.lower()
    named = [
        p
        for p in earlier
        if 0 <= relay.start - p.end <= SPEAKER_REACH_CHARS
        and p.code is not None
        and word in _phrase_words(doc, p)
    ]
    return max(named, key=lambda p: p.end) if named else relay


def _relay_of_follow_up(
    doc: Doc, head: Token, speaker: Speaker, previous: Claim | None
) -> Relay | None:
    """ "…" the devastated man said, right after "Abu Mohammad told AFP …"; "it added"
    after "the ministry said in a statement carried by state media": a follow-up
    attribution by a pronoun or a definite description, of no other actor than the claim
    just before, reaches the article the same way as that claim."""
    if previous is None or previous.via is None or previous.speaker is None:
        return None
    if not 0 <= speaker.start - previous.speaker.end <= SPEAKER_REACH_CHARS:
        return None
    anaphoric = head.pos_ == "PRON" and head.lower_ in _SPEAKING_PRONOUNS
    # A description that names an actor of its own ("the army" in a Syrian article) is a
    # new source, not the one before.
    unnamed = speaker.code is None or speaker.how.startswith("refers back")
    described = unnamed and _definite_description(doc, speaker.start, speaker.end, head)
    if not (anaphoric or described):
        return None
    codes = {speaker.code, previous.speaker.code} - {None}
    return previous.via if len(codes) <= 1 else None


def _relay_of_same_source(
    head: Token, speaker: Speaker, earlier: list[Speaker], vias: dict[int, Relay | None]
) -> Relay | None:
    """ "The official added …" after "a local official told Reuters …": a definite
    description whose head word names an earlier speaker is that source again, and what it
    says reaches the article the same way (whether or not either resolves to an actor)."""
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in head.children):
        return None
    word = head.lemma_.lower().rstrip("s")
    for previous in reversed(earlier):
        if previous.end > speaker.start:
            continue
        if speaker.start - previous.end > SPEAKER_REACH_CHARS:
            return None
        if word in {w.rstrip("s") for w in previous.text.lower().split()}:
            return vias.get(id(previous))
    return None


def _finalise(document: Document, drafts: list[_Draft], resources: Resources) -> list[Claim]:
    doc = document.doc
    assert doc is not None
    cues = resources.claim_cues
    claims: list[Claim] = []
    speakers: list[Speaker] = []
    vias: dict[int, Relay | None] = {}
    named: list[Relay] = []  # every speaker and relay so far, as a relay a later one may name
    for draft in sorted(drafts, key=lambda d: min(d.cue[0], d.start)):
        speaker, referent = draft.fixed_speaker, None
        if speaker is None and draft.speaker is not None:
            speaker, referent = resolve_speaker(
                doc,
                document.text,
                draft.speaker,
                draft.speaker_head,
                speakers,
                document.entities,
                resources.actors,
                cues,
                document.main_country,
            )
        via = _resolved_relay(doc, _relay(document.text, draft.via, resources), named)
        if speaker is not None:
            if via is None and referent is not None:
                via = vias.get(id(referent))
            if via is None and draft.speaker_head is not None:
                via = _relay_of_same_source(doc[draft.speaker_head], speaker, speakers, vias)
            if via is None and draft.speaker_head is not None:
                previous = claims[-1] if claims else None
                via = _relay_of_follow_up(doc, doc[draft.speaker_head], speaker, previous)
            named.append(
                Relay(speaker.text, speaker.start, speaker.end, speaker.code, speaker.name)
            )
            speakers.append(speaker)
            vias[id(speaker)] = via
        if via is not None:
            named.append(via)
        start, end, parts = draft.start, draft.end, tuple(draft.parts)
        if draft.refers_back and claims:
            earlier = max(claims, key=lambda c: c.end if c.end <= draft.cue[0] else -1)
            start, end, parts = earlier.start, earlier.end, earlier.parts
        if (
            speaker is not None
            and draft.speaker is not None
            and speaker.start < draft.speaker[0]
            and not parts
            and start < speaker.start < end
        ):
            # The speaker grew to the whole name the parse cut through (``resolve_speaker``):
            # what is said ends before it.
            end = _trimmed(document.text, start, speaker.start)[1]
        spans = parts or ((start, end),)
        claims.append(
            Claim(
                start,
                end,
                draft.kind,
                content_stance(doc, document.text, spans, draft.stance, cues),
                document.text[draft.cue[0] : draft.cue[1]],
                draft.cue[0],
                draft.cue[1],
                speaker,
                via,
                parts if len(parts) > 1 else (),
                (),
                draft.why,
            )
        )
    return sorted(claims, key=lambda c: (c.start, c.cue_start))


# A headline is a statement when it has at least this many words before its source; text
# longer than this before a dateline is a lead, not a headline.
MIN_HEADLINE_WORDS = 3
MAX_HEADLINE_CHARS = 200


def _headline_draft(document: Document, cues: ClaimCues, end: int) -> _Draft | None:
    """ "Strikes kill 45 in Idlib: monitor": a headline (the text before ``end``) that closes
    on a source's name is that source's claim."""
    doc = document.doc
    assert doc is not None
    text = document.text
    words = list(re.finditer(r"[\w'’-]+", text[:end]))
    for size in (3, 2, 1):
        if len(words) < size + MIN_HEADLINE_WORDS:
            continue
        tail = words[-size:]
        if " ".join(w.group(0).lower() for w in tail) not in cues.headline_sources:
            continue
        speaker = (tail[0].start(), tail[-1].end())
        content = _trimmed(text, words[0].start(), words[-size - 1].end())
        span = doc.char_span(*speaker, alignment_mode="expand")
        head = span.root.i if span is not None and len(span) else None
        return _Draft(
            *content, ClaimKind.INDIRECT, Stance.ASSERT, speaker, speaker, head, None, "headline"
        )
    return None


def extract_claims(document: Document, resources: Resources) -> list[Claim]:
    doc = document.doc
    if doc is None:
        return []
    cues = resources.claim_cues
    text = document.text
    body = document.article.body_start
    # A content never reaches above the body, nor back across the dateline the text prints:
    # a feed that runs the title and dateline into the lead ("… into Turkey AFP Saturday 17
    # Aug 2013 Gunmen attacked … a monitor said") would lend the title to the lead's speaker.
    dateline = text_dateline(text)
    frames = []
    for frame in find_frames(doc, cues, lambda f: _names_speaker(f, document, resources)):
        if frame.cue[1] <= body and frame.content[1] <= body:
            # A headline's own attribution ("… killed in Aleppo: monitor") is a claim; the
            # headline ends where the body starts, so nothing of the body is drawn into it.
            frames.append(frame)
            continue
        floor = body
        if dateline is not None and dateline[1][1] <= frame.cue[0]:
            floor = max(floor, dateline[1][1])
        if frame.cue[0] >= body and frame.content[1] > floor:
            frames.append(replace(frame, content=(max(frame.content[0], floor), frame.content[1])))
    quotations = document.quoted()
    segments = [s for s in quotations.statements if s.start >= body]
    drafts: list[_Draft] = []
    taken: list[tuple[int, int]] = []
    for turn in quotations.turns:
        if text[slice(*turn.name)] == "Q":
            continue  # a reporter's question in a briefing transcript
        name_head = doc.char_span(*turn.name, alignment_mode="expand")
        drafts.append(
            _Draft(
                *turn.content,
                ClaimKind.DIRECT,
                Stance.ASSERT,
                turn.name,
                turn.name,
                name_head.root.i if name_head is not None else None,
                None,
                "a transcript turn",
            )
        )
        taken.append(turn.content)
    for block in quotations.blocks:
        if block.intro[0] < body or _complete_before_ellipsis(block, frames, text):
            continue
        intro = block_introducer(document, block, frames, resources)
        drafts += _block_drafts(document, block, frames, segments, resources, intro)
        taken += list(block.paragraphs)
    # The headline: the title line, or the words a feed runs in before its dateline.
    headline_end = body if body > 0 else dateline[1][0] if dateline is not None else 0
    if dateline is not None and dateline[1][1] <= body:
        headline_end = dateline[1][0]  # the body starts after the dateline (ingest/build.py)
    if 0 < headline_end <= MAX_HEADLINE_CHARS and not any(f.cue[0] < headline_end for f in frames):
        headline = _headline_draft(document, cues, headline_end)
        if headline is not None:
            drafts.append(headline)
    quoted = [s.span for s in segments]
    for frame in frames:
        if _inside(frame.cue[0], taken) or _inside(frame.cue[0], quoted):
            continue
        if _names_speaker(frame, document, resources):
            drafts.append(_from_frame(frame, segments, None))
    _continue_quotes(drafts, [s for s in segments if not _inside(s.start, taken)], text)
    claims = _finalise(document, _dedupe(drafts), resources)
    return inherit_relays(claims, document, resources)


def link_events(document: Document) -> None:
    """Each event mention told inside a claim's content points at that claim, and back."""
    from sitrep.model import claim_id

    linked = []
    events = list(document.events)
    for index, claim in enumerate(document.claims):
        inside = tuple(
            i
            for i, event in enumerate(events)
            if any(s <= event.trigger_start < e for s, e in claim.content_spans)
        )
        for i in inside:
            if events[i].claim_id is None:
                events[i] = replace(events[i], claim_id=claim_id(document.article.id, index))
        linked.append(replace(claim, events=inside))
    document.claims = linked
    document.events = events
