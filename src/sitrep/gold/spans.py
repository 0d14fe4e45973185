"""Finding gold strings in article text, and span arithmetic shared by the scorers."""

from __future__ import annotations

import re

from sitrep.geo import km_between

__all__ = ["find_all", "km_between", "locate", "overlaps"]


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
