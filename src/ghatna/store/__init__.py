"""Stores: `open_store(location)` picks the implementation from the location's form."""
from __future__ import annotations

from os import PathLike, fspath

from .base import (EntityObservation, EventFilter, Page, Resolution, SearchHit, Store, StoredDocument,
                   StoreError)
from .query import EmptyQuery

__all__ = ["open_store", "Store", "StoredDocument", "Resolution", "EntityObservation",
           "SearchHit", "EmptyQuery", "StoreError", "is_server_url", "EventFilter", "Page"]


def is_server_url(location: str) -> bool:
    return location.startswith(("postgresql://", "postgres://"))


def open_store(location: str | PathLike[str], *, readonly: bool = False) -> Store:
    """`ghatna.db` or any path: SQLite. `postgresql://...`: PostgreSQL (the postgres extra)."""
    location = fspath(location)
    if is_server_url(location):
        from .postgres import PostgresStore

        return PostgresStore(location, readonly=readonly)
    from .sqlite import SQLiteStore

    return SQLiteStore(location, readonly=readonly)
