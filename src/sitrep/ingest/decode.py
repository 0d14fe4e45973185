"""Bytes -> text, refusing binary files and reporting how the text was decoded."""

from __future__ import annotations

import codecs

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


class DecodeError(InputError):
    def __init__(self, reason: SkipReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def check_not_binary(head: bytes) -> None:
    """Raise DecodeError if the first bytes of a file show it is not text."""
    if not head.strip():
        raise DecodeError(SkipReason.EMPTY, "The file is empty.")
    if head.startswith(_MAGIC) or head[4:8] in (b"ftyp", b"DUCK"):
        raise DecodeError(SkipReason.BINARY, "The file is a binary format, not text.")
    sample = head[:_SNIFF_BYTES]
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DecodeError(SkipReason.BINARY, "The file holds NUL bytes, so it is not text.")


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode ``data``; returns the text and the encoding used (with a note if bytes were lost)."""
    check_not_binary(data[:_SNIFF_BYTES])
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
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
