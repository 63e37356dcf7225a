"""Importing svarsfiler in the GUI: progress, questions (conflicts, other regions) and the results."""

from __future__ import annotations

import gc
import time
from concurrent.futures import ThreadPoolExecutor, wait
from functools import partial
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressDialog,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..exchange.importer import ImportResult, Outcome, Questions, import_prepared, prepare_file
from ..exchange.svarsfil_json import Svarsfil
from ..store import ResponseRecord, Store
from ..survey.answers import field_label
from ..survey.forms import Form

OUTCOME_COLOURS = {
    Outcome.IMPORTED: "#1b5e20",
    Outcome.UNCHANGED: "#555555",
    Outcome.CONFLICT: "#8a5a00",
    Outcome.REFUSED: "#b00020",
}


def readable(form: Form, key: str, value: str | None) -> str:
    """A field's value as a person reads it: the option's label instead of its id."""
    if value is None:
        return "–"
    if "." not in key and not key.startswith("uppgiftslamnare"):
        try:
            return form.question(key).option(value).label
        except KeyError:
            return value
    return "ikryssad" if value == "X" else value


class ConflictDialog(QDialog):
    """The database's answers and the file's, side by side, for the fields that differ."""

    def __init__(self, form: Form, municipality: str, file_name: str, existing: dict[str, str],
                 incoming: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Olika svar – {municipality}")
        self.resize(860, 480)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Filen <b>{file_name}</b> har andra svar för {municipality} än databasen, där svaret har ändrats "
            "sedan filen skapades. Välj vilka svar som ska gälla. Det du ersätter finns kvar i historiken."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        keys = [k for k in _ordered(form, set(existing) | set(incoming)) if existing.get(k) != incoming.get(k)]
        self.table = QTableWidget(len(keys), 3)
        self.table.setHorizontalHeaderLabels(["Fråga", "I databasen", "I filen"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for row, key in enumerate(keys):
            self.table.setItem(row, 0, QTableWidgetItem(field_label(form, key)))
            self.table.setItem(row, 1, QTableWidgetItem(readable(form, key, existing.get(key))))
            self.table.setItem(row, 2, QTableWidgetItem(readable(form, key, incoming.get(key))))
        self.table.resizeRowsToContents()
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox()
        self.replace_button = buttons.addButton("Ersätt med filens svar", QDialogButtonBox.ButtonRole.AcceptRole)
        self.keep_button = buttons.addButton("Behåll databasens svar", QDialogButtonBox.ButtonRole.RejectRole)
        self.keep_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def _ordered(form: Form, keys: set[str]) -> list[str]:
    """Fields in the form's order: respondent first, then question by question."""
    order = {q.id: i for i, q in enumerate(form.questions)}
    return sorted(keys, key=lambda k: (-1 if k.startswith("uppgiftslamnare") else order.get(k.split(".")[0], 99), k))


class GuiQuestions(Questions):
    """Asks the user, in dialogs, what the command line refuses."""

    def __init__(self, parent: QWidget, store: Store, file_name: str = "") -> None:
        self.parent = parent
        self.store = store
        self.file_name = file_name

    def other_region(self, svarsfil: Svarsfil, municipality_name: str, region: str) -> bool:
        answer = QMessageBox.question(
            self.parent, "Svar från en annan region" if svarsfil.region else "Kommun från en annan region",
            f"{self.file_name}: {municipality_name} hör inte till din region {region}.\n\nImportera svaret ändå?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def replace(self, existing: ResponseRecord, svarsfil: Svarsfil, form: Form) -> bool:
        unit = svarsfil.region or self.store.register.municipality(svarsfil.kommun).name  # region-level: the region
        dialog = ConflictDialog(form, unit, self.file_name, existing.fields, svarsfil.answers.to_fields(form),
                                self.parent)
        return dialog.exec() == QDialog.DialogCode.Accepted


    def replace_county(self, region: str, old_name: str) -> bool:
        """SKL receives a newer county file from a region: replace the earlier one?"""
        answer = QMessageBox.question(
            self.parent, "Ny länssammanställning",
            f"{self.file_name}: {region} har redan en länssammanställning ({old_name}).\n\n"
            "Ersätta den med den nya filen? Bytet sparas i historiken.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes


class ImportResultsDialog(QDialog):
    """One line per file: imported, unchanged, conflict or refused, with the reason."""

    def __init__(self, results: list[ImportResult], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import av svarsfiler")
        self.resize(760, 400)
        layout = QVBoxLayout(self)
        counts = {outcome: sum(1 for r in results if r.outcome is outcome) for outcome in Outcome}
        parts = [f"{counts[o]} {o.value}{'e' if o in (Outcome.IMPORTED, Outcome.UNCHANGED) and counts[o] != 1 else ''}"
                 for o in Outcome if counts[o]]
        self.summary = QLabel(", ".join(parts).capitalize() + "." if parts else "Inga filer importerades.")
        layout.addWidget(self.summary)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAccessibleName("Resultat per fil")
        for result in results:
            item = QListWidgetItem(result.line())
            item.setForeground(QBrush(QColor(OUTCOME_COLOURS[result.outcome])))
            self.list.addItem(item)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Stäng")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def import_with_progress(parent: QWidget, store: Store, paths: list[Path], region: str | None) -> list[ImportResult]:
    """Import files one by one behind a progress dialog that can be cancelled between files.

    Reading and parsing a file (openpyxl, most of the time) runs in a worker thread; storing it,
    and any question to the user, stays on the GUI thread, in the files' order. While a file is
    read the GUI thread waits in short slices and handles events in between, so the dialog repaints
    and its Avbryt button answers at once however large a file is (docs/performance.md).

    The reader is idle while the GUI thread stores: with both at work they took turns on the
    interpreter lock at every SQLite call and a 3 ms store took 25 ms. And the objects that exist
    before the import are frozen out of the garbage collector's scans: its full passes over every
    object of the program took up to 70 ms. In the running program they stay frozen afterwards,
    like the start's (gui/app.py, after_start): gc.unfreeze() cannot tell the two apart.
    """
    progress = QProgressDialog("Importerar svarsfiler …", "Avbryt", 0, len(paths), parent)
    progress.setWindowTitle("Importerar")
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    results: list[ImportResult] = []
    reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import")
    read = partial(prepare_file, forms=store.form_generations(), register=store.register)
    shown = -1.0
    was_frozen = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        future = reader.submit(read, paths[0]) if paths else None
        for index, path in enumerate(paths):
            if progress.wasCanceled():
                break
            if time.monotonic() - shown >= 0.05:  # a few times a second is enough to read, and costs little
                progress.setLabelText(f"Importerar {path.name} ({index + 1} av {len(paths)}) …")
                progress.setValue(index)
                shown = time.monotonic()
            while not future.done() and not progress.wasCanceled():
                QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
                wait([future], timeout=0.01)
            QApplication.processEvents()
            if progress.wasCanceled():
                break
            prepared = future.result()
            results.append(import_prepared(store, prepared, region=region, ask=GuiQuestions(parent, store, path.name)))
            if index + 1 < len(paths):
                future = reader.submit(read, paths[index + 1])
    finally:
        # Not waiting for a read still running: it touches no database, and Avbryt must be at once.
        reader.shutdown(wait=False, cancel_futures=True)
        if not was_frozen:
            gc.unfreeze()
    progress.setValue(len(paths))
    return results
