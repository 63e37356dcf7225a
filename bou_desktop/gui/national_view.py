"""The national compilation (Nationell sammanställning, SKL): the county files received so far.

As in the report of February 2012: which regions have sent their county compilation and the
response rate per region, then per question the national percentages and counts with a bar chart
and the regions' summaries of the open answers, the first ranking question as the mean of the
regions' ranks, and every other question's aggregate over the nation (gui/aggregate_view.py).

Everything is recomputed from the store whenever it changes (coalesced, and only while the view
is shown), e.g. after a county file is imported; widgets are built once per form and only their
texts are updated. Imports, exports and the comparison of a region with the nation are requests
(`import_requested`, `export_requested`, `comparison_requested`): the main window carries them out.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..exchange.aggregate_text import UNIT_WORDS, units_word
from ..exchange.errors import RefusedFile
from ..exchange.national_file import national_comparison_for, report_for
from ..store import Round, Store, StoreError
from ..survey.aggregates import Aggregate
from ..survey.changes import points_text, rounds_sentence
from ..survey.compilation import decimal_comma
from ..survey.forms import Form, Question
from ..survey.national import NationalQuestion, NationalRank, NationalReport, RegionRate
from ..survey.national_comparison import NationalComparison, QuestionChange, comparison_note
from .aggregate_view import AggregateFigures
from .bar_chart import BarChart, TwoRoundsChart
from .flow import arrange_in_rows
from .labels import WARNING_STYLE, compare_choices, esc, notify_view, question_heading, set_label_text, wrapped_label
from .pending import PendingWrites
from .report_texts import ReportTextsEditor
from .tables import NUMBER_ALIGNMENT, FittedTable

EXPORTS = (
    ("xlsx", "Exportera Excel…", "Spara den nationella sammanställningen som Excel-fil"),
    ("pdf", "Exportera PDF…", "Spara den nationella sammanställningen som PDF"),
    ("json", "Exportera JSON…", "Spara den nationella sammanställningen som JSON-fil (riksrapport till regionerna)"),
    ("docx", "Exportera Word…", "Spara SKL:s rapport som Word-fil: texterna, tabellerna, diagrammen och bilagorna"),
    ("report_pdf", "Exportera rapport som PDF…",
     "Spara SKL:s rapport som PDF, med innehållsförteckning och bokmärken"),
)
IMPORT_TEXT = "Importera länssammanställningar…"
COMPARISON_TEXT = "Län i jämförelse med riket…"
MISSING = "saknas"
WARNING_COLOUR = QColor("#b00020")
RATE_HEADERS = ("Region", "Antal kommuner", "Har svarat", "Svarsfrekvens", "Fil")
# A form answered per region (kind "region"): each region is one unit, its own response instead of a file.
REGION_RATE_HEADERS = ("Region", "Antal regioner", "Har svarat", "Svarsfrekvens", "Svaret")
REGION_IMPORT_TEXT = "Importera regionernas svar…"
QUESTION_HEADERS = ("Svarsalternativ", "Procent", "Antal kommuner")
RANKING_HEADERS = ("Alternativ", "Medelvärde", "Antal regioner")
NO_AGGREGATE = "Inga uppgifter ännu: ingen länssammanställning med frågan har kommit in."
NO_REGION_ANSWER = "Inga uppgifter ännu: ingen region har svarat."
SKIPPED_TIP = "Kommuner som enligt enkäten hoppade över frågan, efter ett svar som leder förbi den"
WIDE_CHARS = 150  # from this width (in average characters) each chart stands beside its table
COMPARE_CAPTION = "Jämför med:"
NO_EARLIER_ROUND = "Ingen tidigare omgång"
CHANGE_HEADER = "Förändring"


def comparison_line(comparison: NationalComparison, unit_key: str = "kommun") -> str:
    """ "Jämförs med 2011: då hade 12 kommuner svarat, 2013 19.", in the words of the PDF and Word reports."""
    line = rounds_sentence(comparison.year, comparison.answered, comparison.earlier_year, comparison.earlier_answered,
                           units_word(unit_key))
    if comparison.not_comparable:
        line += f" Inte jämförbara frågor: {', '.join(q.label for q in comparison.not_comparable)}."
    return line


def national_aggregates(report: NationalReport) -> Mapping[str, Aggregate]:
    """Each question's aggregate over the nation, from the national report (question id -> aggregate)."""
    return report.aggregates


