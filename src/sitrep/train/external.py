"""The auxiliary heads, trained on the open corpora of ``../shared/data/train`` only.

- ``uds`` (UDS-IH2, CC BY-SA 4.0): did a predicate's happening happen, was it negated, is it
  generic or hypothetical (the corpus's own train split).
- ``ecb`` (ECB+, CC BY 3.0): is an action mention an occurrence, negated, generic or a
  report.
- ``ngec`` (NGEC synthetic stories, MIT): which PLOVER type a sentence's words tell (the
  first sentence of each story).
- ``roles`` (WikiEvents train, MIT): is a noun of an event's sentence its attacker (actor),
  its target or victim (recipient), or neither, from the parse path between them alone
  (``argument_row``). RAMS is left out (no licence in the copy: not shippable) and MUC-4
  (its templates give strings, not spans to find in the parse).

Each reads a predicate's parse by the same spaCy pipeline analysis uses, so its answers on
an article's candidate are comparable with what it was trained on. They see no in-domain
data: one set serves every fold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language

from sitrep.analyze.core.learned import TreeModel
from sitrep.analyze.events.auxiliary import argument_row, predicate_row, sentence_words
from sitrep.train.boosting import BoostingParams, fit_trees
from sitrep.train.corpora.catalogue import corpus_info, file_digest
from sitrep.train.corpora.ecbplus import read_ecbplus
from sitrep.train.corpora.ngec import read_ngec
from sitrep.train.corpora.records import PredicateExample, RoleExample
from sitrep.train.corpora.uds import read_uds
from sitrep.train.corpora.wikievents import read_wikievents

# The auxiliary heads are trained on tens of thousands of rows: a few more trees.
AUX_PARAMS = BoostingParams(max_iter=120, min_samples_leaf=20)
# At most this many examples of a corpus (a bound on training time; the corpora's own order).
MAX_EXAMPLES = 12_000
SOURCES = {"uds": "uds_ih2", "ecb": "ecbplus", "ngec": "ngec", "roles": "wikievents"}
# The parts a role row is labelled with (the corpus's place and instrument are "other": the
# heads it feeds choose actors and recipients).
ROLE_LABELS = ("actor", "recipient")

Progress = Callable[[str], None]


@dataclass(frozen=True)
class AuxiliaryModel:
    name: str
    model: TreeModel
    corpus: dict[str, Any]  # name, licence, digest: for the model card


def _predicate_rows(
    nlp: Language, examples: Iterable[PredicateExample]
) -> tuple[list[dict[str, float]], list[str]]:
    """Each example's predicate, parsed in its sentence, as a feature row with its label."""
    chosen = list(examples)[:MAX_EXAMPLES]
    by_text: dict[str, list[PredicateExample]] = {}
    for example in chosen:
        by_text.setdefault(example.text, []).append(example)
    rows: list[dict[str, float]] = []
    labels: list[str] = []
    for doc, (_text, group) in zip(nlp.pipe(by_text, batch_size=128), by_text.items(), strict=True):
        for example in group:
            span = doc.char_span(example.start, example.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            rows.append(predicate_row(span.root))
            labels.append(example.label)
    return rows, labels


def _role_rows(
    nlp: Language, examples: Iterable[RoleExample]
) -> tuple[list[dict[str, float]], list[str]]:
    """For each event with a trigger, every noun heading a noun phrase or a name in the
    trigger's sentence, as an ``argument_row`` labelled with the part the corpus gives it."""
    by_text: dict[str, list[RoleExample]] = {}
    for example in examples:
        if example.trigger_start is not None and example.trigger_end is not None:
            by_text.setdefault(example.text, []).append(example)
    rows: list[dict[str, float]] = []
    labels: list[str] = []
    for doc, (_text, group) in zip(nlp.pipe(by_text, batch_size=16), by_text.items(), strict=True):
        for example in group:
            assert example.trigger_start is not None and example.trigger_end is not None
            span = doc.char_span(
                example.trigger_start, example.trigger_end, alignment_mode="expand"
            )
            if span is None or not len(span):
                continue
            trigger, sentence = span.root, span.root.sent
            nouns = {c.root for c in sentence.noun_chunks} | {e.root for e in sentence.ents}
            for noun in sorted(nouns - {trigger}, key=lambda t: t.i):
                label = next(
                    (
                        a.role
                        for a in example.arguments
                        if a.role in ROLE_LABELS and a.start <= noun.idx < a.end
                    ),
                    "other",
                )
                rows.append(argument_row(noun, trigger))
                labels.append(label)
                if len(rows) >= MAX_EXAMPLES:
                    return rows, labels
    return rows, labels


def _card_entry(data_dir: Path, corpus: str) -> dict[str, Any]:
    info = corpus_info(corpus)
    return {
        "name": info.name,
        "licence": info.licence,
        "provenance": info.provenance,
        "shippable": info.shippable,
        "sha256": file_digest(data_dir, info),
    }


def train_auxiliary(
    data_dir: Path, nlp: Language, names: Iterable[str], progress: Progress | None = None
) -> list[AuxiliaryModel]:
    """The auxiliary heads named (``uds``, ``ecb``, ``ngec``, ``roles``), trained on their
    corpora."""
    say = progress or (lambda _: None)
    out = []
    for name in names:
        if name == "uds":
            examples = (e for e in read_uds(data_dir) if e.split in (None, "train"))
            rows, labels = _predicate_rows(nlp, examples)
        elif name == "ecb":
            rows, labels = _predicate_rows(nlp, read_ecbplus(data_dir))
        elif name == "ngec":
            stories = list(read_ngec(data_dir))[:MAX_EXAMPLES]
            firsts = [s.text[:600] for s in stories]
            rows = [sentence_words(next(doc.sents)) for doc in nlp.pipe(firsts, batch_size=64)]
            labels = [s.plover_type for s in stories]
        elif name == "roles":
            rows, labels = _role_rows(nlp, read_wikievents(data_dir, "train"))
        else:
            raise ValueError(f"no auxiliary head {name!r}")
        say(f"auxiliary {name}: {len(rows)} rows from {SOURCES[name]}")
        model = fit_trees(
            rows, labels, AUX_PARAMS, meta={"head": f"events/{name}", "rows": len(rows)}
        )
        out.append(AuxiliaryModel(name, model, _card_entry(data_dir, SOURCES[name])))
    return out
