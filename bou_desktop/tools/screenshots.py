"""The user guide's screenshots (docs/bilder/), made the same way every time.

    python -m bou_desktop.tools.screenshots [--out docs/bilder]

Runs on Qt's offscreen platform (no screen needed) in a temporary BOU_DESKTOP_HOME, so the user's own
settings and databases are never read or touched. Everything that could vary is fixed: the demo answers
(seeded), the clock the database records, the window size (1200×800), the style (Fusion) and the font
(the bundled DejaVu Sans, 9 pt). Paths shown in the pictures are those of a Windows user
(C:\\Users\\anna\\AppData\\Local\\BoU Desktop), as the guide is written for the Windows program.

`tests/test_user_guide.py` runs this script and compares each picture with the committed one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

WINDOW_SIZE = (1200, 800)
FONT_FAMILY = "DejaVu Sans"
FONT_POINT_SIZE = 9
WINDOWS_HOME = r"C:\Users\anna\AppData\Local\BoU Desktop"
FIXED_CLOCK = "2012-01-20T10:15:00"  # what the database records as "now" while the pictures are made
LEADER_REGION = "Östergötland"

# The pictures, in the order the guide shows them: file name -> what it shows.
SHOTS = {
    "forsta-start-profil.png": "Första start: profilen (utvecklingsledare i Östergötland)",
    "forsta-start-demo.png": "Första start: erbjudandet om demodatabasen",
    "sa-fungerar-det-ledare.png": "Så fungerar det, för utvecklingsledaren",
    "sa-fungerar-det-kommun.png": "Så fungerar det, för kommunen",
    "sa-fungerar-det-skl.png": "Så fungerar det, för SKL",
    "ledare-enkat.png": "Utvecklingsledarens huvudfönster med en kommuns enkät",
    "ledare-import.png": "Resultatet av en import av svarsfiler",
    "ledare-lanssammanstallning.png": "Länssammanställningen för regionen",
    "kommun-enkat.png": "Kommunens fönster: den egna enkäten",
    "skl-riket.png": "SKL: den nationella sammanställningen",
    "om-programmet.png": "Hjälp → Om BoU Desktop",
}


def default_out() -> Path:
    """docs/bilder of the source checkout, or of the current folder when run from an installed package."""
    from ..paths import PACKAGE_DIR

    checkout = PACKAGE_DIR.parent
    if (checkout / "docs").is_dir() and (checkout / "pyproject.toml").is_file():
        return checkout / "docs" / "bilder"
    return Path.cwd() / "docs" / "bilder"


def _windows_path(path: Path | str, home: Path) -> str:
    """A path under the temporary home as a Windows user would see it."""
    text = str(path)
    if text.startswith(str(home)):
        rest = text[len(str(home)):].lstrip("/\\").replace("/", "\\")
        return f"{WINDOWS_HOME}\\{rest}" if rest else WINDOWS_HOME
    return text


class _Shooter:
    def __init__(self, out: Path, home: Path) -> None:
        from PySide6.QtWidgets import QApplication

        self.out = out
        self.home = home
        self.app = QApplication.instance()
        self.written: list[Path] = []

    def settle(self) -> None:
        """Let coalesced refreshes, layouts and deferred builds run."""
        for _ in range(6):
            self.app.processEvents()
            time.sleep(0.01)
        self.app.processEvents()

    def save(self, name: str, widget) -> None:
        assert name in SHOTS, name
        self.settle()
        image = widget.grab().toImage()
        path = self.out / name
        if not image.save(str(path), "PNG"):
            raise OSError(f"kunde inte skriva {path}")
        self.written.append(path)

    def window(self, path: Path, settings, *, demo: bool = True):
        """A main window on its own connection to the database, at the fixed size, with Windows paths."""
        from .. import core
        from ..gui.main_window import MainWindow

        window = MainWindow(core.open_store(path), settings, demo=demo)
        window.resize(*WINDOW_SIZE)
        window.show()
        self.settle()
        self.windows_status(window)
        return window

    def windows_status(self, window) -> None:
        bar = window.statusBar()
        bar.showMessage(bar.currentMessage().replace(str(window.store.path),
                                                     _windows_path(window.store.path, self.home)))

    def close(self, widget) -> None:
        widget.close()
        widget.deleteLater()
        self.settle()


def _quiet_offscreen(kind, context, message: str) -> None:
    """Qt's messages on stderr, except the offscreen platform's note that it cannot pass on size hints."""
    if "does not support propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def _setup_application():
    """The QApplication as the program sets it up, with a fixed style, palette and font."""
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtGui import QFont, QFontDatabase
    from PySide6.QtWidgets import QApplication

    from ..gui.app import ensure_app
    from ..paths import resources_dir

    qInstallMessageHandler(_quiet_offscreen)
    existing = QApplication.instance()
    if existing is not None and QApplication.platformName() != "offscreen":
        raise RuntimeError("skärmbilderna tas på Qt:s offscreen-plattform; kör skriptet i en egen process")
    app = ensure_app()
    app.setStyle("Fusion")
    app.setPalette(app.style().standardPalette())
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"):
        if QFontDatabase.addApplicationFont(str(resources_dir() / "fonts" / name)) < 0:
            raise RuntimeError(f"typsnittet {name} kunde inte läsas")
    font = QFont(FONT_FAMILY, FONT_POINT_SIZE)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    app.setFont(font)
    return app


def _fixed_clock() -> Callable[[], None]:
    """Make the database record a fixed time; returns the function that undoes it."""
    from ..store import repository

    original = repository.now
    repository.now = lambda: FIXED_CLOCK
    return lambda: setattr(repository, "now", original)


def take_screenshots(out: Path, home: Path) -> list[Path]:
    """Make every picture of `SHOTS` in `out`; `home` is the (temporary) BOU_DESKTOP_HOME."""
    from .. import core
    from ..demo import fill_demo, fill_demo_national
    from ..paths import demo_database
    from ..settings import Settings

    _setup_application()
    out.mkdir(parents=True, exist_ok=True)
    restore_clock = _fixed_clock()
    shooter = _Shooter(out, home)
    store = core.open_store(demo_database())
    try:
        fill_demo(store)
        fill_demo_national(store)
        round_ = store.round_for()
        leader = Settings(role="ledare", region=LEADER_REGION, name="Åsa Öberg", email="asa.oberg@example.se",
                          phone="013-12 34 56", skl_email="bou@skl.se")
        _leader_texts(store, round_)
        _first_run(shooter, store, leader)
        _leader(shooter, store, leader)
        _import(shooter, home, store, leader)
        _municipality(shooter, store)
        _skl(shooter, store)
        _about(shooter, home)
    finally:
        store.close()
        restore_clock()
    missing = [name for name in SHOTS if out / name not in shooter.written]
    if missing:
        raise RuntimeError(f"bilderna gjordes inte: {', '.join(missing)}")
    return shooter.written


def _leader_texts(store, round_) -> None:
    """What a leader has written on the county form, so the picture shows a compilation in progress."""
    texts = {
        "utvecklingsledare": "Åsa Öberg",
        "summary.q5": "De flesta kommuner kan ta ut grunduppgifter ur verksamhetssystemet men inte följa upp resultat.",
        "summary.q8": "Tidsbrist och IT-system som inte ger statistik är de vanligaste hindren.",
        "rank.individuell_uppfoljning": 1, "rank.basuppgifter": 2, "rank.brukarmedverkan": 3,
    }
    for key, value in texts.items():
        store.set_leader_text(round_, LEADER_REGION, key, value, source="demo")


def _first_run(shooter: _Shooter, store, leader) -> None:
    from ..gui.first_run import DemoOfferDialog, HowItWorksDialog
    from ..gui.profile_dialog import ProfileDialog

    profile = ProfileDialog(store.register, leader)
    profile.show()
    shooter.save("forsta-start-profil.png", profile)
    shooter.close(profile)

    offer = DemoOfferDialog()
    offer.show()
    shooter.save("forsta-start-demo.png", offer)
    shooter.close(offer)

    for role in ("ledare", "kommun", "skl"):
        guide = HowItWorksDialog(role)
        guide.show()
        shooter.save(f"sa-fungerar-det-{role}.png", guide)
        shooter.close(guide)


def _first_municipality(store, round_, region: str, status: str) -> str:
    """The first municipality of the region (in Swedish order) whose response has this status."""
    from ..collation import swedish_sorted

    statuses = store.statuses(round_)
    for municipality in swedish_sorted(store.municipalities(region), key=lambda m: m.name):
        if statuses.get(municipality.code) == status:
            return municipality.code
    raise LookupError(f"ingen kommun i {region} med status {status}")


def _leader(shooter: _Shooter, store, leader) -> None:
    round_ = store.round_for()
    window = shooter.window(store.path, leader)
    window.select_municipality(_first_municipality(store, round_, LEADER_REGION, "utkast"))
    shooter.windows_status(window)
    shooter.save("ledare-enkat.png", window)
    window.show_county_action.trigger()
    shooter.settle()
    shooter.save("ledare-lanssammanstallning.png", window)
    shooter.close(window)


def _import(shooter: _Shooter, home: Path, demo_store, leader) -> None:
    """Svarsfiler from four municipalities (one from another region, one damaged) into a new database."""
    from .. import core
    from ..exchange.importer import import_files
    from ..exchange.response_export import export_response_json, export_response_xlsx
    from ..gui.import_dialogs import ImportResultsDialog

    round_ = demo_store.round_for()
    folder = home / "svarsfiler"
    folder.mkdir()
    answered = [r.kommun for r in demo_store.responses(round_, LEADER_REGION, with_fields=False) if r.status == "klar"]
    names = {code: demo_store.register.municipality(code).name for code in answered}
    paths = []
    for index, code in enumerate(sorted(answered, key=lambda c: names[c])[:3]):
        name = f"Svarsfil {round_.year} {code} {names[code]}"
        if index == 1:
            paths.append(export_response_json(demo_store, round_, code, folder / f"{name}.json"))
        else:
            paths.append(export_response_xlsx(demo_store, round_, code, folder / f"{name}.xlsx"))
    other = demo_store.responses(round_, "Jämtland", with_fields=False)[0].kommun
    paths.append(export_response_json(demo_store, round_, other, folder / f"Svarsfil {round_.year} {other}.json"))
    damaged = folder / "Svar från kommunen.xlsx"
    damaged.write_bytes(b"Det h\xe4r \xe4r ingen Excelfil.")
    paths.append(damaged)

    store = core.open_store(home / "import.sqlite")
    try:
        results = import_files(store, paths, region=leader.region)
        dialog = ImportResultsDialog(results)
        dialog.show()
        shooter.save("ledare-import.png", dialog)
        shooter.close(dialog)
    finally:
        store.close()


def _municipality(shooter: _Shooter, store) -> None:
    from ..settings import Settings

    round_ = store.round_for()
    code = _first_municipality(store, round_, "Jönköping", "utkast")
    window = shooter.window(store.path, Settings(role="kommun", kommun=code, name="Kim Lindqvist"))
    shooter.save("kommun-enkat.png", window)
    shooter.close(window)


def _skl(shooter: _Shooter, store) -> None:
    from ..settings import Settings

    window = shooter.window(store.path, Settings(role="skl", name="Eva Nilsson"))
    shooter.save("skl-riket.png", window)
    shooter.close(window)


def _about(shooter: _Shooter, home: Path) -> None:
    from ..gui.about_dialog import AboutDialog
    from ..paths import default_database

    dialog = AboutDialog(_windows_path(default_database(), home), data_folder=WINDOWS_HOME)
    dialog.show()
    shooter.save("om-programmet.png", dialog)
    shooter.close(dialog)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bou_desktop.tools.screenshots",
                                     description="Gör skärmbilderna till användarguiden (docs/bilder).")
    parser.add_argument("--out", type=Path, default=None, metavar="MAPP", help="mappen bilderna skrivs i")
    args = parser.parse_args(argv)
    out = args.out if args.out is not None else default_out()
    # Before Qt is imported: no screen, and nothing of the user's touched.
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    home = Path(tempfile.mkdtemp(prefix="bou-bilder-"))
    os.environ["BOU_DESKTOP_HOME"] = str(home)
    try:
        written = take_screenshots(out, home)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    for path in written:
        print(f"Skrev {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
