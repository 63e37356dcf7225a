"""A read-only table that is as tall as its rows, for tables inside a scrolling view."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QSizePolicy, QTableWidget, QTableWidgetItem

NUMBER_ALIGNMENT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
TEXT_ALIGNMENT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def table_rows(table: QTableWidget) -> list[tuple[str, ...]]:
    """A table's texts, row by row (for tests and for copying)."""
    return [tuple(table.item(row, column).text() if table.item(row, column) else ""
                  for column in range(table.columnCount())) for row in range(table.rowCount())]


class FittedTable(QTableWidget):
    """A read-only table as tall as its rows (never a scroll area inside the scroll area).

    Column `stretch` takes the width left over and wraps its text; the others fit their contents.
    """

    def __init__(self, headers: tuple[str, ...], rows: int, accessible: str, *, stretch: int = 0,
                 numeric: tuple[int, ...] = ()) -> None:
        super().__init__(rows, len(headers))
        self.numeric = numeric
        self.stretch = stretch
        self.setHorizontalHeaderLabels(list(headers))
        for column in range(len(headers)):
            self.horizontalHeaderItem(column).setTextAlignment(NUMBER_ALIGNMENT if column in numeric else TEXT_ALIGNMENT)
        self.verticalHeader().hide()
        self.setAccessibleName(accessible)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(False)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        for column in range(len(headers)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column == stretch
                                        else QHeaderView.ResizeMode.ResizeToContents)
        for row in range(rows):
            for column in range(len(headers)):
                item = QTableWidgetItem("")
                item.setTextAlignment(NUMBER_ALIGNMENT if column in numeric else TEXT_ALIGNMENT)
                self.setItem(row, column, item)
        # Stretched columns settle after the resize event: fit the rows once they have.
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit)
        header.sectionResized.connect(lambda index, _old, _new: self._fit_timer.start() if index == stretch else None)
        self._fitting = False
        self.fit()

    def set_row(self, row: int, texts: tuple[str, ...] | list[str], first_column: int = 0) -> bool:
        """Set a row's texts from `first_column` on; True when anything changed."""
        changed = False
        for column, text in enumerate(texts, start=first_column):
            item = self.item(row, column)
            if item.text() != text:
                item.setText(text)
                changed = True
        return changed

    def set_bold_row(self, row: int, bold: bool = True) -> None:
        for column in range(self.columnCount()):
            item = self.item(row, column)
            font = QFont(item.font())
            font.setBold(bold)
            item.setFont(font)

    def set_italic_row(self, row: int) -> None:
        item = self.item(row, 0)
        font = QFont(item.font())
        font.setItalic(True)
        item.setFont(font)

    def rows(self) -> list[tuple[str, ...]]:
        return table_rows(self)

    def fit(self) -> None:
        if self._fitting:
            return
        self._fitting = True
        try:
            self.resizeRowsToContents()
            padding = max(2, self.fontMetrics().height() // 4)
            for row in range(self.rowCount()):
                self.setRowHeight(row, self.rowHeight(row) + padding)
            height = (self.horizontalHeader().sizeHint().height()
                      + sum(self.rowHeight(row) for row in range(self.rowCount())) + 2 * self.frameWidth())
            if self.height() != height or self.minimumHeight() != height:
                self.setFixedHeight(height)
        finally:
            self._fitting = False

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self.fit()
        self._fit_timer.start()
