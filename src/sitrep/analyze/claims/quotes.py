"""Where a text quotes someone: quotation marks, block quotes and transcript turns.

Every span is a character span of the article text. Quotation marks are paired by their
position (an opening mark follows a space or starts a paragraph), not by their shape, since
copied pages often turn a closing ” into an opening one; a quotation may run over several
paragraphs (news style reopens the quote on each paragraph and closes it on the last).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

__all__ = [
    "Block",
    "Quotations",
    "QuoteSegment",
    "Turn",
    "find_blocks",
    "find_quotations",
    "paragraphs",
    "quote_segments",
    "transcript_turns",
]

_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")
_DOUBLE_MARKS = re.compile(r"[\"“”«»]")
_ATTRIBUTION = re.compile(r"\b(?:said|says|stressed|added|noted|stated|told|wrote|warned)\b")
# A transcript turn: a speaker's name in capitals (or "Q") and a colon at a paragraph's start.
_TURN = re.compile(r"(?P<name>Q|[A-Z][A-Z.’'-]+(?: [A-Z][A-Z.’'-]+){0,3})\s*:\s+(?=\S)")
# Words that introduce a block quote when they end a paragraph with a colon or an ellipsis.
_INTRODUCING_WORDS = {
    "following",
    "statement",
    "accusing",
    "saying",
    "courtesy",
    "version",
    "reports",
    "this",
    "reads",
}
# Quoted stretches shorter than this many words are names or scare quotes, not statements.
MIN_QUOTE_WORDS = 4


@dataclass(frozen=True)
class QuoteSegment:
    start: int  # first character inside the marks
    end: int  # last character inside the marks + 1
    opened: bool  # False when the opening mark is missing (the quote starts its paragraph)
    closed: bool  # False when the paragraph ends before a closing mark (the quote goes on)
    words: int = 0

    @property
    def statement(self) -> bool:
        """Long enough to be someone's words, not a name or a scare quote."""
        return self.words >= MIN_QUOTE_WORDS

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass(frozen=True)
class Block:
    intro: tuple[int, int]  # the paragraph that introduces the quote
    paragraphs: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Turn:
    name: tuple[int, int]  # the speaker's name as printed
    content: tuple[int, int]


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: runs of non-empty lines."""
    return [m.span() for m in _PARAGRAPH.finditer(text)]


def _is_opening(text: str, at: int, start: int) -> bool:
    before = text[at - 1] if at > start else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    return (before.isspace() or before in "([—–-:") and not after.isspace()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _segments_in(text: str, start: int, end: int) -> Iterable[QuoteSegment]:
    opened_at: int | None = None
    first = True
    for match in _DOUBLE_MARKS.finditer(text, start, end):
        at = match.start()
        if opened_at is None and _is_opening(text, at, start):
            opened_at = at + 1
        elif opened_at is not None:
            yield QuoteSegment(*_trim(text, opened_at, at), opened=True, closed=True)
            opened_at = None
        elif first and match.group(0) in '"”»':
            # A closing mark with no opening one: the quote began with the paragraph.
            yield QuoteSegment(*_trim(text, start, at), opened=False, closed=True)
        first = False
    if opened_at is not None:
        yield QuoteSegment(*_trim(text, opened_at, end), opened=True, closed=False)


def quote_segments(text: str, min_words: int = MIN_QUOTE_WORDS) -> list[QuoteSegment]:
    """Quoted stretches of at least ``min_words`` words, paragraph by paragraph."""
    found = []
    for start, end in paragraphs(text):
        for segment in _segments_in(text, start, end):
            words = len(text[segment.start : segment.end].split())
            if words >= min_words:
                found.append(replace(segment, words=words))
    return found


@dataclass(frozen=True)
class Quotations:
    """Every way the text quotes someone, found once per article (the ``quotes`` stage)."""

    segments: tuple[QuoteSegment, ...]  # every quoted stretch, names and scare quotes too
    blocks: tuple[Block, ...]
    turns: tuple[Turn, ...]

    @property
    def statements(self) -> list[QuoteSegment]:
        return [s for s in self.segments if s.statement]

    @property
    def block_paragraphs(self) -> list[tuple[int, int]]:
        return [span for block in self.blocks for span in block.paragraphs]


def find_quotations(text: str, speech: frozenset[str]) -> Quotations:
    return Quotations(
        tuple(quote_segments(text, min_words=1)),
        tuple(find_blocks(text, speech)),
        tuple(transcript_turns(text)),
    )


def _continues_quote(paragraph: str) -> bool:
    """A paragraph that carries on a quoted statement: it opens with an ellipsis or a quotation
    mark, or attributes what it says (", the ministry said.", "officials have said")."""
    stripped = paragraph.strip()
    return (
        stripped[:1] in '…"“' or stripped.startswith("...") or bool(_ATTRIBUTION.search(stripped))
    )


def _introduces(paragraph: str, speech: frozenset[str]) -> bool:
    if not paragraph.endswith((":", "…", "...")):
        return False
    words = {w.lower() for w in re.findall(r"[\w'’]+", paragraph[-200:])}
    stems = {w[:-3] if w.endswith("ing") else w[:-2] if w.endswith("ed") else w for w in words}
    return bool(words & speech or stems & speech or words & _INTRODUCING_WORDS)


def find_blocks(text: str, speech: frozenset[str]) -> list[Block]:
    """Statements quoted without quotation marks: the paragraphs after one that ends with a
    colon or ellipsis and names a statement ("… said the following:", "(courtesy of X)…"),
    for as long as the quote visibly goes on (one unmarked paragraph is allowed between two
    marked ones)."""
    blocks = []
    spans = paragraphs(text)
    for index, (start, end) in enumerate(spans[:-1]):
        if not _introduces(text[start:end].rstrip(), speech) or _TURN.match(
            text, spans[index + 1][0]
        ):
            continue
        quoted = [spans[index + 1]]
        following = spans[index + 2 :]
        for position, (p_start, p_end) in enumerate(following):
            here = _continues_quote(text[p_start:p_end])
            next_marked = position + 1 < len(following) and _continues_quote(
                text[slice(*following[position + 1])]
            )
            if not (here or next_marked):
                break
            quoted.append((p_start, p_end))
        blocks.append(Block((start, end), tuple(quoted)))
    return blocks


def transcript_turns(text: str) -> list[Turn]:
    """Turns of a transcript ("SPICER: …", "Q …"): at least two turns in the text, each a
    paragraph opening with a speaker's name in capitals."""
    turns = []
    for start, end in paragraphs(text):
        match = _TURN.match(text, start)
        question = text.startswith("Q ", start) or text.startswith("Q\t", start)
        if match and match.end() < end:
            turns.append(Turn(match.span("name"), _trim(text, match.end(), end)))
        elif question:
            turns.append(Turn((start, start + 1), _trim(text, start + 1, end)))
    names = [text[slice(*t.name)] for t in turns]
    # A name that takes one turn only is a headline's "RUSSIA : …", not a transcript.
    return [t for t, n in zip(turns, names, strict=True) if n == "Q" or names.count(n) >= 2]
