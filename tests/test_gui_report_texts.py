"""SKL writes the report's texts in the national view: a section and a question's analysis typed key by key,
saved for a second connection to read, undone within the box, with a history per text."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")

from helpers import on_modals, type_text  # noqa: E402
from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel  # noqa: E402

from bou_desktop import core  # noqa: E402
from bou_desktop.demo import fill_demo  # noqa: E402
from bou_desktop.exchange.county_file import county_xlsx_bytes  # noqa: E402
from bou_desktop.exchange.national_file import import_county_bytes  # noqa: E402
from bou_desktop.gui.main_window import MainWindow  # noqa: E402
from bou_desktop.gui.report_texts import OUTSIDE_HEADING  # noqa: E402
from bou_desktop.settings import Settings  # noqa: E402

SUMMARY = "Flera kommuner följer upp budget men sällan resultat för barnen."
FORORD = "Den här rapporten är ett arbetsmaterial om systematisk uppföljning – skriven av SKL i Göteborg."
ANALYSIS = "Få kommuner följer upp hur det går för barnen; Östergötland är ett undantag."


@pytest.fixture
def skl(qtbot, tmp_path):
    """SKL's window with the county files of Östergötland (with a summary for question 3) and Skåne."""
    leaders = core.open_store(tmp_path / "lan.sqlite")
    fill_demo(leaders)
    round_ = leaders.round_for()
    leaders.set_leader_text(round_, "Östergötland", "summary.q3", SUMMARY, source="cli")
    files = [(f"Länssammanställning {r} 2011.xlsx",
              county_xlsx_bytes(leaders.compile(round_, r), leaders.forms["lanssammanstallning"]))
             for r in ("Östergötland", "Skåne")]
    leaders.close()
    store = core.open_store(tmp_path / "skl.sqlite")
    for name, data in files:
        outcome, message = import_county_bytes(store, data, name)
        assert outcome == "importerad", message
    win = MainWindow(store, Settings(role="skl", name="Kjerstin Bergman"))
    qtbot.addWidget(win)
    win.resize(1366, 900)
    win.show()
    qtbot.waitExposed(win)
    return win


def key(widget, key_code, modifiers=Qt.KeyboardModifier.NoModifier, text: str = "") -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key_code, modifiers, text))


def in_box(qtbot, editor, section: str):
    """The keyboard in a section's box, as after a click in it."""
    box = editor.boxes[("section", section)]
    box.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(box.hasFocus)
    return box


def stored(path) -> tuple[dict, dict]:
    """The report texts as a second connection (another window, the command line) reads them."""
    other = core.open_store(path)
    try:
        texts = other.report_texts(other.round_for(2011))
        return texts.sections, texts.analyses
    finally:
        other.close()


