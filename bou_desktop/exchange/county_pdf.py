"""The county compilation (länssammanställningen) as PDF: Bilaga 2 filled in for one region.

Plain Python (reportlab platypus and graphics), no Qt. Per choice question a table of how many
municipalities ticked each option (with "Ej svar" and, where the question can be skipped,
"Ej tillämpligt"), a horizontal bar chart of the same counts, the leader's summary and the
municipalities' own words; every ranking question as the region's ranking next to the
municipalities' mean ranks; numbers, dates, texts and tables as their aggregates (pdf_aggregates);
last the leader's other views. Every text from a user goes through
`pdf_forms.clean_text`, so it is printed literally and never read as markup. The fonts are
those of `pdf_forms` (BoUSans, embedded).
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Mapping
from datetime import datetime

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..survey.changes import (
    NEW_OPTION,
    NOT_COMPARABLE,
    QuestionChange,
    compared_choice_rows,
    percent_text,
    rank_change_text,
    summary_text,
)
from ..survey.compilation import CountyCompilation, OpenText, QuestionResult, decimal_comma, header_value
from ..survey.forms import Form, Question, county_header, specify_label
from .aggregate_text import form_labels, unit_count, units_word
from .pdf_forms import (
    FONT,
    FONT_BOLD,
    FONT_ITALIC,
    FRAME_HEIGHT,
    FRAME_WIDTH,
    GREY,
    LINE_GREY,
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    NumberedCanvas,
    clean_text,
    register_fonts,
)

NBSP = "\u00a0"
BAR_COLOR = colors.HexColor("#2f6aa3")
EARLIER_COLOR = colors.HexColor("#a9c4e0")  # the earlier round's bars, beside this round's
GRID_COLOR = colors.HexColor("#c8c8c8")
HEAD_FILL = colors.HexColor("#e6edf5")
LABEL_CHARS = 45  # `short_label`'s default length (page headers, legends); chart labels wrap instead

# Chart geometry (points).
CHART_ROW = 14.0
CHART_BAR = 9.0
CHART_LABEL_WIDTH = 74 * mm  # option labels wrap onto more lines within this width
CHART_LINE = 9.5  # the distance between a wrapped label's lines
CHART_VALUE_ROOM = 30.0
CHART_FONT_SIZE = 8.0
_CHART_TOP = 3.0
_CHART_BOTTOM = 24.0  # room for the scale and the caption


def short_label(label: str, limit: int = LABEL_CHARS) -> str:
    """A label on one line, shortened with "…" to at most `limit` characters."""
    label = " ".join(label.split())
    if len(label) <= limit:
        return label
    return label[: limit - 1].rstrip(" ,.–-(") + "…"


def fit_on_page(text: str, width: float, font: str, size: float) -> str:
    """Text shortened with "…" until it fits `width` points."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def label_lines(text: str, width: float = CHART_LABEL_WIDTH, font: str = FONT,
                size: float = CHART_FONT_SIZE) -> list[str]:
    """A chart label wrapped onto as many lines as it needs within `width` points: never cut off."""
    return simpleSplit(plain(text), font, size, width) or [""]


def row_height(lines: list[str], minimum: float) -> float:
    """A chart row's height: `minimum`, or more when its label has more lines than fit in it."""
    return max(minimum, len(lines) * CHART_LINE + 4)


def draw_label(drawing: Drawing, lines: list[str], middle: float, x: float = 0.0, font: str = FONT,
               size: float = CHART_FONT_SIZE) -> None:
    """A wrapped label's lines, centred on `middle`, one `String` per line."""
    first = middle + (len(lines) - 1) * CHART_LINE / 2
    for index, line in enumerate(lines):
        drawing.add(String(x, first - index * CHART_LINE - size * 0.35, line, fontName=font, fontSize=size,
                           fillColor=colors.black))


_UNWANTED = {"Cc", "Cs"}


