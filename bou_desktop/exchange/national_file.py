"""The national level: importing county files, the national report as JSON and Excel, and the national
file that leaders bring back to their region's database (documented in docs/formats.md)."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment

from .. import __version__
from ..store import Round, Store, StoreError
from ..survey.aggregates import TextAggregate
from ..survey.answers import response_state
from ..survey.changes import not_comparable_text, signed
from ..survey.compilation import decimal_comma, round_half_up
from ..survey.forms import Form, FormLibrary
from ..survey.national import CountyNumbers, NationalReport, national_report, region_level_report
from .aggregate_text import can_be_skipped, option_label, rate_headings, rate_notes, survey_name, units_word
from .county_file import BOLD, PLAIN, CountyFile, aggregate_lines, county_from_dict, read_county_file
from .county_file import _text as text_cell
from .errors import RefusedFile, check_format_version, read_with_round_forms

FORMAT = "bou-riksrapport"
FORMAT_VERSION = 1


def county_numbers(county: CountyFile) -> CountyNumbers:
    return CountyNumbers(county.region, county.kommuner_totalt, county.kommuner_svarat, county.counts, county.ej_svar,
                         county.ej_tillampligt, county.summaries, county.rankings, county.specify,
                         county.other_views, county.aggregates)


def content_hash(county: CountyFile) -> str:
    """The same numbers and texts give the same hash, whenever and by whom the file was exported.

    A version 1 file hashes as before version 2 existed, so a file imported then is still "oförändrad".
    """
    if county.format_version == 1:
        first = next(iter(county.rankings), None)
        numbers = {"region": county.region, "kommuner_totalt": county.kommuner_totalt,
                   "kommuner_svarat": county.kommuner_svarat, "counts": county.counts, "ej_svar": county.ej_svar,
                   "ej_tillampligt": county.ej_tillampligt, "summaries": county.summaries,
                   "ranking": county.rankings.get(first, {}), "ranking_specify": county.specify.get(first, ""),
                   "ovriga_synpunkter": county.ovriga_synpunkter}
        canonical = json.dumps(numbers | {"round": county.round_year, "form": county.form_id,
                                          "utvecklingsledare": county.utvecklingsledare},
                               sort_keys=True, ensure_ascii=False)
    else:
        canonical = json.dumps(stored_county_document(county), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def stored_county_document(county: CountyFile, form: Form | None = None) -> dict:
    """What is kept of a county file: the checked content only, never fields no reader checks.

    Every question as its aggregate writes itself (`to_json`), in the file's format version.
    """
    questions = {}
    for qid, aggregate in county.aggregates.items():
        questions[qid] = aggregate.to_json() | {"summary": county.summaries.get(qid, "")}
    return {
        "format": "bou-lanssammanstallning", "format_version": county.format_version, "form": county.form_id,
        "form_version": county.form_version, "round": county.round_year, "region": county.region,
        "kommuner_totalt": county.kommuner_totalt, "kommuner_svarat": county.kommuner_svarat,
        "utvecklingsledare": county.utvecklingsledare,
        "questions": questions,
        "ranking": {qid: dict(ranks) for qid, ranks in county.rankings.items() if ranks},
        "specify": dict(county.specify),
        "ovriga_synpunkter": county.ovriga_synpunkter,
    } | ({"fields": dict(county.fields)} if county.format_version >= 2 else {})


def stored_county_files(store: Store, round_: Round) -> dict[str, CountyFile]:
    """The county files a round has received, checked again as they are read."""
    form, county = store.form_of(round_), store.county_form_of(round_)
    # Read with the round's own forms, whatever later rounds use.
    forms = FormLibrary({form.id: form} | ({county.id: county} if county is not None else {}))
    return {region: county_from_dict(document, forms, store.register)
            for region, (document, _name, _at) in store.county_documents(round_).items()}


def report_for(store: Store, round_: Round) -> NationalReport:
    """The national report from the county files received so far; for a form answered per region
    (kind "region"), from the regions' own responses that count (see `response_state`)."""
    store.refuse_own_survey(round_, "Den ingår inte i den nationella sammanställningen.")
    regions = [(r.name, r.expected_count) for r in store.register.regions]  # the report's order
    form = store.form_of(round_)
    if form.unit_key == "region":
        counted = {}
        for record in store.responses(round_):
            answers = record.answers(form)
            if response_state(form, record.status, answers).counts:
                counted[record.kommun] = answers
        return region_level_report(form, round_.year, regions, counted)
    files = {region: county_numbers(county) for region, county in stored_county_files(store, round_).items()}
    return national_report(form, round_.year, regions, files)


