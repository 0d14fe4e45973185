"""The installed package version (one source of truth: pyproject.toml)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sitrep")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
