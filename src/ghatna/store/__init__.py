"""Stores: `open_store(location)` picks the implementation from the location's form."""
from __future__ import annotations

from .base import EntityObservation, EventFilter, Page, Resolution, SearchHit, Store, StoredDocument
from .query import EmptyQuery

__all__ = ["open_store", "Store", "StoredDocument", "Resolution", "EntityObservation",
           "SearchHit", "EmptyQuery", "StoreError", "EventFilter", "Page"]


class StoreError(RuntimeError):
    pass


def open_store(location: str, *, readonly: bool = False) -> Store:
    """`ghatna.db` or any path: SQLite. `postgresql://...`: PostgreSQL (when that store lands)."""
    if location.startswith(("postgresql://", "postgres://")):
        raise StoreError("the PostgreSQL store is not available in this version; use a SQLite path")
    from .sqlite import SQLiteStore

    return SQLiteStore(location, readonly=readonly)
