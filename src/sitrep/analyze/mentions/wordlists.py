"""Word lists that find and shape entity mentions: titles, pronouns, group and person nouns,
place descriptors, directions, and the number grammar's words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sitrep.resources import load_lexicon


@dataclass(frozen=True)
class Lexicons:
    titles: frozenset[str]  # lower-cased, single-spaced
    person_pronouns: frozenset[str]
    group_pronouns: frozenset[str]
    place_descriptors: frozenset[str]
    container_words: frozenset[str]  # what may stand between a place and its container
    directions: dict[str, str]  # word -> north/south/east/west/central
    group_heads: frozenset[str]  # lemmas of nouns naming collective actors
    person_heads: frozenset[str]  # lemmas of nouns naming one person by role
    numbers: dict[str, Any]

    @classmethod
    def load(cls) -> Lexicons:
        data = load_lexicon("mentions", "entities.yaml")
        titles = frozenset(" ".join(t.casefold().split()) for t in data["titles"])
        directions = {w: side for side, words in data["directions"].items() for w in words}
        return cls(
            titles=titles,
            person_pronouns=frozenset(data["person_pronouns"]),
            group_pronouns=frozenset(data["group_pronouns"]),
            place_descriptors=frozenset(data["place_descriptors"]),
            container_words=frozenset(
                word
                for phrase in [*data["place_descriptors"], *data["container_links"], *directions]
                for word in phrase.split()
            ),
            directions=directions,
            group_heads=frozenset(w.lower() for w in data["group_heads"]),
            person_heads=frozenset(w.lower() for w in data["person_heads"]),
            numbers=load_lexicon("mentions", "numbers.yaml"),
        )
