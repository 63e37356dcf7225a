"""Raw data over several rounds as one long table: one row per answered value, for R, SPSS or Excel.

Where raw_export.py writes a round as one row per municipality (its columns change with the form),
this writes any number of rounds in the same columns, one row per value:

  kommunkod, kommun   the municipality (empty for a form answered per region: the region is the unit)
  region              the survey region
  ar                  the round's year
  formular, version   the round's form id and version (the codebook has each round's questions)
  status              utkast, importerad, importerad – ofullständig or klar (ResponseState.label)
  fraga, nummer       the question's id in that round and its number ("1 a")
  del                 svar (the answer), ange (an option's "ange" text) or kommentar
  alternativ          the option's id (choices, rankings, "ange"), a table's column id; else empty
  rad                 a table's row (1, 2, …); else empty
  varde               a number: 1 for a chosen option, 1/0 for each option of an answered multiple
                      choice, the rank, a number's value, a table's number
  text                a text: the chosen option's label, a date, a text answer, an "ange" text, a comment

Questions left unanswered give no row (a multiple choice that has an answer gives a row per option).
The codebook names every round's form id and version, each question's text per round, its `same_as`
and its counterpart in the round before (survey/comparison.py), so that "q3" of 2011 and "underlag"
of 2013 can be put together. Texts are written as text: never a formula in Excel, and in CSV a text
that starts with =, +, -, @, tab or carriage return gets a ' in front (as raw_export.py does).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from ..collation import swedish_key
from ..store import Round, Store
from ..survey.answers import Answers, response_state
from ..survey.comparison import counterparts
from ..survey.forms import Question
from ..survey.types import QUESTION_TYPES, AnswerError
from .fileio import OverwriteRefused, write_bytes_atomic
from .raw_export import CSV_SEPARATOR, Cell, _csv_cell, _region_name, _write_sheet

HEADER = ["kommunkod", "kommun", "region", "ar", "formular", "version", "status", "fraga", "nummer", "del",
          "alternativ", "rad", "varde", "text"]
CODEBOOK_HEADER = ["ar", "formular", "version", "fraga", "nummer", "alternativ", "text", "typ", "same_as",
                   "motsvarar_foregaende"]
ROUNDS_HEADER = ["ar", "formular", "version", "titel", "svar"]
DATA_SHEET, CODEBOOK_SHEET, ROUNDS_SHEET = "Data", "Kodbok", "Omgångar"


def survey_rounds(store: Store, round_: Round) -> list[Round]:
    """Every round of `round_`'s survey (the same form id), oldest first, up to and with `round_`."""
    return [*store.earlier_rounds(round_), round_]


def _number(spec, stored: str) -> Cell:
    try:
        value = QUESTION_TYPES[spec.type].parse(spec, stored)
    except AnswerError:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return None


def _value_cells(spec, stored: str) -> tuple[Cell, Cell]:
    """(varde, text) of a stored value: a number in varde, anything else (or a number that is not valid) in text."""
    if spec.type in ("integer", "decimal"):
        number = _number(spec, stored)
        return (number, None) if number is not None else (None, stored)
    return None, stored


def question_rows(question: Question, answers: Answers) -> list[tuple[str, Cell, Cell, Cell, Cell]]:
    """(del, alternativ, rad, varde, text) of one response's answer to a question."""
    qid = question.id
    rows: list[tuple[str, Cell, Cell, Cell, Cell]] = []
    labels = {o.id: o.label for o in question.options}
    if question.qtype.is_value:
        value = answers.values.get(qid, "")
        if value.strip():
            rows.append(("svar", None, None, *_value_cells(question, value)))
    elif question.qtype.has_columns:
        for number, row in enumerate(answers.tables.get(qid, []), start=1):
            for column in question.columns:
                value = str(row.get(column.id, ""))
                if value.strip():
                    rows.append(("svar", column.id, number, *_value_cells(column, value)))
    elif question.type == "single":
        for option_id in answers.choices.get(qid, [])[:1]:
            rows.append(("svar", option_id, None, 1, labels.get(option_id)))
    elif question.type == "multi":
        chosen = set(answers.choices.get(qid, []))
        if chosen:
            rows += [("svar", o.id, None, 1 if o.id in chosen else 0, o.label) for o in question.options]
    else:
        ranks = answers.ranks.get(qid, {})
        rows += [("svar", o.id, None, ranks[o.id], o.label) for o in question.options if o.id in ranks]
    for option in question.specify_options:
        text = answers.specify.get((qid, option.id), "")
        if text.strip():
            rows.append(("ange", option.id, None, None, text))
    comment = answers.comments.get(qid, "")
    if comment.strip():
        rows.append(("kommentar", None, None, None, comment))
    return rows


