"""The questionnaire, generated from the form definition: no hand-made widget per question.

Every change is saved at once through the store (one transaction each) and pushed on an undo
stack; undo and redo save too. Text typed into a field is saved key by key and merged into one
undo step per field. While another program holds the database, changes are kept (gui/pending.py):
the fields show them as typed, and they are written when the database is free. Questions skipped
by an answer (question 1 = Nej) are greyed out, and answers they already hold are never cleared
without asking.

Beside each question, in quieter text, the unit's answer in the round compared with (the previous
round of the same survey unless another is chosen above the form; survey/comparison.py maps it to
this round's questions), and `copy_earlier_answer` (Svar → Hämta förra omgångens svar, Ctrl+Shift+K)
copies it into the question in focus as one change that Ctrl+Z undoes; an answer that skips later
questions which have answers asks first, as choosing it does.
"""

from __future__ import annotations

import re
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QPalette, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..exchange.aggregate_text import answer_details, answer_text
from ..store import ResponseRecord, Round, Store, StoreError
from ..store.pending import META_PREFIX, RESPONSE, PendingWrite
from ..survey.answers import (
    ANSWER_MODES,
    RESPONDENT_PREFIX,
    TICK,
    Answers,
    repeated_ranks,
    respondent_fields,
    response_state,
    skipped_questions,
)
from ..survey.comparison import Counterpart, counterparts, earlier_answers, without_counterpart
from ..survey.forms import Form, Question
from .labels import NO_MUNICIPALITY_CHOSEN, compare_choices, esc, question_heading
from .pending import PendingWrites, with_pending_fields
from .value_inputs import value_input_for

DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TEXT_MERGE_ID = 1
EARLIER_STYLE = "color: #666; font-size: 9pt;"  # the earlier round's answer: quieter than this round's
EARLIER_CHARS = 90  # an earlier answer longer than this is shortened, in full in its tooltip
COPY_SHORTCUT = "Ctrl+Shift+K"


class FieldCommand(QUndoCommand):
    """A change of one or more fields: redo saves the new values, undo the old ones."""

    def __init__(self, view: QuestionnaireView, changes: dict[str, tuple[str | None, str | None]], text: str,
                 mergeable: bool = False) -> None:
        super().__init__(text)
        self.view = view
        self.changes = dict(changes)
        self.mergeable = mergeable
        self.failed = False

    def id(self) -> int:  # noqa: A003 (Qt API)
        return TEXT_MERGE_ID if self.mergeable else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt API)
        if not isinstance(other, FieldCommand) or not other.mergeable or set(other.changes) != set(self.changes):
            return False
        for key, (_old, new) in other.changes.items():
            self.changes[key] = (self.changes[key][0], new)
        return True

    def redo(self) -> None:
        self.failed = not self.view.apply({k: new for k, (_old, new) in self.changes.items()})
        if self.failed:
            # Refused by the store, nothing saved: an obsolete command is dropped, not kept to undo.
            self.setObsolete(True)

    def undo(self) -> None:
        self.view.apply({k: old for k, (old, _new) in self.changes.items()})


class _UndoKeysToWindow(QObject):
    """Lets Ctrl+Z / Ctrl+Shift+Z reach the questionnaire's undo, not a text field's own."""

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.ShortcutOverride and (
            event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo)
            or event.keyCombination().toCombined() == QKeySequence("Ctrl+Shift+Z")[0].toCombined()
        ):
            event.ignore()
            return True
        return False


class _ArrowKeysBetweenOptions(QObject):
    """Up/Down (and Left/Right) move the focus between a question's options.

    In a single-choice question the arrow also chooses the option it lands on, as in any radio
    group on Windows (an interviewer who arrows to "Nej" has answered "Nej"); the choice goes
    through the button's click, so skip questions and saving work as for a mouse click. In a
    multi-choice question the arrows only move, and Space ticks.
    """

    def __init__(self, card: QuestionCard) -> None:
        super().__init__(card)
        self.card = card

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt API)
        if event.type() != QEvent.Type.KeyPress or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_Left: -1}.get(event.key())
        buttons = list(self.card.buttons.values())
        if step is None or watched not in buttons:
            return False
        target = buttons.index(watched) + step
        if 0 <= target < len(buttons):
            button = buttons[target]
            button.setFocus(Qt.FocusReason.TabFocusReason)
            if self.card.question.type == "single" and not button.isChecked():
                button.click()
        return True


class OptionLabel(QLabel):
    """An option's text, wrapped; a click on it ticks its button as a click on the box would."""

    def __init__(self, text: str, button: QAbstractButton) -> None:
        super().__init__(text)
        self.button = button
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setBuddy(button)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if event.button() == Qt.MouseButton.LeftButton and self.button.isEnabled():
            self.button.setFocus(Qt.FocusReason.MouseFocusReason)
            self.button.click()
        super().mouseReleaseEvent(event)