def imported_text(file_name: str, imported: str) -> str:
    """ "Länssammanställning Uppsala 2011.xlsx, importerad 2012-01-20 14:05"."""
    try:
        when = datetime.fromisoformat(imported).astimezone().strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        when = imported or ""
    return f"{file_name}, importerad {when}" if when else file_name


def received_line(report: NationalReport) -> str:
    """ "21 av 24 regioner har skickat in. Saknas: Stockholm, GR, Sjuhärad." (a form answered per
    region: "3 av 24 regioner har svarat. Saknas: …")."""
    regions = len(report.regions)
    received = sum(r.has_file for r in report.regions)
    if report.unit_key == "region":
        if not received:
            return f"Ingen av de {regions} regionerna har svarat ännu."
        missing = f" Saknas: {', '.join(report.missing)}." if received < regions else ""
        return f"{received} av {regions} regioner har svarat.{missing}"
    if not received:
        return f"Ingen av de {regions} regionerna har skickat in någon länssammanställning ännu."
    if received == regions:
        return f"Alla {regions} regioner har skickat in."
    return f"{received} av {regions} regioner har skickat in. Saknas: {', '.join(report.missing)}."


class Collapsible(QWidget):
    """An arrow button that shows or hides a block of text (the regions' own words)."""

    def __init__(self, caption: str, accessible: str) -> None:
        super().__init__()
        self.caption = caption
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.button = QToolButton()
        self.button.setCheckable(True)
        self.button.setAutoRaise(True)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.setArrowType(Qt.ArrowType.RightArrow)
        self.button.setAccessibleName(accessible)
        self.button.toggled.connect(self._toggled)
        self.body = wrapped_label(rich=True)
        self.body.setAccessibleName(accessible)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.body.setContentsMargins(18, 0, 0, 0)
        self.body.hide()
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.body)
        self.lines: list[str] = []
        self.set_entries(())

    def _toggled(self, expanded: bool) -> None:
        self.button.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded and bool(self.lines))

    @property
    def expanded(self) -> bool:
        return self.button.isChecked()

    def set_expanded(self, expanded: bool) -> None:
        self.button.setChecked(expanded)

    def set_entries(self, entries: tuple[tuple[str, str], ...]) -> None:
        """(region, text) pairs."""
        self.lines = [f"{region}: {text}" for region, text in entries]
        text = f"{self.caption} ({len(entries)})" if entries else f"{self.caption} (inga)"
        if self.button.text() != text:
            self.button.setText(text)
        self.button.setEnabled(bool(entries))
        html = "".join(f"<p style='margin: 0 0 6px 0'><b>{esc(region)}:</b> {esc(body).replace(chr(10), '<br>')}</p>"
                       for region, body in entries)
        set_label_text(self.body, html)
        self.body.setVisible(self.expanded and bool(entries))


def _section_frame(name: str) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName(name)
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(10, 8, 10, 10)
    return frame, layout


