"""SKL's report as Word and PDF (issue 18, points 3 and 4): the seed's 2011 tables to the digit, its
pasted texts word for word, real headings, repeated header rows, charts with alternative text, language
and title; the Word file through LibreOffice to PDF, and pages of both looked at."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile

import docx
import pytest
from lxml import etree
from office import OFFICE, needs_office
from pypdf import PdfReader
from report_seed import (
    Q1,
    SEED_Q3_SHORT,
    SEED_Q10,
    SUMMARY,
    VG_NOTE,
    seed_report,
    seed_section,
    seed_text,
    words,
)
from test_national import SEED_Q3

from bou_desktop import core
from bou_desktop.exchange.report_docx import county_docx, national_docx
from bou_desktop.exchange.report_pdf import report_pdf
from bou_desktop.paths import forms_dir
from bou_desktop.survey.report import ReportTexts, template_for

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
AUTHOR = "Britt Svensson"
SEED_MEANS = ["1,8", "3,2", "3,3", "3,8", "3,9", "4,7", "5,0"]


@pytest.fixture(scope="module")
def form():
    """The municipal form, with the seed's short labels on question 3."""
    form = core.forms()["kommunenkat"]
    assert {o.id: o.short_label for o in form.question("q3").options if o.id in SEED_Q3_SHORT} == SEED_Q3_SHORT
    return form


@pytest.fixture(scope="module")
def county_form():
    return core.forms()["lanssammanstallning"]


@pytest.fixture(scope="module")
def seed(form):
    return seed_report(form)


@pytest.fixture(scope="module")
def template():
    return template_for(forms_dir(), "kommunenkat")


def _q10_analysis() -> str:
    text = seed_text()
    start = text.index("Fråga 10 riktade sig")
    return text[start : text.index("\nBilaga 1 – Kommunens enkät", start)].strip()


@pytest.fixture(scope="module")
def texts():
    """The seed's own texts, pasted into the program as SKL would."""
    return ReportTexts(
        sections={
            "forord": seed_section("Förord", "Innehåll"),
            "bakgrund": seed_section("Bakgrund och syfte", "Syfte") + "\n\n## Syfte\n\n"
            + seed_section("Syfte", "Undersökningens genomförande"),
            "bortfall": seed_section("Bortfall", "Metodproblem"),
            "metodproblem": seed_section("Metodproblem", "Definitioner och val av begrepp"),
        },
        analyses={"q10": _q10_analysis(), "q1": "Majoriteten av kommunerna (83 %) har uppgivit att …"},
    )


@pytest.fixture(scope="module")
def word(seed, form, county_form, template, texts):
    return national_docx(seed[0], form, template, texts, county_form=county_form, exported_by=AUTHOR,
                         exported_at="2012-02-01 09:00", rate_notes=[VG_NOTE])


@pytest.fixture(scope="module")
def document(word):
    return docx.Document(io.BytesIO(word))


@pytest.fixture(scope="module")
def pdf(seed, form, county_form, template, texts):
    return report_pdf(seed[0], form, template, texts, county_form=county_form, exported_by=AUTHOR,
                      exported_at="2012-02-01 09:00", rate_notes=[VG_NOTE])


def _rows(table) -> list[tuple[str, ...]]:
    return [tuple(cell.text.strip() for cell in row.cells) for row in table.rows]


def _table_after(document, heading: str):
    """The first table after the paragraph whose text starts with `heading`."""
    body = document.element.body
    seen = False
    for child in body.iterchildren():
        style = child.find(f"{W}pPr/{W}pStyle")
        if (child.tag == f"{W}p" and style is not None and style.get(f"{W}val").startswith("Heading")
                and "".join(t.text or "" for t in child.iter(f"{W}t")).startswith(heading)):
            seen = True
        elif seen and child.tag == f"{W}tbl":
            return next(t for t in document.tables if t._tbl is child)
    raise AssertionError(f"no table after {heading!r}")


def _section_text(document, heading: str) -> list[str]:
    """The paragraphs after a heading up to the next heading of the same or a higher level."""
    paragraphs = document.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == heading and p.style.name.startswith("Heading"))
    level = int(paragraphs[start].style.name.split()[-1])
    out = []
    for paragraph in paragraphs[start + 1:]:
        name = paragraph.style.name
        if name == "TOC Heading" or name.startswith("Heading") and int(name.split()[-1]) <= level:
            break
        if paragraph.text.strip():
            out.append(paragraph.text)
    return out


