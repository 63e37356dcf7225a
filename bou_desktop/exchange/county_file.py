"""County files: the region's compilation as JSON and Excel for SKL, read back by the national import,
and the e-mail draft that carries them (documented in docs/formats.md).

The Excel file has three sheets: "Länssammanställning" reads like Bilaga 2 for a person at SKL,
"Data" holds the same numbers in a fixed machine-readable layout (what the import reads), and
"Om filen" says what the file is, when and by whom it was made.

Format version 2 carries every question type: `questions[qid]` is the question's aggregate as
`Aggregate.to_json()` writes it (survey/aggregates.py, the one place a county result is serialised)
plus the leader's summary, and is read back by the question type's `aggregate_from_json`. Version 1
files (choices only) are still read unchanged.
"""

from __future__ import annotations

import io
import json
import math
import re
import weakref
import zipfile
from copy import copy
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from itertools import islice
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill

from .. import __version__
from ..survey.aggregates import (
    Aggregate,
    AggregateError,
    ChoiceAggregate,
    DateAggregate,
    NumberAggregate,
    TableAggregate,
    TextAggregate,
)
from ..survey.changes import NEW_OPTION, NOT_COMPARABLE, missing_changes, points_text, rank_change_text, summary_text
from ..survey.comparison import EarlierRound
from ..survey.compilation import CountyCompilation, decimal_comma, header_value, round_half_up
from ..survey.forms import Form, FormLibrary, county_fields, county_header, specify_label
from ..survey.register import Register
from .errors import RefusedFile, check_format_version
from .svarsfil_xlsx import MAX_UNCOMPRESSED, check_sheet_sizes, excel_text

FORMAT = "bou-lanssammanstallning"
FORMAT_VERSION = 2
READ_VERSIONS = (1, 2)
DATA_SHEET = "Data"
HUMAN_SHEET = "Länssammanställning"
ABOUT_SHEET = "Om filen"
MAX_JSON_BYTES = 5_000_000
MAX_TEXT = 50_000
OWN_SURVEY_LINE = "Regionens egen enkät, för regionens eget bruk: skickas inte till SKL."
OWN_SURVEY_REFUSAL = ("länssammanställningen gäller en regions egen enkät (scope \"region\"), som är till för "
                      "regionens eget bruk och inte skickas till SKL; den ingår inte i den nationella "
                      "sammanställningen och importeras inte")
MAX_DATA_ROWS = 50_000


# ----------------------------------------------------------------------------- the JSON document
def county_document(c: CountyCompilation, *, exported_by: str = "", exported_at: str | None = None,
                    comparison=None) -> dict:
    """The county file's content (format_version 2), keyed by the ids of the municipal form.

    Every question carries its aggregate (`to_json`) and the leader's summary; `ranking` and `specify`
    hold the leader's ranks and "annat" text of each ranking question. With a `comparison`
    (store/comparisons.CountyComparison) the file also carries `earlier_rounds`: the round compared
    with, its questions keyed by this round's ids in the same shape as `questions`.
    """
    questions: dict[str, Any] = {}
    for q in c.questions:
        aggregate = q.aggregate if q.aggregate is not None else ChoiceAggregate(
            {o.option_id: o.count for o in q.options}, q.ej_svar, q.ej_tillampligt)
        questions[q.question_id] = aggregate.to_json() | {"summary": q.summary}
    scope = {"scope": c.scope} if c.scope else {}  # a region's own survey says so: SKL's import refuses it
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        **scope,
        "form": c.form_id,
        "form_version": c.form_version,
        "round": c.round_year,
        "region": c.region,
        "kommuner_totalt": c.kommuner_totalt,
        "kommuner_svarat": c.kommuner_svarat,
        "utvecklingsledare": c.leader.utvecklingsledare,
        "questions": questions,
        "ranking": c.leader.ranks_of(c.ranking_questions),
        "specify": c.leader.specify_of(c.ranking_questions),
        "ovriga_synpunkter": c.leader.ovriga_synpunkter,
        "fields": dict(c.leader.fields),  # every field of the county form the leader wrote, by id
        "utkast": len(c.drafts),
        "motsagelser": len(c.flagged),
        "exported": exported_at or datetime.now().astimezone().isoformat(timespec="seconds"),
        "exported_by": exported_by,
        "app_version": __version__,
    } | ({"earlier_rounds": comparison.to_json()} if comparison is not None else {})


