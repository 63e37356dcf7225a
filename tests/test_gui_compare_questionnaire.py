"""The questionnaire beside the round compared with (issue 17): the unit's earlier answer under each
question, in quieter text, and Ctrl+Shift+K (Svar → Hämta förra omgångens svar) copying it into this
round, saved at once and undone with Ctrl+Z. Driven by the keyboard; the database is read by a second
connection, as another program would."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")

from every_type import every_type_store, later_form, write_forms  # noqa: E402
from helpers import show_window  # noqa: E402
from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bou_desktop import core  # noqa: E402
from bou_desktop.gui.main_window import MainWindow  # noqa: E402
from bou_desktop.settings import Settings  # noqa: E402

LEADER = Settings(role="ledare", region="Östergötland", name="Eva Ek", email="eva.ek@example.se")
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
LONG_TEXT = ("Vi följde upp alla placeringar i familjehem under året och gick igenom varje barns skolgång, "
             "hälsa och kontakt med föräldrarna tillsammans med socialsekreterarna.")


def fields_of(db_path, year: int, unit: str) -> dict[str, str]:
    """A unit's stored fields in a round, read by a second connection."""
    other = core.open_store(db_path) if "every" not in db_path.name else every_type_store(db_path)
    try:
        round_ = next(r for r in other.rounds() if r.year == year)
        record = other.response(round_, unit)
        return dict(record.fields) if record else {}
    finally:
        other.close()


def press_copy(qtbot, window, widget) -> None:
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(widget.hasFocus)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_K, CTRL_SHIFT)


def undo(qtbot) -> None:
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


@pytest.fixture
def two_rounds(tmp_path):
    """kommunenkat 2011 (Linköping answered) and 2013 (the same form, not yet answered)."""
    path = tmp_path / "två-omgångar.sqlite"
    store = core.open_store(path)
    first = store.round_for(2011)
    store.set_fields(first, "0580", {"q1": "ja", "q2.politiker": "x", "q2.annan": "x", "q2.annan.ange": "Föräldrar",
                                     "q10.resultat_hvb": "1", "q10.basuppgifter": "2", "q1.kommentar": "Se bilaga"})
    store.add_round(2013, "kommunenkat")
    store.close()
    return path


