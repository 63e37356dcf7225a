"""A question's aggregate (survey/aggregates.py) as a person reads it, for the county and national views.

Ranking: mean rank and how many ranked each option; integer and decimal: n, sum, mean, median,
smallest, largest (decimal comma, the question's unit); date: n, earliest, latest (ÅÅÅÅ-MM-DD);
text and longtext: every text with its municipality or region, without it when anonymised; table:
the row count and each column's aggregate. Choices keep their count tables and charts (the views').
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

# The words and numbers are the core's (exchange/aggregate_text.py), the same as in the PDFs.
from ..exchange.aggregate_text import (
    DATE_MEASURES,
    NUMBER_MEASURES,
    NUMBER_TYPES,
    RANK_PLACES,
    UNIT_WORDS,
    date_cells,
    number_cells,
    swedish_number,
    text_entries,
    unit_count,
)
from ..survey.aggregates import (
    Aggregate,
    DateAggregate,
    NumberAggregate,
    RankingAggregate,
    TableAggregate,
    TextAggregate,
)
from .labels import esc, set_label_text, wrapped_label
from .tables import FittedTable

MEASURE_TABLE_CHARS = 70  # a measure's name and its value stay close enough to read across


def text_lines(aggregate: TextAggregate | None, names: Mapping[str, str]) -> list[tuple[str, str]]:
    """Each text as (plain, rich): "Motala: …" with its unit's name, only the text when anonymised."""
    lines = []
    for who, body in text_entries(aggregate, names):
        rich = esc(body).replace("\n", "<br>")
        lines.append((f"{who}: {body}", f"<b>{esc(who)}:</b> {rich}") if who else (body, rich))
    return lines


class MeasureTable(FittedTable):
    """Mått | Värde, one row per measure, with Ej svar (and Ej tillämpligt) below."""

    def __init__(self, measures: tuple[str, ...], accessible: str, can_be_skipped: bool) -> None:
        extra = ("Ej svar", "Ej tillämpligt") if can_be_skipped else ("Ej svar",)
        super().__init__(("Mått", "Värde"), len(measures) + len(extra), accessible, stretch=0, numeric=(1,))
        for row, text in enumerate((*measures, *extra)):
            self.item(row, 0).setText(text)
            if row >= len(measures):
                self.set_italic_row(row)
        self.setMaximumWidth(self.fontMetrics().averageCharWidth() * MEASURE_TABLE_CHARS)
        self.fit()

    def set_values(self, values: tuple[str, ...]) -> None:
        changed = False
        for row, text in enumerate(values):
            changed |= self.set_row(row, (text,), 1)
        if changed:
            self.fit()


class TextList(QWidget):
    """The units' texts of a question (or a table column), read-only and selectable."""

    def __init__(self, accessible: str, caption: str = "") -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.caption = caption
        self.heading = wrapped_label(rich=True)
        self.label = wrapped_label(rich=True)
        self.label.setAccessibleName(accessible)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                           | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        layout.addWidget(self.heading)
        layout.addWidget(self.label)
        self.lines: list[str] = []

    def set_texts(self, aggregate: TextAggregate | None, names: Mapping[str, str], unit_key: str) -> None:
        pairs = text_lines(aggregate, names)
        self.lines = [plain for plain, _rich in pairs]
        missing = aggregate.ej_svar if aggregate is not None else 0
        heading = f"{self.caption} – {len(pairs)} svar" if self.caption else f"{len(pairs)} svar"
        if missing:
            heading += f", ej svar: {unit_count(missing, unit_key)}"
        set_label_text(self.heading, f"<b>{esc(heading)}</b>")
        html = "".join(f"<p style='margin: 0 0 6px 0'>{rich}</p>" for _plain, rich in pairs)
        set_label_text(self.label, html or "<i>Inga svar.</i>")


class RankTable(FittedTable):
    """Alternativ | Medelvärde | Antal som rangordnat, in the form's order."""

    def __init__(self, question, unit_key: str, accessible: str) -> None:
        counted = UNIT_WORDS.get(unit_key, UNIT_WORDS["kommun"])[1]
        super().__init__(("Alternativ", "Medelvärde", f"Antal {counted} som rangordnat"), len(question.options),
                         accessible, numeric=(1, 2))
        self.option_ids = [option.id for option in question.options]
        for row, option in enumerate(question.options):
            self.item(row, 0).setText(option.label)
            self.item(row, 0).setToolTip(option.description)
        self.fit()

    def set_aggregate(self, aggregate: RankingAggregate | None) -> None:
        changed = False
        for row, option_id in enumerate(self.option_ids):
            mean = aggregate.mean_rank.get(option_id) if aggregate is not None else None
            count = aggregate.ranked_by.get(option_id, 0) if aggregate is not None else 0
            changed |= self.set_row(row, (swedish_number(mean, "", RANK_PLACES, keep_places=True), str(count)), 1)
        if changed:
            self.fit()


