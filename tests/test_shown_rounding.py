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


def test_a_sums_change_is_rounded_alike_in_the_county_and_national_summaries():
    """A sum of 1,005 beside 0,5: both the county line and the national note show the change of the sums
    as shown to two decimals, half up (1,01 − 0,50 = +0,51), not the unrounded +0,505."""
    from decimal import Decimal

    from bou_desktop.survey.changes import NumberChange, QuestionChange, summary_text
    from bou_desktop.survey.national_comparison import comparison_note

    now_values, earlier_values = [Fraction("0.125"), Fraction("0.88")], [Fraction("0.5")]
    now_sum, earlier_sum = sum(now_values), sum(earlier_values)
    numbers = NumberChange(len(now_values), Decimal(str(float(now_sum / 2))), Decimal(str(float(now_sum))),
                           len(earlier_values), Decimal("0.5"), Decimal(str(float(earlier_sum))))
    change = QuestionChange("andel", 2011, True, 1, earlier_n=1, numbers=numbers)
    shown_change = "+" + half_up(Fraction(half_up(now_sum, 2).replace(",", ".")) - earlier_sum, 2)
    assert shown_change == "+0,51"
    county = summary_text(change)
    assert f"Summa 2011: {half_up(earlier_sum, 2)} ({shown_change})" in county, county
    assert "0,505" not in county

    class Comparison:
        earlier_year = 2011

    national = comparison_note(change, Comparison(), {})
    assert f"summa {shown_change}" in national, national
