"""Text from inputs shown to a reader as data, never as instructions to a terminal, a
spreadsheet or a browser.

- Terminals: control characters (an ESC starting a sequence that clears the screen or sets a
  window title, a carriage return that overwrites a line, C1 controls) and the bidirectional
  formatting characters that reorder what is shown (U+202E RIGHT-TO-LEFT OVERRIDE and kin,
  the "Trojan Source" characters) are written as visible escapes: ``\\x1b``, ``\\u202e``.
- Spreadsheets: a CSV cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return is read as a formula by Excel, LibreOffice and Google Sheets; such a cell gets a
  leading apostrophe, as OWASP advises ("CSV Injection"), and is shown as the text it is.
- Browsers: JSON and GeoJSON write ``<``, ``>``, ``&`` and the line separators U+2028/U+2029
  as ``\\u`` escapes, so a file pasted into a page or a map popup cannot open a tag; parsed,
  the strings are unchanged.
"""

from __future__ import annotations

import json
import re
from typing import Any

# C0 controls but tab and newline, DEL, C1 controls, the bidi embeddings, overrides and
# isolates, the directional marks, and the line and paragraph separators.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_HTML_IN_JSON = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(value: object, *, newlines: bool = False) -> str:
    """``value`` as text safe to print on a terminal: tabs become spaces, newlines too unless
    ``newlines``, and every other control or bidi formatting character a visible escape."""
    text = "" if value is None else str(value)
    text = text.replace("\t", " ")
    if not newlines:
        text = text.replace("\r\n", " ").replace("\n", " ")
    return _UNSAFE.sub(_escape, text)


def spreadsheet_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet reads as a formula (text only; numbers pass)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def json_text(value: Any) -> str:
    """``json.dumps`` (UTF-8 kept) with the characters that could end a script or open a tag
    in HTML escaped; ``json.loads`` gives back the same value."""
    text = json.dumps(value, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: _HTML_IN_JSON.get(m[0]) or f"\\u{ord(m[0]):04x}", text)
