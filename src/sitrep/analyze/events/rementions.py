"""One mention per happening per article: later mentions of a happening join its first."""

from __future__ import annotations

from dataclasses import replace

from sitrep.geo import km_between
from sitrep.model import EventMention, EventRole, Modality, PlacePrecision

__all__ = ["merge_rementions"]

# Two mentions of one happening may place it this far apart (a town and its air base).
SAME_PLACE_KM = 50.0


def _codes(roles: tuple[EventRole, ...]) -> set[str]:
    return {r.code for r in roles if r.code}


def _same_happening(first: EventMention, later: EventMention) -> bool:
    """Whether two mentions in one article tell the same happening: one type and mode, shared
    participants and none in conflict, the same day and place where both say."""
    if first.type != later.type or first.modality.counts_as_event != later.modality.counts_as_event:
        return False
    if first.mode and later.mode and first.mode != later.mode:
        return False
    actors_a, actors_b = _codes(first.actors), _codes(later.actors)
    recipients_a, recipients_b = _codes(first.recipients), _codes(later.recipients)
    if (actors_a and actors_b and not actors_a & actors_b) or (
        recipients_a and recipients_b and not recipients_a & recipients_b
    ):
        return False
    if not (actors_a & actors_b or recipients_a & recipients_b):
        return False
    targets_a = {r.text.lower() for r in first.recipients if not r.code}
    targets_b = {r.text.lower() for r in later.recipients if not r.code}
    if targets_a and targets_b and not targets_a & targets_b and not recipients_a & recipients_b:
        return False  # "seized Manbij" and "captured the territory": two seizures
    if first.date and later.date:  # compared at the coarser of the two granularities
        width = min(len(first.date), len(later.date))
        if first.date[:width] != later.date[:width]:
            return False
    if first.place and later.place:
        near = (
            km_between(first.place.lat, first.place.lon, later.place.lat, later.place.lon)
            <= SAME_PLACE_KM
        )
        if not near and PlacePrecision.COUNTRY not in (
            first.place.precision,
            later.place.precision,
        ):
            return False
    return True


def merge_rementions(events: list[EventMention]) -> list[EventMention]:
    """One mention per happening per article: later mentions of the same happening enrich the
    first (tolls, missing roles, a finer place) and are not kept on their own. The body's first
    mention leads; a headline's mention of the same happening joins it."""
    body = [e for e in events if not e.headline]
    headline = [e for e in events if e.headline]
    kept: list[EventMention] = []
    for event in body + headline:
        index = next((i for i, e in enumerate(kept) if _same_happening(e, event)), None)
        if index is None:
            kept.append(event)
            continue
        first = kept[index]
        asserted_later = (
            event.modality is Modality.ASSERTED and first.modality is not Modality.ASSERTED
        )
        if (first.headline and not event.headline) or (asserted_later and not event.headline):
            first, event = event, first  # the body's, and the outlet's own, telling leads
        finer_place = first.place is None or (
            event.place is not None
            and first.place.precision is PlacePrecision.COUNTRY
            and event.place.precision is not PlacePrecision.COUNTRY
        )
        kept[index] = replace(
            first,
            actors=first.actors or event.actors,
            recipients=first.recipients or event.recipients,
            killed_low=first.killed_low if first.killed_low is not None else event.killed_low,
            killed_high=first.killed_high if first.killed_low is not None else event.killed_high,
            injured_low=first.injured_low if first.injured_low is not None else event.injured_low,
            injured_high=first.injured_high
            if first.injured_low is not None
            else event.injured_high,
            place=event.place if finer_place else first.place,
            place_text=event.place_text if finer_place else first.place_text,
            mode=first.mode or event.mode,
            also=(*first.also, *event.trigger_spans),
        )
    return sorted(kept, key=lambda e: e.trigger_start)