class QuestionFrame(QFrame):
    """A question's framed section: its heading on top, the rest in `column`."""

    def __init__(self, question: Question) -> None:
        super().__init__()
        self.question = question
        self.setObjectName(f"national_{question.id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(10, 8, 10, 10)
        self.title = question_heading(question)
        self.column.addWidget(self.title)
        self.compare_note = wrapped_label()
        self.compare_note.setAccessibleName(f"Jämförelse, fråga {question.number_text}")
        self.compare_note.hide()
        self.column.addWidget(self.compare_note)

    def show_comparison(self, change: QuestionChange | None, comparison: NationalComparison | None) -> None:
        """The question beside the earlier round (None: no comparison, nothing shown)."""
        if comparison is None or change is None:
            self.compare_note.hide()
            return
        labels = {o.id: o.label for o in self.question.options}
        set_label_text(self.compare_note, comparison_note(change, comparison, labels))
        self.compare_note.setStyleSheet("" if change.comparable else "font-style: italic;")
        self.compare_note.setVisible(not (change.comparable and change.options))


class NationalQuestionSection(QuestionFrame):
    """A choice question: Svarsalternativ | Procent | Antal kommuner, a bar chart, the regions' summaries."""

    def __init__(self, question: Question, can_be_skipped: bool, unit_key: str = "kommun") -> None:
        super().__init__(question)
        self.can_be_skipped = can_be_skipped
        self.units = UNIT_WORDS.get(unit_key, UNIT_WORDS["kommun"])  # a form answered per region counts regions
        layout = self.column
        self.note = wrapped_label()
        layout.addWidget(self.note)
        # The national tables and charts name an option by its short label where it has one (issue 18).
        labels = [option.report_label for option in question.options] + ["Ej svar"]
        if can_be_skipped:
            labels.append("Ej tillämpligt")
        self.table = FittedTable((*QUESTION_HEADERS[:2], f"Antal {self.units[1]}"), len(labels),
                                 f"Procent och antal {self.units[1]}, fråga {question.number_text}", numeric=(1, 2))
        for row, label in enumerate(labels):
            self.table.item(row, 0).setText(label)
            if option := (question.options[row] if row < len(question.options) else None):
                if option.description or option.short_label:  # a short label: the form's words on hover
                    self.table.item(row, 0).setToolTip(
                        "\n\n".join(t for t in (option.label if option.short_label else "", option.description) if t))
            else:
                self.table.set_italic_row(row)
        if can_be_skipped:
            self.table.item(len(labels) - 1, 0).setToolTip(SKIPPED_TIP)
        self.chart = TwoRoundsChart()
        self.chart.set_units(*self.units)
        self.chart.setAccessibleName(f"Diagram, fråga {question.number_text}")
        self.body = QGridLayout()
        self.body.setContentsMargins(0, 4, 0, 4)
        self.body.setHorizontalSpacing(16)
        self.body.setVerticalSpacing(8)
        layout.addLayout(self.body)
        self.wide: bool | None = None
        self.set_wide(True)
        self.summaries = Collapsible("Regionernas sammanfattningar av öppna svar",
                                     f"Regionernas sammanfattningar, fråga {question.number_text}")
        layout.addWidget(self.summaries)

    def set_wide(self, wide: bool) -> None:
        """The chart beside the table (wide) or below it (narrow)."""
        if wide == self.wide:
            return
        self.wide = wide
        self.body.removeWidget(self.table)
        self.body.removeWidget(self.chart)
        self.body.addWidget(self.table, 0, 0, Qt.AlignmentFlag.AlignTop)
        if wide:
            self.body.addWidget(self.chart, 0, 1, Qt.AlignmentFlag.AlignTop)
            self.body.setColumnStretch(0, 1)
            self.body.setColumnStretch(1, 1)
        else:
            self.body.addWidget(self.chart, 1, 0)
            self.body.setColumnStretch(0, 1)
            self.body.setColumnStretch(1, 0)

    def show_result(self, result: NationalQuestion, total: RegionRate, regions: int) -> None:
        rows = [(o.label, f"{o.procent} %", str(o.antal)) for o in result.options]
        rows.append(("Ej svar", f"{result.ej_svar.procent} %", str(result.ej_svar.antal)))
        if self.can_be_skipped:
            rows.append(("Ej tillämpligt", f"{result.ej_tillampligt.procent} %", str(result.ej_tillampligt.antal)))
        changed = False
        for row, texts in enumerate(rows):
            changed |= self.table.set_row(row, texts[1:], 1)  # the labels are the form's, set once
        if changed:
            self.table.fit()
        one, many = self.units
        if total.kommuner_svarat and one == "region":  # the regions answered themselves
            note = f"Procent av de {total.kommuner_svarat} {many} som har svarat."
        elif total.kommuner_svarat:
            note = (f"Procent av de {total.kommuner_svarat} {many} som har svarat, "
                    f"i {regions} {'region' if regions == 1 else 'regioner'}.")
        else:
            note = f"Inga {many} har svarat ännu."
        set_label_text(self.note, note)
        self.chart.set_total(total.kommuner_svarat)
        labels = {o.id: o.report_label for o in self.question.options}
        self.chart.set_data([(labels.get(o.option_id, o.label), o.antal, o.procent) for o in result.options])
        self.summaries.set_entries(result.summaries)

    def show_comparison(self, change: QuestionChange | None, comparison: NationalComparison | None) -> None:
        """Two more columns (the earlier round's percent, the change in points) and the earlier round's bars."""
        super().show_comparison(change, comparison)
        table = self.table
        if comparison is None or change is None:
            if table.columnCount() > len(QUESTION_HEADERS):
                table.setColumnCount(len(QUESTION_HEADERS))
                table.horizontalHeaderItem(1).setText(QUESTION_HEADERS[1])
                table.fit()
            self.chart.set_earlier(None)
            return
        year = comparison.earlier_year
        if table.columnCount() == len(QUESTION_HEADERS):
            table.setColumnCount(len(QUESTION_HEADERS) + 2)
            for column in (3, 4):
                table.setHorizontalHeaderItem(column, QTableWidgetItem(""))
                table.horizontalHeaderItem(column).setTextAlignment(NUMBER_ALIGNMENT)
                table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
                for row in range(table.rowCount()):
                    item = QTableWidgetItem("")
                    item.setTextAlignment(NUMBER_ALIGNMENT)
                    table.setItem(row, column, item)
        table.horizontalHeaderItem(1).setText(f"Procent {comparison.year}")
        table.horizontalHeaderItem(3).setText(f"Procent {year}")
        table.horizontalHeaderItem(4).setText(CHANGE_HEADER)
        shares = [change.option(o.id) for o in self.question.options] + [change.ej_svar]
        if self.can_be_skipped:
            shares.append(change.ej_tillampligt)
        changed = False
        for row, share in enumerate(shares):
            before = share.earlier_procent if share is not None else None
            changed |= table.set_row(row, (f"{before} %" if before is not None else "–",
                                           points_text(share.change if share is not None else None)), 3)
        if changed:
            table.fit()
        if change.comparable:
            self.chart.set_earlier([(s.earlier_antal, s.earlier_procent) if s and s.earlier_procent is not None
                                    else None for s in shares[: len(self.question.options)]],
                                   comparison.earlier_answered, (str(comparison.year), str(year)))
        else:
            self.chart.set_earlier(None)


class NationalRankingSection(QuestionFrame):
    """The ranking question the regions rank themselves on the county form: the mean of the regions'
    ranks per alternative, best first; below it, once the nation's aggregate is there, the mean rank
    of every unit that answered and how many ranked each option."""

    def __init__(self, question: Question, unit_key: str = "kommun", can_be_skipped: bool = False) -> None:
        super().__init__(question)
        layout = self.column
        layout.addWidget(wrapped_label(
            "Medelvärdet av regionernas rangordning (1 = hög prioritet), bland de regioner som har rangordnat "
            "alternativet. Alternativ som ingen region har rangordnat står sist."))
        self.table = FittedTable(RANKING_HEADERS, len(question.options),
                                 f"Medelvärde av regionernas rangordning, fråga {question.number_text}", numeric=(1, 2))
        layout.addWidget(self.table)
        self.specify = Collapsible("Annat alternativ enligt regionerna",
                                   f"Annat alternativ enligt regionerna, fråga {question.number_text}")
        layout.addWidget(self.specify)
        self.descriptions = {o.id: o.description for o in question.options}
        whose = "Regionernas" if unit_key == "region" else "Kommunernas"
        self.figures_caption = wrapped_label(f"<b>{whose} rangordning i hela landet</b>", rich=True)
        self.figures = AggregateFigures(question, unit_key, can_be_skipped)
        layout.addWidget(self.figures_caption)
        layout.addWidget(self.figures)
        self.show_aggregate(None)

    def show_aggregate(self, aggregate: Aggregate | None, names: Mapping[str, str] | None = None) -> None:
        """The nation's aggregate of the question (None: not there, and not shown)."""
        self.figures_caption.setVisible(aggregate is not None)
        self.figures.setVisible(aggregate is not None)
        if aggregate is not None:
            self.figures.show_aggregate(aggregate, names)

    def show_result(self, ranking: tuple[NationalRank, ...], specify: tuple[tuple[str, str], ...]) -> None:
        changed = False
        for row, rank in enumerate(ranking[: self.table.rowCount()]):
            mean = decimal_comma(rank.medelvarde) if rank.antal_regioner else "–"
            changed |= self.table.set_row(row, (rank.label, mean, str(rank.antal_regioner)))
            self.table.item(row, 0).setToolTip(self.descriptions.get(rank.option_id, ""))
        if changed:
            self.table.fit()
        self.specify.set_entries(specify)


class NationalAggregateSection(QuestionFrame):
    """Any other question (numbers, dates, texts, tables, a further ranking): its aggregate over the
    nation, and the regions' summaries of it."""

    def __init__(self, question: Question, unit_key: str, can_be_skipped: bool) -> None:
        super().__init__(question)
        self.unit_key = unit_key
        layout = self.column
        self.note = wrapped_label()
        layout.addWidget(self.note)
        self.figures = AggregateFigures(question, unit_key, can_be_skipped)
        layout.addWidget(self.figures)
        self.summaries = Collapsible("Regionernas sammanfattningar av öppna svar",
                                     f"Regionernas sammanfattningar, fråga {question.number_text}")
        layout.addWidget(self.summaries)
        self.summaries.setVisible(unit_key != "region")  # answered per region: the texts are the answers
        self.show_aggregate(None)

    def show_aggregate(self, aggregate: Aggregate | None, names: Mapping[str, str] | None = None) -> None:
        """The nation's aggregate of the question; None: none yet."""
        set_label_text(self.note, "" if aggregate is not None
                       else NO_REGION_ANSWER if self.unit_key == "region" else NO_AGGREGATE)
        self.note.setVisible(aggregate is None)
        self.figures.show_aggregate(aggregate, names)

    def show_summaries(self, summaries: tuple[tuple[str, str], ...]) -> None:
        self.summaries.set_entries(summaries)


class _ViewportWidth(QObject):
    def __init__(self, view: NationalView) -> None:
        super().__init__(view)
        self.view = view

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Resize:
            self.view._apply_width(watched.width())
        return False


class NationalView(QWidget):
    """SKL's national compilation of the county files: live numbers and requests to the main window."""

    import_requested = Signal()
    export_requested = Signal(str)  # "xlsx", "pdf", "json", "docx" or "report_pdf"
    comparison_requested = Signal(str)  # a region's name
    failed = Signal(str)  # why the report could not be computed

    def __init__(self, store: Store, round_: Round, parent: QWidget | None = None,
                 pending: PendingWrites | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.round = round_
        # SKL's own texts of the report (Rapporttexter): sections above the results, an analysis per question
        self.pending = pending if pending is not None else PendingWrites(store, self)
        self.report_editor = ReportTextsEditor(store, round_, self.pending, self)
        self.report: NationalReport | None = None
        self.comparison: NationalComparison | None = None
        self.form: Form | None = None
        self._names: dict[str, str] | None = None
        self._dirty = False
        self._wide: bool | None = None
        self._toolbar_rows: list[int] | None = None
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(lambda: self.refresh())

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
        self.refresh()
        # The store cannot forget a listener: hold the view weakly, and ignore it once Qt has deleted it.
        ref = weakref.ref(self)
        store.on_change(lambda: notify_view(ref))

    # ------------------------------------------------------------------ building
    def _build_toolbar(self) -> QWidget:
        bar = QWidget()
        bar.setMinimumWidth(1)  # the buttons wrap into more rows instead (see _arrange_toolbar)
        self.toolbar = QVBoxLayout(bar)
        self.toolbar.setContentsMargins(8, 6, 8, 0)
        self.toolbar.setSpacing(4)
        self.import_button = QPushButton(IMPORT_TEXT)
        self.import_button.setAccessibleName(IMPORT_TEXT.rstrip("…"))
        self.import_button.setToolTip("Läs in regionernas länssammanställningar (Excel- eller JSON-filer)")
        self.import_button.clicked.connect(lambda _checked=False: self.import_requested.emit())
        self.export_buttons: dict[str, QPushButton] = {}
        for kind, text, tip in EXPORTS:
            button = QPushButton(text)
            button.setAccessibleName(text.rstrip("…"))
            button.setToolTip(tip)
            button.clicked.connect(lambda _checked=False, k=kind: self.export_requested.emit(k))
            self.export_buttons[kind] = button
        self.comparison_group = QWidget()
        group = QHBoxLayout(self.comparison_group)
        group.setContentsMargins(0, 0, 0, 0)
        group.setSpacing(6)
        caption = QLabel("Region:")
        self.region_box = QComboBox()
        self.region_box.setAccessibleName("Region att jämföra med riket")
        self.region_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for region in self.store.register.regions:
            self.region_box.addItem(region.name, region.name)
        caption.setBuddy(self.region_box)
        self.comparison_button = QPushButton(COMPARISON_TEXT)
        self.comparison_button.setAccessibleName(COMPARISON_TEXT.rstrip("…"))
        self.comparison_button.clicked.connect(lambda _checked=False: self._request_comparison())
        self.region_box.currentIndexChanged.connect(lambda _index: self._update_comparison())
        self.region_box.activated.connect(lambda _index: setattr(self, "_region_chosen", True))
        self._region_chosen = False  # until then the first region with a county file is offered
        group.addWidget(caption)
        group.addWidget(self.region_box)
        group.addWidget(self.comparison_button)
        self.compare_group = QWidget()
        rounds = QHBoxLayout(self.compare_group)
        rounds.setContentsMargins(0, 0, 0, 0)
        rounds.setSpacing(6)
        compare_caption = QLabel(COMPARE_CAPTION)
        self.compare_box = QComboBox()
        self.compare_box.setAccessibleName("Jämför med en tidigare omgång")
        self.compare_box.setToolTip("Visa varje fråga bredvid en tidigare omgång av samma enkät")
        self.compare_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        compare_caption.setBuddy(self.compare_box)
        self._fill_compare_box()
        self.compare_box.activated.connect(lambda _index: self.refresh())
        rounds.addWidget(compare_caption)
        rounds.addWidget(self.compare_box)
        self._arrange_toolbar(10_000)
        return bar

    def _fill_compare_box(self) -> None:
        """The earlier rounds of the survey, the previous first (chosen), then "Ingen jämförelse"."""
        earlier = self.store.earlier_rounds(self.round)
        wanted = ([(text, r.year if r else 0) for text, r in compare_choices(earlier)] if earlier
                  else [(NO_EARLIER_ROUND, 0)])
        have = [(self.compare_box.itemText(i), self.compare_box.itemData(i)) for i in range(self.compare_box.count())]
        if have == wanted:
            return
        self.compare_box.clear()
        for text, year in wanted:
            self.compare_box.addItem(text, year)
        self.compare_box.setEnabled(bool(earlier))
        # the first round of a survey has nothing to compare with: no chooser (as in the county view)
        self.compare_group.setHidden(not earlier)
        if getattr(self, "_toolbar_rows", None) is not None:  # built: arranged again with or without it
            self._arrange_toolbar(self.width())

    def compare_with(self) -> int | None:
        """The year of the earlier round chosen in "Jämför med" (None: no comparison)."""
        return self.compare_box.currentData() or None

    def _toolbar_items(self) -> list[QWidget]:
        shown = [] if self.compare_group.isHidden() else [self.compare_group]
        return [self.report_editor.toggle, self.import_button, *self.export_buttons.values(), self.comparison_group,
                *shown]

    def _arrange_toolbar(self, width: int) -> None:
        """Buttons in as few rows as fit the width (no horizontal scrolling on small screens)."""
        self._toolbar_rows = arrange_in_rows(self.toolbar, self._toolbar_items(), width, self._toolbar_rows)

    def _build_content(self) -> None:
        self.form = self.store.form_of(self.round)
        skippable = {qid for q in self.form.questions for o in q.options for qid in self.form.skipped_by(q.id, o.id)}
        self.content = QWidget()
        self.content.setObjectName("national_compilation")
        column = QVBoxLayout(self.content)
        column.setContentsMargins(8, 6, 8, 8)
        column.setSpacing(10)
        self.title = wrapped_label(rich=True)
        column.addWidget(self.title)

        per_region = self.form.unit_key == "region"
        received = "Regionernas svar" if per_region else "Inkomna länssammanställningar"
        import_text = REGION_IMPORT_TEXT if per_region else IMPORT_TEXT
        self.import_button.setText(import_text)
        self.import_button.setAccessibleName(import_text.rstrip("…"))
        self.import_button.setToolTip("Läs in regionernas svarsfiler (Excel- eller JSON-filer)" if per_region
                                      else "Läs in regionernas länssammanställningar (Excel- eller JSON-filer)")
        rates, rates_layout = _section_frame("national_rates")
        rates_layout.addWidget(QLabel(f"<b>{received}</b>"))
        regions = len(self.store.register.regions)
        headers = REGION_RATE_HEADERS if per_region else RATE_HEADERS
        self.rates_table = FittedTable(headers, regions + 1, f"{received} och svarsfrekvens per region",
                                       stretch=len(headers) - 1, numeric=(1, 2, 3))
        self.rates_table.set_bold_row(regions)
        rates_layout.addWidget(self.rates_table)
        self.summary_line = wrapped_label()
        self.summary_line.setAccessibleName(received)
        rates_layout.addWidget(self.summary_line)
        self.compare_line = wrapped_label()
        self.compare_line.setAccessibleName("Jämförelse med en tidigare omgång")
        self.compare_line.hide()
        rates_layout.addWidget(self.compare_line)
        column.addWidget(rates)

        self.sections: dict[str, NationalQuestionSection | NationalRankingSection | NationalAggregateSection] = {}
        self.question_tables: dict[str, FittedTable] = {}
        self.charts: dict[str, BarChart] = {}
        self.ranking_section: NationalRankingSection | None = None
        self.ranking_table: FittedTable | None = None
        unit_key = self.form.unit_key
        for question in self.form.questions:
            if question.type == "ranking" and self.ranking_section is None:
                # the regions' own ranking is of the first ranking question (survey/national.py)
                section = NationalRankingSection(question, unit_key, question.id in skippable)
                self.ranking_section = section
                self.ranking_table = section.table
            elif question.qtype.has_options and question.type != "ranking":
                section = NationalQuestionSection(question, question.id in skippable, unit_key)
                self.question_tables[question.id] = section.table
                self.charts[question.id] = section.chart
            else:
                section = NationalAggregateSection(question, unit_key, question.id in skippable)
            self.sections[question.id] = section
            column.addWidget(section)

        self.report_editor.build(self.form, column, 1, self.sections)  # the sections above the results
        others, others_layout = _section_frame("national_other_views")
        self.other_views = Collapsible("Övriga synpunkter från regionerna", "Övriga synpunkter från regionerna")
        others_layout.addWidget(self.other_views)
        others.setVisible(not per_region)  # a form answered per region has no county file's "övriga synpunkter"
        column.addWidget(others)
        column.addStretch(1)
        self.scroll.setWidget(self.content)
        self._wide = None
        self._apply_width(self.scroll.viewport().width())

    # ------------------------------------------------------------------ width
    def _apply_width(self, width: int) -> None:
        wide = width >= self.fontMetrics().averageCharWidth() * WIDE_CHARS
        if wide != self._wide:
            self._wide = wide
            for section in self.sections.values():
                if isinstance(section, NationalQuestionSection):
                    section.set_wide(wide)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._arrange_toolbar(self.width())

    # ------------------------------------------------------------------ public API
    def set_round(self, round_: Round) -> None:
        """Show another round; the widgets are rebuilt only when its form differs."""
        old = self.round.form_id
        self.round = round_
        self._fill_compare_box()
        if round_.form_id != old:
            self.report_editor.save_now()
            self.report_editor.round = round_
            self._build_content()
        else:
            self.report_editor.set_round(round_)
        self.scroll.verticalScrollBar().setValue(0)
        self.refresh()

    def selected_region(self) -> str:
        """The region chosen for "Län i jämförelse med riket"."""
        return self.region_box.currentData() or ""

    def select_region(self, region: str) -> None:
        found = self.store.register.find_region(region)
        index = self.region_box.findData(found.name if found is not None else region)
        if index >= 0:
            self._region_chosen = True
            self.region_box.setCurrentIndex(index)

    def scroll_to(self, question_id: str) -> None:
        """Scroll so that a question's section starts at the top."""
        self.content.layout().activate()
        self.scroll.verticalScrollBar().setValue(max(0, self.sections[question_id].y() - 6))

    def _request_comparison(self) -> None:
        region = self.selected_region()
        if region:
            self.comparison_requested.emit(region)

    def _update_comparison(self) -> None:
        region = self.selected_region()
        has_file = bool(self.report and region and any(r.region == region and r.has_file for r in self.report.regions))
        self.comparison_button.setEnabled(has_file)
        self.comparison_button.setToolTip(
            f"Spara {region}s siffror bredvid rikets som Excel-fil" if has_file
            else f"{region} har inte skickat in någon länssammanställning")

    # ------------------------------------------------------------------ refreshing
    def _store_changed(self) -> None:
        if not self.isVisible():
            self._dirty = True
            return
        self._refresh_timer.start()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self._dirty:
            self._refresh_timer.start()

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self.report_editor.save_now()  # typed in a report text, then another tab or window
        super().hideEvent(event)

    def refresh(self) -> None:
        """Recompute the national report from the county files in the store and show it."""
        self._refresh_timer.stop()
        self._dirty = False
        self.report_editor.show_texts()
        try:
            report = report_for(self.store, self.round)
            if report.unit_key == "region":  # the regions' own responses, not county files
                files = {region: state.label for region, state in self.store.states(self.round).items()}
            else:
                files = self.store.county_documents(self.round)
        except (StoreError, RefusedFile, KeyError, ValueError) as error:
            set_label_text(self.summary_line, f"Den nationella sammanställningen kunde inte beräknas: {error}")
            self.summary_line.setStyleSheet(WARNING_STYLE)
            self.failed.emit(str(error))
            return
        self.report = report
        self.summary_line.setStyleSheet("")
        set_label_text(self.title, f"<b>Nationell sammanställning – {esc(self.round.title)}</b><br>"
                                   f"{esc(self.form.title if self.form else '')}")
        self._show_rates(report, files)
        received = sum(r.has_file for r in report.regions)
        for result in report.questions:
            section = self.sections.get(result.question_id)
            if isinstance(section, NationalQuestionSection):
                section.show_result(result, report.total, received)
            elif isinstance(section, NationalAggregateSection):
                section.show_summaries(result.summaries)
        self.show_aggregates(national_aggregates(report))
        if self.ranking_section is not None:
            self.ranking_section.show_result(report.ranking, report.ranking_specify)
        self._show_comparison(report)
        self.other_views.set_entries(report.ovriga_synpunkter)
        if not self._region_chosen and not report.rate(self.selected_region() or report.regions[0].region).has_file:
            first = next((r.region for r in report.regions if r.has_file), None)
            if first is not None:
                self.region_box.setCurrentIndex(self.region_box.findData(first))
        self._update_comparison()
        self.report_editor.expand_summaries()
        self._arrange_toolbar(self.width())  # a region's name in the box may have grown

    def _show_comparison(self, report: NationalReport) -> None:
        """Every question beside the earlier round chosen in "Jämför med" (none: as without one)."""
        self._fill_compare_box()
        comparison, problem = None, ""
        try:
            comparison = national_comparison_for(self.store, self.round, self.compare_with(), report=report)
        except (StoreError, RefusedFile, KeyError, ValueError) as error:
            problem = f"Jämförelsen kunde inte beräknas: {error}"
        self.comparison = comparison
        set_label_text(self.compare_line, problem or (comparison_line(comparison, report.unit_key) if comparison else ""))
        self.compare_line.setStyleSheet(WARNING_STYLE if problem else "")
        self.compare_line.setVisible(bool(problem or comparison))
        for qid, section in self.sections.items():
            section.show_comparison(comparison.question(qid) if comparison else None, comparison)

    def show_aggregates(self, aggregates: Mapping[str, Aggregate]) -> None:
        """Show each question's aggregate over the nation (question id -> aggregate, survey/aggregates.py);
        a question without one says that there is nothing yet. Choices keep their own tables."""
        for qid, section in self.sections.items():
            if isinstance(section, (NationalAggregateSection, NationalRankingSection)):
                section.show_aggregate(aggregates.get(qid), self._unit_names())

    def _unit_names(self) -> dict[str, str]:
        """A text's unit as a name: a municipality's code -> its name (a region is named already)."""
        if self._names is None:
            self._names = {m.code: m.name for m in self.store.register.municipalities}
        return self._names

    def _show_rates(self, report: NationalReport, files: Mapping[str, tuple[dict, str, str] | str]) -> None:
        """files: region -> its county file (document, name, imported), or for a form answered per region
        the state of the region's response ("klar", "importerad", …)."""
        table = self.rates_table
        changed = False
        for row, rate in enumerate((*report.regions, report.total)):
            if rate is report.total:
                file_text = ""
            elif isinstance(files.get(rate.region), str):
                file_text = files[rate.region]
            elif rate.region in files:
                _document, file_name, imported = files[rate.region]
                file_text = imported_text(file_name, imported)
            else:
                file_text = MISSING
            changed |= table.set_row(row, (rate.region, str(rate.kommuner_totalt), str(rate.kommuner_svarat),
                                           f"{rate.svarsfrekvens} %", file_text))
            table.item(row, 4).setForeground(WARNING_COLOUR if file_text == MISSING else self.palette().text())
            index = self.region_box.findData(rate.region)
            if index >= 0:
                text = rate.region if rate.has_file else f"{rate.region} ({MISSING})"
                if self.region_box.itemText(index) != text:
                    self.region_box.setItemText(index, text)
        if changed:
            table.fit()
        set_label_text(self.summary_line, received_line(report))
