"""Visible text of an HTML page with the standard library's event parser.

The fallback when trafilatura finds nothing: lxml refuses trees deeper than 256 levels,
while ``html.parser`` streams tags and has no depth limit.
"""

from __future__ import annotations

from html.parser import HTMLParser

_SKIPPED = {
    "script",
    "style",
    "head",
    "nav",
    "footer",
    "aside",
    "form",
    "noscript",
    "template",
    "svg",
    "button",
    "select",
    "header",
}
_BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "blockquote",
    "section",
    "article",
    "pre",
    "dd",
    "dt",
    "figcaption",
}


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.chunks.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.chunks.append(data)


def visible_text(html: str) -> str:
    """Paragraphs of visible body text, separated by blank lines."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.chunks).split("\n"))
    return "\n\n".join(line for line in lines if line)
