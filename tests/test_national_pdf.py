"""The national report as PDF (Enkätredovisning), a region compared with the nation, and the feedback
to a municipality: content from the seed's 2011 figures, escaping, charts and a look at the pages."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.graphics.shapes import Rect, String
from test_national import SEED_Q3, seed_rates, spread

from bou_desktop import core
from bou_desktop.demo import _SHARES, _SINGLE, fill_demo
from bou_desktop.exchange.county_pdf import BAR_COLOR
from bou_desktop.exchange.national_file import national_document
from bou_desktop.exchange.national_pdf import (
    NATION_COLOR,
    PAIR_BAR,
    REGION_COLOR,
    comparison_chart,
    feedback_pdf,
    feedback_pdfs_for_region,
    national_chart,
    national_pdf,
    region_vs_nation_pdf,
)
from bou_desktop.survey.answers import Answers
from bou_desktop.survey.compilation import decimal_comma
from bou_desktop.survey.national import CountyNumbers, national_report

SUMMARY = 'Budget <b>dominerar</b> & "resultat" saknas'
SPECIFY = "Kunskapsläget när det gäller barn & unga"
OVRIGA = "Svårt att prioritera – <i>alla</i> områden är viktiga."
RANKINGS = {  # three regions ranked question 10, as about half the leaders did
    "Uppsala": {"basuppgifter": 1, "resultat_familjehem": 2, "annat": 7},
    "Kalmar": {"basuppgifter": 2, "resultat_familjehem": 4},
    "Gotland": {"basuppgifter": 2},
}
REGION = "Östergötland"


def _norm(text: str) -> str:
    return " ".join(text.split())  # also folds the non-breaking space of "78 %"


def _reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def _text(pdf: bytes) -> str:
    return _norm("\n".join(page.extract_text() for page in _reader(pdf).pages))


def _rects(pdf: bytes, color) -> int:
    """Rectangles filled with `color`, over all pages."""
    wanted = tuple(round(v, 3) for v in color.rgb())
    count = 0
    reader = _reader(pdf)
    for page in reader.pages:
        fill: tuple = ()
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"rg":
                fill = tuple(round(float(v), 3) for v in operands)
            elif operator == b"re" and fill == wanted:
                count += 1
    return count


def _pngs(pdf: bytes, name: str, screenshot_dir, tmp_path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) saknas")
    for old in screenshot_dir.glob(f"{name}-*.png"):
        old.unlink()
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(source), str(screenshot_dir / name)], check=True, timeout=120)
    pngs = sorted(screenshot_dir.glob(f"{name}-*.png"), key=lambda p: int(re.findall(r"\d+", p.stem)[-1]))
    assert len(pngs) == len(_reader(pdf).pages)
    assert pngs[0].name == f"{name}-1.png"


# --------------------------------------------------------------------------- the report of 2011

@pytest.fixture(scope="module")
def seed(request):
    text = (request.config.rootpath / "tests" / "data" / "seed_001.txt").read_text(encoding="utf-8")
    return seed_rates(text)  # the 24 regions and the Total row


@pytest.fixture(scope="module")
def form():
    return core.forms()["kommunenkat"]


@pytest.fixture(scope="module")
def report(seed, form):
    """The national report as the seed's county files give it: response rates and question 3 exactly."""
    answering = [(name, total, answered) for name, total, answered, _pct in seed[:-1] if answered]
    q3 = {option: spread(antal, [a for _n, _t, a in answering]) for option, (_pct, antal) in SEED_Q3.items()}
    files = {}
    for index, (name, total, answered) in enumerate(answering):
        nej = answered // 6
        counts = {"q1": {"ja": answered - nej, "nej": nej}, "q3": {o: n[index] for o, n in q3.items()}}
        for qid, shares in _SHARES.items():  # the other questions: about the report's shares
            if qid != "q3":
                base = answered - nej if qid in ("q2", "q4") else answered
                counts[qid] = {o: base * pct // 100 for o, pct in shares.items()}
        for qid, shares in _SINGLE.items():
            counts[qid] = {o: answered * pct // 100 for o, pct in shares.items()}
        files[name] = CountyNumbers(
            name, total, answered, counts,
            ej_svar={qid: answered - sum(c.values()) for qid, c in counts.items() if qid in _SINGLE},
            ej_tillampligt={"q2": nej, "q3": nej, "q4": nej},
            summaries={"q3": SUMMARY} if name == "Uppsala" else {"q1": f"Sammanfattning från {name}."}
            if name in ("Östergötland", "Skåne", "Gotland") else {},
            rankings={"q10": RANKINGS.get(name, {})},
            specify={"q10": SPECIFY} if name == "Uppsala" else {},
            ovriga_synpunkter=OVRIGA if name == "Kalmar" else "",
        )
    return national_report(form, 2011, [(name, total) for name, total, _a, _p in seed[:-1]], files)


def test_the_national_pdf_is_the_enkatredovisning(report, form, seed):
    pdf = national_pdf(report, form, exported_by="Britt Svensson", exported_at="2012-02-01 09:00")
    assert pdf.startswith(b"%PDF")
    reader = _reader(pdf)
    assert reader.metadata.title == "Kartläggning 2011 – nationell sammanställning"
    text = _text(pdf)
    assert "Kartläggning om systematisk uppföljning av barn och unga i samhällsvård" in text

    # Every page: header, footer and "Sida N av M".
    pages = len(reader.pages)
    assert text.count("Kartläggning 2011 – nationell sammanställning") == pages
    assert text.count("Exporterad 2012-02-01 09:00 av Britt Svensson") == pages
    assert f"Sida 1 av {pages}" in text and f"Sida {pages} av {pages}" in text

    # The response-rate table: every region in report order, those without a file marked.
    assert ("Län/region Antal kommuner i länet/regionen Antal kommuner i länet/regionen som besvarat enkäten "
            "Svarsfrekvens") in text
    rows = []
    for name, total, answered, pct in seed[:-1]:
        rows.append(f"{name} {total} {answered} {pct} %" if answered else f"{name} (saknas) {total} 0 0 %")
    table = " ".join([*rows, "Total 290 190 66 %"])
    assert table in text  # in the seed's order, the total last
    assert "Östergötland 13 6 46 %" in text
    assert "21 län/regioner ingår med underlag från 190 kommuner (66 %)." in text  # the seed says 20; 24 − 3 = 21
    assert "Underlag saknas från Stockholm, GR, Sjuhärad." in text

    # Questions 1–9: "N) text (hint)", a table Svarsalternativ | Procent | Antal kommuner, Ej svar.
    for question in report.questions:
        q = form.question(question.question_id)
        assert _norm(f"{q.number}) {q.text} {q.hint}") in text, q.id
    assert text.count("Svarsalternativ Procent Antal kommuner") == 9
    for option in form.question("q3").options:  # the seed's short labels (issue 18)
        pct, antal = SEED_Q3[option.id]
        assert _norm(f"{option.report_label} {pct} % {antal}") in text, option.id
    assert "Budget för vårdkostnader 78 % 149" in text
    for question in report.questions:
        assert f"Ej svar {question.ej_svar.procent} % {question.ej_svar.antal}" in text, question.question_id
    assert "Ej svar 0 % 0" in text and report.question("q7").ej_svar.antal > 0
    nej = sum(a // 6 for _n, _t, a, _p in seed[:-1])
    assert _norm(f"Ej tillämpligt {round(100 * nej / 190)} % {nej}") in text

    # The regions' summaries, exactly as typed.
    assert text.count("Regionernas sammanfattningar av öppna svar") == 9
    assert f"Uppsala: {SUMMARY}" in text
    assert "Östergötland: Sammanfattning från Östergötland." in text

    # Question 10: means with a decimal comma, in the order of the means, unranked last with a dash.
    assert "Alternativ Medelvärde Antal regioner" in text
    q10 = form.question("q10")
    expected = [f"{q10.option('basuppgifter').label} 1,7 3", f"{q10.option('resultat_familjehem').label} 3,0 2",
                f"{q10.option('annat').label} 7,0 1"]
    assert _norm(" ".join(expected)) in text
    for option_id in ("resultat_hvb", "brukarmedverkan", "personalens_erfarenheter", "individuell_uppfoljning"):
        assert _norm(f"{q10.option(option_id).label} – 0") in text
    assert decimal_comma(5 / 3) == "1,7"
    assert f"Annat alternativ, ange: • Uppsala: {SPECIFY}" in text
    assert f"Övriga synpunkter • Kalmar: {OVRIGA}" in text


def test_the_national_pdf_has_a_chart_per_question(report, form):
    pdf = national_pdf(report, form)
    options = sum(len(q.options) for q in report.questions)
    assert _rects(pdf, BAR_COLOR) == options  # one bar per option of questions 1–9, nothing else in that colour
    assert _text(pdf).count("Procent av de 190 kommuner som besvarat enkäten") == 9
    q3 = report.question("q3")
    drawing = national_chart(q3, report.total.kommuner_svarat)
    bars = [s for s in drawing.contents if isinstance(s, Rect) and s.fillColor == BAR_COLOR]
    assert len(bars) == len(q3.options)
    budget = next(bar for bar, o in zip(bars, q3.options, strict=True) if o.option_id == "budget")
    verksamhetsmal = bars[0]
    assert budget.width / verksamhetsmal.width == pytest.approx(149 / 102)
    assert "78\u00a0%" in [s.text for s in drawing.contents if isinstance(s, String)]


def test_no_county_file_at_all(form, seed):
    report = national_report(form, 2011, [(name, total) for name, total, _a, _p in seed[:-1]], {})
    text = _text(national_pdf(report, form))
    assert "Total 290 0 0 %" in text and "Stockholm (saknas) 26 0 0 %" in text
    assert "0 län/regioner ingår med underlag från 0 kommuner (0 %)." in text
    assert "Exporterad" not in text


# --------------------------------------------------------------------------- a region compared with the nation

def test_a_region_compared_with_the_nation(report, form):
    pdf = region_vs_nation_pdf(report, form, REGION)
    text = _text(pdf)
    pages = len(_reader(pdf).pages)
    assert f"{REGION} i jämförelse med riket" in text
    assert text.count(f"Kartläggning 2011 – {REGION} i jämförelse med riket") == pages
    assert f"{REGION} 13 6 46 % Riket 290 190 66 %" in text
    assert text.count(f"Svarsalternativ {REGION} (%) Riket (%)") == 9
    for question in report.questions:
        mine = question.per_region[REGION]
        for option in question.options:
            label = form.question(question.question_id).option(option.option_id).report_label
            assert _norm(f"{label} {mine[option.option_id].procent} % {option.procent} %") in text, option
    # The grouped charts: two bars per option and a legend entry per series.
    options = sum(len(q.options) for q in report.questions)
    assert _rects(pdf, REGION_COLOR) == options + 9
    assert _rects(pdf, NATION_COLOR) == options + 9
    assert text.count(f"{REGION} Riket Procent av de kommuner som besvarat enkäten (6 i {REGION}, 190 i riket)") == 9

    # A region without a county file: dashes, never zeros taken for answers.
    text = _text(region_vs_nation_pdf(report, form, "GR"))
    assert "Länssammanställning saknas för GR; regionens värden visas som –." in text
    assert "GR (saknas) 11 0 0 % Riket 290 190 66 %" in text
    assert "Budget för vårdkostnader – 78 %" in text
    assert text.count("Procent av de 190 kommuner i riket som besvarat enkäten; GR saknas") == 9
    with pytest.raises(ValueError):
        region_vs_nation_pdf(report, form, "Atlantis")


def test_the_comparison_chart_has_two_bars_per_option():
    rows = [("Ja", 50, 83), ("Nej", 0, 15), ("Vet ej", None, 2)]
    drawing = comparison_chart(rows, ("Länet", "Riket"))
    bars = [s for s in drawing.contents if isinstance(s, Rect) and s.height == PAIR_BAR]
    assert [(bar.fillColor, bar.width > 0) for bar in bars] == [
        (REGION_COLOR, True), (NATION_COLOR, True), (REGION_COLOR, False), (NATION_COLOR, True),
        (REGION_COLOR, False), (NATION_COLOR, True)]
    assert bars[1].width / bars[0].width == pytest.approx(83 / 50)
    assert [bar.y for bar in bars] == sorted((bar.y for bar in bars), reverse=True)  # in order, top to bottom
    legend = [s for s in drawing.contents if isinstance(s, Rect) and s.height != PAIR_BAR]
    assert [s.fillColor for s in legend] == [REGION_COLOR, NATION_COLOR]
    strings = [s.text for s in drawing.contents if isinstance(s, String)]
    assert {"Ja", "Nej", "Vet ej", "Länet", "Riket", "50\u00a0%", "83\u00a0%", "–"} <= set(strings)


# --------------------------------------------------------------------------- feedback to a municipality

@pytest.fixture
def demo(store):
    """The demo round, with two of the region's municipalities answering as the test needs."""
    fill_demo(store)
    round_ = store.round_for()
    finished = sorted(r.kommun for r in store.responses(round_, REGION, with_fields=False) if r.status == "klar")
    yes, no = finished[:2]
    store.save_answers(round_, yes, Answers(
        choices={"q1": ["ja"], "q2": ["politiker", "annan"], "q3": ["budget", "verksamhetsmal"], "q5": ["ja"]},
        ranks={"q10": {"basuppgifter": 1, "resultat_hvb": 2}},
        specify={("q2", "annan"): "Nätverket <b>& SCB</b>"}, comments={"q5": "Bytt system\x07 i år"},
    ), source="cli", status="klar")
    store.save_answers(round_, no, Answers(choices={"q1": ["nej"], "q5": ["nej"]}), source="cli", status="klar")
    return store, round_, yes, no


def test_feedback_shows_the_municipalitys_answers_beside_the_county_and_the_nation(demo, report, form):
    store, round_, yes, no = demo
    national = national_document(report)
    pdfs = feedback_pdfs_for_region(store, round_, REGION, national)
    finished = {r.kommun for r in store.responses(round_, REGION, with_fields=False) if r.status == "klar"}
    assert set(pdfs) == finished and len(finished) == 6
    county = store.compile(round_, REGION)
    text = _text(pdfs[yes])
    name = store.register.municipality(yes).name
    assert "Er kommun i jämförelse med länet och riket" in text
    assert f"{name} ({yes}), {REGION} – kartläggning 2011" in text
    assert "Resultaten sammanställs på länsnivå respektive riksnivå och återkopplas till kommunen." in text
    assert f"{REGION}: 6 av 13 kommuner har besvarat enkäten (46 %)." in text
    assert "Riket: 190 av 290 kommuner (66 %)." in text
    assert text.count("Svarsalternativ Ert svar Länet (%) Riket (%)") == 9

    def row(qid, oid, tick):
        label = form.question(qid).option(oid).label
        mine = next(o.percent for o in county.question(qid).options if o.option_id == oid)
        return _norm(f"{label} {tick} {mine} % {national['questions'][qid]['options'][oid]['procent']} %")

    assert row("q3", "budget", "☒") in text
    assert "Uppgifter om budget för vårdkostnader. ☒" in text and "78 %" in row("q3", "budget", "☒")
    assert row("q3", "verksamhetsmal", "☒") in text
    assert row("q3", "laguppfyllelse", "☐") in text
    assert row("q1", "ja", "☒") in text and row("q1", "nej", "☐") in text
    assert "Ej tillämpligt" in text  # the rows of questions 2–4, not ticked here
    assert "Ej tillämpligt – frågan hoppades över" not in text
    assert f"Ej svar ☒ {county.question('q4').ej_svar_percent} %" in text  # question 4 left blank
    # Own words printed literally; control characters dropped.
    assert "Annan, ange: Nätverket <b>& SCB</b>" in text
    assert "Er kommentar: Bytt system i år" in text
    # Question 10: the municipality's ranks beside the nation's means.
    q10 = form.question("q10")
    assert "Alternativ Er rangordning Riket (medelvärde)" in text
    assert _norm(f"{q10.option('basuppgifter').label} 1 1,7") in text
    assert _norm(f"{q10.option('resultat_hvb').label} 2 –") in text
    assert _norm(f"{q10.option('resultat_familjehem').label} – 3,0") in text

    # The charts: the county and the nation, two bars per option of questions 1–9, the ticks marked.
    pdf = pdfs[yes]
    options = sum(len(q.options) for q in form.questions if q.type != "ranking")
    assert _rects(pdf, REGION_COLOR) == options + 9 and _rects(pdf, NATION_COLOR) == options + 9
    assert text.count(f"Länet ({REGION}) Riket") == 9

    # Skipped questions: Ej tillämpligt.
    text = _text(pdfs[no])
    assert text.count("Ert svar: Ej tillämpligt – frågan hoppades över efter ert svar på fråga 1.") == 3
    nej = national["questions"]["q2"]["ej_tillampligt"]["procent"]
    assert _norm(f"Ej tillämpligt ☒ {county.question('q2').ej_tillampligt_percent} % {nej} %") in text


def test_feedback_without_the_national_report_or_the_county(demo, form):
    store, round_, yes, _no = demo
    answers = store.response(round_, yes).answers(form)
    county = store.compile(round_, REGION)
    text = _text(feedback_pdfs_for_region(store, round_, REGION, None)[yes])
    assert "Riksresultatet finns ännu inte; kolumnen Riket visar –." in text
    budget = next(o.percent for o in county.question("q3").options if o.option_id == "budget")
    assert f"Uppgifter om budget för vårdkostnader. ☒ {budget} % –" in text
    assert "Alternativ Er rangordning Riket (medelvärde)" in text
    text = _text(feedback_pdf(form, municipality="Motala", code="0583", region=REGION, round_year=2011,
                              answers=answers, county=None, national=None))
    assert "Länets sammanställning finns inte; kolumnen Länet visar –." in text
    assert "Uppgifter om budget för vårdkostnader. ☒ – –" in text

    # A national document with odd values: dashes, never a crash.
    odd = {"questions": {"q3": {"options": {"budget": {"procent": "78"}, "verksamhetsmal": {"procent": 140}}}},
           "ranking": {"q10": {"basuppgifter": {"medelvarde": float("nan")}}}, "totalt": "alla"}
    text = _text(feedback_pdf(form, municipality="Motala", code="0583", region=REGION, round_year=2011,
                              answers=answers, county=None, national=odd))
    assert "Uppgifter om budget för vårdkostnader. ☒ – –" in text
    assert _norm(f"{form.question('q10').option('basuppgifter').label} 1 –") in text


# --------------------------------------------------------------------------- fonts and pages

def test_fonts_are_embedded(report, form):
    for pdf in (national_pdf(report, form), region_vs_nation_pdf(report, form, REGION)):
        reader = _reader(pdf)
        fonts = {}
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                fonts[str(font["/BaseFont"])] = font
        assert fonts
        for name, font in fonts.items():
            assert "/FontFile2" in font["/FontDescriptor"], f"{name} is not embedded"


def test_pages_as_png(demo, report, form, screenshot_dir, tmp_path):
    store, round_, yes, no = demo
    national = national_document(report)
    _pngs(national_pdf(report, form, exported_by="Britt Svensson", exported_at="2012-02-01 09:00"), "national_pdf",
          screenshot_dir, tmp_path)
    _pngs(region_vs_nation_pdf(report, form, REGION), "region_vs_nation", screenshot_dir, tmp_path)
    _pngs(feedback_pdfs_for_region(store, round_, REGION, national)[yes], "feedback", screenshot_dir, tmp_path)
