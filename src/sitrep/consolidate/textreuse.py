"""Dedup and reuse in one streamed pass over a corpus, and the run that stores them.

Each article is read once and its words hashed once: the body's words feed the
near-duplicate index, the whole text's words the reuse fingerprints. Then the candidate
pairs of reuse that are not near duplicates are aligned, fetching their texts again in
small batches. Nothing holds the corpus: per article the indexes keep a MinHash signature,
the body's shingle hashes and a few fingerprints (in a DuckDB scratch table).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from sitrep.consolidate import state
from sitrep.consolidate.dedup import NearDuplicateIndex
from sitrep.consolidate.reuse import ReuseIndex
from sitrep.consolidate.shingles import batch_word_hashes
from sitrep.ledger.reuse import write_duplicates, write_reuse
from sitrep.ledger.store import Ledger
from sitrep.model import DuplicateGroup, ReusePassage

__all__ = ["TextLike", "TextReuseResult", "dedup_and_reuse", "run_dedup_and_reuse"]

Fetch = Callable[[Sequence[str]], Iterable[tuple[str, str]]]
# Articles read and hashed together.
BATCH = 512


class TextLike(Protocol):
    """What dedup and reuse read of an article (``sitrep.model.Article`` is one)."""

    @property
    def id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def body_start(self) -> int: ...
    @property
    def title(self) -> str | None: ...
    @property
    def outlet(self) -> str | None: ...


@dataclass(frozen=True)
class _Row:
    id: str
    text: str
    body_start: int
    title: str | None
    outlet: str | None


@dataclass
class TextReuseResult:
    """What one run found, with its costs."""

    articles: int = 0
    groups: list[DuplicateGroup] = field(default_factory=list)
    passages: list[ReusePassage] = field(default_factory=list)
    candidate_pairs: int = 0  # pairs aligned by reuse (internal repeats included)
    dedup_candidates: int = 0  # pairs from the LSH bands
    dedup_checks: int = 0  # of those, pairs whose exact body similarity was computed
    seconds: dict[str, float] = field(default_factory=dict)  # phase -> wall time

    @property
    def duplicate_articles(self) -> int:
        return sum(len(g.members) for g in self.groups)

    @property
    def intra_passages(self) -> int:
        return sum(1 for p in self.passages if p.intra)


def dedup_and_reuse(articles: Iterable[TextLike], fetch: Fetch) -> TextReuseResult:
    """Near-duplicate groups and reused passages of ``articles`` (earlier first).

    ``fetch(ids)`` yields ``(id, text)`` again for the articles of candidate pairs; for a
    corpus in memory: ``lambda ids: ((i, texts[i]) for i in ids)``.
    """
    result = TextReuseResult()
    dedup = NearDuplicateIndex()
    with ReuseIndex() as reuse:
        start = time.perf_counter()
        batch: list[TextLike] = []
        for article in articles:
            batch.append(article)
            if len(batch) == BATCH:
                _sketch(batch, result.articles, dedup, reuse)
                result.articles += len(batch)
                batch = []
        _sketch(batch, result.articles, dedup, reuse)
        result.articles += len(batch)
        reuse.flush()
        result.groups = dedup.groups()
        result.dedup_candidates = dedup.candidates
        result.dedup_checks = dedup.pairs_checked
        result.seconds["sketch_and_dedup"] = time.perf_counter() - start

        start = time.perf_counter()
        group_of = {m.article_id: g.group_id for g in result.groups for m in g.members}

        def near_duplicates(a: str, b: str) -> bool:
            group = group_of.get(a)
            return group is not None and group == group_of.get(b)

        result.passages = list(reuse.passages(fetch, near_duplicates))
        result.candidate_pairs = reuse.candidate_pairs
        result.seconds["reuse"] = time.perf_counter() - start
    return result


def _sketch(
    batch: Sequence[TextLike], first: int, dedup: NearDuplicateIndex, reuse: ReuseIndex
) -> None:
    """Hash the words of a batch once (headline part and body apart) and feed both indexes."""
    heads = [a.text[: a.body_start] for a in batch]
    hashed = batch_word_hashes(heads + [a.text[a.body_start :] for a in batch])
    for row, article in enumerate(batch):
        head, body = hashed[row], hashed[len(batch) + row]
        dedup.add_words(article.id, first + row, body, article.title or heads[row])
        reuse.add_words(article.id, np.concatenate((head, body)), article.outlet)


def _ledger_fetch(ledger: Ledger) -> Fetch:
    def fetch(ids: Sequence[str]) -> Iterable[tuple[str, str]]:
        rows = ledger.conn.execute(
            "SELECT id, text FROM articles WHERE id IN (SELECT unnest(?))", [list(ids)]
        ).fetchall()
        return [(str(r[0]), str(r[1])) for r in rows]

    return fetch


def run_dedup_and_reuse(ledger: Ledger, digest: str | None = None) -> TextReuseResult:
    """Find near duplicates and reused passages over the whole ledger and store them,
    replacing the results of any earlier run (so running it twice changes nothing);
    ``digest``: the inputs' fingerprint (``state.fingerprint``), stored with the result."""
    rows = (
        _Row(r["id"], r["text"], r["body_start"], r["title"], r["outlet"])
        for r in ledger.iter_rows(
            "SELECT id, text, body_start, title, outlet FROM articles ORDER BY seq"
        )
    )
    result = dedup_and_reuse(rows, _ledger_fetch(ledger))
    start = time.perf_counter()
    with ledger.transaction():
        write_duplicates(ledger, result.groups)
        write_reuse(ledger, result.passages)
        if digest is not None:
            state.record(ledger, state.REUSE, digest)
    result.seconds["store"] = time.perf_counter() - start
    return result
