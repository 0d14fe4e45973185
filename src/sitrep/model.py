"""The data model: every record that flows through sitrep, as frozen dataclasses.

Every character offset anywhere in the system refers to ``Article.text``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

_WHITESPACE = re.compile(r"\s+")


def normalise_for_identity(text: str) -> str:
    """The form of a text that decides whether two inputs are "the same text".

    Unicode compatibility forms, case and whitespace differ between copies of one article
    (non-breaking spaces, hard line wraps), so they do not change its identity.
    """
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


# Characters no stored string may hold: NUL (which C-string tools downstream cut at) and lone
# UTF-16 surrogates (JSON escapes such as "\ud800", or file names that are not UTF-8), which
# are not Unicode text and cannot be written to the ledger.
_UNSTORABLE = re.compile("\x00|([\ud800-\udfff])")


def clean_string(value: str) -> str:
    """``value`` without NULs, with each lone surrogate replaced by U+FFFD."""
    return _UNSTORABLE.sub(lambda m: "\ufffd" if m[1] else "", value)


def content_id(text: str) -> str:
    """Article id: 16 hex digits of the SHA-256 of the normalised text."""
    # surrogatepass: a lone surrogate (never in a stored text) must not make hashing raise
    identity = normalise_for_identity(text).encode("utf-8", "surrogatepass")
    return hashlib.sha256(identity).hexdigest()[:16]


class SkipReason(StrEnum):
    """Why an input did not become an article. Each value is stored in the ingest log."""

    EMPTY = "empty"
    BINARY = "binary"
    UNDECODABLE = "undecodable"
    TOO_LARGE = "too_large"
    DUPLICATE = "duplicate"
    PARSE_ERROR = "parse_error"
    UNREADABLE = "unreadable"
    FETCH_ERROR = "fetch_error"
    ROBOTS = "robots_disallowed"
    UNSUPPORTED = "unsupported_format"
    SPECIAL_FILE = "special_file"  # a named pipe, device or socket: never opened
    LINK_LOOP = "link_loop"  # a folder link back into a folder being read
    FAILED = "failed"  # sitrep itself failed on this input; the others went on


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an input came from: a file path or URL, and the part inside it."""

    source: str
    part: str = ""
    format: str = "text"

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.part)

    def describe(self) -> str:
        return f"{self.source} ({self.part})" if self.part else self.source


@dataclass(frozen=True, slots=True)
class Article:
    """One article: its cleaned text and what is known about where it came from.

    ``text`` begins with the headline where the input page printed one (raw text and HTML
    pages); ``body_start`` is the offset where the body proper begins. JSONL/CSV text is
    kept verbatim.
    """

    id: str
    text: str
    origin: Origin
    title: str | None = None
    authors: tuple[str, ...] = ()
    outlet: str | None = None
    published: date | None = None
    published_precision: DatePrecision | None = None
    url: str | None = None
    external_id: str | None = None
    page_id: str | None = None
    page_part: int | None = None
    body_start: int = 0
    language: str | None = None
    language_score: float | None = None
    # How each metadata field was found, e.g. {"published": "dateline", "outlet": "domain"}.
    provenance: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def analysable(self) -> bool:
        """Only English text goes through analysis; other languages are stored and flagged."""
        return self.language == "en"

    @property
    def word_count(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True, slots=True)
class Skip:
    """An input that did not become an article, with a reason a user can act on."""

    origin: Origin
    reason: SkipReason
    message: str
    article_id: str | None = None  # for duplicates: the article it duplicates


IngestOutcome = Article | Skip


# --------------------------------------------------------------------------- analysis layers


class PlacePrecision(StrEnum):
    """How exactly a resolved place is known (in the spirit of ACLED/UCDP geo-precision)."""

    SITE = "site"  # a base, crossing, dam, hill, neighbourhood
    TOWN = "town"
    DISTRICT = "district"
    PROVINCE = "province"  # first-level division; coordinates are its capital's
    REGION = "region"  # a named area spanning divisions ("eastern Syria", "the Golan")
    COUNTRY = "country"


