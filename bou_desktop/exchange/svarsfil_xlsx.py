"""The Excel svarsfil: a fillable questionnaire a municipality (or, for a region-level form, a region)
fills in with Excel or LibreOffice and e-mails back.

The sheet reads like the paper form and prints on A4. It is protected except for the answer
cells (no password; inserting rows and formatting stay allowed). Each answer cell carries a
workbook defined name (`bou_q2_politiker`, `bou_ledare_2_omfattning`), so the import finds it
again after a user inserts rows or reformats; a hidden key column repeats each row's field key
(a table row's key is `qid.<row>`) as a second way to find it. A very hidden sheet carries form
id, version, round, municipality or region and the response's uuid.

Layout (format version 2): A the question's label ("1 a)"), B the answer cell of a choice, a rank,
a number or a date, C… the texts. The texts span as many columns as the form's widest table has
columns (one column for a form without tables, as in version 1), then a narrow gap and the hidden
key column: E for a form without tables, as in version 1.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break

from .. import __version__
from ..survey.answers import ANSWER_MODES, TICK, Answers
from ..survey.forms import Form, FormLibrary, HeaderField, Question
from ..survey.register import Register
from ..survey.types import QUESTION_TYPES, TABLE_ROW_LIMIT, AnswerError, where_of
from . import xlsx_values
from .aggregate_text import CONTACT_HEADING, contact_block, intro_has_contact
from .errors import RefusedFile, check_format_version
from .svarsfil_json import FORMAT, MAX_TEXT, Svarsfil, svarsfil_from_dict
from .svarsfil_json import FORMAT_VERSION as JSON_FORMAT_VERSION

# The Excel svarsfil's own version (sheet bou). 2: every question type, the texts over as many
# columns as the widest table. Version 1 files (choices and ranks only) are read as before.
XLSX_FORMAT_VERSION = 2
READ_VERSIONS = (1, 2)

SHEET = "Enkät"
META_SHEET = "bou"
KEY_COLUMN = "E"  # the hidden key column of version 1, and of version 2 for a form without tables
# The width of the text columns together, in Excel's unit (the width of a digit of the workbook's
# font, Arial 10). The sheet (6 + 12 + 62 + 2) is narrower than A4's width between the margins in
# Excel and in LibreOffice alike, with Arial or with a wider stand-in (DejaVu Sans, where Arial is not
# installed): fit-to-width never shrinks it, so it prints at 100 % everywhere and the page breaks,
# reckoned at 100 %, fall where they were meant to.
TEXT_WIDTH = 62
DEFAULT_TABLE_ROWS = 10  # a table without max_rows gets this many rows in the template
# The points of rows that fit on an A4 page between the margins (0.75 inch top and bottom: 734), with
# a little room to spare (the row heights are reckoned on the safe side already).
PAGE_HEIGHT = 726.0
DEFAULT_ROW_HEIGHT = 15.0  # a row without a height of its own (Arial 10: 12.75 in Excel; more, to be safe)
# Characters of text at 10 pt on a line, per unit of column width: Arial's average letter is a little
# narrower than the digit the unit is made of; less than that, as a line breaks between words and a
# stand-in font is wider.
CHARS_PER_WIDTH = 1.05
MAX_UNCOMPRESSED = 30_000_000  # a svarsfil is a few hundred kB unpacked; more is not ours (or a zip bomb)
# The template has about 200 rows and a few hundred cells. Rows are allowed many more: Excel writes
# an empty row for every row a user formats, and openpyxl reads 20 000 of them in about half a
# second. Cells are the real cost (openpyxl takes seconds per million).
MAX_ROWS = 20_000
MAX_CELLS = 50_000
TICK_WORDS = {"x", "1", "ja", "true", "sant", "☒", "✓", "✔", "✗", "✘"}
UNIT_HEADER_TYPES = ("municipality", "region")

_thin = Side(style="thin", color="808080")
BOX = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
QUESTION_FILL = PatternFill("solid", fgColor="E8EEF4")
TABLE_HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center")
UNLOCKED = Protection(locked=False)
FONT_NAME = "Arial"


def _font(size: float = 10, **style) -> Font:
    """Every cell's font names its face: a style without one prints in a serif fallback."""
    return Font(name=FONT_NAME, size=size, **style)


def name_for(key: str) -> str:
    """The defined name of a field's cell: "q2.annan.ange" -> "bou_q2_annan_ange"."""
    return "bou_" + re.sub(r"[^A-Za-z0-9_]", "_", key)


def table_start_key(question: Question) -> str:
    """The key column's marker on a table's header row: its block of rows starts below it."""
    return f"{question.id}.tabell"


def table_end_key(question: Question) -> str:
    """The key column's marker on the row after a table's last row: its block ends above it."""
    return f"{question.id}.tabellslut"


def excel_text(value: str) -> str:
    """Text Excel can hold: characters it refuses are dropped, and the length is capped."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:32_000]


def _set_text(cell, value: str) -> None:
    """Write a string as text, never as a formula (openpyxl reads "=…" as a formula otherwise)."""
    cell.value = excel_text(value)
    cell.data_type = "s"


@dataclass(frozen=True)
class Grid:
    """The sheet's columns for a form: the text columns C… (one per column of the widest table)."""

    text_columns: int

    @classmethod
    def of(cls, form: Form) -> Grid:
        return cls(max([1, *(len(q.columns) for q in form.questions if q.qtype.has_columns)]))

    @property
    def last(self) -> str:
        """The last text column ("C" for a form without tables)."""
        return get_column_letter(2 + self.text_columns)

    @property
    def key(self) -> str:
        """The hidden key column, after the texts and a narrow gap ("E" for a form without tables)."""
        return get_column_letter(4 + self.text_columns)

    def column(self, index: int) -> str:
        """The letter of a table's column `index` (0: C)."""
        return get_column_letter(3 + index)


