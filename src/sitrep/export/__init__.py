"""Exports: ledger rows -> the stable JSONL/CSV/Parquet records of DESIGN §4."""

from sitrep.export.records import (
    claim_record,
    consolidated_record,
    entity_record,
    mention_record,
    reuse_record,
    signal_record,
)
from sitrep.export.writers import FORMATS, write_records
from sitrep.model import article_from_record, article_record

__all__ = [
    "FORMATS",
    "article_from_record",
    "article_record",
    "claim_record",
    "consolidated_record",
    "entity_record",
    "mention_record",
    "reuse_record",
    "signal_record",
    "write_records",
]
