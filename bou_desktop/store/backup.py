"""Backups of the database with SQLite's online backup API: a consistent copy even while the app writes.

- a daily backup when the program starts (at most one a day), keeping the newest `KEEP_DAILY`;
- a backup before every schema migration, and before a restore;
- "Säkerhetskopiera…" and "Återställ…" in the menu.
Backups live in a folder "säkerhetskopior" beside the database and, like the database, are readable
by the user only.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from datetime import datetime
from pathlib import Path

from ..records import Record, record

FOLDER = "säkerhetskopior"
# When a backup was made, as make_backup writes it into the name: 20261123-170205-123456.
# Read with a pattern, not datetime.strptime: that would load _strptime, calendar and locale at
# every start, for the daily backup's check.
_MADE = re.compile(r"(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-(\d{6})")
KEEP_DAILY = 14
KINDS = {"daglig": "daglig", "manuell": "manuell", "uppgradering": "före uppgradering",
         "aterstallning": "före återställning", "personuppgifter": "före borttagning av personuppgifter"}


class BackupError(Exception):
    """A backup or restore that could not be done; the message is for the user, in Swedish."""


@record
class BackupInfo(Record):
    path: Path
    made: datetime
    kind: str

    @property
    def label(self) -> str:
        return f"{self.made:%Y-%m-%d %H:%M:%S} ({KINDS.get(self.kind, self.kind)})"


def private_file(path: Path) -> None:
    """Make a file readable and writable by its owner only (no effect on Windows' ACLs)."""
    try:
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    except OSError:
        pass


def create_private(path: Path) -> None:
    """Create an empty file with owner-only permissions, so that SQLite's own files inherit them."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    private_file(path)


def folder_for(db_path: Path) -> Path:
    return Path(db_path).parent / FOLDER


def copy_database(source: sqlite3.Connection, target: Path) -> None:
    """A consistent copy of a live database into a new file."""
    tmp = target.with_name(target.name + ".tmp")
    create_private(tmp)
    destination = sqlite3.connect(str(tmp))
    try:
        source.backup(destination)
        destination.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
    finally:
        destination.close()
    os.replace(tmp, target)
    private_file(target)


def make_backup(db_path: Path, kind: str = "manuell", *, connection: sqlite3.Connection | None = None,
                when: datetime | None = None) -> Path:
    db_path = Path(db_path)
    when = when or datetime.now()
    folder = folder_for(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{db_path.stem}-{when:%Y%m%d-%H%M%S-%f}-{kind}.sqlite"
    source = connection or sqlite3.connect(str(db_path))
    try:
        copy_database(source, target)
    except (sqlite3.Error, OSError) as error:
        raise BackupError(f"Säkerhetskopian kunde inte göras: {error}") from error
    finally:
        if connection is None:
            source.close()
    return target


def list_backups(db_path: Path) -> list[BackupInfo]:
    """The database's backups, newest first."""
    db_path = Path(db_path)
    found = []
    for path in folder_for(db_path).glob(f"{db_path.stem}-*.sqlite"):
        parts = path.stem[len(db_path.stem) + 1:].split("-")
        stamp = _MADE.fullmatch("-".join(parts[:3]))
        try:
            made = datetime(*(int(number) for number in stamp.groups())) if stamp else None
        except ValueError:  # no such date, say the 31st of April
            made = None
        if made is None:
            continue
        found.append(BackupInfo(path, made, "-".join(parts[3:])))
    return sorted(found, key=lambda b: b.made, reverse=True)


def daily_backup(db_path: Path, *, connection: sqlite3.Connection | None = None, keep: int = KEEP_DAILY,
                 when: datetime | None = None) -> Path | None:
    """At most one backup a day; only the newest `keep` daily backups are kept."""
    when = when or datetime.now()
    daily = [b for b in list_backups(db_path) if b.kind == "daglig"]
    if daily and daily[0].made.date() == when.date():
        return None
    made = make_backup(db_path, "daglig", connection=connection, when=when)
    for old in [b for b in list_backups(db_path) if b.kind == "daglig"][keep:]:
        old.path.unlink(missing_ok=True)
    return made


def check_backup(path: Path) -> None:
    """A file that can be restored: SQLite, intact, a BoU Desktop database."""
    try:
        with open(path, "rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                raise BackupError(f"{Path(path).name} är ingen databas.")
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if connection.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{Path(path).name} är skadad och kan inte återställas.")
            tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            connection.close()
    except (sqlite3.Error, OSError) as error:
        raise BackupError(f"{Path(path).name} kan inte läsas: {error}") from error
    if not {"responses", "answers", "audit_log", "_sqlite_migrations"} <= tables:
        raise BackupError(f"{Path(path).name} är ingen BoU Desktop-databas.")


def restore_backup(backup: Path, db_path: Path) -> Path:
    """Replace the database's content with a backup; the current content is backed up first.

    The database must not be open elsewhere in this program (close the store first).
    Returns the backup made of the current content.
    """
    check_backup(backup)
    db_path = Path(db_path)
    before = make_backup(db_path, "aterstallning")
    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    target = sqlite3.connect(str(db_path))
    try:
        source.backup(target)
    except sqlite3.Error as error:
        raise BackupError(f"Återställningen misslyckades; databasen är oförändrad ({error}).") from error
    finally:
        source.close()
        target.close()
    private_file(db_path)
    return before


def delete_backups(db_path: Path) -> int:
    """Remove every backup of a database (after personal data was removed, old copies must go too)."""
    backups = list_backups(db_path)
    for backup in backups:
        backup.path.unlink(missing_ok=True)
    return len(backups)
