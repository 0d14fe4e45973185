"""Near duplicates and reused passages of new articles, from the sketches of the stored ones.

A whole run stores, beside its groups and passages, what it knew of every article
(``ledger.sketches``): each body's MinHash signature, shingle set and LSH band keys, and each
text's seed shingles (the postings). When the only change since is articles added after all
the stored ones (and the posting cap, which follows the corpus size, is the same), the new
articles are sketched and compared with the stored sketches only; the result is a whole
run's, because:

* **Near duplicates.** An LSH bucket's candidates are every two of its first members and
  each later one with the first (``dedup.bucket_pairs``), so a new article, always the
  latest, adds candidate pairs with stored ones and takes none away. The similarities are
  functions of the pair, so the passing pairs are the stored groups' and the new ones; the
  groups are their connected parts. A group with a new member is rebuilt from the stored
  sketches (its representative may change); the others keep their stored members.
* **Reused passages.** A pair's passages depend on the two texts and on which of their
  shared shingles are ``common`` (in more articles than the cap, or a site template), and a
  pair is aligned when it shares enough shingles that are not and is not a near duplicate.
  New articles change the standing of their own shingles only: the pairs with a new article
  are found from the postings; the stored pairs (and the stored articles' repeats) sharing a
  shingle whose standing changed are aligned again; stored passages of two articles that a
  new article made near duplicates are dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sitrep.consolidate.dedup import (
    BUCKET_ALL_PAIRS,
    LSH_THRESHOLD,
    NearDuplicateIndex,
    band_keys,
    lsh_params,
    make_group,
    near_pairs,
)
from sitrep.consolidate.reuse import MIN_SHARED, TEMPLATE_PAGES, align_pairs, text_seeds
from sitrep.consolidate.shingles import U64
from sitrep.disjoint import DisjointSets
from sitrep.ledger.consolidated import UNNEST, joined
from sitrep.ledger.sketches import Sketch, bucket_members, read_sketches
from sitrep.ledger.store import Ledger
from sitrep.model import DuplicateGroup, DuplicateMember, ReusePassage

__all__ = ["Fetch", "NewGroups", "NewPassages", "new_groups", "new_passages"]

I64 = npt.NDArray[np.int64]
Pair = tuple[int, int]
Fetch = Callable[[Sequence[str]], Iterable[tuple[str, str]]]


@dataclass
class NewGroups:
    """Every near-duplicate group after the addition, and the new articles' sketches."""

    groups: list[DuplicateGroup]
    sketches: list[Sketch]
    bands: U64  # a row of band keys per sketch
    candidates: int = 0
    checked: int = 0


def _candidates(new_seqs: I64, keys: U64, stored: tuple[U64, I64]) -> set[Pair]:
    """Pairs (earlier seq, later seq) with a new article that the buckets make candidates
    (``dedup.bucket_pairs``: a member of rank r pairs with every earlier one while r <
    BUCKET_ALL_PAIRS, with the first after)."""
    rows = np.concatenate((stored[1], np.repeat(new_seqs, keys.shape[1])))
    all_keys = np.concatenate((stored[0], keys.ravel()))
    order = np.lexsort((rows, all_keys))
    all_keys, rows = all_keys[order], rows[order]
    starts = np.flatnonzero(np.concatenate(([True], all_keys[1:] != all_keys[:-1])))
    fresh = set(new_seqs.tolist())
    pairs: set[Pair] = set()
    for start, end in zip(starts.tolist(), [*starts[1:].tolist(), len(rows)], strict=True):
        members = rows[start:end].tolist()
        for rank, seq in enumerate(members):
            if rank and seq in fresh:
                earlier = members[:rank] if rank < BUCKET_ALL_PAIRS else members[:1]
                pairs.update((other, seq) for other in earlier)
    return pairs


def _stored_groups(ledger: Ledger) -> list[tuple[int, str, int, DuplicateMember]]:
    """Each stored member: its group, its article, seq and similarities."""
    return [
        (int(g), str(a), int(s), DuplicateMember(str(a), float(b), float(h)))
        for g, a, s, b, h in ledger.conn.execute(
            """SELECT d.group_id, d.article_id, a.seq, d.body_similarity, d.headline_similarity
               FROM duplicate_groups d JOIN articles a ON a.id = d.article_id
               ORDER BY d.group_id, a.seq"""
        ).fetchall()
    ]


