"""Entity mentions: named entities, collective-actor noun phrases, place phrases, pronouns.

Spans follow one convention throughout (that of the re3d corpus, which also suits actor
coding): a person's title belongs to the mention ("Lt. Gen. Stephen J. Townsend"), so does
a leading "the" of a name ("the Islamic State"), the modifiers of a group ("Iraqi security
forces") and a place's descriptor ("the port city of Tartus"). A country that acts ("Russia
warned") is an organisation; a country where something happens ("in Syria") a location.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from sitrep.analyze.mentions.wordlists import Lexicons
from sitrep.model import EntityKind

_MAX_TITLE_TOKENS = 8  # "Navy Special Warfare Operator 1st Class" is 6 tokens
_NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"}
_LOCATIVE = {
    "in",
    "at",
    "near",
    "from",
    "to",
    "into",
    "across",
    "over",
    "towards",
    "toward",
    "inside",
    "outside",
    "around",
    "throughout",
    "within",
    "through",
    "along",
    "between",
    "beyond",
    "off",
    "on",
    "onto",
    "via",
    "past",
    "under",
    "above",
    "against",
}
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


def _title_start(doc: Doc, start: int, titles: frozenset[str]) -> int:
    """Index where the titles before a name begin ("Army Lt. Gen." + "Stephen J. Townsend").

    Titles are compared as text ("Col." is two tokens to spaCy) and must be capitalised.
    """
    moved = True
    while moved and start > 0:
        moved = False
        for width in range(min(_MAX_TITLE_TOKENS, start), 0, -1):
            span = doc[start - width : start]
            text = " ".join(span.text.split()).lower()
            if text in titles and span[0].text[:1].isupper():
                start, moved = start - width, True
                break
    return start


def _with_determiner(doc: Doc, start: int, span: Span | None = None) -> int:
    """Include a leading "the" when it belongs to the name ("the Islamic State"), not when the
    name only modifies a later noun ("the Mosul dam": "the" is the dam's)."""
    if span is not None and span.root.dep_ in ("compound", "amod", "nmod", "poss"):
        return start
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
        return root.head.pos_ == "NOUN" and root.head.lemma_ not in (
            "airspace",
            "territory",
            "border",
            "soil",
            "skies",
        )
    if root.dep_ == "conj":  # "Russia, Iran and Turkey agreed": every conjunct acts with the first
        first = root
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head
        return first.i != root.i and _gpe_acts(span.doc[first.i : first.i + 1])
    return False


def _name_candidates(doc: Doc, lex: Lexicons) -> list[Candidate]:
    found = []
    for ent in doc.ents:
        if ent.label_ not in _NAME_LABELS:
            continue
        breaks = [t.i for t in ent if "\n" in t.text]
        if breaks:  # a name never runs across a line break ("Palmyra\n\nMinistry")
            if breaks[0] == ent.start:
                continue
            ent = doc[ent.start : breaks[0]]
        start, end, label = ent.start, ent.end, ent.label_
        if label == "PERSON":
            start = _title_start(doc, start, lex.titles)
            kind, priority = EntityKind.PERSON, 5
        elif label == "NORP":
            if ent.root.pos_ == "ADJ" or ent.root.dep_ in ("amod", "compound"):
                continue  # an adjective ("Russian warplanes") belongs to its noun phrase
            start, label, kind, priority = (
                _with_determiner(doc, start, ent),
                "GROUP",
                EntityKind.ORGANISATION,
                3,
            )
        elif label == "ORG" or (label == "GPE" and _gpe_acts(ent)):
            start, kind, priority = _with_determiner(doc, start, ent), EntityKind.ORGANISATION, 3
        else:
            start, kind, priority = _with_determiner(doc, start, ent), EntityKind.LOCATION, 3
        source = "ruler" if ent.ent_id_ else "ner"
        if source == "ner" and _looks_like_a_code(ent.text):
            continue
        found.append(Candidate(start, end, label, kind, source, priority))
    return found


_CODE_LIKE = re.compile(r"[\d@/#=+]|^[A-Z]{2,5}s?$")


def _looks_like_a_code(text: str) -> bool:
    """NER's unknown "names" that are codes: equipment (VBIED, DDG), units (MW, m3/s), handles
    (@user). Names in the actor dictionary come from the ruler and are never dropped."""
    return bool(_CODE_LIKE.search(text.strip()))


_CLAUSE_DEPS = ("prep", "relcl", "acl", "punct", "cc", "conj", "appos", "advcl")


def _own_end(token: Token) -> int:
    """End index of a noun with its modifiers, without the phrases and clauses after it."""
    end = token.i
    for child in token.rights:
        if child.dep_ in _CLAUSE_DEPS:
            break
        end = max(end, child.right_edge.i)
    return end + 1


def _of_extension(doc: Doc, chunk: Span, linkers: tuple[str, ...] = ("of",)) -> int:
    """End of "the Government of Iraq", "the people of Syria": the chunk plus its of-phrase."""
    end = chunk.end
    if end < len(doc) and doc[end].lower_ in linkers and doc[end].head == chunk.root:
        objects = [t for t in doc[end].children if t.dep_ == "pobj"]
        if (
            objects
        ):  # the object with its own modifiers, not the phrases after it ("in Northern Iraq")
            end = max(end, _own_end(objects[0]))
    return end


def _trim_leading(chunk: Span) -> Span:
    """Drop words a noun chunk can start with that are not part of the phrase ("where the army")."""
    start = chunk.start
    doc = chunk.doc
    while start < chunk.end - 1 and doc[start].tag_ in (
        "WRB",
        "WDT",
        "WP",
        "IN",
        "CC",
        "RB",
        "_SP",
        "UH",
    ):
        start += 1
    # "at least 9 villagers": with "at" gone, "least" is no word of the phrase either
    if (
        chunk.start < start < chunk.end - 1
        and doc[start - 1].lower_ == "at"
        and doc[start].lower_ in ("least", "most")
    ):
        start += 1
    return doc[start : chunk.end]


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
        elif lemma in lex.group_heads or lemma in lex.person_heads:
            singular = root.tag_ in ("NN", "NNP")
            kind = (
                EntityKind.PERSON
                if singular and lemma in lex.person_heads
                else EntityKind.ORGANISATION
            )
            # "spokesman for the Russian Foreign Ministry", "members of the Republican Guard"
            end = _of_extension(doc, chunk, ("of", "for") if kind is EntityKind.PERSON else ("of",))
            found.append(Candidate(chunk.start, end, "GROUP", kind, "noun phrase", 4))
    return found


def _pronoun_candidates(doc: Doc, lex: Lexicons) -> list[Candidate]:
    found = []
    for token in doc:
        # Possessive determiners ("their", "our") modify a noun phrase, which is the mention;
        # on re3d they are annotated for 11 of 56 occurrences.
        if token.tag_ != "PRP":
            continue
        word = token.lower_
        if word in lex.person_pronouns:
            found.append(Candidate(token.i, token.i + 1, "PRON", EntityKind.PERSON, "pronoun", 1))
        elif word in lex.group_pronouns:
            found.append(
                Candidate(token.i, token.i + 1, "PRON", EntityKind.ORGANISATION, "pronoun", 1)
            )
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
                and (
                    candidate.kind is other.kind
                    or other.kind is EntityKind.ORGANISATION
                    or candidate.kind is EntityKind.LOCATION
                )
            )
            if absorbs:
                kept.remove(other)
                kept.append(candidate)
                break
    return sorted(kept, key=lambda c: c.start)


