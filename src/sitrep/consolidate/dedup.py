"""Near-duplicate articles: MinHash signatures banded for LSH, verified on exact shingle sets.

Two articles are near duplicates when the Jaccard similarity of their bodies' word shingles
(``SHINGLE_WORDS`` words, see :mod:`sitrep.consolidate.shingles`) is at least
``BODY_THRESHOLD``. Headlines are compared too (reposts rewrite them) but only reported:
they never decide. Near-duplicate pairs are joined into groups (union-find); the
representative of a group is its earliest article by the caller's ordering key (the
ledger's ingestion order), and each member carries its similarity to the representative
(which can be below the threshold for a member joined through another one).

The cost is near-linear. Each body is sketched once: a datasketch ``affine32`` MinHash,
computed for a batch of bodies at once with numpy (the values are datasketch's, bit for
bit; a test checks it). The signatures are cut into the LSH bands datasketch's
``MinHashLSH`` chooses for ``LSH_THRESHOLD``; articles that agree on a whole band are
candidates. The banding itself is done by sorting band keys with numpy rather than by
``MinHashLSH.insert``/``query``: measured on this machine, MinHashLSH's dictionaries took
~250 MB and ~7 s per 20,000 articles (42 bands), ~1.3 GB and ~35 s at 100,000, while the
sort takes about a second and no memory beyond the signatures; the candidate pairs are the
same (a test compares them with MinHashLSH's). The signatures then estimate each
candidate's similarity, and the exact shingle sets settle the candidates that come close.

No text is kept: per article the index holds its signature (512 bytes) and the 32-bit
hashes of its distinct body shingles (~1.5 KB for a 400-word body).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from sitrep.consolidate.shingles import (
    FMIX32,
    U64,
    BatchBuffer,
    batch_shingles,
    batch_word_hashes,
    finalise,
    mix64,
    word_hashes,
)
from sitrep.disjoint import DisjointSets
from sitrep.model import DuplicateGroup, DuplicateMember

# datasketch (and the scipy it loads, half a second) is imported where an index is built, so
# that the record types below are cheap to import (the ledger and the faces use them).

__all__ = [
    "BODY_THRESHOLD",
    "DedupItem",
    "DuplicateGroup",
    "DuplicateMember",
    "NearDuplicateIndex",
    "band_candidates",
    "band_keys",
    "bucket_pairs",
    "find_near_duplicates",
    "lsh_params",
    "make_group",
    "near_pairs",
]

U32 = npt.NDArray[np.uint32]

# Shingles of three words: one changed word touches three shingles, so a light edit keeps a
# high similarity, while different texts on one story share few three-word sequences.
# Calibrated on FA-KES dev (391 distinct real articles, all 76,000 pairs compared exactly):
# with three-word shingles the reposts and light rewrites of one wire story score 0.56 to
# 0.98 and the next pair (two write-ups of one incident) 0.35; with five-word shingles the
# rewrites fall to 0.47 and the gap narrows (0.47 / 0.32).
SHINGLE_WORDS = 3
# A pair is a near duplicate at this body Jaccard similarity or more: in the gap above, and
# below the synthetic corpus's lightest near copy (~0.60: six changed words and a 30-word
# footer on a 150-word body).
BODY_THRESHOLD = 0.5
# Bodies shorter than this are not grouped: a caption or a one-line brief has a handful of
# shingles, so one shared phrase makes it "similar" to any text on the same topic, and its
# exact copies are already caught at ingest by the content hash.
MIN_BODY_WORDS = 30
# MinHash permutations, and the threshold the LSH bands are tuned for (missed pairs weighed
# 9:1 against extra candidates): datasketch picks 42 bands of 3 rows, so a pair is a
# candidate with probability 0.996 at similarity 0.5, 0.9999 at 0.6, 0.04 at 0.1. Tuning
# for 0.5 itself (32 bands of 4) would miss one pair in eight at the threshold.
NUM_PERM = 128
LSH_THRESHOLD = 0.4
# Candidates whose estimated similarity falls this far below BODY_THRESHOLD are dropped
# without an exact check: four standard deviations of the estimate (0.044 at 0.5 with 128
# permutations).
ESTIMATE_MARGIN = 0.18
# Fixed seed of the permutations, so that signatures are the same in every run.
SEED = 1
# Bodies sketched together (numpy works on their concatenation).
BATCH = 512
# Shingle values permuted at a time (the permuted matrix is NUM_PERM × this, 16 MB).
PERMUTED_VALUES = 32768
# An LSH bucket pairs every two of its first this many members (in corpus order), and each
# later member with its first only (hundreds of copies of one text): the candidates stay
# linear in the bucket's size, and a member that arrives later adds pairs without taking any
# away, so new articles can be compared with the stored buckets alone (``incremental``).
BUCKET_ALL_PAIRS = 16


@dataclass(frozen=True)
class DedupItem:
    """One article to compare: its id, an ordering key (earliest first), body and headline."""

    article_id: str
    order: int
    body: str
    headline: str = ""


class _Permutations:
    """The permutations of datasketch's ``affine32`` MinHash, applied to many sets at once."""

    def __init__(self, num_perm: int, seed: int) -> None:
        from datasketch import MinHash  # type: ignore[import-untyped]

        template = MinHash(num_perm=num_perm, seed=seed, scheme="affine32")
        a, b = template.permutations
        self.a = np.asarray(a, dtype=np.uint32)[:, None]
        self.b = np.asarray(b, dtype=np.uint32)[:, None]
        self.num_perm, self.seed = num_perm, seed

    def signatures(self, values: U32, owner: npt.NDArray[np.int64], sets: int) -> U32:
        """One signature (a row) per set; ``owner`` (sorted) says which set each value is in.
        Every set must have at least one value. Works through PERMUTED_VALUES values at a
        time, so that the (num_perm × values) matrix stays small."""
        starts = np.searchsorted(owner, np.arange(sets + 1))
        mixed = finalise(values, FMIX32)  # datasketch's affine32 pre-mix
        signatures = np.empty((sets, self.num_perm), dtype=np.uint32)
        first = 0
        while first < sets:
            last = max(first + 1, int(np.searchsorted(starts, starts[first] + PERMUTED_VALUES)) - 1)
            last = min(last, sets)
            chunk = mixed[starts[first] : starts[last]]
            permuted = self.a * chunk[None, :]  # (num_perm, n) in uint32: wraps modulo 2^32
            permuted += self.b
            bounds = starts[first:last] - starts[first]
            signatures[first:last] = np.minimum.reduceat(permuted, bounds, axis=1).T
            first = last
        return signatures

    def lean(self, signature: U32) -> Any:
        from datasketch import LeanMinHash

        return LeanMinHash(seed=self.seed, hashvalues=signature, scheme="affine32")