def new_groups(ledger: Ledger, index: NearDuplicateIndex) -> NewGroups:
    """The groups once the articles of ``index`` (new ones, added with their seq as order)
    join the stored sketches."""
    index.flush()
    seqs = np.asarray(index.orders, dtype=np.int64)
    signatures = index.signatures
    keys = band_keys(signatures, *lsh_params(LSH_THRESHOLD, signatures.shape[1]))
    sketches = [
        Sketch(index.ids[n], int(seqs[n]), signatures[n], index.bodies[n], index.headlines[n])
        for n in range(len(seqs))
    ]
    candidates = sorted(_candidates(seqs, keys, bucket_members(ledger.conn, keys.ravel())))
    known = {s.seq: s for s in sketches}
    known.update(read_sketches(ledger.conn, [a for a, _ in candidates if a not in known]))
    local = {seq: n for n, seq in enumerate(known)}
    matrix = np.stack([s.signature for s in known.values()]) if known else signatures
    pairs, checked = near_pairs(
        np.asarray([(local[a], local[b]) for a, b in candidates], dtype=np.int64).reshape(-1, 2),
        matrix,
        [s.body for s in known.values()],
    )
    sets: DisjointSets[int] = DisjointSets()
    stored = _stored_groups(ledger)
    first_of: dict[int, int] = {}
    for group, _, seq, _ in stored:
        sets.join(first_of.setdefault(group, seq), seq)
    by_local = list(known)
    for a, b in pairs:
        sets.join(by_local[a], by_local[b])
    groups = _groups(ledger, sets, {s: m for _, _, s, m in stored}, known)
    return NewGroups(groups, sketches, keys, len(candidates), checked)


def _groups(
    ledger: Ledger,
    sets: DisjointSets[int],
    stored: dict[int, DuplicateMember],
    known: dict[int, Sketch],
) -> list[DuplicateGroup]:
    """Number the groups by their representatives; a group with a member that was in none
    (a new article, or one a new article joined) is rebuilt from the sketches."""
    members = sorted(sorted(m) for m in sets.groups().values())
    rebuilt = [m for m in members if any(seq not in stored for seq in m)]
    missing = [s for m in rebuilt for s in m if s not in known]
    known = {**known, **read_sketches(ledger.conn, missing)}
    found = []
    for number, group in enumerate(members, 1):
        if any(seq not in stored for seq in group):
            sketches = [known[s] for s in group]
            found.append(
                make_group(
                    number,
                    [s.article_id for s in sketches],
                    [s.body for s in sketches],
                    [s.headline for s in sketches],
                )
            )
        else:
            kept = [stored[s] for s in group]
            found.append(DuplicateGroup(number, kept[0].article_id, tuple(kept)))
    return found


# The standing of the new articles' shingles: in how many articles each is, before and now,
# and whether it is a site template (reuse._TEMPLATE, over outlet names), before and now.
_STATS = """
CREATE OR REPLACE TEMP TABLE reuse_stats AS
WITH fresh AS (SELECT DISTINCT h FROM reuse_postings WHERE seq > $last)
SELECT p.h,
       count(*) AS df,
       count(*) FILTER (WHERE p.seq <= $last) AS df_old,
       coalesce(count(*) >= $pages AND count(i.outlet) = count(*)
                AND min(i.outlet) = max(i.outlet), false) AS template,
       coalesce(count(*) FILTER (WHERE p.seq <= $last) >= $pages
                AND count(i.outlet) FILTER (WHERE p.seq <= $last)
                    = count(*) FILTER (WHERE p.seq <= $last)
                AND min(i.outlet) FILTER (WHERE p.seq <= $last)
                    = max(i.outlet) FILTER (WHERE p.seq <= $last), false) AS template_old
FROM reuse_postings p SEMI JOIN fresh USING (h) JOIN reuse_inputs i ON i.seq = p.seq
GROUP BY p.h
"""
# Pairs with a new article sharing MIN_SHARED shingles that are not common.
_NEW_PAIRS = """
WITH shared AS (SELECT h FROM reuse_stats WHERE df BETWEEN 2 AND $cap AND NOT template),
postings AS (SELECT p.h, p.seq FROM reuse_postings p SEMI JOIN shared USING (h))
SELECT a.seq AS a, b.seq AS b FROM postings a JOIN postings b ON a.h = b.h AND a.seq < b.seq
WHERE b.seq > $last
GROUP BY a.seq, b.seq HAVING count(*) >= $shared
"""
# Stored articles (and pairs of them) holding a shingle whose standing changed.
_CHANGED = """
WITH changed AS (
    SELECT h FROM reuse_stats
    WHERE (df > $cap OR template) <> (df_old > $cap OR template_old)
),
postings AS (
    SELECT p.h, p.seq FROM reuse_postings p SEMI JOIN changed USING (h) WHERE p.seq <= $last
)
SELECT DISTINCT a.seq AS a, b.seq AS b
FROM postings a JOIN postings b ON a.h = b.h AND a.seq <= b.seq
"""
# Which of the shingles ``wanted`` are common (reuse.ReuseIndex.common).
_COMMON = """
SELECT p.h FROM reuse_postings p SEMI JOIN wanted USING (h) JOIN reuse_inputs i ON i.seq = p.seq
GROUP BY p.h
HAVING count(*) > $cap
    OR (count(*) >= $pages AND count(i.outlet) = count(*) AND min(i.outlet) = max(i.outlet))
"""


