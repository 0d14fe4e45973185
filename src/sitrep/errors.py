"""One exception tree. Every message is one sentence a user can act on."""

from __future__ import annotations


class SitrepError(Exception):
    """Base of every error sitrep raises on purpose."""


class UsageError(SitrepError):
    """The request itself is wrong (bad option, missing file): exit code 2 on the CLI."""


class LedgerError(SitrepError):
    """The ledger file cannot be opened, migrated or written."""


class LedgerInUseError(LedgerError):
    """Another process has the ledger open for writing: exit code 75 on the CLI (try again)."""


class InputError(SitrepError):
    """One input cannot be read; ingest turns this into a logged skip, never a crash."""


class DataError(SitrepError):
    """A bundled or reference data file is missing or malformed."""
