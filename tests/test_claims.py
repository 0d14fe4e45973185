"""Claims: who says what, through whom, with what stance — on written examples and the seeds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from sitrep import analyze_text
from sitrep.analyze.builtin import RULE_STAGES
from sitrep.analyze.claims.speakers import resolve_speaker
from sitrep.analyze.claims.speech import find_frames
from sitrep.analyze.core.document import Document
from sitrep.evaluate.context import EvalContext
from sitrep.model import Claim, ClaimKind, Stance, claim_id


def _claims(resources, text: str) -> tuple[Document, list[Claim]]:  # type: ignore[no-untyped-def]
    document = analyze_text(text, resources=resources, stages=RULE_STAGES)
    return document, document.claims


def _content(document: Document, claim: Claim) -> str:
    return " ".join(document.text[s:e] for s, e in claim.content_spans)


def test_indirect_speech_with_its_speaker_and_linked_event(resources) -> None:  # type: ignore[no-untyped-def]
    text = "The Turkish defence ministry said government artillery shelled the town of Saraqib."
    document, claims = _claims(resources, text)
    assert len(claims) == 1
    claim = claims[0]
    assert claim.kind is ClaimKind.INDIRECT
    assert claim.speaker is not None and claim.speaker.code == "TUR"
    assert _content(document, claim).startswith("government artillery shelled")
    assert claim.events, "the shelling told inside the claim is linked to it"
    event = document.events[claim.events[0]]
    assert event.claim_id == claim_id(document.article.id, 0)


def test_quote_with_trailing_attribution_and_the_next_statement(resources) -> None:  # type: ignore[no-untyped-def]
    # The attribution closes its sentence: the next quotation is the speaker's next statement
    # (the annotation guide: one claim per statement).
    text = (
        "“The convoy was hit twice from the air,” said Ahmed Haddad, a Red Crescent official "
        "in Aleppo. “Nobody could reach the drivers for hours.”"
    )
    document, claims = _claims(resources, text)
    assert [_content(document, c) for c in claims] == [
        "The convoy was hit twice from the air,",
        "Nobody could reach the drivers for hours.",
    ]
    for claim in claims:
        assert claim.kind is ClaimKind.DIRECT
        assert claim.speaker is not None and claim.speaker.text.startswith("Ahmed Haddad")


def test_quote_interrupted_by_its_attribution_is_one_claim(resources) -> None:  # type: ignore[no-untyped-def]
    text = (
        "“The convoy was hit twice from the air,” said Ahmed Haddad, a Red Crescent official, "
        "“and nobody could reach the drivers for hours.”"
    )
    document, claims = _claims(resources, text)
    assert len(claims) == 1, [_content(document, c) for c in claims]
    claim = claims[0]
    assert len(claim.parts) == 2, "the quotation goes on after the attribution"
    assert "said" not in _content(document, claim)
    assert claim.speaker is not None and claim.speaker.text.startswith("Ahmed Haddad")


def test_relay_quoted_by_an_agency(resources) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Kremlin spokesman Dmitry Peskov was quoted by the TASS news agency as saying that "
        "“the strike was a flagrant violation of international law.”"
    )
    _document, claims = _claims(resources, text)
    assert len(claims) == 1
    claim = claims[0]
    assert claim.speaker is not None and claim.speaker.code == "RUS"
    assert claim.via is not None and "TASS" in claim.via.text
    assert claim.stance is Stance.ACCUSE


# Sentences written for these tests: the ways a report names who said it and who passed it on.
@pytest.mark.parametrize(
    ("text", "speaker", "via"),
    [
        (
            "The state news agency quoted a military source as saying the army had restored "
            "security to the hills.",
            "a military source",
            "The state news agency",
        ),
        (
            "The channel cited the defence ministry as saying that the strike killed 40 fighters.",
            "the defence ministry",
            "The channel",
        ),
        (
            "The interior minister was quoted as saying by a local TV channel that five people "
            "were killed.",
            "The interior minister",
            "a local TV channel",
        ),
        (
            "The foreign minister was quoted as telling the daily Le Monde that the truce was "
            "not enough.",
            "The foreign minister",
            "Le Monde",
        ),
        (
            "The interior ministry said in a statement carried by state media that two "
            "attackers blew themselves up.",
            "The interior ministry",
            "state media",
        ),
        (
            "A source at the police command told SANA reporter that three shells fell on the "
            "market.",
            "A source at the police command",
            "SANA",
        ),
        (
            "Reuters reported citing the interior ministry that the attackers tried to storm "
            "the station.",
            "the interior ministry",
            "Reuters",
        ),
    ],
)
def test_speaker_and_relay_of_a_passed_on_statement(  # type: ignore[no-untyped-def]
    resources, text: str, speaker: str, via: str
) -> None:
    _document, claims = _claims(resources, text)
    assert len(claims) == 1, [(c.speaker, c.via) for c in claims]
    claim = claims[0]
    assert claim.speaker is not None and speaker in claim.speaker.text
    assert claim.via is not None and via in claim.via.text


# Feeds often strip commas: the parser then hangs the speaker inside the clause before the verb.
@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "At least 12 people were killed in a mortar attack on a market near the border "
            "local sources said.",
            "local sources",
            "At least 12 people were killed",
        ),
        (
            "Air raids killed eight civilians in the rebel-held town the Syrian Observatory for "
            "Human Rights said on Friday.",
            "Syrian Observatory for Human Rights",
            "Air raids killed eight civilians",
        ),
        (
            "Nine civilians were killed in shelling of western Aleppo on Saturday the "
            "observatory said.",
            "the observatory",
            "Nine civilians were killed",
        ),
        (
            "Air strikes killed at least 70 people in an opposition district a monitoring "
            "group said on Friday.",
            "a monitoring group",
            "Air strikes killed at least 70 people in an opposition district",
        ),
        (
            "A woman and her three children were killed when helicopters dropped a barrel "
            "bomb on the village said the Syrian Observatory for Human Rights.",
            "the Syrian Observatory for Human Rights",
            "A woman and her three children were killed",
        ),
        (
            # The parse reads "raids killed" as "raids that killed" and makes "raids" the
            # subject of "said", with nothing said under it.
            "Army rocket strikes killed at least 20 people in a market town west of Hama "
            "after a raid by insurgents that had overrun a checkpoint on the main highway a "
            "local council said on Tuesday.",
            "a local council",
            "Army rocket strikes killed at least 20 people in a market town",
        ),
        (
            "A string of car bombs from the insurgents killed at least 30 people and hurt "
            "scores on Monday in the central districts of the coastal city state media said.",
            "state media",
            "A string of car bombs from the insurgents killed at least 30 people",
        ),
        (
            # The source's phrase runs on through "with" to the body it belongs to.
            "Shells hit the hospital just after dawn a medic with the local health "
            "directorate told Reuters.",
            "a medic with the local health directorate",
            "Shells hit the hospital just after dawn",
        ),
        (
            # The source described by a relative clause ("that tracks …") closes the
            # sentence: the noun it describes speaks.
            "Several hills were captured by government troops backed by Russian jets that "
            "pounded the area for a week an organisation that tracks the conflict said.",
            "an organisation",
            "Several hills were captured by government troops",
        ),
        (
            # The verb before its speaker, read as a clause of the statement with the
            # speaker as its object.
            "Two children were killed when a shell hit their home in the old city said the "
            "Syrian Observatory for Human Rights.",
            "the Syrian Observatory for Human Rights",
            "Two children were killed when a shell hit their home in the old city",
        ),
        (
            "Dozens of families fled the eastern districts overnight said the Syrian "
            "Observatory for Human Rights.",
            "the Syrian Observatory for Human Rights",
            "Dozens of families fled the eastern districts overnight",
        ),
    ],
)
def test_a_speaker_closing_a_commaless_sentence(  # type: ignore[no-untyped-def]
    resources, text: str, speaker: str, content: str
) -> None:
    document, claims = _claims(resources, text)
    assert len(claims) == 1, [(c.speaker, _content(document, c)) for c in claims]
    claim = claims[0]
    assert claim.speaker is not None and claim.speaker.text.endswith(speaker)
    found = _content(document, claim)
    assert found.startswith(content) and speaker not in found


def test_a_speaker_cut_inside_a_known_name_is_the_whole_name(resources) -> None:  # type: ignore[no-untyped-def]
    # With commas lost the parse may hang "for" on the verb before and leave "Human Rights"
    # as the speaker: the name it cuts through speaks.
    text = "Fighting went on. Shells hit the town the Syrian Observatory for Human Rights said."
    document = analyze_text(text, resources=resources, stages=RULE_STAGES)
    assert document.doc is not None
    start = text.index("Human Rights")
    head = document.doc.char_span(start, start + 5)
    assert head is not None
    speaker, _ = resolve_speaker(
        document.doc,
        text,
        (start, start + len("Human Rights")),
        head.root.i,
        [],
        document.entities,
        resources.actors,
        resources.claim_cues,
        "SYR",
    )
    assert (speaker.text, speaker.code) == ("the Syrian Observatory for Human Rights", "NGO")


def test_the_actor_nearest_the_speakers_head_speaks(resources) -> None:  # type: ignore[no-untyped-def]
    # The comma after the addressee lost: the outlet and the spokesman are one phrase.
    text = (
        "Speaking exclusively to Al Jazeera YPG spokesman Karim Saleh said that the reasons "
        "for the offensive are unknown."
    )
    _, claims = _claims(resources, text)
    assert [c.speaker.code for c in claims if c.speaker] == ["KURD"]


def test_a_thing_that_cannot_speak_relays_nothing(resources) -> None:  # type: ignore[no-untyped-def]
    _, claims = _claims(resources, "The images showed that the army said the town had fallen.")
    assert [(c.speaker and c.speaker.text, c.via) for c in claims] == [("the army", None)]


def test_the_group_is_the_organisation_that_spoke_last(resources) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The White Helmets said an air raid on one of their centres killed eight members. "
        "The group said five bodies were lifted from the rubble."
    )
    _, claims = _claims(resources, text)
    assert [(c.speaker.text, c.speaker.code) for c in claims if c.speaker] == [
        ("The White Helmets", "SYR"),
        ("The group", "SYR"),
    ]


def test_a_lead_run_into_its_title_and_dateline_claims_only_the_lead(resources) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Nine killed in market shelling Mortar fire returns to the old city AFP Saturday 17 "
        "Aug 2013 Shells hit a crowded market in the old city killing nine people a "
        "monitoring group said on Saturday."
    )
    document, claims = _claims(resources, text)
    assert len(claims) == 1
    content = _content(document, claims[0]).strip()
    assert content.startswith("Shells hit a crowded market"), content


def test_a_participle_carries_on_the_statement_it_follows(resources) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The ministry said the strike destroyed a command post adding that 40 fighters were "
        "killed near the town."
    )
    document, claims = _claims(resources, text)
    assert [c.speaker.text for c in claims if c.speaker] == ["The ministry", "The ministry"]
    assert _content(document, claims[1]).startswith("40 fighters were killed")


def test_a_participle_after_a_passive_statement_keeps_both_statements(resources) -> None:  # type: ignore[no-untyped-def]
    # The parse borrows the passive subject as the participle's speaker; neither statement
    # is a relay of the other, and the first stops where "adding" begins.
    text = (
        "The Britain-based group said at least 140 people were wounded adding that "
        "government forces had also fired missiles at the area."
    )
    document, claims = _claims(resources, text)
    assert [c.speaker.text for c in claims if c.speaker] == [
        "The Britain-based group",
        "The Britain-based group",
    ]
    assert _content(document, claims[0]).strip() == "at least 140 people were wounded"
    assert _content(document, claims[1]).startswith("government forces had also fired")


@pytest.mark.parametrize(
    ("told", "speaker"),
    [
        # The parser makes the body the subject and leaves "with" without its object.
        (
            "Two shells fell near the bakery in the morning a medic with the opposition Hama "
            "Health Directorate told AFP.",
            "a medic with the opposition Hama Health Directorate",
        ),
        # The parser hangs the closing bracket of the acronym on the verb.
        (
            "The shells hit the market the Syrian Observatory for Human Rights (SOHR) told AFP.",
            "the Syrian Observatory for Human Rights (SOHR)",
        ),
    ],
)
def test_a_source_speaks_whole_when_the_commas_are_lost(resources, told: str, speaker: str) -> None:  # type: ignore[no-untyped-def]
    # The same source named again by its noun ("the medic") is told to the same agency.
    again = "the " + (speaker.split()[1] if speaker.startswith("a") else "Observatory")
    text = told + f' "Two of them fell among the stalls" {again} said.'
    _document, claims = _claims(resources, text)
    spoken = [(c.speaker.text if c.speaker else None, c.via and c.via.text) for c in claims]
    assert spoken == [(speaker, "AFP"), (again, "AFP")]


def test_a_participle_after_according_to_carries_on_the_sources_statement(resources) -> None:  # type: ignore[no-untyped-def]
    # Without commas the parser hangs "adding" on the clause "according to" attributes: the
    # agency adds, not the governor the clause is about, and nobody relays anybody.
    text = (
        "According to the agency the governor of the province will visit the camp on Monday "
        "adding that aid would follow."
    )
    document, claims = _claims(resources, text)
    assert [(c.speaker.text if c.speaker else None, c.via) for c in claims] == [
        ("the agency", None),
        ("the agency", None),
    ]
    assert _content(document, claims[0]).strip().endswith("will visit the camp on Monday")
    assert _content(document, claims[1]).startswith("aid would follow")


@pytest.mark.parametrize(
    ("text", "speaker", "content", "via"),
    [
        (
            # The parser hangs the attribution on the quotation it follows.
            '"Five people were killed in the attack and seven others injured" Talal Barazi '
            "was quoted as saying by the TV channel.",
            "Talal Barazi",
            "Five people were killed in the attack",
            "the TV channel",
        ),
        (
            # The speaker closes the quotation although the verb goes on to "adding".
            '"They were crossing the river on makeshift rafts in a village south of the town" '
            "SOHR director Karim Aziz said adding that three children were among the dead.",
            "SOHR director Karim Aziz",
            "They were crossing the river",
            None,
        ),
        (
            # A noun the parser made the root, with its verb as a reduced relative.
            "A military source announced on Saturday evening that the army established full "
            "control over the town after fierce clashes.",
            "A military source",
            "the army established full control",
            None,
        ),
        ('"God rid us of all the leaders" the protesters chanted.', "the protesters", "God", None),
        (
            "On Saturday activists reported a heavy air campaign against the district.",
            "activists",
            "a heavy air campaign",
            None,
        ),
        (
            # Commas lost: "quoted as saying" closes the sentence as a second clause.
            "Ten fighters died in the raid Salem Haddad was quoted as saying by a local radio "
            "station.",
            "Salem Haddad",
            "Ten fighters died in the raid",
            "a local radio station",
        ),
        (
            # The passive's subject is what its agent reports.
            "Six deaths and 30 injuries were reported by the civil defence volunteers after "
            "the shelling.",
            "the civil defence volunteers",
            "Six deaths and 30 injuries",
            None,
        ),
        (
            # "the photographs" cannot speak, so "suggest" does not take the statement away
            # from the envoy.
            "The envoy said the photographs suggest that prisoners were executed in the village.",
            "The envoy",
            "the photographs suggest that prisoners were executed",
            None,
        ),
        (
            "The official added The positions of the council serve the interests of the regime.",
            "The official",
            "The positions of the council serve",
            None,
        ),
    ],
)
def test_speakers_the_parse_hides(  # type: ignore[no-untyped-def]
    resources, text: str, speaker: str, content: str, via: str | None
) -> None:
    document, claims = _claims(resources, text)
    found = [c for c in claims if _content(document, c).lstrip('"').startswith(content)]
    assert found, [(c.speaker, _content(document, c)) for c in claims]
    claim = found[0]
    assert claim.speaker is not None and claim.speaker.text.endswith(speaker)
    assert (claim.via.text if claim.via else None) == via


def test_a_statement_parsed_as_the_object_of_said_is_what_was_said(resources) -> None:  # type: ignore[no-untyped-def]
    # The parse the model gives a long speaker name followed by an unquoted statement
    # (quotation marks stripped): the statement's subject as the object of "said", its verb
    # as a reduced relative.
    words = ["He", "said", "The", "gangs", "resorted", "to", "arms", "."]
    doc = Doc(
        Vocab(),
        words=words,
        heads=[1, 1, 3, 1, 3, 4, 5, 1],
        deps=["nsubj", "ROOT", "det", "dobj", "acl", "prep", "pobj", "punct"],
        tags=["PRP", "VBD", "DT", "NNS", "VBN", "IN", "NNS", "."],
        pos=["PRON", "VERB", "DET", "NOUN", "VERB", "ADP", "NOUN", "PUNCT"],
        lemmas=["he", "say", "the", "gang", "resort", "to", "arm", "."],
        sent_starts=[True] + [False] * 7,
    )
    frames = find_frames(doc, resources.claim_cues)
    assert [doc.text[slice(*f.content)] for f in frames] == ["The gangs resorted to arms"]


@pytest.mark.parametrize(
    ("speaker", "anonymous"),
    [
        ("Activists in the province", True),
        ("A resident of the neighbourhood", True),
        ("An AFP correspondent in the city", True),
        ("Local activist Omar Haddad", False),
    ],
)
def test_unnamed_witnesses_are_anonymous(resources, speaker: str, anonymous: bool) -> None:  # type: ignore[no-untyped-def]
    _, claims = _claims(resources, f"{speaker} said the shelling went on all night.")
    assert len(claims) == 1 and claims[0].speaker is not None
    assert claims[0].speaker.anonymous is anonymous


@pytest.mark.parametrize(
    ("text", "stance", "content"),
    [
        (
            "He called on aid organizations to take urgent action in the besieged town.",
            Stance.DEMAND,
            "aid organizations to take urgent action",
        ),
        (
            "The envoy lamented the lack of any response by the international community.",
            Stance.REGRET,
            "the lack of any response",
        ),
        (
            "The UN has asked for a ceasefire to let aid into the city.",
            Stance.DEMAND,
            "a ceasefire",
        ),
        ("Aid agencies appealed for calm in the besieged town.", Stance.DEMAND, "calm"),
        (
            "The council called the United Nations to act at once to protect the town.",
            Stance.DEMAND,
            "the United Nations to act",
        ),
    ],
)
def test_appeals_and_laments_are_claims(  # type: ignore[no-untyped-def]
    resources, text: str, stance: Stance, content: str
) -> None:
    document, claims = _claims(resources, text)
    assert len(claims) == 1
    assert claims[0].stance is stance
    assert _content(document, claims[0]).startswith(content)


class _Always:
    """A head that gives one answer to every row."""

    def __init__(self, answer: str) -> None:
        self.classes = [answer]

    def predict_proba(self, rows: list[dict[str, float]]) -> Any:
        return np.ones((len(rows), 1))


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("The council called on the United Nations to act at once.", Stance.DEMAND),
        ("The council called the United Nations to act at once.", Stance.DEMAND),
        ("The council called for a ceasefire in the besieged town.", Stance.DEMAND),
        ("The army accused the rebels of shelling the hospital.", Stance.ACCUSE),
        ("The council said the town was shelled again.", Stance.ASSERT),
    ],
)
def test_the_stance_head_does_not_overrule_a_charged_verb_or_a_demand(  # type: ignore[no-untyped-def]
    resources, text: str, stance: Stance
) -> None:
    """The learned stance weighs the content; what the verb or the shape of the sentence
    says outright ("accused", "called on X to", "called for") stays, whatever the head
    (here one that reads every claim as a plain assertion) says."""
    from sitrep.analyze.claims.decide import ClaimHeads, decide_claims

    document, _claims_found = _claims(resources, text)
    heads = ClaimHeads(_Always("assert"), _Always("yes"))  # type: ignore[arg-type]
    decided = decide_claims(document, heads, resources.claim_cues, resources.decision_cues)
    assert [c.stance for c in decided] == [stance]


def test_a_follow_up_by_the_same_source_keeps_its_relay(resources) -> None:  # type: ignore[no-untyped-def]
    text = (
        "A local official told Reuters that the market was hit twice. "
        "The official added that rescuers were still searching the rubble."
    )
    _document, claims = _claims(resources, text)
    assert len(claims) == 2
    assert all(c.via is not None and "Reuters" in c.via.text for c in claims)


@pytest.mark.parametrize(
    "text",
    [
        "A farmer named Karim Haddad told Reuters that the market in Saraqib was hit twice. "
        '"Nothing was left of the stalls," the old man said.',
        "A man in Binnish told Reuters that the bakery had been hit at dawn. "
        "The statement said rescuers were searching the rubble.",
    ],
)
def test_a_follow_up_attribution_inherits_the_relay_of_the_claim_before(  # type: ignore[no-untyped-def]
    resources, text: str
) -> None:
    _document, claims = _claims(resources, text)
    assert len(claims) == 2, [(c.speaker, c.via) for c in claims]
    assert all(c.via is not None and c.via.text == "Reuters" for c in claims)


def test_a_source_naming_its_own_actor_is_not_a_follow_up(resources) -> None:  # type: ignore[no-untyped-def]
    text = (
        "A doctor in Douma told AFP that the clinic was full. "
        "The Syrian army said it had taken two villages."
    )
    _document, claims = _claims(resources, text)
    assert [c.via.text if c.via else None for c in claims] == ["AFP", None]


def test_the_agency_as_a_relay_is_the_agency_named_before(resources) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The Syrian state news agency SANA reported that rockets fell on a bakery in Hama. "
        "The agency quoted a police official as saying that three people were wounded."
    )
    _document, claims = _claims(resources, text)
    relayed = claims[-1].via
    assert relayed is not None and relayed.text == "SANA" and relayed.code == "SYR"


def test_an_inverted_speaker_is_not_also_its_own_relay(resources) -> None:  # type: ignore[no-untyped-def]
    text = "The bombing was the heaviest in months said the head of the local council Omar Khatib."
    _document, claims = _claims(resources, text)
    assert len(claims) == 1 and claims[0].speaker is not None
    assert "Omar Khatib" in claims[0].speaker.text and claims[0].via is None


def test_pronoun_refers_back_to_the_last_person_quoted(resources) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Vladimir Putin said the talks in Astana had gone well. "
        "He added that a new round would follow in the spring."
    )
    _document, claims = _claims(resources, text)
    assert [c.speaker.code for c in claims if c.speaker] == ["RUS", "RUS"]
    assert claims[1].speaker is not None and "refers back" in claims[1].speaker.how
    assert claims[1].stance is Stance.PREDICT


def test_denial_of_an_earlier_claim_takes_its_content(resources) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The coalition said it had warned Moscow before the strike. "
        "Moscow has flatly denied the claim."
    )
    document, claims = _claims(resources, text)
    denial = [c for c in claims if c.stance is Stance.DENY]
    assert len(denial) == 1
    assert _content(document, denial[0]).startswith("it had warned Moscow")


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("The army accused the rebels of shelling the hospital.", Stance.ACCUSE),
        (
            "The ministry warned that any aircraft in the zone would be treated as targets.",
            Stance.THREATEN,
        ),
        ("The envoy demanded that the siege be lifted at once.", Stance.DEMAND),
        ("The minister regretted that civilians had been hurt.", Stance.REGRET),
    ],
)
def test_stance_from_the_reporting_verb(resources, text: str, stance: Stance) -> None:  # type: ignore[no-untyped-def]
    _document, claims = _claims(resources, text)
    assert claims and claims[0].stance is stance, [(c.cue, c.stance) for c in claims]


@pytest.mark.parametrize(
    "text",
    [
        "We expect the ceasefire to collapse within a week.",  # the writer's own voice
        "The spokesman was careful not to say where the threats come from.",  # nothing said
        "The report, which nobody has seen, runs to forty pages.",  # no statement
    ],
)
def test_not_claims(resources, text: str) -> None:  # type: ignore[no-untyped-def]
    _document, claims = _claims(resources, text)
    assert claims == [], [(c.cue, c.speaker) for c in claims]


def test_block_quote_and_transcript(resources) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Fighting resumed near the airport.\n\n"
        "The Syrian defence ministry said in a statement:\n\n"
        "Terrorist groups violated the truce forty times in one day. "
        "Our units returned fire on the positions of the militants.\n\n"
        "Reporters then questioned the State Department spokesman.\n\n"
        "Q    Will the United States respond?\n\n"
        "KIRBY:  We are watching the situation very closely.\n\n"
        "Q    And the convoy?\n\n"
        "KIRBY:  We will not speculate about the convoy today.\n"
    )
    document, claims = _claims(resources, text)
    block = [c for c in claims if c.why == "a sentence of a block quote"]
    assert len(block) == 2
    assert all(c.speaker is not None and c.speaker.code == "SYR" for c in block)
    assert block[0].stance is Stance.ACCUSE  # "violated the truce"
    turns = [c for c in claims if c.why == "a transcript turn"]
    assert [document.text[c.cue_start : c.cue_end] for c in turns] == ["KIRBY", "KIRBY"]
    assert not any(_content(document, c).startswith("Will the United States") for c in claims)


@pytest.mark.parametrize(
    "text",
    [
        "“",
        "“Unclosed quotation that never ends and has no speaker at all",
        "” a closing mark first, then “ an opening one",
        '"""""" """ "',
        "He said: “She said: ‘They said “no” twice’ then left.”",
        "said " * 400,
        "\n\n".join(["“Paragraph that opens a quotation"] * 30),
    ],
)
def test_hostile_text_gives_valid_spans(resources, text: str) -> None:  # type: ignore[no-untyped-def]
    document, claims = _claims(resources, text)
    for claim in claims:
        for start, end in (*claim.content_spans, (claim.cue_start, claim.cue_end)):
            assert 0 <= start <= end <= len(document.text)


