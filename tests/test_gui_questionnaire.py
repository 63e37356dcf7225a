"""The questionnaire in the GUI, used as an interviewer does: keyboard and mouse, autosave,
skip logic, undo, finishing, reopening, history, printing."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")

from helpers import click_button, on_next_modal, show_window, type_text  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QInputDialog  # noqa: E402

from bou_desktop import core  # noqa: E402
from bou_desktop.gui.main_window import MainWindow  # noqa: E402
from bou_desktop.settings import Settings  # noqa: E402

LEADER = Settings(role="ledare", region="Östergötland", name="Eva Ek", email="eva.ek@example.se", phone="013-12 34 56")


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "intervjuer.sqlite"


@pytest.fixture
def window(qtbot, db_path):
    return show_window(qtbot, MainWindow(core.open_store(db_path), LEADER))


def fields_in_db(db_path, kommun="0580"):
    """Read the database as a second program would, not through the window's store."""
    other = core.open_store(db_path)
    try:
        record = other.response(other.round_for(), kommun)
        return (record.fields, record.status, {k: getattr(record, k) for k in ("svarssatt", "datum", "intervjuare")}) if record else None
    finally:
        other.close()


def click_option(qtbot, window, qid, oid):
    qtbot.mouseClick(window.questionnaire.cards[qid].labels[oid], Qt.MouseButton.LeftButton)


def row_of(window, name):
    return next(r for r in range(window.proxy.rowCount()) if window.proxy.index(r, 0).data() == name)


def open_linkoping(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.list.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.filter_box.hasFocus()
    type_text(window.filter_box, "Linköping")
    qtbot.keyClick(window.filter_box, Qt.Key.Key_Return)
    assert window.questionnaire.kommun == "0580"
    return window.questionnaire


def test_municipality_list_in_swedish_order_with_statuses_and_progress(qtbot, window, screenshot_dir):
    store = window.store
    store.set_fields(window.round, "0512", {"q1": "ja"})  # Ydre: draft
    store.set_fields(window.round, "0580", {"q1": "ja"})
    store.set_status(window.round, "0580", "klar")
    names = [window.proxy.index(r, 0).data() for r in range(window.proxy.rowCount())]
    assert len(names) == 13 and names[-2:] == ["Åtvidaberg", "Ödeshög"]
    assert names.index("Ydre") < names.index("Åtvidaberg")
    status = {window.proxy.index(r, 0).data(): window.proxy.index(r, 1).data() for r in range(window.proxy.rowCount())}
    assert status["Linköping"] == "klar" and status["Ydre"] == "utkast" and status["Motala"] == "ej påbörjad"
    assert window.progress.text() == "1 av 13 kommuner har svarat (8 %)"
    assert window.windowTitle().startswith("BoU Desktop – Östergötland")
    window.grab().save(str(screenshot_dir / "main_window.png"))


def test_another_region_can_be_chosen(qtbot, window):
    window.region_box.setCurrentIndex(window.region_box.findData("Gotland"))
    assert window.proxy.rowCount() == 1 and window.proxy.index(0, 0).data() == "Gotland"
    assert window.progress.text() == "0 av 1 kommuner har svarat (0 %)"


def test_whole_questionnaire_by_keyboard_and_mouse_lands_in_the_database(qtbot, window, db_path, screenshot_dir):
    q = open_linkoping(qtbot, window)
    type_text(q.header_edits["uppgiftslamnare.namn"], "Åsa Öberg")
    type_text(q.header_edits["uppgiftslamnare.befattning"], "IFO-chef")
    q.mode_box.setFocus()
    q.mode_box.setCurrentIndex(q.mode_box.findData("gruppintervju"))
    q.mode_box.activated.emit(q.mode_box.currentIndex())
    type_text(q.date_edit, "2011-11-14")
    type_text(q.interviewer_edit, "Eva Ek")
    click_option(qtbot, window, "q1", "ja")
    for oid in ("politiker", "chefer", "annan"):
        click_option(qtbot, window, "q2", oid)
    assert q.cards["q2"].specify["annan"].isVisible()
    type_text(q.cards["q2"].specify["annan"], "Socialstyrelsen & SCB")
    # Question 3 by keyboard: focus the box, Space ticks it.
    budget = q.cards["q3"].buttons["budget"]
    budget.setFocus()
    qtbot.keyClick(budget, Qt.Key.Key_Space)
    click_option(qtbot, window, "q4", "bbic")
    click_option(qtbot, window, "q5", "ja_i_viss_man")
    click_option(qtbot, window, "q6", "nej")
    click_option(qtbot, window, "q7", "ja")
    click_option(qtbot, window, "q8", "tidsbrist")
    click_option(qtbot, window, "q9", "statistikstod")
    type_text(q.cards["q9"].comment, "Behöver en mall för uppföljning <b>")
    spin = q.cards["q10"].spins["basuppgifter"]
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key.Key_Up)
    assert window.statusBar().currentMessage().startswith("Sparat ")
    window.grab().save(str(screenshot_dir / "questionnaire.png"))
    fields, status, meta = fields_in_db(db_path)
    assert fields == {
        "uppgiftslamnare.namn": "Åsa Öberg",
        "uppgiftslamnare.befattning": "IFO-chef",
        "q1": "ja",
        "q2.politiker": "X", "q2.chefer": "X", "q2.annan": "X", "q2.annan.ange": "Socialstyrelsen & SCB",
        "q3.budget": "X",
        "q4.bbic": "X",
        "q5": "ja_i_viss_man", "q6": "nej", "q7": "ja",
        "q8.tidsbrist": "X",
        "q9.statistikstod": "X", "q9.kommentar": "Behöver en mall för uppföljning <b>",
        "q10.basuppgifter": "1",
    }
    assert status == "utkast"
    assert meta == {"svarssatt": "gruppintervju", "datum": "2011-11-14", "intervjuare": "Eva Ek"}


