"""SKL's report (the Enkätredovisning) as PDF, with the same content as the Word report (report_docx.py).

Title page, Förord, a table of contents with page numbers, the report template's sections with the
texts SKL writes (survey/report.py), the results as in the national PDF (national_pdf.national_story:
response rates, then per question its table and chart) with SKL's analysis under each question, and
the forms as appendices. Every heading is a bookmark in the PDF's outline and an entry in the table of
contents; the document has a title and the language sv-SE (/Lang in the catalogue); the DejaVu fonts
are embedded (pdf_forms). Plain Python (reportlab), no Qt. Every text from a user goes through
`clean_text`, so it is printed literally and never read as markup.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus.tableofcontents import TableOfContents

from ..survey.forms import Form, Question
from ..survey.national import NationalReport
from ..survey.report import ReportTemplate, ReportTexts, blocks
from .aggregate_text import report_title, survey_name
from .county_pdf import exported_line, page_decoration, paragraph_styles, plain, table_style
from .national_pdf import _extra_styles, national_story
from .pdf_forms import FONT, FONT_BOLD, FONT_ITALIC, GREY, MARGIN, NumberedCanvas, clean_text, register_fonts
from .report_docx import CONTENTS, form_lines

# Paragraph style -> outline level (0 = a chapter). "heading", "question" and "part" are the national
# PDF's own: the response rates' heading, a question's heading, a part of a question.
OUTLINE_LEVELS = {"h1": 0, "h2": 1, "h3": 2, "h4": 3, "heading": 1, "question": 1, "part": 2}


def _styles() -> dict[str, ParagraphStyle]:
    styles = _extra_styles(paragraph_styles())
    base = styles["base"]
    styles.update({
        "cover_title": ParagraphStyle("cover_title", base, fontName=FONT_BOLD, fontSize=28, leading=34,
                                      spaceBefore=60 * mm, spaceAfter=10),
        "cover_subtitle": ParagraphStyle("cover_subtitle", base, fontSize=15, leading=20, textColor=GREY,
                                         spaceAfter=8),
        "contents": ParagraphStyle("contents", base, fontName=FONT_BOLD, fontSize=16, leading=20, spaceAfter=10),
        "h1": ParagraphStyle("h1", base, fontName=FONT_BOLD, fontSize=16, leading=20, spaceBefore=14, spaceAfter=8,
                             keepWithNext=1),
        "h2": ParagraphStyle("h2", base, fontName=FONT_BOLD, fontSize=12.5, leading=16, spaceBefore=12, spaceAfter=4,
                             keepWithNext=1),
        "h3": ParagraphStyle("h3", base, fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=3,
                             keepWithNext=1),
        "h4": ParagraphStyle("h4", base, fontName=FONT_ITALIC, fontSize=10.5, leading=14, spaceBefore=6,
                             spaceAfter=2, keepWithNext=1),
        "body": ParagraphStyle("body", base, spaceAfter=6),
        "bullet": ParagraphStyle("bullet", base, leftIndent=6 * mm, bulletIndent=1.5 * mm, bulletFontName=FONT,
                                 spaceAfter=2),
        "analysis_label": ParagraphStyle("analysis_label", base, fontName=FONT_BOLD, spaceBefore=8, spaceAfter=2,
                                         keepWithNext=1),
        "form_title": ParagraphStyle("form_title", base, fontName=FONT_BOLD, fontSize=12, leading=15, spaceAfter=6),
        "form_heading": ParagraphStyle("form_heading", base, fontName=FONT_BOLD, spaceBefore=6, spaceAfter=2,
                                       keepWithNext=1),
        "form_question": ParagraphStyle("form_question", base, fontName=FONT_BOLD, spaceBefore=8, spaceAfter=3,
                                        keepWithNext=1),
        "form_option": ParagraphStyle("form_option", base, leftIndent=7 * mm, spaceAfter=1.5),
        "form_help": ParagraphStyle("form_help", styles["note"], fontSize=8.5, leading=11),
    })
    return styles


def _heading_style(level: int) -> str:
    return f"h{max(1, min(level, 4))}"


def _written(text: str, level: int, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """A text SKL wrote: paragraphs, subheadings one level below `level`, bulleted lists."""
    out: list[Flowable] = []
    for block in blocks(text):
        if block.kind == "subheading":
            out.append(Paragraph(clean_text(block.text), styles[_heading_style(level + 1)]))
        elif block.kind == "bullets":
            out += [Paragraph(clean_text(item), styles["bullet"], bulletText="•") for item in block.items]
        else:
            out.append(Paragraph(clean_text(block.text), styles["body"]))
    return out


def _appendix(heading: str, form: Form, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    out: list[Flowable] = [PageBreak(), Paragraph(clean_text(heading), styles["h1"])]
    for line in form_lines(form):
        hint = f" <i>{clean_text(line.hint)}</i>" if line.hint and line.kind == "question" else ""
        if line.kind == "title":
            out.append(Paragraph(clean_text(line.text), styles["form_title"]))
        elif line.kind == "heading":
            out.append(Paragraph(clean_text(line.text), styles["form_heading"]))
        elif line.kind == "question":
            out.append(Paragraph(clean_text(line.text) + hint, styles["form_question"]))
        elif line.kind == "option":
            description = (f"<br/><font size='8' color='#555555'>{clean_text(line.hint)}</font>" if line.hint else "")
            out.append(Paragraph(clean_text(line.text) + description, styles["form_option"]))
        elif line.kind == "field":
            out.append(Paragraph(f"{clean_text(line.text)}: ______________________", styles["body"]))
        elif line.kind == "help":
            out.append(Paragraph(clean_text(line.text), styles["form_help"]))
        else:
            out.append(Paragraph(clean_text(line.text), styles["body"]))
    return out


class ReportDocument(BaseDocTemplate):
    """A4 pages; every paragraph in a heading style becomes a bookmark (outline) and a contents entry."""

    def __init__(self, buffer, *, title: str, author: str, subject: str, header: str, footer: str) -> None:
        super().__init__(
            buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
            title=plain(title), author=plain(author) or "BoU Desktop", creator="BoU Desktop", subject=plain(subject),
            lang="sv-SE", initialFontName=FONT,  # else the canvas names Helvetica, an unembedded font
        )
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        decoration = page_decoration(plain(header), footer)

        def cover(canvas, doc) -> None:  # the title page: no running header
            pass

        self.addPageTemplates([PageTemplate("cover", [frame], onPage=cover),
                               PageTemplate("page", [frame], onPage=decoration)])
        self._marks = 0

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (reportlab calls it by this name)
        if not isinstance(flowable, Paragraph):
            return
        level = OUTLINE_LEVELS.get(flowable.style.name)
        if level is None:
            return
        text = " ".join(flowable.getPlainText().split())
        self._marks += 1
        key = f"rubrik{self._marks}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=level >= 1)
        self.notify("TOCEntry", (level, text, self.page, key))

    def handle_documentBegin(self) -> None:  # noqa: N802 (reportlab calls it by this name)
        self._marks = 0  # each pass of multiBuild numbers the bookmarks from the start
        super().handle_documentBegin()


def _contents(styles: dict[str, ParagraphStyle]) -> TableOfContents:
    # The entries are a table: name our font, or its cells would reference Helvetica, an unembedded font.
    contents = TableOfContents(dotsMinLevel=0, tableStyle=table_style([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    base = styles["base"]
    contents.levelStyles = [
        ParagraphStyle("toc0", base, fontName=FONT_BOLD, fontSize=10.5, leading=14, leftIndent=0, firstLineIndent=0,
                       spaceBefore=4),
        ParagraphStyle("toc1", base, fontSize=9.5, leading=12, leftIndent=6 * mm, firstLineIndent=0),
        ParagraphStyle("toc2", base, fontSize=9, leading=11.5, leftIndent=12 * mm, firstLineIndent=0),
        ParagraphStyle("toc3", base, fontSize=9, leading=11.5, leftIndent=18 * mm, firstLineIndent=0),
    ]
    return contents


def report_pdf_for(store, round_, *, exported_by: str = "", comparison=None,
                   report: NationalReport | None = None) -> bytes:
    """A round's report as PDF, from the county files received (national_file.report_for); `report`: that
    compilation when the caller has made it already (it is not made twice)."""
    from .national_file import report_for
    from .report_docx import report_parts

    parts = report_parts(store, round_)
    return report_pdf(report if report is not None else report_for(store, round_), store.form_of(round_), parts.template, parts.texts,
                      county_form=parts.county_form, exported_by=exported_by, exported_at=_now(),
                      comparison=comparison)


def _now() -> str:
    from datetime import datetime

    return datetime.now().astimezone().isoformat(timespec="seconds")


def report_pdf(report: NationalReport, form: Form, template: ReportTemplate, texts: ReportTexts, *,
               county_form: Form | None = None, exported_by: str = "", exported_at: str = "",
               names: Mapping[str, str] | None = None, rate_notes: Sequence[str] | None = None, comparison=None) -> bytes:
    """SKL's report as an A4 PDF: the Word report's content (report_docx.national_docx), with bookmarks,
    a table of contents with page numbers, title and language."""
    register_fonts()
    styles = _styles()
    subtitle = template.subtitle or report_title(form)
    round_name = survey_name(form, report.round_year)
    story: list[Flowable] = [
        NextPageTemplate("page"),  # every page after the title page has the running header
        Paragraph(clean_text(template.title), styles["cover_title"]),
        Paragraph(clean_text(subtitle), styles["cover_subtitle"]),
        Paragraph(clean_text(round_name), styles["cover_subtitle"]),
    ]
    line = exported_line(exported_at, exported_by)
    if line:
        story += [Spacer(1, 20 * mm), Paragraph(clean_text(line), styles["note"])]
    story.append(PageBreak())
    before = [s for s in template.sections if s.placement == "before_contents"]
    body = [s for s in template.sections if s.placement != "before_contents"]
    for section in before:
        story.append(Paragraph(clean_text(section.heading), styles[_heading_style(section.level)]))
        story += _written(texts.section(section.id), section.level, styles)
    if before:
        story.append(PageBreak())
    story += [Paragraph(CONTENTS, styles["contents"]), _contents(styles), PageBreak()]
    for section in body:
        story.append(Paragraph(clean_text(section.heading), styles[_heading_style(section.level)]))
        story += _written(texts.section(section.id), section.level, styles)

    def analysis(question: Question) -> list[Flowable]:
        text = texts.analysis(question.id)
        if not text.strip():
            return []
        level = 3 if question.heading else 2
        return [KeepTogether([Paragraph(clean_text(template.analysis_label), styles["analysis_label"]),
                              *_written(text, level, styles)[:1]]), *_written(text, level, styles)[1:]]

    story += [PageBreak(), Paragraph(clean_text(template.results_heading), styles["h1"])]
    story += national_story(report, form, styles, names=names, comparison=comparison, notes=rate_notes,
                            after_question=analysis)
    story += _appendix(template.form_appendix, form, styles)
    if county_form is not None:
        story += _appendix(template.county_form_appendix, county_form, styles)

    buffer = io.BytesIO()
    title = f"{template.title} – {subtitle}"
    doc = ReportDocument(buffer, title=title, author=exported_by, subject=f"{round_name} – nationell sammanställning",
                         header=f"{template.title} – {round_name}", footer=line)
    doc.multiBuild(story, canvasmaker=NumberedCanvas)
    return buffer.getvalue()


__all__ = ["OUTLINE_LEVELS", "report_pdf", "report_pdf_for"]
