"""The NLP core on the seeds gold (places, actors, dates, killed) and FA-KES (governorates).

Each gold event is found in its article by its evidence string; the gold place, actor and
date strings are then found next to it, and what the pipeline produced there is compared:
the mention that overlaps the gold string, or, where no mention overlaps, the resolver run
on the gold string with the article's context (its main country, the place named before).
"""

from __future__ import annotations

import csv
from collections import Counter
from typing import Any

from sitrep.analyze.core.document import Document
from sitrep.analyze.core.pipeline import Analyzer
from sitrep.analyze.mentions.places import resolve_place
from sitrep.evaluate.context import EvalContext
from sitrep.evaluate.metrics import Metric, StageResult, ratio
from sitrep.gold.data import seeds_gold
from sitrep.gold.spans import km_between, locate, overlaps
from sitrep.ingest.build import make_article
from sitrep.model import ActorRef, Article, Origin

PLACE_KM = 25.0


def _document_for(
    ctx: EvalContext, file: str, evidence: str
) -> tuple[Document, tuple[int, int]] | None:
    for document in ctx.seed_documents.get(file, []):
        span = locate(document.text, evidence)
        if span:
            return document, span
    return None


def _place_prediction(
    document: Document, span: tuple[int, int] | None, text: str, ctx: EvalContext
) -> tuple[Any, str]:
    if span:
        for mention in document.entities:
            if mention.place and overlaps((mention.start, mention.end), span):
                return mention.place, "mention"
    resources = ctx.resources
    place, _ = resolve_place(
        text,
        resources.gazetteer,
        resources.lexicons,
        document.main_country,
        document.main_admin1,
        resources.actors.demonyms,
    )
    if place is None and span:  # a phrase with no name: the last place named before it
        before = [m for m in document.entities if m.place and m.end <= span[0]]
        if before:
            return before[-1].place, "context"
    return place, "resolver"


def score_places(ctx: EvalContext, events: list[dict[str, Any]], result: StageResult) -> None:
    right = total = 0
    for event in events:
        gold = event.get("place")
        if not gold or gold.get("lat") is None:
            continue
        found = _document_for(ctx, event["file"], event["evidence"])
        total += 1
        if not found:
            result.notes.append(f"place: evidence of {event['id']} not found in the stored text")
            continue
        document, evidence = found
        span = locate(document.text, gold["text"], evidence)
        place, how = _place_prediction(document, span, gold["text"] or "", ctx)
        distance = km_between(place.lat, place.lon, gold["lat"], gold["lon"]) if place else None
        ok = distance is not None and distance <= PLACE_KM
        right += ok
        if not ok:
            got = f"{place.name} ({distance:.0f} km, {how})" if place else "unresolved"
            result.detail.append(["place", event["id"], gold["text"], gold["name"], got])
    result.metrics.append(
        Metric(
            "seeds.places_within_25km",
            "event places within 25 km of gold",
            ratio(right, total),
            0.90,
            total,
        )
    )


