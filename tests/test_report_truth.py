"""Issue 18, points 2, 5 and 6: the seed's short labels, one truth in every output (PDF, Excel, JSON row by
row), question 10's means as numbers, the help texts, Västra Götaland's footnote, and Bilaga 1's letter in full."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import docx
import pytest
from conftest import REPO, SEED
from openpyxl import load_workbook
from reportlab.graphics.shapes import String
from test_national_pdf import _text, form, report, seed  # noqa: F401 (fixtures: the seed's 2011 figures)

from bou_desktop.demo import fill_demo
from bou_desktop.exchange.county_file import county_document, county_xlsx_bytes
from bou_desktop.exchange.county_pdf import county_pdf
from bou_desktop.exchange.national_file import national_document, national_xlsx_bytes
from bou_desktop.exchange.national_pdf import comparison_chart, national_chart, national_pdf
from bou_desktop.exchange.pdf_forms import questionnaire_pdf
from bou_desktop.exchange.report_docx import county_docx, national_docx
from bou_desktop.exchange.svarsfil_xlsx import TemplateInfo, build_workbook
from bou_desktop.paths import forms_dir
from bou_desktop.survey.report import ReportTexts, template_for

SHARED_SEED = REPO.parent / "shared" / "seeds" / "001_fef8e5ef64f8a03a.txt"
VG_NOTE = ("Det finns 21 län/regioner i landet, men Västra Götaland är uppdelat i 4 kommunförbund med var sin "
           "utvecklingsledare varför det totala antalet blir 24.")
CONTACTS = ["Åsa Öberg", "E-post: asa.oberg@example.se", "Telefon: 013-12 34 56"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def norm(text: str) -> str:
    return " ".join(text.replace("*", "").split())


def seed_q3_rows(seed_text: str) -> list[tuple[str, int, int]]:
    """The seed's national table of question 3: (short label, percent, count), in its order."""
    start = seed_text.index("REDOVISADE UPPGIFTER\tProcent\tAntal kommuner\n")
    block = seed_text[start:].split("\n\n")[0].splitlines()[1:]
    return [(label, int(pct.rstrip("%")), int(antal)) for label, pct, antal in (line.split("\t") for line in block)]


def skippable(form_, question_id: str) -> bool:  # noqa: F811
    return any(question_id in form_.skipped_by(q.id, o.id) for q in form_.questions for o in q.options)


# --------------------------------------------------------------------------- short labels (point 2)

def test_question_3_carries_the_seeds_short_labels_word_for_word(form):  # noqa: F811
    rows = seed_q3_rows(SEED.read_text(encoding="utf-8"))
    assert len(rows) == 14
    assert [o.short_label for o in form.question("q3").options] == [label for label, _p, _n in rows]


def test_the_national_pdf_has_the_seeds_question_3_table_exactly(report, form):  # noqa: F811
    text = _text(national_pdf(report, form))
    rows = seed_q3_rows(SEED.read_text(encoding="utf-8"))
    table = " ".join(f"{label} {pct} % {antal}" for label, pct, antal in rows)
    assert f"Svarsalternativ Procent Antal kommuner {table} Ej svar" in text
    assert "Uppgifter om nämndens verksamhetsmål med inr…" not in text


def test_no_chart_label_is_cut(report, form):  # noqa: F811
    for question in report.questions:
        labels = {o.id: o.report_label for o in form.question(question.question_id).options}
        drawing = national_chart(question, report.total.kommuner_svarat, labels=labels)
        strings = [s.text for s in drawing.contents if isinstance(s, String)]
        assert not [s for s in strings if s.endswith("…")], question.question_id
        joined = " ".join(strings)
        for option in question.options:
            assert labels[option.option_id] in joined, option.option_id
    long = "Uppgifter om de placerade barnen/unga under ett år (t.ex. antal placerade barn/unga eller andra uppgifter)"
    drawing = comparison_chart([(long, 50, 60)], ("Länet", "Riket"))
    strings = [s.text for s in drawing.contents if isinstance(s, String)]
    assert not [s for s in strings if s.endswith("…")]
    assert long in " ".join(strings)


# --------------------------------------------------------------------------- one truth (point 5)

def _sheet_rows(ws) -> list[tuple]:
    """A question sheet's table rows under its header row, up to the first empty row."""
    rows = []
    for row in ws.iter_rows(min_row=3, values_only=True):
        if row[0] in (None, ""):
            break
        rows.append(tuple(row[:3]))
    return rows