@pytest.fixture(scope="module")
def seeds(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> EvalContext:
    return EvalContext(data_dir, tmp_path_factory.mktemp("cache"))


def _seed_claims(seeds: EvalContext, prefix: str) -> list[dict[str, Any]]:
    """The claim records the product stored for the seed pages whose name starts so."""
    run = seeds.seed_run
    return [
        claim
        for name, article_ids in run.files.items()
        if name.startswith(prefix)
        for article_id in article_ids
        for claim in run.claims(article_id)
    ]


def test_seed_zakharova_through_tass(seeds: EvalContext) -> None:
    found = [
        c
        for c in _seed_claims(seeds, "002")
        if c["speaker"] is not None and "Zakharova" in c["speaker"]["text"]
    ]
    assert len(found) == 1
    claim = found[0]
    assert claim["speaker"]["code"] == "RUS"
    assert claim["via"] is not None and "TASS" in claim["via"]["text"]
    assert claim["kind"] == ClaimKind.DIRECT
    parts = [p["text"] for p in claim["parts"]] or [claim["content"]["text"]]
    assert " ".join(parts).endswith("defending the Islamic State.")


def test_seed_briefing_and_relayed_experts(seeds: EvalContext) -> None:
    claims = _seed_claims(seeds, "001")
    spicer = [c for c in claims if c["why"] == "a transcript turn"]
    assert len(spicer) == 3, "three answers, the reporters' questions left out"
    assert all(c["speaker"] is not None and c["speaker"]["code"] == "USA" for c in spicer)
    relayed = {c["via"]["text"] for c in claims if c["via"] is not None}
    assert any("New York Times" in v for v in relayed)
    assert any("The Hill" in v for v in relayed)


def test_a_named_person_the_dictionary_does_not_know_is_of_the_main_country(resources) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Government jets bombed the Syrian town of Saraqib in Idlib province on Monday. "
        "Omar Haddad said the shelling went on all night."
    )
    _, claims = _claims(resources, text)
    assert [(c.speaker.text, c.speaker.code) for c in claims if c.speaker] == [
        ("Omar Haddad", "SYR")
    ]


