"""Nothing lost, nothing leaked: backups, restore, a second writer, file permissions, removing personal data."""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
from datetime import datetime, timedelta

import pytest

from bou_desktop import core
from bou_desktop.cli import main
from bou_desktop.store import StoreError
from bou_desktop.store.backup import (
    BackupError,
    daily_backup,
    list_backups,
    make_backup,
    restore_backup,
)
from bou_desktop.survey.answers import Answers

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@posix_only
def test_database_and_backups_are_readable_by_the_user_only(tmp_path):
    store = core.open_store(tmp_path / "db.sqlite")
    store.set_field(store.round_for(), "0580", "q1", "ja")
    backup = make_backup(store.path, connection=store.db.conn)
    assert mode(store.path) == 0o600 and mode(backup) == 0o600
    for suffix in ("-wal", "-shm"):
        side = tmp_path / f"db.sqlite{suffix}"
        if side.exists():
            assert mode(side) & 0o077 == 0, suffix
    store.close()


def test_a_daily_backup_at_most_once_a_day_keeping_the_newest(tmp_path):
    store = core.open_store(tmp_path / "db.sqlite")
    day = datetime(2011, 11, 1, 9, 0)
    for offset in range(5):
        assert daily_backup(store.path, connection=store.db.conn, keep=3, when=day + timedelta(days=offset)) is not None
        assert daily_backup(store.path, connection=store.db.conn, keep=3, when=day + timedelta(days=offset, hours=5)) is None
    kept = [b.made.date().isoformat() for b in list_backups(store.path)]
    assert kept == ["2011-11-05", "2011-11-04", "2011-11-03"]
    store.close()


def test_the_program_start_makes_the_days_backup(tmp_path):
    core.open_store(tmp_path / "db.sqlite", daily_backup=True).close()
    core.open_store(tmp_path / "db.sqlite", daily_backup=True).close()
    assert [b.kind for b in list_backups(tmp_path / "db.sqlite")] == ["daglig"]


def test_the_backup_list_reads_the_time_from_the_name_and_passes_over_other_files(tmp_path):
    store = core.open_store(tmp_path / "db.sqlite")
    when = datetime(2026, 11, 23, 17, 2, 5, 123)
    made = make_backup(store.path, "manuell", connection=store.db.conn, when=when)
    store.close()
    for stray in ("db-20260431-120000-000000-daglig.sqlite",  # no 31st of April
                  "db-2026112-120000-000000-daglig.sqlite", "db-kopia.sqlite", "db-20261123-120000-daglig.sqlite"):
        (made.parent / stray).write_bytes(b"")
    [backup] = list_backups(store.path)
    assert (backup.path, backup.made, backup.kind) == (made, when, "manuell")
    assert backup.label == "2026-11-23 17:02:05 (manuell)"


def test_a_backup_is_made_before_a_schema_migration(tmp_path):
    from sqlite_utils import Database

    from bou_desktop.store.schema import migrations

    path = tmp_path / "old.sqlite"
    old = Database(path)
    migrations().apply(old, stop_before="0002_national")
    old.close()
    core.open_store(path).close()
    kinds = [b.kind for b in list_backups(path)]
    assert kinds == ["uppgradering"]
    copy = sqlite3.connect(list_backups(path)[0].path)
    assert [r[0] for r in copy.execute("SELECT name FROM _sqlite_migrations")] == ["0001_initial"]
    copy.close()


def test_restore_brings_back_the_answers_and_keeps_the_replaced_content(tmp_path):
    path = tmp_path / "db.sqlite"
    store = core.open_store(path)
    store.set_field(store.round_for(), "0580", "q1", "ja")
    backup = make_backup(path, connection=store.db.conn)
    store.set_field(store.round_for(), "0580", "q1", "nej")
    store.close()
    before = restore_backup(backup, path)
    store = core.open_store(path)
    assert store.response(store.round_for(), "0580").fields == {"q1": "ja"}
    store.close()
    replaced = sqlite3.connect(before)
    assert replaced.execute("SELECT value FROM answers WHERE field = 'q1'").fetchone()[0] == "nej"
    replaced.close()


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(tmp_path):
    path = tmp_path / "db.sqlite"
    store = core.open_store(path)
    store.set_field(store.round_for(), "0580", "q1", "ja")
    store.close()
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database" * 100)
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE x (y)").connection.close()
    for bad, reason in ((junk, "ingen databas"), (other, "ingen BoU Desktop-databas")):
        with pytest.raises(BackupError, match=reason):
            restore_backup(bad, path)
    store = core.open_store(path)
    assert store.response(store.round_for(), "0580").fields == {"q1": "ja"}
    store.close()