@dataclass(frozen=True)
class TemplateInfo:
    form: Form
    round_year: int
    kommun: str | None = None
    kommun_namn: str = ""
    uuid: str | None = None
    status: str = ""  # a blank template has none: what comes back is the municipality's own answers
    contact_lines: tuple[str, ...] = ()
    region: str | None = None  # the region answering a region-level form (kind "region")


def unit_field(form: Form) -> HeaderField:
    """The header field naming who answers: the form's own (type municipality or region), else the usual one."""
    wanted = "region" if form.unit_key == "region" else "municipality"
    for field in form.header:
        if field.type == wanted:
            return field
    return HeaderField(form.unit_key, "Län/region" if wanted == "region" else "Kommun", wanted)


def unit_key(form: Form) -> str:
    """The field key of the cell naming the municipality ("uppgiftslamnare.kommun") or region."""
    return f"uppgiftslamnare.{form.unit_key}"


def header_fields(form: Form) -> tuple[HeaderField, ...]:
    """The form's header fields the respondent writes (the municipality or region cell apart)."""
    return tuple(f for f in form.header if f.type not in UNIT_HEADER_TYPES)


def ranking_sentence(form: Form) -> str:
    """"I fråga 10 skriver du en siffra 1–7 för prioriteringen.", from the form's ranking questions."""
    rankings = [q for q in form.questions if q.type == "ranking"]
    if not rankings:
        return ""
    first, *rest = rankings
    text = f"I fråga {first.number_text} skriver du en siffra 1–{first.max_rank}"
    for question in rest[:-1]:
        text += f", i fråga {question.number_text} en siffra 1–{question.max_rank}"
    if rest:
        text += f" och i fråga {rest[-1].number_text} en siffra 1–{rest[-1].max_rank}"
    return text + " för prioriteringen."


def how_to_fill(form: Form) -> str:
    """The sheet's "Så fyller du i", naming only what the form asks."""
    types = {q.type for q in form.questions} | {c.type for q in form.questions for c in q.columns}
    parts = []
    if types & {"single", "multi"}:
        parts.append("Skriv X i rutan framför de svar som gäller"
                     + (" (i frågor med ”flera svarsalternativ möjliga” får flera rutor ha X)." if "multi" in types else "."))
    parts.append("Skriv i de gula fälten.")
    if "ranking" in types:
        parts.append(ranking_sentence(form))
    if "decimal" in types:
        parts.append("Tal skrivs med decimalkomma, t.ex. 12,5.")
    if "date" in types:
        parts.append(f"Datum skrivs {xlsx_values.DATE_HINT}, t.ex. 2013-05-01.")
    if "table" in types:
        parts.append("I en tabell fyller du i en rad i taget, uppifrån.")
    receiver = "den nationella samordningen" if form.unit_key == "region" else "utvecklingsledaren"
    parts.append(f"Spara filen och skicka den med e-post till {receiver}. Du kan också skriva ut den.")
    return " ".join(parts)