@pytest.mark.parametrize(
    "speaker",
    ["The group's military media arm", "An activist collective", "The party's armed wing"],
)
def test_bodies_that_issue_statements_speak(resources, speaker: str) -> None:  # type: ignore[no-untyped-def]
    text = f"Fighting went on near the town. {speaker} said rebels attacked two villages nearby."
    document, claims = _claims(resources, text)
    assert [(c.speaker and c.speaker.text, _content(document, c)) for c in claims] == [
        (speaker, "rebels attacked two villages nearby")
    ]


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        (
            # The attribution read as an adverbial clause of "dropped" (commas lost): it
            # must not borrow "helicopters" as its speaker.
            "Helicopters dropped barrel bombs on the town killing 10 people including a child "
            "the Syrian Observatory for Human Rights reported.",
            "Helicopters dropped barrel bombs on the town killing 10 people including a child",
        ),
        (
            # A participle after the attribution carries on the report, not its content.
            "Thirteen civilians were killed in missile attacks on the region the Observatory "
            "reported Thursday updating an earlier toll.",
            "Thirteen civilians were killed in missile attacks on the region",
        ),
    ],
)
def test_trailing_attribution_without_commas(resources, sentence: str, content: str) -> None:  # type: ignore[no-untyped-def]
    document, claims = _claims(resources, f"Fighting went on near the town. {sentence}")
    assert [(c.speaker and c.speaker.code, _content(document, c)) for c in claims] == [
        ("NGO", content)
    ]


