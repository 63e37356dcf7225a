"""The national PDF and Excel of a region-level round (the lägesrapport 2013) speak of its form and of
regions: its title from the form, no 2011 title, no "kommuner" where regions are meant."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from pypdf import PdfReader

from bou_desktop import cli, core
from bou_desktop.exchange.national_file import national_xlsx_bytes, report_for
from bou_desktop.exchange.national_pdf import national_pdf
from bou_desktop.paths import forms_dir
from bou_desktop.survey.answers import Answers

TITLE_2011 = "Kartläggning om systematisk uppföljning av barn och unga i samhällsvård"
ANSWERED = {"Skåne": "3", "Stockholm": "4"}  # development leaders


def lagesrapport_report(tmp_path):
    db = tmp_path / "skl.sqlite"
    core.open_store(db).close()
    assert cli.main(["--db", str(db), "round", "add", "--year", "2013",
                     "--form", str(forms_dir() / "lagesrapport2013.toml")]) == 0
    store = core.open_store(db)
    round_ = store.round_for(2013)
    for region, leaders in ANSWERED.items():
        store.save_answers(round_, region, Answers(values={"q1a": leaders}), source="cli", status="klar")
    return store, round_


def test_the_national_pdf_of_a_region_level_round_names_its_form_and_regions(tmp_path):
    store, round_ = lagesrapport_report(tmp_path)
    form = store.form_of(round_)
    report = report_for(store, round_)
    regions = len(report.regions)
    reader = PdfReader(io.BytesIO(national_pdf(report, form)))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Mall för länens lägesrapporter 2013" in text
    assert TITLE_2011 not in text and "Kartläggning" not in text
    assert re.search(r"(?i)kommun", text) is None, text[:800]
    assert "Län/region Antal regioner Antal regioner som svarat Svarsfrekvens" in text
    assert f"2 av {regions} län/regioner har svarat" in text
    assert text.count("Lägesrapport 2013 – nationell sammanställning") == len(reader.pages)
    assert reader.metadata.title == "Lägesrapport 2013 – nationell sammanställning"
    # No county forms in a region-level round: no empty boxes for the leaders' summaries.
    assert "sammanfattningar av öppna svar" not in text and "Övriga synpunkter" not in text
    store.close()


def test_the_national_excel_of_a_region_level_round_names_its_form_and_regions(tmp_path):
    store, round_ = lagesrapport_report(tmp_path)
    workbook = load_workbook(io.BytesIO(national_xlsx_bytes(report_for(store, round_), store.form_of(round_))))
    cells = [str(c.value) for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    headers = [ws.oddHeader.center.text or "" for ws in workbook.worksheets] + [
        ws.oddHeader.left.text or "" for ws in workbook.worksheets] + [
        ws.oddHeader.right.text or "" for ws in workbook.worksheets]
    assert not [c for c in cells + headers if re.search(r"(?i)kommun|Kartläggning", c)]
    assert "Mall för länens lägesrapporter 2013" in cells
    assert any("Lägesrapport 2013" in h for h in headers)
    store.close()
