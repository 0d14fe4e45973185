"""Words and word shingles as 64-bit hashes: the common ground of dedup and reuse.

A *word* is a run of letters and digits (the characters for which ``str.isalnum()`` holds,
what the regular expression ``[^\\W_]+`` matches) after Unicode compatibility normalisation
(NFKC) and case folding, so "U.S." is two words, "ISIS" and "[ISIS]" are the same word, and
typographic variants (ligatures, full-width letters, curly apostrophes) do not matter.

Hashing is vectorised with numpy over many texts at once, with no Python loop per word: a
text becomes an array of code points, word boundaries are where the letter-or-digit mask
changes, and each word's hash is a polynomial in its code points, computed for all words
from one prefix sum (``sum c[k]·B^(e-1-k) = B^(e-1)·(P[e] - P[s])`` with ``P`` the prefix
sums of ``c[k]·B^-k``, all modulo 2^64) and then mixed. Hashes are stable across processes
and runs. Measured on this machine: the 36.6 million words of the 100,000-article synthetic
corpus in 4.0 s, against 12.7 s for ``re.findall`` plus a dictionary of word hashes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import numpy as np
import numpy.typing as npt

__all__ = [
    "FMIX32",
    "U64",
    "BatchBuffer",
    "batch_shingles",
    "batch_word_hashes",
    "finalise",
    "mix64",
    "normalise",
    "shingle_hashes",
    "word_hashes",
    "word_spans",
    "words",
]

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
T = TypeVar("T")

# Base of the polynomial over code points, and its inverse modulo 2^64 (any odd base has one).
_BASE = 0x100000001B3  # the 64-bit FNV prime
_BASE_INVERSE = pow(_BASE, -1, 1 << 64)
# Multiplier of the polynomial that combines word hashes into a shingle hash (an odd 64-bit
# constant, the golden ratio's; any odd constant works because the result is mixed again).
_POLY = np.uint64(0x9E3779B97F4A7C15)
_ASCII_WORD = np.array([chr(c).isalnum() for c in range(128)], dtype=bool)
_SEPARATOR = "\n"  # not a word character: texts joined with it keep their words apart
# Texts are hashed joined together up to this many characters (a few hundred articles);
# the power tables for that length (16 MB) are kept between calls.
JOINED_CHARS = 1 << 20
_WORD = re.compile(r"[^\W_]+")


class _Powers:
    """B^k and B^-k modulo 2^64 for k < n, kept for texts up to JOINED_CHARS long."""

    def __init__(self) -> None:
        self.up, self.down = self._tables(1)

    @staticmethod
    def _tables(size: int) -> tuple[U64, U64]:
        up, down = np.ones(size, np.uint64), np.ones(size, np.uint64)
        with np.errstate(over="ignore"):  # products wrap modulo 2^64, as intended
            np.cumprod(np.full(size - 1, _BASE, dtype=np.uint64), out=up[1:])
            np.cumprod(np.full(size - 1, _BASE_INVERSE, dtype=np.uint64), out=down[1:])
        return up, down

    def get(self, n: int) -> tuple[U64, U64]:
        if len(self.up) >= n:
            return self.up, self.down
        if n > JOINED_CHARS:  # a huge text: tables for it alone, not kept
            return self._tables(n)
        self.up, self.down = self._tables(JOINED_CHARS)
        return self.up, self.down


_POWERS = _Powers()


def normalise(text: str) -> str:
    """NFKC and case folding (ASCII text only needs lowering, which is much faster)."""
    return text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).casefold()


def words(text: str) -> list[str]:
    """The normalised words of a text, as strings (the words the hashes below are of)."""
    return _WORD.findall(normalise(text))


# Xorshift-multiply finalisers (shift, multiplier, shift, multiplier, shift).
SPLITMIX64 = (30, 0xBF58476D1CE4E5B9, 27, 0x94D049BB133111EB, 31)
FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)  # MurmurHash3's 32-bit finaliser


def finalise(
    values: npt.NDArray[Any], constants: tuple[int, int, int, int, int]
) -> npt.NDArray[Any]:
    """A xorshift-multiply finaliser applied in the array's own width (products wrap)."""
    kind = values.dtype.type
    s1, m1, s2, m2, s3 = (kind(c) for c in constants)
    values = values ^ (values >> s1)
    values *= m1
    values ^= values >> s2
    values *= m2
    values ^= values >> s3
    return values


def mix64(values: U64) -> U64:
    """splitmix64's finaliser: spreads a (linear) polynomial hash over all 64 bits."""
    return finalise(values, SPLITMIX64)


