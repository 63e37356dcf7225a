"""A question's aggregate as PDF blocks, for the county and national PDFs (every type but the choices).

Ranking: mean rank and how many ranked each option; integer and decimal: n, sum, mean, median,
smallest, largest (decimal comma, the unit); date: n, earliest, latest; text and longtext: every
text with its municipality or region (none when anonymised); table: the row count and the
aggregate of each column. The same figures as the county and national views show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table

from ..survey.aggregates import (
    Aggregate,
    DateAggregate,
    NumberAggregate,
    RankingAggregate,
    TableAggregate,
    TextAggregate,
)
from .aggregate_text import (
    DATE_MEASURES,
    NUMBER_MEASURES,
    NUMBER_TYPES,
    RANK_PLACES,
    date_cells,
    number_cells,
    rows_sentence,
    swedish_number,
    text_entries,
    texts_caption,
    unit_count,
    units_word,
)
from .county_pdf import grid_commands, table_style
from .pdf_forms import FRAME_WIDTH, clean_text

DASH = "–"
NUMBER_WIDTHS = [18 * mm, 22 * mm, 25 * mm, 20 * mm, 18 * mm, 20 * mm]  # "Medelvärde" on one line


@cache
def register_names() -> dict[str, str]:
    """Municipality code -> name from the program's register: what a text's unit (a code) is shown as."""
    from ..paths import resources_dir
    from ..survey.register import load_register

    return {m.code: m.name for m in load_register(resources_dir()).municipalities}


def with_head(head: list[Flowable], flowables: list[Flowable]) -> list[Flowable]:
    """The heading kept together with the first block (one level: reportlab breaks pages early on nested ones)."""
    if not flowables:
        return [KeepTogether(head)]
    first = flowables[0]
    content = list(first._content) if isinstance(first, KeepTogether) else [first]
    return [KeepTogether([*head, *content]), *flowables[1:]]


def _grid(data: list[list], widths: Sequence[float], extra_from: int | None = None) -> Table:
    first = FRAME_WIDTH - sum(widths)
    table = Table(data, colWidths=[first, *widths], repeatRows=1, hAlign="LEFT", spaceBefore=3, spaceAfter=2)
    table.setStyle(table_style(grid_commands(len(data), extra_from)))
    return table


def _row(cells: Sequence[str], styles: dict[str, ParagraphStyle], first: str = "cell") -> list[Paragraph]:
    return [Paragraph(clean_text(cells[0]), styles[first]), *(Paragraph(clean_text(c), styles["cell_right"]) for c in cells[1:])]


def _head(cells: Sequence[str], styles: dict[str, ParagraphStyle]) -> list[Paragraph]:
    return [Paragraph(clean_text(cells[0]), styles["cell_head"]),
            *(Paragraph(clean_text(c), styles["cell_head_right"]) for c in cells[1:])]


def measure_table(measures: Sequence[str], values: Sequence[str], extras: Sequence[tuple[str, str]],
                  styles: dict[str, ParagraphStyle]) -> Table:
    """Mått | Värde, one row per measure, then "Ej svar" (and "Ej tillämpligt")."""
    data = [_head(("Mått", "Värde"), styles)]
    data += [_row((m, v), styles) for m, v in zip(measures, values, strict=True)]
    extra_from = len(data)
    data += [_row(extra, styles, "cell_extra") for extra in extras]
    table = Table(data, colWidths=[60 * mm, 45 * mm], repeatRows=1, hAlign="LEFT")
    table.setStyle(table_style(grid_commands(len(data), extra_from)))
    return table


def _extras(aggregate, can_be_skipped: bool, unit_key: str) -> list[tuple[str, str]]:
    extras = [("Ej svar", unit_count(getattr(aggregate, "ej_svar", 0), unit_key))]
    if can_be_skipped:
        extras.append(("Ej tillämpligt", unit_count(getattr(aggregate, "ej_tillampligt", 0), unit_key)))
    return extras


def text_list(aggregate: TextAggregate | None, styles: dict[str, ParagraphStyle], *, caption: str = "Svar",
              names: Mapping[str, str] | None = None, unit_key: str = "kommun", with_region: bool = False,
              missing: bool = True) -> list[Flowable]:
    """"Svar (3):" and one bullet a text, "Motala: …" (only the text when anonymised)."""
    entries = text_entries(aggregate, names, with_region)
    heading = texts_caption(caption, len(entries), aggregate if missing else None, unit_key)
    label = Paragraph(clean_text(heading), styles["open_label"])
    if not entries:
        return [KeepTogether([label, Paragraph("Inga svar.", styles["empty"])])]
    items = [Paragraph(f"<b>{clean_text(who)}:</b> {clean_text(text)}" if who else clean_text(text), styles["open"],
                       bulletText="•") for who, text in entries]
    return [KeepTogether([label, items[0]]), *items[1:]]


def _column_caption(column) -> str:
    return f"{column.label} ({column.unit})" if column.unit else column.label


def table_figures(question, aggregate: TableAggregate | None, styles: dict[str, ParagraphStyle], *,
                  names: Mapping[str, str] | None = None, unit_key: str = "kommun", can_be_skipped: bool = False,
                  with_region: bool = False) -> list[Flowable]:
    """A table question: "Antal rader: 7.", its number columns, its date columns, its text columns."""
    sentence = rows_sentence(aggregate, unit_key, can_be_skipped)
    out: list[Flowable] = [Paragraph(clean_text(sentence), styles["sentence_plain"])]
    columns = aggregate.columns if aggregate is not None else {}
    numbers = [c for c in question.columns if c.type in NUMBER_TYPES]
    dates = [c for c in question.columns if c.type == "date"]
    texts = [c for c in question.columns if c.type not in NUMBER_TYPES and c.type != "date"]
    if numbers:
        data = [_head(("Kolumn", *NUMBER_MEASURES), styles)]
        data += [_row((_column_caption(c), *number_cells(columns.get(c.id), c.unit)), styles) for c in numbers]
        out.append(_grid(data, NUMBER_WIDTHS))
    if dates:
        data = [_head(("Kolumn", *DATE_MEASURES), styles)]
        data += [_row((c.label, *date_cells(columns.get(c.id))), styles) for c in dates]
        out.append(_grid(data, [20 * mm, 26 * mm, 26 * mm]))
    for column in texts:
        out += text_list(columns.get(column.id), styles, caption=column.label, names=names, unit_key=unit_key,
                         with_region=with_region, missing=False)
    return out


def aggregate_flowables(question, aggregate: Aggregate | None, styles: dict[str, ParagraphStyle], *,
                        names: Mapping[str, str] | None = None, unit_key: str = "kommun",
                        can_be_skipped: bool = False, with_region: bool = False) -> list[Flowable]:
    """The figures of a number, date, text, longtext or table question (choices and rankings have their own)."""
    if question.type in NUMBER_TYPES:
        values = number_cells(aggregate if isinstance(aggregate, NumberAggregate) else None, question.unit)
        return [measure_table(NUMBER_MEASURES, values, _extras(aggregate, can_be_skipped, unit_key), styles)]
    if question.type == "date":
        values = date_cells(aggregate if isinstance(aggregate, DateAggregate) else None)
        return [measure_table(DATE_MEASURES, values, _extras(aggregate, can_be_skipped, unit_key), styles)]
    if question.qtype.has_columns:
        return table_figures(question, aggregate if isinstance(aggregate, TableAggregate) else None, styles,
                             names=names, unit_key=unit_key, can_be_skipped=can_be_skipped, with_region=with_region)
    return text_list(aggregate if isinstance(aggregate, TextAggregate) else None, styles, names=names,
                     unit_key=unit_key, with_region=with_region)


def rank_table(question, aggregate: RankingAggregate | None, styles: dict[str, ParagraphStyle], *,
               unit_key: str = "kommun", own: tuple[str, Mapping[str, int]] | None = None) -> Table:
    """Alternativ | (own rank) | Medelvärde | Antal … som rangordnat, in the form's order.

    `own`: (caption, option id -> rank), e.g. the region's own ranking beside its municipalities' means.
    """
    counted = units_word(unit_key)
    head = ["Alternativ"] + ([own[0]] if own else []) + [
        f"{'Kommunernas' if unit_key == 'kommun' else 'Regionernas'} medelvärde", f"Antal {counted} som rangordnat"]
    data: list[list] = [_head(head, styles)]
    for option in question.options:
        label: list[Flowable] = [Paragraph(clean_text(option.label), styles["cell"])]
        if option.description:
            label.append(Paragraph(clean_text(option.description), styles["cell_description"]))
        count = aggregate.ranked_by.get(option.id, 0) if aggregate is not None else 0
        mean = aggregate.mean_rank.get(option.id) if aggregate is not None else None
        cells = [swedish_number(mean, "", RANK_PLACES, keep_places=True) if count else DASH, str(count)]
        if own:
            rank = own[1].get(option.id)
            cells.insert(0, str(rank) if rank else DASH)
        data.append([label, *(Paragraph(c, styles["cell_right"]) for c in cells)])
    widths = ([25 * mm] if own else []) + [29 * mm, 29 * mm]
    return _grid(data, widths)


def comparison_tables(question, rows: Sequence[tuple[str, Aggregate | None]], styles: dict[str, ParagraphStyle],
                      *, first: str = "Län/region") -> list[Flowable]:
    """Several aggregates of one number, date or table question side by side, a row each (regions, the nation)."""
    if question.type in NUMBER_TYPES:
        data = [_head((first, *NUMBER_MEASURES), styles)]
        data += [_row((label, *number_cells(a if isinstance(a, NumberAggregate) else None, question.unit)), styles)
                 for label, a in rows]
        return [_grid(data, NUMBER_WIDTHS, extra_from=len(data) - 1)]
    if question.type == "date":
        data = [_head((first, *DATE_MEASURES), styles)]
        data += [_row((label, *date_cells(a if isinstance(a, DateAggregate) else None)), styles) for label, a in rows]
        return [_grid(data, [20 * mm, 26 * mm, 26 * mm], extra_from=len(data) - 1)]
    if question.qtype.has_columns:
        out: list[Flowable] = []
        data = [_head((first, "Antal rader"), styles)]
        data += [_row((label, str(a.rows) if isinstance(a, TableAggregate) else "0"), styles) for label, a in rows]
        out.append(_grid(data, [30 * mm], extra_from=len(data) - 1))
        for column in question.columns:
            if column.type not in NUMBER_TYPES and column.type != "date":
                continue
            parts = [(label, a.columns.get(column.id) if isinstance(a, TableAggregate) else None) for label, a in rows]
            caption = Paragraph(clean_text(_column_caption(column)), styles["open_label"])
            out += with_head([caption], comparison_tables(column, parts, styles, first=first))
        return out
    return []