class EntityKind(StrEnum):
    """The coarse type of a mention, independent of how it was found."""

    PERSON = "person"
    ORGANISATION = "organisation"  # any collective actor: state as agent, group, institution
    LOCATION = "location"


@dataclass(frozen=True, slots=True)
class ActorRef:
    """An actor code (PLOVER/CAMEO style) resolved for a mention."""

    code: str  # ISO alpha-3 or a group code (ISIS, HTS, SDF, HEZ, UNO ...)
    sector: str | None  # GOV MIL REB CVL ... (None when the text does not say)
    name: str | None = None  # canonical name from the actor dictionary
    actor_id: str | None = None
    how: str = ""  # "alias", "demonym + sector noun", "metonym" ...


@dataclass(frozen=True, slots=True)
class PlaceRef:
    """A place resolved to coordinates."""

    name: str
    lat: float
    lon: float
    precision: PlacePrecision
    country: str | None = None  # ISO alpha-3
    admin1: str | None = None
    geonameid: int | None = None
    how: str = ""  # "curated site", "geonames", "province", "country", "context" ...
    # People living there (GeoNames); None when unknown, as for most Syrian towns, and for a
    # province or a country.
    population: int | None = None


@dataclass(frozen=True, slots=True)
class EntityMention:
    """A mention of a person, collective actor or place, with what it resolves to."""

    start: int
    end: int
    text: str
    label: str  # PERSON ORG GPE LOC FAC NORP GROUP PRON
    kind: EntityKind
    found_by: str  # "ner", "ruler", "noun phrase", "pronoun", "trigger modifier", …
    actor: ActorRef | None = None
    place: PlaceRef | None = None
    unresolved: str | None = None  # why neither an actor nor a place could be given


class Granularity(StrEnum):
    DAY = "day"
    # A week told as a whole ("last week", "this weekend"): the value is its first day, as the
    # annotation conventions of event datasets give it (ACLED's, this project's gold).
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


def date_label(stored: Mapping[str, Any]) -> str | None:
    """How a stored date (``{value, granularity}``) reads to a person: a week told as a whole
    is "week of 2016-09-05", not a day."""
    value = stored.get("value")
    if value and stored.get("granularity") == Granularity.WEEK:
        return f"week of {value}"
    return value


def date_span(value: str | None, granularity: Granularity | None) -> tuple[date, date] | None:
    """The first and last day a stored date may mean: a day, a whole week (the value is its
    first day), a month or a year; None when undated or unreadable."""
    if not value:
        return None
    try:
        if granularity is Granularity.WEEK:
            first = date.fromisoformat(value[:10])
            return first, date.fromordinal(first.toordinal() + 6)
        if granularity is Granularity.DAY or len(value) == 10:
            day = date.fromisoformat(value[:10])
            return day, day
        if len(value) == 7:
            first = date.fromisoformat(value + "-01")
            following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return first, date.fromordinal(following.toordinal() - 1)
        year = int(value[:4])
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A temporal expression resolved to a calendar value (ISO date, month or year)."""

    start: int
    end: int
    text: str
    value: str | None  # "2016-09-17", "2016-09", "2016", or None when it cannot be placed
    granularity: Granularity | None
    how: str  # "explicit", "relative", "weekday", "year inferred" ...
    end_value: str | None = None  # for ranges ("September 8-12")


@dataclass(frozen=True, slots=True)
class DocumentDate:
    """The date a text speaks from (its creation time), which relative dates count from."""

    value: date | None
    granularity: Granularity | None
    how: str  # "publication", "estimated from the text", "unknown"


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number in the text, and casualties where it counts the killed or injured."""

    start: int
    end: int
    text: str
    low: int | None
    high: int | None  # None for open-ended ("at least 62", "scores")
    category: str  # "killed", "injured", "count"
    subject: str | None = None  # the counted noun phrase ("Syrian government troops")