def county_json_bytes(c: CountyCompilation, **kwargs) -> bytes:
    return (json.dumps(county_document(c, **kwargs), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# ----------------------------------------------------------------------------- Excel
BOLD = Font(name="Arial", bold=True, size=10)
PLAIN = Font(name="Arial", size=10)
TITLE = Font(name="Arial", bold=True, size=13)
SMALL = Font(name="Arial", italic=True, size=9)
HEAD_FILL = PatternFill("solid", fgColor="E8EEF4")
WRAP = Alignment(wrap_text=True, vertical="top")


# The style (font + WRAP) of the first cell written with a font, per workbook: the next cells copy it.
# Setting `cell.font` makes openpyxl hash the font to find it in the workbook's list, which was a third of
# writing a compared file (twice the cells); a copied style array is the same style at a fraction.
_STYLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _text(cell, value: Any, font: Font = PLAIN) -> None:
    """Strings as text, never formulas (openpyxl turns "=…" into a formula otherwise)."""
    if isinstance(value, str):
        cell.value = excel_text(value)
        cell.data_type = "s"
    else:
        cell.value = value
    styles = _STYLES.setdefault(cell.parent.parent, {})
    styled = styles.get(id(font))
    if styled is None:
        cell.font = font
        cell.alignment = WRAP
        styles[id(font)] = (font, copy(cell._style))  # the font is held, so its id is not reused
    else:
        cell._style = copy(styled[1])


def _number_text(value: Any, unit: str | None = None) -> str:
    if value is None:
        return "–"
    text = format(round_half_up(value, 2).normalize(), "f").replace(".", ",")  # half up, as every shown figure
    return f"{text} {unit}" if unit else text


def aggregate_lines(aggregate: Aggregate, spec, indent: str = "") -> list[tuple[Any, ...]]:
    """A value or table aggregate as rows for a person: (label, value) with decimal commas and ÅÅÅÅ-MM-DD dates."""
    lines: list[tuple[Any, ...]] = []
    unit = getattr(spec, "unit", None)
    if isinstance(aggregate, NumberAggregate):
        lines.append((f"{indent}Antal svar", aggregate.n))
        for label, value in (("Summa", aggregate.sum), ("Medelvärde", aggregate.mean), ("Median", aggregate.median),
                             ("Minsta", aggregate.min), ("Största", aggregate.max)):
            lines.append((f"{indent}{label}", _number_text(value if aggregate.n else None, unit)))
    elif isinstance(aggregate, DateAggregate):
        lines.append((f"{indent}Antal datum", aggregate.n))
        lines.append((f"{indent}Tidigast", aggregate.min.isoformat() if aggregate.min else "–"))
        lines.append((f"{indent}Senast", aggregate.max.isoformat() if aggregate.max else "–"))
    elif isinstance(aggregate, TextAggregate):
        for text in aggregate.texts:
            who = ", ".join(x for x in (text.region, text.unit) if x)
            lines.append((f"{indent}{who}: {text.text}" if who else f"{indent}{text.text}",))
    elif isinstance(aggregate, TableAggregate):
        lines.append((f"{indent}Antal rader", aggregate.rows))
        for column in spec.columns:
            lines.append((f"{indent}{column.label}:",))
            lines += aggregate_lines(aggregate.columns[column.id], column, indent + "  ")
    return lines


def _names(names: tuple[str, ...], anonymous: bool) -> str:
    """Municipalities by name, or in an anonymised file only how many."""
    if anonymous and names:
        return f"{len(names)} kommun{'er' if len(names) > 1 else ''}"
    return ", ".join(names)


def _human_sheet(ws, c: CountyCompilation, county_form: Form, anonymous: bool, comparison=None) -> None:
    ws.column_dimensions["A"].width = 64
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 11
    if comparison is not None:
        ws.column_dimensions["D"].width = 14
        ws.column_dimensions["E"].width = 14
        ws.column_dimensions["F"].width = 22
    rows: list[tuple[Any, ...]] = []

    def add(*values, font=PLAIN, fill=None):
        rows.append((values, font, fill))

    add(county_form.title, font=TITLE)
    if c.scope == "region":
        add(OWN_SURVEY_LINE, font=SMALL)
    add(county_form.header_title or "Sammanställda uppgifter från:", font=BOLD)
    # The county form's header fields in its order: the region and the counts the program fills in
    # (`computed`, a count with its unit in the next column) and the leader's own text fields.
    for header in county_header(county_form):
        value = header_value(header, c)
        add(f"{header.label}:", value, *((header.unit,) if not isinstance(value, str) and header.unit else ()))
        if header.computed == "units_answered":
            add("Svarsfrekvens", f"{c.svarsfrekvens} %")
            if comparison is not None:
                add(f"Jämförs med omgången {comparison.year}: antal kommuner som besvarat enkäten {comparison.year}",
                    comparison.earlier.answered, "kommuner")
    if c.drafts:
        add("Utkast, ej medräknade: " + _names(c.drafts, anonymous), font=SMALL)
    if c.flagged:
        add("Svar med motsägelser (frågor som skulle hoppas över räknas inte): " + _names(c.flagged, anonymous), font=SMALL)
    add()
    for q in c.questions:
        form_q = county_form.question(q.question_id)
        add(f"{form_q.label} {form_q.full_text}", font=BOLD, fill=HEAD_FILL)
        change = comparison.change(q.question_id) if comparison is not None else None
        if change is not None and not change.comparable:
            add(NOT_COMPARABLE, font=SMALL)
        compared = change is not None and change.comparable
        if q.question_id in c.ranking_questions:
            add(f"Rangordning 1–{len(form_q.options)} (1 = hög prioritet)", "Regionens rang", "Kommunernas medelvärde",
                *((f"Medelvärde {change.year}", "Förändring") if compared else ()), font=SMALL)
            means = {m.option_id: m for m in q.mean_ranks}
            ranks = c.leader.ranks_of(c.ranking_questions).get(q.question_id, {})
            for option in form_q.options:
                mean = means.get(option.id)
                mean_text = f"{decimal_comma(mean.mean)} ({mean.count})" if mean and mean.count else "–"
                add(option.label, ranks.get(option.id, "–"), mean_text,
                    *(rank_change_text(change.option(option.id)) if compared else ()))
            add(f"{specify_label(form_q).rstrip(':')}:", c.leader.specify_of(c.ranking_questions).get(q.question_id, ""))
            add()
            continue
        if compared and q.options:
            add(form_q.instruction, f"Antal {c.round_year}", f"Procent {c.round_year}", f"Antal {change.year}",
                f"Procent {change.year}", "Förändring", font=SMALL)
        elif form_q.instruction:
            add(form_q.instruction, *(("Antal kommuner", "Procent") if q.options else ()), font=SMALL)
        for option in q.options:
            if compared:
                before = change.option(option.option_id)
                if before is not None and before.earlier_count is not None:
                    add(option.label, option.count, f"{option.percent} %", before.earlier_count,
                        f"{before.earlier_percent} %", points_text(before.points))
                else:
                    add(option.label, option.count, f"{option.percent} %", NEW_OPTION)
            else:
                add(option.label, option.count, f"{option.percent} %")
        if q.aggregate is not None and not isinstance(q.aggregate, ChoiceAggregate):
            for line in aggregate_lines(q.aggregate, form_q):
                add(*line)
            if compared:
                add(summary_text(change, getattr(form_q, "unit", "") or ""), font=SMALL)
        missing = [("Ej svar", q.ej_svar, q.ej_svar_percent)]
        if q.can_be_skipped:
            missing.append(("Ej tillämpligt", q.ej_tillampligt, q.ej_tillampligt_percent))
        befores = missing_changes(change, q, c.kommuner_svarat) if compared and q.options else [None] * len(missing)
        for (name, count, share), before in zip(missing, befores, strict=True):
            earlier = () if before is None else (before.earlier_count, f"{before.earlier_percent} %",
                                                 points_text(before.points))
            add(name, count, f"{share} %", *earlier, font=SMALL)
        if form_q.help.strip():  # the form's footnote to the question (question 3's on SOSFS 2006:11)
            add(form_q.help.strip(), font=SMALL)
        add(county_form.summary_label or "Sammanfattning av öppna svar och övrig reflektion:", font=BOLD)
        add(q.summary or "")
        for text in q.texts:
            who = "" if anonymous or not text.kommun_namn else f"{text.kommun_namn}: "
            what = f"({text.option_label}) " if text.kind == "ange" else ""
            add(f"{who}{what}{text.text}", font=SMALL)
        add()
    for free in county_form.free_texts:
        add(free.label, font=BOLD, fill=HEAD_FILL)
        add(c.leader.field(free.id))
    for index, (values, font, fill) in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            _text(ws.cell(index, column), value, font)
        if fill is not None:
            for column in range(1, 7 if comparison is not None else 4):
                ws.cell(index, column).fill = fill
        first = values[0] if values else ""
        if isinstance(first, str) and len(first) > 70:
            ws.row_dimensions[index].height = 13.5 * (len(first) // 70 + 1)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddHeader.center.text = f"Länssammanställning {c.region} {c.round_year}"
    ws.oddFooter.center.text = "Sida &P av &N"
    ws.print_title_rows = None


def _data_rows(document: dict) -> list[tuple[str, str, str, Any]]:
    """The Data sheet: one fact per row (nyckel, fråga, alternativ, värde).

    A choice question's counts are "count" rows as in version 1; any other type's aggregate is one
    "aggregat" row per value, the third column its place in the aggregate ("columns.ort.texts[0].text");
    an empty list or object is an "aggregat_tom" row ("[]" or "{}").
    """
    rows: list[tuple[str, str, str, Any]] = []
    for key in ("format", "format_version", *(["scope"] if document.get("scope") else []), "form", "form_version", "round", "region", "kommuner_totalt",
                "kommuner_svarat", "utvecklingsledare", "ovriga_synpunkter", "exported", "exported_by", "app_version"):
        rows.append((key, "", "", document[key]))
    for qid, q in document["questions"].items():
        if set(q) <= {"counts", "ej_svar", "ej_tillampligt", "summary"}:
            for option_id, count in q["counts"].items():
                rows.append(("count", qid, option_id, count))
            rows.append(("ej_svar", qid, "", q["ej_svar"]))
            rows.append(("ej_tillampligt", qid, "", q["ej_tillampligt"]))
        else:
            for path, value in _leaves({k: v for k, v in q.items() if k != "summary"}):
                rows.append(("aggregat_tom" if isinstance(value, list | dict) else "aggregat", qid, path,
                             json.dumps(value) if isinstance(value, list | dict) else value))
        if q.get("summary"):
            rows.append(("summary", qid, "", q["summary"]))
    for qid, ranks in document["ranking"].items():
        for option_id, rank in ranks.items():
            rows.append(("rank", qid, option_id, rank))
    for qid, text in document["specify"].items():
        rows.append(("specify", qid, "", text))
    for field_id, text in document.get("fields", {}).items():
        rows.append(("field", field_id, "", text))
    for year, earlier in document.get("earlier_rounds", {}).items():
        for path, value in _leaves(earlier):
            rows.append(("earlier_tom" if isinstance(value, list | dict) else "earlier", year, path,
                         json.dumps(value) if isinstance(value, list | dict) else value))
    return rows


def _leaves(value: Any, path: str = "") -> list[tuple[str, Any]]:
    """(place, value) of every scalar in a JSON value; an empty list or object is a leaf of its own."""
    if isinstance(value, dict) and value:
        return [leaf for k, v in value.items() for leaf in _leaves(v, f"{path}.{k}" if path else k)]
    if isinstance(value, list) and value:
        return [leaf for i, v in enumerate(value) for leaf in _leaves(v, f"{path}[{i}]")]
    return [(path, value)]


_STEP = re.compile(r"([^.\[\]]+)|\[(\d{1,6})\]")


def _put(target: dict, path: Any, value: Any, where: str) -> None:
    """Set a value at a place written by `_leaves` (the reverse); RefusedFile for a place that cannot be."""
    if not isinstance(path, str) or not path or len(path) > 300:
        raise RefusedFile(f"bladet Data: {where} har en ogiltig plats {str(path)[:60]!r}")
    steps = [name if name else int(index) for name, index in _STEP.findall(path)]
    if "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in steps).lstrip(".") != path:
        raise RefusedFile(f"bladet Data: {where} har en ogiltig plats {path[:60]!r}")
    node: Any = target
    for step, following in zip(steps, steps[1:] + [None], strict=True):
        is_last = following is None
        if isinstance(step, int):
            if not isinstance(node, list) or step > len(node) or step > MAX_DATA_ROWS:
                raise RefusedFile(f"bladet Data: {where}: platsen {path[:60]!r} hoppar över en rad")
            if step == len(node):
                node.append(None)
            if is_last:
                node[step] = value
            elif node[step] is None:
                node[step] = [] if isinstance(following, int) else {}
            node = node[step]
        else:
            if not isinstance(node, dict):
                raise RefusedFile(f"bladet Data: {where}: platsen {path[:60]!r} går inte ihop med raderna före")
            if is_last:
                node[step] = value
            elif node.get(step) is None:
                node[step] = [] if isinstance(following, int) else {}
            node = node[step]
        if not isinstance(node, list | dict) and not is_last:
            raise RefusedFile(f"bladet Data: {where}: platsen {path[:60]!r} går inte ihop med raderna före")


def county_xlsx_bytes(c: CountyCompilation, county_form: Form, *, anonymous: bool = False, exported_by: str = "",
                      exported_at: str | None = None, comparison=None) -> bytes:
    document = county_document(c, exported_by=exported_by, exported_at=exported_at, comparison=comparison)
    workbook = Workbook()
    human = workbook.active
    human.title = HUMAN_SHEET
    _human_sheet(human, c, county_form, anonymous, comparison)
    data = workbook.create_sheet(DATA_SHEET)
    for column, header in enumerate(("nyckel", "fråga", "alternativ", "värde"), start=1):
        _text(data.cell(1, column), header, BOLD)
    for index, row in enumerate(_data_rows(document), start=2):
        for column, value in enumerate(row, start=1):
            _text(data.cell(index, column), value)
    data.column_dimensions["A"].width = 20
    data.column_dimensions["D"].width = 60
    about = workbook.create_sheet(ABOUT_SHEET)
    facts = [
        ("Vad", f"Länssammanställning (Bilaga 2) för {c.region}"),
        ("Omgång", c.round_year),
        ("Formulär", f"{c.form_id} version {c.form_version}"),
        ("Exporterad", document["exported"]),
        ("Exporterad av", exported_by or "–"),
        ("Program", f"BoU Desktop {__version__}"),
        ("Kommuner som besvarat enkäten", c.kommuner_svarat),
        ("Totalt antal kommuner", c.kommuner_totalt),
        ("Utkast som inte räknas", _names(c.drafts, anonymous) or "–"),
        ("Svar med motsägelser (frågor som skulle hoppas över räknas inte)", _names(c.flagged, anonymous) or "–"),
        ("Anonymiserad", "ja" if anonymous else "nej"),
        ("Bladet Data", "Samma siffror i fast, maskinläsbar form: nyckel, fråga, alternativ, värde."),
    ]
    for index, (label, value) in enumerate(facts, start=1):
        _text(about.cell(index, 1), label, BOLD)
        _text(about.cell(index, 2), value)
    about.column_dimensions["A"].width = 40
    about.column_dimensions["B"].width = 70
    workbook.properties.title = f"Länssammanställning {c.region} {c.round_year}"
    workbook.properties.creator = "BoU Desktop"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ----------------------------------------------------------------------------- reading (the national import)
@dataclass(frozen=True)
class CountyFile:
    """A county file read and checked."""

    form_id: str
    form_version: str
    round_year: int
    region: str
    kommuner_totalt: int
    kommuner_svarat: int
    utvecklingsledare: str
    counts: dict[str, dict[str, int]]  # choice question -> option -> count
    ej_svar: dict[str, int]
    ej_tillampligt: dict[str, int]
    summaries: dict[str, str]
    ranking: dict[str, int]  # option -> rank, of the first ranking question (as the county view shows it)
    ranking_specify: str
    ovriga_synpunkter: str
    document: dict = field(compare=False, repr=False, default_factory=dict)
    format_version: int = FORMAT_VERSION
    aggregates: dict[str, Aggregate] = field(default_factory=dict)  # question -> aggregate, every question in the file
    rankings: dict[str, dict[str, int]] = field(default_factory=dict)  # ranking question -> option -> the leader's rank
    specify: dict[str, str] = field(default_factory=dict)  # ranking question -> the leader's "annat" text
    fields: dict[str, str] = field(default_factory=dict)  # the county form's fields the leader wrote, by id
    free_texts: tuple[tuple[str, str], ...] = ()  # (label, text) of the county form's free texts, in its order
    earlier_rounds: dict[int, EarlierRound] = field(default_factory=dict)  # year -> the round compared with

    @property
    def other_views(self) -> str:
        """The county form's free texts as one text (each under its label when there are several)."""
        if len(self.free_texts) == 1:
            return self.free_texts[0][1]
        return "\n\n".join(f"{label}: {text}" for label, text in self.free_texts)


def _int(value: Any, where: str, low: int = 0, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value != int(value):
        raise RefusedFile(f"{where} ska vara ett heltal, inte {value!r}")
    value = int(value)
    if value < low or (high is not None and value > high):
        raise RefusedFile(f"{where} ska vara {low}–{high}, inte {value}" if high is not None else f"{where} får inte vara negativt")
    return value


def _str(value: Any, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RefusedFile(f"{where} ska vara text")
    if len(value) > MAX_TEXT:
        raise RefusedFile(f"{where} är för lång")
    return value.strip()


def county_from_dict(raw: dict, forms: FormLibrary, register: Register) -> CountyFile:
    """Check a county file's content (JSON, or the Excel Data sheet read into this shape)."""
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise RefusedFile("filen är ingen länssammanställning (fältet format ska vara 'bou-lanssammanstallning')")
    try:  # the document is stored as it is: a lone surrogate or an Excel date in it cannot be
        json.dumps(raw, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, TypeError, ValueError, RecursionError):
        raise RefusedFile("filen innehåller tecken eller värden som inte kan sparas") from None
    version = check_format_version(raw, READ_VERSIONS)
    if raw.get("scope") is not None:  # before the form: SKL's database does not have a region's own form
        raise RefusedFile(OWN_SURVEY_REFUSAL if raw.get("scope") == "region" else
                          f"fältet scope: okänd omfattning {str(raw.get('scope'))[:40]!r}")
    answered = forms.of_kind("kommun")  # a file that does not name its form: the one form it can be of
    form_id = raw.get("form", answered[0].id if len(answered) == 1 else None)
    if not isinstance(form_id, str) or form_id not in forms or forms[form_id].kind != "kommun":
        raise RefusedFile(f"fältet form: okänt formulär {form_id!r}")
    form = forms[form_id]
    if form.scope == "region":
        raise RefusedFile(OWN_SURVEY_REFUSAL)
    form_version = str(raw.get("form_version", form.version))
    if form_version != form.version:
        raise RefusedFile(f"fältet form_version: {form_version!r} stämmer inte med formulärets version {form.version!r}")
    year = _int(raw.get("round"), "fältet round", 1900, 2200)
    region = register.find_region(_str(raw.get("region"), "fältet region"))
    if region is None:
        raise RefusedFile(f"fältet region: okänd region {raw.get('region')!r}")
    total = _int(raw.get("kommuner_totalt"), "fältet kommuner_totalt", 0, 1000)
    if total != region.expected_count:
        raise RefusedFile(f"fältet kommuner_totalt: {region.name} har {region.expected_count} kommuner, filen säger {total}")
    answered = _int(raw.get("kommuner_svarat"), "fältet kommuner_svarat", 0, total)
    counts: dict[str, dict[str, int]] = {}
    ej_svar: dict[str, int] = {}
    ej_tillampligt: dict[str, int] = {}
    summaries: dict[str, str] = {}
    aggregates: dict[str, Aggregate] = {}
    questions = raw.get("questions") or {}
    if not isinstance(questions, dict):
        raise RefusedFile("fältet questions ska vara ett objekt")
    for qid, q in questions.items():
        aggregates[qid] = _question_aggregate(form, qid, q, version, answered, "questions")
        if isinstance(aggregates[qid], ChoiceAggregate):
            counts[qid] = dict(aggregates[qid].counts)
            ej_svar[qid], ej_tillampligt[qid] = aggregates[qid].ej_svar, aggregates[qid].ej_tillampligt
        summary = _str(q.get("summary"), f"questions.{qid}.summary")
        if summary:
            summaries[qid] = summary
    earlier_rounds = _earlier_rounds(raw.get("earlier_rounds"), form, version, year)
    rankings: dict[str, dict[str, int]] = {}
    raw_ranking = raw.get("ranking") or {}
    if not isinstance(raw_ranking, dict):
        raise RefusedFile("fältet ranking ska vara ett objekt")
    ranking_questions = {q.id: q for q in form.questions if q.type == "ranking"}
    for qid, ranks in raw_ranking.items():
        ranking_question = ranking_questions.get(qid)
        if ranking_question is None or not isinstance(ranks, dict):
            raise RefusedFile(f"ranking.{qid}: okänd rangordningsfråga")
        for option_id, rank in ranks.items():
            if option_id not in ranking_question.option_ids():
                raise RefusedFile(f"ranking.{qid}: okänt alternativ {option_id!r}")
            rankings.setdefault(qid, {})[option_id] = _int(rank, f"ranking.{qid}.{option_id}", 1, ranking_question.max_rank)
    raw_specify = raw.get("specify") or {}
    specify = {}
    if isinstance(raw_specify, dict):
        for qid in ranking_questions:
            text = _str(raw_specify.get(qid), f"specify.{qid}")
            if text:
                specify[qid] = text
    first = next(iter(ranking_questions), None)
    fields = _fields(raw, next((f for f in forms if f.compiles == form.id), None))
    return CountyFile(
        form.id, form.version, year, region.name, total, answered, _str(raw.get("utvecklingsledare"), "fältet utvecklingsledare"),
        counts, ej_svar, ej_tillampligt, summaries, rankings.get(first, {}), specify.get(first, ""),
        _str(raw.get("ovriga_synpunkter"), "fältet ovriga_synpunkter"), raw, version, aggregates, rankings, specify,
        *fields, earlier_rounds,
    )


def _question_aggregate(form: Form, qid: Any, q: Any, version: int, answered: int, where: str) -> Aggregate:
    """A question's aggregate in a county file (under `questions`, or an earlier round's), checked."""
    try:
        question = form.question(qid)
    except KeyError:
        raise RefusedFile(f"{where}.{str(qid)[:40]}: okänd fråga") from None
    choice = question.type in ("single", "multi")
    if not isinstance(q, dict) or (version == 1 and not choice):
        raise RefusedFile(f"{where}.{qid}: ska vara ett objekt med counts")
    if choice:
        return _choice_aggregate(qid, question, q, answered, where)
    try:
        aggregate = question.qtype.aggregate_from_json(
            question, {k: v for k, v in q.items() if k != "summary"}, f"{where}.{qid}", form.unit_key)
    except AggregateError as error:
        raise RefusedFile(str(error)) from None
    _check_units(qid, aggregate, answered, where)
    return aggregate


def _earlier_rounds(raw: Any, form: Form, version: int, year: int) -> dict[int, EarlierRound]:
    """`earlier_rounds`: the rounds the compilation was compared with, keyed by this round's ids."""
    if raw is None:
        return {}
    if not isinstance(raw, dict) or len(raw) > 50:
        raise RefusedFile("fältet earlier_rounds ska vara ett objekt med en omgång per år")
    result: dict[int, EarlierRound] = {}
    for key, entry in raw.items():
        where = f"earlier_rounds.{str(key)[:10]}"
        if not isinstance(key, str) or not re.fullmatch(r"\d{4}", key) or not 1900 <= int(key) < year:
            raise RefusedFile(f"{where}: ska vara året för en tidigare omgång än {year}")
        if not isinstance(entry, dict):
            raise RefusedFile(f"{where}: ska vara ett objekt med kommuner_svarat och questions")
        answered_key = "regioner_svarat" if form.unit_key == "region" else "kommuner_svarat"
        answered = _int(entry.get(answered_key), f"{where}.{answered_key}", 0, 1000)
        questions = entry.get("questions") or {}
        if not isinstance(questions, dict):
            raise RefusedFile(f"{where}.questions ska vara ett objekt")
        aggregates = {qid: _question_aggregate(form, qid, q, version, answered, f"{where}.questions")
                      for qid, q in questions.items()}
        result[int(key)] = EarlierRound(int(key), answered, aggregates)
    return result


def _fields(raw: dict, county_form: Form | None) -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """The county form's fields the leader wrote (`fields`, format 2), checked against the county form;
    a file without them (format 1) kept each at the top level under its id. With the free texts' labels."""
    known = county_fields(county_form)
    given = raw.get("fields")
    if given is None:
        given = {key: raw[key] for key in known if isinstance(raw.get(key), str)}
    if not isinstance(given, dict) or not all(isinstance(key, str) for key in given):
        raise RefusedFile("fältet fields ska vara ett objekt")
    fields = {}
    for key, value in given.items():
        if county_form is not None and key not in known:  # without the county form, nothing to check against
            raise RefusedFile(f"fields.{str(key)[:40]}: länsformuläret har inget sådant fält")
        text = _str(value, f"fields.{key}")
        if text:
            fields[key] = text
    free = tuple((f.label, fields[f.id]) for f in (county_form.free_texts if county_form else ()) if f.id in fields)
    return fields, free


def _choice_aggregate(qid: str, question, q: dict, answered: int, where: str = "questions") -> ChoiceAggregate:
    """A choice question's counts, checked as in version 1 (the same shape in both versions)."""
    option_counts = q.get("counts") or {}
    if not isinstance(option_counts, dict):
        raise RefusedFile(f"{where}.{qid}.counts ska vara ett objekt")
    counts = {}
    for option_id, count in option_counts.items():
        if option_id not in question.option_ids():
            raise RefusedFile(f"{where}.{qid}.counts: okänt svarsalternativ {option_id!r}")
        counts[option_id] = _int(count, f"{where}.{qid}.counts.{option_id}", 0, answered)
    no_answer = _int(q.get("ej_svar", 0), f"{where}.{qid}.ej_svar", 0, answered)
    not_applicable = _int(q.get("ej_tillampligt", 0), f"{where}.{qid}.ej_tillampligt", 0, answered)
    if question.type == "single" and sum(counts.values()) + no_answer + not_applicable != answered:
        raise RefusedFile(
            f"{where}.{qid}: svaren ({sum(counts.values())}) plus ej svar och ej tillämpligt "
            f"går inte ihop med {answered} svarande kommuner")
    return ChoiceAggregate(counts, no_answer, not_applicable)


def _check_units(qid: str, aggregate: Aggregate, answered: int, where: str = "questions") -> None:
    """No more units than answered the survey: in ej svar and ej tillämpligt, in a value's count, among the rankers."""
    units = aggregate.ej_svar + aggregate.ej_tillampligt
    if hasattr(aggregate, "ranked_by"):
        units += max(aggregate.ranked_by.values(), default=0)
    elif hasattr(aggregate, "texts"):
        units += len(aggregate.texts)
    elif hasattr(aggregate, "n"):
        units += aggregate.n
    if units > answered:
        raise RefusedFile(f"{where}.{qid}: fler kommuner ({units}) än de {answered} som besvarat enkäten")


def _data_sheet_to_dict(data: bytes) -> dict:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise RefusedFile("filen är ingen Excel-fil (.xlsx) eller så är den skadad")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        if sum(m.file_size for m in members) > MAX_UNCOMPRESSED or len(members) > 1_000:
            raise RefusedFile("filen är för stor uppackad för att vara en länssammanställning")
        if any(m.filename.lower().endswith("vbaproject.bin") for m in members):
            raise RefusedFile("filen innehåller makron och öppnas inte")
    check_sheet_sizes(data, MAX_DATA_ROWS + 1_000, 10 * MAX_DATA_ROWS, "en länssammanställning")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # malformed workbooks raise many kinds; none may crash the import
        raise RefusedFile(f"filen kan inte läsas som Excel-fil ({type(error).__name__})") from None
    if DATA_SHEET not in workbook.sheetnames:
        raise RefusedFile("bladet ”Data” saknas: filen är ingen länssammanställning från BoU Desktop")
    raw: dict[str, Any] = {"questions": {}, "ranking": {}, "specify": {}}
    try:
        rows = list(islice(workbook[DATA_SHEET].iter_rows(min_row=2, max_col=4, values_only=True), MAX_DATA_ROWS + 2))
    except Exception as error:  # read-only openpyxl reads the sheet only now: damaged parts show here
        raise RefusedFile(f"bladet Data kan inte läsas ({type(error).__name__})") from None
    finally:
        workbook.close()
    for index, row in enumerate(rows):
        if index > MAX_DATA_ROWS:
            raise RefusedFile("bladet Data har för många rader")
        key, qid, option_id, value = (list(row) + [None] * 4)[:4]
        if not key:
            continue
        if key == "count":
            raw["questions"].setdefault(qid, {"counts": {}})["counts"][option_id] = value
        elif key in ("ej_svar", "ej_tillampligt", "summary"):
            raw["questions"].setdefault(qid, {"counts": {}})[key] = value
        elif key in ("aggregat", "aggregat_tom"):
            if not isinstance(qid, str) or not isinstance(raw["questions"].get(qid, {}), dict):
                raise RefusedFile(f"bladet Data, rad {index + 2}: okänd fråga {str(qid)[:40]!r}")
            if key == "aggregat_tom":
                if value not in ("[]", "{}"):
                    raise RefusedFile(f"bladet Data, rad {index + 2}: aggregat_tom ska vara [] eller {{}}")
                value = [] if value == "[]" else {}
            _put(raw["questions"].setdefault(qid, {}), option_id, value, f"rad {index + 2}")
        elif key == "rank":
            raw["ranking"].setdefault(qid, {})[option_id] = value
        elif key == "specify":
            raw["specify"][qid] = value
        elif key == "field":
            raw.setdefault("fields", {})[qid] = value
        elif key in ("earlier", "earlier_tom"):  # an earlier round compared with: "earlier", year, place, value
            if key == "earlier_tom":
                if value not in ("[]", "{}"):
                    raise RefusedFile(f"bladet Data, rad {index + 2}: earlier_tom ska vara [] eller {{}}")
                value = [] if value == "[]" else {}
            earlier = raw.setdefault("earlier_rounds", {})
            if not isinstance(earlier, dict):
                raise RefusedFile(f"bladet Data, rad {index + 2}: tidigare omgång går inte ihop med raderna före")
            _put(earlier.setdefault(str(qid), {}), option_id, value, f"rad {index + 2}")
        else:
            raw[key] = value
    return raw


def read_county_file(data: bytes, forms: FormLibrary, register: Register) -> CountyFile:
    """A county file as SKL receives it: the Excel workbook or the JSON file."""
    if data[:2] == b"PK":
        return county_from_dict(_data_sheet_to_dict(data), forms, register)
    if len(data) > MAX_JSON_BYTES:
        raise RefusedFile("filen är för stor för att vara en länssammanställning")
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise RefusedFile("filen är varken Excel eller JSON i UTF-8") from None
    except RecursionError:
        raise RefusedFile("filen är för djupt nästlad") from None
    except json.JSONDecodeError as error:
        raise RefusedFile(f"filen är inte giltig JSON (rad {error.lineno}, kolumn {error.colno})") from None
    except ValueError:  # an integer of more than 4 300 digits
        raise RefusedFile("filen är inte giltig JSON (ett tal har för många siffror)") from None
    return county_from_dict(raw, forms, register)


# ----------------------------------------------------------------------------- e-mail draft
def county_email(*, to: str, region: str, round_year: int, sender: str, attachments: list[tuple[str, bytes]]) -> bytes:
    """An .eml draft to SKL with the files attached; X-Unsent makes Outlook open it for editing."""
    message = EmailMessage()
    message["To"] = to
    message["Subject"] = f"Länssammanställning {region} – kartläggning {round_year}"
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="bou-desktop.local")
    message["X-Unsent"] = "1"
    message.set_content(
        "Hej!\n\n"
        f"Här kommer länssammanställningen för {region} i kartläggningen om systematisk uppföljning av barn "
        f"och unga placerade i familjehem och HVB ({round_year}), som Excel- och PDF-fil.\n\n"
        f"Med vänlig hälsning\n{sender}\n"
    )
    types = {".xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
             ".pdf": ("application", "pdf"), ".json": ("application", "json")}
    for name, data in attachments:
        maintype, subtype = types.get(name[name.rfind("."):].lower(), ("application", "octet-stream"))
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return bytes(message)
