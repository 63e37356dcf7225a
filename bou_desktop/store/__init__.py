"""SQLite storage: schema and migrations, queries, transactions and the audit log."""

from .database import DatabaseError, NewerDatabaseError, open_database
from .repository import ResponseRecord, Round, RoundsOfOneYear, Store, StoreBusy, StoreError

__all__ = [
    "DatabaseError",
    "NewerDatabaseError",
    "ResponseRecord",
    "Round",
    "RoundsOfOneYear",
    "Store",
    "StoreBusy",
    "StoreError",
    "open_database",
]
