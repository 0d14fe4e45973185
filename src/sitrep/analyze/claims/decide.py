"""The learned decisions on the rules' claims: each claim's stance, and whether its speaker
is anonymous.

The rules find the claims (cues, quotations, reported speech), their speaker span, relay and
content; a stance head then reads the reporting verb, the rules' stance, the content's words
and the events told in it, and an anonymity head reads the speaker's words (a name? a role
noun? "a source"?). Both were trained on the in-domain gold (``sitrep train``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np
from spacy.tokens import Token

from sitrep.analyze.claims.cues import ClaimCues
from sitrep.analyze.claims.speakers import names_person
from sitrep.analyze.claims.speech import demands_by_shape
from sitrep.analyze.core.document import Document
from sitrep.analyze.core.learned import TreeModel
from sitrep.analyze.core.models import ModelStore
from sitrep.analyze.events.features import DecisionCues, Row
from sitrep.analyze.events.tolls import victim_groups
from sitrep.model import Claim, EntityKind, Stance

HEADS = ("stance", "anonymous")
_WORD = re.compile(r"[a-z']+")


@dataclass(frozen=True)
class ClaimHeads:
    stance: TreeModel
    anonymous: TreeModel

    @classmethod
    def load(cls, store: ModelStore) -> ClaimHeads:
        return cls(*(store.get("claims", name) for name in HEADS))


def _token_at(document: Document, offset: int) -> Token | None:
    doc = document.doc
    if doc is None:
        return None
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _root_of(document: Document, start: int, end: int) -> Token | None:
    """The syntactic head of the words start:end (the token whose own head lies outside them):
    "activists" in "Activists in rural Idlib", where the last word is a place."""
    doc = document.doc
    span = doc.char_span(start, end, alignment_mode="expand") if doc is not None else None
    return span.root if span is not None and len(span) else None


def _cue_lemma(document: Document, claim: Claim) -> str:
    token = _token_at(document, claim.cue_start)
    return token.lemma_.lower() if token is not None else claim.cue.lower()


def _count(words: list[str], vocabulary: frozenset[str]) -> float:
    return float(sum(w in vocabulary for w in words))


def claim_row(document: Document, claim: Claim, cues: ClaimCues, decision: DecisionCues) -> Row:
    """Features of one claim: its reporting words, the rules' reading, its content, its
    speaker's words."""
    text = document.text
    content = " ".join(text[s:e] for s, e in claim.content_spans)
    words = _WORD.findall(content.lower())
    cue_lemma = _cue_lemma(document, claim)
    row: Row = {
        f"cue={cue_lemma}": 1.0,
        f"rule_stance={claim.stance.value}": 1.0,
        f"kind={claim.kind.value}": 1.0,
        f"why={claim.why.split(':')[0][:24]}": 1.0,
        "content_words": float(len(words)),
        "question": float(content.rstrip(" ”\"'").endswith("?")),
        "prediction_words": _count(words, cues.prediction),
        "accusation_words": _count(words, cues.accusation),
        "threat_words": _count(words, cues.threat),
        "via": float(claim.via is not None),
    }
    for name, vocabulary in decision.classes.items():
        row[f"cue_class={name}"] = _count(words, vocabulary)
    for index in claim.events:
        if index < len(document.events):
            row[f"event={document.events[index].type}"] = 1.0
    row.update(speaker_row(document, claim, cues))
    return row


def stance_row(document: Document, claim: Claim, row: Row) -> Row:
    """The stance head's features: a claim's row (``claim_row``) and whom its content names
    and counts as harmed (``content_parties``; the anonymity head, which reads the speaker,
    did worse with them: held-out accuracy 0.971 -> 0.964 in memory, twenty-sixth round)."""
    return {**row, **content_parties(document, claim)}


# Victim groups (``events/lexicons/victims.yaml``) a content may count as the harmed
# ("civilians", "children", "medics") or as the fighting ("soldiers", "militants").
_HARMED_GROUPS = frozenset({"civilians", "children", "women", "medics", "journalists"})
_FIGHTING_GROUPS = frozenset({"military", "fighters"})
# The parse links by which a named actor is the doer of what the content tells: the subject
# ("the army shelled …"), the agent of a passive ("… by government jets"), or the maker of
# a named weapon or strike ("Turkish jets", "rebel shelling", "the army's artillery").
_DOER_DEPS = frozenset({"nsubj", "amod", "compound", "poss"})


