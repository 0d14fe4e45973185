"""The compiled form of ``resources/ingest/page_cues.yaml``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sitrep.resources import load_yaml


def _phrase(cue: str) -> str:
    """A cue phrase as a regex in which any whitespace run (even a line break) separates words."""
    return r"\s+".join(cue.split())


@dataclass(frozen=True)
class PageCues:
    header_label: re.Pattern[str]
    relay: re.Pattern[str]
    footer: re.Pattern[str]
    footer_min_fraction: float
    rule_line: re.Pattern[str]
    min_article_words: int
    self_reference: re.Pattern[str]


@cache
def page_cues() -> PageCues:
    data = load_yaml("ingest/page_cues.yaml")
    labels = "|".join(_phrase(x) for x in data["header_labels"])
    relays = "|".join(_phrase(x) for x in data["relay_prefixes"])
    footers = "|".join(_phrase(x) for x in data["footer_starts"])
    rule_min = int(data["rule_min_chars"])
    return PageCues(
        header_label=re.compile(rf"^(?:{labels})\s*:", re.IGNORECASE),
        relay=re.compile(rf"^(?:{relays})\s*:?\s+(?P<source>\S.{{0,60}})$", re.IGNORECASE),
        footer=re.compile(rf"^[ \t#*_>]*(?:{footers})", re.IGNORECASE | re.MULTILINE),
        footer_min_fraction=float(data["footer_min_fraction"]),
        rule_line=re.compile(rf"^\s*(?:[-—–_=~*•·]\s*){{{rule_min},}}$"),
        min_article_words=int(data["min_article_words"]),
        self_reference=re.compile(data["self_reference"]),
    )
