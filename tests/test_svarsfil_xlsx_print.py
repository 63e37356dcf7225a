"""The Excel svarsfil printed by LibreOffice on a machine with only DejaVu fonts (no Arial, no Calibri):
at 100 %, no question split over two pages, and no more pages than the questions need.

The expected page count is packed here from the sheet itself (its row heights and the labels in
column A), at the scale read from the PDF, never from the code's own page breaks.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from every_type import write_forms
from office import needs_office
from openpyxl import load_workbook
from test_svarsfil_xlsx_every_type import _pdf

from bou_desktop.exchange.svarsfil_xlsx import SHEET, TemplateInfo, build_workbook
from bou_desktop.survey.forms import FormLibrary

REPO = Path(__file__).resolve().parents[1]
LABEL = re.compile(r"\d+( [a-z])?\)")  # "5)", "1 a)": a question's label in column A
A4_HEIGHT = 842.0


def templates(tmp_path: Path) -> dict[str, bytes]:
    folder = write_forms(tmp_path / "formulär")
    shutil.copy(REPO / "forms" / "lagesrapport2013.toml", folder / "lagesrapport2013.toml")
    shutil.copy(REPO / "forms" / "kommunenkat.toml", folder / "kommunenkat.toml")
    library = FormLibrary.load(folder)
    return {"provform": build_workbook(TemplateInfo(library["provform"], 2013, "0580", "Linköping")),
            "kommunenkat": build_workbook(TemplateInfo(library["kommunenkat"], 2011, "0580", "Linköping")),
            "lagesrapport": build_workbook(TemplateInfo(library["lagesrapport"], 2013, region="Östergötland"))}


def body_items(page, top: float, bottom: float) -> list[tuple[float, float, str, float]]:
    """(y from the top, x, text, font size) of the page's text between the margins, top first."""
    items = []

    def visit(text, cm, tm, font, size):
        y = A4_HEIGHT - tm[5]
        if text.strip() and top - 6 <= y <= A4_HEIGHT - bottom + 6:
            items.append((round(y, 1), tm[4], text.strip(), size))

    page.extract_text(visitor_text=visit)
    return sorted(items)


def packed_pages(data: bytes, capacity: float) -> int:
    """Pages needed when each question (from its label in column A to the next label) is kept on one page."""
    ws = load_workbook(io.BytesIO(data))[SHEET]
    default = ws.sheet_format.defaultRowHeight or 15
    last = int(re.search(r"(\d+)$", str(ws.print_area)).group(1))
    blocks, height = [], 0.0
    for row in range(1, last + 1):
        label = ws[f"A{row}"].value
        # A question's heading ("1)") starts the block of its first part ("1 a)") on the next row.
        if isinstance(label, str) and LABEL.fullmatch(label) and not (row > 1 and LABEL.fullmatch(str(ws[f"A{row - 1}"].value))):
            blocks.append(height)
            height = 0.0
        height += ws.row_dimensions[row].height or default
    blocks.append(height)
    pages, used = 1, 0.0
    for block in blocks:
        if used and used + block > capacity:
            pages, used = pages + 1, 0.0
        used += block
        while used > capacity:  # a block taller than a page runs over
            pages, used = pages + 1, used - capacity
    return pages


@needs_office
@pytest.mark.parametrize("which", ["provform", "kommunenkat", "lagesrapport"])
def test_printed_at_full_size_with_no_question_split_over_a_page_break(tmp_path, which):
    from pypdf import PdfReader

    data = templates(tmp_path)[which]
    path = tmp_path / f"{which}.xlsx"
    path.write_bytes(data)
    pdf = PdfReader(_pdf(path, tmp_path))
    ws = load_workbook(io.BytesIO(data))[SHEET]
    top, bottom = ws.page_margins.top * 72, ws.page_margins.bottom * 72
    labels = [ws[f"A{r}"].value for r in range(1, ws.max_row + 1) if LABEL.fullmatch(str(ws[f"A{r}"].value))]

    pages = [body_items(page, top, bottom) for page in pdf.pages]
    printed = [text for items in pages for _, x, text, _ in items if LABEL.fullmatch(text) and x < 60]
    assert printed == labels  # every question printed, once, in order
    # The introduction (Bilaga 1's letter in full) may run over a page; from the first question on, a page
    # starts with a question.
    questions_begun = False
    for number, items in enumerate(pages[1:], start=2):
        questions_begun = questions_begun or any(LABEL.fullmatch(t) and x < 60 for _, x, t, _ in pages[number - 2])
        if questions_begun:
            first = items[0][2]
            assert LABEL.fullmatch(first), f"sida {number} börjar mitt i en fråga: {first!r}"

    # The question labels are 10 pt bold: printed at 10 pt the sheet is at 100 % (fit to width never shrank it).
    sizes = {round(size / 10, 2) for items in pages for _, x, text, size in items if LABEL.fullmatch(text) and x < 60}
    assert sizes and all(0.97 <= scale <= 1.01 for scale in sizes), sizes
    scale = max(sizes)
    capacity = (A4_HEIGHT - top - bottom) / scale
    expected = packed_pages(data, capacity)
    assert len(pdf.pages) <= expected, (len(pdf.pages), expected)
