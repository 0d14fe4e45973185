"""Which stored components the mentions of new articles reach.

Clusters are a function of their component (``events.cluster_with_components``: mentions
joined by a chain of pairs that pass), so a stored component changes when new mentions
arrive only if one of them passes with one of its members, or if the new mentions make a
country-only block and a province block so large together that their cross pairs are no
longer compared (``events.MAX_CROSS_PAIRS``). Incremental consolidation re-clusters only
those components.

Deciding it means scoring each new mention against every stored member of the blocks it may
pair with: thousands of mentions when a few articles span months of a stream. The pair
features read a dozen fields of a mention, so these are read straight from the ledger's
columns (``PairFields``), without decoding whole mentions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from sitrep.consolidate import events
from sitrep.consolidate.events import Block, block_of, possible_pairs, related_blocks
from sitrep.consolidate.incident_model import incident_model
from sitrep.consolidate.pair_features import (
    STATE_SECTORS,
    STATE_SIDE,
    MentionColumns,
    PairFields,
    fields_of,
    pair_features,
)
from sitrep.ledger.consolidated import UNNEST, joined
from sitrep.ledger.store import Ledger
from sitrep.model import Granularity, MentionRef, PlacePrecision, PlaceRef

__all__ = ["block_keys", "block_table", "reached_components", "stored_blocks"]

# Blocks as a table to join on: type, week and cell, each list as one string.
block_table = f"SELECT {UNNEST} AS t, CAST({UNNEST} AS INTEGER) AS w, {UNNEST} AS c"


def block_keys(blocks: Iterable[Block]) -> list[str]:
    """The parameters of ``block_table`` for ``blocks``."""
    ordered = sorted(blocks, key=repr)
    return [
        joined(b[0] for b in ordered),
        joined(b[1] for b in ordered),
        joined(json.dumps(list(b[2])) for b in ordered),
    ]


def stored_blocks(ledger: Ledger, blocks: set[Block]) -> set[Block]:
    """The stored blocks related to any of ``blocks`` (their mentions may pair)."""
    if not blocks:
        return set()
    types = sorted({b[0] for b in blocks})
    weeks = [b[1] for b in blocks]
    rows = ledger.conn.execute(
        "SELECT DISTINCT type, week, cell FROM event_blocks "
        f"WHERE type IN (SELECT {UNNEST}) AND week BETWEEN ? AND ?",
        [joined(types), min(weeks) - 1, max(weeks) + 1],
    ).fetchall()
    found = {(str(t), int(w), tuple(json.loads(c))) for t, w, c in rows}
    return {b for b in found if any(related_blocks(b, n) for n in blocks)}


# A role the text names: it has a code, and the code is not the article's main country
# filled in for a bare sector noun.
_NAMED_ROLE = "coalesce(x->>'code', '') <> '' AND NOT coalesce((x->>'guessed')::BOOLEAN, false)"


def _of_named(roles: str, value: str, keep: str = "true") -> str:
    """SQL for ``value`` of each role of a JSON list that is named (and meets ``keep``)."""
    return (
        f"list_transform(list_filter(m.{roles}::JSON[], lambda x: {_NAMED_ROLE} AND {keep}),"
        f" lambda x: {value})"
    )


def _named(roles: str) -> str:
    """SQL for the codes of a JSON list of roles that are named, not guessed."""
    return _of_named(roles, "x->>'code'")


def _sided(roles: str) -> str:
    """SQL for the "code:side" of each named role whose sector is known (``side_of``)."""
    states = ", ".join(f"'{sector}'" for sector in sorted(STATE_SECTORS))
    side = f"CASE WHEN x->>'sector' IN ({states}) THEN '{STATE_SIDE}' ELSE x->>'sector' END"
    return _of_named(roles, f"(x->>'code') || ':' || ({side})", "coalesce(x->>'sector', '') <> ''")


# The columns the pair features read, for the stored members of some blocks.
_STORED = f"""
SELECT b.component, b.type, b.week, b.cell,
       m.article_id, a.outlet, a.published, m.type, m.mode, m.trigger,
       m.date, m.date_granularity, m.date_how,
       m.place_name, m.lat, m.lon, m.precision, m.country, m.admin1, m.geonameid, m.place_how,
       m.killed_low, m.killed_high, {_named("actors")}, {_named("recipients")},
       substr(a.text, m.start_char + 1, m.end_char - m.start_char), {_sided("actors")},
       m.population
