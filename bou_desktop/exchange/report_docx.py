"""SKL's report (the Enkätredovisning) and the county compilation as Word documents (.docx).

Plain Python (python-docx), no Qt. SKL publishes the report and edits it in Word first, so it is
built for that and for the law on accessible digital public services: the report's sections
(survey/report.py: the template's sections with the texts SKL writes) are real heading styles
(Heading 1–3), there is a table-of-contents field (TOC \\o "1-3" \\h, filled with the headings so
it reads before Word updates it), every table repeats its header row (w:tblHeader), every chart is
a picture whose alternative text states its figures (wp:docPr descr), and the document's language
is Swedish (w:lang on the default run properties, and the core properties). The response table's notes
(Västra Götaland's four regions) are real Word footnotes (`WordDocument.footnote`: python-docx has none,
so word/footnotes.xml is made here with the separators Word requires). The content is that
of the national PDF (national_pdf.py) and the county PDF (county_pdf.py): the same tables, charts
and labels.

Every text from a user goes through `clean`: characters that XML cannot carry are dropped, and
the text is otherwise kept as typed (python-docx escapes it; a line break stays a line break).
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

from ..survey.aggregates import DateAggregate, NumberAggregate, RankingAggregate, TableAggregate, TextAggregate
from ..survey.changes import (
    NOT_COMPARABLE,
    compared_choice_rows,
    percent_text,
    rank_change_text,
    summary_text,
)
from ..survey.compilation import CountyCompilation, OpenText, QuestionResult, decimal_comma, header_value
from ..survey.forms import Form, Question, county_header, specify_label
from ..survey.national import NationalQuestion, NationalRanking, NationalReport
from ..survey.national_comparison import compared_rows, comparison_note, rounds_paragraph
from ..survey.report import ReportTemplate, ReportTexts, blocks
from .aggregate_text import (
    DATE_MEASURES,
    NUMBER_MEASURES,
    NUMBER_TYPES,
    RANK_PLACES,
    can_be_skipped,
    date_cells,
    form_labels,
    number_cells,
    option_label,
    question_of,
    rate_headings,
    report_title,
    rows_sentence,
    survey_name,
    swedish_number,
    text_entries,
    texts_caption,
    unit_count,
    units_word,
)
from .aggregate_text import rate_notes as register_rate_notes
from .aggregate_text import rate_sentence as shared_rate_sentence

LANGUAGE = "sv-SE"
DASH = "–"
CHART_WIDTH = Mm(165)
TABLE_WIDTH = 165  # mm, the text width of an A4 page with the margins below
FONT = "Arial"  # metric-compatible with Liberation Sans where Arial is missing (LibreOffice)
GREY = RGBColor(0x55, 0x55, 0x55)
HEAD_FILL = "E6EDF5"
REGION_SUMMARIES = "Regionernas sammanfattningar av öppna svar"
RATE_HEADING = "Svarsfrekvens per län/region"
CONTENTS = "Innehåll"
TOC_NOTE = "Innehållsförteckningen uppdateras i Word: högerklicka på den och välj Uppdatera fält."

_UNWANTED = {"Cc", "Cs"}


def clean(text: object) -> str:
    """Text as typed, without the characters XML cannot carry (control characters but tab and newline)."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in _UNWANTED)


percent = percent_text  # "83 %" with a non-breaking space, as in the PDFs; "–" for none


# --------------------------------------------------------------------------- the document

