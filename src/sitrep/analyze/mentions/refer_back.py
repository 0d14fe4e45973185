"""Later mentions of a person or body already named and coded in the article.

News names a person once in full with their office ("UN envoy Lena Varga", "Homs Governor
Adel Mansour") and afterwards by surname ("Varga"), title and surname ("Governor Mansour")
or office alone ("the envoy"). The actor dictionary cannot code those short forms (a
surname is nobody's alias), so they take the code of the fuller mention they repeat. A name
set right beside a description that codes it ("the Kurdish party's spokesman Ali Hamo",
"Ali Hamo, a member of the opposition coalition") takes the description's code, and "he" or
"she" the code of the person last mentioned before it, if that one has a code. (The names
are illustrative.)
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from sitrep.model import ActorRef, EntityKind, EntityMention

# What may stand between a name and the description beside it: spaces and one comma.
_BESIDE = re.compile(r"\s*,?\s*")
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_DEFINITE = ("the ", "this ")
# A definite description this long or shorter ("the Governor", "the PYD official") stands
# for someone named before; a longer one describes someone new.
MAX_DESCRIPTION_WORDS = 3
_PERSONAL_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})


def refer_back(mentions: list[EntityMention], text: str) -> list[EntityMention]:
    """``mentions`` (in text order) with uncoded person mentions coded from the description
    beside them or the earlier, fuller mention they repeat."""
    coded = _beside_descriptions(mentions, text)
    out: list[EntityMention] = []
    for mention in coded:
        if mention.actor is None and mention.label == "PRON":
            person = _last_person(mention, out)
            if person is not None and person.actor is not None:
                mention = _coded_as(mention, person.actor, "pronoun")
        elif mention.actor is None:
            source = _repeated(mention, out)
            if source is not None and source.actor is not None:
                mention = _coded_as(mention, source.actor, "refers back")
        out.append(mention)
    return out


def _coded_as(mention: EntityMention, actor: ActorRef, how: str) -> EntityMention:
    first = actor.how.split(" (")[0]  # how the name it repeats was coded
    return replace(mention, actor=replace(actor, how=f"{first} ({how})"), unresolved=None)


def _beside_descriptions(mentions: list[EntityMention], text: str) -> list[EntityMention]:
    """An uncoded name takes the code of a coded description right before or after it."""
    out = list(mentions)
    for i, mention in enumerate(mentions):
        if mention.actor is not None or mention.label != "PERSON":
            continue
        before = mentions[i - 1] if i > 0 else None
        after = mentions[i + 1] if i + 1 < len(mentions) else None
        # A title run straight into the name ("UN envoy Lena Varga"), or a description set
        # beside it with a comma ("Lena Varga, the UN envoy"); an organisation after a comma
        # is more often the next item of a list than the name's description.
        if before is not None and before.actor is not None and before.end <= mention.start:
            gap = text[before.end : mention.start]
            if gap.isspace() or (before.label == "GROUP" and _BESIDE.fullmatch(gap)):
                out[i] = _coded_as(mention, before.actor, "described beside")
                continue
        if (
            after is not None
            and after.actor is not None
            and after.label == "GROUP"
            and mention.end <= after.start
            and _BESIDE.fullmatch(text[mention.end : after.start])
        ):
            out[i] = _coded_as(mention, after.actor, "described beside")
    return out


def _last_person(pronoun: EntityMention, earlier: list[EntityMention]) -> EntityMention | None:
    """The person "he" or "she" stands for: the last one mentioned before it, coded or not
    (an uncoded "a resident" in between means the pronoun is the resident's)."""
    if pronoun.text.lower() not in _PERSONAL_PRONOUNS:
        return None
    return next(
        (m for m in reversed(earlier) if m.kind is EntityKind.PERSON and m.label != "PRON"), None
    )


def _bare(word: str) -> str:
    """A word without its possessive ("Pillay's" -> "pillay"), lower-cased."""
    return re.sub(r"['’]s$", "", word).lower()


def _repeated(mention: EntityMention, earlier: list[EntityMention]) -> EntityMention | None:
    """The nearest earlier coded mention that ``mention`` repeats: a name by its last word (a
    surname, found in an earlier naming of a person), a short definite description of a person
    ("the envoy") by its head noun (found in any earlier naming: "UN envoy")."""
    words = _WORD.findall(mention.text)
    if not words:
        return None
    # The parser takes a lone surname for an organisation as often as for a person.
    surname = mention.label == "PERSON" or (mention.label == "ORG" and len(words) == 1)
    if surname:
        key = words[-1]
        if len(key) < 3 or not key[0].isupper():
            return None
    elif mention.kind is EntityKind.PERSON and mention.text.lower().startswith(_DEFINITE):
        if len(words) > MAX_DESCRIPTION_WORDS:
            return None
        key = words[-1]
    else:
        return None
    wanted = _bare(key)
    for previous in reversed(earlier):
        if previous.actor is None or previous.kind is EntityKind.LOCATION:
            continue
        if previous.label == "PRON" or (surname and previous.label not in ("PERSON", "GROUP")):
            continue
        if wanted in _naming_words(previous.text):
            return previous
    return None


@lru_cache(maxsize=4096)
def _naming_words(text: str) -> frozenset[str]:
    """The words of a naming of two words or more, bare (a one-word naming is no fuller
    than the mention that repeats it). Cached: every uncoded mention looks back over the
    article's earlier mentions."""
    words = [_bare(w) for w in _WORD.findall(text)]
    return frozenset(words) if len(words) > 1 else frozenset()
