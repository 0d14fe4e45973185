"""A synthetic news corpus with planted copies, for measuring dedup and reuse at scale.

Everything here is generated from a seeded RNG with this module's own word lists and
sentence frames (invented names, no real text): N articles of news-like prose (headline,
paragraphs of reported sentences about invented actors and places, quotations, tolls, days),
some ending in an outlet footer (boilerplate shared by thousands of articles). Planted:

- *exact copies*: the same text again (a repost);
- *near copies*: a few body words changed, a new headline, often a footer appended;
- *pasted paragraphs*: one paragraph of an article pasted into another, unrelated one;
- *repeated passages*: a sentence of an article printed again later in the same article
  (a quotation restated in the closing paragraph).

The corpus knows its truth: the copy families (each pair inside a family is a near
duplicate) and the character spans of every pasted or repeated passage. 100,000 articles
(~366 words each) take 12-15 s to generate on the project machine.
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from sitrep.model import Article, Origin

__all__ = [
    "PlantedPassage",
    "SyntheticCorpus",
    "generate_corpus",
]

# Shares of the corpus given each role, near what FA-KES dev holds (real conflict news: 8 of
# its 398 records are exact copies, 11 more are near copies of another article).
EXACT_COPY_SHARE = 0.02
NEAR_COPY_SHARE = 0.04
PASTE_SHARE = 0.02
REPEAT_SHARE = 0.01
FOOTER_SHARE = 0.10
# A near copy changes this many body words (inclusive range) and appends a footer this often.
NEAR_COPY_EDITS = (1, 6)
NEAR_COPY_FOOTER = 0.6


def _split(text: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(sep))


_FUNCTION = _split(
    "the of to and a in that is was for on it with as by he at from his an were are which "
    "this be has had or not but have they its their been also who after more one two new "
    "than other into over would about some there when no all her could only most under "
    "while before since between against during because these those many several such any "
    "both each few where what our them him she we said says told added"
)
_CONTENT = _split(
    "attack strike offensive ceasefire convoy checkpoint village town district province "
    "border crossing bridge airport base airfield hospital school market road highway "
    "battalion brigade militia army forces troops fighters rebels soldiers police guards "
    "commander officer minister ministry spokesman official envoy delegation council court "
    "government opposition coalition alliance faction movement party committee agency "
    "shelling airstrike drone missile rocket mortar artillery sniper ambush raid siege "
    "withdrawal advance retreat clash battle fighting operation mission patrol deployment "
    "civilians residents families children women refugees prisoners hostages casualties "
    "statement report warning accusation denial claim investigation inquiry sanctions "
    "talks negotiations agreement truce deal proposal resolution vote session meeting "
    "morning evening night week month spring summer autumn winter region area zone front "
    "line position outpost compound depot warehouse factory plant pipeline field valley "
    "hill ridge river coast port island desert mountain capital city suburb quarter camp "
    "supplies aid food water fuel medicine shelter equipment weapons ammunition vehicles "
    "tanks helicopters aircraft jets ships boats radar system network satellite footage "
    "video images photographs witnesses sources observers monitors analysts experts "
    "journalists reporters media outlet channel newspaper broadcaster website account "
    "killed wounded injured captured detained arrested released evacuated displaced "
    "destroyed damaged targeted struck shelled bombed seized recaptured surrounded "
    "launched announced confirmed denied accused condemned warned urged demanded rejected "
    "approved signed agreed refused threatened promised pledged vowed insisted claimed "
    "reported stated declared suggested estimated described called blamed praised "
    "heavy fierce sporadic renewed fresh latest previous recent major minor senior "
    "former local foreign regional international northern southern eastern western "
    "central strategic key main armed unarmed military civilian humanitarian political "
    "diplomatic economic official unofficial independent joint separate rival allied "
    "hostile friendly neutral disputed contested besieged occupied liberated remote "
    "nearby coastal rural urban mountainous fragile tense calm violent deadly bloody"
)
_SYLLABLES = _split(
    "ka ran vel dor mi sha tor lin ba zar qo rem ti nal su bek ha mar ye dun fa ros el gu "
    "vin tak sol ira mun bar ze khal om pri das nur ul tev ash ko rib"
)
_DAYS = _split("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
_ORG_NOUNS = _split(
    "Defence Ministry|Foreign Ministry|Interior Ministry|Army|Air Force|Navy|Border Guard|"
    "Liberation Front|National Council|Popular Militia|Red Crescent|Observatory|Press Agency|"
    "Security Council|Relief Agency|General Staff|Provincial Council|Revolutionary Guard",
    "|",
)
_ROLES = _split(
    "a spokesman for|a senior official of|the head of|a commander in|an adviser to|"
    "a member of|the envoy of|a researcher at|a doctor working with|a witness close to",
    "|",
)
_SAID = _split(
    "said|says|told reporters|told journalists|stated|claimed|reported|insisted|added|"
    "announced|confirmed|wrote|noted|warned|explained|argued",
    "|",
)
_WHEN = tuple(
    f"{part} {day}".strip()
    for part in ("on", "early on", "late on", "by", "before", "after", "until", "")
    for day in _DAYS
)
# Sentence frames. Slots: A/A2 actor, S person, R role, P place, W time, Y a verb of saying,
# V a verb, N/N2 nouns, K a number, F/Q filler of 6-15 and 8-17 words. Between fixed words
# and low-entropy slots (a role, a verb of saying, a place) come filler or a person's name,
# so that unrelated articles rarely share eight words in a row by chance (measured: one to
# five such passages per 1,000 articles, at 10,000 and 100,000 articles). The one stock
# phrase is on purpose: boilerplate the reuse finder must ignore.
_FRAMES = (
    "{A} {Y} that {F}.",
    "According to {A}, {F}.",
    "{A} {V} {F} near {P}.",
    "At least {K} {N2} were {V} in {P} {W}, {S} {Y}, adding that {F}.",
    "“{Q},” {Y} {S}, {R} {A}.",
    "{S}, {R} {A}, {Y} {F}.",
    "The {N} in {P} came after {F}, {A} {Y}.",
    "Residents of {P} {Y} {F}.",
    "{A} {V} {S}, saying {F}.",
    "In a statement {W}, {S} {Y} {K} {F}.",
    "{F}, {A} {Y} in {P}.",
    "It was not immediately possible to verify {F}.",
    "{S} {Y} {A} that “{Q}.”",
    "The {N} near {P} {F}.",
    "{S} has {V} {A2} of {F}.",
)
_FOOTERS = tuple(
    f"{intro} {body}"
    for intro, body in itertools.product(
        (
            "Subscribe to our newsletter for the latest reports from the front lines.",
            "Support independent journalism: become a member of our reader community today.",
            "This article may be republished with a link to the original source.",
        ),
        (
            "Follow us on all the usual networks and share this story with your friends.",
            "The views expressed here are those of the author and not of the editors.",
            "All rights reserved; no part of this page may be reproduced without permission.",
            "Comments are moderated and may take a day to appear below the article.",
        ),
    )
)


@dataclass(frozen=True)
class PlantedPassage:
    """A passage the generator copied: from ``source`` into ``target`` (the same article
    for a repeated passage). Spans are character offsets into each article's ``text``."""

    source_id: str
    source_start: int
    source_end: int
    target_id: str
    target_start: int
    target_end: int

    @property
    def intra(self) -> bool:
        return self.source_id == self.target_id


