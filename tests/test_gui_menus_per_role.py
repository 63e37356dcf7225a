"""The menus offer only what the window shows: no Visa → Länssammanställning (Ctrl+2) without its tab, no
Visa → Enkät in SKL's window (no questionnaire), no Redigera → Sök kommun without a list of municipalities.
Seen in the every-action test's screenshots of a municipality's and SKL's menus."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")

from test_cli_round_defaults import database  # noqa: E402

from bou_desktop import core  # noqa: E402
from bou_desktop.gui.main_window import MainWindow  # noqa: E402
from bou_desktop.settings import Settings  # noqa: E402

PROFILES = {
    "ledare": Settings(role="ledare", region="Östergötland"),
    "kommun": Settings(role="kommun", kommun="0580"),
    "skl": Settings(role="skl"),
}


def shown_entries(window: MainWindow, title: str) -> list[str]:
    """The entries a person sees on opening a menu, without their mnemonics."""
    menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == title)
    menu.adjustSize()
    return [a.text().replace("&", "") for a in menu.actions() if a.isVisible() and not a.isSeparator()]


@pytest.mark.qt_log_ignore("This plugin does not support")
@pytest.mark.parametrize("role, view, edit", [
    ("ledare", ["Enkät", "Länssammanställning"], ["Ångra", "Gör om", "Sök kommun"]),
    ("kommun", ["Enkät"], ["Ångra", "Gör om"]),
    ("skl", ["Rapporttexter", "Gå till avsnitt…"], ["Ångra", "Gör om"]),
])
def test_the_view_and_edit_menus_offer_only_what_the_window_shows(tmp_path, qtbot, screenshot_dir, role, view, edit):
    window = MainWindow(core.open_store(tmp_path / "db.sqlite"), PROFILES[role])
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert shown_entries(window, "Visa") == view
    assert shown_entries(window, "Redigera") == edit
    tabs = [window.tabs.tabText(i).replace("&", "") for i in range(window.tabs.count()) if window.tabs.isTabVisible(i)]
    assert [entry for entry in view if entry in ("Enkät", "Länssammanställning", "Riket")] == [
        tab for tab in tabs if tab != "Riket"]  # each tab the window shows has its entry, no entry without its tab
    for title in ("Visa", "Redigera"):
        menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == title)
        menu.grab().save(str(screenshot_dir / f"meny_{title.lower()}_{role}.png"))
    window.close()


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_a_round_answered_per_region_has_no_county_entry_nor_municipality_search(tmp_path, capsys, qtbot):
    """The leader on the lägesrapport 2013 (answered per region: no list, no county tab), then on 2011."""
    window = MainWindow(core.open_store(database(tmp_path, capsys)), PROFILES["ledare"])
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.answered_per_region
    assert shown_entries(window, "Visa") == ["Enkät"] and shown_entries(window, "Redigera") == ["Ångra", "Gör om"]
    window.round_box.setFocus()
    qtbot.keyClick(window.round_box, "K")  # Kartläggning 2011
    assert window.round.year == 2011 and not window.answered_per_region
    assert shown_entries(window, "Visa") == ["Enkät", "Länssammanställning"]
    assert shown_entries(window, "Redigera") == ["Ångra", "Gör om", "Sök kommun"]
    window.close()
