"""SKL's "Mall för länens lägesrapporter 2013" end to end (issue 16, point 6).

The round is started with `round add` (the form names no year). Three regions answer it: Östergötland in
the window by keyboard (then exports its svarsfil from Arkiv → Exportera svarsfil…), Skåne in the Excel
template filled with openpyxl, Stockholm as a JSON svarsfil. SKL imports the three files through Arkiv →
Importera… and gets the national compilation: the development leaders summed, the tables' rows counted,
every region's text per question; the national Excel, JSON and PDF are written and read back.
Every expected figure is tallied here from what the regions answered, not by the program.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")

from conftest import REPO  # noqa: E402
from helpers import on_next_modal, type_text  # noqa: E402
from openpyxl import load_workbook  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog  # noqa: E402
from test_svarsfil_xlsx_every_type import filled  # noqa: E402

from bou_desktop import cli, core  # noqa: E402
from bou_desktop.exchange.national_file import report_for  # noqa: E402
from bou_desktop.exchange.response_export import write_region_templates  # noqa: E402
from bou_desktop.gui.main_window import MainWindow  # noqa: E402
from bou_desktop.settings import Settings  # noqa: E402

FORM = REPO / "forms" / "lagesrapport2013.toml"
REGIONS = len(core.register().regions)  # the regions (län and delregioner) that may answer
TEXT_QUESTIONS = ("q2", "q3", "q4", "q5a", "q5b", "q6a", "q6b", "q6c", "q6d", "q6e", "q7")

# What each region answers: development leaders, per leader omfattning (%) and employment dates, texts.
ANSWERS = {
    "Östergötland": {
        "leaders": 2,
        "omfattning": ["100", "50"],
        "dates": [("2012-01-01", ""), ("2013-03-01", "2014-12-31")],
        "texts": {qid: f"Östergötland svarar på {qid}: förankrat i FoU-rådet" for qid in TEXT_QUESTIONS[:9]},
    },
    "Skåne": {
        "leaders": 3,
        "omfattning": ["75", "75", "20"],
        "dates": [("2011-09-01", ""), ("2012-02-01", ""), ("2013-01-15", "2013-12-31")],
        "texts": {qid: f"Skåne om {qid}: samverkan med Kunskap till praktik" for qid in TEXT_QUESTIONS},
    },
    "Stockholm": {
        "leaders": 4,
        "omfattning": ["100", "100", "50", "25"],
        "dates": [("2012-01-01", ""), ("2012-01-01", ""), ("2013-05-01", ""), ("2013-08-15", "2014-06-30")],
        "texts": {qid: f"Stockholm, {qid}: BBIC-nätverket möts varje månad" for qid in TEXT_QUESTIONS[:10]},
    },
}


def run_cli(db: Path, *args) -> int:
    return cli.main(["--db", str(db), *map(str, args)])


def start_round(db: Path) -> None:
    """`bou-desktop round add --year 2013 --form forms/lagesrapport2013.toml` on a database of its own."""
    core.open_store(db).close()  # a new database: its 2011 round only (the lägesrapport names no year)
    assert run_cli(db, "round", "add", "--year", 2013, "--form", FORM) == 0


def typed(qtbot, widget, text: str) -> None:
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus)
    type_text(widget, text)


def fill_table(qtbot, table, column_values: list[dict[str, str]]) -> None:
    """Type each row's cells, adding rows with "Lägg till rad" as a person does."""
    for row, values in enumerate(column_values, start=1):
        if (row, next(iter(values))) not in table.cells:
            table.add_button.click()
        for column, value in values.items():
            if value:
                typed(qtbot, table.cells[(row, column)], value)


