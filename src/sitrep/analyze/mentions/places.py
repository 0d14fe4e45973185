"""Resolving place mentions to coordinates, with a precision code or a reason for failure.

A mention is reduced to its name ("the eastern province of Deir el-Zour" -> province
"Deir el-Zour"; "near Taqbah" -> "Taqbah"; "northern Israel's air space" -> "northern
Israel"), then looked up: curated sites, then countries, then provinces (first when the
mention says "province"), then GeoNames towns; spelling variants fall back to a loose key.
Among several towns of one name, the one in the article's main country wins, then the most
populous.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace

from sitrep.analyze.mentions.gazetteer import Gazetteer, PlaceEntry, name_key
from sitrep.analyze.mentions.wordlists import Lexicons
from sitrep.model import PlacePrecision, PlaceRef

_LEADING = {
    "near",
    "in",
    "at",
    "from",
    "to",
    "towards",
    "toward",
    "over",
    "outside",
    "around",
    "across",
    "into",
    "inside",
    "on",
    "along",
    "of",
    "off",
    "by",
    "throughout",
    "within",
    "the",
    "a",
    "an",
    "this",
    "that",
    "its",
    "their",
    "his",
    "her",
    "our",
    "nearby",
}
# Country names that appear as possessives before a place ("Syria's Aleppo").
_COUNTRY_WORDS = {"syria", "iraq", "turkey", "lebanon", "jordan", "israel", "iran", "russia"}
_PROVINCE_WORDS = {"province", "governorate", "countryside", "region"}
_TRAILING_GENERIC = {
    "province",
    "governorate",
    "countryside",
    "region",
    "area",
    "city",
    "town",
    "village",
    "district",
    "suburbs",
    "outskirts",
    "airspace",
    "skies",
}
# A place named inside another ("X in Y province", "X west of Y"): the first is the place.
_NESTED = re.compile(
    r"\s+(?:in|near|outside|inside|on|at|of|for|from|by|(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of))\s+(?=[A-Z])"
)
_CAPITAL = re.compile(r"^(?:(?P<who>[A-Z][\w-]+?)(?:['’]?s)?\s+)?capital$")


@dataclass(frozen=True)
class Query:
    name: str  # the toponym
    direction: str | None  # north/south/east/west/central, if the mention narrows the place
    province: bool  # the mention says province/governorate


def parse_mention(text: str, lex: Lexicons, adjectives: Collection[str] = ()) -> Query | None:
    """The toponym inside a place mention, or None if it names no place ("the area")."""
    words = text.replace("’", "'").split()
    while words and words[0].lower() in _LEADING:
        words = words[1:]
    province = any(w.lower().strip(",.") in _PROVINCE_WORDS for w in words)
    if "of" in [w.lower() for w in words]:  # "the eastern province of X" -> X
        index = max(i for i, w in enumerate(words) if w.lower() == "of")
        head = [w.lower() for w in words[:index]]
        # "Aleppo province of northern Syria" names Aleppo; "the Syrian province of Hasaka" Hasaka.
        named_before = any(w[:1].isupper() and w.lower() not in adjectives for w in words[:index])
        if any(w in lex.place_descriptors or w in _PROVINCE_WORDS for w in head):
            if named_before:
                words = words[:index]
            else:
                words = words[index + 1 :]
                while words and words[0].lower() in _LEADING:
                    words = words[1:]
    if len(words) > 1 and words[0].endswith("s") and words[0][:-1].lower() in _COUNTRY_WORDS:
        words = words[1:]  # "Syrias Aleppo": a possessive whose apostrophe was lost
    direction = None
    if words and words[0].lower() in lex.directions:
        direction = lex.directions[words[0].lower()]
    joined = _NESTED.split(" ".join(words), maxsplit=1)[0]  # "Khan Sheikhun in Idlib province"
    parts = re.split(r"(['’]s?\b)", joined, maxsplit=1)
    if len(parts) == 3:
        owner, _, owned = parts
        # "Syria's Al-Shayrat air base" names the base; "northern Israel's air space" the owner.
        joined = owned.strip() if any(w[:1].isupper() for w in owned.split()) else owner
    words = joined.split()
    while words and words[-1].lower().strip(",.") in _TRAILING_GENERIC:
        words = words[:-1]
    name = " ".join(words).strip(' ,.;:"“”')
    if not name or (not any(c.isupper() for c in name) and name != "capital"):
        return None
    return Query(name, direction, province)


def _ref(entry: PlaceEntry, how: str, precision: PlacePrecision | None = None) -> PlaceRef:
    return PlaceRef(
        entry.name,
        entry.lat,
        entry.lon,
        precision or entry.precision,
        entry.country,
        entry.admin1,
        entry.geonameid,
        how,
        entry.population or None,  # GeoNames gives 0 for an unknown population
    )


def _best_town(
    entries: list[PlaceEntry], country: str | None, admin1: str | None, region: frozenset[str]
) -> tuple[PlaceEntry, str]:
    """The article's country, then its province, then the corpus region, then population."""

    def rank(e: PlaceEntry) -> tuple[bool, bool, bool, int]:
        return (
            country is not None and e.country == country,
            admin1 is not None and e.admin1 == admin1,
            e.country in region,
            e.population,
        )

    towns = sorted(entries, key=rank, reverse=True)
    how = "geonames"
    if len({e.country for e in towns}) > 1:
        how += (
            " (in the article's main country)"
            if towns[0].country == country
            else " (namesake in the corpus region)"
            if towns[0].country in region
            else " (most populous of the namesakes)"
        )
    return towns[0], how


