"""The national level as PDF: SKL's Enkätredovisning, a region compared with the nation, and the
feedback to one municipality (its own answers next to the county's and the nation's percentages).

Plain Python (reportlab platypus and graphics), no Qt. The building blocks are those of the county
PDF (`county_pdf`: styles, tables, the option chart, page decoration) and of `pdf_forms` (fonts,
`clean_text`, "Sida N av M"). Every text from a user goes through `clean_text`, so it is printed
literally and never read as markup.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table

from ..survey.answers import Answers, response_state, skipped_questions
from ..survey.comparison import Counterpart, counterparts, earlier_answers
from ..survey.compilation import CountyCompilation, OptionCount, QuestionResult, decimal_comma
from ..survey.forms import Form, Question, specify_label
from ..survey.national import NationalQuestion, NationalRanking, NationalReport
from ..survey.national_comparison import compared_rows, comparison_note, rounds_paragraph
from .aggregate_text import (
    answer_text,
    can_be_skipped,
    question_of,
    rate_headings,
    rate_notes,
    rate_sentence,
    report_title,
    survey_name,
    unit_count,
    units_word,
    value_text,
)
from .county_pdf import (
    BAR_COLOR,
    CHART_FONT_SIZE,
    CHART_LABEL_WIDTH,
    CHART_VALUE_ROOM,
    draw_label,
    exported_line,
    fit_on_page,
    flowables_height,
    grid_commands,
    help_flowables,
    label_lines,
    option_chart,
    page_decoration,
    paragraph_styles,
    percent_grid,
    percent_text,
    plain,
    row_height,
    table_style,
)
from .pdf_aggregates import (
    aggregate_flowables,
    comparison_tables,
    rank_table,
    register_names,
    text_list,
    with_head,
)
from .pdf_forms import (
    CHECKED,
    FONT,
    FONT_BOLD,
    FONT_ITALIC,
    FRAME_HEIGHT,
    FRAME_WIDTH,
    GREY,
    MARGIN,
    UNCHECKED,
    NumberedCanvas,
    clean_text,
    register_fonts,
)

FEEDBACK_TITLE = "Er kommun i jämförelse med länet och riket"
FEEDBACK_INTRO = "Resultaten sammanställs på länsnivå respektive riksnivå och återkopplas till kommunen."
DASH = "–"
NATION_COLOR = BAR_COLOR  # the nation, in every chart
REGION_COLOR = colors.HexColor("#e08a2c")  # the region or county in the comparison charts
MISSING_COLOR = colors.HexColor("#8a8a8a")

# Geometry of the comparison chart (points): two bars per option.
PAIR_BAR = 6.5
PAIR_GAP = 1.0
PAIR_ROW = 2 * PAIR_BAR + PAIR_GAP + 6.0
_PAIR_TOP = 3.0
_PAIR_BOTTOM = 44.0  # room for the scale and, below it, the legend and the caption
_LEGEND_Y = 15.0
_LEGEND_SWATCH = 7.0


# --------------------------------------------------------------------------- charts

def national_chart(question: NationalQuestion, total: int, *, labels: dict[str, str] | None = None,
                   width: float = FRAME_WIDTH, unit_key: str = "kommun", comparison=None) -> Drawing:
    """The county PDF's option chart for a national question: one bar per option, `total` = 100 %; with
    `comparison` (survey/national_comparison.py) the county PDF's chart of two rounds: this round's bar
    and under it the earlier round's, lighter."""
    result = QuestionResult(
        question.question_id, question.number, question.text, question.type,
        tuple(OptionCount(o.option_id, o.label, o.antal, o.procent) for o in question.options),
        question.ej_svar.antal, question.ej_tillampligt.antal, question.ej_svar.procent,
        question.ej_tillampligt.procent, (),
    )
    if comparison is not None:
        return option_chart(result, total, labels=labels, width=width, unit_key=unit_key,
                            change=comparison.question(question.question_id), year=comparison.year)
    return option_chart(result, total, labels=labels, width=width, unit_key=unit_key)


def comparison_chart(rows: Sequence[tuple[str, int | None, int | None]], names: tuple[str, str], *,
                     caption: str = "Procent av de kommuner som besvarat enkäten",
                     width: float = FRAME_WIDTH, colours: tuple = (REGION_COLOR, NATION_COLOR)) -> Drawing:
    """Horizontal bars, two per option: (label, first percent, second percent) on a 0–100 % scale.

    The first series is drawn in `colours[0]` (by default `REGION_COLOR`), the second in `colours[1]`
    (`NATION_COLOR`), in that order, one
    `Rect` per bar (zero long, with "–" beside it, for a missing value); the legend below the scale
    adds one `Rect` per series. `names` are the series' names in the legend.
    """
    register_fonts()
    wrapped = [label_lines(label) for label, _first, _second in rows]
    heights = [row_height(lines, PAIR_ROW) for lines in wrapped]
    height = _PAIR_BOTTOM + sum(heights) + _PAIR_TOP
    x0 = CHART_LABEL_WIDTH + 4
    bar_width = width - x0 - CHART_VALUE_ROOM
    drawing = Drawing(width, height, initialFontName=FONT, initialFontSize=CHART_FONT_SIZE)
    plot_top = height - _PAIR_TOP
    percent_grid(drawing, x0, bar_width, _PAIR_BOTTOM, plot_top)
    value_size = CHART_FONT_SIZE - 1
    row_top = plot_top
    for (_label, first, second), lines, row in zip(rows, wrapped, heights, strict=True):
        top = row_top - (row - 2 * PAIR_BAR - PAIR_GAP) / 2
        row_top -= row
        middle = top - PAIR_BAR - PAIR_GAP / 2
        draw_label(drawing, lines, middle)
        for position, (value, color) in enumerate(zip((first, second), colours, strict=True)):
            y = top - PAIR_BAR - position * (PAIR_BAR + PAIR_GAP)
            length = bar_width * max(0, min(value, 100)) / 100 if value is not None else 0.0
            drawing.add(Rect(x0, y, length, PAIR_BAR, fillColor=color, strokeColor=None, strokeWidth=0))
            drawing.add(String(x0 + length + 3, y + PAIR_BAR / 2 - value_size * 0.35,
                               percent_text(value) if value is not None else DASH, fontName=FONT,
                               fontSize=value_size, fillColor=colors.black))
    x = x0
    for name, color in zip(names, colours, strict=True):
        drawing.add(Rect(x, _LEGEND_Y - 1, _LEGEND_SWATCH, _LEGEND_SWATCH, fillColor=color, strokeColor=None,
                         strokeWidth=0))
        name = fit_on_page(plain(name), 70 * mm, FONT, CHART_FONT_SIZE)
        drawing.add(String(x + _LEGEND_SWATCH + 3, _LEGEND_Y, name, fontName=FONT, fontSize=CHART_FONT_SIZE,
                           fillColor=colors.black))
        x += _LEGEND_SWATCH + 3 + stringWidth(name, FONT, CHART_FONT_SIZE) + 12
    if caption:
        drawing.add(String(x0, 2, fit_on_page(plain(caption), width - x0, FONT_ITALIC, 6.5), fontName=FONT_ITALIC,
                           fontSize=6.5, fillColor=GREY))
    return drawing