def test_backup_and_restore_on_the_command_line(tmp_path, capsys):
    db = str(tmp_path / "db.sqlite")
    store = core.open_store(db)
    store.set_field(store.round_for(), "0580", "q1", "ja")
    store.close()
    assert main(["--db", db, "backup"]) == 0
    backup = capsys.readouterr().out.split("Skrev ")[1].strip()
    assert main(["--db", db, "backup", "--list"]) == 0
    assert "(manuell)" in capsys.readouterr().out
    try:
        main(["--db", db, "restore", backup])
    except SystemExit as exit_:
        assert exit_.code == 2
    assert "bekräfta med --yes" in capsys.readouterr().err
    assert main(["--db", db, "restore", backup, "--yes"]) == 0


def test_a_second_writer_is_told_clearly_and_nothing_is_half_written(tmp_path):
    path = tmp_path / "db.sqlite"
    gui = core.open_store(path)
    other = core.open_store(path)
    other.db.execute("PRAGMA busy_timeout = 50")
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # an import holding the write lock
    before = other.snapshot()
    with pytest.raises(StoreError, match="används just nu av ett annat program"):
        other.set_field(other.round_for(), "0580", "q1", "ja")
    blocker.execute("ROLLBACK")
    blocker.close()
    assert other.snapshot() == before
    other.set_field(other.round_for(), "0580", "q1", "ja")  # works once the other writer is done
    assert gui.response(gui.round_for(), "0580").fields == {"q1": "ja"}  # and the first window sees it
    gui.close()
    other.close()


def test_without_waiting_a_busy_write_is_refused_at_once_as_busy(tmp_path):
    """The GUI's autosave must not wait for the lock (gui/pending.py keeps the write and tries again)."""
    import time

    from bou_desktop.store import StoreBusy

    path = tmp_path / "db.sqlite"
    store = core.open_store(path)
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    started = time.perf_counter()
    with store.without_waiting(), pytest.raises(StoreBusy, match="används just nu av ett annat program"):
        store.set_leader_text(store.round_for(), "Östergötland", "utvecklingsledare", "Eva")
    assert time.perf_counter() - started < 0.05
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000  # waiting as usual again
    blocker.execute("ROLLBACK")
    blocker.close()
    store.set_leader_text(store.round_for(), "Östergötland", "utvecklingsledare", "Eva")
    store.close()


def test_a_cli_import_while_the_gui_has_the_database_open(tmp_path):
    import json

    path = tmp_path / "db.sqlite"
    gui = core.open_store(path)
    gui.set_field(gui.round_for(), "0580", "q1", "ja")
    svarsfil = tmp_path / "kiruna.json"
    svarsfil.write_text(json.dumps({"format": "bou-svarsfil", "format_version": 1, "form": "kommunenkat",
                                    "form_version": "2011", "round": 2011, "kommun": "2584", "answers": {"q1": "nej"}}),
                        encoding="utf-8")
    assert main(["--db", str(path), "import", str(svarsfil)]) == 0
    gui.set_field(gui.round_for(), "0580", "q5", "ja")
    assert gui.response(gui.round_for(), "2584").fields == {"q1": "nej"}
    assert gui.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    gui.close()