FROM event_blocks b
JOIN ({block_table}) k ON k.t = b.type AND k.w = b.week AND k.c = b.cell
JOIN mentions m ON m.article_id = b.article_id AND m.idx = b.mention_idx
JOIN articles a ON a.id = b.article_id
"""


@dataclass
class _Members:
    """The stored members of some blocks: each one's component, block and pair fields."""

    components: list[int]
    blocks: list[Block]
    fields: list[PairFields]


def _stored_members(ledger: Ledger, blocks: set[Block]) -> _Members:
    members = _Members([], [], [])
    if not blocks:
        return members
    for row in ledger.conn.execute(_STORED, block_keys(blocks)).fetchall():
        component, kind, week, cell, article_id, outlet, published = row[:7]
        event_type, mode, trigger, value, granularity, how = row[7:13]
        name, lat, lon, precision, country, admin1, geonameid, place_how = row[13:21]
        killed_low, killed_high, actors, recipients, evidence, sides, population = row[21:]
        place = (
            None
            if name is None
            else PlaceRef(
                name,
                lat,
                lon,
                PlacePrecision(precision),
                country,
                admin1,
                geonameid,
                place_how or "",
                population,
            )
        )
        members.components.append(int(component))
        members.blocks.append((str(kind), int(week), tuple(json.loads(cell))))
        members.fields.append(
            PairFields(
                article_id,
                outlet,
                published,
                event_type,
                mode,
                trigger,
                value,
                Granularity(granularity) if granularity else None,
                how,
                place,
                killed_low,
                killed_high,
                frozenset(actors or ()),
                frozenset(recipients or ()),
                evidence or "",
                frozenset(sides or ()),
            )
        )
    return members


def _count(blocks: Iterable[Block]) -> dict[Block, int]:
    counts: dict[Block, int] = {}
    for block in blocks:
        counts[block] = counts.get(block, 0) + 1
    return counts


def _cross_bound_crossed(before: Mapping[Block, int], after: Mapping[Block, int]) -> set[Block]:
    """The blocks of each country-only and province block pair whose cross pairs were
    compared before and are not now (the new mentions took them over the bound)."""
    coarse = [b for b in after if b[2][0] == "coarse"]
    provinces = [b for b in after if b[2][0] == "province"]
    crossed: set[Block] = set()
    for c in coarse:
        for p in provinces:
            if not related_blocks(c, p):
                continue
            was = before.get(c, 0) * before.get(p, 0) <= events.MAX_CROSS_PAIRS
            if was and after[c] * after[p] > events.MAX_CROSS_PAIRS:
                crossed |= {c, p}
    return crossed


def reached_components(
    ledger: Ledger, new: Sequence[MentionRef], evidence: Mapping[tuple[str, int], str]
) -> set[int]:
    """The stored components that the ``new`` mentions (of articles not yet consolidated)
    may change: those with a member that passes with a new mention under the shipped
    incident model, and those whose cross-block pairs the new mentions take over the bound."""
    new_blocks = [block_of(r) for r in new]
    stored = _stored_members(ledger, stored_blocks(ledger, set(new_blocks)))
    before = _count(stored.blocks)
    after = _count(stored.blocks + new_blocks)
    crossed = _cross_bound_crossed(before, after)
    reached = {c for c, b in zip(stored.components, stored.blocks, strict=True) if b in crossed}
    columns = MentionColumns(stored.fields + [fields_of(r, evidence) for r in new])
    involving = np.zeros(len(stored.fields) + len(new), dtype=bool)
    involving[len(stored.fields) :] = True
    model = incident_model(None)
    for i, j in possible_pairs(stored.blocks + new_blocks, columns, after, involving):
        passing = model.probabilities(pair_features(columns, i, j)) >= model.threshold
        # i < j and the new mentions come last: a stored member of a passing pair is its i.
        reached.update(stored.components[k] for k in i[passing].tolist() if k < len(stored.fields))
    return reached
