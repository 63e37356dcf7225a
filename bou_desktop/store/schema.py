"""The database schema as ordered, named migrations, applied by sqlite-utils' `Migrations`.

Never edit a migration that has shipped: add a new one to MIGRATIONS.

sqlite-utils is imported only when migrations are applied (a new or an older database): the
program's start reads the applied names itself (`database.applied_migrations`), see
`connection.py` for why.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database, Migrations

MIGRATION_SET = "bou_desktop"


def initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE rounds (
            id INTEGER PRIMARY KEY,
            year INTEGER NOT NULL,
            form_id TEXT NOT NULL,
            form_version TEXT NOT NULL,
            county_form_id TEXT,
            title TEXT NOT NULL,
            created TEXT NOT NULL,
            UNIQUE (year, form_id)
        );
        CREATE TABLE regions (
            name TEXT PRIMARY KEY,
            lan TEXT NOT NULL,
            expected_count INTEGER NOT NULL,
            ordning INTEGER NOT NULL
        );
        CREATE TABLE municipalities (
            code TEXT PRIMARY KEY CHECK (length(code) = 4),
            name TEXT NOT NULL,
            lan TEXT NOT NULL,
            region TEXT NOT NULL REFERENCES regions(name)
        );
        CREATE INDEX idx_municipalities_region ON municipalities(region);
        CREATE TABLE responses (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            round_id INTEGER NOT NULL REFERENCES rounds(id),
            kommun TEXT NOT NULL REFERENCES municipalities(code),
            status TEXT NOT NULL DEFAULT 'utkast' CHECK (status IN ('utkast', 'klar')),
            origin TEXT NOT NULL DEFAULT 'gui' CHECK (origin IN ('gui', 'import', 'cli', 'demo')),
            svarssatt TEXT,
            datum TEXT,
            intervjuare TEXT,
            created TEXT NOT NULL,
            modified TEXT NOT NULL,
            exported TEXT,
            UNIQUE (round_id, kommun)
        );
        CREATE INDEX idx_responses_round_status ON responses(round_id, status);
        CREATE TABLE answers (
            response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
            field TEXT NOT NULL,
            question_id TEXT NOT NULL,
            option_id TEXT,
            kind TEXT NOT NULL CHECK (kind IN ('choice', 'tick', 'rank', 'specify', 'comment', 'respondent')),
            value TEXT NOT NULL,
            PRIMARY KEY (response_id, field)
        ) WITHOUT ROWID;
        CREATE INDEX idx_answers_question ON answers(question_id, option_id);
        CREATE TABLE compilations (
            id INTEGER PRIMARY KEY,
            round_id INTEGER NOT NULL REFERENCES rounds(id),
            region TEXT NOT NULL REFERENCES regions(name),
            utvecklingsledare TEXT,
            ovriga_synpunkter TEXT,
            modified TEXT NOT NULL,
            UNIQUE (round_id, region)
        );
        CREATE TABLE compilation_texts (
            compilation_id INTEGER NOT NULL REFERENCES compilations(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('summary', 'specify')),
            text TEXT NOT NULL,
            PRIMARY KEY (compilation_id, question_id, kind)
        );
        CREATE TABLE compilation_ranks (
            compilation_id INTEGER NOT NULL REFERENCES compilations(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            option_id TEXT NOT NULL,
            rank INTEGER NOT NULL CHECK (rank BETWEEN 1 AND 99),
            PRIMARY KEY (compilation_id, question_id, option_id)
        );
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            source TEXT NOT NULL CHECK (source IN ('gui', 'import', 'cli', 'demo', 'system')),
            detail TEXT,
            round_id INTEGER,
            kommun TEXT,
            response_uuid TEXT,
            field TEXT NOT NULL,
            old TEXT,
            new TEXT,
            reason TEXT
        );
        CREATE INDEX idx_audit_response ON audit_log(response_uuid);
        -- The audit log is append-only: the app can neither change nor delete a row.
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'granskningsloggen kan inte ändras'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'granskningsloggen kan inte ändras'); END;
        """
    )



