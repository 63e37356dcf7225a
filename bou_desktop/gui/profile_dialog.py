"""The profile dialog: who uses the program (role, region or municipality) and their contact details."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..collation import swedish_sorted
from ..settings import ROLES, Settings, validate
from ..survey.register import Register

ERROR_STYLE = "color: #b00020;"


class ProfileDialog(QDialog):
    """Edit a `Settings`; "Spara" only closes the dialog when `validate` finds nothing wrong."""

    def __init__(self, register: Register, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.register = register
        self.setWindowTitle("Profil")
        self.setMinimumWidth(520)

        intro = QLabel(
            "Välj vilken roll du har. Som utvecklingsledare samlar du in svaren från kommunerna i din "
            "region och skickar länssammanställningen till SKL. Dina kontaktuppgifter skrivs ut på "
            "blanketterna till kommunerna och på länssammanställningen."
        )
        intro.setWordWrap(True)

        # Role
        self.role_buttons: dict[str, QRadioButton] = {}
        self.role_group = QButtonGroup(self)
        role_box = QGroupBox("Roll")
        role_layout = QVBoxLayout(role_box)
        for key, label in ROLES.items():
            button = QRadioButton(label)
            button.setAccessibleName(f"Roll: {label}")
            self.role_buttons[key] = button
            self.role_group.addButton(button)
            role_layout.addWidget(button)

        # Region and municipality
        self.region_combo = QComboBox()
        self.region_combo.setAccessibleName("Region")
        self.region_combo.setPlaceholderText("Välj region …")
        for region in swedish_sorted(register.regions, key=lambda r: r.name):
            self.region_combo.addItem(region.name, region.name)

        self.kommun_combo = QComboBox()
        self.kommun_combo.setAccessibleName("Kommun")
        self.kommun_combo.setEditable(True)
        self.kommun_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for municipality in swedish_sorted(register.municipalities, key=lambda m: m.name):
            self.kommun_combo.addItem(f"{municipality.name} ({municipality.code})", municipality.code)
        completer = QCompleter(self.kommun_combo.model(), self.kommun_combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.kommun_combo.setCompleter(completer)
        self.kommun_combo.lineEdit().setPlaceholderText("Skriv för att söka (namn eller kod) …")

        place_box = QGroupBox("Region eller kommun")
        place_form = QFormLayout(place_box)
        place_form.addRow(self._buddy("&Region:", self.region_combo), self.region_combo)
        place_form.addRow(self._buddy("&Kommun:", self.kommun_combo), self.kommun_combo)

        # Contact details
        self.name_edit = self._line_edit("Namn")
        self.email_edit = self._line_edit("E-post", "namn@exempel.se")
        self.phone_edit = self._line_edit("Telefon", "t.ex. 013-12 34 56")
        self.skl_email_edit = self._line_edit("SKL:s e-postadress för länssammanställningar")

        contact_box = QGroupBox("Dina kontaktuppgifter")
        contact_form = QFormLayout(contact_box)
        contact_hint = QLabel("Skrivs ut på blanketterna och på länssammanställningen.")
        contact_form.addRow(contact_hint)
        contact_form.addRow(self._buddy("N&amn:", self.name_edit), self.name_edit)
        contact_form.addRow(self._buddy("&E-post:", self.email_edit), self.email_edit)
        contact_form.addRow(self._buddy("&Telefon:", self.phone_edit), self.phone_edit)

        skl_box = QGroupBox("Till SKL")
        skl_layout = QVBoxLayout(skl_box)
        skl_layout.addWidget(self._buddy("&SKL:s e-postadress för länssammanställningar:", self.skl_email_edit))
        skl_layout.addWidget(self.skl_email_edit)

        self.error_label = QLabel()
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Fel i profilen")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.save_button.setText("Spara")
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText("Avbryt")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(role_box)
        layout.addWidget(place_box)
        layout.addWidget(contact_box)
        layout.addWidget(skl_box)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        order = [
            *self.role_buttons.values(), self.region_combo, self.kommun_combo, self.name_edit,
            self.email_edit, self.phone_edit, self.skl_email_edit, self.save_button, self.cancel_button,
        ]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

        self._load(settings)
        self.role_group.buttonToggled.connect(self._update_enabled)
        # A message about what could not be saved follows the fields: it goes when the problem is mended.
        self.role_group.buttonToggled.connect(self._recheck)
        self.region_combo.currentIndexChanged.connect(self._recheck)
        self.kommun_combo.currentTextChanged.connect(self._recheck)
        for edit in (self.name_edit, self.email_edit, self.phone_edit, self.skl_email_edit):
            edit.textChanged.connect(self._recheck)
        self._update_enabled()
        # Qt's own first size gives the wrapped introduction too little height and squeezes the fields.
        self.resize(560, 0)
        self._grow_to_fit()

    # ------------------------------------------------------------------ building
    @staticmethod
    def _buddy(text: str, widget: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(widget)
        return label

    @staticmethod
    def _line_edit(accessible_name: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(accessible_name)
        if placeholder:
            edit.setPlaceholderText(placeholder)
        return edit

    def _load(self, settings: Settings) -> None:
        button = self.role_buttons.get(settings.role)
        if button is not None:
            button.setChecked(True)
        self.region_combo.setCurrentIndex(self.region_combo.findData(settings.region))
        self.kommun_combo.setCurrentIndex(self.kommun_combo.findData(settings.kommun))
        if self.kommun_combo.currentIndex() < 0:
            self.kommun_combo.setEditText("")
        self.name_edit.setText(settings.name)
        self.email_edit.setText(settings.email)
        self.phone_edit.setText(settings.phone)
        self.skl_email_edit.setText(settings.skl_email)

    def _update_enabled(self, *_args) -> None:
        role = self.role()
        self.region_combo.setEnabled(role == "ledare")
        self.kommun_combo.setEnabled(role == "kommun")

    # ------------------------------------------------------------------ values
    def role(self) -> str:
        return next((key for key, button in self.role_buttons.items() if button.isChecked()), "")

    def _kommun_code(self) -> str:
        """The municipality in the combo: a chosen item, or typed as "Namn (kod)", a name or a code."""
        text = self.kommun_combo.currentText().strip()
        if not text:
            return ""
        wanted = text.casefold()
        for row in range(self.kommun_combo.count()):
            if self.kommun_combo.itemText(row).casefold() == wanted:
                return self.kommun_combo.itemData(row)
        for municipality in self.register.municipalities:
            if municipality.name.casefold() == wanted or municipality.code == text:
                return municipality.code
        return ""

    def settings(self) -> Settings:
        """The values currently in the dialog (only the region or municipality the role uses)."""
        role = self.role()
        return Settings(
            role=role,
            region=(self.region_combo.currentData() or "") if role == "ledare" else "",
            kommun=self._kommun_code() if role == "kommun" else "",
            name=self.name_edit.text().strip(),
            email=self.email_edit.text().strip(),
            phone=self.phone_edit.text().strip(),
            skl_email=self.skl_email_edit.text().strip(),
        )

    def problems(self) -> list[str]:
        return validate(self.settings(), self.register)

    def accept(self) -> None:
        problems = self.problems()
        self._show_problems(problems)
        if problems:
            self._focus_first_problem(problems[0])
            return
        super().accept()

    def _show_problems(self, problems: list[str]) -> None:
        if not problems:
            self.error_label.hide()
            return
        self.error_label.setText("Profilen kan inte sparas:\n" + "\n".join(f"• {p}" for p in problems))
        self.error_label.show()
        self._grow_to_fit()

    def _recheck(self, *_args) -> None:
        """Once "Spara" has shown what is wrong, the list follows each change (and goes when all is mended)."""
        if self.error_label.isVisible():
            self._show_problems(self.problems())

    def _grow_to_fit(self) -> None:
        """Make room for the error message instead of squeezing the fields."""
        layout = self.layout()
        layout.activate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else -1
        needed = max(needed, layout.totalSizeHint().height())
        if needed > self.height():
            self.resize(self.width(), needed)

    def _focus_first_problem(self, problem: str) -> None:
        if problem.startswith("Välj en roll"):
            widget: QWidget = next(iter(self.role_buttons.values()))
        elif problem.startswith("Välj region"):
            widget = self.region_combo
        elif problem.startswith("Välj kommun"):
            widget = self.kommun_combo
        elif problem.startswith("Telefon"):
            widget = self.phone_edit
        elif problem.startswith("E-postadressen till SKL"):
            widget = self.skl_email_edit
        else:
            widget = self.email_edit
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    @classmethod
    def edit(cls, parent: QWidget | None, register: Register, settings: Settings) -> tuple[Settings, bool]:
        """Show the dialog; (the new settings, True) after "Spara", (the given settings, False) otherwise."""
        dialog = cls(register, settings, parent)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return (dialog.settings() if accepted else settings), accepted
        finally:
            dialog.deleteLater()