def _capital(
    name: str, gazetteer: Gazetteer, actors_demonyms: dict[str, str], country: str | None
) -> PlaceRef | None:
    """ "the capital", "the Syrian capital": the capital city of that (or the main) country."""
    match = _CAPITAL.match(name)
    if not match:
        return None
    who = match["who"]
    code = (
        (actors_demonyms.get(who.casefold()) or _country_code(who, gazetteer)) if who else country
    )
    capital = gazetteer.capitals.get(code or "")
    return _ref(capital, "capital of the country") if capital else None


def _country_code(name: str, gazetteer: Gazetteer) -> str | None:
    entries = [e for e in gazetteer.candidates(name) if e.source == "country"]
    return entries[0].country if entries else None


def lookup(
    name: str, gazetteer: Gazetteer, country: str | None, province: bool, admin1: str | None = None
) -> PlaceRef | None:
    key = name_key(name)
    if province and key in gazetteer.provinces:
        return _ref(gazetteer.provinces[key][0], "province")
    exact = gazetteer.candidates(name)
    if country and exact and all(e.source == "geonames" and e.country != country for e in exact):
        # Only namesakes abroad ("Atareb" in Israel): a spelling variant at home is likelier.
        home = [e for e in gazetteer.candidates(name, loose=True) if e.country == country]
        if home:
            best = sorted(home, key=lambda e: (e.source == "curated", e.population), reverse=True)[
                0
            ]
            return _ref(best, "spelling variant in the article's main country")
    for loose in (False, True):
        entries = gazetteer.candidates(name, loose=loose)
        if not entries:
            continue
        suffix = " (spelling variant)" if loose else ""
        by_source = {
            s: [e for e in entries if e.source == s]
            for s in ("curated", "country", "province", "geonames")
        }
        if by_source["curated"]:
            ranked = sorted(
                by_source["curated"],
                key=lambda e: (
                    admin1 is not None and e.admin1 == admin1,
                    country is not None and e.country == country,
                ),
                reverse=True,
            )
            return _ref(ranked[0], "curated site" + suffix)
        if by_source["country"]:
            return _ref(by_source["country"][0], "country" + suffix)
        if by_source["geonames"]:
            town, how = _best_town(by_source["geonames"], country, admin1, gazetteer.region)
            return _ref(town, how + suffix)
        if by_source["province"]:
            return _ref(by_source["province"][0], "province" + suffix)
    return None


def resolve_place(
    text: str,
    gazetteer: Gazetteer,
    lex: Lexicons,
    country: str | None,
    admin1: str | None = None,
    demonyms: dict[str, str] | None = None,
) -> tuple[PlaceRef | None, str | None]:
    """(place, None) when resolved, else (None, reason). ``country`` and ``admin1`` (the
    article's main ones) decide between namesakes."""
    query = parse_mention(text, lex, demonyms or ())
    if query is None:
        return None, "no place name in the mention"
    capital = _capital(query.name, gazetteer, demonyms or {}, country)
    if capital is not None:
        return capital, None
    if demonyms and query.name.casefold() in demonyms:  # "Syrian skies", "Iraqi territory"
        country_entry = gazetteer.countries.get(demonyms[query.name.casefold()])
        if country_entry is None:
            return None, f"{query.name!r} is a nationality with no country in the gazetteer"
        return _ref(country_entry, "country of the nationality"), None
    if query.direction:  # "northern Syria" may be a curated region; else the place itself
        whole = lookup(query.name, gazetteer, country, query.province, admin1)
        if whole is not None and whole.how.startswith("curated"):
            return whole, None
        bare = " ".join(query.name.split()[1:])
        place = lookup(bare, gazetteer, country, query.province, admin1) if bare else None
        if place is not None:
            widened = (
                PlacePrecision.REGION
                if place.precision is PlacePrecision.COUNTRY
                else place.precision
            )
            return replace(
                place, precision=widened, how=f"{place.how}; {query.direction} part not located"
            ), None
    place = lookup(query.name, gazetteer, country, query.province, admin1)
    if place is None:
        place = _town_before_its_province(query.name, gazetteer, country)
    if place is None:
        return None, f"{query.name!r} is not in the gazetteer"
    return place, None


def _town_before_its_province(
    name: str, gazetteer: Gazetteer, country: str | None
) -> PlaceRef | None:
    """A town and its province run together when a comma was lost ("Jarabulus Aleppo
    province"): the town, when the words after it name a province it is in."""
    words = name.split()
    for cut in range(len(words) - 1, 0, -1):
        town, province = " ".join(words[:cut]), " ".join(words[cut:])
        provinces = gazetteer.provinces.get(name_key(province), [])
        admin1s = {p.admin1 for p in provinces}
        inside = [
            e
            for e in gazetteer.candidates(town)
            if e.source in ("geonames", "curated") and e.admin1 in admin1s
        ]
        if inside:
            best, how = _best_town(inside, country, None, gazetteer.region)
            return _ref(best, f"{how}; named before its province")
    return None
