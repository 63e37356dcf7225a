"""The store's database connection: plain sqlite3 with sqlite-utils' query and transaction idioms.

sqlite-utils creates and migrates the schema (`schema.py`), but importing it costs about 0.1 s on
an old laptop (it brings click, dateutil and its plugin system), half of what a start of the whole
program may take (docs/performance.md). Day-to-day reading and writing needs only the few calls
below, so the store uses this thin class and sqlite-utils is loaded only when the schema changes.
The calls behave as sqlite-utils' `Database` calls of the same name.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

_savepoints = itertools.count(1)


class Connection:
    """A sqlite3 connection in autocommit mode, with `query`, `execute` and nested `atomic` blocks."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        if conn.isolation_level is not None:
            raise ValueError("the store needs a connection in autocommit mode (isolation_level=None)")
        self.conn = conn
        # As sqlite-utils does: a row replaced by INSERT OR REPLACE fires the DELETE triggers too.
        conn.execute("PRAGMA recursive_triggers = on")

    @classmethod
    def memory(cls) -> Connection:
        return cls(sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False))

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def executescript(self, sql: str) -> sqlite3.Cursor:
        return self.conn.executescript(sql)

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Iterator[dict[str, Any]]:
        """Run `sql` now; its rows as dictionaries, fetched as they are iterated over."""
        cursor = self.conn.execute(sql, params)
        keys = [column[0] for column in cursor.description or ()]
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    def table_names(self) -> list[str]:
        return [row[0] for row in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]

    @contextmanager
    def atomic(self) -> Iterator[Connection]:
        """A transaction; nested blocks are savepoints. An error rolls back the block and is raised."""
        if self.conn.in_transaction:
            savepoint = f"bou_{next(_savepoints)}"
            self.conn.execute(f"SAVEPOINT {savepoint}")
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:  # a RAISE(ROLLBACK) trigger may have ended it already
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    self.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
                raise
            else:
                self.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            return
        self.conn.execute("BEGIN")
        try:
            yield self
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    def close(self) -> None:
        self.conn.close()
