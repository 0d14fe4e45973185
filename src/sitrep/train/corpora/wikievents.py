"""WikiEvents (``roles/wikievents/``): news documents with every event of the KAIROS
ontology annotated, its trigger and its arguments. One record per event; ``text`` is the
document's tokens joined by single spaces.

``dev`` and ``test`` (20 documents each) are in the official format: document-level token
indices, end exclusive, for triggers and entity mentions; arguments point at entity
mentions. Every event is read, those without arguments too (the annotation is exhaustive).

``train`` (206 documents, 2,950 events) is a third-party re-encoding in RAMS style, each line
a JSON string holding the JSON record. Its token spans are end inclusive. It has two flaws,
which the reader repairs where the repair is sure and otherwise drops the event, counting
why in ``tally``:

1. It lists the triggers (``evt_triggers``) and, apart, one group of arguments per event that
   has arguments (``ent_spans``), without saying which group is whose (``gold_evt_links``
   ties every argument to the first trigger). The groups follow the triggers' order: in the
   86 documents where the counts match, every group fits its trigger's roles. So the groups
   are placed in order, each on a trigger whose KAIROS roles (``event_role_KAIROS.json``)
   admit all of the group's roles. An event is kept when every valid placement gives it the
   same group (and that group no other event), or none at all. Dropped: events whose group
   depends on the placement (``events_ambiguous``) and every event of a document where no
   placement fits, mostly one with more groups than triggers (``events_unplaceable``).
2. Every span sits at the first occurrence of its words in the document, not where the
   annotation was (so every mention of a repeated trigger word lands on its first use: 1,202
   events share their trigger with another). Each kept event is moved to the occurrence of
   its trigger words that lies nearest its arguments' occurrences (the sum of the token
   distances), and each argument to its occurrence nearest that trigger. It is dropped
   (``events_unsure``) when the runner-up occurrence is within ``MARGIN`` tokens of the
   best, when an argument stays more than ``REACH`` tokens away, or when an event without
   arguments has trigger words that occur more than once; and (``events_duplicate``) when
   two kept events still share a trigger span and type. Simulating the flaw on the official
   dev and test splits, this keeps 85% of the events with arguments, with 98.6% of triggers
   and 97.6% of arguments where the annotation put them (a test checks it).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Final, Literal

from sitrep.errors import DataError

from ._common import (
    check,
    corpus_path,
    get,
    join_tokens,
    normalise_role,
    plover_type,
    read_jsonl,
    string_list,
    token_span,
)
from .records import Argument, RoleExample

CORPUS: Final = "wikievents"
FOLDER: Final = "roles/wikievents"
ONTOLOGY: Final = f"{FOLDER}/event_role_KAIROS.json"
TYPES: Final = "kairos_types"

Split = Literal["train", "dev", "test"]
SPLITS: Final[tuple[Split, ...]] = ("train", "dev", "test")


def read_wikievents(
    data_dir: Path | str, split: Split, tally: Counter[str] | None = None
) -> Iterator[RoleExample]:
    """The events of one split, in file order, document by document. ``tally`` (if given)
    counts the events read (``events``), yielded (``events_kept``) and, for ``train``, those
    dropped and why (see the module docstring)."""
    if split not in SPLITS:
        raise DataError(f"WikiEvents has no split {split!r}; use train, dev or test.")
    counts: Counter[str] = Counter() if tally is None else tally
    path = corpus_path(data_dir, f"{FOLDER}/{split}.jsonl")
    if split == "train":
        roles = kairos_roles(data_dir)
        for number, row in read_jsonl(path):
            where = f"Line {number} of {path}"
            if isinstance(row, str):  # the train file holds each record as a JSON string
                try:
                    row = json.loads(row)
                except json.JSONDecodeError as exc:
                    raise DataError(f"{where} holds a string that is not JSON: {exc}.") from exc
            yield from _train_document(row, roles, counts, where)
    else:
        for number, row in read_jsonl(path):
            yield from _official_document(row, counts, f"Line {number} of {path}")


def kairos_roles(data_dir: Path | str) -> dict[str, frozenset[str]]:
    """The roles each KAIROS event type admits, by full type name, from the ontology file."""
    path = corpus_path(data_dir, ONTOLOGY)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(f"The KAIROS ontology {path} cannot be read: {exc}.") from exc
    ontology = check(data, dict, str(path))
    return {
        str(name): frozenset(string_list(get(entry, "roles", list, f"{path}, {name}"), str(path)))
        for name, entry in ontology.items()
    }


def roles_of(event_type: str, roles: dict[str, frozenset[str]]) -> frozenset[str]:
    """The roles an event type admits: those of every ontology type it names or heads
    (the train file gives two levels, ``Conflict.Attack``; the ontology three)."""
    found: set[str] = set()
    for name, admitted in roles.items():
        if name == event_type or name.startswith(event_type + "."):
            found |= admitted
    return frozenset(found)


# ---------------------------------------------------------------------------------------
# dev and test: the official format


def _official_document(row: Any, counts: Counter[str], where: str) -> Iterator[RoleExample]:
    doc_id = get(row, "doc_id", str, where)
    tokens = string_list(get(row, "tokens", list, where), where)
    text, starts = join_tokens(tokens)
    if not text.strip():
        raise DataError(f"{where} has an empty document.")
    mentions: dict[str, tuple[int, int]] = {}
    for mention in get(row, "entity_mentions", list, where):
        first, stop = get(mention, "start", int, where), get(mention, "end", int, where)
        mentions[get(mention, "id", str, where)] = token_span(
            tokens, starts, first, stop - 1, where
        )
    for event in get(row, "event_mentions", list, where):
        counts["events"] += 1
        trigger = get(event, "trigger", dict, where)
        trigger_start, trigger_end = token_span(
            tokens,
            starts,
            get(trigger, "start", int, where),
            get(trigger, "end", int, where) - 1,
            where,
        )
        arguments: list[Argument] = []
        for argument in get(event, "arguments", list, where):
            entity = get(argument, "entity_id", str, where)
            if entity not in mentions:
                raise DataError(f"{where} has an argument naming the unknown entity {entity}.")
            role = get(argument, "role", str, where)
            start, end = mentions[entity]
            arguments.append(Argument(normalise_role(role), role, start, end))
        event_type = get(event, "event_type", str, where)
        counts["events_kept"] += 1
        yield RoleExample(
            corpus=CORPUS,
            doc_id=doc_id,
            text=text,
            trigger_start=trigger_start,
            trigger_end=trigger_end,
            source_type=event_type,
            plover_type=plover_type(event_type, TYPES),
            arguments=tuple(arguments),
        )


# ---------------------------------------------------------------------------------------
# train: the RAMS-style re-encoding

_Span = tuple[int, int, str]  # first token, last token (included), label


def _labelled_span(value: Any, where: str) -> _Span:
    """A RAMS-style span as (first, last, label): ``[first, last, [[label, score], ...]]``
    (triggers) or ``[first, last, [label, score]]`` (arguments of the train file)."""
    items = check(value, list, where)
    if len(items) != 3:
        raise DataError(f"{where} has a span that is not [first, last, labels].")
    labels = check(items[2], list, where)
    if not labels:
        raise DataError(f"{where} has a span without a label.")
    best = labels[0] if isinstance(labels[0], str) else check(labels[0], list, where)[0]
    label = check(best, str, where)
    return check(items[0], int, where), check(items[1], int, where), label


def _train_document(
    row: Any, roles: dict[str, frozenset[str]], counts: Counter[str], where: str
) -> Iterator[RoleExample]:
    doc_id = get(row, "doc_key", str, where)
    tokens = [
        token
        for sentence in get(row, "sentences", list, where)
        for token in string_list(sentence, where)
    ]
    text, starts = join_tokens(tokens)
    if not text.strip():
        raise DataError(f"{where} has an empty document.")
    triggers = [_labelled_span(t, where) for t in get(row, "evt_triggers", list, where)]
    groups = [
        [_labelled_span(a, where) for a in check(group, list, where)]
        for group in get(row, "ent_spans", list, where)
    ]
    counts["events"] += len(triggers)
    counts["argument_groups"] += len(groups)
    placed = place_groups(
        [roles_of(t[2], roles) for t in triggers], [frozenset(a[2] for a in g) for g in groups]
    )
    if placed is None:
        counts["events_unplaceable"] += len(triggers)
        return
    where_words = token_index(tokens)
    kept: list[tuple[tuple[int, int, str], list[tuple[int, int, str]]]] = []
    for index, (first, last, event_type) in enumerate(triggers):
        if index not in placed:
            counts["events_ambiguous"] += 1
            continue
        group = placed[index]
        members = [] if group is None else groups[group]
        moved = relocate(tokens, (first, last), [(a[0], a[1]) for a in members], where_words)
        if moved is None:
            counts["events_unsure"] += 1
            continue
        trigger_at, argument_at = moved
        kept.append(
            (
                (trigger_at, trigger_at + last - first, event_type),
                [(at, at + a[1] - a[0], a[2]) for at, a in zip(argument_at, members, strict=True)],
            )
        )
    shared = Counter(trigger for trigger, _ in kept)
    for (first, last, event_type), members in kept:
        if shared[(first, last, event_type)] > 1:
            counts["events_duplicate"] += 1
            continue
        arguments = []
        for arg_first, arg_last, role in members:
            start, end = token_span(tokens, starts, arg_first, arg_last, where)
            arguments.append(Argument(normalise_role(role), role, start, end))
        trigger_start, trigger_end = token_span(tokens, starts, first, last, where)
        counts["events_kept"] += 1
        yield RoleExample(
            corpus=CORPUS,
            doc_id=doc_id,
            text=text,
            trigger_start=trigger_start,
            trigger_end=trigger_end,
            source_type=event_type,
            plover_type=plover_type(event_type, TYPES),
            arguments=tuple(arguments),
        )


# How sure a relocation must be: the best trigger occurrence must beat the runner-up by this
# many tokens of summed distance, and every argument must lie within REACH tokens of it.
# Chosen on the official dev and test splits with the flaw simulated (module docstring).
MARGIN: Final = 5
REACH: Final = 30


def token_index(tokens: Sequence[str]) -> dict[str, list[int]]:
    """Where each token occurs, for ``occurrences``."""
    index: dict[str, list[int]] = {}
    for position, token in enumerate(tokens):
        index.setdefault(token, []).append(position)
    return index


def occurrences(
    tokens: Sequence[str], index: dict[str, list[int]], first: int, last: int
) -> list[int]:
    """Where the token sequence ``tokens[first..last]`` occurs in ``tokens`` (its starts);
    ``index`` is ``token_index(tokens)``."""
    words = tokens[first : last + 1]
    size = len(words)
    return [i for i in index.get(tokens[first], []) if tokens[i : i + size] == words]


def relocate(
    tokens: Sequence[str],
    trigger: tuple[int, int],
    arguments: Sequence[tuple[int, int]],
    index: dict[str, list[int]] | None = None,
) -> tuple[int, list[int]] | None:
    """Where an event's trigger and arguments (token spans, last token included) most likely
    were, given only their words: the trigger occurrence nearest the arguments' occurrences,
    each argument's occurrence nearest it; their first tokens, or None when unsure (see
    ``MARGIN`` and ``REACH``; an event without arguments is sure only if its trigger words
    occur once). ``index`` is ``token_index(tokens)``, made here if not given."""
    index = token_index(tokens) if index is None else index
    candidates = occurrences(tokens, index, *trigger)
    if not candidates:
        return None
    if not arguments:
        return (candidates[0], []) if len(candidates) == 1 else None
    spots = [occurrences(tokens, index, *argument) for argument in arguments]
    if not all(spots):
        return None

    def cost(at: int) -> int:
        return sum(min(abs(spot - at) for spot in found) for found in spots)

    ranked = sorted(candidates, key=lambda at: (cost(at), at))
    best = ranked[0]
    if len(ranked) > 1 and cost(ranked[1]) - cost(best) < MARGIN:
        return None
    picks = [min(found, key=lambda spot: (abs(spot - best), spot)) for found in spots]
    if any(abs(spot - best) > REACH for spot in picks):
        return None
    return best, picks


def place_groups(
    admitted: Sequence[frozenset[str]], groups: Sequence[frozenset[str]]
) -> dict[int, int | None] | None:
    """Place argument groups on triggers, in order, each on a trigger admitting all its
    roles: every trigger whose placement is settled, with its group index or None (certainly
    no arguments). None when no placement fits. ``admitted[j]`` is the role set of trigger j,
    ``groups[i]`` the roles of group i; a group goes on a later trigger than the one before.
    """
    n_triggers, n_groups = len(admitted), len(groups)

    def fits(trigger: int, group: int) -> bool:
        return groups[group] <= admitted[trigger]

    # before[i][j]: groups[:i] can be placed on triggers[:j]; after[i][j]: groups[i:] on
    # triggers[j:].
    before = [[i == 0] * (n_triggers + 1) for i in range(n_groups + 1)]
    for i in range(1, n_groups + 1):
        for j in range(1, n_triggers + 1):
            before[i][j] = before[i][j - 1] or (fits(j - 1, i - 1) and before[i - 1][j - 1])
    after = [[i == n_groups] * (n_triggers + 1) for i in range(n_groups + 1)]
    for i in range(n_groups - 1, -1, -1):
        for j in range(n_triggers - 1, -1, -1):
            after[i][j] = after[i][j + 1] or (fits(j, i) and after[i + 1][j + 1])
    if not after[0][0]:
        return None
    # The triggers each group can sit on in some complete placement.
    places = [
        [j for j in range(n_triggers) if fits(j, i) and before[i][j] and after[i + 1][j + 1]]
        for i in range(n_groups)
    ]
    settled: dict[int, int | None] = {}
    for j in range(n_triggers):
        candidates = [i for i in range(n_groups) if j in places[i]]
        if not candidates:
            settled[j] = None
        elif len(candidates) == 1 and places[candidates[0]] == [j]:
            settled[j] = candidates[0]
    return settled