def national(db: Database) -> None:
    """County files received by SKL, and the national file a leader brings back to the region."""
    db.executescript(
        """
        CREATE TABLE county_files (
            id INTEGER PRIMARY KEY,
            round_id INTEGER NOT NULL REFERENCES rounds(id),
            region TEXT NOT NULL REFERENCES regions(name),
            file_name TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            document TEXT NOT NULL,
            imported TEXT NOT NULL,
            UNIQUE (round_id, region)
        );
        CREATE TABLE national_files (
            round_id INTEGER PRIMARY KEY REFERENCES rounds(id),
            file_name TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            document TEXT NOT NULL,
            imported TEXT NOT NULL
        );
        """
    )


OLD_STATUS_CHECK = "CHECK (status IN ('utkast', 'klar'))"
NEW_STATUS_CHECK = "CHECK (status IN ('utkast', 'importerad', 'klar'))"


def importerad_status(db: Database) -> None:
    """Allow the status importerad (a municipality's own answers, read from its svarsfil).

    A rebuild of the table (`_rebuild_responses`), harmless to run again if the program stopped
    before sqlite-utils recorded it. The upgrade backup (database.py) is made before it runs.
    """
    sql = _responses_sql(db)
    if NEW_STATUS_CHECK in sql:
        return
    if OLD_STATUS_CHECK not in sql:
        raise RuntimeError("responses: unexpected status constraint")
    _rebuild_responses(db, sql.replace(OLD_STATUS_CHECK, NEW_STATUS_CHECK))


def _responses_sql(db: Database) -> str:
    return db.conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'responses'").fetchone()[0]


def _rebuild_responses(db: Database, sql: str) -> None:
    """Rebuild the responses table as `sql` creates it, keeping its rows, their answers and its index.

    SQLite changes a constraint only by rebuilding the table, with foreign keys off so that dropping
    the old table does not delete the answers (sqlite.org/lang_altertable.html, "other kinds of table
    schema changes"). Foreign keys cannot be switched inside a transaction, so the rebuild opens its
    own: a migration using it is NON_TRANSACTIONAL and must be harmless to run again.
    """
    conn = db.conn
    # After a rename SQLite keeps the name quoted ('CREATE TABLE "responses"'): either spelling.
    rebuilt, found = re.subn(r'^CREATE TABLE\s+"?responses"?', "CREATE TABLE responses_new", sql, count=1)
    if not found:
        raise RuntimeError("responses: unexpected table definition")
    foreign_keys = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        conn.execute("BEGIN")
        try:
            conn.execute(rebuilt)
            conn.execute("INSERT INTO responses_new SELECT * FROM responses")
            conn.execute("DROP TABLE responses")
            conn.execute("ALTER TABLE responses_new RENAME TO responses")
            conn.execute("CREATE INDEX idx_responses_round_status ON responses(round_id, status)")
            if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
                raise RuntimeError("responses: foreign keys broken by the rebuild")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute(f"PRAGMA foreign_keys = {int(foreign_keys)}")


def round_forms(db: Database) -> None:
    """Each round's forms, as the text of their files: a database holds everything its rounds need.

    Editing or removing a form file later never changes a round that is started. `data` is the
    TOML parsed, as JSON, so that opening a round needs no TOML reader (NULL when JSON cannot hold
    it). Existing rounds get the text of the forms folder's file when the program first opens the
    database after this migration (`Store._seed`), as the migration does not know the folder.
    """
    db.executescript(
        """
        CREATE TABLE round_forms (
            round_id INTEGER NOT NULL REFERENCES rounds(id),
            role TEXT NOT NULL CHECK (role IN ('form', 'county')),
            form_id TEXT NOT NULL,
            version TEXT NOT NULL,
            file_name TEXT NOT NULL,
            source TEXT NOT NULL,
            data TEXT,
            PRIMARY KEY (round_id, role)
        );
        -- A round's forms never change once stored.
        CREATE TRIGGER round_forms_no_update BEFORE UPDATE ON round_forms
            BEGIN SELECT RAISE(ABORT, 'en omgångs formulär kan inte ändras'); END;
        CREATE TRIGGER round_forms_no_delete BEFORE DELETE ON round_forms
            BEGIN SELECT RAISE(ABORT, 'en omgångs formulär kan inte ändras'); END;
        """
    )


