"""Small label helpers shared by the views: escaped rich text, wrapping labels, weak store listeners."""

from __future__ import annotations

import weakref

import shiboken6
from PySide6.QtWidgets import QLabel

WARNING_STYLE = "color: #b00020;"
# The questionnaire tab before a municipality is chosen (the main window shows it before it builds the view).
NO_MUNICIPALITY_CHOSEN = "Välj en kommun i listan för att fylla i eller se dess enkät."
# Visa → Gå till avsnitt… (SKL's report texts; the main window's menu and the button above the texts).
# Ctrl+G is Svar → Gå till fråga… (the questionnaire), active in every view: a second Ctrl+G would be ambiguous.
GO_TO_SECTION_TEXT = "Gå till avsnitt…"
GO_TO_SECTION_SHORTCUT = "Ctrl+Shift+G"


def esc(text: str) -> str:
    """Text made safe for a Qt rich-text label: a municipality's '<b>' stays visible as typed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def wrapped_label(text: str = "", rich: bool = False) -> QLabel:
    """A word-wrapping label; plain text unless rich is asked for, so typed markup is never interpreted."""
    from PySide6.QtCore import Qt  # here, not at the top: the start does not touch `Qt` (see gui/models.py)

    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    return label


OPTIONAL_MARK = "(frivillig)"


def question_heading(question) -> QLabel:
    """A question's label ("5)", "1 a)") and text, its hint in italics after them (a form's `Question`);
    a question that need not be answered says so. The first part of a question carries the whole
    question's heading above it ("1) Regionala utvecklingsledare"), so the heading is shown once."""
    hint = f" <i>{esc(question.hint)}</i>" if question.hint else ""
    optional = "" if question.required else f" <i>{OPTIONAL_MARK}</i>"
    heading = f"<b>{question.number}) {esc(question.heading)}</b><br>" if question.heading else ""
    label = wrapped_label(f"{heading}<b>{esc(question.label)}</b> {esc(question.text)}{hint}{optional}", rich=True)
    return label


NO_COMPARISON = "Ingen jämförelse"
PREVIOUS_ROUND_MARK = " (förra omgången)"


def compare_choices(earlier: list) -> list[tuple[str, object]]:
    """The items of a "Jämför med" chooser, as (text, round or None), for a round's earlier rounds
    (oldest first, as `Store.earlier_rounds` gives them): the newest first, named as the window names
    rounds ("Kartläggning 2011 (förra omgången)"), then "Ingen jämförelse" (None)."""
    newest_first = list(reversed(earlier))
    return ([(r.title + (PREVIOUS_ROUND_MARK if index == 0 else ""), r) for index, r in enumerate(newest_first)]
            + [(NO_COMPARISON, None)])


def set_label_text(label: QLabel, text: str) -> None:
    """Set a label's text only when it changed, so a live view does not relayout on every store change."""
    if label.text() != text:
        label.setText(text)


def notify_view(ref: weakref.ref) -> None:
    """Store listener holding its view weakly: a closed view is skipped, never kept alive by the store."""
    view = ref()
    if view is not None and shiboken6.isValid(view):
        view._store_changed()
