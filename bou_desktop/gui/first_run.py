"""The first start: choose the profile, offer the demo database, then show how the program works.

`run_first_run` asks for the profile (the existing `ProfileDialog`) and, once it is saved, whether to
begin with the demo database. The demo is a separate file (`paths.demo_database()`): the real database
is not even created when the demo is chosen. After the main window has appeared, "Så fungerar det"
shows the few steps of the chosen role; the same dialog is under Hjälp → Så fungerar det (F1).
Nothing of this appears again once a profile is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from ..settings import ROLES, Settings, save_settings
from ..survey.register import Register
from .profile_dialog import ProfileDialog

DEMO_QUESTION = "Vill du börja med en demodatabas med påhittade svar för att prova programmet?"
DEMO_EXPLANATION = (
    "Demodatabasen är en egen fil med påhittade svar från kommunerna i alla regioner, så att du kan prova "
    "att söka, fylla i, importera och sammanställa. Din riktiga databas lämnas orörd och tom, och den "
    "öppnas nästa gång du startar programmet. Fönstrets namn slutar med ”(demo)” så länge demodatabasen är öppen."
)
DEMO_YES = "&Ja, prova med demodatabasen"
DEMO_NO = "&Nej, börja med en tom databas"
HOW_IT_WORKS_TITLE = "Så fungerar det"

# Per role: a one-line introduction and the steps (heading, what to do), with the real menu names.
STEPS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "ledare": (
        "Som utvecklingsledare samlar du in enkäten från kommunerna i din region och skickar "
        "länssammanställningen till SKL.",
        (
            ("Skicka ut enkäten",
             "Arkiv → Skapa svarsfiler för regionen… gör en ifyllbar Excelfil per kommun som du e-postar till "
             "IFO-chefen. För papper: Arkiv → Spara tom enkät som PDF…"),
            ("Eller intervjua",
             "Välj kommunen i listan (Ctrl+F söker) och fyll i enkäten under samtalet; allt sparas direkt. "
             "Svar → Markera som klar… (Ctrl+Return) när svaret är komplett."),
            ("Importera svarsfiler",
             "Arkiv → Importera… (Ctrl+I), eller dra filerna till fönstret. Du får ett besked per fil. "
             "En kommuns egen ifyllda enkät blir importerad och räknas som svar när alla obligatoriska frågor "
             "är besvarade; annars står den som importerad – ofullständig tills du fyller i resten eller "
             "markerar den som klar."),
            ("Följ upp vilka som saknas",
             "Listan visar varje kommuns status (ej påbörjad, utkast, importerad, importerad – ofullständig, "
             "klar) och raden under den hur många som har svarat. Påminn dem som saknas."),
            ("Länssammanställning till SKL",
             "Visa → Länssammanställning (Ctrl+2): skriv sammanfattningen av de öppna svaren och regionens "
             "rangordning, och skicka den till SKL med Exportera Excel… och Exportera PDF… (eller E-post till SKL…)."),
            ("Återkoppling",
             "När SKL:s riksrapport har kommit: importera den med Arkiv → Importera… och välj "
             "Arkiv → Återkoppling till kommunerna…"),
        ),
    ),
    "kommun": (
        "Som kommun fyller du i enkäten och skickar svarsfilen till utvecklingsledaren i er region.",
        (
            ("Fyll i enkäten",
             "Enkäten är öppen i fönstret. Allt sparas direkt; Redigera → Ångra (Ctrl+Z) tar tillbaka en ändring."),
            ("Markera som klar",
             "Svar → Markera som klar… (Ctrl+Return) när alla frågor är besvarade. Programmet visar vad som saknas."),
            ("Skicka svarsfilen",
             "Arkiv → Exportera svarsfil… (Ctrl+E) sparar en Excelfil. Skicka den med e-post till "
             "utvecklingsledaren."),
        ),
    ),
    "skl": (
        "Som SKL tar du emot regionernas länssammanställningar och gör den nationella sammanställningen.",
        (
            ("Importera länsfilerna",
             "Importera länssammanställningar… i fliken Riket, Arkiv → Importera… (Ctrl+I), eller dra filerna "
             "till fönstret."),
            ("Följ upp vilka som saknas",
             "Överst står hur många regioner som har skickat in och vilka som saknas, med svarsfrekvensen per region."),
            ("Riksrapport",
             "Exportera Excel… och Exportera PDF… ger riksrapporten. Exportera JSON… ger filen som "
             "utvecklingsledarna importerar för att jämföra med riket."),
            ("Skriv SKL:s rapport",
             "Visa → Rapporttexter (Ctrl+3): skriv förordet, sammanfattningen, bakgrunden och analysen under "
             "varje fråga; allt sparas direkt. Exportera Word… och Exportera rapport som PDF… ger rapporten "
             "med tabeller, diagram och enkäterna som bilagor."),
            ("Återkoppling",
             "Län i jämförelse med riket… ger en rapport per region; utvecklingsledarna skickar varje kommun "
             "dess egen återkoppling."),
        ),
    ),
}
FOOTER = "Du hittar den här hjälpen under Hjälp → Så fungerar det (F1). Din profil ändrar du under Arkiv → Profil…"


def fit_to_text(dialog: QDialog, width: int) -> None:
    """Give a dialog with wrapped text the height that text needs at `width` (Qt's first size squeezes it)."""
    layout = dialog.layout()
    layout.activate()
    height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else -1
    dialog.resize(width, height if height > 0 else layout.totalSizeHint().height())


class TextDialog(QDialog):
    """A dialog of selectable rich text and a Stäng button that has the focus (Enter or Esc closes it)."""

    def __init__(self, title: str, html: str, parent: QWidget | None = None, *, width: int = 560) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.text_label = QLabel(html)
        self.text_label.setTextFormat(Qt.TextFormat.RichText)
        self.text_label.setWordWrap(True)
        self.text_label.setAccessibleName(title)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText("Stäng")
        self.close_button.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(width - 40)
        fit_to_text(self, width)
        self.close_button.setFocus(Qt.FocusReason.OtherFocusReason)


def how_it_works_html(role: str) -> str:
    """The steps of a role as rich text; all three roles when none is chosen."""
    roles = [role] if role in STEPS else list(STEPS)
    parts = []
    for key in roles:
        intro, steps = STEPS[key]
        if len(roles) > 1:
            parts.append(f"<h3>{escape(ROLES[key])}</h3>")
        items = "".join(f"<li><b>{escape(heading)}.</b> {escape(text)}</li>" for heading, text in steps)
        parts.append(f"<p>{escape(intro)}</p><ol>{items}</ol>")
    parts.append(f"<p><i>{escape(FOOTER)}</i></p>")
    return "".join(parts)


def how_it_works_text(role: str) -> str:
    """The same steps as plain text (for tests and the user guide)."""
    roles = [role] if role in STEPS else list(STEPS)
    lines = []
    for key in roles:
        intro, steps = STEPS[key]
        lines.append(intro)
        lines.extend(f"{number}. {heading}. {text}" for number, (heading, text) in enumerate(steps, start=1))
    return "\n".join(lines)


class DemoOfferDialog(QDialog):
    """ "Vill du börja med en demodatabas …?" Accepted = the demo; Enter and Esc both keep the real database."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Demodatabas")
        question = QLabel(f"<b>{escape(DEMO_QUESTION)}</b>")
        question.setWordWrap(True)
        explanation = QLabel(DEMO_EXPLANATION)
        explanation.setWordWrap(True)
        explanation.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox()
        self.demo_button = QPushButton(DEMO_YES)
        self.empty_button = QPushButton(DEMO_NO)
        # The real database is the default: a person who presses Enter to get going never ends up
        # typing real answers into the demo by mistake.
        self.empty_button.setDefault(True)
        self.demo_button.setAutoDefault(False)
        self.buttons.addButton(self.demo_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.empty_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(explanation)
        layout.addSpacing(6)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        fit_to_text(self, 560)
        self.empty_button.setFocus(Qt.FocusReason.OtherFocusReason)

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> bool:
        """True when the demo database is chosen."""
        dialog = cls(parent)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()


class HowItWorksDialog(TextDialog):
    """ "Så fungerar det": the steps of the user's role; Enter or Esc closes it."""

    def __init__(self, role: str, parent: QWidget | None = None) -> None:
        super().__init__(HOW_IT_WORKS_TITLE, how_it_works_html(role), parent, width=640)
        self.role = role

    def text(self) -> str:
        return how_it_works_text(self.role)


@dataclass(frozen=True)
class FirstRun:
    settings: Settings
    saved: bool  # the profile was saved (when not, everything is asked again at the next start)
    demo: bool  # the demo database was chosen


def run_first_run(register: Register, settings: Settings, settings_file: Path | None = None, *,
                  offer_demo: bool = True, parent: QWidget | None = None) -> FirstRun:
    """Ask for the profile and save it; then, if `offer_demo`, whether to begin with the demo database."""
    chosen, accepted = ProfileDialog.edit(parent, register, settings)
    if not accepted:
        return FirstRun(settings, saved=False, demo=False)
    save_settings(chosen, settings_file)
    demo = DemoOfferDialog.ask(parent) if offer_demo else False
    return FirstRun(chosen, saved=True, demo=demo)


class _GuideOnFirstShow(QObject):
    """Open "Så fungerar det" once the main window is on screen (not before: it explains that window)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Show:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, watched, watched.show_how_it_works)
            self.deleteLater()
        return False


def show_guide_when_shown(window: QWidget) -> None:
    """Show the window's "Så fungerar det" (`window.show_how_it_works`) right after it first appears."""
    window.installEventFilter(_GuideOnFirstShow(window))
