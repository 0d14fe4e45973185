"""Texts of any length meet the parser in bounded pieces, and texts beyond any use are refused.

spaCy refuses a text over ``nlp.max_length`` characters (E088, 1,000,000 by default) and its
memory grows with the text it parses at once. A text longer than ``PIECE_CHARS`` is parsed
piece by piece, cut at a paragraph break (else a line break, a sentence end, a space), and
the pieces are joined into one ``Doc`` whose text is the original's exactly, so every offset
stays right. A text longer than ``MAX_ANALYSIS_CHARS`` is not analysed at all: the engine
records it as ``too_long`` for that article and goes on with the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacy.language import Language
from spacy.tokens import Doc

# The longest article in the reference data (FA-KES, seeds, annotated) is under 60,000
# characters; 100,000 keeps each parse's memory small (the model's tensors and the parser's
# state grow with the text) while news articles stay one piece.
PIECE_CHARS = 100_000
# Beyond this an input is no article (a book, a log, a dump). Measured on the project machine
# (docs/performance.md), one text of seed articles run together takes 16 s to analyse at
# 200,000 characters and 309 s at 1,000,000 (entity, event and claim finding grow faster than
# the text): 200,000 characters, about 35,000 words, is over three times the longest article
# in the reference data and keeps one article from holding a worker for minutes.
MAX_ANALYSIS_CHARS = 200_000
# Where a piece may end, best first: a paragraph break, a line break, a sentence end, a space.
_BREAKS = ("\n\n", "\n", ". ", " ")


def too_long(text: str, limit: int = MAX_ANALYSIS_CHARS) -> str | None:
    """Why ``text`` is not analysed (one sentence), or None when it is not too long."""
    if len(text) <= limit:
        return None
    return (
        f"The text is {len(text):,} characters long, over the {limit:,} that analysis takes "
        "for one article, so it is stored but not analysed."
    )


def pieces(text: str, size: int = PIECE_CHARS) -> list[str]:
    """``text`` cut into pieces of at most ``size`` characters at the best break in reach;
    the pieces joined are ``text``."""
    found, start = [], 0
    while len(text) - start > size:
        end = start + size
        for mark in _BREAKS:
            at = text.rfind(mark, start + size // 2, end)
            if at != -1:
                end = at + len(mark)
                break
        found.append(text[start:end])
        start = end
    found.append(text[start:])
    return found


def parse_bounded(nlp: Language, text: str, size: int = PIECE_CHARS) -> Doc:
    """``nlp(text)``, parsed in pieces of at most ``size`` characters when it is longer."""
    if len(text) <= size:
        return nlp(text)
    docs = list(nlp.pipe(pieces(text, size), batch_size=1))
    joined = Doc.from_docs(docs, ensure_whitespace=False)
    if joined.text != text:  # never expected: the pieces are exact slices
        raise ValueError("parsing in pieces changed the text")
    return joined


# spaCy batch size for whole articles. Smaller batches keep the tok2vec and NER matrices in
# cache: on the 398 FA-KES dev articles, 69 ms per article at 16 against 80 at 64 and 73 at
# 8 (2026-12-05, this 2-core machine), with every token's tag, parse, lemma and entity
# identical at both sizes. Speed only: nothing the pipeline decides depends on it.
PARSE_BATCH = 16


def pipe_bounded(
    nlp: Language, texts: Sequence[str], batch_size: int = PARSE_BATCH, size: int = PIECE_CHARS
) -> Iterable[Doc]:
    """Docs of ``texts`` in order: short ones parsed as one batch, long ones in pieces."""
    short = iter(nlp.pipe((t for t in texts if len(t) <= size), batch_size=batch_size))
    for text in texts:
        yield next(short) if len(text) <= size else parse_bounded(nlp, text, size)