def plain(text: str) -> str:
    """Text for the canvas, the charts and metadata: no markup there, and no control characters."""
    text = " ".join(str(text).split())
    return "".join(ch for ch in text if unicodedata.category(ch) not in _UNWANTED)


# --------------------------------------------------------------------------- chart

def percent_grid(drawing: Drawing, x0: float, bar_width: float, bottom: float, top: float) -> None:
    """The 0–100 % grid behind a bar chart, with its scale under it."""
    for step in (0, 25, 50, 75, 100):
        x = x0 + bar_width * step / 100
        drawing.add(Line(x, bottom - 2, x, top, strokeColor=LINE_GREY if step == 0 else GRID_COLOR,
                         strokeWidth=0.7 if step == 0 else 0.4))
        drawing.add(String(x, bottom - 10, percent_text(step), fontName=FONT, fontSize=6.5,
                           fillColor=GREY, textAnchor="middle"))


def option_chart(result: QuestionResult, total: int, *, labels: dict[str, str] | None = None,
                 width: float = FRAME_WIDTH, unit_key: str = "kommun", change: QuestionChange | None = None,
                 year: int | None = None) -> Drawing:
    """Horizontal bars, one per option, in the order of the form.

    A bar's length is the option's count on a scale where all `total` responding municipalities
    are 100 %, so lengths are proportional to the counts (and to the percentages). The bars are
    the drawing's only `Rect`s filled with `BAR_COLOR`; one is drawn, zero long, for an option
    nobody ticked. `labels`: option id -> label to show instead of the compilation's.

    With a `change` (the question beside an earlier round) each option has two bars: this round's
    (`year`) and below it the earlier round's, lighter (`EARLIER_COLOR`), on its own scale of the
    municipalities that answered then; a legend names the rounds.
    """
    if change is not None and change.comparable and change.options:
        return _compared_chart(result, total, labels or {}, width, change, year, unit_key)
    register_fonts()
    labels = labels or {}
    wrapped = [label_lines(labels.get(option.option_id) or option.label) for option in result.options]
    heights = [row_height(lines, CHART_ROW) for lines in wrapped]
    height = _CHART_BOTTOM + sum(heights) + _CHART_TOP
    x0 = CHART_LABEL_WIDTH + 4
    bar_width = width - x0 - CHART_VALUE_ROOM
    # Without an initial font the renderer names Helvetica, an unembedded font, though never used.
    drawing = Drawing(width, height, initialFontName=FONT, initialFontSize=CHART_FONT_SIZE)
    plot_top = height - _CHART_TOP
    percent_grid(drawing, x0, bar_width, _CHART_BOTTOM, plot_top)
    top = plot_top
    for option, lines, row in zip(result.options, wrapped, heights, strict=True):
        middle = top - row / 2
        top -= row
        draw_label(drawing, lines, middle)
        length = bar_width * option.count / total if total > 0 else 0.0
        drawing.add(Rect(x0, middle - CHART_BAR / 2, length, CHART_BAR, fillColor=BAR_COLOR, strokeColor=None,
                         strokeWidth=0))
        drawing.add(String(x0 + length + 3, middle - CHART_FONT_SIZE * 0.35, percent_text(option.percent),
                           fontName=FONT_BOLD, fontSize=CHART_FONT_SIZE, fillColor=colors.black))
    drawing.add(String(x0, 2, f"Procent av de {unit_count(total, unit_key)} som besvarat enkäten", fontName=FONT_ITALIC,
                       fontSize=6.5, fillColor=GREY))
    return drawing


