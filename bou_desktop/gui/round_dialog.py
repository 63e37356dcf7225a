"""Arkiv → Ny omgång…: the year of a new round and, optionally, its county form (the form is chosen first)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ..survey.forms import Form
from .file_dialogs import FORMS, open_file

FORM_FILTER = "Formulär (*.toml);;Alla filer (*)"
OWN_SURVEY = ("Regionens egen enkät: besvaras av kommunerna i regionen och sammanställs i länssammanställningen "
              "för regionens eget bruk. Den skickas inte till SKL.")
NO_COUNTY_FORM = "Inget valt: det som sammanställer formuläret används, om det finns."


class NewRoundDialog(QDialog):
    """The year (default: `Store.next_year`, the year after the survey's latest round) and an optional county form file."""

    def __init__(self, form: Form, file_name: str, default_year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Ny omgång")
        self.setMinimumWidth(520)  # room for the form's title and the county form's line without cutting them
        self.county_path: Path | None = None
        layout = QFormLayout(self)
        form_label = QLabel(f"{form.title}\n{form.id}, version {form.version} ({file_name})")
        form_label.setWordWrap(True)
        layout.addRow("Formulär:", form_label)
        if form.scope == "region":
            scope_label = QLabel(OWN_SURVEY)
            scope_label.setWordWrap(True)
            layout.addRow("Omfattning:", scope_label)
        self.year_box = QSpinBox()
        self.year_box.setRange(1900, 2200)
        self.year_box.setValue(default_year)
        self.year_box.setAccessibleName("Omgångens år")
        layout.addRow("&År:", self.year_box)
        self.county_label = QLabel(NO_COUNTY_FORM)
        self.county_label.setWordWrap(True)
        choose = QPushButton("&Välj länsformulär…")
        choose.setAutoDefault(False)
        choose.clicked.connect(self._choose_county_form)
        # The wrapped line as a row of its own, the button under it: a wrapped label beside a button in a
        # box got one line's height and its first line was cut in a real window.
        layout.addRow("Länsformulär:", self.county_label)
        layout.addRow("", choose)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Starta omgången")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    def _choose_county_form(self) -> None:
        path = open_file(self, "Välj länsformuläret", FORMS, FORM_FILTER)
        if path is not None:
            self.county_path = path
            self.county_label.setText(path.name)

    @classmethod
    def ask(cls, form: Form, file_name: str, default_year: int,
            parent: QWidget | None = None) -> tuple[tuple[int, Path | None], bool]:
        """((year, county form file or None), accepted)."""
        dialog = cls(form, file_name, default_year, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return (dialog.year_box.value(), dialog.county_path), accepted
