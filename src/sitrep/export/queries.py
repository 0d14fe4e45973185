"""The ledger queries behind the row-based exports and terminal tables, in ingestion order.

Text a record shows but the table does not store (an event's evidence sentence, a claim's
content and quoted parts) is sliced from the article text here; DuckDB's ``substr`` counts
code points, as Python's offsets do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sitrep.export.records import claim_record, entity_record, mention_record, signal_record

ENTITIES_QUERY = """
SELECT e.* FROM entities e JOIN articles a ON a.id = e.article_id
ORDER BY a.seq, e.idx
"""

MENTIONS_QUERY = """
SELECT m.*, substr(a.text, m.start_char + 1, m.end_char - m.start_char) AS evidence_text,
       a.outlet, a.title
FROM mentions m JOIN articles a ON a.id = m.article_id
ORDER BY a.seq, m.idx
"""

CLAIMS_QUERY = """
SELECT c.*, substr(a.text, c.start_char + 1, c.end_char - c.start_char) AS content_text,
       list_transform(json_transform(c.parts, '[["INTEGER"]]'),
                      lambda p: substr(a.text, p[1] + 1, p[2] - p[1])) AS part_texts,
       a.outlet, a.title
FROM claims c JOIN articles a ON a.id = c.article_id
ORDER BY a.seq, c.idx
"""

SIGNALS_QUERY = """
SELECT s.*, a.outlet, a.title
FROM signals s JOIN articles a ON a.id = s.article_id
ORDER BY a.seq, s.idx
"""

# Export kind -> the query giving its rows and the record of one row.
ROW_EXPORTS: dict[str, tuple[str, Callable[[dict[str, Any]], dict[str, Any]]]] = {
    "entities": (ENTITIES_QUERY, entity_record),
    "mentions": (MENTIONS_QUERY, mention_record),
    "claims": (CLAIMS_QUERY, claim_record),
    "signals": (SIGNALS_QUERY, signal_record),
}
