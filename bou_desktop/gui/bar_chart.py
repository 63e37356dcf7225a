"""A horizontal bar chart painted with QPainter: one bar per answer option.

A bar's full length is the largest possible value, the number of responding municipalities
(`set_total`), so 6 of 6 fills the track and 3 of 6 half of it. Everything is measured in the
widget's own font, so the chart follows the user's font size and screen scaling.

Beside an earlier round (`set_earlier`) each option gets a second, lighter bar under its own: the
earlier round's count on the scale of the municipalities that answered then; a legend under the
rows says which bar is which round and how many answered in each (drawn in the chart, not a label
of its own: a label per question was most of what a compared view cost to lay out).

A label longer than its column (at most 42 % of the width) wraps onto more lines, never cut with
"…": its row grows to hold them, so the chart's height follows its width (`sizeHint` at the current
width, `updateGeometry` when a resize changes the height the labels need).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

EMPTY_TEXT = "Inga svar ännu"
LABEL_SHARE = 0.42  # the label column's largest share of the chart's width


def wrap_text(metrics: QFontMetrics, text: str, width: float) -> list[str]:
    """`text` in lines no wider than `width`, broken between words (a word wider than a line is broken
    between its characters); joined with spaces the lines give the text back."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if metrics.horizontalAdvance(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while metrics.horizontalAdvance(word) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and metrics.horizontalAdvance(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line or not lines:
        lines.append(line)
    return lines


def value_text(count: int, percent: int) -> str:
    """What is written at the end of a bar: "5 (83 %)"."""
    return f"{count} ({percent} %)"


NEW_OPTION_TEXT = "nytt alternativ"
EARLIER_COLOURS = ("#9fbfe0", "#3d5f85")  # the earlier round's bars on a light and on a dark background
BAR_COLOURS = ("#2f6aa8", "#6fa8e6")


@dataclass(frozen=True)
class _Row:
    label: QRectF
    lines: tuple[str, ...]
    track: QRectF
    bar: QRectF
    value: QRectF
    earlier_bar: QRectF | None = None
    earlier_value: QRectF | None = None


def _mix(a: QColor, b: QColor, share_of_b: float) -> QColor:
    return QColor(
        round(a.red() + (b.red() - a.red()) * share_of_b),
        round(a.green() + (b.green() - a.green()) * share_of_b),
        round(a.blue() + (b.blue() - a.blue()) * share_of_b),
    )


