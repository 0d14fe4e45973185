"""Relays that reach past one sentence: a news outlet the writer cites as reporting.

"The Hill reports that …" followed by paragraphs of experts quoted in that report: each of
their claims reaches the reader through The Hill. The relay holds for claims by people
(named persons and the pronouns that refer back to them) in the paragraphs that follow,
until the writer speaks in the first person again ("We remind our readers …") or another
outlet is cited.
"""

from __future__ import annotations

import re
from dataclasses import replace

from sitrep.analyze.claims.quotes import paragraphs
from sitrep.analyze.core.document import Document
from sitrep.analyze.core.resources import Resources
from sitrep.model import Claim, EntityKind, Relay

__all__ = ["inherit_relays"]

_PERSON_PRONOUNS = {"he", "she", "him", "her"}


def _writer_speaks(
    text: str, span: tuple[int, int], quoted: list[tuple[int, int]], voice: frozenset[str]
) -> bool:
    """First-person words of the writer in a paragraph (outside quotation marks)."""
    own = "".join(
        ch if not any(s <= span[0] + i < e for s, e in quoted) else " "
        for i, ch in enumerate(text[span[0] : span[1]])
    )
    words = re.findall(r"[A-Za-z]+", own)
    return any(w.lower() in voice and w != "US" for w in words)


def _personal(claim: Claim, document: Document) -> bool:
    speaker = claim.speaker
    if speaker is None:
        return False
    if speaker.text.lower() in _PERSON_PRONOUNS:
        return True
    return any(
        m.kind is EntityKind.PERSON and speaker.start <= m.start < speaker.end
        for m in document.entities
    )


def _opens_relay(claim: Claim, document: Document, resources: Resources) -> bool:
    speaker = claim.speaker
    cue = claim.cue.split()[-1].lower() if claim.cue else ""
    verbs = resources.claim_cues.relay_verbs
    return (
        speaker is not None
        and not _personal(claim, document)  # an outlet, not one of its correspondents
        and speaker.sector == "JRN"
        and speaker.code is not None
        and claim.via is None
        and any(cue.startswith(v[:5]) for v in verbs)
    )


def inherit_relays(claims: list[Claim], document: Document, resources: Resources) -> list[Claim]:
    text = document.text
    spans = paragraphs(text)
    quoted = [s.span for s in document.quoted().segments]
    voice = resources.claim_cues.writer_voice
    relay: Relay | None = None
    relay_ends = -1  # paragraph index after which the relay holds
    out = []
    for claim in claims:
        index = next((i for i, (s, e) in enumerate(spans) if s <= claim.cue_start < e), -1)
        if relay is not None and any(
            _writer_speaks(text, spans[i], quoted, voice) for i in range(relay_ends + 1, index + 1)
        ):
            relay = None
        if _opens_relay(claim, document, resources):
            speaker = claim.speaker
            assert speaker is not None
            relay = Relay(speaker.text, speaker.start, speaker.end, speaker.code, speaker.name)
            relay_ends = index
        elif (
            relay is not None
            and index > relay_ends
            and claim.via is None
            and _personal(claim, document)
        ):
            claim = replace(claim, via=relay)
        out.append(claim)
    return out
