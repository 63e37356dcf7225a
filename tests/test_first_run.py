"""The first start: profile, the demo database offer, "Så fungerar det"; F1; the About dialog."""

from __future__ import annotations

import platform

import pytest

pytest.importorskip("PySide6.QtWidgets")

import PySide6  # noqa: E402
from helpers import click_button, on_modals  # noqa: E402
from PySide6.QtCore import Qt, qVersion  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QLabel  # noqa: E402

from bou_desktop import __version__, core  # noqa: E402
from bou_desktop.gui.about_dialog import AboutDialog  # noqa: E402
from bou_desktop.gui.app import open_main_window  # noqa: E402
from bou_desktop.gui.first_run import DEMO_QUESTION, DemoOfferDialog, HowItWorksDialog  # noqa: E402
from bou_desktop.gui.main_window import MainWindow  # noqa: E402
from bou_desktop.gui.profile_dialog import ProfileDialog  # noqa: E402
from bou_desktop.paths import default_database, demo_database  # noqa: E402
from bou_desktop.settings import Settings, load_settings, save_settings, settings_path  # noqa: E402
from bou_desktop.survey.answers import Answers  # noqa: E402

KEY_STEPS = {
    "ledare": ["Skapa svarsfiler för regionen…", "intervjua", "Importera…", "Ctrl+I", "saknas",
               "Länssammanställning", "Ctrl+2", "Exportera Excel…", "Exportera PDF…", "SKL",
               "Återkoppling till kommunerna…"],
    "kommun": ["Fyll i enkäten", "Markera som klar…", "Exportera svarsfil…", "Ctrl+E", "utvecklingsledaren"],
    "skl": ["Importera länssammanställningar…", "Riket", "riksrapport", "Exportera Excel…", "Exportera PDF…",
            "Rapporttexter", "Ctrl+3", "Exportera Word…", "Exportera rapport som PDF…",
            "Län i jämförelse med riket…", "återkoppling"],
}


def leader_profile(region: str = "Östergötland", shots=None):
    def fill(dialog):
        assert isinstance(dialog, ProfileDialog)
        dialog.role_buttons["ledare"].click()
        dialog.region_combo.setCurrentIndex(dialog.region_combo.findText(region))
        dialog.name_edit.setText("Åsa Öberg")
        if shots is not None:
            dialog.grab().save(str(shots / "first_run_profile.png"))
        dialog.save_button.click()

    return fill


def answer_demo(choice: str, shots=None):
    def answer(dialog):
        assert isinstance(dialog, DemoOfferDialog)
        assert dialog.windowTitle() == "Demodatabas"
        assert any(DEMO_QUESTION in label.text() for label in dialog.findChildren(QLabel))
        if shots is not None:
            dialog.grab().save(str(shots / "first_run_demo_offer.png"))
        click_button(dialog, choice)

    return answer


def guide_of(window: MainWindow):
    dialog = getattr(window, "how_it_works_dialog", None)
    return dialog if dialog is not None and dialog.isVisible() else None


def test_first_start_with_the_demo(qtbot, isolated_home, screenshot_dir):
    seen = on_modals(leader_profile(shots=screenshot_dir), answer_demo("Ja, prova med demodatabasen", screenshot_dir))
    window = open_main_window(default_database())
    qtbot.addWidget(window)
    assert [type(d) for d in seen] == [ProfileDialog, DemoOfferDialog]
    # The profile is saved in BOU_DESKTOP_HOME, the demo database is open and has answers ...
    assert settings_path().parent == isolated_home
    assert load_settings() == Settings(role="ledare", region="Östergötland", name="Åsa Öberg")
    assert window.demo and window.store.path == demo_database() and demo_database().parent == isolated_home
    assert len(window.store.responses(window.round, "Östergötland", with_fields=False)) == 7
    # Plainly marked, in the title and above everything in the window.
    assert window.windowTitle() == "BoU Desktop – Östergötland – demo.sqlite – Demo – påhittade svar"
    assert window.demo_banner.text() == "Demo – påhittade svar"
    # ... and the real database is untouched: not even created.
    assert not default_database().exists()

    window.show()
    qtbot.waitUntil(lambda: guide_of(window) is not None)
    guide = guide_of(window)
    assert guide.windowTitle() == "Så fungerar det"
    assert all(step in guide.text() for step in KEY_STEPS["ledare"])
    assert guide.close_button.hasFocus() or guide.close_button.isDefault()
    window.how_it_works_dialog.grab().save(str(screenshot_dir / "first_run_how_it_works.png"))
    window.grab().save(str(screenshot_dir / "main_window_demo.png"))
    window.grab().save(str(screenshot_dir / "first_run_demo_window.png"))
    qtbot.keyClick(guide, Qt.Key.Key_Escape)
    assert not guide.isVisible()