def test_reportedly_attributes_its_clause_to_unnamed_reports(resources) -> None:  # type: ignore[no-untyped-def]
    text = "Fighting went on. Dozens of civilians have reportedly been killed by air strikes."
    document, claims = _claims(resources, text)
    assert [(c.speaker and c.speaker.text, _content(document, c)) for c in claims] == [
        ("reportedly", "Dozens of civilians have reportedly been killed by air strikes")
    ]
    assert claims[0].speaker is not None and claims[0].speaker.anonymous


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        ("Strikes kill 45 in Idlib Monitor", [("Monitor", "Strikes kill 45 in Idlib")]),
        ("Strikes kill 45 in Idlib", []),
    ],
)
def test_a_headline_that_closes_on_its_source_is_its_claim(  # type: ignore[no-untyped-def]
    resources, headline: str, expected: list[tuple[str, str]]
) -> None:
    # A feed's run-in headline, its colon lost, before its outlet and dateline.
    text = f"{headline} AFP Thursday 5 Feb 2015 Shells fell on the town on Thursday."
    document, claims = _claims(resources, text)
    assert [(c.speaker and c.speaker.text, _content(document, c)) for c in claims] == expected


def test_a_headline_told_with_its_own_reporting_verb_is_a_claim(resources) -> None:  # type: ignore[no-untyped-def]
    # The record's title run into its text is the headline (ingest/build.py); a frame wholly
    # inside it is the headline's claim, and no body statement reaches back into it.
    title = "Turkey says its jets hit 12 militant targets near Afrin"
    text = f"{title}. Turkish jets struck targets near Afrin, the army said."
    document = analyze_text(text, title=title, resources=resources, stages=RULE_STAGES)
    found = [(c.speaker and c.speaker.text, _content(document, c)) for c in document.claims]
    assert found == [
        ("Turkey", "its jets hit 12 militant targets near Afrin"),
        ("the army", "Turkish jets struck targets near Afrin"),
    ]