# ----------------------------------------------------------------------------- writing
class _Writer:
    def __init__(self, info: TemplateInfo) -> None:
        self.info = info
        self.form = info.form
        self.grid = Grid.of(info.form)
        self.wb = Workbook()
        # The workbook's own font (the first) is the one its column widths are measured in: Arial 10, the
        # cells' font, so a program that sets another font in its place widens the columns and the text alike.
        self.wb._fonts = IndexedList([_font()])
        self.wb._named_styles["Normal"].font = _font()
        self.ws = self.wb.active
        self.ws.title = SHEET
        self.row = 1
        self.tick_rule = DataValidation(type="list", formula1='"X"', allow_blank=True, showErrorMessage=True,
                                        errorStyle="warning", errorTitle="Kryss",
                                        error="Skriv X i rutan för att kryssa i, eller lämna den tom.")
        self.ws.add_data_validation(self.tick_rule)
        self.rank_rules: dict[int, DataValidation] = {}
        self.value_rules: dict[tuple, DataValidation] = {}
        self.blocks: list[tuple[int, int]] = []  # each question's first and last row (not the empty row after it)

    # -- cells
    def _span(self, row: int | None = None) -> None:
        """Let the text cell C of a row run over every text column (nothing to do with one column)."""
        if self.grid.text_columns > 1:
            row = self.row if row is None else row
            self.ws.merge_cells(f"C{row}:{self.grid.last}{row}")

    def _name(self, key: str, cell, row_key: str | None = None) -> None:
        ref = f"'{SHEET}'!${cell.column_letter}${cell.row}"
        self.wb.defined_names[name_for(key)] = DefinedName(name_for(key), attr_text=ref)
        self.ws[f"{self.grid.key}{cell.row}"] = row_key or key

    def _answer_cell(self, cell, *, align: Alignment = CENTER, bold: bool = False) -> None:
        cell.alignment = align
        cell.border = BOX
        cell.fill = INPUT_FILL
        cell.protection = UNLOCKED
        cell.font = _font(bold=bold)

    def _value_rule(self, qtype, spec) -> DataValidation | None:
        key = xlsx_values.validation_key(qtype, spec)
        if key not in self.value_rules:
            rule = xlsx_values.validation(qtype, spec)
            if rule is None:
                return None
            self.ws.add_data_validation(rule)
            self.value_rules[key] = rule
        return self.value_rules[key]

    def _put_value(self, cell, qtype, spec, stored: str) -> None:
        """A number or date cell: its validation, its format, and the stored value typed."""
        rule = self._value_rule(qtype, spec)
        if rule is not None:
            rule.add(cell)
        if qtype.name == "date":
            cell.number_format = xlsx_values.DATE_FORMAT
        if stored.strip():
            value = xlsx_values.cell_value(qtype, spec, stored)
            if isinstance(value, str):
                _set_text(cell, value)
            else:
                cell.value = value

    # -- rows
    def _text_row(self, text: str, *, bold: bool = False, size: int = 10, italic: bool = False, fill=None,
                  height: float | None = None) -> None:
        cell = self.ws[f"C{self.row}"]
        _set_text(cell, text)
        cell.font = _font(bold=bold, size=size, italic=italic)
        cell.alignment = WRAP
        if fill is not None:
            for col in ("A", "B", *(self.grid.column(i) for i in range(self.grid.text_columns))):
                self.ws[f"{col}{self.row}"].fill = fill
        self.ws.row_dimensions[self.row].height = height or _height(text, bold=bold, size=size)
        self._span()
        self.row += 1

    def _input(self, key: str, label: str, value: str = "", *, tall: bool = False, locked: bool = False,
               height: float | None = None) -> None:
        self.ws[f"B{self.row}"] = label
        self.ws[f"B{self.row}"].alignment = Alignment(horizontal="right", vertical="top", wrap_text=True)
        self.ws[f"B{self.row}"].font = _font(size=9, italic=True)
        cell = self.ws[f"C{self.row}"]
        if value:
            _set_text(cell, value)
        cell.alignment = WRAP
        cell.font = _font()
        cell.border = BOX
        if not locked:
            cell.fill = INPUT_FILL
            cell.protection = UNLOCKED
        self.ws.row_dimensions[self.row].height = height or (45 if tall else 18)
        self._name(key, cell)
        self._span()
        self.row += 1

    def _answer_row(self, key: str, label: str, value: str | int | None, rule: DataValidation, *, bold: bool) -> None:
        """An answer cell in column B (tick or rank) with its option's text beside it."""
        cell = self.ws[f"B{self.row}"]
        if value:
            cell.value = value
        self._answer_cell(cell, bold=bold)
        rule.add(cell)
        self._name(key, cell)
        text = self.ws[f"C{self.row}"]
        _set_text(text, label)
        text.alignment = WRAP
        text.font = _font()
        self.ws.row_dimensions[self.row].height = _height(label)
        self._span()
        self.row += 1

    def _tick(self, key: str, label: str, value: str = "") -> None:
        self._answer_row(key, label, value, self.tick_rule, bold=True)

    def _rank(self, key: str, label: str, max_rank: int, value: int | None = None) -> None:
        if max_rank not in self.rank_rules:
            rule = DataValidation(type="whole", operator="between", formula1="1", formula2=str(max_rank),
                                  allow_blank=True, showErrorMessage=True, errorStyle="warning", errorTitle="Rang",
                                  error=f"Skriv en siffra 1–{max_rank}, där 1 är högst prioritet.")
            self.ws.add_data_validation(rule)
            self.rank_rules[max_rank] = rule
        self._answer_row(key, label, value, self.rank_rules[max_rank], bold=False)

    # -- the sheet
    def build(self, answers: Answers | None, meta: dict[str, str | None]) -> Workbook:
        ws, form, info = self.ws, self.form, self.info
        ws.column_dimensions["A"].width = 6
        ws.column_dimensions["B"].width = 12
        for index in range(self.grid.text_columns):
            ws.column_dimensions[self.grid.column(index)].width = TEXT_WIDTH / self.grid.text_columns
        ws.column_dimensions[get_column_letter(3 + self.grid.text_columns)].width = 2
        ws.column_dimensions[self.grid.key].hidden = True
        answers = answers or Answers()

        self._text_row(form.title, bold=True, size=13)
        # The round as the store names it: "Kartläggning 2011", a region's report "Lägesrapport 2013".
        self._text_row(form.round_title(info.round_year), italic=True)
        self.row += 1
        self._text_row("Så fyller du i", bold=True, size=11)
        self._text_row(how_to_fill(form))
        self.row += 1
        # The form's introduction in full (Bilaga 1's letter), the leader's contact lines where it says.
        for section in form.intro:
            self._text_row(section.heading, bold=True)
            for paragraph in re.split(r"\n[ \t]*\n", section.text.strip()):  # a row each: a cell's height has a limit
                self._text_row(paragraph)
            if section.contact:
                self._text_row("\n".join(contact_block(info.contact_lines)), italic=True)
        if info.contact_lines and not intro_has_contact(form):
            self._text_row(CONTACT_HEADING + " " + ", ".join(info.contact_lines), italic=True)
        self.row += 1

        self._text_row(form.header_title or "Uppgiftslämnare", bold=True, size=11, fill=QUESTION_FILL)
        unit = unit_field(form)
        if form.unit_key == "region":
            unit_value = info.region or ""
        else:
            unit_value = f"{info.kommun_namn} ({info.kommun})" if info.kommun else ""
        self._input(unit_key(form), f"{unit.label}:", unit_value, locked=bool(unit_value))
        for field in header_fields(form):
            label = f"{field.label} ({field.unit}):" if field.unit else f"{field.label}:"
            self._input(f"uppgiftslamnare.{field.id}", label, answers.respondent.get(field.id, ""))
        mode = ANSWER_MODES.get(meta.get("svarssatt") or "", "")
        if mode or meta.get("datum"):
            self._text_row(f"Svarssätt: {mode or '–'}   Datum: {meta.get('datum') or '–'}   "
                           f"Intervjuare: {meta.get('intervjuare') or '–'}", italic=True)
        self.row += 1

        for question in form.questions:
            start = self.row
            self._question(question, answers)
            self.blocks.append((start, self.row - 2))  # the empty row after a question may fall below the page
        if form.closing:
            self._text_row(form.closing.replace("\n\n", "\n"), italic=True)

        ws.protection.sheet = True  # no password: only the layout is protected, not the answers
        ws.protection.insertRows = False  # allowed: people insert rows for notes
        ws.protection.formatRows = False
        ws.protection.formatColumns = False
        ws.protection.formatCells = False
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top = ws.page_margins.bottom = 0.75
        ws.page_margins.header = ws.page_margins.footer = 0.3
        ws.print_area = f"A1:{self.grid.last}{self.row}"
        ws.oddFooter.center.text = "Sida &P av &N"
        ws.oddHeader.right.text = form.round_title(info.round_year)  # as the window names the round
        ws.sheet_view.showGridLines = False
        ws.freeze_panes = None
        self._page_breaks()
        self._metadata()
        return self.wb

    def _page_breaks(self) -> None:
        """A break before a question that would not fit on the rest of its page (one that fits on a page).

        Breaks fall only between questions; a question taller than a page runs over (the program
        printing it breaks it where it must). The sheet prints at 100 % (see TEXT_WIDTH), so the
        heights here are the printed ones.
        """
        heights = [self.ws.row_dimensions[r].height or DEFAULT_ROW_HEIGHT for r in range(self.row + 1)]
        starts = {start: sum(heights[start:end + 1]) for start, end in self.blocks}
        used = 0.0
        for row in range(1, self.row):
            block = starts.get(row)
            if block is not None and used > 0 and used + block > PAGE_HEIGHT and block <= PAGE_HEIGHT:
                self.ws.row_breaks.append(Break(id=row - 1))
                used = 0.0
            used += heights[row]
            if used > PAGE_HEIGHT:  # a block taller than a page: the page ends where it ends
                used = heights[row]

    def _question(self, question: Question, answers: Answers) -> None:
        ws = self.ws
        if question.heading:
            ws[f"A{self.row}"] = f"{question.number})"
            ws[f"A{self.row}"].font = _font(bold=True)
            ws[f"A{self.row}"].alignment = WRAP
            self._text_row(question.heading, bold=True, fill=QUESTION_FILL)
        start = self.row
        ws[f"A{self.row}"] = question.label
        ws[f"A{self.row}"].font = _font(bold=True)
        ws[f"A{self.row}"].alignment = WRAP
        self._text_row(question.full_text, bold=True, fill=QUESTION_FILL)
        ws[f"A{start}"].fill = QUESTION_FILL
        if question.introduction:
            self._text_row(question.introduction.replace("\n\n", "\n"), size=9)
        if question.instruction:
            self._text_row(question.instruction, italic=True, size=9)
        qtype = question.qtype
        if qtype.has_options:
            self._options(question, answers)
        elif qtype.has_columns:
            self._table(question, answers)
        elif xlsx_values.is_number_type(qtype) or question.type == "date":
            self._value(question, answers)
        else:
            value = answers.values.get(question.id, "")
            long = not getattr(qtype, "one_line", True)
            height = min(409.0, max(90.0, _height(value))) if long else max(18.0, _height(value) if value else 18.0)
            self._input(question.id, "Svar:", value, height=height)
        self._input(f"{question.id}.kommentar", "Kommentar:", answers.comments.get(question.id, ""), tall=True)
        if question.help:
            self._text_row(question.help, size=8, italic=True)
        self.row += 1

    def _options(self, question: Question, answers: Answers) -> None:
        chosen = answers.choices.get(question.id, [])
        ranks = answers.ranks.get(question.id, {})
        for option in question.options:
            label = option.label + (f"\n{option.description}" if option.description else "")
            if question.type == "ranking":
                self._rank(f"{question.id}.{option.id}", label, question.max_rank, ranks.get(option.id))
            else:
                self._tick(f"{question.id}.{option.id}", label, TICK if option.id in chosen else "")
            if option.specify:
                self._input(f"{question.id}.{option.id}.ange", "ange:", answers.specify.get((question.id, option.id), ""))

    def _value(self, question: Question, answers: Answers) -> None:
        """A number or date: the cell in B, the unit, bounds or date form beside it."""
        cell = self.ws[f"B{self.row}"]
        self._answer_cell(cell, align=Alignment(horizontal="right", vertical="center"))
        self._put_value(cell, question.qtype, question, answers.values.get(question.id, ""))
        self._name(question.id, cell)
        hint = self.ws[f"C{self.row}"]
        _set_text(hint, xlsx_values.hint_text(question.qtype, question))
        hint.font = _font(size=9, italic=question.type == "date")
        hint.alignment = Alignment(vertical="center", indent=1)
        self.ws.row_dimensions[self.row].height = 18
        self._span()
        self.row += 1

    def _table(self, question: Question, answers: Answers) -> None:
        """A block of rows, one cell per column, each validated by its column's type."""
        ws = self.ws
        rows = answers.tables.get(question.id, [])
        count = question.max_rows if question.max_rows is not None else max(DEFAULT_TABLE_ROWS, len(rows))
        head = ws[f"B{self.row}"]
        _set_text(head, "Rad")
        head.font = _font(size=9, italic=True)
        head.alignment = Alignment(horizontal="right", vertical="bottom")
        labels = [f"{c.label} ({c.unit})" if c.unit else c.label for c in question.columns]
        for index, label in enumerate(labels):
            cell = ws[f"{self.grid.column(index)}{self.row}"]
            _set_text(cell, label)
            cell.font = _font(size=9, bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="bottom", horizontal="center")
            cell.fill = TABLE_HEAD_FILL
            cell.border = BOX
        width = TEXT_WIDTH / self.grid.text_columns
        ws.row_dimensions[self.row].height = max(_height(label, bold=True, size=9, width=width) for label in labels)
        ws[f"{self.grid.key}{self.row}"] = table_start_key(question)
        self.row += 1
        for number in range(1, count + 1):
            values = rows[number - 1] if number <= len(rows) else {}
            label = ws[f"B{self.row}"]
            label.value = number
            label.font = _font(size=9, color="606060")
            label.alignment = Alignment(horizontal="right", vertical="center")
            for index, column in enumerate(question.columns):
                cell = ws[f"{self.grid.column(index)}{self.row}"]
                ctype = QUESTION_TYPES[column.type]
                align = "left" if column.type == "text" else ("center" if column.type == "date" else "right")
                self._answer_cell(cell, align=Alignment(horizontal=align, vertical="center"))
                stored = values.get(column.id, "")
                if ctype.has_bounds or column.type == "date":
                    self._put_value(cell, ctype, column, stored)
                elif stored.strip():
                    _set_text(cell, stored)
                self._name(f"{question.id}.{number}.{column.id}", cell, row_key=f"{question.id}.{number}")
            ws.row_dimensions[self.row].height = 18
            self.row += 1
        hints = [hint for c in question.columns if (hint := xlsx_values.column_hint(QUESTION_TYPES[c.type], c))]
        note = "; ".join(hints) + "." if hints else ""
        if question.max_rows is None:
            note += f" Tabellen har plats för {count} rader; räcker de inte, skriv resten i kommentaren."
        # The row after the table ends its block (the import reads every row between the markers,
        # rows a person inserted included): the note, or a thin empty row.
        ws[f"{self.grid.key}{self.row}"] = table_end_key(question)
        if note:
            self._text_row(note.strip(), size=8, italic=True)
        else:
            ws.row_dimensions[self.row].height = 6
            self.row += 1

    def _metadata(self) -> None:
        info = self.info
        meta = self.wb.create_sheet(META_SHEET)
        unit = {"region": info.region or ""} if self.form.unit_key == "region" else {"kommun": info.kommun or ""}
        values = {
            "format": FORMAT + "-xlsx",
            "format_version": XLSX_FORMAT_VERSION,
            "form": self.form.id,
            "form_version": self.form.version,
            "round": info.round_year,
            **unit,
            "uuid": info.uuid or "",
            "status": info.status,
            "app_version": __version__,
        }
        for index, (key, value) in enumerate(values.items(), start=1):
            meta.cell(index, 1, key)
            cell = meta.cell(index, 2)
            cell.value = value if isinstance(value, int) else str(value)
            if isinstance(value, str):
                cell.data_type = "s"
        meta.sheet_state = "veryHidden"
        meta.protection.sheet = True
        for key, value in values.items():
            self.wb.custom_doc_props.append(StringProperty(name=f"bou_{key}", value=str(value) or "-"))
        who = info.region if self.form.unit_key == "region" else info.kommun_namn
        self.wb.properties.title = self.form.round_title(info.round_year) + (f" – {who}" if who else "")
        self.wb.properties.creator = "BoU Desktop"