@dataclass(frozen=True, slots=True)
class Analysis:
    """What analysis found in one article: the layers stored in the ledger."""

    article_id: str
    pipeline: str  # identifies the stages and resources that produced it
    dct: DocumentDate
    main_country: str | None
    main_admin1: str | None
    entities: tuple[EntityMention, ...]
    times: tuple[TimeMention, ...]
    quantities: tuple[Quantity, ...]
    events: tuple[EventMention, ...] = ()
    claims: tuple[Claim, ...] = ()
    signals: tuple[Signal, ...] = ()


@dataclass(frozen=True, slots=True)
class AnalysisFailure:
    """An article analysis did not process, and why. The same pipeline does not try it again
    (a changed pipeline does): ``too_long``, ``failed`` (a stage raised) or ``worker_died``."""

    article_id: str
    pipeline: str
    reason: str
    message: str


class Modality(StrEnum):
    """Whose voice an event mention is in, and whether the text says it happened."""

    ASSERTED = "asserted"  # the outlet's own voice
    REPORTED = "reported"  # inside someone's statement or report
    HYPOTHETICAL = "hypothetical"  # could, would, if, apparently ...
    NEGATED = "negated"  # did not, no ...
    FUTURE = "future"  # plans, intentions, will
    QUESTION = "question"

    @property
    def counts_as_event(self) -> bool:
        """Only what the text says happened (in its voice or a source's) enters the ledger."""
        return self in (Modality.ASSERTED, Modality.REPORTED)


@dataclass(frozen=True, slots=True)
class EventRole:
    """An actor or recipient of an event: the words, and the actor they resolve to."""

    text: str
    start: int
    end: int
    code: str | None
    sector: str | None = None
    name: str | None = None
    guessed: bool = False  # the code is the article's main country, not named in the text


@dataclass(frozen=True, slots=True)
class EventMention:
    """One happening (or non-happening) a text reports, typed by PLOVER."""

    start: int  # the evidence sentence
    end: int
    trigger_start: int
    trigger_end: int
    trigger: str
    type: str  # PLOVER type (ASSAULT, ACCUSE, ...)
    mode: str | None
    modality: Modality
    actors: tuple[EventRole, ...] = ()
    recipients: tuple[EventRole, ...] = ()
    place: PlaceRef | None = None
    place_text: str | None = None
    date: str | None = None  # ISO day, month or year
    date_granularity: Granularity | None = None
    date_how: str | None = None
    killed_low: int | None = None
    killed_high: int | None = None
    injured_low: int | None = None
    injured_high: int | None = None
    claim_id: str | None = None
    confidence: float = 0.5
    why: str = ""  # the cue that decided the modality
    # Other places in the article that tell the same happening (trigger spans).
    also: tuple[tuple[int, int], ...] = ()
    headline: bool = False  # told in the headline
    # Why this is no event to record (None: it is one): "hypothetical", "negated", "future",
    # "question", "generic", "aggregate", "furniture", or the rules' "no participant".
    not_event: str | None = None
    # What the toll counts (set by the decision layer, analyze/events/tolls.py): its words,
    # the victims' group ("civilians", "children", "military" …; None: "people" or unsaid)
    # and its scope (None: the happening's toll; "part": a sub-count; "sum": a total over
    # happenings the article tells one by one). Consolidation compares like tolls only.
    killed_start: int | None = None
    killed_end: int | None = None
    killed_victims: str | None = None
    killed_scope: str | None = None

    @property
    def trigger_spans(self) -> tuple[tuple[int, int], ...]:
        return ((self.trigger_start, self.trigger_end), *self.also)

    @property
    def has_participants(self) -> bool:
        named = any(r.code and not r.guessed for r in (*self.actors, *self.recipients))
        return named or self.killed_low is not None

    @property
    def counts(self) -> bool:
        """Whether the mention enters the ledger as an event: a specific happening (not
        ``not_event``) that the text says happened, in its own voice or a source's, outside
        the headline. A headline's compressed restatement stays a stored mention (and joins
        the body's mention of the same happening where there is one)."""
        return self.not_event is None and self.modality.counts_as_event and not self.headline


