"""Dedup and reuse in one streamed pass over a corpus, and the run that stores them.

Each article is read once and its words hashed once: the body's words feed the
near-duplicate index, the whole text's words the reuse fingerprints. Then the candidate
pairs of reuse that are not near duplicates are aligned, fetching their texts again in
small batches. Nothing holds the corpus: per article the indexes keep a MinHash signature,
the body's shingle hashes and a few fingerprints (in a DuckDB scratch table).

Over a ledger, a whole run keeps these sketches beside its result (``ledger.sketches``), so
that articles added later are compared with them alone (``incremental_reuse``).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from sitrep.consolidate import state
from sitrep.consolidate.dedup import (
    LSH_THRESHOLD,
    NUM_PERM,
    NearDuplicateIndex,
    band_keys,
    lsh_params,
)
from sitrep.consolidate.incremental_reuse import Fetch, new_groups, new_passages
from sitrep.consolidate.reuse import ReuseIndex, outlet_key, posting_cap, seed_postings
from sitrep.consolidate.shingles import U64, batch_word_hashes
from sitrep.ledger.consolidated import UNNEST, joined
from sitrep.ledger.reuse import replace_reuse, write_duplicates, write_reuse
from sitrep.ledger.sketches import (
    Sketch,
    clear_sketches,
    stored_inputs,
    write_bands,
    write_postings,
    write_reuse_inputs,
    write_sketches,
)
from sitrep.ledger.store import Ledger
from sitrep.model import DuplicateGroup, ReusePassage

__all__ = ["TextLike", "TextReuseResult", "dedup_and_reuse", "run_dedup_and_reuse"]

# Articles read and hashed together.
BATCH = 512
# New articles are compared with the stored sketches while they are at most this share of
# the stored ones (or a batch): the comparison holds in memory the texts of the pairs it
# aligns (a whole run streams them), and when the corpus doubles a whole run costs about as
# much (its cost is linear in the corpus; the comparison's in the new articles and their
# neighbours).
MOST_ADDED = 1.0


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
    seq: int = 0  # the ledger's ingestion order


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
    with ReuseIndex() as reuse:
        return _dedup_and_reuse(articles, fetch, NearDuplicateIndex(), reuse)


def _dedup_and_reuse(
    articles: Iterable[TextLike], fetch: Fetch, dedup: NearDuplicateIndex, reuse: ReuseIndex
) -> TextReuseResult:
    result = TextReuseResult()
    start = time.perf_counter()
    batch: list[TextLike] = []
    for article in articles:
        batch.append(article)
        if len(batch) == BATCH:
            _sketch(batch, [result.articles + n for n in range(len(batch))], dedup, reuse)
            result.articles += len(batch)
            batch = []
    _sketch(batch, [result.articles + n for n in range(len(batch))], dedup, reuse)
    result.articles += len(batch)
    reuse.flush()
    result.groups = dedup.groups()
    result.dedup_candidates = dedup.candidates
    result.dedup_checks = dedup.pairs_checked
    result.seconds["sketch_and_dedup"] = time.perf_counter() - start

    start = time.perf_counter()
    group_of = _group_of(result.groups)

    def near_duplicates(a: str, b: str) -> bool:
        group = group_of.get(a)
        return group is not None and group == group_of.get(b)

    result.passages = list(reuse.passages(fetch, near_duplicates))
    result.candidate_pairs = reuse.candidate_pairs
    result.seconds["reuse"] = time.perf_counter() - start
    return result


def _group_of(groups: Iterable[DuplicateGroup]) -> dict[str, int]:
    return {m.article_id: g.group_id for g in groups for m in g.members}


def _hashed(batch: Sequence[TextLike]) -> list[tuple[U64, U64]]:
    """The words of each article's headline part and body, hashed (once for both steps)."""
    heads = [a.text[: a.body_start] for a in batch]
    hashed = batch_word_hashes(heads + [a.text[a.body_start :] for a in batch])
    return [(hashed[row], hashed[len(batch) + row]) for row in range(len(batch))]


def _sketch(
    batch: Sequence[TextLike], orders: Sequence[int], dedup: NearDuplicateIndex, reuse: ReuseIndex
) -> None:
    """Hash the words of a batch once (headline part and body apart) and feed both indexes."""
    for article, order, (head, body) in zip(batch, orders, _hashed(batch), strict=True):
        dedup.add_words(article.id, order, body, _headline(article))
        reuse.add_words(article.id, np.concatenate((head, body)), article.outlet)


def _headline(article: TextLike) -> str:
    return article.title or article.text[: article.body_start]


def _ledger_fetch(ledger: Ledger) -> Fetch:
    def fetch(ids: Sequence[str]) -> Iterable[tuple[str, str]]:
        rows = ledger.conn.execute(
            f"SELECT id, text FROM articles WHERE id IN (SELECT {UNNEST})", [joined(ids)]
        ).fetchall()
        return [(str(r[0]), str(r[1])) for r in rows]

    return fetch


_ROWS = "SELECT id, seq, text, body_start, title, outlet FROM articles {where} ORDER BY seq"


def _rows(ledger: Ledger, where: str = "", params: Sequence[object] = ()) -> Iterator[_Row]:
    for r in ledger.iter_rows(_ROWS.format(where=where), params):
        yield _Row(r["id"], r["text"], r["body_start"], r["title"], r["outlet"], r["seq"])


