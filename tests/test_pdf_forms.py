"""The questionnaire as PDF (blank for paper, or filled): content, escaping, fonts and a look at the pages."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from bou_desktop.exchange.pdf_forms import clean_text, questionnaire_pdf, register_fonts
from bou_desktop.survey.answers import Answers

COMMENT = 'Årlig <b>rapport</b> & "citat" <script>'
CONTACTS = ["Eva Ek", "E-post: eva.ek@example.se", "Telefon: 013-12 34 56"]


def _norm(text: str) -> str:
    return " ".join(text.split())


def _reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in _reader(pdf).pages)


def _lines(pdf: bytes) -> list[str]:
    return [line.strip() for line in _text(pdf).splitlines()]


def _question_sections(form, text: str) -> dict[str, str]:
    """The normalised text of each question, from its heading to the next question's heading."""
    text = _norm(text)
    starts = [text.index(_norm(f"{q.number}) {q.text}")) for q in form.questions]
    ends = starts[1:] + [len(text)]
    return {q.id: text[s:e] for q, s, e in zip(form.questions, starts, ends, strict=True)}


def _filled_answers() -> Answers:
    return Answers(
        choices={"q1": ["ja"], "q2": ["politiker", "annan"], "q5": ["ja_i_viss_man"]},
        ranks={"q10": {"basuppgifter": 1, "annat": 2}},
        specify={("q2", "annan"): "Socialstyrelsen & SCB", ("q10", "annat"): "Kunskapsläget"},
        comments={"q3": COMMENT},
        respondent={"namn": "Åsa Öberg", "befattning": "IFO-chef"},
    )


def _filled_pdf(form) -> bytes:
    return questionnaire_pdf(
        form, municipality="Linköping", code="0580", answers=_filled_answers(),
        meta={"svarssatt": "intervju", "datum": "2011-11-20", "intervjuare": "Eva Ek"},
        status="klar", round_year=2011,
    )


def _blank_pdf(form) -> bytes:
    return questionnaire_pdf(form, include_intro=True, contact_lines=CONTACTS)


def _render(pdf: bytes, name: str, folder, tmp_path) -> list:
    """Pages as PNG (pdftoppm, 70 dpi) in the screenshot folder, to look at."""
    for old in folder.glob(f"{name}-*.png"):
        old.unlink()
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(source), str(folder / name)], check=True, timeout=120)
    return sorted(folder.glob(f"{name}-*.png"))


# --------------------------------------------------------------------------- helpers

def test_clean_text_escapes_markup_and_drops_control_characters():
    assert clean_text("a<b>&c") == "a&lt;b&gt;&amp;c"
    assert clean_text("rad 1\nrad 2\r\nrad 3") == "rad 1<br/>rad 2<br/>rad 3"
    assert clean_text("A\x00B\x07C\x1bD\x7fE\ud800F\tG") == "ABCDEF\tG"
    assert clean_text("Åsa Öberg – ☒") == "Åsa Öberg – ☒"


def test_register_fonts_is_idempotent():
    assert register_fonts() == register_fonts() == "BoUSans"


# --------------------------------------------------------------------------- filled

def test_filled_response_shows_the_answers(forms):
    form = forms["kommunenkat"]
    pdf = _filled_pdf(form)
    assert pdf.startswith(b"%PDF")
    reader = _reader(pdf)
    assert reader.metadata.title == "Enkät – Linköping 2011"
    assert reader.metadata.author == "BoU Desktop"
    text = _norm(_text(pdf))
    lines = _lines(pdf)

    # Header of the form and of every page.
    for expected in ("Åsa Öberg", "IFO-chef", "Linköping (0580)", "Svarssätt: Personlig intervju",
                     "Datum: 2011-11-20", "Intervjuare: Eva Ek", "Status: klar", "Kartläggning 2011", "Sida 1 av"):
        assert expected in text, expected
    pages = len(reader.pages)
    assert f"Sida {pages} av {pages}" in text

    # Free text exactly as typed, never read as markup.
    assert f"Kommentar: {COMMENT}" in text
    assert "ange: Socialstyrelsen & SCB" in text

    # Ticks in front of the chosen options, empty boxes in front of the others.
    assert "☒ Politiker" in lines
    assert "☐ Chefer inom socialtjänsten" in lines
    assert "☒ Annan, ange" in lines
    assert "☒ Ja, i viss mån" in lines
    assert text.count("☒") == 4  # q1 Ja, q2 Politiker + Annan, q5 Ja i viss mån
    sections = _question_sections(form, _text(pdf))
    assert "☒ Ja ☐ Nej (gå vidare till fråga 5)" in sections["q1"]
    assert "☐ Ja ☒ Ja, i viss mån ☐ Nej ☐ Vet ej" in sections["q5"]
    assert "☒" not in sections["q6"]

    # Ranks written in their boxes.
    assert "1 Basuppgifter för systematisk uppföljning" in sections["q10"]
    assert "2 Annat alternativ, ange ange: Kunskapsläget" in sections["q10"]

    # The whole questionnaire: every question, option and help text.
    for question in form.questions:
        assert _norm(f"{question.number}) {question.full_text}") in text, question.id
        for option in question.options:
            assert _norm(option.label) in sections[question.id], (question.id, option.id)
    assert "Fråga 3 bygger på Socialstyrelsens föreskrifter" in sections["q3"]
    assert "Tack för din medverkan!" in text
    assert "Ej tillämpligt" not in text


