"""The Excel svarsfil carries every question type: the synthetic form of tests/every_type.py written as a
template, filled in as people do (openpyxl, and LibreOffice Calc itself), read back; bad values refused
in Swedish; a region-level form; version 1 files still read.

Expected answers are written out here from what each test types, never taken from the code under test.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from every_type import every_type_store, write_forms
from office import OFFICE, fill_with_libreoffice, needs_office
from openpyxl import load_workbook
from test_question_types import full_answers

from bou_desktop import core
from bou_desktop.exchange.errors import RefusedFile
from bou_desktop.exchange.importer import Outcome, import_file
from bou_desktop.exchange.response_export import export_response_xlsx, write_region_templates, write_template
from bou_desktop.exchange.svarsfil_xlsx import (
    META_SHEET,
    SHEET,
    XLSX_FORMAT_VERSION,
    TemplateInfo,
    build_workbook,
    name_for,
    parse_svarsfil_xlsx,
)
from bou_desktop.store import Store
from bou_desktop.survey.answers import Answers
from bou_desktop.survey.forms import FormLibrary

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"

# What a person types into the template, cell by cell (openpyxl stores numbers and dates as Excel does):
# the answers of full_answers(), typed in the ways people type them.
TYPED = {
    "har.ja": "x",
    "antal": 2,
    "antal.kommentar": "Ungefär",
    "ledare.1.omfattning": 50, "ledare.1.fran": datetime(2013, 1, 1), "ledare.1.ort": "Motala",
    "ledare.2.omfattning": "75,5", "ledare.2.fran": "2012-9-15", "ledare.2.timmar": 30,
    "ledare.kommentar": "Två ledare",
    "rang1.a": 1, "rang1.b": "2", "rang1.c": 3,
    "rang2.z": 1, "rang2.w": 2,
    "val.p": "X", "val.q": "x", "val.p.ange": "Egen text",
    "andel": 12.5,
    "start": date(2013, 5, 1),
    "ort": "Linköping",
    "slutsats": "Rad ett\nRad två",
}


def expected() -> Answers:
    """TYPED, as the answers it means: the contract's full answers (tests/test_question_types.py)."""
    return full_answers()


@pytest.fixture
def library(tmp_path) -> FormLibrary:
    return FormLibrary.load(write_forms(tmp_path / "formulär"))


@pytest.fixture
def form(library):
    return library["provform"]


def template(form, kommun: str | None = "0580") -> bytes:
    return build_workbook(TemplateInfo(form, 2013, kommun, "Linköping" if kommun else ""))


def cell_of(workbook, key):
    sheet, coordinate = next(iter(workbook.defined_names[name_for(key)].destinations))
    return workbook[sheet][coordinate.replace("$", "")]


def filled(data: bytes, cells: dict) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    for key, value in cells.items():
        cell_of(workbook, key).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(data: bytes, library: FormLibrary):
    return parse_svarsfil_xlsx(data, library, core.register())


def texts(workbook) -> str:
    return "\n".join(str(c.value) for row in workbook[SHEET].iter_rows() for c in row if isinstance(c.value, str))


def rule_of(worksheet, cell):
    """The data validation covering a cell."""
    return next(dv for dv in worksheet.data_validations.dataValidation if cell.coordinate in dv.sqref)


# ------------------------------------------------------------------------------ the template