MUNICIPALITY_REFERENCE = "kommun TEXT NOT NULL REFERENCES municipalities(code)"


def response_units(db: Database) -> None:
    """A response's `kommun` holds its unit: a municipality's code, or for a round whose form is answered
    per region (kind "region") the region's name. The store checks the unit against the round's form
    (`Store._check_unit`); the column loses its reference to municipalities. A rebuild as 0003's,
    harmless to run again; the upgrade backup is made before it runs.
    """
    sql = _responses_sql(db)
    if MUNICIPALITY_REFERENCE not in sql:
        return
    _rebuild_responses(db, sql.replace(MUNICIPALITY_REFERENCE, "kommun TEXT NOT NULL"))


def compilation_fields(db: Database) -> None:
    """The county form's own fields (its text `header` fields and `free_texts`), stored by id.

    Until now the 2011 county form's leader name and other views were two fixed columns of
    `compilations`; a form with other fields (an e-mail address, a second free text) could not be
    stored. Their values move into `compilation_fields` (keyed by the field ids of 2011's form, which
    were the columns' names) and the columns go.
    """
    db.executescript(
        """
        CREATE TABLE compilation_fields (
            compilation_id INTEGER NOT NULL REFERENCES compilations(id) ON DELETE CASCADE,
            field TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (compilation_id, field)
        );
        INSERT INTO compilation_fields (compilation_id, field, value)
            SELECT id, 'utvecklingsledare', utvecklingsledare FROM compilations WHERE coalesce(utvecklingsledare, '') != '';
        INSERT INTO compilation_fields (compilation_id, field, value)
            SELECT id, 'ovriga_synpunkter', ovriga_synpunkter FROM compilations WHERE coalesce(ovriga_synpunkter, '') != '';
        ALTER TABLE compilations DROP COLUMN utvecklingsledare;
        ALTER TABLE compilations DROP COLUMN ovriga_synpunkter;
        """
    )


def report_texts(db: Database) -> None:
    """SKL's report of a round: the texts written in the program, and the report template they were written for.

    `report_texts` holds a text per section of the template (kind "section", key the section id) and
    an analysis per question (kind "analysis", key the question id); an emptied text is deleted, its
    history stays in the audit log. `round_reports` keeps the text of the template file with the round,
    as `round_forms` keeps the forms, so that a template edited or removed later changes no round.
    """
    db.executescript(
        """
        CREATE TABLE report_texts (
            round_id INTEGER NOT NULL REFERENCES rounds(id),
            kind TEXT NOT NULL CHECK (kind IN ('section', 'analysis')),
            key TEXT NOT NULL,
            text TEXT NOT NULL,
            modified TEXT NOT NULL,
            PRIMARY KEY (round_id, kind, key)
        );
        CREATE TABLE round_reports (
            round_id INTEGER PRIMARY KEY REFERENCES rounds(id),
            file_name TEXT NOT NULL,
            source TEXT NOT NULL
        );
        -- A round's report template never changes once stored.
        CREATE TRIGGER round_reports_no_update BEFORE UPDATE ON round_reports
            BEGIN SELECT RAISE(ABORT, 'en omgångs rapportmall kan inte ändras'); END;
        """
    )


MIGRATIONS = (
    ("0001_initial", initial),
    ("0002_national", national),
    ("0003_importerad_status", importerad_status),
    ("0004_round_forms", round_forms),
    ("0005_response_units", response_units),
    ("0006_compilation_fields", compilation_fields),
    ("0007_report_texts", report_texts),
)
NON_TRANSACTIONAL = {"0003_importerad_status", "0005_response_units"}
KNOWN_MIGRATIONS = tuple(name for name, _ in MIGRATIONS)


@cache
def migrations() -> Migrations:
    """sqlite-utils' migration runner holding MIGRATIONS (it records them in `_sqlite_migrations`)."""
    from sqlite_utils import Migrations

    runner = Migrations(MIGRATION_SET)
    for name, function in MIGRATIONS:
        runner(name=name, transactional=name not in NON_TRANSACTIONAL)(function)
    return runner