# ----------------------------------------------------------------------------- the national JSON
def national_document(report: NationalReport, *, exported_by: str = "", comparison=None) -> dict:
    """The national file. Choice questions keep version 1's keys ("options", "ej_svar", "ej_tillampligt",
    "regioner"); every question also has "riket" (its aggregate over the nation) and "per_region".
    With `comparison` (survey/national_comparison.py) the file carries `earlier_rounds`."""
    questions: dict[str, Any] = {}
    for q in report.questions:
        questions[q.question_id] = {
            "options": {o.option_id: {"antal": o.antal, "procent": o.procent} for o in q.options},
            "ej_svar": {"antal": q.ej_svar.antal, "procent": q.ej_svar.procent},
            "ej_tillampligt": {"antal": q.ej_tillampligt.antal, "procent": q.ej_tillampligt.procent},
            "regioner": {region: {oid: {"antal": s.antal, "procent": s.procent} for oid, s in shares.items()}
                         for region, shares in q.per_region.items()},
            **_aggregates_json(q.aggregate, q.region_aggregates),
        }
    for r in report.rankings:
        questions[r.question_id] = {"options": {}, **_aggregates_json(r.aggregate, r.region_aggregates)}
    ranking = {r.question_id: {
        rank.option_id: {"medelvarde": float(round_half_up(rank.medelvarde, 1)) if rank.antal_regioner else None,
                         "antal_regioner": rank.antal_regioner} for rank in r.ranks} for r in report.rankings}
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "form": report.form_id,
        "round": report.round_year,
        "regions": [{"region": r.region, "kommuner_totalt": r.kommuner_totalt, "kommuner_svarat": r.kommuner_svarat,
                     "svarsfrekvens": r.svarsfrekvens, "har_fil": r.has_file} for r in report.regions],
        "fotnoter": rate_notes(report),
        "totalt": {"kommuner_totalt": report.total.kommuner_totalt, "kommuner_svarat": report.total.kommuner_svarat,
                   "svarsfrekvens": report.total.svarsfrekvens},
        "questions": questions,
        "ranking": ranking,
        "exported": datetime.now().astimezone().isoformat(timespec="seconds"),
        "exported_by": exported_by,
        "app_version": __version__,
    } | ({"earlier_rounds": earlier_rounds_json(comparison, report.unit_key)} if comparison is not None else {})


def _aggregates_json(nation, regions: dict) -> dict:
    if nation is None:
        return {}
    return {"riket": nation.to_json(), "per_region": {region: a.to_json() for region, a in regions.items()}}