def test_skl_types_a_section_and_an_analysis_and_they_are_saved(qtbot, skl, screenshot_dir):
    view = skl.national_view
    editor = view.report_editor
    assert not editor.panel.isVisible() and not editor.analysis_widgets["q3"].isVisible()  # off until asked for
    assert skl.report_texts_action.isVisible()
    skl.report_texts_action.trigger()  # Visa → Rapporttexter (Ctrl+3)
    assert editor.toggle.isChecked() and editor.panel.isVisible()
    forord = editor.boxes[("section", "forord")]
    qtbot.waitUntil(forord.hasFocus)  # the first empty text
    assert forord.placeholderText() == "Vad rapporten är och vem som har skrivit den"  # the template's guidance
    type_text(forord, FORORD)
    qtbot.waitUntil(lambda: stored(skl.store.path)[0].get("forord") == FORORD, timeout=5000)
    skl.grab().save(str(screenshot_dir / "report_texts_sections.png"))

    key(forord, Qt.Key.Key_Tab)  # Tab goes on to the next text, not into the text
    summary_box = editor.boxes[("section", "sammanfattning")]
    qtbot.waitUntil(summary_box.hasFocus)
    assert forord.toPlainText() == FORORD

    # Question 3: the regions' summaries are open above the analysis box, to write from.
    analysis = editor.boxes[("analysis", "q3")]
    frame = view.sections["q3"]
    assert frame.summaries.expanded and SUMMARY in frame.summaries.body.text()
    assert frame.summaries.body.isVisible()
    assert frame.summaries.mapTo(view.content, frame.summaries.rect().topLeft()).y() < \
        analysis.mapTo(view.content, analysis.rect().topLeft()).y()
    analysis.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(analysis.hasFocus)
    view.scroll.ensureWidgetVisible(frame.summaries, 0, 10)
    type_text(analysis, ANALYSIS)
    qtbot.waitUntil(lambda: stored(skl.store.path)[1].get("q3") == ANALYSIS, timeout=5000)
    analysis.selectAll()
    key(analysis, Qt.Key.Key_Delete)  # removed by mistake …
    qtbot.waitUntil(lambda: "q3" not in stored(skl.store.path)[1], timeout=5000)
    key(analysis, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # … and back with the box's own undo
    assert analysis.toPlainText() == ANALYSIS
    qtbot.waitUntil(lambda: stored(skl.store.path)[1].get("q3") == ANALYSIS, timeout=5000)
    view.scroll.ensureWidgetVisible(analysis, 0, 40)
    qtbot.wait(50)
    skl.grab().save(str(screenshot_dir / "report_texts_analysis.png"))

    # Its history (Ctrl+H in the box): every saved version, the last being the text as typed.
    seen = {}

    def read(dialog):
        model = dialog.model
        seen["rows"] = [(model.text(r, 1), model.text(r, 3)) for r in range(model.rowCount())]
        seen["title"] = dialog.windowTitle()
        dialog.grab().save(str(screenshot_dir / "report_texts_history.png"))
        dialog.reject()

    on_modals(read)
    skl.history_action.trigger()
    assert seen["title"] == "Historik – Analys, fråga 3"
    assert seen["rows"][-1] == ("Analys, fråga 3", ANALYSIS)
    assert [text for _what, text in seen["rows"]] == [ANALYSIS, "–", ANALYSIS]


def test_texts_written_elsewhere_are_shown_and_a_text_outside_the_template_is_kept(qtbot, skl):
    view = skl.national_view
    editor = view.report_editor
    editor.toggle.click()
    skl.store.set_report_text(skl.round, "analysis", "q1", "Skrivet på kommandoraden.", source="cli")
    # a text of a section the template does not have (as if the template lost it): stored directly
    skl.store.db.execute("INSERT INTO report_texts (round_id, kind, key, text, modified) "
                         "VALUES (?, 'section', 'slutord', 'Tack till alla.', 't')", [skl.round.id])
    skl.store._changed()
    qtbot.waitUntil(lambda: editor.boxes[("analysis", "q1")].toPlainText() == "Skrivet på kommandoraden.")
    qtbot.waitUntil(lambda: ("section", "slutord") in editor.boxes)
    assert editor.boxes[("section", "slutord")].toPlainText() == "Tack till alla."
    assert any(OUTSIDE_HEADING in label.text() for label in editor.panel.findChildren(type(view.title)))
    box = editor.boxes[("section", "slutord")]
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    box.selectAll()
    key(box, Qt.Key.Key_Delete)
    editor.save_now()
    assert "slutord" not in skl.store.report_texts(skl.round).sections  # emptied on purpose: gone, in the history
    assert skl.store.report_text_history(skl.round, "section", "slutord")[-1].old == "Tack till alla."


def test_a_busy_database_keeps_the_text_until_it_can_be_written(qtbot, skl):
    import sqlite3

    editor = skl.national_view.report_editor
    editor.toggle.click()
    box = in_box(qtbot, editor, "bakgrund")
    blocker = sqlite3.connect(skl.store.path)
    blocker.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    type_text(box, "Bakgrunden är överenskommelsen.")
    editor.save_now()
    assert len(skl.pending) == 1 and skl.pending_label.isVisible()
    assert box.toPlainText() == "Bakgrunden är överenskommelsen."
    blocker.rollback()
    blocker.close()
    qtbot.waitUntil(lambda: len(skl.pending) == 0, timeout=5000)
    assert stored(skl.store.path)[0] == {"bakgrund": "Bakgrunden är överenskommelsen."}


# ----------------------------------------------------------------------------- Gå till avsnitt…
def press_go_to(qtbot, win) -> None:
    """Ctrl+Shift+G, as a person presses it, into the widget with the keyboard focus."""
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    target = QApplication.focusWidget() or win
    qtbot.keyClick(target, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


def chooser_of(qtbot, editor):
    qtbot.waitUntil(lambda: editor.chooser is not None and editor.chooser.isVisible())
    chooser = editor.chooser
    qtbot.waitUntil(lambda: QApplication.focusWidget() is chooser.filter)
    return chooser


def shown_rows(chooser) -> list[str]:
    return [chooser.list.item(r).text() for r in range(chooser.list.count()) if not chooser.list.item(r).isHidden()]


def in_viewport(view, widget) -> bool:
    """The widget's top (at least 20 pixels of it) lies inside the scroll area's viewport."""
    viewport = view.scroll.viewport()
    top = widget.mapTo(viewport, widget.rect().topLeft()).y()
    return 0 <= top and top + min(20, widget.height()) <= viewport.height() and widget.isVisible()


def test_go_to_a_questions_analysis_by_typing_part_of_its_heading(qtbot, skl, screenshot_dir):
    view, editor = skl.national_view, skl.national_view.report_editor
    form = skl.store.form_of(skl.round)
    last = form.questions[-1]  # the last analysis: at the very bottom of the long page
    skl.report_texts_action.trigger()  # Visa → Rapporttexter (Ctrl+3)
    forord = editor.boxes[("section", "forord")]
    qtbot.waitUntil(forord.hasFocus)
    press_go_to(qtbot, skl)
    chooser = chooser_of(qtbot, editor)
    # every section by its heading as shown, then every question by its label and text
    rows = shown_rows(chooser)
    assert rows[:2] == ["Förord", "Sammanfattning och slutsatser"] and "    Bortfall" in rows
    assert "Analys under frågorna" in rows
    assert sum(1 for r in rows if r.split(" ", 1)[0].endswith(")")) == len(form.questions)
    assert f"{last.label} {' '.join(last.text.split())}"[:60] in rows[-1]
    chooser.grab().save(str(screenshot_dir / "report_go_to_chooser.png"))

    words = " ".join(last.text.split()).split()
    typed = f"{last.label} {words[0].lower()}"  # "10) planerat": its number and a word, in small letters
    type_text(chooser.filter, typed)
    assert shown_rows(chooser) == ["Analys under frågorna", rows[-1]]
    chooser.grab().save(str(screenshot_dir / "report_go_to_filtered.png"))
    key(chooser.filter, Qt.Key.Key_Return)
    analysis = editor.boxes[("analysis", last.id)]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is analysis)
    assert editor.chooser is None  # closed
    qtbot.waitUntil(lambda: in_viewport(view, analysis))
    assert view.scroll.verticalScrollBar().value() > 0  # the page scrolled down to it
    assert analysis.textCursor().atEnd()
    skl.grab().save(str(screenshot_dir / "report_go_to_there.png"))

    type_text(analysis, ANALYSIS)  # the keys go into that box, and it is saved
    qtbot.waitUntil(lambda: stored(skl.store.path)[1].get(last.id) == ANALYSIS, timeout=5000)
    assert stored(skl.store.path)[0] == {}


def test_go_to_with_the_arrows_and_the_button_a_swedish_heading_and_the_cursor_at_the_end(qtbot, skl):
    view, editor = skl.national_view, skl.national_view.report_editor
    skl.store.set_report_text(skl.round, "section", "genomforande", "Enkäten skickades i oktober.", source="cli")
    skl.report_texts_action.trigger()
    qtbot.waitUntil(lambda: editor.boxes[("section", "forord")].hasFocus())
    view.scroll.verticalScrollBar().setValue(view.scroll.verticalScrollBar().maximum())  # read down to the end
    editor.go_to_button.click()  # the button above the sections does the same as the shortcut
    chooser = chooser_of(qtbot, editor)
    type_text(chooser.filter, "UNDERSÖKNINGENS GENOMFÖ")  # å ä ö, any case
    assert shown_rows(chooser) == ["Undersökningens genomförande"]
    type_text(chooser.filter, "x")
    assert shown_rows(chooser) == [] and chooser.empty.isVisible()
    assert "Inget avsnitt" in chooser.empty.text()
    key(chooser.filter, Qt.Key.Key_Return)  # nothing to go to: the chooser stays
    assert chooser.isVisible()
    chooser.filter.clear()
    type_text(chooser.filter, "enkät")  # the two subsections first, then any question that names the survey
    shown = shown_rows(chooser)
    assert shown[:2] == ["    Kommunenkät", "    Sammanställningsenkät"] and "Förord" not in shown
    assert chooser.list.currentItem().text() == shown[0]  # the first match is chosen
    key(chooser.filter, Qt.Key.Key_Down)
    second = chooser.list.currentItem().text()
    assert second == shown[1]
    key(chooser.filter, Qt.Key.Key_Up)
    key(chooser.filter, Qt.Key.Key_Up)  # stays on the first
    assert chooser.list.currentItem().text() == shown[0]
    chooser.filter.clear()
    type_text(chooser.filter, "genomförande")
    key(chooser.filter, Qt.Key.Key_Enter)  # the keypad's Enter too
    box = editor.boxes[("section", "genomforande")]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is box)
    qtbot.waitUntil(lambda: in_viewport(view, box))
    assert box.textCursor().atEnd()
    type_text(box, " Svaren kom in i december.")
    qtbot.waitUntil(lambda: stored(skl.store.path)[0].get("genomforande")
                    == "Enkäten skickades i oktober. Svaren kom in i december.", timeout=5000)


