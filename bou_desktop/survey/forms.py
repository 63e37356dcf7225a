"""Form definitions (forms/*.toml) loaded into frozen dataclasses and validated on load.

A malformed file fails loudly with `FormError`, naming the file, the key and the reason.
The schema is documented in docs/forms.md.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from dataclasses import field, replace
from pathlib import Path
from typing import Any

from ..records import Record, record
from .types import COLUMN_TYPES, QUESTION_TYPES, QuestionType

HEADER_TYPES = ("text", "integer", "municipality", "region")
# kommun: answered per municipality, compiled per region and nationally; lan: the county compilation;
# region: answered per region, compiled nationally.
FORM_KINDS = ("kommun", "lan", "region")
# scope "region": a region's own questionnaire, compiled in its county view, never sent to SKL.
FORM_SCOPES = ("region",)
# What a county form's header field shows when the program fills it in (`computed`): the region, how many
# units (municipalities) the region has, how many of them have answered.
COMPUTED_FIELDS = ("region", "units_total", "units_answered")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
PART_PATTERN = re.compile(r"^[a-z][a-z0-9]{0,3}$")


class FormError(ValueError):
    """A form file that cannot be used, with where and why."""

    def __init__(self, path: Path | str, key: str, reason: str) -> None:
        self.path = Path(path)
        self.key = key
        self.reason = reason
        super().__init__(f"{self.path.name}: {key}: {reason}")


@record
class Option(Record):
    id: str
    label: str
    description: str = ""
    specify: bool = False
    skip_to: str | None = None
    same_as: str | None = None  # the option's id in an earlier round, when it was renamed (survey/comparison.py)
    short_label: str = ""  # the label in the compilations' tables and charts (SKL's report), if shorter

    @property
    def report_label(self) -> str:
        """The option as the compilations' tables and charts name it: its short label, else its label."""
        return self.short_label or self.label


@record
class Column(Record):
    """A column of a table question: a value of a simple type (integer, decimal, date, text)."""

    id: str
    label: str
    type: str
    unit: str = ""
    min: int | float | None = None
    max: int | float | None = None


SPECIFY_FALLBACK = "Annat alternativ, ange"


def specify_label(question) -> str:
    """The label of a question's option to specify, or SPECIFY_FALLBACK (no question, or none to specify)."""
    options = question.specify_options if question is not None else ()
    return options[0].label if options else SPECIFY_FALLBACK


@record
class Question(Record):
    id: str
    number: int
    type: str
    text: str
    options: tuple[Option, ...] = ()
    hint: str = ""
    instruction: str = ""
    help: str = ""
    introduction: str = ""
    required: bool = True
    unit: str = ""  # integer/decimal: printed after the value, e.g. "%"
    min: int | float | None = None
    max: int | float | None = None
    columns: tuple[Column, ...] = ()  # table
    min_rows: int = 0  # table: fewer filled rows than this is not an answer
    max_rows: int | None = None  # table
    part: str = ""  # "a": shown as part "1 a)" of the question numbered `number`
    heading: str = ""  # on the first part: the text of the whole question, shown once above its parts
    same_as: str | None = None  # the question's id in an earlier round, when it was renamed or moved

    @property
    def qtype(self) -> QuestionType:
        """The question's type from the registry (survey/types.py)."""
        return QUESTION_TYPES[self.type]

    @property
    def number_text(self) -> str:
        """The number as in running text: "5", or "1 a" for a part ("saknar svar på fråga 1 a")."""
        return f"{self.number} {self.part}" if self.part else str(self.number)

    @property
    def label(self) -> str:
        """The number as printed before the question: "5)", or "1 a)" for a part."""
        return f"{self.number_text})"

    def column(self, column_id: str) -> Column:
        for column in self.columns:
            if column.id == column_id:
                return column
        raise KeyError(column_id)

    def option(self, option_id: str) -> Option:
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)

    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)

    @property
    def specify_options(self) -> tuple[Option, ...]:
        return tuple(o for o in self.options if o.specify)

    @property
    def max_rank(self) -> int:
        return len(self.options)

    @property
    def full_text(self) -> str:
        """The question as printed: text followed by its hint, e.g. "(flera svarsalternativ möjliga)"."""
        return f"{self.text} {self.hint}".strip()


