"""MUC-4 (``roles/muc4/``): 1,700 news reports on Latin-American political violence
(``train`` 1,300, ``dev`` 200, ``test`` 200; the GTT processing), lower case as the 1992
release has them. A report has zero or more templates, one per incident: its type
(``attack``, ``bombing``, ``kidnapping``, ...) and the role fillers ``PerpInd``,
``PerpOrg``, ``Target``, ``Victim`` and ``Weapon``. A filler is an entity given as one or
more mention strings (an organisation's full name and its acronym, say).

One record per template: ``text`` is the report as it stands, ``trigger_start`` and
``trigger_end`` are None (templates have no trigger), and every mention of every filler is
an argument (any of them is a correct answer). Mentions come with a character offset in the
GTT copy; one that does not read back its string there is looked up instead: the first
occurrence in the text, case-insensitive, any run of white space matching any other. A
mention found neither way is dropped. ``tally`` counts ``located`` (at the given offset),
``located_by_search`` and ``unlocated`` mentions.

Reports without a template (the corpus's irrelevant documents) yield nothing unless
``include_empty`` is set; then each yields one record without a type or arguments.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final, Literal

from sitrep.errors import DataError

from ._common import check, corpus_path, get, normalise_role, plover_type, read_jsonl
from .records import Argument, RoleExample

CORPUS: Final = "muc4"
FOLDER: Final = "roles/muc4"
TYPES: Final = "muc4_incidents"
ROLE_FIELDS: Final = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")

Split = Literal["train", "dev", "test"]
SPLITS: Final[tuple[Split, ...]] = ("train", "dev", "test")


def locate(text: str, filler: str, offset: int | None = None) -> tuple[int, int] | None:
    """Where ``filler`` lies in ``text``: at ``offset`` if it reads back there (any case),
    else its first occurrence, case-insensitive and white-space tolerant; None if absent."""
    words = filler.split()
    if not words:
        return None
    if offset is not None and text[offset : offset + len(filler)].lower() == filler.lower():
        return offset, offset + len(filler)
    found = re.search(r"\s+".join(map(re.escape, words)), text, flags=re.IGNORECASE)
    return None if found is None else (found.start(), found.end())


def incident_plover_type(incident: str) -> str | None:
    """The PLOVER type of an incident type; a double one (``attack / bombing``) has one only
    when both halves agree."""
    found = {plover_type(part.strip(), TYPES) for part in incident.split("/")}
    return found.pop() if len(found) == 1 else None


def read_muc4(
    data_dir: Path | str,
    split: Split,
    tally: Counter[str] | None = None,
    *,
    include_empty: bool = False,
) -> Iterator[RoleExample]:
    """One record per template of one split, in file order (see the module docstring)."""
    if split not in SPLITS:
        raise DataError(f"MUC-4 has no split {split!r}; use train, dev or test.")
    counts: Counter[str] = Counter() if tally is None else tally
    path = corpus_path(data_dir, f"{FOLDER}/{split}.json")
    for number, row in read_jsonl(path):
        where = f"Line {number} of {path}"
        doc_id = get(row, "docid", str, where)
        text = get(row, "doctext", str, where)
        if not text.strip():
            raise DataError(f"{where} has an empty report.")
        templates = get(row, "templates", list, where)
        counts["documents"] += 1
        if not templates:
            counts["documents_without_template"] += 1
            if include_empty:
                yield RoleExample(CORPUS, doc_id, text, None, None, None, None, ())
            continue
        for template in templates:
            incident = get(template, "incident_type", str, where)
            counts["templates"] += 1
            yield RoleExample(
                corpus=CORPUS,
                doc_id=doc_id,
                text=text,
                trigger_start=None,
                trigger_end=None,
                source_type=incident,
                plover_type=incident_plover_type(incident),
                arguments=tuple(_arguments(template, text, counts, where)),
            )


def _arguments(template: Any, text: str, counts: Counter[str], where: str) -> Iterator[Argument]:
    for field in ROLE_FIELDS:
        role = normalise_role(field)
        for entity in get(template, field, list, where):
            for mention in check(entity, list, where):
                string, offset = _mention(mention, where)
                span = locate(text, string, offset)
                if span is None:
                    counts["unlocated"] += 1
                    continue
                at_offset = offset is not None and span == (offset, offset + len(string))
                counts["located" if at_offset else "located_by_search"] += 1
                yield Argument(role, field, span[0], span[1])


def _mention(value: Any, where: str) -> tuple[str, int | None]:
    """A filler mention: ``[string, offset]`` as GTT gives it, or a bare string."""
    if isinstance(value, str):
        return value, None
    items = check(value, list, where)
    if not items:
        raise DataError(f"{where} has an empty filler mention.")
    string = check(items[0], str, where)
    offset = check(items[1], int, where) if len(items) > 1 else None
    return string, offset