class TableFigures(QWidget):
    """A table question: its row count, then its number columns, its date columns and its text columns."""

    def __init__(self, question, unit_key: str, can_be_skipped: bool) -> None:
        super().__init__()
        self.question, self.unit_key, self.can_be_skipped = question, unit_key, can_be_skipped
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.rows_label = wrapped_label()
        self.rows_label.setAccessibleName(f"Antal rader, fråga {question.number_text}")
        layout.addWidget(self.rows_label)
        self.numbers = [c for c in question.columns if c.type in NUMBER_TYPES]
        self.dates = [c for c in question.columns if c.type == "date"]
        self.texts = [c for c in question.columns if c.type not in NUMBER_TYPES and c.type != "date"]
        self.number_table = self.date_table = None
        if self.numbers:
            self.number_table = FittedTable(("Kolumn", *NUMBER_MEASURES), len(self.numbers),
                                            f"Talkolumner, fråga {question.number_text}", numeric=tuple(range(1, 7)))
            for row, column in enumerate(self.numbers):
                self.number_table.item(row, 0).setText(_column_caption(column))
            layout.addWidget(self.number_table)
        if self.dates:
            self.date_table = FittedTable(("Kolumn", *DATE_MEASURES), len(self.dates),
                                          f"Datumkolumner, fråga {question.number_text}", numeric=(1, 2, 3))
            for row, column in enumerate(self.dates):
                self.date_table.item(row, 0).setText(column.label)
            layout.addWidget(self.date_table)
        self.text_lists: dict[str, TextList] = {}
        for column in self.texts:
            text_list = TextList(f"{column.label}, fråga {question.number_text}", column.label)
            self.text_lists[column.id] = text_list
            layout.addWidget(text_list)

    def set_aggregate(self, aggregate: TableAggregate | None, names: Mapping[str, str]) -> None:
        rows = aggregate.rows if aggregate is not None else 0
        text = f"Antal rader: {rows}"
        if aggregate is not None and aggregate.ej_svar:
            text += f". Ej svar: {unit_count(aggregate.ej_svar, self.unit_key)}"
        if aggregate is not None and self.can_be_skipped and aggregate.ej_tillampligt:
            text += f". Ej tillämpligt: {unit_count(aggregate.ej_tillampligt, self.unit_key)}"
        set_label_text(self.rows_label, text + ".")
        columns = aggregate.columns if aggregate is not None else {}
        if self.number_table is not None:
            if any([self.number_table.set_row(row, number_cells(columns.get(c.id), c.unit), 1)
                    for row, c in enumerate(self.numbers)]):
                self.number_table.fit()
        if self.date_table is not None:
            if any([self.date_table.set_row(row, date_cells(columns.get(c.id)), 1) for row, c in enumerate(self.dates)]):
                self.date_table.fit()
        for column in self.texts:
            self.text_lists[column.id].set_texts(columns.get(column.id), names, self.unit_key)


def _column_caption(column) -> str:
    return f"{column.label} ({column.unit})" if column.unit else column.label


class AggregateFigures(QWidget):
    """One question's aggregate, whatever its type but the choices: built from the question, filled by `show`."""

    def __init__(self, question, unit_key: str = "kommun", can_be_skipped: bool = False) -> None:
        super().__init__()
        self.question, self.unit_key, self.can_be_skipped = question, unit_key, can_be_skipped
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        where = f"fråga {question.number_text}"
        self.table: FittedTable | None = None
        self.text_list: TextList | None = None
        self.table_figures: TableFigures | None = None
        self.note: QLabel | None = None
        if question.type == "ranking":
            self.table = RankTable(question, unit_key, f"Medelvärde och antal som rangordnat, {where}")
            layout.addWidget(self.table)
            self.note = wrapped_label()
            layout.addWidget(self.note)
        elif question.type in NUMBER_TYPES:
            self.table = MeasureTable(NUMBER_MEASURES, f"Sammanställning, {where}", can_be_skipped)
            layout.addWidget(self.table)
        elif question.type == "date":
            self.table = MeasureTable(DATE_MEASURES, f"Sammanställning, {where}", can_be_skipped)
            layout.addWidget(self.table)
        elif question.qtype.has_columns:
            self.table_figures = TableFigures(question, unit_key, can_be_skipped)
            layout.addWidget(self.table_figures)
        else:  # text, longtext
            self.text_list = TextList(f"Svar, {where}")
            layout.addWidget(self.text_list)

    def show_aggregate(self, aggregate: Aggregate | None, names: Mapping[str, str] | None = None) -> None:
        """Show an aggregate (None: nothing yet); `names` turns a text's unit (a code) into a name."""
        names = names or {}
        skipped = (getattr(aggregate, "ej_svar", 0), getattr(aggregate, "ej_tillampligt", 0))
        skipped_cells = skipped if self.can_be_skipped else skipped[:1]
        skipped_cells = tuple(str(n) for n in skipped_cells)
        if isinstance(self.table, RankTable):
            self.table.set_aggregate(aggregate if isinstance(aggregate, RankingAggregate) else None)
            text = f"Ej svar: {unit_count(skipped[0], self.unit_key)}."
            if self.can_be_skipped:
                text += f" Ej tillämpligt: {unit_count(skipped[1], self.unit_key)}."
            set_label_text(self.note, text)
        elif isinstance(self.table, MeasureTable):
            if self.question.type == "date":
                cells = date_cells(aggregate if isinstance(aggregate, DateAggregate) else None)
            else:
                cells = number_cells(aggregate if isinstance(aggregate, NumberAggregate) else None, self.question.unit)
            self.table.set_values(cells + skipped_cells)
        elif self.table_figures is not None:
            self.table_figures.set_aggregate(aggregate if isinstance(aggregate, TableAggregate) else None, names)
        elif self.text_list is not None:
            self.text_list.set_texts(aggregate if isinstance(aggregate, TextAggregate) else None, names, self.unit_key)

    def rows(self) -> list[tuple[str, ...]]:
        """The figures' table cells, row by row (for tests and for copying)."""
        return self.table.rows() if self.table is not None else []
