"""A database as an older version of the program left it: the migrations up to one, and one 2011 response."""

from __future__ import annotations

from pathlib import Path

ONE_RESPONSE = """
    INSERT INTO regions VALUES ('Östergötland', 'Östergötlands län', 13, 20);
    INSERT INTO municipalities VALUES ('0580', 'Linköping', 'Östergötlands län', 'Östergötland');
    INSERT INTO rounds VALUES (1, 2011, 'kommunenkat', '2011', 'lanssammanstallning', 'Kartläggning 2011', 't');
    INSERT INTO responses (id, uuid, round_id, kommun, status, origin, created, modified)
        VALUES (7, 'u-1', 1, '0580', '{status}', '{origin}', 't', 't');
    INSERT INTO answers VALUES (7, 'q1', 'q1', 'ja', 'choice', 'ja');
"""


def database_before(path: Path, migration: str, *, status: str = "klar", origin: str = "gui"):
    """An open sqlite-utils Database at `path`, migrated up to (not including) `migration`, holding Linköping's
    2011 response 'u-1' (id 7) with q1 = ja. The caller closes it."""
    from sqlite_utils import Database

    from bou_desktop.store.schema import migrations

    old = Database(path)
    migrations().apply(old, stop_before=migration)
    old.executescript(ONE_RESPONSE.format(status=status, origin=origin))
    return old
