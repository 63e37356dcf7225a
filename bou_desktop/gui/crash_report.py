"""No silent failure: an unexpected exception in the window is told, logged, and the program goes on.

A slot that raises is called from Qt's event loop, and PySide6 hands the exception to
`sys.excepthook`; the default one prints it to a console the user never sees. `install` replaces it:
the error is written to a rotated log file in the data folder (`logg/bou-desktop.log`) and a Swedish
message says what went wrong, that nothing already saved is lost, with a button to copy the details.
Every change is saved in its own transaction as it is made, so nothing saved depends on the slot
that failed. The log holds the traceback and the program's own warnings; no answers, only what a
message quotes.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from .. import APP_NAME, __version__
from ..paths import user_data_dir

LOG_FILE_BYTES = 1_000_000
LOG_FILES_KEPT = 4
log = logging.getLogger("bou_desktop")


def log_path() -> Path:
    return user_data_dir() / "logg" / "bou-desktop.log"


def start_logging() -> Path:
    """Write the program's log (warnings and errors) to the data folder's rotated log file (made on first use:
    the start of the program does not wait for it)."""
    from logging.handlers import RotatingFileHandler

    class _PrivateRotatingFileHandler(RotatingFileHandler):
        """A rotated log file readable by its user only, like the database and the backups."""

        def _open(self):
            stream = super()._open()
            try:
                os.chmod(self.baseFilename, 0o600)
            except OSError:
                pass
            return stream

    path = log_path()
    for handler in log.handlers:
        if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == path:
            return path
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = _PrivateRotatingFileHandler(path, maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILES_KEPT, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.WARNING)
    log.addHandler(handler)
    if log.level == logging.NOTSET or log.level > logging.WARNING:
        log.setLevel(logging.WARNING)
    return path


def details(kind: type[BaseException], error: BaseException, tb) -> str:
    """The text a person copies to whoever helps them: version, platform and the traceback."""
    import traceback  # only when something went wrong: the start does not wait for it

    lines = traceback.format_exception(kind, error, tb)
    return f"{APP_NAME} {__version__}, Python {sys.version.split()[0]}, {sys.platform}\n\n" + "".join(lines)


class ErrorReporter:
    """The `sys.excepthook` of the running program; one message at a time, every error logged."""

    def __init__(self) -> None:
        self.log_file = log_path()
        self.showing = False
        self.dialog = None

    def __call__(self, kind: type[BaseException], error: BaseException, tb) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        text = details(kind, error, tb)
        start_logging()
        log.error("Oväntat fel i programmet\n%s", text)
        if self.showing:  # an error while the message is open (a repaint, a timer) is logged only
            return
        try:
            self.show(error, text)
        except Exception:  # the message itself failed: the log has the error; never a loop of messages
            self.showing = False
            log.exception("Felmeddelandet kunde inte visas")

    def show(self, error: BaseException, text: str) -> None:
        """Open the message without waiting for it: no event loop of its own inside whatever Qt was doing."""
        from PySide6.QtWidgets import QApplication

        if QApplication.instance() is None:
            sys.__excepthook__(type(error), error, error.__traceback__)
            return
        self.showing = True
        self.dialog = error_dialog(error, text, self.log_file, QApplication.activeWindow())
        self.dialog.finished.connect(self._closed)
        self.dialog.open()

    def _closed(self, _result: int) -> None:
        self.showing = False
        self.dialog.deleteLater()
        self.dialog = None


def error_dialog(error: BaseException, text: str, log_file: Path, parent=None):
    """The message: what went wrong, that nothing saved is lost, the details with a button to copy them."""
    from PySide6.QtWidgets import (
        QApplication,
        QDialog,
        QDialogButtonBox,
        QLabel,
        QPlainTextEdit,
        QPushButton,
        QVBoxLayout,
    )

    what = str(error).strip() or type(error).__name__
    dialog = QDialog(parent)
    dialog.setWindowTitle(f"{APP_NAME} – ett oväntat fel")
    layout = QVBoxLayout(dialog)
    message = QLabel(
        f"Något gick fel i programmet: {what}\n\n"
        "Inget som redan är sparat har gått förlorat: varje ändring sparas i databasen när den görs. "
        "Programmet fortsätter; det du höll på med kan behöva göras om.\n\n"
        f"Felet är också sparat i loggfilen {log_file}. Kopiera detaljerna och skicka dem till den som "
        "hjälper dig med programmet."
    )
    message.setWordWrap(True)
    message.setAccessibleName("Felmeddelande")
    shown_details = QPlainTextEdit(text)
    shown_details.setReadOnly(True)
    shown_details.setAccessibleName("Detaljer om felet")
    shown_details.setMinimumHeight(140)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText("OK")
    copy = QPushButton("Kopiera detaljer")
    buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
    copied = QLabel("")

    def copy_details() -> None:
        QApplication.clipboard().setText(text)
        copied.setText("Detaljerna är kopierade.")

    # An action button in a QDialogButtonBox only emits clicked: the dialog stays open.
    copy.clicked.connect(lambda _checked=False: copy_details())
    buttons.accepted.connect(dialog.accept)
    layout.addWidget(message)
    layout.addWidget(shown_details, 1)
    layout.addWidget(copied)
    layout.addWidget(buttons)
    dialog.resize(620, 420)
    dialog.copy_button = copy
    dialog.message = message
    buttons.button(QDialogButtonBox.StandardButton.Ok).setFocus()
    return dialog


def install() -> ErrorReporter:
    """Make unexpected errors in the window visible, logged and survivable (the running program's hook)."""
    reporter = ErrorReporter()
    sys.excepthook = reporter
    return reporter