@record
class HeaderField(Record):
    id: str
    label: str
    type: str = "text"
    unit: str = ""
    personal: bool = False
    placeholder: str = ""  # a hint shown in the empty field, e.g. "t.ex. IFO-chef"
    computed: str = ""  # county form: filled in by the program (one of COMPUTED_FIELDS), not written by the leader

    @property
    def written(self) -> bool:
        """A text field a person writes (not one the program fills in)."""
        return self.type == "text" and not self.computed


@record
class IntroSection(Record):
    heading: str
    text: str
    contact: bool = False  # the leader's contact lines (settings.contact_lines()) are printed after this section


@record
class FreeText(Record):
    id: str
    label: str


@record
class Form(Record):
    id: str
    version: str
    kind: str
    title: str
    questions: tuple[Question, ...]
    short_title: str = ""
    report_title: str = ""  # the title of the national report (default: the form's title)
    round_name: str = ""  # a round's name before its year: "Kartläggning 2011" (default: short_title, else title)
    header_title: str = ""
    header: tuple[HeaderField, ...] = ()
    intro: tuple[IntroSection, ...] = ()
    free_texts: tuple[FreeText, ...] = ()
    closing: str = ""
    summary_label: str = ""
    compiles: str | None = None
    scope: str | None = None  # "region": a region's own questionnaire, never sent to SKL
    year: int | None = None
    path: Path | None = field(default=None, compare=False)

    def round_title(self, year: int) -> str:
        """A round of this form as the program names it: "Kartläggning 2011", "Lägesrapport 2013"."""
        return f"{self.round_name or self.short_title or self.title} {year}"

    @property
    def unit_key(self) -> str:
        """What one response is of, as files name it: "region" for a region-level form, else "kommun"."""
        return "region" if self.kind == "region" else "kommun"

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def question_ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)

    def skipped_by(self, question_id: str, option_id: str) -> tuple[str, ...]:
        """The questions an option's `skip_to` passes over (between the two, exclusive)."""
        option = self.question(question_id).option(option_id)
        if not option.skip_to:
            return ()
        ids = self.question_ids()
        start, end = ids.index(question_id), ids.index(option.skip_to)
        return ids[start + 1 : end]


def county_fields(county: Form | None) -> tuple[str, ...]:
    """The ids of the fields a leader writes on a county form: its text header fields and free texts.
    (Its `computed` header fields are the program's: the region and the counts.)"""
    if county is None:
        return ()
    return tuple(h.id for h in county.header if h.written) + tuple(f.id for f in county.free_texts)


# The header of a county compilation whose county form names no computed field (a round without a
# county form shows its municipal form's): the region and the counts, worded as in 2011.
DEFAULT_COUNTY_HEADER = (
    HeaderField("region", "Län/region", "region", computed="region"),
    HeaderField("units_total", "Totalt antal kommuner i länet/regionen", "integer", "kommuner", computed="units_total"),
    HeaderField("units_answered", "Antal kommuner som besvarat enkäten", "integer", "kommuner",
                computed="units_answered"),
)


def county_header(county: Form) -> tuple[HeaderField, ...]:
    """The header fields a county compilation shows, in the form's order: the fields the program fills
    in (`computed`) and the ones the leader writes (text)."""
    shown = tuple(h for h in county.header if h.computed or h.written)
    if any(h.computed for h in shown):
        return shown
    return DEFAULT_COUNTY_HEADER + shown


def _computed_by_shape(header: tuple[HeaderField, ...]) -> tuple[HeaderField, ...]:
    """A county form that names no `computed` field (as stored with rounds before the key existed):
    its region field shows the region and its integer fields, in order, the counts (the 2011 shape)."""
    counts = iter(COMPUTED_FIELDS[1:])
    result = []
    for item in header:
        if item.type == "region":
            item = replace(item, computed="region")
        elif item.type == "integer":
            item = replace(item, computed=next(counts, ""))
        result.append(item)
    return tuple(result)



# --------------------------------------------------------------------------- loading

