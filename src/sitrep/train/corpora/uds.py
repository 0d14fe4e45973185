"""UDS-IH2 factuality joined with UDS 2.0 genericity: 27,289 predicates in 11,563 English web
sentences (``factuality/uds_ih2_factuality_genericity.jsonl``).

Each line is one predicate: the space-tokenised sentence (``text``), the predicate's token
span (``span``, end exclusive; every span in the copy is one token), the factuality score
(-3 = surely did not happen .. +3 = surely happened, the mean over annotators) and, for most
predicates, three genericity scores between 0 and 1 (``pred-particular``: a specific
situation rather than a kind or a habit; ``pred-hypothetical``: an imagined, possible or
conditional one; ``pred-dynamic``: an event rather than a state). 0.5 is the midpoint of
those scores, where the annotators' judgements tip one way or the other.

``label`` is derived by these rules, first match wins (a missing score never matches):

1. ``hypothetical`` when pred-hypothetical >= 0.5 and factuality < 1. UDS-IH2 scores future,
   conditional and merely possible predicates as not having happened; this step keeps them
   from being read as denials. When annotators were confident it happened (factuality >= 1)
   the factuality score wins: it is the direct answer to "did it happen".
2. ``generic`` when pred-particular < 0.5: the predicate speaks of a kind of situation or a
   habit, not one happening. pred-dynamic does not change this: a stative generic ("rebels
   hold the north") is as much not-a-happening as a habitual event; the score is kept in the
   record for features.
3. ``happened`` when factuality >= 1: annotators lean clearly towards "it happened" (one
   point on the -3 .. +3 scale is the usual cut for committed judgements).
4. ``negated`` when factuality <= -1: clearly did not happen.
5. ``other``: the annotators were unsure (-1 < factuality < 1).

UDS has no reporting label; ``reporting`` never comes from this corpus.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Final

from sitrep.errors import DataError

from ._common import corpus_path, get, get_optional, int_list, join_tokens, read_jsonl
from .records import Label, PredicateExample

CORPUS: Final = "uds_ih2"
FILE: Final = "factuality/uds_ih2_factuality_genericity.jsonl"

# The thresholds of the rules above.
FACTUAL: Final = 1.0
GENERICITY: Final = 0.5


def uds_label(
    factuality: float,
    particular: float | None,
    hypothetical: float | None,
) -> Label:
    """The normalised label of one UDS predicate (rules in the module docstring)."""
    if hypothetical is not None and hypothetical >= GENERICITY and factuality < FACTUAL:
        return "hypothetical"
    if particular is not None and particular < GENERICITY:
        return "generic"
    if factuality >= FACTUAL:
        return "happened"
    if factuality <= -FACTUAL:
        return "negated"
    return "other"


def read_uds(data_dir: Path | str) -> Iterator[PredicateExample]:
    """Every predicate of the UDS file, in file order."""
    path = corpus_path(data_dir, FILE)
    for number, row in read_jsonl(path):
        where = f"Line {number} of {path}"
        sentence_id = get(row, "sent_id", str, where)
        tokens = get(row, "text", str, where).split(" ")
        if not "".join(tokens):
            raise DataError(f"{where} has an empty sentence.")
        span = int_list(get(row, "span", list, where), where)
        if len(span) != 2 or not 0 <= span[0] < span[1] <= len(tokens):
            raise DataError(f"{where} has the span {span} outside its {len(tokens)} tokens.")
        text, starts = join_tokens(tokens)
        factuality = get(row, "factuality", float, where)
        particular = get_optional(row, "pred-particular", float, where)
        hypothetical = get_optional(row, "pred-hypothetical", float, where)
        yield PredicateExample(
            corpus=CORPUS,
            doc_id=sentence_id,  # the copy names sentences only, not their documents
            sentence_id=sentence_id,
            text=text,
            start=starts[span[0]],
            end=starts[span[1] - 1] + len(tokens[span[1] - 1]),
            factuality=factuality,
            label=uds_label(factuality, particular, hypothetical),
            particular=particular,
            hypothetical=hypothetical,
            dynamic=get_optional(row, "pred-dynamic", float, where),
            chain=None,
            split=get_optional(row, "split", str, where),
        )