def content_parties(document: Document, claim: Claim) -> Row:
    """Whom a claim's content names and whom it counts as harmed. The annotation guide's
    accusation "blames someone": a named doer other than the speaker, mostly for harm to
    civilians ("government jets bombed the clinic, killing five"), where a party's own report
    of its strikes names its own forces or counts fighters ("our artillery destroyed their
    depots, killing 30 fighters"), and states a fact."""
    words = _WORD.findall(" ".join(document.text[s:e] for s, e in claim.content_spans).lower())
    speaker = claim.speaker
    own: set[str] = set()
    if speaker is not None:
        own = set(speaker.codes) | ({speaker.code} if speaker.code else set())
    named: set[str] = set()
    doers: set[str] = set()
    doc = document.doc
    for mention in document.entities:
        if mention.actor is None or not any(s <= mention.start < e for s, e in claim.content_spans):
            continue
        named.add(mention.actor.code)
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand") if doc else None
        if span is None or not len(span):
            continue
        root = span.root
        agent = root.dep_ == "pobj" and root.head.lower_ == "by"
        if agent or (root.dep_ in _DOER_DEPS and root.head.pos_ in ("VERB", "NOUN")):
            doers.add(mention.actor.code)
    groups = victim_groups()
    harmed = sum(groups.get(w) in _HARMED_GROUPS for w in words)
    fighting = sum(groups.get(w) in _FIGHTING_GROUPS for w in words)
    unknown = float("nan")  # whether a party is the speaker's own is unknown without a code
    return {
        "content_actors": float(len(named)),
        "content_other_actor": float(bool(named - own)) if own else unknown,
        "content_own_actor": float(bool(named & own)),
        "content_doers": float(len(doers)),
        "content_other_doer": float(bool(doers - own)) if own else unknown,
        "content_own_doer": float(bool(doers & own)),
        "content_first_person": float(sum(w in ("we", "our", "us") for w in words)),
        "content_harmed_words": float(harmed),
        "content_fighting_words": float(fighting),
    }


def speaker_row(document: Document, claim: Claim, cues: ClaimCues) -> Row:
    """Features of a claim's speaker words: named? a role noun? anonymity words?"""
    speaker = claim.speaker
    if speaker is None:
        return {"no_speaker": 1.0}
    words = _WORD.findall(speaker.text.lower())
    head = _token_at(document, max(speaker.start, speaker.end - 1))
    named = any(
        m.kind is EntityKind.PERSON and speaker.start <= m.start < speaker.end
        for m in document.entities
    )
    row: Row = {
        f"speaker_sector={speaker.sector}": 1.0,
        "speaker_coded": float(speaker.code is not None),
        "speaker_rule_anonymous": float(speaker.anonymous),
        "speaker_words": float(len(words)),
        "speaker_person": float(named),
        "speaker_named_person": float(names_person(document.entities, speaker.start, speaker.end)),
        "speaker_capitals": float(sum(w[:1].isupper() for w in speaker.text.split())),
        "speaker_indefinite": float(bool(words) and words[0] in ("a", "an", "some", "one")),
        "speaker_pronoun": float(len(words) == 1 and words[0] in ("he", "she", "it", "they")),
        "speaker_anonymity_words": _count(words, cues.anonymity),
        "speaker_source_words": _count(words, cues.sources),
        f"speaker_how={speaker.how.split(':')[0][:20]}": 1.0,
    }
    if head is not None:
        row[f"speaker_head={head.lemma_.lower()}"] = 1.0
    root = _root_of(document, speaker.start, speaker.end)
    if root is not None:
        row[f"speaker_root={root.lemma_.lower()}"] = 1.0
        row["speaker_root_plural"] = float(root.tag_ in ("NNS", "NNPS"))
        row["speaker_root_proper"] = float(root.pos_ == "PROPN")
    return row


def decide_claims(
    document: Document, heads: ClaimHeads, cues: ClaimCues, decision: DecisionCues
) -> list[Claim]:
    """The claims with the stance and anonymity the heads choose."""
    claims = document.claims
    if not claims:
        return []
    rows = [claim_row(document, c, cues, decision) for c in claims]
    stances = heads.stance.predict_proba(
        [stance_row(document, c, row) for c, row in zip(claims, rows, strict=True)]
    )
    anonymous = heads.anonymous.predict_proba(rows)[:, heads.anonymous.classes.index("yes")]
    decided = []
    for claim, stance, secret in zip(claims, stances, anonymous, strict=True):
        chosen = Stance(heads.stance.classes[int(np.argmax(stance))])
        charged = cues.verb_stance.get(_cue_lemma(document, claim)) not in (None, Stance.ASSERT)
        if charged or demands_by_shape(claim.why):
            # A charged reporting verb says it ("accused", "denied"), and so does the shape
            # of a demand ("called on the UN to act").
            chosen = claim.stance
        speaker = claim.speaker
        if speaker is not None:
            speaker = replace(speaker, anonymous=bool(secret >= 0.5))
        decided.append(replace(claim, stance=chosen, speaker=speaker))
    return decided
