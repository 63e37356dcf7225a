"""An interview by keyboard, as a leader does it while the head of social services talks:
Ctrl+F, a name, Enter, and typing; Tab through the form, arrows in a question, Ctrl+G to a
question; a finished response stays readable.

"The first answer field" is the first field a person fills in an interview: who answers, the
respondent's name at the top of the form. A finished response cannot be changed, so there the
focus goes to "Öppna igen…".
"""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")

import test_gui_questionnaire as gui_tests  # noqa: E402
from helpers import click_button, on_next_modal, type_text  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication, QInputDialog, QScrollArea, QSpinBox, QTableView  # noqa: E402

from bou_desktop.gui.models import CODE_ROLE  # noqa: E402

# The same window (a leader of Östergötland, 1366×768) and database file as the questionnaire's tests.
db_path, window = gui_tests.db_path, gui_tests.window


def saved_fields(db_path, kommun="0580") -> dict[str, str]:
    """The answers as a second program reads them from the database file, not through the window."""
    found = gui_tests.fields_in_db(db_path, kommun)
    return found[0] if found else {}


def active(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def search_and_enter(qtbot, window, name: str) -> None:
    active(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.filter_box.hasFocus()
    type_text(window.filter_box, name)
    qtbot.keyClick(window.filter_box, Qt.Key.Key_Return)


def ink(widget) -> str:
    """The darkest colour drawn in a widget: its text's."""
    image = widget.grab().toImage()
    colours = (image.pixelColor(x, y) for x in range(0, image.width(), 2) for y in range(image.height()))
    return min(colours, key=lambda c: c.lightness()).name()


def focused():
    return QApplication.focusWidget()


def go_to(qtbot, window, typed: str) -> None:
    """Ctrl+G, type the number as a person does, Enter."""
    seen = {}

    def answer(dialog):
        assert isinstance(dialog, QInputDialog) and dialog.windowTitle() == "Gå till fråga"
        spin = dialog.findChild(QSpinBox)
        try:
            qtbot.waitUntil(lambda: QApplication.focusWidget() is spin)  # typed into straight away
            type_text(spin, typed)
            seen["typed"] = spin.lineEdit().text()
            qtbot.keyClick(spin, Qt.Key.Key_Return)
        finally:
            if dialog.isVisible():  # a failed check must not leave the test waiting on the dialog
                dialog.reject()

    on_next_modal(answer)
    qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert seen["typed"] == typed  # the number shown at first is replaced, not added to
    active(qtbot, window)  # as a desktop does when a dialog closes (the offscreen platform does not)


def test_enter_in_the_search_puts_the_focus_on_the_first_field(qtbot, window, db_path, screenshot_dir):
    search_and_enter(qtbot, window, "Linköping")
    q = window.questionnaire
    assert q.kommun == "0580"
    assert focused() is q.header_edits["uppgiftslamnare.namn"]
    type_text(focused(), "Åsa Öberg")  # typed at once, no Tab or mouse in between
    window.grab().save(str(screenshot_dir / "keyboard_first_field.png"))
    assert saved_fields(db_path) == {"uppgiftslamnare.namn": "Åsa Öberg"}


def test_enter_in_the_list_puts_the_focus_on_the_first_field(qtbot, window):
    active(qtbot, window).list.setFocus()
    window.list.setCurrentIndex(window.proxy.index(0, 0))
    qtbot.keyClick(window.list, Qt.Key.Key_Down)
    assert isinstance(focused(), QTableView)  # arrowing through the list leaves the focus there
    code = window.proxy.index(1, 0).data(CODE_ROLE)
    assert window.questionnaire.kommun == code
    qtbot.keyClick(window.list, Qt.Key.Key_Return)
    assert window.questionnaire.kommun == code
    assert focused() is window.questionnaire.header_edits["uppgiftslamnare.namn"]


def test_tab_goes_round_the_window_through_visible_stops_only(qtbot, window):
    search_and_enter(qtbot, window, "Linköping")
    q = window.questionnaire
    start = focused()
    stops = []
    for _ in range(400):
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        widget = focused()
        if widget is start:
            break
        stops.append(widget)
        name = widget.accessibleName() or type(widget).__name__
        assert widget.isVisible() and widget.isEnabled(), name
        assert not widget.visibleRegion().isEmpty(), f"{name}: focused but scrolled out of sight"
        assert not isinstance(widget, QScrollArea), \
            f"{name}: a scroll area, a stop with nothing to see"
    else:
        pytest.fail("Tab never came back to the first field")
    names = [w.accessibleName() for w in stops]
    assert names[:5] == ["Uppgiftslämnare: Befattning", "Svarssätt", "Datum", "Intervjuare", "Fråga 1: Ja"]
    assert "Rang för Annat alternativ, ange" in names and "Kommuner" in names  # all the form, then the list
    assert q.scroll not in stops and q.content not in stops


def test_arrow_keys_choose_in_a_single_choice_question(qtbot, window, db_path):
    search_and_enter(qtbot, window, "Linköping")
    go_to(qtbot, window, "5")
    card = window.questionnaire.cards["q5"]
    assert focused() is card.buttons["ja"]
    qtbot.keyClick(focused(), Qt.Key.Key_Down)
    assert focused() is card.buttons["ja_i_viss_man"] and card.buttons["ja_i_viss_man"].isChecked()
    assert saved_fields(db_path) == {"q5": "ja_i_viss_man"}
    qtbot.keyClick(focused(), Qt.Key.Key_Down)
    qtbot.keyClick(focused(), Qt.Key.Key_Up)
    assert focused() is card.buttons["ja_i_viss_man"]
    assert [o for o, b in card.buttons.items() if b.isChecked()] == ["ja_i_viss_man"]
    assert saved_fields(db_path) == {"q5": "ja_i_viss_man"}
    qtbot.keyClick(focused(), Qt.Key.Key_Up)
    qtbot.keyClick(focused(), Qt.Key.Key_Up)  # at the first option: stays, still chosen
    assert focused() is card.buttons["ja"] and saved_fields(db_path) == {"q5": "ja"}


def test_arrow_keys_only_move_in_a_multi_choice_question(qtbot, window, db_path):
    search_and_enter(qtbot, window, "Linköping")
    go_to(qtbot, window, "8")
    card = window.questionnaire.cards["q8"]
    qtbot.keyClick(focused(), Qt.Key.Key_Down)
    assert focused() is card.buttons["tidsbrist"] and not card.buttons["tidsbrist"].isChecked()
    qtbot.keyClick(focused(), Qt.Key.Key_Space)
    assert saved_fields(db_path) == {"q8.tidsbrist": "X"}


def test_ctrl_g_goes_to_a_question_by_its_number(qtbot, window, screenshot_dir):
    search_and_enter(qtbot, window, "Linköping")
    q = window.questionnaire
    go_to(qtbot, window, "10")
    card = q.cards["q10"]
    assert card.isAncestorOf(focused()) and focused() is card.spins["basuppgifter"]
    assert not card.title.visibleRegion().isEmpty()  # the question is on screen, its heading too
    window.grab().save(str(screenshot_dir / "keyboard_go_to_question_10.png"))
    go_to(qtbot, window, "1")  # and back, instead of some 60 Shift+Tab
    assert focused() is q.cards["q1"].buttons["ja"]


def test_ctrl_g_without_a_municipality_says_what_to_do(qtbot, window):
    window.go_to_question_action.trigger()
    assert window.statusBar().currentMessage() == "Välj en kommun först."


def test_question_10_of_the_municipal_form_is_visibly_optional_and_asks_the_municipality(qtbot, window):
    search_and_enter(qtbot, window, "Linköping")
    card = window.questionnaire.cards["q10"]
    assert "(frivillig)" in card.title.text()
    assert not any("(frivillig)" in c.title.text() for c in window.questionnaire.cards.values() if c is not card)
    texts = [label.text() for label in card.findChildren(type(card.title)) if label.isVisible()]
    assert any(t.startswith("Frivillig fråga till kommunen: vad planerar ni i er kommun") for t in texts), texts


def test_a_finished_response_reads_in_normal_colours_and_stays_unchanged(qtbot, window, db_path, screenshot_dir):
    window.store.set_fields(window.round, "0580", {"q1": "ja", "q5": "nej", "q5.kommentar": "Inget IT-stöd"})
    search_and_enter(qtbot, window, "Linköping")
    q = window.questionnaire
    card = q.cards["q5"]
    label = card.labels["nej"]
    unlocked = (ink(label), ink(card.comment))
    window.store.set_status(window.round, "0580", "klar")
    q.load("0580")
    assert q.locked and q.locked_banner.isVisible() and not label.isEnabled()
    normal = window.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText)
    assert label.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText) == normal
    assert card.comment.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text) == \
        window.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Text)
    assert (ink(label), ink(card.comment)) == unlocked  # as dark as before, not grey
    window.grab().save(str(screenshot_dir / "keyboard_locked_response.png"))
    # Neither mouse nor keyboard changes it.
    qtbot.mouseClick(card.labels["ja"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(card.buttons["ja"], Qt.MouseButton.LeftButton)
    qtbot.keyClick(card.buttons["nej"], Qt.Key.Key_Up)
    qtbot.keyClick(card.buttons["ja"], Qt.Key.Key_Space)
    type_text(card.comment, "x")
    assert saved_fields(db_path) == {"q1": "ja", "q5": "nej", "q5.kommentar": "Inget IT-stöd"}
    assert card.buttons["nej"].isChecked() and not card.buttons["ja"].isChecked()
    # Enter in the search: the focus goes where something can be done with it.
    search_and_enter(qtbot, window, "Linköping")
    assert focused() is q.reopen_button
    # Opened again: the window's own colours again, so a skipped question is greyed as in any draft.
    window.store.set_status(window.round, "0580", "utkast", reason="Kommunen kompletterar")
    q.load("0580")
    disabled = (QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
    assert q.content.palette().color(*disabled) == window.palette().color(*disabled)


def test_the_question_1_box_shows_only_the_new_choice(qtbot, window, db_path, screenshot_dir):
    search_and_enter(qtbot, window, "Linköping")
    q = window.questionnaire
    buttons = q.cards["q1"].buttons
    buttons["ja"].click()
    q.cards["q2"].buttons["politiker"].click()
    seen = {}

    def look(box):
        seen["checked"] = [o for o, b in buttons.items() if b.isChecked()]
        window.grab().save(str(screenshot_dir / "keyboard_q1_confirmation_window.png"))
        click_button(box, "Avbryt")

    on_next_modal(look)
    q.scroll_to("q1")
    qtbot.keyClick(focused(), Qt.Key.Key_Down)  # "Nej" by arrow, as by a click
    assert seen["checked"] == ["nej"]
    assert [o for o, b in buttons.items() if b.isChecked()] == ["ja"]  # cancelled: as it was
    assert saved_fields(db_path) == {"q1": "ja", "q2.politiker": "X"}