def _pdf_text(pdf: bytes) -> str:
    return " ".join("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


# --------------------------------------------------------------------------- Word: structure

def test_every_section_is_a_real_heading(document, template, form):
    headings = {(p.text, p.style.name) for p in document.paragraphs if p.style.name.startswith("Heading")}
    for section in template.sections:
        assert (section.heading, f"Heading {section.level}") in headings, section.id
    assert ("Syfte", "Heading 2") in headings  # "## Syfte" in Bakgrund och syfte (level 1)
    assert (template.results_heading, "Heading 1") in headings
    assert ("Svarsfrekvens per län/region", "Heading 2") in headings
    for question in form.questions:  # "3) VILKA uppgifter … (flera svarsalternativ möjliga)"
        assert (" ".join(f"{question.label} {question.full_text}".split()), "Heading 2") in headings, question.id
    assert (template.form_appendix, "Heading 1") in headings
    assert (template.county_form_appendix, "Heading 1") in headings
    title = document.paragraphs[0]
    assert (title.text, title.style.name) == ("Enkätredovisning", "Title")
    # The table of contents is a field Word updates; before that it lists the headings.
    xml = document.element.xml
    assert 'TOC \\o "1-3" \\h' in xml
    assert [p.text for p in document.paragraphs if p.style.name == "TOC 1"][:2] == ["Förord", "Sammanfattning och slutsatser"]


def test_every_table_repeats_its_header_row(document):
    assert len(document.tables) >= 11  # response rates, questions 1–9, question 10
    for table in document.tables:
        first = table.rows[0]._tr
        assert first.find(f"{W}trPr/{W}tblHeader") is not None
        assert all(row._tr.find(f"{W}trPr/{W}tblHeader") is None for row in table.rows[1:])


def test_every_chart_has_alternative_text_stating_its_figures(document, seed):
    report = seed[0]
    pictures = document.element.body.findall(f".//{WP}inline")
    assert len(pictures) == len(report.questions) == len(document.inline_shapes)  # one chart per choice question
    for picture, question in zip(pictures, report.questions, strict=True):
        descr = picture.find(f"{WP}docPr").get("descr")
        assert descr.startswith("Stapeldiagram. Procent av de 190 kommuner som besvarat enkäten:")
        for option in question.options:
            assert f"{option.procent}\u00a0% ({option.antal})" in descr, (question.question_id, option.option_id)
    q3 = pictures[2].find(f"{WP}docPr").get("descr")
    assert "Budget för vårdkostnader: 78\u00a0% (149)" in q3 and "Nämndens verksamhetsmål: 54\u00a0% (102)" in q3


def test_language_title_and_author(word, document):
    assert document.core_properties.language == "sv-SE"
    assert document.core_properties.title == ("Enkätredovisning – Kartläggning om systematisk uppföljning av barn "
                                              "och unga i samhällsvård")
    assert document.core_properties.author == AUTHOR
    styles = zipfile.ZipFile(io.BytesIO(word)).read("word/styles.xml").decode("utf-8")
    defaults = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.S).group(0)
    assert '<w:lang w:val="sv-SE"' in defaults


# --------------------------------------------------------------------------- Word: the seed's tables and texts

def test_the_seeds_tables_in_word(document, seed):
    report, rates = seed
    rows = _rows(_table_after(document, "Svarsfrekvens per län/region"))
    assert rows[0] == ("Län/region", "Antal kommuner i länet/regionen",
                       "Antal kommuner i länet/regionen som besvarat enkäten", "Svarsfrekvens")
    expected = [(name + ("" if answered else " (saknas)"), str(total), str(answered), f"{pct}\u00a0%")
                for name, total, answered, pct in rates[:-1]]
    assert rows[1:] == [*expected, ("Total", "290", "190", "66\u00a0%")]
    assert len(rows) == 1 + 24 + 1
    assert VG_NOTE not in [p.text for p in document.paragraphs]  # a real footnote (below), not a paragraph

    q1 = _rows(_table_after(document, "1) Redovisade"))
    assert q1 == [("Svarsalternativ", "Procent", "Antal kommuner"), ("Ja", "83\u00a0%", str(Q1["ja"])),
                  ("Nej (gå vidare till fråga 5)", "15\u00a0%", str(Q1["nej"])), ("Ej svar", "2\u00a0%", "3")]

    q3 = _rows(_table_after(document, "3) VILKA"))
    for option_id, (pct, antal) in SEED_Q3.items():
        label = SEED_Q3_SHORT.get(option_id) or report.question("q3").options[
            [o.option_id for o in report.question("q3").options].index(option_id)].label
        assert (label, f"{pct}\u00a0%", str(antal)) in q3, option_id
    assert ("Budget för vårdkostnader", "78\u00a0%", "149") in q3

    q10 = _rows(_table_after(document, "10) Planerat"))
    assert q10[0] == ("Alternativ", "Medelvärde", "Antal regioner")
    assert [mean for _label, mean, _n in q10[1:]] == SEED_MEANS
    seed_labels = re.findall(r"^(.+)\t\d,\d$", seed_text()[seed_text().index("\tMedelvärde"):], flags=re.M)[:7]
    assert [label for label, _mean, _n in q10[1:]] == [label.rstrip(":") for label in seed_labels]
    # the means from an independent tally of the regions' ranks
    tally = {o: sum(r) / len(r) for o, (r, _m) in SEED_Q10.items()}
    assert [f"{round(v + 1e-9, 1):.1f}".replace(".", ",") for v in sorted(tally.values())] == SEED_MEANS


