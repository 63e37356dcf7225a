"""The first main window: regions and municipalities in Swedish order, statuses, filter."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")

from helpers import type_text  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from bou_desktop import core  # noqa: E402
from bou_desktop.gui.main_window import MainWindow  # noqa: E402
from bou_desktop.gui.models import CODE_ROLE  # noqa: E402
from bou_desktop.survey.answers import Answers  # noqa: E402


@pytest.fixture
def window(qtbot, tmp_path):
    store = core.open_store(tmp_path / "gui.sqlite")
    round_ = store.round_for()
    store.save_answers(round_, "1280", Answers(choices={"q1": ["ja"], "q5": ["nej"]}, comments={"q5": "Få <b>placeringar</b> & inga system"}),
                       source="cli", status="klar")
    store.set_field(round_, "1292", "q1", "nej")  # Ängelholm: a draft
    win = MainWindow(store)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def region_rows(win):
    model = win.proxy
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def children(win, region):
    model = win.proxy
    parent = next(model.index(r, 0) for r in range(model.rowCount()) if model.index(r, 0).data() == region)
    return [(model.index(r, 0, parent).data(), model.index(r, 1, parent).data()) for r in range(model.rowCount(parent))]


def test_title_names_the_app(window):
    assert window.windowTitle().startswith("BoU Desktop – gui.sqlite")


def test_regions_and_municipalities_in_swedish_order_with_status(window, screenshot_dir):
    regions = region_rows(window)
    assert len(regions) == 24
    assert regions[-3:] == ["Västmanland", "Örebro", "Östergötland"]
    assert regions.index("GR") < regions.index("Gävleborg")  # case-insensitive, Swedish
    skane = children(window, "Skåne")
    names = [name for name, _ in skane]
    assert len(names) == 33 and names[-3:] == ["Ängelholm", "Örkelljunga", "Östra Göinge"]
    status = dict(skane)
    assert status["Malmö"] == "klar" and status["Ängelholm"] == "utkast" and status["Lund"] == "ej påbörjad"
    window.tree.expand(window.proxy.index(regions.index("Skåne"), 0))
    window.grab().save(str(screenshot_dir / "main_window.png"))


def test_filter_finds_a_municipality_by_name_or_code(window, qtbot):
    type_text(window.filter_box, "örk")
    assert region_rows(window) == ["Skåne"]
    assert [n for n, _ in children(window, "Skåne")] == ["Örkelljunga"]
    window.filter_box.clear()
    qtbot.keyClicks(window.filter_box, "0580")
    assert region_rows(window) == ["Östergötland"]


def test_ctrl_f_focuses_the_filter(window, qtbot):
    window.tree.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.filter_box.hasFocus()


def test_selecting_a_municipality_shows_its_answers_literally(window, qtbot, screenshot_dir):
    type_text(window.filter_box, "Malmö")
    parent = window.proxy.index(0, 0)
    index = window.proxy.index(0, 0, parent)
    assert index.data(CODE_ROLE) == "1280"
    window.tree.setCurrentIndex(index)
    text = window.details.toPlainText()
    assert "Malmö (1280, Skåne)" in text and "Status: klar" in text
    assert "X Ja" in text and "Kommentar: Få <b>placeringar</b> & inga system" in text
    window.grab().save(str(screenshot_dir / "main_window_response.png"))


def test_list_updates_when_the_store_changes(window):
    window.store.set_field(window.round, "0580", "q1", "ja")
    assert dict(children(window, "Östergötland"))["Linköping"] == "utkast"


def test_skipped_questions_say_so(window):
    window.show_response("1292")  # Ängelholm answered Nej to question 1
    text = window.details.toPlainText()
    assert text.count("Ej tillämpligt (hoppas över)") == 3
