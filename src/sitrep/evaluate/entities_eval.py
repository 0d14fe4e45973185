"""Entity mentions the product stored for re3d (Person, Organisation, Location).

The re3d documents go through the product as a JSONL file, one input record (its ``id`` and
``text``) each (``EvalContext.re3d_run``); the figures read the stored entity records.

Gold: re3d entities of the three types with annotator confidence >= 0.5 (confidence-0 rows
are alternative labels the annotators rejected, e.g. "Jan" as a Person). Stored entities map
to re3d types by kind: person -> Person, organisation -> Organisation (demonym adjectives,
label NORP, excluded: re3d calls those Nationality), location -> Location. Two scores: exact
spans, and overlap (a stored span matches at most one gold span of its type that it
overlaps).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from sitrep.evaluate.context import EvalContext
from sitrep.evaluate.metrics import Metric, StageResult, prf
from sitrep.evaluate.stored import RecordsRun
from sitrep.gold.spans import overlaps

TYPES = {"person": "Person", "organisation": "Organisation", "location": "Location"}
MIN_CONFIDENCE = 0.5
TARGET_F1 = 0.75

Spans = dict[str, set[tuple[str, int, int]]]  # type -> {(doc id, start, end)}


def read_re3d_gold(data_dir: Path) -> Spans:
    gold: Spans = defaultdict(set)
    for folder in sorted((data_dir / "re3d").iterdir()):
        if not folder.is_dir():
            continue
        for line in (folder / "entities.jsonl").read_text(encoding="utf-8").splitlines():
            entity = json.loads(line)
            if entity["type"] in TYPES.values() and entity["confidence"] >= MIN_CONFIDENCE:
                gold[entity["type"]].add((entity["documentId"], entity["begin"], entity["end"]))
    return gold


def stored_spans(run: RecordsRun) -> Spans:
    """The stored entity spans of each re3d document, by re3d type."""
    found: Spans = defaultdict(set)
    for doc_id in run.article_of:
        for entity in run.entities(doc_id):
            kind = TYPES.get(entity["kind"])
            if kind is not None and entity["label"] != "NORP":
                span = entity["span"]
                found[kind].add((doc_id, span["start"], span["end"]))
    return found


def _overlap_matches(predicted: set[tuple[str, int, int]], gold: set[tuple[str, int, int]]) -> int:
    by_doc: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for doc_id, start, end in gold:
        by_doc[doc_id].append((start, end))
    matched = 0
    used: set[tuple[str, int, int]] = set()
    for doc_id, start, end in sorted(predicted):
        for g in sorted(by_doc[doc_id]):
            key = (doc_id, *g)
            if key not in used and overlaps((start, end), g):
                used.add(key)
                matched += 1
                break
    return matched


def evaluate_entities(ctx: EvalContext) -> StageResult:
    gold = read_re3d_gold(ctx.data_dir)
    run = ctx.re3d_run
    stored = stored_spans(run)
    result = StageResult("entities", f"re3d dev ({len(run.article_of)} documents)")
    result.detail.append(
        [
            "type",
            "gold",
            "stored",
            "exact P",
            "exact R",
            "exact F1",
            "overlap P",
            "overlap R",
            "overlap F1",
        ]
    )
    for label in TYPES.values():
        g, p = gold[label], stored[label]
        exact = prf(len(g & p), len(p), len(g))
        matched = _overlap_matches(p, g)
        loose = prf(matched, len(p), len(g))
        key = label.lower()
        result.metrics.append(
            Metric(f"re3d.{key}.f1_exact", f"{label} F1, exact spans", exact[2], TARGET_F1, len(g))
        )
        result.metrics.append(
            Metric(
                f"re3d.{key}.f1_overlap",
                f"{label} F1, overlapping spans",
                loose[2],
                TARGET_F1,
                len(g),
            )
        )
        result.detail.append([label, len(g), len(p), *(f"{v:.3f}" for v in (*exact, *loose))])
    return result
