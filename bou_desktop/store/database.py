"""Opening the database file: pragmas, migrations, refusing files from a newer app."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .backup import BackupError, create_private, make_backup
from .connection import Connection
from .schema import KNOWN_MIGRATIONS, MIGRATION_SET, migrations

BUSY_TIMEOUT_MS = 5000  # how long a write waits for another program's write lock (not the GUI's autosave)


class DatabaseError(Exception):
    """The database cannot be used; the message is for the user, in Swedish."""


class NewerDatabaseError(DatabaseError):
    pass


def _configure(db: Connection) -> None:
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA synchronous = FULL")  # a power cut must not lose a saved answer
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def applied_migrations(db: Connection) -> list[str]:
    """Names of the migrations recorded in the database, in the order they were applied."""
    if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'").fetchone():
        return []
    rows = db.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid", [MIGRATION_SET])
    return [row[0] for row in rows]


def _migrate(db: Connection) -> None:
    """Apply the pending migrations with sqlite-utils (imported only now, see connection.py)."""
    from sqlite_utils import Database

    migrations().apply(Database(db.conn))


def open_database(path: Path | str | None) -> Connection:
    """Open (or create) a database and bring its schema up to date.

    `None` opens a private in-memory database (tests, self-test).
    """
    if path is None:
        db = Connection.memory()
        db.execute("PRAGMA foreign_keys = ON")
        _migrate(db)
        return db
    path = Path(path)
    _refuse_foreign_file(path)
    try:
        create_private(path)  # the database (and so its -wal and -shm files) readable by the user only
        db = Connection(sqlite3.connect(str(path), isolation_level=None, check_same_thread=False))
    except (OSError, sqlite3.Error) as error:
        raise DatabaseError(f"Databasen {path} kan inte öppnas: {error}") from error
    # Look before changing anything: a file that is not ours is left exactly as it was.
    try:
        applied = set(applied_migrations(db))
        tables = db.table_names()
    except sqlite3.DatabaseError as error:
        db.close()
        raise DatabaseError(f"Filen {path} är ingen BoU Desktop-databas eller är skadad ({error}).") from error
    if applied - set(KNOWN_MIGRATIONS):
        db.close()
        raise NewerDatabaseError(
            f"Databasen {path} har skapats av en nyare version av BoU Desktop. "
            "Uppdatera programmet för att öppna den; filen har inte ändrats."
        )
    if not applied and tables:
        db.close()
        raise DatabaseError(f"Filen {path} är ingen BoU Desktop-databas; den har inte ändrats.")
    try:
        _configure(db)
        pending = [name for name in KNOWN_MIGRATIONS if name not in applied]
        if applied and pending:
            make_backup(path, "uppgradering", connection=db.conn)  # before the schema changes
        if pending:
            _migrate(db)
    except (sqlite3.Error, BackupError) as error:
        db.close()
        raise DatabaseError(f"Databasen {path} kan inte öppnas: {error}") from error
    return db


def _refuse_foreign_file(path: Path) -> None:
    """An existing file that is not SQLite at all is refused before SQLite touches it."""
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except FileNotFoundError:
        return
    except OSError as error:
        raise DatabaseError(f"Databasen {path} kan inte läsas: {error.strerror or error}") from error
    if head and head != b"SQLite format 3\x00":
        raise DatabaseError(f"Filen {path} är ingen BoU Desktop-databas; den har inte ändrats.")