def test_vastra_gotalands_note_is_a_real_word_footnote(word, document):
    """word/footnotes.xml with Word's separators -1 and 0, related from the document and typed in
    [Content_Types].xml, named in the settings; its note referenced from the response table's "Län/region"."""
    package = zipfile.ZipFile(io.BytesIO(word))
    types = package.read("[Content_Types].xml").decode("utf-8")
    assert ('PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.footnotes+xml"') in types
    rels = package.read("word/_rels/document.xml.rels").decode("utf-8")
    assert re.search(r'Type="[^"]+/relationships/footnotes" Target="footnotes.xml"', rels)
    footnotes = etree.fromstring(package.read("word/footnotes.xml"))
    notes = footnotes.findall(f"{W}footnote")
    assert [(n.get(f"{W}id"), n.get(f"{W}type")) for n in notes] == [
        ("-1", "separator"), ("0", "continuationSeparator"), ("1", None)]
    assert notes[0].find(f".//{W}separator") is not None and notes[1].find(f".//{W}continuationSeparator") is not None
    assert notes[2].find(f".//{W}footnoteRef") is not None
    assert "".join(t.text for t in notes[2].iter(f"{W}t")).strip() == VG_NOTE
    settings = etree.fromstring(package.read("word/settings.xml"))
    assert [f.get(f"{W}id") for f in settings.findall(f"{W}footnotePr/{W}footnote")] == ["-1", "0"]
    # The reference: once, in the header cell "Län/region" of the response-rate table, superscript.
    references = document.element.body.findall(f".//{W}footnoteReference")
    assert [r.get(f"{W}id") for r in references] == ["1"]
    header = _table_after(document, "Svarsfrekvens per län/region").rows[0].cells[0]
    assert header._tc.find(f".//{W}footnoteReference") is not None and header.text == "Län/region"
    run = references[0].getparent()
    assert run.find(f"{W}rPr/{W}rStyle").get(f"{W}val") == "FootnoteReference"
    assert document.styles["Footnote Reference"].font.superscript
    assert document.styles["Footnote Text"].type == 1  # a paragraph style, as Word's own


def test_pasted_seed_texts_come_back_word_for_word(document, texts):
    forord = _section_text(document, "Förord")
    assert forord[-2:] == ["Kjerstin Bergman, nationell projektledare", "Sofie Silfverswärd, socionomstuderande"]
    assert words(" ".join(forord)) == words(texts.section("forord"))
    bortfall = _section_text(document, "Bortfall")
    assert words(" ".join(bortfall)) == words(texts.section("bortfall"))
    background = _section_text(document, "Bakgrund och syfte")
    expected = re.sub(r"^## |^- ", "", texts.section("bakgrund"), flags=re.M)
    assert words(" ".join(background)) == words(expected)
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert "Klienternas förväntningar och upplevelse av kvalitet" in bullets
    analysis = _section_text(document, "10) Planerat utvecklingsarbete kring systematisk uppföljning?")
    assert words(_q10_analysis()) in words(" ".join(analysis))
    assert f"Uppsala: {SUMMARY}" in [p.text for p in document.paragraphs]  # the regions' summaries, as typed