@pytest.fixture
def regions_files(qtbot, tmp_path, file_dialogs, screenshot_dir) -> list[Path]:
    """The three regions' svarsfiler, each made the way that region answers."""
    files = []
    # Östergötland: the leader's window, by keyboard.
    db = tmp_path / "ostergotland.sqlite"
    start_round(db)
    store = core.open_store(db)
    window = MainWindow(store, Settings(role="ledare", region="Östergötland", name="Anna Ledare"), round_year=2013)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    view = window.questionnaire
    assert not window.list.isVisible() and not window.filter_box.isVisible()  # no municipality list
    assert not window.tabs.isTabVisible(window.tabs.indexOf(window.county_page))
    assert view.kommun == "Östergötland" and "Östergötland" in view.heading.text() and "region" in view.heading.text()
    assert view.kommun_label.text() == "Östergötland" and view.unit_word == "Region"
    assert window.progress.text().startswith("Besvaras per region: Östergötland fyller i sin egen enkät (ej påbörjad).")
    own = ANSWERS["Östergötland"]
    cards = view.cards
    typed(qtbot, cards["q1a"].value_input.edit, str(own["leaders"]))
    fill_table(qtbot, cards["q1b"].value_input, [{"omfattning": v} for v in own["omfattning"]])
    fill_table(qtbot, cards["q1c"].value_input, [{"fran": f, "till": t} for f, t in own["dates"]])
    for qid, text in own["texts"].items():
        typed(qtbot, cards[qid].value_input, text)
    view.scroll_to("q1b")
    window.grab().save(str(screenshot_dir / "lagesrapport_questionnaire.png"))
    fields = store.response(store.round_for(2013, "lagesrapport"), "Östergötland").fields
    assert fields["q1a"] == "2" and fields["q1b.2.omfattning"] == "50" and fields["q1c.2.till"] == "2014-12-31"
    assert fields["q6d"] == own["texts"]["q6d"]
    on_next_modal(lambda dialog: dialog.finish_button.click())  # Svar → Markera som klar…
    window.finish_action.trigger()
    assert window.progress.text().startswith("Besvaras per region: Östergötland fyller i sin egen enkät (klar). "
                                             f"1 av {REGIONS} regioner har svarat")
    exported = tmp_path / "ut" / "Svarsfil 2013 Östergötland.xlsx"
    exported.parent.mkdir()
    file_dialogs.answer(exported)
    assert window.export_action.trigger() is None and exported.exists()
    assert file_dialogs.asked[-1]["directory"].endswith("Svarsfil 2013 Östergötland.xlsx")
    files.append(exported)
    window.close()
    store.close()

    # Skåne: the Excel template SKL sends, filled in with openpyxl.
    db = tmp_path / "skl_mallar.sqlite"
    start_round(db)
    store = core.open_store(db)
    [template] = write_region_templates(store, store.round_for(2013, "lagesrapport"), "Skåne", tmp_path / "mallar")
    store.close()
    skane = ANSWERS["Skåne"]
    cells = {"q1a": skane["leaders"], "uppgiftslamnare.kontaktperson": "Sara Skåning"}
    for row, value in enumerate(skane["omfattning"], start=1):
        cells[f"q1b.{row}.omfattning"] = int(value)
    for row, (start, end) in enumerate(skane["dates"], start=1):
        cells[f"q1c.{row}.fran"] = start
        if end:
            cells[f"q1c.{row}.till"] = end
    cells |= skane["texts"]
    answered = tmp_path / "ut" / "Lägesrapport Skåne.xlsx"
    answered.write_bytes(filled(template.read_bytes(), cells))
    files.append(answered)

    # Stockholm: a JSON svarsfil (docs/formats.md, format_version 2), as another system writes it.
    stockholm = ANSWERS["Stockholm"]
    document = {
        "format": "bou-svarsfil", "format_version": 2, "form": "lagesrapport", "form_version": "2013", "round": 2013,
        "region": "Stockholm", "status": "klar", "uppgiftslamnare": {"kontaktperson": "Stina Holm"},
        "answers": {
            "q1a": stockholm["leaders"],
            "q1b": [{"omfattning": int(v)} for v in stockholm["omfattning"]],
            "q1c": [{"fran": f, **({"till": t} if t else {})} for f, t in stockholm["dates"]],
            **stockholm["texts"],
        },
    }
    path = tmp_path / "ut" / "stockholm.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    files.append(path)
    return files