def test_the_template_has_a_validated_cell_for_every_type(form):
    workbook = load_workbook(io.BytesIO(template(form)))
    ws = workbook[SHEET]
    assert ws.protection.sheet and not ws.protection.password and int(ws.page_setup.paperSize) == 9
    meta = {row[0].value: row[1].value for row in workbook[META_SHEET].iter_rows(max_col=2)}
    assert meta["format_version"] == XLSX_FORMAT_VERSION == 2 and meta["kommun"] == "0580"
    keys = ["uppgiftslamnare.kommun", "har.ja", "har.nej", "antal", "andel", "start", "ort", "slutsats",
            "rang1.a", "rang1.b", "rang1.c", "rang2.w", "rang2.x", "rang2.y", "rang2.z", "val.p", "val.q", "val.p.ange"]
    keys += [f"ledare.{row}.{column}" for row in range(1, 21) for column in ("omfattning", "fran", "timmar", "ort")]
    keys += [f"{q}.kommentar" for q in ("har", "antal", "ledare", "rang1", "rang2", "val", "andel", "start", "ort", "slutsats")]
    for key in keys:
        assert cell_of(workbook, key).protection.locked is (key == "uppgiftslamnare.kommun"), key
    assert name_for("ledare.21.omfattning") not in workbook.defined_names  # max_rows = 20

    antal = rule_of(ws, cell_of(workbook, "antal"))
    assert (antal.type, antal.formula1, antal.formula2, antal.errorStyle) == ("whole", "0", "50", "stop")
    assert antal.error == "Skriv ett heltal från 0 till 50."
    andel = rule_of(ws, cell_of(workbook, "andel"))
    assert (andel.type, andel.formula1, andel.formula2) == ("decimal", "0", "100")
    assert andel.error == "Skriv ett tal från 0 till 100, t.ex. 12,5 (med decimalkomma)."
    omfattning = rule_of(ws, cell_of(workbook, "ledare.7.omfattning"))
    assert (omfattning.type, omfattning.formula1, omfattning.formula2) == ("decimal", "0", "100")
    assert rule_of(ws, cell_of(workbook, "ledare.7.timmar")).type == "whole"
    for key in ("start", "ledare.3.fran"):
        assert rule_of(ws, cell_of(workbook, key)).type == "date", key
        assert cell_of(workbook, key).number_format == "yyyy-mm-dd", key
    # the unit beside the number; a wrapped, taller cell for the long text
    andel_cell = cell_of(workbook, "andel")
    assert ws.cell(andel_cell.row, andel_cell.column + 1).value == "%  (0–100)"
    long = cell_of(workbook, "slutsats")
    assert long.alignment.wrap_text and ws.row_dimensions[long.row].height >= 90
    assert ws.row_dimensions[cell_of(workbook, "ort").row].height <= 20
    assert any(long.coordinate in str(merged) for merged in ws.merged_cells.ranges)  # over every text column

    words = texts(workbook)
    assert "I fråga 2 skriver du en siffra 1–3 och i fråga 3 en siffra 1–4 för prioriteringen." in words
    for text in ("fråga 10", "1–7", "Befattning", "Namn:"):  # 2011's, and the form has no such header field
        assert text not in words, text
    column_a = [ws[f"A{r}"].value for r in range(1, ws.max_row + 1) if ws[f"A{r}"].value]
    assert column_a == ["1)", "1 a)", "1 b)", "1 c)", "2)", "3)", "4)", "5)", "6)", "7)", "8)"]
    assert "Regionala utvecklingsledare" in words
    for label in ("Omfattning (%)", "Anställd fr.o.m.", "Timmar", "Ort"):
        assert label in words.splitlines(), label


def test_the_2011_template_keeps_its_texts_from_the_form(forms):
    workbook = load_workbook(io.BytesIO(build_workbook(TemplateInfo(forms["kommunenkat"], 2011, "0580", "Linköping"))))
    words = texts(workbook)
    assert "I fråga 10 skriver du en siffra 1–7 för prioriteringen." in words
    assert {"Kommun:", "Namn:", "Befattning:"} <= set(words.splitlines())  # the form's header fields


# ------------------------------------------------------------------------------ filled in and read back


def test_filled_in_as_people_do_reads_back_as_the_answers_meant(form, library):
    svarsfil = read(filled(template(form), TYPED), library)
    assert (svarsfil.kommun, svarsfil.region) == ("0580", None)
    assert svarsfil.answers == expected()


def test_what_excel_makes_of_typed_numbers_and_dates(form, library):
    """Excel stores "50 %" as 0.5 in a percent format; text typed in a number cell keeps its unit or comma."""
    cells = {"andel": 0.5, "antal": "3", "start": "2013-5-1", "ledare.1.omfattning": "50 %", "ledare.1.timmar": 12.0,
             "ledare.2.omfattning": 33.25, "ledare.2.fran": datetime(2012, 9, 15, 0, 0), "ort": 580,
             "ledare.3.fran": 41395}  # a date's serial number in the date cell: Excel shows 2013-05-01
    data = filled(template(form), cells)
    workbook = load_workbook(io.BytesIO(data))
    cell_of(workbook, "andel").number_format = "0%"
    buffer = io.BytesIO()
    workbook.save(buffer)
    answers = read(buffer.getvalue(), library).answers
    assert answers.values == {"andel": "50", "antal": "3", "start": "2013-05-01", "ort": "580"}
    assert answers.tables == {"ledare": [{"omfattning": "50", "timmar": "12"},
                                         {"omfattning": "33.25", "fran": "2012-09-15"},
                                         {"fran": "2013-05-01"}]}


