"""SKL writes the report's texts in the national view: a section and a question's analysis typed key by key,
saved for a second connection to read, undone within the box, with a history per text."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")

from helpers import on_modals, type_text  # noqa: E402
from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

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
    box = editor.boxes[("section", "bakgrund")]
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
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
