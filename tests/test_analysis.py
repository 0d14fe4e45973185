"""The NLP core: entities with actor codes, places with coordinates, the stage pipeline."""

from __future__ import annotations

import pytest

from sitrep import api
from sitrep.analyze.core.nlp import MODEL_VERSION
from sitrep.analyze.core.pipeline import Analyzer
from sitrep.analyze.core.registry import STAGES, plan, stage
from sitrep.analyze.mentions.places import resolve_place
from sitrep.analyze.mentions.stages import _places_named_as_persons
from sitrep.errors import UsageError
from sitrep.gold.spans import km_between
from sitrep.ingest.build import make_article
from sitrep.model import Article, EntityKind, EntityMention, Origin, PlacePrecision


def _analyze(resources, text: str):  # type: ignore[no-untyped-def]
    article = make_article(text, Origin("test"))
    assert isinstance(article, Article)
    return Analyzer(resources).analyze(article)


def test_the_pinned_model_is_loaded(resources) -> None:  # type: ignore[no-untyped-def]
    assert resources.nlp.meta["version"] == MODEL_VERSION
    assert "entity_ruler" in resources.nlp.pipe_names


@pytest.mark.parametrize(
    ("text", "code", "sector"),
    [
        ("the Russians", "RUS", None),
        ("Assad's troops", "SYR", "MIL"),
        ("regime forces", "SYR", "MIL"),
        ("US-backed Syrian Democratic Forces", "SDF", "REB"),
        ("the Pentagon", "USA", "MIL"),
        ("CENTCOM", "USA", "MIL"),
        ("Lt. Gen. Stephen J. Townsend", "USA", "MIL"),
        ("Zakharova", "RUS", "GOV"),
        ("Daesh", "ISIS", None),
        ("ISIL", "ISIS", None),
        ("Russian warplanes", "RUS", "MIL"),
        ("a Russian hospital", "RUS", "MED"),
        # The coding conventions of the in-domain annotation (../shared/data/annotated):
        # the White Helmets are Syrian civilians, the activists' committees a monitor.
        ("the White Helmets", "SYR", "CVL"),
        ("the Local Coordination Committees", "SYR", "NGO"),
        ("al-Nasr Army", "FSA", "REB"),
        ("Aamaq news agency", "ISIS", None),
        ("a Syrian news website", "SYR", "JRN"),
        ("a Syrian medical source", "SYR", "MED"),
        ("Turkish humanitarian groups", "TUR", "NGO"),
    ],
)
def test_actor_mentions_resolve_to_codes(
    resources, text: str, code: str, sector: str | None
) -> None:  # type: ignore[no-untyped-def]
    actor = resources.actors.resolve(text)
    assert actor is not None and actor.code == code
    if sector:
        assert actor.sector == sector


def test_a_capital_that_acts_is_its_government(resources) -> None:  # type: ignore[no-untyped-def]
    document = _analyze(
        resources, "Moscow warned Washington against any new strikes on Syrian forces."
    )
    moscow = next(m for m in document.entities if m.text == "Moscow")
    assert moscow.kind is EntityKind.ORGANISATION
    assert moscow.actor is not None and (moscow.actor.code, moscow.actor.sector) == ("RUS", "GOV")


def test_coordinated_actors_keep_every_code(resources) -> None:  # type: ignore[no-untyped-def]
    codes = [a.code for a in resources.actors.resolve_all("Syria, Russia, Iran and Hezbollah")]
    assert codes == ["SYR", "RUS", "IRN", "HEZ"]


@pytest.mark.parametrize(
    "spelling", ["Deir ez-Zor", "Deir Ezzor", "Deir el-Zour", "Dayr az Zawr", "Deir Ez Zor"]
)
def test_spelling_variants_land_on_one_place(resources, spelling: str) -> None:  # type: ignore[no-untyped-def]
    place, reason = resolve_place(spelling, resources.gazetteer, resources.lexicons, "SYR")
    assert place is not None, reason
    assert km_between(place.lat, place.lon, 35.336, 40.141) < 25  # Deir ez-Zor city, GeoNames


def test_places_spacy_calls_persons_are_places_with_precision(resources) -> None:  # type: ignore[no-untyped-def]
    document = _analyze(
        resources, "Russian jets flew from Khmeimim to strike positions near Rusafa on Monday."
    )
    places = {m.text: m.place for m in document.entities if m.place}
    assert places["Khmeimim"] is not None and places["Khmeimim"].precision is PlacePrecision.SITE
    assert "Rusafa" in places and places["Rusafa"].country == "SYR"


