"""Entity mentions: named entities, collective-actor noun phrases, place phrases, pronouns.

Spans follow one convention throughout (that of the re3d corpus, which also suits actor
coding): a person's title belongs to the mention ("Lt. Gen. Stephen J. Townsend"), so does
a leading "the" of a name ("the Islamic State"), the modifiers of a group ("Iraqi security
forces") and a place's descriptor ("the port city of Tartus"). A country that acts ("Russia
warned") is an organisation; a country where something happens ("in Syria") a location.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from sitrep.analyze.resources import Lexicons
from sitrep.model import EntityKind

_NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"}
_LOCATIVE = {"in", "at", "near", "from", "to", "into", "across", "over", "towards", "toward",
             "inside", "outside", "around", "throughout", "within", "through", "along", "between",
             "beyond", "off", "on", "onto", "via", "past", "under", "above", "against"}  # fmt: skip
_AGENT_DEPS = {"nsubj", "nsubjpass", "agent", "csubj", "appos"}
_DETERMINERS = {"the", "a", "an"}


@dataclass
class Candidate:
    start: int  # token indices
    end: int
    label: str
    kind: EntityKind
    found_by: str
    priority: int  # higher wins an overlap

    def overlaps(self, other: Candidate) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Candidate) -> bool:
        return self.start <= other.start and other.end <= self.end


def _title_start(doc: Doc, start: int, titles: tuple[tuple[str, ...], ...]) -> int:
    """Index where the titles before a name begin ("Defense Secretary" + "Ash Carter")."""
    moved = True
    while moved and start > 0:
        moved = False
        for title in titles:
            n = len(title)
            if start - n < 0:
                continue
            words = tuple(t.lower_ for t in doc[start - n : start])
            if words == title and all(t.is_title or t.is_upper or not t.is_alpha for t in doc[start - n : start]):
                start, moved = start - n, True
                break
    return start


def _with_determiner(doc: Doc, start: int) -> int:
    return start - 1 if start > 0 and doc[start - 1].lower_ == "the" else start


def _gpe_acts(span: Span) -> bool:
    """Whether a place name is used for the state or its government (metonymy)."""
    root = span.root
    if root.dep_ in _AGENT_DEPS:
        return True
    if root.dep_ == "pobj" and root.head.lower_ == "by":
        return True
    if root.dep_ in ("compound", "amod", "nmod") and root.head.pos_ in ("NOUN", "PROPN"):
        # "the US attack", "US strategy": a country before a noun is the actor behind it;
        # a city is a place ("Damascus police station", "Aleppo bomb blast").
        return span.ent_id_.startswith("country:")
    if root.dep_ == "poss":  # "Russia's response", but not "Syria's airspace" (a place)
        return root.head.pos_ == "NOUN" and root.head.lemma_ not in ("airspace", "territory", "border", "soil", "skies")
    if root.dep_ == "conj":
        first = root
        while first.dep_ == "conj" and first.head is not first:
            first = first.head
        return first.dep_ in _AGENT_DEPS
    return False


def _name_candidates(doc: Doc, lex: Lexicons) -> list[Candidate]:
    found = []
    for ent in doc.ents:
        if ent.label_ not in _NAME_LABELS:
            continue
        start, end, label = ent.start, ent.end, ent.label_
        if label == "PERSON":
            start = _title_start(doc, start, lex.titles)
            kind, priority = EntityKind.PERSON, 5
        elif label == "NORP":
            if ent.root.pos_ == "ADJ" or ent.root.dep_ in ("amod", "compound"):
                continue  # an adjective ("Russian warplanes") belongs to its noun phrase
            start, label, kind, priority = _with_determiner(doc, start), "GROUP", EntityKind.ORGANISATION, 3
        elif label == "ORG":
            start, kind, priority = _with_determiner(doc, start), EntityKind.ORGANISATION, 3
        elif label == "GPE" and _gpe_acts(ent):
            start, kind, priority = _with_determiner(doc, start), EntityKind.ORGANISATION, 3
        else:
            start, kind, priority = _with_determiner(doc, start), EntityKind.LOCATION, 3
        source = "ruler" if ent.ent_id_ else "ner"
        found.append(Candidate(start, end, label, kind, source, priority))
    return found


def _of_extension(doc: Doc, chunk: Span, linkers: tuple[str, ...] = ("of",)) -> int:
    """End of "the Government of Iraq", "the people of Syria": the chunk plus its of-phrase."""
    end = chunk.end
    if end < len(doc) and doc[end].lower_ in linkers and doc[end].head == chunk.root:
        objects = [t for t in doc[end].children if t.dep_ == "pobj"]
        if objects:
            end = max(end, objects[0].right_edge.i + 1)
    return end


def _trim_leading(chunk: Span) -> Span:
    """Drop words a noun chunk can start with that are not part of the phrase ("where the army")."""
    start = chunk.start
    while start < chunk.end - 1 and chunk.doc[start].tag_ in ("WRB", "WDT", "WP", "IN", "CC", "RB", "_SP", "UH"):
        start += 1
    return chunk.doc[start : chunk.end]


def _chunk_candidates(doc: Doc, lex: Lexicons) -> list[Candidate]:
    found = []
    for chunk in map(_trim_leading, doc.noun_chunks):
        root = chunk.root
        lemma = root.lemma_.lower()
        if root.tag_ in ("PRP", "PRP$"):
            continue
        if lemma in lex.place_descriptors or root.lower_ in lex.place_descriptors:
            end = _of_extension(doc, chunk)
            found.append(Candidate(chunk.start, end, "LOC", EntityKind.LOCATION, "noun phrase", 4))
        elif lemma in lex.group_heads:
            singular = root.tag_ in ("NN", "NNP")
            kind = EntityKind.PERSON if singular and lemma in lex.person_heads else EntityKind.ORGANISATION
            # "spokesman for the Russian Foreign Ministry", "members of the Republican Guard"
            end = _of_extension(doc, chunk, ("of", "for") if kind is EntityKind.PERSON else ("of",))
            found.append(Candidate(chunk.start, end, "GROUP", kind, "noun phrase", 4))
    return found


def _pronoun_candidates(doc: Doc, lex: Lexicons) -> list[Candidate]:
    found = []
    for token in doc:
        if token.tag_ not in ("PRP", "PRP$"):
            continue
        word = token.lower_
        if word in lex.person_pronouns:
            found.append(Candidate(token.i, token.i + 1, "PRON", EntityKind.PERSON, "pronoun", 1))
        elif word in lex.group_pronouns:
            found.append(Candidate(token.i, token.i + 1, "PRON", EntityKind.ORGANISATION, "pronoun", 1))
    return found


def _resolve_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """Keep the best of overlapping candidates.

    A phrase keeps the name inside it ("ISIL terrorists" over "ISIL") unless the name is a
    person (a title phrase becomes the person) or the phrase is a place around a name of
    another kind; otherwise higher priority, then the longer span, wins.
    """

    def score(c: Candidate) -> tuple[int, int]:
        return (c.priority, c.end - c.start)

    kept: list[Candidate] = []
    for candidate in sorted(candidates, key=score, reverse=True):
        clash = [k for k in kept if k.overlaps(candidate)]
        if not clash:
            kept.append(candidate)
            continue
        for other in clash:
            absorbs = (
                candidate.found_by == "noun phrase"
                and candidate.contains(other)
                and other.kind is not EntityKind.PERSON
                and (candidate.kind is other.kind or other.kind is EntityKind.ORGANISATION or candidate.kind is EntityKind.LOCATION)
            )
            if absorbs:
                kept.remove(other)
                kept.append(candidate)
                break
    return sorted(kept, key=lambda c: c.start)


def find_mentions(doc: Doc, lex: Lexicons) -> list[Candidate]:
    candidates = _name_candidates(doc, lex) + _chunk_candidates(doc, lex) + _pronoun_candidates(doc, lex)
    return _resolve_overlaps(candidates)


def token_span(doc: Doc, candidate: Candidate) -> tuple[int, int]:
    """Character offsets of a candidate."""
    first: Token = doc[candidate.start]
    last: Token = doc[candidate.end - 1]
    return first.idx, last.idx + len(last.text)
