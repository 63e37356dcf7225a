"""County files: the region's compilation as JSON and Excel for SKL, read back by the national import,
and the e-mail draft that carries them (documented in docs/formats.md).

The Excel file has three sheets: "Länssammanställning" reads like Bilaga 2 for a person at SKL,
"Data" holds the same numbers in a fixed machine-readable layout (what the import reads), and
"Om filen" says what the file is, when and by whom it was made.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from itertools import islice
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill

from .. import __version__
from ..survey.compilation import CountyCompilation, decimal_comma
from ..survey.forms import Form, FormLibrary
from ..survey.register import Register
from .errors import RefusedFile, check_format_version
from .svarsfil_xlsx import MAX_UNCOMPRESSED, check_sheet_sizes, excel_text

FORMAT = "bou-lanssammanstallning"
FORMAT_VERSION = 1
DATA_SHEET = "Data"
HUMAN_SHEET = "Länssammanställning"
ABOUT_SHEET = "Om filen"
MAX_JSON_BYTES = 5_000_000
MAX_TEXT = 50_000


# ----------------------------------------------------------------------------- the JSON document
def county_document(c: CountyCompilation, *, exported_by: str = "", exported_at: str | None = None) -> dict:
    """The county file's content, keyed by the option ids of the municipal form."""
    questions: dict[str, Any] = {}
    for q in c.questions:
        if q.question_id == c.ranking_question:
            continue
        questions[q.question_id] = {
            "counts": {o.option_id: o.count for o in q.options},
            "ej_svar": q.ej_svar,
            "ej_tillampligt": q.ej_tillampligt,
            "summary": q.summary,
        }
    ranking = {c.ranking_question: dict(c.leader.ranking)} if c.ranking_question else {}
    specify = {c.ranking_question: c.leader.ranking_specify} if c.ranking_question and c.leader.ranking_specify else {}
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "form": c.form_id,
        "form_version": c.form_version,
        "round": c.round_year,
        "region": c.region,
        "kommuner_totalt": c.kommuner_totalt,
        "kommuner_svarat": c.kommuner_svarat,
        "utvecklingsledare": c.leader.utvecklingsledare,
        "questions": questions,
        "ranking": ranking,
        "specify": specify,
        "ovriga_synpunkter": c.leader.ovriga_synpunkter,
        "utkast": len(c.drafts),
        "motsagelser": len(c.flagged),
        "exported": exported_at or datetime.now().astimezone().isoformat(timespec="seconds"),
        "exported_by": exported_by,
        "app_version": __version__,
    }