def test_a_speakers_relative_clause_is_not_its_name_and_documenting_is_saying(resources) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Fighting went on. Clashes raged in the town on Thursday according to the Observatory "
        "which has documented heavy shelling on the town since July."
    )
    _, claims = _claims(resources, text)
    assert [(c.speaker and c.speaker.text, c.cue) for c in claims] == [
        ("the Observatory", "according to"),
        ("the Observatory", "has documented"),
    ]


@pytest.mark.parametrize(
    ("before", "attribution", "speaker", "via"),
    [
        (
            "Nine people were killed in attacks near a police station in the city on Wednesday",
            "an informed source told Sputnik",
            "an informed source",
            "Sputnik",
        ),
        (
            # The parse hangs the source on the clause before as an object: it is found by
            # climbing from the place that locates it.
            "Gunmen detonated a bomb which they had earlier planted on a bicycle parked in "
            "front of a school in the city",
            "a source in Hama province told SANA reporter",
            "a source in Hama province",
            "SANA",
        ),
    ],
)
def test_a_trailing_attribution_told_to_an_outlet(  # type: ignore[no-untyped-def]
    resources, before: str, attribution: str, speaker: str, via: str
) -> None:
    document, claims = _claims(resources, f"Fighting went on. {before} {attribution}.")
    assert [(c.speaker and c.speaker.text, c.via and c.via.name) for c in claims] == [
        (speaker, via)
    ]
    assert _content(document, claims[0]) == before