# --------------------------------------------------------------------------- small blocks

def _extra_styles(styles: dict[str, ParagraphStyle]) -> dict[str, ParagraphStyle]:
    cell, right = styles["cell"], styles["cell_right"]
    styles.update({
        "subtitle": ParagraphStyle("subtitle", styles["base"], fontSize=11, leading=14, textColor=GREY,
                                   spaceAfter=10),
        "cell_bold": ParagraphStyle("cell_bold", cell, fontName=FONT_BOLD),
        "cell_right_bold": ParagraphStyle("cell_right_bold", right, fontName=FONT_BOLD),
        "cell_missing": ParagraphStyle("cell_missing", cell, textColor=MISSING_COLOR),
        "cell_right_missing": ParagraphStyle("cell_right_missing", right, textColor=MISSING_COLOR),
        "cell_center": ParagraphStyle("cell_center", cell, alignment=1, fontSize=11, leading=12),
        "cell_center_text": ParagraphStyle("cell_center_text", cell, alignment=1),
        "cell_head_center": ParagraphStyle("cell_head_center", styles["cell_head"], alignment=1),
        "table_note": ParagraphStyle("table_note", styles["note"], spaceBefore=4),
        "sentence": ParagraphStyle("sentence", styles["base"], spaceBefore=6, spaceAfter=4),
        "region_text": ParagraphStyle("region_text", styles["text"], fontSize=9.5, leading=12.5, leftIndent=5 * mm,
                                      bulletIndent=1 * mm, bulletFontName=FONT, spaceAfter=2),
    })
    return styles


def _heading(label: str, text: str, hint: str, style: ParagraphStyle) -> Paragraph:
    """"1 a) text (hint)", the hint in grey italics."""
    hint_markup = f" <font name='{FONT_ITALIC}' color='#555555'>{clean_text(hint)}</font>" if hint else ""
    return Paragraph(f"{clean_text(label)} {clean_text(text)}{hint_markup}", style)