def test_arrow_keys_choose_in_a_single_choice_and_space_keeps_the_choice(qtbot, window, db_path):
    q = open_linkoping(qtbot, window)
    first = q.cards["q5"].buttons["ja"]
    first.setFocus()
    qtbot.keyClick(first, Qt.Key.Key_Down)  # more in test_keyboard_interview.py
    focused = QApplication.focusWidget()
    assert focused is q.cards["q5"].buttons["ja_i_viss_man"]
    assert fields_in_db(db_path)[0] == {"q5": "ja_i_viss_man"}
    qtbot.keyClick(focused, Qt.Key.Key_Space)
    assert fields_in_db(db_path)[0] == {"q5": "ja_i_viss_man"}


def test_tab_order_follows_the_form(qtbot, window):
    q = open_linkoping(qtbot, window)
    q.header_edits["uppgiftslamnare.namn"].setFocus()
    order = []
    for _ in range(8):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget().accessibleName())
    assert order[:5] == ["Uppgiftslämnare: Befattning", "Svarssätt", "Datum", "Intervjuare", "Fråga 1: Ja"]


def test_a_single_choice_can_be_cleared(qtbot, window, db_path):
    q = open_linkoping(qtbot, window)
    click_option(qtbot, window, "q5", "nej")
    click_option(qtbot, window, "q5", "ja")
    assert fields_in_db(db_path)[0] == {"q5": "ja"}
    assert not q.cards["q5"].buttons["nej"].isChecked()
    qtbot.mouseClick(q.cards["q5"].clear_button, Qt.MouseButton.LeftButton)
    assert fields_in_db(db_path) is not None and fields_in_db(db_path)[0] == {}
    assert not any(b.isChecked() for b in q.cards["q5"].buttons.values())


@pytest.mark.parametrize("choice, kept", [("Ta bort svaren", False), ("Behåll svaren", True)])
def test_no_in_question_1_asks_before_clearing_questions_2_to_4(qtbot, window, db_path, choice, kept, screenshot_dir):
    q = open_linkoping(qtbot, window)
    click_option(qtbot, window, "q1", "ja")
    click_option(qtbot, window, "q2", "politiker")
    type_text(q.cards["q3"].comment, "Årlig rapport")
    seen = {}

    def answer(box):
        seen["text"] = box.text()
        if choice == "Ta bort svaren":
            box.grab().save(str(screenshot_dir / "skip_question.png"))
        click_button(box, choice)

    on_next_modal(answer)
    click_option(qtbot, window, "q1", "nej")
    assert "hoppar enkäten över fråga 2 och 3" in seen["text"]
    fields = fields_in_db(db_path)[0]
    assert fields["q1"] == "nej"
    assert ("q2.politiker" in fields and "q3.kommentar" in fields) is kept
    assert ("q2.politiker" not in fields and "q3.kommentar" not in fields) is (not kept)
    for qid in ("q2", "q3", "q4"):
        assert not q.cards[qid].options_box.isEnabled()
        assert q.cards[qid].skip_note.isVisible()
    assert "gå vidare till fråga 5" in q.cards["q2"].skip_note.text()


