"""The Excel svarsfil: a fillable questionnaire a municipality fills in with Excel and e-mails back.

The sheet reads like the paper form and prints on A4. It is protected except for the answer
cells (no password; inserting rows and formatting stay allowed). Each answer cell carries a
workbook defined name (`bou_q2_politiker`), so the import finds it again after a user inserts
rows or reformats; a hidden column repeats each row's field key as a second way to find it.
A very hidden sheet carries form id, version, round, municipality and the response's uuid.
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
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from .. import __version__
from ..survey.answers import ANSWER_MODES, TICK, Answers
from ..survey.forms import Form, FormLibrary, Question
from ..survey.register import Register
from .errors import RefusedFile
from .svarsfil_json import FORMAT, MAX_TEXT, Svarsfil, svarsfil_from_dict

# The Excel svarsfil's own version (sheet bou); the JSON svarsfil is at version 2, with other types.
XLSX_FORMAT_VERSION = 1

SHEET = "Enkät"
META_SHEET = "bou"
KEY_COLUMN = "E"
MAX_UNCOMPRESSED = 30_000_000  # a svarsfil is a few hundred kB unpacked; more is not ours (or a zip bomb)
# The template has about 200 rows and a few hundred cells. Rows are allowed many more: Excel writes
# an empty row for every row a user formats, and openpyxl reads 20 000 of them in about half a
# second. Cells are the real cost (openpyxl takes seconds per million).
MAX_ROWS = 20_000
MAX_CELLS = 50_000
TICK_WORDS = {"x", "1", "ja", "true", "sant", "☒", "✓", "✔", "✗", "✘"}

_thin = Side(style="thin", color="808080")
BOX = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
QUESTION_FILL = PatternFill("solid", fgColor="E8EEF4")
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


def excel_text(value: str) -> str:
    """Text Excel can hold: characters it refuses are dropped, and the length is capped."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:32_000]


def _set_text(cell, value: str) -> None:
    """Write a string as text, never as a formula (openpyxl reads "=…" as a formula otherwise)."""
    cell.value = excel_text(value)
    cell.data_type = "s"


@dataclass(frozen=True)
class TemplateInfo:
    form: Form
    round_year: int
    kommun: str | None = None
    kommun_namn: str = ""
    uuid: str | None = None
    status: str = ""  # a blank template has none: what comes back is the municipality's own answers
    contact_lines: tuple[str, ...] = ()


