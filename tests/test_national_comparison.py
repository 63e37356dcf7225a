"""The national compilation compared with an earlier round of the same survey (issue 17, point 3, SKL):
the core figures, the national JSON file's `earlier_rounds`, Excel, PDF and the command line, each
against an independent tally of what the municipalities answered in the two rounds."""

from __future__ import annotations

import io
import json

import pytest
from national_rounds import ANSWERED, make_county_files, skl_store, tally, whole_percent
from openpyxl import load_workbook
from two_rounds import points_words

from bou_desktop.exchange.national_file import (
    PREVIOUS,
    national_comparison_for,
    national_document,
    national_xlsx_bytes,
    report_for,
)
from bou_desktop.store import StoreError

# this round's question -> the earlier round's, as the 2013 form maps them
RENAMED = {"instrument": "q4"}
OPTIONS = {"instrument": {"verksamhetssystem": "verksamhetssystem", "bbic_ny": "bbic"}, "q1": {"ja": "ja", "nej": "nej"},
           "q5": {"ja": "ja"}}


@pytest.fixture(scope="module")
def county_files(tmp_path_factory):
    return make_county_files(tmp_path_factory.mktemp("lan_rounds"))


@pytest.fixture
def skl(tmp_path, county_files):
    store = skl_store(tmp_path / "skl.sqlite", tmp_path, county_files)
    yield store
    store.close()


def expected_share(question: str, option: str) -> tuple[int, int, int, int, int]:
    """(count 2013, percent 2013, count 2011, percent 2011, change in points) from the tally."""
    now, before = tally(2013, question), tally(2011, RENAMED.get(question, question))
    earlier_option = OPTIONS.get(question, {}).get(option, option)
    p_now = whole_percent(now.get(option, 0), now["answered"])
    p_before = whole_percent(before.get(earlier_option, 0), before["answered"])
    return now.get(option, 0), p_now, before.get(earlier_option, 0), p_before, p_now - p_before


def test_the_previous_round_is_compared_and_renames_are_followed(skl):
    round_ = skl.round_for(2013)
    comparison = national_comparison_for(skl, round_)
    assert (comparison.year, comparison.earlier_year) == (2013, 2011)
    assert comparison.answered == sum(ANSWERED[2013].values()) == 19
    assert comparison.earlier_answered == sum(ANSWERED[2011].values()) == 12
    for qid, options in OPTIONS.items():
        change = comparison.question(qid)
        assert change.comparable and change.earlier_question_id == RENAMED.get(qid, qid)
        for option in options:
            share = change.option(option)
            got = (share.antal, share.procent, share.earlier_antal, share.earlier_procent, share.change)
            assert got == expected_share(qid, option), (qid, option)
    instrument, before = tally(2013, "instrument"), tally(2011, "q4")
    change = comparison.question("instrument")
    assert (change.ej_svar.antal, change.ej_svar.earlier_antal) == (instrument["ej_svar"], before["ej_svar"])
    assert (change.ej_tillampligt.antal, change.ej_tillampligt.earlier_antal) == (
        instrument["ej_tillampligt"], before["ej_tillampligt"])
    # an option of 2011 that 2013 has no counterpart for does not show; 2013's options all have one
    assert change.option("adad").earlier_antal == 0
    assert not comparison.question("q11").comparable
    assert [q.id for q in comparison.not_comparable] == ["q11"]


def test_the_round_compared_with_can_be_chosen_or_none(skl):
    round_ = skl.round_for(2013)
    assert national_comparison_for(skl, round_, 2011).earlier_year == 2011
    assert national_comparison_for(skl, round_, None) is None
    assert national_comparison_for(skl, skl.round_for(2011), PREVIOUS) is None  # the first round: nothing to compare
    with pytest.raises(StoreError, match="Omgången 2012 är ingen tidigare omgång.*2011"):
        national_comparison_for(skl, round_, 2012)