@dataclass
class SyntheticCorpus:
    """Generated articles in order, and the truth about what was copied."""

    articles: list[Article]
    families: list[tuple[str, ...]] = field(default_factory=list)  # original first
    passages: list[PlantedPassage] = field(default_factory=list)

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles)

    def __len__(self) -> int:
        return len(self.articles)

    def texts(self) -> dict[str, str]:
        return {a.id: a.text for a in self.articles}

    def duplicate_pairs(self) -> set[tuple[str, str]]:
        """Every pair of articles of one copy family, each pair sorted."""
        return {
            (min(a, b), max(a, b))
            for family in self.families
            for a, b in itertools.combinations(family, 2)
        }

    @property
    def words(self) -> int:
        return sum(len(a.text.split()) for a in self.articles)


def _uniforms(rng: np.random.Generator) -> Iterator[float]:
    """Uniform floats in [0, 1), drawn by numpy in large blocks (one draw costs ~50 ns)."""
    while True:
        yield from rng.random(1 << 20).tolist()


class _Writer:
    """Draws words, names and sentences from one seeded RNG."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.uniform = _uniforms(rng).__next__
        names = self._names(12000)
        lexicon = [*_FUNCTION, *_CONTENT, *(n.lower() for n in names[8000:])]
        # Zipf-like word frequencies: rank r drawn with weight 1 / (r + 2).
        weights = 1.0 / (np.arange(len(lexicon)) + 2.0)
        self.lexicon = lexicon
        self.cumulative = np.cumsum(weights / weights.sum())
        self.places = names[:5000]
        self.first, self.last = names[5000:6500], names[6500:8000]
        self.verbs = [w for w in _CONTENT if w.endswith("ed")]
        self.nouns = [w for w in _CONTENT if not w.endswith("ed")]
        self._pool: list[str] = []
        self._next = 0
        # Each frame draws only the slots it names.
        self.slots: dict[str, Callable[[], str]] = {
            "A": self.actor,
            "A2": self.actor,
            "W": lambda: self.pick(_WHEN),
            "Y": lambda: self.pick(_SAID),
            "F": lambda: self.fill(6 + int(self.uniform() * 10)),
            "Q": lambda: self.fill(8 + int(self.uniform() * 10)),
            "K": lambda: str(2 + int(self.uniform() * 118)),
            "N": lambda: self.pick(self.nouns),
            "N2": lambda: self.pick(self.nouns),
            "V": lambda: self.pick(self.verbs),
            "P": lambda: self.pick(self.places),
            "R": lambda: self.pick(_ROLES),
            "S": self.person,
        }
        self.frames = [
            (frame, [f for _, f, _, _ in string.Formatter().parse(frame) if f]) for frame in _FRAMES
        ]

    def _names(self, count: int) -> list[str]:
        seen: set[str] = set()
        names: list[str] = []
        while len(names) < count:
            size = 2 + int(self.uniform() * 2)
            name = "".join(self.pick(_SYLLABLES) for _ in range(size)).capitalize()
            if name not in seen:
                seen.add(name)
                names.append(name)
        return names

    def fill(self, n: int) -> str:
        """``n`` words of Zipf-distributed filler (drawn in large blocks for speed)."""
        if self._next + n > len(self._pool):
            drawn = np.searchsorted(self.cumulative, self.rng.random(1 << 20))
            drawn = np.minimum(drawn, len(self.lexicon) - 1)
            lexicon = self.lexicon
            self._pool, self._next = [lexicon[i] for i in drawn.tolist()], 0
        self._next += n
        return " ".join(self._pool[self._next - n : self._next])

    def pick(self, options: Sequence[str]) -> str:
        return options[int(self.uniform() * len(options))]

    def count(self, low: int, high: int) -> int:
        """An integer in [low, high)."""
        return low + int(self.uniform() * (high - low))

    def person(self) -> str:
        return f"{self.pick(self.first)} {self.pick(self.last)}"

    def actor(self) -> str:
        """A person or an institution of a place."""
        if self.uniform() < 0.5:
            return self.person()
        return f"the {self.pick(self.places)} {self.pick(_ORG_NOUNS)}"

    def sentence(self) -> str:
        frame, fields = self.frames[int(self.uniform() * len(self.frames))]
        slots = self.slots
        text = frame.format(**{f: slots[f]() for f in fields})
        return text[0].upper() + text[1:]

    def headline(self) -> str:
        words = f"{self.actor()} {self.pick(self.verbs)} {self.fill(4)} in "
        return (words + self.pick(self.places)).title()

    def paragraphs(self) -> list[str]:
        return [
            " ".join(self.sentence() for _ in range(self.count(2, 6)))
            for _ in range(self.count(3, 9))
        ]


@dataclass
class _Draft:
    title: str
    paragraphs: list[str]
    footer: str | None = None


def _assemble(draft: _Draft) -> tuple[str, list[int]]:
    """The article text and the offset of each paragraph in it."""
    parts = [*draft.paragraphs, *([draft.footer] if draft.footer else [])]
    offsets, position = [], len(draft.title) + 2
    for part in parts:
        offsets.append(position)
        position += len(part) + 2
    return draft.title + "\n\n" + "\n\n".join(parts), offsets


def _edit_words(writer: _Writer, paragraphs: list[str]) -> list[str]:
    """Replace a few words of the body by other words (a near copy's light edit)."""
    edited = [p.split(" ") for p in paragraphs]
    for _ in range(writer.count(NEAR_COPY_EDITS[0], NEAR_COPY_EDITS[1] + 1)):
        words = edited[writer.count(0, len(edited))]
        words[writer.count(0, len(words))] = writer.fill(1)
    return [" ".join(words) for words in edited]


def generate_corpus(n: int = 100_000, seed: int = 0) -> SyntheticCorpus:
    """``n`` articles with planted copies and passages; the same ``seed`` gives the same corpus.

    Ids are ``syn-`` and the position; copies always come after what they copy, so the
    earliest article of a family is its original.
    """
    writer = _Writer(np.random.default_rng(seed))
    roles = writer.rng.random(n)
    exact_end = EXACT_COPY_SHARE
    near_end = exact_end + NEAR_COPY_SHARE
    paste_end = near_end + PASTE_SHARE
    repeat_end = paste_end + REPEAT_SHARE
    drafts: list[_Draft] = []
    texts: list[str] = []
    offsets: list[list[int]] = []
    family_of: dict[int, list[int]] = {}  # original -> the family, original first
    used: set[int] = set()  # copies, and articles a passage was pasted from or into
    passages: list[tuple[int, int, int]] = []  # (source, paragraph, target)
    repeats: list[tuple[int, int]] = []  # (article, length of the repeated sentence)

    def source(before: int, copying: bool) -> int | None:
        """An earlier article to copy (an original may be copied again) or to paste from (a
        plain article), so that the truth stays simple: families and pastes never mix."""
        for _ in range(8):
            candidate = writer.count(0, before)
            if candidate not in used and (copying or candidate not in family_of):
                return candidate
        return None

    for index in range(n):
        role = roles[index] if index > 0 else 1.0
        origin = source(index, role < near_end) if role < paste_end and index > 0 else None
        if origin is not None and role < exact_end:
            draft = drafts[origin]
        elif origin is not None and role < near_end:
            base = drafts[origin]
            footer = writer.pick(_FOOTERS) if writer.uniform() < NEAR_COPY_FOOTER else base.footer
            draft = _Draft(writer.headline(), _edit_words(writer, base.paragraphs), footer)
        else:
            footer = writer.pick(_FOOTERS) if writer.uniform() < FOOTER_SHARE else None
            draft = _Draft(writer.headline(), writer.paragraphs(), footer)
            if origin is not None:  # paste a paragraph of ``origin`` into this new article
                paragraph = writer.count(0, len(drafts[origin].paragraphs))
                at = writer.count(1, len(draft.paragraphs) + 1)
                draft.paragraphs.insert(at, drafts[origin].paragraphs[paragraph])
                passages.append((origin, paragraph, index))
                used.update((origin, index))
            elif paste_end <= role < repeat_end:
                quote = writer.sentence()
                draft.paragraphs[0] += " " + quote
                draft.paragraphs[-1] += " " + quote
                repeats.append((index, len(quote)))
                used.add(index)
        if origin is not None and role < near_end:
            family_of.setdefault(origin, [origin]).append(index)
            used.add(index)
        drafts.append(draft)
        text, where = _assemble(draft)
        texts.append(text)
        offsets.append(where)

    ids = [f"syn-{i:07d}" for i in range(n)]
    articles = [
        Article(
            id=ids[i],
            text=texts[i],
            origin=Origin("synthetic", str(i), "jsonl"),
            title=drafts[i].title,
            body_start=len(drafts[i].title) + 2,
            language="en",
        )
        for i in range(n)
    ]
    planted = []
    for origin, paragraph, target in passages:
        copied = drafts[origin].paragraphs[paragraph]
        start = offsets[origin][paragraph]
        at = texts[target].index(copied, len(drafts[target].title))
        planted.append(
            PlantedPassage(
                ids[origin], start, start + len(copied), ids[target], at, at + len(copied)
            )
        )
    for index, length in repeats:
        paragraphs, where = drafts[index].paragraphs, offsets[index]
        first_end = where[0] + len(paragraphs[0])
        last_end = where[len(paragraphs) - 1] + len(paragraphs[-1])
        planted.append(
            PlantedPassage(
                ids[index], first_end - length, first_end, ids[index], last_end - length, last_end
            )
        )
    families = [tuple(ids[i] for i in members) for members in family_of.values()]
    return SyntheticCorpus(articles, families, planted)