class WordDocument:
    """A python-docx document with the report's building blocks: headings, texts, tables, charts."""

    def __init__(self, *, title: str, author: str, subject: str = "") -> None:
        self.doc = Document()
        self.headings: list[tuple[int, str]] = []  # for the table of contents' first reading
        self._footnote_part = None
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(22)
        section.top_margin = section.bottom_margin = Mm(20)
        self._language()
        self._styles()
        properties = self.doc.core_properties
        properties.title = clean(title)
        properties.author = clean(author) or "BoU Desktop"
        properties.last_modified_by = clean(author) or "BoU Desktop"
        properties.subject = clean(subject)
        properties.language = LANGUAGE
        properties.comments = "Skapad med BoU Desktop"
        properties.keywords = ""

    def _language(self) -> None:
        """Swedish on the default run properties, so every style and every run is Swedish."""
        styles = self.doc.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        if defaults is None:
            defaults = OxmlElement("w:docDefaults")
            styles.insert(0, defaults)
        run_default = defaults.find(qn("w:rPrDefault"))
        if run_default is None:
            run_default = OxmlElement("w:rPrDefault")
            defaults.insert(0, run_default)
        properties = run_default.find(qn("w:rPr"))
        if properties is None:
            properties = OxmlElement("w:rPr")
            run_default.append(properties)
        for old in properties.findall(qn("w:lang")):
            properties.remove(old)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), LANGUAGE)
        lang.set(qn("w:eastAsia"), LANGUAGE)
        lang.set(qn("w:bidi"), "ar-SA")
        properties.append(lang)
        theme = _setting(self.doc.settings.element, "themeFontLang")
        theme.set(qn("w:val"), LANGUAGE)

    def _styles(self) -> None:
        styles = self.doc.styles
        styles["Normal"].font.size = Pt(10.5)
        for style in styles:
            if style.type == WD_STYLE_TYPE.PARAGRAPH and (style.name in ("Normal", "Title", "Subtitle", "TOC Heading")
                                                          or style.name.startswith("Heading")):
                _font_name(style, FONT)
        for name in ("TOC 1", "TOC 2", "TOC 3"):
            if name not in [s.name for s in styles]:
                style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
                style.base_style = styles["Normal"]
                level = int(name[-1])
                style.paragraph_format.left_indent = Mm(6 * (level - 1))
                style.paragraph_format.space_after = Pt(2)
        note = styles.add_style("Tabellnot", WD_STYLE_TYPE.PARAGRAPH)
        note.base_style = styles["Normal"]
        note.font.size = Pt(8.5)
        note.font.italic = True
        note.font.color.rgb = GREY
        question = styles.add_style("Enkätfråga", WD_STYLE_TYPE.PARAGRAPH)
        question.base_style = styles["Normal"]
        question.font.bold = True
        question.paragraph_format.space_before = Pt(10)
        question.paragraph_format.keep_with_next = True
        option = styles.add_style("Svarsalternativ", WD_STYLE_TYPE.PARAGRAPH)
        option.base_style = styles["Normal"]
        option.paragraph_format.left_indent = Mm(7)
        option.paragraph_format.space_after = Pt(1)
        footnote = styles.add_style("Footnote Text", WD_STYLE_TYPE.PARAGRAPH)  # Word's own names (FootnoteText)
        footnote.base_style = styles["Normal"]
        footnote.font.size = Pt(8.5)
        footnote.paragraph_format.space_after = Pt(0)
        reference = styles.add_style("Footnote Reference", WD_STYLE_TYPE.CHARACTER)
        reference.font.superscript = True
        label = styles.add_style("Etikett", WD_STYLE_TYPE.PARAGRAPH)
        label.base_style = styles["Normal"]
        label.font.bold = True
        label.paragraph_format.space_before = Pt(6)
        label.paragraph_format.keep_with_next = True

    # ------------------------------------------------------------------ text

    def heading(self, text: str, level: int, hint: str = "") -> None:
        paragraph = self.doc.add_heading(clean(text), level)
        if hint:
            run = paragraph.add_run(" " + clean(hint))
            run.italic = True
        if 1 <= level <= 3:
            self.headings.append((level, " ".join(paragraph.text.split())))

    def paragraph(self, text: str = "", style: str | None = None, *, bold: str = "", italic: bool = False):
        paragraph = self.doc.add_paragraph(style=style)
        if bold:
            paragraph.add_run(clean(bold)).bold = True
        if text:
            run = paragraph.add_run(clean(text))
            run.italic = italic
        return paragraph

    def written(self, text: str, level: int) -> None:
        """A text SKL wrote (survey/report.py `blocks`): paragraphs, subheadings one level below `level`,
        bulleted lists; nothing at all for an empty text."""
        for block in blocks(text):
            if block.kind == "subheading":
                self.heading(block.text, min(level + 1, 9))
            elif block.kind == "bullets":
                for item in block.items:
                    self.paragraph(item, "List Bullet")
            else:
                self.paragraph(block.text)

    def bullets(self, items: Sequence[tuple[str, str]]) -> None:
        """"Who: text" per item (only the text when there is no one)."""
        for who, text in items:
            self.paragraph(text.strip(), "List Bullet", bold=f"{who}: " if who else "")

    def note(self, text: str) -> None:
        self.paragraph(text, "Tabellnot")

    def footnote(self, paragraph, text: str) -> int:
        """A real Word footnote: its number (superscript) at the end of `paragraph`, its text at the foot of
        the page. python-docx has no footnotes, so the part is made here (see `_footnotes`). Its number."""
        footnotes = self._footnotes()
        number = sum(1 for f in footnotes if f.get(qn("w:type")) is None) + 1
        note = parse_xml(
            f'<w:footnote {nsdecls("w")} w:id="{number}"><w:p><w:pPr><w:pStyle w:val="{self._style_id("Footnote Text")}"/>'
            f'</w:pPr><w:r><w:rPr><w:rStyle w:val="{self._style_id("Footnote Reference")}"/></w:rPr><w:footnoteRef/>'
            '</w:r><w:r><w:t xml:space="preserve"> </w:t></w:r></w:p></w:footnote>')
        note.findall(f".//{qn('w:t')}")[-1].text = " " + clean(text)
        footnotes.append(note)
        run = paragraph.add_run()
        run.style = self.doc.styles["Footnote Reference"]
        reference = OxmlElement("w:footnoteReference")
        reference.set(qn("w:id"), str(number))
        run._r.append(reference)
        return number

    def _style_id(self, name: str) -> str:
        return self.doc.styles[name].style_id

    def _footnotes(self):
        """The footnotes part (word/footnotes.xml) with the separators -1 and 0 Word requires, related from
        the document and named in the settings (w:footnotePr); made on the first footnote."""
        if self._footnote_part is None:
            separators = "".join(
                f'<w:footnote w:type="{kind}" w:id="{number}"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
                f'w:lineRule="auto"/></w:pPr><w:r><w:{kind}/></w:r></w:p></w:footnote>'
                for number, kind in ((-1, "separator"), (0, "continuationSeparator")))
            element = parse_xml(f'<w:footnotes {nsdecls("w", "r")}>{separators}</w:footnotes>')
            self._footnote_part = XmlPart(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES, element,
                                          self.doc.part.package)
            self.doc.part.relate_to(self._footnote_part, RELATIONSHIP_TYPE.FOOTNOTES)
            properties = _setting(self.doc.settings.element, "footnotePr")
            for number in (-1, 0):
                separator = OxmlElement("w:footnote")
                separator.set(qn("w:id"), str(number))
                properties.append(separator)
        return self._footnote_part.element

    # ------------------------------------------------------------------ tables and charts

    def table(self, head: Sequence[str], rows: Sequence[Sequence[str]], *, widths: Sequence[float] = (),
              extra_from: int | None = None, bold_last: bool = False):
        """A grid with a header row repeated on every page (w:tblHeader); the first column left, the others
        right; rows from `extra_from` (Ej svar, Ej tillämpligt) in italics; `bold_last`: a total row."""
        table = self.doc.add_table(rows=1, cols=len(head))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        _header_row(table.rows[0])
        for column, (cell, text) in enumerate(zip(table.rows[0].cells, head, strict=True)):
            _cell(cell, text, bold=True, right=column > 0)
            _shade(cell, HEAD_FILL)
        for index, values in enumerate(rows):
            cells = table.add_row().cells
            extra = extra_from is not None and index >= extra_from
            bold = bold_last and index == len(rows) - 1
            for column, (cell, text) in enumerate(zip(cells, values, strict=True)):
                _cell(cell, text, bold=bold, italic=extra and column == 0, right=column > 0)
        widths = widths or (2, *([1] * (len(head) - 1)))
        table.autofit = False
        total = sum(widths)
        for index, width in enumerate(widths):  # the grid (LibreOffice) and every cell (Word)
            table.columns[index].width = Mm(TABLE_WIDTH * width / total)
            for cell in table.columns[index].cells:
                cell.width = Mm(TABLE_WIDTH * width / total)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)
        return table

    def chart(self, drawing, description: str) -> None:
        """A reportlab chart as a picture, its alternative text stating its figures."""
        from .chart_png import drawing_png

        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        shape = paragraph.add_run().add_picture(io.BytesIO(drawing_png(drawing)), width=CHART_WIDTH)
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", clean(description))
        doc_pr.set("title", clean(description.split(":")[0])[:120])

    # ------------------------------------------------------------------ contents

    def contents_field(self) -> object:
        """The table of contents: its heading and a TOC field; `fill_contents` writes the entries."""
        self.doc.add_paragraph(CONTENTS, style="TOC Heading")
        marker = self.doc.add_paragraph()
        return marker

    def fill_contents(self, marker) -> None:
        """The TOC field around one paragraph per heading (what shows before Word updates the field)."""
        entries = [(level, text) for level, text in self.headings if level <= 3] or [(1, TOC_NOTE)]
        paragraphs = []
        for level, text in entries:
            paragraph = self.doc.add_paragraph(clean(text), style=f"TOC {level}")
            paragraphs.append(paragraph)
        begin = paragraphs[0]._p
        _field_start(begin, ' TOC \\o "1-3" \\h \\z \\u ')
        _field_end(paragraphs[-1]._p)
        anchor = marker._p
        for paragraph in paragraphs:
            anchor.addnext(paragraph._p)
            anchor = paragraph._p
        note = self.doc.add_paragraph(TOC_NOTE, style="Tabellnot")
        anchor.addnext(note._p)
        marker._p.getparent().remove(marker._p)
        _setting(self.doc.settings.element, "updateFields").set(qn("w:val"), "true")

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