def test_last_rounds_answer_is_shown_and_copied_by_key_with_undo(qtbot, two_rounds, screenshot_dir):
    window = show_window(qtbot, MainWindow(core.open_store(two_rounds), LEADER))
    assert window.round.year == 2013
    window.select_municipality("0580")
    view = window.questionnaire
    cards = view.cards
    assert cards["q1"].earlier_label.text() == "2011: Ja"
    assert "Kommentar: Se bilaga" in cards["q1"].earlier_label.toolTip()
    assert cards["q2"].earlier_label.text() == "2011: Politiker, Annan, ange: Föräldrar"
    ranked = "1. Utveckla systematisk uppföljning – resultat av insatsen HVB, 2. Basuppgifter för systematisk uppföljning"
    assert cards["q10"].earlier_label.text() == f"2011: {ranked[:89].rstrip()}…"  # shortened, in full in the tooltip
    assert ranked in cards["q10"].earlier_label.toolTip()
    assert cards["q5"].earlier_label.text() == "2011: inget svar"
    assert "2011" in view.compare_note.text() and "Nya frågor" not in view.compare_note.text()  # same form
    # "Jämför med" reads as in the county and national views: the round's name, the previous one marked
    assert [view.compare_box.itemText(i) for i in range(view.compare_box.count())] == [
        "Kartläggning 2011 (förra omgången)", "Ingen jämförelse"]
    assert fields_of(two_rounds, 2013, "0580") == {}

    # q2 by keyboard: focus its first box, Ctrl+Shift+K
    press_copy(qtbot, window, cards["q2"].buttons["politiker"])
    expected = {"q2.politiker": "X", "q2.annan": "X", "q2.annan.ange": "Föräldrar"}
    assert fields_of(two_rounds, 2013, "0580") == expected
    assert cards["q2"].buttons["politiker"].isChecked() and cards["q2"].buttons["annan"].isChecked()
    assert cards["q2"].specify["annan"].text() == "Föräldrar" and cards["q2"].specify["annan"].isVisible()
    assert "Hämtade svaret från 2011 till fråga 2" in window.statusBar().currentMessage()
    window.grab().save(str(screenshot_dir / "compare_questionnaire.png"))

    undo(qtbot)
    assert fields_of(two_rounds, 2013, "0580") == {}
    assert not cards["q2"].buttons["politiker"].isChecked() and not cards["q2"].buttons["annan"].isChecked()
    assert fields_of(two_rounds, 2011, "0580")["q2.annan.ange"] == "Föräldrar"  # the earlier round untouched

    # q1 answered differently this year: the copy replaces it, and undo restores exactly what was there
    qtbot.mouseClick(cards["q1"].labels["nej"], Qt.MouseButton.LeftButton)
    assert fields_of(two_rounds, 2013, "0580") == {"q1": "nej"}
    press_copy(qtbot, window, cards["q1"].buttons["nej"])
    assert fields_of(two_rounds, 2013, "0580") == {"q1": "ja"}  # not the 2011 comment
    assert cards["q1"].buttons["ja"].isChecked() and not cards["q1"].buttons["nej"].isChecked()
    window.undo_action.trigger()  # Redigera → Ångra
    assert fields_of(two_rounds, 2013, "0580") == {"q1": "nej"} and cards["q1"].buttons["nej"].isChecked()

    # the menu action does the same as the key; a question unanswered then copies nothing
    cards["q5"].buttons["ja"].setFocus()
    window.copy_earlier_action.trigger()
    assert window.statusBar().currentMessage() == "Fråga 5 hade inget svar 2011."
    assert fields_of(two_rounds, 2013, "0580") == {"q1": "nej"}

    # the ranking
    press_copy(qtbot, window, cards["q10"].spins["basuppgifter"])
    assert fields_of(two_rounds, 2013, "0580") == {"q1": "nej", "q10.resultat_hvb": "1", "q10.basuppgifter": "2"}
    assert cards["q10"].spins["resultat_hvb"].value() == 1

    # the audit log has the copy as any other change from the window
    other = core.open_store(two_rounds)
    try:
        entries = other.audit_log(other.response(other.round_for(2013), "0580").uuid)
    finally:
        other.close()
    assert any(e.field == "q10.resultat_hvb" and e.new == "1" and e.source == "gui" for e in entries)


def test_nothing_is_shown_for_a_municipality_that_did_not_answer_then(qtbot, two_rounds):
    window = show_window(qtbot, MainWindow(core.open_store(two_rounds), LEADER))
    window.select_municipality("0512")  # Ydre: no 2011 answer
    view = window.questionnaire
    assert not any(card.earlier_label.isVisible() for card in view.cards.values())
    assert view.compare_note.text() == "Ydre svarade inte 2011."
    press_copy(qtbot, window, view.cards["q1"].buttons["ja"])
    assert window.statusBar().currentMessage() == "Ydre svarade inte 2011."
    assert fields_of(two_rounds, 2013, "0512") == {}


def test_nothing_is_shown_without_an_earlier_round(qtbot, tmp_path):
    window = show_window(qtbot, MainWindow(core.open_store(tmp_path / "en.sqlite"), LEADER))
    window.select_municipality("0580")
    view = window.questionnaire
    assert view.compare_round is None and not view.compare_bar.isVisible()
    assert not any(card.earlier_label.isVisible() for card in view.cards.values())
    press_copy(qtbot, window, view.cards["q1"].buttons["ja"])
    assert window.statusBar().currentMessage() == "Det finns ingen tidigare omgång att hämta svar från."


