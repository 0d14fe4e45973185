"""The event step over the ledger: all at once, or new articles joining the stored events.

A whole run clusters every mention and stores, beside the events, each clustered mention's
block and component (``event_blocks``) and each article as it was read
(``consolidated_inputs``). When the only change since is new articles, their mentions are
clustered with the stored components of the blocks they fall into (and the blocks next to
those), and only these components' events are redone. Another stored event of the articles
they touch is redone only when the main happenings it leads change (headlines and the
claims about it follow them); the other clusters of those articles take part in deciding
main happenings as (article, type) pairs read from their blocks. Clusters are a function of
their component (``events.cluster_with_components``) and an article's main happening of the
clusters its mentions are in, so the result is a whole run's (tests compare them, on the
seeds and on a dense synthetic stream).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from sitrep.consolidate import state
from sitrep.consolidate.disagreements import ArticleClaims
from sitrep.consolidate.events import Block, block_of, cluster_with_components
from sitrep.consolidate.incident_model import PairModelChooser
from sitrep.consolidate.reach import block_keys, block_table, reached_components
from sitrep.consolidate.run import MentionPool, build_events, main_clusters
from sitrep.consolidate.statements import same_statements
from sitrep.ledger.claims import claim_from_row
from sitrep.ledger.consolidated import UNNEST, joined, write_blocks, write_events, write_inputs
from sitrep.ledger.mentions import mention_from_row
from sitrep.ledger.store import Ledger
from sitrep.model import Claim, ConsolidatedEvent, EventMention, MentionRef

__all__ = ["consolidate_all", "join_new_articles", "mention_pool"]

Key = tuple[str, int]

_MENTIONS = """
SELECT m.*, substr(a.text, m.start_char + 1, m.end_char - m.start_char) AS evidence_text,
       a.outlet, a.published, a.seq
