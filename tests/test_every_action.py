"""Every action a person can take in the window, for each role, as a person takes it.

Each enabled menu action of the main window, and each button of the views (the questionnaire's,
the county view's, the national view's), is triggered, once with every dialog cancelled and once
with every dialog answered. File dialogs are answered through the one seam the program asks
(QFileDialog's static functions, the `file_dialogs` fixture); the other dialogs by a timer that
answers whatever modal dialog is open. pytest-qt fails the test on any exception raised in a slot,
and a file or folder the person chose must be written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtGui import QAction, QDesktopServices  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QApplication,
    QDialog,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QPushButton,
)

from bou_desktop import core  # noqa: E402
from bou_desktop.demo import fill_demo_database  # noqa: E402
from bou_desktop.exchange.county_file import county_xlsx_bytes  # noqa: E402
from bou_desktop.exchange.fileio import safe_filename  # noqa: E402
from bou_desktop.exchange.response_export import export_response_json  # noqa: E402
from bou_desktop.gui.main_window import MainWindow  # noqa: E402
from bou_desktop.settings import Settings  # noqa: E402

PROFILES = {
    "ledare": Settings(role="ledare", region="Östergötland", name="Åsa Öberg", email="asa@example.se",
                       skl_email="bou@skl.se"),
    "kommun": Settings(role="kommun", kommun="0580", name="Kim Ek"),
    "skl": Settings(role="skl", name="Kjerstin Bergman"),
}
LAST = ("Åte&rställ…", "&Avsluta")  # they replace or close the window: triggered after the others


class ModalAnswerer:
    """Answers every modal dialog that opens: "cancel" closes it with Avbryt/Nej, "choose" says yes.
    With `shots` (a folder), each dialog is saved there as a person saw it, to look at."""

    def __init__(self, mode: str, shots: Path | None = None) -> None:
        self.mode = mode
        self.shots = shots
        self.seen: list[str] = []
        self.timer = QTimer()
        self.timer.setInterval(15)
        self.timer.timeout.connect(self.answer)
        self.timer.start()

    def answer(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible() or type(dialog).__name__ == "QProgressDialog":
            return
        self.seen.append(f"{type(dialog).__name__}: {dialog.windowTitle()}")
        if self.shots is not None:
            name = safe_filename(f"{len(self.seen):02d} {type(dialog).__name__} {dialog.windowTitle()}.png")
            dialog.grab().save(str(self.shots / name))
        if self.mode == "cancel" or type(dialog).__name__ == "QPrintPreviewDialog":
            dialog.reject()
        elif isinstance(dialog, QMessageBox):
            for wanted in (QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Ok):
                if dialog.button(wanted) is not None:
                    dialog.button(wanted).click()
                    return
            accepting = [b for b in dialog.buttons() if dialog.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole]
            (accepting or dialog.buttons())[0].click()
        elif isinstance(dialog, QInputDialog):
            if dialog.inputMode() == QInputDialog.InputMode.TextInput and not dialog.comboBoxItems():
                dialog.setTextValue("Prov av alla menyval")
            dialog.accept()
        elif isinstance(dialog, QDialog):
            dialog.accept()

    def stop(self) -> None:
        self.timer.stop()


@pytest.fixture
def files_to_open(tmp_path):
    """What a person opens with Arkiv → Importera…: a svarsfil for a leader or municipality, county files for SKL."""
    source = core.open_store(tmp_path / "källa.sqlite")
    fill_demo_database(source)
    round_ = source.round_for()
    folder = tmp_path / "att-öppna"
    folder.mkdir()
    unanswered = next(m.code for m in source.municipalities("Östergötland") if source.response(round_, m.code) is None)
    source.set_fields(round_, unanswered, {source.form_of(round_).questions[0].id: source.form_of(round_).questions[0].options[0].id})
    svarsfil = export_response_json(source, round_, unanswered, folder / f"Svarsfil {unanswered}.json")
    county = folder / "Länssammanställning Skåne 2011.xlsx"
    county.write_bytes(county_xlsx_bytes(source.compile(round_, "Skåne"), source.forms["lanssammanstallning"]))
    source.close()
    return {"ledare": [svarsfil], "kommun": [svarsfil], "skl": [county]}


def make_window(qtbot, tmp_path, role: str) -> MainWindow:
    store = core.open_store(tmp_path / f"{role}.sqlite")
    fill_demo_database(store)
    window = MainWindow(store, PROFILES[role], settings_file=tmp_path / f"{role}-settings.json")
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    if role == "ledare":
        window.select_municipality("0580")
    return window


def menu_actions(window: MainWindow) -> list[QAction]:
    """The actions a person finds in the menus, in menu order."""
    actions = []
    for menu_action in window.menuBar().actions():
        for action in menu_action.menu().actions():
            if not action.isSeparator():
                actions.append(action)
    return actions


def view_buttons(window: MainWindow) -> list[QAbstractButton]:
    """The push buttons of the views on screen: the questionnaire's bar, the county and national views' bars."""
    views = [page.view() for page in (window.questionnaire_page, window.county_page, window.national_page)
             if window.tabs.isTabVisible(window.tabs.indexOf(page))]
    buttons = []
    for view in views:
        window.tabs.setCurrentWidget(view.parentWidget() if view.parentWidget() in
                                     (window.questionnaire_page, window.county_page, window.national_page) else view)
        buttons += [b for b in view.findChildren(QPushButton) if b.isVisibleTo(view)]
    return buttons


def check_chosen_files_written(asked: list[dict], start: int, what: str) -> None:
    for dialog in asked[start:]:
        answer = dialog.get("answer")
        if not answer or dialog["function"] == "open":
            continue
        path = answer
        if dialog["function"] == "save":
            assert path.exists() and path.stat().st_size > 0, f"{what}: {path.name} was chosen but not written"
        else:
            assert any(path.iterdir()), f"{what}: nothing was written in the chosen folder {path}"


@pytest.mark.parametrize("mode", ["cancel", "choose"])
@pytest.mark.parametrize("role", ["ledare", "kommun", "skl"])
def test_every_action_and_button_does_what_it_says(qtbot, tmp_path, monkeypatch, file_dialogs, files_to_open,
                                                   screenshot_dir, role, mode):
    opened_urls = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened_urls.append(url) or True))
    window = make_window(qtbot, tmp_path, role)
    counter = iter(range(1000))

    def answer_file_dialog(function: str, title: str, filters: str):
        if mode == "cancel":
            return None
        if function == "open":
            return files_to_open[role]
        number = next(counter)
        if function == "folder":
            folder = tmp_path / f"mapp-{number}"
            folder.mkdir()
            return folder
        suffix = filters.split("(*")[1].split(")")[0].split()[0]  # "Excel (*.xlsx);;CSV (*.csv)" -> ".xlsx"
        return tmp_path / f"fil-{number}{suffix}"

    file_dialogs.default = answer_file_dialog
    shots = screenshot_dir / "every_action" / f"{role}-{mode}"
    shots.mkdir(parents=True, exist_ok=True)
    for menu_action in window.menuBar().actions():  # the menus as opened, to look at
        menu = menu_action.menu()
        menu.adjustSize()
        menu.grab().save(str(shots / safe_filename(f"meny {menu.title().replace('&', '')}.png")))
    answerer = ModalAnswerer(mode, shots)
    triggered = []
    try:
        actions = [a for a in menu_actions(window) if a.isVisible() and a.text() not in LAST]
        assert len(actions) >= 12
        for action in actions:
            if not action.isEnabled():
                continue
            start = len(file_dialogs.asked)
            action.trigger()
            qtbot.wait(30)  # a window-modal dialog opened with open() is answered in the event loop
            triggered.append(action.text())
            if mode == "choose":
                check_chosen_files_written(file_dialogs.asked, start, action.text())
        for button in view_buttons(window):
            if not button.isEnabled():
                continue
            start = len(file_dialogs.asked)
            button.click()
            qtbot.wait(30)
            triggered.append(button.text())
            if mode == "choose":
                check_chosen_files_written(file_dialogs.asked, start, button.text())
        for action in [a for a in menu_actions(window) if a.isVisible() and a.text() in LAST]:
            action.trigger()
            qtbot.wait(30)
            triggered.append(action.text())
    finally:
        answerer.stop()
    assert "&Importera…" in triggered and "&Avsluta" in triggered
    if role == "ledare":
        assert {"Exportera Excel…", "E-post till SKL…", "&Markera som klar…", "Historik…"} <= set(triggered)
    if role == "skl":
        assert "Importera länssammanställningar…" in triggered
    # Every dialog that asked for a file was answered; with "choose", files were really written.
    if mode == "choose":
        written = [d["answer"] for d in file_dialogs.asked if d["function"] == "save"]
        assert len(written) >= (8 if role == "ledare" else 3)
        assert all(p.exists() for p in written)
    else:
        assert all(d.get("answer") is None for d in file_dialogs.asked)
    for replacement in QApplication.topLevelWidgets():
        if isinstance(replacement, MainWindow) and replacement is not window:
            qtbot.addWidget(replacement)


def test_the_import_shortcut_opens_the_file_dialog(qtbot, tmp_path, file_dialogs, files_to_open):
    window = make_window(qtbot, tmp_path, "ledare")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    answerer = ModalAnswerer("choose")
    file_dialogs.answer(files_to_open["ledare"])
    try:
        qtbot.keyClick(window, "I", modifier=QApplication.keyboardModifiers().ControlModifier)
        qtbot.waitUntil(lambda: bool(file_dialogs.asked))
    finally:
        answerer.stop()
    assert file_dialogs.asked[0]["title"] == "Importera"
    code = files_to_open["ledare"][0].stem.split()[-1]
    assert window.store.response(window.round, code) is not None


def test_the_file_dialogs_are_the_programs_own_seam():
    """The fixture patches what gui/file_dialogs.py calls; nothing else in the program opens a file dialog."""
    from pathlib import Path

    import bou_desktop.gui as gui

    callers = [p.name for p in Path(gui.__file__).parent.glob("*.py")
               if any(f"QFileDialog.{name}" in p.read_text(encoding="utf-8")
                      for name in ("getOpenFileName", "getSaveFileName", "getExistingDirectory"))]
    assert callers == ["file_dialogs.py"]
    assert QFileDialog  # the class the fixture patches