def test_a_filled_response_round_trips_through_the_store(tmp_path):
    store = every_type_store(tmp_path / "a.sqlite")
    fresh = every_type_store(tmp_path / "b.sqlite")
    try:
        round_ = store.round_for()
        store.save_answers(round_, "0580", expected(), source="cli", status="klar")
        out = export_response_xlsx(store, round_, "0580", tmp_path / "svar.xlsx")
        workbook = load_workbook(out)
        assert cell_of(workbook, "antal").value == 2 and cell_of(workbook, "andel").value == 12.5
        assert cell_of(workbook, "start").value == datetime(2013, 5, 1)
        assert cell_of(workbook, "ledare.2.omfattning").value == 75.5
        result = import_file(fresh, out)
        assert result.outcome is Outcome.IMPORTED, result.message
        assert fresh.response(fresh.round_for(), "0580").fields == store.response(round_, "0580").fields
        assert fresh.response(fresh.round_for(), "0580").answers(fresh.form_of(fresh.round_for())) == expected()
    finally:
        store.close()
        fresh.close()


def test_a_row_inserted_above_a_table_leaves_its_cells_findable(form, library):
    """The names stay behind (as a program other than Excel may leave them): the key column finds the row."""
    workbook = load_workbook(io.BytesIO(template(form)))
    ws = workbook[SHEET]
    first = cell_of(workbook, "ledare.1.omfattning").row
    ws.insert_rows(first - 1)
    key_column = next(c for c in range(1, 12) if ws.cell(first + 1, c).value == "ledare.1")
    rows = {ws.cell(r, key_column).value: r for r in range(1, ws.max_row + 1) if ws.cell(r, key_column).value}
    ws[f"C{rows['ledare.2']}"] = 40
    ws[f"F{rows['ledare.2']}"] = "Åre"
    ws[f"B{rows['antal']}"] = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    answers = read(buffer.getvalue(), library).answers
    assert answers.tables == {"ledare": [{"omfattning": "40", "ort": "Åre"}]} and answers.values == {"antal": "1"}


