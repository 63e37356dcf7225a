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

STATUS_LABELS = {None: "ej påbörjad", "utkast": "utkast", "klar": "klar", "importerad": "importerad"}
# Qt.ItemDataRole.UserRole + 1, written as the number (Qt's value since Qt 4) not to touch `Qt`.
CODE_ROLE = 0x0100 + 1


def status_label(status: str | None, origin: str | None) -> str:
    """ej påbörjad, utkast, klar, or importerad (finished and read from a svarsfil)."""
    if status == "klar" and origin == "import":
        return STATUS_LABELS["importerad"]
    return STATUS_LABELS.get(status, status or STATUS_LABELS[None])


class MunicipalityListModel(QStandardItemModel):
    """A region's municipalities in Swedish order, with each one's response status; read-only."""

    HEADERS = ("Kommun", "Status")

    def __init__(self, store: Store, round_: Round) -> None:
        super().__init__(0, len(self.HEADERS))
        self.setHorizontalHeaderLabels(list(self.HEADERS))
        self.store = store
        self.round = round_
        self.region: str | None = None
        self._status: dict[str, tuple[str, str]] = {}

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
            status = QStandardItem(self._status_text(municipality.code))
            for item in (name, status):
                item.setToolTip(tip)
                item.setEditable(False)
                item.setDragEnabled(False)
                item.setDropEnabled(False)
            self.appendRow([name, status])

    def set_round(self, round_: Round) -> None:
        self.round = round_
        self.set_region(self.region)

    def _load_statuses(self) -> None:
        records = self.store.responses(self.round, self.region, with_fields=False) if self.region else []
        self._status = {r.kommun: (r.status, r.origin) for r in records}

    def _status_text(self, code: str) -> str:
        return status_label(*self._status.get(code, (None, None)))

    def refresh_statuses(self) -> None:
        """Read the statuses again; only the cells whose text changed are touched."""
        self._load_statuses()
        for row in range(self.rowCount()):
            item, text = self.item(row, 1), self._status_text(self.item(row, 0).data(CODE_ROLE))
            if item.text() != text:
                item.setText(text)

    def answered_count(self) -> int:
        return sum(1 for status, _origin in self._status.values() if status == "klar")


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