@dataclass
class NewPassages:
    """The passages to add, and the stored pairs (article ids) whose passages they replace."""

    passages: list[ReusePassage]
    replaced: list[tuple[str, str]]
    aligned: int


def _pairs_of(ledger: Ledger, sql: str, params: dict[str, object]) -> list[Pair]:
    found = ledger.conn.execute(sql, params).fetchnumpy()
    return list(zip(found["a"].tolist(), found["b"].tolist(), strict=True))


def _postings_of(ledger: Ledger, docs: Iterable[int]) -> dict[int, U64]:
    """The stored postings of the articles ``docs``."""
    found = ledger.conn.execute(
        f"SELECT seq, h FROM reuse_postings WHERE seq IN (SELECT TRY_CAST({UNNEST} AS BIGINT))",
        [joined(sorted(set(docs)))],
    ).fetchnumpy()
    seqs, hashes = found["seq"], np.asarray(found["h"], dtype=np.int64).view(np.uint64)
    if not len(seqs):
        return {}
    order = np.argsort(seqs, kind="stable")
    owners, starts = np.unique(seqs[order], return_index=True)
    parts = np.split(hashes[order], starts[1:])
    return {int(d): part for d, part in zip(owners.tolist(), parts, strict=True)}


def _common(ledger: Ledger, wanted: U64, cap: int) -> U64:
    """The common shingles among ``wanted``, sorted."""
    ledger.conn.register("wanted", {"h": np.unique(wanted).view(np.int64)})
    try:
        found = ledger.conn.execute(_COMMON, {"cap": cap, "pages": TEMPLATE_PAGES}).fetchnumpy()
    finally:
        ledger.conn.unregister("wanted")
    return np.sort(np.asarray(found["h"], dtype=np.int64).view(np.uint64))


def _still_candidates(pairs: Sequence[Pair], postings: dict[int, U64], common: U64) -> list[Pair]:
    """Of stored pairs, those sharing MIN_SHARED shingles that are not common."""
    usable = {d: set(h[~np.isin(h, common)].tolist()) for d, h in postings.items()}
    empty: set[int] = set()
    return [
        (a, b) for a, b in pairs if len(usable.get(a, empty) & usable.get(b, empty)) >= MIN_SHARED
    ]


def new_passages(
    ledger: Ledger, last: int, cap: int, group_of: dict[str, int], fetch: Fetch
) -> NewPassages:
    """The passages that change when the articles after seq ``last`` join (their postings
    and inputs already written): ``cap`` is the posting cap (the same before and now);
    ``group_of``: article -> its near-duplicate group, after the addition."""
    conn = ledger.conn
    conn.execute(_STATS, {"last": last, "pages": TEMPLATE_PAGES})
    try:
        fresh = _pairs_of(ledger, _NEW_PAIRS, {"cap": cap, "last": last, "shared": MIN_SHARED})
        changed = _pairs_of(ledger, _CHANGED, {"cap": cap, "last": last})
    finally:
        conn.execute("DROP TABLE IF EXISTS reuse_stats")
    inputs = conn.execute(
        "SELECT seq, article_id, repeats FROM reuse_inputs WHERE seq > ? OR seq IN "
        f"(SELECT TRY_CAST({UNNEST} AS BIGINT))",
        [last, joined(sorted({x for pair in changed + fresh for x in pair}))],
    ).fetchall()
    id_of = {int(seq): str(article) for seq, article, _ in inputs}
    repeating = {int(seq) for seq, _, repeats in inputs if repeats}
    selves = [(a, a) for a in sorted(repeating) if a > last]
    selves += [(a, b) for a, b in changed if a == b and a in repeating]
    docs = {x for pair in fresh + changed + selves for x in pair}
    texts = dict(fetch([id_of[d] for d in sorted(docs)]))
    postings = _postings_of(ledger, docs)
    wanted = [text_seeds(t) for t in texts.values()] + list(postings.values())
    common = _common(ledger, np.concatenate([np.zeros(0, dtype=np.uint64), *wanted]), cap)
    kept = _still_candidates([(a, b) for a, b in changed if a != b], postings, common)
    pairs = [
        (a, b) for a, b in fresh + kept if group_of.get(id_of[a], -1) != group_of.get(id_of[b], -2)
    ]
    pairs = sorted(pairs + selves)

    def fetched(ids: Sequence[str]) -> Iterable[tuple[str, str]]:
        return [(i, texts[i]) for i in ids if i in texts]

    passages = list(align_pairs(pairs, id_of.__getitem__, fetched, common))
    replaced = [(id_of[a], id_of[b]) for a, b in changed]
    return NewPassages(passages, replaced, len(pairs))
