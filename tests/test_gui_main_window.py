"""The main window: regions and municipalities in Swedish order, statuses, filter, first start."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")

from helpers import on_next_modal, type_text  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from bou_desktop import core  # noqa: E402
from bou_desktop.gui.app import open_main_window  # noqa: E402
from bou_desktop.gui.main_window import MainWindow  # noqa: E402
from bou_desktop.settings import Settings, load_settings  # noqa: E402
from bou_desktop.survey.answers import Answers  # noqa: E402


@pytest.fixture
def window(qtbot, tmp_path):
    store = core.open_store(tmp_path / "gui.sqlite")
    round_ = store.round_for()
    store.save_answers(round_, "1280", Answers(choices={"q1": ["ja"]}), source="cli", status="klar")
    complete = Answers(choices={"q1": ["nej"], "q5": ["ja"], "q6": ["ja"], "q7": ["ja"], "q8": ["annat"], "q9": ["annat"]})
    store.save_answers(round_, "1292", complete, source="import", status="importerad", detail="x.xlsx")
    store.save_answers(round_, "1266", Answers(choices={"q1": ["ja"]}), source="import", status="importerad", detail="y.xlsx")
    store.set_field(round_, "1293", "q1", "nej")  # Hässleholm: a draft
    win = MainWindow(store, Settings(role="ledare", region="Skåne"))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def listed(win):
    return [(win.proxy.index(r, 0).data(), win.proxy.index(r, 1).data()) for r in range(win.proxy.rowCount())]


def test_title_names_the_app_and_region(window):
    assert window.windowTitle() == "BoU Desktop – Skåne – gui.sqlite"


def test_regions_in_swedish_order(window):
    regions = [window.region_box.itemText(i) for i in range(window.region_box.count())]
    assert len(regions) == 24
    assert regions[-3:] == ["Västmanland", "Örebro", "Östergötland"]
    assert regions.index("Gotland") < regions.index("GR") < regions.index("Gävleborg")


def test_municipalities_in_swedish_order_with_status(window):
    rows = listed(window)
    names = [name for name, _ in rows]
    assert len(names) == 33 and names[-3:] == ["Ängelholm", "Örkelljunga", "Östra Göinge"]
    status = dict(rows)
    assert status["Malmö"] == "klar" and status["Ängelholm"] == "importerad"
    assert status["Hässleholm"] == "utkast" and status["Lund"] == "ej påbörjad"
    assert status["Hörby"] == "importerad – ofullständig"  # not counted below
    assert window.progress.text() == "2 av 33 kommuner har svarat (6 %)"


def test_the_list_is_read_only_and_says_what_each_row_is(window, qtbot):
    from bou_desktop.gui.models import CODE_ROLE

    assert CODE_ROLE == Qt.ItemDataRole.UserRole + 1  # written as a number in models.py
    header = [window.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(window.proxy.columnCount())]
    assert header == ["Kommun", "Status"]
    malmo = next(window.proxy.index(r, 0) for r in range(window.proxy.rowCount()) if window.proxy.index(r, 0).data() == "Malmö")
    assert malmo.data(CODE_ROLE) == "1280" and malmo.data(Qt.ItemDataRole.ToolTipRole) == "Malmö (1280)"
    assert malmo.data(Qt.ItemDataRole.AccessibleTextRole) == "Malmö"
    for column in (0, 1):
        flags = malmo.siblingAtColumn(column).flags()
        assert not flags & Qt.ItemFlag.ItemIsEditable and flags & Qt.ItemFlag.ItemIsSelectable


def test_filter_finds_a_municipality_by_name_or_code(window):
    type_text(window.filter_box, "örk")
    assert [n for n, _ in listed(window)] == ["Örkelljunga"]
    window.filter_box.clear()
    type_text(window.filter_box, "1280")
    assert [n for n, _ in listed(window)] == ["Malmö"]


def test_ctrl_f_focuses_the_filter(window, qtbot):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.list.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.filter_box.hasFocus()


def test_list_updates_when_the_store_changes(window):
    window.store.set_field(window.round, "1260", "q1", "ja")  # Bjuv
    assert dict(listed(window))["Bjuv"] == "utkast"
    window.store.set_status(window.round, "1260", "klar")
    assert window.progress.text() == "3 av 33 kommuner har svarat (9 %)"


def test_first_start_asks_for_the_profile_and_remembers_it(qtbot, tmp_path):
    settings_file = tmp_path / "settings.json"

    def choose_leader(dialog):
        assert dialog.windowTitle() == "Profil"
        dialog.role_buttons["ledare"].click()
        dialog.region_combo.setCurrentIndex(dialog.region_combo.findText("Jämtland"))
        type_text(dialog.name_edit, "Jonas Jämte")
        dialog.accept()

    on_next_modal(choose_leader)
    win = open_main_window(tmp_path / "db.sqlite", settings_file=settings_file)
    qtbot.addWidget(win)
    assert win.region_box.currentText() == "Jämtland"
    assert load_settings(settings_file).region == "Jämtland"
    # The next start does not ask again.
    again = open_main_window(tmp_path / "db.sqlite", settings_file=settings_file)
    qtbot.addWidget(again)
    assert again.settings.name == "Jonas Jämte"


def test_window_has_an_icon(window):
    from bou_desktop.gui.app import app_icon

    assert not app_icon().isNull()


def test_what_another_window_saves_shows_up_here(window, qtbot):
    """A second window or the command line on the same database: the list and the open answer follow."""
    window.select_municipality("1280")  # Malmö, finished and locked here
    assert window.questionnaire.locked
    elsewhere = core.open_store(window.store.path)
    elsewhere.set_status(window.round, "1280", "utkast", source="cli", reason="Rättning")
    elsewhere.set_field(window.round, "1260", "q1", "ja")  # Bjuv
    elsewhere.close()
    qtbot.waitUntil(lambda: dict(listed(window))["Bjuv"] == "utkast", timeout=5_000)
    assert dict(listed(window))["Malmö"] == "utkast" and not window.questionnaire.locked
    assert window.questionnaire.status_label.text() == "Status: utkast"
    assert "ändrats i ett annat fönster" in window.statusBar().currentMessage()


def test_our_own_saves_are_not_taken_for_changes_elsewhere(window):
    window.select_municipality("1293")
    window.store.set_field(window.round, "1293", "q1", "ja")
    assert not window.store.changed_elsewhere()


def test_the_progress_line_rounds_half_up_as_every_other_percent(qtbot, tmp_path):
    """1 of Kronoberg's 8 municipalities is 12,5 %: shown as 13 %, as the compilations round (not 12 %)."""
    store = core.open_store(tmp_path / "halv.sqlite")
    round_ = store.round_for()
    kronoberg = [m.code for m in store.municipalities() if m.region == "Kronoberg"]
    assert len(kronoberg) == 8
    store.save_answers(round_, kronoberg[0], Answers(choices={"q1": ["ja"]}), source="cli", status="klar")
    win = MainWindow(store, Settings(role="ledare", region="Kronoberg"))
    qtbot.addWidget(win)
    assert win.progress.text() == "1 av 8 kommuner har svarat (13 %)"