def test_the_json_file_carries_the_earlier_round_in_the_shape_of_questions(skl):
    round_ = skl.round_for(2013)
    report = report_for(skl, round_)
    document = national_document(report, comparison=national_comparison_for(skl, round_, report=report))
    json.dumps(document)
    earlier = document["earlier_rounds"]
    assert list(earlier) == ["2011"] and earlier["2011"]["kommuner_svarat"] == 12
    questions = earlier["2011"]["questions"]
    assert "q11" not in questions and "q4" not in questions  # 2013's ids only; q11 has no counterpart
    for qid, options in OPTIONS.items():
        for option in options:
            _n, _p, antal, procent, _change = expected_share(qid, option)
            assert questions[qid]["options"][option] == {"antal": antal, "procent": procent}
    before = tally(2011, "q4")
    assert questions["instrument"]["ej_svar"] == {"antal": before["ej_svar"],
                                                  "procent": whole_percent(before["ej_svar"], 12)}
    assert questions["instrument"]["riket"]["counts"]["bbic_ny"] == before["bbic"]
    assert set(questions["instrument"]) >= {"options", "ej_svar", "ej_tillampligt", "riket"}
    assert "earlier_rounds" not in national_document(report)  # without a comparison, as before


def test_excel_has_the_earlier_round_and_the_change_beside_each_question(skl):
    round_ = skl.round_for(2013)
    report = report_for(skl, round_)
    comparison = national_comparison_for(skl, round_, report=report)
    book = load_workbook(io.BytesIO(national_xlsx_bytes(report, skl.form_of(round_), comparison=comparison)))
    form = skl.form_of(round_)
    for qid, options in OPTIONS.items():
        ws = book[f"Fråga {form.question(qid).number}"]
        assert [ws.cell(2, c).value for c in range(1, 7)] == [
            "Svarsalternativ", "Procent", "Antal kommuner", "Procent 2011", "Antal kommuner 2011",
            "Förändring (procentenheter)"]
        rows = {ws.cell(r, 1).value: [ws.cell(r, c).value for c in range(2, 7)] for r in range(3, ws.max_row + 1)}
        for option in options:
            label = form.question(qid).option(option).label
            n, p, antal, procent, change = expected_share(qid, option)
            assert rows[label] == [p, n, procent, antal, change], (qid, option)
        assert len(ws._charts[0].series) == 2  # both rounds in the chart
    q11 = book["Fråga 11"]
    texts = [q11.cell(r, 1).value for r in range(1, q11.max_row + 1)]
    assert "Inte jämförbar med 2011: frågan saknas i den omgången." in texts
    assert q11.cell(3, 4).value == "–" and len(q11._charts[0].series) == 1
    rates = [tuple(c.value for c in row) for row in book["Svarsfrekvens"].iter_rows()]
    assert rates[-4][0] == "Total" and rates[-4][2] == 19
    assert rates[-3][:3] == ("Total 2011", 290, 12)
    facts = dict(tuple(c.value for c in row) for row in book["Om filen"].iter_rows())
    assert facts["Jämförs med"] == "2011 (12 har svarat; 2013: 19)"
    assert facts["Inte jämförbara frågor"] == "11)"


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def test_the_pdf_shows_both_rounds_and_the_change_per_option(skl):
    from bou_desktop.exchange.national_pdf import national_pdf

    round_ = skl.round_for(2013)
    report = report_for(skl, round_)
    comparison = national_comparison_for(skl, round_, report=report)
    form = skl.form_of(round_)
    text = pdf_text(national_pdf(report, form, comparison=comparison))
    assert "Jämförs med 2011: då hade 12 kommuner svarat, 2013 19." in text
    assert "Inte jämförbara frågor: 11)." in text
    assert "Inte jämförbar med 2011: frågan saknas i den omgången." in text
    for qid, options in OPTIONS.items():
        for option in options:
            label = " ".join(form.question(qid).option(option).label.split())
            n, p, _antal, procent, change = expected_share(qid, option)
            # the county PDF's words for a change: "+5 procentenheter", "±0 procentenheter"
            assert f"{label} {p} % {n} {procent} % {points_words(change)}" in text, (qid, option)
    assert "Procent 2013" in text and "Procent 2011" in text and "Förändring" in text
    plain = pdf_text(national_pdf(report, form))  # without a comparison, as before
    assert "Procent 2011" not in plain and "Jämförs med" not in plain