def test_cancel_keeps_question_1_as_it_was(qtbot, window, db_path):
    q = open_linkoping(qtbot, window)
    click_option(qtbot, window, "q1", "ja")
    click_option(qtbot, window, "q2", "politiker")
    on_next_modal(lambda box: click_button(box, "Avbryt"))
    click_option(qtbot, window, "q1", "nej")
    assert fields_in_db(db_path)[0] == {"q1": "ja", "q2.politiker": "X"}
    assert q.cards["q1"].buttons["ja"].isChecked() and not q.cards["q1"].buttons["nej"].isChecked()


def test_no_without_answers_to_skip_does_not_ask(qtbot, window, db_path):
    q = open_linkoping(qtbot, window)
    click_option(qtbot, window, "q1", "nej")  # a dialog here would block the test
    assert fields_in_db(db_path)[0] == {"q1": "nej"}
    assert not q.cards["q3"].options_box.isEnabled()


def test_autosave_survives_a_window_that_is_never_closed(qtbot, db_path):
    first = MainWindow(core.open_store(db_path), LEADER)
    first.show()
    qtbot.waitExposed(first)
    q = open_linkoping(qtbot, first)
    click_option(qtbot, first, "q7", "vet_ej")
    type_text(q.cards["q7"].comment, "Osäkert – frågar nämnden")
    # No close, no save: the window is simply thrown away, as after a crash.
    first.hide()
    first.deleteLater()
    QApplication.processEvents()
    second = MainWindow(core.open_store(db_path), LEADER)
    qtbot.addWidget(second)
    second.select_municipality("0580")
    assert second.questionnaire.cards["q7"].buttons["vet_ej"].isChecked()
    assert second.questionnaire.cards["q7"].comment.toPlainText() == "Osäkert – frågar nämnden"


def test_switching_municipality_loses_nothing(qtbot, window, db_path):
    q = open_linkoping(qtbot, window)
    type_text(q.cards["q1"].comment, "Halvfärdig")
    window.select_municipality("0581")  # Norrköping
    window.select_municipality("0580")
    assert q.cards["q1"].comment.toPlainText() == "Halvfärdig"


