"""The contract of a form with every question type, run along the whole loop as its users take it.

A leader answers one municipality in the window by keyboard; a second municipality fills in the
Excel template; a third sends a JSON svarsfil from its own database. The leader imports both and
sends the county compilation as Excel; a second region's leader sends hers as JSON; SKL imports
both. The national figures equal a tally made here from what was typed, not from the program.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

pytest.importorskip("PySide6.QtWidgets")

from every_type import every_type_store  # noqa: E402
from helpers import type_text  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from test_import_status import fill  # noqa: E402

from bou_desktop.exchange.county_file import county_json_bytes, county_xlsx_bytes  # noqa: E402
from bou_desktop.exchange.importer import Outcome, import_file  # noqa: E402
from bou_desktop.exchange.national_file import import_county_bytes, report_for  # noqa: E402
from bou_desktop.exchange.response_export import export_response_json, write_template  # noqa: E402
from bou_desktop.gui.main_window import MainWindow  # noqa: E402
from bou_desktop.settings import Settings  # noqa: E402
from bou_desktop.survey.answers import Answers  # noqa: E402

# What each municipality answers (the test's own record, from which the tally is made).
LINKOPING = {"antal": 2, "andel": Decimal("12.5"), "start": date(2013, 5, 1), "ort": "Vid Stångån",
             "ledare": [(Decimal(50), date(2013, 1, 1)), (Decimal("75.5"), date(2012, 9, 15))]}
NORRKOPING = {"antal": 3, "andel": Decimal(40), "start": date(2012, 11, 30), "ort": "Vid kusten",
              "ledare": [(Decimal(100), date(2011, 3, 1))]}
MOTALA = {"antal": 1, "andel": Decimal(0), "start": date(2014, 1, 15), "ort": "Vid Vättern", "ledare": []}
GOTLAND = {"antal": 4, "andel": Decimal(25), "start": date(2013, 8, 20), "ort": "På ön", "ledare": []}


def as_answers(record: dict) -> Answers:
    return Answers(
        choices={"har": ["ja"], "val": ["q"]}, ranks={"rang1": {"a": 1, "b": 2, "c": 3}, "rang2": {"w": 1}},
        values={"antal": str(record["antal"]), "andel": str(record["andel"]), "start": record["start"].isoformat(),
                "ort": record["ort"]},
        tables={"ledare": [{"omfattning": str(share), "fran": since.isoformat()} for share, since in record["ledare"]]},
    )


def typed(qtbot, widget, text: str) -> None:
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus)
    type_text(widget, text)


def answer_in_the_window(qtbot, window, record: dict) -> None:
    """The leader's interview: every answer typed or clicked in the questionnaire."""
    cards = window.questionnaire.cards
    cards["har"].buttons["ja"].click()
    cards["val"].buttons["q"].click()
    for option, rank in (("a", 1), ("b", 2), ("c", 3)):
        cards["rang1"].spins[option].setValue(rank)
    cards["rang2"].spins["w"].setValue(1)
    typed(qtbot, cards["antal"].value_input.edit, str(record["antal"]))
    typed(qtbot, cards["andel"].value_input.edit, str(record["andel"]).replace(".", ","))
    typed(qtbot, cards["start"].value_input.edit, record["start"].isoformat())
    typed(qtbot, cards["ort"].value_input.edit, record["ort"])
    table = cards["ledare"].value_input
    for row, (share, since) in enumerate(record["ledare"], start=1):
        if row > table.rows:
            table.add_button.click()
        typed(qtbot, table.cells[(row, "omfattning")], str(share).replace(".", ","))
        typed(qtbot, table.cells[(row, "fran")], since.isoformat())


def filled_template(store, round_, path, kommun: str, record: dict):
    """The municipality's own Excel form, filled in cell by cell (numbers as numbers, dates as dates)."""
    write_template(store, round_, path, kommun=kommun)
    cells = {"har.ja": "X", "val.q": "X", "rang1.a": 1, "rang1.b": 2, "rang1.c": 3, "rang2.w": 1,
             "antal": record["antal"], "andel": float(record["andel"]), "start": record["start"], "ort": record["ort"]}
    for row, (share, since) in enumerate(record["ledare"], start=1):
        cells[f"ledare.{row}.omfattning"] = float(share)
        cells[f"ledare.{row}.fran"] = since
    return fill(path, path, cells)


def test_every_type_runs_the_whole_loop_and_the_nation_adds_up(qtbot, tmp_path):
    leader = every_type_store(tmp_path / "ledare.sqlite")
    round_ = leader.round_for()
    window = MainWindow(leader, Settings(role="ledare", region="Östergötland"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.select_municipality("0580")
    answer_in_the_window(qtbot, window, LINKOPING)
    leader.set_status(round_, "0580", "klar")

    template = filled_template(leader, round_, tmp_path / "Enkät Norrköping.xlsx", "0581", NORRKOPING)
    motala = every_type_store(tmp_path / "motala.sqlite")
    motala.save_answers(motala.round_for(), "0583", as_answers(MOTALA), source="gui", status="klar")
    svarsfil = export_response_json(motala, motala.round_for(), "0583", tmp_path / "Svarsfil Motala.json")
    motala.close()
    for path in (template, svarsfil):
        result = import_file(leader, path)
        assert result.outcome is Outcome.IMPORTED, result.line()
    assert leader.compile(round_, "Östergötland").kommuner_svarat == 3

    gotland = every_type_store(tmp_path / "gotland.sqlite")
    gotland.save_answers(gotland.round_for(), "0980", as_answers(GOTLAND), source="gui", status="klar")
    skl = every_type_store(tmp_path / "skl.sqlite")
    county_form = leader.county_form_of(round_)
    files = {
        "Östergötland": county_xlsx_bytes(leader.compile(round_, "Östergötland"), county_form),
        "Gotland": county_json_bytes(gotland.compile(gotland.round_for(), "Gotland")),
    }
    for region, data in files.items():
        outcome, message = import_county_bytes(skl, data, f"Länssammanställning {region}.x")[:2]
        assert outcome == "importerad", message
    report = report_for(skl, skl.round_for())
    assert report.total.kommuner_svarat == 4

    # The tally, from what was typed.
    records = (LINKOPING, NORRKOPING, MOTALA, GOTLAND)
    antal = report.aggregate("antal")
    assert (antal.n, antal.sum, antal.min, antal.max) == (4, Decimal(10), Decimal(1), Decimal(4))
    andel = report.aggregate("andel")
    assert andel.mean == sum(r["andel"] for r in records) / 4 and andel.median == Decimal("18.75")
    start = report.aggregate("start")
    assert (start.n, start.min, start.max) == (4, date(2012, 11, 30), date(2014, 1, 15))
    assert sorted(t.text for t in report.aggregate("ort").texts) == sorted(r["ort"] for r in records)
    table = report.aggregate("ledare")
    shares = [share for r in records for share, _since in r["ledare"]]
    assert table.rows == len(shares) == 3
    assert table.columns["omfattning"].sum == sum(shares) and table.columns["omfattning"].max == Decimal(100)
    assert table.columns["fran"].min == date(2011, 3, 1)
    gotland.close()
    skl.close()
