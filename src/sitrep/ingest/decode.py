"""Bytes -> text, refusing binary files and reporting how the text was decoded."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from sitrep.errors import InputError
from sitrep.model import SkipReason

# File signatures of formats that are never text (PNG, JPEG, GIF, PDF, ELF, ZIP, gzip,
# bzip2, xz, 7z, Windows PE, Mach-O, SQLite, DuckDB, WebP/RIFF, Ogg, MP4/ISO-BMFF).
_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"%PDF",
    b"\x7fELF",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"BZh",
    b"\xfd7zXZ",
    b"7z\xbc\xaf",
    b"MZ",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"SQLite format 3",
    b"RIFF",
    b"OggS",
)
_SNIFF_BYTES = 8192
# Share of undecodable bytes up to which a UTF-8 file is taken as UTF-8 with a few bad
# bytes (replaced) rather than as another encoding: a stray byte or two in a long article.
_MAX_BAD_UTF8_SHARE = 0.001
# Byte order marks, longest first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Without a mark, UTF-16 text in a Latin script has a NUL in every other byte and UTF-32 in
# three of four; a binary file has NULs everywhere or in no pattern. These shares of NUL bytes
# per position (of the first 8 KB) tell them apart.
_WIDE_ZERO, _NARROW_ZERO = 0.4, 0.05
# Up to this share of NUL bytes a file is text with stray NULs (removed when the article is
# made); above it, and in no UTF-16/32 pattern, it is binary.
_MAX_NUL_SHARE = 0.01
# A decoded text in which more than this share of the characters are control characters
# (other than tab, newlines and form feed) is binary data that happened to decode.
_MAX_CONTROL_SHARE = 0.05
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


class DecodeError(InputError):
    def __init__(self, reason: SkipReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def sniff_encoding(head: bytes) -> tuple[str | None, int]:
    """The Unicode encoding the first bytes show (by a byte order mark, or the NUL pattern of
    UTF-16/32), and the length of the mark; ``(None, 0)`` when they show none."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding, len(bom)
    return _wide_pattern(head[:_SNIFF_BYTES]), 0


def _wide_pattern(sample: bytes) -> str | None:
    size = len(sample) - len(sample) % 4
    if size < 8:
        return None
    zeros = [sample[i:size:4].count(0) / (size // 4) for i in range(4)]
    if min(zeros[1:]) > 1 - _NARROW_ZERO and zeros[0] < _NARROW_ZERO:
        return "utf-32-le"
    if min(zeros[:3]) > 1 - _NARROW_ZERO and zeros[3] < _NARROW_ZERO:
        return "utf-32-be"
    even, odd = (zeros[0] + zeros[2]) / 2, (zeros[1] + zeros[3]) / 2
    if odd > _WIDE_ZERO and even < _NARROW_ZERO:
        return "utf-16-le"
    if even > _WIDE_ZERO and odd < _NARROW_ZERO:
        return "utf-16-be"
    return None


def check_not_binary(head: bytes) -> None:
    """Raise DecodeError if the first bytes of a file show it is not text."""
    if not head.strip():
        raise DecodeError(SkipReason.EMPTY, "The file is empty.")
    if head.startswith(_MAGIC) or head[4:8] in (b"ftyp", b"DUCK"):
        raise DecodeError(SkipReason.BINARY, "The file is a binary format, not text.")
    sample = head[:_SNIFF_BYTES]
    if sniff_encoding(sample)[0] is None and sample.count(0) > max(1, len(sample) * _MAX_NUL_SHARE):
        raise DecodeError(SkipReason.BINARY, "The file holds NUL bytes, so it is not text.")


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode ``data``; returns the text and the encoding used (with a note if bytes were lost)."""
    check_not_binary(data[:_SNIFF_BYTES])
    encoding, mark = sniff_encoding(data)
    data = data[mark:]
    if encoding and encoding != "utf-8":
        text, used = _decode_as(data, encoding)
    else:
        text, used = _decode_unknown(data)
    if len(_CONTROLS.findall(text, 0, 1 << 20)) > _MAX_CONTROL_SHARE * min(len(text), 1 << 20):
        raise DecodeError(
            SkipReason.BINARY, "The file is mostly control characters, so it is not text."
        )
    if nuls := text.count("\x00"):  # stray NULs in good text: dropped before pages are read
        text = text.replace("\x00", "")
        used = f"{used} ({nuls} NUL characters removed)"
    return text, used


def _decode_as(data: bytes, encoding: str) -> tuple[str, str]:
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
        return text, f"{encoding} (invalid bytes replaced)"


def _decode_unknown(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    repaired = data.decode("utf-8", errors="replace")
    bad = repaired.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    if bad <= max(1, int(len(data) * _MAX_BAD_UTF8_SHARE)):
        return repaired, f"utf-8 ({bad} invalid bytes replaced)"
    best = from_bytes(data[: 1 << 20]).best()
    if best is None or best.encoding is None:
        raise DecodeError(SkipReason.UNDECODABLE, "The text is in no encoding sitrep recognises.")
    try:
        return data.decode(best.encoding), best.encoding
    except (UnicodeDecodeError, LookupError) as exc:
        raise DecodeError(
            SkipReason.UNDECODABLE, f"The text cannot be decoded as {best.encoding}."
        ) from exc