@pytest.mark.parametrize(
    ("sentence", "speaker", "content"),
    [
        (
            # The comma after the source lost: the clause's subject is not the speaker's.
            "According to the Syrian Observatory heavy shelling has hit the province this week.",
            "the Syrian Observatory",
            "heavy shelling has hit the province this week",
        ),
        (
            "According to a Turkish General Staff statement artillery fire destroyed one tank.",
            "a Turkish General Staff statement",
            "artillery fire destroyed one tank",
        ),
        (
            "Russia described the attack as an aggression against a sovereign state.",
            "Russia",
            "the attack as an aggression against a sovereign state",
        ),
    ],
)
def test_according_to_without_its_comma_and_describing_as(  # type: ignore[no-untyped-def]
    resources, sentence: str, speaker: str, content: str
) -> None:
    document, claims = _claims(resources, f"Fighting went on. {sentence}")
    assert [(c.speaker and c.speaker.text, _content(document, c)) for c in claims] == [
        (speaker, content)
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            # "of" hung on the object's last conjunct.
            "The charity accused the army and its allies of shelling two clinics in the valley.",
            [("The charity", "shelling two clinics in the valley", Stance.ACCUSE)],
        ),
        (
            # A statement noun as the object makes the verb a statement.
            "The two factions have traded accusations over which side broke the truce.",
            [("The two factions", "which side broke the truce", Stance.ACCUSE)],
        ),
        (
            # The content follows the first of the statement's prepositions: who is blamed.
            "The two factions laid the blame on each other for the collapse of the truce.",
            [("The two factions", "each other", Stance.ACCUSE)],
        ),
        (
            "A local monitor put the toll at 31 on Sunday.",
            [("A local monitor", "31", Stance.ASSERT)],
        ),
        (
            # The passive report speaks for unnamed sources.
            "Three aid workers are reported to have died in the blast.",
            [
                (
                    "are reported",
                    "Three aid workers are reported to have died in the blast",
                    Stance.ASSERT,
                )
            ],
        ),
        (
            # "said that A and that B": two statements.
            "The governor said that the road was closed and that two bridges were damaged.",
            [
                ("The governor", "the road was closed", Stance.ASSERT),
                ("The governor", "two bridges were damaged", Stance.ASSERT),
            ],
        ),
    ],
)
def test_statements_the_verb_alone_does_not_show(  # type: ignore[no-untyped-def]
    resources, sentence: str, expected: list[tuple[str, str, Stance]]
) -> None:
    document, claims = _claims(resources, f"Fighting went on. {sentence}")
    assert [(c.speaker and c.speaker.text, _content(document, c), c.stance) for c in claims] == (
        expected
    )


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        # A blame in a relative clause is its own speaker's claim, not part of the statement.
        (
            "The minister said the strike answered the shelling of the port, which the "
            "government blames on the rebels.",
            "The minister",
            ("the government", "the rebels"),
        ),
        # Commas lost, "as an AFP correspondent" reads as a phrase of the first clause and
        # the second "said" has no subject: the noun phrase just before it speaks.
        (
            'State television said army jets targeted "terrorist" positions in the towns east '
            "as an AFP correspondent in Homs said heavy artillery fire could be heard.",
            "State television",
            ("an AFP correspondent in Homs", "heavy artillery fire could be heard"),
        ),
    ],
)
def test_a_second_speaker_inside_a_statement(  # type: ignore[no-untyped-def]
    resources, text: str, first: str, second: tuple[str, str]
) -> None:
    document, claims = _claims(resources, f"Fighting went on. {text}")
    said = [(c.speaker and c.speaker.text, _content(document, c)) for c in claims]
    assert said[0][0] == first
    assert second in said


