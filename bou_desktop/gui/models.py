"""Qt item models over the store (model/view; views never touch SQL).

The municipality list is on screen at the first paint, so it is made to need no Python while it
paints: a QStandardItemModel, whose data Qt reads in C++ (an item model written in Python is
called a few hundred times for its first paint). Nothing here touches the `Qt` namespace either:
PySide6 makes all of its ~120 enums the first time it is used, about 20 ms, and the start leaves
that until after the window is up (gui/app.py, after_start).
"""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel
from PySide6.QtGui import QStandardItem, QStandardItemModel

from ..store import Round, Store
from ..survey.answers import ResponseState

# Qt.ItemDataRole.UserRole + 1, written as the number (Qt's value since Qt 4) not to touch `Qt`.
CODE_ROLE = 0x0100 + 1


class MunicipalityListModel(QStandardItemModel):
    """A region's municipalities in Swedish order, with each one's response status; read-only."""

    HEADERS = ("Kommun", "Status")

    def __init__(self, store: Store, round_: Round) -> None:
        super().__init__(0, len(self.HEADERS))
        self.setHorizontalHeaderLabels(list(self.HEADERS))
        self.store = store
        self.round = round_
        self.region: str | None = None
        self._states: dict[str, ResponseState] = {}

    def set_region(self, region: str | None) -> None:
        self.region = region
        municipalities = self.store.municipalities(region) if region else []
        self._load_statuses()
        self.setRowCount(0)
        for municipality in municipalities:
            tip = f"{municipality.name} ({municipality.code})"
            name = QStandardItem(municipality.name)
            name.setData(municipality.code, CODE_ROLE)
            name.setAccessibleText(municipality.name)
            state = self._state(municipality.code)
            status = QStandardItem(state.label)
            name.setToolTip(tip)
            status.setToolTip(self._status_tip(tip, state))
            for item in (name, status):
                item.setEditable(False)
                item.setDragEnabled(False)
                item.setDropEnabled(False)
            self.appendRow([name, status])

    def set_round(self, round_: Round) -> None:
        self.round = round_
        self.set_region(self.region)

    def _load_statuses(self) -> None:
        self._states = self.store.states(self.round, self.region) if self.region else {}

    def _state(self, code: str) -> ResponseState:
        return self._states.get(code, ResponseState(None))

    @staticmethod
    def _status_tip(tip: str, state: ResponseState) -> str:
        """The municipality, and for an incomplete import the questions it lacks."""
        return f"{tip}: {state.description}" if state.description != state.label else tip

    def refresh_statuses(self) -> None:
        """Read the statuses again; only the cells whose text changed are touched."""
        self._load_statuses()
        for row in range(self.rowCount()):
            name, item = self.item(row, 0), self.item(row, 1)
            state = self._state(name.data(CODE_ROLE))
            if item.text() != state.label:
                item.setText(state.label)
            tip = self._status_tip(name.toolTip(), state)
            if item.toolTip() != tip:
                item.setToolTip(tip)

    def answered_count(self) -> int:
        """Municipalities that count as answered (ResponseState.counts)."""
        return sum(1 for state in self._states.values() if state.counts)


class MunicipalityFilter(QSortFilterProxyModel):
    """Filters municipalities by name (anywhere) or code (from the start)."""

    def __init__(self) -> None:
        super().__init__()
        self._text = ""

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:  # noqa: N802 (Qt API)
        if not self._text:
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        code = index.data(CODE_ROLE) or ""
        return self._text in (index.data() or "").casefold() or code.startswith(self._text)
