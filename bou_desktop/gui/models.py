"""Qt item models over the store (model/view; views never touch SQL)."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from ..store import Round, Store

STATUS_LABELS = {None: "ej påbörjad", "utkast": "utkast", "klar": "klar", "importerad": "importerad"}
CODE_ROLE = Qt.ItemDataRole.UserRole + 1
REGION_ROLE = Qt.ItemDataRole.UserRole + 2


def status_label(status: str | None, origin: str | None) -> str:
    if status == "klar" and origin == "import":
        return STATUS_LABELS["importerad"]
    return STATUS_LABELS.get(status, status or STATUS_LABELS[None])


class RegionTreeModel(QStandardItemModel):
    """Regions with their municipalities, both in Swedish order, and each response's status."""

    def __init__(self, store: Store, round_: Round) -> None:
        super().__init__()
        self.store = store
        self.round = round_
        self.setHorizontalHeaderLabels(["Region / kommun", "Status"])
        self.reload()

    def reload(self) -> None:
        self.removeRows(0, self.rowCount())
        records = {r.kommun: r for r in self.store.responses(self.round, with_fields=False)}
        for region in self.store.regions():
            municipalities = self.store.municipalities(region.name)
            done = sum(1 for m in municipalities if m.code in records and records[m.code].status == "klar")
            region_item = QStandardItem(region.name)
            region_item.setData(region.name, REGION_ROLE)
            region_item.setEditable(False)
            summary = QStandardItem(f"{done} av {len(municipalities)} klara")
            summary.setEditable(False)
            for municipality in municipalities:
                record = records.get(municipality.code)
                name = QStandardItem(municipality.name)
                name.setData(municipality.code, CODE_ROLE)
                name.setData(region.name, REGION_ROLE)
                name.setToolTip(f"{municipality.name} ({municipality.code})")
                name.setEditable(False)
                status = QStandardItem(status_label(record.status if record else None, record.origin if record else None))
                status.setEditable(False)
                region_item.appendRow([name, status])
            self.appendRow([region_item, summary])


class MunicipalityFilter(QSortFilterProxyModel):
    """Filters municipalities by name (anywhere) or code (from the start); a region stays while any child matches."""

    def __init__(self) -> None:
        super().__init__()
        self.setRecursiveFilteringEnabled(True)
        self._text = ""

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:  # noqa: N802 (Qt API)
        if not self._text:
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        code = index.data(CODE_ROLE)
        if code is None:  # a region: shown only through a matching municipality
            return False
        return self._text in (index.data() or "").casefold() or code.startswith(self._text)
