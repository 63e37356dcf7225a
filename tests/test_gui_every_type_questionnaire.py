"""The questionnaire of a form with every question type, answered by keyboard as in an interview."""

from __future__ import annotations

import sqlite3

import pytest

pytest.importorskip("PySide6.QtWidgets")

from every_type import every_type_store  # noqa: E402
from helpers import type_text  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit  # noqa: E402

from bou_desktop.gui.main_window import MainWindow  # noqa: E402
from bou_desktop.settings import Settings  # noqa: E402


@pytest.fixture
def window(qtbot, tmp_path):
    store = every_type_store(tmp_path / "prov.sqlite")
    win = MainWindow(store, Settings(role="ledare", region="Östergötland"))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    win.select_municipality("0580")
    return win


def stored(window) -> dict[str, str]:
    """The response's fields as another program reads them."""
    conn = sqlite3.connect(window.store.path)
    try:
        return dict(conn.execute("SELECT a.field, a.value FROM answers a JOIN responses r ON r.id = a.response_id "
                                 "WHERE r.kommun = '0580'"))
    finally:
        conn.close()


def typed(qtbot, widget, text: str) -> None:
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus)
    type_text(widget, text)


def test_every_type_is_answered_by_keyboard_and_saved_as_typed(qtbot, window, screenshot_dir):
    cards = window.questionnaire.cards
    typed(qtbot, cards["antal"].value_input.edit, "2")
    typed(qtbot, cards["andel"].value_input.edit, "12,5")
    typed(qtbot, cards["start"].value_input.edit, "2013-05-01")
    typed(qtbot, cards["ort"].value_input.edit, "Linköping")
    typed(qtbot, cards["slutsats"].value_input, "Rad ett")
    table = cards["ledare"].value_input
    typed(qtbot, table.cells[(1, "omfattning")], "50")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # on to the next column of the row
    assert QApplication.focusWidget().accessibleName() == "Fråga 1 c), rad 1, Anställd fr.o.m."
    type_text(QApplication.focusWidget(), "2013-01-01")
    table.add_button.click()  # "Lägg till rad": the new row's first field has the focus
    assert QApplication.focusWidget() is table.cells[(2, "omfattning")]
    type_text(QApplication.focusWidget(), "75,5")
    assert stored(window) == {
        "antal": "2", "andel": "12.5", "start": "2013-05-01", "ort": "Linköping", "slutsats": "Rad ett",
        "ledare.1.omfattning": "50", "ledare.1.fran": "2013-01-01", "ledare.2.omfattning": "75.5",
    }
    # What was typed stays as typed (decimal comma), also after the view is refreshed by a save.
    assert cards["andel"].value_input.edit.text() == "12,5"
    assert table.cells[(2, "omfattning")].text() == "75,5"
    window.questionnaire.scroll_to("ledare")
    window.grab().save(str(screenshot_dir / "every_type_questionnaire.png"))
    # Opened again, the stored answers are shown as a person writes them.
    window.questionnaire.load("0580")
    assert cards["andel"].value_input.edit.text() == "12,5" and table.rows == 2
    assert cards["slutsats"].value_input.toPlainText() == "Rad ett"


def test_a_value_that_cannot_be_stored_is_said_and_not_saved(qtbot, window):
    cards = window.questionnaire.cards
    share = cards["andel"].value_input
    typed(qtbot, share.edit, "150")
    assert share.error.isVisible() and share.error.text() == "Ska vara högst 100."
    # 1 and 15 were saved as they were typed; 150 is not a value: the field keeps it, the database none.
    assert "andel" not in stored(window) and share.edit.text() == "150"
    qtbot.keyClick(share.edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(share.edit, Qt.Key.Key_Backspace)
    assert stored(window)["andel"] == "1" and not share.error.isVisible()
    date = cards["start"].value_input
    typed(qtbot, date.edit, "2013-13-40")
    assert "ÅÅÅÅ-MM-DD" in date.error.text() and "start" not in stored(window)
    cell = cards["ledare"].value_input.cells[(1, "timmar")]
    typed(qtbot, cell, "tre")
    assert cards["ledare"].value_input.error.text() == "Rad 1, Timmar: skriv ett heltal, t.ex. 12."


def test_undo_takes_back_a_typed_value(qtbot, window):
    edit = window.questionnaire.cards["ort"].value_input.edit
    typed(qtbot, edit, "Motala")
    assert stored(window)["ort"] == "Motala"
    window.undo_action.trigger()
    assert "ort" not in stored(window) and edit.text() == ""


def test_a_skip_over_parts_disables_their_inputs(qtbot, window):
    card = window.questionnaire.cards["har"]
    card.buttons["nej"].click()
    for qid in ("antal", "ledare"):
        assert not window.questionnaire.cards[qid].options_box.isEnabled()
    assert stored(window)["har"] == "nej"


def test_tab_walks_the_value_inputs_in_order(qtbot, window):
    cards = window.questionnaire.cards
    typed(qtbot, cards["antal"].value_input.edit, "")
    seen = []
    for _ in range(12):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        assert widget.isVisible()
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            seen.append(widget.accessibleName())
    assert seen[0].startswith("Kommentar till fråga 1 b")
    assert seen[1] == "Fråga 1 c), rad 1, Omfattning"


def test_a_table_row_is_added_by_keyboard(qtbot, window):
    """Tab from a row's last field reaches "Lägg till rad"; Space adds a row and the typing goes into it."""
    table = window.questionnaire.cards["ledare"].value_input
    typed(qtbot, table.cells[(1, "ort")], "Motala")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is table.add_button
    qtbot.keyClick(table.add_button, Qt.Key.Key_Space)
    assert QApplication.focusWidget() is table.cells[(2, "omfattning")]
    type_text(QApplication.focusWidget(), "40")
    assert stored(window)["ledare.2.omfattning"] == "40"
    assert "ledare.kommentar" not in stored(window)