def test_every_type_shown_quietly_and_copied_with_a_renamed_question(qtbot, tmp_path, screenshot_dir):
    path = tmp_path / "every.sqlite"
    store = every_type_store(path)
    first = store.round_for(2013)
    store.set_fields(first, "0580", {
        "har": "ja", "antal": "12", "andel": "12.5", "start": "2012-03-01", "ort": "Linköping",
        "slutsats": LONG_TEXT, "ledare.1.omfattning": "50", "ledare.1.ort": "Motala", "ledare.2.timmar": "20",
        "ledare.3.fran": "2012-01-01"})
    store.add_round(2014, later_form(write_forms(tmp_path / "formulär")))
    store.close()
    window = show_window(qtbot, MainWindow(every_type_store(path), LEADER))
    assert window.round.year == 2014
    window.select_municipality("0580")
    view = window.questionnaire
    cards = view.cards
    assert cards["antal"].earlier_label.text() == "2013: 12"
    assert cards["andelen"].earlier_label.text() == "2013: 12,5\u00a0%"  # renamed: same_as finds 2013's "andel"
    assert cards["start"].earlier_label.text() == "2013: 2012-03-01"
    assert cards["ledare"].earlier_label.text() == "2013: 3 rader"
    assert "Rad 1: Omfattning: 50\u00a0%, Ort: Motala" in cards["ledare"].earlier_label.toolTip()
    shortened = cards["slutsats"].earlier_label.text()
    assert shortened.startswith("2013: Vi följde upp") and shortened.endswith("…") and len(shortened) < len(LONG_TEXT)
    assert LONG_TEXT in cards["slutsats"].earlier_label.toolTip()
    assert cards["plats"].earlier_label.text() == "Ny fråga – fanns inte 2013."
    assert "Nya frågor utan motsvarighet 2013: 7." in view.compare_note.text()
    assert [q.id for q in view.new_questions()] == ["plats"]
    view.scroll_to("ledare")
    # Laid out with last round's lines shown before it scrolls: the card at the top, nothing squeezed.
    assert 0 <= cards["ledare"].mapTo(view.scroll.viewport(), QPoint(0, 0)).y() <= 10
    spins = [spin for card in cards.values() for spin in card.spins.values()]
    assert spins and all(spin.height() >= spin.minimumSizeHint().height() for spin in spins)
    window.grab().save(str(screenshot_dir / "compare_questionnaire_every_type.png"))

    press_copy(qtbot, window, cards["andelen"].value_input.edit)
    assert fields_of(path, 2014, "0580") == {"andelen": "12.5"}
    assert cards["andelen"].value_input.edit.text() == "12,5"
    press_copy(qtbot, window, cards["ledare"].value_input.first_cell())
    assert fields_of(path, 2014, "0580") == {"andelen": "12.5", "ledare.1.omfattning": "50", "ledare.1.ort": "Motala",
                                             "ledare.2.timmar": "20", "ledare.3.fran": "2012-01-01"}
    assert cards["ledare"].value_input.cells[(3, "fran")].text() == "2012-01-01"
    undo(qtbot)
    assert fields_of(path, 2014, "0580") == {"andelen": "12.5"}
    press_copy(qtbot, window, cards["plats"].value_input.edit)
    assert window.statusBar().currentMessage() == "Fråga 7 är ny och har inget svar från 2013."
    assert fields_of(path, 2014, "0580") == {"andelen": "12.5"}

    # Comparing with no round: nothing shown
    view.compare_with(None)
    assert not any(card.earlier_label.isVisible() for card in cards.values())


@pytest.fixture
def skipping_rounds(tmp_path):
    """Norrköping answered "Nej" to question 1 in 2011 (it skips questions 2–4); in 2013 "Ja", with
    answers to questions 2 and 3."""
    path = tmp_path / "hoppar.sqlite"
    store = core.open_store(path)
    store.set_fields(store.round_for(2011), "0581", {"q1": "nej", "q5": "ja"})
    later = store.add_round(2013, "kommunenkat")
    store.set_fields(later, "0581", {"q1": "ja", "q2.politiker": "X", "q3.kommentar": "Årlig rapport"})
    store.close()
    return path