def test_the_command_line_compares_with_the_previous_round_unless_told_otherwise(skl, tmp_path, capsys):
    from bou_desktop.cli import main

    database = skl.path
    out = tmp_path / "riket.json"
    assert main(["--db", str(database), "export", "national", "--json", str(out)]) == 0
    assert "Jämfört med 2011; inte jämförbara frågor: 11)" in capsys.readouterr().out
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["round"] == 2013 and list(document["earlier_rounds"]) == ["2011"]
    before = tally(2011, "q4")
    assert document["earlier_rounds"]["2011"]["questions"]["instrument"]["options"]["bbic_ny"]["antal"] == before["bbic"]
    assert main(["--db", str(database), "export", "national", "--json", str(out), "--overwrite", "--no-compare"]) == 0
    assert "earlier_rounds" not in json.loads(out.read_text(encoding="utf-8"))
    assert main(["--db", str(database), "export", "national", "--json", str(out), "--overwrite", "--compare", "2011"]) == 0
    assert "2011" in json.loads(out.read_text(encoding="utf-8"))["earlier_rounds"]
    assert main(["--db", str(database), "export", "national", "--json", str(out), "--overwrite", "--compare", "2012"]) != 0
    assert "Omgången 2012 är ingen tidigare omgång" in capsys.readouterr().err
    assert main(["--db", str(database), "--round", "2011", "export", "national", "--json", str(out), "--overwrite"]) == 0
    assert "earlier_rounds" not in json.loads(out.read_text(encoding="utf-8"))  # the first round: nothing to compare


def test_a_number_question_compares_its_mean_and_sum_through_a_rename():
    """Numbers: the change in mean and in sum of the values the regions' municipalities gave, each round."""
    from decimal import Decimal

    from bou_desktop.survey.aggregates import NumberAggregate
    from bou_desktop.survey.changes import signed
    from bou_desktop.survey.forms import parse_form
    from bou_desktop.survey.national import CountyNumbers, national_report
    from bou_desktop.survey.national_comparison import compare_national

    def form(year, qid, same_as=None):
        question = {"id": qid, "number": 1, "type": "integer", "text": "Hur många placerade barn?"}
        extra = {"id": "ny", "number": 2, "type": "integer", "text": "Hur många nya?"}
        return parse_form({"id": "uppfoljning", "version": str(year), "kind": "kommun", "title": "Uppföljning",
                           "questions": [question | ({"same_as": same_as} if same_as else {})]
                           + ([extra] if year == 2013 else [])})

    values = {2011: {"Uppsala": [4, 6, 11], "Kalmar": [2]}, 2013: {"Uppsala": [5, 7], "Kalmar": [3, 3, 9]}}
    qid = {2011: "placerade", 2013: "antal_placerade"}
    forms = {2011: form(2011, "placerade"), 2013: form(2013, "antal_placerade", same_as="placerade")}
    reports = {}
    for year in (2011, 2013):
        files = {region: CountyNumbers(region, 10, len(given), {}, {}, {}, {}, {}, aggregates={
            qid[year]: NumberAggregate.of([Decimal(v) for v in given])}) for region, given in values[year].items()}
        reports[year] = national_report(forms[year], year, [("Uppsala", 8), ("Kalmar", 12)], files)
    comparison = compare_national(forms[2013], reports[2013], forms[2011], reports[2011])
    numbers = comparison.question("antal_placerade").numbers
    now = [v for given in values[2013].values() for v in given]
    before = [v for given in values[2011].values() for v in given]
    assert (numbers.n, numbers.sum, numbers.earlier_n, numbers.earlier_sum) == (len(now), sum(now), len(before),
                                                                                sum(before))
    assert numbers.change_in_sum == sum(now) - sum(before) == 4
    assert numbers.change_in_mean == Decimal(sum(now)) / len(now) - Decimal(sum(before)) / len(before)
    assert signed(numbers.change_in_mean, 2) == "−0,35"  # 27/5 − 23/4 = 5,40 − 5,75
    assert signed(numbers.change_in_sum, 2) == "+4"
    assert [q.id for q in comparison.not_comparable] == ["ny"]
    document = national_document(reports[2013], comparison=comparison)
    riket = document["earlier_rounds"]["2011"]["questions"]["antal_placerade"]["riket"]
    assert (riket["n"], riket["sum"], riket["mean"]) == (4, 23, 5.75)
    assert document["earlier_rounds"]["2011"]["kommuner_svarat"] == 4