def test_first_start_with_the_empty_database(qtbot, isolated_home):
    def press_enter(dialog):
        assert dialog.empty_button.isDefault() and not dialog.demo_button.isDefault()
        qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Enter keeps the real database

    seen = on_modals(leader_profile("Jämtland"), press_enter)
    window = open_main_window(default_database())
    qtbot.addWidget(window)
    assert len(seen) == 2
    assert not window.demo and window.store.path == default_database()
    assert window.store.responses(window.round, with_fields=False) == []
    assert not demo_database().exists()
    assert window.region_box.currentText() == "Jämtland"
    assert "Demo" not in window.windowTitle() and not hasattr(window, "demo_banner")


def test_escape_on_the_demo_offer_keeps_the_real_database(qtbot):
    dialog = DemoOfferDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.empty_button.text().replace("&", "") == "Nej, börja med en tom databas"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_a_chosen_database_file_gets_no_demo_offer(qtbot, tmp_path):
    seen = on_modals(leader_profile())
    window = open_main_window(tmp_path / "egen.sqlite")
    qtbot.addWidget(window)
    assert [type(d) for d in seen] == [ProfileDialog]
    assert window.store.path == tmp_path / "egen.sqlite" and not window.demo
    assert not demo_database().exists()


def test_a_cancelled_profile_is_asked_for_again(qtbot):
    def cancel(dialog):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    seen = on_modals(cancel)
    window = open_main_window(default_database())
    qtbot.addWidget(window)
    assert [type(d) for d in seen] == [ProfileDialog]  # no demo offer without a profile
    assert not settings_path().exists() and not window.demo
    window.show()
    qtbot.wait(50)
    assert guide_of(window) is None

    window.close()
    seen = on_modals(leader_profile())
    again = open_main_window(default_database())
    qtbot.addWidget(again)
    assert [type(d) for d in seen] == [ProfileDialog]  # the profile is asked for again (the database exists now)
    assert load_settings().region == "Östergötland"


def test_a_database_already_in_place_gets_no_demo_offer(qtbot):
    """A successor who copied the predecessor's database into the data folder is not offered the demo."""
    store = core.open_store(default_database())
    store.save_answers(store.round_for(), "0580", Answers(choices={"q1": ["ja"]}), source="cli", status="klar")
    store.close()
    seen = on_modals(leader_profile())
    window = open_main_window(default_database())
    qtbot.addWidget(window)
    assert [type(d) for d in seen] == [ProfileDialog]
    assert not window.demo and window.store.response(window.round, "0580") is not None


def test_the_second_start_shows_none_of_it(qtbot, monkeypatch):
    save_settings(Settings(role="kommun", kommun="0580"))

    def refuse(*_args):
        raise AssertionError("no dialog at the second start")

    monkeypatch.setattr(ProfileDialog, "exec", refuse)
    monkeypatch.setattr(DemoOfferDialog, "exec", refuse)
    window = open_main_window(default_database())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(50)
    assert guide_of(window) is None and QApplication.activeModalWidget() is None
    assert window.questionnaire.kommun == "0580" and not window.demo


