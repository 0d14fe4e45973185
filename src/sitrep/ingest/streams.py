"""Reading container files (JSONL, CSV) as text, line by line, never holding more than a limit.

A line is read with a bound: one longer than the limit is passed over in small pieces and
reported, so a 200 MB line (or a link to an endless file) costs no more memory than the
limit. The encoding is taken from the byte order mark or the NUL pattern of UTF-16/32, else
UTF-8; bytes that are not valid in it are kept as surrogates for the reader to report.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from typing import BinaryIO, cast

from charset_normalizer import from_bytes

from sitrep.ingest.decode import sniff_encoding

_SKIP_PIECE = 1 << 16
_SNIFF = 4096
_BAD_BYTES = re.compile("[\udc80-\udcff]")


def text_stream(
    binary: BinaryIO, newline: str | None = "\n", *, guess: bool = False
) -> io.TextIOWrapper:
    """``binary`` as text in the encoding its first bytes show (UTF-8 by default, or with
    ``guess`` the legacy encoding of a first 8 KB that is plainly not UTF-8); a byte order
    mark is consumed, undecodable bytes become surrogates (see ``has_bad_bytes``)."""
    buffered = binary if isinstance(binary, io.BufferedReader) else _buffered(binary)
    head = buffered.peek(_SNIFF)
    encoding, mark = sniff_encoding(head)
    buffered.read(mark)
    if encoding is None:
        encoding = _guess_narrow(head[:_SNIFF]) if guess else "utf-8"
    # Bad UTF-8 bytes are kept as surrogates for the reader to report (they are all >= 0x80,
    # which is all surrogateescape can keep); other encodings replace what they cannot decode
    # (a UTF-16 text cut inside a character ends in a byte that may be below 0x80).
    errors = "surrogateescape" if codecs.lookup(encoding).name == "utf-8" else "replace"
    return io.TextIOWrapper(buffered, encoding=encoding, errors=errors, newline=newline)


def _buffered(binary: BinaryIO) -> io.BufferedReader:
    return io.BufferedReader(cast(io.RawIOBase, binary))


def _guess_narrow(sample: bytes) -> str:
    """UTF-8 unless more than a stray byte or two of the sample are not UTF-8; then the
    encoding charset-normalizer finds for it (a cp1252 export from a spreadsheet)."""
    text = codecs.getincrementaldecoder("utf-8")(errors="replace").decode(sample, final=False)
    bad = text.count("\ufffd") - sample.decode("utf-8", errors="ignore").count("\ufffd")
    if bad > max(1, len(sample) // 1000):
        best = from_bytes(sample).best()
        if best is not None and best.encoding:
            return str(best.encoding)
    return "utf-8"


def has_bad_bytes(text: str) -> bool:
    """Whether ``text`` holds bytes that were not valid in the file's encoding."""
    return _BAD_BYTES.search(text) is not None


class BoundedLines:
    """Lines of a text stream, each at most ``limit`` characters; a longer line is read past
    in pieces and given as None. ``number`` is the line number of the last line given."""

    def __init__(self, stream: io.TextIOBase, limit: int) -> None:
        self.stream, self.limit = stream, limit
        self.number = 0

    def __iter__(self) -> Iterator[str | None]:
        return self

    def __next__(self) -> str | None:
        line = self.stream.readline(self.limit + 1)
        if not line:
            raise StopIteration
        self.number += 1
        if len(line) <= self.limit or line.endswith(("\n", "\r")):
            return line
        while piece := self.stream.readline(_SKIP_PIECE):
            if piece.endswith(("\n", "\r")):
                break
        return None
