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


# The ``Doc.user_data`` key of the offset where an article's body starts: the pipeline's
# ``body_break`` component starts a sentence there (``nlp.py``).
BODY_START = "body_start"


def _tokenised(nlp: Language, text: str, body_start: int) -> Doc:
    """``text`` tokenised, carrying where its body starts for the pipeline's components."""
    doc = nlp.make_doc(text)
    if 0 < body_start < len(text):
        doc.user_data[BODY_START] = body_start
    return doc


def parse_bounded(nlp: Language, text: str, size: int = PIECE_CHARS, body_start: int = 0) -> Doc:
    """``nlp(text)``, parsed in pieces of at most ``size`` characters when it is longer; a
    sentence starts at ``body_start`` (after a headline the text runs into its lead)."""
    if len(text) <= size:
        return nlp(_tokenised(nlp, text, body_start))
    cut = pieces(text, size)
    docs = list(
        nlp.pipe(
            (_tokenised(nlp, piece, body_start if n == 0 else 0) for n, piece in enumerate(cut)),
            batch_size=1,
        )
    )
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
    nlp: Language,
    texts: Sequence[str],
    body_starts: Sequence[int] | None = None,
    batch_size: int = PARSE_BATCH,
    size: int = PIECE_CHARS,
) -> Iterable[Doc]:
    """Docs of ``texts`` in order: short ones parsed as one batch, long ones in pieces; a
    sentence starts at each text's body start (``body_starts``, 0 for none)."""
    starts = list(body_starts) if body_starts is not None else [0] * len(texts)
    short = iter(
        nlp.pipe(
            (
                _tokenised(nlp, t, start)
                for t, start in zip(texts, starts, strict=True)
                if len(t) <= size
            ),
            batch_size=batch_size,
        )
    )
    for text, start in zip(texts, starts, strict=True):
        yield next(short) if len(text) <= size else parse_bounded(nlp, text, size, start)