class QuestionCard(QFrame):
    """One question: number, text, help, its options, "ange" fields and a comment."""

    def __init__(self, question: Question) -> None:
        super().__init__()
        self.question = question
        self.setObjectName(f"question_{question.id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(10, 8, 10, 8)
        self.title = question_heading(question)
        self.layout_.addWidget(self.title)
        # The unit's answer in the round compared with ("2011: Ja"), set by the view; hidden when there is none.
        self.earlier_label = QLabel()
        self.earlier_label.setObjectName("earlier_answer")
        self.earlier_label.setTextFormat(Qt.TextFormat.PlainText)
        self.earlier_label.setStyleSheet(EARLIER_STYLE)
        self.earlier_label.setWordWrap(True)
        self.earlier_label.hide()
        self.layout_.addWidget(self.earlier_label)
        self.skip_note = QLabel()
        self.skip_note.setStyleSheet("color: #8a5a00;")
        self.skip_note.setWordWrap(True)
        self.skip_note.hide()
        self.layout_.addWidget(self.skip_note)
        if question.introduction:
            intro = QLabel(question.introduction)
            intro.setWordWrap(True)
            self.layout_.addWidget(intro)
        if question.instruction:
            instruction = QLabel(f"<i>{esc(question.instruction)}</i>")
            instruction.setWordWrap(True)
            self.layout_.addWidget(instruction)
        self.options_box = QWidget()
        self.grid = QGridLayout(self.options_box)
        self.grid.setContentsMargins(12, 0, 0, 0)
        self.grid.setColumnStretch(1, 1)
        self.layout_.addWidget(self.options_box)
        self.buttons: dict[str, QAbstractButton] = {}
        self.labels: dict[str, OptionLabel] = {}
        self.arrow_keys = _ArrowKeysBetweenOptions(self)
        self.spins: dict[str, QSpinBox] = {}
        self.specify: dict[str, QLineEdit] = {}
        self.group: QButtonGroup | None = None
        self.value_input: QWidget | None = None  # a number, date, text or table (gui/value_inputs.py)
        self.clear_button: QToolButton | None = None
        self.rank_warning = QLabel()
        self.rank_warning.setStyleSheet("color: #b00020;")
        self.rank_warning.hide()
        self.comment = QPlainTextEdit()
        self.comment.setTabChangesFocus(True)
        self.comment.setPlaceholderText("Kommentar (valfritt)")
        self.comment.setAccessibleName(f"Kommentar till fråga {question.number_text}")
        self.comment.setFixedHeight(52)
        if question.help:
            self.help_button = QToolButton()
            self.help_button.setText("Visa hjälp")
            self.help_button.setCheckable(True)
            self.help_button.setAccessibleName(f"Hjälp till fråga {question.number_text}")
            self.help = QLabel(question.help)
            self.help.setWordWrap(True)
            self.help.setStyleSheet("color: #444; font-size: 9pt;")
            self.help.hide()
            self.help_button.toggled.connect(self.help.setVisible)
            self.help_button.toggled.connect(lambda on: self.help_button.setText("Dölj hjälp" if on else "Visa hjälp"))
        else:
            self.help_button = None

    def first_input(self) -> QWidget:
        if self.value_input is not None:
            return getattr(self.value_input, "edit", None) or getattr(self.value_input, "first_cell", lambda: None)() \
                or self.value_input
        if self.spins:
            return next(iter(self.spins.values()))
        checked = [b for b in self.buttons.values() if b.isChecked()]
        return checked[0] if checked else next(iter(self.buttons.values()))


class QuestionnaireView(QWidget):
    """One municipality's questionnaire; requests (finish, history, reopen) go to the main window."""

    saved = Signal(str)
    failed = Signal(str)
    finish_requested = Signal()
    reopen_requested = Signal()
    history_requested = Signal()

    def __init__(self, store: Store, round_: Round, undo_stack: QUndoStack, parent: QWidget | None = None,
                 pending: PendingWrites | None = None) -> None:
        """`undo_stack` is the main window's, whose Edit menu undoes and redoes from it; `pending`
        the window's queue of writes the database could not take yet."""
        super().__init__(parent)
        self.store = store
        self.pending = pending if pending is not None else PendingWrites(store, self)
        self.pending.written.connect(self._pending_done)
        self.pending.refused.connect(self._pending_done)
        self.round = round_
        self.form: Form = store.form_of(round_)
        self.kommun: str | None = None
        self.record: ResponseRecord | None = None
        self.fields: dict[str, str] = {}
        self.meta: dict[str, str | None] = {}
        self._loading = False
        self.undo_stack = undo_stack
        self._undo_filter = _UndoKeysToWindow(self)
        self.cards: dict[str, QuestionCard] = {}
        self.content: QWidget | None = None  # the form itself, built when a municipality is first opened
        # The round compared with: its form, this round's questions' counterparts in it, and the unit's
        # answers then (`earlier_raw` by that round's ids, `earlier` by this round's); None: nothing to show.
        self.compare_round: Round | None = None
        self.compare_form: Form | None = None
        self.matches: dict[str, Counterpart] = {}
        self.earlier_raw: Answers | None = None
        self.earlier: Answers | None = None
        self._build()
        self._set_compare_round(self._default_compare_round())
        self.load(None)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.setContentsMargins(8, 6, 8, 0)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.status_label = QLabel()
        self.finish_button = QPushButton("Markera som klar…")
        self.finish_button.setAccessibleName("Markera som klar")
        self.reopen_button = QPushButton("Öppna igen…")
        self.history_button = QPushButton("Historik…")
        top.addWidget(self.heading, 1)
        top.addWidget(self.status_label)
        top.addWidget(self.history_button)
        top.addWidget(self.reopen_button)
        top.addWidget(self.finish_button)
        outer.addLayout(top)
        self.locked_banner = QLabel("Svaret är markerat som klart och är låst. Välj ”Öppna igen…” för att ändra det.")
        self.locked_banner.setStyleSheet("background: #e8f3e8; padding: 6px; border: 1px solid #9c9;")
        self.locked_banner.setWordWrap(True)
        outer.addWidget(self.locked_banner)
        self.compare_bar = QWidget()
        compare = QHBoxLayout(self.compare_bar)
        compare.setContentsMargins(8, 0, 8, 0)
        self.compare_box = QComboBox()
        self.compare_box.setAccessibleName("Jämför med omgång")
        self.compare_box.activated.connect(lambda index: self.compare_with(self.compare_box.itemData(index)))
        compare_label = QLabel("&Jämför med:")
        compare_label.setBuddy(self.compare_box)
        self.compare_note = QLabel()
        self.compare_note.setObjectName("compare_note")
        self.compare_note.setStyleSheet(EARLIER_STYLE)
        self.compare_note.setWordWrap(True)
        compare.addWidget(compare_label)
        compare.addWidget(self.compare_box)
        compare.addWidget(self.compare_note, 1)
        outer.addWidget(self.compare_bar)
        self.empty_label = QLabel(NO_MUNICIPALITY_CHOSEN)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.empty_label)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Not a tab stop of its own: it would be a stop with nothing to see between the buttons
        # above and the first field. Tab still scrolls it to the field that gets the focus.
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        outer.addWidget(self.scroll, 1)

        self.finish_button.clicked.connect(self.finish_requested)
        self.reopen_button.clicked.connect(self.reopen_requested)
        self.history_button.clicked.connect(self.history_requested)

    def _build_content(self) -> None:
        """The form's widgets: hundreds of them, so made only when a municipality is opened (start-up time)."""
        if self.content is not None:
            return
        self.content = QWidget()
        self.content.setObjectName("questionnaire")
        column = QVBoxLayout(self.content)
        column.setSpacing(10)
        title = QLabel(f"<b>{esc(self.form.title)}</b>")
        title.setWordWrap(True)
        column.addWidget(title)
        column.addWidget(self._build_header())
        for question in self.form.questions:
            card = self._build_question(question)
            self.cards[question.id] = card
            column.addWidget(card)
        if self.form.closing:
            closing = QLabel(self.form.closing.split("\n")[0])
            column.addWidget(closing)
        column.addStretch(1)
        self.scroll.setWidget(self.content)

    def _line_edit(self, key: str, accessible: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(accessible)
        edit.setPlaceholderText(placeholder)
        edit.installEventFilter(self._undo_filter)
        edit.textEdited.connect(lambda text, k=key: self._text_changed(k, text))
        return edit

    def _build_header(self) -> QWidget:
        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        form = QFormLayout(box)
        form.addRow(QLabel(f"<b>{esc(self.form.header_title or 'Uppgiftslämnare')}</b>"))
        self.kommun_label = QLabel()
        form.addRow(f"{self.unit_word}:", self.kommun_label)
        # The respondent's fields are the form's own (its `header`), e.g. name and title.
        self.header_edits = {}
        for header in respondent_fields(self.form):
            key = f"{RESPONDENT_PREFIX}.{header.id}"
            title = self.form.header_title or "Uppgiftslämnare"
            self.header_edits[key] = self._line_edit(key, f"{title}: {header.label}", header.placeholder)
            form.addRow(f"{header.label}:", self.header_edits[key])
        self.mode_box = QComboBox()
        self.mode_box.setAccessibleName("Svarssätt")
        self.mode_box.addItem("– välj –", None)
        for key, label in ANSWER_MODES.items():
            self.mode_box.addItem(label, key)
        self.mode_box.activated.connect(self._mode_changed)
        form.addRow("Svarssätt:", self.mode_box)
        self.date_edit = self._line_edit(f"{META_PREFIX}datum", "Datum", "ÅÅÅÅ-MM-DD")
        self.date_error = QLabel()
        self.date_error.setStyleSheet("color: #b00020;")
        self.date_error.hide()
        date_box = QWidget()
        date_layout = QVBoxLayout(date_box)
        date_layout.setContentsMargins(0, 0, 0, 0)
        date_layout.setSpacing(2)
        date_layout.addWidget(self.date_edit)
        date_layout.addWidget(self.date_error)
        form.addRow("Datum:", date_box)
        self.interviewer_edit = self._line_edit(f"{META_PREFIX}intervjuare", "Intervjuare")
        form.addRow("Intervjuare:", self.interviewer_edit)
        return box

    def _build_question(self, question: Question) -> QuestionCard:
        card = QuestionCard(question)
        grid, row = card.grid, 0
        if question.type == "single":
            card.group = QButtonGroup(card)
            card.group.setExclusive(False)  # lets a choice be cleared; exclusivity is kept by _choice
        for option in question.options:
            name = f"Fråga {question.number_text}: {option.label}"
            if question.type == "ranking":
                spin = QSpinBox()
                spin.setRange(0, question.max_rank)
                spin.setSpecialValueText("–")
                spin.setAccessibleName(f"Rang för {option.label}")
                spin.setFixedWidth(60)
                spin.valueChanged.connect(lambda value, q=question, o=option.id: self._rank_changed(q, o, value))
                label = QLabel(option.label)
                label.setWordWrap(True)
                label.setBuddy(spin)
                card.spins[option.id] = spin
                grid.addWidget(spin, row, 0, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(label, row, 1)
            else:
                # The text is a separate, word-wrapped label (a button's own text never wraps);
                # clicking it ticks the button, and the button carries the text as its accessible name.
                button: QAbstractButton = QRadioButton() if question.type == "single" else QCheckBox()
                button.setAccessibleName(name)
                if isinstance(button, QRadioButton):
                    button.setAutoExclusive(False)
                    card.group.addButton(button)  # type: ignore[union-attr]
                button.toggled.connect(lambda on, q=question, o=option.id: self._ticked(q, o, on))
                button.installEventFilter(card.arrow_keys)
                label = OptionLabel(option.label, button)
                card.buttons[option.id] = button
                card.labels[option.id] = label
                grid.addWidget(button, row, 0, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(label, row, 1)
            row += 1
            if option.description:
                description = QLabel(option.description)
                description.setWordWrap(True)
                description.setStyleSheet("color: #444; font-size: 9pt;")
                grid.addWidget(description, row, 1)
                row += 1
            if option.specify:
                key = f"{question.id}.{option.id}.ange"
                edit = self._line_edit(key, f"Fråga {question.number_text}: {option.label} – text", "ange …")
                edit.hide()
                card.specify[option.id] = edit
                grid.addWidget(edit, row, 1)
                row += 1
        if not question.qtype.has_options:
            card.value_input = value_input_for(question, self._undo_filter)
            card.value_input.edited.connect(lambda key, value, q=question: self._value_edited(q, key, value))
            grid.addWidget(card.value_input, row, 0, 1, 2)
            row += 1
        if question.type == "single":
            card.clear_button = QToolButton()
            card.clear_button.setText("Rensa svaret")
            card.clear_button.setAccessibleName(f"Rensa svaret på fråga {question.number_text}")
            card.clear_button.clicked.connect(lambda _=False, q=question: self._clear_choice(q))
            grid.addWidget(card.clear_button, row, 0, 1, 2, Qt.AlignmentFlag.AlignLeft)
            row += 1
        if question.type == "ranking":
            grid.addWidget(card.rank_warning, row, 0, 1, 2)
            row += 1
        card.layout_.addWidget(card.comment)
        card.comment.installEventFilter(self._undo_filter)
        card.comment.textChanged.connect(lambda q=question, c=card: self._comment_changed(q, c))
        if card.help_button is not None:
            card.layout_.addWidget(card.help_button, 0, Qt.AlignmentFlag.AlignLeft)
            card.layout_.addWidget(card.help)
        return card

    # ------------------------------------------------------------------ loading
    def set_round(self, round_: Round) -> None:
        """Show another round, at the same municipality. A round with another form (a new survey
        year) gets that form's widgets, made again by the next load; a form answered by other units
        (per region instead of per municipality) shows no unit until one is loaded."""
        form = self.store.form_of(round_)
        self.round = round_
        same_unit = form.unit_key == self.form.unit_key
        if (form.id, form.version) != (self.form.id, self.form.version):
            self.form = form
            self.cards = {}
            self.content = None  # replaced in the scroll area, and so deleted, by _build_content
        self._set_compare_round(self._default_compare_round())
        self.load(self.kommun if same_unit else None)

    @property
    def unit_word(self) -> str:
        """Who answers the form: "Kommun", or "Region" for a form answered per region (kind "region")."""
        return "Region" if self.form.unit_key == "region" else "Kommun"

    def load(self, kommun: str | None) -> None:
        """Show a unit's response (a new, empty one is created on the first change): a municipality's by its
        code, or a region's by its name for a form answered per region."""
        self.kommun = kommun
        self.undo_stack.clear()
        self._read_record()
        has_kommun = kommun is not None
        self.scroll.setVisible(has_kommun)
        self.empty_label.setVisible(not has_kommun)
        for widget in (self.finish_button, self.reopen_button, self.history_button, self.status_label):
            widget.setVisible(has_kommun)
        if has_kommun:
            self._build_content()
            if self.form.unit_key == "region":
                self.heading.setText(f"<b>{esc(kommun)}</b> (region, {esc(self.form.short_title or self.form.title)})")
                self.kommun_label.setText(kommun)
            else:
                municipality = self.store.register.municipality(kommun)
                self.heading.setText(f"<b>{esc(municipality.name)}</b> ({kommun}, {esc(municipality.region)})")
                self.kommun_label.setText(f"{municipality.name} ({kommun})")
            self.scroll.verticalScrollBar().setValue(0)
        else:
            self.heading.setText("")
        self._load_earlier()
        self.refresh()

    # ------------------------------------------------------------------ the round compared with
    def _default_compare_round(self) -> Round | None:
        """The previous round of the same survey, if any."""
        earlier = self.store.earlier_rounds(self.round)
        return earlier[-1] if earlier else None

    def _set_compare_round(self, round_: Round | None) -> None:
        """Compare with `round_` (an earlier round of the same survey; None: with none)."""
        earlier = self.store.earlier_rounds(self.round)
        if round_ is not None and round_.id not in {r.id for r in earlier}:
            round_ = None
        self.compare_round, self.compare_form, self.matches = round_, None, {}
        if round_ is not None:
            try:
                self.compare_form = self.store.form_of(round_)
                between = [self.store.form_of(r) for r in earlier if (r.year, r.id) > (round_.year, round_.id)]
            except StoreError:  # the earlier round's form cannot be read: nothing to compare with
                self.compare_round = None
            else:
                self.matches = counterparts(self.form, self.compare_form, between)
        self.compare_box.clear()
        chosen = 0
        for index, (text, r) in enumerate(compare_choices(earlier)):
            self.compare_box.addItem(text, r)
            if (r.id if r else None) == (self.compare_round.id if self.compare_round else None):
                chosen = index
        self.compare_box.setCurrentIndex(chosen)

    def compare_with(self, round_: Round | None) -> None:
        """Show the answers of another earlier round (None: none) beside this round's."""
        self._set_compare_round(round_)
        self._load_earlier()

    def new_questions(self) -> tuple[Question, ...]:
        """This round's questions without a counterpart in the round compared with (none without one)."""
        return without_counterpart(self.form, self.matches) if self.compare_round is not None else ()

    def _load_earlier(self) -> None:
        """Read the unit's answers in the round compared with and show them beside the questions."""
        self.earlier_raw = self.earlier = None
        if self.compare_round is not None and self.kommun is not None:
            record = self.store.response(self.compare_round, self.kommun)
            if record is not None and record.fields:
                self.earlier_raw = record.answers(self.compare_form)
                self.earlier = earlier_answers(self.earlier_raw, self.matches)
        self._show_earlier()

    def _show_earlier(self) -> None:
        has_unit = self.kommun is not None
        self.compare_bar.setVisible(has_unit and self.compare_box.count() > 1)
        if self.compare_round is None:
            self.compare_note.setText("")
        elif self.earlier is None:
            self.compare_note.setText(f"{self._unit_name()} svarade inte {self.compare_round.year}.")
        else:
            new = self.new_questions()
            listed = ", ".join(q.number_text for q in new)
            self.compare_note.setText(
                f"Svaren {self.compare_round.year} står i grått under frågorna; {COPY_SHORTCUT} hämtar svaret "
                "till frågan du står i." + (f" Nya frågor utan motsvarighet {self.compare_round.year}: {listed}."
                                            if new else ""))
        for question in self.form.questions if self.content is not None else ():
            label = self.cards[question.id].earlier_label
            text, tip = self._earlier_texts(question)
            label.setText(text)
            label.setToolTip(tip)
            label.setAccessibleName(text)
            label.setVisible(bool(text))

    def _earlier_texts(self, question: Question) -> tuple[str, str]:
        """(the line under the question's text, its tooltip) for the unit's answer in the round compared with."""
        if self.earlier_raw is None or self.compare_round is None:
            return "", ""
        year = self.compare_round.year
        match = self.matches.get(question.id)
        if match is None:
            return f"Ny fråga – fanns inte {year}.", ""
        text = answer_text(match.earlier, self.earlier_raw)
        details = answer_details(match.earlier, self.earlier_raw)
        if not text:
            return f"{year}: inget svar", details
        short = text if len(text) <= EARLIER_CHARS else text[:EARLIER_CHARS - 1].rstrip(" ,.:") + "…"
        tip = f"Svaret {year}:\n{details}\n\n{COPY_SHORTCUT} hämtar det till {self.round.year}."
        return f"{year}: {short}", tip

    def _unit_name(self) -> str:
        if self.kommun is None:
            return ""
        return self.store.unit_name(self.round, self.kommun)

    def focused_question(self) -> Question | None:
        """The question whose card holds the focus (the window's last focused field), if any."""
        widget = self.window().focusWidget() if self.window() is not None else None
        while widget is not None and not isinstance(widget, QuestionCard):
            widget = widget.parentWidget()
        return widget.question if widget is not None and self.cards.get(widget.question.id) is widget else None

    def copy_earlier_answer(self, question: Question | None = None) -> str:
        """Copy the unit's answer in the round compared with into this round, for `question` (default: the
        one in focus): one change, saved and undone (Ctrl+Z) like any other. The comment is not copied.
        Returns what happened, in Swedish, for the status bar."""
        if self.kommun is None:
            return "Välj en kommun först."
        if self.compare_round is None:
            return "Det finns ingen tidigare omgång att hämta svar från."
        year = self.compare_round.year
        question = question or self.focused_question()
        if question is None:
            return f"Ställ markören i en fråga först, så hämtas svaret från {year} till den."
        number = question.number_text
        if self.locked:
            return "Svaret är markerat som klart och är låst. Välj ”Öppna igen…” för att ändra det."
        if self.earlier is None:
            return f"{self._unit_name()} svarade inte {year}."
        if question.id not in self.matches:
            return f"Fråga {number} är ny och har inget svar från {year}."
        copied: dict[str, str] = {}
        question.qtype.write_fields(question, self.earlier, copied)
        if not copied:
            return f"Fråga {number} hade inget svar {year}."
        qid = question.id
        changes: dict[str, str | None] = {key: None for key in self.fields
                                          if (key == qid or key.startswith(f"{qid}.")) and key != f"{qid}.kommentar"}
        changes.update(copied)
        if all((self.fields.get(key) or None) == (value or None) for key, value in changes.items()):
            return f"Fråga {number} har redan svaret från {year}."
        # An answer that skips later questions which have answers asks first, as choosing it does.
        chosen = [o.id for o in question.options if copied.get(qid) == o.id or copied.get(f"{qid}.{o.id}")]
        if not all(self._ask_about_skipped(question, option_id, changes) for option_id in chosen):
            return f"Svaret från {year} hämtades inte till fråga {number}."
        self._push(changes, f"Hämta svaret från {year} till fråga {number}")
        return f"Hämtade svaret från {year} till fråga {number}. Ctrl+Z ångrar."

    @property
    def locked(self) -> bool:
        return self.record is not None and self.record.status == "klar"

    def answers(self) -> Answers:
        return Answers.from_fields(self.form, self.fields)

    def refresh(self) -> None:
        """Put every widget in the state of `fields` and `meta`, without saving anything."""
        self._loading = True
        try:
            if self.content is not None:
                self._refresh_content()
            locked = self.locked
            self.locked_banner.setVisible(locked and self.kommun is not None)
            self.finish_button.setEnabled(not locked)
            self.reopen_button.setVisible(locked and self.kommun is not None)
            state = response_state(self.form, self.record.status if self.record else None, self.answers())
            self.status_label.setText(f"Status: {state.description}")
        finally:
            self._loading = False

    def _refresh_content(self) -> None:
        # A finished response cannot be changed (its widgets are disabled) but is read as usual:
        # its disabled widgets get the normal colours instead of the grey of an unusable control.
        self.content.setEnabled(not self.locked)
        self.content.setPalette(_readable_when_disabled(self.palette()) if self.locked else QPalette())
        for key, edit in self.header_edits.items():
            _set_text(edit, self.fields.get(key, ""))
        mode_index = self.mode_box.findData(self.meta.get("svarssatt"))
        self.mode_box.setCurrentIndex(max(mode_index, 0))
        _set_text(self.date_edit, self.meta.get("datum") or "")
        _set_text(self.interviewer_edit, self.meta.get("intervjuare") or "")
        answers = self.answers()
        skipped = skipped_questions(self.form, answers)
        for question in self.form.questions:
            card = self.cards[question.id]
            qid = question.id
            for option_id, button in card.buttons.items():
                key = qid if question.type == "single" else f"{qid}.{option_id}"
                on = self.fields.get(key) == option_id if question.type == "single" else key in self.fields
                button.setChecked(on)
            for option_id, spin in card.spins.items():
                spin.setValue(int(self.fields.get(f"{qid}.{option_id}", 0)))
            for option_id, edit in card.specify.items():
                text = self.fields.get(f"{qid}.{option_id}.ange", "")
                _set_text(edit, text)
                ticked = (card.buttons[option_id].isChecked() if option_id in card.buttons
                          else card.spins[option_id].value() > 0)
                edit.setVisible(ticked or bool(text))
            if card.value_input is not None:
                card.value_input.show_stored(self.fields if question.qtype.has_columns else self.fields.get(qid))
            comment = self.fields.get(f"{qid}.kommentar", "")
            if card.comment.toPlainText() != comment:
                card.comment.setPlainText(comment)
            if question.type == "ranking":
                repeated = repeated_ranks(answers, qid)
                card.rank_warning.setText(
                    "Obs! Samma rang har getts flera alternativ: " + ", ".join(map(str, repeated)) if repeated else ""
                )
                card.rank_warning.setVisible(bool(repeated))
            is_skipped = qid in skipped
            card.options_box.setEnabled(not is_skipped)
            card.comment.setEnabled(not is_skipped)
            if is_skipped:
                by = self._skipping_option(answers, qid)
                note = f"Hoppas över: {by}." if by else "Hoppas över."
                if answers.is_answered(question):
                    note += " Frågan har ändå svar, som inte räknas förrän det är rättat."
                card.skip_note.setText(note)
            card.skip_note.setVisible(is_skipped)

    def _skipping_option(self, answers: Answers, qid: str) -> str:
        for question in self.form.questions:
            for option_id in answers.choices.get(question.id, []) if question.type == "single" else []:
                if qid in self.form.skipped_by(question.id, option_id):
                    return f"fråga {question.number_text} besvarad med ”{question.option(option_id).label}”"
        return ""

    # ------------------------------------------------------------------ saving
    def apply(self, values: dict[str, str | None]) -> bool:
        """Save values (fields and meta): now, or as soon as the database is free, the widgets showing
        them meanwhile. On refusal show why and put the widgets back; False then."""
        if self.kommun is None:
            return False
        try:
            saved = self.pending.submit(PendingWrite(RESPONSE, self.round.id, self.kommun, dict(values)))
        except StoreError as error:
            self.failed.emit(str(error))
            saved = None
        self._read_record()
        self.refresh()
        if saved:
            self.saved.emit(datetime.now().strftime("%H:%M:%S"))
        return saved is not None

    def _read_record(self) -> None:
        """`record` as stored; `fields` and `meta` as stored with the changes still kept on top."""
        self.record = self.store.response(self.round, self.kommun) if self.kommun else None
        self.fields = dict(self.record.fields) if self.record else {}
        self.meta = {k: getattr(self.record, k) if self.record else None for k in ("svarssatt", "datum", "intervjuare")}
        if self.kommun is not None:
            with_pending_fields(self.fields, self.meta, self.pending.values_for(RESPONSE, self.round.id, self.kommun))

    def _pending_done(self, write: PendingWrite, _message: str = "") -> None:
        """A kept change was written (the status may change) or refused (the widgets go back)."""
        if self.kommun is not None and write.concerns(RESPONSE, self.round.id, self.kommun):
            self._read_record()
            self.refresh()

    def _push(self, changes: dict[str, str | None], text: str, mergeable: bool = False) -> None:
        current = {**self.fields, **{f"{META_PREFIX}{k}": v for k, v in self.meta.items()}}
        pairs = {k: (current.get(k), v) for k, v in changes.items() if (current.get(k) or None) != (v or None)}
        if not pairs:
            return
        self.undo_stack.push(FieldCommand(self, pairs, text, mergeable))

    def _text_changed(self, key: str, text: str) -> None:
        if self._loading:
            return
        if key == f"{META_PREFIX}datum":
            valid = not text.strip() or DATE_PATTERN.match(text.strip()) and _is_date(text.strip())
            self.date_error.setText("" if valid else "Skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2011-11-14.")
            self.date_error.setVisible(not valid)
            if not valid:
                return
        self._push({key: text}, f"Ändra {key}", mergeable=True)

    def _comment_changed(self, question: Question, card: QuestionCard) -> None:
        if self._loading:
            return
        self._push({f"{question.id}.kommentar": card.comment.toPlainText()}, f"Kommentar fråga {question.number_text}", mergeable=True)

    def _value_edited(self, question: Question, key: str, value: str | None) -> None:
        if self._loading:
            return
        self._push({key: value}, f"Fråga {question.label}", mergeable=True)

    def _mode_changed(self, index: int) -> None:
        if self._loading:
            return
        self._push({f"{META_PREFIX}svarssatt": self.mode_box.itemData(index)}, "Ändra svarssätt")

    def _rank_changed(self, question: Question, option_id: str, value: int) -> None:
        if self._loading:
            return
        self._push({f"{question.id}.{option_id}": str(value) if value else None}, f"Rang fråga {question.number_text}")

    def _ticked(self, question: Question, option_id: str, on: bool) -> None:
        if self._loading:
            return
        qid = question.id
        if question.type == "multi":
            changes = {f"{qid}.{option_id}": TICK if on else None}
            self._push(changes, f"Fråga {question.number_text}: {question.option(option_id).label}")
            return
        if not on:  # a single choice is changed by choosing another option or by "Rensa svaret"
            self.refresh()
            return
        self._choose(question, option_id)

    def _choose(self, question: Question, option_id: str) -> None:
        changes: dict[str, str | None] = {question.id: option_id}
        if self._ask_about_skipped(question, option_id, changes):
            self._push(changes, f"Fråga {question.number_text}: {question.option(option_id).label}")

    def _ask_about_skipped(self, question: Question, option_id: str, changes: dict[str, str | None]) -> bool:
        """Before `option_id` is chosen: when it skips questions that have answers, ask whether to clear
        them (clearing adds their fields to `changes`). False: cancelled, the widgets are put back."""
        holding = [qid for qid in self.form.skipped_by(question.id, option_id) if self._has_answers(qid)]
        if not holding:
            return True
        choice = self.ask_clear_skipped(question, option_id, holding)
        if choice == "cancel":
            self.refresh()
            return False
        if choice == "clear":
            for key in self.fields:
                if key.split(".")[0] in holding:
                    changes[key] = None
        return True

    def _clear_choice(self, question: Question) -> None:
        self._push({question.id: None}, f"Rensa fråga {question.number_text}")

    def _has_answers(self, qid: str) -> bool:
        return any(key == qid or key.startswith(f"{qid}.") for key in self.fields)

    def ask_clear_skipped(self, question: Question, option_id: str, holding: list[str]) -> str:
        """Ask whether to clear answers to questions the new choice skips: "clear", "keep" or "cancel"."""
        self._show_only_choice(question, option_id)  # not the old choice too while the box is open
        numbers = [str(self.form.question(q).number) for q in holding]
        listed = numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " och " + numbers[-1]
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Frågor som hoppas över har svar")
        box.setText(
            f"Med svaret ”{question.option(option_id).label}” hoppar enkäten över fråga {listed}, "
            "men de har redan svar.\n\nVill du ta bort de svaren?"
        )
        box.setInformativeText("Behåller du dem markeras svaret som motsägelsefullt och räknas inte förrän det är rättat.")
        clear = box.addButton("Ta bort svaren", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Behåll svaren", QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton("Avbryt", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        clicked = box.clickedButton()
        return "clear" if clicked is clear else "keep" if clicked is keep else "cancel"

    def _show_only_choice(self, question: Question, option_id: str) -> None:
        """Tick one option of a single-choice question on screen only (nothing is saved)."""
        loading, self._loading = self._loading, True
        try:
            for other_id, button in self.cards[question.id].buttons.items():
                button.setChecked(other_id == option_id)
        finally:
            self._loading = loading

    # ------------------------------------------------------------------ navigation
    def scroll_to(self, question_id: str) -> None:
        """Show a question at the top and focus its first input (its comment if it is skipped)."""
        card = self.cards[question_id]
        # Lines just shown or hidden (last round's answers, a skip note) are laid out first, the scroll
        # area's content resized to them too: else the card lands where it was, squeezed.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        self.content.layout().activate()
        bar = self.scroll.verticalScrollBar()
        bar.setValue(min(max(card.y() - 8, 0), bar.maximum()))
        self.scroll.ensureWidgetVisible(card, 0, 40)
        target = next((w for w in (card.first_input(), card.comment, card.help_button)
                       if w is not None and w.isEnabled()), None)
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def question_numbers(self) -> list[int]:
        return [q.number for q in self.form.questions]

    def go_to_question(self, number: int) -> bool:
        """Show and focus the question with this number; False if there is none or no municipality."""
        question = next((q for q in self.form.questions if q.number == number), None)
        if question is None or self.kommun is None:
            return False
        self.scroll_to(question.id)
        return True

    def focus_first_field(self) -> None:
        """Focus where an interview starts: the form's first field, who answers (the respondent's
        name). A finished response, which cannot be changed, offers "Öppna igen…" instead."""
        if self.kommun is None:
            return
        if self.locked:
            self.reopen_button.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.scroll.verticalScrollBar().setValue(0)
        next(iter(self.header_edits.values())).setFocus(Qt.FocusReason.OtherFocusReason)


def _readable_when_disabled(palette: QPalette) -> QPalette:
    """`palette` with the disabled colours made the same as the active ones."""
    readable = QPalette(palette)
    for role in QPalette.ColorRole:
        if role not in (QPalette.ColorRole.NoRole, QPalette.ColorRole.NColorRoles):
            readable.setColor(QPalette.ColorGroup.Disabled, role, palette.color(QPalette.ColorGroup.Active, role))
    return readable


def _set_text(edit: QLineEdit, text: str) -> None:
    if edit.text() != text:
        edit.setText(text)


def _is_date(text: str) -> bool:
    try:
        datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        return False
    return True