@pytest.mark.parametrize(
    ("sentence", "speaker", "code"),
    [
        # Possessives whose apostrophe a feed stripped name their actor.
        ("The UNs envoy said the convoy was blocked at the crossing.", "The UNs envoy", "UNO"),
        ("Russias defence ministry said its jets hit a depot.", "Russias defence ministry", "RUS"),
        # "US" is the country, not the pronoun.
        ("The US has long called on the government to open the roads.", "The US", "USA"),
        # A speaker phrase opens at its determiner, not on the place before it.
        (
            "A command post and up to 60 fighters were destroyed in the area of Palmyra the "
            "ministry said.",
            "the ministry",
            None,
        ),
        # ... and never before a quotation mark.
        (
            '"The road is cut near the village of Tadmur" Observatory head Rami Abdel Rahman said.',
            "Observatory head Rami Abdel Rahman",
            "NGO",
        ),
    ],
)
def test_speaker_phrases_of_punctuation_stripped_text(  # type: ignore[no-untyped-def]
    resources, sentence: str, speaker: str, code: str | None
) -> None:
    _document, claims = _claims(resources, f"Fighting went on. {sentence}")
    assert claims and claims[0].speaker is not None
    assert claims[0].speaker.text == speaker
    if code is not None:
        assert claims[0].speaker.code == code


def test_the_stance_head_sees_who_a_statement_blames(resources) -> None:  # type: ignore[no-untyped-def]
    """An accusation blames someone: the stance head reads whether the content names another
    party than the speaker as the doer and whom it counts as harmed, which a party's own
    report of its strikes does not ("Turkish jets" told by the Turkish ministry)."""
    from sitrep.analyze.claims.decide import content_parties

    blame = (
        "The Turkish defence ministry said Russian jets bombed a hospital, killing six children."
    )
    own = (
        "The Turkish defence ministry said Turkish jets destroyed militant positions, "
        "killing 40 fighters."
    )
    document, (claim,) = _claims(resources, blame)
    parties = content_parties(document, claim)
    assert (parties["content_other_doer"], parties["content_own_doer"]) == (1.0, 0.0)
    assert parties["content_harmed_words"] >= 1 and parties["content_fighting_words"] == 0
    document, (claim,) = _claims(resources, own)
    parties = content_parties(document, claim)
    assert (parties["content_other_doer"], parties["content_own_doer"]) == (0.0, 1.0)
    assert parties["content_harmed_words"] == 0 and parties["content_fighting_words"] >= 1
