"""Actor codes for mentions, from the actor dictionary (resources/actors.yaml) and sector nouns.

A mention's code comes from the most specific name inside it (an institution, group or
person alias beats a country name or demonym; longer beats shorter); names inside a
patronage modifier ("US-backed", "Iran-funded") describe someone else and are passed over;
a "-led" modifier names the force's own side when nothing else in the mention does.
The sector comes from the actor entry, or, for a country named beside a noun ("Russian
warplanes", "Syria's air base"), from that noun.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sitrep.model import ActorRef
from sitrep.resources import load_lexicon

_TOKEN = re.compile(r"[\w'’.]+|[^\w\s]", re.UNICODE)
_PATRONAGE = re.compile(
    r"-(?:backed|led|supported|allied|funded|sponsored|trained|armed|aligned)$", re.I
)
# A force "led" by someone is that someone's force, as PLOVER codes "Vietnamese-led forces"
# (and the dictionary codes "the US-led coalition"); a "-backed" force is someone else's.
_LEADER = re.compile(r"-led$", re.I)
_DETERMINERS = {
    "the",
    "a",
    "an",
    "its",
    "their",
    "his",
    "her",
    "our",
    "this",
    "that",
    "these",
    "those",
}
MAX_ALIAS_TOKENS = 12


def normalise(text: str) -> str:
    """Lower-case, straight apostrophes, single spaces, no possessive 's at the end of words."""
    text = text.replace("’", "'").replace("`", "'").casefold()
    text = re.sub(r"(?<=\w)'s\b", "", text)
    text = re.sub(r"[\"“”«»()\[\]]", " ", text)
    return " ".join(text.split())


_EDGE_PUNCT = re.compile(r"^[^\w]+|(?<=\w)[,;:!?)\]}'\"]+$")


def _clean_token(token: str) -> str:
    token = _EDGE_PUNCT.sub("", token)
    return token.rstrip(".") if len(token) > 3 and token.count(".") <= 1 else token


def _tokens(text: str) -> list[str]:
    """Lower-cased words; punctuation at their edges removed ("Russia," -> "russia")."""
    return [t for t in (_clean_token(w) for w in normalise(text).split()) if t]


def _original_tokens(text: str) -> list[str]:
    """The same words with their case, to check case-sensitive aliases."""
    plain = re.sub(r"(?<=\w)['’]s\b", "", text.replace("“", " ").replace("”", " "))
    return [t for t in (_clean_token(w) for w in plain.split()) if t]


def _possessive_stem(key: tuple[str, ...], written: str) -> tuple[str, ...] | None:
    """The alias a name with its possessive's apostrophe lost would be ("Russias military",
    "the UNs envoy", "MSFs head": feeds often strip punctuation): a capitalised last word
    ending in "s" whose stem has four letters or more, or is an acronym in capitals."""
    last = key[-1]
    if not (written[:1].isupper() and last.endswith("s") and written.endswith("s")):
        return None
    stem = last[:-1]
    if len(stem) >= 4 or (len(stem) >= 2 and written[:-1].isupper()):
        return (*key[:-1], stem)
    return None


def _case_sensitive(alias: str) -> bool:
    """Short all-capital aliases ("IS", "US", "UN") are words too ("is", "us", "un-"): match them
    only in capitals."""
    letters = alias.replace(".", "")
    return letters.isupper() and len(letters) <= 4 and " " not in alias


@dataclass(frozen=True)
class ActorEntry:
    id: str
    name: str
    code: str
    sector: str | None
    # institution, armed_group, igo, ngo, media, person, alliance, country, demonym, metonym
    type: str
    role: str | None = None


@dataclass(frozen=True)
class Match:
    entry: ActorEntry
    start: int  # token index in the mention
    end: int
    how: str


