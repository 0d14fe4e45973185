"""The values the accounts of one incident give that can be compared, and where they differ.

Two accounts disagree only on values that answer one question about one happening:

- **Toll** (``killed``): only a happening's own toll counts (a sub-count, "including five
  children", and a lead's total over several happenings are no toll of it: the analysis
  marks them, ``EventMention.killed_scope``), and only tolls of one group of victims are
  compared ("16 civilians" against "seven civilians", never against "a pilot" or "three
  children"); the field is ``killed`` for everyone, ``killed <group>`` for another group.
  Tolls differ when their ranges differ ("scores" against "62 to 100"); in a disagreement
  shown, "at least 70" beside another account's "70" is shown as 70, the value they share.
- **Who did it** (``perpetrator``): two accounts naming actors with no code in common
  conflict; the accounts of articles naming one against those of articles naming none are
  shown as their own kind, ``named vs unknown`` (an article names one when any of its
  accounts does; a headline naming no one is no account of an unknown doer). A code the
  analysis guessed (the article's main country) is no value to compare, and an account
  whose doer the analysis found but could not code ("regime barrel bombs", "gunmen") or
  only guessed is no "unknown" either: it names someone. Two accounts naming one
  country on two sides of its war (its army in one, its rebels in the other) are their own
  kind too, ``which side``: each value is "code:side" ("SYR:state", "SYR:REB"; the state's
  sectors are one side, ``pair_features.side_of``), given by the accounts that name the
  doer's sector, on a side that fights (``pair_features.ARMED_SIDES``).
- **Victims** (``recipient``): named codes with none in common.
- **Date**: days that differ, each stated in the account's own sentence (a date carried
  from earlier in the paragraph or the publication day is no claim of it).
- **Place**: provinces (or countries) that differ, each named by the account (the article's
  main province, the capital standing in for a country, a place carried from the context
  are no claim of it).

Each value keeps its claimant (the speaker of the claim holding the mention, the headline,
or the outlet's own voice), relay, article and evidence (the mention's sentence).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Protocol

from sitrep.consolidate.pair_features import armed, named_sides
from sitrep.model import (
    Account,
    Claim,
    Disagreement,
    EventMention,
    Granularity,
    MentionRef,
    claim_index,
)
from sitrep.resources import load_lexicon

__all__ = ["NAMED_VS_UNKNOWN", "UNKNOWN", "WHICH_SIDE", "comparable_disagreements"]

CONFLICT = "conflict"
NAMED_VS_UNKNOWN = "named vs unknown"
WHICH_SIDE = "which side"
UNKNOWN = "unknown"  # the value of an account that names no perpetrator
GENERIC = ""  # the victims' group of a toll whose noun names none ("12 people")
# How a place or date was found when the account's own sentence does not give it.
_PLACE_NOT_SAID = ("the article's main province", "capital of the country", "context")
_DATE_SAID = ("explicit", "weekday", "relative:")


class ArticleText(Protocol):
    """What the rules read of an article: its text and claims (``ArticleClaims``)."""

    @property
    def text(self) -> str: ...

    @property
    def claims(self) -> Sequence[Claim]: ...


@dataclass(frozen=True)
class Toll:
    """A toll as compared: "at least 26" is the same figure as "26" (its low), but "scores"
    (at least 20) is not "62 to 100", nor "62" "62 to 100"."""

    low: int
    high: int | None  # None: open-ended

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Toll):
            return NotImplemented
        closed = self.high is not None and other.high is not None
        return self.low == other.low and (not closed or self.high == other.high)

    def __hash__(self) -> int:
        return hash(self.low)


@dataclass(frozen=True)
class _Value:
    account: Account
    key: object  # what is compared: a toll range, a code set, a day, a province


def _toll(low: int, high: int | None) -> str:
    return f"{low}" if high == low else f"{low}–{high}" if high is not None else f"≥{low}"


def _source(
    ref: MentionRef, articles: dict[str, ArticleText]
) -> tuple[str, str | None, str | None, int | None]:
    """Who gives a mention's values: the claimant it sits inside, the headline, or the author."""
    mention = ref.mention
    if mention.headline:
        return "headline", None, None, None
    article = articles.get(ref.article_id)
    if mention.claim_id and article:
        index = claim_index(mention.claim_id)
        claim = article.claims[index] if index < len(article.claims) else None
        if claim is not None and claim.speaker is not None:
            via = claim.via.text if claim.via else None
            return claim.speaker.text, claim.speaker.code, via, index
    return "author", None, None, None


