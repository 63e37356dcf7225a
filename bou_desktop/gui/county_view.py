"""The county compilation (länssammanställningen, Bilaga 2) of a region, generated from the county form.

Numbers, bar charts and the municipalities' own words are recomputed whenever the store changes
(coalesced, and only while the view is shown); widgets are built once and only their texts are
updated. What the leader writes (name, summaries, the region's ranking, other views) is saved on
every change; a text box the user is typing in is never overwritten by a refresh. While another
program holds the database, the texts are kept (gui/pending.py) and written when it is free.
Exports are requests (`export_requested`); the main window decides how to carry them out.
"""

from __future__ import annotations

import weakref
from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..store import Round, Store, StoreError
from ..store.comparisons import CountyComparison, compare_county
from ..store.pending import COUNTY, PendingWrite
from ..survey.aggregates import RankingAggregate
from ..survey.changes import (
    NOT_COMPARABLE,
    QuestionChange,
    earlier_percent_text,
    missing_changes,
    points_text,
    rank_change_text,
    summary_text,
)
from ..survey.compilation import CountyCompilation, LeaderTexts, OpenText, QuestionResult, header_value
from ..survey.forms import Form, Question, county_header
from .aggregate_view import RANK_PLACES, AggregateFigures, swedish_number
from .bar_chart import BarChart
from .flow import arrange_in_rows
from .labels import WARNING_STYLE, compare_choices, esc, notify_view, question_heading, set_label_text, wrapped_label
from .pending import PendingWrites, with_pending_leader_texts
from .tables import FittedTable

EXPORTS = (
    ("xlsx", "Exportera Excel…", "Spara länssammanställningen som Excel-fil"),
    ("pdf", "Exportera PDF…", "Spara länssammanställningen som PDF"),
    ("json", "Exportera JSON…", "Spara länssammanställningen som JSON-fil"),
    ("docx", "Exportera Word…", "Spara länssammanställningen som Word-fil, att redigera innan den skickas"),
    ("eml", "E-post till SKL…", "Skapa ett e-postmeddelande till SKL med länssammanställningen bifogad"),
    ("raw", "Rådata…", "Spara kommunernas svar i regionen som rådata"),
)
OWN_SURVEY_NOTE = ("Regionens egen enkät: kommunerna i regionen besvarar den och sammanställningen är till för "
                   "regionens eget bruk. Den skickas inte till SKL och ingår inte i riksrapporten.")
OWN_SURVEY_EML_TIP = "Regionens egen enkät skickas inte till SKL; exportera Excel eller PDF för regionens eget bruk"
DEFAULT_SUMMARY_LABEL = "Sammanfattning av öppna svar och övrig reflektion:"

def _count(n: int, unit: str = "kommuner") -> str:
    """ "13 kommuner", "1 kommun"."""
    if n == 1 and unit.endswith("kommuner"):
        unit = unit[:-2]
    return f"{n} {unit}".strip()


def _option_name(label: str) -> str:
    """An option's label without its trailing "ange": "Annat/andra hinder, ange" -> "Annat/andra hinder"."""
    for suffix in (", ange", " ange"):
        if label.endswith(suffix):
            return label[: -len(suffix)]
    return label


def open_text_line(text: OpenText) -> tuple[str, str]:
    """A municipality's own words as (plain, rich) text: "Motala (kommentar): …"."""
    what = "kommentar" if text.kind == "kommentar" else _option_name(text.option_label)
    if text.kommun_namn:
        return (f"{text.kommun_namn} ({what}): {text.text}",
                f"<b>{esc(text.kommun_namn)}</b> ({esc(what)}): {esc(text.text)}")
    what = what[:1].upper() + what[1:]
    return f"{what}: {text.text}", f"<i>{esc(what)}:</i> {esc(text.text)}"


def _small(widget: QWidget) -> QWidget:
    font = QFont(widget.font())
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * 0.92)
    widget.setFont(font)
    return widget