def _widen_over_names(chunks: list[Candidate], names: list[Candidate]) -> None:
    """A chunk that starts inside a name ("[Islamic State of Iraq and] the Levant terrorists")
    takes in the whole name: the parser split the name at its "and"."""
    for chunk in chunks:
        for name in names:
            if (
                name.start < chunk.start < name.end <= chunk.end
                and name.kind is not EntityKind.PERSON
            ):
                chunk.start = name.start


def _attach_modifying_names(doc: Doc, chunks: list[Candidate], names: list[Candidate]) -> None:
    """A name right before a group noun that it modifies ("IS fighters", "ISIL terrorists")
    belongs to the group's phrase (the entity ruler can leave it outside the noun chunk)."""
    for chunk in chunks:
        if chunk.label != "GROUP":
            continue
        for name in names:
            if name.end == chunk.start and name.kind is EntityKind.ORGANISATION:
                last = doc[name.end - 1]
                if last.head.i >= chunk.start and last.dep_ in (
                    "compound",
                    "amod",
                    "nmod",
                    "npadvmod",
                ):
                    chunk.start = name.start


def _merge_place_pairs(doc: Doc, names: list[Candidate]) -> list[Candidate]:
    """A place and the place it is in, as one mention ("Istanbul, Turkey")."""
    merged: list[Candidate] = []
    for name in sorted(names, key=lambda c: c.start):
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.kind is EntityKind.LOCATION
            and name.label in ("GPE", "LOC")
            and doc[previous.end : name.start].text == ","
            and (
                name.end >= len(doc)
                or doc[name.end].is_punct
                or doc[name.end].pos_ in ("ADP", "CCONJ", "VERB", "AUX")
            )
        ):
            previous.end, previous.label = name.end, "GPE"
            continue
        merged.append(name)
    return merged


def find_mentions(doc: Doc, lex: Lexicons) -> list[Candidate]:
    names = _merge_place_pairs(doc, _name_candidates(doc, lex))
    chunks = _chunk_candidates(doc, lex)
    _widen_over_names(chunks, names)
    _attach_modifying_names(doc, chunks, names)
    return _resolve_overlaps(names + chunks + _pronoun_candidates(doc, lex))


def token_span(doc: Doc, candidate: Candidate) -> tuple[int, int]:
    """Character offsets of a candidate."""
    first: Token = doc[candidate.start]
    last: Token = doc[candidate.end - 1]
    return first.idx, last.idx + len(last.text)
