"""The ledger: the DuckDB store, its schema and migrations, batched writes and queries."""
