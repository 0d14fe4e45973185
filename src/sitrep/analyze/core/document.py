"""The object that flows through the analysis stages: an article and the layers added to it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sitrep.model import (
    Article,
    Claim,
    DocumentDate,
    EntityMention,
    EventMention,
    Quantity,
    Signal,
    TimeMention,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from sitrep.analyze.claims.quotes import Quotations


@dataclass
class Document:
    """One article under analysis. Each stage adds its layer; nothing here is shared."""

    article: Article
    doc: Doc | None = None  # the spaCy parse of article.text
    quotations: Quotations | None = None  # quoted stretches, block quotes, transcript turns
    entities: list[EntityMention] = field(default_factory=list)
    dct: DocumentDate | None = None  # the date the text speaks from
    times: list[TimeMention] = field(default_factory=list)
    focus: str | None = None  # the day the text is about (see analyze.dates.focus_date)
    quantities: list[Quantity] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)
    main_country: str | None = None  # ISO alpha-3 of the country most places are in
    main_admin1: str | None = None  # the province most places of the main country are in
    # Layers of stages added by users or later capabilities, by stage name.
    extra: dict[str, Any] = field(default_factory=dict)
    done: list[str] = field(default_factory=list)  # names of the stages that have run

    def quoted(self) -> Quotations:
        """The quotations layer (the ``quotes`` stage must have run)."""
        if self.quotations is None:
            raise ValueError("the quotes stage has not run")
        return self.quotations

    @property
    def text(self) -> str:
        return self.article.text
