"""A questionnaire as PDF: blank for paper (Bilaga 1), or filled with one municipality's answers.

Plain Python (reportlab platypus), no Qt. The content is that of `response_html`: the same
header, questions, options, "ange" texts, comments and help texts. Every text from a user is
cleaned of control characters and escaped, so it is printed literally and never read as markup.
The DejaVu fonts in resources/fonts are embedded (as subsets), so Swedish letters and the ballot
boxes ☐ ☒ look the same on every computer.
"""

from __future__ import annotations

import io
import re
import unicodedata
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ..paths import resources_dir
from ..survey.answers import Answers, skipped_questions
from ..survey.forms import Form, Option, Question
from .aggregate_text import (
    NUMBER_TYPES,
    blank_table_rows,
    bounds_text,
    column_hint,
    contact_block,
    intro_has_contact,
    respondent_rows,
    value_text,
)

CHECKED, UNCHECKED = "☒", "☐"
FONT = "BoUSans"
FONT_BOLD = "BoUSans-Bold"
FONT_ITALIC = "BoUSans-Oblique"
_FONT_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf", FONT_ITALIC: "DejaVuSans-Oblique.ttf"}

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
FRAME_HEIGHT = PAGE_HEIGHT - 2 * MARGIN
GREY = colors.HexColor("#555555")
LINE_GREY = colors.HexColor("#888888")
OPTION_INDENT = 7 * mm  # checkbox options: room for the box left of the label
RANK_INDENT = 12 * mm  # ranking options: room for the drawn rank box


def register_fonts() -> str:
    """Register the DejaVu fonts as the family "BoUSans" (once) and return the regular font's name."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    folder = resources_dir() / "fonts"
    for name, filename in _FONT_FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(folder / filename)))
    # There is no bold oblique file; bold stands in for it.
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD)
    return FONT


# Control characters (Cc) other than newline and tab, and lone surrogates (Cs).
_UNWANTED = {"Cc", "Cs"}


def clean_text(text: str) -> str:
    """Text made safe for a Paragraph: control characters removed, markup escaped, newlines as <br/>."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in _UNWANTED)
    return escape(text).replace("\n", "<br/>")


def _paragraphs(text: str, style: ParagraphStyle) -> list[Flowable]:
    """Paragraphs split on blank lines; single newlines (e.g. "1. 2. 3." lists) kept as line breaks."""
    parts = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").strip())
    return [Paragraph(clean_text(part.strip("\n")), style) for part in parts if part.strip()]


# --------------------------------------------------------------------------- styles

def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=10, leading=13)
    return {
        "base": base,
        "title": ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=14, leading=18, spaceAfter=8),
        "heading": ParagraphStyle("heading", base, fontName=FONT_BOLD, fontSize=11.5, leading=15,
                                  spaceBefore=10, spaceAfter=3),
        "body": ParagraphStyle("body", base, spaceAfter=5),
        "question": ParagraphStyle("question", base, fontName=FONT_BOLD, fontSize=10.5, leading=14,
                                   spaceBefore=14, spaceAfter=4),
        "intro": ParagraphStyle("intro", base, spaceAfter=4),
        "instruction": ParagraphStyle("instruction", base, fontName=FONT_ITALIC, textColor=GREY, spaceAfter=4),
        "note": ParagraphStyle("note", base, fontName=FONT_ITALIC, textColor=GREY, spaceAfter=4),
        "option": ParagraphStyle("option", base, leftIndent=OPTION_INDENT, bulletIndent=0.5 * mm,
                                 bulletFontName=FONT, bulletFontSize=12, spaceBefore=2.5),
        "rank_label": ParagraphStyle("rank_label", base),
        "rank_box": ParagraphStyle("rank_box", base, fontName=FONT_BOLD, alignment=TA_CENTER),
        "description": ParagraphStyle("description", base, fontSize=8.5, leading=11, textColor=GREY,
                                      leftIndent=OPTION_INDENT, spaceBefore=1),
        "rank_description": ParagraphStyle("rank_description", base, fontSize=8.5, leading=11, textColor=GREY,
                                           spaceBefore=1),
        "specify": ParagraphStyle("specify", base, leftIndent=OPTION_INDENT, spaceBefore=1.5),
        "comment": ParagraphStyle("comment", base, spaceBefore=5),
        "help": ParagraphStyle("help", base, fontSize=8.5, leading=11, textColor=GREY, spaceBefore=5),
        "label": ParagraphStyle("label", base, fontName=FONT_BOLD),
        "part": ParagraphStyle("part", base, fontName=FONT_BOLD, fontSize=10.5, leading=14, spaceBefore=4,
                               spaceAfter=4),
        "answer": ParagraphStyle("answer", base, spaceBefore=3),
        "answer_text": ParagraphStyle("answer_text", base, leftIndent=OPTION_INDENT, spaceBefore=2),
        "date_box": ParagraphStyle("date_box", base, fontSize=9, leading=10, alignment=TA_CENTER),
        "cell": ParagraphStyle("cell", base, fontSize=9, leading=11.5),
        "cell_head": ParagraphStyle("cell_head", base, fontName=FONT_BOLD, fontSize=8.5, leading=10.5),
        "cell_number": ParagraphStyle("cell_number", base, fontSize=8.5, leading=10.5, textColor=GREY,
                                      alignment=TA_CENTER),
    }