def _codes(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _actor_prediction(
    document: Document, span: tuple[int, int] | None, text: str, ctx: EvalContext
) -> list[Any]:
    if span:
        inside = [
            m.actor for m in document.entities if m.actor and overlaps((m.start, m.end), span)
        ]
        if inside:
            codes: list[ActorRef] = []
            for actor in inside:
                if actor.code not in [a.code for a in codes]:
                    codes.append(actor)
            return codes
    return ctx.resources.actors.resolve_all(text, document.main_country)


def score_actors(ctx: EvalContext, events: list[dict[str, Any]], result: StageResult) -> None:
    right = with_sector = total = 0
    for event in events:
        found = _document_for(ctx, event["file"], event["evidence"])
        for role in ("actor", "recipient"):
            gold = event.get(role)
            if not gold or not gold.get("code") or not gold.get("text"):
                continue
            total += 1
            if not found:
                continue
            document, evidence = found
            span = locate(document.text, gold["text"], evidence)
            predicted = _actor_prediction(document, span, gold["text"], ctx)
            codes = sorted({a.code for a in predicted})
            ok = codes == sorted(set(_codes(gold["code"])))
            right += ok
            sector_ok = ok and (
                gold.get("sector") is None or any(a.sector == gold["sector"] for a in predicted)
            )
            with_sector += sector_ok
            if not ok:
                got = ", ".join(f"{a.code}/{a.sector}" for a in predicted) or "unresolved"
                result.detail.append(
                    [
                        "actor",
                        event["id"],
                        gold["text"],
                        f"{gold['code']}/{gold.get('sector')}",
                        got,
                    ]
                )
    result.metrics += [
        Metric(
            "seeds.actor_codes",
            "gold actors/recipients with the right code",
            ratio(right, total),
            0.85,
            total,
        ),
        Metric(
            "seeds.actor_codes_and_sector",
            "... and the right sector too",
            ratio(with_sector, total),
            None,
            total,
        ),
    ]


def _time_prediction(
    document: Document, span: tuple[int, int] | None, evidence: tuple[int, int]
) -> tuple[str | None, str]:
    if span:
        for time in document.times:
            if overlaps((time.start, time.end), span):
                return time.value, time.how
    # No date phrase of its own: the closest date phrase in the evidence, else the latest one
    # in the paragraph before it, else the document date.
    paragraph_start = document.text.rfind("\n\n", 0, evidence[0]) + 1
    inside = [t for t in document.times if t.value and overlaps((t.start, t.end), evidence)]
    if inside:
        return inside[0].value, "date in the evidence"
    before = [t for t in document.times if t.value and paragraph_start <= t.start < evidence[0]]
    if before:
        return before[-1].value, "date earlier in the paragraph"
    if document.focus:
        return document.focus, "the day the text is about"
    dct = document.dct
    if dct and dct.value:
        return (
            dct.value.isoformat()
            if dct.granularity and dct.granularity.value == "day"
            else dct.value.strftime("%Y-%m"),
            "document date",
        )
    return None, "no date"


def _same_date(predicted: str | None, gold: str) -> bool:
    if predicted is None:
        return False
    if len(gold) == 7:  # the gold is a month: the same month is right
        return predicted[:7] == gold
    return predicted == gold


def score_dates(ctx: EvalContext, events: list[dict[str, Any]], result: StageResult) -> None:
    right = total = 0
    for event in events:
        gold = event.get("date") or {}
        if not gold.get("value"):
            continue
        total += 1
        found = _document_for(ctx, event["file"], event["evidence"])
        if not found:
            continue
        document, evidence = found
        span = locate(document.text, gold.get("text"), evidence)
        value, how = _time_prediction(document, span, evidence)
        ok = _same_date(value, str(gold["value"]))
        right += ok
        if not ok:
            result.detail.append(
                [
                    "date",
                    event["id"],
                    gold.get("text") or "(none)",
                    gold["value"],
                    f"{value} ({how})",
                ]
            )
    result.metrics.append(
        Metric(
            "seeds.dates",
            "event dates right (same day; same month for month gold)",
            ratio(right, total),
            0.85,
            total,
        )
    )


def score_killed(ctx: EvalContext, events: list[dict[str, Any]], result: StageResult) -> None:
    right = total = 0
    for event in events:
        gold = event.get("killed")
        if not gold:
            continue
        total += 1
        found = _document_for(ctx, event["file"], event["evidence"])
        if not found:
            continue
        document, evidence = found
        counts = [
            q
            for q in document.quantities
            if q.category == "killed" and overlaps((q.start, q.end), evidence)
        ]
        if (
            not counts
        ):  # the toll is often told just after: the nearest count in the same or next paragraph
            start = document.text.rfind("\n\n", 0, evidence[0]) + 1
            after = document.text.find("\n\n", evidence[1])
            following = document.text.find("\n\n", after + 2) if after != -1 else -1
            end = len(document.text) if following == -1 else following
            near = [
                q for q in document.quantities if q.category == "killed" and start <= q.start < end
            ]
            counts = sorted(near, key=lambda q: abs(q.start - evidence[1]))[:1]
        ok = bool(counts) and (counts[0].low, counts[0].high) == (gold.get("low"), gold.get("high"))
        right += ok
        if not ok:
            got = ", ".join(f"{q.low}-{q.high}" for q in counts) or "none"
            result.detail.append(
                [
                    "killed",
                    event["id"],
                    event["evidence"][:60],
                    f"{gold.get('low')}-{gold.get('high')}",
                    got,
                ]
            )
    result.metrics.append(
        Metric(
            "seeds.killed_exact", "killed ranges exactly right", ratio(right, total), 0.85, total
        )
    )


def evaluate_seeds_nlp(ctx: EvalContext) -> StageResult:
    events = seeds_gold(ctx.data_dir)["events"]
    result = StageResult("nlp core", "seeds gold events")
    result.detail.append(["layer", "gold item", "gold text", "gold value", "got"])
    score_places(ctx, events, result)
    score_actors(ctx, events, result)
    score_dates(ctx, events, result)
    score_killed(ctx, events, result)
    return result


# FA-KES governorate names -> the admin1 names that count as right ("damascus" covers the
# city and its countryside, Rif Dimashq, as FA-KES's annotators used it).
FAKES_GOVERNORATES = {
    "aleppo": {"Aleppo"},
    "damascus": {"Damascus", "Rif Dimashq"},
    "idlib": {"Idlib"},
    "deir ezzor": {"Deir ez-Zor"},
    "raqqa": {"Raqqa"},
    "homs": {"Homs"},
    "hasakeh": {"Al-Hasakah"},
    "hama": {"Hama"},
    "daraa": {"Daraa"},
    "lattakia": {"Latakia"},
    "quneitra": {"Quneitra"},
    "tartous": {"Tartus"},
    "sweida": {"As-Suwayda"},
}


def fakes_articles(ctx: EvalContext) -> list[tuple[dict[str, str], Article]]:
    with (ctx.data_dir / "fakes" / "dev.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    pairs = []
    for row in rows:
        # As a page reads: the headline, a blank line, the body (body_start marks the body).
        title = row["article_title"].strip()
        text = f"{title}\n\n{row['article_content'].strip()}"
        article = make_article(
            text,
            Origin("fakes/dev.csv", f"unit {row['unit_id']}", "csv"),
            title=title,
            body_start=len(title) + 2,
        )
        if isinstance(article, Article):
            pairs.append((row, article))
    return pairs


def evaluate_fakes_places(ctx: EvalContext) -> StageResult:
    pairs = fakes_articles(ctx)
    analyzer = Analyzer(ctx.resources, ("parse", "entities", "places"))
    result = StageResult("places", f"FA-KES dev ({len(pairs)} articles)")
    right = 0
    confusion: Counter[tuple[str, str]] = Counter()
    for (row, _), document in zip(pairs, analyzer.analyze_many([a for _, a in pairs]), strict=True):
        gold = row["location"].strip().lower()
        ok = document.main_admin1 in FAKES_GOVERNORATES.get(gold, {gold})
        right += ok
        if not ok:
            confusion[(gold, str(document.main_admin1))] += 1
    result.metrics.append(
        Metric(
            "fakes.main_governorate",
            "article's main governorate right",
            ratio(right, len(pairs)),
            0.85,
            len(pairs),
        )
    )
    result.detail.append(["gold governorate", "predicted", "articles"])
    result.detail += [[g, p, n] for (g, p), n in confusion.most_common(15)]
    return result