def county_json_bytes(c: CountyCompilation, **kwargs) -> bytes:
    return (json.dumps(county_document(c, **kwargs), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# ----------------------------------------------------------------------------- Excel
BOLD = Font(name="Arial", bold=True, size=10)
PLAIN = Font(name="Arial", size=10)
TITLE = Font(name="Arial", bold=True, size=13)
SMALL = Font(name="Arial", italic=True, size=9)
HEAD_FILL = PatternFill("solid", fgColor="E8EEF4")
WRAP = Alignment(wrap_text=True, vertical="top")


def _text(cell, value: Any, font: Font = PLAIN) -> None:
    """Strings as text, never formulas (openpyxl turns "=…" into a formula otherwise)."""
    if isinstance(value, str):
        cell.value = excel_text(value)
        cell.data_type = "s"
    else:
        cell.value = value
    cell.font = font
    cell.alignment = WRAP


def _human_sheet(ws, c: CountyCompilation, county_form: Form, anonymous: bool) -> None:
    ws.column_dimensions["A"].width = 64
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 11
    rows: list[tuple[Any, ...]] = []

    def add(*values, font=PLAIN, fill=None):
        rows.append((values, font, fill))

    add(county_form.title, font=TITLE)
    add(county_form.header_title or "Sammanställda uppgifter från:", font=BOLD)
    add("Län/region:", c.region)
    add("Totalt antal kommuner i länet/regionen", c.kommuner_totalt, "kommuner")
    add("Antal kommuner som besvarat enkäten", c.kommuner_svarat, "kommuner")
    add("Svarsfrekvens", f"{c.svarsfrekvens} %")
    add("Utvecklingsledarens namn:", c.leader.utvecklingsledare)
    if c.drafts:
        add("Utkast, ej medräknade: " + ", ".join(c.drafts), font=SMALL)
    if c.flagged:
        add("Svar med motsägelser (frågor som skulle hoppas över räknas inte): " + ", ".join(c.flagged), font=SMALL)
    add()
    for q in c.questions:
        form_q = county_form.question(q.question_id)
        add(f"{form_q.number}) {form_q.full_text}", font=BOLD, fill=HEAD_FILL)
        if q.question_id == c.ranking_question:
            add("Rangordning 1–7 (1 = hög prioritet)", "Regionens rang", "Kommunernas medelvärde", font=SMALL)
            means = {m.option_id: m for m in q.mean_ranks}
            for option in form_q.options:
                mean = means.get(option.id)
                mean_text = f"{decimal_comma(mean.mean)} ({mean.count})" if mean and mean.count else "–"
                add(option.label, c.leader.ranking.get(option.id, "–"), mean_text)
            add("Annat alternativ, ange:", c.leader.ranking_specify)
            add()
            continue
        if form_q.instruction:
            add(form_q.instruction, "Antal kommuner", "Procent", font=SMALL)
        for option in q.options:
            add(option.label, option.count, f"{option.percent} %")
        add("Ej svar", q.ej_svar, f"{q.ej_svar_percent} %", font=SMALL)
        if q.can_be_skipped:
            add("Ej tillämpligt", q.ej_tillampligt, f"{q.ej_tillampligt_percent} %", font=SMALL)
        add(county_form.summary_label or "Sammanfattning av öppna svar och övrig reflektion:", font=BOLD)
        add(q.summary or "")
        for text in q.texts:
            who = "" if anonymous or not text.kommun_namn else f"{text.kommun_namn}: "
            what = f"({text.option_label}) " if text.kind == "ange" else ""
            add(f"{who}{what}{text.text}", font=SMALL)
        add()
    for free in county_form.free_texts:
        add(free.label, font=BOLD, fill=HEAD_FILL)
        add(c.leader.ovriga_synpunkter if free.id == "ovriga_synpunkter" else "")
    for index, (values, font, fill) in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            _text(ws.cell(index, column), value, font)
        if fill is not None:
            for column in range(1, 4):
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
    """The Data sheet: one fact per row (nyckel, fråga, alternativ, värde)."""
    rows: list[tuple[str, str, str, Any]] = []
    for key in ("format", "format_version", "form", "form_version", "round", "region", "kommuner_totalt",
                "kommuner_svarat", "utvecklingsledare", "ovriga_synpunkter", "exported", "exported_by", "app_version"):
        rows.append((key, "", "", document[key]))
    for qid, q in document["questions"].items():
        for option_id, count in q["counts"].items():
            rows.append(("count", qid, option_id, count))
        rows.append(("ej_svar", qid, "", q["ej_svar"]))
        rows.append(("ej_tillampligt", qid, "", q["ej_tillampligt"]))
        if q["summary"]:
            rows.append(("summary", qid, "", q["summary"]))
    for qid, ranks in document["ranking"].items():
        for option_id, rank in ranks.items():
            rows.append(("rank", qid, option_id, rank))
    for qid, text in document["specify"].items():
        rows.append(("specify", qid, "", text))
    return rows


def county_xlsx_bytes(c: CountyCompilation, county_form: Form, *, anonymous: bool = False, exported_by: str = "",
                      exported_at: str | None = None) -> bytes:
    document = county_document(c, exported_by=exported_by, exported_at=exported_at)
    workbook = Workbook()
    human = workbook.active
    human.title = HUMAN_SHEET
    _human_sheet(human, c, county_form, anonymous)
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
        ("Utkast som inte räknas", ", ".join(c.drafts) or "–"),
        ("Svar med motsägelser (frågor som skulle hoppas över räknas inte)", ", ".join(c.flagged) or "–"),
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
    counts: dict[str, dict[str, int]]  # question -> option -> count
    ej_svar: dict[str, int]
    ej_tillampligt: dict[str, int]
    summaries: dict[str, str]
    ranking: dict[str, int]  # option -> rank
    ranking_specify: str
    ovriga_synpunkter: str
    document: dict = field(compare=False, repr=False, default_factory=dict)


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
    check_format_version(raw, FORMAT_VERSION)
    form_id = raw.get("form", "kommunenkat")
    if not isinstance(form_id, str) or form_id not in forms or forms[form_id].kind != "kommun":
        raise RefusedFile(f"fältet form: okänt formulär {form_id!r}")
    form = forms[form_id]
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
    questions = raw.get("questions") or {}
    if not isinstance(questions, dict):
        raise RefusedFile("fältet questions ska vara ett objekt")
    for qid, q in questions.items():
        try:
            question = form.question(qid)
        except KeyError:
            raise RefusedFile(f"questions.{qid}: okänd fråga") from None
        if question.type == "ranking" or not isinstance(q, dict):
            raise RefusedFile(f"questions.{qid}: ska vara ett objekt med counts")
        option_counts = q.get("counts") or {}
        if not isinstance(option_counts, dict):
            raise RefusedFile(f"questions.{qid}.counts ska vara ett objekt")
        counts[qid] = {}
        for option_id, count in option_counts.items():
            if option_id not in question.option_ids():
                raise RefusedFile(f"questions.{qid}.counts: okänt svarsalternativ {option_id!r}")
            counts[qid][option_id] = _int(count, f"questions.{qid}.counts.{option_id}", 0, answered)
        ej_svar[qid] = _int(q.get("ej_svar", 0), f"questions.{qid}.ej_svar", 0, answered)
        ej_tillampligt[qid] = _int(q.get("ej_tillampligt", 0), f"questions.{qid}.ej_tillampligt", 0, answered)
        if question.type == "single" and sum(counts[qid].values()) + ej_svar[qid] + ej_tillampligt[qid] != answered:
            raise RefusedFile(
                f"questions.{qid}: svaren ({sum(counts[qid].values())}) plus ej svar och ej tillämpligt "
                f"går inte ihop med {answered} svarande kommuner")
        summary = _str(q.get("summary"), f"questions.{qid}.summary")
        if summary:
            summaries[qid] = summary
    ranking: dict[str, int] = {}
    ranking_question = next((q for q in form.questions if q.type == "ranking"), None)
    raw_ranking = raw.get("ranking") or {}
    if not isinstance(raw_ranking, dict):
        raise RefusedFile("fältet ranking ska vara ett objekt")
    for qid, ranks in raw_ranking.items():
        if ranking_question is None or qid != ranking_question.id or not isinstance(ranks, dict):
            raise RefusedFile(f"ranking.{qid}: okänd rangordningsfråga")
        for option_id, rank in ranks.items():
            if option_id not in ranking_question.option_ids():
                raise RefusedFile(f"ranking.{qid}: okänt alternativ {option_id!r}")
            ranking[option_id] = _int(rank, f"ranking.{qid}.{option_id}", 1, ranking_question.max_rank)
    specify = raw.get("specify") or {}
    ranking_specify = _str(specify.get(ranking_question.id) if ranking_question and isinstance(specify, dict) else "",
                           "fältet specify")
    return CountyFile(
        form.id, form.version, year, region.name, total, answered, _str(raw.get("utvecklingsledare"), "fältet utvecklingsledare"),
        counts, ej_svar, ej_tillampligt, summaries, ranking, ranking_specify,
        _str(raw.get("ovriga_synpunkter"), "fältet ovriga_synpunkter"), raw,
    )


def _data_sheet_to_dict(data: bytes) -> dict:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise RefusedFile("filen är ingen Excel-fil (.xlsx) eller så är den skadad")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        if sum(m.file_size for m in members) > MAX_UNCOMPRESSED or len(members) > 1_000:
            raise RefusedFile("filen är för stor uppackad för att vara en länssammanställning")
        if any(m.filename.lower().endswith("vbaproject.bin") for m in members):
            raise RefusedFile("filen innehåller makron och öppnas inte")
    check_sheet_sizes(data, 10_000, 100_000, "en länssammanställning")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # malformed workbooks raise many kinds; none may crash the import
        raise RefusedFile(f"filen kan inte läsas som Excel-fil ({type(error).__name__})") from None
    if DATA_SHEET not in workbook.sheetnames:
        raise RefusedFile("bladet ”Data” saknas: filen är ingen länssammanställning från BoU Desktop")
    raw: dict[str, Any] = {"questions": {}, "ranking": {}, "specify": {}}
    try:
        rows = list(islice(workbook[DATA_SHEET].iter_rows(min_row=2, max_col=4, values_only=True), 5_002))
    except Exception as error:  # read-only openpyxl reads the sheet only now: damaged parts show here
        raise RefusedFile(f"bladet Data kan inte läsas ({type(error).__name__})") from None
    finally:
        workbook.close()
    for index, row in enumerate(rows):
        if index > 5_000:
            raise RefusedFile("bladet Data har för många rader")
        key, qid, option_id, value = (list(row) + [None] * 4)[:4]
        if not key:
            continue
        if key == "count":
            raw["questions"].setdefault(qid, {"counts": {}})["counts"][option_id] = value
        elif key in ("ej_svar", "ej_tillampligt", "summary"):
            raw["questions"].setdefault(qid, {"counts": {}})[key] = value
        elif key == "rank":
            raw["ranking"].setdefault(qid, {})[option_id] = value
        elif key == "specify":
            raw["specify"][qid] = value
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