def run_dedup_and_reuse(
    ledger: Ledger, digest: str | None = None, *, whole: bool = False
) -> TextReuseResult:
    """Find near duplicates and reused passages over the whole ledger and store them,
    replacing the results of any earlier run (so running it twice changes nothing);
    ``digest``: the inputs' fingerprint (``state.fingerprint``), stored with the result.
    When the only change since the last run is new articles, they are compared with the
    stored sketches (``incremental_reuse``; the result is the same), unless ``whole``."""
    base = state.fingerprint(ledger, state.REUSE_BASE)
    if not whole:
        added = _join_new_articles(ledger, base, digest)
        if added is not None:
            return added
    seqs: list[int] = []

    def rows() -> Iterator[_Row]:
        for row in _rows(ledger):
            seqs.append(row.seq)
            yield row

    with ReuseIndex() as reuse:
        dedup = NearDuplicateIndex()
        result = _dedup_and_reuse(rows(), _ledger_fetch(ledger), dedup, reuse)
        start = time.perf_counter()
        with ledger.transaction():
            write_duplicates(ledger, result.groups)
            write_reuse(ledger, result.passages)
            _store_sketches(ledger, np.asarray(seqs, dtype=np.int64), dedup, reuse)
            state.record(ledger, state.REUSE_BASE, base)
            if digest is not None:
                state.record(ledger, state.REUSE, digest)
    result.seconds["store"] = time.perf_counter() - start
    return result


def _store_sketches(
    ledger: Ledger, seqs: npt.NDArray[np.int64], dedup: NearDuplicateIndex, reuse: ReuseIndex
) -> None:
    """Replace the stored sketches with those of a whole run (``seqs``: each article's)."""
    conn = ledger.conn
    clear_sketches(conn)
    write_reuse_inputs(conn, seqs, reuse.outlets, reuse.repeating)
    sketched = seqs[np.asarray(dedup.orders, dtype=np.int64)]
    signatures = dedup.signatures
    sketches = [
        Sketch(dedup.ids[n], int(seq), signatures[n], dedup.bodies[n], dedup.headlines[n])
        for n, seq in enumerate(sketched.tolist())
    ]
    write_sketches(conn, sketches)
    write_bands(conn, sketched, band_keys(signatures, *lsh_params(LSH_THRESHOLD, NUM_PERM)))
    with tempfile.TemporaryDirectory(prefix="sitrep-postings-") as folder:
        parquet = Path(folder) / "postings.parquet"
        reuse.export_postings(parquet)
        write_postings(conn, parquet=parquet, doc_seqs=seqs)


def _join_new_articles(ledger: Ledger, base: str, digest: str | None) -> TextReuseResult | None:
    """Compare the articles added since the last run with the stored sketches and store the
    result; None when the step must be redone whole (something else changed, an article was
    placed among the stored ones, or the posting cap moved with the corpus size)."""
    if not state.is_current(ledger, state.REUSE_BASE, base):
        return None
    inputs = stored_inputs(ledger.conn)
    if inputs.new is None or any(seq <= inputs.last_seq for _, seq in inputs.new):
        return None
    if len(inputs.new) > max(inputs.count * MOST_ADDED, BATCH):
        return None  # the addition holds the texts it aligns; a whole run streams them
    cap = posting_cap(inputs.count + len(inputs.new))
    if posting_cap(inputs.count) != cap:
        return None
    result = TextReuseResult(articles=len(inputs.new))
    start = time.perf_counter()
    with ledger.transaction():
        dedup = _store_new_postings(ledger, list(_rows(ledger, "WHERE seq > ?", [inputs.last_seq])))
        grouped = new_groups(ledger, dedup)
        write_sketches(ledger.conn, grouped.sketches)
        seqs = np.asarray([s.seq for s in grouped.sketches], dtype=np.int64)
        write_bands(ledger.conn, seqs, grouped.bands)
        result.groups = grouped.groups
        result.dedup_candidates, result.dedup_checks = grouped.candidates, grouped.checked
        result.seconds["sketch_and_dedup"] = time.perf_counter() - start
        start = time.perf_counter()
        group_of = _group_of(grouped.groups)
        found = new_passages(ledger, inputs.last_seq, cap, group_of, _ledger_fetch(ledger))
        result.passages, result.candidate_pairs = found.passages, found.aligned
        result.seconds["reuse"] = time.perf_counter() - start
        start = time.perf_counter()
        write_duplicates(ledger, grouped.groups)
        new = {article for article, _ in inputs.new}
        regrouped = [g.article_ids for g in grouped.groups if new & set(g.article_ids)]
        replace_reuse(ledger, found.replaced, found.passages, regrouped)
        state.record(ledger, state.REUSE_BASE, base)
        if digest is not None:
            state.record(ledger, state.REUSE, digest)
    result.seconds["store"] = time.perf_counter() - start
    return result


def _store_new_postings(ledger: Ledger, rows: Sequence[_Row]) -> NearDuplicateIndex:
    """Write the new articles' inputs and postings; their near-duplicate index (ordered by
    seq) is returned for ``new_groups``."""
    dedup = NearDuplicateIndex()
    words: list[U64] = []
    for row, (head, body) in zip(rows, _hashed(rows), strict=True):
        dedup.add_words(row.id, row.seq, body, _headline(row))
        words.append(np.concatenate((head, body)))
    hashes, owner, repeating = seed_postings(words)
    flags = np.zeros(len(rows), dtype=bool)
    flags[repeating] = True
    seqs = np.asarray([r.seq for r in rows], dtype=np.int64)
    write_reuse_inputs(ledger.conn, seqs, [outlet_key(r.outlet) for r in rows], flags)
    write_postings(ledger.conn, hashes, seqs[owner])
    return dedup