@pytest.mark.parametrize("role", ["ledare", "kommun", "skl"])
def test_how_it_works_names_the_roles_steps(qtbot, role, screenshot_dir):
    dialog = HowItWorksDialog(role)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    missing = [step for step in KEY_STEPS[role] if step.casefold() not in dialog.text().casefold()]
    assert not missing
    assert "Så fungerar det" in dialog.text_label.text() or "F1" in dialog.text_label.text()
    others = {"ledare": "Exportera svarsfil…", "kommun": "Skapa svarsfiler för regionen…",
              "skl": "Skapa svarsfiler för regionen…"}
    assert others[role] not in dialog.text()  # only the role's own steps
    assert dialog.size().height() <= 700  # fits a small laptop screen
    dialog.grab().save(str(screenshot_dir / f"how_it_works_{role}.png"))


def test_how_it_works_without_a_role_shows_all_three(qtbot):
    dialog = HowItWorksDialog("")
    qtbot.addWidget(dialog)
    for steps in KEY_STEPS.values():
        assert steps[0] in dialog.text()


@pytest.fixture
def window(qtbot, tmp_path):
    store = core.open_store(tmp_path / "hjälp.sqlite")
    win = MainWindow(store, Settings(role="kommun", kommun="0580"))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_f1_opens_how_it_works_and_enter_closes_it(qtbot, window):
    assert window.how_it_works_action.shortcut().toString() == "F1"
    assert window.how_it_works_action.text().replace("&", "") == "Så fungerar det"
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: guide_of(window) is not None)
    guide = guide_of(window)
    assert guide.role == "kommun" and "Exportera svarsfil…" in guide.text()
    qtbot.waitUntil(guide.close_button.hasFocus)
    qtbot.keyClick(guide.close_button, Qt.Key.Key_Return)
    assert not guide.isVisible()


def test_help_menu_lists_how_it_works_and_about(window):
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Hjälp")
    texts = [a.text() for a in help_menu.actions() if not a.isSeparator()]
    assert texts == ["&Så fungerar det", "&Om BoU Desktop"]


def test_about_shows_version_licence_versions_and_paths(qtbot, window, isolated_home, screenshot_dir):
    window.about_action.trigger()
    qtbot.waitUntil(lambda: window.about_dialog.isVisible())
    about = window.about_dialog
    assert isinstance(about, AboutDialog) and about.windowTitle() == "Om BoU Desktop"
    text = about.plain_text
    assert f"BoU Desktop {__version__}" in text
    assert "Licens: MIT" in text and "Copyright (c) 2026 BoU Desktop-utvecklarna" in text
    assert f"Qt: {qVersion()}" in text and f"PySide6: {PySide6.__version__}" in text
    assert f"Python: {platform.python_version()}" in text
    assert f"Datamapp: {isolated_home}" in text
    assert f"Databas: {window.store.path}" in text
    assert "MIT" in about.text_label.text() and __version__ in about.text_label.text()
    about.grab().save(str(screenshot_dir / "about_dialog.png"))
    qtbot.keyClick(about, Qt.Key.Key_Escape)
    assert not about.isVisible()


def test_the_version_has_one_home():
    """The About dialog and the package metadata read bou_desktop.__version__; nothing else states it."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "bou_desktop"
    stated = [p for p in root.rglob("*.py") if f'"{__version__}"' in p.read_text(encoding="utf-8")]
    assert [p.name for p in stated] == ["__init__.py"]


def test_the_collector_runs_while_the_user_fills_in_the_first_run_dialogs(qtbot, isolated_home):
    """cli.main pauses the garbage collector for the start; not for the minutes spent in the dialogs."""
    import gc

    enabled = []
    choose_leader = leader_profile("Jämtland")

    def profile(dialog):
        enabled.append(gc.isenabled())
        choose_leader(dialog)

    on_modals(profile, answer_demo("Nej, börja med en tom databas"))
    gc.disable()
    try:
        window = open_main_window(default_database())
        qtbot.addWidget(window)
    finally:
        gc.enable()
    assert enabled == [True]
