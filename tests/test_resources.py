"""The bundled knowledge files: what they say must be what the code reads."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sitrep.resources import bundled_files, load_yaml

_DATA_FILES = bundled_files()


def _booleans(value: Any, where: str) -> Iterator[str]:
    if isinstance(value, bool):
        yield where
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, bool):
                yield f"{where}/<key {key}>"
            yield from _booleans(item, f"{where}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _booleans(item, f"{where}/{index}")


def test_there_are_data_files_to_check() -> None:
    assert "analyze/events/lexicons/modality.yaml" in _DATA_FILES
    assert "analyze/mentions/lexicons/places/countries.yaml" in _DATA_FILES


@pytest.mark.parametrize("name", _DATA_FILES)
def test_no_word_is_read_as_a_boolean(name: str) -> None:
    # YAML 1.1 reads a bare no/yes/on/off as true or false: Norway's "NO", the determiner
    # "no" and the preposition "on" would silently become booleans. None of our files
    # holds a real boolean, so any found is a word that needs quotes.
    found = list(_booleans(load_yaml(name, "sitrep"), name))
    assert not found, f"quote these values: {found}"