# ----------------------------------------------------------------------------- writing
class _Writer:
    def __init__(self, info: TemplateInfo) -> None:
        self.info = info
        self.form = info.form
        self.wb = Workbook()
        self.ws = self.wb.active
        self.ws.title = SHEET
        self.row = 1
        self.tick_rule = DataValidation(type="list", formula1='"X"', allow_blank=True, showErrorMessage=True,
                                        errorStyle="warning", errorTitle="Kryss",
                                        error="Skriv X i rutan för att kryssa i, eller lämna den tom.")
        self.ws.add_data_validation(self.tick_rule)
        self.rank_rules: dict[int, DataValidation] = {}

    def _name(self, key: str, cell) -> None:
        ref = f"'{SHEET}'!${cell.column_letter}${cell.row}"
        self.wb.defined_names[name_for(key)] = DefinedName(name_for(key), attr_text=ref)
        self.ws[f"{KEY_COLUMN}{cell.row}"] = key

    def _text_row(self, text: str, *, bold: bool = False, size: int = 10, italic: bool = False, fill=None,
                  column: str = "C", height: float | None = None) -> None:
        cell = self.ws[f"{column}{self.row}"]
        _set_text(cell, text)
        cell.font = _font(bold=bold, size=size, italic=italic)
        cell.alignment = WRAP
        if fill is not None:
            for col in "ABC":
                self.ws[f"{col}{self.row}"].fill = fill
        if height:
            self.ws.row_dimensions[self.row].height = height
        else:
            self.ws.row_dimensions[self.row].height = _height(text, bold=bold, size=size)
        self.row += 1

    def _input(self, key: str, label: str, value: str = "", *, tall: bool = False, locked: bool = False) -> None:
        self.ws[f"B{self.row}"] = label
        self.ws[f"B{self.row}"].alignment = Alignment(horizontal="right", vertical="top")
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
        self.ws.row_dimensions[self.row].height = 45 if tall else 18
        self._name(key, cell)
        self.row += 1

    def _answer_row(self, key: str, label: str, value: str | int | None, rule: DataValidation, *, bold: bool) -> None:
        """An answer cell in column B (tick or rank) with its option's text beside it."""
        cell = self.ws[f"B{self.row}"]
        if value:
            cell.value = value
        cell.alignment = CENTER
        cell.border = BOX
        cell.fill = INPUT_FILL
        cell.protection = UNLOCKED
        cell.font = _font(bold=bold)
        rule.add(cell)
        self._name(key, cell)
        text = self.ws[f"C{self.row}"]
        _set_text(text, label)
        text.alignment = WRAP
        text.font = _font()
        self.ws.row_dimensions[self.row].height = _height(label)
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

    def build(self, answers: Answers | None, meta: dict[str, str | None]) -> Workbook:
        ws, form, info = self.ws, self.form, self.info
        ws.column_dimensions["A"].width = 5
        ws.column_dimensions["B"].width = 11
        ws.column_dimensions["C"].width = 78
        ws.column_dimensions[KEY_COLUMN].hidden = True
        ws.column_dimensions["D"].width = 2
        answers = answers or Answers()

        self._text_row(form.title, bold=True, size=13)
        self._text_row(f"Kartläggning {info.round_year}", italic=True)
        self.row += 1
        self._text_row("Så fyller du i", bold=True, size=11)
        self._text_row(
            "Skriv X i rutan framför de svar som gäller (i frågor med ”flera svarsalternativ möjliga” får flera "
            "rutor ha X). Skriv i de gula fälten. I fråga 10 skriver du en siffra 1–7 för prioriteringen. "
            "Spara filen och skicka den med e-post till utvecklingsledaren. Du kan också skriva ut den."
        )
        for section in form.intro:
            if section.heading.startswith(("Så fyller", "Hur besvaras")):
                self._text_row(section.text.replace("\n\n", "\n"))
        if info.contact_lines:
            self._text_row("Kontaktuppgifter utvecklingsledaren: " + ", ".join(info.contact_lines), italic=True)
        self.row += 1

        self._text_row(form.header_title or "Uppgiftslämnare", bold=True, size=11, fill=QUESTION_FILL)
        kommun_value = f"{info.kommun_namn} ({info.kommun})" if info.kommun else ""
        self._input("uppgiftslamnare.kommun", "Kommun:", kommun_value, locked=bool(info.kommun))
        self._input("uppgiftslamnare.namn", "Namn:", answers.respondent.get("namn", ""))
        self._input("uppgiftslamnare.befattning", "Befattning:", answers.respondent.get("befattning", ""))
        mode = ANSWER_MODES.get(meta.get("svarssatt") or "", "")
        if mode or meta.get("datum"):
            self._text_row(f"Svarssätt: {mode or '–'}   Datum: {meta.get('datum') or '–'}   "
                           f"Intervjuare: {meta.get('intervjuare') or '–'}", italic=True)
        self.row += 1

        for question in form.questions:
            self._question(question, answers)
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
        ws.print_area = f"A1:C{self.row}"
        ws.oddFooter.center.text = "Sida &P av &N"
        ws.oddHeader.right.text = f"{form.short_title or 'Enkät'} {info.round_year}"
        ws.sheet_view.showGridLines = False
        ws.freeze_panes = None
        self._metadata()
        return self.wb

    def _question(self, question: Question, answers: Answers) -> None:
        ws = self.ws
        start = self.row
        ws[f"A{self.row}"] = f"{question.number})"
        ws[f"A{self.row}"].font = _font(bold=True)
        ws[f"A{self.row}"].alignment = WRAP
        self._text_row(question.full_text, bold=True, fill=QUESTION_FILL)
        ws[f"A{start}"].fill = QUESTION_FILL
        if question.introduction:
            self._text_row(question.introduction.replace("\n\n", "\n"), size=9)
        if question.instruction:
            self._text_row(question.instruction, italic=True, size=9)
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
        self._input(f"{question.id}.kommentar", "Kommentar:", answers.comments.get(question.id, ""), tall=True)
        if question.help:
            self._text_row(question.help, size=8, italic=True)
        self.row += 1

    def _metadata(self) -> None:
        info = self.info
        meta = self.wb.create_sheet(META_SHEET)
        values = {
            "format": FORMAT + "-xlsx",
            "format_version": XLSX_FORMAT_VERSION,
            "form": self.form.id,
            "form_version": self.form.version,
            "round": info.round_year,
            "kommun": info.kommun or "",
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
        self.wb.properties.title = f"{self.form.short_title or 'Enkät'} {info.round_year}" + (
            f" – {info.kommun_namn}" if info.kommun_namn else "")
        self.wb.properties.creator = "BoU Desktop"


def _height(text: str, *, bold: bool = False, size: float = 10) -> float:
    """A row height that shows wrapped text in column C (Excel does not grow rows by itself)."""
    per_line = int(100 * 10 / size) - (10 if bold else 0)
    lines = sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))
    return max(15.0, 1.3 * size * lines + 3)


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

    def __init__(self, workbook) -> None:
        if SHEET not in [ws.title for ws in workbook.worksheets]:  # not workbook.sheetnames: a chart sheet has no cells
            raise RefusedFile(f"bladet ”{SHEET}” saknas i filen")
        self.ws = workbook[SHEET]
        if self.ws.max_row > MAX_ROWS:
            raise RefusedFile(f"bladet har {_swedish(self.ws.max_row)} rader; en svarsfil har färre än {_swedish(MAX_ROWS)}")
        self.names = workbook.defined_names
        self.by_key: dict[str, int] = {}
        for row in self.ws.iter_rows(min_col=5, max_col=5):
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

    def value(self, key: str, column: str, where: str) -> Any:
        coordinate = self._named_cell(name_for(key))
        if coordinate is not None:
            cell = self.ws[coordinate]
            if self.ws[f"{KEY_COLUMN}{cell.row}"].value == key:
                return cell.value
            # the name was not moved with its row: trust the key column
        row = self.by_key.get(key)
        if row is None:
            raise RefusedFile(f"{where}: cellen saknas i filen (har raden tagits bort?)")
        return self.ws[f"{column}{row}"].value


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
    if not isinstance(form_id, str) or form_id not in forms or forms[form_id].kind != "kommun":
        raise RefusedFile(f"filen gäller ett okänt formulär ({form_id!r})")
    form = forms[form_id]
    cells = _Cells(workbook)
    kommun = str(meta.get("kommun") or "").strip()
    if not kommun:
        written = _cell_text(cells.value("uppgiftslamnare.kommun", "C", "Kommun"), "Kommun")
        if not written:
            raise RefusedFile("fältet Kommun är tomt; skriv kommunens namn eller kod")
        kommun = _municipality_code(written, register) or written
    raw: dict[str, Any] = {
        "format": FORMAT,
        "format_version": meta.get("format_version"),
        "form": form.id,
        "form_version": str(meta.get("form_version")),
        "round": meta.get("round"),
        "kommun": kommun,
        "uuid": str(meta.get("uuid") or "") or None,
        "status": meta.get("status") or None,
        "uppgiftslamnare": {},
        "answers": {},
        "specify": {},
        "comments": {},
    }
    for key in ("namn", "befattning"):
        text = _cell_text(cells.value(f"uppgiftslamnare.{key}", "C", key.capitalize()), key.capitalize())
        if text:
            raw["uppgiftslamnare"][key] = text
    for question in form.questions:
        label = f"fråga {question.number}"
        if question.type == "ranking":
            ranks = {}
            for option in question.options:
                where = f"{label}, ”{option.label[:50]}”"
                rank = _rank(cells.value(f"{question.id}.{option.id}", "B", where), where, question.max_rank)
                if rank is not None:
                    ranks[option.id] = rank
            if ranks:
                raw["answers"][question.id] = ranks
        else:
            ticked = [
                option.id for option in question.options
                if _is_tick(cells.value(f"{question.id}.{option.id}", "B", f"{label}, ”{option.label[:50]}”"),
                            f"{label}, ”{option.label[:50]}”")
            ]
            if question.type == "single" and len(ticked) > 1:
                raise RefusedFile(f"{label} tillåter bara ett svar, men {len(ticked)} rutor är ikryssade")
            if ticked:
                raw["answers"][question.id] = ticked if question.type == "multi" else ticked[0]
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