def test_the_earlier_round_is_compiled_once_while_its_county_files_are_unchanged(skl, monkeypatch):
    """The national view refreshes at every import into this round: the earlier round's compilation is
    kept, and made again only when a county file of that round is replaced or removed."""
    import bou_desktop.exchange.national_file as national_file

    compiled: list[int] = []
    real = national_file.report_for
    monkeypatch.setattr(national_file, "report_for", lambda store, round_: compiled.append(round_.year)
                        or real(store, round_))
    this, earlier = skl.round_for(2013), skl.round_for(2011)
    first = national_comparison_for(skl, this)
    second = national_comparison_for(skl, this)
    assert compiled.count(2011) == 1 and compiled.count(2013) == 2
    assert second.earlier_answered == first.earlier_answered == sum(ANSWERED[2011].values())

    skl.remove_county_document(earlier, "Gotland", reason="test")
    third = national_comparison_for(skl, this)
    assert compiled.count(2011) == 2
    assert third.earlier_answered == sum(n for region, n in ANSWERED[2011].items() if region != "Gotland")
    national_comparison_for(skl, this)
    assert compiled.count(2011) == 2


def test_a_county_files_own_earlier_round_is_not_what_skl_compares_with(skl):
    """SKL compares with the county files it stored for the earlier round, never with a region's own
    `earlier_rounds` (docs/formats.md says why); what is stored of a county file does not keep them."""
    from bou_desktop.exchange.national_file import import_county_bytes

    this = skl.round_for(2013)
    document, _name, _at = skl.county_documents(this)["Uppsala"]
    claimed = {"2011": {"kommuner_svarat": 1, "questions": {"q1": {"counts": {"ja": 1, "nej": 0}, "ej_svar": 0,
                                                                  "ej_tillampligt": 0}}}}
    changed = document | {"earlier_rounds": claimed, "utvecklingsledare": "Ny ledare"}
    outcome, message = import_county_bytes(skl, json.dumps(changed).encode("utf-8"), "uppsala.json", replace=True)
    assert outcome == "importerad", message
    stored, _name, _at = skl.county_documents(this)["Uppsala"]
    assert stored["utvecklingsledare"] == "Ny ledare" and "earlier_rounds" not in stored
    comparison = national_comparison_for(skl, this)
    before = tally(2011, "q1")
    assert comparison.earlier_answered == before["answered"] == sum(ANSWERED[2011].values())
    assert comparison.question("q1").option("ja").earlier_antal == before["ja"]


