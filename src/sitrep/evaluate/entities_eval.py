"""Entity mentions against re3d (Person, Organisation, Location).

Gold: re3d entities of the three types with annotator confidence >= 0.5 (confidence-0 rows
are alternative labels the annotators rejected, e.g. "Jan" as a Person). Mentions map to
re3d types by kind: person -> Person, organisation -> Organisation (demonym adjectives
excluded: re3d calls those Nationality), location -> Location. Two scores: exact spans, and
overlap (a predicted span matches at most one gold span of its type that it overlaps).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from sitrep.analyze.core.pipeline import Analyzer
from sitrep.analyze.core.resources import Resources
from sitrep.evaluate.metrics import Metric, StageResult, prf
from sitrep.gold.spans import overlaps
from sitrep.ingest.build import make_article
from sitrep.model import Article, EntityKind, Origin

TYPES = {
    EntityKind.PERSON: "Person",
    EntityKind.ORGANISATION: "Organisation",
    EntityKind.LOCATION: "Location",
}
MIN_CONFIDENCE = 0.5
TARGET_F1 = 0.75

Spans = dict[str, set[tuple[str, int, int]]]  # type -> {(doc id, start, end)}


def read_re3d(data_dir: Path) -> tuple[dict[str, str], Spans]:
    texts: dict[str, str] = {}
    gold: Spans = defaultdict(set)
    for folder in sorted((data_dir / "re3d").iterdir()):
        if not folder.is_dir():
            continue
        for line in (folder / "documents.jsonl").read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            texts[record["_id"]] = record["text"]
        for line in (folder / "entities.jsonl").read_text(encoding="utf-8").splitlines():
            entity = json.loads(line)
            if entity["type"] in TYPES.values() and entity["confidence"] >= MIN_CONFIDENCE:
                gold[entity["type"]].add((entity["documentId"], entity["begin"], entity["end"]))
    return texts, gold


def predict(texts: dict[str, str], resources: Resources) -> Spans:
    analyzer = Analyzer(resources, ("parse", "entities"))
    articles: list[Article] = []
    for doc_id, text in texts.items():
        article = make_article(text, Origin(f"re3d:{doc_id}"))
        assert isinstance(article, Article)
        articles.append(article)
    predicted: Spans = defaultdict(set)
    for doc_id, document in zip(texts, analyzer.analyze_many(articles), strict=True):
        for mention in document.entities:
            if mention.label == "NORP":
                continue
            predicted[TYPES[mention.kind]].add((doc_id, mention.start, mention.end))
    return predicted


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


def evaluate_entities(data_dir: Path, resources: Resources) -> StageResult:
    texts, gold = read_re3d(data_dir)
    predicted = predict(texts, resources)
    result = StageResult("entities", f"re3d dev ({len(texts)} documents)")
    result.detail.append(
        [
            "type",
            "gold",
            "predicted",
            "exact P",
            "exact R",
            "exact F1",
            "overlap P",
            "overlap R",
            "overlap F1",
        ]
    )
    for label in TYPES.values():
        g, p = gold[label], predicted[label]
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