def _lines(text: str, per_line: int) -> int:
    """The lines `text` takes when wrapped between words at `per_line` characters (a long word is cut)."""
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0
        for word in paragraph.split():
            length = len(word)
            if used and used + 1 + length > per_line:
                lines += 1
                used = 0
            used += (1 if used else 0) + length
            while used > per_line:  # a word longer than a line runs on to the next
                lines += 1
                used -= per_line
    return max(1, lines)


def _height(text: str, *, bold: bool = False, size: float = 10, width: float = TEXT_WIDTH) -> float:
    """A row height that shows wrapped text in the text columns (Excel does not grow rows by itself).

    Reckoned on the safe side: fewer characters on a line than Arial fits, a line 1.3 times the font
    size (Arial's and DejaVu Sans's are about 1.15).
    """
    per_line = max(4, int(width * CHARS_PER_WIDTH * 10 / size * (0.92 if bold else 1.0)))
    return max(15.0, 1.3 * size * _lines(text, per_line) + 3)


def build_workbook(info: TemplateInfo, answers: Answers | None = None, meta: dict[str, str | None] | None = None) -> bytes:
    """The svarsfil as .xlsx bytes: blank (a template) or filled with a response."""
    workbook = _Writer(info).build(answers, meta or {})
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ----------------------------------------------------------------------------- reading
def _check_zip(data: bytes) -> None:
    if not data.startswith(b"PK") or not zipfile.is_zipfile(io.BytesIO(data)):
        raise RefusedFile("filen är ingen Excel-fil (.xlsx) eller så är den skadad")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            total = sum(m.file_size for m in members)
            names = {m.filename for m in members}
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):  # NotImplementedError: "zip file version"
        raise RefusedFile("filen är en skadad zip-fil och kan inte läsas som Excel-fil") from None
    if total > MAX_UNCOMPRESSED or len(members) > 1_000:
        raise RefusedFile("filen är för stor uppackad för att vara en svarsfil")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise RefusedFile("filen innehåller makron och öppnas inte (en svarsfil har inga makron)")
    if "xl/workbook.xml" not in names:
        raise RefusedFile("filen är en zip-fil men ingen Excel-arbetsbok")
    check_sheet_sizes(data, MAX_ROWS, MAX_CELLS, "en svarsfil")


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")


