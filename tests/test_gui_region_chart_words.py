"""A form answered per region (kind "region", the lägesrapport 2013) counts regions, not municipalities:
the national view's chart of a choice question says "regioner" when hovered, and in its legend and
description. The lägesrapport itself has no choice question, so one is added to a copy of it here."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import QEvent  # noqa: E402
from PySide6.QtGui import QHelpEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QToolTip  # noqa: E402

from bou_desktop import cli, core  # noqa: E402
from bou_desktop.gui.national_view import NationalView  # noqa: E402
from bou_desktop.paths import forms_dir  # noqa: E402
from bou_desktop.survey.answers import Answers  # noqa: E402

CHOICE = """
[[questions]]
id = "natverk"
number = 8
type = "single"
text = "Har länet ett nätverk för uppföljning?"
options = [{ id = "ja", label = "Ja" }, { id = "nej", label = "Nej" }]
"""
ANSWERED = {"Skåne": "ja", "Stockholm": "ja", "Uppsala": "nej"}


@pytest.mark.qt_log_ignore("This plugin does not support")  # the tooltip window, offscreen
def test_the_chart_of_a_region_level_round_counts_regions(qtbot, tmp_path, screenshot_dir):
    form = tmp_path / "lagesrapport2013.toml"
    form.write_text((forms_dir() / "lagesrapport2013.toml").read_text(encoding="utf-8") + CHOICE, encoding="utf-8")
    db = tmp_path / "skl.sqlite"
    core.open_store(db).close()
    assert cli.main(["--db", str(db), "round", "add", "--year", "2013", "--form", str(form)]) == 0
    store = core.open_store(db)
    round_ = store.round_for(2013)
    for region, choice in ANSWERED.items():
        store.save_answers(round_, region, Answers(choices={"natverk": [choice]}), source="cli", status="klar")
    view = NationalView(store, round_)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    qtbot.waitExposed(view)
    chart = view.charts["natverk"]
    chart.grab()  # laid out as shown
    yes = sum(choice == "ja" for choice in ANSWERED.values())
    first_bar = chart.bar_rects()[0]
    QApplication.sendEvent(chart, QHelpEvent(QEvent.Type.ToolTip, first_bar.center().toPoint(),
                                             chart.mapToGlobal(first_bar.center().toPoint())))
    assert QToolTip.text() == f"Ja: {yes} av {len(ANSWERED)} regioner ({round(100 * yes / len(ANSWERED))} %)"
    assert "kommun" not in chart.accessibleDescription()
    assert f"Av {len(ANSWERED)} svarande regioner" in chart.accessibleDescription()
    section = view.sections["natverk"]
    assert section.table.horizontalHeaderItem(2).text() == "Antal regioner"
    assert section.note.text() == f"Procent av de {len(ANSWERED)} regioner som har svarat."
    section.grab().save(str(screenshot_dir / "national_region_level_choice.png"))
    QToolTip.hideText()
    store.close()