_FORM_KEYS = {
    "id": (str, True), "version": (str, True), "kind": (str, True), "title": (str, True),
    "short_title": (str, False), "report_title": (str, False), "round_name": (str, False), "header_title": (str, False), "closing": (str, False),
    "summary_label": (str, False), "compiles": (str, False), "scope": (str, False), "year": (int, False),
    "intro": (list, False), "header": (list, False), "free_texts": (list, False),
    "questions": (list, True),
}
_NUMBER = (int, float)
_QUESTION_KEYS = {
    "id": (str, True), "number": (int, True), "type": (str, True), "text": (str, True),
    "options": (list, False), "hint": (str, False), "instruction": (str, False),
    "help": (str, False), "introduction": (str, False), "required": (bool, False),
    "unit": (str, False), "min": (_NUMBER, False), "max": (_NUMBER, False),
    "columns": (list, False), "min_rows": (int, False), "max_rows": (int, False),
    "part": (str, False), "heading": (str, False), "same_as": (str, False),
}
_COLUMN_KEYS = {
    "id": (str, True), "label": (str, True), "type": (str, True), "unit": (str, False),
    "min": (_NUMBER, False), "max": (_NUMBER, False),
}
_OPTION_KEYS = {
    "id": (str, True), "label": (str, True), "description": (str, False),
    "specify": (bool, False), "skip_to": (str, False), "same_as": (str, False),
    "short_label": (str, False),
}
_HEADER_KEYS = {
    "id": (str, True), "label": (str, True), "type": (str, False), "unit": (str, False),
    "personal": (bool, False), "placeholder": (str, False), "computed": (str, False),
}
_INTRO_KEYS = {"heading": (str, True), "text": (str, True), "contact": (bool, False)}
_FREE_TEXT_KEYS = {"id": (str, True), "label": (str, True)}

_TYPE_NAMES = {str: "text", int: "heltal", bool: "true/false", list: "lista", _NUMBER: "ett tal"}


def _check_table(path: Path, where: str, table: Any, spec: dict[str, tuple[type, bool]]) -> dict:
    if not isinstance(table, dict):
        raise FormError(path, where, "ska vara en tabell")
    for key in table:
        if key not in spec:
            raise FormError(path, f"{where}.{key}" if where else key, "okänd nyckel")
    for key, (kind, required) in spec.items():
        name = f"{where}.{key}" if where else key
        if key not in table:
            if required:
                raise FormError(path, name, "saknas")
            continue
        value = table[key]
        # bool is an int in Python; do not let `true` pass as a number.
        if not isinstance(value, kind) or (kind in (int, _NUMBER) and isinstance(value, bool)):
            raise FormError(path, name, f"ska vara {_TYPE_NAMES[kind]}")
        if kind is str and key not in ("closing",) and required and not value.strip():
            raise FormError(path, name, "får inte vara tom")
    return table


check_table = _check_table  # for the other data files read like forms (survey/report.py)


def _check_id(path: Path, where: str, value: str) -> str:
    if not ID_PATTERN.match(value):
        raise FormError(path, where, f"ogiltigt id {value!r} (endast a–z, 0–9 och _, börjar med bokstav)")
    return value