def test_remove_personal_data_from_a_finished_round(tmp_path, capsys):
    path = tmp_path / "db.sqlite"
    store = core.open_store(path)
    round_ = store.round_for()
    store.save_answers(round_, "0580", Answers(choices={"q1": ["ja"]}, respondent={"namn": "Åsa Öberg", "befattning": "IFO-chef"}),
                       source="cli", status="utkast")
    make_backup(path, connection=store.db.conn)
    with pytest.raises(StoreError, match="inte är klart"):
        store.remove_personal_data(round_, reason="Omgången är avslutad")
    store.set_status(round_, "0580", "klar")
    store.set_leader_text(round_, "Östergötland", "utvecklingsledare", "Örjan Ledarsson")  # the county form's, personal too
    store.close()
    assert main(["--db", str(path), "remove-personal-data", "--reason", "Omgången är avslutad", "--yes"]) == 0
    assert "ur 1 svar" in capsys.readouterr().out
    store = core.open_store(path)
    assert store.response(round_, "0580").fields == {"q1": "ja"}
    assert store.leader_texts(round_, "Östergötland").utvecklingsledare == ""
    history = [(e.field, e.old, e.new) for e in store.audit_log()]
    assert ("uppgiftslamnare.namn", None, "[borttaget]") in history
    assert ("lan.utvecklingsledare", None, "[borttaget]") in history
    assert not any(name in str(value) for entry in history for value in entry for name in ("Åsa Öberg", "Örjan"))
    assert any(field == "personuppgifter" for field, _o, _n in history)
    store.close()
    # No copy of the names is left in the database file, its log or its backups.
    for file in (path, tmp_path / "db.sqlite-wal"):
        if file.exists():
            assert "Åsa Öberg".encode() not in file.read_bytes(), file.name
            assert "Örjan Ledarsson".encode() not in file.read_bytes(), file.name
    for backup in list_backups(path):
        assert "Åsa Öberg".encode() not in backup.path.read_bytes()
        assert "Örjan Ledarsson".encode() not in backup.path.read_bytes()
    assert [b.kind for b in list_backups(path)] == ["manuell"]


def test_backup_restore_and_removal_from_the_menu(qtbot, tmp_path):
    from helpers import on_modals
    pytest.importorskip("PySide6.QtWidgets")
    from PySide6.QtWidgets import QApplication

    from bou_desktop.gui.main_window import MainWindow
    from bou_desktop.settings import Settings

    path = tmp_path / "db.sqlite"
    win = MainWindow(core.open_store(path), Settings(role="ledare", region="Östergötland"))
    qtbot.addWidget(win)
    win.store.save_answers(win.round, "0580", Answers(choices={"q1": ["ja"]}, respondent={"namn": "Åsa Öberg"}),
                           source="gui", status="klar")
    win.backup_action.trigger()
    assert [b.kind for b in list_backups(path)] == ["manuell"]
    win.store.set_status(win.round, "0580", "utkast", reason="komplettering")
    win.store.set_field(win.round, "0580", "q1", "nej")

    def choose_backup(dialog):
        assert dialog.comboBoxItems() == [list_backups(path)[0].label]
        dialog.accept()

    on_modals(choose_backup, lambda box: box.button(box.StandardButton.Yes).click())
    win.restore_action.trigger()
    replacement = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w is not win
                       and w.isVisible())
    qtbot.addWidget(replacement)
    assert replacement.store.response(replacement.round, "0580").fields["q1"] == "ja"

    def give_reason(dialog):
        dialog.setTextValue("Omgången är avslutad")
        dialog.accept()

    on_modals(give_reason)
    replacement.purge_action.trigger()
    assert "uppgiftslamnare.namn" not in replacement.store.response(replacement.round, "0580").fields


@pytest.mark.parametrize("name, expected", [
    ("Enkät 2011 0580 Linköping.xlsx", "Enkät 2011 0580 Linköping.xlsx"),
    ('Rådata GR/Sjuhärad: "test"?.csv', "Rådata GR_Sjuhärad_ _test__.csv"),
    ("CON.xlsx", "fil_CON.xlsx"),
    ("  slut med punkt. ", "slut med punkt"),
    ("rad\nbrytning\ttab.pdf", "rad_brytning_tab.pdf"),
    ("", "fil"),
])
def test_file_names_from_region_and_municipality_names_are_safe_on_windows(name, expected):
    from bou_desktop.exchange.fileio import safe_filename

    assert safe_filename(name) == expected


def test_the_program_has_no_network_client():
    """Nothing is sent anywhere by the program itself: no module imports a network client."""
    import ast
    from pathlib import Path

    import bou_desktop

    network = {"socket", "ssl", "http", "urllib", "requests", "httpx", "smtplib", "ftplib", "xmlrpc", "asyncio",
               "PySide6.QtNetwork", "PySide6.QtWebEngineCore"}
    found = []
    for path in Path(bou_desktop.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{path.name}: {n}" for n in names if any(n == m or n.startswith(m + ".") for m in network)]
    assert found == []
