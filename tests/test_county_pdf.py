"""The county compilation as PDF (Bilaga 2 filled in): content, escaping, charts, anonymity and a look at the pages."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.graphics.shapes import Rect, String

from bou_desktop.demo import fill_demo
from bou_desktop.exchange.county_pdf import (
    BAR_COLOR,
    county_pdf,
    exported_line,
    label_lines,
    option_chart,
    short_label,
)
from bou_desktop.survey.compilation import decimal_comma

REGION = "Östergötland"
SUMMARY = 'Budget <b>dominerar</b> & "resultat" saknas'
COMMENT = "Se <b>&</b> bilaga"
OVRIGA = "Svårt att prioritera – alla områden är viktiga."
CONTACTS = ["E-post: asa.oberg@example.se", "Telefon: 013-12 34 56"]


def _norm(text: str) -> str:
    return " ".join(text.split())  # also folds the non-breaking space of "83 %"


def _reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def _text(pdf: bytes) -> str:
    return _norm("\n".join(page.extract_text() for page in _reader(pdf).pages))


def _finished(store, round_) -> list[tuple[str, str]]:
    """(code, name) of the region's finished responses, by name."""
    records = [r for r in store.responses(round_, REGION, with_fields=False) if r.status == "klar"]
    return sorted((r.kommun, store.register.municipality(r.kommun).name) for r in records)


@pytest.fixture
def demo(store):
    """The demo round with the leader's texts for Östergötland and one comment full of markup characters."""
    fill_demo(store)
    round_ = store.round_for()
    for key, value in (("summary.q3", SUMMARY), ("utvecklingsledare", "Åsa Öberg"), ("rank.basuppgifter", 1),
                       ("rank.resultat_hvb", 2), ("ranking_specify", "Kunskapsläget"), ("ovriga_synpunkter", OVRIGA)):
        store.set_leader_text(round_, REGION, key, value)
    code, _name = _finished(store, round_)[0]
    # A finished response: the GUI may not change it, the command line may.
    store.set_fields(round_, code, {"q5.kommentar": COMMENT}, source="cli")
    return store, round_


def _pdf(store, compilation, **kwargs) -> bytes:
    return county_pdf(compilation, store.forms["lanssammanstallning"], **kwargs)


def _sections(county_form, text: str) -> dict[str, str]:
    """The normalised text of each question, from its heading to the next one (the last up to "Övriga")."""
    starts = [text.index(_norm(f"{q.number}) {q.text}")) for q in county_form.questions]
    ends = [*starts[1:], text.index("Övriga synpunkter på kartläggningen")]
    return {q.id: text[s:e] for q, s, e in zip(county_form.questions, starts, ends, strict=True)}


def _bar_rects(pdf: bytes) -> int:
    """Rectangles filled with the chart colour, over all pages."""
    bar = tuple(round(v, 3) for v in BAR_COLOR.rgb())
    count = 0
    reader = _reader(pdf)
    for page in reader.pages:
        fill: tuple = ()
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"rg":
                fill = tuple(round(float(v), 3) for v in operands)
            elif operator == b"re" and fill == bar:
                count += 1
    return count


# --------------------------------------------------------------------------- content