def _compared_chart(result: QuestionResult, total: int, labels: dict[str, str], width: float,
                    change: QuestionChange, year: int | None, unit_key: str = "kommun") -> Drawing:
    register_fonts()
    bar = CHART_BAR * 0.8
    wrapped = [label_lines(labels.get(option.option_id) or option.label) for option in result.options]
    heights = [row_height(lines, CHART_ROW * 1.75) for lines in wrapped]
    legend = 12.0
    height = _CHART_BOTTOM + legend + sum(heights) + _CHART_TOP
    x0 = CHART_LABEL_WIDTH + 4
    bar_width = width - x0 - CHART_VALUE_ROOM
    drawing = Drawing(width, height, initialFontName=FONT, initialFontSize=CHART_FONT_SIZE)
    plot_top = height - _CHART_TOP - legend
    percent_grid(drawing, x0, bar_width, _CHART_BOTTOM, plot_top)
    then = change.earlier_answered
    top = plot_top
    for option, lines, row in zip(result.options, wrapped, heights, strict=True):
        draw_label(drawing, lines, top - row / 2)
        bars_top = top - (row - 2 * bar - 2) / 2 + 3  # the pair of bars centred in the row, as before
        top -= row
        before = change.option(option.option_id)
        pairs = [(option.count, total, percent_text(option.percent), BAR_COLOR, FONT_BOLD)]
        if before is not None and before.earlier_count is not None:
            pairs.append((before.earlier_count, then, percent_text(before.earlier_percent), EARLIER_COLOR, FONT))
        else:
            pairs.append((0, 0, NEW_OPTION, EARLIER_COLOR, FONT_ITALIC))
        for place, (count, of, text, colour, font) in enumerate(pairs):
            middle = bars_top - 3 - bar / 2 - place * (bar + 2)
            length = bar_width * count / of if of > 0 else 0.0
            drawing.add(Rect(x0, middle - bar / 2, length, bar, fillColor=colour, strokeColor=None, strokeWidth=0))
            drawing.add(String(x0 + length + 3, middle - 6.5 * 0.35, text, fontName=font, fontSize=6.5,
                               fillColor=colors.black))
    legend_y = height - _CHART_TOP - legend + 3
    x = x0
    for colour, text in ((BAR_COLOR, str(year or "")), (EARLIER_COLOR, str(change.year))):
        drawing.add(Rect(x, legend_y, 8, 6, fillColor=colour, strokeColor=None, strokeWidth=0))
        drawing.add(String(x + 11, legend_y, text, fontName=FONT, fontSize=7, fillColor=colors.black))
        x += 50
    drawing.add(String(x0, 2, f"Procent av de {units_word(unit_key)} som besvarat enkäten: {total} ({year}), "
                              f"{then} ({change.year})",
                       fontName=FONT_ITALIC, fontSize=6.5, fillColor=GREY))
    return drawing


# --------------------------------------------------------------------------- styles and blocks