def _unique(path: Path, where: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for index, item in enumerate(ids):
        if item in seen:
            raise FormError(path, f"{where}[{index}].id", f"dubblett av id {item!r}")
        seen.add(item)


def _load_option(path: Path, where: str, raw: Any) -> Option:
    table = _check_table(path, where, raw, _OPTION_KEYS)
    return Option(
        id=_check_id(path, f"{where}.id", table["id"]),
        label=table["label"],
        description=table.get("description", ""),
        specify=table.get("specify", False),
        skip_to=table.get("skip_to"),
        same_as=_check_id(path, f"{where}.same_as", table["same_as"]) if "same_as" in table else None,
        short_label=_short_label(path, where, table),
    )


def _short_label(path: Path, where: str, table: dict) -> str:
    """`short_label`: one line of text, not empty, for the compilations' tables and charts."""
    if "short_label" not in table:
        return ""
    value = table["short_label"]
    if not value.strip() or "\n" in value:
        raise FormError(path, f"{where}.short_label", "ska vara en rad text, inte tom")
    return value.strip()


def _load_bounds(path: Path, where: str, table: dict, qtype: QuestionType) -> None:
    """`unit`, `min` and `max`: only on number types; min not above max; whole numbers for integers."""
    for key in ("unit", "min", "max"):
        if key in table and not qtype.has_bounds:
            raise FormError(path, f"{where}.{key}", f"går bara på frågetyperna integer och decimal, inte {qtype.name}")
    for key in ("min", "max"):
        if key in table and qtype.name == "integer" and not float(table[key]).is_integer():
            raise FormError(path, f"{where}.{key}", "ska vara ett heltal på en fråga av typen integer")
    if "min" in table and "max" in table and table["min"] > table["max"]:
        raise FormError(path, f"{where}.min", f"är större än max ({table['min']} > {table['max']})")


def _load_column(path: Path, where: str, raw: Any) -> Column:
    table = _check_table(path, where, raw, _COLUMN_KEYS)
    ctype = table["type"]
    if ctype not in COLUMN_TYPES:
        raise FormError(path, f"{where}.type", f"okänd kolumntyp {ctype!r} (tillåtna: {', '.join(COLUMN_TYPES)})")
    _load_bounds(path, where, table, QUESTION_TYPES[ctype])
    return Column(
        id=_check_id(path, f"{where}.id", table["id"]), label=table["label"], type=ctype,
        unit=table.get("unit", ""), min=table.get("min"), max=table.get("max"),
    )


def _load_table_keys(path: Path, where: str, table: dict, qtype: QuestionType) -> tuple[Column, ...]:
    """`columns`, `min_rows`, `max_rows`: required (columns) on a table, refused on other types."""
    if not qtype.has_columns:
        for key in ("columns", "min_rows", "max_rows"):
            if key in table:
                raise FormError(path, f"{where}.{key}", f"går bara på frågetypen table, inte {qtype.name}")
        return ()
    if not table.get("columns"):
        raise FormError(path, f"{where}.columns", "en tabell behöver minst en kolumn")
    columns = tuple(_load_column(path, f"{where}.columns[{i}]", c) for i, c in enumerate(table["columns"]))
    _unique(path, f"{where}.columns", [c.id for c in columns])
    min_rows, max_rows = table.get("min_rows", 0), table.get("max_rows")
    if min_rows < 0:
        raise FormError(path, f"{where}.min_rows", "får inte vara negativ")
    if max_rows is not None and max_rows < max(min_rows, 1):
        raise FormError(path, f"{where}.max_rows", f"ska vara minst 1 och minst min_rows ({min_rows})")
    return columns


def _load_question(path: Path, where: str, raw: Any) -> Question:
    table = _check_table(path, where, raw, _QUESTION_KEYS)
    type_name = table["type"]
    if type_name not in QUESTION_TYPES:
        raise FormError(path, f"{where}.type", f"okänd frågetyp {type_name!r} (tillåtna: {', '.join(QUESTION_TYPES)})")
    qtype = QUESTION_TYPES[type_name]
    options: tuple[Option, ...] = ()
    if qtype.has_options:
        options = tuple(
            _load_option(path, f"{where}.options[{i}]", o) for i, o in enumerate(table.get("options", []))
        )
        if len(options) < 1:
            raise FormError(path, f"{where}.options", "frågan har inga svarsalternativ")
        _unique(path, f"{where}.options", [o.id for o in options])
    elif "options" in table:
        raise FormError(path, f"{where}.options", f"svarsalternativ går bara på frågetyperna single, multi och ranking, inte {type_name}")
    if type_name != "single":
        for i, option in enumerate(options):
            if option.skip_to:
                raise FormError(path, f"{where}.options[{i}].skip_to", "skip_to går bara på frågor med ett svar (single)")
    _load_bounds(path, where, table, qtype)
    columns = _load_table_keys(path, where, table, qtype)
    part = table.get("part", "")
    if "part" in table and not PART_PATTERN.match(part):
        raise FormError(path, f"{where}.part", f"ogiltig del {part!r} (en bokstav a–z, t.ex. \"a\")")
    if "heading" in table and not part:
        raise FormError(path, f"{where}.heading", "går bara på en delfråga (med part)")
    return Question(
        id=_check_id(path, f"{where}.id", table["id"]),
        number=table["number"],
        type=type_name,
        text=table["text"],
        options=options,
        hint=table.get("hint", ""),
        instruction=table.get("instruction", ""),
        help=table.get("help", ""),
        introduction=table.get("introduction", ""),
        required=table.get("required", True),
        unit=table.get("unit", ""),
        min=table.get("min"),
        max=table.get("max"),
        columns=columns,
        min_rows=table.get("min_rows", 0),
        max_rows=table.get("max_rows"),
        part=part,
        heading=table.get("heading", ""),
        same_as=_check_id(path, f"{where}.same_as", table["same_as"]) if "same_as" in table else None,
    )


def _check_numbers(path: Path, questions: tuple[Question, ...]) -> None:
    """(number, part) unique and ascending; a number is either one question or all parts; a heading on the first part."""
    keys = [(q.number, q.part) for q in questions]
    if keys != sorted(set(keys)):
        raise FormError(path, "questions", "frågornas nummer (och delar) ska vara unika och stigande")
    for index, question in enumerate(questions):
        siblings = [q for q in questions if q.number == question.number]
        if len(siblings) > 1 and not question.part:
            raise FormError(path, f"questions[{index}].part",
                            f"fråga {question.number} har delfrågor; varje fråga med numret behöver en del (part)")
        if question.heading and siblings[0] is not question:
            raise FormError(path, f"questions[{index}].heading",
                            f"står bara på första delfrågan av fråga {question.number}")


def parse_form(data: dict, path: Path | str = "<form>") -> Form:
    """Build a Form from parsed TOML, validating every key."""
    path = Path(path)
    table = _check_table(path, "", data, _FORM_KEYS)
    if table["kind"] not in FORM_KINDS:
        raise FormError(path, "kind", f"okänd sort {table['kind']!r} (tillåtna: {', '.join(FORM_KINDS)})")
    _check_id(path, "id", table["id"])
    questions = tuple(_load_question(path, f"questions[{i}]", q) for i, q in enumerate(table["questions"]))
    if not questions:
        raise FormError(path, "questions", "formuläret har inga frågor")
    _unique(path, "questions", [q.id for q in questions])
    _check_numbers(path, questions)
    if table.get("scope") is not None and table["scope"] not in FORM_SCOPES:
        raise FormError(path, "scope", f"okänd omfattning {table['scope']!r} (tillåtna: {', '.join(FORM_SCOPES)})")
    ids = [q.id for q in questions]
    for qi, question in enumerate(questions):
        for oi, option in enumerate(question.options):
            if option.skip_to is None:
                continue
            key = f"questions[{qi}].options[{oi}].skip_to"
            if option.skip_to not in ids:
                raise FormError(path, key, f"hänvisar till en fråga som inte finns: {option.skip_to!r}")
            if ids.index(option.skip_to) <= qi:
                raise FormError(path, key, f"kan bara hoppa framåt, inte till {option.skip_to!r}")
    header = tuple(
        HeaderField(**_check_table(path, f"header[{i}]", h, _HEADER_KEYS))
        for i, h in enumerate(table.get("header", []))
    )
    for i, item in enumerate(header):
        _check_id(path, f"header[{i}].id", item.id)
        if item.type not in HEADER_TYPES:
            raise FormError(path, f"header[{i}].type", f"okänd fälttyp {item.type!r}")
        if item.computed and item.computed not in COMPUTED_FIELDS:
            raise FormError(path, f"header[{i}].computed",
                            f"okänt beräknat värde {item.computed!r} (tillåtna: {', '.join(COMPUTED_FIELDS)})")
        if item.computed and table["kind"] != "lan":
            raise FormError(path, f"header[{i}].computed",
                            "beräknade fält finns bara på en länsblankett (kind = \"lan\")")
    _unique(path, "header", [h.id for h in header])
    if table["kind"] == "lan" and not any(h.computed for h in header):
        header = _computed_by_shape(header)
    free_texts = tuple(
        FreeText(**_check_table(path, f"free_texts[{i}]", f, _FREE_TEXT_KEYS))
        for i, f in enumerate(table.get("free_texts", []))
    )
    _unique(path, "free_texts", [f.id for f in free_texts])
    intro = tuple(
        IntroSection(**_check_table(path, f"intro[{i}]", s, _INTRO_KEYS))
        for i, s in enumerate(table.get("intro", []))
    )
    return Form(
        id=table["id"],
        version=table["version"],
        kind=table["kind"],
        title=table["title"],
        questions=questions,
        short_title=table.get("short_title", ""),
        report_title=table.get("report_title", ""),
        round_name=table.get("round_name", ""),
        header_title=table.get("header_title", ""),
        header=header,
        intro=intro,
        free_texts=free_texts,
        closing=table.get("closing", ""),
        summary_label=table.get("summary_label", ""),
        compiles=table.get("compiles"),
        scope=table.get("scope"),
        year=table.get("year"),
        path=path,
    )


# What the TOML reader's English messages mean, said in Swedish (the first that a message starts with).
TOML_MISTAKES = (
    ("Invalid statement", "raden är varken ”nyckel = värde” eller en rubrik [namn]"),
    ("Illegal character '\\n'", "en text saknar sitt avslutande citattecken före radens slut"),
    ("Unterminated string", "en text saknar sitt avslutande citattecken"),
    ("Invalid value", "ett värde som inte går att läsa (text ska stå inom citattecken)"),
    ("Cannot overwrite", "samma nyckel eller rubrik står två gånger"),
    ("Cannot declare", "samma nyckel eller rubrik står två gånger"),
    ("Cannot redefine", "samma nyckel eller rubrik står två gånger"),
    ("Cannot mutate", "samma nyckel eller rubrik står två gånger"),
    ("Duplicate", "samma nyckel eller rubrik står två gånger"),
    ("Expected ']]'", "en rubrik [[namn]] saknar sina ]]"),
    ("Expected ']'", "en rubrik [namn] saknar sin ]"),
    ("Expected '='", "en nyckel saknar ”=” och sitt värde"),
    ("Unclosed array", "en lista saknar sin avslutande ]"),
    ("Unclosed inline table", "en { saknar sin avslutande }"),
    ("Invalid date", "ett datum som inte går att läsa (skriv ÅÅÅÅ-MM-DD)"),
)


def toml_mistake(error: Exception) -> str:
    """A TOML reader's error in Swedish: what is wrong, and where (the reader's own words only when unknown)."""
    message = str(error)
    where = re.search(r"\(at line (\d+), column (\d+)\)$", message)
    if where:
        place = f"på rad {where[1]}, kolumn {where[2]}"
    elif message.endswith("(at end of document)"):
        place = "i slutet av filen"
    else:
        place = ""
    what = next((swedish for english, swedish in TOML_MISTAKES if message.startswith(english)),
                f"fel i filens uppbyggnad ({message.split(' (at ')[0]})")
    return f"{what}, {place}" if place else what


def not_utf8_text(raw: bytes) -> str:
    """Why `raw`, which is not UTF-8, cannot be a form: a file of another kind (an Excel or Word file, a
    PDF), or text saved in another encoding (Windows' old one)."""
    if raw.startswith((b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0")) or b"\x00" in raw[:4096]:
        return "filen är ingen textfil; ett formulär är en textfil (.toml)"
    return "filen är inte sparad som UTF-8; spara den som UTF-8 i textredigeraren"


def _parse_toml(raw: bytes, path: Path) -> dict[str, Any]:
    import tomllib  # only when a form is not in the cache (see load_form)

    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise FormError(path, "(fil)", f"inte giltig TOML: {not_utf8_text(raw)}") from error
    except tomllib.TOMLDecodeError as error:
        raise FormError(path, "(fil)", f"inte giltig TOML: {toml_mistake(error)}") from error


# The cache of parsed form files: JSON reads about twenty times faster than TOML, and the start of
# the program waits for the forms. An entry holds the form file's exact text beside what it parsed
# to, and is used only while the file still has that text, so an edited form is never read from
# the cache. A damaged or unreadable entry is passed over and the TOML read again. The cache is
# never the only copy of anything: deleting it costs one slower start.
_CACHE_FORMAT = 1


def _cache_entry(cache_dir: Path, path: Path) -> Path:
    # Per Python version too: another version's tomllib might parse a file differently.
    return cache_dir / f"{path.stem}.py{sys.version_info[0]}{sys.version_info[1]}.json"


def _read_cache(entry: Path, source: str) -> dict[str, Any] | None:
    try:
        cached = json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(cached, dict) or cached.get("format") != _CACHE_FORMAT or cached.get("source") != source:
        return None
    data = cached.get("data")
    return data if isinstance(data, dict) else None


def _write_cache(entry: Path, source: str, data: dict[str, Any]) -> None:
    try:
        text = json.dumps({"format": _CACHE_FORMAT, "source": source, "data": data}, ensure_ascii=False)
    except (TypeError, ValueError):  # a value JSON cannot hold: read that form from TOML every time
        return
    if json.loads(text)["data"] != data:
        return
    temporary = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")  # two programs starting at once
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, entry)
    except OSError:  # no cache then: the forms are read from TOML
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def load_form(path: Path | str, cache_dir: Path | None = None) -> Form:
    """Read and check one form file; with `cache_dir`, through the cache of parsed files."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise FormError(path, "(fil)", f"kan inte läsas: {error.strerror or error}") from error
    source = raw.decode("utf-8", errors="replace")  # only compared; _parse_toml refuses a non-UTF-8 file
    entry = _cache_entry(cache_dir, path) if cache_dir is not None else None
    data = _read_cache(entry, source) if entry is not None else None
    fresh = data is None
    if fresh:
        data = _parse_toml(raw, path)
    form = parse_form(data, path)  # checked before it goes into the cache
    if fresh and entry is not None:
        _write_cache(entry, source, data)
    return form


def _check_compiled(county: Form, source: Form) -> None:
    """A county form's questions and options must be those of the form it compiles."""
    path = county.path or Path("<form>")
    for qi, question in enumerate(county.questions):
        try:
            src = source.question(question.id)
        except KeyError:
            raise FormError(path, f"questions[{qi}].id", f"frågan {question.id!r} finns inte i {source.id}") from None
        if question.option_ids() != src.option_ids() or question.type != src.type:
            raise FormError(path, f"questions[{qi}].options", f"svarsalternativen ska vara desamma som i {source.id}")


def check_county_form(county: Form, form: Form) -> None:
    """A round's county form counts every question of its form, with the same options (FormError if not)."""
    _check_compiled(county, form)
    missing = [q for q in form.questions if q.id not in county.question_ids()]
    if missing:
        raise FormError(county.path or Path("<form>"), "questions",
                        f"fråga {missing[0].number} ({missing[0].id!r}) i {form.id} saknas")


class FormLibrary:
    """All forms of a folder, by id; cross-references checked."""

    def __init__(self, forms: dict[str, Form]) -> None:
        self._forms = forms

    @classmethod
    def load(cls, folder: Path | str, cache_dir: Path | None = None) -> FormLibrary:
        """Every form of `folder`; with `cache_dir`, parsed files are kept there for the next start."""
        folder = Path(folder)
        forms: dict[str, Form] = {}
        for path in sorted(folder.glob("*.toml")):
            form = load_form(path, cache_dir)
            if form.id in forms:
                raise FormError(path, "id", f"id {form.id!r} finns redan i {forms[form.id].path.name}")
            forms[form.id] = form
        for form in forms.values():
            if form.compiles is not None:
                if form.compiles not in forms:
                    raise FormError(form.path or folder, "compiles", f"okänt formulär {form.compiles!r}")
                _check_compiled(form, forms[form.compiles])
        return cls(forms)

    def __getitem__(self, form_id: str) -> Form:
        return self._forms[form_id]

    def __contains__(self, form_id: object) -> bool:
        return form_id in self._forms

    def __iter__(self):
        return iter(self._forms.values())

    def of_kind(self, kind: str) -> list[Form]:
        return [f for f in self._forms.values() if f.kind == kind]