def test_a_town_the_parser_calls_a_person_is_a_place_when_the_text_places_it(resources) -> None:  # type: ignore[no-untyped-def]
    document = _analyze(
        resources,
        "Two civilians were killed when helicopters dropped a barrel bomb on the town of Al Bab.",
    )
    places = {m.text: m.place for m in document.entities if m.place}
    assert "Al Bab" in places and places["Al Bab"].admin1 == "Aleppo"


def test_a_town_run_together_with_its_province_is_the_town(resources) -> None:  # type: ignore[no-untyped-def]
    place, reason = resolve_place(
        "Jarabulus Aleppo province", resources.gazetteer, resources.lexicons, "SYR"
    )
    assert place is not None, reason
    assert place.precision is PlacePrecision.TOWN and place.admin1 == "Aleppo"
    # A town is never placed in a province it is not in.
    place, _ = resolve_place(
        "Jarabulus Idlib province", resources.gazetteer, resources.lexicons, "SYR"
    )
    assert place is None or place.precision is not PlacePrecision.TOWN


def test_precision_codes(resources) -> None:  # type: ignore[no-untyped-def]
    def precision(text: str) -> PlacePrecision:
        place, _ = resolve_place(text, resources.gazetteer, resources.lexicons, "SYR")
        assert place is not None
        return place.precision

    assert precision("the eastern province of Deir el-Zour") is PlacePrecision.PROVINCE
    assert precision("Syria") is PlacePrecision.COUNTRY
    assert precision("the town of Manbij") is PlacePrecision.TOWN
    assert precision("Shayrat air base") is PlacePrecision.SITE


def test_an_unknown_place_gets_a_reason_and_spoils_nothing(resources) -> None:  # type: ignore[no-untyped-def]
    document = _analyze(
        resources, "Shelling hit Qzxqville and Aleppo on Monday, residents of Qzxqville said."
    )
    unknown = [m for m in document.entities if m.kind is EntityKind.LOCATION and m.place is None]
    assert unknown and all(m.unresolved for m in unknown)
    aleppo = next(m for m in document.entities if m.text == "Aleppo")
    assert aleppo.place is not None and aleppo.place.admin1 == "Aleppo"


def test_spans_point_into_the_article_text_through_markup(resources) -> None:  # type: ignore[no-untyped-def]
    text = "Troops were <u>attacked near Deir ez-Zor</u> on\u00a0Monday, officials said."
    document = _analyze(resources, text)
    for mention in document.entities:
        assert text[mention.start : mention.end] == mention.text
    assert any(m.place and m.place.name.startswith("Deir") for m in document.entities)


def test_hostile_texts_do_not_crash(resources) -> None:  # type: ignore[no-untyped-def]
    for text in [
        "x",
        "\u202e\u200b" * 50,
        "Aleppo " * 3000,
        "<<<>>>" * 100,
        "1,000,000,000,000 killed",
    ]:
        _analyze(resources, text)


def test_stages_can_be_turned_off_and_checked() -> None:
    assert [s.name for s in plan(["parse", "entities"], disabled=["entities"])] == ["parse"]
    with pytest.raises(UsageError, match="needs the layer 'doc'"):
        plan(["entities"])
    with pytest.raises(UsageError, match="no analysis stage"):
        plan(["parse", "nonsense"])


def test_a_user_stage_plugs_in(resources) -> None:  # type: ignore[no-untyped-def]
    @stage("count_places", requires=("places",), provides=("place_count",))
    def count_places(document, resources):  # type: ignore[no-untyped-def]
        document.extra["place_count"] = sum(1 for m in document.entities if m.place)

    try:
        analyzer = Analyzer(resources, ("parse", "entities", "places", "count_places"))
        article = make_article("Clashes in Aleppo and Idlib.", Origin("t"))
        assert isinstance(article, Article)
        assert analyzer.analyze(article).extra["place_count"] == 2
    finally:
        del STAGES["count_places"]


def test_public_api_analyses_a_text(resources) -> None:  # type: ignore[no-untyped-def]
    from sitrep import analyze_text

    document = analyze_text("Russian jets struck near Rusafa on Monday.", resources=resources)
    codes = {m.actor.code for m in document.entities if m.actor}
    assert "RUS" in codes
    assert any(m.place and m.place.country == "SYR" for m in document.entities)
    with pytest.raises(UsageError):
        analyze_text("   ", resources=resources)