BAD = {
    "text in a number cell": ({"antal": "många"}, "Fråga 1 b): skriv ett heltal, t.ex. 12 (cellen innehåller ”många”)"),
    "a decimal in an integer cell": ({"antal": 2.5}, "Fråga 1 b): skriv ett heltal, t.ex. 12 (cellen innehåller ”2.5”)"),
    "above the maximum": ({"andel": 150}, "Fråga 5): ska vara högst 100 (cellen innehåller ”150”)"),
    "a date that does not exist": ({"start": "2013-13-40"}, "Fråga 6): datumet '2013-13-40' finns inte; skriv datumet som ÅÅÅÅ-MM-DD"),
    "a time in a date cell": ({"start": "12:30"}, "Fråga 6): skriv datumet som ÅÅÅÅ-MM-DD"),
    "a table cell above its maximum": ({"ledare.2.omfattning": 150}, "Fråga 1 c), rad 2, Omfattning: ska vara högst 100"),
    "a word in a table's date": ({"ledare.3.fran": "igår"}, "Fråga 1 c), rad 3, Anställd fr.o.m.: skriv datumet som ÅÅÅÅ-MM-DD"),
    "a formula in a number cell": ({"antal": "=1+1"}, "Fråga 1 b): skriv ett heltal"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_a_bad_value_is_refused_in_swedish_naming_question_row_and_column(form, library, case):
    cells, message = BAD[case]
    with pytest.raises(RefusedFile) as refused:
        read(filled(template(form), {**TYPED, **cells}), library)
    assert message in str(refused.value), str(refused.value)


def test_the_import_refuses_a_bad_value_and_changes_nothing(tmp_path):
    store = every_type_store(tmp_path / "db.sqlite")
    try:
        path = tmp_path / "svar.xlsx"
        path.write_bytes(filled(template(store.form_of(store.round_for())), {**TYPED, "andel": 150}))
        before = store.snapshot()
        result = import_file(store, path)
        assert result.outcome is Outcome.REFUSED and "Fråga 5): ska vara högst 100" in result.message
        assert store.snapshot() == before
    finally:
        store.close()


# ------------------------------------------------------------------------------ LibreOffice


@needs_office
@pytest.mark.parametrize("typed", [True, False], ids=["typed", "as-text"])
def test_filled_in_and_saved_by_libreoffice_reads_back(form, library, tmp_path, typed):
    """Calc writes the cells itself: typed, its numbers and dates; as text, the strings as written."""
    blank = tmp_path / "mall.xlsx"
    blank.write_bytes(template(form))
    cells = {key: value for key, value in TYPED.items() if key != "slutsats"}  # the macro cannot carry a line break
    cells.update({"ledare.1.fran": "2013-01-01", "ledare.2.omfattning": "75.5" if typed else "75,5",
                  "andel": "12.5" if typed else "12,5", "start": "2013-05-01" if typed else "2013-5-1",
                  "slutsats": "En rad i Calc"})
    path = fill_with_libreoffice(blank, tmp_path / "calc.xlsx", {name_for(k): str(v) for k, v in cells.items()},
                                 tmp_path, typed=typed)
    with zipfile.ZipFile(path) as archive:
        assert b"LibreOffice" in archive.read("docProps/app.xml")  # Calc's writer, not openpyxl's
    workbook = load_workbook(path)
    if typed:  # Calc made a number and a date of what was typed
        assert cell_of(workbook, "andel").value == 12.5 and cell_of(workbook, "start").value == datetime(2013, 5, 1)
    else:
        assert cell_of(workbook, "andel").value == "12,5"
    answers = expected()
    answers.values["slutsats"] = "En rad i Calc"
    assert read(path.read_bytes(), library).answers == answers


def _pdf(path: Path, folder: Path) -> Path:
    result = subprocess.run([OFFICE, f"-env:UserInstallation={(folder / 'lo-pdf').as_uri()}", "--headless",
                             "--convert-to", "pdf", "--outdir", str(folder), str(path)],
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    assert "repair" not in (result.stdout + result.stderr).casefold(), result.stderr
    return folder / (path.stem + ".pdf")


@needs_office
def test_a_filled_template_prints_on_a4_and_is_rendered_for_a_look(form, tmp_path, screenshot_dir):
    from pypdf import PdfReader

    path = tmp_path / "ifylld.xlsx"
    path.write_bytes(filled(template(form), TYPED))
    pdf = PdfReader(_pdf(path, tmp_path))
    width, height = float(pdf.pages[0].mediabox.width), float(pdf.pages[0].mediabox.height)
    assert abs(width - 595) < 3 and abs(height - 842) < 3
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    for words in ("Regionala utvecklingsledare", "1 a)", "Omfattning (%)", "Anställd fr.o.m.", "2013-05-01",
                  "Rad ett", "I fråga 2 skriver du en siffra 1–3"):
        assert words in text, words
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "70", str(tmp_path / "ifylld.pdf"),
                        str(screenshot_dir / "svarsfil_xlsx_every_type")], check=True)


# ------------------------------------------------------------------------------ a region-level form


@pytest.fixture
def region_library(tmp_path) -> FormLibrary:
    folder = write_forms(tmp_path / "regionformulär")
    shutil.copy(REPO / "forms" / "lagesrapport2013.toml", folder / "lagesrapport2013.toml")
    return FormLibrary.load(folder)


REGION_TYPED = {"q1a": 3, "q1b.1.omfattning": 100, "q1b.2.omfattning": "50", "q1c.1.fran": date(2012, 1, 1),
                "q1c.2.fran": "2013-03-01", "q1c.2.till": datetime(2014, 12, 31), "q2": "Förankrad i FoU-rådet.\nAndra stycket.",
                "q5a.kommentar": "Se bilaga"}


def region_expected() -> Answers:
    return Answers(values={"q1a": "3", "q2": "Förankrad i FoU-rådet.\nAndra stycket."},
                   tables={"q1b": [{"omfattning": "100"}, {"omfattning": "50"}],
                           "q1c": [{"fran": "2012-01-01"}, {"fran": "2013-03-01", "till": "2014-12-31"}]},
                   comments={"q5a": "Se bilaga"})


def test_a_region_level_form_writes_a_file_naming_the_region(region_library):
    form = region_library["lagesrapport"]
    data = build_workbook(TemplateInfo(form, 2013, region="Östergötland"))
    workbook = load_workbook(io.BytesIO(data))
    meta = {row[0].value: row[1].value for row in workbook[META_SHEET].iter_rows(max_col=2)}
    assert meta["region"] == "Östergötland" and "kommun" not in meta
    assert cell_of(workbook, "uppgiftslamnare.region").value == "Östergötland"
    words = texts(workbook).splitlines()
    assert "Län/region:" in words and "Kontaktperson:" in words and "Kommun:" not in words
    assert not any("utvecklingsledaren." in w or "Kartläggning" in w for w in words)
    svarsfil = read(filled(data, REGION_TYPED), region_library)
    assert (svarsfil.kommun, svarsfil.region, svarsfil.form_id) == ("", "Östergötland", "lagesrapport")
    assert svarsfil.answers == region_expected()


def test_a_blank_region_template_takes_the_region_from_its_cell(region_library):
    data = build_workbook(TemplateInfo(region_library["lagesrapport"], 2013))
    svarsfil = read(filled(data, {**REGION_TYPED, "uppgiftslamnare.region": " östergötland "}), region_library)
    assert svarsfil.region == "Östergötland" and svarsfil.answers == region_expected()
    with pytest.raises(RefusedFile, match="fältet Län/region är tomt; skriv regionens namn"):
        read(filled(data, REGION_TYPED), region_library)


def test_a_region_level_form_carries_its_own_header_field(region_library):
    data = build_workbook(TemplateInfo(region_library["lagesrapport"], 2013, region="Östergötland"))
    svarsfil = read(filled(data, {**REGION_TYPED, "uppgiftslamnare.kontaktperson": "Åsa Öberg"}), region_library)
    assert svarsfil.answers.respondent == {"kontaktperson": "Åsa Öberg"}


def test_template_commands_write_the_regions_own_file_for_a_region_level_round(region_library, tmp_path):
    store = Store.open(tmp_path / "db.sqlite", region_library, core.register())
    try:
        round_ = store.add_round(2013, "lagesrapport")
        written = write_region_templates(store, round_, "Östergötland", tmp_path / "ut")
        assert [p.name for p in written] == ["Enkät 2013 Östergötland.xlsx"]
        workbook = load_workbook(written[0])
        assert cell_of(workbook, "uppgiftslamnare.region").value == "Östergötland"
        blank = write_template(store, round_, tmp_path / "tom.xlsx")
        assert cell_of(load_workbook(blank), "uppgiftslamnare.region").value is None
        one = write_template(store, round_, tmp_path / "skane.xlsx", region="skåne")
        assert cell_of(load_workbook(one), "uppgiftslamnare.region").value == "Skåne"
        # The region's file is stored under the region (migration 0005: the response's unit is the region).
        answered = tmp_path / "svar.xlsx"
        answered.write_bytes(filled(written[0].read_bytes(), REGION_TYPED))
        result = import_file(store, answered)
        assert result.outcome is Outcome.IMPORTED and result.kommun == "Östergötland", result.message
        assert store.response(round_, "Östergötland").answers(store.form_of(round_)).values["q1a"] == "3"
        # A leader of another region is asked first; the command line answers no.
        assert import_file(store, answered, region="Skåne").outcome is Outcome.REFUSED
    finally:
        store.close()


# ------------------------------------------------------------------------------ version 1


def test_a_version_1_file_still_reads(forms, register):
    """tests/data/svarsfil_xlsx_v1_2011.xlsx: a 2011 template written by the version before this one, filled in."""
    data = (DATA / "svarsfil_xlsx_v1_2011.xlsx").read_bytes()
    meta = {row[0].value: row[1].value for row in load_workbook(io.BytesIO(data))[META_SHEET].iter_rows(max_col=2)}
    assert meta["format_version"] == 1
    svarsfil = parse_svarsfil_xlsx(data, forms, register)
    assert svarsfil.kommun == "0580"
    assert svarsfil.answers == Answers(
        choices={"q1": ["ja"], "q2": ["politiker", "annan"], "q5": ["ja"]},
        ranks={"q10": {"basuppgifter": 1, "resultat_hvb": 2}},
        specify={("q2", "annan"): "Nätverket"},
        comments={"q3": "Skrivet i version 1"},
        respondent={"namn": "Åsa Öberg", "befattning": "IFO-chef"},
    )
