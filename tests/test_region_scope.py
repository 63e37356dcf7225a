"""A region's own survey (`scope = "region"`, seed 001: "Detta görs lämpligen i en särskild enkät"):
started with `round add` and Ny omgång… beside the programme's round of the same year, answered by the
region's municipalities, compiled in the county view and its Excel and PDF, and never sent to SKL.

The form is written here (not one in forms/). Expected figures come from the tally below of what the
two municipalities answered, not from the program.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from bou_desktop import cli, core
from bou_desktop.exchange.county_export import CountyTargets, export_county
from bou_desktop.exchange.importer import Outcome, import_file
from bou_desktop.exchange.response_export import export_response_json, export_response_xlsx
from bou_desktop.store import StoreError
from bou_desktop.survey.answers import Answers

REGION = "Östergötland"
FORM_ID = "ostergotlandsenkat"
FORM = f"""
id = "{FORM_ID}"
version = "1"
kind = "kommun"
scope = "region"
title = "Östergötlands egen enkät om utvecklingsarbetet"
short_title = "Östergötlands enkät"

[[questions]]
id = "samverkan"
number = 1
type = "single"
text = "Samverkar ni med regionen om uppföljningen?"
[[questions.options]]
id = "ja"
label = "Ja"
[[questions.options]]
id = "delvis"
label = "Delvis"
[[questions.options]]
id = "nej"
label = "Nej"

[[questions]]
id = "antal"
number = 2
type = "integer"
text = "Hur många placerade barn följdes upp under året?"
min = 0
max = 5000