def test_a_round_without_county_files_yet_shows_no_change_in_excel(tmp_path, county_files):
    """SKL's first day of 2013: no county file yet; beside 2011 every change is "–", not −100."""
    from national_rounds import write_forms_2013

    from bou_desktop import core
    from bou_desktop.exchange.national_file import import_county_bytes

    form_2013, county_2013 = write_forms_2013(tmp_path / "forms")
    store = core.open_store(tmp_path / "skl.sqlite")
    store.add_round(2013, form_2013, county_2013)
    for file in county_files[2011]:
        assert import_county_bytes(store, file.read_bytes(), file.name)[0] == "importerad"
    round_ = store.round_for(2013)
    report = report_for(store, round_)
    comparison = national_comparison_for(store, round_, report=report)
    sheet = load_workbook(io.BytesIO(national_xlsx_bytes(report, store.form_of(round_), comparison=comparison)))[
        f"Fråga {store.form_of(round_).question('q1').number}"]
    changes = [sheet.cell(r, 6).value for r in range(3, sheet.max_row + 1) if sheet.cell(r, 4).value not in (None, "–")]
    assert changes and set(changes) == {"–"}
    store.close()


def test_the_word_report_carries_the_comparison_as_the_pdf_report_does(skl):
    import docx
    from test_compare_county import EARLIER_HEX, THIS_HEX, colour_pixels, word_charts
    from test_report_truth import word_tables

    from bou_desktop.exchange.report_docx import national_docx_for
    from bou_desktop.exchange.report_pdf import report_pdf_for

    round_ = skl.round_for(2013)
    report = report_for(skl, round_)
    comparison = national_comparison_for(skl, round_, report=report)
    form = skl.form_of(round_)
    data = national_docx_for(skl, round_, report=report, comparison=comparison)
    pdf = pdf_text(report_pdf_for(skl, round_, report=report, comparison=comparison)).replace("\u00a0", " ")
    paragraphs = " ".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    answered_2013, answered_2011 = sum(ANSWERED[2013].values()), sum(ANSWERED[2011].values())
    sentence = f"Jämförs med 2011: då hade {answered_2011} kommuner svarat, 2013 {answered_2013}."
    assert sentence in paragraphs and sentence in pdf  # the respondents of both rounds
    assert "Inte jämförbar med 2011: frågan saknas i den omgången." in paragraphs
    tables, charts = word_tables(data), word_charts(data)
    for qid, options in OPTIONS.items():
        question = form.question(qid)
        table = next(rows for headings, rows in tables if headings and headings[-1].startswith(f"{question.label} "))
        assert table[0] == ("Svarsalternativ", "Procent 2013", "Antal kommuner", "Procent 2011", "Förändring"), qid
        figures = []
        for option in options:
            label = question.option(option).report_label
            n, p, antal, procent, change = expected_share(qid, option)  # from the tally
            row = (label, f"{p}\u00a0%", str(n), f"{procent}\u00a0%", points_words(change))
            assert row in table, (qid, option)
            assert " ".join(" ".join(row).replace("\u00a0", " ").split()) in pdf, (qid, option)  # same row in the PDF
            figures.append(f"{label}: 2013 {p}\u00a0% ({n}), 2011 {procent}\u00a0% ({antal})")
        found = [(d, i) for d, i in charts if "två omgångar" in d and all(f in d for f in figures)]
        assert len(found) == 1, qid  # the alternative text states both rounds' figures
        assert colour_pixels(found[0][1], EARLIER_HEX) > 0 and colour_pixels(found[0][1], THIS_HEX) > 0
    # the command line's Word report compares as its PDF report does, unless told not to
    from bou_desktop.cli import main

    word_file = skl.path.with_name("rapport.docx")
    assert main(["--db", str(skl.path), "export", "national", "--docx", str(word_file)]) == 0
    assert sentence in " ".join(p.text for p in docx.Document(str(word_file)).paragraphs)
    assert main(["--db", str(skl.path), "export", "national", "--docx", str(word_file), "--overwrite", "--no-compare"]) == 0
    assert "Jämförs med" not in " ".join(p.text for p in docx.Document(str(word_file)).paragraphs)
    # without a comparison, as before: one round
    plain = national_docx_for(skl, round_, report=report)
    assert "Jämförs med" not in " ".join(p.text for p in docx.Document(io.BytesIO(plain)).paragraphs)
    assert all("två omgångar" not in d and colour_pixels(i, EARLIER_HEX) == 0 for d, i in word_charts(plain))