def test_a_namesake_lies_in_the_place_named_as_its_container(resources) -> None:  # type: ignore[no-untyped-def]
    # A story about Hama names a village of Aleppo's countryside that shares a Hama town's
    # name: the place named after it decides, not the article's main province.
    text = (
        "Government jets struck Hama and the Hama countryside again on Sunday. Turkish "
        "artillery shelled Suran in the northern countryside of Aleppo on Monday."
    )
    places = [(m.text, m.place) for m in _analyze(resources, text).entities if m.place]
    suran = next(place for name, place in places if name == "Suran")
    assert suran.admin1 == "Aleppo"
    assert next(p for n, p in places if n == "Hama").admin1 == "Hama"
    # Without a container the article's main province still decides between namesakes.
    alone = [
        (m.text, m.place)
        for m in _analyze(resources, text.split(" in the ")[0] + ".").entities
        if m.place
    ]
    assert next(place for name, place in alone if name == "Suran").admin1 == "Hama"


@pytest.mark.parametrize(
    ("spelling", "lat", "lon"),
    [
        ("Darat Izza", 36.28, 36.86),  # GeoNames writes the feminine ending: Dārat ‘Izzah
        ("Sarmeen", 35.90, 36.72),  # GeoNames gives Sarmīn no population
    ],
)
def test_a_syrian_town_spelt_another_way_is_found(
    resources, spelling: str, lat: float, lon: float
) -> None:  # type: ignore[no-untyped-def]
    place, reason = resolve_place(spelling, resources.gazetteer, resources.lexicons, "SYR")
    assert place is not None, reason
    assert km_between(place.lat, place.lon, lat, lon) < 25


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Rebels shelled the village of Daret Izza on Monday.", "Daret Izza"),
        # With the comma lost the parser makes the name a modifier of the direction after it.
        (
            "Rebels shelled the Syrian town of al-Nabek north of the capital Damascus.",
            "al-Nabek",
        ),
    ],
)
def test_a_town_spelt_another_way_the_parser_calls_a_person_is_a_place_where_the_text_says_so(
    resources, text: str, name: str
) -> None:  # type: ignore[no-untyped-def]
    # The small English model calls such names persons in some sentences; here it is made to.
    document = api.analyze_text(text, resources=resources, stages=("parse", "entities"))
    start = text.index(name)
    person = EntityMention(start, start + len(name), name, "PERSON", EntityKind.PERSON, "ner")
    document.entities = [
        m for m in document.entities if m.end <= start or m.start >= person.end
    ] + [person]
    _places_named_as_persons(document, resources)
    kinds = {m.text: m.kind for m in document.entities}
    assert kinds[name] is EntityKind.LOCATION


def test_a_person_named_again_by_surname_office_or_pronoun_keeps_the_first_mentions_code(
    resources,
) -> None:  # type: ignore[no-untyped-def]
    # Illustrative text: news names a person in full once, then by surname, office or pronoun.
    document = _analyze(
        resources,
        "UN envoy Lena Varga called for calm in Aleppo on Monday. Varga said the shelling "
        "must stop. The envoy later met families of the dead, and she promised aid.",
    )
    codes = {m.text: m.actor.code if m.actor else None for m in document.entities}
    assert codes["Lena Varga"] == codes["Varga"] == codes["The envoy"] == codes["she"] == "UNO"
    varga = next(m for m in document.entities if m.text == "Varga")
    assert varga.actor is not None and varga.actor.how == "alias (refers back)"


def test_a_pronoun_is_the_last_persons_even_when_that_one_is_uncoded(
    resources,
) -> None:  # type: ignore[no-untyped-def]
    document = _analyze(
        resources,
        "UN envoy Lena Varga visited Aleppo on Monday. A resident said she had lost her home.",
    )
    she = next(m for m in document.entities if m.text == "she")
    assert she.actor is None


def test_a_person_described_by_the_body_they_serve_is_of_the_articles_country(
    resources,
) -> None:  # type: ignore[no-untyped-def]
    document = _analyze(
        resources,
        "Syrian state media said a boy was wounded in Homs. He was shot by a government "
        "sniper near a checkpoint in Homs, residents of the Syrian city said.",
    )
    sniper = next(m for m in document.entities if "sniper" in m.text)
    assert sniper.actor is not None and sniper.actor.code == "SYR"
    # A role noun alone says nothing of whose it is.
    assert not resources.actors.names_institution("a spokesman")
