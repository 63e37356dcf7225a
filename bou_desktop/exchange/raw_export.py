"""Raw data: every response of a round as one row per municipality, for Excel, R, SPSS or Stata.

Columns (in this order):
  kommunkod, kommun      the municipality (anonymous export: one column "kommun_anonym" with K001, K002, …)
  region                 the survey region
  status                 utkast, importerad, importerad – ofullständig or klar (ResponseState.label)
  svarssatt              the Swedish label ("Telefonintervju"), empty when not recorded
  datum                  as recorded
  uppgiftslamnare_<id>   the respondent's fields of the form's `header` (name, title …), not when anonymous
                         the respondent (left out entirely in an anonymous export)
  motsagelse             1 when a skipped question holds answers anyway (see `contradictions`), else 0
then per question, in the form's order:
  single choice          "q5" the chosen option's id and "q5_text" its label
  multiple choice        "q2_politiker" … one column per option: 1 = ticked, 0 = not ticked when the
                         question has an answer; empty when it has none (left blank, or passed over by a skip)
  ranking                "q10_basuppgifter" … one column per option: the rank, empty when not ranked
  "ange" options         "q2_annan_ange" the text
  every question         "q2_kommentar" the comment
Answers that contradict a skip (Q1 = Nej and yet Q2 ticked) are exported as recorded, with motsagelse = 1:
raw data hides nothing; the county compilation is where they are not counted.

Rows are sorted by region and then municipality in Swedish alphabetical order. An anonymous export
sorts each region's rows by the response's random id instead and numbers them K001, K002, … in that
order, so that neither the order nor the number gives away which municipality a row is.

The codebook (sheet "Kodbok") explains every column: question number and text, type, values.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..collation import swedish_key
from ..store import Round, Store
from ..survey.answers import ANSWER_MODES, RESPONDENT_PREFIX, Answers, contradictions, respondent_fields, response_state
from ..survey.forms import Form, Question
from ..survey.types import QUESTION_TYPES, AnswerError
from .fileio import write_bytes_atomic
from .svarsfil_xlsx import excel_text

DATA_SHEET = "Data"
CODEBOOK_SHEET = "Kodbok"
CODEBOOK_HEADER = ["kolumn", "fråga", "frågetext", "typ", "värde", "betydelse"]
CSV_SEPARATOR = ";"
CSV_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
TICKED_MEANING = "1 = ikryssad, 0 = ej ikryssad, tomt = frågan obesvarad eller hoppades över"
MAX_WIDTH = 50

Cell = str | int | float | None


# ----------------------------------------------------------------------------- columns
def _fixed_columns(form: Form, anonymous: bool) -> list[tuple[str, str, str]]:
    """(column, type, meaning) of the columns before the questions."""
    who = (
        [("kommun_anonym", "text", "Löpnummer i stället för kommunen (K001, K002, …); anonym export")]
        if anonymous
        else [("kommunkod", "text", "Kommunkod (fyra siffror)"), ("kommun", "text", "Kommunens namn")]
    )
    title = form.header_title or "Uppgiftslämnare"
    respondent = [] if anonymous else [
        (f"{RESPONDENT_PREFIX}_{h.id}", "text", f"{title}: {h.label}") for h in respondent_fields(form)
    ]
    modes = ", ".join(ANSWER_MODES.values())
    return [
        *who,
        ("region", "text", "Län/region i kartläggningen"),
        ("status", "text", "utkast = svaret är inte markerat som klart; importerad = kommunens egna svar ur en "
                           "svarsfil, alla obligatoriska frågor besvarade; importerad – ofullständig = kommunens egna "
                           "svar där obligatoriska frågor saknar svar (räknas inte som svar); klar = svaret är klart"),
        ("svarssatt", "text", f"Hur enkäten besvarades: {modes}; tomt = ej angivet"),
        ("datum", "text", "Datum för svaret som det registrerades; tomt = ej angivet"),
        *respondent,
        ("motsagelse", "0/1", "1 = en fråga som skulle hoppas över har ändå svar (svaren finns med i "
                              "raddata), 0 = ingen motsägelse"),
    ]


def _question_columns(question: Question, rows: int = 0) -> list[tuple[str, str, str, str]]:
    """(column, question text, type, meaning) of a question's columns, in order (`rows`: a table's rows)."""
    qid, text = question.id, question.full_text
    columns: list[tuple[str, str, str, str]] = []
    if question.qtype.is_value:
        unit = f" ({question.unit})" if question.unit else ""
        columns.append((qid, text, question.qtype.label, f"Svaret{unit}; tomt = obesvarad eller hoppades över"))
    elif question.qtype.has_columns:
        for row in range(1, rows + 1):
            for column in question.columns:
                unit = f" ({column.unit})" if column.unit else ""
                columns.append((f"{qid}_{row}_{column.id}", f"{text} – rad {row}, {column.label}",
                                QUESTION_TYPES[column.type].label, f"{column.label}{unit} på rad {row}; tomt = ej ifyllt"))
    elif question.type == "single":
        columns.append((qid, text, "enkelval (id)", "Det valda svarsalternativets id (se värdena nedan); "
                                                    "tomt = frågan obesvarad eller hoppades över"))
        columns.append((f"{qid}_text", text, "text", "Det valda svarsalternativets text"))
    elif question.type == "multi":
        for option in question.options:
            columns.append((f"{qid}_{option.id}", f"{text} – {option.label}", "0/1", TICKED_MEANING))
    else:
        for option in question.options:
            columns.append((f"{qid}_{option.id}", f"{text} – {option.label}", "rang (heltal)",
                            f"Rang 1–{question.max_rank}, där 1 = högst prioritet; tomt = ej rangordnad"))
    for option in question.specify_options:
        columns.append((f"{qid}_{option.id}_ange", f"{text} – {option.label}", "text",
                        "Den text som angavs för alternativet"))
    columns.append((f"{qid}_kommentar", text, "text", "Kommentar till frågan"))
    return columns


def header(form: Form, *, anonymous: bool = False, rows: dict[str, int] | None = None) -> list[str]:
    """The data columns' names (`rows`: how many rows each table question gets)."""
    names = [name for name, _type, _meaning in _fixed_columns(form, anonymous)]
    for question in form.questions:
        names.extend(column for column, _text, _type, _meaning in _question_columns(question, (rows or {}).get(question.id, 0)))
    return names