FROM mentions m JOIN articles a ON a.id = m.article_id
{where}
ORDER BY a.seq, m.idx
"""
_CLAIMS = "SELECT * FROM claims {where} ORDER BY article_id, idx"
_AMONG = "WHERE {column} IN (SELECT " + UNNEST + ")"
# What the step reads of each article: a change in any of these redoes the whole step.
_SIGNATURES = """
SELECT a.id, concat_ws('|', a.seq, a.outlet, a.published, y.pipeline)
FROM articles a LEFT JOIN analyses y ON y.article_id = a.id
"""


@dataclass
class _Read:
    """Mentions of some articles as consolidation takes them."""

    pool: MentionPool = field(default_factory=MentionPool)
    mentions: dict[str, list[EventMention]] = field(default_factory=lambda: defaultdict(list))
    order: dict[Key, tuple[int, int]] = field(default_factory=dict)  # (seq, idx)
    refs: dict[Key, MentionRef] = field(default_factory=dict)


def _read(ledger: Ledger, articles: Iterable[str] | None = None) -> _Read:
    """The mentions of ``articles`` (None: every article), in corpus order."""
    read = _Read()
    where, params = (
        ("", [])
        if articles is None
        else (_AMONG.format(column="m.article_id"), [joined(sorted(set(articles)))])
    )
    for row in ledger.iter_rows(_MENTIONS.format(where=where), params):
        mention = mention_from_row(row)
        article_id, index = row["article_id"], row["idx"]
        read.mentions[article_id].append(mention)
        ref = MentionRef(article_id, index, mention, row["outlet"], row["published"])
        read.pool.add(ref, row["evidence_text"] or "")
        read.order[(article_id, index)] = (int(row["seq"]), index)
        read.refs[(article_id, index)] = ref
    return read


def _article_claims(
    ledger: Ledger, mentions: dict[str, list[EventMention]], articles: Iterable[str] | None = None
) -> list[ArticleClaims]:
    """The claims, text and mentions of each of ``articles`` (None: all) that has claims."""
    where, params = (
        ("", [])
        if articles is None
        else (_AMONG.format(column="article_id"), [joined(sorted(set(articles)))])
    )
    claims: dict[str, list[Claim]] = defaultdict(list)
    for row in ledger.iter_rows(_CLAIMS.format(where=where), params):
        claims[row["article_id"]].append(claim_from_row(row))
    texts = {
        str(r[0]): str(r[1])
        for r in ledger.conn.execute(
            f"SELECT id, text FROM articles WHERE id IN (SELECT {UNNEST})", [joined(sorted(claims))]
        ).fetchall()
    }
    return [
        ArticleClaims(a, texts.get(a, ""), tuple(c), tuple(mentions.get(a, [])))
        for a, c in claims.items()
    ]


def _signatures(ledger: Ledger) -> dict[str, str]:
    return {str(a): str(s) for a, s in ledger.conn.execute(_SIGNATURES).fetchall()}


def _block_rows(
    refs: Sequence[MentionRef], components: Sequence[int], offset: int = 0
) -> list[dict[str, object]]:
    rows = []
    for ref, component in zip(refs, components, strict=True):
        event_type, week, cell = block_of(ref)
        rows.append(
            {
                "article_id": ref.article_id,
                "mention_idx": ref.index,
                "type": event_type,
                "week": week,
                "cell": json.dumps(list(cell)),
                "component": offset + component,
            }
        )
    return rows


def _statements(
    events: Sequence[ConsolidatedEvent], articles: Sequence[ArticleClaims], wanted: bool
) -> list[tuple[str, str, str, int]]:
    return same_statements(events, articles) if wanted else []


def consolidate_all(
    ledger: Ledger,
    with_statements: bool,
    base: str,
    digest: str | None,
    models: PairModelChooser | None = None,
) -> None:
    """Cluster every mention and store the events, replacing the stored ones (``models``:
    the incident model of each pair of articles, the shipped one when None)."""
    read = _read(ledger)
    articles = _article_claims(ledger, read.mentions)
    refs = read.pool.refs
    groups, components = cluster_with_components(refs, read.pool.evidence, models=models)
    events = build_events(
        [[refs[i] for i in group] for group in groups],
        read.pool.headlines,
        read.pool.evidence,
        articles,
    )
    statements = _statements(events, articles, with_statements)
    signatures = _signatures(ledger)
    with ledger.transaction():
        write_events(ledger.conn, events, statements)
        write_blocks(ledger.conn, _block_rows(refs, components))
        write_inputs(ledger.conn, signatures, replace_all=True)
        state.record(ledger, state.EVENTS_BASE, base)
        if digest is not None:
            state.record(ledger, state.EVENTS, digest)


def _new_articles(ledger: Ledger, base: str) -> list[str] | None:
    """The articles added since the last whole or incremental run, or None when something
    else changed (an article revised, re-analysed or gone; the code, switches or
    corrections): then the step is redone whole."""
    if not state.is_current(ledger, state.EVENTS_BASE, base):
        return None
    stored = {
        str(a): str(s)
        for a, s in ledger.conn.execute(
            "SELECT article_id, signature FROM consolidated_inputs"
        ).fetchall()
    }
    current = _signatures(ledger)
    if any(current.get(a) != s for a, s in stored.items()):
        return None
    return [a for a in current if a not in stored]


def _keys_of_components(ledger: Ledger, components: set[int]) -> list[Key]:
    """The stored mentions of ``components``."""
    if not components:
        return []
    rows = ledger.conn.execute(
        "SELECT article_id, mention_idx FROM event_blocks "
        f"WHERE component IN (SELECT CAST({UNNEST} AS BIGINT))",
        [joined(sorted(components))],
    ).fetchall()
    return [(str(a), int(i)) for a, i in rows]


def _sizes(ledger: Ledger, refs: Sequence[MentionRef], new: set[Key]) -> dict[Block, int]:
    """The size of each block of ``refs`` in the whole corpus, new mentions included."""
    blocks = {block_of(r) for r in refs}
    if not blocks:
        return {}
    rows = ledger.conn.execute(
        f"""SELECT b.type, b.week, b.cell, count(*) FROM event_blocks b
           JOIN ({block_table}) k
             ON k.t = b.type AND k.w = b.week AND k.c = b.cell
           GROUP BY ALL""",
        block_keys(blocks),
    ).fetchall()
    sizes = {(str(t), int(w), tuple(json.loads(c))): int(n) for t, w, c, n in rows}
    for ref in refs:
        if (ref.article_id, ref.index) in new:
            key = block_of(ref)
            sizes[key] = sizes.get(key, 0) + 1
    return sizes


def _events_of(ledger: Ledger, sql: str, values: Sequence[str]) -> set[str]:
    return {str(r[0]) for r in ledger.conn.execute(sql, [joined(values)]).fetchall()}


def _clustered(ledger: Ledger, events: Iterable[str]) -> dict[str, list[Key]]:
    """The clustered mentions (headlines left out) of each stored event."""
    found: dict[str, list[Key]] = defaultdict(list)
    for event_id, article_id, index in ledger.conn.execute(
        f"""SELECT m.event_id, m.article_id, m.mention_idx FROM event_members m
           JOIN event_blocks b ON b.article_id = m.article_id AND b.mention_idx = m.mention_idx
           WHERE m.event_id IN (SELECT {UNNEST})""",
        [joined(sorted(events))],
    ).fetchall():
        found[str(event_id)].append((str(article_id), int(index)))
    return found


def _by(read: _Read) -> Callable[[MentionRef], tuple[int, int]]:
    return lambda r: read.order[(r.article_id, r.index)]


def _context(
    ledger: Ledger, events: Iterable[str]
) -> dict[str, tuple[tuple[int, int], list[tuple[str, str]]]]:
    """Each of the stored ``events`` that only competes for main happenings: the corpus
    order of its first clustered mention, and the (article, type) of every one (the type
    from the mentions table, without decoding the mentions)."""
    found: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    for event_id, seq, index, article_id, event_type in ledger.conn.execute(
        f"""SELECT m.event_id, a.seq, b.mention_idx, b.article_id, t.type
            FROM event_members m
            JOIN event_blocks b ON b.article_id = m.article_id AND b.mention_idx = m.mention_idx
            JOIN mentions t ON t.article_id = b.article_id AND t.idx = b.mention_idx
            JOIN articles a ON a.id = b.article_id
            WHERE m.event_id IN (SELECT {UNNEST})""",
        [joined(sorted(events))],
    ).fetchall():
        found[str(event_id)].append((int(seq), int(index), str(article_id), str(event_type)))
    result = {}
    for event_id, members in found.items():
        members.sort()
        result[event_id] = ((members[0][0], members[0][1]), [(m[2], m[3]) for m in members])
    return result


def _pairs(group: Sequence[MentionRef]) -> list[tuple[str, str]]:
    return [(r.article_id, r.mention.type) for r in group]


def _leads(
    groups: Sequence[tuple[object, tuple[int, int], list[tuple[str, str]]]],
) -> dict[object, set[tuple[str, str]]]:
    """For each cluster (id, first mention's order, (article, type) of its mentions), the
    (article, type) pairs it is the main happening of (as ``run.build_events`` decides)."""
    ordered = sorted(groups, key=lambda g: g[1])
    main = main_clusters([g[2] for g in ordered])
    leads: dict[object, set[tuple[str, str]]] = defaultdict(set)
    for key, n in main.items():
        leads[ordered[n][0]].add(key)
    return leads


@dataclass
class _Stored:
    """The stored clusters around the re-examined components: ``replaced`` (every event of
    an affected article; ``kept`` maps each to its clustered mentions), ``fixed`` (those of
    them outside the components: same mentions, maybe other main happenings), ``others``
    (the other clusters of the articles concerned, which only compete for main happenings)
    and ``summary`` (each one's first mention's order and (article, type) pairs)."""

    replaced: set[str]
    kept: dict[str, list[Key]]
    fixed: set[str]
    others: set[str]
    summary: dict[str, tuple[tuple[int, int], list[tuple[str, str]]]]


def _reexamined(ledger: Ledger, fresh: _Read) -> tuple[set[Key], set[Key], set[str]]:
    """The new clustered mentions, the stored ones of the components they reach
    (``reach.reached_components``), and the articles of both (whose clusters may change)."""
    new_keys = {(r.article_id, r.index) for r in fresh.pool.refs}
    reached = reached_components(ledger, fresh.pool.refs, fresh.pool.evidence)
    old_keys = set(_keys_of_components(ledger, reached))
    affected = {a for a, _ in old_keys} | {a for a, _ in new_keys}
    return new_keys, old_keys, affected


def _stored_around(ledger: Ledger, affected: set[str], in_components: set[Key]) -> _Stored:
    replaced = _events_of(
        ledger,
        f"SELECT DISTINCT event_id FROM event_members WHERE article_id IN (SELECT {UNNEST})",
        sorted(affected),
    )
    kept = _clustered(ledger, replaced)
    fixed = {e for e, keys in kept.items() if not in_components & set(keys)}
    concerned = affected | {a for e in fixed for a, _ in kept[e]}
    others = (
        _events_of(
            ledger,
            "SELECT DISTINCT m.event_id FROM event_members m JOIN event_blocks b "
            "ON b.article_id = m.article_id AND b.mention_idx = m.mention_idx "
            f"WHERE m.article_id IN (SELECT {UNNEST})",
            sorted(concerned),
        )
        - replaced
    )
    return _Stored(replaced, kept, fixed, others, _context(ledger, replaced | others))


def _redone(stored: _Stored, new_groups: list[list[MentionRef]], read: _Read) -> set[str]:
    """The fixed clusters whose main happenings change: they are redone (their headlines and
    the claims about them follow the articles they lead); the others stay as stored."""
    summary = stored.summary
    before = _leads([(e, *summary[e]) for e in stored.replaced | stored.others])
    after = _leads(
        [
            (n, read.order[(g[0].article_id, g[0].index)], _pairs(g))
            for n, g in enumerate(new_groups)
        ]
        + [(e, *summary[e]) for e in stored.fixed | stored.others]
    )
    return {e for e in stored.fixed if before.get(e, set()) != after.get(e, set())}


def _merge(read: _Read, extra: _Read) -> None:
    read.refs.update(extra.refs)
    read.order.update(extra.order)
    read.mentions.update(extra.mentions)
    read.pool.headlines += extra.pool.headlines
    read.pool.evidence.update(extra.pool.evidence)


Cluster = tuple[tuple[int, int], list[MentionRef], list[tuple[str, str]] | None]


def _clusters(
    new_groups: list[list[MentionRef]], stored: _Stored, redone: set[str], read: _Read
) -> list[Cluster]:
    """Every cluster the main happenings are decided over, in corpus order: the new ones and
    the redone ones with their mentions (made into events), the others as (article, type)
    pairs only."""
    found: list[Cluster] = [
        (read.order[(g[0].article_id, g[0].index)], g, None) for g in new_groups
    ]
    found += [
        (stored.summary[e][0], sorted((read.refs[k] for k in stored.kept[e]), key=_by(read)), None)
        for e in redone
    ]
    found += [
        (stored.summary[e][0], [], stored.summary[e][1])
        for e in (stored.fixed - redone) | stored.others
    ]
    return sorted(found, key=lambda c: c[0])


def join_new_articles(ledger: Ledger, with_statements: bool, base: str, digest: str | None) -> bool:
    """Add the mentions of new articles to the stored events; False when the step must be
    redone whole (see ``_new_articles``)."""
    new_articles = _new_articles(ledger, base)
    if new_articles is None:
        return False
    new_keys, in_components, affected = _reexamined(
        ledger, _read(ledger, new_articles) if new_articles else _Read()
    )
    stored = _stored_around(ledger, affected, in_components)
    read = _read(ledger, affected)
    refs = sorted((read.refs[k] for k in in_components | new_keys), key=_by(read))
    groups, components = cluster_with_components(
        refs, read.pool.evidence, _sizes(ledger, refs, new_keys)
    )
    new_groups = [[refs[i] for i in g] for g in groups]
    redone = _redone(stored, new_groups, read)
    more = {a for e in redone for a, _ in stored.kept[e]} - affected
    if more:
        _merge(read, _read(ledger, more))
    clusters = _clusters(new_groups, stored, redone, read)
    told = affected | more
    articles = _article_claims(ledger, read.mentions, told)
    events = build_events(
        [c[1] for c in clusters],
        sorted((h for h in read.pool.headlines if h.article_id in told), key=_by(read)),
        read.pool.evidence,
        articles,
        emit=[c[2] is None for c in clusters],
        keys=[c[2] for c in clusters],
    )
    statements = _statements(events, articles, with_statements)
    signatures = _signatures(ledger)
    offset_row = ledger.conn.execute("SELECT coalesce(max(component), -1) + 1 FROM event_blocks")
    offset = int((offset_row.fetchone() or (0,))[0])
    with ledger.transaction():
        replacing = (stored.replaced - stored.fixed) | redone
        write_events(ledger.conn, events, statements, replacing=sorted(replacing))
        write_blocks(
            ledger.conn, _block_rows(refs, components, offset), replacing=sorted(in_components)
        )
        write_inputs(ledger.conn, {a: signatures[a] for a in new_articles}, replace_all=False)
        if digest is not None:
            state.record(ledger, state.EVENTS, digest)
    return True


def mention_pool(ledger: Ledger) -> MentionPool:
    """Every article's mentions as consolidation takes them (training reads them so)."""
    return _read(ledger).pool
