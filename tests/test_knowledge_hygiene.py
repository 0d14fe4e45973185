"""Knowledge hygiene: no lexicon entry may be a phrase lifted from the development data.

Every entry of two or more words of the bundled knowledge files that occurs verbatim in the
reference data (seeds, FA-KES dev, PLOVER dev, re3d) must be listed in
eval/general_knowledge.yaml, which says it is general knowledge (a weapon, an office, a
number phrase, a page-template line) rather than a phrase taken from one article. Names of
actors, places and outlets are general knowledge by their file. A new entry found in the
data fails this test until someone judges it and lists it, or removes it.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
import yaml

from sitrep.resources import bundled_files, load_yaml

from .conftest import DATA, PROJECT

ALLOWED = PROJECT / "eval" / "general_knowledge.yaml"
# Files of names: actors, countries, places and outlets are general knowledge.
NAME_FILES = ("actors.yaml", "countries_world.yaml", "/places/", "outlets.yaml")
_WORDS = re.compile(r"[\w'’-]+")


def normalise(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))


def _leaves(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield key
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)


@cache
def dev_text() -> str:
    texts = [
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted((DATA / "seeds").glob("*.txt"))
    ]
    with (DATA / "fakes" / "dev.csv").open(encoding="utf-8", newline="") as stream:
        texts += [f"{r['article_title']}\n{r['article_content']}" for r in csv.DictReader(stream)]
    texts.append(
        json.dumps(json.loads((DATA / "plover" / "gsr-dev.json").read_text(encoding="utf-8")))
    )
    texts += [
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted((DATA / "re3d").rglob("*.jsonl"))
    ]
    return "\n".join(f" {normalise(t)} " for t in texts)


def found_in_dev_data() -> dict[str, list[str]]:
    """Knowledge entries of 2+ words that occur verbatim in the reference data, by file."""
    corpus = dev_text()
    found: dict[str, list[str]] = {}
    for name in bundled_files():
        if any(part in f"/{name}" for part in NAME_FILES):
            continue
        for entry in sorted(set(_leaves(load_yaml(name, "sitrep")))):
            words = normalise(entry)
            if len(words.split()) >= 2 and f" {words} " in corpus:
                found.setdefault(name, []).append(entry)
    return found


def test_reference_data_is_there_to_check() -> None:
    assert "killed" in dev_text() and len(dev_text()) > 1_000_000


def test_every_lexicon_phrase_found_in_the_dev_data_is_judged_general() -> None:
    allowed = yaml.safe_load(ALLOWED.read_text(encoding="utf-8")) or {}
    unjudged = {
        name: [e for e in entries if e not in set(allowed.get(name) or [])]
        for name, entries in found_in_dev_data().items()
    }
    unjudged = {k: v for k, v in unjudged.items() if v}
    assert not unjudged, (
        "these lexicon entries occur verbatim in the reference data: remove them, or list "
        f"them in {ALLOWED.name} if they are general knowledge: {unjudged}"
    )


@pytest.mark.parametrize(
    "phrase",
    ["support of daesh", "without a larger strategy", "pretty good evidence", "nothing when"],
)
def test_phrases_lifted_from_the_seeds_are_gone(phrase: str) -> None:
    """Seed sentences' own phrases that earlier rules matched (issue 11)."""
    lexicons = " | ".join(
        normalise(e) for name in bundled_files() for e in _leaves(load_yaml(name, "sitrep"))
    )
    assert f"{phrase}" not in lexicons.split(" | ")