def table_rows(form: Form, answers: list[Answers]) -> dict[str, int]:
    """How many rows each table question needs: the most any response has."""
    return {q.id: max((len(a.tables.get(q.id, [])) for a in answers), default=0)
            for q in form.questions if q.qtype.has_columns}


def _question_cells(question: Question, answers: Answers, rows: int = 0) -> list[Cell]:
    """A response's cells for a question, in the order of `_question_columns`."""
    qid = question.id
    cells: list[Cell] = []
    if question.qtype.is_value:
        cells.append(_value_cell(question, answers.values.get(qid)))
    elif question.qtype.has_columns:
        table = answers.tables.get(qid, [])
        for row in range(rows):
            cells += [_value_cell(c, table[row].get(c.id)) if row < len(table) else None for c in question.columns]
    elif question.type == "single":
        chosen = (answers.choices.get(qid) or [None])[0]
        if chosen is None:
            cells += [None, None]
        else:
            try:
                label: str | None = question.option(chosen).label
            except KeyError:
                label = None
            cells += [chosen, label]
    elif question.type == "multi":
        chosen_set = set(answers.choices.get(qid, []))
        answered = answers.is_answered(question)
        cells += [(1 if option.id in chosen_set else 0) if answered else None for option in question.options]
    else:
        ranks = answers.ranks.get(qid, {})
        cells += [ranks.get(option.id) for option in question.options]
    for option in question.specify_options:
        cells.append(answers.specify.get((qid, option.id)) or None)
    cells.append(answers.comments.get(qid) or None)
    return cells


def _value_cell(spec, stored: str | None) -> Cell:
    """A stored value as a cell: numbers as numbers (int, or float for decimals), dates and texts as text."""
    if not stored:
        return None
    kind = QUESTION_TYPES[spec.type]
    try:
        value = kind.parse(spec, stored)
    except AnswerError:
        return stored  # kept as it was stored
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value) if not isinstance(value, str) else value


# ----------------------------------------------------------------------------- table
def _region_name(store: Store, region: str | None) -> str | None:
    return None if region is None else store.region_named(region)


def raw_table(store: Store, round_: Round, region: str | None = None, *,
              anonymous: bool = False) -> tuple[list[str], list[list[Cell]]]:
    """(header, rows): one row per municipality with a response in the round (see the module docstring).

    Cells are str, int (0/1, ranks, motsagelse) or None for empty.
    """
    form = store.form_of(round_)
    region_name = _region_name(store, region)
    entries = []
    for record in store.responses(round_, region_name):
        try:
            municipality = store.register.municipality(record.kommun)
            name, region_of = municipality.name, municipality.region
        except KeyError:  # the database knows a code the register no longer has: keep the row
            name, region_of = record.kommun, ""
        order = record.uuid if anonymous else name
        entries.append((swedish_key(region_of), swedish_key(order), record.kommun, name, region_of, record))
    entries.sort(key=lambda e: (e[0], e[1], e[2]))
    rows: list[list[Cell]] = []
    all_answers = [entry[5].answers(form) for entry in entries]
    table_sizes = table_rows(form, all_answers)
    for number, (_rk, _ok, code, name, region_of, record) in enumerate(entries, start=1):
        answers = all_answers[number - 1]
        row: list[Cell] = [f"K{number:03d}"] if anonymous else [code, name]
        row += [
            region_of,
            response_state(form, record.status, answers).label,
            ANSWER_MODES.get(record.svarssatt, record.svarssatt) if record.svarssatt else None,
            record.datum or None,
        ]
        if not anonymous:
            row += [answers.respondent.get(h.id) or None for h in respondent_fields(form)]
        row.append(1 if contradictions(form, answers) else 0)
        for question in form.questions:
            row += _question_cells(question, answers, table_sizes.get(question.id, 0))
        rows.append(row)
    return header(form, anonymous=anonymous, rows=table_sizes), rows


