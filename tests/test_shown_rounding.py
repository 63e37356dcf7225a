"""Figures shown to people round half up (0,125 -> 0,13), as Swedish statistics round, everywhere.

Expected figures come from a tally here (Fraction + a half added before cutting), not from the code.
"""

from __future__ import annotations

import io
from fractions import Fraction

from openpyxl import load_workbook

from bou_desktop.exchange.county_file import county_xlsx_bytes
from bou_desktop.survey.answers import Answers
from tests.every_type import every_type_store

REGION = "Östergötland"


def half_up(value: Fraction, places: int) -> str:
    """The tally's own rounding: a half away from zero, decimal comma, no trailing zeros."""
    scaled = abs(value) * 10**places
    whole = int(scaled + Fraction(1, 2))
    text = f"{whole // 10**places},{whole % 10**places:0{places}d}".rstrip("0").rstrip(",")
    return ("−" if value < 0 else "") + text


def test_county_excel_rounds_a_mean_half_up(tmp_path):
    store = every_type_store(tmp_path / "lan.sqlite")
    round_ = store.round_for()
    given = ["0.1", "0.15"]  # mean 0,125: half to even would show 0,12
    for municipality, value in zip(store.municipalities(REGION), given, strict=False):
        store.save_answers(round_, municipality.code, Answers(choices={"har": ["nej"]}, values={"andel": value}),
                           source="cli", status="klar")
    mean = sum(Fraction(v) for v in given) / len(given)
    compilation = store.compile(round_, REGION)
    data = county_xlsx_bytes(compilation, store.forms[round_.county_form_id])
    store.close()
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows()]
    means = [row[1] for row in rows if row[0] == "Medelvärde"]
    assert f"{half_up(mean, 2)} %" in means, means
    assert half_up(mean, 2) == "0,13"
