"""Whether a mention's date and place come from its own sentence or from around it.

``extract.event_date`` and ``extract._event_place`` fall back on the paragraph, the text's
focus day, the document date and the article's main province when the sentence says
nothing; their ``how`` says which. A sentence that names its own day or place anchors a
happening; one that inherits them goes on about a happening told before (``retellings``).
"""

from __future__ import annotations

from sitrep.model import EventMention, PlacePrecision

# The start of a date's ``how`` when it was found outside the mention's own sentence.
DATE_EARLIER_IN_PARAGRAPH = "earlier in the paragraph"
DATE_OF_FOCUS = "the day the text is about"
DATE_OF_DOCUMENT = "document date"
DATE_OF_DOCUMENT_MONTH = "document month"
NO_DATE = "no date"
DATES_FROM_ELSEWHERE = (
    DATE_EARLIER_IN_PARAGRAPH,
    DATE_OF_FOCUS,
    DATE_OF_DOCUMENT,
    DATE_OF_DOCUMENT_MONTH,
    NO_DATE,
)
# The start of a place's ``how`` when it was taken from the paragraph before the sentence.
PLACE_FROM_CONTEXT = "context"


def dated_in_sentence(mention: EventMention) -> bool:
    """Whether the mention's own sentence says when it happened."""
    return bool(mention.date) and not (mention.date_how or "").startswith(DATES_FROM_ELSEWHERE)


def placed_in_sentence(mention: EventMention) -> bool:
    """Whether the mention's own sentence names where it happened, finer than a country
    ("in Syria" places nearly every happening of these texts and tells none apart). The
    main province has no text; a place from the paragraph before says so in its ``how``."""
    place = mention.place
    return (
        place is not None
        and mention.place_text is not None
        and not place.how.startswith(PLACE_FROM_CONTEXT)
        and place.precision is not PlacePrecision.COUNTRY
    )