def test_escape_leaves_the_chooser_and_the_keyboard_where_it_was(qtbot, skl):
    editor = skl.national_view.report_editor
    skl.report_texts_action.trigger()
    summary = in_box(qtbot, editor, "sammanfattning")
    type_text(summary, "Början")
    press_go_to(qtbot, skl)
    chooser = chooser_of(qtbot, editor)
    type_text(chooser.filter, "förord")
    key(chooser.filter, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: editor.chooser is None)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is summary)
    type_text(summary, " och mer.")
    assert summary.toPlainText() == "Början och mer."
    assert editor.boxes[("section", "forord")].toPlainText() == ""
    qtbot.waitUntil(lambda: stored(skl.store.path)[0] == {"sammanfattning": "Början och mer."}, timeout=5000)


def test_the_shortcut_turns_the_texts_on_and_is_no_other_actions_shortcut(qtbot, skl, screenshot_dir):
    from PySide6.QtGui import QAction, QShortcut

    view, editor = skl.national_view, skl.national_view.report_editor
    skl.tabs.setCurrentWidget(skl.national_page)
    view.setFocus()
    assert not editor.shown
    press_go_to(qtbot, skl)  # the texts off: shown, to go to one of them
    chooser = chooser_of(qtbot, editor)
    type_text(chooser.filter, "bakgrund")
    key(chooser.filter, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.boxes[("section", "bakgrund")])
    assert editor.shown and editor.panel.isVisible()
    qtbot.waitUntil(lambda: in_viewport(view, editor.boxes[("section", "bakgrund")]))
    assert editor.go_to_button.isVisible() and editor.go_to_button.text() == "Gå till avsnitt…"
    skl.grab().save(str(screenshot_dir / "report_go_to_button.png"))
    # every shortcut in the program belongs to one action only
    owners: dict[str, list[str]] = {}
    for action in skl.findChildren(QAction):
        for sequence in action.shortcuts():
            owners.setdefault(sequence.toString(), []).append(action.text().replace("&", ""))  # without the mnemonic
    for shortcut in skl.findChildren(QShortcut):
        owners.setdefault(shortcut.key().toString(), []).append(shortcut.objectName() or "QShortcut")
    assert owners["Ctrl+Shift+G"] == ["Gå till avsnitt…"]
    assert {k: v for k, v in owners.items() if len(v) > 1 and k} == {}
    view.hide()  # the view not shown (another tab): nothing to go to, no chooser over it
    skl.go_to_section_action.trigger()
    assert editor.chooser is None


def test_the_history_of_a_text_not_yet_written_is_a_short_message_not_an_empty_table(qtbot, skl, screenshot_dir):
    """Visa → Gå till avsnitt… → Förord, then Svar → Historik… before anything is typed: "Inga ändringar
    än." in a small dialog, as a response's history says it, not a 1000 px dialog round an empty table."""
    skl.activateWindow()
    qtbot.waitUntil(skl.isActiveWindow)
    on_modals(lambda chooser: chooser.accept())  # the first text: Förord
    skl.go_to_section_action.trigger()
    qtbot.waitUntil(lambda: skl.national_view.report_editor.focused_text() is not None)
    seen = {}

    def read(dialog):
        seen.update(title=dialog.windowTitle(), intro=dialog.findChild(QLabel).text(),
                    table=dialog.table.isVisibleTo(dialog), size=(dialog.width(), dialog.height()))
        dialog.grab().save(str(screenshot_dir / "report_texts_history_empty.png"))
        dialog.reject()

    on_modals(read)
    skl.history_action.trigger()
    assert seen["title"] == "Historik – Förord" and seen["intro"] == "Inga ändringar än."
    assert not seen["table"]
    assert seen["size"][0] <= 500 and seen["size"][1] <= 200