def long_table(store: Store, rounds: Sequence[Round], region: str | None = None) -> list[list[Cell]]:
    """The rows (without the header) of every response of `rounds`: by year, region and municipality."""
    region_name = _region_name(store, region)
    out: list[list[Cell]] = []
    for round_ in sorted(rounds, key=lambda r: (r.year, r.id)):
        form = store.form_of(round_)
        per_region = form.unit_key == "region"
        entries = []
        for record in store.responses(round_, region_name):
            if per_region:
                code, name, region_of = None, None, record.kommun
            else:
                try:
                    municipality = store.register.municipality(record.kommun)
                    code, name, region_of = record.kommun, municipality.name, municipality.region
                except KeyError:  # a code the register no longer has: the row is kept
                    code, name, region_of = record.kommun, record.kommun, ""
            entries.append((swedish_key(region_of), swedish_key(name or ""), record.kommun, code, name, region_of,
                            record))
        entries.sort(key=lambda e: e[:3])
        for *_keys, code, name, region_of, record in entries:
            answers = record.answers(form)
            status = response_state(form, record.status, answers).label
            head = [code, name, region_of, round_.year, form.id, form.version, status]
            for question in form.questions:
                number = question.number_text if question.part else str(question.number)
                for part, option, row, value, text in question_rows(question, answers):
                    out.append([*head, question.id, number, part, option, row, value, text])
    return out


def long_codebook(store: Store, rounds: Sequence[Round]) -> list[list[Cell]]:
    """Each round's questions (and their options or columns): text, type, `same_as`, and the id of the
    question's counterpart in the round before it of the same survey (empty: new in that round)."""
    rows: list[list[Cell]] = [list(CODEBOOK_HEADER)]
    for round_ in sorted(rounds, key=lambda r: (r.year, r.id)):
        form = store.form_of(round_)
        before = store.earlier_rounds(round_)
        matches = counterparts(form, store.form_of(before[-1])) if before else {}
        for question in form.questions:
            match = matches.get(question.id)
            number = question.number_text if question.part else str(question.number)
            head = [round_.year, form.id, form.version, question.id, number]
            rows.append([*head, None, question.full_text, question.qtype.label, question.same_as,
                         match.earlier.id if match else None])
            for option in question.options:
                earlier = match.options.get(option.id) if match else None
                rows.append([*head, option.id, option.label, None, option.same_as, earlier])
            for column in question.columns:
                earlier = match.columns.get(column.id) if match else None
                unit = f" ({column.unit})" if column.unit else ""
                rows.append([*head, column.id, f"{column.label}{unit}", QUESTION_TYPES[column.type].label, None,
                             earlier])
    return rows


def rounds_table(store: Store, rounds: Sequence[Round]) -> list[list[Cell]]:
    rows: list[list[Cell]] = [list(ROUNDS_HEADER)]
    for round_ in sorted(rounds, key=lambda r: (r.year, r.id)):
        form = store.form_of(round_)
        rows.append([round_.year, form.id, form.version, form.title, len(store.statuses(round_))])
    return rows


def long_xlsx_bytes(store: Store, rounds: Sequence[Round], region: str | None = None) -> bytes:
    """Sheets "Data" (the long table), "Kodbok" and "Omgångar"."""
    workbook = Workbook()
    data = workbook.active
    data.title = DATA_SHEET
    _write_sheet(data, [list(HEADER), *long_table(store, rounds, region)])
    _write_sheet(workbook.create_sheet(CODEBOOK_SHEET), long_codebook(store, rounds), wrap_columns=(7,))
    _write_sheet(workbook.create_sheet(ROUNDS_SHEET), rounds_table(store, rounds))
    years = sorted({r.year for r in rounds})
    workbook.properties.title = f"Rådata {years[0]}–{years[-1]}" if len(years) > 1 else f"Rådata {years[0]}"
    workbook.properties.creator = "BoU Desktop"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list[Cell]]) -> bytes:
    """Rows as CSV for Swedish Excel and for R's read.csv2: UTF-8 with BOM, ";", decimal comma, CRLF."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=CSV_SEPARATOR, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def codebook_paths(path: Path) -> tuple[Path, Path]:
    """The CSV codebook and rounds files beside a long CSV: "<name> kodbok.csv", "<name> omgångar.csv"."""
    return path.with_name(f"{path.stem} kodbok.csv"), path.with_name(f"{path.stem} omgångar.csv")


def write_long(store: Store, rounds: Sequence[Round], path: Path | str, *, region: str | None = None,
               overwrite: bool = False) -> list[Path]:
    """Write the long table: .xlsx (with the codebook's sheets) or .csv (with the codebook and the rounds as
    two CSV files beside it). Never over an existing file unless `overwrite`. Returns the files written."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not rounds:
        raise ValueError("Det finns ingen omgång att exportera.")
    if suffix == ".xlsx":
        write_bytes_atomic(path, long_xlsx_bytes(store, rounds, region), overwrite=overwrite)
        return [path]
    if suffix != ".csv":
        raise ValueError(f"Filen {path.name} ska sluta på .xlsx (Excel) eller .csv (semikolonseparerad text).")
    book, rounds_path = codebook_paths(path)
    files = [(path, [list(HEADER), *long_table(store, rounds, region)]), (book, long_codebook(store, rounds)),
             (rounds_path, rounds_table(store, rounds))]
    existing = [p for p, _rows in files if p.exists()]
    if existing and not overwrite:  # none of the three is written when one of them is there
        raise OverwriteRefused(f"Filen {existing[0]} finns redan och skrivs inte över.")
    for target, rows in files:
        write_bytes_atomic(target, csv_bytes(rows), overwrite=overwrite)
    return [p for p, _rows in files]


__all__ = ["HEADER", "long_codebook", "long_table", "long_xlsx_bytes", "survey_rounds", "write_long"]
