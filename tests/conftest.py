"""Test set-up: headless Qt, and every path (settings, data, database) in a temporary folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Before anything imports Qt: no screen needed, and nothing of the user's touched.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
_SESSION_HOME = Path(tempfile.mkdtemp(prefix="bou-tests-"))
for var, sub in (("BOU_DESKTOP_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "xdg-data"),
                 ("XDG_CACHE_HOME", "cache"), ("XDG_RUNTIME_DIR", "runtime")):
    os.environ[var] = str(_SESSION_HOME / sub)
    (_SESSION_HOME / sub).mkdir(parents=True, exist_ok=True)
os.chmod(_SESSION_HOME / "runtime", 0o700)

import pytest  # noqa: E402

from bou_desktop import core  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SEED = Path(__file__).resolve().parent / "data" / "seed_001.txt"
SCREENSHOTS = REPO / "build" / "screenshots"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Each test gets its own data folder; the real user's folder is never used."""
    home = tmp_path / "home"
    monkeypatch.setenv("BOU_DESKTOP_HOME", str(home))
    return home


@pytest.fixture
def forms():
    return core.forms()


@pytest.fixture
def register():
    return core.register()


@pytest.fixture
def store(tmp_path):
    store = core.open_store(tmp_path / "test.sqlite")
    yield store
    store.close()


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def qapp(qapp):
    """pytest-qt's application, set up as the program sets up its own (Swedish Qt texts, icon)."""
    from bou_desktop.gui.app import ensure_app

    ensure_app()
    return qapp


class FileDialogs:
    """Answers the program's file dialogs, as a person would: each Qt static QFileDialog function that
    gui/file_dialogs.py calls is patched, and takes the next answer queued with `answer`.

    An answer is a path (or, for an open dialog, a list of paths); None is the person pressing Avbryt.
    A dialog that opens with no answer queued fails the test (in a slot: pytest-qt reports it).
    """

    def __init__(self) -> None:
        self.answers: list = []
        self.asked: list[dict] = []  # one per dialog shown: function, title, directory, filters
        # With no answer queued: default(function, title, filters) answers, when set.
        self.default = None

    def answer(self, *answers) -> FileDialogs:
        self.answers.extend(answers)
        return self

    def _next(self, function: str, title: str, directory: str, filters: str = ""):
        self.asked.append({"function": function, "title": title, "directory": directory, "filters": filters})
        if not self.answers and self.default is not None:
            self.asked[-1]["answer"] = self.default(function, title, filters)
            return self.asked[-1]["answer"]
        assert self.answers, f"a file dialog opened that the test did not expect: {function} {title!r}"
        self.asked[-1]["answer"] = self.answers.pop(0)
        return self.asked[-1]["answer"]

    def open_names(self, parent, title, directory="", filters="", *args, **kwargs):
        chosen = self._next("open", title, directory, filters)
        paths = [] if chosen is None else [str(p) for p in (chosen if isinstance(chosen, list | tuple) else [chosen])]
        return paths, filters.split(";;")[0] if paths else ""

    def open_name(self, parent, title, directory="", filters="", *args, **kwargs):
        paths, chosen_filter = self.open_names(parent, title, directory, filters)
        return (paths[0], chosen_filter) if paths else ("", "")

    def save_name(self, parent, title, directory="", filters="", *args, **kwargs):
        chosen = self._next("save", title, directory, filters)
        return ("", "") if chosen is None else (str(chosen), filters.split(";;")[0])

    def folder(self, parent, title, directory="", *args, **kwargs):
        chosen = self._next("folder", title, directory)
        return "" if chosen is None else str(chosen)


@pytest.fixture
def file_dialogs(monkeypatch) -> FileDialogs:
    from PySide6.QtWidgets import QFileDialog

    dialogs = FileDialogs()
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", dialogs.open_names)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", dialogs.open_name)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialogs.save_name)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", dialogs.folder)
    return dialogs
