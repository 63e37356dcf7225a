"""SQLite storage: schema and migrations, queries, transactions and the audit log."""

from .database import DatabaseError, NewerDatabaseError, open_database
from .repository import ResponseRecord, Round, Store, StoreError

__all__ = [
    "DatabaseError",
    "NewerDatabaseError",
    "ResponseRecord",
    "Round",
    "Store",
    "StoreError",
    "open_database",
]
