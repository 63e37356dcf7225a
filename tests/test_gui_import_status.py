"""Imported answers count in the window: a svarsfil saved by LibreOffice Calc is listed as "importerad"
and counted in the progress line; an incomplete one is listed as "importerad – ofullständig" with the
missing questions, and counts once the leader marks it klar."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")

from helpers import click_button, on_modals  # noqa: E402
from office import fill_with_libreoffice, needs_office  # noqa: E402

from bou_desktop import core  # noqa: E402
from bou_desktop.exchange.response_export import write_template  # noqa: E402
from bou_desktop.exchange.svarsfil_xlsx import name_for  # noqa: E402
from bou_desktop.gui.main_window import MainWindow  # noqa: E402
from bou_desktop.settings import Settings  # noqa: E402

LEADER = Settings(role="ledare", region="Östergötland", name="Eva Ek", email="eva.ek@example.se")
# Mjölby answers everything required (Q1 = Nej skips 2–4, Q10 is optional); Norrköping leaves 3, 4, 6–9.
COMPLETE = {"q1.nej": "X", "q5.ja": "X", "q6.nej": "X", "q7.vet_ej": "X", "q8.tidsbrist": "X", "q9.statistikstod": "X"}
INCOMPLETE = {"q1.ja": "X", "q2.politiker": "X", "q5.ja": "X"}


def listed(window):
    return {window.proxy.index(r, 0).data(): window.proxy.index(r, 1) for r in range(window.proxy.rowCount())}


@needs_office
def test_a_libreoffice_svarsfil_is_listed_as_importerad_and_counted(qtbot, tmp_path, file_dialogs):
    window = MainWindow(core.open_store(tmp_path / "db.sqlite"), LEADER)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.progress.text() == "0 av 13 kommuner har svarat (0 %)"
    files = []
    for code, name, cells in (("0586", "mjolby", COMPLETE), ("0581", "norrkoping", INCOMPLETE)):
        template = write_template(window.store, window.round, tmp_path / f"mall-{code}.xlsx", kommun=code)
        files.append(fill_with_libreoffice(template, tmp_path / f"{name}.xlsx",
                                           {name_for(k): v for k, v in cells.items()}, tmp_path))
    seen = {}

    def read_results(dialog):
        seen["lines"] = [dialog.list.item(i).text() for i in range(dialog.list.count())]
        dialog.reject()

    on_modals(read_results)
    file_dialogs.answer(files)
    window.import_action.trigger()  # Arkiv → Importera…
    assert seen["lines"] == [
        "mjolby.xlsx: importerad: Mjölby (0586), importerad",
        "norrkoping.xlsx: importerad: Norrköping (0581), importerad – ofullständig, saknar svar på fråga 3, 4, 6, 7, 8, 9",
    ]
    rows = listed(window)
    assert rows["Mjölby"].data() == "importerad"
    assert rows["Norrköping"].data() == "importerad – ofullständig"
    assert rows["Norrköping"].data(3) == (  # the tooltip (Qt.ItemDataRole.ToolTipRole) names what is missing
        "Norrköping (0581): importerad – ofullständig, saknar svar på fråga 3, 4, 6, 7, 8, 9")
    assert window.progress.text() == "1 av 13 kommuner har svarat (8 %)"  # 1/13 = 7.7 %
    assert window.store.compile(window.round, "Östergötland").kommuner_svarat == 1

    window.select_municipality("0581")
    assert window.questionnaire.status_label.text() == (
        "Status: importerad – ofullständig, saknar svar på fråga 3, 4, 6, 7, 8, 9")
    assert window.questionnaire.finish_button.isEnabled()
    on_modals(lambda dialog: click_button(dialog, "Markera som klar ändå"))
    window.finish_action.trigger()  # Svar → Markera som klar…
    assert listed(window)["Norrköping"].data() == "klar"
    assert window.progress.text() == "2 av 13 kommuner har svarat (15 %)"  # 2/13 = 15.4 %
    assert window.questionnaire.status_label.text() == "Status: klar"