def test_the_forms_are_appendices(document, form, county_form):
    paragraphs = [p.text for p in document.paragraphs]
    appendix = paragraphs[paragraphs.index("Bilaga 1 – Kommunens enkät"):]
    for question in form.questions:
        assert any(text.startswith(f"{question.label} {question.text}") for text in appendix), question.id
        for option in question.options:
            assert any(option.label in text for text in appendix), option.id
    assert any(q.help[:40] in " ".join(appendix) for q in form.questions if q.help)
    county = paragraphs[paragraphs.index("Bilaga 2 – Länens sammanställningsenkät"):]
    assert county_form.title in county


# --------------------------------------------------------------------------- PDF

def test_the_pdf_report_has_an_outline_contents_title_and_language(pdf, template, form):
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == ("Enkätredovisning – Kartläggning om systematisk uppföljning av barn och unga i "
                                     "samhällsvård")
    assert reader.metadata.author == AUTHOR
    assert reader.trailer["/Root"]["/Lang"] == "sv-SE"

    def titles(outline, depth=0):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item, depth + 1)
            else:
                yield depth, item.title
    outline = list(titles(reader.outline))
    for section in template.sections:
        assert (section.level - 1, section.heading) in outline, section.id
    assert (0, template.results_heading) in outline and (1, "Svarsfrekvens per län/region") in outline
    for question in form.questions:
        assert (1, " ".join(f"{question.label} {question.full_text}".split())) in outline, question.id
    assert (0, template.form_appendix) in outline and (0, template.county_form_appendix) in outline
    # The table of contents, with page numbers, on the page after Förord.
    contents = " ".join(reader.pages[2].extract_text().split())
    assert contents.startswith("Enkätredovisning – Kartläggning 2011 Exporterad 2012-02-01 09:00 av Britt Svensson Innehåll")
    page_of = {}
    for number, page in enumerate(reader.pages, start=1):
        for line in page.extract_text().splitlines():
            page_of.setdefault(" ".join(line.split()), number)
    assert re.search(r"Bortfall[ .]*\d+", contents)
    bortfall = int(re.search(r"Bortfall[ .]*(\d+)", contents).group(1))
    assert "Bortfall" in reader.pages[bortfall - 1].extract_text()
    # Fonts embedded
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            assert "/FontFile2" in font.get_object()["/FontDescriptor"]


def test_the_seeds_tables_and_texts_in_the_pdf(pdf, seed, texts, form):
    report, rates = seed
    text = _pdf_text(pdf)
    rows = [f"{name} {total} {answered} {pct} %" if answered else f"{name} (saknas) {total} 0 0 %"
            for name, total, answered, pct in rates[:-1]]
    assert " ".join([*rows, "Total 290 190 66 %"]) in text
    assert words(VG_NOTE) in text
    assert "Ja 83 % 158 Nej (gå vidare till fråga 5) 15 % 29 Ej svar 2 % 3" in text
    q3 = form.question("q3")
    table = " ".join(f"{SEED_Q3_SHORT[option.id]} {SEED_Q3[option.id][0]} % {SEED_Q3[option.id][1]}"
                     for option in q3.options)  # the seed's table, its short labels, in order
    assert f"Svarsalternativ Procent Antal kommuner {table}" in text
    means = re.findall(r" (\d,\d) 10| (\d,\d) 3", text[text.index("Alternativ Medelvärde Antal regioner"):])
    assert ["".join(m) for m in means][:7] == SEED_MEANS
    assert words(texts.section("forord")) in text
    assert words(texts.section("bortfall")) in text
    assert words(_q10_analysis()) in text
    assert f"Uppsala: {SUMMARY}" in text


# --------------------------------------------------------------------------- LibreOffice and the pages

def _pngs(pdf_path, name, screenshot_dir, pages: int | None = None) -> list:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) saknas")
    for old in screenshot_dir.glob(f"{name}-*.png"):
        old.unlink()
    args = ["pdftoppm", "-png", "-r", "50"] + (["-l", str(pages)] if pages else [])
    subprocess.run([*args, str(pdf_path), str(screenshot_dir / name)], check=True, timeout=120)
    return sorted(screenshot_dir.glob(f"{name}-*.png"))


