"""Outlet names from domains and name variants, via the bundled outlet list."""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

from sitrep.resources import load_yaml


@cache
def _index() -> tuple[dict[str, str], dict[str, str]]:
    by_domain: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for outlet in load_yaml("outlets.yaml"):
        name = outlet["name"]
        for domain in outlet.get("domains") or []:
            by_domain[domain.lower()] = name
        for variant in [name, *(outlet.get("aliases") or [])]:
            by_name[variant.casefold()] = name
    return by_domain, by_name


def outlet_for_domain(domain_or_url: str) -> str | None:
    """The outlet behind a domain or URL ("www.theduran.com/x" -> "The Duran")."""
    text = domain_or_url.strip().lower()
    host = urlsplit(text if "//" in text else f"//{text}").hostname or ""
    by_domain, _ = _index()
    parts = host.split(".")
    for i in range(len(parts) - 1):  # sub.example.com -> example.com
        name = by_domain.get(".".join(parts[i:]))
        if name:
            return name
    return None


def outlet_for_name(text: str) -> str | None:
    """The canonical outlet for a name variant ("ICH" -> "Information Clearing House")."""
    _, by_name = _index()
    return by_name.get(" ".join(text.split()).casefold())