def _swedish(number: int) -> str:
    """20 000, with a no-break space between the thousands."""
    return f"{number:,}".replace(",", "\u00a0")


def check_sheet_sizes(data: bytes, max_rows: int, max_cells: int, what: str) -> None:
    """Count the rows and cells in the sheets' XML before openpyxl reads them (a million rows take it minutes)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if not info.filename.startswith("xl/worksheets/"):
                    continue
                rows = cells = 0
                rest = b""
                with archive.open(info) as member:
                    while chunk := member.read(1 << 20):
                        text = rest + chunk
                        cut = text.rfind(b"<")  # a tag cut in two is counted with the next chunk
                        cut = len(text) if cut < 0 else cut
                        rows += len(_ROW_TAG.findall(text, 0, cut))
                        cells += len(_CELL_TAG.findall(text, 0, cut))
                        rest = text[cut:][-1_000:]
                        if rows > max_rows:
                            raise RefusedFile(f"ett blad i filen har över {_swedish(max_rows)} rader; {what} har färre")
                        if cells > max_cells:
                            raise RefusedFile(f"ett blad i filen har över {_swedish(max_cells)} celler; {what} har färre")
    except RefusedFile:
        raise
    except Exception as error:  # damaged zip data: encrypted, unknown compression, bad CRC, …
        raise RefusedFile(f"filen kan inte läsas som Excel-fil ({type(error).__name__})") from None


def _cell_text(value: Any, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) and isinstance(getattr(value, "text", None), str):
        value = value.text  # an array formula: its text, as typed, never evaluated
    text = value if isinstance(value, str) else str(value)
    if len(text) > MAX_TEXT:
        raise RefusedFile(f"{where}: texten är för lång ({len(text)} tecken, högst {MAX_TEXT})")
    return text.strip()


def _is_tick(value: Any, where: str) -> bool:
    if value is None or value is False:
        return False
    if value is True or (isinstance(value, int | float) and value == 1):
        return True
    text = str(value).strip().casefold()
    if not text:
        return False
    if text in TICK_WORDS:
        return True
    raise RefusedFile(f"{where}: rutan innehåller ”{str(value).strip()[:40]}”; skriv X för att kryssa i eller lämna den tom")


def _rank(value: Any, where: str, max_rank: int) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        number = float("nan")
    if not math.isfinite(number) or number != int(number) or not 1 <= number <= max_rank:
        raise RefusedFile(f"{where}: rangen ska vara ett heltal 1–{max_rank}, inte ”{str(value).strip()[:20]}”")
    return int(number)


# A defined name that points at one cell: 'Sheet name'!$B$12 or Sheet!B12.
_ONE_CELL = re.compile(r"(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?([1-9][0-9]{0,4})")


class _Cells:
    """Finds a field's cell by its defined name, checked against the hidden key column."""

    def __init__(self, workbook, key_column: str) -> None:
        if SHEET not in [ws.title for ws in workbook.worksheets]:  # not workbook.sheetnames: a chart sheet has no cells
            raise RefusedFile(f"bladet ”{SHEET}” saknas i filen")
        self.ws = workbook[SHEET]
        if self.ws.max_row > MAX_ROWS:
            raise RefusedFile(f"bladet har {_swedish(self.ws.max_row)} rader; en svarsfil har färre än {_swedish(MAX_ROWS)}")
        self.names = workbook.defined_names
        self.key_column = key_column
        self.by_key: dict[str, int] = {}
        index = column_index_from_string(key_column)
        for row in self.ws.iter_rows(min_col=index, max_col=index):
            cell = row[0]
            if isinstance(cell.value, str) and cell.value:
                self.by_key.setdefault(cell.value.strip(), cell.row)

    def _named_cell(self, name: str) -> str | None:
        """The coordinate a defined name points at, when it is one cell of the answer sheet.

        Read from the name's text with a pattern rather than openpyxl's formula tokenizer, which
        took a tenth of an import's time; anything else (a range, another sheet, a formula, a
        damaged name) gives None and the key column finds the cell.
        """
        defined = self.names.get(name)
        text = getattr(defined, "attr_text", None)
        match = _ONE_CELL.fullmatch(text.strip()) if isinstance(text, str) else None
        if match is None:
            return None
        sheet = match.group(1).replace("''", "'") if match.group(1) is not None else match.group(2)
        return f"{match.group(3)}{match.group(4)}" if sheet == SHEET else None

    def cell(self, key: str, column: str, where: str):
        """The cell of field `key`: its defined name's, when the key column on that row agrees."""
        coordinate = self._named_cell(name_for(key))
        if coordinate is not None:
            cell = self.ws[coordinate]
            if self.ws[f"{self.key_column}{cell.row}"].value == key:
                return cell
            # the name was not moved with its row: trust the key column
        row = self.by_key.get(key)
        if row is None:
            raise RefusedFile(f"{where}: cellen saknas i filen (har raden tagits bort?)")
        return self.ws[f"{column}{row}"]

    def value(self, key: str, column: str, where: str) -> Any:
        return self.cell(key, column, where).value

    def table_rows(self, question: Question) -> list[int]:
        """The sheet rows of a table's block, top to bottom, rows a person inserted or copied in included.

        The block lies between the markers in the key column (the header row and the row after the
        table), so a row inserted anywhere inside it, even right below the last numbered row, is read.
        A file without the markers: from the first numbered row (`qid.1`) to the last. A row holding
        another field's key is not a row of the table.
        """
        start, end = self.by_key.get(table_start_key(question)), self.by_key.get(table_end_key(question))
        own = re.compile(re.escape(question.id) + r"\.[0-9]+")
        if start is None or end is None or end <= start:
            numbered = [row for key, row in self.by_key.items() if own.fullmatch(key)]
            if not numbered:
                raise RefusedFile(f"{where_of(question)}: tabellens rader saknas i filen (har raderna tagits bort?)")
            start, end = min(numbered) - 1, max(numbered) + 1
        rows = []
        for row in range(start + 1, end):
            key = self.ws[f"{self.key_column}{row}"].value
            if key is None or (isinstance(key, str) and (not key.strip() or own.fullmatch(key.strip()))):
                rows.append(row)
        return rows