def test_county_pdf_shows_the_compilation(demo):
    store, round_ = demo
    c = store.compile(round_, REGION)
    county_form = store.forms["lanssammanstallning"]
    pdf = _pdf(store, c, contact_lines=CONTACTS, exported_by="Åsa Öberg", exported_at="2011-12-01 10:15")
    assert pdf.startswith(b"%PDF")
    reader = _reader(pdf)
    assert reader.metadata.title == f"Länssammanställning {REGION} 2011"
    assert reader.metadata.author == "BoU Desktop"
    text = _text(pdf)

    # The head of the form.
    assert _norm(county_form.title) in text
    assert c.kommuner_totalt == 13 and c.kommuner_svarat == 6
    for expected in ("Sammanställda uppgifter från:", f"Län/region: {REGION}",
                     "Totalt antal kommuner i länet/regionen: 13 kommuner",
                     f"Antal kommuner som besvarat enkäten: 6 kommuner ({c.svarsfrekvens} %)",
                     "Utvecklingsledarens namn: Åsa Öberg", *CONTACTS,
                     f"Utkast, ej medräknade: {', '.join(c.drafts)}"):
        assert expected in text, expected
    assert c.drafts and "Svar med motsägelser" not in text

    # Every page: header and footer.
    pages = len(reader.pages)
    assert text.count(f"Länssammanställning – {REGION} – Omgång 2011") == pages
    assert text.count("Exporterad 2011-12-01 10:15 av Åsa Öberg") == pages
    assert "Sida 1 av" in text and f"Sida {pages} av {pages}" in text

    # Per question 1–9: every option's count and percent as compiled, and the rows below them.
    sections = _sections(county_form, text)
    for result in c.questions:
        question = county_form.question(result.question_id)
        section = sections[result.question_id]
        assert _norm(question.text) in text
        if question.instruction:
            assert _norm(question.instruction) in section
        if result.type == "ranking":
            continue
        assert "Svarsalternativ Antal kommuner Procent" in section
        for option in result.options:
            assert _norm(f"{option.label} {option.count} {option.percent} %") in section, (result.question_id, option)
        assert f"Ej svar {result.ej_svar} {result.ej_svar_percent} %" in section
        assert ("Ej tillämpligt" in section) == (result.question_id in ("q2", "q3", "q4")), result.question_id
        assert "Sammanfattning av öppna svar och övrig reflektion:" in section
    budget = next(o for o in c.question("q3").options if o.option_id == "budget")
    assert f"Uppgifter om budget för vårdkostnader. {budget.count} {budget.percent} %" in sections["q3"]

    # Free text exactly as typed, never read as markup.
    assert f"Sammanfattning av öppna svar och övrig reflektion: {SUMMARY}" in sections["q3"]
    code, name = _finished(store, round_)[0]
    assert f"{name} – kommentar: {COMMENT}" in sections["q5"]
    for result in c.questions:
        for item in result.texts:
            what = f"ange ({item.option_label})" if item.kind == "ange" else "kommentar"
            assert _norm(f"{item.kommun_namn} – {what}: {item.text}") in sections[result.question_id]

    # Question 10: introduction, the region's ranks next to the municipalities' mean ranks.
    q10 = county_form.question("q10")
    assert _norm(q10.introduction) in sections["q10"]
    assert "Alternativ Regionens rangordning Kommunernas medelvärde Antal kommuner som rangordnat" in sections["q10"]
    means = {m.option_id: m for m in c.question("q10").mean_ranks}
    ranks = {"basuppgifter": "1", "resultat_hvb": "2"}
    for option in q10.options:
        mean = means[option.id]
        row = [_norm(option.label), _norm(option.description), ranks.get(option.id, "–"),
               decimal_comma(mean.mean) if mean.count else "–", str(mean.count)]
        assert " ".join(part for part in row if part) in sections["q10"], option.id
    assert "Annat alternativ, ange: Kunskapsläget" in sections["q10"]
    assert f"Övriga synpunkter på kartläggningen {OVRIGA}" in text


def test_each_question_has_a_chart(demo):
    store, round_ = demo
    c = store.compile(round_, REGION)
    pdf = _pdf(store, c)
    charted = [q for q in c.questions if q.type != "ranking"]
    assert [q.number for q in charted] == list(range(1, 10))
    # One bar per option of questions 1–9, and nothing else in the chart colour.
    assert _bar_rects(pdf) == sum(len(q.options) for q in charted)
    assert _text(pdf).count("Procent av de 6 kommuner som besvarat enkäten") == 9


def test_chart_bars_are_proportional_to_the_counts(demo):
    store, round_ = demo
    c = store.compile(round_, REGION)
    for result in c.questions[:9]:
        drawing = option_chart(result, c.kommuner_svarat)
        bars = [s for s in drawing.contents if isinstance(s, Rect) and s.fillColor == BAR_COLOR]
        assert len(bars) == len(result.options), result.question_id
        full = max(bar.width for bar, o in zip(bars, result.options, strict=True) if o.count) * c.kommuner_svarat \
            / max(o.count for o in result.options)
        for bar, option in zip(bars, result.options, strict=True):
            assert bar.width == pytest.approx(full * option.count / c.kommuner_svarat), (result.question_id, option)
        # Bars top to bottom in the order of the form.
        assert [bar.y for bar in bars] == sorted((bar.y for bar in bars), reverse=True)
        strings = [s.text for s in drawing.contents if isinstance(s, String)]
        for option in result.options:  # a long label wraps onto more lines, never cut off (issue 18)
            lines = label_lines(option.label)
            assert " ".join(lines) == " ".join(option.label.split())
            assert all(line in strings for line in lines)
            assert f"{option.percent}\u00a0%" in strings
        assert not any(s.endswith("…") for s in strings)
    assert len(label_lines(c.question("q3").options[0].label)) == 2
    assert short_label("Ja") == "Ja"

    # Nobody answered: bars of no length, no division by zero.
    empty = store.compile(round_, "Stockholm")
    drawing = option_chart(empty.question("q3"), empty.kommuner_svarat)
    assert all(s.width == 0 for s in drawing.contents if isinstance(s, Rect) and s.fillColor == BAR_COLOR)


