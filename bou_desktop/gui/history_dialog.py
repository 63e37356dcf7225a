"""The history of one municipality's response: the audit log, read-only and in plain Swedish."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..store import Round, Store
from ..store.repository import AuditEntry
from ..survey.answers import ANSWER_MODES, TICK, field_label
from ..survey.forms import Form

COLUMNS = ("Tid", "Vad", "Från", "Till", "Källa", "Orsak")
MERGE_SECONDS = 60
EMPTY = "–"

SPECIAL_FIELDS = {
    "svar": "Svaret",
    "status": "Status",
    "svarssatt": "Svarssätt",
    "datum": "Datum",
    "intervjuare": "Intervjuare",
    "uuid": "Svarets id",
}
STATUS_VALUES = {"utkast": "utkast", "klar": "klar"}
SOURCE_LABELS = {
    "gui": "programmet",
    "import": "import",
    "cli": "kommandoraden",
    "demo": "demodata",
    "system": "systemet",
}


def is_text_field(key: str) -> bool:
    """Fields typed as free text, which the GUI saves on every keystroke."""
    return (
        key.endswith(".kommentar")
        or key.endswith(".ange")
        or key.startswith("uppgiftslamnare.")
        or key in ("datum", "intervjuare")
    )


def what_label(form: Form, key: str) -> str:
    return SPECIAL_FIELDS.get(key) or field_label(form, key)


def value_label(form: Form, key: str, value: str | None) -> str:
    """A stored value as a person reads it: option labels, "ikryssad", "–" for nothing."""
    if value is None or not value.strip():
        return EMPTY
    if key == "status":
        return STATUS_VALUES.get(value, value)
    if key == "svarssatt":
        return ANSWER_MODES.get(value, value)
    if key in SPECIAL_FIELDS or is_text_field(key):
        return value
    parts = key.split(".")
    try:
        question = form.question(parts[0])
    except KeyError:
        return value
    if len(parts) == 1 and question.type == "single":
        try:
            return question.option(value).label
        except KeyError:
            return value
    if len(parts) == 2 and value == TICK:
        return "ikryssad"
    return value


def source_label(source: str, detail: str | None) -> str:
    label = SOURCE_LABELS.get(source, source)
    return f"{label}: {detail}" if detail else label


def time_label(at: str) -> str:
    """"2011-11-14T10:15:03.123456+01:00" -> "2011-11-14 10:15:03" (the time as it was written)."""
    try:
        return datetime.fromisoformat(at).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return at


def _seconds_between(first: str, second: str) -> float | None:
    try:
        return (datetime.fromisoformat(second) - datetime.fromisoformat(first)).total_seconds()
    except (ValueError, TypeError):  # unparsable, or one with and one without a time zone
        return None


@dataclass
class HistoryRow:
    """One line of the history: one change, or several keystrokes of the same text collapsed."""

    at: str
    field: str
    old: str | None
    new: str | None
    source: str
    detail: str | None
    reason: str | None
    count: int = 1


def collapse(entries: list[AuditEntry], seconds: float = MERGE_SECONDS) -> list[HistoryRow]:
    """Merge consecutive edits of the same text field from the same source, each within `seconds` of the last.

    A text field is saved on every keystroke; a comment typed in one go then shows as one change,
    from the value before the first keystroke to the value after the last. Choices, status
    changes and anything with a reason are always shown one by one.
    """
    rows: list[HistoryRow] = []
    for entry in entries:
        last = rows[-1] if rows else None
        if (
            last is not None
            and is_text_field(entry.field)
            and entry.field == last.field
            and entry.source == last.source
            and entry.detail == last.detail
            and not entry.reason
            and not last.reason
        ):
            gap = _seconds_between(last.at, entry.at)
            if gap is not None and 0 <= gap <= seconds:
                last.at, last.new = entry.at, entry.new
                last.count += 1
                continue
        rows.append(HistoryRow(entry.at, entry.field, entry.old, entry.new, entry.source, entry.detail, entry.reason))
    return rows


def response_history(store: Store, uuid: str) -> list[AuditEntry]:
    """A response's audit log, including what was logged under an earlier id (an import can change it)."""
    entries = store.audit_log(uuid)
    seen = {uuid}
    pending = [e.old for e in entries if e.field == "uuid" and e.old]
    merged = False
    while pending:
        older = pending.pop()
        if older in seen:
            continue
        seen.add(older)
        earlier = store.audit_log(older)
        entries += earlier
        pending += [e.old for e in earlier if e.field == "uuid" and e.old]
        merged = True
    if merged:
        entries.sort(key=lambda e: _sort_time(e.at))
    return entries


def _sort_time(at: str) -> float:
    try:
        return datetime.fromisoformat(at).timestamp()
    except ValueError:
        return 0.0


class HistoryModel(QAbstractTableModel):
    """The rows of a response's history, read-only."""

    def __init__(self, form: Form, entries: list[AuditEntry], parent=None) -> None:
        super().__init__(parent)
        self.form = form
        self.rows = collapse(entries)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable  # never editable

    def text(self, row: int, column: int) -> str:
        """The full text of a cell (line breaks kept)."""
        item = self.rows[row]
        if column == 0:
            return time_label(item.at)
        if column == 1:
            return what_label(self.form, item.field)
        if column == 2:
            return value_label(self.form, item.field, item.old)
        if column == 3:
            return value_label(self.form, item.field, item.new)
        if column == 4:
            return source_label(item.source, item.detail)
        return item.reason or ""

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            text = self.text(index.row(), index.column())
            # One line per row: line breaks in typed text show as spaces (the tooltip keeps them).
            return " ".join(text.split()) if index.column() in (2, 3, 5) else text
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self.text(index.row(), index.column())
            item = self.rows[index.row()]
            if index.column() == 0 and item.count > 1:
                return f"{text} (senaste av {item.count} sparningar i följd)"
            return text or None
        return None


class HistoryDialog(QDialog):
    """Every change to a municipality's response, oldest first; nothing here can be changed."""

    def __init__(self, store: Store, round_: Round, kommun_code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name = store.unit_name(round_, kommun_code)  # a municipality's, or a region's for a form answered per region
        self.setWindowTitle(f"Historik – {name}")
        self.resize(1000, 520)

        record = store.response(round_, kommun_code)
        entries = response_history(store, record.uuid) if record is not None else []
        self.model = HistoryModel(store.form_of(round_), entries, self)

        if self.model.rowCount():
            intro = (
                f"Alla ändringar av svaret från {name} ({round_.title}), äldst först. "
                "Text som skrivits i ett svep visas som en ändring. Historiken kan inte ändras."
            )
        else:
            intro = "Inga ändringar än."
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(f"Historik för {name}")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)  # the reason gets what is left
        self.table.resizeColumnsToContents()
        for column, (least, most) in {1: (120, 220), 2: (180, 180), 3: (180, 180), 4: (100, 200)}.items():
            self.table.setColumnWidth(column, max(least, min(self.table.columnWidth(column), most)))
        self.table.setVisible(self.model.rowCount() > 0)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText("Stäng")
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        if not self.model.rowCount():
            layout.addStretch(1)
            self.resize(420, 160)
        layout.addWidget(self.buttons)

        if self.model.rowCount():
            self.table.scrollToBottom()
            self.table.setFocus()
        else:
            self.close_button.setFocus()