def _read_meta(workbook) -> dict[str, Any]:
    if META_SHEET not in [ws.title for ws in workbook.worksheets]:  # a chart sheet of that name has no cells
        raise RefusedFile("filen är ingen svarsfil från BoU Desktop (bladet med formulärets uppgifter saknas)")
    meta: dict[str, Any] = {}
    for key, value in workbook[META_SHEET].iter_rows(min_row=1, max_row=50, max_col=2, values_only=True):
        if isinstance(key, str):
            meta[key] = value
    if meta.get("format") != FORMAT + "-xlsx":
        raise RefusedFile("filen är ingen svarsfil från BoU Desktop")
    return meta


def _municipality_code(text: str, register: Register) -> str | None:
    """The municipality a user wrote in the Kommun cell: a code, a name, or "Name (code)"."""
    text = text.strip()
    match = re.search(r"\b(\d{4})\b", text)
    if match:
        return match.group(1)
    wanted = text.casefold()
    for municipality in register.municipalities:
        if municipality.name.casefold() == wanted:
            return municipality.code
    return None


def _typed(cell, qtype, spec, where: str, *, name_cell: bool = False) -> str | None:
    """A value cell's stored value; RefusedFile naming the place (question, row, column) when it is none.

    `name_cell`: the message names the cell too ("cellen D27"), for a table's row that a person
    may have inserted and that has no number of its own.
    """
    try:
        return xlsx_values.read_value(qtype, spec, cell.value, cell.number_format)
    except AnswerError as error:
        shown = str(cell.value).strip()[:40]
        reason = str(error)
        which = f"cellen {cell.coordinate}" if name_cell else "cellen"
        if shown and shown not in reason:
            reason += f" ({which} innehåller ”{shown}”)"
        elif name_cell:
            reason += f" ({which})"
        raise RefusedFile(f"{where}: {reason}") from None


