"""Laying out a toolbar's widgets in as few rows as fit (no horizontal scrolling on small screens)."""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QWidget

SPACING = 6


def arrange_in_rows(toolbar: QBoxLayout, items: list[QWidget], width: int, previous: list[int] | None) -> list[int]:
    """Put `items` into rows of `toolbar` (a vertical layout) for `width`; returns the row of each item.

    Nothing is rebuilt when the rows are the same as `previous`.
    """
    margins = toolbar.contentsMargins()
    available = width - margins.left() - margins.right()
    rows, row, used = [], 0, 0
    for item in items:
        needed = item.sizeHint().width() + (SPACING if used else 0)
        if used and used + needed > available:
            row, used, needed = row + 1, 0, item.sizeHint().width()
        rows.append(row)
        used += needed
    if rows == previous:
        return rows
    while toolbar.count():
        line = toolbar.takeAt(0).layout()
        while line is not None and line.count():
            line.takeAt(0)
        if line is not None:
            line.deleteLater()
    lines: dict[int, QHBoxLayout] = {}
    for item, item_row in zip(items, rows, strict=True):
        if item_row not in lines:
            lines[item_row] = QHBoxLayout()
            lines[item_row].setSpacing(SPACING)
            toolbar.addLayout(lines[item_row])
        lines[item_row].addWidget(item)
    for line in lines.values():
        line.addStretch(1)
    return rows
