"""The history dialog: a municipality's audit log in plain Swedish, keystrokes collapsed, read-only."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QAbstractItemView, QDialog  # noqa: E402

from bou_desktop.gui.history_dialog import HistoryDialog, collapse, time_label  # noqa: E402
from bou_desktop.store.repository import AuditEntry  # noqa: E402
from bou_desktop.survey.answers import Answers  # noqa: E402

REASON = "Kommunen kompletterade fråga 1"


@pytest.fixture
def make_dialog(qtbot, store):
    def make(kommun: str = "0580") -> HistoryDialog:
        dialog = HistoryDialog(store, store.round_for(), kommun)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    return make


def rows(dialog: HistoryDialog) -> list[list[str]]:
    model = dialog.table.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def edit_linkoping(store) -> None:
    round_ = store.round_for()
    store.set_field(round_, "0580", "q1", "ja")
    store.set_field(round_, "0580", "q1", "nej")
    comment = ""
    for char in "Få barn":  # the GUI saves a comment on every keystroke
        comment += char
        store.set_field(round_, "0580", "q1.kommentar", comment)
    store.set_field(round_, "0580", "q2.politiker", "X")
    store.set_meta(round_, "0580", svarssatt="telefon")
    store.set_status(round_, "0580", "klar")
    store.set_status(round_, "0580", "utkast", reason=REASON)


def test_changes_are_listed_in_plain_swedish(store, make_dialog, screenshot_dir):
    edit_linkoping(store)
    dialog = make_dialog()
    assert dialog.windowTitle() == "Historik – Linköping"
    header = [dialog.model.headerData(c, Qt.Orientation.Horizontal) for c in range(dialog.model.columnCount())]
    assert header == ["Tid", "Vad", "Från", "Till", "Källa", "Orsak"]
    table = [row[1:] for row in rows(dialog)]
    assert table == [
        ["Svaret", "–", "skapat", "programmet", ""],
        ["Fråga 1", "–", "Ja", "programmet", ""],
        ["Fråga 1", "Ja", "Nej (gå vidare till fråga 5)", "programmet", ""],
        ["Fråga 1: kommentar", "–", "Få barn", "programmet", ""],  # seven keystrokes, one row
        ["Fråga 2: Politiker", "–", "ikryssad", "programmet", ""],
        ["Svarssätt", "–", "Telefonintervju", "programmet", ""],
        ["Status", "utkast", "klar", "programmet", ""],
        ["Status", "klar", "utkast", "programmet", REASON],
    ]
    times = [row[0] for row in rows(dialog)]
    assert all(len(t) == 19 and t[10] == " " and t[4] == "-" for t in times)
    dialog.grab().save(str(screenshot_dir / "history_dialog.png"))


def test_import_names_the_file(store, make_dialog):
    round_ = store.round_for()
    store.set_field(round_, "0580", "q1", "ja")
    store.save_answers(round_, "0580", Answers(choices={"q1": ["nej"]}, comments={"q1": "Enligt fil"}),
                       source="import", detail="fil.json", status="klar")
    table = [row[1:] for row in rows(make_dialog())]
    assert table[-3:] == [
        ["Fråga 1", "Ja", "Nej (gå vidare till fråga 5)", "import: fil.json", ""],
        ["Fråga 1: kommentar", "–", "Enligt fil", "import: fil.json", ""],
        ["Status", "utkast", "klar", "import: fil.json", ""],
    ]


def test_history_follows_a_changed_response_id(store, make_dialog):
    round_ = store.round_for()
    store.set_field(round_, "0580", "q1", "ja")
    old_uuid = store.response(round_, "0580").uuid
    store.save_answers(round_, "0580", Answers(choices={"q1": ["nej"]}), source="import", detail="fil.json",
                       uuid="11111111-2222-3333-4444-555555555555")
    table = [row[1:4] for row in rows(make_dialog())]
    assert table == [
        ["Svaret", "–", "skapat"],
        ["Fråga 1", "–", "Ja"],
        ["Svarets id", old_uuid, "11111111-2222-3333-4444-555555555555"],
        ["Fråga 1", "Ja", "Nej (gå vidare till fråga 5)"],
    ]


def test_municipality_without_answers(store, make_dialog):
    dialog = make_dialog("0581")
    assert dialog.windowTitle() == "Historik – Norrköping"
    assert dialog.intro.text() == "Inga ändringar än."
    assert dialog.model.rowCount() == 0 and not dialog.table.isVisible()


def test_the_log_cannot_be_edited(store, make_dialog, qtbot):
    edit_linkoping(store)
    dialog = make_dialog()
    before = rows(dialog)
    assert dialog.table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    index = dialog.model.index(1, 3)
    assert not dialog.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not dialog.model.setData(index, "Nej")
    dialog.table.setCurrentIndex(index)
    qtbot.keyClick(dialog.table, Qt.Key.Key_F2)
    qtbot.mouseDClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=dialog.table.visualRect(index).center())
    assert rows(dialog) == before


def test_escape_and_the_close_button_close(store, make_dialog, qtbot):
    dialog = make_dialog()
    assert dialog.close_button.text() == "Stäng"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected
    dialog = make_dialog()
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def entry(at: str, field: str, old: str | None, new: str | None, source: str = "gui", reason: str | None = None):
    return AuditEntry(f"2011-11-14T{at}.000000+01:00", source, None, field, old, new, reason)


def test_collapse_merges_keystrokes_within_a_minute_of_each_other():
    rows_ = collapse([
        entry("10:15:00", "q1.kommentar", None, "a"),
        entry("10:15:30", "q1.kommentar", "a", "ab"),
        entry("10:16:25", "q1.kommentar", "ab", "abc"),  # 55 s after the last keystroke: same row
        entry("10:17:30", "q1.kommentar", "abc", "abcd"),  # 65 s later: a new row
        entry("10:17:31", "q2.kommentar", None, "x"),
        entry("10:17:32", "q1.kommentar", "abcd", "abcde"),  # another field came between: a new row
        entry("10:17:33", "q1.kommentar", "abcde", "abcdef", source="cli"),  # another source: a new row
    ])
    assert [(r.field, r.old, r.new, r.count) for r in rows_] == [
        ("q1.kommentar", None, "abc", 3),
        ("q1.kommentar", "abc", "abcd", 1),
        ("q2.kommentar", None, "x", 1),
        ("q1.kommentar", "abcd", "abcde", 1),
        ("q1.kommentar", "abcde", "abcdef", 1),
    ]
    assert time_label(rows_[0].at) == "2011-11-14 10:16:25"  # the time of the last keystroke


def test_collapse_keeps_choices_and_reasons_apart():
    rows_ = collapse([
        entry("10:15:00", "q1", None, "ja"),
        entry("10:15:01", "q1", "ja", "nej"),
        entry("10:15:02", "uppgiftslamnare.namn", None, "Å"),
        entry("10:15:03", "uppgiftslamnare.namn", "Å", "Åsa", reason="rättat"),
    ])
    assert len(rows_) == 4


def test_time_is_shown_without_fractions_or_zone():
    assert time_label("2011-11-14T10:15:03.123456+01:00") == "2011-11-14 10:15:03"
