"""Typed answer cells of the Excel svarsfil: a stored value into a cell, a cell back into a stored value.

`spec` is a question or a table's column (both have `unit`, `min`, `max`); `qtype` its value type from
the registry (survey/types.py). Reading is tolerant of what Excel and LibreOffice make of what people
type: a real number or date cell, a number typed as text with a decimal comma, "50 %" (which Excel
stores as 0.5 in a percent format), a date typed "2013-5-1". What the type does not accept raises
AnswerError with the type's Swedish reason.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl.worksheet.datavalidation import DataValidation

from ..survey.types import AnswerError

DATE_FORMAT = "yyyy-mm-dd"  # Excel's code: shown as 2013-05-01 whatever the computer's language
DATE_HINT = "ÅÅÅÅ-MM-DD"
_LOOSE_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
# Bounds for a number cell whose question has none: Excel's validation needs some.
_NO_MIN, _NO_MAX = Decimal("-1E12"), Decimal("1E12")


def swedish_number(value: Any) -> str:
    """12.5 -> "12,5"; 100.0 -> "100"."""
    return format(Decimal(str(value)).normalize(), "f").replace(".", ",")


def is_number_type(qtype) -> bool:
    return bool(qtype.has_bounds)


def bounds_text(spec) -> str:
    """"0–100", "minst 0", "högst 50" or ""."""
    low, high = spec.min, spec.max
    if low is not None and high is not None:
        return f"{swedish_number(low)}–{swedish_number(high)}"
    if low is not None:
        return f"minst {swedish_number(low)}"
    if high is not None:
        return f"högst {swedish_number(high)}"
    return ""


def hint_text(qtype, spec) -> str:
    """What is written beside a value cell: the unit and the bounds ("%  (0–100)"), or the date's form."""
    if qtype.name == "date":
        return f"{DATE_HINT}, t.ex. 2013-05-01"
    if not is_number_type(qtype):
        return ""
    bounds = bounds_text(spec)
    return "  ".join(part for part in (spec.unit, f"({bounds})" if bounds else "") if part)


def column_hint(qtype, column) -> str:
    """A table column's rule in a line under the table: "Omfattning 0–100 %", "Anställd fr.o.m. ÅÅÅÅ-MM-DD"."""
    if qtype.name == "date":
        return f"{column.label} {DATE_HINT}"
    bounds = bounds_text(column) if is_number_type(qtype) else ""
    if not bounds:
        return ""
    return f"{column.label} {bounds} {column.unit}".strip()


def validation(qtype, spec) -> DataValidation | None:
    """Excel's data validation for a number or date cell, with a Swedish message; None for text."""
    if qtype.name == "date":
        return DataValidation(
            type="date", operator="between", formula1="DATE(1900,1,1)", formula2="DATE(2199,12,31)",
            allow_blank=True, showErrorMessage=True, errorStyle="stop", errorTitle="Datum",
            error=f"Skriv ett datum som {DATE_HINT}, t.ex. 2013-05-01.")
    if not is_number_type(qtype):
        return None
    whole = qtype.name == "integer"
    what = "ett heltal" if whole else "ett tal"
    bounds = bounds_text(spec)
    if spec.min is not None and spec.max is not None:
        message = f"Skriv {what} från {swedish_number(spec.min)} till {swedish_number(spec.max)}"
    elif bounds:
        message = f"Skriv {what}, {bounds}"
    else:
        message = f"Skriv {what}"
    message += "." if whole else ", t.ex. 12,5 (med decimalkomma)."
    low = Decimal(str(spec.min)) if spec.min is not None else _NO_MIN
    high = Decimal(str(spec.max)) if spec.max is not None else _NO_MAX
    return DataValidation(
        type="whole" if whole else "decimal", operator="between",
        formula1=format(low.normalize(), "f"), formula2=format(high.normalize(), "f"),
        allow_blank=True, showErrorMessage=True, errorStyle="stop",
        errorTitle="Heltal" if whole else "Tal", error=message)


def validation_key(qtype, spec) -> tuple:
    """Cells with equal keys share one validation rule (a few rules, not one per cell)."""
    return (qtype.name, spec.min, spec.max)


def cell_value(qtype, spec, stored: str) -> Any:
    """What to write into the cell: a number, a date, or the text (also when the stored value is not valid)."""
    try:
        canonical = qtype.canonical(spec, stored)
    except AnswerError:
        return stored
    if qtype.name == "date":
        return date.fromisoformat(canonical)
    if not is_number_type(qtype):
        return canonical
    number = Decimal(canonical)
    if number == number.to_integral_value() and abs(number) < 10**15:
        return int(number)
    as_float = float(number)
    # A float that does not give back the same decimal is written as its text (the reader accepts both).
    return as_float if Decimal(repr(as_float)) == number else stored


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f") if number else "0"


def _number_of_cell(value: Any, number_format: str) -> str:
    """A number cell as text: 12.5 -> "12.5"; 0.5 in a percent format -> "50"."""
    if isinstance(value, float) and not math.isfinite(value):
        raise AnswerError("cellen innehåller inget tal")
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if "%" in (number_format or ""):
        number *= 100
    return _plain(number)


def _without_unit(text: str, unit: str) -> str:
    """"50 %" -> "50" when the unit is "%"; "3 utvecklingsledare" -> "3"."""
    for suffix in {unit.strip(), "%"} - {""}:
        if text.casefold().endswith(suffix.casefold()) and len(text) > len(suffix):
            return text[: -len(suffix)].strip()
    return text


def read_value(qtype, spec, value: Any, number_format: str = "General") -> str | None:
    """The stored value of a cell's content; None when the cell is empty; AnswerError when it cannot be one."""
    if value is None:
        return None
    if not isinstance(value, str | int | float | Decimal | date | time) and isinstance(getattr(value, "text", None), str):
        value = value.text  # an array formula: its text, which no type accepts as a value
    if isinstance(value, str):
        if not value.strip():
            return None
        return qtype.canonical(spec, _normalised_text(qtype, spec, value.strip()))
    if isinstance(value, bool):
        raise AnswerError(f"skriv {qtype.example}")
    if qtype.name == "date":
        if isinstance(value, datetime):
            return qtype.canonical(spec, value.date().isoformat())
        if isinstance(value, date):
            return qtype.canonical(spec, value.isoformat())
        raise AnswerError(f"skriv {qtype.example}")
    if isinstance(value, datetime | date | time):
        if is_number_type(qtype):
            raise AnswerError(f"skriv {qtype.example}")
        return qtype.canonical(spec, value.date().isoformat() if isinstance(value, datetime) else value.isoformat())
    if isinstance(value, int | float | Decimal):
        try:
            return qtype.canonical(spec, _number_of_cell(value, number_format))
        except InvalidOperation:
            raise AnswerError(f"skriv {qtype.example}") from None
    raise AnswerError(f"skriv {qtype.example}")


def _normalised_text(qtype, spec, text: str) -> str:
    """Typed text as the type's canonical() expects it: a unit after a number dropped, a date zero-padded."""
    if is_number_type(qtype):
        return _without_unit(text, spec.unit)
    if qtype.name == "date":
        match = _LOOSE_DATE.fullmatch(text.split(" ")[0] if text.endswith(" 00:00:00") else text)
        if match:
            year, month, day = match.groups()
            return f"{year}-{int(month):02d}-{int(day):02d}"
    return text
