"""Candidate event mentions: every trigger group the rules read, with what the rules say of
it, for the learned decision layer to decide on."""

from __future__ import annotations

from dataclasses import dataclass

from sitrep.model import EventMention

# Candidate flags that are origins, not objections: the rules keep such a mention.
ORIGINS = frozenset({"announcement", "demand"})


@dataclass(frozen=True)
class EventCandidate:
    """One trigger group read by the rules: its mention (type, mode, voice, roles, place,
    date, tolls as the rules find them), where its trigger words are, and any rule that
    would pass it over ("sense", "participle", "reference", "means", "modifier", "kind" …)
    or made it ("announcement", "demand")."""

    mention: EventMention
    heads: tuple[int, ...]  # token index of each trigger's head word in the parse
    flags: frozenset[str] = frozenset()

    @property
    def kept_by_rules(self) -> bool:
        return self.flags <= ORIGINS