# The order of w:settings' children (ECMA-376 CT_Settings) from updateFields on: Word refuses a file whose
# settings are out of order (a repair prompt), so a setting is inserted before the first that follows it.
_SETTINGS_ORDER = (
    "updateFields", "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
    "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
)


def _setting(settings, name: str):
    """The settings' element `name` (made, in its place, when missing)."""
    found = settings.find(qn(f"w:{name}"))
    if found is not None:
        return found
    element = OxmlElement(f"w:{name}")
    later = {qn(f"w:{n}") for n in _SETTINGS_ORDER[_SETTINGS_ORDER.index(name) + 1:]}
    following = next((child for child in settings if child.tag in later), None)
    if following is not None:
        following.addprevious(element)
    else:
        settings.append(element)
    return element


def _font_name(style, name: str) -> None:
    """A style's font for every script (python-docx sets only ascii and hAnsi; the theme's would stay)."""
    style.font.name = name
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for key in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(key), name)
    for key in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(key), None)


def _header_row(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
    no_split = OxmlElement("w:cantSplit")
    no_split.set(qn("w:val"), "true")
    properties.append(no_split)


def _cell(cell, text: str, *, bold: bool = False, italic: bool = False, right: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(clean(text))
    run.bold, run.italic = bold or None, italic or None
    run.font.size = Pt(9.5)
    paragraph.paragraph_format.space_after = Pt(0)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _shade(cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _field_run(kind: str):
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    if kind == "begin":
        char.set(qn("w:dirty"), "true")  # Word updates the field (page numbers) when it opens the file
    run.append(char)
    return run


def _field_start(paragraph, instruction: str) -> None:
    runs = [_field_run("begin")]
    instr_run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    instr_run.append(instr)
    runs += [instr_run, _field_run("separate")]
    properties = paragraph.find(qn("w:pPr"))
    position = list(paragraph).index(properties) + 1 if properties is not None else 0
    for offset, run in enumerate(runs):
        paragraph.insert(position + offset, run)


def _field_end(paragraph) -> None:
    paragraph.append(_field_run("end"))


# --------------------------------------------------------------------------- chart descriptions

def chart_description(rows: Sequence[tuple[str, int, int]], caption: str) -> str:
    """"Stapeldiagram. Procent av de 190 kommuner …: Budget 78 % (149); …" — the chart's figures in words."""
    figures = "; ".join(f"{label}: {percent(pct)} ({count})" for label, pct, count in rows)
    return f"Stapeldiagram. {caption}: {figures}."


def compared_chart_description(rows: Sequence[tuple[str, int, int, int | None, int | None]], years: tuple[int, int],
                               caption: str) -> str:
    """A chart of two rounds in words, both rounds' figures per option: "Budget: 2013 78 % (149), 2011 70 %
    (130)"; (label, percent, count, earlier percent, earlier count), the earlier None for a new option."""
    year, earlier = years
    figures = "; ".join(
        f"{label}: {year} {percent(pct)} ({count}), {earlier} "
        + (f"{percent(before)} ({before_count})" if before is not None else "nytt alternativ")
        for label, pct, count, before, before_count in rows)
    return f"Stapeldiagram med två omgångar, {year} och under den {earlier} (ljusare stapel). {caption}: {figures}."


# --------------------------------------------------------------------------- form appendices

@dataclass(frozen=True)
class FormLine:
    """A line of a form as an appendix: "heading", "text", "question", "option", "help"."""

    kind: str
    text: str
    hint: str = ""


def form_lines(form: Form, *, letter: bool = True) -> list[FormLine]:
    """A form's questions and options as text, with its introduction (the letter) and closing lines."""
    out: list[FormLine] = [FormLine("title", form.title)]
    if letter:
        for section in form.intro:
            out.append(FormLine("heading", section.heading))
            out += [FormLine("text", part) for part in _parts(section.text)]
    for field in form.header:
        out.append(FormLine("field", field.label + (f" ({field.unit})" if field.unit else "")))
    for question in form.questions:
        if question.heading:
            out.append(FormLine("question", f"{question.number}) {question.heading}"))
            out.append(FormLine("question", f"{question.label} {question.text}", question.hint))
        else:
            out.append(FormLine("question", f"{question.label} {question.text}", question.hint))
        out += [FormLine("text", part) for part in _parts(question.introduction)]
        if question.instruction:
            out.append(FormLine("help", question.instruction))
        box = "___" if question.type == "ranking" else "☐"
        for option in question.options:
            label = option.label + (" ______________" if option.specify else "")
            out.append(FormLine("option", f"{box} {label}", option.description))
        if question.columns:
            out.append(FormLine("option", " | ".join(c.label for c in question.columns)))
        elif not question.options and question.type != "ranking":
            out.append(FormLine("option", "Svar: ______________"))
        if question.help:
            out.append(FormLine("help", question.help))
    for free in form.free_texts:
        out.append(FormLine("question", free.label))
    out += [FormLine("text", part) for part in _parts(form.closing)]
    return out


def _parts(text: str) -> list[str]:
    return [" ".join(line.strip() for line in part.splitlines()).strip()
            for part in clean(text or "").split("\n\n") if part.strip()]


def _appendix(word: WordDocument, heading: str, form: Form) -> None:
    word.doc.add_page_break()
    word.heading(heading, 1)
    for line in form_lines(form):
        if line.kind == "title":
            word.paragraph(line.text, "Subtitle")
        elif line.kind == "heading":
            word.paragraph(line.text, "Etikett")
        elif line.kind == "question":
            paragraph = word.paragraph(line.text, "Enkätfråga")
            if line.hint:
                paragraph.add_run(" " + clean(line.hint)).italic = True
        elif line.kind == "option":
            paragraph = word.paragraph(line.text, "Svarsalternativ")
            if line.hint:
                paragraph.add_run("\n" + clean(line.hint)).font.size = Pt(8.5)
        elif line.kind == "field":
            word.paragraph(f"{line.text}: ______________________")
        elif line.kind == "help":
            word.note(line.text)
        else:
            word.paragraph(line.text)


# --------------------------------------------------------------------------- aggregates (all but choices)

def _aggregate(word: WordDocument, question: Question, aggregate, *, names: Mapping[str, str] | None,
               unit_key: str, can_be_skipped: bool, with_region: bool) -> None:
    """A number, date, text or table question's figures (the PDFs' pdf_aggregates, as Word tables)."""
    extras = [("Ej svar", unit_count(getattr(aggregate, "ej_svar", 0), unit_key))]
    if can_be_skipped:
        extras.append(("Ej tillämpligt", unit_count(getattr(aggregate, "ej_tillampligt", 0), unit_key)))
    if question.type in NUMBER_TYPES:
        values = number_cells(aggregate if isinstance(aggregate, NumberAggregate) else None, question.unit)
        word.table(("Mått", "Värde"), [*zip(NUMBER_MEASURES, values, strict=True), *extras],
                   widths=(3, 2), extra_from=len(NUMBER_MEASURES))
    elif question.type == "date":
        values = date_cells(aggregate if isinstance(aggregate, DateAggregate) else None)
        word.table(("Mått", "Värde"), [*zip(DATE_MEASURES, values, strict=True), *extras], widths=(3, 2),
                   extra_from=len(DATE_MEASURES))
    elif question.qtype.has_columns:
        table = aggregate if isinstance(aggregate, TableAggregate) else None
        word.paragraph(rows_sentence(table, unit_key, can_be_skipped))
        columns = table.columns if table is not None else {}
        numbers = [c for c in question.columns if c.type in NUMBER_TYPES]
        if numbers:
            word.table(("Kolumn", *NUMBER_MEASURES),
                       [(_caption(c), *number_cells(columns.get(c.id), c.unit)) for c in numbers])
        dates = [c for c in question.columns if c.type == "date"]
        if dates:
            word.table(("Kolumn", *DATE_MEASURES), [(c.label, *date_cells(columns.get(c.id))) for c in dates])
        for column in question.columns:
            if column.type not in NUMBER_TYPES and column.type != "date":
                entries = text_entries(columns.get(column.id), names, with_region)
                word.paragraph(texts_caption(column.label, len(entries)), "Etikett")
                word.bullets(entries) if entries else word.paragraph("Inga svar.")
    else:
        texts = aggregate if isinstance(aggregate, TextAggregate) else None
        entries = text_entries(texts, names, with_region)
        word.paragraph(texts_caption("Svar", len(entries), texts, unit_key), "Etikett")
        word.bullets(entries) if entries else word.paragraph("Inga svar.")


def _caption(column) -> str:
    return f"{column.label} ({column.unit})" if column.unit else column.label


def _rank_rows(question: Question, aggregate: RankingAggregate | None) -> list[tuple[str, str, str]]:
    rows = []
    for option in question.options:
        count = aggregate.ranked_by.get(option.id, 0) if aggregate is not None else 0
        mean = aggregate.mean_rank.get(option.id) if aggregate is not None else None
        rows.append((option_label(question, option.id, option.label),
                     swedish_number(mean, "", RANK_PLACES, keep_places=True) if count else DASH, str(count)))
    return rows


# --------------------------------------------------------------------------- the national report

def _question_heading(word: WordDocument, question: Question | None, number: int, text: str) -> int:
    """"3) text (hint)" as Heading 2; a part's whole question above it, its part as Heading 3. The level
    of the question's own heading."""
    if question is None:
        word.heading(f"{number}) {text}", 2)
        return 2
    if question.heading:
        word.heading(f"{question.number}) {question.heading}", 2)
        word.heading(f"{question.label} {question.text}", 3, question.hint)
        return 3
    word.heading(f"{question.label} {question.text}", 2, question.hint)
    return 2


def rate_rows(report: NationalReport) -> list[tuple[str, str, str, str]]:
    rows = [(r.region + ("" if r.has_file else " (saknas)"), str(r.kommuner_totalt), str(r.kommuner_svarat),
             percent(r.svarsfrekvens)) for r in report.regions]
    total = report.total
    rows.append(("Total", str(total.kommuner_totalt), str(total.kommuner_svarat), percent(total.svarsfrekvens)))
    return rows


def rate_sentence(report: NationalReport) -> str:
    return shared_rate_sentence(report, percent)


def national_choice_rows(question: Question | None, national: NationalQuestion,
                         skippable: bool) -> tuple[list[tuple[str, str, str]], int]:
    """(label, percent, count) per option, then Ej svar (and Ej tillämpligt); and where the extras begin."""
    rows = [(option_label(question, o.option_id, o.label), percent(o.procent), str(o.antal)) for o in national.options]
    extra_from = len(rows)
    rows.append(("Ej svar", percent(national.ej_svar.procent), str(national.ej_svar.antal)))
    if skippable:
        rows.append(("Ej tillämpligt", percent(national.ej_tillampligt.procent), str(national.ej_tillampligt.antal)))
    return rows, extra_from


def ranking_rows(question: Question | None, ranking: NationalRanking) -> list[tuple[str, str, str]]:
    return [(option_label(question, r.option_id, r.label), decimal_comma(r.medelvarde) if r.antal_regioner else DASH,
             str(r.antal_regioner)) for r in ranking.ranks]


def _national_question(word: WordDocument, report: NationalReport, form: Form, question: Question,
                       national: NationalQuestion, names: Mapping[str, str] | None, comparison=None) -> int:
    from .national_pdf import national_chart

    level = _question_heading(word, question, national.number, national.text)
    skippable = can_be_skipped(form, question.id)
    change = comparison.question(question.id) if comparison is not None else None
    if question.qtype.has_options and change is not None and change.comparable:
        # as the PDF report: this round's percent and count, the earlier round's percent, the change
        labels = {o.option_id: option_label(question, o.option_id, o.label) for o in national.options}
        word.table(("Svarsalternativ", f"Procent {comparison.year}", f"Antal {units_word(report.unit_key)}",
                    f"Procent {comparison.earlier_year}", "Förändring"),
                   compared_rows(national, change, labels, skippable), widths=(3.7, 1.45, 1.95, 1.45, 2.7),
                   extra_from=len(national.options))
        total = report.total.kommuner_svarat
        caption = (f"Procent av de {units_word(report.unit_key)} som besvarat enkäten: {total} ({comparison.year}), "
                   f"{comparison.earlier_answered} ({comparison.earlier_year})")
        rows = [(labels[o.option_id], o.procent, o.antal,
                 share.earlier_procent if (share := change.option(o.option_id)) else None,
                 share.earlier_antal if share else None) for o in national.options]
        word.chart(national_chart(national, total, labels=labels, unit_key=report.unit_key, comparison=comparison),
                   compared_chart_description(rows, (comparison.year, comparison.earlier_year), caption))
    elif question.qtype.has_options:
        rows, extra_from = national_choice_rows(question, national, skippable)
        word.table(("Svarsalternativ", "Procent", f"Antal {units_word(report.unit_key)}"), rows,
                   widths=(6, 1.2, 1.6), extra_from=extra_from)
        total = report.total.kommuner_svarat
        labels = {o.option_id: option_label(question, o.option_id, o.label) for o in national.options}
        caption = f"Procent av de {unit_count(total, report.unit_key)} som besvarat enkäten"
        word.chart(national_chart(national, total, labels=labels, unit_key=report.unit_key),
                   chart_description([(labels[o.option_id], o.procent, o.antal) for o in national.options], caption))
    else:
        _aggregate(word, question, national.aggregate, names=names, unit_key=report.unit_key,
                   can_be_skipped=skippable, with_region=report.unit_key != "region")
    if change is not None and not (change.comparable and change.options):
        word.note(comparison_note(change, comparison, {}))
    return level


def _national_ranking(word: WordDocument, report: NationalReport, form: Form, question: Question,
                      ranking: NationalRanking, comparison=None) -> int:
    if question.heading:
        level = _question_heading(word, question, question.number, question.text)
    else:
        word.heading(f"{question.label} {question.text}", 2)
        level = 2
    if ranking.aggregate is None or any(r.antal_regioner for r in ranking.ranks):
        word.table(("Alternativ", "Medelvärde", "Antal regioner"), ranking_rows(question, ranking), widths=(6, 1.4, 1.4))
        word.note("Medelvärdet av rangordningen hos de regioner som rangordnat alternativet (1 = hög prioritet). "
                  "Alternativ som ingen region rangordnat visas med –.")
        if ranking.specify or question.specify_options:
            word.paragraph(f"{specify_label(question).rstrip(':')}:", "Etikett")
            word.bullets(ranking.specify) if ranking.specify else word.paragraph(DASH)
    if ranking.aggregate is not None:
        word.paragraph(f"{units_word(report.unit_key).capitalize()}nas rangordning", "Etikett")
        counted = units_word(report.unit_key)
        word.table(("Alternativ", f"{counted.capitalize()}nas medelvärde", f"Antal {counted} som rangordnat"),
                   _rank_rows(question, ranking.aggregate), widths=(6, 1.6, 1.6))
    if comparison is not None:
        labels = {o.id: option_label(question, o.id, o.label) for o in question.options}
        word.note(comparison_note(comparison.question(question.id), comparison, labels))
    return level


def national_docx(report: NationalReport, form: Form, template: ReportTemplate, texts: ReportTexts, *,
                  county_form: Form | None = None, exported_by: str = "", exported_at: str = "",
                  names: Mapping[str, str] | None = None, rate_notes: Sequence[str] | None = None,
                  comparison=None) -> bytes:
    """SKL's report as a Word document: title page, Förord, contents, the template's sections with SKL's
    texts, the results (response rates, then per question its table, chart, analysis and the regions'
    summaries), the forms as appendices.

    comparison (survey/national_comparison.py): as in the PDF report, each question beside the earlier
    round: the respondents of both rounds, the earlier percent and the change, both rounds' bars.

    rate_notes: footnotes under the response-rate table; by default the register's (Västra Götaland's four
    regions, aggregate_text.rate_notes), as in the national PDF and Excel.
    """
    from .county_pdf import exported_line
    from .pdf_aggregates import register_names

    names = register_names() if names is None else names
    subtitle = template.subtitle or report_title(form)
    round_name = survey_name(form, report.round_year)
    word = WordDocument(title=f"{template.title} – {subtitle}", author=exported_by,
                        subject=f"{round_name} – nationell sammanställning")

    # Title page
    word.doc.add_paragraph(clean(template.title), style="Title")
    word.paragraph(subtitle, "Subtitle")
    word.paragraph(round_name, "Subtitle")
    line = exported_line(exported_at, exported_by)
    if line:
        word.note(line)
    word.doc.add_page_break()

    before = [s for s in template.sections if s.placement == "before_contents"]
    body = [s for s in template.sections if s.placement != "before_contents"]
    for section in before:
        word.heading(section.heading, section.level)
        word.written(texts.section(section.id), section.level)
    if before:
        word.doc.add_page_break()
    marker = word.contents_field()
    word.doc.add_page_break()
    for section in body:
        word.heading(section.heading, section.level)
        word.written(texts.section(section.id), section.level)

    # Results
    word.doc.add_page_break()
    word.heading(template.results_heading, 1)
    word.heading(RATE_HEADING, 2)
    units, answered = rate_headings(report.unit_key)
    rates = word.table(("Län/region", units, answered, "Svarsfrekvens"), rate_rows(report),
                       widths=(2.8, 2.5, 2.5, 1.8), bold_last=True)
    for note in register_rate_notes(report) if rate_notes is None else rate_notes:  # Västra Götaland's four regions
        word.footnote(rates.rows[0].cells[0].paragraphs[0], note)  # "Län/region¹", the note at the page's foot
    word.paragraph(rate_sentence(report))
    if comparison is not None:
        word.paragraph(rounds_paragraph(comparison, units_word(report.unit_key)))

    by_id = {q.question_id: q for q in report.questions}
    rankings = {r.question_id: r for r in report.rankings}
    for question in form.questions:
        if question.id in rankings:
            level = _national_ranking(word, report, form, question, rankings[question.id], comparison)
        elif question.id in by_id:
            level = _national_question(word, report, form, question, by_id[question.id], names, comparison)
        else:
            continue
        analysis = texts.analysis(question.id)
        if analysis.strip():
            word.paragraph(template.analysis_label, "Etikett")
            word.written(analysis, level)
        national = by_id.get(question.id)
        if national is not None and report.unit_key != "region":
            summaries = [(region, text) for region, text in national.summaries if text.strip()]
            word.paragraph(REGION_SUMMARIES, "Etikett")
            word.bullets(summaries) if summaries else word.paragraph(DASH)
    if report.unit_key != "region":
        word.heading("Övriga synpunkter", 2)
        others = [(region, text) for region, text in report.ovriga_synpunkter if text.strip()]
        word.bullets(others) if others else word.paragraph(DASH)

    _appendix(word, template.form_appendix, form)
    if county_form is not None:
        _appendix(word, template.county_form_appendix, county_form)
    word.fill_contents(marker)
    return word.bytes()


# --------------------------------------------------------------------------- the county compilation

def _open_text(item: OpenText) -> tuple[str, str]:
    if item.kind == "ange":
        what = f"ange ({item.option_label})" if item.option_label else "ange"
    else:
        what = "kommentar"
    name = item.kommun_namn.strip()
    return (f"{name} – {what}" if name else what[:1].upper() + what[1:]), item.text


def _county_texts(word: WordDocument, result: QuestionResult, summary_label: str, *, always: bool = True) -> None:
    if always or result.summary.strip():
        word.paragraph(summary_label, "Etikett")
        parts = _parts(result.summary)
        for part in parts or [DASH]:
            word.paragraph(part)
    if result.texts:
        word.paragraph("Kommunernas öppna svar:", "Etikett")
        word.bullets([_open_text(item) for item in result.texts])


def county_docx(compilation: CountyCompilation, county_form: Form, *, contact_lines: Sequence[str] = (),
                exported_by: str = "", exported_at: str = "", names: Mapping[str, str] | None = None,
                comparison=None) -> bytes:
    """The county compilation of one region (Bilaga 2 filled in) as a Word document, for a leader to edit
    before sending: the header, then per question its heading, table, chart and texts, then the leader's
    free texts.

    comparison: the region beside an earlier round (store/comparisons.CountyComparison, the county view's
    "Jämför med"), or None: the same earlier figures and changes as the county PDF and Excel file."""
    from .county_pdf import exported_line, option_chart
    from .pdf_aggregates import register_names

    names = register_names() if names is None else names
    title = f"Länssammanställning {compilation.region} {compilation.round_year}"
    word = WordDocument(title=title, author=exported_by, subject=county_form.title)
    word.doc.add_paragraph(clean(title), style="Title")
    word.paragraph(county_form.title, "Subtitle")
    line = exported_line(exported_at, exported_by)
    if line:
        word.note(line)

    word.heading(county_form.header_title or "Sammanställda uppgifter från:", 1)
    for field in county_header(county_form):
        value = header_value(field, compilation)
        text = value if isinstance(value, str) else f"{value} {field.unit}".strip()
        if field.computed == "units_answered":
            text += f" ({percent(compilation.svarsfrekvens)})"
        word.paragraph(text or DASH, bold=f"{field.label}: ")
    if contact_lines:
        word.paragraph("\n".join(contact_lines), bold="Kontaktuppgifter: ")
    if comparison is not None:
        word.paragraph(f"{comparison.earlier.answered} kommuner besvarade enkäten {comparison.year}",
                       bold=f"Jämförs med omgången {comparison.year}: ")
    if compilation.drafts:
        word.note(f"Utkast, ej medräknade: {', '.join(compilation.drafts)}")
    if compilation.flagged:
        word.note(f"Svar med motsägelser (frågor som skulle hoppas över räknas inte): {', '.join(compilation.flagged)}")

    summary_label = county_form.summary_label or "Sammanfattning av öppna svar och övrig reflektion:"
    own_ranks = compilation.leader.ranks_of(compilation.ranking_questions)
    own_specify = compilation.leader.specify_of(compilation.ranking_questions)
    total = compilation.kommuner_svarat
    for result in compilation.questions:
        question = question_of(county_form, result.question_id)
        _question_heading(word, question, result.number, result.text)
        if question is not None:
            for part in _parts(question.introduction):
                word.paragraph(part)
            if question.instruction:
                word.note(question.instruction)
        change = comparison.change(result.question_id) if comparison is not None else None
        compared = change is not None and change.comparable
        if change is not None:
            word.note(f"Jämfört med {change.year}" if compared else NOT_COMPARABLE)
        if result.type == "ranking":
            ranks = own_ranks.get(result.question_id, {})
            means = {m.option_id: m for m in result.mean_ranks}
            rows, words = [], form_labels(question, result)
            for option in result.options:
                mean = means.get(option.option_id)
                rows.append((words[option.option_id],
                             str(ranks[option.option_id]) if ranks.get(option.option_id) else DASH,
                             decimal_comma(mean.mean) if mean is not None and mean.count else DASH,
                             str(mean.count if mean is not None else option.count),
                             *(rank_change_text(change.option(option.option_id)) if compared else ())))
            word.table(("Alternativ", "Regionens rangordning", "Kommunernas medelvärde",
                        "Antal kommuner som rangordnat",
                        *((f"Medelvärde {change.year}", "Förändring") if compared else ())), rows,
                       widths=(5, 1.6, 1.6, 1.6, *((1.6, 1.4) if compared else ())))
            ranked = total - result.ej_svar - result.ej_tillampligt
            word.note(f"Kommuner som rangordnat minst ett alternativ: {ranked} av {total}.")
            text = own_specify.get(result.question_id, "")
            if (question is not None and question.specify_options) or text.strip():
                word.paragraph(f"{specify_label(question).rstrip(':')}:", "Etikett")
                word.paragraph(text.strip() or DASH)
            _county_texts(word, result, summary_label, always=False)
            continue
        if question is not None and not question.qtype.has_options:
            _aggregate(word, question, result.aggregate, names=names, unit_key="kommun",
                       can_be_skipped=result.can_be_skipped, with_region=False)
            if compared:
                word.note(summary_text(change, question.unit or ""))
            _county_texts(word, result, summary_label)
            continue
        # The table is Bilaga 2 filled in, in the form's words (as the county PDF and Excel file); the chart
        # names the options by their short labels (docs/forms.md, `short_label`).
        words = form_labels(question, result)
        labels = {o.option_id: option_label(question, o.option_id, o.label) for o in result.options}
        if compared and change.options:  # as the county PDF: both rounds' figures, the change, both bars
            year = compilation.round_year
            word.table(("Svarsalternativ", f"Antal {year}", f"Procent {year}", f"Antal {change.year}",
                        f"Procent {change.year}", "Förändring"), compared_choice_rows(result, change, total, words),
                       widths=(3.6, 1.2, 1.45, 1.2, 1.45, 2.6), extra_from=len(result.options))
            caption = (f"Procent av de kommuner som besvarat enkäten: {total} ({year}), "
                       f"{change.earlier_answered} ({change.year})")
            before = [change.option(o.option_id) for o in result.options]
            rows = [(labels[o.option_id], o.percent, o.count, b.earlier_percent if b else None,
                     b.earlier_count if b else None) for o, b in zip(result.options, before, strict=True)]
            word.chart(option_chart(result, total, labels=labels, change=change, year=year),
                       compared_chart_description(rows, (year, change.year), caption))
            _county_texts(word, result, summary_label)
            continue
        rows = [(words[o.option_id], str(o.count), percent(o.percent)) for o in result.options]
        extra_from = len(rows)
        rows.append(("Ej svar", str(result.ej_svar), percent(result.ej_svar_percent)))
        if result.can_be_skipped:
            rows.append(("Ej tillämpligt", str(result.ej_tillampligt), percent(result.ej_tillampligt_percent)))
        word.table(("Svarsalternativ", "Antal kommuner", "Procent"), rows, widths=(6, 1.6, 1.2), extra_from=extra_from)
        caption = f"Procent av de {unit_count(total)} som besvarat enkäten"
        word.chart(option_chart(result, total, labels=labels),
                   chart_description([(labels[o.option_id], o.percent, o.count) for o in result.options], caption))
        _county_texts(word, result, summary_label)

    for free in county_form.free_texts:
        word.heading(free.label, 2)
        parts = _parts(compilation.leader.field(free.id))
        for part in parts or [DASH]:
            word.paragraph(part)
    return word.bytes()




# --------------------------------------------------------------------------- what the CLI and the window pass

@dataclass(frozen=True)
class ReportParts:
    """What a round's report is made of besides its figures."""

    template: ReportTemplate
    texts: ReportTexts
    county_form: Form | None


def report_parts(store, round_) -> ReportParts:
    """The report template (stored with the round), SKL's texts and the county form (Bilaga 2) of a round."""
    return ReportParts(store.report_template(round_), store.report_texts(round_), store.county_form_of(round_))


def national_docx_for(store, round_, *, exported_by: str = "", report: NationalReport | None = None,
                      comparison=None) -> bytes:
    """A round's report as Word, from the county files received (national_file.report_for); `report`: that
    compilation when the caller has made it already (it is not made twice); `comparison`: the earlier round
    it is set beside (national_file.national_comparison_for), or None."""
    from datetime import datetime

    from .national_file import report_for

    parts = report_parts(store, round_)
    return national_docx(report if report is not None else report_for(store, round_), store.form_of(round_), parts.template, parts.texts,
                         county_form=parts.county_form, exported_by=exported_by,
                         exported_at=datetime.now().astimezone().isoformat(timespec="seconds"), comparison=comparison)


__all__ = ["FormLine", "ReportParts", "chart_description", "county_docx", "form_lines", "national_docx",
           "national_docx_for", "option_label", "report_parts"]
