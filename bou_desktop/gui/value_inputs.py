"""Inputs for the questions that hold a value: numbers, dates, texts and tables (survey/types.py).

Each input checks what is typed with its type's own rule (`canonical`) as the person types: a value
that cannot be stored is said below the field, in red, and not saved; the field keeps what was typed.
What is stored is shown as a person writes it (decimal comma), and never over what is being typed
when the two are the same value ("12,5" stays "12,5" while "12.5" is stored).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..survey.types import QUESTION_TYPES, AnswerError
from .labels import WARNING_STYLE

PLACEHOLDERS = {"integer": "t.ex. 12", "decimal": "t.ex. 12,5", "date": "ÅÅÅÅ-MM-DD", "text": ""}


def shown(kind: str, stored: str) -> str:
    """A stored value as a person writes it: the decimal comma for numbers."""
    return stored.replace(".", ",") if kind in ("integer", "decimal") else stored


class ValueEdit(QLineEdit):
    """One value of a simple type (a question's, or a table cell's): `spec` is the question or the column."""

    def __init__(self, spec, accessible: str) -> None:
        super().__init__()
        self.spec = spec
        self.kind = QUESTION_TYPES[spec.type]
        self.setAccessibleName(accessible)
        self.setPlaceholderText(PLACEHOLDERS.get(spec.type, ""))
        if spec.type in ("integer", "decimal", "date"):
            self.setMaximumWidth(160)

    def value(self) -> str | None:
        """The value to store: None when empty; AnswerError when what is typed is not a value."""
        text = self.text()
        return self.kind.canonical(self.spec, text) if text.strip() else None

    def show_stored(self, stored: str | None) -> None:
        """Show a stored value, unless the field already holds the same value as typed."""
        try:
            if self.value() == (stored or None):
                return
        except AnswerError:
            if stored is None and self.hasFocus():
                return  # being typed, and not a value yet (nor stored): the person's text stays
        text = shown(self.spec.type, stored or "")
        if self.text() != text:
            self.setText(text)


class ValueInput(QWidget):
    """A question's value: its field, the unit after it and the reason below when it cannot be stored."""

    edited = Signal(str, object)  # field key, the value to store (None: empty)

    def __init__(self, question, key: str) -> None:
        super().__init__()
        self.key = key
        self.edit = ValueEdit(question, f"Fråga {question.label} {question.text}")
        self.error = QLabel()
        self.error.setStyleSheet(WARNING_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1 if question.type == "text" else 0)
        if question.unit:
            row.addWidget(QLabel(question.unit))
        if question.type != "text":
            row.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(row)
        column.addWidget(self.error)
        self.edit.textEdited.connect(self._typed)

    def _typed(self, _text: str) -> None:
        try:
            value = self.edit.value()
        except AnswerError as error:
            # Said at once, and the stored value goes: "150" typed on from a saved "15" must not leave 15.
            self.error.setText(f"{str(error)[:1].upper()}{str(error)[1:]}.")
            self.error.show()
            self.edited.emit(self.key, None)
            return
        self.error.hide()
        self.edited.emit(self.key, value)

    def show_stored(self, stored: str | None) -> None:
        self.edit.show_stored(stored)
        if not self.edit.hasFocus():
            self.error.hide()


class LongTextInput(QPlainTextEdit):
    """A longer text, saved as typed; Tab moves on (as in the comment fields)."""

    edited = Signal(str, object)

    def __init__(self, question, key: str) -> None:
        super().__init__()
        self.key = key
        self.setTabChangesFocus(True)
        self.setAccessibleName(f"Fråga {question.label} {question.text}")
        self.setMinimumHeight(90)
        self.textChanged.connect(self._typed)
        self._showing = False

    def _typed(self) -> None:
        if not self._showing:
            self.edited.emit(self.key, self.toPlainText() if self.toPlainText().strip() else None)

    def show_stored(self, stored: str | None) -> None:
        if self.toPlainText().strip() == (stored or "").strip():
            return
        self._showing = True
        try:
            self.setPlainText(stored or "")
        finally:
            self._showing = False


