"""Numbers as news writes them, and which of them count the killed and the injured.

"at least 62 and perhaps as many as 100" -> 62-100; "scores of" -> at least 20 (UCDP's
rule for vague counts); "some 1,000 members" -> about 1,000; "killed six and injured 32";
"62 killed, 100 wounded"; "a Russian Lieutenant-General, Valery Asapov, and two Colonels
have been killed" -> 3 (the conjoined victims are counted one by one; an apposition names
the same person).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Token

from sitrep.datelines import WEEKDAYS
from sitrep.model import Quantity


def _alternatives(words: list[str]) -> str:
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
    )


_MAX_DIGITS = 15  # a "number" longer than this is an id or noise, not a count


@dataclass(frozen=True)
class NumberGrammar:
    pattern: re.Pattern[str]
    words: dict[str, int]
    multipliers: dict[str, int]
    vague: dict[str, int | None]  # None: an indefinite quantity, no figure
    lower: tuple[str, ...]
    upper: tuple[str, ...]
    approximate: tuple[str, ...]
    killed: frozenset[str]
    injured: frozenset[str]
    strict_lower: tuple[str, ...]  # "more than 60" -> 61 and up
    strict_upper: tuple[str, ...]  # "fewer than 10" -> up to 9
    count_nouns: frozenset[str] = frozenset()  # "a total of 14": the count is in the of-phrase
    part_cues: frozenset[str] = frozenset()  # "among them three children": a part
    time_units: frozenset[str] = frozenset()  # "in 24 hours": a period, no count of people
    # "killed in 12 raids", "killed by two gunmen": a number in a phrase after the casualty
    # word counts the means, the occasion or the attackers
    occasion_prepositions: frozenset[str] = frozenset()
    singular_determiners: frozenset[str] = frozenset(("a", "an", "one"))  # "another child": 1

    @classmethod
    def build(cls, data: dict[str, Any]) -> NumberGrammar:
        words = {k.lower(): int(v) for k, v in data["words"].items()}
        number_words = [
            w for w in words if w not in ("a", "an", "both", "single", "pair", "couple")
        ]
        spelled = _alternatives(number_words)
        unit = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|(?:{spelled})(?:[-\s](?:{spelled}))*)"
        unit = rf"{unit}(?:\s+(?:{_alternatives(list(data['multipliers']))}))?"
        modifier = _alternatives(
            [
                *data["lower_bound"],
                *data["upper_bound"],
                *data["approximate"],
                *data["strict_lower_bound"],
                *data["strict_upper_bound"],
            ]
        )
        single = rf"(?:(?:{modifier})\s+)?{unit}"
        vague = _alternatives(list(data["vague"]))
        expression = (
            rf"\b(?:(?P<vague>{vague})\b|(?P<first>{single})"
            rf"(?:\s*(?:-|–|to|and|or)\s*(?:(?:perhaps|possibly|maybe)\s+)?(?P<second>{single}))?)"
            rf"(?!\s*(?:%|percent|per\s+cent))\b"
        )
        return cls(
            re.compile(expression, re.IGNORECASE),
            words,
            {k.lower(): int(v) for k, v in data["multipliers"].items()},
            {k.lower(): None if v is None else int(v) for k, v in data["vague"].items()},
            tuple(data["lower_bound"]),
            tuple(data["upper_bound"]),
            tuple(data["approximate"]),
            frozenset(data["killed"]),
            frozenset(data["injured"]),
            tuple(data["strict_lower_bound"]),
            tuple(data["strict_upper_bound"]),
            frozenset(data.get("count_nouns") or ()),
            frozenset(data.get("part_cues") or ()),
            frozenset(data.get("time_units") or ()),
            frozenset(data.get("occasion_prepositions") or ()),
            frozenset(data.get("singular_determiners") or ("a", "an", "one")),
        )

    def value(self, text: str) -> tuple[int | None, int | None]:
        """(low, high) of one number with its modifier; high None means open-ended."""
        lowered = " ".join(text.lower().split())
        bound = "exact"
        for kind, modifiers in (
            ("upper", self.upper),
            ("lower", self.lower),
            ("strict upper", self.strict_upper),
            ("strict lower", self.strict_lower),
            ("approx", self.approximate),
        ):
            for modifier in sorted(modifiers, key=len, reverse=True):
                if lowered.startswith(modifier + " "):
                    lowered, bound = lowered[len(modifier) + 1 :], kind
                    break
            if bound != "exact":
                break
        number = self._number(lowered)
        if number is None:
            return None, None
        if bound == "lower":
            return number, None
        if bound == "strict lower":
            return number + 1, None
        if bound == "upper":
            return None, number
        if bound == "strict upper":
            return None, max(0, number - 1)
        return number, number

    def _number(self, text: str) -> int | None:
        parts = text.replace(",", "").replace("-", " ").split()
        total, current = 0, 0
        seen = False
        for part in parts:
            if re.fullmatch(r"\d+(?:\.\d+)?", part):
                whole = part.split(".")[0]
                if len(whole) > _MAX_DIGITS:  # no count; int() refuses 4,300 digits and more
                    return None
                current += int(whole)
                seen = True
            elif part in self.multipliers:
                current = max(current, 1) * self.multipliers[part]
                if self.multipliers[part] >= 1000:
                    total, current = total + current, 0
                seen = True
            elif part in self.words:
                current += self.words[part]
                seen = True
            elif part != "and":
                return None
        return total + current if seen else None

    def parse(self, match: re.Match[str]) -> tuple[int | None, int | None]:
        if match.group("vague"):
            key = " ".join(match.group("vague").lower().split())
            return self.vague.get(key), None
        low, high = self.value(match.group("first"))
        if match.group("second"):
            low2, high2 = self.value(match.group("second"))
            low = low if low is not None else low2
            high = high2 if high2 is not None else low2
            if low is not None and high is not None and low > high:  # "100 to 62": a range
                low, high = high, low
        return low, high


_YEARS = re.compile(r"^(?:19|20)\d\d$")


def find_numbers(text: str, grammar: NumberGrammar) -> list[Quantity]:
    found = []
    for match in grammar.pattern.finditer(text):
        raw = match.group(0)
        if _YEARS.match(raw.strip()) or raw.strip().lower() in ("a", "an", "one"):
            continue
        low, high = grammar.parse(match)
        if low is None and high is None:
            continue
        found.append(Quantity(match.start(), match.end(), raw, low, high, "count"))
    return found


# ----------------------------------------------------------------------- casualties


def _category(token: Token, grammar: NumberGrammar) -> str | None:
    for word in (token.lower_, token.lemma_.lower()):
        if word in grammar.killed:
            return "killed"
        if word in grammar.injured:
            return "injured"
    return None


def _conjuncts(noun: Token) -> list[Token]:
    conjuncts = [noun, *[t for t in noun.conjuncts if t.i > noun.i]]
    stray = _stray_conjunct(conjuncts[-1])
    return [*conjuncts, stray] if stray is not None else conjuncts


def _stray_conjunct(noun: Token) -> Token | None:
    """A counted noun right after "and" that the parser did not join to the victims before it
    ("… killing six civilians and five militiamen, the monitor said", with "militiamen" made
    a conjunct of the clause's first verb, a stray dependent, or a compound of the speaker)."""
    doc = noun.doc
    at = noun.right_edge.i  # the "and" itself when the parser hung it on the victims
    at += doc[at].lower_ != "and"
    if at + 1 >= len(doc) or doc[at].lower_ != "and":
        return None
    number = doc[at + 1]
    other = number.head
    if not (number.like_num and number.dep_ == "nummod" and other.i > number.i):
        return None
    if other.pos_ not in ("NOUN", "PROPN") or other.dep_ not in ("conj", "dep", "compound"):
        return None
    return None if other.dep_ == "conj" and other.head.i >= noun.i else other


def _count_one(
    noun: Token, numbers: dict[int, Quantity], grammar: NumberGrammar
) -> tuple[Quantity | None, tuple[int | None, int | None] | None]:
    """Count named by one conjunct: its numeral, "a/an/one/another" -> 1, a proper name, "one"
    and a singular noun after "his/her/their" -> 1; a count
    noun's count is in its of-phrase ("a total of 14 fighters" -> 14, never 1)."""
    for token in [noun, *(t for t in noun.subtree if t.head == noun)]:
        if token.i in numbers:
            quantity = numbers[token.i]
            return quantity, (quantity.low, quantity.high)
    borrowed = _number_lent_to_a_day(noun, numbers)
    if borrowed is not None:
        return borrowed, (borrowed.low, borrowed.high)
    if noun.lemma_.lower() in grammar.count_nouns:
        for prep in noun.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for inner in prep.children:
                    if inner.dep_ == "pobj":
                        return _count_one(inner, numbers, grammar)
        return None, None
    if any(
        child.lower_ in grammar.singular_determiners and child.dep_ in ("det", "nummod")
        for child in noun.children
    ):
        return None, (1, 1)  # "a woman", "another child", "one civilian"
    if noun.pos_ == "PROPN" and noun.ent_type_ == "PERSON":
        return None, (1, 1)
    if noun.like_num and grammar.words.get(noun.lower_) == 1:
        return None, (1, 1)  # "one of its soldiers was killed"
    if noun.tag_ == "NN" and any(c.dep_ == "poss" and c.tag_ == "PRP$" for c in noun.children):
        return None, (1, 1)  # "the three brothers and their mother"
    return None, None


def _number_lent_to_a_day(noun: Token, numbers: dict[int, Quantity]) -> Quantity | None:
    """The count of a noun phrase that the parser gave to the day name before it: "Late
    Sunday 17 Hezbollah fighters were killed" (a comma dropped after the day) parses "17" as
    the day's number, though no month follows it. Only a weekday right before the number,
    and only names and modifiers between the number and the noun: "March 22" stays a date."""
    doc = noun.doc
    at = noun.i - 1
    while at >= 0 and doc[at].dep_ in ("compound", "amod") and at < doc[at].head.i <= noun.i:
        at -= 1
    if at < 1:
        return None
    number, day = doc[at], doc[at - 1]
    if number.i not in numbers or number.head.i != day.i or day.lower_ not in WEEKDAYS:
        return None
    return numbers[number.i]


def _phrase_start(noun: Token, numbers: dict[int, Quantity]) -> int:
    """Where a victim's phrase starts: at its count when a day name took it, else its left edge
    ("[17 Hezbollah fighters]", never "[Monday 9 ISIS militants]")."""
    lent = _number_lent_to_a_day(noun, numbers)
    if lent is None:
        return int(noun.left_edge.i)
    return min(
        t.i for t in noun.doc.char_span(lent.start, lent.end, alignment_mode="expand") or [noun]
    )


def _distinct_counts(
    victims: list[Token], numbers: dict[int, Quantity], grammar: NumberGrammar
) -> list[tuple[int | None, int | None] | None]:
    """One count per victim noun; nouns sharing one range ("62 and perhaps 100") count once."""
    counts: list[tuple[int | None, int | None] | None] = []
    seen: set[int] = set()
    for noun in victims:
        quantity, count = _count_one(noun, numbers, grammar)
        if quantity is not None:
            if id(quantity) in seen:
                continue
            seen.add(id(quantity))
        counts.append(count)
    return counts


def _victims(verb: Token, grammar: NumberGrammar) -> tuple[list[Token], list[Token]]:
    """The nouns naming who was killed or injured: passive subjects, objects of "kill", subjects
    of "die" (the parser sometimes gives a coordination two subjects instead of a conjunct), the
    noun a casualty participle or adjective describes ("a woman dead", "five civilians killed").
    Left out: a casualty word read as a noun ("4 Killed, 43 Injured" run together), a conjunct
    with a casualty word of its own ("one person and 13 injured": the 13 are the injured), and
    a count inside the count before it ("11 civilians among them three children"). Returns
    the victims and the conjuncts left out for a casualty word of their own."""
    lemma = verb.lemma_.lower()
    nouns = []
    if (
        verb.dep_ in ("acl", "amod")
        and (verb.tag_ == "VBN" or verb.pos_ == "ADJ")
        and verb.head.pos_ in ("NOUN", "PROPN")
        and _category(verb.head, grammar) is None
    ):
        nouns.append(verb.head)  # "leaving an old man killed", "left a woman dead"; never
        # the noun an active participle follows ("a checkpoint, killing six")
    if verb.pos_ == "NOUN":  # "the death of one civilian", "the killing of five children"
        nouns += [
            inner
            for prep in verb.children
            if prep.dep_ == "prep" and prep.lower_ == "of"
            for inner in prep.children
            if inner.dep_ == "pobj" and _category(inner, grammar) is None
        ]
    for child in verb.children:
        if (
            child.dep_ == "nsubjpass"
            or (child.dep_ == "dobj" and lemma in ("kill", "injure", "wound"))
            or (child.dep_ == "nsubj" and lemma in ("die", "perish"))
        ) and _category(child, grammar) is None:
            if _counts_another_casualty(child, _category(verb, grammar), grammar):
                continue  # "2 persons killed 13 injured": the 13 are the injured
            nouns.append(child)
    found: list[Token] = []
    others: list[Token] = []
    for noun in nouns:
        for token in _conjuncts(noun):
            if token in found or (found and _opens_a_part(found[-1], token, grammar)):
                continue
            if token is not noun and _own_casualty_word(token, _category(verb, grammar), grammar):
                others.append(token)
                continue
            found.append(token)
    return found, others


def _own_casualty_word(noun: Token, category: str | None, grammar: NumberGrammar) -> bool:
    """A casualty word of another category that the conjunct is ("the death of one civilian
    and injury of 13 others"), carries or that follows it."""
    after = noun.right_edge.i + 1
    nearby = [noun, *noun.children, *noun.doc[after : after + 1]]
    return any(_category(t, grammar) not in (None, category) for t in nearby)


def _counts_another_casualty(noun: Token, category: str | None, grammar: NumberGrammar) -> bool:
    """A bare number followed straight by a casualty word of another category ("… killed 13
    injured", run together without a comma): the parse makes it the verb's object, but it
    counts the other casualties."""
    after = noun.doc[noun.i + 1 : noun.i + 2]
    return noun.like_num and any(_category(t, grammar) not in (None, category) for t in after)


def _opens_a_part(previous: Token, noun: Token, grammar: NumberGrammar) -> bool:
    """Whether a part cue stands between the victims before and this one ("among them"), or
    this one is a part by its own phrase: "two of them medics", "three of them" (which a
    parser may hang on the verb as a second victim when no comma is left)."""
    if noun.i <= previous.i:
        return False
    if any(t.lower_ in grammar.part_cues for t in noun.doc[previous.i + 1 : noun.i]):
        return True
    return any(
        prep.dep_ == "prep"
        and prep.lower_ == "of"
        and any(inner.lower_ in grammar.part_cues for inner in prep.children)
        for prep in noun.children
    )


def casualties(doc: Doc, numbers: list[Quantity], grammar: NumberGrammar) -> list[Quantity]:
    """Casualty counts: numbers tied to a killing or injuring word in the same sentence."""
    by_token: dict[int, Quantity] = {}
    for quantity in numbers:
        span = doc.char_span(quantity.start, quantity.end, alignment_mode="expand")
        if span is not None:
            for token in span:
                by_token[token.i] = quantity
    results: list[Quantity] = []
    used: set[int] = set()
    for token in doc:
        category = _category(token, grammar)
        if category is None or token.pos_ not in ("VERB", "ADJ", "NOUN", "AUX"):
            continue
        victims, others = (
            _victims(token, grammar)
            if token.pos_ in ("VERB", "NOUN") or token.dep_ == "amod"
            else ([], [])
        )
        if victims:
            counts = _distinct_counts(victims, by_token, grammar)
            if counts and all(c is not None for c in counts):
                lows = [c[0] for c in counts if c]
                highs = [c[1] for c in counts if c]
                low = (
                    sum(v for v in lows if v is not None)
                    if any(v is not None for v in lows)
                    else None
                )
                high = (
                    sum(v for v in highs if v is not None)
                    if all(v is not None for v in highs)
                    else None
                )
                end = max(t.right_edge.i for t in victims)
                last = max(t.i for t in victims)
                for other in others:  # "one person and 13 injured": the span stops before
                    if other.i > last:
                        end = min(end, other.left_edge.i - 1)
                while end > last and doc[end].pos_ in ("CCONJ", "PUNCT"):
                    end -= 1
                span = doc[min(_phrase_start(t, by_token) for t in victims) : end + 1]
                results.append(
                    Quantity(
                        span.start_char,
                        span.end_char,
                        span.text,
                        low,
                        high,
                        category,
                        subject=span.text,
                    )
                )
                used.update(t.i for t in span)
                continue
        adjacent = _adjacent_number(doc, token, by_token, used, grammar)
        if adjacent is not None:
            results.append(
                Quantity(
                    adjacent.start,
                    adjacent.end,
                    adjacent.text,
                    adjacent.low,
                    adjacent.high,
                    category,
                )
            )
    return results


def _counts_time(number: Token, grammar: NumberGrammar) -> bool:
    """Whether a number counts units of time: the noun it modifies, or the word after it."""
    following = number.doc[number.i + 1] if number.i + 1 < len(number.doc) else None
    return (number.dep_ == "nummod" and number.head.lower_ in grammar.time_units) or (
        following is not None and following.lower_ in grammar.time_units
    )


def _counts_an_occasion(number: Token, casualty: Token, grammar: NumberGrammar) -> bool:
    """Whether a number after a casualty word sits in a prepositional phrase of the means,
    the occasion or the attackers ("killed in 12 raids", "killed by two gunmen"): the number
    or the noun it counts is the object of such a preposition, which follows the casualty
    word."""
    noun = number
    for _ in range(3):  # "nearly" -> "40" -> "raids"
        if noun.dep_ not in ("nummod", "quantmod", "compound", "advmod"):
            break
        noun = noun.head
    preposition = noun.head
    return (
        noun.dep_ == "pobj"
        and preposition.lower_ in grammar.occasion_prepositions
        and casualty.i < preposition.i < number.i
    )


def _adjacent_number(
    doc: Doc, token: Token, by_token: dict[int, Quantity], used: set[int], grammar: NumberGrammar
) -> Quantity | None:
    """A number right beside the casualty word: "62 killed", "killing 25", "killed six"; never
    one across a conjunction, a punctuation mark or another casualty word ("a woman killed
    and 7 others injured": the 7 are the injured), nor one after it that another casualty
    word follows ("2 persons killed 13 injured")."""
    window = [token.i - 1, token.i + 1, token.i + 2, token.i - 2, token.i - 3, token.i + 3]
    sentence = token.sent
    for i in window:
        between = doc[min(i, token.i) + 1 : max(i, token.i)]
        if any(t.pos_ in ("CCONJ", "PUNCT") or _category(t, grammar) for t in between):
            continue
        if sentence.start <= i < sentence.end and i in by_token and i not in used:
            if i > token.i and _counts_another_casualty(doc[i], _category(token, grammar), grammar):
                continue  # "2 persons killed 13 injured": the 13 are the injured
            if _counts_time(doc[i], grammar):
                continue  # "killed in 24 hours": a period
            if i > token.i and _counts_an_occasion(doc[i], token, grammar):
                continue  # "killed in some 12 raids": the raids are counted
            quantity = by_token[i]
            span = doc.char_span(quantity.start, quantity.end, alignment_mode="expand")
            if span is not None:
                used.update(t.i for t in span)
            return quantity
    return None