class BarChart(QWidget):
    """Rows of (label, count, percent) drawn as bars scaled to `total`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, int, int]] = []
        self._total = 0
        self._earlier: list[tuple[int, int] | None] | None = None  # per row (None: a new option), or no comparison
        self._earlier_total = 0
        self._years: tuple[int, int] | None = None  # (this round, the earlier round)
        self._units = ("kommun", "kommuner")  # what the counts count: a form answered per region counts regions
        self._wrapped: tuple[tuple, list[tuple[str, ...]]] | None = None  # (key, lines per row) at a label width
        self.painted_labels: list[str] = []  # the label lines the last paint drew, in order
        self.setAccessibleName("Diagram")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._describe()

    # ------------------------------------------------------------------ data
    def set_units(self, one: str, many: str) -> None:
        """The word of what is counted, ("kommun", "kommuner") or ("region", "regioner") (the form's
        `unit_key`, in aggregate_text.UNIT_WORDS), in the tooltips, the legend and the description."""
        if (one, many) != self._units:
            self._units = (one, many)
            self._describe()
            self.update()

    def _units_of(self, n: int) -> str:
        """ "kommuner", or "kommun" for one."""
        return self._units[0] if n == 1 else self._units[1]

    def _count(self, n: int) -> str:
        return f"{n} svarande {self._units_of(n)}"

    def set_data(self, rows: list[tuple[str, int, int]]) -> None:
        rows = [(str(label), int(count), int(percent)) for label, count, percent in rows]
        if rows == self._rows:
            return
        grew = len(rows) != len(self._rows)
        self._rows = rows
        if grew:
            self.updateGeometry()
        self._describe()
        self.update()

    def set_total(self, total: int) -> None:
        total = max(0, int(total))
        if total == self._total:
            return
        self._total = total
        self._describe()
        self.update()

    def set_earlier(self, rows: list[tuple[int, int] | None] | None, total: int = 0,
                    years: tuple[int, int] | None = None) -> None:
        """The earlier round's (count, percent) per row (None: an option that is new), of `total`
        municipalities that answered then; None: no comparison (one bar per option)."""
        rows = None if rows is None else [None if r is None else (int(r[0]), int(r[1])) for r in rows]
        state = (rows, max(0, int(total)), years)
        if state == (self._earlier, self._earlier_total, self._years):
            return
        resized = (rows is None) != (self._earlier is None)
        self._earlier, self._earlier_total, self._years = state
        if resized:
            self.updateGeometry()
        self._describe()
        self.update()

    def earlier_rows(self) -> list[tuple[int, int] | None] | None:
        return None if self._earlier is None else list(self._earlier)

    @property
    def compared(self) -> bool:
        return self._earlier is not None and len(self._earlier) == len(self._rows)

    def rows(self) -> list[tuple[str, int, int]]:
        return list(self._rows)

    def total(self) -> int:
        return self._total

    @property
    def is_empty(self) -> bool:
        """Nothing to draw: no options, or nobody has answered (in this round, nor in the one compared with)."""
        return not self._rows or (self._total <= 0 and not (self.compared and self._earlier_total > 0))

    def _describe(self) -> None:
        """The figures as text, for screen readers and tooltips."""
        if self.is_empty:
            self.setAccessibleDescription(EMPTY_TEXT)
        else:
            text = (f"Av {self._count(self._total)}: "
                    + "; ".join(f"{label}: {value_text(count, percent)}" for label, count, percent in self._rows))
            if self.compared and self._years:
                earlier = "; ".join(f"{label}: {value_text(*before) if before else NEW_OPTION_TEXT}"
                                    for (label, _c, _p), before in zip(self._rows, self._earlier, strict=True))
                text = (f"{self._years[0]}. {text}. {self._years[1]}, av {self._count(self._earlier_total)}: "
                        f"{earlier}")
            self.setAccessibleDescription(text)

    def legend(self) -> list[tuple[str, str]]:
        """The legend under a compared chart: (colour on a light background, text) per round, this one first."""
        if not (self.compared and self._years):
            return []
        return [(BAR_COLOURS[0], f"{self._years[0]} ({self._count(self._total)})"),
                (EARLIER_COLOURS[0], f"{self._years[1]} ({self._count(self._earlier_total)}, ljusare stapel)")]

    def legend_text(self) -> str:
        """The legend as a person reads it: "2013 (6 svarande kommuner) · 2011 (…)"."""
        return " · ".join(text for _colour, text in self.legend())

    # ------------------------------------------------------------------ geometry
    def _legend_height(self) -> int:
        return round(self.fontMetrics().height() * 1.5) if self.compared and self._years else 0

    def _row_height(self) -> int:
        return round(self.fontMetrics().height() * (2.5 if self.compared else 1.6))

    def _margin(self) -> int:
        return max(4, self.fontMetrics().height() // 3)

    def _hint_width(self) -> int:
        return self.fontMetrics().averageCharWidth() * 60

    def _laid_out_width(self) -> int:
        """The width the chart has been given, or (before any layout) the one it asks for."""
        return self.width() if self.testAttribute(Qt.WidgetAttribute.WA_Resized) else self._hint_width()

    def _extra_height(self) -> int:
        """Height under the rows besides the margins (a legend)."""
        return self._legend_height()

    def height_for(self, width: int) -> int:
        """The height the chart needs at `width`: its rows (taller where a label wraps) and its legend."""
        rows = sum(self._row_heights(width)) if self._rows else self._row_height()
        return 2 * self._margin() + rows + self._extra_height()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(self._hint_width(), self.height_for(self._laid_out_width()))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(self.fontMetrics().averageCharWidth() * 24, self.sizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width() and self.height_for(self.width()) != self.height():
            self.updateGeometry()  # a label wraps onto more (or fewer) lines at this width

    def _label_width(self, width: float) -> float:
        """The label column at a chart width: as wide as the widest label, at most LABEL_SHARE of the inner width."""
        metrics = self.fontMetrics()
        inner = width - 2 * self._margin()
        widest_label = max([metrics.horizontalAdvance(label) for label, _c, _p in self._rows], default=0)
        return max(0.0, min(widest_label + metrics.averageCharWidth(), inner * LABEL_SHARE))

    def label_lines(self, width: float | None = None) -> list[tuple[str, ...]]:
        """Each row's label as the chart draws it, in lines that fit the label column at `width` (by default
        the chart's own)."""
        label_width = self._label_width(self._laid_out_width() if width is None else width)
        metrics = self.fontMetrics()
        key = (round(label_width, 1), tuple(label for label, _c, _p in self._rows), self.font().key())
        if self._wrapped is None or self._wrapped[0] != key:
            room = max(1.0, label_width - metrics.averageCharWidth() / 2)
            self._wrapped = (key, [tuple(wrap_text(metrics, label, room)) for label, _c, _p in self._rows])
        return self._wrapped[1]

    def _row_heights(self, width: float) -> list[int]:
        """Each row's height: the chart's row height, or more for a label of several lines."""
        base, line = self._row_height(), self.fontMetrics().lineSpacing()
        pad = self.fontMetrics().height() // 2
        return [max(base, len(lines) * line + pad) for lines in self.label_lines(width)]

    def _row_tops(self, inner: QRectF) -> list[tuple[float, int]]:
        """(top, height) of each row inside `inner`."""
        out, top = [], inner.top()
        for height in self._row_heights(self.width()):
            out.append((top, height))
            top += height
        return out

    def _paint_label(self, painter: QPainter, rect: QRectF, lines: tuple[str, ...]) -> None:
        """A label's lines, left-aligned and centred as a block in their row."""
        line = self.fontMetrics().lineSpacing()
        top = rect.top() + (rect.height() - len(lines) * line) / 2
        for index, text in enumerate(lines):
            painter.drawText(QRectF(rect.left(), top + index * line, rect.width(), line),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
            self.painted_labels.append(text)

    def _layout(self) -> list[_Row]:
        metrics = self.fontMetrics()
        margin, gap = self._margin(), metrics.averageCharWidth()
        inner = QRectF(self.rect()).adjusted(margin, margin, -margin, -margin)
        widest_value = max([metrics.horizontalAdvance(value_text(self._total, 100))]
                           + [metrics.horizontalAdvance(value_text(c, p)) for _label, c, p in self._rows]
                           + ([metrics.horizontalAdvance(NEW_OPTION_TEXT)] if self.compared else []))
        label_width = self._label_width(self.width())
        all_lines = self.label_lines(self.width())
        rows = self._row_tops(inner)
        track_left = inner.left() + label_width + gap
        track_width = max(0.0, inner.right() - track_left - widest_value - gap)
        bar_height = max(4.0, metrics.height() * 0.9)
        layout = []
        if self.compared:
            bar_height = max(3.0, metrics.height() * 0.75)
            for index, ((_label, count, _percent), before) in enumerate(zip(self._rows, self._earlier, strict=True)):
                row_top, row_height = rows[index]
                half = self._row_height() / 2  # the pair and its figures, centred in a row a wrapped label made taller
                top = row_top + (row_height - 2 * half) / 2
                bar_top = top + half - bar_height - 1
                length = track_width * min(count, self._total) / self._total if self._total > 0 else 0.0
                earlier_count = before[0] if before else 0
                then = self._earlier_total
                earlier_length = track_width * min(earlier_count, then) / then if then > 0 else 0.0
                layout.append(_Row(
                    label=QRectF(inner.left(), row_top, label_width, row_height),
                    lines=all_lines[index],
                    track=QRectF(track_left, bar_top, track_width, 2 * bar_height + 2),
                    bar=QRectF(track_left, bar_top, length, bar_height),
                    value=QRectF(track_left + length + gap / 2, top, widest_value + gap, half),
                    earlier_bar=QRectF(track_left, top + half + 1, earlier_length, bar_height),
                    earlier_value=QRectF(track_left + earlier_length + gap / 2, top + half, widest_value + gap, half),
                ))
            return layout
        for index, (_label, count, _percent) in enumerate(self._rows):
            top, row_height = rows[index]
            bar_top = top + (row_height - bar_height) / 2
            length = track_width * min(count, self._total) / self._total if self._total > 0 else 0.0
            layout.append(_Row(
                label=QRectF(inner.left(), top, label_width, row_height),
                lines=all_lines[index],
                track=QRectF(track_left, bar_top, track_width, bar_height),
                bar=QRectF(track_left, bar_top, length, bar_height),
                value=QRectF(track_left + length + gap / 2, top, widest_value + gap, row_height),
            ))
        return layout

    def bar_rects(self) -> list[QRectF]:
        """Where each bar is drawn, one per row (zero width for a count of 0)."""
        return [row.bar for row in self._layout()]

    def earlier_bar_rects(self) -> list[QRectF]:
        """Where each earlier round's bar is drawn (empty without a comparison)."""
        return [row.earlier_bar for row in self._layout() if row.earlier_bar is not None]

    # ------------------------------------------------------------------ painting
    def _paint_frame(self, painter: QPainter) -> tuple[QColor, QColor]:
        """The chart's background and border; the palette's (background, text) colours."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
        painter.fillRect(self.rect(), base)
        painter.setPen(_mix(base, text, 0.25))
        painter.drawRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
        self.painted_labels = []
        return base, text

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        base, text = self._paint_frame(painter)
        if self.is_empty:
            painter.setPen(_mix(base, text, 0.6))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, EMPTY_TEXT)
            return
        track_colour = _mix(base, text, 0.08)
        light = base.lightness() > 128
        bar_colour = QColor(BAR_COLOURS[0] if light else BAR_COLOURS[1])
        earlier_colour = QColor(EARLIER_COLOURS[0] if light else EARLIER_COLOURS[1])
        left_middle = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        earlier = self._earlier if self.compared else [None] * len(self._rows)
        for (_label, count, percent), row, before in zip(self._rows, self._layout(), earlier, strict=True):
            painter.setPen(text)
            self._paint_label(painter, row.label, row.lines)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(track_colour)
            painter.drawRect(row.track)
            if row.bar.width() > 0:
                painter.setBrush(bar_colour)
                painter.drawRect(row.bar)
            painter.setPen(text)
            painter.drawText(row.value, left_middle, value_text(count, percent))
            if row.earlier_bar is not None:
                if row.earlier_bar.width() > 0:
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(earlier_colour)
                    painter.drawRect(row.earlier_bar)
                painter.setPen(_mix(base, text, 0.7))
                painter.drawText(row.earlier_value, left_middle, value_text(*before) if before else NEW_OPTION_TEXT)
        self._paint_legend(painter, text, (bar_colour, earlier_colour))

    def _paint_legend(self, painter: QPainter, text: QColor, colours: tuple[QColor, QColor]) -> None:
        """Under the rows: a square of each round's colour and its year, and how many answered then."""
        legend = self.legend()
        if not legend:
            return
        metrics = self.fontMetrics()
        margin, gap = self._margin(), metrics.averageCharWidth()
        square = max(4.0, metrics.height() * 0.7)
        top = self.height() - margin - self._legend_height()
        x = float(margin)
        for (_light, words), colour in zip(legend, colours, strict=True):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRect(QRectF(x, top + (self._legend_height() - square) / 2, square, square))
            width = metrics.horizontalAdvance(words) + gap
            painter.setPen(text)
            painter.drawText(QRectF(x + square + gap / 2, top, width, self._legend_height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, words)
            x += square + gap / 2 + width + 2 * gap

    # ------------------------------------------------------------------ tooltips
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            y = event.pos().y()
            for (label, count, percent), row in zip(self._rows, self._layout(), strict=True):
                if row.label.top() <= y < row.label.bottom():
                    now = f"{count} av {self._total} {self._units_of(self._total)} ({percent} %)"
                    tip = f"{label}: {now}"
                    if self.compared and self._years:
                        before = self._earlier[self._rows.index((label, count, percent))]
                        then = (f"{before[0]} av {self._earlier_total} {self._units_of(self._earlier_total)} "
                                f"({before[1]} %)" if before else NEW_OPTION_TEXT)
                        tip = f"{label}: {self._years[0]}: {now}; {self._years[1]}: {then}"
                    QToolTip.showText(event.globalPos(), tip, self)
                    return True
            QToolTip.hideText()
            event.ignore()
            return True
        return super().event(event)


class TwoRoundsChart(BarChart):
    """The national view's chart: a BarChart whose rounds are named by the caller (the legend counts
    "svarande", municipalities or regions). Beside an earlier round it is drawn exactly as the county
    view's chart: this round's bar, and under it the earlier round's in the lighter blue.

    Without an earlier round (`set_earlier(None)`) it is exactly a BarChart.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        self._names = ("", "")
        super().__init__(parent)

    def set_earlier(self, rows: list[tuple[int, int] | None] | None, total: int = 0,
                    names: tuple[str, str] = ("", "")) -> None:
        """The earlier round's (count, percent) per row of `set_data`, None for a row without counterpart;
        `names`: this round's and the earlier round's names in the legend. None: one round only."""
        renamed = names != self._names
        self._names = names
        super().set_earlier(rows, total, names if rows is not None else None)
        if renamed:
            self._describe()
            self.update()

    def _paired(self) -> bool:
        return self._earlier is not None and not self.is_empty

    def _describe(self) -> None:
        super()._describe()
        if self._paired():
            earlier = [("–" if e is None else value_text(*e)) for e in self._earlier] + [""] * len(self._rows)
            self.setAccessibleDescription(
                f"{self._names[0]}, av {self._total} svarande; {self._names[1]}, av {self._earlier_total} svarande: "
                + "; ".join(f"{label}: {value_text(count, percent)} mot {earlier[i]}"
                            for i, (label, count, percent) in enumerate(self._rows)))

    def legend(self) -> list[tuple[str, str]]:
        if not (self.compared and self._years):
            return []
        return [(BAR_COLOURS[0], f"{self._names[0]} ({self._total} svarande)"),
                (EARLIER_COLOURS[0], f"{self._names[1]} ({self._earlier_total} svarande, ljusare stapel)")]