class TableInput(QWidget):
    """A table question: one row per item (a development leader …), one field per column.

    Rows are numbered from 1 in the fields (`qid.<row>.<column>`); "Lägg till rad" adds an empty row,
    up to the form's `max_rows`. An emptied row stays until the response is opened again.
    """

    edited = Signal(str, object)

    def __init__(self, question, row_limit: int, undo_filter=None) -> None:
        super().__init__()
        self.question = question
        self.row_limit = row_limit
        self.undo_filter = undo_filter
        self.cells: dict[tuple[int, str], ValueEdit] = {}
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(8)
        # The row numbers and the cells keep to the left; a text column (or the empty column after) takes the rest.
        texts = [i for i, c in enumerate(question.columns, start=1) if c.type == "text"]
        self.grid.setColumnStretch(texts[-1] if texts else len(question.columns) + 1, 1)
        self.grid.addWidget(QLabel(""), 0, 0)
        for index, column in enumerate(question.columns, start=1):
            header = QLabel(f"<b>{column.label}</b>" + (f" ({column.unit})" if column.unit else ""))
            self.grid.addWidget(header, 0, index)
        self.error = QLabel()
        self.error.setStyleSheet(WARNING_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.add_button = QPushButton("Lägg till rad")
        self.add_button.setAccessibleName(f"Lägg till rad i fråga {question.label}")
        self.add_button.clicked.connect(lambda _checked=False: self.add_row(focus=True))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.grid)
        layout.addWidget(self.error)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.rows = 0
        self.set_rows(max(1, question.min_rows or 0))

    def add_row(self, focus: bool = False) -> None:
        if self.rows >= self.row_limit:
            return
        self.rows += 1
        row = self.rows
        number = QLabel(f"{row}.")
        self.grid.addWidget(number, row, 0)
        for index, column in enumerate(self.question.columns, start=1):
            edit = ValueEdit(column, f"Fråga {self.question.label}, rad {row}, {column.label}")
            if self.undo_filter is not None:
                edit.installEventFilter(self.undo_filter)
            edit.textEdited.connect(lambda _text, r=row, c=column.id: self._typed(r, c))
            self.cells[(row, column.id)] = edit
            self.grid.addWidget(edit, row, index)
        self._order_tabs()
        self.add_button.setEnabled(self.rows < self.row_limit)
        if focus:
            first = self.cells[(row, self.question.columns[0].id)]
            number.show()  # a widget added to a shown layout shows only later
            for column in self.question.columns:
                self.cells[(row, column.id)].show()
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _order_tabs(self) -> None:
        """Tab goes along the row, then to the next row, then to "Lägg till rad"."""
        order = [self.cells[(r, c.id)] for r in range(1, self.rows + 1) for c in self.question.columns]
        for first, second in zip(order, [*order[1:], self.add_button], strict=True):
            QWidget.setTabOrder(first, second)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        # The order is set again once the table is in its window: made before that, it does not carry over.
        self._order_tabs()
        super().showEvent(event)

    def set_rows(self, count: int) -> None:
        while self.rows < min(count, self.row_limit):
            self.add_row()

    def _typed(self, row: int, column: str) -> None:
        edit = self.cells[(row, column)]
        try:
            value = edit.value()
        except AnswerError as error:
            self.error.setText(f"Rad {row}, {edit.spec.label}: {error}.")
            self.error.show()
            value = None  # as for a question's value: no stored value the person did not mean
        else:
            self.error.hide()
        self.edited.emit(f"{self.question.id}.{row}.{column}", value)

    def show_stored(self, fields: dict[str, str]) -> None:
        """Show the stored cells (and as many rows as they need)."""
        prefix = f"{self.question.id}."
        stored_rows = [int(key.split(".")[1]) for key in fields
                       if key.startswith(prefix) and key.count(".") == 2 and key.split(".")[1].isdigit()]
        self.set_rows(max(stored_rows, default=0))
        for (row, column), edit in self.cells.items():
            edit.show_stored(fields.get(f"{prefix}{row}.{column}"))

    def first_cell(self) -> QWidget:
        return self.cells[(1, self.question.columns[0].id)]


def _line(question, undo_filter) -> QWidget:
    widget = ValueInput(question, question.id)
    if undo_filter is not None:
        widget.edit.installEventFilter(undo_filter)
    return widget


def _long(question, undo_filter) -> QWidget:
    widget = LongTextInput(question, question.id)
    if undo_filter is not None:
        widget.installEventFilter(undo_filter)
    return widget


def _table(question, undo_filter) -> QWidget:
    return TableInput(question, QUESTION_TYPES[question.type].row_limit(question), undo_filter)


# The input of each type that holds a value (choices and rankings are the questionnaire's buttons and spin boxes).
INPUTS: dict[str, Callable] = {"integer": _line, "decimal": _line, "date": _line, "text": _line,
                               "longtext": _long, "table": _table}


def value_input_for(question, undo_filter=None) -> QWidget:
    """The input of a question that holds a value or a table; each has `edited(key, value)` and
    `show_stored(...)` (a table's takes all the response's fields, the others the question's value)."""
    return INPUTS[question.type](question, undo_filter)
