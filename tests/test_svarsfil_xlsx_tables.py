"""A table question of the Excel svarsfil as a person edits it: rows left empty in the middle, rows
inserted inside the table (in LibreOffice Calc itself, and with openpyxl as Calc does it), more rows
than the question allows, and a file saved again by LibreOffice.

The synthetic form of tests/every_type.py: question 1 c) "ledare" is a table of 20 rows (omfattning,
fran, timmar, ort). Expected answers are written out here from what each test types.
"""

from __future__ import annotations

import io
import subprocess
from copy import copy
from pathlib import Path

import pytest
from every_type import every_type_store
from office import OFFICE, edit_with_libreoffice, needs_office
from openpyxl import load_workbook
from test_svarsfil_xlsx_every_type import TYPED, cell_of, expected, filled, library, read, template  # noqa: F401

from bou_desktop.exchange.errors import RefusedFile
from bou_desktop.exchange.importer import Outcome, import_file
from bou_desktop.exchange.svarsfil_xlsx import SHEET

COLUMNS = {"omfattning": "C", "fran": "D", "timmar": "E", "ort": "F"}  # the table's columns, as the sheet shows them

# Every answer outside the table, typed into the cells the defined names point at: each must still be
# read after rows were inserted above it.
OTHERS = {key: value for key, value in TYPED.items() if not key.startswith("ledare.") or key == "ledare.kommentar"}


@pytest.fixture
def form(library):  # noqa: F811
    return library["provform"]


def sheet_rows(data: bytes) -> dict[str, int]:
    """The sheet row of each table row and of the questions around it, found from the hidden key column."""
    workbook = load_workbook(io.BytesIO(data))
    ws = workbook[SHEET]
    first = cell_of(workbook, "ledare.1.omfattning").row
    key_column = next(c for c in range(1, 20) if ws.cell(first, c).value == "ledare.1")
    return {ws.cell(r, key_column).value: r for r in range(1, ws.max_row + 1) if ws.cell(r, key_column).value}


def others_expected(tables: list[dict]):
    answers = expected()
    answers.tables["ledare"] = tables
    return answers


def save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def insert_rows_as_calc(ws, row: int, amount: int) -> None:
    """openpyxl's insert_rows plus what Calc and Excel also do: merged cells move down with their rows,
    and the new rows take the formats (and the unlocked answer cells) of the row above. The defined
    names stay behind, as a tool other than Excel may leave them: the import finds rows by the key column.
    """
    ws.insert_rows(row, amount)
    for merged in list(ws.merged_cells.ranges):
        if merged.min_row >= row:
            ws.merged_cells.remove(merged)
            merged.shift(row_shift=amount)
            ws.merged_cells.add(merged)
    for new in range(row, row + amount):
        for column in range(1, ws.max_column + 1):
            above, cell = ws.cell(row - 1, column), ws.cell(new, column)
            if above.has_style:
                cell._style = copy(above._style)
        ws.row_dimensions[new].height = ws.row_dimensions[row - 1].height


# ------------------------------------------------------------------------------ empty rows


def test_an_empty_row_in_the_middle_is_not_a_row_and_no_filled_cell_is_lost(form, library):  # noqa: F811
    cells = {**OTHERS,
             "ledare.1.omfattning": 50, "ledare.1.fran": "2013-01-01", "ledare.1.ort": "Motala",
             # rows 2 and 3 left empty
             "ledare.4.timmar": 30,  # a row with one cell filled is a row
             "ledare.20.ort": "Sist"}  # the last row of the table
    answers = read(filled(template(form), cells), library).answers
    assert answers == others_expected([{"omfattning": "50", "fran": "2013-01-01", "ort": "Motala"},
                                       {"timmar": "30"}, {"ort": "Sist"}])


# ------------------------------------------------------------------------------ rows inserted


@needs_office
def test_rows_inserted_in_libreoffice_inside_the_table_are_read(form, library, tmp_path):  # noqa: F811
    """In Calc a person removes the sheet's protection (it has no password), selects rows of the table and
    inserts rows above them, types into the new rows, and saves as Excel. Calc moves the names with their
    rows; every question after the table is read from its moved row."""
    blank = tmp_path / "mall.xlsx"
    blank.write_bytes(template(form))
    at = sheet_rows(blank.read_bytes())
    r1, r3, r5, r20 = at["ledare.1"], at["ledare.3"], at["ledare.5"], at["ledare.20"]
    steps = [("unprotect",),
             ("insert", r3, 2),  # two rows between rows 2 and 3; row 3 is now r3 + 2
             ("insert", r20 + 3, 1),  # one row right below the last numbered row (now r20 + 2)
             ("cell", f"C{r1}", "50"), ("cell", f"F{r1}", "Motala"),  # row 1; row 2 left empty
             ("cell", f"C{r3}", "40"), ("cell", f"D{r3}", "2013-02-01"),  # the first inserted row; the second left empty
             ("cell", f"F{r3 + 2}", "Åre"),  # the table's row 3
             ("cell", f"E{r5 + 2}", "12"),  # row 5
             ("cell", f"C{r20 + 3}", "10"), ("cell", f"F{r20 + 3}", "Sist")]  # the row inserted below the last
    steps += [("name", f"bou_{key.replace('.', '_')}", value) for key, value in
              {**OTHERS, "andel": "12.5", "start": "2013-05-01", "slutsats": "En rad i Calc"}.items()]
    path = edit_with_libreoffice(blank, tmp_path / "calc.xlsx", steps, tmp_path)

    workbook = load_workbook(path)  # what Calc did: rows inserted, names moved down with them
    assert cell_of(workbook, "ledare.3.ort").row == r3 + 2 and cell_of(workbook, "andel").row == at["andel"] + 3
    assert workbook[SHEET][f"F{r3 + 2}"].value == "Åre" and workbook[SHEET][f"C{r20 + 3}"].value == 10
    answers = read(path.read_bytes(), library).answers
    want = others_expected([{"omfattning": "50", "ort": "Motala"}, {"omfattning": "40", "fran": "2013-02-01"},
                            {"ort": "Åre"}, {"timmar": "12"}, {"omfattning": "10", "ort": "Sist"}])
    want.values["slutsats"] = "En rad i Calc"
    assert answers == want