class BatchBuffer(Generic[T]):
    """Collects items and hands them to ``process`` ``size`` at a time (numpy works best on
    many articles at once)."""

    def __init__(self, size: int, process: Callable[[list[T]], None]) -> None:
        self.size, self.process = size, process
        self.items: list[T] = []

    def add(self, item: T) -> None:
        self.items.append(item)
        if len(self.items) >= self.size:
            self.flush()

    def flush(self) -> None:
        items, self.items = self.items, []
        if items:
            self.process(items)


def _words(text: str) -> tuple[U64, I64, I64]:
    """Hashes, starts and ends (code point offsets) of the words of ``text`` as it is."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if not len(codes):
        empty = np.zeros(0, dtype=np.int64)
        return np.zeros(0, dtype=np.uint64), empty, empty
    mask = _ASCII_WORD[np.minimum(codes, 127)]
    wide = codes > 127
    if wide.any():
        others = np.unique(codes[wide])
        alnum = others[[chr(c).isalnum() for c in others.tolist()]]
        mask[wide] = np.isin(codes[wide], alnum)
    edges = np.diff(mask.view(np.int8), prepend=0, append=0)
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    up, down = _POWERS.get(len(codes) + 1)
    with np.errstate(over="ignore"):
        prefix = np.zeros(len(codes) + 1, dtype=np.uint64)
        np.cumsum(codes.astype(np.uint64) * down[: len(codes)], out=prefix[1:])
        hashes = (prefix[ends] - prefix[starts]) * up[ends - 1]
    return mix64(hashes + (ends - starts).astype(np.uint64)), starts, ends


def batch_word_hashes(texts: Sequence[str]) -> list[U64]:
    """One array of word hashes per text (numpy works on the texts joined together, up to
    JOINED_CHARS characters at a time)."""
    normalised = [normalise(t) for t in texts]
    found: list[U64] = []
    start = 0
    while start < len(normalised):
        end, size = start + 1, len(normalised[start])
        while end < len(normalised) and size + len(normalised[end]) < JOINED_CHARS:
            size += len(normalised[end]) + 1
            end += 1
        group = normalised[start:end]
        hashes, starts, _ = _words(_SEPARATOR.join(group))
        bounds = np.cumsum(np.fromiter(map(len, group), np.int64, len(group)) + 1)
        found += np.split(hashes, np.searchsorted(starts, bounds[:-1]))
        start = end
    return found


def word_hashes(text: str) -> U64:
    """One stable 64-bit hash per word of ``text``."""
    return _words(normalise(text))[0]


def word_spans(text: str) -> tuple[U64, I64]:
    """Word hashes with the character span of each word in ``text`` (shape ``(n, 2)``).

    Words are found in the original text and normalised one by one, so the offsets refer to
    ``text`` itself; a word whose normalised form splits in two (rare compatibility
    characters) gives two words with the same span. Apart from that the words are those of
    :func:`word_hashes`.
    """
    if text.isascii():
        hashes, starts, ends = _words(text.lower())
        return hashes, np.stack([starts, ends], axis=1)
    _, starts, ends = _words(text)
    # Normalising the words joined by a separator is normalising each word (NFKC never
    # composes across a newline, nor produces one); the separators tell which word each
    # normalised part comes from.
    joined = normalise(
        _SEPARATOR.join(text[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True))
    )
    hashes, part_starts, _ = _words(joined)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    separators = np.flatnonzero(codes == ord(_SEPARATOR))
    owner = np.searchsorted(separators, part_starts)
    return hashes, np.stack([starts[owner], ends[owner]], axis=1)


def shingle_hashes(hashes: U64, size: int) -> U64:
    """Hashes of the ``size``-word shingles of one word sequence (empty when it is shorter)."""
    count = len(hashes) - size + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    combined = hashes[:count].copy()
    for offset in range(1, size):
        combined *= _POLY
        combined += hashes[offset : offset + count]
    return mix64(combined)


def batch_shingles(sequences: Sequence[U64], size: int) -> tuple[U64, I64]:
    """Shingle hashes of many word sequences at once (numpy works on their concatenation).

    Returns the shingle hashes in sequence order and the sequence each belongs to.
    Shingles that would straddle two sequences are left out.
    """
    lengths = np.fromiter((len(s) for s in sequences), np.int64, len(sequences))
    if not len(sequences) or lengths.sum() < size:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    owner = np.repeat(np.arange(len(sequences), dtype=np.int64), lengths)
    hashes = shingle_hashes(np.concatenate(sequences), size)
    valid = owner[: len(hashes)] == owner[size - 1 :]
    return hashes[valid], owner[: len(hashes)][valid]