@cache
def lsh_params(threshold: float = LSH_THRESHOLD, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """The (bands, rows) datasketch's ``MinHashLSH`` chooses for ``threshold``, weighing
    missed pairs 9:1 against extra candidates (candidates are checked anyway; a missed
    candidate is a missed duplicate). Cached: datasketch integrates the error curves for
    every choice (50 ms), which was a fifth of adding a few articles."""
    from datasketch import MinHashLSH

    probe = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=(0.1, 0.9))
    return int(probe.b), int(probe.r)


def band_keys(signatures: U32, bands: int, rows: int) -> U64:
    """One key per band and signature (shape ``(n, bands)``): two signatures agree on a band
    when they have the same key there (the band number is in the key, so keys of different
    bands never meet)."""
    keys = np.empty((len(signatures), bands), dtype=np.uint64)
    for band in range(bands):
        block = signatures[:, band * rows : (band + 1) * rows].astype(np.uint64)
        key = np.full(len(signatures), band, dtype=np.uint64)
        for column in range(rows):
            key = mix64(key * np.uint64(0x100000001B3) + block[:, column])
        keys[:, band] = key
    return keys


def bucket_pairs(size: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The candidate pairs (ranks i < j) of a bucket of ``size`` members in corpus order:
    every two of the first BUCKET_ALL_PAIRS, and each later member with the first."""
    head = min(size, BUCKET_ALL_PAIRS)
    i, j = np.triu_indices(head, 1)
    rest = np.arange(head, size, dtype=np.int64)
    return (
        np.concatenate((i.astype(np.int64), np.zeros(len(rest), dtype=np.int64))),
        np.concatenate((j.astype(np.int64), rest)),
    )


def band_candidates(signatures: U32, bands: int, rows: int) -> npt.NDArray[np.int64]:
    """Pairs (i < j, shape ``(n, 2)``) of signatures equal on all ``rows`` values of at
    least one band: the candidates ``MinHashLSH`` with these bands returns (in a bucket of
    more than BUCKET_ALL_PAIRS, see there), found by sorting band keys instead of a
    dictionary per band (see the module docstring)."""
    count = len(signatures)
    found = [np.zeros(0, dtype=np.uint64)]
    for key in band_keys(signatures, bands, rows).T:
        order = np.argsort(key, kind="stable")  # earlier articles first inside a bucket
        ordered = key[order]
        starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
        sizes = np.diff(np.append(starts, count))
        for size in np.unique(sizes[sizes > 1]).tolist():
            first = starts[sizes == size]
            i, j = bucket_pairs(size)
            members = order[first[:, None] + np.arange(size)]
            a, b = members[:, i].ravel(), members[:, j].ravel()
            found.append((a.astype(np.uint64) << np.uint64(32)) | b.astype(np.uint64))
    keys = np.unique(np.concatenate(found))
    return np.stack([keys >> np.uint64(32), keys & np.uint64(0xFFFFFFFF)], axis=1).astype(np.int64)


def _distinct(values: U32, owner: npt.NDArray[np.int64], sets: int) -> list[U32]:
    """The sorted distinct values of each set (one sort for the whole batch)."""
    keys = np.sort((owner.astype(np.uint64) << np.uint64(32)) | values)
    keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    v, o = (keys & np.uint64(0xFFFFFFFF)).astype(np.uint32), keys >> np.uint64(32)
    return np.split(v, np.searchsorted(o, np.arange(1, sets, dtype=np.uint64)))


def jaccard(a: npt.NDArray[np.generic], b: npt.NDArray[np.generic]) -> float:
    """Exact Jaccard similarity of two sorted arrays of distinct values (0 for two empty
    ones: two missing headlines are not alike)."""
    if not len(a) and not len(b):
        return 0.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)


class NearDuplicateIndex:
    """Streams articles in, then tells the groups of near duplicates.

    ``add`` articles (each with its ordering key); ``groups()`` when done.
    """

    def __init__(
        self,
        threshold: float = BODY_THRESHOLD,
        *,
        num_perm: int = NUM_PERM,
        min_body_words: int = MIN_BODY_WORDS,
    ) -> None:
        self.threshold = threshold
        self.min_body_words = min_body_words
        self._perms = _Permutations(num_perm, SEED)
        self._pending = BatchBuffer[tuple[str, int, U64, str]](BATCH, self._sketch)
        self.ids: list[str] = []
        self.orders: list[int] = []
        self._bodies: list[U32] = []  # sorted distinct 32-bit shingle hashes
        self._headlines: list[U64] = []  # sorted distinct word hashes
        self._signatures: list[U32] = []  # one (articles, num_perm) block per batch
        self.candidates = 0
        self.pairs_checked = 0
        self.skipped_short = 0

    def add(self, item: DedupItem) -> None:
        self.add_words(item.article_id, item.order, word_hashes(item.body), item.headline)

    def add_words(self, article_id: str, order: int, body: U64, headline: str) -> None:
        """Add an article whose body words are already hashed (see ``shingles.word_hashes``)."""
        if len(body) < self.min_body_words:
            self.skipped_short += 1
            return
        self._pending.add((article_id, order, body, headline))

    def flush(self) -> None:
        """Sketch the pending bodies."""
        self._pending.flush()

    def _sketch(self, pending: list[tuple[str, int, U64, str]]) -> None:
        hashes, owner = batch_shingles([p[2] for p in pending], SHINGLE_WORDS)
        values = (hashes >> np.uint64(32)).astype(np.uint32)
        self._signatures.append(self._perms.signatures(values, owner, len(pending)))
        bodies = _distinct(values, owner, len(pending))
        headlines = batch_word_hashes([p[3] for p in pending])
        for row, (article_id, order, _, _) in enumerate(pending):
            self.ids.append(article_id)
            self.orders.append(order)
            self._bodies.append(bodies[row])
            self._headlines.append(np.unique(headlines[row]))

    @property
    def signatures(self) -> U32:
        """Every sketched article's signature (a row each, in the order added)."""
        self.flush()
        if not self._signatures:
            return np.zeros((0, self._perms.num_perm), dtype=np.uint32)
        self._signatures = [np.concatenate(self._signatures)]
        return self._signatures[0]

    @property
    def bodies(self) -> list[U32]:
        """Each sketched article's sorted distinct body shingle hashes."""
        return self._bodies

    @property
    def headlines(self) -> list[U64]:
        """Each sketched article's sorted distinct headline word hashes."""
        return self._headlines

    def _pairs(self) -> list[tuple[int, int]]:
        """Candidate pairs from the LSH bands that are near duplicates."""
        signatures = self.signatures
        if not len(signatures):
            return []
        candidates = band_candidates(signatures, *lsh_params(LSH_THRESHOLD, signatures.shape[1]))
        self.candidates = len(candidates)
        close, self.pairs_checked = near_pairs(candidates, signatures, self._bodies, self.threshold)
        return close

    def groups(self) -> list[DuplicateGroup]:
        """The groups of near duplicates, ordered by their representatives."""
        self.flush()
        sets: DisjointSets[int] = DisjointSets()
        for a, b in self._pairs():
            sets.join(a, b)
        members = sets.groups()
        key = self._sort_key
        found = sorted((sorted(m, key=key) for m in members.values()), key=lambda m: key(m[0]))
        return [
            make_group(
                number,
                [self.ids[i] for i in indices],
                [self._bodies[i] for i in indices],
                [self._headlines[i] for i in indices],
            )
            for number, indices in enumerate(found, 1)
        ]

    def _sort_key(self, index: int) -> tuple[int, str]:
        return (self.orders[index], self.ids[index])


def near_pairs(
    candidates: npt.NDArray[np.int64],
    signatures: U32,
    bodies: Sequence[U32],
    threshold: float = BODY_THRESHOLD,
) -> tuple[list[tuple[int, int]], int]:
    """Of the candidate pairs (rows of ``signatures`` and items of ``bodies``), those whose
    estimated similarity comes close to the threshold, then those whose exact similarity
    reaches it; with the number of exact checks made."""
    estimate = np.zeros(len(candidates))
    for start in range(0, len(candidates), 65536):  # bounded temporary arrays
        part = candidates[start : start + 65536]
        agree = signatures[part[:, 0]] == signatures[part[:, 1]]
        estimate[start : start + 65536] = agree.mean(axis=1)
    close = candidates[estimate >= threshold - ESTIMATE_MARGIN]
    found = [(a, b) for a, b in close.tolist() if jaccard(bodies[a], bodies[b]) >= threshold]
    return found, len(close)


def make_group(
    number: int, ids: Sequence[str], bodies: Sequence[U32], headlines: Sequence[U64]
) -> DuplicateGroup:
    """A group of near duplicates, its representative first: each member with its
    similarities to the representative (rounded as stored)."""
    return DuplicateGroup(
        number,
        ids[0],
        tuple(
            DuplicateMember(ids[0], 1.0, 1.0)
            if n == 0
            else DuplicateMember(
                ids[n],
                round(jaccard(bodies[0], bodies[n]), 4),
                round(jaccard(headlines[0], headlines[n]), 4),
            )
            for n in range(len(ids))
        ),
    )


def find_near_duplicates(
    items: Iterable[DedupItem], threshold: float = BODY_THRESHOLD
) -> list[DuplicateGroup]:
    """Groups of near-duplicate articles among ``items`` (streamed; texts are not kept)."""
    index = NearDuplicateIndex(threshold)
    for item in items:
        index.add(item)
    return index.groups()