def test_the_regions_answer_and_skl_compiles_the_nation(qtbot, tmp_path, regions_files, file_dialogs, screenshot_dir):
    db = tmp_path / "skl.sqlite"
    start_round(db)
    store = core.open_store(db)
    window = MainWindow(store, Settings(role="skl", name="Sven SKL"), round_year=2013)
    qtbot.addWidget(window)
    window.resize(1366, 900)
    window.show()
    qtbot.waitExposed(window)
    national = window.national_view
    assert national.import_button.text() == "Importera regionernas svar…"
    assert national.summary_line.text() == f"Ingen av de {REGIONS} regionerna har svarat ännu."

    # Arkiv → Importera…: the three regions' files at once.
    file_dialogs.answer(regions_files)
    on_next_modal(lambda dialog: dialog.close())  # the results dialog
    results = window.import_action.trigger() or window.import_results.findChildren(QDialog)
    round_ = store.round_for(2013, "lagesrapport")
    assert {r.kommun: r.status for r in store.responses(round_)} == {
        "Östergötland": "klar", "Skåne": "importerad", "Stockholm": "klar"}
    assert store.response(round_, "Skåne").fields["uppgiftslamnare.kontaktperson"] == "Sara Skåning"
    del results

    # The national compilation, tallied here from what the regions answered.
    report = report_for(store, round_)
    leaders = sum(a["leaders"] for a in ANSWERS.values())
    q1a = report.aggregate("q1a")
    assert (q1a.n, q1a.sum, q1a.min, q1a.max) == (3, leaders, 2, 4)
    assert sum(len(a["omfattning"]) for a in ANSWERS.values()) == leaders  # one row per leader, as asked
    q1b = report.aggregate("q1b")
    assert q1b.rows == leaders
    assert q1b.columns["omfattning"].sum == sum(Decimal(v) for a in ANSWERS.values() for v in a["omfattning"])
    q1c = report.aggregate("q1c")
    starts = [f for a in ANSWERS.values() for f, _t in a["dates"]]
    ends = [t for a in ANSWERS.values() for _f, t in a["dates"] if t]
    assert q1c.rows == leaders
    assert (str(q1c.columns["fran"].min), str(q1c.columns["fran"].max)) == (min(starts), max(starts))
    assert q1c.columns["till"].n == len(ends) and str(q1c.columns["till"].max) == max(ends)
    for qid in TEXT_QUESTIONS:
        expected = [(region, a["texts"][qid]) for region, a in ANSWERS.items() if qid in a["texts"]]
        texts = report.aggregate(qid).texts
        assert sorted((t.unit, t.text) for t in texts) == sorted(expected), qid

    # SKL's national view shows the regions' compilation.
    national.refresh()
    assert national.summary_line.text().startswith(f"3 av {REGIONS} regioner har svarat. Saknas: ")
    rates = {national.rates_table.item(row, 0).text(): national.rates_table.item(row, 4).text()
             for row in range(national.rates_table.rowCount())}
    assert (rates["Östergötland"], rates["Skåne"], rates["Stockholm"], rates["Uppsala"]) == (
        "klar", "importerad", "klar", "saknas")
    figures = dict(row[:2] for row in national.sections["q1a"].figures.rows())
    assert (figures["Antal svar"], figures["Summa"]) == ("3", f"{leaders}\u00a0utvecklingsledare")
    table = national.sections["q1b"].figures.table_figures
    assert table.rows_label.text().startswith(f"Antal rader: {leaders}.")
    assert sorted(national.sections["q2"].figures.text_list.lines) == sorted(
        f"{region}: {a['texts']['q2']}" for region, a in ANSWERS.items())
    qtbot.wait(50)  # the layouts take the new texts' heights, as between two events of a session
    national.scroll_to("q1a")
    window.grab().save(str(screenshot_dir / "lagesrapport_national.png"))
    national.scroll_to("q2")
    window.grab().save(str(screenshot_dir / "lagesrapport_national_texts.png"))

    # The national files, written from the view's buttons and read back.
    out = tmp_path / "riket"
    out.mkdir()
    file_dialogs.answer(out / "Riksrapport 2013.json", out / "Riksrapport 2013.xlsx", out / "Riksrapport 2013.pdf")
    for kind in ("json", "xlsx", "pdf"):
        national.export_buttons[kind].click()
    document = json.loads((out / "Riksrapport 2013.json").read_text(encoding="utf-8"))
    assert document["form"] == "lagesrapport" and document["round"] == 2013
    assert document["questions"]["q1a"]["riket"]["sum"] == leaders
    assert {r: v["sum"] for r, v in document["questions"]["q1a"]["per_region"].items()} == {
        region: a["leaders"] for region, a in ANSWERS.items()}
    assert document["questions"]["q1b"]["riket"]["rows"] == leaders
    for qid in TEXT_QUESTIONS:
        got = sorted((t["region"], t["text"]) for t in document["questions"][qid]["riket"]["texts"])
        assert got == sorted((region, a["texts"][qid]) for region, a in ANSWERS.items() if qid in a["texts"]), qid
    workbook = load_workbook(io.BytesIO((out / "Riksrapport 2013.xlsx").read_bytes()))
    cells = [c.value for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    for region, answers in ANSWERS.items():
        for qid, text in answers["texts"].items():
            assert f"{region}: {text}" in cells, (qid, text)
    total = [row for row in workbook["Fråga 1 a"].iter_rows(values_only=True)]
    assert total[1:3] == [("Riket", None), ("Antal svar", 3)] and ("Summa", f"{leaders} utvecklingsledare") in total
    rows = [row for row in workbook["Fråga 1 b"].iter_rows(values_only=True)]
    assert ("Antal rader", leaders) in rows
    pdf = (out / "Riksrapport 2013.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert QApplication.activeModalWidget() is None
    window.close()
    store.close()


def test_a_leader_switches_between_the_municipalities_round_and_the_regions_own(qtbot, tmp_path):
    db = tmp_path / "ledare.sqlite"
    start_round(db)
    store = core.open_store(db)
    window = MainWindow(store, Settings(role="ledare", region="Östergötland"), round_year=2011)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    county_tab = window.tabs.indexOf(window.county_page)
    assert window.list.isVisible() and window.tabs.isTabVisible(county_tab)
    window.select_municipality("0580")
    assert window.open_municipality() == "0580"

    def choose(year: int) -> None:
        index = window.round_box.findData(store.round_for(year).id)
        window.round_box.setCurrentIndex(index)
        window.round_box.activated.emit(index)

    choose(2013)
    assert not window.list.isVisible() and not window.tabs.isTabVisible(county_tab)
    assert window.open_municipality() == "Östergötland"
    assert window.questionnaire.kommun_label.text() == "Östergötland"
    assert window.progress.text().startswith("Besvaras per region: Östergötland")
    choose(2011)
    assert window.list.isVisible() and window.tabs.isTabVisible(county_tab)
    assert window.open_municipality() is None  # the region is not a municipality: none is open
    assert window.progress.text().endswith("kommuner har svarat (0 %)")
    window.close()
    store.close()


def test_a_municipalitys_window_opens_on_the_latest_round_it_answers(qtbot, tmp_path):
    """With the region-level lägesrapport as the latest round, a municipality still opens its own questionnaire."""
    from bou_desktop import core
    from bou_desktop.gui.main_window import MainWindow
    from bou_desktop.paths import forms_dir
    from bou_desktop.settings import Settings

    store = core.open_store(tmp_path / "kommun.sqlite")
    store.add_round(2013, forms_dir() / "lagesrapport2013.toml")
    assert store.round_for().year == 2013
    window = MainWindow(store, Settings(role="kommun", kommun="0580"))
    qtbot.addWidget(window)
    assert window.round.year == 2011 and window.questionnaire.kommun == "0580"
    assert window.round_box.currentData() == window.round.id