def test_the_national_pdf_excel_and_json_show_the_same_rows(report, form):  # noqa: F811
    document = json.loads(json.dumps(national_document(report)))
    book = load_workbook(io.BytesIO(national_xlsx_bytes(report, form)))
    text = _text(national_pdf(report, form))
    for question in report.questions:
        qid = question.question_id
        form_q = form.question(qid)
        figures = document["questions"][qid]
        # From the JSON and the form: the rows every output must show, in order.
        rows = [(o.report_label, figures["options"][o.id]["procent"], figures["options"][o.id]["antal"])
                for o in form_q.options]
        rows.append(("Ej svar", figures["ej_svar"]["procent"], figures["ej_svar"]["antal"]))
        if skippable(form, qid):
            rows.append(("Ej tillämpligt", figures["ej_tillampligt"]["procent"], figures["ej_tillampligt"]["antal"]))
        else:  # nowhere shown: none in the data either
            assert figures["ej_tillampligt"]["antal"] == 0, qid
        ws = book[f"Fråga {form_q.number}"]
        assert ws.cell(1, 1).value.startswith(f"{form_q.label} "), qid
        assert _sheet_rows(ws) == rows, qid
        shown = " ".join(f"{label} {pct} % {antal}" for label, pct, antal in rows)
        assert f"Svarsalternativ Procent Antal kommuner {shown}" in text, qid
        after = text.split(shown, 1)[1][:40]
        assert not after.startswith(" Ej tillämpligt"), qid
    assert any(skippable(form, q.question_id) for q in report.questions)


def word_tables(data: bytes) -> list[tuple[list[str], list[tuple[str, ...]]]]:
    """A Word file's tables, each with the headings above it since the one before (texts of Heading
    paragraphs, in order) and its rows (cell texts, header row first)."""
    document = docx.Document(io.BytesIO(data))
    tables = {t._tbl: t for t in document.tables}
    out, headings = [], []
    for child in document.element.body.iterchildren():
        if child.tag == f"{W}p":
            style = child.find(f"{W}pPr/{W}pStyle")
            if style is not None and style.get(f"{W}val").startswith("Heading"):
                headings.append(" ".join("".join(t.text or "" for t in child.iter(f"{W}t")).split()))
        elif child.tag == f"{W}tbl":
            rows = [tuple(cell.text.strip() for cell in row.cells) for row in tables[child].rows]
            out.append((headings, rows))
            headings = []
    return out


