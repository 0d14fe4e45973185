"""Reused passages: the same run of words in two articles, or twice in one article.

Never all pairs. Two passes:

1. **Postings** (streamed, one article at a time, texts not kept). Each article's
   ``SEED_WORDS``-word shingles are hashed and written, once per article, to a DuckDB
   scratch table (which spills to disk, so memory stays flat). Grouping on the hash gives
   each shingle's document frequency: a shingle found in more articles than the cap (see
   ``POSTING_CAP``) is boilerplate (footers, stock phrases such as "it was not immediately
   possible to verify", wire credits) and is ignored from then on. A self-join on the
   other shared shingles gives the candidate pairs: articles sharing at least
   ``MIN_SHARED`` of them, which any run of ``MIN_WORDS`` identical words guarantees. An
   article in which that many shingles occur twice is a candidate for an internal repeat.
2. **Alignment** (only the candidate pairs, texts fetched again in small batches): every
   shared shingle that is not boilerplate is a seed; seeds on one diagonal form runs of
   identical words; runs close to each other in both texts are chained (a quotation
   shortened or re-worded in the middle stays one passage); each chain is extended word by
   word at both ends while matches outweigh mismatches (an X-drop extension, as in BLAST),
   which carries a passage across a changed word ("an IS advance" / "an [ISIS] advance").
   A chain with at least ``MIN_WORDS`` identical words is a reused passage.

Spans are character offsets into each article's ``text``; ``words`` is the length of the
shorter of the two spans, in words.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import numpy.typing as npt

from sitrep.consolidate.shingles import (
    U64,
    BatchBuffer,
    batch_shingles,
    shingle_hashes,
    word_hashes,
    word_spans,
)
from sitrep.model import ReusePassage

__all__ = [
    "MIN_WORDS",
    "ReuseIndex",
    "ReusePassage",
    "align",
    "align_pairs",
    "find_reuse",
    "outlet_key",
    "posting_cap",
    "seed_postings",
    "text_seeds",
]

I64 = npt.NDArray[np.int64]
# A passage as alignment finds it: a_start, a_end, b_start, b_end (characters), words,
# similarity.
Found = tuple[int, int, int, int, int, float]

# A reused passage has at least this many identical words. The seeds gold lists passages of
# 11-12 words (a headline printed twice, a 12-word quotation repeated) and one of 11 words
# with two changed ("enabled an IS advance on a hill overlooking the air base" / "… an [ISIS]
# advance on the hill …": 9 identical words); the issue's ~15 would miss most of them. On
# FA-KES dev (391 articles) the 8-word passages found are mostly shared wire wording ("began
# with anti-government protests in March 2011", "killed at least 58 people including 11
# children") and a few long names ("the Organisation for the Prohibition of Chemical
# Weapons"): the price of the gold's 9-word passage. ``words`` lets a reader filter.
MIN_WORDS = 8
# Seeds are shingles of this many words. Five-word seeds still catch the shortest exact
# run of the seeds gold ("hill overlooking the air base"), which the extension then grows;
# shorter ones would make every "one of the" a seed.
SEED_WORDS = 5
# Two articles are a candidate pair when they share this many distinct seeds that are not
# boilerplate: exactly what a run of MIN_WORDS identical words gives.
MIN_SHARED = MIN_WORDS - SEED_WORDS + 1
# A shingle found in more articles than the cap is boilerplate: it makes no candidates and
# no seeds. The cap is BOILERPLATE_SHARE of the corpus, kept between MIN_POSTING_CAP and
# POSTING_CAP. The upper bound is a cost bound (a shingle in k articles makes k(k-1)/2
# pairs) and decides at scale: the synthetic corpus's footers and stock phrases are in
# hundreds to thousands of its 100,000 articles, a pasted paragraph in two to four (with
# the near copies of its article). The share decides in small corpora: an outlet footer in
# 25 of 3,000 articles, or a wire service's stock sentence about how it gathers its news in
# FA-KES dev, is boilerplate there too. The lower bound keeps a handful of articles
# comparable at all.
POSTING_CAP = 32
BOILERPLATE_SHARE = 0.005
MIN_POSTING_CAP = 8
# A shingle printed by at least this many articles of one outlet and by no other outlet's
# is that site's template (a comment prompt, an about-us blurb, a "Related News" box, a
# house background sentence): no candidate, no seed. On FA-KES dev the passages shared
# only inside one outlet, three pages or more, are one outlet's source line and related-news
# box with its category links, and two others' stock phrases and background sentences; a
# story an outlet tells again with other outlets keeps its passages (the others print it
# too). Articles of no known outlet are never template.
TEMPLATE_PAGES = 3
# A seed whose shingle occurs more often than this inside one article (a chant, a list, a
# word repeated a thousand times) is not used: it would pair every occurrence with every
# other.
REPEAT_CAP = 8
# Runs of identical words are chained into one passage across gaps of up to this many words
# in each text (a quotation shortened in the middle, an inserted clause). The seeds gold has
# a statement re-quoted in shortened form with a 13-word gap ("so as to continue targeting
# ISIS forces while ensuring the safety of our" / "to ensure the safety of").
MAX_GAP = 16
# The extension at either end stops when the score (+1 a matching word, -1 otherwise) falls
# this far below its best; the passage ends at the best. The seeds gold needs it to cross
# "a"/"the" and "IS"/"[ISIS]" two words apart; past the end of a real passage, where words
# rarely match, 2 stops it within three words.
XDROP = 2
# Articles shingled together (numpy works on their concatenation; at most 2^(64 -
# SEED_BITS)), and candidate pairs aligned per batch of fetched texts.
BATCH = 1024
# Seed hashes keep this many bits, so that one sort of (article, seed) keys finds the
# repeats of a batch; 40 million distinct seeds collide by chance with odds ~1 in 20.
SEED_BITS = 54
ALIGN_BATCH = 2000  # candidate pairs whose texts are fetched and aligned together
# The scratch database keeps this much in memory and spills the rest to a temporary folder.
# 100,000 synthetic articles make ~36 million postings (~430 MB uncompressed): 128 MB was
# enough for them, as fast as 1 GB; 64 MB was not (out of memory in the self-join).
SCRATCH_MEMORY = "256MB"


def _seed_hashes(words: U64) -> U64:
    """The seed shingles of one word sequence, as SEED_BITS-bit hashes."""
    return shingle_hashes(words, SEED_WORDS) >> np.uint64(64 - SEED_BITS)


def seed_postings(words: Sequence[U64]) -> tuple[U64, I64, I64]:
    """The postings of a batch of word sequences: each (sequence, seed shingle) once, as
    (hashes, owners), and the sequences that may repeat a passage inside themselves."""
    hashes, owner = batch_shingles(words, SEED_WORDS)
    hashes >>= np.uint64(64 - SEED_BITS)
    return _postings(hashes, owner, len(words))


def outlet_key(outlet: str | None) -> str | None:
    """An outlet as site templates compare them (None: no known outlet)."""
    return outlet.lower() if outlet else None


def posting_cap(articles: int) -> int:
    """The most articles a shingle may be in without being boilerplate, in a corpus of
    ``articles`` (see POSTING_CAP)."""
    share = math.ceil(BOILERPLATE_SHARE * articles)
    return max(MIN_POSTING_CAP, min(POSTING_CAP, share))


def _postings(hashes: U64, owner: I64, sets: int) -> tuple[U64, I64, I64]:
    """Each (owner, shingle) once, and the owners in which at least MIN_SHARED distinct
    shingles occur twice or more (but not more than REPEAT_CAP times): candidates for a
    passage repeated inside one article. ``hashes`` have SEED_BITS bits, so that the owner
    fits in the same 64-bit key and one sort does it."""
    if not len(hashes):
        empty = np.zeros(0, dtype=np.int64)
        return np.zeros(0, dtype=np.uint64), empty, empty
    keys = np.sort((owner.astype(np.uint64) << np.uint64(SEED_BITS)) | hashes)
    first = np.concatenate(([True], keys[1:] != keys[:-1]))
    starts = np.flatnonzero(first)
    counts = np.diff(np.append(starts, len(keys)))
    distinct = keys[starts]
    owners = (distinct >> np.uint64(SEED_BITS)).astype(np.int64)
    repeated = owners[(counts >= 2) & (counts <= REPEAT_CAP)]
    repeating = np.flatnonzero(np.bincount(repeated, minlength=sets) >= MIN_SHARED)
    return distinct & np.uint64((1 << SEED_BITS) - 1), owners, repeating


# The condition (in a GROUP BY h) of a site template shingle; its parameter: TEMPLATE_PAGES.
_TEMPLATE = "(count(*) >= ? AND min(outlet) >= 0 AND min(outlet) = max(outlet))"


class ReuseIndex:
    """Pass 1: the seed shingles of every article, then the candidate pairs.

    ``add`` every article (in order: earlier first), then ``passages(fetch, exclude)``.
    Use as a context manager (or call ``close``) to drop the scratch database.
    """

    def __init__(self, *, posting_cap: int | None = None, min_words: int = MIN_WORDS) -> None:
        self._posting_cap, self.min_words = posting_cap, min_words
        self.ids: list[str] = []
        self._pending = BatchBuffer[U64](BATCH, self._post)
        self._self_candidates: list[int] = []
        self._scratch = tempfile.TemporaryDirectory(prefix="sitrep-reuse-")
        self._db = duckdb.connect(":memory:")
        self._db.execute(f"SET temp_directory = '{Path(self._scratch.name).as_posix()}'")
        self._db.execute(f"SET memory_limit = '{SCRATCH_MEMORY}'")
        self._db.execute("SET enable_progress_bar = false")
        self._db.execute("SET preserve_insertion_order = false")  # lets operators spill
        self._db.execute("CREATE TABLE seeds (h BIGINT, doc INTEGER, outlet INTEGER)")
        self._outlets: dict[str, int] = {}
        self._outlet_of: list[int] = []  # per article: its outlet's number, -1 for none
        self.shingles = 0
        self.candidate_pairs = 0
        self._common: U64 | None = None

    def __enter__(self) -> ReuseIndex:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()
        self._scratch.cleanup()

    def add(self, article_id: str, text: str) -> None:
        self.add_words(article_id, word_hashes(text))

    def add_words(self, article_id: str, words: U64, outlet: str | None = None) -> None:
        """Add an article whose words are already hashed (``shingles.word_hashes`` of its
        whole ``text``), with its outlet (for site templates)."""
        self.ids.append(article_id)
        key = outlet_key(outlet)
        code = -1 if key is None else self._outlets.setdefault(key, len(self._outlets))
        self._outlet_of.append(code)
        self._pending.add(words)

    def flush(self) -> None:
        self._pending.flush()

    def _post(self, pending: list[U64]) -> None:
        """Write the postings of a batch of articles (the last ``len(pending)`` added)."""
        first = len(self.ids) - len(pending)
        # One row per (article, shingle): a repeat inside an article is not a posting.
        hashes, owner, repeating = seed_postings(pending)
        self._self_candidates.extend((repeating + first).tolist())
        outlets = np.asarray(self._outlet_of[first : first + len(pending)], dtype=np.int32)
        batch = {
            "h": hashes.view(np.int64),
            "doc": (owner + first).astype(np.int32),
            "outlet": outlets[owner] if len(owner) else np.zeros(0, dtype=np.int32),
        }
        self._db.register("batch", batch)
        self._db.execute("INSERT INTO seeds SELECT h, doc, outlet FROM batch")
        self._db.unregister("batch")
        self.shingles += len(hashes)

    @property
    def posting_cap(self) -> int:
        """The most articles a shingle may be in without being boilerplate (see POSTING_CAP)."""
        if self._posting_cap is not None:
            return self._posting_cap
        return posting_cap(len(self.ids))

    @property
    def repeating(self) -> npt.NDArray[np.bool_]:
        """Per article: whether it may repeat a passage inside itself."""
        self.flush()
        found = np.zeros(len(self.ids), dtype=bool)
        found[self._self_candidates] = True
        return found

    @property
    def outlets(self) -> list[str | None]:
        """Per article: its outlet as site templates compare them (lower-cased), or None."""
        names = {code: name for name, code in self._outlets.items()}
        return [names.get(code) for code in self._outlet_of]

    def export_postings(self, path: Path) -> None:
        """Write every (h, doc) posting to a Parquet file (so a ledger can keep them)."""
        self.flush()
        self._db.execute(f"COPY (SELECT h, doc FROM seeds) TO '{path.as_posix()}' (FORMAT parquet)")

    def common(self) -> U64:
        """Shingles found in more than ``posting_cap`` articles, or site template
        (``TEMPLATE_PAGES``), sorted: never seeds."""
        if self._common is None:
            self.flush()
            found = self._db.execute(
                f"SELECT h FROM seeds GROUP BY h HAVING count(*) > ? OR {_TEMPLATE} ORDER BY h",
                [self.posting_cap, TEMPLATE_PAGES],
            ).fetchnumpy()
            self._common = np.sort(np.asarray(found["h"], dtype=np.int64).view(np.uint64))
        return self._common

    def candidates(self) -> tuple[I64, I64]:
        """Pairs of article numbers (a < b) sharing MIN_SHARED shingles that are not
        boilerplate (any run of MIN_WORDS identical words gives that many)."""
        self.flush()
        found = self._db.execute(
            f"""
            WITH shared AS (
                SELECT h FROM seeds GROUP BY h
                HAVING count(*) BETWEEN 2 AND ? AND NOT ({_TEMPLATE})
            ),
            postings AS (SELECT seeds.h, seeds.doc FROM seeds SEMI JOIN shared USING (h))
            SELECT a.doc AS a, b.doc AS b
            FROM postings a JOIN postings b ON a.h = b.h AND a.doc < b.doc
            GROUP BY a.doc, b.doc HAVING count(*) >= ?
            """,
            [self.posting_cap, TEMPLATE_PAGES, MIN_SHARED],
        ).fetchnumpy()
        return np.asarray(found["a"], dtype=np.int64), np.asarray(found["b"], dtype=np.int64)

    def passages(
        self,
        fetch: Callable[[Sequence[str]], Iterable[tuple[str, str]]],
        exclude: Callable[[str, str], bool] | None = None,
    ) -> Iterator[ReusePassage]:
        """Pass 2: align every candidate pair (and every article that repeats itself).

        ``fetch(ids)`` yields ``(id, text)`` for the requested articles; ``exclude(a, b)``
        drops a pair before alignment (near duplicates share everything).
        """
        a, b = self.candidates()
        common = self.common()
        pairs = [
            (x, y)
            for x, y in zip(a.tolist(), b.tolist(), strict=True)
            if exclude is None or not exclude(self.ids[x], self.ids[y])
        ]
        pairs += [(x, x) for x in sorted(set(self._self_candidates))]
        pairs.sort()
        self.candidate_pairs = len(pairs)
        yield from align_pairs(pairs, self.ids.__getitem__, fetch, common, self.min_words)


def align_pairs(
    pairs: Sequence[tuple[int, int]],
    id_of: Callable[[int], str],
    fetch: Callable[[Sequence[str]], Iterable[tuple[str, str]]],
    common: U64,
    min_words: int = MIN_WORDS,
) -> Iterator[ReusePassage]:
    """The passages of each pair of article numbers (earlier first; ``(x, x)``: repeats
    inside one article), fetching texts ALIGN_BATCH pairs at a time; ``common``: the sorted
    shingles that are never seeds (at least those of these articles)."""
    for start in range(0, len(pairs), ALIGN_BATCH):
        chunk = pairs[start : start + ALIGN_BATCH]
        wanted = sorted({x for pair in chunk for x in pair})
        texts = dict(fetch([id_of(x) for x in wanted]))
        tokens: dict[str, _Tokens] = {}
        for x, y in chunk:
            ida, idb = id_of(x), id_of(y)
            if ida not in texts or idb not in texts:
                continue
            ta = tokens.get(ida) or tokens.setdefault(ida, _Tokens(texts[ida]))
            tb = tokens.get(idb) or tokens.setdefault(idb, _Tokens(texts[idb]))
            for span in _align_tokens(ta, tb, x == y, min_words, common):
                yield ReusePassage(ida, span[0], span[1], idb, *span[2:])


def text_seeds(text: str) -> U64:
    """The seed shingles alignment reads in ``text`` (some may have no posting: a word cut by
    the body's start is two words there), to look up which are common."""
    return _seed_hashes(word_spans(text)[0])


class _Tokens:
    """One text's words (hashes and character spans) and its seed shingles."""

    __slots__ = ("seeds", "spans", "words")

    def __init__(self, text: str) -> None:
        self.words, self.spans = word_spans(text)
        self.seeds = _seed_hashes(self.words)


def _usable(seeds: U64, common: U64) -> npt.NDArray[np.bool_]:
    """Seeds that are not boilerplate (``common``, sorted) and occur at most REPEAT_CAP times
    in their text."""
    _, inverse, counts = np.unique(seeds, return_inverse=True, return_counts=True)
    usable = counts[inverse] <= REPEAT_CAP
    if len(common):
        at = np.minimum(np.searchsorted(common, seeds), len(common) - 1)
        usable &= common[at] != seeds
    return np.asarray(usable)


def _seed_hits(sa: U64, sb: U64, same: bool, common: U64) -> tuple[I64, I64]:
    """Positions (i, j) with sa[i] == sb[j] (i < j when both are the same text)."""
    ia = np.flatnonzero(_usable(sa, common))
    ib = np.flatnonzero(_usable(sb, common))
    if not len(ia) or not len(ib):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    order = ib[np.argsort(sb[ib], kind="stable")]
    ordered = sb[order]
    low = np.searchsorted(ordered, sa[ia], "left")
    counts = np.searchsorted(ordered, sa[ia], "right") - low
    i = np.repeat(ia, counts)
    within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    j = order[np.repeat(low, counts) + within]
    if same:
        keep = i < j
        i, j = i[keep], j[keep]
    return i, j


@dataclass
class _Chain:
    a0: int  # word ranges [a0, a1) and [b0, b1)
    a1: int
    b0: int
    b1: int
    matched: int


def _runs(i: I64, j: I64) -> list[_Chain]:
    """Maximal runs of consecutive seeds on one diagonal, as word ranges."""
    if not len(i):
        return []
    order = np.lexsort((i, i - j))
    i, j = i[order], j[order]
    breaks = np.flatnonzero((np.diff(i - j) != 0) | (np.diff(i) != 1)) + 1
    starts = np.concatenate(([0], breaks))
    ends = np.concatenate((breaks, [len(i)])) - 1
    runs = []
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        length = int(i[e] - i[s]) + SEED_WORDS
        a0, b0 = int(i[s]), int(j[s])
        runs.append(_Chain(a0, a0 + length, b0, b0 + length, length))
    runs.sort(key=lambda r: (r.a0, r.b0))
    return runs


def _chain(runs: list[_Chain]) -> list[_Chain]:
    """Join runs that follow each other closely in both texts (greedy, in text order)."""
    chains: list[_Chain] = []
    for run in runs:
        for chain in reversed(chains[-8:]):
            if (
                chain.a1 <= run.a0 <= chain.a1 + MAX_GAP
                and chain.b1 <= run.b0 <= chain.b1 + MAX_GAP
            ):
                chain.a1, chain.b1 = run.a1, run.b1
                chain.matched += run.matched
                break
        else:
            chains.append(run)
    return chains


def _extend(wa: U64, wb: U64, a: int, b: int, step: int, limit: int) -> tuple[int, int]:
    """Words to add beyond positions (a, b) going ``step`` (+1 / -1), and how many of them
    match: X-drop extension, at most ``limit`` words."""
    score = best = best_len = best_matched = matched = 0
    for n in range(1, limit + 1):
        x, y = a + step * n, b + step * n
        if wa[x] == wb[y]:
            score += 1
            matched += 1
            if score > best:
                best, best_len, best_matched = score, n, matched
        else:
            score -= 1
            if best - score > XDROP:
                break
    return best_len, best_matched


def _grow(chain: _Chain, ta: _Tokens, tb: _Tokens, same: bool) -> None:
    wa, wb = ta.words, tb.words
    # Leftwards: not before either text's start (nor, inside one text, into the first span).
    limit = min(chain.a0, chain.b0 - chain.a1 if same else chain.b0)
    n, m = _extend(wa, wb, chain.a0, chain.b0, -1, limit)
    chain.a0, chain.b0, chain.matched = chain.a0 - n, chain.b0 - n, chain.matched + m
    limit = min(len(wa) - chain.a1, len(wb) - chain.b1)
    if same:
        limit = min(limit, chain.b0 - chain.a1)
    n, m = _extend(wa, wb, chain.a1 - 1, chain.b1 - 1, 1, limit)
    chain.a1, chain.b1, chain.matched = chain.a1 + n, chain.b1 + n, chain.matched + m


def _align_tokens(ta: _Tokens, tb: _Tokens, same: bool, min_words: int, common: U64) -> list[Found]:
    i, j = _seed_hits(ta.seeds, tb.seeds, same, common)
    found = []
    for chain in _chain(_runs(i, j)):
        if same and chain.a1 > chain.b0:
            continue  # a periodic stretch overlapping itself is not a repeat
        _grow(chain, ta, tb, same)
        if chain.matched < min_words:
            continue
        a_words, b_words = chain.a1 - chain.a0, chain.b1 - chain.b0
        found.append(
            (
                int(ta.spans[chain.a0, 0]),
                int(ta.spans[chain.a1 - 1, 1]),
                int(tb.spans[chain.b0, 0]),
                int(tb.spans[chain.b1 - 1, 1]),
                min(a_words, b_words),
                round(chain.matched / max(a_words, b_words), 4),
            )
        )
    return _drop_contained(found)


def _drop_contained(
    spans: list[Found],
) -> list[Found]:
    """Leave out a passage lying inside another one on both sides."""
    kept: list[Found] = []
    for span in sorted(spans, key=lambda s: (s[0], -s[1], s[2])):
        if not any(
            k[0] <= span[0] and span[1] <= k[1] and k[2] <= span[2] and span[3] <= k[3]
            for k in kept
        ):
            kept.append(span)
    return kept


def align(text_a: str, text_b: str | None = None, min_words: int = MIN_WORDS) -> list[Found]:
    """Passages shared by two texts, or repeated inside one (``text_b`` None): tuples of
    (a_start, a_end, b_start, b_end, words, similarity), character offsets."""
    ta = _Tokens(text_a)
    tb = ta if text_b is None else _Tokens(text_b)
    return _align_tokens(ta, tb, text_b is None, min_words, np.zeros(0, dtype=np.uint64))


def find_reuse(
    texts: Iterable[tuple[str, str]],
    fetch: Callable[[Sequence[str]], Iterable[tuple[str, str]]],
    exclude: Callable[[str, str], bool] | None = None,
) -> list[ReusePassage]:
    """Reused passages among ``texts`` ((id, text), earlier first), fetching the texts of
    candidate pairs again with ``fetch``. For a corpus held in memory, ``fetch`` can be
    ``lambda ids: ((i, corpus[i]) for i in ids)``."""
    with ReuseIndex() as index:
        for article_id, text in texts:
            index.add(article_id, text)
        return list(index.passages(fetch, exclude))
