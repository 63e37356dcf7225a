"""A county form's header fields are data: what each shows (`computed`) is declared in the form.

The county form here is written by the test: its header fields have other ids and labels than 2011's
and come in another order, so the county view, its PDF and its Excel file can only show them from the form.
"""

from __future__ import annotations

import io
import tomllib

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from test_rounds import FORM, HEAD

from bou_desktop.exchange.county_export import CountyTargets, export_county
from bou_desktop.survey.answers import Answers
from bou_desktop.survey.forms import FormError, parse_form

REGION = "Östergötland"
ANSWERING = ("0580", "0581", "0561")  # Linköping, Norrköping, Åtvidaberg: three of the region's thirteen
COUNTY_FORM = FORM.replace(HEAD, '''id = "egen_lan"
version = "e1"
kind = "lan"
compiles = "provenkat"
title = "Egen länssammanställning"
header_title = "Uppgifter om länet:"

[[header]]
id = "svarande"
label = "Kommuner med svar"
type = "integer"
unit = "st"
computed = "units_answered"

[[header]]
id = "ansvarig"
label = "Ansvarig samordnare"
type = "text"
personal = true

[[header]]
id = "lanet"
label = "Länets namn"
type = "region"
computed = "region"

[[header]]
id = "alla"
label = "Kommuner i länet"
type = "integer"
unit = "st"
computed = "units_total"''')


@pytest.fixture
def county_round(store, tmp_path):
    folder = tmp_path / "formulär"
    folder.mkdir()
    (folder / "provenkat.toml").write_text(FORM, encoding="utf-8")
    (folder / "egen_lan.toml").write_text(COUNTY_FORM, encoding="utf-8")
    round_ = store.add_round(2014, folder / "provenkat.toml", folder / "egen_lan.toml")
    for code in ANSWERING:
        store.save_answers(round_, code, Answers(choices={"f1": ["ja"], "f2": ["skola"]}), source="cli", status="klar")
    store.set_leader_text(round_, REGION, "ansvarig", "Åsa Öberg", source="cli")
    return store, round_


# Independently: Östergötland has 13 municipalities (register), three answered: 3 of 13 is 23 %.
EXPECTED = [("Kommuner med svar", "3 st (23 %)"), ("Ansvarig samordnare", "Åsa Öberg"),
            ("Länets namn", REGION), ("Kommuner i länet", "13 st")]


def test_the_county_view_shows_the_forms_header_fields_in_its_order(county_round, qtbot):
    pytest.importorskip("PySide6.QtWidgets")
    from bou_desktop.gui.county_view import CountyView

    store, round_ = county_round
    view = CountyView(store, round_, REGION)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    form = view.header_form
    rows = []
    for row in range(form.rowCount()):
        label, field = form.itemAt(row, form.ItemRole.LabelRole), form.itemAt(row, form.ItemRole.FieldRole)
        if label is None or field is None or not form.isRowVisible(row):
            continue
        widget = field.widget()
        rows.append((label.widget().text().rstrip(":"), widget.text()))
    status = ("Utkast (räknas inte)", "Motsägelser som inte räknas", "Har inte svarat")  # the program's own rows
    assert [row for row in rows if row[0] not in status] == EXPECTED
    assert "Län/region" not in str(rows) and "Antal kommuner" not in str(rows)


def test_the_county_pdf_and_excel_show_the_forms_header_fields(county_round, tmp_path):
    store, round_ = county_round
    targets = CountyTargets(xlsx=tmp_path / "ls.xlsx", pdf=tmp_path / "ls.pdf")
    export_county(store, round_, REGION, targets)
    pdf = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(targets.pdf.read_bytes())).pages)
                   .split())
    lines = [f"{label}: {value}" for label, value in EXPECTED]
    positions = [pdf.find(line) for line in lines]
    assert all(p >= 0 for p in positions), (lines, pdf[:600])
    assert positions == sorted(positions)  # in the form's order
    assert "Län/region" not in pdf and "Totalt antal kommuner" not in pdf

    sheet = load_workbook(targets.xlsx, read_only=True)["Länssammanställning"]
    cells = [tuple(c for c in row if c is not None) for row in sheet.iter_rows(values_only=True)]
    header = cells[cells.index(("Uppgifter om länet:",)) + 1:][:5]
    assert header == [("Kommuner med svar:", 3, "st"), ("Svarsfrekvens", "23 %"), ("Ansvarig samordnare:", "Åsa Öberg"),
                      ("Länets namn:", REGION), ("Kommuner i länet:", 13, "st")]


def test_an_unknown_computed_value_is_refused_on_load():
    text = COUNTY_FORM.replace('computed = "units_total"', 'computed = "antal_kommuner"')
    with pytest.raises(FormError) as error:
        parse_form(tomllib.loads(text), "egen_lan.toml")
    assert error.value.key == "header[3].computed"
    assert "okänt beräknat värde 'antal_kommuner'" in error.value.reason and "units_total" in error.value.reason
    municipal = FORM.replace("[[questions]]", '[[header]]\nid = "x"\nlabel = "X"\ncomputed = "region"\n\n[[questions]]', 1)
    with pytest.raises(FormError, match="bara på en länsblankett"):
        parse_form(tomllib.loads(municipal), "provenkat.toml")
