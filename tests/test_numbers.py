"""Numbers as news writes them and casualty counts."""

from __future__ import annotations

import pytest

from sitrep.analyze.core.nlp import load_model
from sitrep.analyze.mentions.numbers import NumberGrammar, casualties, find_numbers
from sitrep.resources import load_lexicon


@pytest.fixture(scope="module")
def grammar() -> NumberGrammar:
    return NumberGrammar.build(load_lexicon("mentions", "numbers.yaml"))


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return load_model()


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("at least 62 and perhaps as many as 100", 62, 100),
        ("scores of", 20, None),
        ("dozens of", 24, None),
        ("hundreds of", 200, None),
        ("some 1,000", 1000, 1000),
        ("Twenty-five", 25, 25),
        ("two hundred", 200, 200),
        ("up to 40", None, 40),
        ("between 10 and 15", 10, 15),
    ],
)
def test_number_expressions(
    grammar: NumberGrammar, text: str, low: int | None, high: int | None
) -> None:
    (found,) = find_numbers(f"They said {text} people were there.", grammar)
    assert (found.low, found.high) == (low, high)


@pytest.mark.parametrize("words", ["a number of", "several", "a few", "many", "a handful of"])
def test_an_indefinite_quantity_counts_nothing(grammar: NumberGrammar, words: str) -> None:
    # It names no figure, so no toll is made of it, and its "a" is no count of one.
    assert find_numbers(f"They said {words} people were killed.", grammar) == []


def test_years_and_percentages_are_not_counts(grammar: NumberGrammar) -> None:
    assert find_numbers("In 2015, about ten percent of the force left.", grammar) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The attack has killed at least 62 and perhaps as many as 100 government troops.",
            [("killed", 62, 100)],
        ),
        (
            "A Russian general, Ivan Petrov, and two colonels have been killed in a mortar attack.",
            [("killed", 3, 3)],
        ),
        (
            "The strike killed six and injured 32, officials said.",
            [("killed", 6, 6), ("injured", 32, 32)],
        ),
        ("Monitors reported 62 killed, 100 wounded.", [("killed", 62, 62), ("injured", 100, 100)]),
        (
            # The count after "killed and" belongs to "injured", not to the word before it;
            # the man the participle describes is one killed.
            "Shells hit the district, leaving an old man killed and 7 other people injured.",
            [("killed", 1, 1), ("injured", 7, 7)],
        ),
        ("It destroyed three tanks.", []),
        ("The government sent some 1,000 members of the Republican Guard.", []),
        # A count noun's count is in its of-phrase, never its article.
        ("A total of 14 fighters were killed in the north on Tuesday.", [("killed", 14, 14)]),
        ("A large number of fighters were killed in the operation.", []),
        # A casualty noun's victims are in its of-phrase; "one" before a noun counts one.
        (
            "Gunmen shelled the village, causing the death of one farmer and injury of 6 others.",
            [("killed", 1, 1), ("injured", 6, 6)],
        ),
        (
            "The rockets hit a market killing one shopkeeper and injuring two others.",
            [("killed", 1, 1), ("injured", 2, 2)],
        ),
        # Victims after "and" that the parser joined to the clause's first verb.
        (
            "Elsewhere rebels shelled a market in a southern suburb of the capital killing nine "
            "shoppers and three traders the monitor said.",
            [("killed", 12, 12)],
        ),
        (
            "Elsewhere rebels shelled a market in a southern suburb of the capital killing nine "
            "shoppers and three traders activists said.",
            [("killed", 12, 12)],
        ),
        (
            "Rebels attacked a checkpoint killing six civilians and five more were injured.",
            [("killed", 6, 6), ("injured", 5, 5)],
        ),
        # An indefinite quantity states no toll; "dozens" has the guide's floor.
        ("Air strikes killed a number of fighters near the town.", []),
        (
            "Several civilians were killed and dozens wounded in the shelling.",
            [("injured", 24, None)],
        ),
        # A count inside the count before it is a part, not an addition.
        (
            "At least 11 civilians among them three children were killed in the town.",
            [("killed", 11, None)],
        ),
        # So is one that opens with its own part cue, which the parser may hang on the verb
        # as a second victim when the comma is lost.
        (
            "Mortars fell on a school where 14 people were killed three of them teachers.",
            [("killed", 14, 14)],
        ),
        (
            "Shells hit the market where 14 people were killed three of them rescue workers.",
            [("killed", 14, 14)],
        ),
        # A conjunct with a casualty word of its own is counted by that word.
        (
            "Bombers blew themselves up in the city killing at least one person and 13 injured.",
            [("killed", 1, None), ("injured", 13, 13)],
        ),
        # Run together without a comma, the injured count is not the killing's object.
        (
            "2 persons killed 13 injured in rocket attacks on the suburb.",
            [("killed", 2, 2), ("injured", 13, 13)],
        ),
        # A number of hours or days beside the casualty word measures a period.
        ("Scores of fighters were killed in 24 hours near the city.", [("killed", 20, None)]),
        ("Fighters were killed in 24 hours of clashes near the city.", []),
        ("Shelling killed 24 in the city on Monday.", [("killed", 24, 24)]),
        # A comma dropped after a day name: the parser gives the count to the day.
        (
            "Late Sunday 17 Hezbollah fighters were killed when a drone hit their truck.",
            [("killed", 17, 17)],
        ),
        ("Also Monday 9 ISIS militants were killed in air strikes.", [("killed", 9, 9)]),
        # A victim described by a casualty word after it, and one opened by "another".
        (
            "The strike left a woman dead and five people wounded.",
            [("killed", 1, 1), ("injured", 5, 5)],
        ),
        ("Two men and another boy were killed when a shell hit the house.", [("killed", 3, 3)]),
        (
            "Gas from the shell killed the three brothers and their mother overnight.",
            [("killed", 4, 4)],
        ),
        ("One of the guards was killed in the blast.", [("killed", 1, 1)]),
        # An active participle's own objects are its victims, never the noun it follows.
        ("Gunmen raided a checkpoint killing six soldiers.", [("killed", 6, 6)]),
        # A month's day is a date, not a count.
        ("On March 22 ISIS fighters were killed in air strikes.", []),
        # A number in a phrase of the means, the occasion or the attackers after the casualty
        # word counts those, not the dead.
        ("Civilians were killed in some 25 raids on the suburbs.", []),
        ("Two soldiers were killed by three gunmen at the gate.", [("killed", 2, 2)]),
        ("The shelling killed 24 in 3 villages.", [("killed", 24, 24)]),
    ],
)
def test_casualty_counts(grammar: NumberGrammar, nlp, sentence: str, expected: list) -> None:  # type: ignore[no-untyped-def, type-arg]
    found = casualties(nlp(sentence), find_numbers(sentence, grammar), grammar)
    assert [(q.category, q.low, q.high) for q in found] == expected


def test_a_count_taken_by_a_day_name_spans_the_victims_only(grammar: NumberGrammar, nlp) -> None:  # type: ignore[no-untyped-def]
    sentence = "Also Monday 9 ISIS militants were killed in air strikes."
    (found,) = casualties(nlp(sentence), find_numbers(sentence, grammar), grammar)
    assert found.text == "9 ISIS militants"