@needs_office
def test_libreoffice_opens_the_word_report(word, tmp_path, screenshot_dir, texts):
    source = tmp_path / "rapport.docx"
    source.write_bytes(word)
    profile = tmp_path / "lo-profile"
    result = subprocess.run([OFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
                             "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                            capture_output=True, text=True, timeout=240)
    converted = tmp_path / "rapport.pdf"
    assert result.returncode == 0 and converted.exists(), result.stderr + result.stdout
    text = _pdf_text(converted.read_bytes())
    assert words(texts.section("forord")) in text
    assert "Stockholm (saknas) 26 0 0 %" in text and "Total 290 190 66 %" in text
    assert "Budget för vårdkostnader 78 % 149" in text
    assert "Basuppgifter för systematisk uppföljning 1,8 10" in words(text)
    # Västra Götaland's footnote at the foot of the response table's page, after all of that page's text.
    page = next(" ".join(p.extract_text().split()) for p in PdfReader(converted).pages
                if "Total 290 190 66 %" in " ".join(p.extract_text().split()))
    assert page.endswith(f"1 {words(VG_NOTE)}"), page[-300:]
    assert len(_pngs(converted, "report_docx", screenshot_dir)) == len(PdfReader(converted).pages)


def test_pdf_report_pages_as_png(pdf, tmp_path, screenshot_dir):
    source = tmp_path / "rapport.pdf"
    source.write_bytes(pdf)
    assert len(_pngs(source, "report_pdf", screenshot_dir)) == len(PdfReader(io.BytesIO(pdf)).pages)


# --------------------------------------------------------------------------- the county compilation

def test_the_county_compilation_as_word(tmp_path, screenshot_dir):
    from bou_desktop.demo import fill_demo

    store = core.open_store(tmp_path / "demo.sqlite")
    fill_demo(store)
    round_ = store.round_for()
    compilation = store.compile(round_, "Östergötland")
    county_form = store.county_form_of(round_)
    data = county_docx(compilation, county_form, contact_lines=["Åsa Öberg", "asa@example.se"], exported_by="Åsa Öberg",
                       exported_at="2011-11-25 10:00")
    store.close()
    document = docx.Document(io.BytesIO(data))
    assert document.core_properties.language == "sv-SE" and document.core_properties.author == "Åsa Öberg"
    assert document.core_properties.title == f"Länssammanställning Östergötland {compilation.round_year}"
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for question in county_form.questions:
        assert any(h.startswith(question.label) for h in headings), question.id
    for table in document.tables:
        assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    q1 = next(r for r in compilation.questions if r.question_id == "q1")
    first = _rows(document.tables[0])
    assert first[0] == ("Svarsalternativ", "Antal kommuner", "Procent")
    assert first[1:1 + len(q1.options)] == [(o.label, str(o.count), f"{o.percent}\u00a0%") for o in q1.options]
    for shape in document.element.body.findall(f".//{WP}inline"):
        assert shape.find(f"{WP}docPr").get("descr").startswith("Stapeldiagram.")
    if OFFICE is not None:
        source = tmp_path / "lan.docx"
        source.write_bytes(data)
        result = subprocess.run([OFFICE, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
                                 "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                                capture_output=True, text=True, timeout=240)
        assert result.returncode == 0 and (tmp_path / "lan.pdf").exists(), result.stderr
        assert _pngs(tmp_path / "lan.pdf", "report_county_docx", screenshot_dir, pages=3)


# --------------------------------------------------------------------------- the command line and the window

def test_the_report_on_the_command_line(tmp_path, capsys):
    from bou_desktop.cli import main
    from bou_desktop.demo import fill_demo

    db = tmp_path / "demo.sqlite"
    store = core.open_store(db)
    fill_demo(store)
    store.close()
    out = tmp_path / "lan.docx"
    assert main(["--db", str(db), "export", "county", "--region", "Östergötland", "--docx", str(out)]) == 0
    assert f"Skrev {out}" in capsys.readouterr().out
    document = docx.Document(out)
    assert document.paragraphs[0].text == "Länssammanställning Östergötland 2011"
    assert main(["--db", str(db), "export", "county", "--region", "Östergötland", "--docx", str(out)]) != 0
    word, pdf = tmp_path / "rapport.docx", tmp_path / "rapport.pdf"
    assert main(["--db", str(db), "export", "national", "--docx", str(word), "--report-pdf", str(pdf)]) == 0
    printed = capsys.readouterr().out
    assert f"Skrev {word}" in printed and f"Skrev {pdf}" in printed
    document = docx.Document(word)
    assert document.paragraphs[0].text == "Enkätredovisning"
    assert "Bilaga 2 – Länens sammanställningsenkät" in [p.text for p in document.paragraphs]
    assert PdfReader(pdf).trailer["/Root"]["/Lang"] == "sv-SE"
    with pytest.raises(SystemExit):
        main(["--db", str(db), "export", "national", "--docx", str(tmp_path / "x.docx"), "--region", "Skåne"])
