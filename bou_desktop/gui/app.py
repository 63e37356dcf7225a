"""Starting the GUI: QApplication, the database, the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from .. import APP_NAME, __version__
from ..paths import resources_dir


def app_icon() -> QIcon:
    return QIcon(str(resources_dir() / "icons" / "bou-desktop.svg"))


def install_swedish(app: QApplication) -> None:
    """Qt's own texts (Ja/Nej/Avbryt, file dialogs) in Swedish, and Swedish number and date formats."""
    QLocale.setDefault(QLocale(QLocale.Language.Swedish, QLocale.Country.Sweden))
    if getattr(app, "_bou_translator", None) is None:
        translator = QTranslator(app)
        if translator.load("qtbase_sv", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(translator)
            app._bou_translator = translator  # keep a reference for the app's lifetime


def ensure_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_swedish(app)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("BoU Desktop")
    app.setWindowIcon(app_icon())
    return app  # type: ignore[return-value]


def open_main_window(db_path: Path, *, demo: bool = False, round_year: int | None = None,
                     settings_file: Path | None = None, ask_profile: bool = True):
    """Open the database and build the main window; raise the core's errors unchanged.

    At the first start (no saved profile) the profile dialog is shown first.
    """
    from ..core import open_store
    from ..settings import load_settings, save_settings
    from .main_window import MainWindow
    from .profile_dialog import ProfileDialog

    settings = load_settings(settings_file)
    store = open_store(db_path, daily_backup=not demo)
    if demo:
        from ..demo import fill_demo

        fill_demo(store)
    if ask_profile and not settings.is_configured:
        chosen, accepted = ProfileDialog.edit(None, store.register, settings)
        if accepted:
            settings = chosen
            save_settings(settings, settings_file)
    return MainWindow(store, settings, demo=demo, round_year=round_year, settings_file=settings_file)


def run_gui(db_path: Path, *, demo: bool = False, round_year: int | None = None) -> int:
    from ..store import DatabaseError, StoreError
    from ..survey.forms import FormError
    from ..survey.register import RegisterError

    app = ensure_app()
    try:
        window = open_main_window(db_path, demo=demo, round_year=round_year)
    except (DatabaseError, StoreError, FormError, RegisterError) as error:
        QMessageBox.critical(None, APP_NAME, f"Programmet kan inte starta:\n\n{error}")
        return 1
    window.show()
    return app.exec()
