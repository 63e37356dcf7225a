"""Where the program asks a person for a file or a folder: the one seam between the window and Qt's file dialogs.

Every path the window reads or writes is asked for here, through Qt's static QFileDialog functions,
so a test answers all of them by patching those (tests/conftest.py, the `file_dialogs` fixture).

Each dialog opens in the folder last used for its kind of file (svarsfiler, PDF, the county files…);
the folders are remembered in `senaste-mappar.json` in the data folder. A folder that no longer
exists is passed over for the home folder.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from PySide6 import QtWidgets

from ..paths import user_data_dir

FILE_NAME = "senaste-mappar.json"
FORMS = "formulär"  # the kind of the form files a round is started with

log = logging.getLogger(__name__)


def _folders_file() -> Path:
    return user_data_dir() / FILE_NAME


def _remembered() -> dict[str, str]:
    try:
        raw = json.loads(_folders_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in raw.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(raw, dict) else {}


def _first_folder(kind: str) -> Path:
    """Where a kind of file is looked for before one was chosen: forms in the program's forms folder
    (the forms it comes with), everything else in the home folder."""
    if kind == FORMS:
        from ..paths import forms_dir

        if forms_dir().is_dir():
            return forms_dir()
    return Path.home()


def last_folder(kind: str) -> Path:
    """The folder last used for this kind of file, or where that kind is first looked for."""
    folder = _remembered().get(kind)
    if folder and Path(folder).is_dir():
        return Path(folder)
    return _first_folder(kind)


def remember_folder(kind: str, folder: Path) -> None:
    """Remember where this kind of file was last read or written (losing it is no harm: not fatal)."""
    from ..exchange.fileio import write_bytes_atomic

    folders = _remembered()
    folders[kind] = str(folder)
    try:
        write_bytes_atomic(_folders_file(), json.dumps(folders, ensure_ascii=False, indent=2).encode("utf-8"),
                           overwrite=True)
    except OSError as error:
        log.warning("Kunde inte spara senast använda mapp i %s: %s", _folders_file(), error)


def open_files(parent, title: str, kind: str, filters: str) -> list[Path]:
    """The files a person chose to open; empty when the dialog was cancelled."""
    chosen, _ = QtWidgets.QFileDialog.getOpenFileNames(parent, title, str(last_folder(kind)), filters)
    paths = [Path(p) for p in chosen if p]
    if paths:
        remember_folder(kind, paths[0].parent)
    return paths


def open_file(parent, title: str, kind: str, filters: str) -> Path | None:
    """The one file a person chose to open; None when the dialog was cancelled."""
    chosen, _ = QtWidgets.QFileDialog.getOpenFileName(parent, title, str(last_folder(kind)), filters)
    if not chosen:
        return None
    remember_folder(kind, Path(chosen).parent)
    return Path(chosen)


def save_file(parent, title: str, kind: str, name: str, filters: str) -> Path | None:
    """Where to save a new file (the dialog asks before replacing one); None when cancelled."""
    from ..exchange.fileio import safe_filename

    path, _ = QtWidgets.QFileDialog.getSaveFileName(parent, title, str(last_folder(kind) / safe_filename(name)), filters)
    if not path:
        return None
    remember_folder(kind, Path(path).parent)
    return Path(path)


def choose_folder(parent, title: str, kind: str) -> Path | None:
    """A folder to write many files into; None when cancelled."""
    folder = QtWidgets.QFileDialog.getExistingDirectory(parent, title, str(last_folder(kind)))
    if not folder:
        return None
    remember_folder(kind, Path(folder))
    return Path(folder)