class GrowingTextEdit(QPlainTextEdit):
    """A plain text box that grows with its text, between min_lines and max_lines."""

    def __init__(self, min_lines: int = 3, max_lines: int = 12) -> None:
        super().__init__()
        self.min_lines, self.max_lines = min_lines, max_lines
        self.setTabChangesFocus(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(lambda _size: self._fit())
        self._fit()

    def _fit(self) -> None:
        lines = int(self.document().documentLayout().documentSize().height())  # lines, for a plain text layout
        lines = max(self.min_lines, min(self.max_lines, lines))
        margins = self.contentsMargins()
        height = (lines * self.fontMetrics().lineSpacing() + 2 * round(self.document().documentMargin())
                  + margins.top() + margins.bottom() + 2)
        if height != self.height() or self.minimumHeight() != height:
            self.setFixedHeight(height)


class CountTable(FittedTable):
    """Svarsalternativ | Antal | Procent, as tall as its rows (never a scroll area inside the scroll area);
    beside an earlier round also its count and percent ("4 (31 %)") and the change ("+5 procentenheter")."""

    HEADERS = ("Svarsalternativ", "Antal", "Procent")
    COMPARED = (3, 4)  # the columns shown only beside an earlier round

    def __init__(self, labels: list[str], accessible: str) -> None:
        super().__init__((*self.HEADERS, "Tidigare", "Förändring"), len(labels), accessible, stretch=0,
                         numeric=(1, 2, 3, 4))
        for row, label in enumerate(labels):
            self.item(row, 0).setText(label)
        self.years: tuple[int, int] | None = None
        self._unfitted = False  # earlier figures set, the rows not yet fitted to them (see set_earlier)
        for column in self.COMPARED:
            self.setColumnHidden(column, True)
        self.fit()

    def set_years(self, years: tuple[int, int] | None) -> None:
        """(this round, the earlier round) whose figures are shown side by side, or None for this round's only."""
        if years == self.years:
            return
        self.years = years
        this, then = years if years else (None, None)
        headers = (f"Antal {this}", f"Procent {this}", f"Antal {then} (procent)", "Förändring") if years else \
            (*self.HEADERS[1:], "Tidigare", "Förändring")
        for column, text in enumerate(headers, start=1):
            self.horizontalHeaderItem(column).setText(text)
        for column in self.COMPARED:
            self.setColumnHidden(column, years is None)
        # No fit here: the stretched column's new width fits the rows (FittedTable), as does set_earlier.

    def set_earlier(self, values: list[tuple[str, str]], fit: bool = True) -> None:
        """(the earlier round's figure, the change) per row; fit=False: the next `set_values` fits the rows."""
        if any([self.set_row(row, texts, first_column=3) for row, texts in enumerate(values)]):
            if fit:
                self.fit()
            else:
                self._unfitted = True

    def compared_values(self) -> list[tuple[str, ...]]:
        """Every row as shown beside an earlier round: label, count, percent, earlier, change."""
        return [tuple(self.item(row, column).text() for column in range(5)) for row in range(self.rowCount())]

    def set_values(self, values: list[tuple[int, int]]) -> None:
        """(count, percent) per row."""
        changed, self._unfitted = self._unfitted, False
        for row, (count, share) in enumerate(values):
            changed |= self.set_row(row, (str(count), f"{share} %"), first_column=1)
        if changed:
            self.fit()

    def values(self) -> list[tuple[str, str, str]]:
        return [tuple(self.item(row, column).text() for column in range(3)) for row in range(self.rowCount())]


class OpenTexts(QWidget):
    """The municipalities' "ange" texts and comments for a question, read-only and selectable."""

    def __init__(self, label: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.heading = QLabel("<b>Kommunernas öppna svar och kommentarer</b>")
        self.label = wrapped_label(rich=True)
        self.label.setAccessibleName(f"Öppna svar och kommentarer, fråga {label}")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                           | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.heading)
        layout.addWidget(self.label)
        layout.addStretch(1)
        self.lines: list[str] = []
        self.set_texts(())

    def set_texts(self, texts: tuple[OpenText, ...]) -> None:
        pairs = [open_text_line(t) for t in texts]
        self.lines = [plain for plain, _rich in pairs]
        if pairs:
            html = "".join(f"<p style='margin: 0 0 6px 0'>{rich}</p>" for _plain, rich in pairs)
        else:
            html = "<i>Inga öppna svar eller kommentarer.</i>"
        set_label_text(self.label, html)


SKIPPED_TIP = "Kommuner som enligt enkäten hoppade över frågan, efter ett svar som leder förbi den"


def comparison_label(question: Question) -> QLabel:
    """The line under a question's heading that says what it is compared with (hidden without a comparison)."""
    label = wrapped_label(rich=True)
    label.setAccessibleName(f"Jämförelse, fråga {question.number_text}")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def show_comparison_label(label: QLabel, change: QuestionChange | None, question: Question) -> None:
    if change is None:
        label.hide()
        return
    if not change.comparable:
        text = f"<i>{esc(NOT_COMPARABLE)}</i>"
    elif question.qtype.has_options:
        text = f"Jämfört med {change.year} ({esc(_count(change.earlier_answered, 'svarande kommuner'))} då)."
    else:
        text = f"Jämfört med {change.year}: {esc(summary_text(change, question.unit or ''))}"
    set_label_text(label, text)
    label.show()



class QuestionSection(QFrame):
    """A question but a ranking: its figures (a choice's count table and bar chart, or another type's
    aggregate), the municipalities' open answers and comments, and the leader's summary."""

    def __init__(self, question: Question, can_be_skipped: bool, summary_label: str) -> None:
        super().__init__()
        self.question = question
        self.can_be_skipped = can_be_skipped
        self.setObjectName(f"county_{question.id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        self.title = question_heading(question)
        layout.addWidget(self.title)
        if question.instruction:
            instruction = wrapped_label(f"<i>{esc(question.instruction)}</i>", rich=True)
            layout.addWidget(instruction)
        self.comparison_label = comparison_label(question)
        layout.addWidget(self.comparison_label)
        self.left = QWidget()
        left = QVBoxLayout(self.left)
        left.setContentsMargins(0, 0, 0, 0)
        self.table: CountTable | None = None
        self.chart: BarChart | None = None
        self.figures: AggregateFigures | None = None
        if question.qtype.has_options:
            labels = [option.label for option in question.options] + ["Ej svar"]
            if can_be_skipped:
                labels.append("Ej tillämpligt")
            self.table = CountTable(labels, f"Antal och procent, fråga {question.number_text}")
            for row in range(len(question.options), len(labels)):
                item = self.table.item(row, 0)
                font = QFont(item.font())
                font.setItalic(True)
                item.setFont(font)
            if can_be_skipped:
                self.table.item(len(labels) - 1, 0).setToolTip(SKIPPED_TIP)
            self.chart = BarChart()
            self.chart.setAccessibleName(f"Diagram, fråga {question.number_text}")
            left.addWidget(self.table)
            left.addWidget(self.chart)
        else:
            self.figures = AggregateFigures(question, "kommun", can_be_skipped)
            left.addWidget(self.figures)
            left.addStretch(1)
        self.texts = OpenTexts(question.number_text)

        self.body = QGridLayout()
        self.body.setContentsMargins(0, 4, 0, 4)
        self.body.setHorizontalSpacing(16)
        layout.addLayout(self.body)
        self.wide: bool | None = None
        self.set_wide(True)

        self.summary_caption = QLabel(summary_label or DEFAULT_SUMMARY_LABEL)
        self.summary = GrowingTextEdit(min_lines=3)
        self.summary.setAccessibleName(f"Sammanfattning av öppna svar och övrig reflektion, fråga {question.number_text}")
        self.summary.setPlaceholderText("Din sammanfattning av kommunernas svar …")
        self.summary_caption.setBuddy(self.summary)
        layout.addWidget(self.summary_caption)
        layout.addWidget(self.summary)

    def set_wide(self, wide: bool) -> None:
        """Open answers beside the numbers (wide) or below them (narrow)."""
        if wide == self.wide:
            return
        self.wide = wide
        self.body.removeWidget(self.left)
        self.body.removeWidget(self.texts)
        self.body.addWidget(self.left, 0, 0)
        if wide:
            self.body.addWidget(self.texts, 0, 1)
            self.body.setColumnStretch(0, 3)
            self.body.setColumnStretch(1, 2)
        else:
            self.body.addWidget(self.texts, 1, 0)
            self.body.setColumnStretch(0, 1)
            self.body.setColumnStretch(1, 0)

    def show_result(self, result: QuestionResult, total: int, names: dict[str, str] | None = None) -> None:
        """The compilation's figures; `names` (code -> name) names the municipalities of texts."""
        if self.figures is not None:
            self.figures.show_aggregate(result.aggregate, names)
        else:
            values = [(o.count, o.percent) for o in result.options] + [(result.ej_svar, result.ej_svar_percent)]
            if self.can_be_skipped:
                values.append((result.ej_tillampligt, result.ej_tillampligt_percent))
            self.table.set_values(values)
            self.chart.set_total(total)
            labels = {o.id: o.label for o in self.question.options}
            self.chart.set_data([(labels.get(o.option_id, o.label), o.count, o.percent) for o in result.options])
        self.texts.set_texts(result.texts)

    def show_change(self, change: QuestionChange | None, year: int, result: QuestionResult, total: int = 0) -> None:
        """Beside the round compared with (None: no comparison): the earlier figures and the change.

        A choice question compared says so in its table's headings and its chart's legend (the years and
        how many answered in each): no line of its own, which was most of what comparing cost to lay out.
        Call `show_result` after it: the table is fitted to its rows once, there."""
        compared = change is not None and change.comparable
        if self.table is None:
            show_comparison_label(self.comparison_label, change, self.question)
            return
        show_comparison_label(self.comparison_label, None if compared else change, self.question)
        self.table.set_years((year, change.year) if compared else None)
        if compared:
            befores = [change.option(o.option_id) for o in result.options]
            values = [(earlier_percent_text(b), points_text(b.points) if b and b.earlier_count is not None else "")
                      for b in befores]
            # "Ej svar" and "Ej tillämpligt" of both rounds, as the options
            values += [(earlier_percent_text(b), points_text(b.points)) if b is not None else ("", "")
                       for b in missing_changes(change, result, total)]
            values += [("", "")] * (self.table.rowCount() - len(values))
            self.table.set_earlier(values, fit=False)
            self.chart.set_earlier([(b.earlier_count, b.earlier_percent) if b and b.earlier_count is not None else None
                                    for b in befores], change.earlier_answered, (year, change.year))
        else:
            self.chart.set_earlier(None)


class RankingSection(QFrame):
    """A ranking question: the region's own ranking beside the municipalities' mean ranks and how many
    ranked each option (one section for each ranking question of the county form)."""

    def __init__(self, question: Question) -> None:
        super().__init__()
        self.question = question
        self.setObjectName(f"county_{question.id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        self.title = question_heading(question)
        layout.addWidget(self.title)
        if question.introduction:
            for paragraph in question.introduction.split("\n\n"):
                layout.addWidget(wrapped_label(paragraph.strip()))
        if question.instruction:
            layout.addWidget(wrapped_label(f"<i>{esc(question.instruction)}</i>", rich=True))
        self.change: QuestionChange | None = None
        self.comparison_label = comparison_label(question)
        layout.addWidget(self.comparison_label)
        self.answered_label = wrapped_label()
        layout.addWidget(self.answered_label)
        grid = QGridLayout()
        grid.setContentsMargins(0, 4, 0, 4)
        grid.setHorizontalSpacing(12)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 2)
        self.spins: dict[str, QSpinBox] = {}
        self.mean_labels: dict[str, QLabel] = {}
        caption = QLabel("<b>Regionens rang</b>")
        grid.addWidget(caption, 0, 0, 1, 2)
        grid.addWidget(QLabel("<b>Kommunernas rangordning</b>"), 0, 2)
        row = 1
        for option in question.options:
            spin = QSpinBox()
            spin.setRange(0, question.max_rank)
            spin.setSpecialValueText("–")
            spin.setMinimumWidth(spin.fontMetrics().averageCharWidth() * 9)
            spin.setAccessibleName(f"Regionens rang för {option.label}")
            label = wrapped_label(option.label)
            label.setBuddy(spin)
            mean = wrapped_label()
            mean.setAccessibleName(f"Kommunernas medelvärde för {option.label}")
            self.spins[option.id] = spin
            self.mean_labels[option.id] = mean
            grid.addWidget(spin, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(label, row, 1, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(mean, row, 2, Qt.AlignmentFlag.AlignTop)
            row += 1
            if option.description:
                description = _small(wrapped_label(option.description))
                grid.addWidget(description, row, 1, 1, 2)
                row += 1
        layout.addLayout(grid)
        self.warning = wrapped_label()
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning.hide()
        layout.addWidget(self.warning)
        self.specify: QLineEdit | None = None
        specify_options = question.specify_options
        if specify_options:
            line = QHBoxLayout()
            caption = QLabel(f"{specify_options[0].label}:")
            self.specify = QLineEdit()
            self.specify.setAccessibleName(f"Fråga {question.number_text}: {specify_options[0].label}")
            caption.setBuddy(self.specify)
            line.addWidget(caption)
            line.addWidget(self.specify, 1)
            layout.addLayout(line)
        self.texts = OpenTexts(question.number_text)
        layout.addWidget(self.texts)

    def show_result(self, result: QuestionResult, total: int, names: dict[str, str] | None = None) -> None:
        answered = total - result.ej_svar - result.ej_tillampligt
        if total:
            answered_text = f"{answered} av {_count(total, 'svarande kommuner')} har rangordnat alternativen."
        else:
            answered_text = "Inga kommuner har svarat ännu."
        set_label_text(self.answered_label, answered_text)
        aggregate = result.aggregate if isinstance(result.aggregate, RankingAggregate) else None
        if aggregate is not None:
            figures = [(o.id, aggregate.mean_rank.get(o.id), aggregate.ranked_by.get(o.id, 0))
                       for o in self.question.options]
        else:
            figures = [(m.option_id, Decimal(repr(m.mean)), m.count) for m in result.mean_ranks]
        for option_id, mean, count in figures:
            label = self.mean_labels.get(option_id)
            if label is not None:
                value = f"{swedish_number(mean, '', RANK_PLACES, keep_places=True)} ({_count(count)})" if count else "–"
                text = f"Kommunernas medelvärde: {value}"
                if self.change is not None and self.change.comparable:
                    before, delta = rank_change_text(self.change.option(option_id))
                    text += f"; {self.change.year}: {before}" + (f" (förändring {delta})" if delta != "–" else "")
                set_label_text(label, text)
        self.texts.set_texts(result.texts)

    def show_change(self, change: QuestionChange | None, year: int, result: QuestionResult, total: int = 0) -> None:
        """Beside the round compared with: each option's earlier mean rank and its change."""
        self.change = change
        show_comparison_label(self.comparison_label, change, self.question)

    def show_warning(self) -> None:
        ranks = [spin.value() for spin in self.spins.values() if spin.value()]
        repeated = sorted({rank for rank in ranks if ranks.count(rank) > 1})
        warning = "Obs! Samma rang har getts flera alternativ: " + ", ".join(map(str, repeated)) if repeated else ""
        set_label_text(self.warning, warning)
        self.warning.setVisible(bool(repeated))


class _FocusOutRefresh(QObject):
    """When a text box loses focus, refresh it from the store (it was skipped while being typed in)."""

    def __init__(self, view: CountyView) -> None:
        super().__init__(view)
        self.view = view

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.FocusOut:
            self.view._schedule_refresh()
        return False


class _ViewportWidth(QObject):
    def __init__(self, view: CountyView) -> None:
        super().__init__(view)
        self.view = view

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Resize:
            self.view._apply_width(watched.width())
        return False


class CountyView(QWidget):
    """A region's county compilation: live numbers, the leader's texts, export requests."""

    export_requested = Signal(str)  # "xlsx", "pdf", "json", "docx", "eml" or "raw"
    saved = Signal(str)  # the time, "hh:mm:ss"
    failed = Signal(str)  # the store's message

    def __init__(self, store: Store, round_: Round, region: str, parent: QWidget | None = None,
                 pending: PendingWrites | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.pending = pending if pending is not None else PendingWrites(store, self)
        self.pending.refused.connect(self._pending_refused)
        self.round = round_
        self.region = self._region_name(region)
        self.compilation: CountyCompilation | None = None
        self.comparison: CountyComparison | None = None
        self._names: dict[str, str] | None = None
        self._loading = False
        self._saving = False
        self._dirty = False
        self._wide: bool | None = None
        self._toolbar_rows: list[int] | None = None
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(lambda: self.refresh())
        self._focus_out = _FocusOutRefresh(self)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(4)
        outer.addWidget(self._build_toolbar())
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.viewport().installEventFilter(_ViewportWidth(self))
        outer.addWidget(self.scroll, 1)
        self._build_content()
        self._fill_chooser()
        self.refresh(force=True)
        # The store cannot forget a listener: hold the view weakly, and ignore it once Qt has deleted it.
        ref = weakref.ref(self)
        store.on_change(lambda: notify_view(ref))

    # ------------------------------------------------------------------ building
    def _region_name(self, region: str) -> str:
        found = self.store.register.find_region(region)
        return found.name if found is not None else region

    def _forms(self, round_: Round) -> tuple[Form, Form]:
        """(the county form, the municipal form it compiles) of a round."""
        municipal = self.store.form_of(round_)
        return self.store.county_form_of(round_) or municipal, municipal

    def _build_toolbar(self) -> QWidget:
        bar = QWidget()
        bar.setMinimumWidth(1)  # the buttons wrap into more rows instead (see _arrange_toolbar)
        self.toolbar = QVBoxLayout(bar)
        self.toolbar.setContentsMargins(8, 6, 8, 0)
        self.toolbar.setSpacing(4)
        self.export_buttons: dict[str, QPushButton] = {}
        for kind, text, tip in EXPORTS:
            button = QPushButton(text)
            button.setAccessibleName(text.rstrip("…"))
            button.setToolTip(tip)
            button.clicked.connect(lambda _checked=False, k=kind: self.export_requested.emit(k))
            self.export_buttons[kind] = button
        self.anonymous_box = QCheckBox("Anonymisera (utan kommunnamn vid citat)")
        self.anonymous_box.setAccessibleName("Anonymisera (utan kommunnamn vid citat)")
        self.anonymous_box.setToolTip("Visa och exportera kommunernas öppna svar utan kommunnamn")
        self.anonymous_box.toggled.connect(lambda _on: self.refresh())
        self._build_chooser()
        self._arrange_toolbar(10_000)
        return bar

    def _toolbar_items(self) -> list[QWidget]:
        return [*self.export_buttons.values(), self.anonymous_box, self.compare_widget]

    # ------------------------------------------------------------------ the round compared with
    def _build_chooser(self) -> None:
        """"Jämför med": the previous round of the same survey, any earlier one, or none."""
        self.compare_widget = QWidget()
        line = QHBoxLayout(self.compare_widget)
        line.setContentsMargins(0, 0, 0, 0)
        caption = QLabel("&Jämför med:")
        self.compare_box = QComboBox()
        self.compare_box.setAccessibleName("Jämför med omgång")
        self.compare_box.setToolTip("Visa siffrorna bredvid en tidigare omgång av samma enkät (även i exporterna)")
        caption.setBuddy(self.compare_box)
        self.compare_box.currentIndexChanged.connect(lambda _index: self._compare_chosen())
        self.answered_rounds = QLabel()
        self.answered_rounds.setAccessibleName("Svarande kommuner per omgång")
        line.addWidget(caption)
        line.addWidget(self.compare_box)
        line.addWidget(self.answered_rounds)
        self._filling_chooser = False

    def _fill_chooser(self) -> None:
        """The round's earlier rounds, newest (the default) first, and "Ingen jämförelse"; hidden without any."""
        self._filling_chooser = True
        try:
            self.compare_box.clear()
            for text, earlier in compare_choices(self.store.earlier_rounds(self.round)):
                self.compare_box.addItem(text, earlier.id if earlier else 0)
            self.compare_box.setCurrentIndex(0)
        finally:
            self._filling_chooser = False
        self.compare_widget.setVisible(self.compare_box.count() > 1)

    @property
    def compare_with(self) -> Round | None:
        """The round the figures are shown beside (and exported beside), or None."""
        round_id = self.compare_box.currentData()
        return next((r for r in self.store.earlier_rounds(self.round) if r.id == round_id), None)

    def _compare_chosen(self) -> None:
        """Another round chosen: the figures again, and the question read at the top stays there (the
        sections above it grow or shrink by the earlier round's columns and bars)."""
        if self._filling_chooser:
            return
        bar = self.scroll.verticalScrollBar()
        above = [qid for qid, section in self.sections.items() if section.y() + section.height() > bar.value()]
        self.refresh()
        if above and bar.value() > 0:
            self.scroll_to(above[0])
            # once more when the tables have fitted their rows to the new columns (a zero timer each)
            QTimer.singleShot(0, lambda qid=above[0]: self.scroll_to(qid))

    def _comparison(self, compilation: CountyCompilation) -> CountyComparison | None:
        earlier = self.compare_with
        if earlier is None:
            return None
        try:
            return compare_county(self.store, self.round, self.region, compilation, compare_with=earlier,
                                  anonymous=self.anonymous)
        except StoreError as error:
            self.failed.emit(str(error))
            return None

    def _arrange_toolbar(self, width: int) -> None:
        """Buttons in as few rows as fit the width (no horizontal scrolling on small screens)."""
        self._toolbar_rows = arrange_in_rows(self.toolbar, self._toolbar_items(), width, self._toolbar_rows)

    def _build_content(self) -> None:
        self.form, self.municipal_form = self._forms(self.round)
        skippable = {qid for q in self.municipal_form.questions for o in q.options
                     for qid in self.municipal_form.skipped_by(q.id, o.id)}
        self.content = QWidget()
        self.content.setObjectName("county_compilation")
        column = QVBoxLayout(self.content)
        column.setContentsMargins(8, 6, 8, 8)
        column.setSpacing(10)
        self.title = wrapped_label(rich=True)
        column.addWidget(self.title)
        self._show_scope(column)
        column.addWidget(self._build_header())
        self.sections: dict[str, QuestionSection | RankingSection] = {}
        self.rankings: dict[str, RankingSection] = {}  # every ranking question's section, in the form's order
        for question in self.form.questions:
            if question.type == "ranking":
                section = RankingSection(question)
                self.rankings[question.id] = section
                for option_id, spin in section.spins.items():
                    spin.valueChanged.connect(
                        lambda value, q=question.id, o=option_id: self._rank_changed(q, o, value))
                if section.specify is not None:
                    self._watch(section.specify)
                    section.specify.textEdited.connect(
                        lambda text, q=question.id: self._save(f"ranking_specify.{q}", text))
            else:
                section = QuestionSection(question, question.id in skippable, self.form.summary_label)
                self._watch(section.summary)
                section.summary.textChanged.connect(
                    lambda s=section: self._save(f"summary.{s.question.id}", s.summary.toPlainText()))
            self.sections[question.id] = section
            column.addWidget(section)
        self.free_text_edits: dict[str, QPlainTextEdit] = {}
        for free_text in self.form.free_texts:
            box = QFrame()
            box.setFrameShape(QFrame.Shape.StyledPanel)
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(10, 8, 10, 10)
            caption = wrapped_label(f"<b>{esc(free_text.label)}</b>", rich=True)
            edit = GrowingTextEdit(min_lines=4)
            edit.setAccessibleName(free_text.label)
            caption.setBuddy(edit)
            self._watch(edit)
            edit.textChanged.connect(lambda k=free_text.id, e=edit: self._save(k, e.toPlainText()))
            box_layout.addWidget(caption)
            box_layout.addWidget(edit)
            self.free_text_edits[free_text.id] = edit
            column.addWidget(box)
        column.addStretch(1)
        self.scroll.setWidget(self.content)
        self._wide = None
        self._apply_width(self.scroll.viewport().width())

    def _show_scope(self, column: QVBoxLayout) -> None:
        """A region's own survey (scope "region") is for the region's use: said at the top, and the e-mail
        to SKL is not offered (Excel, PDF and JSON are, for the region's own use)."""
        own = self.store.own_survey(self.round)
        self.own_survey_note: QLabel | None = None
        if own:
            self.own_survey_note = wrapped_label(OWN_SURVEY_NOTE)
            self.own_survey_note.setAccessibleName("Regionens egen enkät")
            column.addWidget(self.own_survey_note)
        eml = self.export_buttons["eml"]
        eml.setEnabled(not own)
        eml.setToolTip(OWN_SURVEY_EML_TIP if own else next(tip for kind, _text, tip in EXPORTS if kind == "eml"))

    def _build_header(self) -> QWidget:
        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        self.header_form = QFormLayout(box)
        self.header_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.header_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.header_form.addRow(QLabel(f"<b>{esc(self.form.header_title or 'Sammanställda uppgifter från:')}</b>"))
        self.header_fields = county_header(self.form)
        self.header_labels: dict[str, QLabel] = {}
        self.header_captions: dict[str, str] = {}
        self.field_edits: dict[str, QLineEdit] = {}

        def value_row(key: str, caption: str) -> None:
            label = wrapped_label()
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAccessibleName(caption)
            self.header_labels[key] = label
            self.header_captions[key] = caption
            self.header_form.addRow(f"{caption}:", label)

        def status_rows() -> None:
            value_row("drafts", "Utkast (räknas inte)")
            value_row("flagged", "Motsägelser som inte räknas")
            self.header_labels["flagged"].setToolTip(
                "Kommuner som har svarat på frågor som enkäten hoppar över. De frågorna räknas som ej tillämpliga "
                "för kommunen tills svaret är rättat.")
            self.header_labels["flagged"].setStyleSheet(WARNING_STYLE)
            value_row("not_answered", "Har inte svarat")

        # The form's header fields in its order: the ones the program fills in (the region, the counts),
        # followed by who has not answered yet, and the leader's own text fields (the leader's name …).
        last_computed = max((i for i, h in enumerate(self.header_fields) if h.computed), default=-1)
        if last_computed < 0:
            status_rows()
        for index, header in enumerate(self.header_fields):
            if header.computed:
                value_row(header.id, header.label)
            else:
                edit = QLineEdit()
                edit.setAccessibleName(header.label)
                self._watch(edit)
                edit.textEdited.connect(lambda text, k=header.id: self._save(k, text))
                self.header_form.addRow(f"{header.label}:", edit)
                self.field_edits[header.id] = edit
            if index == last_computed:
                status_rows()
        # The field a leader's name from the profile goes into: the form's first personal text field.
        self.name_field = next((h.id for h in self.form.header if h.type == "text" and h.personal), None)
        return box

    @property
    def leader_edit(self) -> QLineEdit | None:
        """The field of the leader's name (the county form's first personal text field), if it has one."""
        return self.field_edits.get(self.name_field) if self.name_field else None

    def _watch(self, widget: QWidget) -> None:
        widget.installEventFilter(self._focus_out)

    # ------------------------------------------------------------------ width
    def _apply_width(self, width: int) -> None:
        wide = width >= self.fontMetrics().averageCharWidth() * 120
        if wide != self._wide:
            self._wide = wide
            for section in self.sections.values():
                if isinstance(section, QuestionSection):
                    section.set_wide(wide)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._arrange_toolbar(self.width())

    # ------------------------------------------------------------------ public API
    @property
    def ranking(self) -> RankingSection | None:
        """The first ranking question's section (None: the form ranks nothing); see `rankings` for all."""
        return next(iter(self.rankings.values()), None)

    @property
    def anonymous(self) -> bool:
        """Open answers without municipality names (the checkbox)."""
        return self.anonymous_box.isChecked()

    @anonymous.setter
    def anonymous(self, value: bool) -> None:
        self.anonymous_box.setChecked(bool(value))

    def set_region(self, region: str) -> None:
        """Show another region; the leader's texts shown are then that region's."""
        self.region = self._region_name(region)
        self.scroll.verticalScrollBar().setValue(0)
        self.refresh(force=True)

    def set_round(self, round_: Round) -> None:
        """Show another round; the widgets are rebuilt only when its forms differ."""
        old = (self.round.form_id, self.round.county_form_id)
        self.round = round_
        if (round_.form_id, round_.county_form_id) != old:
            self._build_content()
        self._fill_chooser()
        self.refresh(force=True)

    def scroll_to(self, question_id: str) -> None:
        """Scroll so that a question's section starts at the top."""
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)  # lines just shown or hidden, first
        self.content.layout().activate()
        self.scroll.verticalScrollBar().setValue(max(0, self.sections[question_id].y() - 6))

    # ------------------------------------------------------------------ refreshing
    def _store_changed(self) -> None:
        if self._saving:  # our own write: only the leader's texts changed, and the widgets show them
            return
        self._schedule_refresh()

    def _schedule_refresh(self) -> None:
        if not self.isVisible():
            self._dirty = True
            return
        self._refresh_timer.start()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self._dirty:
            self._refresh_timer.start()

    def refresh(self, force: bool = False) -> None:
        """Recompute the compilation and update every number and text.

        force: also overwrite a text box that has the focus (a new region or round).
        """
        self._refresh_timer.stop()
        self._dirty = False
        if self.store.closed:  # the window closed just after a change (a kept text written at last)
            return
        try:
            compilation = self.store.compile(self.round, self.region, anonymous=self.anonymous)
        except StoreError as error:
            self.failed.emit(str(error))
            return
        self.compilation = compilation
        self.comparison = self._comparison(compilation)
        self._loading = True
        try:
            self._show_header(compilation)
            self._show_answered_rounds(compilation, self.comparison)
            total = compilation.kommuner_svarat
            names = self._municipality_names()
            for result in compilation.questions:
                section = self.sections.get(result.question_id)
                if section is not None:
                    change = self.comparison.change(result.question_id) if self.comparison is not None else None
                    section.show_change(change, self.round.year, result, total)
                    section.show_result(result, total, names)
            self._show_leader(self._with_pending(compilation.leader), force)
        finally:
            self._loading = False

    def _show_answered_rounds(self, c: CountyCompilation, comparison: CountyComparison | None) -> None:
        """The number of responding municipalities of each round compared, beside the chooser."""
        text = ""
        if comparison is not None:
            text = (f"Svarande kommuner: {c.kommuner_svarat} ({self.round.year}), "
                    f"{comparison.earlier.answered} ({comparison.year})")
        set_label_text(self.answered_rounds, text)
        self.answered_rounds.setVisible(bool(text))

    def _municipality_names(self) -> dict[str, str]:
        """Code -> name of every municipality: a text's municipality is a code in the aggregates."""
        if self._names is None:
            self._names = {m.code: m.name for m in self.store.register.municipalities}
        return self._names

    def _show_header(self, c: CountyCompilation) -> None:
        set_label_text(self.title, f"<b>{esc(self.form.short_title or 'Länssammanställning')} – {esc(c.region)} – "
                                   f"{esc(self.round.title)}</b><br>{esc(self.form.title)}")
        for header in self.header_fields:
            if header.computed:
                value = header_value(header, c)
                text = value if isinstance(value, str) else _count(value, header.unit)
                if header.computed == "units_answered":
                    text += f" ({c.svarsfrekvens} %)"
                set_label_text(self.header_labels[header.id], text)
        not_answered = [name for name in c.not_answered if name not in c.drafts]
        for key, names in (("drafts", c.drafts), ("flagged", c.flagged), ("not_answered", not_answered)):
            set_label_text(self.header_labels[key], ", ".join(names))
            self.header_form.setRowVisible(self.header_labels[key], bool(names))

    def _show_leader(self, leader: LeaderTexts, force: bool) -> None:
        def put(edit: QLineEdit | QPlainTextEdit, text: str) -> None:
            if edit.hasFocus() and not force:
                return  # being typed in: never overwritten under the user's cursor
            if isinstance(edit, QLineEdit):
                if edit.text() != text:
                    edit.setText(text)
            elif edit.toPlainText() != text:
                edit.setPlainText(text)

        for key, edit in self.field_edits.items():
            put(edit, leader.field(key))
        for qid, section in self.sections.items():
            if isinstance(section, QuestionSection):
                put(section.summary, leader.summaries.get(qid, ""))
        for qid, ranking in self.rankings.items():
            ranks = leader.rankings.get(qid, {})
            for option_id, spin in ranking.spins.items():
                value = ranks.get(option_id, 0)
                if spin.value() != value and (force or not spin.hasFocus()):
                    spin.setValue(value)
            if ranking.specify is not None:
                put(ranking.specify, leader.specify.get(qid, ""))
            ranking.show_warning()
        for key, edit in self.free_text_edits.items():
            put(edit, leader.field(key))

    # ------------------------------------------------------------------ saving
    def _with_pending(self, leader: LeaderTexts) -> LeaderTexts:
        """The leader's texts as stored, with what is kept for the database on top: shown as typed."""
        return with_pending_leader_texts(leader, self.pending.values_for(COUNTY, self.round.id, self.region))

    def _save(self, key: str, value: str | int | None) -> bool:
        """Save one of the leader's texts now, or keep it while the database is busy (True either way)."""
        if self._loading:
            return False
        self._saving = True
        try:
            saved = self.pending.submit(PendingWrite(COUNTY, self.round.id, self.region, {key: value}))
        except StoreError as error:
            self._saving = False
            self.failed.emit(str(error))
            self._show_stored_texts()
            return False
        finally:
            self._saving = False
        if saved:
            self.saved.emit(datetime.now().strftime("%H:%M:%S"))
        return True

    def _show_stored_texts(self) -> None:
        """After a refusal: every text as stored (and kept), also the one being typed in."""
        self._loading = True
        try:
            self._show_leader(self._with_pending(self.store.leader_texts(self.round, self.region)), force=True)
        finally:
            self._loading = False

    def _pending_refused(self, write: PendingWrite, _message: str) -> None:
        if write.concerns(COUNTY, self.round.id, self.region):
            self._show_stored_texts()

    def _rank_changed(self, question_id: str, option_id: str, value: int) -> None:
        if self._loading:
            return
        self._save(f"rank.{question_id}.{option_id}", value or None)
        self.rankings[question_id].show_warning()