def codebook(form: Form, *, anonymous: bool = False, rows: dict[str, int] | None = None) -> list[list[Cell]]:
    """The codebook as a table; its first row is the header (kolumn, fråga, frågetext, typ, värde, betydelse).

    One row per data column; a single-choice column is followed by one row per option (värde = the
    option id, betydelse = its label).
    """
    table = rows
    rows = [list(CODEBOOK_HEADER)]
    for name, kind, meaning in _fixed_columns(form, anonymous):
        rows.append([name, None, None, kind, None, meaning])
    for question in form.questions:
        for column, text, kind, meaning in _question_columns(question, (table or {}).get(question.id, 0)):
            number = question.number_text if question.part else question.number  # "1 a", else the number
            rows.append([column, number, text, kind, None, meaning])
            if column == question.id:  # the single-choice id column: its values
                for option in question.options:
                    rows.append([column, number, None, None, option.id, option.label])
    return rows


# ----------------------------------------------------------------------------- Excel
def _write_sheet(ws, rows: list[list[Cell]], *, wrap_columns: tuple[int, ...] = ()) -> None:
    """Rows into a sheet: strings always as text (never formulas), header bold, frozen and filtered."""
    bold = Font(bold=True)
    widths: dict[int, int] = {}
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(r, c)
            if isinstance(value, str):
                text = excel_text(value)
                cell.value = text
                cell.data_type = "s"  # "=SUMMA(A1)" stays text: openpyxl would write a formula otherwise
            else:
                text = str(value)
                cell.value = value
            if r == 1:
                cell.font = bold
            elif c in wrap_columns:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            longest = max((len(line) for line in text.split("\n")), default=0)
            widths[c] = max(widths.get(c, 0), longest)
    for c, width in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = min(MAX_WIDTH, max(6, width + 2))
    if rows:
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(max(len(rows[0]), 1))}{max(len(rows), 1)}"


def raw_xlsx_bytes(store: Store, round_: Round, region: str | None = None, anonymous: bool = False) -> bytes:
    """The raw data as an Excel workbook: sheet "Data" and sheet "Kodbok"."""
    columns, rows = raw_table(store, round_, region, anonymous=anonymous)
    workbook = Workbook()
    data = workbook.active
    data.title = DATA_SHEET
    _write_sheet(data, [list(columns), *rows])
    book = workbook.create_sheet(CODEBOOK_SHEET)
    form = store.form_of(round_)
    sizes = table_rows(form, [r.answers(form) for r in store.responses(round_, _region_name(store, region))])
    _write_sheet(book, codebook(form, anonymous=anonymous, rows=sizes), wrap_columns=(3, 6))
    workbook.properties.title = f"Raddata {round_.year}" + (f" – {region}" if region else "")
    workbook.properties.creator = "BoU Desktop"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ----------------------------------------------------------------------------- CSV
def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value).replace(".", ",")  # Swedish decimal comma
    if isinstance(value, int):
        return str(value)
    if value.startswith(CSV_DANGEROUS_START):
        return "'" + value
    return value


def raw_csv_bytes(store: Store, round_: Round, region: str | None = None, anonymous: bool = False) -> bytes:
    """The raw data as CSV for Swedish Excel: UTF-8 with BOM, separator ";", decimal comma, CRLF lines.

    Guard against CSV injection: a text cell that starts with =, +, -, @, tab or carriage return
    would be run as a formula by Excel, so it is written with a single quote ' in front
    ("=SUMMA(A1)" is written '=SUMMA(A1), "-x" as '-x). Numbers are never prefixed. Whoever
    reads the file with a program must strip that quote from such cells. The codebook is not
    part of the CSV; it is in the Excel export (or `codebook`).
    """
    columns, rows = raw_table(store, round_, region, anonymous=anonymous)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=CSV_SEPARATOR, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


# ----------------------------------------------------------------------------- files
def write_raw(store: Store, round_: Round, path: Path | str, *, region: str | None = None, anonymous: bool = False,
              overwrite: bool = False) -> Path:
    """Write the raw data to .xlsx or .csv (by the file's suffix); never over an existing file unless overwrite."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        data = raw_xlsx_bytes(store, round_, region, anonymous)
    elif suffix == ".csv":
        data = raw_csv_bytes(store, round_, region, anonymous)
    else:
        raise ValueError(f"Filen {path.name} ska sluta på .xlsx (Excel) eller .csv (semikolonseparerad text).")
    write_bytes_atomic(path, data, overwrite=overwrite)
    return path
