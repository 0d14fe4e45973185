"""NGEC synthetic PLOVER data and the PLOVER codebook (``plover_types/``).

``ngec_synthetic_events.csv``: 4,500 machine-written news stories, each labelled with one
PLOVER type (``label``) and, for 2,556, a mode (``mode``); a ``disclaimer`` column marks
every story as synthetic. ``synthetic_headlines.csv``: the 375 headline templates the
stories were written from (``event``, ``mode``, ``title``); their place names are
placeholders in braces, kept as they are. ``plover_codebook.csv``: the
PLOVER types with their definitions and modes.

Types are upper case as PLOVER writes them; modes lower case with hyphens, as the codebook
spells them. Two mode spellings of the story and headline files differ from the codebook's
and are corrected (see ``MODE_SPELLING``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from sitrep.errors import DataError

from ._common import corpus_path
from .records import PLOVER_TYPES, CodebookMode, CodebookType, TypedText

STORIES: Final = "plover_types/ngec_synthetic_events.csv"
HEADLINES: Final = "plover_types/synthetic_headlines.csv"
CODEBOOK: Final = "plover_types/plover_codebook.csv"

# Misspelt modes of the NGEC files, as the PLOVER codebook spells them.
MODE_SPELLING: Final[dict[str, str]] = {"primative": "primitive", "sieze": "seize"}


def plover_type_name(raw: str, where: str) -> str:
    """A PLOVER type name upper case; a DataError if it is not one of the 16."""
    name = raw.strip().upper()
    if name not in PLOVER_TYPES:
        raise DataError(f"{where} has {raw!r}, not a PLOVER type.")
    return name


def mode_name(raw: str) -> str | None:
    """A PLOVER mode lower case with hyphens (``Heavy Weapons`` -> ``heavy-weapons``);
    None for an empty one."""
    name = "-".join(raw.strip().lower().replace("_", " ").replace("-", " ").split())
    return MODE_SPELLING.get(name, name) or None


def _rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """The data rows of a CSV file with its header, numbered from 1, with ``columns``."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in columns if c not in (reader.fieldnames or ())]
            if missing:
                raise DataError(f"{path} has no column {', '.join(missing)}.")
            for number, row in enumerate(reader, start=1):
                if any(row.get(c) is None for c in columns):
                    raise DataError(f"Row {number} of {path} is cut short.")
                yield number, row
    except (OSError, csv.Error, UnicodeDecodeError) as exc:
        raise DataError(f"The CSV file {path} cannot be read: {exc}.") from exc


def read_ngec(data_dir: Path | str) -> Iterator[TypedText]:
    """The synthetic stories, in file order (``doc_id`` is ``ngec-<row>``). The text is the
    story body, without the headline it was written from."""
    path = corpus_path(data_dir, STORIES)
    for number, row in _rows(path, ("disclaimer", "text", "label", "mode")):
        where = f"Row {number} of {path}"
        text = row["text"].strip()
        if not text:
            raise DataError(f"{where} has no text.")
        yield TypedText(
            corpus="ngec",
            doc_id=f"ngec-{number}",
            text=text,
            plover_type=plover_type_name(row["label"], where),
            mode=mode_name(row["mode"]),
            synthetic="synthetic" in row["disclaimer"].lower(),
        )


def read_headlines(data_dir: Path | str) -> Iterator[TypedText]:
    """The labelled headline templates, in file order (``doc_id`` is ``headline-<row>``);
    their place-name placeholders (in braces) are left for the caller to fill."""
    path = corpus_path(data_dir, HEADLINES)
    for number, row in _rows(path, ("event", "mode", "title")):
        where = f"Row {number} of {path}"
        text = row["title"].strip()
        if not text:
            raise DataError(f"{where} has no title.")
        yield TypedText(
            corpus="ngec_headlines",
            doc_id=f"headline-{number}",
            text=text,
            plover_type=plover_type_name(row["event"], where),
            mode=mode_name(row["mode"]),
            synthetic=True,
        )


def read_codebook(data_dir: Path | str) -> dict[str, CodebookType]:
    """The PLOVER codebook by type name, types and modes in the codebook's order. A row
    without a mode gives an example of its type; texts are as the codebook writes them."""
    path = corpus_path(data_dir, CODEBOOK)
    definitions: dict[str, str] = {}
    examples: dict[str, list[str]] = {}
    type_notes: dict[str, list[str]] = {}
    modes: dict[str, dict[str, tuple[list[str], list[str]]]] = {}
    for number, row in _rows(path, ("event", "mode", "event_def", "mode_def", "extraction_notes")):
        where = f"Row {number} of {path}"
        name = plover_type_name(row["event"], where)
        definition = row["event_def"].strip()
        if definitions.setdefault(name, definition) != definition:
            raise DataError(f"{where} gives {name} a second definition.")
        examples.setdefault(name, [])
        type_notes.setdefault(name, [])
        modes.setdefault(name, {})
        text, note = row["mode_def"].strip(), row["extraction_notes"].strip()
        mode = mode_name(row["mode"])
        if mode is None:
            _add(examples[name], text)
            _add(type_notes[name], note)
        else:
            mode_texts, mode_notes = modes[name].setdefault(mode, ([], []))
            _add(mode_texts, text)
            _add(mode_notes, note)
    return {
        name: CodebookType(
            name=name,
            definition=definition,
            examples=tuple(examples[name]),
            notes=tuple(type_notes[name]),
            modes=tuple(
                CodebookMode(name=mode, definitions=tuple(texts), notes=tuple(notes))
                for mode, (texts, notes) in modes[name].items()
            ),
        )
        for name, definition in definitions.items()
    }


def _add(items: list[str], text: str) -> None:
    """Append a non-empty text not yet in ``items``."""
    if text and text not in items:
        items.append(text)
