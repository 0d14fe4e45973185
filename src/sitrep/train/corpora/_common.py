"""What the corpus readers share: finding a corpus, reading JSON lines with line-accurate
errors, typed field access, token spans to character spans, and the role and event-type
maps of ``kairos_plover.yaml``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, cast

from sitrep.errors import DataError
from sitrep.resources import load_yaml

from .records import PLOVER_TYPES, ROLES, Role

T = TypeVar("T")


def corpus_path(data_dir: Path | str, relative: str) -> Path:
    """The file or folder ``relative`` of the training-data folder ``data_dir``
    (``../shared/data/train``); the data root that holds ``train/`` is accepted too."""
    base = Path(data_dir)
    path = base / relative
    if not path.exists() and (base / "train" / relative).exists():
        path = base / "train" / relative
    if not path.exists():
        raise DataError(f"The training corpus file {path} does not exist.")
    return path


def read_jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    """Each non-blank line of ``path`` decoded, with its 1-based line number."""
    try:
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError as exc:
                    raise DataError(f"Line {number} of {path} is not valid JSON: {exc}.") from exc
    except OSError as exc:
        raise DataError(f"The training corpus file {path} cannot be read: {exc}.") from exc


def get(record: Any, key: str, kind: type[T], where: str) -> T:
    """``record[key]``, checked to be a ``kind`` (an int is accepted where a float is due)."""
    if not isinstance(record, dict) or key not in record:
        raise DataError(f"{where} has no field {key!r}.")
    return check(record[key], kind, f"{where}, field {key!r},")


def get_optional(record: Any, key: str, kind: type[T], where: str) -> T | None:
    """``record[key]`` checked to be a ``kind``, or None when it is absent or null."""
    if not isinstance(record, dict):
        raise DataError(f"{where} is not a JSON object.")
    value = record.get(key)
    return None if value is None else check(value, kind, f"{where}, field {key!r},")


def check(value: Any, kind: type[T], where: str) -> T:
    """``value`` if it is a ``kind``, else a DataError naming ``where``."""
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return cast(T, float(value))
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise DataError(f"{where} should be a {kind.__name__}, not {type(value).__name__}.")
    return value


def int_list(value: Any, where: str) -> list[int]:
    """``value`` checked to be a list of integers."""
    return [check(item, int, where) for item in check(value, list, where)]


def join_tokens(tokens: Sequence[str]) -> tuple[str, list[int]]:
    """The tokens joined by single spaces, and the character offset where each starts."""
    starts: list[int] = []
    offset = 0
    for token in tokens:
        starts.append(offset)
        offset += len(token) + 1
    return " ".join(tokens), starts


def token_span(
    tokens: Sequence[str], starts: Sequence[int], first: int, last: int, where: str
) -> tuple[int, int]:
    """The character span from the start of token ``first`` to the end of token ``last``
    (both included) in the text ``join_tokens`` made."""
    if not 0 <= first <= last < len(tokens):
        raise DataError(f"{where} has the token span {first}..{last} outside its text.")
    return starts[first], starts[last] + len(tokens[last])


def string_list(value: Any, where: str) -> list[str]:
    """``value`` checked to be a list of strings."""
    return [check(item, str, where) for item in check(value, list, where)]


# ---------------------------------------------------------------------------------------
# kairos_plover.yaml: roles and event types of the role corpora


def role_key(raw: str) -> str:
    """The spelling-free key of a role name: lower case letters and digits only, so that
    ``PerpInd``, ``perpind`` and ``Perp_Ind`` meet."""
    return re.sub(r"[^a-z0-9]", "", raw.lower())


@cache
def _mapping() -> dict[str, Any]:
    data = load_yaml("kairos_plover.yaml", "sitrep.train.corpora")
    if not isinstance(data, dict):
        raise DataError("The bundled data file kairos_plover.yaml is not a mapping.")
    return cast(dict[str, Any], data)


@cache
def role_table() -> dict[str, Role]:
    """Every role name the mapping lists, as its ``role_key``, with its normalised role."""
    section = _mapping().get("roles")
    if not isinstance(section, dict) or set(section) != set(ROLES):
        raise DataError(f"kairos_plover.yaml needs a roles section listing {', '.join(ROLES)}.")
    table: dict[str, Role] = {}
    for role in ROLES:
        for name in string_list(section[role], f"kairos_plover.yaml, roles/{role}"):
            key = role_key(name)
            if key in table:
                raise DataError(f"kairos_plover.yaml lists the role {name} twice.")
            table[key] = role
    return table


def normalise_role(raw: str) -> Role:
    """The PLOVER-style role of a corpus role name; ``other`` for a name the map lacks."""
    return role_table().get(role_key(raw), "other")


def role_is_listed(raw: str) -> bool:
    """Whether kairos_plover.yaml names this role explicitly (the tests require it of every
    role the corpora use, so a new one is a decision, not a silent ``other``)."""
    return role_key(raw) in role_table()


@cache
def type_table(section: str) -> dict[str, str | None]:
    """One event-type section of the mapping: lower-case type (or type prefix) to its PLOVER
    type or None."""
    raw = _mapping().get(section)
    if not isinstance(raw, dict):
        raise DataError(f"kairos_plover.yaml has no {section} section.")
    table: dict[str, str | None] = {}
    for key, value in raw.items():
        if value is not None and value not in PLOVER_TYPES:
            raise DataError(f"kairos_plover.yaml maps {key} to {value}, not a PLOVER type.")
        table[str(key).lower()] = None if value is None else str(value)
    return table


def _type_entry(source_type: str, section: str) -> tuple[bool, str | None]:
    table = type_table(section)
    parts = source_type.strip().lower().split(".")
    for size in range(len(parts), 0, -1):
        key = ".".join(parts[:size])
        if key in table:
            return True, table[key]
    return False, None


def plover_type(source_type: str, section: str) -> str | None:
    """The PLOVER type of a corpus event type: the entry of its longest dotted prefix in
    ``section`` of the mapping; None when that entry is null or there is none."""
    return _type_entry(source_type, section)[1]


def type_is_listed(source_type: str, section: str) -> bool:
    """Whether some prefix of the event type has an explicit entry (null included)."""
    return _type_entry(source_type, section)[0]
