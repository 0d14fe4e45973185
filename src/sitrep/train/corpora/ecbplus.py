"""ECB+ action mentions (``ecbplus/ecbplus_mentions.jsonl``): news documents on 43 topics,
one line per annotated mention with its ``tag``, the ``tokens`` of its sentence, the token
indices of the mention (``span``: a list of indices, not a range; 50 action mentions skip a
word, as a phrasal verb split by its object does) and its coreference ``chain``.

Only sentences with ``annotated_sentence: true`` are exhaustively annotated, so only they are
read; only action mentions (``ACTION_*`` and ``NEG_ACTION_*`` tags) become records, the
participant, time and location mentions do not. The record's span runs from the first to the
last token of the mention, so a gapped mention includes its gap.

Tags to labels:

=========================================  ===========
``ACTION_OCCURRENCE``                      happened
``ACTION_GENERIC``                         generic
``ACTION_REPORTING``                       reporting
``ACTION_STATE``, ``ACTION_ASPECTUAL``,    other
``ACTION_CAUSATIVE``, ``ACTION_PERCEPTION``
every ``NEG_ACTION_*``                     negated
=========================================  ===========

ECB+ does not annotate modality: a future or hypothetical occurrence is still an
``ACTION_OCCURRENCE``, so ``happened`` here means "an occurrence, neither negated nor
generic"; UDS is the source for the happened/hypothetical distinction.

``chain`` is the corpus's chain id (null for singletons): two mentions of one document with
the same chain are re-mentions of one happening; the same id across documents links
cross-document coreference. ECB+ has no train/dev/test split of its own (``split`` is None);
split by topic (the number before the underscore of ``doc_id``) to keep topics apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Final

from sitrep.errors import DataError

from ._common import (
    corpus_path,
    get,
    get_optional,
    int_list,
    join_tokens,
    read_jsonl,
    string_list,
    token_span,
)
from .records import Label, PredicateExample

CORPUS: Final = "ecbplus"
FILE: Final = "ecbplus/ecbplus_mentions.jsonl"

TAG_LABELS: Final[dict[str, Label]] = {
    "ACTION_OCCURRENCE": "happened",
    "ACTION_GENERIC": "generic",
    "ACTION_REPORTING": "reporting",
    "ACTION_STATE": "other",
    "ACTION_ASPECTUAL": "other",
    "ACTION_CAUSATIVE": "other",
    "ACTION_PERCEPTION": "other",
}
NEGATED_PREFIX: Final = "NEG_"


def is_action_tag(tag: str) -> bool:
    """Whether an ECB+ tag marks an action (rather than a participant, time or place)."""
    return tag.removeprefix(NEGATED_PREFIX).startswith("ACTION_")


def ecbplus_label(tag: str) -> Label:
    """The normalised label of an ECB+ action tag; a DataError for a tag the table lacks."""
    if tag.startswith(NEGATED_PREFIX) and tag.removeprefix(NEGATED_PREFIX) in TAG_LABELS:
        return "negated"
    if tag in TAG_LABELS:
        return TAG_LABELS[tag]
    raise DataError(f"The ECB+ tag {tag} has no label mapping.")


def read_ecbplus(data_dir: Path | str) -> Iterator[PredicateExample]:
    """Every action mention of an exhaustively annotated ECB+ sentence, in file order."""
    path = corpus_path(data_dir, FILE)
    for number, row in read_jsonl(path):
        where = f"Line {number} of {path}"
        tag = get(row, "tag", str, where)
        if get(row, "annotated_sentence", bool, where) is not True or not is_action_tag(tag):
            continue
        tokens = string_list(get(row, "tokens", list, where), where)
        if not "".join(tokens):
            raise DataError(f"{where} has an empty sentence.")
        span = int_list(get(row, "span", list, where), where)
        if not span or span != sorted(span):
            raise DataError(f"{where} has the token span {span}, not in reading order.")
        text, starts = join_tokens(tokens)
        start, end = token_span(tokens, starts, span[0], span[-1], where)
        yield PredicateExample(
            corpus=CORPUS,
            doc_id=get(row, "doc", str, where),
            sentence_id=str(get(row, "sent", int, where)),
            text=text,
            start=start,
            end=end,
            factuality=None,
            label=ecbplus_label(tag),
            particular=None,
            hypothetical=None,
            dynamic=None,
            chain=get_optional(row, "chain", str, where),
            split=None,
        )