def paragraph_styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=10, leading=13)
    return {
        "base": base,
        "title": ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=14, leading=18, spaceAfter=8),
        "heading": ParagraphStyle("heading", base, fontName=FONT_BOLD, fontSize=11.5, leading=15,
                                  spaceBefore=10, spaceAfter=4),
        "question": ParagraphStyle("question", base, fontName=FONT_BOLD, fontSize=10.5, leading=14,
                                   spaceBefore=16, spaceAfter=4),
        "part": ParagraphStyle("part", base, fontName=FONT_BOLD, fontSize=10.5, leading=14, spaceBefore=4,
                               spaceAfter=4),
        "intro": ParagraphStyle("intro", base, spaceAfter=4),
        "instruction": ParagraphStyle("instruction", base, fontName=FONT_ITALIC, textColor=GREY, spaceAfter=4),
        "note": ParagraphStyle("note", base, fontName=FONT_ITALIC, textColor=GREY, spaceBefore=2, spaceAfter=2),
        "help": ParagraphStyle("help", base, fontSize=8.5, leading=11, textColor=GREY, spaceBefore=4, spaceAfter=2),
        "label": ParagraphStyle("label", base, fontName=FONT_BOLD),
        "cell": ParagraphStyle("cell", base, fontSize=9, leading=11.5),
        "cell_head": ParagraphStyle("cell_head", base, fontName=FONT_BOLD, fontSize=8.5, leading=10.5),
        "cell_head_right": ParagraphStyle("cell_head_right", base, fontName=FONT_BOLD, fontSize=8.5, leading=10.5,
                                          alignment=TA_RIGHT),
        "cell_right": ParagraphStyle("cell_right", base, fontSize=9, leading=11.5, alignment=TA_RIGHT),
        "cell_extra": ParagraphStyle("cell_extra", base, fontName=FONT_ITALIC, fontSize=9, leading=11.5),
        "cell_description": ParagraphStyle("cell_description", base, fontSize=7.5, leading=9.5, textColor=GREY,
                                           spaceBefore=1),
        "summary_label": ParagraphStyle("summary_label", base, fontName=FONT_BOLD, spaceBefore=8, spaceAfter=2),
        "text": ParagraphStyle("text", base, spaceAfter=3),
        "sentence_plain": ParagraphStyle("sentence_plain", base, spaceBefore=2, spaceAfter=4),
        "empty": ParagraphStyle("empty", base, textColor=GREY, spaceAfter=3),
        "open_label": ParagraphStyle("open_label", base, fontName=FONT_BOLD, fontSize=9.5, spaceBefore=6,
                                     spaceAfter=2),
        "open": ParagraphStyle("open", base, fontSize=9.5, leading=12.5, leftIndent=5 * mm, bulletIndent=1 * mm,
                               bulletFontName=FONT, spaceAfter=1.5),
    }


def table_style(commands: list[tuple]) -> TableStyle:
    # Plain cells default to Helvetica; name our font so no unembedded font is referenced.
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands])


def grid_commands(rows: int, extra_from: int | None = None) -> list[tuple]:
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, LINE_GREY),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, GRID_COLOR),
        ("BOX", (0, 0), (-1, -1), 0.5, LINE_GREY),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if extra_from is not None and extra_from < rows:
        commands.append(("LINEABOVE", (0, extra_from), (-1, extra_from), 0.8, LINE_GREY))
    return commands


def _count_table(result: QuestionResult, question: Question | None, styles: dict[str, ParagraphStyle],
                 change: QuestionChange | None = None, year: int | None = None, total: int = 0) -> Table:
    """Svarsalternativ | Antal kommuner | Procent, then "Ej svar" and (if skippable) "Ej tillämpligt";
    beside an earlier round also its count and percent and the change in percentage points."""
    if change is not None and change.comparable:
        return _compared_count_table(result, question, styles, change, year, total)
    labels = form_labels(question, result)
    data: list[list] = [[
        Paragraph("Svarsalternativ", styles["cell_head"]),
        Paragraph("Antal kommuner", styles["cell_head_right"]),
        Paragraph("Procent", styles["cell_head_right"]),
    ]]
    for option in result.options:
        data.append([
            Paragraph(clean_text(labels[option.option_id]), styles["cell"]),
            Paragraph(str(option.count), styles["cell_right"]),
            Paragraph(percent_text(option.percent), styles["cell_right"]),
        ])
    extra_from = len(data)
    data.append([Paragraph("Ej svar", styles["cell_extra"]), Paragraph(str(result.ej_svar), styles["cell_right"]),
                 Paragraph(percent_text(result.ej_svar_percent), styles["cell_right"])])
    if result.can_be_skipped:
        data.append([Paragraph("Ej tillämpligt", styles["cell_extra"]),
                     Paragraph(str(result.ej_tillampligt), styles["cell_right"]),
                     Paragraph(percent_text(result.ej_tillampligt_percent), styles["cell_right"])])
    count_width, percent_width = 28 * mm, 20 * mm
    table = Table(data, colWidths=[FRAME_WIDTH - count_width - percent_width, count_width, percent_width],
                  repeatRows=1, hAlign="LEFT")
    table.setStyle(table_style(grid_commands(len(data), extra_from)))
    return table