def word_headings(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    return [" ".join(p.text.split()) for p in document.paragraphs if p.style.name.startswith("Heading")]


def _pct(value) -> str:
    return "–" if value is None else f"{value}\u00a0%"


def _question_table(tables, question) -> list[tuple[str, ...]]:
    """The rows of the table right under a question's heading ("3) …" or, for a part, "1 a) …")."""
    found = [rows for headings, rows in tables if headings and headings[-1].startswith(f"{question.label} ")]
    assert len(found) == 1, (question.id, len(found))
    return found[0]


@pytest.fixture(scope="module")
def national_word(report, form):  # noqa: F811
    template = template_for(forms_dir(), "kommunenkat")
    from bou_desktop import core

    return national_docx(report, form, template, ReportTexts(), county_form=core.forms()["lanssammanstallning"])


def test_the_national_word_report_shows_the_same_rows_as_the_json_excel_and_pdf(report, form, national_word):  # noqa: F811
    """Word beside the JSON (which the Excel and PDF are held to above): same rows, labels, figures."""
    document = json.loads(json.dumps(national_document(report)))
    tables = word_tables(national_word)
    for question in report.questions:
        qid = question.question_id
        form_q = form.question(qid)
        figures = document["questions"][qid]
        rows = [(o.report_label, _pct(figures["options"][o.id]["procent"]), str(figures["options"][o.id]["antal"]))
                for o in form_q.options]
        rows.append(("Ej svar", _pct(figures["ej_svar"]["procent"]), str(figures["ej_svar"]["antal"])))
        if skippable(form, qid):
            rows.append(("Ej tillämpligt", _pct(figures["ej_tillampligt"]["procent"]),
                         str(figures["ej_tillampligt"]["antal"])))
        table = _question_table(tables, form_q)
        assert table[0] == ("Svarsalternativ", "Procent", "Antal kommuner"), qid
        assert table[1:] == rows, qid
    # Question 10's means: the JSON's, with a decimal comma, in the form's order and short labels.
    q10 = form.question(report.ranking_question)
    ranks = document["ranking"][q10.id]
    table = _question_table(tables, q10)
    expected = []
    for option in q10.options:
        mean = ranks[option.id]["medelvarde"]
        expected.append((option.report_label, "–" if mean is None else f"{mean:.1f}".replace(".", ",")))
    assert sorted(row[:2] for row in table[1:]) == sorted(expected)
    assert any(skippable(form, q.question_id) for q in report.questions)


def test_every_question_heading_in_word_has_its_number(report, form, national_word):  # noqa: F811
    headings = word_headings(national_word)
    body = headings[:next(i for i, h in enumerate(headings) if h.startswith("Bilaga"))]
    shown = {q.question_id for q in report.questions} | {report.ranking_question}
    for question in form.questions:
        if question.id not in shown:
            continue
        if question.heading:
            assert f"{question.number}) {' '.join(question.heading.split())}" in body, question.id
        assert any(h.startswith(f"{question.label} ") for h in body), question.id
    q10 = form.question(report.ranking_question)
    assert any(h.startswith(f"{q10.number}) ") for h in body)


def test_question_10s_means_are_numbers_with_a_decimal_comma_format_and_its_heading_has_its_number(report, form):  # noqa: F811
    document = national_document(report)
    q10 = form.question(report.ranking_question)
    ws = load_workbook(io.BytesIO(national_xlsx_bytes(report, form)))[f"Fråga {q10.number}"]
    assert ws.cell(1, 1).value == f"{q10.label} {q10.full_text}" and ws.cell(1, 1).value.startswith("10) ")
    means = {}
    for row in range(3, 3 + len(q10.options)):
        label, cell = ws.cell(row, 1).value, ws.cell(row, 2)
        if cell.value != "–":
            assert isinstance(cell.value, int | float) and cell.number_format == "0.0", label  # 3.0 reads back as 3
        means[label] = cell.value
    for option in q10.options:
        expected = document["ranking"][q10.id][option.id]["medelvarde"]
        assert means[option.report_label] == (expected if expected is not None else "–"), option.id
    assert means[q10.option("basuppgifter").label] == pytest.approx(5 / 3, abs=0.05)


def test_vastra_gotalands_footnote_under_the_response_table(report, form):  # noqa: F811
    text = _text(national_pdf(report, form))
    assert f"Total 290 190 66 % Skaraborg, Fyrbodal, GR, Sjuhärad: {VG_NOTE}" in text
    rates = [row[0] for row in load_workbook(io.BytesIO(national_xlsx_bytes(report, form)))["Svarsfrekvens"]
             .iter_rows(values_only=True)]
    assert f"Skaraborg, Fyrbodal, GR, Sjuhärad: {VG_NOTE}" in rates
    assert national_document(report)["fotnoter"] == [f"Skaraborg, Fyrbodal, GR, Sjuhärad: {VG_NOTE}"]
    # The seed's own footnote, word for word (its doubled full stop aside).
    assert norm(VG_NOTE)[:-1] in norm(SEED.read_text(encoding="utf-8"))


@pytest.fixture
def county(store):
    fill_demo(store)
    round_ = store.round_for()
    return store.compile(round_, "Östergötland"), store.forms["lanssammanstallning"]


def test_the_county_pdf_excel_word_and_json_show_the_same_rows_and_the_help_text(county):
    compilation, county_form = county
    document = json.loads(json.dumps(county_document(compilation)))
    text = _text(county_pdf(compilation, county_form))
    word = county_docx(compilation, county_form)
    tables, headings = word_tables(word), word_headings(word)
    book = load_workbook(io.BytesIO(county_xlsx_bytes(compilation, county_form)))
    cells = [norm(str(c)) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
             if c is not None]
    excel = " | ".join(cells)
    for result in compilation.questions:
        form_q = county_form.question(result.question_id)
        assert any(h.startswith(f"{form_q.label} ") for h in headings), form_q.id  # "3) …" in Word too
        if form_q.type not in ("single", "multi"):
            continue
        figures = document["questions"][form_q.id]
        # The county compilation's table is Bilaga 2 filled in: the form's words, not the short labels.
        rows = [(o.label, figures["counts"].get(o.id, 0)) for o in form_q.options]
        rows.append(("Ej svar", figures["ej_svar"]))
        if skippable(county_form, form_q.id):
            rows.append(("Ej tillämpligt", figures["ej_tillampligt"]))
        else:
            assert figures["ej_tillampligt"] == 0
        answered = document["kommuner_svarat"]
        shown = " ".join(f"{norm(label)} {n} {round(100 * n / answered)} %" for label, n in rows)
        assert shown in text, form_q.id
        excel_rows = " | ".join(f"{norm(label)} | {n} | {round(100 * n / answered)} %" for label, n in rows)
        assert excel_rows in excel, form_q.id
        table = _question_table(tables, form_q)
        assert table[0] == ("Svarsalternativ", "Antal kommuner", "Procent"), form_q.id
        assert table[1:] == [(label, str(n), _pct(round(100 * n / answered))) for label, n in rows], form_q.id
    # Bilaga 2's footnote to question 3, word for word, in the PDF and the Excel file.
    seed_text = SEED.read_text(encoding="utf-8")
    start = seed_text.index("⁴ Fråga 3 bygger på")
    footnote = seed_text[start + 2:seed_text.index("4) VAD bygger uppgifterna", start)]
    help_text = county_form.question("q3").help
    assert norm(help_text.replace("- ", "")) == norm(footnote.replace("- ", ""))
    assert norm(help_text) in text and norm(help_text) in excel
    assert text.count("SOSFS 2006:11") == 1


def test_the_forms_carry_bilaga_2s_footnote_word_for_word(forms):
    seed_text = SEED.read_text(encoding="utf-8")
    start = seed_text.index("³ Fråga 3 bygger på")
    footnote = seed_text[start + 2:seed_text.index("- 4) **VAD bygger", start)]
    for form_id in ("kommunenkat", "lanssammanstallning"):
        assert norm(forms[form_id].question("q3").help.replace("- ", "")) == norm(footnote.replace("- ", ""))


# --------------------------------------------------------------------------- Bilaga 1's letter (point 6)

def letter_passages(seed_text: str) -> list[str]:
    """The four passages of Bilaga 1's letter that the printed questionnaire lacked, as the seed has them."""
    bilaga = seed_text[seed_text.index("Bilaga 1 – Kommunens enkät\n\nIntroduktionsbrev"):]
    background = bilaga[bilaga.index("\nBakgrund\n") + len("\nBakgrund\n"):bilaga.index("\nEnkät till kommunerna om")]
    line = next(x for x in bilaga.splitlines() if x.startswith("1. Fyll i enkäten elektroniskt"))
    results = re.search(r"Resultatet av enkäten presenteras.*?BoU-nätverket\.", bilaga).group(0)
    extra = re.search(r"I sammanhanget kan också tilläggas.*?särskild enkät\.", bilaga).group(0)
    return [norm(background), norm(line), norm(results), norm(extra)]


SEEDS = [pytest.param(SEED, id="in-repo copy"),
         pytest.param(SHARED_SEED, id="shared seed", marks=pytest.mark.skipif(
             not SHARED_SEED.exists(), reason="../shared/seeds is not beside this checkout"))]


@pytest.mark.parametrize("seed_path", SEEDS)
def test_the_printed_questionnaire_has_bilaga_1s_letter_in_full(forms, seed_path: Path):
    passages = letter_passages(seed_path.read_text(encoding="utf-8"))
    assert len(passages[0]) > 2000  # the whole background section
    municipal = forms["kommunenkat"]
    text = _text(questionnaire_pdf(municipal, include_intro=True, contact_lines=CONTACTS))
    text = re.sub(r" Sida \d+ av \d+ Kommunenkät", "", text)  # the page furniture where a page breaks
    for passage in passages:
        assert passage in text, passage[:60]
    # The leader's contact lines after "Frågor om enkäten", in place of SKL's contacts of 2011.
    assert ("Frågor om enkäten besvaras av utvecklingsledaren/ eller motsvarande i länet "
            "Kontaktuppgifter utvecklingsledaren: " + " ".join(CONTACTS) + " Bakgrund") in text
    assert "skl.se" not in text and "Silfverswärd" not in text
    blank = _text(questionnaire_pdf(municipal, include_intro=True))
    assert "Kontaktuppgifter utvecklingsledaren (här skriver du in namn, e-post och tfn nr) Bakgrund" in blank


@pytest.mark.parametrize("seed_path", SEEDS)
def test_the_excel_svarsfil_has_bilaga_1s_letter_in_full(forms, seed_path: Path):
    passages = letter_passages(seed_path.read_text(encoding="utf-8"))
    data = build_workbook(TemplateInfo(forms["kommunenkat"], 2011, contact_lines=tuple(CONTACTS)))
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    text = norm(" ".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c))
    for passage in passages:
        assert passage in text, passage[:60]
    assert "Kontaktuppgifter utvecklingsledaren: " + " ".join(CONTACTS) in text
    assert "skl.se" not in text


