"""Lines of a page with their character offsets, the unit raw-page parsing works on."""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKUP_EDGES = re.compile(r"^[\s#*_>]+|[\s*_]+$")


@dataclass(frozen=True, slots=True)
class Line:
    start: int  # offset of the first character in the page
    end: int  # offset just past the line's text (before its newline)
    text: str

    @property
    def clean(self) -> str:
        """The line without surrounding whitespace and Markdown decoration (##, **)."""
        return _MARKUP_EDGES.sub("", self.text)

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def words(self) -> int:
        return len(self.text.split())


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    start = 0
    for piece in text.splitlines(keepends=True):
        body = piece.rstrip("\r\n")
        lines.append(Line(start, start + len(body), body))
        start += len(piece)
    return lines


def span_text(text: str, lines: list[Line]) -> str:
    """The page text from the first to the last of ``lines`` (which must be contiguous)."""
    return text[lines[0].start : lines[-1].end] if lines else ""


def word_count(lines: list[Line]) -> int:
    return sum(line.words for line in lines)
