"""A synthetic stream of event mentions for measuring how consolidation scales.

Happenings are drawn at a steady rate per day over invented places, so a corpus ten times
larger covers a period ten times longer: the density of mentions per type, week and
province stays what it is in a real feed, and only the corpus grows. Each happening is told
by one to six articles, each article tells about three. Nothing here is real text.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sitrep.model import (
    EventMention,
    EventRole,
    Granularity,
    MentionRef,
    Modality,
    PlacePrecision,
    PlaceRef,
)

TYPES = ("ASSAULT", "COERCE", "ACCUSE", "MOBILIZE", "AID", "PROTEST")
ACTORS = ("USA", "RUS", "SYR", "TUR", "IRN", "ISIS", "SDF", "HTS", "FSA", "ISR")
# A day of the synthetic feed carries this many happenings (about what a regional desk of a
# few dozen outlets reports on the Syrian war); an article tells MENTIONS_PER_ARTICLE.
HAPPENINGS_PER_DAY = 40
MENTIONS_PER_ARTICLE = 3
_WORDS = [f"w{n}" for n in range(3000)]


def _places(rng: random.Random) -> list[PlaceRef]:
    provinces = [f"Province {n}" for n in range(14)]
    return [
        PlaceRef(
            f"Town {n}",
            32.5 + rng.random() * 4.5,
            35.8 + rng.random() * 6.2,
            PlacePrecision.TOWN,
            "SYR",
            provinces[n % len(provinces)],
        )
        for n in range(400)
    ]


def synthetic_mentions(
    articles: int, seed: int = 7
) -> tuple[list[MentionRef], dict[tuple[str, int], str]]:
    """Mentions of ``articles`` synthetic articles, and an evidence sentence for each."""
    rng = random.Random(seed)
    places = _places(rng)
    tellings = articles * MENTIONS_PER_ARTICLE
    start = date(2016, 1, 1)
    refs: list[MentionRef] = []
    evidence: dict[tuple[str, int], str] = {}
    counts: dict[str, int] = {}
    n = 0
    while len(refs) < tellings:
        day = start + timedelta(days=n // HAPPENINGS_PER_DAY)
        n += 1
        event_type = rng.choice(TYPES)
        actor, victim = rng.sample(ACTORS, 2)
        place = rng.choice(places)
        words = " ".join(rng.sample(_WORDS, 8))
        for _ in range(rng.randint(1, 6)):
            article = f"a{rng.randrange(articles):07d}"
            index = counts.get(article, 0)
            counts[article] = index + 1
            mention = EventMention(
                0,
                60,
                0,
                6,
                "trigger",
                event_type,
                None,
                Modality.ASSERTED,
                actors=(EventRole(actor, 0, 3, actor, "MIL"),),
                recipients=(EventRole(victim, 4, 8, victim, "MIL"),),
                place=place,
                date=day.isoformat(),
                date_granularity=Granularity.DAY,
                date_how="explicit",
            )
            refs.append(MentionRef(article, index, mention, None, day))
            evidence[(article, index)] = f"{words} {' '.join(rng.sample(_WORDS, 6))}"
    return refs, evidence
