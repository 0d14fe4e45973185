"""The cue lexicon of claims (resources/claims.yaml), read once into sets and maps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sitrep.model import Stance


def _words(values: Any) -> frozenset[str]:
    return frozenset(" ".join(str(v).lower().split()) for v in values or ())


@dataclass(frozen=True)
class ObjectNounStatement:
    """A verb that states something only with one of ``nouns`` as its object ("traded
    accusations over …", "put the toll at …"); the content follows one of
    ``prepositions``."""

    stance: Stance
    verbs: frozenset[str]
    nouns: frozenset[str]
    prepositions: frozenset[str]


@dataclass(frozen=True)
class ClaimCues:
    verb_stance: dict[str, Stance]  # reporting verb lemma -> the stance it gives
    preposition_content: dict[str, frozenset[str]]  # "accuse" -> {"of"}
    express_nouns: dict[str, Stance]  # "expressed regret" -> regret
    object_content: frozenset[str]  # verbs whose object is the content
    demanding_for: frozenset[str]  # "called (asked, appealed) for a ceasefire"
    nouns: frozenset[str]
    back_reference_nouns: frozenset[str]
    relay_verbs: frozenset[str]
    generic_addressees: frozenset[str]
    relay_introducers: tuple[str, ...]
    anonymity: frozenset[str]
    sources: frozenset[str]  # nouns for speaking sources (sites, bloggers, experts)
    writer_voice: frozenset[str]
    prediction: frozenset[str]
    threat: frozenset[str]
    accusation: frozenset[str]
    stative: frozenset[str]
    hearsay_adverbs: frozenset[str] = frozenset()  # "reportedly": unnamed reports speak
    headline_sources: frozenset[str] = frozenset()  # "… kill 45 in Idlib: monitor"
    object_noun_statements: tuple[ObjectNounStatement, ...] = ()

    @property
    def source_words(self) -> frozenset[str]:
        """Words naming a speaking source, anonymous or not ("a source in Hama told …")."""
        return self._source_words  # type: ignore[attr-defined,no-any-return]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_source_words", self.anonymity | self.sources)

    @classmethod
    def build(cls, data: dict[str, Any]) -> ClaimCues:
        verb_stance: dict[str, Stance] = {}
        # The neutral class first, so a verb listed under a charged class keeps that class.
        for stance in sorted(data["verbs"], key=lambda s: s != "assert"):
            for verb in data["verbs"][stance]:
                verb_stance[str(verb).lower()] = Stance(stance)
        content = data["content"]
        return cls(
            verb_stance,
            {
                str(k): _words(v if isinstance(v, list) else [v])
                for k, v in data["preposition_content"].items()
            },
            {str(k): Stance(v) for k, v in data["express_nouns"].items()},
            _words(data["object_content"]),
            _words(data["demanding_for"]),
            _words(data["nouns"]),
            _words(data["back_reference_nouns"]),
            _words(data["relay_verbs"]),
            _words(data["generic_addressees"]),
            tuple(sorted(_words(data["relay_introducers"]), key=len, reverse=True)),
            _words(data["anonymity"]),
            _words(data["sources"]),
            _words(data["writer_voice"]),
            _words(content["prediction"]),
            _words(content["threat"]),
            _words(content["accusation"]),
            _words(content["stative"]),
            _words(data.get("hearsay_adverbs")),
            _words(data.get("headline_sources")),
            tuple(
                ObjectNounStatement(
                    Stance(entry["stance"]),
                    _words(entry["verbs"]),
                    _words(entry["nouns"]),
                    _words(entry["prepositions"]),
                )
                for entry in data.get("object_noun_statements") or ()
            ),
        )
