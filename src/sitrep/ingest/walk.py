"""Finding the input files under the paths a user gives, and opening them safely.

Folders are read recursively in name order. Links to folders are followed, each real folder
once: a link back into a folder being read (a loop) or to a folder read already is logged,
not followed. Pipes, devices and sockets are logged and never opened (reading a pipe waits
for a writer forever, ``/dev/zero`` never ends). Names that are not valid UTF-8 are stored in
a safe spelling with the bad bytes written as ``\\xNN``.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sitrep.errors import UsageError
from sitrep.model import Origin, Skip, SkipReason

_KINDS = {
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


@dataclass(frozen=True)
class InputFile:
    path: Path
    source: str  # the path as the user named it (stored with every article), safely spelt
    size: int
    mtime_ns: int


class NotRegularFileError(OSError):
    """The path is a pipe, device or socket: it is never read."""


def display_path(path: str | os.PathLike[str]) -> str:
    """The path as text that can be stored and shown: bytes of a name that are not UTF-8
    (which Python keeps as surrogates) are written as ``\\xNN``."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogateescape")
        return raw.decode("utf-8", "backslashreplace")
    return text


def special_kind(mode: int) -> str | None:
    """What a non-regular file is ("a named pipe"), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def open_regular(path: Path) -> BinaryIO:
    """Open ``path`` for reading only if it is a regular file (checked on the open file, so a
    file swapped for a pipe after it was listed is still refused without blocking)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    try:
        kind = special_kind(os.fstat(fd).st_mode)
        if kind is not None:
            raise NotRegularFileError(f"{display_path(path)} is {kind}, not a regular file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def discover(paths: Iterable[str | Path]) -> Iterator[InputFile | Skip]:
    """Every file under ``paths`` (folders recursively, in name order), or a Skip saying why
    a file or folder is not read."""
    for given in paths:
        path = Path(given)
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"The input {display_path(given)} does not exist.")
        if path.is_dir():
            found = sorted(_walk(path), key=lambda item: item[0])
            yield from (outcome for _, outcome in found)
        else:
            yield input_file(path)


def _walk(root: Path) -> Iterator[tuple[tuple[str, ...], InputFile | Skip]]:
    """(relative parts, outcome) for every entry below ``root``, each real folder once: real
    folders are entered before links, so a folder reached both ways keeps its real name."""
    seen: dict[tuple[int, int], Path] = {}
    pending: list[tuple[Path, tuple[str, ...], tuple[tuple[int, int], ...]]] = [(root, (), ())]
    while pending:
        folder, parts, ancestors = pending.pop()
        try:
            info = folder.stat()
            key = (info.st_dev, info.st_ino)
            if key in ancestors or key in seen:
                yield parts, _revisit(folder, seen.get(key, folder), key in ancestors)
                continue
            seen[key] = folder
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            yield parts, _unreadable(folder, exc, "folder")
            continue
        folders = []
        for entry in entries:
            child, child_parts = Path(entry.path), (*parts, entry.name)
            if _is_dir(entry):
                folders.append((entry.is_symlink(), child, child_parts))
            else:
                yield child_parts, input_file(child)
        for _, child, child_parts in sorted(folders, key=lambda f: (f[0], f[2]), reverse=True):
            pending.append((child, child_parts, (*ancestors, key)))


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=True)
    except OSError:
        return False


def _revisit(folder: Path, first: Path, loop: bool) -> Skip:
    where = display_path(first)
    if loop:
        message = f"The folder link leads back to {where}, above it, so it is not followed."
        return Skip(Origin(display_path(folder)), SkipReason.LINK_LOOP, message)
    message = f"The folder is {where}, read already under that name."
    return Skip(Origin(display_path(folder)), SkipReason.DUPLICATE, message)


def _unreadable(path: Path, exc: OSError, what: str = "file") -> Skip:
    reason = exc.strerror or type(exc).__name__
    return Skip(
        Origin(display_path(path)), SkipReason.UNREADABLE, f"The {what} cannot be read ({reason})."
    )


def input_file(path: Path) -> InputFile | Skip:
    """The file at ``path`` with its size and time, or a Skip if it cannot or must not be read."""
    try:
        info = path.stat()
    except OSError as exc:
        return _unreadable(path, exc)
    kind = special_kind(info.st_mode)
    if kind is not None:
        return Skip(
            Origin(display_path(path)),
            SkipReason.SPECIAL_FILE,
            f"The path is {kind}, not a regular file, so it is not read.",
        )
    return InputFile(path, display_path(path), info.st_size, info.st_mtime_ns)