def test_the_letter_in_the_form_without_the_seed(forms):
    """An in-repo check that needs no seed: the passages are in the form's introduction."""
    intro = norm(" ".join(section.text for section in forms["kommunenkat"].intro))
    for start in ("Systematisk uppföljning av verksamheten, även kallad verksamhetsuppföljning",
                  "Resultatet av enkäten presenteras till län och kommuner runt årsskiftet 2011/12.",
                  "Spara först enkäten efter att du öppnat bilagan.",
                  "Detta görs lämpligen i en särskild enkät."):
        assert start in intro
    assert [s.heading for s in forms["kommunenkat"].intro if s.contact] == ["Frågor om enkäten"]


def kommuner(n: int) -> str:
    return f"{n} kommun" if n == 1 else f"{n} kommuner"


def test_the_county_word_file_of_every_question_type(tmp_path):
    """Every type (tests/every_type.py): a heading with its number per question (the part's heading "1)"
    above "1 a)"), "Ej svar" in every question's table, "Ej tillämpligt" exactly where a question can be skipped,
    with the JSON's counts."""
    from tests.every_type import every_type_store
    from tests.test_county_file_every_type import random_answers

    store = every_type_store(tmp_path / "lan.sqlite")
    round_ = store.round_for()
    municipal = store.form_of(round_)
    for municipality, answers in zip(store.municipalities("Östergötland")[:6], random_answers(municipal, 6, 2013),
                                     strict=True):
        store.save_answers(round_, municipality.code, answers, source="cli", status="klar")
    compilation = store.compile(round_, "Östergötland")
    county_form = store.forms[round_.county_form_id]
    store.close()
    document = county_document(compilation)
    data = county_docx(compilation, county_form)
    tables = word_tables(data)
    headings = word_headings(data)
    paragraphs = [" ".join(p.text.split()) for p in docx.Document(io.BytesIO(data)).paragraphs]
    pdf_text = _text(county_pdf(compilation, county_form))
    seen_parts = set()
    for question in county_form.questions:
        if question.heading:
            assert f"{question.number}) {question.heading}" in headings, question.id
            seen_parts.add(question.number)
        assert any(h.startswith(f"{question.label} ") for h in headings), question.id
        figures = document["questions"][question.id]
        if question.type in ("text", "longtext"):  # listed answers, with "ej svar" in their caption as in the PDF
            caption = f"Svar ({len(figures['texts'])}), ej svar: {kommuner(figures['ej_svar'])}:"
            assert figures["ej_svar"] and caption in paragraphs and caption in pdf_text, question.id
            continue
        if question.type == "table":  # "Antal rader: 9. Ej svar: 1 kommun. Ej tillämpligt: 1 kommun." as in the PDF
            sentence = (f"Antal rader: {figures['rows']}. Ej svar: {kommuner(figures['ej_svar'])}. "
                        f"Ej tillämpligt: {kommuner(figures['ej_tillampligt'])}.")
            assert figures["ej_tillampligt"] and sentence in paragraphs and sentence in pdf_text, question.id
            continue
        rows = {row[0]: row[1:] for row in _question_table(tables, question)[1:]}
        ej_svar = figures["ej_svar"] if question.type != "ranking" else None
        assert "Ej svar" in rows or question.type == "ranking", question.id
        if ej_svar is not None:
            assert str(ej_svar) in rows["Ej svar"][0], question.id
        assert ("Ej tillämpligt" in rows) == (skippable(county_form, question.id) and question.type != "ranking"), \
            question.id
    assert seen_parts
