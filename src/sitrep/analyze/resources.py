"""Static resources of analysis (models, dictionaries, gazetteer), loaded once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from spacy.language import Language

from sitrep.analyze.actors import ActorIndex
from sitrep.analyze.claim_cues import ClaimCues
from sitrep.analyze.commitments import CommitmentCues
from sitrep.analyze.gazetteer import Gazetteer, load_gazetteer
from sitrep.analyze.modality import ModalityCues
from sitrep.analyze.nlp import build_pipeline
from sitrep.analyze.numbers import NumberGrammar
from sitrep.analyze.signal_cues import SignalCues
from sitrep.analyze.triggers import TriggerLexicon, TriggerSenses
from sitrep.resources import load_yaml


@dataclass(frozen=True)
class Lexicons:
    titles: frozenset[str]  # lower-cased, single-spaced
    person_pronouns: frozenset[str]
    group_pronouns: frozenset[str]
    place_descriptors: frozenset[str]
    directions: dict[str, str]  # word -> north/south/east/west/central
    group_heads: frozenset[str]  # lemmas of nouns naming collective actors
    person_heads: frozenset[str]  # lemmas of nouns naming one person by role
    numbers: dict[str, Any]

    @classmethod
    def load(cls) -> Lexicons:
        data = load_yaml("entities.yaml")
        titles = frozenset(" ".join(t.casefold().split()) for t in data["titles"])
        directions = {w: side for side, words in data["directions"].items() for w in words}
        return cls(
            titles=titles,
            person_pronouns=frozenset(data["person_pronouns"]),
            group_pronouns=frozenset(data["group_pronouns"]),
            place_descriptors=frozenset(data["place_descriptors"]),
            directions=directions,
            group_heads=frozenset(w.lower() for w in data["group_heads"]),
            person_heads=frozenset(w.lower() for w in data["person_heads"]),
            numbers=load_yaml("numbers.yaml"),
        )


def actor_data() -> dict[str, Any]:
    """The actor dictionary with the world's other countries after its own (which win)."""
    data = dict(load_yaml("actors.yaml"))
    world = load_yaml("countries_world.yaml").get("countries") or []
    data["countries"] = [*(data.get("countries") or []), *world]
    return data


@dataclass(frozen=True)
class Resources:
    nlp: Language
    actors: ActorIndex
    gazetteer: Gazetteer
    lexicons: Lexicons

    @cached_property
    def number_grammar(self) -> NumberGrammar:
        return NumberGrammar.build(self.lexicons.numbers)

    @cached_property
    def trigger_lexicon(self) -> TriggerLexicon:
        return TriggerLexicon(load_yaml("events.yaml"))

    @cached_property
    def trigger_senses(self) -> TriggerSenses:
        return TriggerSenses.build(load_yaml("trigger_senses.yaml"))

    @cached_property
    def modality_cues(self) -> ModalityCues:
        return ModalityCues.build(load_yaml("modality.yaml"))

    @cached_property
    def commitment_cues(self) -> CommitmentCues:
        return CommitmentCues.build(load_yaml("commitments.yaml"))

    @cached_property
    def claim_cues(self) -> ClaimCues:
        return ClaimCues.build(load_yaml("claims.yaml"))

    @cached_property
    def signal_cues(self) -> SignalCues:
        return SignalCues.build(load_yaml("signals.yaml"))

    @classmethod
    def load(cls, cache_dir: Path | None = None) -> Resources:
        actors = ActorIndex(actor_data(), load_yaml("sectors.yaml"))
        gazetteer = load_gazetteer(cache_dir)
        return cls(build_pipeline(actors, gazetteer), actors, gazetteer, Lexicons.load())


@cache
def shared_resources(cache_dir: Path | None = None) -> Resources:
    """One Resources per process and cache folder (each worker process loads its own)."""
    return Resources.load(cache_dir)