# --------------------------------------------------------------------------- building blocks

def _table_style(commands: list[tuple]) -> TableStyle:
    # Tables default to Helvetica for plain cells; name our font so no unembedded font is referenced.
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands])


def _write_lines(label: str, style: ParagraphStyle, *, indent: float = 0.0, lines: int = 1,
                 space_before: float = 0.0) -> Table:
    """A label followed by ruled lines to write on by hand (the first line next to the label)."""
    width = FRAME_WIDTH - indent
    label_width = pdfmetrics.stringWidth(label, style.fontName, style.fontSize) + 2 * mm
    data = [["", Paragraph(label, style), ""]]
    data += [["", "", ""] for _ in range(lines - 1)]
    commands = [
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LINEBELOW", (2, 0), (2, 0), 0.5, LINE_GREY),
    ]
    for row in range(1, lines):
        commands += [("SPAN", (1, row), (2, row)), ("LINEBELOW", (1, row), (2, row), 0.5, LINE_GREY)]
    table = Table(data, colWidths=[indent, label_width, width - label_width], rowHeights=[7.5 * mm] * lines,
                  hAlign="LEFT", spaceBefore=space_before)
    table.setStyle(_table_style(commands))
    return table


def _rank_row(option: Option, rank: int | None, styles: dict[str, ParagraphStyle]) -> Table:
    """A ranking option: a drawn square to write the rank in (or holding it), then the label."""
    box = Table([[Paragraph(str(rank) if rank else "", styles["rank_box"])]], colWidths=[8 * mm],
                rowHeights=[6 * mm])
    box.setStyle(_table_style([
        ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.8),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
    ]))
    label: list[Flowable] = [Paragraph(clean_text(option.label), styles["rank_label"])]
    if option.description:
        label.append(Paragraph(clean_text(option.description), styles["rank_description"]))
    table = Table([[box, label]], colWidths=[RANK_INDENT, FRAME_WIDTH - RANK_INDENT], hAlign="LEFT")
    table.setStyle(_table_style([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (0, 0), 0),
        ("TOPPADDING", (1, 0), (1, 0), 2.2),  # lines the label's baseline up with the rank in the box
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    table.spaceBefore = 4.5
    return table


def _option_flowables(question: Question, option: Option, answers: Answers,
                      styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """An option with its box (ticked or not) or rank box, description and "ange" text or line."""
    out: list[Flowable] = []
    if question.type == "ranking":
        out.append(_rank_row(option, answers.ranks.get(question.id, {}).get(option.id), styles))
        indent = RANK_INDENT
    else:
        mark = CHECKED if option.id in answers.choices.get(question.id, []) else UNCHECKED
        out.append(Paragraph(clean_text(option.label), styles["option"], bulletText=mark))
        if option.description:
            out.append(Paragraph(clean_text(option.description), styles["description"]))
        indent = OPTION_INDENT
    if option.specify:
        text = answers.specify.get((question.id, option.id), "")
        if text.strip():
            style = ParagraphStyle("specify_at", styles["specify"], leftIndent=indent)
            out.append(Paragraph(f"ange: <font name='{FONT_ITALIC}'>{clean_text(text)}</font>", style))
        else:
            out.append(_write_lines("ange:", styles["base"], indent=indent))
    return out


def _date_boxes(styles: dict[str, ParagraphStyle]) -> Table:
    """Eight boxes to write a date in, ÅÅÅÅ-MM-DD, the letters faint in the boxes as a guide."""
    cells = [*"ÅÅÅÅ", "–", *"MM", "–", *"DD"]
    box = 6.5 * mm
    widths = [4 * mm if c == "–" else box for c in cells]
    data = [[Paragraph(c if c == "–" else f"<font color='#b0b0b0'>{c}</font>", styles["date_box"]) for c in cells]]
    commands = [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]
    commands += [("BOX", (i, 0), (i, 0), 0.6, LINE_GREY) for i, c in enumerate(cells) if c != "–"]
    table = Table(data, colWidths=widths, rowHeights=[8 * mm], hAlign="LEFT", spaceBefore=3)
    table.setStyle(_table_style(commands))
    return table


def _text_box(lines: int) -> Table:
    """A framed box to write a longer text in by hand."""
    table = Table([[""]], colWidths=[FRAME_WIDTH], rowHeights=[lines * 7.5 * mm], hAlign="LEFT", spaceBefore=3)
    table.setStyle(_table_style([("BOX", (0, 0), (-1, -1), 0.6, LINE_GREY)]))
    return table


def _column_head(column) -> str:
    hint = column_hint(column)
    return f"{clean_text(column.label)}<br/><font size='7.5' color='#555555'>{clean_text(hint)}</font>" if hint \
        else clean_text(column.label)


def _table_flowables(question: Question, answers: Answers, blank: bool,
                     styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Column headers, then the filled rows (or empty rows to write in, up to max_rows)."""
    columns = question.columns
    data: list[list] = [[Paragraph("Rad", styles["cell_head"])]
                        + [Paragraph(_column_head(c), styles["cell_head"]) for c in columns]]
    if blank:
        data += [[Paragraph(str(n), styles["cell_number"])] + ["" for _c in columns]
                 for n in range(1, blank_table_rows(question) + 1)]
    else:
        rows = [(n, row) for n, row in enumerate(answers.tables.get(question.id, []), start=1)
                if any(v.strip() for v in row.values())]
        for number, row in rows:
            data.append([Paragraph(str(number), styles["cell_number"])]
                        + [Paragraph(clean_text(value_text(c, row.get(c.id, ""))), styles["cell"]) for c in columns])
    number_width = 12 * mm
    width = (FRAME_WIDTH - number_width) / max(len(columns), 1)
    commands = [("GRID", (0, 0), (-1, -1), 0.5, LINE_GREY), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("VALIGN", (0, 0), (-1, 0), "BOTTOM")]
    table = Table(data, colWidths=[number_width] + [width] * len(columns), repeatRows=1, hAlign="LEFT",
                  rowHeights=[None] + [8 * mm if blank else None] * (len(data) - 1), spaceBefore=3)
    table.setStyle(_table_style(commands))
    out: list[Flowable] = [table]
    if not blank and len(data) == 1:
        out.append(Paragraph("Inga rader ifyllda.", styles["note"]))
    if blank and question.max_rows is not None and question.max_rows > len(data) - 1:
        out.append(Paragraph(f"Högst {question.max_rows} rader; fler rader kan skrivas på ett eget blad.",
                             styles["note"]))
    return out


def _value_flowables(question: Question, answers: Answers, blank: bool,
                     styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """A number, date, text, longtext or table question: the answer, or room to write it on a blank form."""
    if question.qtype.has_columns:
        return _table_flowables(question, answers, blank, styles)
    value = answers.values.get(question.id, "")
    if question.type == "date" and (blank or not value.strip()):
        return [_date_boxes(styles)] if blank else [Paragraph("Svar: –", styles["answer"])]
    if blank:
        if question.type == "longtext":
            return [_text_box(4)]
        if question.type in NUMBER_TYPES:
            label = f"Svar {bounds_text(question)}:" if bounds_text(question) else "Svar:"
            return [_write_lines(label, styles["base"], space_before=2)]
        return [_write_lines("Svar:", styles["base"], space_before=2)]
    if not value.strip():
        return [Paragraph("Svar: –", styles["answer"])]
    if question.type == "longtext":
        return [Paragraph("Svar:", styles["answer"]), *_paragraphs(value, styles["answer_text"])]
    return [Paragraph(f"Svar: <b>{clean_text(value_text(question, value))}</b>", styles["answer"])]


def _question_block(question: Question, answers: Answers, blank: bool, skipped: set[str],
                    styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    hint = f" <font name='{FONT_ITALIC}' color='#555555'>{clean_text(question.hint)}</font>" if question.hint else ""
    head: list[Flowable] = []
    if question.heading:  # the whole question's text, once, above its first part
        head.append(Paragraph(f"{question.number}) {clean_text(question.heading)}", styles["question"]))
        head.append(Paragraph(f"{question.label} {clean_text(question.text)}{hint}", styles["part"]))
    else:
        head.append(Paragraph(f"{question.label} {clean_text(question.text)}{hint}", styles["question"]))
    if question.introduction:
        head += _paragraphs(question.introduction, styles["intro"])
    if question.instruction:
        head.append(Paragraph(clean_text(question.instruction), styles["instruction"]))
    if question.id in skipped and not answers.is_answered(question):
        head.append(Paragraph("Ej tillämpligt (hoppas över).", styles["note"]))
    if question.qtype.has_options:
        options = [_option_flowables(question, option, answers, styles) for option in question.options]
    else:
        options = [_value_flowables(question, answers, blank, styles)]
    tail: list[Flowable] = []
    comment = answers.comments.get(question.id, "")
    if comment.strip():
        tail.append(Paragraph(f"<b>Kommentar:</b> {clean_text(comment)}", styles["comment"]))
    elif blank:
        tail.append(_write_lines("Kommentar:", styles["label"], lines=2, space_before=5))
    if question.help:
        tail += _paragraphs(question.help, styles["help"])
    flat = head + [f for group in options for f in group] + tail
    if _height(flat) <= FRAME_HEIGHT * 0.45:
        return [KeepTogether(flat)]
    # A long question may split, but never leave its heading alone at the foot of a page.
    first = head + [f for group in options[:2] for f in group]
    rest = [f for group in options[2:] for f in group] + tail
    if not question.qtype.has_options:  # a value or a table: the heading stays with its first lines
        first = head + options[0][:1]
        rest = options[0][1:] + tail
    return [KeepTogether(first), *rest]


def _contact_paragraph(contact_lines: list[str] | None, style: ParagraphStyle) -> Paragraph:
    first, *rest = contact_block(contact_lines)
    return Paragraph("<br/>".join([f"<b>{clean_text(first)}</b>", *(clean_text(line) for line in rest)]), style)


def _height(flowables: list[Flowable]) -> float:
    total = 0.0
    for flowable in flowables:
        _w, h = flowable.wrap(FRAME_WIDTH, FRAME_HEIGHT)
        total += h + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def _respondent_table(rows: list[tuple[str, str]], blank: bool, styles: dict[str, ParagraphStyle]) -> Table:
    """Labelled lines: room to write on a blank form; on a filled one the values, on their lines."""
    label_width = 32 * mm
    data = [[Paragraph(f"{clean_text(label)}:", styles["label"]), Paragraph(clean_text(value), styles["base"])]
            for label, value in rows]
    table = Table(data, colWidths=[label_width, FRAME_WIDTH - label_width], hAlign="LEFT",
                  minRowHeights=[8 * mm if blank else 0] * len(rows))
    table.setStyle(_table_style([
        # Bottom-aligned on blank lines; top-aligned when a long value wraps onto several lines.
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM" if blank else "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1 if blank else 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LINEBELOW", (1, 0), (1, -1), 0.5, LINE_GREY),
    ]))
    return table


# --------------------------------------------------------------------------- pages

class NumberedCanvas(rl_canvas.Canvas):
    """Holds every page back until the end, so that the footer can say "Sida N av M"."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.saveState()
            self.setFont(FONT, 8.5)
            self.setFillColor(GREY)
            self.drawRightString(PAGE_WIDTH - MARGIN, 10 * mm, f"Sida {self._pageNumber} av {total}")
            self.restoreState()
            super().showPage()
        super().save()


def _place(municipality: str, code: str) -> str:
    if municipality and code:
        return f"{municipality} ({code})"
    return municipality or code


def _fit(text: str, width: float, size: float) -> str:
    """Text shortened with "…" until it fits `width` points on one line."""
    if pdfmetrics.stringWidth(text, FONT, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", FONT, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _page_header(left: str, right: str):
    size = 8.5
    # Keep the left text clear of the right one, however long a title is.
    left = _fit(left, FRAME_WIDTH - pdfmetrics.stringWidth(right, FONT, size) - 6 * mm, size)

    def draw(canvas: rl_canvas.Canvas, _doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, size)
        canvas.setFillColor(GREY)
        y = PAGE_HEIGHT - 12 * mm
        canvas.drawString(MARGIN, y, left)
        if right:
            canvas.drawRightString(PAGE_WIDTH - MARGIN, y, right)
        canvas.setStrokeColor(LINE_GREY)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, y - 2 * mm, PAGE_WIDTH - MARGIN, y - 2 * mm)
        canvas.restoreState()
    return draw


def _strip(text: str) -> str:
    """Plain text for the canvas and metadata (no markup there, but no control characters either)."""
    return "".join(ch for ch in str(text) if unicodedata.category(ch) not in _UNWANTED).strip()


def questionnaire_pdf(form: Form, *, municipality: str = "", code: str = "", answers: Answers | None = None,
                      meta: dict[str, str | None] | None = None, status: str | None = None,
                      contact_lines: list[str] | None = None, include_intro: bool = False,
                      round_year: int | None = None) -> bytes:
    """The questionnaire as A4 PDF with its answers ticked; `answers=None` gives a blank form for paper."""
    register_fonts()
    styles = _styles()
    meta = meta or {}
    blank = answers is None
    answers = answers or Answers()
    skipped = skipped_questions(form, answers)
    place = _strip(_place(municipality, code))

    story: list[Flowable] = [Paragraph(clean_text(form.title), styles["title"])]
    contact_style = ParagraphStyle("contact", styles["body"], spaceBefore=8)
    if include_intro:
        for section in form.intro:
            story.append(Paragraph(clean_text(section.heading), styles["heading"]))
            story += _paragraphs(section.text, styles["body"])
            if section.contact:  # the letter's contact lines: the leader's, from the profile
                story.append(_contact_paragraph(contact_lines, contact_style))
    if contact_lines and not (include_intro and intro_has_contact(form)):
        story.append(_contact_paragraph(contact_lines, contact_style))

    rows = respondent_rows(form, _place(municipality, code), answers, meta, status, blank)
    story.append(KeepTogether([
        Paragraph(clean_text(form.header_title or "Uppgiftslämnare"), styles["heading"]),
        _respondent_table(rows, blank, styles),
    ]))

    for question in form.questions:
        story += _question_block(question, answers, blank, skipped, styles)
    if form.closing:
        story += [Spacer(1, 6 * mm), KeepTogether(_paragraphs(form.closing, styles["body"]))]

    # the round as the window and the other files name it: "Kartläggning 2011", "Lägesrapport 2013"
    right = "   ·   ".join(part for part in (place, form.round_title(round_year) if round_year else "") if part)
    where = " ".join(part for part in (_strip(municipality), str(round_year) if round_year else "") if part)
    title = ("Enkät" if not blank else "Enkät (tom)") + (f" – {where}" if where else "")
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
        title=title, author="BoU Desktop", creator="BoU Desktop", subject=_strip(form.title), lang="sv-SE",
        initialFontName=FONT,  # else the canvas names Helvetica, an unembedded font, though never used
    )
    on_page = _page_header(_strip(form.short_title or form.title), right)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page, canvasmaker=NumberedCanvas)
    return buffer.getvalue()
