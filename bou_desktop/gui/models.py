"""Qt item models over the store (model/view; views never touch SQL)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt

from ..store import Round, Store

STATUS_LABELS = {None: "ej påbörjad", "utkast": "utkast", "klar": "klar", "importerad": "importerad"}
CODE_ROLE = Qt.ItemDataRole.UserRole + 1


def status_label(status: str | None, origin: str | None) -> str:
    """ej påbörjad, utkast, klar, or importerad (finished and read from a svarsfil)."""
    if status == "klar" and origin == "import":
        return STATUS_LABELS["importerad"]
    return STATUS_LABELS.get(status, status or STATUS_LABELS[None])


class MunicipalityListModel(QAbstractTableModel):
    """A region's municipalities in Swedish order, with each one's response status."""

    HEADERS = ("Kommun", "Status")

    def __init__(self, store: Store, round_: Round) -> None:
        super().__init__()
        self.store = store
        self.round = round_
        self.region: str | None = None
        self._rows: list[tuple[str, str]] = []  # (code, name)
        self._status: dict[str, tuple[str, str]] = {}

    def set_region(self, region: str | None) -> None:
        self.beginResetModel()
        self.region = region
        self._rows = [(m.code, m.name) for m in self.store.municipalities(region)] if region else []
        self._load_statuses()
        self.endResetModel()

    def set_round(self, round_: Round) -> None:
        self.round = round_
        self.set_region(self.region)

    def _load_statuses(self) -> None:
        records = self.store.responses(self.round, self.region, with_fields=False) if self.region else []
        self._status = {r.kommun: (r.status, r.origin) for r in records}

    def refresh_statuses(self) -> None:
        self._load_statuses()
        if self._rows:
            self.dataChanged.emit(self.index(0, 1), self.index(len(self._rows) - 1, 1))

    def answered_count(self) -> int:
        return sum(1 for status, _origin in self._status.values() if status == "klar")

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 (Qt API)
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 (Qt API)
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        code, name = self._rows[index.row()]
        if role == CODE_ROLE:
            return code
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return name
            status, origin = self._status.get(code, (None, None))
            return status_label(status, origin)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{name} ({code})"
        if role == Qt.ItemDataRole.AccessibleTextRole and index.column() == 0:
            return name
        return None


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
