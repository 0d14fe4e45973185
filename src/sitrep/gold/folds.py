"""Folds of the in-domain gold by incident group: train and tune on some, measure on the rest.

Outlets in one group tell the same story (the annotated articles were picked as groups that
report the same days and governorates), so a model that saw one outlet's telling would be
measured on a near copy of its training data. Articles are grouped when they share an
annotated incident, when FA-KES gives them the same governorate within a few days of each
other, or when their texts are near duplicates; whole groups are then dealt into folds.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sitrep.disjoint import DisjointSets
from sitrep.gold.fakes import FakesGold, fakes_gold

# Five folds: each test fold holds about 70 gold events (enough for a figure to move by
# 0.015 per event) while every model still trains on four fifths of the gold.
FOLDS = 5
# Articles about one governorate published this many days apart report the same days
# (the annotation's groups span at most three days; reposts of a story follow within two).
SAME_STORY_DAYS = 3
# Texts sharing this share of their word trigrams are reposts of one story (the threshold
# `consolidate.dedup` uses for near-duplicate articles, see docs/performance.md).
NEAR_DUPLICATE = 0.5


@dataclass(frozen=True)
class Folds:
    groups: tuple[tuple[str, ...], ...]  # unit ids of each incident group
    fold: dict[str, int]  # unit id -> fold number (0 … FOLDS-1)

    def members(self, fold: int) -> list[str]:
        return sorted(unit for unit, k in self.fold.items() if k == fold)

    def training(self, fold: int) -> list[str]:
        """The articles a model measured on ``fold`` may be trained or tuned on."""
        return sorted(unit for unit, k in self.fold.items() if k != fold)


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def _groups(gold: FakesGold) -> list[list[str]]:
    units = sorted(gold.articles)
    sets = DisjointSets(units)
    union = sets.join
    of_event = {e.id: e.unit_id for e in gold.events}
    for incident in gold.incidents:
        members = [of_event[e] for e in incident.events if e in of_event]
        for other in members[1:]:
            union(members[0], other)
    shingles = {u: _trigrams(gold.articles[u].text) for u in units}
    for i, a in enumerate(units):
        for b in units[i + 1 :]:
            first, second = gold.articles[a], gold.articles[b]
            close = abs((first.published - second.published).days) <= SAME_STORY_DAYS
            if close and first.location == second.location:
                union(a, b)
            union_size = len(shingles[a] | shingles[b])
            if union_size and len(shingles[a] & shingles[b]) / union_size >= NEAR_DUPLICATE:
                union(a, b)
    return sorted(sets.groups().values())


@cache
def fakes_folds(data_dir: Path, folds: int = FOLDS) -> Folds:
    """Incident groups dealt into ``folds`` folds of about equal numbers of gold events:
    largest groups first, each to the fold holding the fewest events so far (deterministic)."""
    gold = fakes_gold(data_dir)
    events: dict[str, int] = defaultdict(int)
    for event in gold.events:
        events[event.unit_id] += 1
    groups = _groups(gold)
    order = sorted(groups, key=lambda g: (-sum(events[u] for u in g), g[0]))
    load = [0] * folds
    fold: dict[str, int] = {}
    for group in order:
        target = min(range(folds), key=lambda k: (load[k], k))
        load[target] += sum(events[u] for u in group)
        fold.update({unit: target for unit in group})
    return Folds(tuple(tuple(g) for g in groups), fold)
