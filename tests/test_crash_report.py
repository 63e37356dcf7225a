"""No silent failure: an error in a slot is told in Swedish, logged in the data folder, and the program goes on."""

from __future__ import annotations

import json
import stat
import sys

import pytest

pytest.importorskip("PySide6.QtWidgets")

from helpers import click_button  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bou_desktop import core  # noqa: E402
from bou_desktop.gui import crash_report  # noqa: E402
from bou_desktop.gui.main_window import MainWindow  # noqa: E402
from bou_desktop.settings import Settings  # noqa: E402


@pytest.fixture
def own_hook(monkeypatch):
    """The program's hook for one test; pytest-qt's and the logger's state are put back afterwards."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    handlers = list(crash_report.log.handlers)
    yield
    for handler in crash_report.log.handlers[:]:
        if handler not in handlers:
            handler.close()
            crash_report.log.removeHandler(handler)


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_menu_action_is_told_logged_and_the_program_goes_on(qtbot, tmp_path, monkeypatch, own_hook,
                                                                          screenshot_dir):
    def broken(self):
        raise RuntimeError("hittepå-fel i Om-rutan")

    monkeypatch.setattr(MainWindow, "_about", broken)
    store = core.open_store(tmp_path / "db.sqlite")
    window = MainWindow(store, Settings(role="ledare", region="Östergötland"))
    qtbot.addWidget(window)
    window.show()
    store.set_fields(window.round, "0580", {"q1": "ja"})
    reporter = crash_report.install()
    window.about_action.trigger()
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    dialog = reporter.dialog
    assert dialog.windowTitle() == "BoU Desktop – ett oväntat fel" and dialog.isModal()
    assert "Något gick fel i programmet: hittepå-fel i Om-rutan" in dialog.message.text()
    assert "Inget som redan är sparat har gått förlorat" in dialog.message.text()
    dialog.grab().save(str(screenshot_dir / "error_dialog.png"))
    click_button(dialog, "Kopiera detaljer")
    assert dialog.isVisible(), "Kopiera detaljer must not close the message"
    copied = QApplication.clipboard().text()
    assert "RuntimeError: hittepå-fel i Om-rutan" in copied and "Traceback" in copied
    log_file = crash_report.log_path()
    assert "RuntimeError: hittepå-fel i Om-rutan" in log_file.read_text(encoding="utf-8")
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
    click_button(dialog, "OK")
    qtbot.waitUntil(lambda: reporter.dialog is None)
    # The program goes on: the window still answers, and what was saved is there.
    window.find_action.trigger()
    assert QApplication.focusWidget() is window.filter_box or not window.isActiveWindow()
    assert store.response(window.round, "0580").fields == {"q1": "ja"}


@pytest.mark.qt_no_exception_capture
def test_errors_while_the_message_is_open_are_logged_not_stacked(qtbot, own_hook):
    reporter = crash_report.install()
    before = set(QApplication.topLevelWidgets())
    for what in ("första felet", "andra felet"):
        try:
            raise ValueError(what)
        except ValueError:
            sys.excepthook(*sys.exc_info())
    dialogs = [w for w in QApplication.topLevelWidgets() if w not in before and w.isVisible()]
    assert dialogs == [reporter.dialog]
    assert "första felet" in reporter.dialog.message.text()
    reporter.dialog.accept()
    assert not reporter.showing
    text = crash_report.log_path().read_text(encoding="utf-8")
    assert "ValueError: första felet" in text and "ValueError: andra felet" in text


def test_the_log_is_rotated(own_hook, monkeypatch):
    monkeypatch.setattr(crash_report, "LOG_FILE_BYTES", 2_000)
    crash_report.start_logging()  # a second after the start (gui/app.py after_start), or at the first error
    for number in range(40):
        crash_report.log.warning("rad %d %s", number, "x" * 200)
    folder = crash_report.log_path().parent
    logs = sorted(p.name for p in folder.iterdir())
    assert logs[:2] == ["bou-desktop.log", "bou-desktop.log.1"]
    assert len(logs) == 1 + crash_report.LOG_FILES_KEPT
    assert all(p.stat().st_size <= 2_500 for p in folder.iterdir())


def test_the_program_starts_maximised_with_the_error_reporter_installed(qtbot, tmp_path, monkeypatch, own_hook):
    from bou_desktop.gui import app as gui_app
    from bou_desktop.paths import user_data_dir

    user_data_dir().mkdir(parents=True, exist_ok=True)
    (user_data_dir() / "settings.json").write_text(json.dumps({"role": "ledare", "region": "Gotland"}), encoding="utf-8")
    seen = {}
    before = set(QApplication.topLevelWidgets())

    def run_event_loop() -> int:
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w not in before)
        qtbot.addWidget(window)
        seen["state"] = window.windowState()
        seen["hook"] = sys.excepthook
        return 0

    monkeypatch.setattr(QApplication, "exec", staticmethod(run_event_loop))
    # What the start puts off (gc.freeze) would run a second later, in whatever test runs then.
    monkeypatch.setattr(gui_app, "after_start", lambda: None)
    assert gui_app.run_gui(tmp_path / "db.sqlite") == 0
    assert seen["state"] & Qt.WindowState.WindowMaximized
    assert isinstance(seen["hook"], crash_report.ErrorReporter)
