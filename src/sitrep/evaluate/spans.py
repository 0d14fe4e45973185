"""Finding gold strings in article text, and span arithmetic shared by the scorers."""

from __future__ import annotations

import math
import re


def find_all(text: str, needle: str) -> list[tuple[int, int]]:
    """Every occurrence of ``needle`` in ``text``, any whitespace run matching any other."""
    words = needle.split()
    if not words:
        return []
    pattern = r"\s+".join(re.escape(w) for w in words)
    return [m.span() for m in re.finditer(pattern, text)]


def locate(
    text: str, needle: str | None, near: tuple[int, int] | None = None
) -> tuple[int, int] | None:
    """The occurrence of ``needle`` inside ``near`` if any, else the one closest to it."""
    if not needle:
        return None
    spans = find_all(text, needle)
    if not spans:
        return None
    if near is None:
        return spans[0]
    inside = [s for s in spans if near[0] <= s[0] and s[1] <= near[1]]
    if inside:
        return inside[0]
    return min(spans, key=lambda s: min(abs(s[0] - near[0]), abs(s[0] - near[1])))


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, Earth radius 6,371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))