class ClaimKind(StrEnum):
    """How a statement is given: in the speaker's words, paraphrased, or both."""

    DIRECT = "direct"  # quoted (marks, a block quote, a transcript turn)
    INDIRECT = "indirect"  # reported speech ("X said that …", "according to X, …")
    MIXED = "mixed"  # reported speech holding a quoted fragment ("called it a “mistake”")


class Stance(StrEnum):
    """What the speaker does with the statement."""

    ASSERT = "assert"
    DENY = "deny"
    ACCUSE = "accuse"
    THREATEN = "threaten"
    REGRET = "regret"  # regret, apologise
    DEMAND = "demand"
    PREDICT = "predict"
    QUESTION = "question"
    SUPPORT = "support"  # backs, praises
    CONDEMN = "condemn"  # condemns, denounces, without blaming a doer (blaming one is ACCUSE)


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who makes a claim: the words that name them and the actor they resolve to."""

    text: str
    start: int
    end: int
    code: str | None = None
    sector: str | None = None
    name: str | None = None
    how: str = ""  # "named", "pronoun: refers back to …", "introduces the block quote" …
    anonymous: bool = False  # "officials who spoke on condition of anonymity", "sources"
    # Every actor of a compound speaker ("the Syrians and the Russians"), when more than one.
    codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Relay:
    """Who passes a claim on ("was quoted by TASS", "The Hill reports"): the ``via`` of a claim."""

    text: str
    start: int
    end: int
    code: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """A statement the text attributes to someone, with its content span and stance.

    ``start``/``end`` cover the content; ``parts`` lists the quoted stretches when an
    attribution interrupts them ("“…,” he said. “…”").
    """

    start: int
    end: int
    kind: ClaimKind
    stance: Stance
    cue: str
    cue_start: int
    cue_end: int
    speaker: Speaker | None = None
    via: Relay | None = None
    parts: tuple[tuple[int, int], ...] = ()
    events: tuple[int, ...] = ()  # indices into the article's event mentions
    why: str = ""  # the pattern that found it

    @property
    def content_spans(self) -> tuple[tuple[int, int], ...]:
        return self.parts or ((self.start, self.end),)


def claim_id(article_id: str, index: int) -> str:
    """The stable id of a claim: its article and its place among the article's claims."""
    return f"{article_id}-c{index}"


def claim_index(identifier: str) -> int:
    """The claim's place among its article's claims, from its id (see ``claim_id``)."""
    return int(identifier.rsplit("-c", 1)[1])


@dataclass(frozen=True, slots=True)
class Signal:
    """A span that tells how a text persuades or sources itself (DESIGN §3)."""

    start: int
    end: int
    text: str
    kind: str  # "unattributed_assertion", "anonymous_source" …
    score: float
    why: str = ""


# --------------------------------------------------------------------------- consolidation


@dataclass(frozen=True, slots=True)
class MentionRef:
    """An event mention as consolidation sees it: where it is, and what the article adds."""

    article_id: str
    index: int  # the mention's place among its article's event mentions
    mention: EventMention
    outlet: str | None = None
    published: date | None = None


