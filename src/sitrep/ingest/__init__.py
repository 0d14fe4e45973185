"""Ingest: every supported input -> Articles, or Skips that say why not."""

from sitrep.ingest.fetch import FetchOptions, fetch_urls, read_url_list
from sitrep.ingest.files import IngestOptions, InputFile, discover, read_file

__all__ = [
    "FetchOptions",
    "IngestOptions",
    "InputFile",
    "discover",
    "fetch_urls",
    "read_file",
    "read_url_list",
]