def _text_value(cell, qtype, spec, where: str, *, name_cell: bool = False) -> str | None:
    """A text cell: its text (a number or a date Excel made of it, as text), within the length limit."""
    value = cell.value
    if isinstance(value, str | type(None)) or isinstance(getattr(value, "text", None), str):
        text = _cell_text(value, where)
        return qtype.canonical(spec, text) if text else None
    return _typed(cell, qtype, spec, where, name_cell=name_cell)


def _read_table(cells: _Cells, grid: Grid, question: Question) -> list[dict[str, str]] | None:
    """A table's filled rows, top to bottom; None when none is filled.

    Every row of the table's block is read, rows a person inserted included. An empty row is not a
    row: the filled rows keep their order and are numbered 1, 2, … as read (a table with row 2 left
    empty gives rows 1 and 3 as rows 1 and 2). A row with any cell filled is a row. More filled rows
    than the question allows refuses the file, naming the question and the limit. A message about a
    cell names the row by its place in the block (as the "Rad" numbers count, inserted rows counted)
    and the cell.
    """
    rows = []
    for number, sheet_row in enumerate(cells.table_rows(question), start=1):
        row = {}
        for index, column in enumerate(question.columns):
            cell = cells.ws[f"{grid.column(index)}{sheet_row}"]
            where = where_of(question, number, column)
            ctype = QUESTION_TYPES[column.type]
            if column.type == "text":
                value = _text_value(cell, ctype, column, where, name_cell=True)
            else:
                value = _typed(cell, ctype, column, where, name_cell=True)
            if value:
                row[column.id] = value
        if row:
            rows.append(row)
    limit = question.max_rows if question.max_rows is not None else TABLE_ROW_LIMIT
    if len(rows) > limit:
        raise RefusedFile(f"{where_of(question)}: tabellen har {len(rows)} ifyllda rader men plats för högst {limit}; "
                          f"töm rader så att högst {limit} är ifyllda och skriv resten i kommentaren")
    return rows or None


