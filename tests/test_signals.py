"""Signals: unattributed assertions in the writer's voice, and anonymous sources."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from sitrep import Ledger, analyze_text
from sitrep.analyze.builtin import DEFAULT_STAGES, RULE_STAGES
from sitrep.analyze.core.document import Document
from sitrep.analyze.core.pipeline import Analyzer
from sitrep.analyze.signals.assertions import ANONYMOUS, UNATTRIBUTED, find_signals
from sitrep.analyze.signals.cues import CueList
from sitrep.api import ingest
from sitrep.gold.spans import locate
from sitrep.model import Signal

from .conftest import SEEDS

_SEED_FILES = (
    "000_5bef9b898cfd1f03.txt",
    "001_0b488fa91fc41ad6.txt",
    "002_c5d1e6922fed6f42.txt",
    "004_eceadabca35864d4.txt",
)


@pytest.fixture(scope="module")
def seeds(resources, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Document]]:  # type: ignore[no-untyped-def]
    """Some seed pages as ingested and analysed by the rule stages (the candidates and cues
    the decision layer decides on), by file name."""
    with Ledger.open(tmp_path_factory.mktemp("signals") / "seeds.duckdb") as ledger:
        ingest(ledger, [SEEDS / name for name in _SEED_FILES])
        articles = list(ledger.iter_articles())
    by_file: dict[str, list] = {}  # type: ignore[type-arg]
    for article in articles:
        by_file.setdefault(Path(article.origin.source).name, []).append(article)
    analyzer = Analyzer(resources, RULE_STAGES)
    return {name: analyzer.analyze_many(found) for name, found in by_file.items()}


def _over(documents: list[Document], passage: str, kind: str) -> list[Signal]:
    """The signals of ``kind`` overlapping ``passage`` (which must be in one document)."""
    for document in documents:
        span = locate(document.text, passage)
        if span is not None:
            return [
                s
                for s in document.signals
                if s.kind == kind and s.start < span[1] and span[0] < s.end
            ]
    raise AssertionError(f"passage not found: {passage!r}")


def _assertions(resources, text: str) -> list[Signal]:  # type: ignore[no-untyped-def]
    return [
        s
        for s in analyze_text(text, resources=resources, stages=RULE_STAGES).signals
        if s.kind == UNATTRIBUTED
    ]


def test_signals_run_in_the_default_pipeline_after_claims() -> None:
    assert DEFAULT_STAGES.index("signals") > DEFAULT_STAGES.index("decide_claims")
    assert DEFAULT_STAGES.index("decide_signals") == DEFAULT_STAGES.index("signals") + 1


def test_a_writers_loaded_statement_is_flagged_with_its_cues(seeds) -> None:  # type: ignore[no-untyped-def]
    found = _over(
        seeds["001_0b488fa91fc41ad6.txt"],
        "the US is supporting Al Qaeda terrorists as a foot soldier proxy army",
        UNATTRIBUTED,
    )
    assert len(found) == 1
    signal = found[0]
    assert "loaded:" in signal.why and "terrorists" in signal.why and "proxy" in signal.why
    assert signal.text == signal.text.strip() and signal.score >= 1.5


def test_a_booster_alone_flags_the_writers_statement(resources) -> None:  # type: ignore[no-untyped-def]
    (signal,) = _assertions(
        resources, "Headline\n\nClearly the Syrian army shelled the town of Saraqib on Monday."
    )
    assert "booster: clearly" in signal.why


def test_a_quoted_statement_with_loaded_words_is_not_flagged(seeds) -> None:  # type: ignore[no-untyped-def]
    # The Russian ministry's words, in quotation: "aggression" and "terrorism" are its own.
    documents = seeds["001_0b488fa91fc41ad6.txt"]
    passage = "in addition to being actual military aggression against the Syrian Arab Republic"
    assert _over(documents, passage, UNATTRIBUTED) == []


def test_the_same_words_quoted_or_reported_are_not_the_writers(resources) -> None:  # type: ignore[no-untyped-def]
    statement = "the US is supporting Al Qaeda terrorists as a proxy army in eastern Syria"
    assert len(_assertions(resources, f"{statement[0].upper()}{statement[1:]}.")) == 1
    assert _assertions(resources, f"“{statement},” the Russian defence minister said.") == []
    assert _assertions(resources, f"The Russian defence minister said that {statement}.") == []


def test_hedged_sentences_and_questions_are_not_flagged(resources, seeds) -> None:  # type: ignore[no-untyped-def]
    # A strike told with a charged word ("terrorists"), but only as how things "appear".
    documents = seeds["002_c5d1e6922fed6f42.txt"]
    passage = "Which makes the timing of the U.S. strike on Deir Ez Zor appear all the more"
    assert _over(documents, passage, UNATTRIBUTED) == []
    plain = "The US is supporting Al Qaeda terrorists as a proxy army in eastern Syria."
    assert len(_assertions(resources, plain)) == 1
    hedged = "The US may be supporting Al Qaeda terrorists as a proxy army in eastern Syria."
    assert _assertions(resources, hedged) == []
    asked = "Is the US supporting Al Qaeda terrorists as a proxy army in eastern Syria?"
    assert _assertions(resources, asked) == []


def test_a_toll_range_is_not_a_hedge(seeds) -> None:  # type: ignore[no-untyped-def]
    # "perhaps" inside "at least 62 and perhaps as many as 100" gives a range, not a doubt.
    (signal,) = _over(
        seeds["004_eceadabca35864d4.txt"], "The US attack has killed at least 62", UNATTRIBUTED
    )
    assert "toll:" in signal.why and "hedge" not in signal.why


def test_a_charged_headline_is_the_outlets_own_assertion(resources) -> None:  # type: ignore[no-untyped-def]
    title = "Assad regime terrorists massacre civilians in Idlib"
    document = analyze_text(
        f"{title}\n\nShelling went on in the province on Monday, residents said.",
        title=title,
        resources=resources,
        stages=RULE_STAGES,
    )
    assert document.article.body_start > 0
    flagged = [s for s in document.signals if s.kind == UNATTRIBUTED]
    assert [s.text for s in flagged] == [title]


def test_an_anonymous_speaker_is_a_signal(seeds) -> None:  # type: ignore[no-untyped-def]
    (signal,) = _over(
        seeds["001_0b488fa91fc41ad6.txt"],
        "officials who spoke on the condition of anonymity",
        ANONYMOUS,
    )
    assert signal.text.startswith("officials who spoke") and "claim cue: said" in signal.why


def test_a_named_speaker_is_no_anonymous_source(resources) -> None:  # type: ignore[no-untyped-def]
    named = analyze_text(
        "Sergei Lavrov said Russian jets had bombed the hospital.", resources=resources
    )
    assert named.claims and not [s for s in named.signals if s.kind == ANONYMOUS]


def test_cues_match_whole_words_across_hyphens_and_quotation_marks() -> None:
    cues = CueList.build(["axis of evil", "de facto", "sham", "terroris*"])

    def found(text: str) -> list[str]:
        return [cue for _at, cue in cues.find(text, 0, len(text))]

    assert found("the ‘Axis of Evil’ has de-facto won") == ["axis of evil", "de-facto"]
    assert found("Ahrar al-Sham and terrorism") == ["terrorism"]
    assert found("a shameful act") == []
    assert CueList.build([]).find("anything", 0, 8) == []


@pytest.mark.parametrize(
    "text",
    [
        "“We will strike the terrorists wherever they hide,” he said.\n\n“This aggression will "
        "not go unanswered,” the minister added.",
        '“ ” « » " " “',
        "?",
        "\n\n\n“\n",
    ],
)
def test_hostile_texts_give_no_assertion(resources, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _assertions(resources, text) == []


def test_an_empty_or_unparsed_document_gives_no_signal(resources) -> None:  # type: ignore[no-untyped-def]
    article = analyze_text("Russian jets struck.", resources=resources).article
    empty = replace(article, text="", body_start=0)
    assert Analyzer(resources).analyze(empty).signals == []
    assert find_signals(Document(empty), resources) == []


def test_an_assertion_row_names_the_same_cues_in_every_process(resources) -> None:  # type: ignore[no-untyped-def]
    # A candidate's cues are a set, whose order changes from one process to the next with
    # string hashing; the head's row names the first three in sorted order, so training and
    # analysis see the same features whatever the order the cues come in.
    from sitrep.analyze.signals.assertions import AssertionCandidate
    from sitrep.analyze.signals.decide import assertion_row

    text = "The brutal regime clearly lied about its savage, criminal and murderous raids."
    document = analyze_text(text, resources=resources)
    assert document.doc is not None
    sentence = next(iter(document.doc.sents))
    words = ["savage", "murderous", "lied", "criminal", "brutal"]
    rows = [
        assertion_row(
            document,
            AssertionCandidate(
                sentence,
                0,
                len(text),
                [(0, len(text))],
                3.0,
                "",
                {"loaded": order},  # type: ignore[dict-item]  # an ordered stand-in for a set
            ),
            resources.decision_cues,
        )
        for order in (words, list(reversed(words)))
    ]
    assert rows[0] == rows[1]
    assert {k for k in rows[0] if k.startswith("loaded=")} == {
        "loaded=brutal",
        "loaded=criminal",
        "loaded=lied",
    }
