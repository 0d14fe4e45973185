"""The text spaCy reads, aligned character for character with the article text."""

from __future__ import annotations

import re

_MARKUP = re.compile(r"</?[A-Za-z][^<>\n]{0,200}>|\*\*|__")
_ODD_SPACES = re.compile(r"[\u00a0\u2007\u202f\u200b\ufeff]")


def parser_text(text: str) -> str:
    """The text spaCy reads: inline markup (<u>, <a href>, **) and odd spaces become plain
    spaces of the same length, so every offset still points into the article text."""
    masked = _MARKUP.sub(lambda m: " " * len(m.group(0)), text)
    return _ODD_SPACES.sub(" ", masked)
