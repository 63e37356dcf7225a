"""A busy database never loses typing: while another *process* holds the write lock, what is typed
stays in its field as typed, is said to be waiting in the status bar, is written in order once the
database is free, and the window never waits for the lock. Closing with changes waiting keeps them
in a recovery file that the next start offers to apply."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
import time

import pytest

pytest.importorskip("PySide6.QtWidgets")

from helpers import click_button, on_modals, on_next_modal, show_window, type_text  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from bou_desktop import core  # noqa: E402
from bou_desktop.gui.app import open_main_window  # noqa: E402
from bou_desktop.gui.main_window import MainWindow  # noqa: E402
from bou_desktop.gui.pending import PENDING_MESSAGE  # noqa: E402
from bou_desktop.settings import Settings  # noqa: E402
from bou_desktop.store.pending import has_recovery, load_recovery, recovery_path  # noqa: E402

LEADER = Settings(role="ledare", region="Östergötland", name="Eva Ek")

# A second program (an import on the command line, a backup) holding the database's write lock.
HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
conn.close()
"""


class LockHolder:
    """A separate process that holds the write lock for `seconds`."""

    def __init__(self, db_path, seconds: float) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(db_path), str(seconds)],
                                        stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline().strip() == "locked"

    def done(self) -> bool:
        return self.process.poll() is not None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(10)
        self.process.stdout.close()


class PauseMeter:
    """The event loop's longest pause: a timer ticking every 5 ms notes the gaps between its ticks."""

    def __init__(self) -> None:
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))
        self.timer.start()

    def longest(self) -> float:
        self.timer.stop()
        return max(b - a for a, b in zip(self.ticks, self.ticks[1:], strict=False))


