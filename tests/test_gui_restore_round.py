"""Arkiv → Återställ… reopens the window on the round the user was on (its form and year), not merely on
its year: a year may have two rounds. A round the backup does not have: the default round, and the status
bar says so."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")

from helpers import on_modals  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from test_rounds import FORM as PROV_FORM  # noqa: E402

from bou_desktop import core  # noqa: E402
from bou_desktop.gui.main_window import MainWindow  # noqa: E402
from bou_desktop.paths import forms_dir  # noqa: E402
from bou_desktop.settings import Settings  # noqa: E402
from bou_desktop.store.backup import list_backups  # noqa: E402

LEADER = Settings(role="ledare", region="Östergötland")


def _open(db, qtbot) -> MainWindow:
    window = MainWindow(core.open_store(db), LEADER)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _choose_round(window: MainWindow, qtbot, title: str) -> None:
    """Up and down the round list with the keyboard until `title` is shown."""
    box = window.round_box
    box.setFocus()
    titles = [box.itemText(i) for i in range(box.count())]
    key = Qt.Key.Key_Up if titles.index(title) < box.currentIndex() else Qt.Key.Key_Down
    while box.currentText() != title:
        qtbot.keyClick(box, key)
    assert window.round.title == title


def _restore_latest_backup(window: MainWindow, qtbot) -> MainWindow:
    on_modals(lambda dialog: dialog.accept(), lambda box: box.button(box.StandardButton.Yes).click())
    window.restore_action.trigger()
    replacement = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w is not window
                       and w.isVisible())
    qtbot.addWidget(replacement)
    return replacement


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_restore_keeps_the_round_of_a_year_with_two_rounds(tmp_path, qtbot, screenshot_dir):
    """2013 has the county's survey and the lägesrapport; the leader works in the survey: after the restore
    the window is on that survey again, not on the lägesrapport of the same year."""
    db = tmp_path / "ledare.sqlite"
    (tmp_path / "provenkat.toml").write_text(PROV_FORM, encoding="utf-8")
    store = core.open_store(db)
    store.add_round(2013, tmp_path / "provenkat.toml")
    store.add_round(2013, forms_dir() / "lagesrapport2013.toml")
    store.close()
    window = _open(db, qtbot)
    _choose_round(window, qtbot, "Provenkät om uppföljning 2013")
    window.backup_action.trigger()
    assert len(list_backups(db)) == 1

    replacement = _restore_latest_backup(window, qtbot)
    assert (replacement.round.year, replacement.round.form_id) == (2013, "provenkat")
    assert replacement.round_box.currentText() == "Provenkät om uppföljning 2013"
    assert replacement.statusBar().currentMessage().startswith("Återställde databasen från ")
    replacement.grab().save(str(screenshot_dir / "restore_keeps_round_of_two.png"))
    replacement.close()


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_restore_of_a_backup_without_the_round_shows_the_default_round_and_says_so(tmp_path, qtbot, screenshot_dir):
    """The backup was made before the 2013 survey was started: after the restore that round is gone, and the
    window is on the default round (2011), with a note in the status bar."""
    db = tmp_path / "ledare.sqlite"
    (tmp_path / "provenkat.toml").write_text(PROV_FORM, encoding="utf-8")
    window = _open(db, qtbot)
    window.backup_action.trigger()
    window.store.add_round(2013, tmp_path / "provenkat.toml")
    window.close()
    window = _open(db, qtbot)
    _choose_round(window, qtbot, "Provenkät om uppföljning 2013")

    replacement = _restore_latest_backup(window, qtbot)
    assert (replacement.round.year, replacement.round.form_id) == (2011, "kommunenkat")
    assert replacement.round_box.currentText() == "Kartläggning 2011"
    message = replacement.statusBar().currentMessage()
    assert "Återställde databasen från " in message
    assert "Provenkät om uppföljning 2013 finns inte i säkerhetskopian" in message and "Kartläggning 2011" in message
    qtbot.wait(50)  # the status bar laid out
    replacement.grab().save(str(screenshot_dir / "restore_round_not_in_backup.png"))
    replacement.close()
