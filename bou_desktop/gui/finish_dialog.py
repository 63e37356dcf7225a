""""Markera som klar": what is still unanswered, with a jump to each question, and a confirmation."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ..survey.answers import Answers, contradictions, unanswered
from ..survey.forms import Form

QUESTION_ROLE = Qt.ItemDataRole.UserRole + 1


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class FinishDialog(QDialog):
    """Lists unanswered questions and contradictions; a click jumps to the question."""

    jump_requested = Signal(str)

    def __init__(self, form: Form, answers: Answers, municipality: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Markera som klar – {municipality}")
        self.resize(620, 420)
        layout = QVBoxLayout(self)
        missing = unanswered(form, answers)
        contradictory = contradictions(form, answers)
        self.complete = not missing and not contradictory
        self.list = QListWidget()
        self.list.setAccessibleName("Obesvarade frågor")
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for question in missing:
            item = QListWidgetItem(f"Fråga {question.number}: {_short(question.text)}")
            item.setData(QUESTION_ROLE, question.id)
            self.list.addItem(item)
        for qid in contradictory:
            question = form.question(qid)
            item = QListWidgetItem(f"Fråga {question.number}: har svar fast den ska hoppas över")
            item.setData(QUESTION_ROLE, qid)
            item.setForeground(Qt.GlobalColor.darkRed)
            self.list.addItem(item)
        if self.complete:
            intro = QLabel(f"Alla frågor är besvarade. Markera svaret från {municipality} som klart?\n\n"
                           "Ett klart svar räknas i sammanställningen och låses; det kan öppnas igen med en orsak.")
            self.list.hide()
        else:
            parts = []
            if missing:
                parts.append(f"{len(missing)} {'fråga är' if len(missing) == 1 else 'frågor är'} obesvarade")
            if contradictory:
                parts.append(f"{len(contradictory)} {'fråga har' if len(contradictory) == 1 else 'frågor har'} svar trots hopp")
            intro = QLabel(" och ".join(parts).capitalize() + ". Dubbelklicka på en fråga (eller tryck Enter) för att gå dit.\n\n"
                           "Vill du markera svaret som klart ändå?")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox()
        self.finish_button = buttons.addButton("Markera som klar" if self.complete else "Markera som klar ändå",
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton("Avbryt", QDialogButtonBox.ButtonRole.RejectRole)
        (self.finish_button if self.complete else cancel).setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.itemActivated.connect(self._jump)
        if self.list.count():
            self.list.setCurrentRow(0)
            self.list.setFocus()

    def _jump(self, item: QListWidgetItem) -> None:
        self.jump_requested.emit(item.data(QUESTION_ROLE))
        self.reject()
