"""Static resources of analysis (models, dictionaries, gazetteer), loaded once per process."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path

from spacy.language import Language

from sitrep.analyze.claims.cues import ClaimCues
from sitrep.analyze.claims.decide import ClaimHeads
from sitrep.analyze.core.models import ModelStore
from sitrep.analyze.core.nlp import build_pipeline
from sitrep.analyze.events.commitments import CommitmentCues
from sitrep.analyze.events.decide import EventHeads
from sitrep.analyze.events.features import DecisionCues
from sitrep.analyze.events.modality import ModalityCues
from sitrep.analyze.events.triggers import TriggerLexicon, TriggerSenses
from sitrep.analyze.mentions.actors import ActorIndex, actor_data
from sitrep.analyze.mentions.gazetteer import Gazetteer, load_gazetteer
from sitrep.analyze.mentions.numbers import NumberGrammar
from sitrep.analyze.mentions.wordlists import Lexicons
from sitrep.analyze.signals.cues import SignalCues
from sitrep.analyze.signals.decide import SignalHeads
from sitrep.resources import load_lexicon


@dataclass(frozen=True)
class Resources:
    nlp: Language
    actors: ActorIndex
    gazetteer: Gazetteer
    lexicons: Lexicons
    models: ModelStore = field(default_factory=ModelStore)  # the trained decision heads

    def with_models(self, root: Path | None) -> Resources:
        """The same resources deciding with the models in ``root`` (None: the shipped ones)."""
        if root == self.models.root:
            return self
        return replace(self, models=ModelStore(root))

    @cached_property
    def number_grammar(self) -> NumberGrammar:
        return NumberGrammar.build(self.lexicons.numbers)

    @cached_property
    def trigger_lexicon(self) -> TriggerLexicon:
        return TriggerLexicon(load_lexicon("events", "events.yaml"))

    @cached_property
    def trigger_senses(self) -> TriggerSenses:
        return TriggerSenses.build(load_lexicon("events", "trigger_senses.yaml"))

    @cached_property
    def modality_cues(self) -> ModalityCues:
        return ModalityCues.build(load_lexicon("events", "modality.yaml"))

    @cached_property
    def commitment_cues(self) -> CommitmentCues:
        return CommitmentCues.build(load_lexicon("events", "commitments.yaml"))

    @cached_property
    def claim_cues(self) -> ClaimCues:
        return ClaimCues.build(load_lexicon("claims", "claims.yaml"))

    @cached_property
    def decision_cues(self) -> DecisionCues:
        return DecisionCues.build(
            load_lexicon("events", "decision_cues.yaml"), self.modality_cues.speech_acts
        )

    @cached_property
    def event_heads(self) -> EventHeads:
        """The trained heads that decide on candidate events (read on first use)."""
        return EventHeads.load(self.models)

    @cached_property
    def claim_heads(self) -> ClaimHeads:
        """The trained heads that decide a claim's stance and its speaker's anonymity."""
        return ClaimHeads.load(self.models)

    @cached_property
    def signal_heads(self) -> SignalHeads:
        """The trained head that decides which own-voice sentences are assertions."""
        return SignalHeads.load(self.models)

    @cached_property
    def signal_cues(self) -> SignalCues:
        return SignalCues.build(load_lexicon("signals", "signals.yaml"))

    @classmethod
    def load(cls, cache_dir: Path | None = None) -> Resources:
        actors = ActorIndex(actor_data(), load_lexicon("mentions", "sectors.yaml"))
        gazetteer = load_gazetteer(cache_dir)
        return cls(build_pipeline(actors, gazetteer), actors, gazetteer, Lexicons.load())


@cache
def shared_resources(cache_dir: Path | None = None) -> Resources:
    """One Resources per process and cache folder (each worker process loads its own)."""
    return Resources.load(cache_dir)