def test_undo_and_redo_with_the_keyboard(qtbot, window, db_path):
    q = open_linkoping(qtbot, window)
    click_option(qtbot, window, "q8", "tidsbrist")
    comment = q.cards["q8"].comment
    comment.setFocus()
    type_text(comment, "Hög personalomsättning")
    qtbot.keyClick(comment, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert comment.toPlainText() == ""  # the typed text is one step
    assert fields_in_db(db_path)[0] == {"q8.tidsbrist": "X"}
    qtbot.keyClick(comment, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not q.cards["q8"].buttons["tidsbrist"].isChecked()
    assert fields_in_db(db_path)[0] == {}
    qtbot.keyClick(comment, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(comment, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert fields_in_db(db_path)[0] == {"q8.tidsbrist": "X", "q8.kommentar": "Hög personalomsättning"}
    assert comment.toPlainText() == "Hög personalomsättning"


def test_undo_of_clearing_skipped_answers_brings_them_back(qtbot, window, db_path):
    q = open_linkoping(qtbot, window)
    click_option(qtbot, window, "q1", "ja")
    click_option(qtbot, window, "q4", "adad")
    on_next_modal(lambda box: click_button(box, "Ta bort svaren"))
    click_option(qtbot, window, "q1", "nej")
    assert fields_in_db(db_path)[0] == {"q1": "nej"}
    window.undo_action.trigger()
    assert fields_in_db(db_path)[0] == {"q1": "ja", "q4.adad": "X"}
    assert q.cards["q4"].options_box.isEnabled()


def test_repeated_rank_is_warned_about(qtbot, window, db_path):
    q = open_linkoping(qtbot, window)
    q.cards["q10"].spins["basuppgifter"].setValue(2)
    q.cards["q10"].spins["resultat_hvb"].setValue(2)
    assert q.cards["q10"].rank_warning.isVisible()
    assert "Samma rang" in q.cards["q10"].rank_warning.text()
    assert fields_in_db(db_path)[0] == {"q10.basuppgifter": "2", "q10.resultat_hvb": "2"}


def test_bad_date_is_explained_and_not_saved(qtbot, window, db_path):
    q = open_linkoping(qtbot, window)
    type_text(q.date_edit, "14/11")
    assert q.date_error.isVisible() and "ÅÅÅÅ-MM-DD" in q.date_error.text()
    assert fields_in_db(db_path) is None


def test_finishing_lists_unanswered_questions_and_jumps_to_one(qtbot, window, db_path, screenshot_dir):
    q = open_linkoping(qtbot, window)
    click_option(qtbot, window, "q1", "ja")
    seen = {}

    def look_and_jump(dialog):
        seen["items"] = [dialog.list.item(i).text() for i in range(dialog.list.count())]
        dialog.grab().save(str(screenshot_dir / "finish_dialog.png"))
        dialog.list.setCurrentRow(2)
        qtbot.keyClick(dialog.list, Qt.Key.Key_Return)

    on_next_modal(look_and_jump)
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert [s.split(":")[0] for s in seen["items"]] == [f"Fråga {n}" for n in range(2, 10)]  # 10 is optional
    assert window.focusWidget() is q.cards["q4"].first_input()  # focus once the window is active again
    assert fields_in_db(db_path)[1] == "utkast"


def test_finish_anyway_locks_and_reopen_needs_a_reason_that_reaches_the_history(qtbot, window, db_path, screenshot_dir):
    q = open_linkoping(qtbot, window)
    click_option(qtbot, window, "q1", "nej")
    on_next_modal(lambda dialog: click_button(dialog, "Markera som klar ändå"))
    window.finish_action.trigger()
    assert fields_in_db(db_path)[1] == "klar"
    assert not q.content.isEnabled() and q.locked_banner.isVisible()
    assert window.proxy.index(row_of(window, "Linköping"), 1).data() == "klar"
    assert window.progress.text() == "1 av 13 kommuner har svarat (8 %)"

    def give_reason(dialog):
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue("Kommunen vill komplettera fråga 5")
        dialog.accept()

    on_next_modal(give_reason)
    qtbot.mouseClick(q.reopen_button, Qt.MouseButton.LeftButton)
    assert fields_in_db(db_path)[1] == "utkast" and q.content.isEnabled()

    def look_at_history(dialog):
        model = dialog.findChild(type(dialog.table.model())) if hasattr(dialog, "table") else None
        view_model = dialog.table.model() if hasattr(dialog, "table") else model
        rows = [[view_model.index(r, c).data() for c in range(view_model.columnCount())] for r in range(view_model.rowCount())]
        seen["rows"] = rows
        dialog.grab().save(str(screenshot_dir / "history.png"))
        dialog.close()

    seen = {}
    on_next_modal(look_at_history)
    qtbot.mouseClick(q.history_button, Qt.MouseButton.LeftButton)
    flat = [" | ".join(str(c) for c in row) for row in seen["rows"]]
    assert any("Kommunen vill komplettera fråga 5" in row and "klar" in row for row in flat), flat
    assert any("Fråga 1" in row and "Nej (gå vidare till fråga 5)" in row for row in flat), flat


def test_a_finished_response_cannot_be_changed_from_the_window(qtbot, window, db_path):
    window.store.set_fields(window.round, "0580", {"q1": "ja"})
    window.store.set_status(window.round, "0580", "klar")
    q = open_linkoping(qtbot, window)
    assert not q.cards["q1"].buttons["nej"].isEnabled()
    click_option(qtbot, window, "q1", "nej")
    assert fields_in_db(db_path)[0] == {"q1": "ja"}


def test_ctrl_p_previews_the_filled_response(qtbot, window, monkeypatch):
    q = open_linkoping(qtbot, window)
    click_option(qtbot, window, "q2", "brukare")
    type_text(q.cards["q2"].comment, "Se <bilaga> & rapport")
    shown = {}
    monkeypatch.setattr(window, "_preview", lambda document, title: shown.update(text=document.toPlainText(), title=title))
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert shown["title"] == "Förhandsgranska svaret"
    assert "Linköping (0580)" in shown["text"]
    lines = [" ".join(line.split()) for line in shown["text"].splitlines()]
    # Each option is a table row: its mark cell, then its text cell.
    marks = {lines[i + 1]: lines[i] for i in range(len(lines) - 1) if lines[i] in ("☒", "☐")}
    assert marks["Brukare (barn, unga och/eller vårdnadshavare)"] == "☒"
    assert marks["Politiker"] == "☐"
    assert "Se <bilaga> & rapport" in shown["text"]


def test_blank_questionnaire_carries_the_leaders_contact_details(qtbot, window, monkeypatch):
    shown = {}
    monkeypatch.setattr(window, "_preview", lambda document, title: shown.update(text=document.toPlainText()))
    window.blank_action.trigger()
    assert "Eva Ek" in shown["text"] and "eva.ek@example.se" in shown["text"] and "013-12 34 56" in shown["text"]
    assert "Varför är kommunerna tillfrågade?" in shown["text"] and "☐" in shown["text"]


def test_response_saved_as_pdf_reads_back(qtbot, window, tmp_path, file_dialogs):
    from pypdf import PdfReader

    open_linkoping(qtbot, window)
    click_option(qtbot, window, "q3", "laguppfyllelse")
    path = tmp_path / "svar.pdf"
    file_dialogs.answer(path)
    window.pdf_action.trigger()
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)
    assert "Linköping" in text and "laguppfyllelse" in text and "Vårdgivares uppfattning" in text


def test_fits_a_1366_by_768_screen(qtbot, window):
    open_linkoping(qtbot, window)
    assert window.width() <= 1366 and window.height() <= 768
    scroll = window.questionnaire.scroll
    assert window.questionnaire.content.width() <= scroll.viewport().width()
    assert not scroll.horizontalScrollBar().isVisible()


def test_controls_have_accessible_names(qtbot, window):
    q = open_linkoping(qtbot, window)
    for card in q.cards.values():
        for button in card.buttons.values():
            assert button.accessibleName().startswith(f"Fråga {card.question.number}: ")
        assert card.comment.accessibleName() == f"Kommentar till fråga {card.question.number}"


def test_municipality_profile_sees_only_its_own_questionnaire(qtbot, db_path):
    win = MainWindow(core.open_store(db_path), Settings(role="kommun", kommun="2584"))
    qtbot.addWidget(win)
    win.show()
    assert not win.left.isVisible()
    assert win.questionnaire.kommun == "2584"
    assert "Kiruna" in win.windowTitle()


def test_a_round_with_a_new_form_shows_the_new_form(qtbot, tmp_path):
    """A new survey year with a changed form: switching round in the window shows that form's questions."""
    from bou_desktop.paths import forms_dir
    from bou_desktop.store import Store
    from bou_desktop.survey.forms import FormLibrary

    folder = tmp_path / "forms"
    folder.mkdir()
    for path in forms_dir().glob("*.toml"):
        (folder / path.name).write_bytes(path.read_bytes())
    old_text = "Redovisade er kommun under senaste året verksamhetsuppföljning där det ingick uppgifter om " \
               "barn- och unga placerade i familjehem eller HVB?"
    new_text = "Följde er kommun under 2013 upp placeringarna i familjehem och HVB?"
    source = (forms_dir() / "kommunenkat.toml").read_text(encoding="utf-8")
    (folder / "kommunenkat2013.toml").write_text(
        source.replace('id = "kommunenkat"', 'id = "kommunenkat2013"').replace('version = "2011"', 'version = "2013"')
        .replace("\nyear = 2011", "\n# no year: started with add_round, not with a new database")
        .replace(old_text, new_text), encoding="utf-8")
    store = Store.open(tmp_path / "ny.sqlite", FormLibrary.load(folder), core.register())
    first = store.round_for(2011)
    later = store.add_round(2013, "kommunenkat2013")
    win = MainWindow(store, LEADER, round_year=2011)
    qtbot.addWidget(win)
    win.show()
    win.select_municipality("0580")
    assert old_text in win.questionnaire.cards["q1"].title.text()

    win.round_box.setCurrentIndex(win.round_box.findData(later.id))
    win.round_box.activated.emit(win.round_box.currentIndex())  # as when the user picks it
    assert win.questionnaire.kommun == "0580" and win.questionnaire.form.id == "kommunenkat2013"
    assert win.list.currentIndex().data() == "Linköping"  # still the chosen row in the list
    assert new_text in win.questionnaire.cards["q1"].title.text()
    qtbot.mouseClick(win.questionnaire.cards["q1"].buttons["ja"], Qt.MouseButton.LeftButton)
    assert store.response(later, "0580").fields["q1"] == "ja" and store.response(first, "0580") is None