def national_json_bytes(report: NationalReport, **kwargs) -> bytes:
    return (json.dumps(national_document(report, **kwargs), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def read_national_file(data: bytes, forms: FormLibrary, region_names: set[str]) -> dict:
    """A national file (JSON) as a leader imports it; RefusedFile when it cannot be used."""
    if len(data) > 20_000_000:
        raise RefusedFile("filen är för stor för att vara en riksrapport")
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError):  # ValueError: not UTF-8, not JSON, or an integer of over 4 300 digits
        raise RefusedFile("filen är ingen giltig JSON-fil") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise RefusedFile("filen är ingen riksrapport (fältet format ska vara 'bou-riksrapport')")
    check_format_version(raw, FORMAT_VERSION)
    if not isinstance(raw.get("form"), str) or raw["form"] not in forms or forms[raw["form"]].kind != "kommun":
        raise RefusedFile(f"riksrapporten gäller ett okänt formulär ({raw.get('form')!r})")
    form = forms[raw["form"]]
    questions = raw.get("questions")
    if not isinstance(questions, dict):
        raise RefusedFile("fältet questions saknas")
    for qid, q in questions.items():
        try:
            question = form.question(qid)
        except KeyError:
            raise RefusedFile(f"questions.{qid}: okänd fråga") from None
        options = q.get("options") if isinstance(q, dict) else None
        if not isinstance(options, dict):
            raise RefusedFile(f"questions.{qid}.options saknas")
        for oid, share in options.items():
            if oid not in question.option_ids() or not isinstance(share, dict):
                raise RefusedFile(f"questions.{qid}.options: okänt svarsalternativ {oid!r}")
            value = share.get("procent")
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
                raise RefusedFile(f"questions.{qid}.options.{oid}.procent ska vara 0–100")
    if not isinstance(raw.get("regions", []), list):
        raise RefusedFile("fältet regions ska vara en lista")
    for entry in raw.get("regions", []):
        if not isinstance(entry, dict) or not isinstance(entry.get("region"), str) or entry["region"] not in region_names:
            raise RefusedFile("fältet regions har en okänd region")
    if not isinstance(raw.get("totalt", {}), dict):
        raise RefusedFile("fältet totalt ska vara ett objekt")
    try:  # the document is stored as it is: a lone surrogate in it cannot be
        json.dumps(raw, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, RecursionError):
        raise RefusedFile("filen innehåller tecken som inte kan sparas") from None
    return _checked_national(raw, forms[raw["form"]])



def _count(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100_000:
        raise RefusedFile(f"{where} ska vara ett heltal")
    return value


def _checked_national(raw: dict, form: Form) -> dict:
    """Only what the feedback uses, each value checked: nothing unchecked is ever stored."""
    year = raw.get("round")
    if isinstance(year, bool) or not isinstance(year, int):
        raise RefusedFile("fältet round ska vara ett årtal")
    totalt = raw.get("totalt") if isinstance(raw.get("totalt"), dict) else {}
    questions = {}
    for qid, q in raw["questions"].items():
        shares = {"options": {oid: {"antal": _count(v.get("antal", 0), f"{qid}.{oid}.antal"), "procent": v["procent"]}
                              for oid, v in q["options"].items()}}
        for key in ("ej_svar", "ej_tillampligt"):
            if isinstance(q.get(key), dict):
                shares[key] = {"antal": _count(q[key].get("antal", 0), f"{qid}.{key}"),
                               "procent": _count(q[key].get("procent", 0), f"{qid}.{key}")}
        questions[qid] = shares
    ranking: dict[str, dict] = {}
    ranking_question = next((q for q in form.questions if q.type == "ranking"), None)
    raw_ranking = raw.get("ranking") if isinstance(raw.get("ranking"), dict) else {}
    if ranking_question is not None and isinstance(raw_ranking.get(ranking_question.id), dict):
        for oid, entry in raw_ranking[ranking_question.id].items():
            if oid not in ranking_question.option_ids() or not isinstance(entry, dict):
                raise RefusedFile(f"ranking: okänt alternativ {str(oid)[:40]!r}")
            mean = entry.get("medelvarde")
            if mean is not None and (isinstance(mean, bool) or not isinstance(mean, int | float) or not 0 <= mean <= 99):
                raise RefusedFile(f"ranking.{oid}.medelvarde ska vara ett tal")
            ranking.setdefault(ranking_question.id, {})[oid] = {
                "medelvarde": mean, "antal_regioner": _count(entry.get("antal_regioner", 0), f"ranking.{oid}")}
    return {
        "format": FORMAT, "format_version": FORMAT_VERSION, "form": form.id, "round": year,
        "regions": [{"region": e["region"], **{k: _count(e.get(k, 0), f"regions.{k}") for k in
                                               ("kommuner_totalt", "kommuner_svarat", "svarsfrekvens")}}
                    for e in raw.get("regions", [])],
        "totalt": {k: _count(totalt.get(k, 0), f"totalt.{k}") for k in ("kommuner_totalt", "kommuner_svarat", "svarsfrekvens")},
        "questions": questions,
        "ranking": ranking,
    }


# ----------------------------------------------------------------------------- import
def import_county_bytes(store: Store, data: bytes, name: str, *, replace: bool = False, confirm=None):
    """Import one county file; returns (outcome value, message). `confirm(region, old_name)` may allow a replacement."""
    county = read_with_round_forms(lambda forms: read_county_file(data, forms, store.register), store.form_generations())
    try:
        round_ = store.round_for(county.round_year, county.form_id)
    except StoreError as error:  # the store's words for a round it does not have (Store.round_for)
        raise RefusedFile(str(error)) from None
    digest = content_hash(county)
    existing = store.county_hash(round_, county.region)
    if existing == digest:
        return "oförändrad", f"{county.region}: samma länssammanställning finns redan"
    if existing is not None and not replace:
        old_name = store.county_documents(round_)[county.region][1]
        if confirm is None or not confirm(county.region, old_name):
            return "konflikt", (f"{county.region} har redan en länssammanställning ({old_name}); inget har ändrats "
                                "(importera med --replace för att ersätta den)")
    store.save_county_document(round_, county.region, stored_county_document(county), digest, Path(name).name)
    verb = "ersatte den tidigare" if existing else "importerad"
    return "importerad", f"{county.region}: {county.kommuner_svarat} av {county.kommuner_totalt} kommuner ({verb})"


# ----------------------------------------------------------------------------- Excel
MEAN_RANK_FORMAT = "0.0"  # one decimal; Swedish Excel and LibreOffice show it with a decimal comma


def _sheet_rows(ws, rows: list[tuple], widths: dict[str, int] | None = None, bold_first: bool = True) -> None:
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            text_cell(ws.cell(r, c), value, BOLD if bold_first and r == 1 else PLAIN)
    for column, width in (widths or {}).items():
        ws.column_dimensions[column].width = width


def _a4(ws, title: str) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddHeader.center.text = title
    ws.oddFooter.center.text = "Sida &P av &N"


def _aggregate_sheet(workbook: Workbook, report: NationalReport, question, q, name: str, comparison=None) -> None:
    """A value, text or table question's sheet: its aggregate over the nation, then each region's."""
    ws = workbook.create_sheet(f"Fråga {question.number_text}")
    rows: list[tuple] = [(f"{question.label} {question.full_text}",), ("Riket",)]
    rows += aggregate_lines(q.aggregate, question) if q.aggregate is not None else [("Inga svar ännu",)]
    if not isinstance(q.aggregate, TextAggregate):  # a text names its region already
        for region, aggregate in q.region_aggregates.items():
            rows += [("",), (region,)] + aggregate_lines(aggregate, question)
    if comparison is not None:
        rows += [("",)] + _earlier_lines(question, comparison)
    _sheet_rows(ws, rows, {"A": 90, "B": 18}, bold_first=True)
    ws.cell(2, 1).font = BOLD
    for cell in ws["A"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    _a4(ws, f"{name} – fråga {question.number_text}")


def _earlier_lines(question, comparison) -> list[tuple]:
    """A value, text or table question's lines about the earlier round compared with."""
    change, year = comparison.question(question.id), comparison.earlier_year
    if not change.comparable:
        return [(not_comparable_text(year),)]
    rows: list[tuple] = [(f"{year}",)]
    if change.numbers is not None:
        n = change.numbers
        rows += [(f"Antal svar {year}", n.earlier_n),
                 (f"Medelvärde {year}", decimal_comma(float(n.earlier_mean), 2) if n.earlier_mean is not None else "–"),
                 ("Förändring av medelvärdet", signed(n.change_in_mean, 2)),
                 (f"Summa {year}", decimal_comma(float(n.earlier_sum), 2)),
                 ("Förändring av summan", signed(n.change_in_sum, 2))]
    elif change.earlier is not None:
        rows += aggregate_lines(change.earlier, question)
    return rows


def _comparison_columns(ws, q, comparison, first_column: int, skippable: bool = False) -> None:
    """A choice sheet's columns for the earlier round: its percent and count, and the change in points."""
    change, year = comparison.question(q.question_id), comparison.earlier_year
    heads = (f"Procent {year}", f"Antal kommuner {year}", "Förändring (procentenheter)")
    for offset, head in enumerate(heads):
        text_cell(ws.cell(2, first_column + offset), head, BOLD)
    shares = [change.option(o.option_id) for o in q.options] + [change.ej_svar]
    if skippable:
        shares.append(change.ej_tillampligt)
    for row, share in enumerate(shares, start=3):
        values = (("–", "–", "–") if share is None or share.earlier_procent is None
                  else (share.earlier_procent, share.earlier_antal, "–" if share.change is None else share.change))
        for offset, value in enumerate(values):
            text_cell(ws.cell(row, first_column + offset), value, PLAIN)
    if not change.comparable:
        text_cell(ws.cell(3 + len(shares) + 1, 1), not_comparable_text(year), PLAIN)


def national_xlsx_bytes(report: NationalReport, form: Form, *, region: str | None = None, exported_by: str = "",
                        comparison=None) -> bytes:
    """The national report as Excel; with `region`, "län i jämförelse med riket" for that region; with
    `comparison` (survey/national_comparison.py), each question beside the earlier round compared with."""
    workbook = Workbook()
    rates = workbook.active
    rates.title = "Svarsfrekvens"
    name = survey_name(form, report.round_year)  # "Lägesrapport 2013" in the page headers
    rows: list[tuple] = [("", *rate_headings(report.unit_key), "Svarsfrekvens")]  # a region-level form: regions
    rows += [(r.region, r.kommuner_totalt, r.kommuner_svarat, f"{r.svarsfrekvens} %") for r in report.regions]
    rows.append(("Total", report.total.kommuner_totalt, report.total.kommuner_svarat, f"{report.total.svarsfrekvens} %"))
    if comparison is not None:
        before = comparison.earlier_report.total
        rows.append((f"Total {comparison.earlier_year}", before.kommuner_totalt, before.kommuner_svarat,
                     f"{before.svarsfrekvens} %"))
    notes = rate_notes(report)
    rows += [("",)] + [(note,) for note in notes] if notes else []
    _sheet_rows(rates, rows, {"A": 18, "B": 18, "C": 22, "D": 14})
    for row in range(len(rows) - len(notes) + 1, len(rows) + 1):  # a footnote: one line over the table's width
        rates.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        rates.row_dimensions[row].height = 30
    _a4(rates, f"{name} – svarsfrekvens")

    for q in report.questions:
        question = form.question(q.question_id)
        if not question.qtype.has_options:  # numbers, dates, texts and tables: their aggregate, not a chart
            _aggregate_sheet(workbook, report, question, q, name, comparison)
            continue
        ws = workbook.create_sheet(f"Fråga {q.number}")
        header = ("Svarsalternativ", "Procent", f"Antal {units_word(report.unit_key)}") + ((f"{region} procent", f"{region} antal") if region else ())
        rows = [(f"{question.label} {question.full_text}",), header]
        for option in q.options:
            row: tuple = (option_label(question, option.option_id, option.label), option.procent, option.antal)
            if region:
                mine = q.per_region.get(region, {}).get(option.option_id)
                row += (mine.procent, mine.antal) if mine else ("–", "–")
            rows.append(row)
        # The same rows as the PDF: "Ej svar", and "Ej tillämpligt" where the question can be skipped.
        skippable = can_be_skipped(form, question.id)
        rows.append(("Ej svar", q.ej_svar.procent, q.ej_svar.antal))
        if skippable:
            rows.append(("Ej tillämpligt", q.ej_tillampligt.procent, q.ej_tillampligt.antal))
        _sheet_rows(ws, rows, {"A": 70, "B": 10, "C": 16, "D": 16, "E": 14}, bold_first=True)
        ws.cell(2, 1).font = BOLD
        earlier_column = len(header) + 1
        if comparison is not None:
            _comparison_columns(ws, q, comparison, earlier_column, skippable)
            for letter in "ABCDEFGH"[len(header):len(header) + 3]:
                ws.column_dimensions[letter].width = 18
        chart = BarChart()
        chart.type = "bar"
        chart.title = f"Fråga {q.number}, procent av de svarande {units_word(report.unit_key)}na"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 100
        last = 2 + len(q.options)
        chart.add_data(Reference(ws, min_col=2, max_col=2, min_row=2, max_row=last), titles_from_data=True)
        if region:
            chart.add_data(Reference(ws, min_col=4, max_col=4, min_row=2, max_row=last), titles_from_data=True)
        if comparison is not None and comparison.question(q.question_id).comparable:
            chart.add_data(Reference(ws, min_col=earlier_column, max_col=earlier_column, min_row=2, max_row=last),
                           titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=3, max_row=2 + len(q.options)))
        chart.height = 3 + 0.6 * len(q.options)
        chart.width = 18
        ws.add_chart(chart, f"A{len(rows) + 3}")
        _a4(ws, f"{name} – fråga {q.number}")

    if report.ranking_question:
        ranking_question = form.question(report.ranking_question)
        ws = workbook.create_sheet(f"Fråga {ranking_question.number}")
        rows = [(f"{ranking_question.label} {ranking_question.full_text}",),
                ("Alternativ", "Medelvärde", "Antal regioner som rangordnat")]
        # The mean rank as a number (one decimal, "1,8" in Swedish Excel), "–" where no region ranked.
        rows += [(option_label(ranking_question, r.option_id, r.label),
                  float(round_half_up(r.medelvarde, 1)) if r.antal_regioner else "–", r.antal_regioner)
                 for r in report.ranking]
        rows += [("",)] + [(f"Annat alternativ ({reg})", text) for reg, text in report.ranking_specify]
        _sheet_rows(ws, rows, {"A": 80, "B": 12, "C": 26})
        ws.cell(2, 1).font = BOLD
        for row in range(3, 3 + len(report.ranking)):
            ws.cell(row, 2).number_format = MEAN_RANK_FORMAT

    regions = workbook.create_sheet("Per region")
    rows = [("Fråga", "Svarsalternativ") + tuple(r.region for r in report.regions if r.has_file)]
    for q in report.questions:
        for option in q.options:
            label = option_label(form.question(q.question_id), option.option_id, option.label)
            rows.append((q.number, label) + tuple(
                q.per_region[r.region][option.option_id].procent for r in report.regions if r.has_file))
    _sheet_rows(regions, rows, {"A": 7, "B": 60})

    summaries = workbook.create_sheet("Sammanfattningar")
    rows = [("Fråga", "Region", "Sammanfattning av öppna svar och övrig reflektion")]
    rows += [(q.number, reg, text) for q in report.questions for reg, text in q.summaries]
    rows += [("Övrigt", reg, text) for reg, text in report.ovriga_synpunkter]
    _sheet_rows(summaries, rows, {"A": 8, "B": 16, "C": 100})

    about = workbook.create_sheet("Om filen")
    facts = [("Vad", "Nationell sammanställning" + (f", {region} i jämförelse med riket" if region else "")),
             ("Formulär", form.title),
             ("Omgång", report.round_year), (("Regioner som svarat" if report.unit_key == "region" else "Regioner med länssammanställning"),
              sum(r.has_file for r in report.regions)),
             ("Regioner utan", ", ".join(report.missing) or "–"), ("Exporterad", datetime.now().astimezone().isoformat(timespec="seconds")),
             ("Exporterad av", exported_by or "–"), ("Program", f"BoU Desktop {__version__}")]
    if comparison is not None:
        facts[2:2] = [("Jämförs med", f"{comparison.earlier_year} ({comparison.earlier_answered} har svarat; "
                                      f"{report.round_year}: {comparison.answered})"),
                      ("Inte jämförbara frågor", ", ".join(q.label for q in comparison.not_comparable) or "–")]
    _sheet_rows(about, facts, {"A": 34, "B": 80}, bold_first=False)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def regional_comparison(report: NationalReport, region: str) -> list[tuple[int, str, int | None, int]]:
    """(question number, option label, the region's percent or None, the nation's percent) for every option."""
    rows = []
    for q in report.questions:
        mine = q.per_region.get(region)
        for option in q.options:
            rows.append((q.number, option.label, mine[option.option_id].procent if mine else None, option.procent))
    return rows



# ----------------------------------------------------------------------------- an earlier round beside (issue 17)
PREVIOUS = "previous"  # compare with the previous round of the same survey


def comparison_round(store: Store, round_: Round, compare_with: int | str | None = PREVIOUS) -> Round | None:
    """The round to compare `round_` with: the previous round of the same survey (PREVIOUS, None when
    there is none), an earlier round's year, or None (no comparison). StoreError for a year that is no
    earlier round of the survey."""
    if compare_with is None:
        return None
    earlier = store.earlier_rounds(round_)
    if compare_with == PREVIOUS:
        return earlier[-1] if earlier else None
    found = [r for r in earlier if r.year == compare_with]
    if not found:
        known = ", ".join(str(r.year) for r in earlier) or "inga"
        raise StoreError(f"Omgången {compare_with} är ingen tidigare omgång av enkäten {round_.form_id!r} "
                         f"(tidigare omgångar: {known}).")
    return found[-1]


def national_comparison_for(store: Store, round_: Round, compare_with: int | str | None = PREVIOUS,
                            report: NationalReport | None = None):
    """The national compilation of `round_` beside that of an earlier round (see `comparison_round`), each
    built the same way (`report_for`); None when there is nothing to compare with."""
    from ..store.comparisons import kept_while_unchanged
    from ..survey.national_comparison import compare_national

    target = comparison_round(store, round_, compare_with)
    if target is None:
        return None
    between = [store.form_of(r) for r in store.earlier_rounds(round_) if (r.year, r.id) > (target.year, target.id)]
    # The earlier round's compilation is kept while its county files (and responses) are unchanged: the
    # national view is refreshed at every import into this round, which does not touch the earlier one.
    earlier = kept_while_unchanged(store, target, "national", lambda: report_for(store, target))
    return compare_national(store.form_of(round_), report if report is not None else report_for(store, round_),
                            store.form_of(target), earlier, between)


def earlier_rounds_json(comparison, unit_key: str = "kommun") -> dict:
    """A national file's `earlier_rounds`: the earlier round's figures over the nation in the shape of
    `questions` (options, ej_svar, ej_tillampligt, riket), under this round's ids, for the comparable
    questions only (docs/formats.md)."""
    questions: dict[str, Any] = {}
    for qid, change in comparison.questions.items():
        if not change.comparable:
            continue
        entry: dict[str, Any] = {"options": {o.option_id: {"antal": o.earlier_antal, "procent": o.earlier_procent}
                                             for o in change.options if o.earlier_antal is not None}}
        for key, share in (("ej_svar", change.ej_svar), ("ej_tillampligt", change.ej_tillampligt)):
            if share is not None:
                entry[key] = {"antal": share.earlier_antal, "procent": share.earlier_procent}
        if change.earlier is not None:
            entry["riket"] = change.earlier.to_json()
        questions[qid] = entry
    answered_key = "regioner_svarat" if unit_key == "region" else "kommuner_svarat"
    return {str(comparison.earlier_year): {answered_key: comparison.earlier_answered, "questions": questions}}