def _account(ref: MentionRef, articles: dict[str, ArticleText]) -> Account:
    source, code, via, index = _source(ref, articles)
    m = ref.mention
    return Account("", ref.article_id, source, code, via, ref.index, index, m.start, m.end)


def _codes(mention: EventMention, recipients: bool = False) -> frozenset[str]:
    roles = mention.recipients if recipients else mention.actors
    return frozenset(r.code for r in roles if r.code and not r.guessed)


def _tolls(ref: MentionRef) -> tuple[str, str, object] | None:
    """The happening's own toll (no sub-count, no total over several happenings), with the
    victims' group it counts (``GENERIC``: "12 people", or no noun)."""
    m = ref.mention
    if m.killed_low is None or m.killed_scope is not None:
        return None
    toll = Toll(m.killed_low, m.killed_high)
    return m.killed_victims or GENERIC, _toll(m.killed_low, m.killed_high), toll


@cache
def _subgroups() -> frozenset[str]:
    """Victims counted inside another group's toll (children, women): the analysis's list.
    (A change to it changes the analysis pipeline's id, so the mentions and with them the
    consolidation's fingerprint change too.)"""
    return frozenset(load_lexicon("events", "victims.yaml")["subgroups"])


def _toll_disagreements(values: Sequence[tuple[str, _Value]]) -> list[Disagreement]:
    """Tolls compared group by group: a group's tolls with the generic ones ("12 people"),
    a sub-group's (children, women) only among themselves. The field is ``killed``, or
    ``killed <group>`` when the accounts count several groups."""
    by_group: dict[str, list[_Value]] = {}
    for group, value in values:
        by_group.setdefault(group, []).append(value)
    generic = by_group.pop(GENERIC, [])
    adults = [g for g in sorted(by_group) if g not in _subgroups()]
    sets = {g: by_group[g] + ([] if g in _subgroups() else generic) for g in by_group}
    if not adults:
        sets[GENERIC] = generic
    several = len(sets) > 1
    return [
        Disagreement(
            f"killed {group}" if several and group != GENERIC else "killed",
            _agreeing_as_one(items),
        )
        for group, items in sorted(sets.items())
        if _differ(items)
    ]


def _agreeing_as_one(values: Sequence[_Value]) -> tuple[Account, ...]:
    """The accounts of a toll disagreement, an open-ended toll shown as the exact one of the
    same figure when exactly one such is given ("at least 70" beside "70" and "12": two
    values, 70 and 12, not three), so that no two values shown side by side agree."""
    exact: dict[int, set[str]] = {}
    for value in values:
        toll = value.key
        if isinstance(toll, Toll) and toll.high == toll.low:
            exact.setdefault(toll.low, set()).add(value.account.value)
    accounts = []
    for value in values:
        toll, account = value.key, value.account
        if isinstance(toll, Toll) and toll.high is None and len(exact.get(toll.low, ())) == 1:
            account = replace(account, value=next(iter(exact[toll.low])))
        accounts.append(account)
    return tuple(accounts)


def _date(ref: MentionRef) -> tuple[str, str, object] | None:
    m = ref.mention
    said = (m.date_how or "").startswith(_DATE_SAID)
    # A day, not a week told as a whole ("last week" is its first day, and may be any of
    # seven): only two days can disagree.
    week = m.date_granularity is Granularity.WEEK
    if m.date is None or len(m.date) != len("2016-09-17") or week or not said:
        return None
    return "date", m.date, m.date


def _place(ref: MentionRef) -> tuple[str, str, object] | None:
    m = ref.mention
    place = m.place
    if place is None or place.how.startswith(_PLACE_NOT_SAID) or not m.place_text:
        return None
    where = place.admin1 or place.country
    if where is None:
        return None
    name = place.name if place.name == where else f"{place.name} ({where})"
    return "place", name, (place.country, place.admin1 or place.country)


def _recipients(ref: MentionRef) -> tuple[str, str, object] | None:
    codes = _codes(ref.mention, recipients=True)
    return ("recipient", "+".join(sorted(codes)), codes) if codes else None


Reader = Callable[[MentionRef], tuple[str, str, object] | None]
# Fields whose values conflict when they differ at all.
_DISTINCT: tuple[Reader, ...] = (_date, _place)


def _voice(account: Account) -> tuple[str, str]:
    return account.article_id, account.source


