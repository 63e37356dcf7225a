"""Where the app finds its bundled data and keeps the user's files.

Plain Python (no Qt), so that the command line can use it without loading Qt.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
HOME_ENV = "BOU_DESKTOP_HOME"


def data_root() -> Path:
    """The folder holding `forms/` and `resources/`.

    Looked for, in order: a PyInstaller bundle, an installed wheel (the folders
    are copied into the package as `_data/`), and a source checkout (next to the
    package).
    """
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle))
    candidates.append(PACKAGE_DIR / "_data")
    candidates.append(PACKAGE_DIR.parent)
    for candidate in candidates:
        if (candidate / "forms").is_dir() and (candidate / "resources").is_dir():
            return candidate
    searched = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"Hittar inte mapparna forms/ och resources/ (sökte i {searched}).")


def forms_dir() -> Path:
    return data_root() / "forms"


def resources_dir() -> Path:
    return data_root() / "resources"


def user_data_dir() -> Path:
    """The per-user folder for databases, settings and backups.

    `BOU_DESKTOP_HOME` overrides it (tests point it at a temporary folder).
    """
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or os.environ.get("APPDATA") or Path.home())
        return base / "BoU Desktop"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "BoU Desktop"
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "bou-desktop"


def default_database() -> Path:
    return user_data_dir() / "bou-desktop.sqlite"


def demo_database() -> Path:
    """The demo database lives in its own file, never mixed with real data."""
    return user_data_dir() / "demo.sqlite"


def cache_dir() -> Path:
    """Files the program can always make again, kept to start faster (the parsed forms)."""
    return user_data_dir() / "cache"