[[questions]]
id = "behov"
number = 3
type = "text"
text = "Vilket utvecklingsbehov är störst just nu?"
"""
# What the two municipalities answer, and how each sends it (a JSON and an Excel svarsfil).
ANSWERS = {
    "0580": ("Linköping", "json", {"samverkan": "ja", "antal": 12, "behov": "Fler familjehem i närområdet"}),
    "0581": ("Norrköping", "xlsx", {"samverkan": "delvis", "antal": 7, "behov": "Skolgången följs upp för sällan"}),
}


def swedish(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def tally() -> dict:
    """The hand tally of ANSWERS: choices counted, numbers summed, texts per municipality."""
    choices = Counter(a["samverkan"] for _n, _k, a in ANSWERS.values())
    numbers = [a["antal"] for _n, _k, a in ANSWERS.values()]
    return {
        "counts": {option: choices.get(option, 0) for option in ("ja", "delvis", "nej")},
        "percent": {option: round(100 * choices.get(option, 0) / len(ANSWERS)) for option in ("ja", "delvis", "nej")},
        "number": {"n": len(numbers), "sum": sum(numbers), "mean": statistics.mean(numbers),
                   "median": statistics.median(numbers), "min": min(numbers), "max": max(numbers)},
        "texts": sorted(f"{name}: {a['behov']}" for name, _k, a in ANSWERS.values()),
        "text_units": sorted((code, a["behov"]) for code, (_n, _k, a) in ANSWERS.items()),
    }


@pytest.fixture
def form_file(tmp_path) -> Path:
    folder = tmp_path / "regionens-formulär"
    folder.mkdir()
    path = folder / "ostergotlandsenkat.toml"
    path.write_text(FORM, encoding="utf-8")
    return path


def svarsfiler(tmp_path: Path, form_file: Path) -> list[Path]:
    """Each municipality answers in its own database and sends its svarsfil."""
    paths = []
    for code, (name, kind, answers) in ANSWERS.items():
        store = core.open_store(tmp_path / f"kommun-{code}.sqlite")
        round_ = store.add_round(2011, form_file)
        store.save_answers(round_, code, Answers(choices={"samverkan": [answers["samverkan"]]},
                                                 values={"antal": str(answers["antal"]), "behov": answers["behov"]}),
                           source="cli", status="klar")
        path = tmp_path / f"Svar {name}.{kind}"
        (export_response_json if kind == "json" else export_response_xlsx)(store, round_, code, path)
        paths.append(path)
        store.close()
    return paths


def run(capsys, db: Path, *args) -> tuple[int, str, str]:
    code = cli.main(["--db", str(db), *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


# ----------------------------------------------------------------------------- core and command line
def test_a_regions_own_survey_runs_beside_the_programmes_round_and_never_goes_to_skl(tmp_path, capsys, form_file):
    db = tmp_path / "ledaren.sqlite"
    code, out, err = run(capsys, db, "round", "add", "--year", 2011, "--form", form_file)
    assert (code, err) == (0, "")
    assert out == f"Startade omgången 2011: {FORM_ID} version 1 (ostergotlandsenkat.toml), utan länsformulär.\n"
    code, out, _ = run(capsys, db, "round", "list")
    lines = [line.split("\t") for line in out.splitlines()]
    assert [line[:2] for line in lines] == [["2011", "kommunenkat 2011"], ["2011", f"{FORM_ID} 1"]]
    assert len(lines[0]) == 5 and lines[1][-1] == "regionens egen enkät (skickas inte till SKL)"

    store = core.open_store(db)
    programme = store.round_for(2011)
    own = store.round_for(2011, FORM_ID)
    assert programme.form_id == "kommunenkat" and store.round_for().form_id == "kommunenkat"
    assert store.own_survey(own) and not store.own_survey(programme)
    store.close()

    for path in svarsfiler(tmp_path, form_file):
        code, out, err = run(capsys, db, "import", path)
        assert code == 0 and "importerad" in out, err

    # `--round 2011` is still the programme's round; the region's own is named by its form id.
    out_dir = tmp_path / "ut"
    out_dir.mkdir()
    code, _out, err = run(capsys, db, "--round", 2011, "export", "county", "--region", REGION,
                          "--json", out_dir / "programmet.json")
    assert code == 0, err
    assert json.loads((out_dir / "programmet.json").read_text("utf-8"))["form"] == "kommunenkat"
    code, out, err = run(capsys, db, "--round", 2011, "--form-id", FORM_ID, "export", "county", "--region", REGION,
                         "--json", out_dir / "egen.json", "--xlsx", out_dir / "egen.xlsx", "--pdf", out_dir / "egen.pdf")
    assert code == 0, err
    pdf = "\n".join(page.extract_text() for page in PdfReader(out_dir / "egen.pdf").pages)
    assert "Regionens egen enkät, för regionens eget bruk: skickas inte till SKL." in pdf
    assert all(name in pdf and text in pdf for name, _kind, answers in ANSWERS.values() for text in [answers["behov"]])
    document = json.loads((out_dir / "egen.json").read_text("utf-8"))
    expected = tally()
    assert (document["form"], document["scope"], document["kommuner_svarat"]) == (FORM_ID, "region", 2)
    assert document["questions"]["samverkan"]["counts"] == expected["counts"]
    number = document["questions"]["antal"]
    assert {k: number[k] for k in expected["number"]} == expected["number"]
    texts = document["questions"]["behov"]["texts"]
    assert sorted((t["kommun"], t["text"]) for t in texts) == expected["text_units"]

    # The e-mail to SKL and the national report are refused, in Swedish, and nothing is written.
    code, out, err = run(capsys, db, "--form-id", FORM_ID, "export", "county", "--region", REGION,
                         "--eml", out_dir / "till-skl.eml", "--to", "skl@example.se")
    assert code != 0 and not (out_dir / "till-skl.eml").exists()
    assert "Östergötlands enkät 2011 är regionens egen enkät" in err
    assert "skickas inte till SKL. Inget e-postutkast till SKL skapas" in err
    code, out, err = run(capsys, db, "--form-id", FORM_ID, "export", "national", "--json", out_dir / "riket.json")
    assert code != 0 and not (out_dir / "riket.json").exists()
    assert "Den ingår inte i den nationella sammanställningen." in err

    # SKL's import refuses the county file, Excel or JSON, whether or not SKL's database knows the form.
    skl_db = tmp_path / "skl.sqlite"
    for path in (out_dir / "egen.xlsx", out_dir / "egen.json"):
        code, out, err = run(capsys, skl_db, "import", path)
        assert code != 0 and "gäller en regions egen enkät" in err and "inte skickas till SKL" in err, err
    skl = core.open_store(skl_db)
    skl.add_round(2011, form_file)
    without_scope = {k: v for k, v in document.items() if k != "scope"}  # the form alone says it is the region's
    (out_dir / "utan-scope.json").write_text(json.dumps(without_scope, ensure_ascii=False), encoding="utf-8")
    for path in (out_dir / "egen.xlsx", out_dir / "utan-scope.json"):
        result = import_file(skl, path)
        assert result.outcome == Outcome.REFUSED and "gäller en regions egen enkät" in result.message
    assert all(skl.county_file_count(r) == 0 for r in skl.rounds())
    with pytest.raises(StoreError, match="Inget e-postutkast till SKL skapas"):
        export_county(skl, skl.round_for(2011, FORM_ID), REGION, CountyTargets(eml=out_dir / "x.eml"), to="a@b.se")
    assert skl.round_for().form_id == "kommunenkat"  # SKL's default round is the programme's
    skl.close()


def test_the_county_excel_of_an_own_survey_says_it_stays_in_the_region(tmp_path, form_file):
    from openpyxl import load_workbook

    store = core.open_store(tmp_path / "db.sqlite")
    round_ = store.add_round(2012, form_file)
    assert store.round_for(2012) == round_  # the only round that year: chosen without its form id
    path = tmp_path / "län.xlsx"
    export_county(store, round_, REGION, CountyTargets(xlsx=path))
    sheet = load_workbook(path).worksheets[0]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "Regionens egen enkät, för regionens eget bruk: skickas inte till SKL." in cells
    store.close()


# ----------------------------------------------------------------------------- the window
qt = pytest.importorskip("PySide6.QtWidgets")


def test_a_leader_starts_the_own_survey_in_the_window_and_compiles_it(qtbot, tmp_path, file_dialogs, form_file,
                                                                       screenshot_dir):
    from helpers import on_modals, show_window

    from bou_desktop.gui.main_window import MainWindow
    from bou_desktop.gui.round_dialog import NewRoundDialog
    from bou_desktop.settings import Settings

    paths = svarsfiler(tmp_path, form_file)
    store = core.open_store(tmp_path / "ledaren.sqlite")
    window = show_window(qtbot, MainWindow(store, Settings(role="ledare", region=REGION, name="Åsa Öberg",
                                                           skl_email="skl@example.se")))
    seen = {}

    def start(dialog) -> None:
        assert isinstance(dialog, NewRoundDialog)
        seen["labels"] = [label.text() for label in dialog.findChildren(qt.QLabel)]
        dialog.year_box.setValue(2011)  # the programme's year: the two rounds live side by side
        dialog.grab().save(str(screenshot_dir / "region-scope-ny-omgang.png"))
        dialog.accept()

    on_modals(start)
    file_dialogs.answer(form_file)
    window.new_round_action.trigger()
    assert any(text.startswith("Regionens egen enkät: besvaras av kommunerna i regionen") for text in seen["labels"])
    own = store.round_for(2011, FORM_ID)
    assert window.round == own and window.round_box.currentData() == own.id
    assert [window.round_box.itemText(i) for i in range(window.round_box.count())] == [
        "Kartläggning 2011", "Östergötlands enkät 2011"]
    assert "skickas inte till SKL" in window.round_box.itemData(1, qt_tooltip_role())
    assert window.round_box.itemData(0, qt_tooltip_role()) is None

    # Both municipalities' svarsfiler through Arkiv → Importera….
    on_modals(lambda results: results.reject())
    file_dialogs.answer(paths)
    window.import_action.trigger()
    assert sorted(store.statuses(own)) == sorted(ANSWERS)
    assert window.progress.text().startswith("2 av 13 kommuner har svarat")

    window.show_county_action.trigger()
    county = window.county_view
    qtbot.waitUntil(lambda: county.compilation is not None and county.compilation.kommuner_svarat == 2)
    expected = tally()
    assert county.own_survey_note is not None and "skickas inte till SKL" in county.own_survey_note.text()
    assert county.header_labels["units_answered"].text() == "2 kommuner (15 %)"  # of Östergötland's 13
    assert county.field_edits == {}  # no county form: no leader's fields, the questions as compiled
    choice = county.sections["samverkan"].table.values()
    assert choice == [("Ja", str(expected["counts"]["ja"]), f"{expected['percent']['ja']} %"),
                      ("Delvis", str(expected["counts"]["delvis"]), f"{expected['percent']['delvis']} %"),
                      ("Nej", str(expected["counts"]["nej"]), f"{expected['percent']['nej']} %"),
                      ("Ej svar", "0", "0 %")]
    number = expected["number"]
    assert [row[:2] for row in county.sections["antal"].figures.rows()] == [
        ("Antal svar", str(number["n"])), ("Summa", swedish(number["sum"])), ("Medelvärde", swedish(number["mean"])),
        ("Median", swedish(number["median"])), ("Minsta", swedish(number["min"])), ("Största", swedish(number["max"])),
        ("Ej svar", "0")]
    assert sorted(county.sections["behov"].figures.text_list.lines) == expected["texts"]

    eml = county.export_buttons["eml"]
    assert not eml.isEnabled() and "skickas inte till SKL" in eml.toolTip()
    assert all(county.export_buttons[kind].isEnabled() for kind in ("xlsx", "pdf", "json"))
    county.scroll.verticalScrollBar().setValue(0)
    qtbot.wait(300)  # the view's first layout at the window's width
    window.grab().save(str(screenshot_dir / "region-scope-lansvy.png"))

    # Excel and PDF for the region's own use.
    for kind in ("xlsx", "pdf"):
        target = tmp_path / f"Östergötlands enkät.{kind}"
        file_dialogs.answer(target)
        county.export_buttons[kind].click()
        assert target.exists() and target.stat().st_size > 1000
    # The e-mail to SKL, asked for anyway (its signal), is refused with the reason and asks for no file.
    messages = []
    on_modals(lambda box: (messages.append(box.text()), box.accept()))
    asked = len(file_dialogs.asked)
    county.export_requested.emit("eml")
    assert len(file_dialogs.asked) == asked and not list(tmp_path.glob("*.eml"))
    assert messages and messages[0].startswith("Östergötlands enkät 2011 är regionens egen enkät")

    # Back on the programme's round the e-mail to SKL is offered again, and nothing of it has changed.
    window.round_box.setCurrentIndex(0)
    window.round_box.activated.emit(0)
    assert window.round.form_id == "kommunenkat" and county.export_buttons["eml"].isEnabled()
    assert county.own_survey_note is None and store.statuses(window.round) == {}
    window.close()
    store.close()


def qt_tooltip_role():
    from PySide6.QtCore import Qt

    return Qt.ItemDataRole.ToolTipRole


def test_skls_window_opens_on_the_programmes_round_and_says_an_own_survey_is_not_national(
        qtbot, tmp_path, form_file, screenshot_dir):
    from helpers import show_window

    from bou_desktop.gui.main_window import MainWindow
    from bou_desktop.settings import Settings

    store = core.open_store(tmp_path / "skl.sqlite")
    store.add_round(2012, form_file)  # the latest round, but a region's own
    window = show_window(qtbot, MainWindow(store, Settings(role="skl", name="Kjerstin Bergman")))
    assert window.round.form_id == "kommunenkat" and window.national_view.round.form_id == "kommunenkat"
    window.close()  # and its store with it
    store = core.open_store(tmp_path / "skl.sqlite")
    asked = show_window(qtbot, MainWindow(store, Settings(role="skl"), round_year=2012))
    line = asked.national_view.summary_line.text()
    assert "är regionens egen enkät" in line and "ingår inte i den nationella sammanställningen" in line
    asked.grab().save(str(screenshot_dir / "region-scope-riket.png"))
    asked.close()
    store.close()


def test_an_own_survey_with_a_county_form_of_its_own_uses_it(tmp_path, form_file):
    from openpyxl import load_workbook

    county_file = form_file.with_name("ostergotlandslan.toml")
    county_file.write_text(FORM.replace(f'id = "{FORM_ID}"', f'id = "ostergotlandslan"\ncompiles = "{FORM_ID}"')
                           .replace('kind = "kommun"', 'kind = "lan"')
                           .replace("Östergötlands egen enkät om", "Sammanställning av Östergötlands egen enkät om")
                           + '\n[[header]]\nid = "kontakt"\nlabel = "Kontaktperson i regionen"\ntype = "text"\n',
                           encoding="utf-8")
    store = core.open_store(tmp_path / "db.sqlite")
    round_ = store.add_round(2011, form_file, county_file)
    assert store.county_form_of(round_).id == "ostergotlandslan"
    store.set_leader_text(round_, REGION, "kontakt", "Åsa Öberg")
    path = tmp_path / "län.xlsx"
    export_county(store, round_, REGION, CountyTargets(xlsx=path))
    cells = [c for row in load_workbook(path).worksheets[0].iter_rows(values_only=True) for c in row if c]
    assert "Sammanställning av Östergötlands egen enkät om utvecklingsarbetet" in cells
    assert "Kontaktperson i regionen:" in cells and "Åsa Öberg" in cells
    with pytest.raises(StoreError, match="regionens egen enkät"):
        export_county(store, round_, REGION, CountyTargets(eml=tmp_path / "x.eml"), to="skl@example.se")
    store.close()
