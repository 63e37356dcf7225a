"""SKL writes the report's own texts in the national view (Riket → Rapporttexter, issue 18).

The report template's sections (Förord, Sammanfattning och slutsatser, …) stand above the results,
each a text box with the template's guidance as its placeholder; under each question's results, with
the regions' summaries of the open answers opened above it, a box for SKL's analysis. A text is saved
a moment after typing stops, when the box loses focus and before the window closes; while another
program holds the database it is kept and written later (gui/pending.py), never lost. Undo is the
box's own (Ctrl+Z); each text's history is in the history dialog (Ctrl+H in the box, or its button).
"Gå till avsnitt…" (its button above the sections, or Ctrl+Shift+G while the view is shown) lists every
section and question by its heading; typing filters the list, Enter puts the cursor at the end of that text.

The national view owns one `ReportTextsEditor`; its widgets are only shown when "Rapporttexter" is on.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..store import Round, Store, StoreError
from ..store.pending import REPORT, PendingWrite
from ..survey.forms import Form, Question
from ..survey.report import ReportTemplate, texts_outside
from .county_view import GrowingTextEdit
from .labels import GO_TO_SECTION_SHORTCUT, GO_TO_SECTION_TEXT, WARNING_STYLE, esc, wrapped_label

SAVE_DELAY_MS = 800  # typing pauses this long: the text is saved
TOGGLE_TEXT = "Rapporttexter"
TOGGLE_TIP = "Skriv rapportens egna texter: förord, sammanfattning, bakgrund, genomförande och en analys under varje fråga"
OUTSIDE_HEADING = "Texter till avsnitt som inte finns i rapportmallen"
OUTSIDE_NOTE = ("Rapportmallen har inte längre dessa avsnitt, så texterna kommer inte med i rapporten. De är sparade: "
                "flytta dem till ett avsnitt ovan, eller töm rutan när de inte behövs.")
HISTORY_TEXT = "Historik…"
GO_TO_TIP = f"Välj ett avsnitt eller en frågas analys i en lista och skriv i den ({GO_TO_SECTION_SHORTCUT})"
SHOWN_CHARS = 90  # a question's text in the chooser is cut after this many characters


class ReportTextBox(GrowingTextEdit):
    """One report text: grows with its text; Tab moves on to the next box (Ctrl+Tab types a tab)."""

    def __init__(self, kind: str, key: str, accessible: str, placeholder: str, min_lines: int = 3,
                 max_lines: int = 18) -> None:
        super().__init__(min_lines, max_lines)
        self.kind, self.key = kind, key
        self.setAccessibleName(accessible)
        self.setPlaceholderText(placeholder)
        self.setObjectName(f"report_{kind}_{key}")


def _history_button(accessible: str) -> QToolButton:
    button = QToolButton()
    button.setText(HISTORY_TEXT)
    button.setAutoRaise(True)
    button.setAccessibleName(accessible)
    button.setToolTip("Alla ändringar av texten, äldst först (Ctrl+H i rutan)")
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from box to box; Ctrl+H in a box opens it
    return button


class _FocusOut(QObject):
    def __init__(self, editor: ReportTextsEditor) -> None:
        super().__init__(editor)
        self.editor = editor

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.FocusOut:
            self.editor.save_now()
        return False


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


class SectionChooser(QDialog):
    """Gå till avsnitt…: every report text by its heading, the sections first, then the questions'
    analyses. Typing filters (every word typed is in the heading), the arrows choose, Enter goes there."""

    def __init__(self, entries: list[tuple[str, str, tuple[str, str], bool]], parent: QWidget | None = None) -> None:
        """`entries`: (text shown, text searched, (kind, key) of the box, heading of a group)."""
        super().__init__(parent)
        self.setWindowTitle("Gå till avsnitt")
        self.setObjectName("report_go_to")
        self.resize(620, 460)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Skriv en del av rubriken, t.ex. förord eller 3)")
        self.filter.setAccessibleName("Sök avsnitt eller fråga")
        self.filter.setClearButtonEnabled(True)
        caption = QLabel("&Sök:")
        caption.setBuddy(self.filter)
        self.list = QListWidget()
        self.list.setAccessibleName("Rapportens avsnitt och frågornas analyser")
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay in the search box; the arrows move here
        self.searched: list[str] = []
        for shown, searched, target, group in entries:
            item = QListWidgetItem(shown)
            if group:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
                item.setFlags(Qt.ItemFlag.NoItemFlags)
            else:
                item.setData(Qt.ItemDataRole.UserRole, target)
                item.setToolTip(searched)
            self.list.addItem(item)
            self.searched.append(_folded(searched))
        self.empty = QLabel()
        self.empty.setObjectName("report_go_to_empty")
        self.empty.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Gå dit")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Avbryt")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(caption)
        row.addWidget(self.filter, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.buttons)
        self.filter.textChanged.connect(self._filter)
        self.filter.installEventFilter(self)
        self.list.itemActivated.connect(lambda _item: self.accept())
        self.list.itemClicked.connect(lambda item: self.list.setCurrentItem(item))
        self._filter("")

    def _choosable(self) -> list[int]:
        return [row for row in range(self.list.count())
                if not self.list.item(row).isHidden() and self.list.item(row).flags() & Qt.ItemFlag.ItemIsEnabled]

    def _filter(self, text: str) -> None:
        words = _folded(text).split()
        group_row, group_shown = None, False
        for row in range(self.list.count()):
            item = self.list.item(row)
            if not item.flags() & Qt.ItemFlag.ItemIsEnabled:  # a group's heading: shown when one of its is
                if group_row is not None:
                    self.list.item(group_row).setHidden(not group_shown)
                group_row, group_shown = row, False
                continue
            shown = all(word in self.searched[row] for word in words)
            item.setHidden(not shown)
            group_shown = group_shown or shown
        if group_row is not None:
            self.list.item(group_row).setHidden(not group_shown)
        rows = self._choosable()
        current = self.list.currentRow()
        if rows and current not in rows:
            self.list.setCurrentRow(rows[0])
        elif not rows:
            self.list.setCurrentRow(-1)
        self.empty.setText(f"Inget avsnitt eller fråga innehåller ”{text.strip()}”." if not rows else "")
        self.empty.setVisible(not rows)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(rows))

    def _step(self, steps: int) -> None:
        rows = self._choosable()
        if not rows:
            return
        current = self.list.currentRow()
        index = rows.index(current) if current in rows else -1
        index = max(0, min(len(rows) - 1, index + steps))
        self.list.setCurrentRow(rows[index])
        self.list.scrollToItem(self.list.currentItem())

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt API)
        if watched is self.filter and event.type() == QEvent.Type.KeyPress:
            page = max(1, self.list.viewport().height() // max(1, self.list.sizeHintForRow(0)) - 1)
            steps = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: page, Qt.Key.Key_PageUp: -page}
            if event.key() in steps:
                self._step(steps[event.key()])
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.accept()  # there when something matches; the chooser stays open when nothing does
                return True
        return False

    def accept(self) -> None:
        if self.chosen() is None:
            return
        super().accept()

    def chosen(self) -> tuple[str, str] | None:
        """(kind, key) of the text chosen, None when nothing matches."""
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return None
        target = item.data(Qt.ItemDataRole.UserRole)
        return tuple(target) if target else None


class ReportTextsEditor(QObject):
    """The report's text boxes in the national view, their saving and their history."""

    saved = Signal(str)  # the time, "hh:mm:ss"
    failed = Signal(str)  # the store's message
    history_requested = Signal(str, str)  # kind, key

    def __init__(self, store: Store, round_: Round, pending, parent: QWidget) -> None:
        super().__init__(parent)
        self.store = store
        self.round = round_
        self.pending = pending
        self.view = parent
        self.form: Form | None = None
        self.template: ReportTemplate | None = None
        self.boxes: dict[tuple[str, str], ReportTextBox] = {}
        self.analysis_widgets: dict[str, QWidget] = {}
        self.question_frames: dict[str, QWidget] = {}
        self._dirty: set[tuple[str, str]] = set()
        self._loading = False
        self._focus_out = _FocusOut(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save_now)
        self.toggle = QPushButton(TOGGLE_TEXT)
        self.toggle.setCheckable(True)
        self.toggle.setAccessibleName("Visa rapportens texter")
        self.toggle.setToolTip(TOGGLE_TIP)
        self.toggle.toggled.connect(self._set_shown)
        self.panel = QFrame()
        self.panel.setObjectName("report_sections")
        self.panel.setFrameShape(QFrame.Shape.StyledPanel)
        self.panel_layout = QVBoxLayout(self.panel)
        self.panel_layout.setContentsMargins(10, 8, 10, 10)
        self.panel.hide()
        self.go_to_button: QPushButton | None = None
        self.chooser: SectionChooser | None = None

    # ------------------------------------------------------------------ building
    @property
    def shown(self) -> bool:
        return self.toggle.isChecked()

    def build(self, form: Form, column: QVBoxLayout, index: int, frames: dict[str, QWidget]) -> None:
        """The sections' panel at `index` of the content's column, an analysis box in each question's frame
        (`frames`: question id -> its frame, whose `column` layout gets the box). Called when the national
        view builds its content (again for another form)."""
        self.save_now()
        self.form = form
        self.panel = QFrame()
        self.panel.setObjectName("report_sections")
        self.panel.setFrameShape(QFrame.Shape.StyledPanel)
        self.panel_layout = QVBoxLayout(self.panel)
        self.panel_layout.setContentsMargins(10, 8, 10, 10)
        self.panel_layout.setSpacing(6)
        column.insertWidget(index, self.panel)
        self.boxes = {}
        self.analysis_widgets = {}
        self.question_frames = dict(frames)
        self._build_sections()
        label = self.template.analysis_label if self.template is not None else "Analys"
        for question in form.questions:
            frame = frames.get(question.id)
            if frame is None:
                continue
            widget = self._analysis_widget(question, label)
            frame.column.addWidget(widget)
            self.analysis_widgets[question.id] = widget
        self._chain_tab_order()
        self.show_texts(force=True)
        self._set_shown(self.shown)

    def _clear_panel(self) -> None:
        while self.panel_layout.count():
            item = self.panel_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for key in [k for k in self.boxes if k[0] == "section"]:
            del self.boxes[key]

    def _build_sections(self) -> None:
        """The template's sections as text boxes (heading, indented by level, guidance as placeholder)."""
        self._clear_panel()
        try:
            self.template = self.store.report_template(self.round)
        except StoreError as error:
            self.template = None
            problem = wrapped_label(str(error))
            problem.setStyleSheet(WARNING_STYLE)
            self.panel_layout.addWidget(problem)
            return
        template = self.template
        intro = wrapped_label(
            f"<b>{esc(template.title)} – {esc(self.round.title)}</b><br>Rapportens egna texter, i rapportens "
            "ordning. Frågornas analyser skrivs under varje fråga nedan. En tom rad skiljer stycken, "
            "<i>## Rubrik</i> ger en underrubrik och rader som börjar med <i>- </i> en punktlista. "
            "Texterna sparas medan du skriver.", rich=True)
        row = QHBoxLayout()
        row.addWidget(intro, 1)
        self.go_to_button = QPushButton(GO_TO_SECTION_TEXT)
        self.go_to_button.setToolTip(GO_TO_TIP)
        self.go_to_button.setAccessibleName(GO_TO_SECTION_TEXT.rstrip("…"))
        self.go_to_button.clicked.connect(lambda _checked=False: self.choose_text())
        row.addWidget(self.go_to_button, 0, Qt.AlignmentFlag.AlignTop)
        self.panel_layout.addLayout(row)
        for section in template.sections:
            placement = " (före innehållsförteckningen)" if section.placement == "before_contents" else ""
            placeholder = section.guidance or f"Skriv avsnittet {section.heading} här."
            box = ReportTextBox("section", section.id, f"Rapporttext: {section.heading}", placeholder,
                                min_lines=4 if section.level == 1 else 3)
            self.panel_layout.addWidget(self._labelled(box, section.heading, section.level, placement))
            self._watch(box)
        self._build_outside()

    def _build_outside(self) -> None:
        """Texts of sections the template no longer has: kept and editable, under a heading of their own."""
        if self.template is None:
            return
        outside = texts_outside(self.template, self.store.report_texts(self.round))
        if not outside:
            return
        heading = wrapped_label(f"<b>{esc(OUTSIDE_HEADING)}</b>", rich=True)
        heading.setObjectName("report_outside_heading")
        self.panel_layout.addWidget(heading)
        self.panel_layout.addWidget(wrapped_label(OUTSIDE_NOTE))
        for _kind, key, _text in outside:
            box = ReportTextBox("section", key, f"Text utanför rapportmallen: {key}", "", min_lines=2)
            self.panel_layout.addWidget(self._labelled(box, f"Avsnittet {key!r} (inte i mallen)", 2, ""))
            self._watch(box)

    def _labelled(self, box: ReportTextBox, heading: str, level: int, note: str) -> QWidget:
        widget = QWidget()
        layout = QVBoxLayout(widget)
        layout.setContentsMargins(0 if level == 1 else 24, 4 if level == 1 else 0, 0, 0)
        layout.setSpacing(2)
        row = QHBoxLayout()
        size = "font-size: 115%;" if level == 1 else ""
        caption = QLabel(f"<span style='{size}'><b>{esc(heading)}</b></span>{esc(note)}")
        caption.setBuddy(box)
        row.addWidget(caption, 1)
        history = _history_button(f"Historik: {heading}")
        history.clicked.connect(lambda _checked=False, b=box: self.history_requested.emit(b.kind, b.key))
        row.addWidget(history)
        layout.addLayout(row)
        layout.addWidget(box)
        self.boxes[(box.kind, box.key)] = box
        return widget

    def _analysis_widget(self, question: Question, label: str) -> QWidget:
        placeholder = (f"SKL:s {label.lower()} av fråga {question.number_text}, utifrån resultaten och regionernas "
                       "sammanfattningar ovan.")
        box = ReportTextBox("analysis", question.id, f"{label}, fråga {question.number_text}", placeholder)
        self._watch(box)
        widget = self._labelled(box, label, 1, "")
        widget.setObjectName(f"report_analysis_{question.id}")
        widget.layout().setContentsMargins(0, 6, 0, 0)
        return widget

    def _watch(self, box: ReportTextBox) -> None:
        box.installEventFilter(self._focus_out)
        box.textChanged.connect(lambda b=box: self._typed(b))

    def _chain_tab_order(self) -> None:
        """Tab goes from box to box in the report's order: the sections, then each question's analysis."""
        boxes = self.ordered_boxes()
        for first, second in zip(boxes, boxes[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def ordered_boxes(self) -> list[ReportTextBox]:
        sections = [b for (kind, _key), b in self.boxes.items() if kind == "section"]
        analyses = [self.boxes[("analysis", q.id)] for q in (self.form.questions if self.form else ())
                    if ("analysis", q.id) in self.boxes]
        return sections + analyses

    # ------------------------------------------------------------------ showing
    def set_round(self, round_: Round) -> None:
        """Another round of the same form: its own template's sections and its own texts."""
        self.save_now()
        self.round = round_
        self._build_sections()
        self._chain_tab_order()
        self.show_texts(force=True)
        self._set_shown(self.shown)

    def _set_shown(self, shown: bool) -> None:
        if self.toggle.isChecked() != shown:
            self.toggle.setChecked(shown)  # comes back here through toggled
            return
        self.save_now()
        self.panel.setVisible(shown)
        for qid, widget in self.analysis_widgets.items():
            widget.setVisible(shown)
            summaries = getattr(self.question_frames.get(qid), "summaries", None)
            if shown and summaries is not None and summaries.lines:
                summaries.set_expanded(True)  # the regions' words, to write the analysis from

    def show_texts(self, force: bool = False) -> None:
        """The stored texts, with what is kept for a busy database on top. A box being typed in, or with
        typing not yet saved, is left as it is unless `force`."""
        try:
            texts = self.store.report_texts(self.round)
        except StoreError as error:
            self.failed.emit(str(error))
            return
        if self.template is not None and any(key not in self.template.section_ids() and ("section", key) not in self.boxes
                                             for key in texts.sections):
            self._build_sections()  # a text outside the template written elsewhere: shown too
            self._chain_tab_order()
        kept = {(write.target, key): value for write in (self.pending.queue if self.pending else ())
                if write.concerns(REPORT, self.round.id, write.target) for key, value in write.values.items()}
        self._loading = True
        try:
            for (kind, key), box in self.boxes.items():
                if not force and (box.hasFocus() or (kind, key) in self._dirty):
                    continue
                stored = texts.section(key) if kind == "section" else texts.analysis(key)
                text = kept.get((kind, key), stored)
                text = "" if text is None else str(text)
                if box.toPlainText() != text:
                    box.setPlainText(text)
                if force:
                    self._dirty.discard((kind, key))
        finally:
            self._loading = False

    def expand_summaries(self) -> None:
        if self.shown:
            self._set_shown(True)

    # ------------------------------------------------------------------ saving
    def _typed(self, box: ReportTextBox) -> None:
        if self._loading:
            return
        self._dirty.add((box.kind, box.key))
        self._timer.start()

    def save_now(self) -> bool:
        """Hand every text typed since the last save to the store (kept if the database is busy);
        False when the store refused one (the message went to `failed`)."""
        self._timer.stop()
        ok = True
        for kind, key in sorted(self._dirty):
            box = self.boxes.get((kind, key))
            self._dirty.discard((kind, key))
            if box is None:
                continue
            try:
                written = self.pending.submit(PendingWrite(REPORT, self.round.id, kind, {key: box.toPlainText()}))
            except StoreError as error:
                ok = False
                self.failed.emit(str(error))
                continue
            if written:
                self.saved.emit(datetime.now().strftime("%H:%M:%S"))
        return ok

    # ------------------------------------------------------------------ going to a text
    def go_to_entries(self) -> list[tuple[str, str, tuple[str, str], bool]]:
        """The chooser's rows: each section's box by its heading as shown (a subsection indented), then each
        question's analysis by the question's label and text ("3) Vilka …"), under a heading of their own."""
        entries: list[tuple[str, str, tuple[str, str], bool]] = []
        template = self.template
        levels = {s.id: s.level for s in template.sections} if template is not None else {}
        headings = {s.id: s.heading for s in template.sections} if template is not None else {}
        for kind, key in self.boxes:
            if kind != "section":
                continue
            heading = headings.get(key, f"Avsnittet {key!r} (inte i mallen)")
            indent = "    " if levels.get(key, 1) == 2 else ""
            entries.append((indent + heading, heading, (kind, key), False))
        label = template.analysis_label if template is not None else "Analys"
        questions = [q for q in (self.form.questions if self.form else ()) if ("analysis", q.id) in self.boxes]
        if questions:
            entries.append((f"{label} under frågorna", "", ("", ""), True))
        for question in questions:
            text = " ".join(question.text.split())
            shown = f"{question.label} {text}"
            if len(shown) > SHOWN_CHARS:
                shown = shown[:SHOWN_CHARS - 1].rstrip() + "…"
            heading = f"{question.number}) {question.heading} " if question.heading else ""
            entries.append((shown, f"{heading}{question.label} {text} – {label}", ("analysis", question.id), False))
        return entries

    def choose_text(self) -> None:
        """Gå till avsnitt…: the chooser, over the view; Enter goes to the text chosen, Escape back where
        the keyboard was."""
        if not self.boxes or not self.view.isVisible():  # another tab shown: nothing of the texts to go to
            return
        if self.chooser is not None and self.chooser.isVisible():
            self.chooser.raise_()
            self.chooser.activateWindow()
            return
        previous = QApplication.focusWidget()
        chooser = SectionChooser(self.go_to_entries(), self.view)
        self.chooser = chooser

        def done(result: int) -> None:
            target = chooser.chosen() if result == QDialog.DialogCode.Accepted else None
            self.chooser = None
            chooser.deleteLater()
            self.view.window().activateWindow()  # the keyboard back in the window, whatever the window manager does
            if target is not None and self.go_to(*target):
                return
            if previous is not None:
                try:
                    previous.setFocus(Qt.FocusReason.OtherFocusReason)
                except RuntimeError:  # the widget is gone (the view was rebuilt)
                    pass

        chooser.finished.connect(done)
        chooser.open()
        chooser.filter.setFocus(Qt.FocusReason.OtherFocusReason)

    def go_to(self, kind: str, key: str) -> bool:
        """The texts shown, the page scrolled to the box, the cursor at the end of its text."""
        box = self.boxes.get((kind, key))
        if box is None:
            return False
        if not self.shown:
            self.toggle.setChecked(True)
        box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        cursor = box.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        box.setTextCursor(cursor)
        self.scroll_to_box(box)
        QTimer.singleShot(0, lambda: self.scroll_to_box(box))  # again once the layouts of shown widgets settled
        return True

    def scroll_to_box(self, box: ReportTextBox) -> None:
        """Its heading and the cursor in the view's scroll area (when there is one)."""
        scroll = getattr(self.view, "scroll", None)
        try:
            if scroll is None or scroll.widget() is None or not box.isVisible():
                return
        except RuntimeError:  # deleted meanwhile
            return
        scroll.widget().layout().activate()
        scroll.ensureWidgetVisible(box.parentWidget() or box, 0, 20)
        point = box.viewport().mapTo(scroll.widget(), box.cursorRect().center())
        scroll.ensureVisible(point.x(), point.y(), 0, 40)

    def focused_text(self) -> tuple[str, str] | None:
        """(kind, key) of the box with the keyboard focus, if any."""
        for key, box in self.boxes.items():
            if box.hasFocus():
                return key
        return None

    def focus_first(self) -> None:
        """The first empty box (else the first), scrolled into view by the caller."""
        boxes = self.ordered_boxes()
        if boxes:
            target = next((b for b in boxes if not b.toPlainText().strip()), boxes[0])
            target.setFocus(Qt.FocusReason.OtherFocusReason)


def describe_text(store: Store, round_: Round, kind: str, key: str) -> str:
    """A report text as the history names it: "Förord", "Analys, fråga 3"."""
    if kind == "analysis":
        try:
            question = store.form_of(round_).question(key)
        except (KeyError, StoreError):
            return f"Analys, fråga {key}"
        return f"Analys, fråga {question.number_text}"
    try:
        return store.report_template(round_).section(key).heading
    except (KeyError, StoreError):
        return key


def report_text_history_dialog(store: Store, round_: Round, kind: str, key: str, parent: QWidget | None = None):
    """The history dialog (gui/history_dialog.py) of one report text: every saved version, oldest first."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTableView

    from .history_dialog import EMPTY, HistoryModel

    name = describe_text(store, round_, kind, key)

    class Model(HistoryModel):
        def text(self, row: int, column: int) -> str:
            item = self.rows[row]
            if column == 1:
                return name
            if column in (2, 3):
                value = item.old if column == 2 else item.new
                return value if value and value.strip() else EMPTY
            return super().text(row, column)

    dialog = QDialog(parent)
    dialog.setWindowTitle(f"Historik – {name}")
    dialog.resize(1000, 520)
    model = Model(store.form_of(round_), store.report_text_history(round_, kind, key), dialog)
    intro = QLabel(f"Alla sparade versioner av rapporttexten {name} ({round_.title}), äldst först. "
                   "Texten sparas när du gör en paus i skrivandet; håll musen över en cell för hela texten. "
                   "Historiken kan inte ändras." if model.rowCount() else "Inga ändringar än.")
    intro.setWordWrap(True)
    table = QTableView()
    table.setModel(model)
    table.setAccessibleName(f"Historik för {name}")
    table.verticalHeader().hide()
    table.setWordWrap(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.resizeColumnsToContents()
    for column, width in {1: 130, 2: 260, 3: 260, 4: 100}.items():
        table.setColumnWidth(column, width)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.button(QDialogButtonBox.StandardButton.Close).setText("Stäng")
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(intro)
    layout.addWidget(table, 1)
    if not model.rowCount():  # nothing saved yet: the message alone, as a response's history says it
        table.hide()
        layout.addStretch(1)
        dialog.resize(420, 160)
    layout.addWidget(buttons)
    dialog.model, dialog.table = model, table
    return dialog


__all__ = ["OUTSIDE_HEADING", "ReportTextBox", "ReportTextsEditor", "SectionChooser",
           "describe_text", "report_text_history_dialog"]