def test_a_region_without_responses(store):
    fill_demo(store)
    round_ = store.round_for()
    c = store.compile(round_, "Stockholm")
    assert c.kommuner_svarat == 0
    text = _text(_pdf(store, c))
    assert "Antal kommuner som besvarat enkäten: 0 kommuner (0 %)" in text
    assert "Utvecklingsledarens namn: –" not in text  # an empty name is left empty
    assert "Kommunernas öppna svar" not in text
    assert "Exporterad" not in text


def test_anonymous_compilation_names_no_municipality(demo):
    store, round_ = demo
    c = store.compile(round_, REGION, anonymous=True)
    assert any(q.texts for q in c.questions)
    text = _text(_pdf(store, c))
    assert f"Kommentar: {COMMENT}" in text
    assert " – kommentar:" not in text and " – ange" not in text
    for _code, name in _finished(store, round_):
        assert name not in text, name
    assert "Kommunernas öppna svar:" in text


def test_contradictions_and_control_characters(demo):
    store, round_ = demo
    code, name = _finished(store, round_)[0]
    # Nej in question 1 while question 2 holds answers: kept, flagged, not counted.
    store.set_fields(round_, code, {"q1": "nej", "q2.politiker": "X"}, source="cli")
    store.set_leader_text(round_, REGION, "ovriga_synpunkter", "Rad\x00ett\x07\n<i>Rad två</i> & mer")
    c = store.compile(round_, REGION)
    assert c.flagged == (name,)
    text = _text(_pdf(store, c))
    assert f"Svar med motsägelser (frågor som skulle hoppas över räknas inte): {name}" in text
    q2 = c.question("q2")
    assert q2.ej_tillampligt == 1
    assert f"Ej tillämpligt 1 {q2.ej_tillampligt_percent} %" in text
    assert "Övriga synpunkter på kartläggningen Radett <i>Rad två</i> & mer" in text
    assert "\x00" not in text and "\x07" not in text


# --------------------------------------------------------------------------- fonts and pages

def test_fonts_are_embedded(demo):
    store, round_ = demo
    reader = _reader(_pdf(store, store.compile(round_, REGION)))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert fonts
    for name, font in fonts.items():
        assert "/FontFile2" in font["/FontDescriptor"], f"{name} is not embedded"


def test_pages_as_png(demo, screenshot_dir, tmp_path):
    store, round_ = demo
    pdf = _pdf(store, store.compile(round_, REGION), contact_lines=CONTACTS, exported_by="Åsa Öberg",
               exported_at="2011-12-01 10:15")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) saknas")
    for old in screenshot_dir.glob("county_pdf-*.png"):
        old.unlink()
    source = tmp_path / "county.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(source), str(screenshot_dir / "county_pdf")], check=True,
                   timeout=120)
    pngs = sorted(screenshot_dir.glob("county_pdf-*.png"), key=lambda p: int(re.findall(r"\d+", p.stem)[-1]))
    assert len(pngs) == len(_reader(pdf).pages)
    assert pngs[0].name == "county_pdf-1.png"


def test_the_footer_shows_an_export_time_as_a_person_writes_it():
    from datetime import datetime

    stored = datetime(2026, 11, 23, 18, 12, 39).astimezone().isoformat(timespec="seconds")  # as exports store it
    assert exported_line(stored, "Åsa Öberg") == "Exporterad 2026-11-23 18:12 av Åsa Öberg"
    assert exported_line("den 1 december", "") == "Exporterad den 1 december"
    assert exported_line("2026-13-45T99:00", "") == "Exporterad 2026-13-45T99:00"  # not a time: as it is