@pytest.mark.parametrize("where", ["inside", "below the last row", "above the first row"])
def test_rows_inserted_with_openpyxl_as_calc_does_are_read(form, library, where):  # noqa: F811
    data = filled(template(form), {**OTHERS, "ledare.1.omfattning": 50, "ledare.2.ort": "Motala", "ledare.20.timmar": 8})
    at = sheet_rows(data)
    row = {"inside": at["ledare.2"], "below the last row": at["ledare.20"] + 1, "above the first row": at["ledare.1"]}[where]
    workbook = load_workbook(io.BytesIO(data))
    ws = workbook[SHEET]
    insert_rows_as_calc(ws, row, 3)
    ws[f"{COLUMNS['omfattning']}{row}"] = 25
    ws[f"{COLUMNS['ort']}{row + 2}"] = "Åre"  # the inserted row in the middle left empty
    tables = {"inside": [{"omfattning": "50"}, {"omfattning": "25"}, {"ort": "Åre"}, {"ort": "Motala"}, {"timmar": "8"}],
              "below the last row": [{"omfattning": "50"}, {"ort": "Motala"}, {"timmar": "8"}, {"omfattning": "25"}, {"ort": "Åre"}],
              "above the first row": [{"omfattning": "25"}, {"ort": "Åre"}, {"omfattning": "50"}, {"ort": "Motala"}, {"timmar": "8"}]}
    assert read(save(workbook), library).answers == others_expected(tables[where])


def test_a_bad_value_in_an_inserted_row_names_the_row_and_the_cell(form, library):  # noqa: F811
    data = template(form)
    at = sheet_rows(data)
    workbook = load_workbook(io.BytesIO(data))
    insert_rows_as_calc(workbook[SHEET], at["ledare.2"], 1)
    workbook[SHEET][f"C{at['ledare.2']}"] = 150  # the new row, the table's second from the top
    with pytest.raises(RefusedFile) as refused:
        read(save(workbook), library)
    assert str(refused.value) == f"Fråga 1 c), rad 2, Omfattning: ska vara högst 100 (cellen C{at['ledare.2']} innehåller ”150”)"


def test_more_rows_than_the_question_allows_are_refused_and_nothing_is_imported(tmp_path):
    store = every_type_store(tmp_path / "db.sqlite")
    try:
        form = store.form_of(store.round_for())
        data = filled(template(form), OTHERS)
        at = sheet_rows(data)
        workbook = load_workbook(io.BytesIO(data))
        ws = workbook[SHEET]
        insert_rows_as_calc(ws, at["ledare.20"], 2)  # 22 rows in the block, 21 of them filled
        for row in range(at["ledare.1"], at["ledare.20"] + 2):
            ws[f"{COLUMNS['timmar']}{row}"] = 40
        path = tmp_path / "svar.xlsx"
        path.write_bytes(save(workbook))
        before = store.snapshot()
        result = import_file(store, path)
        assert result.outcome is Outcome.REFUSED
        assert "Fråga 1 c): tabellen har 21 ifyllda rader men plats för högst 20" in result.message, result.message
        assert store.snapshot() == before
    finally:
        store.close()


# ------------------------------------------------------------------------------ saved again by LibreOffice


def _convert(path: Path, folder: Path) -> Path:
    folder.mkdir()
    result = subprocess.run([OFFICE, f"-env:UserInstallation={(folder / 'lo').as_uri()}", "--headless",
                             "--convert-to", "xlsx", "--outdir", str(folder), str(path)],
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    return folder / path.name


@needs_office
def test_a_filled_file_saved_again_by_libreoffice_still_reads(form, library, tmp_path):  # noqa: F811
    cells = {**TYPED, "ledare.5.ort": "Åre"}  # a row after two empty ones
    path = tmp_path / "ifylld.xlsx"
    path.write_bytes(filled(template(form), cells))
    again = _convert(path, tmp_path / "calc")
    answers = read(again.read_bytes(), library).answers
    want = expected()
    want.tables["ledare"] = [*want.tables["ledare"], {"ort": "Åre"}]
    assert answers == want
