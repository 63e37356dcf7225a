"""Starting the GUI: QApplication, the database, the main window."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from PySide6 import QtWidgets  # QMessageBox as QtWidgets.QMessageBox: its class is made only if needed
from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

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

    At the first start (no saved profile) the first-run dialogs come first (gui/first_run.py): the
    profile, then, when the default database is about to be created, the offer to begin with the separate
    demo database instead (the real one is then not even created), and "Så fungerar det" once the
    window is shown. Changes that could not be saved when the program was last closed (the database
    was busy, gui/pending.py) are offered before the window is shown.
    """
    from ..core import open_store
    from ..settings import load_settings
    from .main_window import MainWindow

    settings = load_settings(settings_file)
    first_run = None
    if ask_profile and not settings.is_configured:
        gc.enable()  # the start's pause of the collector is not for the time the user spends in dialogs
        from ..core import register
        from ..paths import default_database, demo_database
        from .first_run import run_first_run

        # Only for a new default database: not with --db FIL, and not when a database handed over
        # by a predecessor is already in place.
        offer_demo = not demo and Path(db_path) == default_database() and not Path(db_path).exists()
        first_run = run_first_run(register(), settings, settings_file, offer_demo=offer_demo)
        settings = first_run.settings
        if first_run.demo:
            db_path, demo = demo_database(), True
    store = open_store(db_path, daily_backup=not demo)
    if demo:
        from ..demo import fill_demo_database

        fill_demo_database(store)
    window = MainWindow(store, settings, demo=demo, round_year=round_year, settings_file=settings_file)
    from ..store.pending import has_recovery

    if has_recovery(store.path):  # changes a busy database kept from the last session
        from .pending import offer_recovery

        offer_recovery(window, store, window.pending)  # only now: the window makes `pending` when first needed
    if first_run is not None and first_run.saved:
        from .first_run import show_guide_when_shown

        show_guide_when_shown(window)
    return window


AFTER_START_MS = 1000  # what the start puts off is done a second after the window is shown


def after_start() -> None:
    """What the start put off, done once, when the window is up.

    - PySide6 makes the `Qt` namespace's ~120 enums (about 20 ms), which nothing on screen at the
      start needs (gui/models.py); made now, not at the user's first click.
    - The cyclic garbage collector is turned back on: one collection, then gc.freeze(), since what
      is left from the start lives as long as the program, and frozen objects are not walked
      through again, so later pauses stay short.
    """
    from PySide6 import QtCore

    from .crash_report import start_logging

    start_logging()  # the program's warnings and errors to the log file in the data folder
    QtCore.Qt  # noqa: B018 (the attribute access is what makes PySide6 create it)
    gc.collect()
    gc.freeze()
    gc.enable()


def run_gui(db_path: Path, *, demo: bool = False, round_year: int | None = None) -> int:
    """Open the main window and run until it is closed. The caller may have turned the garbage
    collector off for the start (cli.main does); it is turned on again once the window is up.
    """
    from ..store import DatabaseError, StoreError
    from ..survey.forms import FormError
    from ..survey.register import RegisterError

    try:
        app = ensure_app()
        try:
            window = open_main_window(db_path, demo=demo, round_year=round_year)
        except (DatabaseError, StoreError, FormError, RegisterError) as error:
            after_start()
            QtWidgets.QMessageBox.critical(None, APP_NAME, f"Programmet kan inte starta:\n\n{error}")
            return 1
        from .crash_report import install

        install()  # from now on an unexpected error is told in Swedish and logged, and the program goes on
        window.showMaximized()  # a leader's laptop screen is small: all of it for the questionnaire
        # Not at once: a zero timer would run before the window's first paint (posted events come
        # before the window system's expose), and would delay it.
        QTimer.singleShot(AFTER_START_MS, after_start)
        return app.exec()
    finally:
        gc.enable()
