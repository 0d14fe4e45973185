"""The parse stage: spaCy over the article text with inline markup masked."""

from __future__ import annotations

from collections.abc import Sequence

from sitrep.analyze.core.bounded import parse_bounded, pipe_bounded
from sitrep.analyze.core.document import Document
from sitrep.analyze.core.registry import batch_for, stage
from sitrep.analyze.core.resources import Resources
from sitrep.analyze.core.text import parser_text


def require_doc(document: Document) -> None:
    if document.doc is None:
        raise ValueError("the parse stage has not run")


@stage("parse", requires=("article",), provides=("doc",))
def parse(document: Document, resources: Resources) -> None:
    """Tokens, sentences, parts of speech, dependencies and named entities (spaCy)."""
    document.doc = parse_bounded(
        resources.nlp, parser_text(document.text), body_start=document.article.body_start
    )


@batch_for("parse")
def parse_many(documents: Sequence[Document], resources: Resources) -> None:
    texts = [parser_text(d.text) for d in documents]
    starts = [d.article.body_start for d in documents]
    for document, doc in zip(documents, pipe_bounded(resources.nlp, texts, starts), strict=True):
        document.doc = doc
