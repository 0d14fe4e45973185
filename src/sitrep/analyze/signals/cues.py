"""The cue lexicon of signals (resources/signals.yaml), compiled once into patterns."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["CueList", "SignalCues"]


def _phrase_pattern(phrase: str) -> str:
    """A phrase as a pattern: a space also matches a hyphen, ' either apostrophe, and a
    trailing * any word ending."""
    words = " ".join(phrase.lower().split())
    parts = [re.escape(w).replace("'", "['’]") for w in words.rstrip("*").split(" ")]
    pattern = r"[\s-]+".join(parts)
    return pattern + r"\w*" if words.endswith("*") else pattern


@dataclass(frozen=True)
class CueList:
    """The phrases of one class, compiled into one case-insensitive whole-word pattern."""

    pattern: re.Pattern[str] | None

    @classmethod
    def build(cls, phrases: Iterable[Any] | None) -> CueList:
        alternatives = {_phrase_pattern(str(p)) for p in phrases or ()}
        if not alternatives:
            return cls(None)
        joined = "|".join(sorted(alternatives, key=len, reverse=True))  # longest first
        return cls(re.compile(rf"(?<![\w-])(?:{joined})(?!\w)", re.IGNORECASE))

    def find(self, text: str, start: int, end: int) -> list[tuple[int, str]]:
        """(offset, the cue as written: lower-cased, single-spaced) of each match in
        text[start:end]."""
        if self.pattern is None:
            return []
        return [
            (m.start(), " ".join(m.group(0).lower().replace("’", "'").split()))
            for m in self.pattern.finditer(text, start, end)
        ]


@dataclass(frozen=True)
class SignalCues:
    loaded: CueList  # charged words: a verdict given as a description
    boosters: CueList  # the writer vouches for the statement
    intensifiers: CueList  # the writer amplifies a deed
    hedges: CueList  # the writer holds back from it
    hedge_modals: frozenset[str]  # modal auxiliaries that hedge (matched as auxiliaries only)
    event_types: frozenset[str]  # PLOVER types of happenings whose telling as fact is strong

    @classmethod
    def build(cls, data: dict[str, Any]) -> SignalCues:
        return cls(
            CueList.build(data["loaded"]),
            CueList.build(data["boosters"]),
            CueList.build(data["intensifiers"]),
            CueList.build(data["hedges"]),
            frozenset(str(w).lower() for w in data["hedge_modals"]),
            frozenset(str(t).upper() for t in data["event_types"]),
        )