def test_control_characters_in_free_text_are_dropped(forms):
    form = forms["kommunenkat"]
    answers = Answers(choices={"q1": ["ja"]}, comments={"q1": "A\x00B\x07C\x1bD"},
                      respondent={"namn": "Nils\x00 Nilsson"})
    text = _text(questionnaire_pdf(form, municipality="Åre", answers=answers))
    assert "Kommentar: ABCD" in _norm(text)
    assert "Nils Nilsson" in text
    assert not any(ch in text for ch in "\x00\x07\x1b")


def test_long_free_text_flows_over_pages(forms):
    form = forms["kommunenkat"]
    answers = Answers(comments={"q5": "Början " + "ordordord " * 1500 + "Slutet"})
    text = _norm(_text(questionnaire_pdf(form, answers=answers)))
    assert "Kommentar: Början" in text and "Slutet" in text


def test_skipped_questions_are_marked(forms):
    form = forms["kommunenkat"]
    answers = Answers(choices={"q1": ["nej"]})
    sections = _question_sections(form, _text(questionnaire_pdf(form, answers=answers)))
    for qid in ("q2", "q3", "q4"):
        assert "Ej tillämpligt (hoppas över)" in sections[qid], qid
    for qid in ("q1", "q5", "q10"):
        assert "Ej tillämpligt" not in sections[qid], qid

    # A skipped question that holds answers anyway shows them, without the note.
    answers.choices["q2"] = ["politiker"]
    sections = _question_sections(form, _text(questionnaire_pdf(form, answers=answers)))
    assert "Ej tillämpligt" not in sections["q2"]
    assert "☒ Politiker" in sections["q2"]
    assert "Ej tillämpligt (hoppas över)" in sections["q3"]


# --------------------------------------------------------------------------- blank

def test_blank_form_for_paper(forms):
    form = forms["kommunenkat"]
    pdf = _blank_pdf(form)
    reader = _reader(pdf)
    assert reader.metadata.title == "Enkät (tom)"
    assert reader.metadata.author == "BoU Desktop"
    text = _norm(_text(pdf))
    for section in form.intro:
        assert _norm(section.heading) in text
    assert "Varför är kommunerna tillfrågade?" in text
    # The numbered ways to answer keep their own lines.
    lines = _lines(pdf)
    assert any(line.startswith("1. Fyll i enkäten elektroniskt") for line in lines)
    assert any(line.startswith("3. Skriv ut enkäten på papper") for line in lines)
    assert "Kontaktuppgifter utvecklingsledaren:" in text
    for line in CONTACTS:
        assert line in lines
    assert "Uppgiftslämnare" in text
    for label in ("Kommun:", "Namn:", "Befattning:"):
        assert label in text
    assert "Svarssätt" not in text and "Status" not in text
    sections = _question_sections(form, _text(pdf))
    for question in form.questions:
        assert _norm(f"{question.number}) {question.full_text}") in text, question.id
        assert "Kommentar:" in sections[question.id], question.id
        for option in question.options:
            assert _norm(option.label) in sections[question.id], (question.id, option.id)
    assert "☒" not in text
    assert text.count("☐") == sum(len(q.options) for q in form.questions if q.type != "ranking")
    assert "Ej tillämpligt" not in text
    assert "Tack för din medverkan!" in text
    assert "Sida 1 av" in text


def test_blank_form_for_one_municipality(forms):
    form = forms["kommunenkat"]
    pdf = questionnaire_pdf(form, municipality="Linköping", code="0580", round_year=2011)
    text = _norm(_text(pdf))
    assert "Kommun: Linköping (0580)" in text
    assert "Kartläggning 2011" in text
    assert "Varför är kommunerna tillfrågade?" not in text  # no intro unless asked for
    assert _reader(pdf).metadata.title == "Enkät (tom) – Linköping 2011"


# --------------------------------------------------------------------------- fonts and pages

def test_fonts_are_embedded(forms):
    reader = _reader(_filled_pdf(forms["kommunenkat"]))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert any("DejaVu" in name or "BoUSans" in name for name in fonts)
    for name, font in fonts.items():
        assert "/FontFile2" in font["/FontDescriptor"], f"{name} is not embedded"


def test_pages_as_png(forms, screenshot_dir, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) saknas")
    form = forms["kommunenkat"]
    filled = _render(_filled_pdf(form), "pdf_response", screenshot_dir, tmp_path)
    blank = _render(_blank_pdf(form), "pdf_blank", screenshot_dir, tmp_path)
    assert filled and filled[0].name == "pdf_response-1.png"
    assert blank and blank[0].name == "pdf_blank-1.png"
    assert len(filled) == len(_reader(_filled_pdf(form)).pages)