def _compared_count_table(result: QuestionResult, question: Question | None, styles: dict[str, ParagraphStyle],
                          change: QuestionChange, year: int | None, total: int) -> Table:
    labels = form_labels(question, result)
    data: list[list] = [[
        Paragraph("Svarsalternativ", styles["cell_head"]),
        Paragraph(f"Antal {year}", styles["cell_head_right"]),
        Paragraph(f"Procent {year}", styles["cell_head_right"]),
        Paragraph(f"Antal {change.year}", styles["cell_head_right"]),
        Paragraph(f"Procent {change.year}", styles["cell_head_right"]),
        Paragraph("Förändring", styles["cell_head_right"]),
    ]]
    # The figures are plain strings, not paragraphs: a compared table has twice the cells, and a string
    # cell costs reportlab a tenth of a paragraph (docs/performance.md, "compare").
    rows = compared_choice_rows(result, change, total, labels)
    extra_from = len(result.options) + 1
    for index, (label, *figures) in enumerate(rows):
        data.append([Paragraph(clean_text(label), styles["cell" if index + 1 < extra_from else "cell_extra"]),
                     *figures])
    widths = [16 * mm, 17 * mm, 16 * mm, 17 * mm, 30 * mm]
    table = Table(data, colWidths=[FRAME_WIDTH - sum(widths), *widths], repeatRows=1, hAlign="LEFT")
    table.setStyle(table_style([*grid_commands(len(data), extra_from), ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                                ("FONTSIZE", (1, 1), (-1, -1), 9), ("VALIGN", (1, 1), (-1, -1), "TOP")]))
    return table


def _rank_table(own_ranks: dict[str, int], result: QuestionResult, question: Question | None,
                styles: dict[str, ParagraphStyle], change: QuestionChange | None = None) -> Table:
    """A ranking question: the region's own rank next to the municipalities' mean rank and how many ranked;
    beside an earlier round also its mean rank and the change."""
    labels = form_labels(question, result)
    compared = change is not None and change.comparable
    data: list[list] = [[
        Paragraph("Alternativ", styles["cell_head"]),
        Paragraph("Regionens rangordning", styles["cell_head_right"]),
        Paragraph("Kommunernas medelvärde", styles["cell_head_right"]),
        Paragraph("Antal kommuner som rangordnat", styles["cell_head_right"]),
        *((Paragraph(f"Medelvärde {change.year}", styles["cell_head_right"]),
           Paragraph("Förändring", styles["cell_head_right"])) if compared else ()),
    ]]
    means = {m.option_id: m for m in result.mean_ranks}
    for option in result.options:
        label: list[Flowable] = [Paragraph(clean_text(labels[option.option_id]), styles["cell"])]
        description = _description(question, option.option_id)
        if description:
            label.append(Paragraph(clean_text(description), styles["cell_description"]))
        rank = own_ranks.get(option.option_id)
        mean = means.get(option.option_id)
        count = mean.count if mean is not None else option.count
        data.append([
            label,
            Paragraph(str(rank) if rank else "–", styles["cell_right"]),
            Paragraph(decimal_comma(mean.mean) if mean is not None and mean.count else "–", styles["cell_right"]),
            Paragraph(str(count), styles["cell_right"]),
            *(Paragraph(text, styles["cell_right"]) for text in
              (rank_change_text(change.option(option.option_id)) if compared else ())),
        ])
    widths = [22 * mm, 24 * mm, 24 * mm, 22 * mm, 20 * mm] if compared else [25 * mm, 29 * mm, 29 * mm]
    table = Table(data, colWidths=[FRAME_WIDTH - sum(widths), *widths], repeatRows=1, hAlign="LEFT")
    table.setStyle(table_style(grid_commands(len(data))))
    return table