def _question_heads(question: Question, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The question's label and text; above a first part, once, the whole question's heading."""
    if question.heading:
        return [Paragraph(f"{question.number}) {clean_text(question.heading)}", styles["question"]),
                _heading(question.label, question.text, question.hint, styles["part"])]
    return [_heading(question.label, question.text, question.hint, styles["question"])]


def _question_heading(form: Form, question_id: str, number: int, text: str,
                      styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    question = question_of(form, question_id)
    if question is None:
        return [_heading(f"{number})", text, "", styles["question"])]
    return _question_heads(question, styles)


def _labels(form: Form, question_id: str, fallback: dict[str, str]) -> dict[str, str]:
    """Option id -> the form's name of it in a compilation (its short label, else its label), else the report's."""
    question = question_of(form, question_id)
    labels = dict(fallback)
    if question is not None:
        labels.update({o.id: o.report_label for o in question.options if o.id in labels})
    return labels


def _grid(data: list[list], widths: list[float], extra_from: int | None = None,
          commands: Sequence[tuple] = ()) -> Table:
    table = Table(data, colWidths=[FRAME_WIDTH - sum(widths), *widths], repeatRows=1, hAlign="LEFT")
    table.setStyle(table_style([*grid_commands(len(data), extra_from), *commands]))
    return table


def _block(head: list[Flowable], table: Flowable, chart: Flowable | None) -> list[Flowable]:
    """Heading, table and chart on one page when they fit; else the chart may start on the next page."""
    if chart is None:
        return [KeepTogether([*head, table])]
    if flowables_height([*head, table, chart]) + 3 * mm <= FRAME_HEIGHT * 0.9:
        return [KeepTogether([*head, table, Spacer(1, 3 * mm), chart])]
    return [KeepTogether([*head, table]), KeepTogether([Spacer(1, 3 * mm), chart])]


def _region_texts(label: str, items: Sequence[tuple[str, str]], styles: dict[str, ParagraphStyle],
                  label_style: str = "summary_label") -> list[Flowable]:
    """A label, then "Region: text" per region (or a dash when no region wrote anything)."""
    entries = [(region, text) for region, text in items if text.strip()]
    if not entries:
        return [KeepTogether([Paragraph(clean_text(label), styles[label_style]), Paragraph(DASH, styles["empty"])])]
    paragraphs = [Paragraph(f"<b>{clean_text(region)}:</b> {clean_text(text.strip())}", styles["region_text"],
                            bulletText="•") for region, text in entries]
    return [KeepTogether([Paragraph(clean_text(label), styles[label_style]), paragraphs[0]]), *paragraphs[1:]]


def _build(story: list[Flowable], *, title: str, header: str, footer: str = "", subject: str = "") -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
        title=plain(title), author="BoU Desktop", creator="BoU Desktop", subject=plain(subject), lang="sv-SE",
        initialFontName=FONT,  # else the canvas names Helvetica, an unembedded font, though never used
    )
    on_page = page_decoration(plain(header), footer)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page, canvasmaker=NumberedCanvas)
    return buffer.getvalue()


# --------------------------------------------------------------------------- the national report

def _rate_table(report: NationalReport, styles: dict[str, ParagraphStyle]) -> Table:
    units, answered = rate_headings(report.unit_key)
    data: list[list] = [[
        Paragraph("Län/region", styles["cell_head"]),
        Paragraph(units, styles["cell_head_right"]),
        Paragraph(answered, styles["cell_head_right"]),
        Paragraph("Svarsfrekvens", styles["cell_head_right"]),
    ]]
    for rate in report.regions:
        name, right = ("cell", "cell_right") if rate.has_file else ("cell_missing", "cell_right_missing")
        region = clean_text(rate.region) + ("" if rate.has_file else " <i>(saknas)</i>")
        data.append([Paragraph(region, styles[name]), Paragraph(str(rate.kommuner_totalt), styles[right]),
                     Paragraph(str(rate.kommuner_svarat), styles[right]),
                     Paragraph(percent_text(rate.svarsfrekvens), styles[right])])
    total = report.total
    data.append([Paragraph("Total", styles["cell_bold"]),
                 Paragraph(str(total.kommuner_totalt), styles["cell_right_bold"]),
                 Paragraph(str(total.kommuner_svarat), styles["cell_right_bold"]),
                 Paragraph(percent_text(total.svarsfrekvens), styles["cell_right_bold"])])
    return _grid(data, [36 * mm, 50 * mm, 30 * mm], extra_from=len(data) - 1)


def _rate_sentence(report: NationalReport) -> str:
    return rate_sentence(report, percent_text, clean_text)


def _national_table(question: NationalQuestion, labels: dict[str, str], skippable: bool,
                    styles: dict[str, ParagraphStyle], unit_key: str = "kommun") -> Table:
    data: list[list] = [[
        Paragraph("Svarsalternativ", styles["cell_head"]),
        Paragraph("Procent", styles["cell_head_right"]),
        Paragraph(f"Antal {units_word(unit_key)}", styles["cell_head_right"]),
    ]]
    for option in question.options:
        data.append([Paragraph(clean_text(labels.get(option.option_id, option.label)), styles["cell"]),
                     Paragraph(percent_text(option.procent), styles["cell_right"]),
                     Paragraph(str(option.antal), styles["cell_right"])])
    extra_from = len(data)
    extras = [("Ej svar", question.ej_svar)] + ([("Ej tillämpligt", question.ej_tillampligt)] if skippable else [])
    for label, share in extras:
        data.append([Paragraph(label, styles["cell_extra"]), Paragraph(percent_text(share.procent), styles["cell_right"]),
                     Paragraph(str(share.antal), styles["cell_right"])])
    return _grid(data, [20 * mm, 32 * mm], extra_from=extra_from)


def _ranking_table(ranking: NationalRanking, labels: dict[str, str], styles: dict[str, ParagraphStyle]) -> Table:
    """The regions' own ranks of one ranking question: their mean and how many regions ranked each option."""
    data: list[list] = [[
        Paragraph("Alternativ", styles["cell_head"]),
        Paragraph("Medelvärde", styles["cell_head_right"]),
        Paragraph("Antal regioner", styles["cell_head_right"]),
    ]]
    for rank in ranking.ranks:
        data.append([Paragraph(clean_text(labels.get(rank.option_id, rank.label)), styles["cell"]),
                     Paragraph(decimal_comma(rank.medelvarde) if rank.antal_regioner else DASH, styles["cell_right"]),
                     Paragraph(str(rank.antal_regioner), styles["cell_right"])])
    return _grid(data, [24 * mm, 30 * mm])


def _ranking_heads(form: Form, ranking: NationalRanking, number: int, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    question = question_of(form, ranking.question_id)
    if question is None:
        return [_heading(f"{number})", "Planerat utvecklingsarbete", "", styles["question"])]
    if question.heading:
        return _question_heads(question, styles)
    return [_heading(question.label, question.text, "", styles["question"])]


def _national_ranking(report: NationalReport, ranking: NationalRanking, form: Form,
                      styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """A ranking question: the regions' own ranks (their mean, how many regions), their "annat" texts, and
    the mean rank over the municipalities (or the regions, on a region-level form) with how many ranked."""
    question = question_of(form, ranking.question_id)
    labels = _labels(form, ranking.question_id, {r.option_id: r.label for r in ranking.ranks})
    head = _ranking_heads(form, ranking, len(report.questions) + 1, styles)
    out: list[Flowable] = []
    if ranking.aggregate is None or any(r.antal_regioner for r in ranking.ranks):
        out += _block(head, _ranking_table(ranking, labels, styles), None)
        out.append(Paragraph(
            "Medelvärdet av rangordningen hos de regioner som rangordnat alternativet "
            "(1 = hög prioritet). Alternativ som ingen region rangordnat visas med –.", styles["table_note"]))
        if ranking.specify or (question is not None and question.specify_options):
            out += _region_texts(f"{specify_label(question).rstrip(':')}:", ranking.specify, styles)
        head = [Paragraph(f"{units_word(report.unit_key).capitalize()}nas rangordning", styles["open_label"])]
    if ranking.aggregate is not None and question is not None:
        table = rank_table(question, ranking.aggregate, styles, unit_key=report.unit_key)
        out.append(KeepTogether([*head, table]))
        missing = getattr(ranking.aggregate, "ej_svar", 0)
        out.append(Paragraph(f"Medelvärde av rangen (1 = hög prioritet). Ej svar: {unit_count(missing, report.unit_key)}.",
                             styles["table_note"]))
    return out


def _national_figures(report: NationalReport, question: Question, national: NationalQuestion, head: list[Flowable],
                      skippable: bool, names: Mapping[str, str], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """A number, date, text or table question over the nation; numbers, dates and tables also per region."""
    figures = aggregate_flowables(question, national.aggregate, styles, names=names, unit_key=report.unit_key,
                                  can_be_skipped=skippable, with_region=report.unit_key != "region")
    out = with_head(head, figures)
    if question.type in ("text", "longtext") or not national.region_aggregates:
        return out
    rows = [(region, national.region_aggregates.get(region)) for region in
            (r.region for r in report.regions if r.has_file)] + [("Riket", national.aggregate)]
    tables = comparison_tables(question, rows, styles)
    return out + with_head([Paragraph("Per län/region", styles["open_label"])], tables)


def _compared_table(question: NationalQuestion, change, year: int, earlier_year: int, labels: dict[str, str],
                    skippable: bool, styles: dict[str, ParagraphStyle], unit_key: str = "kommun") -> Table:
    """A choice question beside the earlier round: this round's percent and count, the earlier round's
    percent, and the change in percentage points ("–" for an option without an earlier counterpart)."""
    data: list[list] = [[
        Paragraph("Svarsalternativ", styles["cell_head"]),
        Paragraph(f"Procent {year}", styles["cell_head_right"]),
        Paragraph(f"Antal {units_word(unit_key)}", styles["cell_head_right"]),
        Paragraph(f"Procent {earlier_year}", styles["cell_head_right"]),
        Paragraph("Förändring", styles["cell_head_right"]),
    ]]
    for index, (label, *figures) in enumerate(compared_rows(question, change, labels, skippable)):
        style = "cell" if index < len(question.options) else "cell_extra"
        data.append([Paragraph(clean_text(label), styles[style]),
                     *(Paragraph(text, styles["cell_right"]) for text in figures)])
    return _grid(data, [18 * mm, 22 * mm, 18 * mm, 32 * mm], extra_from=len(question.options) + 1)


def _comparison_note(question: Question, comparison, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Below a question: that it cannot be compared, or (a number question) the earlier round's mean and sum."""
    change = comparison.question(question.id)
    if change.comparable and change.numbers is None:
        return []
    return [Paragraph(clean_text(comparison_note(change, comparison, {})), styles["table_note"])]


def national_pdf(report: NationalReport, form: Form, *, exported_by: str = "", exported_at: str = "",
                 names: Mapping[str, str] | None = None, comparison=None) -> bytes:
    """SKL's Enkätredovisning as an A4 PDF: response rates, then every question of the form.

    names: municipality code -> name, for the municipalities' texts (default: the program's register).
    comparison (survey/national_comparison.py): each question beside the earlier round compared with.
    """
    register_fonts()
    styles = _extra_styles(paragraph_styles())
    title = report_title(form)
    story: list[Flowable] = [
        Paragraph(clean_text(title), styles["title"]),
        Paragraph(f"Enkätredovisning – nationell sammanställning {report.round_year}", styles["subtitle"]),
        *national_story(report, form, styles, names=names, comparison=comparison),
    ]
    header = f"{survey_name(form, report.round_year)} – nationell sammanställning"
    return _build(story, title=header, header=header, footer=exported_line(exported_at, exported_by), subject=title)


def national_story(report: NationalReport, form: Form, styles: dict[str, ParagraphStyle], *,
                   names: Mapping[str, str] | None = None, comparison=None, notes: Sequence[str] | None = None,
                   after_question: Callable[[Question], list[Flowable]] | None = None) -> list[Flowable]:
    """The national report's results (`national_pdf`'s content after its title): the response rates, then
    every question of the form. Under the rate table its footnotes (`notes`, by default the register's:
    Västra Götaland's four regions, aggregate_text.rate_notes); the report (report_pdf.py) adds `after_question(question)` after each question's
    figures (SKL's analysis)."""
    total = report.total.kommuner_svarat
    story: list[Flowable] = [
        KeepTogether([Paragraph("Svarsfrekvens per län/region", styles["heading"]), _rate_table(report, styles)]),
        *(Paragraph(clean_text(note), styles["table_note"])
          for note in (rate_notes(report) if notes is None else notes)),
        Paragraph(_rate_sentence(report), styles["sentence"]),
    ]
    if comparison is not None:
        story.append(Paragraph(clean_text(rounds_paragraph(comparison, units_word(report.unit_key))),
                               styles["sentence"]))
    names = register_names() if names is None else names
    by_id = {q.question_id: q for q in report.questions}
    rankings = {r.question_id: r for r in report.rankings}
    for question in form.questions:
        if question.id in rankings:
            story += _national_ranking(report, rankings[question.id], form, styles)
            if comparison is not None:
                story += _comparison_note(question, comparison, styles)
            if after_question is not None:
                story += after_question(question)
            continue
        national = by_id.get(question.id)
        if national is None:
            continue
        head = _question_heading(form, national.question_id, national.number, national.text, styles)
        skippable = can_be_skipped(form, question.id)
        if question.qtype.has_options:
            labels = _labels(form, question.id, {o.option_id: o.label for o in national.options})
            change = comparison.question(question.id) if comparison is not None else None
            if change is not None and change.comparable:
                table = _compared_table(national, change, comparison.year, comparison.earlier_year, labels,
                                        skippable, styles, report.unit_key)
                # the county PDF's chart of two rounds: the earlier round's bar lighter, under this round's
                chart = national_chart(national, total, labels=labels, unit_key=report.unit_key,
                                       comparison=comparison)
                story += _block(head, table, chart)
            else:
                table = _national_table(national, labels, skippable, styles, report.unit_key)
                story += _block(head, table, national_chart(national, total, labels=labels, unit_key=report.unit_key))
        else:
            story += _national_figures(report, question, national, head, skippable, names, styles)
        story += help_flowables(question, styles)  # the form's footnote to the question
        if comparison is not None:
            story += _comparison_note(question, comparison, styles)
        if after_question is not None:
            story += after_question(question)
        if report.unit_key != "region":  # answered per region: no county form, its texts are the answers
            story += _region_texts("Regionernas sammanfattningar av öppna svar", national.summaries, styles)

    if report.unit_key != "region":
        story += _region_texts("Övriga synpunkter", report.ovriga_synpunkter, styles, label_style="question")
    return story


# --------------------------------------------------------------------------- a region compared with the nation

def _pct_cell(value: int | None, style: ParagraphStyle) -> Paragraph:
    return Paragraph(percent_text(value) if value is not None else DASH, style)


def _region_figures(question: Question, national: NationalQuestion, region: str, head: list[Flowable],
                    styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """A number, date or table question: the region's figures above the nation's; a text question: the
    region's own texts."""
    mine = national.region_aggregates.get(region)
    if question.type in ("text", "longtext"):
        return with_head(head, text_list(mine, styles, caption=f"Svar från {region}", names=register_names()))
    return with_head(head, comparison_tables(question, [(region, mine), ("Riket", national.aggregate)], styles))


def region_vs_nation_pdf(report: NationalReport, form: Form, region: str) -> bytes:
    """One region's percentages next to the nation's, question by question, with grouped bar charts."""
    rate = next((r for r in report.regions if r.region == region), None)
    if rate is None:
        raise ValueError(f"Regionen {region!r} finns inte i riksrapporten")
    register_fonts()
    styles = _extra_styles(paragraph_styles())
    name = clean_text(region)
    title = f"{region} i jämförelse med riket"
    story: list[Flowable] = [
        Paragraph(clean_text(title), styles["title"]),
        Paragraph(f"{clean_text(report_title(form))} – {clean_text(survey_name(form, report.round_year))}",
                  styles["subtitle"]),
    ]
    data: list[list] = [[
        Paragraph("", styles["cell_head"]),
        Paragraph("Antal kommuner", styles["cell_head_right"]),
        Paragraph("Antal kommuner som besvarat enkäten", styles["cell_head_right"]),
        Paragraph("Svarsfrekvens", styles["cell_head_right"]),
    ]]
    own = name if rate.has_file else f"{name} <font name='{FONT_ITALIC}'>(saknas)</font>"
    for label, row in ((own, rate), ("Riket", report.total)):
        data.append([Paragraph(label, styles["cell_bold"]), Paragraph(str(row.kommuner_totalt), styles["cell_right"]),
                     Paragraph(str(row.kommuner_svarat), styles["cell_right"]),
                     Paragraph(percent_text(row.svarsfrekvens), styles["cell_right"])])
    story.append(KeepTogether([Paragraph("Svarsfrekvens", styles["heading"]),
                               _grid(data, [32 * mm, 50 * mm, 30 * mm])]))
    if rate.has_file:
        story.append(Paragraph(
            f"Procenten är andelen av de kommuner som besvarat enkäten: {rate.kommuner_svarat} i {name} och "
            f"{report.total.kommuner_svarat} i riket.", styles["sentence"]))
    else:
        story.append(Paragraph(
            f"Länssammanställning saknas för {name}; regionens värden visas som –.", styles["sentence"]))

    total = report.total.kommuner_svarat
    caption = (f"Procent av de kommuner som besvarat enkäten ({rate.kommuner_svarat} i {region}, {total} i riket)"
               if rate.has_file else f"Procent av de {total} kommuner i riket som besvarat enkäten; {region} saknas")
    region_width = min(max(30 * mm, stringWidth(f"{region} (%)", FONT_BOLD, 8.5) + 10), 60 * mm)
    by_id = {q.question_id: q for q in report.questions}
    rankings = {r.question_id: r for r in report.rankings}
    for form_question in form.questions:
        if form_question.id in rankings:
            ranking = rankings[form_question.id]
            labels = _labels(form, ranking.question_id, {r.option_id: r.label for r in ranking.ranks})
            head = _ranking_heads(form, ranking, len(report.questions) + 1, styles)
            story += _block(head, _ranking_table(ranking, labels, styles), None)
            story.append(Paragraph("Rikets medelvärde av regionernas rangordning (1 = hög prioritet).",
                                   styles["table_note"]))
            continue
        question = by_id.get(form_question.id)
        if question is None:
            continue
        head = _question_heading(form, question.question_id, question.number, question.text, styles)
        if not form_question.qtype.has_options:
            story += _region_figures(form_question, question, region, head, styles)
            continue
        labels = _labels(form, question.question_id, {o.option_id: o.label for o in question.options})
        mine = question.per_region.get(region)
        data = [[
            Paragraph("Svarsalternativ", styles["cell_head"]),
            Paragraph(f"{name} (%)", styles["cell_head_right"]),
            Paragraph("Riket (%)", styles["cell_head_right"]),
        ]]
        rows: list[tuple[str, int | None, int | None]] = []
        for option in question.options:
            value = mine[option.option_id].procent if mine and option.option_id in mine else None
            label = labels.get(option.option_id, option.label)
            data.append([Paragraph(clean_text(label), styles["cell"]), _pct_cell(value, styles["cell_right"]),
                         _pct_cell(option.procent, styles["cell_right"])])
            rows.append((label, value, option.procent))
        chart = comparison_chart(rows, (region, "Riket"), caption=caption)
        story += _block(head, _grid(data, [region_width, 24 * mm]), chart)
        own = [(r, text) for r, text in question.summaries if r == region]
        if own:
            story += _region_texts("Regionens sammanfattning av öppna svar", own, styles)

    header = f"{survey_name(form, report.round_year)} – {region} i jämförelse med riket"
    return _build(story, title=title, header=header, subject=report_title(form))


# --------------------------------------------------------------------------- feedback to a municipality

def _number(document: dict | None, *keys: str) -> int | float | None:
    """A number in a national document, or None when it is missing or not a number."""
    value: object = document
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return value


def _percent(document: dict | None, *keys: str) -> int | None:
    """A whole percent (0–100) in a national document, or None."""
    value = _number(document, *keys)
    return int(value) if value is not None and value == int(value) and 0 <= value <= 100 else None


def _own_texts(question: Question, answers: Answers, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The municipality's own "ange" texts and comment on a question."""
    out: list[Flowable] = []
    for option in question.specify_options:
        text = answers.specify.get((question.id, option.id), "").strip()
        if text:
            out.append(Paragraph(f"<b>{clean_text(option.label)}:</b> {clean_text(text)}", styles["text"]))
    comment = answers.comments.get(question.id, "").strip()
    if comment:
        out.append(Paragraph(f"<b>Er kommentar:</b> {clean_text(comment)}", styles["text"]))
    return out


def _feedback_intro(county: CountyCompilation | None, national: dict | None, region: str) -> str:
    parts = [FEEDBACK_INTRO]
    if county is not None:
        parts.append(f"{clean_text(region)}: {county.kommuner_svarat} av {county.kommuner_totalt} kommuner har "
                     f"besvarat enkäten ({percent_text(county.svarsfrekvens)}).")
    else:
        parts.append("Länets sammanställning finns inte; kolumnen Länet visar –.")
    answered, count = _number(national, "totalt", "kommuner_svarat"), _number(national, "totalt", "kommuner_totalt")
    rate = _percent(national, "totalt", "svarsfrekvens")
    if national is None:
        parts.append("Riksresultatet finns ännu inte; kolumnen Riket visar –.")
    elif answered is not None and count is not None and rate is not None:
        parts.append(f"Riket: {answered:g} av {count:g} kommuner ({percent_text(rate)}).")
    return " ".join(parts)


@dataclass(frozen=True)
class EarlierOwn:
    """A municipality's own answers in an earlier round, for its feedback: `answers` keyed by this round's
    ids (survey/comparison.py `earlier_answers`), `matches` this round's questions' counterparts then."""

    year: int
    answers: Answers
    matches: dict[str, Counterpart]

    def tick(self, question: Question, option_id: str) -> str:
        """☒/☐ for an option then; – when the question or the option had no counterpart."""
        match = self.matches.get(question.id)
        if match is None or option_id not in match.options:
            return DASH
        return CHECKED if option_id in self.answers.choices.get(question.id, []) else UNCHECKED


def earlier_own_answers(store, round_, region: str) -> tuple[int, dict[str, Answers], dict[str, Counterpart]] | None:
    """(year, municipality -> its counted answers keyed by this round's ids, the counterparts) of the round
    before `round_` of the same survey; None when there is none."""
    before = store.earlier_rounds(round_)
    if not before:
        return None
    earlier, form = before[-1], store.form_of(round_)
    earlier_form = store.form_of(earlier)
    matches = counterparts(form, earlier_form)
    answers = {}
    for record in store.responses(earlier, region):
        own = record.answers(earlier_form)
        if response_state(earlier_form, record.status, own).counts:
            answers[record.kommun] = earlier_answers(own, matches)
    return earlier.year, answers, matches


def feedback_pdf(form: Form, *, municipality: str, code: str, region: str, round_year: int, answers: Answers,
                 county: CountyCompilation | None, national: dict | None, earlier: EarlierOwn | None = None) -> bytes:
    """One municipality's answers next to the county's and the nation's percentages, question by question;
    with `earlier`, its own answers in that round too (issue 17), beside this round's."""
    register_fonts()
    styles = _extra_styles(paragraph_styles())
    skipped = skipped_questions(form, answers)
    earlier_skipped = skipped_questions(form, earlier.answers) if earlier is not None else set()
    place = f"{municipality} ({code})" if municipality and code else municipality or code
    intro = _feedback_intro(county, national, region)
    if earlier is not None:
        intro += (f" Kolumnen ”Ert svar {earlier.year}” visar ert svar i kartläggningen {earlier.year}; "
                  "– där frågan eller svarsalternativet inte fanns då.")
    story: list[Flowable] = [
        Paragraph(FEEDBACK_TITLE, styles["title"]),
        Paragraph(f"{clean_text(place)}, {clean_text(region)} – kartläggning {round_year}", styles["subtitle"]),
        Paragraph(intro, styles["intro"]),
        Paragraph(f"{CHECKED} = ert svar, {UNCHECKED} = ej markerat. Procenten är andelen av de kommuner som "
                  "besvarat enkäten.", styles["note"]),
    ]
    county_name = f"Länet ({region})" if region else "Länet"
    for question in form.questions:
        result = None
        if county is not None:
            result = next((q for q in county.questions if q.question_id == question.id), None)
        if question.type == "ranking":
            story += _feedback_ranking(question, answers, national, styles, earlier)
            continue
        if not question.qtype.has_options:
            story += _feedback_value(form, question, answers, result, national, county_name, styles,
                                     question.id in skipped, earlier)
            continue
        is_skipped = question.id in skipped
        chosen = set(answers.choices.get(question.id, [])) if not is_skipped else set()
        county_pct = {o.option_id: o.percent for o in result.options} if result else {}
        then = [Paragraph(f"Ert svar {earlier.year}", styles["cell_head_center"])] if earlier is not None else []
        data: list[list] = [[
            Paragraph("Svarsalternativ", styles["cell_head"]),
            Paragraph("Ert svar", styles["cell_head_center"]),
            *then,
            Paragraph("Länet (%)", styles["cell_head_right"]),
            Paragraph("Riket (%)", styles["cell_head_right"]),
        ]]
        rows: list[tuple[str, int | None, int | None]] = []
        for option in question.options:
            nation = _percent(national, "questions", question.id, "options", option.id, "procent")
            mine = county_pct.get(option.id)
            tick = DASH if is_skipped else CHECKED if option.id in chosen else UNCHECKED
            then = [] if earlier is None else [_earlier_cell(earlier.tick(question, option.id)
                                                            if question.id not in earlier_skipped else DASH, styles)]
            data.append([Paragraph(clean_text(option.label), styles["cell"]),
                         Paragraph(tick, styles["cell_center" if not is_skipped else "cell_center_text"]),
                         *then, _pct_cell(mine, styles["cell_right"]), _pct_cell(nation, styles["cell_right"])])
            mark = "" if is_skipped else f"{CHECKED} " if option.id in chosen else f"{UNCHECKED} "
            rows.append((mark + option.report_label, mine, nation))
        extra_from = len(data)
        comparable = earlier is not None and question.id in earlier.matches
        then_skipped = question.id in earlier_skipped
        then_chosen = bool(earlier.answers.choices.get(question.id)) if earlier is not None else False
        extras = [("Ej svar", "ej_svar", not is_skipped and not chosen,
                   result.ej_svar_percent if result else None, not then_skipped and not then_chosen)]
        if can_be_skipped(form, question.id):
            extras.append(("Ej tillämpligt", "ej_tillampligt", is_skipped,
                           result.ej_tillampligt_percent if result else None, then_skipped))
        for label, key, ticked, mine, ticked_then in extras:
            nation = _percent(national, "questions", question.id, key, "procent")
            then = [] if earlier is None else [_earlier_cell(
                (CHECKED if ticked_then else UNCHECKED) if comparable else DASH, styles)]
            data.append([Paragraph(label, styles["cell_extra"]),
                         Paragraph(CHECKED if ticked else UNCHECKED, styles["cell_center"]),
                         *then, _pct_cell(mine, styles["cell_right"]), _pct_cell(nation, styles["cell_right"])])
        head: list[Flowable] = _question_heads(question, styles)
        if earlier is not None and not comparable:
            head.append(_new_question_note(earlier, styles))
        if is_skipped:
            head.append(Paragraph(f"Ert svar: Ej tillämpligt – frågan hoppades över efter ert svar på "
                                  f"{_skipped_by(form, answers, question.id)}.", styles["note"]))
        chart = comparison_chart(rows, (county_name, "Riket"),
                                 caption=f"Procent av de kommuner som besvarat enkäten. {CHECKED} = ert svar, "
                                         f"{UNCHECKED} = ej markerat")
        widths = [17 * mm, 22 * mm, 22 * mm] if earlier is None else [17 * mm, 17 * mm, 20 * mm, 20 * mm]
        story += _block(head, _grid(data, widths, extra_from=extra_from), chart)
        story += _own_texts(question, answers, styles)

    header = f"Kartläggning {round_year} – {place} i jämförelse med länet och riket"
    return _build(story, title=f"{FEEDBACK_TITLE} – {municipality or code} {round_year}", header=header,
                  subject=form.title)


def _earlier_cell(tick: str, styles: dict[str, ParagraphStyle]) -> Paragraph:
    return Paragraph(tick, styles["cell_center" if tick != DASH else "cell_center_text"])


def _new_question_note(earlier: EarlierOwn, styles: dict[str, ParagraphStyle]) -> Paragraph:
    return Paragraph(f"Frågan är ny sedan {earlier.year} och har inget svar från då att jämföra med.", styles["note"])


def _national_aggregate(question: Question, national: dict | None):
    """The nation's aggregate of a question in a national document, or None when it is missing or wrong."""
    raw = national.get("questions", {}).get(question.id, {}).get("riket") if isinstance(national, dict) else None
    if not isinstance(raw, dict):
        return None
    try:
        return question.qtype.aggregate_from_json(question, raw, f"questions.{question.id}.riket")
    except ValueError:
        return None


def _own_rows(question: Question, answers: Answers, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """A table question's own rows, under its column names."""
    rows = [row for row in answers.tables.get(question.id, []) if any(v.strip() for v in row.values())]
    if not rows:
        return [Paragraph("Ert svar: –", styles["text"])]
    data = [[Paragraph(clean_text(c.label), styles["cell_head"]) for c in question.columns]]
    data += [[Paragraph(clean_text(value_text(c, row.get(c.id, ""))), styles["cell"]) for c in question.columns]
             for row in rows]
    width = FRAME_WIDTH / len(question.columns)
    table = Table(data, colWidths=[width] * len(question.columns), repeatRows=1, hAlign="LEFT")
    table.setStyle(table_style(grid_commands(len(data))))
    return [Paragraph("Ert svar:", styles["text"]), table]


def _feedback_value(form: Form, question: Question, answers: Answers, result: QuestionResult | None,
                    national: dict | None, county_name: str, styles: dict[str, ParagraphStyle],
                    is_skipped: bool, earlier: EarlierOwn | None = None) -> list[Flowable]:
    """A number, date, text or table question: the municipality's answer, then (but for texts) the
    county's and the nation's figures."""
    head = _question_heads(question, styles)
    if is_skipped:
        head.append(Paragraph(f"Ert svar: Ej tillämpligt – frågan hoppades över efter ert svar på "
                              f"{_skipped_by(form, answers, question.id)}.", styles["note"]))
        own: list[Flowable] = []
    elif question.qtype.has_columns:
        own = _own_rows(question, answers, styles)
    else:
        value = answers.values.get(question.id, "")
        shown = clean_text(value_text(question, value)).replace("<br/>", " ") if value.strip() else DASH
        if question.type == "longtext" and value.strip():
            shown = clean_text(value.strip())
        own = [Paragraph(f"<b>Ert svar:</b> {shown}", styles["text"])]
    if earlier is not None:
        if question.id not in earlier.matches:
            own.append(_new_question_note(earlier, styles))
        else:
            then = answer_text(question, earlier.answers) or DASH
            own.append(Paragraph(f"<b>Ert svar {earlier.year}:</b> {clean_text(then)}", styles["text"]))
    out = with_head(head, own)
    if question.type not in ("text", "longtext"):
        rows = [(county_name, result.aggregate if result is not None else None),
                ("Riket", _national_aggregate(question, national))]
        out += comparison_tables(question, rows, styles, first="")
    return out + _own_texts(question, answers, styles)


def _skipped_by(form: Form, answers: Answers, question_id: str) -> str:
    """"fråga 1": the question whose answer passes over `question_id`."""
    for question in form.questions:
        for option_id in answers.choices.get(question.id, []):
            if question.type == "single" and question_id in form.skipped_by(question.id, option_id):
                return f"fråga {question.number_text}"
    return "en tidigare fråga"


def _feedback_ranking(question: Question, answers: Answers, national: dict | None,
                      styles: dict[str, ParagraphStyle], earlier: EarlierOwn | None = None) -> list[Flowable]:
    """A ranking question: the municipality's own ranks (with `earlier`, then and now) next to the nation's means."""
    ranks = answers.ranks.get(question.id, {})
    then_ranks = earlier.answers.ranks.get(question.id, {}) if earlier is not None else {}
    match = earlier.matches.get(question.id) if earlier is not None else None
    data: list[list] = [[
        Paragraph("Alternativ", styles["cell_head"]),
        Paragraph("Er rangordning", styles["cell_head_right"]),
        *([Paragraph(f"Er rangordning {earlier.year}", styles["cell_head_right"])] if earlier is not None else []),
        Paragraph("Riket (medelvärde)", styles["cell_head_right"]),
    ]]
    for option in question.options:
        mean = _number(national, "ranking", question.id, option.id, "medelvarde")
        then = [] if earlier is None else [Paragraph(
            str(then_ranks[option.id]) if match is not None and option.id in then_ranks else DASH, styles["cell_right"])]
        data.append([Paragraph(clean_text(option.label), styles["cell"]),
                     Paragraph(str(ranks[option.id]) if option.id in ranks else DASH, styles["cell_right"]),
                     *then,
                     Paragraph(decimal_comma(float(mean)) if mean is not None else DASH, styles["cell_right"])])
    head = _question_heads(question, styles)
    if earlier is not None and match is None:
        head.append(_new_question_note(earlier, styles))
    widths = [30 * mm, 34 * mm] if earlier is None else [26 * mm, 30 * mm, 30 * mm]
    out = _block(head, _grid(data, widths), None)
    out.append(Paragraph("Rikets medelvärde av regionernas rangordning (1 = hög prioritet).", styles["table_note"]))
    return out + _own_texts(question, answers, styles)


def feedback_pdfs_for_region(store, round_, region: str, national: dict | None) -> dict[str, bytes]:
    """Municipality code -> feedback PDF, for every municipality of the region whose response counts as answered."""
    county = store.compile(round_, region)  # once: the county's percentages for every municipality
    form = store.form_of(round_)
    before = earlier_own_answers(store, round_, county.region)  # the round before: each one's own answers then
    finished = {r.kommun: r for r in store.responses(round_, county.region)
                if response_state(form, r.status, r.answers(form)).counts}
    out: dict[str, bytes] = {}
    for municipality in store.municipalities(county.region):
        record = finished.get(municipality.code)
        if record is None:
            continue
        out[municipality.code] = feedback_pdf(
            form, municipality=municipality.name, code=municipality.code, region=county.region,
            round_year=round_.year, answers=record.answers(form), county=county, national=national,
            earlier=EarlierOwn(before[0], before[1][municipality.code], before[2])
            if before is not None and municipality.code in before[1] else None)
    return out


__all__ = [
    "EarlierOwn",
    "comparison_chart",
    "earlier_own_answers",
    "feedback_pdf",
    "feedback_pdfs_for_region",
    "national_chart",
    "national_pdf",
    "national_story",
    "region_vs_nation_pdf",
]