class ModalWatch:
    """Notes (and closes) every modal dialog that opens, so that an old build fails instead of hanging."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            self.seen.append(dialog.windowTitle())
            dialog.reject()

    def stop(self) -> list[str]:
        self.timer.stop()
        return self.seen


def typed_slowly(qtbot, widget, text: str) -> None:
    """Key by key, the event loop running between keys, as a person types."""
    for char in text:
        type_text(widget, char)
        qtbot.wait(15)


def stored_value(db_path, sql: str, *params):
    """Read what is saved through a second, plain sqlite3 connection, as another program would."""
    conn = sqlite3.connect(db_path)
    try:
        row = conn.execute(sql, params).fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def stored_comment(db_path, kommun="0580", field="q1.kommentar"):
    return stored_value(db_path, "SELECT a.value FROM answers a JOIN responses r ON r.id = a.response_id "
                                 "WHERE r.kommun = ? AND a.field = ?", kommun, field)


def visible_message_boxes() -> list:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


@pytest.fixture
def window(qtbot, tmp_path):
    return show_window(qtbot, MainWindow(core.open_store(tmp_path / "intervjuer.sqlite"), LEADER))


@pytest.fixture
def db_path(window):
    return window.store.path


def comment_of(qtbot, window, kommun="0580", qid="q1"):
    window.select_municipality(kommun)
    comment = window.questionnaire.cards[qid].comment
    window.questionnaire.scroll_to(qid)
    comment.setFocus()
    qtbot.waitUntil(comment.hasFocus)
    return comment


def test_a_comment_typed_while_another_process_holds_the_lock_is_kept_then_saved(qtbot, window, db_path):
    comment = comment_of(qtbot, window)
    type_text(comment, "Före. ")  # saved at once: the database is free
    assert stored_comment(db_path) == "Före. "
    modals = ModalWatch()
    holder = LockHolder(db_path, 3.0)
    try:
        meter = PauseMeter()
        typed_slowly(qtbot, comment, "Först ")
        assert comment.toPlainText() == "Före. Först "  # kept as typed, not put back to what is stored
        assert window.pending_label.isVisible() and window.pending_label.text() == PENDING_MESSAGE
        assert stored_comment(db_path) == "Före. "  # not written yet
        typed_slowly(qtbot, comment, "… inte borta")
        assert comment.toPlainText() == "Före. Först … inte borta"
        assert comment.textCursor().position() == len("Före. Först … inte borta")
        assert not holder.done()  # all of it was typed while the other program held the lock
        qtbot.waitUntil(holder.done, timeout=10000)
        qtbot.waitUntil(lambda: not window.pending_label.isVisible(), timeout=2000)
        longest = meter.longest()
    finally:
        holder.stop()
    assert stored_comment(db_path) == "Före. Först … inte borta"
    assert window.statusBar().currentMessage().startswith("Sparat ")
    # Typing on after the lock has ended goes on at the end, and is saved at once.
    type_text(comment, "!")
    assert comment.toPlainText() == "Före. Först … inte borta!"
    assert comment.textCursor().position() == len(comment.toPlainText())
    assert stored_comment(db_path) == "Före. Först … inte borta!"
    assert longest < 0.1, f"the window stood still for {longest * 1000:.0f} ms"
    assert modals.stop() == [] and visible_message_boxes() == []
    # Undo still works on what was kept and written: back to before the lock, saved.
    window.undo_stack.undo()
    assert comment.toPlainText() == "" and stored_comment(db_path) is None


def test_changes_in_order_across_fields_and_no_reload_over_them(qtbot, window, db_path):
    q = window.questionnaire
    comment = comment_of(qtbot, window)
    holder = LockHolder(db_path, 2.0)
    try:
        typed_slowly(qtbot, comment, "Ett")
        other = q.cards["q2"].comment
        other.setFocus()
        typed_slowly(qtbot, other, "Två")
        window.store.db.execute("PRAGMA data_version")  # the window looks for changes made elsewhere
        window.check_changes_elsewhere()
        assert comment.toPlainText() == "Ett" and other.toPlainText() == "Två"
        assert q.status_label.text() == "Status: ej påbörjad"
        qtbot.waitUntil(holder.done, timeout=10000)
        qtbot.waitUntil(lambda: stored_comment(db_path, field="q2.kommentar") == "Två", timeout=2000)
    finally:
        holder.stop()
    assert stored_comment(db_path) == "Ett"
    assert q.status_label.text() == "Status: utkast"  # the record written while waiting is shown
    fields = [e.field for e in window.store.audit_log() if e.field.endswith("kommentar")]
    assert fields == ["q1.kommentar", "q2.kommentar"]  # in the order typed, one write each


def test_a_county_text_typed_while_the_database_is_busy_is_kept_then_saved(qtbot, window, db_path):
    window.tabs.setCurrentWidget(window.county_page)
    view = window.county_view
    summary = view.sections["q1"].summary
    summary.setFocus()
    qtbot.waitUntil(summary.hasFocus)
    modals = ModalWatch()
    holder = LockHolder(db_path, 2.0)
    try:
        meter = PauseMeter()
        typed_slowly(qtbot, summary, "Många svarar ja")
        view.refresh()  # a refresh (the store changed elsewhere) does not put back the stored text
        assert summary.toPlainText() == "Många svarar ja"
        assert summary.textCursor().position() == len("Många svarar ja")
        assert window.pending_label.isVisible()
        qtbot.waitUntil(holder.done, timeout=10000)
        qtbot.waitUntil(lambda: not window.pending_label.isVisible(), timeout=2000)
        longest = meter.longest()
    finally:
        holder.stop()
    assert stored_value(db_path, "SELECT text FROM compilation_texts WHERE question_id = 'q1' AND kind = 'summary'") \
        == "Många svarar ja"
    assert longest < 0.1, f"the window stood still for {longest * 1000:.0f} ms"
    assert modals.stop() == [] and visible_message_boxes() == []


def test_closing_with_changes_waiting_keeps_them_for_the_next_start(qtbot, window, db_path):
    comment = comment_of(qtbot, window)
    holder = LockHolder(db_path, 60.0)
    try:
        typed_slowly(qtbot, comment, "Sparas nästa gång")
        titles = []
        on_modals(lambda box: (titles.append(box.windowTitle()), click_button(box, "Stäng ändå")),
                  lambda box: (titles.append(box.windowTitle()), click_button(box, "Ok")))
        assert window.close()
        assert titles == ["Ändringar är inte sparade ännu", "Ändringarna är sparade i en fil"]
    finally:
        holder.stop()
    path = recovery_path(db_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [w.values for w in load_recovery(db_path)] == [{"q1.kommentar": "Sparas nästa gång"}]
    assert stored_comment(db_path) is None
    assert has_recovery(db_path) and not has_recovery(db_path.with_name("en-annan.sqlite"))

    asked = []

    def apply(box):
        asked.append(box.text())
        click_button(box, "Spara ändringarna")

    on_next_modal(apply)
    again = open_main_window(db_path, ask_profile=False)
    qtbot.addWidget(again)
    assert asked and asked[0].startswith("Det finns osparade ändringar från förra gången") and "Linköping" in asked[0]
    assert stored_comment(db_path) == "Sparas nästa gång"
    assert not path.exists()
    entry = [e for e in again.store.audit_log() if e.field == "q1.kommentar"][-1]
    assert (entry.source, entry.new) == ("gui", "Sparas nästa gång")
    # Nothing kept now: the next start does not make the window's kept-writes queue before its first paint
    third = open_main_window(db_path, ask_profile=False)
    qtbot.addWidget(third)
    assert third._pending is None


def close_while_busy(qtbot, window, db_path, answer: str) -> tuple[bool, list[str]]:
    """Type while another process holds the lock for a second, close, answer the question: (closed, titles)."""
    holder = LockHolder(db_path, 1.0)
    try:
        typed_slowly(qtbot, comment_of(qtbot, window), "Vänta")
        titles = []
        on_modals(lambda box: (titles.append(box.windowTitle()), click_button(box, answer)))
        closed = window.close()
        qtbot.waitUntil(holder.done, timeout=10000)
    finally:
        holder.stop()
    return closed, titles


def test_closing_can_wait_for_the_database(qtbot, window, db_path):
    assert close_while_busy(qtbot, window, db_path, "Vänta och försök igen") == (True, ["Ändringar är inte sparade ännu"])
    assert stored_comment(db_path) == "Vänta"
    assert not recovery_path(db_path).exists()


def test_closing_can_be_cancelled_and_nothing_is_lost(qtbot, window, db_path):
    assert close_while_busy(qtbot, window, db_path, "Avbryt") == (False, ["Ändringar är inte sparade ännu"])
    qtbot.waitUntil(lambda: stored_comment(db_path) == "Vänta", timeout=2000)
    assert window.isVisible() and window.questionnaire.cards["q1"].comment.toPlainText() == "Vänta"


def test_a_refusal_is_told_once_without_blocking_the_window(qtbot, window, monkeypatch):
    from bou_desktop.store import StoreError

    def refuse(*_args, **_kwargs):
        raise StoreError("Databasen är skrivskyddad.")

    comment = comment_of(qtbot, window)
    monkeypatch.setattr(window.store, "set_fields", refuse)
    modals = ModalWatch()
    typed_slowly(qtbot, comment, "abc")
    assert modals.stop() == []
    boxes = visible_message_boxes()
    assert len(boxes) == 1 and "skrivskyddad" in boxes[0].text()
    assert window.statusBar().currentMessage() == "Sparades inte: Databasen är skrivskyddad."


def test_a_restore_waits_for_changes_not_yet_saved(qtbot, window, db_path):
    window.backup_action.trigger()
    comment = comment_of(qtbot, window)
    holder = LockHolder(db_path, 2.0)
    try:
        typed_slowly(qtbot, comment, "Skrivet före återställningen")
        assert window.pending.queue
        seen = []
        on_modals(lambda dialog: dialog.accept(),  # the backup to restore
                  lambda box: box.button(box.StandardButton.Yes).click(),
                  lambda box: (seen.append(box.text()), box.accept()))
        window.restore_action.trigger()
        assert "Inget har återställts" in seen[0]
        assert window.isVisible() and not getattr(window, "_store_closed", False)
    finally:
        qtbot.waitUntil(holder.done, timeout=10_000)
        holder.stop()
    qtbot.waitUntil(lambda: not window.pending.queue, timeout=5_000)
    assert stored_comment(db_path) == "Skrivet före återställningen"