def flowables_height(flowables: list[Flowable]) -> float:
    total = 0.0
    for flowable in flowables:
        _width, height = flowable.wrap(FRAME_WIDTH, FRAME_HEIGHT)
        total += height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def chart_labels(result: QuestionResult, question: Question | None) -> dict[str, str]:
    """The options as the charts name them: the form's short label where there is one (docs/forms.md)."""
    labels = form_labels(question, result)
    if question is not None:
        labels.update({o.id: o.report_label for o in question.options if o.id in labels})
    return labels


def _description(question: Question | None, option_id: str) -> str:
    if question is None:
        return ""
    return next((o.description for o in question.options if o.id == option_id), "")


def _free_text(text: str, style: ParagraphStyle, empty: ParagraphStyle) -> list[Flowable]:
    """A leader's text, paragraph by paragraph (blank lines), or a dash when there is none."""
    parts = [part.strip("\n") for part in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").strip())]
    parts = [part for part in parts if part.strip()]
    if not parts:
        return [Paragraph("–", empty)]
    return [Paragraph(clean_text(part), style) for part in parts]


def _open_text(item: OpenText) -> str:
    """"Motala – ange (Annan, ange): text" or "Motala – kommentar: text"; without a name when anonymous."""
    if item.kind == "ange":
        what = f"ange ({clean_text(item.option_label)})" if item.option_label else "ange"
    else:
        what = "kommentar"
    name = item.kommun_namn.strip()
    if name:
        return f"<b>{clean_text(name)}</b> – {what}: {clean_text(item.text)}"
    return f"{what[:1].upper()}{what[1:]}: {clean_text(item.text)}"


def _question_heading(result: QuestionResult, question: Question | None,
                      styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    label = question.label if question is not None else f"{result.number})"
    text = question.text if question is not None else result.text
    hint = question.hint if question is not None else ""
    hint_markup = f" <font name='{FONT_ITALIC}' color='#555555'>{clean_text(hint)}</font>" if hint else ""
    out: list[Flowable] = []
    if question is not None and question.heading:  # the whole question's text, once, above its first part
        out.append(Paragraph(f"{question.number}) {clean_text(question.heading)}", styles["question"]))
        out.append(Paragraph(f"{label} {clean_text(text)}{hint_markup}", styles["part"]))
    else:
        out.append(Paragraph(f"{label} {clean_text(text)}{hint_markup}", styles["question"]))
    if question is not None and question.introduction:
        out += _free_text(question.introduction, styles["intro"], styles["empty"])
    if question is not None and question.instruction:
        out.append(Paragraph(clean_text(question.instruction), styles["instruction"]))
    return out


def help_flowables(question: Question | None, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The question's help text (a footnote of the form, e.g. question 3's on SOSFS 2006:11), under it."""
    if question is None or not question.help.strip():
        return []
    return [KeepTogether(_free_text(question.help, styles["help"], styles["empty"]))]  # a footnote: on one page


def _texts_block(result: QuestionResult, summary_label: str, styles: dict[str, ParagraphStyle],
                 *, always_summary: bool = True) -> list[Flowable]:
    """The leader's summary and the municipalities' own words."""
    out: list[Flowable] = []
    if always_summary or result.summary.strip():
        out.append(KeepTogether([Paragraph(clean_text(summary_label), styles["summary_label"]),
                                 *_free_text(result.summary, styles["text"], styles["empty"])[:1]]))
        out += _free_text(result.summary, styles["text"], styles["empty"])[1:]
    if result.texts:
        items = [Paragraph(_open_text(item), styles["open"], bulletText="•") for item in result.texts]
        out.append(KeepTogether([Paragraph("Kommunernas öppna svar:", styles["open_label"]), items[0]]))
        out += items[1:]
    return out


def _header_block(compilation: CountyCompilation, county_form: Form, contact_lines: list[str],
                  styles: dict[str, ParagraphStyle], comparison=None) -> list[Flowable]:
    rows = []
    # The county form's header fields in its order: the region and the counts the program fills in
    # (`computed`) and the leader's own text fields (the leader's name …), each under its label.
    for field in county_header(county_form):
        value = header_value(field, compilation)
        text = value if isinstance(value, str) else f"{value} {field.unit}".strip()
        if field.computed == "units_answered":
            text += f" ({percent_text(compilation.svarsfrekvens)})"
        rows.append((field.label, clean_text(text)))
    if comparison is not None:
        rows.append((f"Jämförs med omgången {comparison.year}",
                     clean_text(f"{comparison.earlier.answered} kommuner besvarade enkäten {comparison.year}")))
    if contact_lines:
        rows.append(("Kontaktuppgifter", "<br/>".join(clean_text(line) for line in contact_lines)))
    label_width = 86 * mm
    data = [[Paragraph(f"{clean_text(key)}:", styles["label"]), Paragraph(value, styles["base"])]
            for key, value in rows]
    table = Table(data, colWidths=[label_width, FRAME_WIDTH - label_width], hAlign="LEFT")
    table.setStyle(table_style([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LINEBELOW", (1, 0), (1, -1), 0.5, LINE_GREY),
    ]))
    out: list[Flowable] = [KeepTogether([
        Paragraph(clean_text(county_form.header_title or "Sammanställda uppgifter från:"), styles["heading"]),
        table,
    ])]
    if compilation.drafts:
        names = ", ".join(clean_text(name) for name in compilation.drafts)
        out.append(Paragraph(f"Utkast, ej medräknade: {names}", ParagraphStyle("n1", styles["note"], spaceBefore=8)))
    if compilation.flagged:
        names = ", ".join(clean_text(name) for name in compilation.flagged)
        out.append(Paragraph(f"Svar med motsägelser (frågor som skulle hoppas över räknas inte): {names}",
                             styles["note"]))
    return out


# --------------------------------------------------------------------------- pages

def page_decoration(header: str, footer: str):
    size = 8.5
    header = fit_on_page(header, FRAME_WIDTH, FONT, size)
    footer = fit_on_page(footer, FRAME_WIDTH - 30 * mm, FONT, size)

    def draw(canvas: rl_canvas.Canvas, _doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, size)
        canvas.setFillColor(GREY)
        y = PAGE_HEIGHT - 12 * mm
        canvas.drawString(MARGIN, y, header)
        canvas.setStrokeColor(LINE_GREY)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, y - 2 * mm, PAGE_WIDTH - MARGIN, y - 2 * mm)
        if footer:
            canvas.drawString(MARGIN, 10 * mm, footer)
        canvas.restoreState()
    return draw


def exported_line(exported_at: str, exported_by: str) -> str:
    """The footer's "Exporterad 2026-11-23 18:12 av …"; a stored ISO time is shown in local time."""
    at, by = plain(exported_at), plain(exported_by)
    try:
        at = datetime.fromisoformat(at).astimezone().strftime("%Y-%m-%d %H:%M") if "T" in at else at
    except ValueError:
        pass  # not a time we wrote: shown as it is
    if not at and not by:
        return ""
    return " ".join(part for part in ("Exporterad", at, f"av {by}" if by else "") if part)


def county_pdf(compilation: CountyCompilation, county_form: Form, *, contact_lines: list[str] | None = None,
               exported_by: str = "", exported_at: str = "", names: Mapping[str, str] | None = None,
               comparison=None) -> bytes:
    """The county compilation of one region (Bilaga 2 filled in) as an A4 PDF.

    names: municipality code -> name, for the municipalities' texts (default: the program's register).
    comparison: the region beside an earlier round (store/comparisons.CountyComparison), or None.
    """
    from .pdf_aggregates import aggregate_flowables, register_names, with_head

    register_fonts()
    styles = paragraph_styles()
    names = register_names() if names is None else names
    story: list[Flowable] = [Paragraph(clean_text(county_form.title), styles["title"])]
    if compilation.scope == "region":
        from .county_file import OWN_SURVEY_LINE

        story.append(Paragraph(clean_text(OWN_SURVEY_LINE), styles["note"]))
    story += _header_block(compilation, county_form, list(contact_lines or []), styles, comparison)
    summary_label = county_form.summary_label or "Sammanfattning av öppna svar och övrig reflektion:"
    own_ranks = compilation.leader.ranks_of(compilation.ranking_questions)
    own_specify = compilation.leader.specify_of(compilation.ranking_questions)

    for result in compilation.questions:
        try:
            question: Question | None = county_form.question(result.question_id)
        except KeyError:
            question = None
        head = _question_heading(result, question, styles)
        change = comparison.change(result.question_id) if comparison is not None else None
        if change is not None:
            head.append(Paragraph(clean_text(NOT_COMPARABLE) if not change.comparable else
                                  f"Jämfört med {change.year}", styles["note"]))
        if result.type == "ranking":
            ranks = own_ranks.get(result.question_id, {})
            story.append(KeepTogether([*head, _rank_table(ranks, result, question, styles, change)]))
            ranked = compilation.kommuner_svarat - result.ej_svar - result.ej_tillampligt
            story.append(Paragraph(
                f"Kommuner som rangordnat minst ett alternativ: {ranked} av {compilation.kommuner_svarat}.",
                ParagraphStyle("ranked", styles["note"], spaceBefore=4)))
            specify = question.specify_options if question is not None else ()
            text = own_specify.get(result.question_id, "")
            if specify or text.strip():
                story.append(KeepTogether([
                    Paragraph(f"{clean_text(specify_label(question).rstrip(':'))}:",
                              styles["summary_label"]),
                    *_free_text(text, styles["text"], styles["empty"]),
                ]))
            story += help_flowables(question, styles)
            story += _texts_block(result, summary_label, styles, always_summary=False)
            continue
        if question is not None and not question.qtype.has_options:
            figures = aggregate_flowables(question, result.aggregate, styles, names=names,
                                          can_be_skipped=result.can_be_skipped)
            if change is not None and change.comparable:
                figures = [*figures, Paragraph(clean_text(summary_text(change, question.unit or "")),
                                               styles["note"])]
            story += with_head(head, figures)
            story += help_flowables(question, styles)
            story += _texts_block(result, summary_label, styles)
            continue
        table = _count_table(result, question, styles, change, compilation.round_year, compilation.kommuner_svarat)
        chart = option_chart(result, compilation.kommuner_svarat, labels=chart_labels(result, question),
                             change=change, year=compilation.round_year)
        if flowables_height([*head, table, chart]) + 3 * mm <= FRAME_HEIGHT * 0.9:
            story.append(KeepTogether([*head, table, Spacer(1, 3 * mm), chart]))
        else:  # a long question (3): the chart may start on the next page, never the heading alone
            story += [KeepTogether([*head, table]), KeepTogether([Spacer(1, 3 * mm), chart])]
        story += help_flowables(question, styles)
        story += _texts_block(result, summary_label, styles)

    for free in county_form.free_texts:
        story.append(KeepTogether([
            Paragraph(clean_text(free.label), ParagraphStyle("free_heading", styles["question"], spaceBefore=18)),
            *_free_text(compilation.leader.field(free.id), styles["text"], styles["empty"]),
        ]))

    region = plain(compilation.region)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
        title=f"Länssammanställning {region} {compilation.round_year}", author="BoU Desktop",
        creator="BoU Desktop", subject=plain(county_form.title), lang="sv-SE",
        initialFontName=FONT,  # else the canvas names Helvetica, an unembedded font, though never used
    )
    on_page = page_decoration(f"Länssammanställning – {region} – Omgång {compilation.round_year}",
                               exported_line(exported_at, exported_by))
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page, canvasmaker=NumberedCanvas)
    return buffer.getvalue()