def _read_question(cells: _Cells, grid: Grid, question: Question) -> Any:
    """The value of a number, date, text or table question, as a svarsfil's `answers` holds it; None if empty."""
    qtype = question.qtype
    if qtype.has_columns:
        return _read_table(cells, grid, question)
    where = where_of(question)
    if question.type in ("text", "longtext"):
        return _text_value(cells.cell(question.id, "C", where), qtype, question, where)
    return _typed(cells.cell(question.id, "B", where), qtype, question, where)


def parse_svarsfil_xlsx(data: bytes, forms: FormLibrary, register: Register) -> Svarsfil:
    """Read a filled Excel svarsfil; RefusedFile says why it cannot be used."""
    _check_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=False, keep_links=False, keep_vba=False)
    except (InvalidFileException, KeyError, ValueError, TypeError, OSError, zipfile.BadZipFile, EOFError) as error:
        raise RefusedFile(f"filen kan inte läsas som Excel-fil ({type(error).__name__})") from None
    except Exception as error:  # openpyxl raises many kinds on malformed XML; none may escape as a crash
        raise RefusedFile(f"filen kan inte läsas som Excel-fil ({type(error).__name__})") from None
    meta = _read_meta(workbook)
    form_id = meta.get("form")
    if not isinstance(form_id, str) or form_id not in forms or forms[form_id].kind not in ("kommun", "region"):
        raise RefusedFile(f"filen gäller ett okänt formulär ({form_id!r})")
    form = forms[form_id]
    check_format_version(meta, READ_VERSIONS)
    grid = Grid.of(form)
    cells = _Cells(workbook, grid.key)
    unit = unit_field(form)
    written_unit = str(meta.get(form.unit_key) or "").strip()
    if not written_unit:
        written = _cell_text(cells.value(unit_key(form), "C", unit.label), unit.label)
        if not written:
            what = "regionens namn" if form.unit_key == "region" else "kommunens namn eller kod"
            raise RefusedFile(f"fältet {unit.label} är tomt; skriv {what}")
        written_unit = written if form.unit_key == "region" else (_municipality_code(written, register) or written)
    raw: dict[str, Any] = {
        "format": FORMAT,
        "format_version": JSON_FORMAT_VERSION,  # what is read here has the JSON svarsfil's shape of today
        "form": form.id,
        "form_version": str(meta.get("form_version")),
        "round": meta.get("round"),
        form.unit_key: written_unit,
        "uuid": str(meta.get("uuid") or "") or None,
        "status": meta.get("status") or None,
        "uppgiftslamnare": {},
        "answers": {},
        "specify": {},
        "comments": {},
    }
    for field in header_fields(form):
        text = _cell_text(cells.value(f"uppgiftslamnare.{field.id}", "C", field.label), field.label)
        if text:
            raw["uppgiftslamnare"][field.id] = text
    for question in form.questions:
        label = f"fråga {question.number_text}"
        if question.type == "ranking":
            ranks = {}
            for option in question.options:
                where = f"{label}, ”{option.label[:50]}”"
                rank = _rank(cells.value(f"{question.id}.{option.id}", "B", where), where, question.max_rank)
                if rank is not None:
                    ranks[option.id] = rank
            if ranks:
                raw["answers"][question.id] = ranks
        elif question.qtype.has_options:
            ticked = [
                option.id for option in question.options
                if _is_tick(cells.value(f"{question.id}.{option.id}", "B", f"{label}, ”{option.label[:50]}”"),
                            f"{label}, ”{option.label[:50]}”")
            ]
            if question.type == "single" and len(ticked) > 1:
                raise RefusedFile(f"{label} tillåter bara ett svar, men {len(ticked)} rutor är ikryssade")
            if ticked:
                raw["answers"][question.id] = ticked if question.type == "multi" else ticked[0]
        else:
            try:
                value = _read_question(cells, grid, question)
            except AnswerError as error:  # a text's canonical form; numbers and dates say where themselves
                raise RefusedFile(f"{where_of(question)}: {error}") from None
            if value:
                raw["answers"][question.id] = value
        texts = {}
        for option in question.specify_options:
            text = _cell_text(cells.value(f"{question.id}.{option.id}.ange", "C", f"{label}, ange"), f"{label}, ange")
            if text:
                texts[option.id] = text
        if texts:
            raw["specify"][question.id] = texts
        comment = _cell_text(cells.value(f"{question.id}.kommentar", "C", f"{label}, kommentar"), f"{label}, kommentar")
        if comment:
            raw["comments"][question.id] = comment
    return svarsfil_from_dict(raw, forms, register)
