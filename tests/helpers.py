"""Test helpers for driving widgets like a person does."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget


def type_text(widget: QWidget, text: str) -> None:
    """Type text key by key, Swedish letters included.

    QTest.keyClicks only knows ASCII (it asserts on "ö"), so each character is sent as a
    key press and release carrying its text, as a keyboard with a Swedish layout does.
    """
    for char in text:
        key = Qt.Key(ord(char.upper())) if char.isascii() and char.isalnum() else Qt.Key.Key_unknown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char))


def show_window(qtbot, window: QWidget, size: tuple[int, int] = (1366, 768)) -> QWidget:
    """Show a window at a laptop's screen size (closed after the test), once it is on screen."""
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return window


def on_next_modal(action, timeout_ms: int = 5000) -> None:
    """Run `action(dialog)` on the next modal dialog once it is open (the test code waits in exec())."""
    from PySide6.QtCore import QElapsedTimer, QTimer

    clock = QElapsedTimer()
    clock.start()

    def handle() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible():
            if clock.elapsed() < timeout_ms:
                QTimer.singleShot(10, handle)
            return
        action(dialog)

    QTimer.singleShot(0, handle)


def click_button(dialog, text: str) -> None:
    """Click the dialog's button with this text (QMessageBox or any dialog with push buttons)."""
    from PySide6.QtWidgets import QAbstractButton

    buttons = [b for b in dialog.findChildren(QAbstractButton) if b.text().replace("&", "") == text]
    assert buttons, f"no button {text!r} in {dialog.windowTitle()!r}: {[b.text() for b in dialog.findChildren(QAbstractButton)]}"
    buttons[0].click()


def on_modals(*actions, timeout_ms: int = 10000) -> list:
    """Answer a sequence of modal dialogs in order, each with its action; returns the dialogs seen."""
    from PySide6.QtCore import QElapsedTimer, QTimer

    remaining = list(actions)
    seen: list = []
    clock = QElapsedTimer()
    clock.start()

    def handle() -> None:
        if not remaining:
            return
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible() or dialog in seen or type(dialog).__name__ == "QProgressDialog":
            if clock.elapsed() < timeout_ms:
                QTimer.singleShot(10, handle)
            return
        seen.append(dialog)
        remaining.pop(0)(dialog)
        QTimer.singleShot(10, handle)

    QTimer.singleShot(0, handle)
    return seen
