"""Persistence: the DuckDB file that keeps articles, annotations, rejected inputs and stories between runs."""

from newsfuse.store.duckdb_store import MIGRATIONS, SCHEMA_VERSION, Store

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Store"]