def _differ(values: Sequence[_Value]) -> bool:
    """Whether two voices give different values: one voice (an article's own, or one
    claimant's in it) giving two tolls or days tells two happenings or groups, not two
    accounts of one."""
    return any(
        a.key != b.key and _voice(a.account) != _voice(b.account)
        for i, a in enumerate(values)
        for b in values[i + 1 :]
    )


def _overlap_free(values: Sequence[_Value]) -> bool:
    """Whether two voices give code sets with no code in common."""
    return any(
        isinstance(a.key, frozenset)
        and isinstance(b.key, frozenset)
        and not a.key & b.key
        and _voice(a.account) != _voice(b.account)
        for i, a in enumerate(values)
        for b in values[i + 1 :]
    )


def _perpetrators(refs: Sequence[MentionRef], accounts: Sequence[Account]) -> list[Disagreement]:
    """Named perpetrators with no code in common (a conflict), and the accounts of articles
    that name a perpetrator against those of articles that name none (``named vs unknown``;
    an article names one when any of its accounts of the incident does). A doer the account
    names but the analysis could not code ("regime barrel bombs", "gunmen") is named: its
    account is no value of the conflict, and no "unknown" either."""
    named: list[_Value] = []
    sided: list[_Sided] = []
    unnamed: list[Account] = []
    naming = {ref.article_id for ref in refs if ref.mention.actors}
    for ref, account in zip(refs, accounts, strict=True):
        codes = _codes(ref.mention)
        if codes:
            named.append(_Value(replace(account, value="+".join(sorted(codes))), codes))
            sides = armed(named_sides(ref.mention.actors))
            if sides:
                sided.append(_Sided(replace(account, value="+".join(sorted(sides))), codes, sides))
        elif ref.article_id not in naming and not ref.mention.headline:
            # A headline's silence about the doer is compression, not an account of it.
            unnamed.append(replace(account, value=UNKNOWN))
    found = []
    if _overlap_free(named):
        found.append(Disagreement("perpetrator", tuple(v.account for v in named)))
    if named and unnamed:
        voices = (*(v.account for v in named), *unnamed)
        found.append(Disagreement("perpetrator", voices, NAMED_VS_UNKNOWN))
    if _sides_apart(sided):
        found.append(Disagreement("perpetrator", tuple(v.account for v in sided), WHICH_SIDE))
    return found


@dataclass(frozen=True)
class _Sided:
    """An account naming the doer's side: its codes and its "code:side" values."""

    account: Account
    codes: frozenset[str]
    sides: frozenset[str]


def _sides_apart(values: Sequence[_Sided]) -> bool:
    """Whether two voices name a country in common but no side of it."""
    return any(
        a.codes & b.codes and not a.sides & b.sides and _voice(a.account) != _voice(b.account)
        for i, a in enumerate(values)
        for b in values[i + 1 :]
    )


def _distinct(values: Iterable[tuple[str, _Value]]) -> list[Disagreement]:
    by_field: dict[str, list[_Value]] = {}
    for field, value in values:
        by_field.setdefault(field, []).append(value)
    return [
        Disagreement(field, tuple(v.account for v in items))
        for field, items in by_field.items()
        if _differ(items)
    ]


def comparable_disagreements(
    refs: Sequence[MentionRef], articles: dict[str, ArticleText]
) -> list[Disagreement]:
    """The fields of the module docstring on which an incident's accounts (``refs``, its
    mentions) differ, each with every account that gives a value of it."""
    accounts = [_account(ref, articles) for ref in refs]
    values: list[tuple[str, _Value]] = []
    tolls: list[tuple[str, _Value]] = []
    recipients: list[_Value] = []
    for ref, account in zip(refs, accounts, strict=True):
        toll = _tolls(ref)
        if toll is not None:
            tolls.append((toll[0], _Value(replace(account, value=toll[1]), toll[2])))
        for reader in _DISTINCT:
            read = reader(ref)
            if read is not None:
                field, shown, key = read
                values.append((field, _Value(replace(account, value=shown), key)))
        read = _recipients(ref)
        if read is not None:
            recipients.append(_Value(replace(account, value=read[1]), read[2]))
    found = _toll_disagreements(tolls) + _distinct(values)
    found += _perpetrators(refs, accounts)
    if _overlap_free(recipients):
        found.append(Disagreement("recipient", tuple(v.account for v in recipients)))
    return found