@dataclass(frozen=True, slots=True)
class Account:
    """One value of one field of a consolidated event, and who gives it."""

    value: str
    article_id: str
    source: str  # "author" (the outlet's own voice) or the claimant's words
    source_code: str | None = None
    via: str | None = None
    mention_index: int | None = None
    claim_index: int | None = None
    start: int = 0  # the evidence in the article's text
    end: int = 0


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A field on which the accounts of one event differ: each distinct value with its sources."""

    field: str  # killed, perpetrator, recipient, date, place, intent, coordination …
    accounts: tuple[Account, ...]
    # "conflict": values that cannot both hold; "named vs unknown": one account names who did
    # it, another tells the happening without naming anyone; "which side": accounts name one
    # country as the doer, but two sides of it (its state forces, those fighting them).
    kind: str = "conflict"

    @property
    def values(self) -> list[str]:
        return sorted({a.value for a in self.accounts})


@dataclass(frozen=True, slots=True)
class ConsolidatedEvent:
    """One happening told by one or more mentions, in one or more articles."""

    id: str
    type: str
    mode: str | None
    date: str | None  # the most specific date the accounts agree on (ISO day, month or year)
    date_granularity: Granularity | None
    place: PlaceRef | None
    actors: tuple[str, ...]  # actor codes, most often named first
    recipients: tuple[str, ...]
    killed_low: int | None
    killed_high: int | None
    members: tuple[tuple[str, int], ...]  # (article_id, mention index)
    claims: tuple[tuple[str, int], ...] = ()  # (article_id, claim index) about it
    disagreements: tuple[Disagreement, ...] = ()

    @property
    def articles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a for a, _ in self.members))


# --------------------------------------------------------------------------- copies and reuse


@dataclass(frozen=True)
class DuplicateMember:
    """An article of a group and its similarity to the group's representative (1.0 for the
    representative itself). Body similarity is the exact Jaccard of the shingle sets."""

    article_id: str
    body_similarity: float
    headline_similarity: float


@dataclass(frozen=True)
class DuplicateGroup:
    """Near-duplicate articles; members in order, the representative (earliest) first."""

    group_id: int
    representative_id: str
    members: tuple[DuplicateMember, ...]

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(m.article_id for m in self.members)

    def pairs(self) -> Iterator[tuple[str, str]]:
        """Every pair of members (each pair sorted by id)."""
        ids = self.article_ids
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                yield (min(a, b), max(a, b))


@dataclass(frozen=True)
class ReusePassage:
    """A passage of article ``a`` found again in article ``b`` (``a`` == ``b``: twice in one
    article). ``a`` is the earlier article (or the earlier occurrence)."""

    a_article_id: str
    a_start: int
    a_end: int
    b_article_id: str
    b_start: int
    b_end: int
    words: int  # length of the shorter span, in words
    similarity: float  # identical words / words of the longer span

    @property
    def intra(self) -> bool:
        return self.a_article_id == self.b_article_id


# --------------------------------------------------------------------------- record codec


def article_record(article: Article) -> dict[str, Any]:
    return {
        "article_id": article.id,
        "external_id": article.external_id,
        "source": article.origin.source,
        "part": article.origin.part,
        "format": article.origin.format,
        "url": article.url,
        "outlet": article.outlet,
        "title": article.title,
        "authors": list(article.authors),
        "published": article.published.isoformat() if article.published else None,
        "published_precision": str(article.published_precision)
        if article.published_precision
        else None,
        "language": article.language,
        "language_score": article.language_score,
        "analysable": article.analysable,
        "page_id": article.page_id,
        "page_part": article.page_part,
        "body_start": article.body_start,
        "word_count": article.word_count,
        "text": article.text,
        "provenance": dict(article.provenance),
    }


def article_from_record(record: dict[str, Any]) -> Article:
    """The inverse of ``article_record`` (for round trips and for reading export shards)."""
    precision = record.get("published_precision")
    published = record.get("published")
    if isinstance(published, str):
        published = date.fromisoformat(published)
    return Article(
        id=record["article_id"],
        text=record["text"],
        origin=Origin(record["source"], record.get("part") or "", record.get("format") or "text"),
        title=record.get("title"),
        authors=tuple(record.get("authors") or ()),
        outlet=record.get("outlet"),
        published=published or None,
        published_precision=DatePrecision(precision) if precision else None,
        url=record.get("url"),
        external_id=record.get("external_id"),
        page_id=record.get("page_id"),
        page_part=record.get("page_part"),
        body_start=int(record.get("body_start") or 0),
        language=record.get("language"),
        language_score=record.get("language_score"),
        provenance=dict(record.get("provenance") or {}),
    )
