"""The ledger queries behind the row-based exports and terminal tables, in ingestion order.

Text a record shows but the table does not store (an event's evidence sentence, a claim's
content and quoted parts) is sliced from the article text here; DuckDB's ``substr`` counts
code points, as Python's offsets do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sitrep.export.records import (
    claim_record,
    consolidated_record,
    entity_record,
    mention_record,
    reuse_record,
    signal_record,
)
from sitrep.ledger.rows import revision_record

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


CONSOLIDATED_QUERY = """
SELECT e.*,
  (SELECT list({'article_id': m.article_id, 'mention_index': m.mention_idx,
                'outlet': a.outlet, 'title': a.title, 'published': a.published,
                'modality': mm.modality, 'headline': mm.headline,
                'evidence': substr(a.text, mm.start_char + 1, mm.end_char - mm.start_char)}
               ORDER BY a.seq, m.mention_idx)
   FROM event_members m
   JOIN articles a ON a.id = m.article_id
   JOIN mentions mm ON mm.article_id = m.article_id AND mm.idx = m.mention_idx
   WHERE m.event_id = e.id) AS account_rows,
  (SELECT list({'field': d.field, 'kind': d.kind, 'value': d.value,
                'article_id': d.article_id, 'outlet': a.outlet, 'source': d.source,
                'source_code': d.source_code, 'via': d.via, 'mention_index': d.mention_idx,
                'claim_index': d.claim_idx, 'start': d.start_char, 'end': d.end_char,
                'evidence': substr(a.text, d.start_char + 1, d.end_char - d.start_char)}
               ORDER BY d.field, d.value, a.seq, d.start_char, d.source, d.end_char,
                        d.mention_idx, d.claim_idx)
   FROM disagreements d JOIN articles a ON a.id = d.article_id
   WHERE d.event_id = e.id) AS disagreement_rows,
  (SELECT list({'article_id': c.article_id, 'claim_index': c.claim_idx}
               ORDER BY c.article_id, c.claim_idx)
   FROM event_claims c WHERE c.event_id = e.id) AS claim_rows,
  (SELECT list(members ORDER BY members)
   FROM (SELECT list(cc.article_id || '-c' || cc.claim_idx
                     ORDER BY cc.article_id, cc.claim_idx) AS members
         FROM claim_clusters cc WHERE cc.event_id = e.id GROUP BY cc.cluster_id)
  ) AS statement_rows
FROM consolidated_events e
ORDER BY e.n_articles DESC, e.date NULLS LAST, e.id
"""

REUSE_QUERY = """
SELECT 'passage' AS link, r.a_article_id, r.a_start, r.a_end, r.b_article_id, r.b_start,
       r.b_end, r.words, r.similarity,
       substr(a.text, r.a_start + 1, r.a_end - r.a_start) AS a_text,
       substr(b.text, r.b_start + 1, r.b_end - r.b_start) AS b_text,
       NULL AS headline_similarity
FROM reuse r JOIN articles a ON a.id = r.a_article_id JOIN articles b ON b.id = r.b_article_id
UNION ALL
SELECT 'near_duplicate', g.representative_id, NULL, NULL, g.article_id, NULL, NULL, NULL,
       g.body_similarity, NULL, NULL, g.headline_similarity
FROM duplicate_groups g WHERE g.article_id <> g.representative_id
ORDER BY 1, 2, 3, 5, 6
"""

REVISIONS_QUERY = "SELECT * FROM revisions ORDER BY revision"

# Export kind -> the query giving its rows and the record of one row.
ROW_EXPORTS: dict[str, tuple[str, Callable[[dict[str, Any]], dict[str, Any]]]] = {
    "entities": (ENTITIES_QUERY, entity_record),
    "mentions": (MENTIONS_QUERY, mention_record),
    "claims": (CLAIMS_QUERY, claim_record),
    "signals": (SIGNALS_QUERY, signal_record),
    "events": (CONSOLIDATED_QUERY, consolidated_record),
    "reuse": (REUSE_QUERY, reuse_record),
    "revisions": (REVISIONS_QUERY, revision_record),
}