class ActorIndex:
    """Aliases of actors, countries, demonyms and metonyms, and the nouns that give sectors."""

    def __init__(self, data: dict[str, Any], sectors: dict[str, list[str]]) -> None:
        self.entries: dict[str, ActorEntry] = {}
        self.aliases: dict[tuple[str, ...], ActorEntry] = {}
        self.exact_case: dict[tuple[str, ...], str] = {}  # aliases that must match in capitals
        self.country_defaults: dict[str, str] = {}
        self.demonyms: dict[str, str] = {}  # "syrian" -> "SYR"
        for country in data.get("countries") or []:
            code = country["code"]
            for demonym in country.get("demonyms") or []:
                self.demonyms[demonym.casefold()] = code
            default = country.get("default_sector") or "GOV"
            self.country_defaults[code] = default
            groups = (
                ("names", "country", None),
                ("demonyms", "demonym", None),
                ("capital_metonyms", "metonym", "GOV"),
            )
            for field, kind, sector in groups:
                for name in country.get(field) or []:
                    entry = ActorEntry(f"{code}:{kind}", name, code, sector, kind)
                    self._add(name, entry)
        for actor in data.get("actors") or []:
            entry = ActorEntry(
                actor["id"],
                actor["name"],
                actor["code"],
                actor.get("sector"),
                actor.get("type") or "institution",
                actor.get("role"),
            )
            self.entries[entry.id] = entry
            for alias in [actor["name"], *(actor.get("aliases") or [])]:
                self._add(alias, entry, override=True)
        self.sector_nouns: dict[tuple[str, ...], str] = {}
        for sector, nouns in sectors.items():
            for noun in nouns or []:
                self.sector_nouns.setdefault(tuple(_tokens(noun)), sector)

    def _add(self, alias: str, entry: ActorEntry, override: bool = False) -> None:
        key = tuple(_tokens(alias))
        if key and (override or key not in self.aliases):
            self.aliases[key] = entry
            if _case_sensitive(alias):
                self.exact_case[key] = _clean_token(alias)
            else:
                self.exact_case.pop(key, None)

    @cached_property
    def max_tokens(self) -> int:
        return max((len(k) for k in self.aliases), default=1)

    # ------------------------------------------------------------------ matching
    def matches(self, text: str) -> list[Match]:
        """Non-overlapping alias matches in ``text``, longest first, patrons excluded."""
        tokens = _tokens(text)
        original = _original_tokens(text)
        if len(original) != len(tokens):
            original = tokens
        found: list[Match] = []
        led: list[Match] = []  # "Vietnamese-led forces": the leader, if nobody else is named
        taken = [False] * len(tokens)
        for size in range(min(self.max_tokens, len(tokens)), 0, -1):
            for i in range(len(tokens) - size + 1):
                if any(taken[i : i + size]):
                    continue
                key = tuple(tokens[i : i + size])
                entry = self.aliases.get(key)
                patron = False
                if entry is None and _PATRONAGE.search(key[-1]):
                    stem = (*key[:-1], _PATRONAGE.sub("", key[-1]))
                    entry, patron = self.aliases.get(stem), True
                written = original[i]
                owner = _possessive_stem(key, original[i + size - 1]) if entry is None else None
                if owner is not None:
                    entry = self.aliases.get(owner)
                    key, written = owner, written[:-1] if size == 1 else written
                if entry is None:
                    continue
                needed = self.exact_case.get(key)
                if needed is not None and _PATRONAGE.sub("", written) != needed:
                    continue
                for k in range(i, i + size):
                    taken[k] = True
                if not patron:
                    found.append(Match(entry, i, i + size, "alias"))
                elif _LEADER.search(key[-1]):
                    led.append(Match(entry, i, i + size, "leader"))
        for i, token in enumerate(tokens):  # "U.S.-Russian": two countries in one word
            if taken[i] or "-" not in token or _PATRONAGE.search(token):
                continue
            for part, written in zip(token.split("-"), original[i].split("-"), strict=False):
                entry = self.aliases.get((part,))
                needed = self.exact_case.get((part,))
                if entry is None or entry.type not in ("country", "demonym"):
                    continue
                if needed is None or written == needed:
                    found.append(Match(entry, i, i + 1, "alias"))
        return sorted(found or led, key=lambda m: m.start)

    def sector_of(self, text: str) -> str | None:
        """The sector a noun in ``text`` implies; the last (head) noun wins."""
        tokens = [t for t in _tokens(text) if t not in _DETERMINERS]
        best: tuple[int, str] | None = None
        for size in range(min(4, len(tokens)), 0, -1):
            for i in range(len(tokens) - size + 1):
                sector = self.sector_nouns.get(tuple(tokens[i : i + size]))
                if sector and (best is None or i + size > best[0]):
                    best = (i + size, sector)
        return best[1] if best else None

    def names_institution(self, text: str) -> bool:
        """Whether a person is described by the body they serve ("a government sniper", "an
        army officer", "a rebel commander"): a sector noun before the description's head."""
        tokens = [t for t in _tokens(text) if t not in _DETERMINERS]
        return any((t,) in self.sector_nouns for t in tokens[:-1])

    # ------------------------------------------------------------------ resolution
    def _ref(self, match: Match, text: str) -> ActorRef:
        entry = match.entry
        if entry.type in ("country", "demonym", "metonym"):
            noun_sector = self.sector_of(text)
            sector = noun_sector or entry.sector or self.country_defaults.get(entry.code)
            how = {"country": "country name", "demonym": "demonym", "metonym": "capital as actor"}[
                entry.type
            ]
            return ActorRef(
                entry.code,
                sector,
                entry.name,
                None,
                how + (" + sector noun" if noun_sector else ""),
            )
        return ActorRef(entry.code, entry.sector, entry.name, entry.id, "alias")

    @staticmethod
    def _rank(match: Match) -> tuple[int, int, int]:
        """Specific names beat country words, longer beats shorter, and then the earlier one
        wins: an English noun phrase names its head first ("the coalition of the Syrian army")."""
        specific = 0 if match.entry.type in ("country", "demonym", "metonym") else 1
        return (specific, match.end - match.start, -match.start)

    def resolve(self, text: str, context_code: str | None = None) -> ActorRef | None:
        """The actor a mention names, or None. ``context_code`` fills in a bare sector noun."""
        found = self.matches(text)
        if found:
            return self._ref(max(found, key=self._rank), text)
        sector = self.sector_of(text)
        if sector and context_code:
            return ActorRef(
                context_code, sector, None, None, "sector noun + the article's main country"
            )
        return None

    def resolve_all(self, text: str, context_code: str | None = None) -> list[ActorRef]:
        """Every distinct actor in a coordinated mention ("Russia, Iran and Turkey")."""
        found = self.matches(text)
        refs: list[ActorRef] = []
        for match in found:
            nested = any(
                o is not match and o.start <= match.start and match.end <= o.end for o in found
            )
            ref = self._ref(match, text)
            if not nested and ref.code not in [r.code for r in refs]:
                refs.append(ref)
        if not refs:
            single = self.resolve(text, context_code)
            return [single] if single else []
        return refs


def actor_data() -> dict[str, Any]:
    """The actor dictionary with the world's other countries after its own (which win)."""
    data = dict(load_lexicon("mentions", "actors.yaml"))
    world = load_lexicon("mentions", "countries_world.yaml").get("countries") or []
    data["countries"] = [*(data.get("countries") or []), *world]
    return data
