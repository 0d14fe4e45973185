"""RAMS 1.0 (``roles/rams/``): news documents, each with one event (AIDA ontology type such
as ``conflict.attack.bombing``) and its arguments across a five-sentence window. ``dev``
(924 documents) and ``test`` (871); the training split is not in the copy.

Token spans are document-level and end inclusive. ``text`` is every token of the window
joined by single spaces. Role names carry the event and argument number
(``evt089arg01victim``); ``source_role`` is the role word alone (``victim``). Only the
annotated event's arguments are marked: other mentions in the window are not guaranteed
negatives.

No licence came with the copy: the catalogue marks RAMS not shippable.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Final, Literal

from sitrep.errors import DataError

from ._common import (
    check,
    corpus_path,
    get,
    int_list,
    join_tokens,
    normalise_role,
    plover_type,
    read_jsonl,
    string_list,
    token_span,
)
from .records import Argument, RoleExample

CORPUS: Final = "rams"
FOLDER: Final = "roles/rams"
TYPES: Final = "rams_types"

Split = Literal["dev", "test"]
SPLITS: Final[tuple[Split, ...]] = ("dev", "test")

_ROLE_PREFIX: Final = re.compile(r"^evt\d+arg\d+")


def role_word(raw: str) -> str:
    """The role word of a RAMS role name: ``evt089arg01victim`` -> ``victim``."""
    return _ROLE_PREFIX.sub("", raw)


def read_rams(
    data_dir: Path | str, split: Split, tally: Counter[str] | None = None
) -> Iterator[RoleExample]:
    """The event of every document of one split, in file order; ``tally`` (if given) counts
    the documents (``events``) and arguments (``arguments``) read."""
    if split not in SPLITS:
        raise DataError(f"The RAMS copy has no split {split!r}; use dev or test.")
    counts: Counter[str] = Counter() if tally is None else tally
    path = corpus_path(data_dir, f"{FOLDER}/{split}.jsonlines")
    for number, row in read_jsonl(path):
        where = f"Line {number} of {path}"
        tokens = [
            token
            for sentence in get(row, "sentences", list, where)
            for token in string_list(sentence, where)
        ]
        text, starts = join_tokens(tokens)
        if not text.strip():
            raise DataError(f"{where} has an empty document.")
        triggers = get(row, "evt_triggers", list, where)
        if len(triggers) != 1:
            raise DataError(f"{where} has {len(triggers)} events; RAMS has one per document.")
        trigger = check(triggers[0], list, where)
        if len(trigger) != 3 or not check(trigger[2], list, where):
            raise DataError(f"{where} has a trigger that is not [first, last, types].")
        event_type = check(check(trigger[2][0], list, where)[0], str, where)
        trigger_start, trigger_end = token_span(
            tokens, starts, check(trigger[0], int, where), check(trigger[1], int, where), where
        )
        arguments = []
        for link in get(row, "gold_evt_links", list, where):
            items = check(link, list, where)
            if len(items) != 3:
                raise DataError(f"{where} has a link that is not [trigger, argument, role].")
            if int_list(items[0], where) != [trigger[0], trigger[1]]:
                raise DataError(f"{where} links an argument to a trigger it does not have.")
            span = int_list(items[1], where)
            if len(span) != 2:
                raise DataError(f"{where} has the argument span {span}, not [first, last].")
            role = role_word(check(items[2], str, where))
            start, end = token_span(tokens, starts, span[0], span[1], where)
            arguments.append(Argument(normalise_role(role), role, start, end))
        counts["events"] += 1
        counts["arguments"] += len(arguments)
        yield RoleExample(
            corpus=CORPUS,
            doc_id=get(row, "doc_key", str, where),
            text=text,
            trigger_start=trigger_start,
            trigger_end=trigger_end,
            source_type=event_type,
            plover_type=plover_type(event_type, TYPES),
            arguments=tuple(arguments),
        )