def answer_by_keyboard(qtbot, seen: dict, button_text: str | None, picture=None):
    """Answer the question box by keyboard: Esc (Avbryt), or the named button focused and Space;
    `picture`: where to save a screenshot of the box."""
    from helpers import on_next_modal
    from PySide6.QtWidgets import QAbstractButton

    def answer(box):
        seen["title"], seen["text"] = box.windowTitle(), box.text()
        if picture is not None:
            box.grab().save(str(picture))
        if button_text is None:
            qtbot.keyClick(box, Qt.Key.Key_Escape)
            return
        button = next(b for b in box.findChildren(QAbstractButton) if b.text().replace("&", "") == button_text)
        button.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.keyClick(button, Qt.Key.Key_Space)

    on_next_modal(answer)


def press_copy_after_a_box(qtbot, window, widget) -> None:
    """Ctrl+Shift+K once the window is active again (a question box closed takes the activation with it)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    press_copy(qtbot, window, widget)


def undo_after_a_box(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow() and QApplication.focusWidget() is not None)
    undo(qtbot)


def test_copying_an_answer_that_skips_answered_questions_asks_first(qtbot, skipping_rounds, screenshot_dir):
    window = show_window(qtbot, MainWindow(core.open_store(skipping_rounds), LEADER))
    window.select_municipality("0581")
    cards = window.questionnaire.cards
    before = {"q1": "ja", "q2.politiker": "X", "q3.kommentar": "Årlig rapport"}
    assert fields_of(skipping_rounds, 2013, "0581") == before
    assert cards["q1"].earlier_label.text() == "2011: Nej (gå vidare till fråga 5)"

    # Cancelled (Esc): nothing changes, in the database or on screen, and nothing is left to undo.
    seen: dict = {}
    answer_by_keyboard(qtbot, seen, None, screenshot_dir / "compare_questionnaire_skipping_asks.png")
    press_copy(qtbot, window, cards["q1"].buttons["ja"])
    assert seen["title"] == "Frågor som hoppas över har svar"
    assert "Med svaret ”Nej (gå vidare till fråga 5)” hoppar enkäten över fråga 2 och 3" in seen["text"]
    assert fields_of(skipping_rounds, 2013, "0581") == before
    assert cards["q1"].buttons["ja"].isChecked() and not cards["q1"].buttons["nej"].isChecked()
    assert cards["q2"].buttons["politiker"].isChecked() and cards["q2"].options_box.isEnabled()
    assert window.statusBar().currentMessage() == "Svaret från 2011 hämtades inte till fråga 1."
    assert not window.undo_action.isEnabled()

    # "Behåll svaren": the copy, the later answers kept (and the response marked as contradictory).
    answer_by_keyboard(qtbot, seen, "Behåll svaren")
    press_copy_after_a_box(qtbot, window, cards["q1"].buttons["ja"])
    assert fields_of(skipping_rounds, 2013, "0581") == before | {"q1": "nej"}
    assert cards["q2"].skip_note.isVisible()
    undo_after_a_box(qtbot, window)
    assert fields_of(skipping_rounds, 2013, "0581") == before

    # "Ta bort svaren": the copy and the cleared answers are one change, undone by one Ctrl+Z.
    answer_by_keyboard(qtbot, seen, "Ta bort svaren")
    press_copy_after_a_box(qtbot, window, cards["q1"].buttons["ja"])
    assert fields_of(skipping_rounds, 2013, "0581") == {"q1": "nej"}
    assert cards["q1"].buttons["nej"].isChecked() and not cards["q2"].buttons["politiker"].isChecked()
    window.grab().save(str(screenshot_dir / "compare_questionnaire_skipping.png"))
    undo_after_a_box(qtbot, window)
    assert fields_of(skipping_rounds, 2013, "0581") == before
    assert cards["q2"].buttons["politiker"].isChecked() and cards["q3"].comment.toPlainText() == "Årlig rapport"
