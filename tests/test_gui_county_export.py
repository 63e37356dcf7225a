"""The county compilation from the main window: the tab, the exports, the e-mail draft opened for sending."""

from __future__ import annotations

import email
import email.policy

import pytest

pytest.importorskip("PySide6.QtWidgets")

from helpers import on_modals, type_text  # noqa: E402
from PySide6.QtGui import QDesktopServices  # noqa: E402

from bou_desktop import core  # noqa: E402
from bou_desktop.demo import fill_demo  # noqa: E402
from bou_desktop.exchange.county_file import read_county_file  # noqa: E402
from bou_desktop.gui.main_window import MainWindow  # noqa: E402
from bou_desktop.settings import Settings  # noqa: E402

LEADER = Settings(role="ledare", region="Östergötland", name="Åsa Öberg", skl_email="bou@skl.se")


@pytest.fixture
def window(qtbot, tmp_path):
    store = core.open_store(tmp_path / "db.sqlite")
    fill_demo(store)
    win = MainWindow(store, LEADER)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_the_county_tab_follows_the_region(window, qtbot, screenshot_dir):
    window.show_county_action.trigger()
    assert window.tabs.currentWidget() is window.county_page and window.county_view.isVisible()
    # The view is built as the tab opens; its layout settles in the next turn of the event loop.
    qtbot.waitUntil(lambda: window.county_view.width() == window.county_page.width())
    window.grab().save(str(screenshot_dir / "main_window_county.png"))
    assert window.county_view.header_labels["kommuner_svarat"].text().startswith("6 kommuner")
    window.region_box.setCurrentIndex(window.region_box.findData("Gotland"))
    assert window.county_view.region == "Gotland"
    assert window.county_view.header_labels["region"].text() == "Gotland"
    assert window.county_view.header_labels["kommuner_totalt"].text() == "1 kommun"


def test_exports_from_the_view_write_files_skl_can_read(window, tmp_path, file_dialogs):
    window.show_county_action.trigger()
    xlsx, pdf, raw = tmp_path / "ls.xlsx", tmp_path / "ls.pdf", tmp_path / "raw.csv"
    file_dialogs.answer(xlsx, pdf, raw)
    for kind in ("xlsx", "pdf", "raw"):
        window.county_view.export_buttons[kind].click()
    county = read_county_file(xlsx.read_bytes(), window.store.forms, window.store.register)
    assert (county.region, county.kommuner_svarat, county.kommuner_totalt) == ("Östergötland", 6, 13)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert raw.read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_mail_draft_is_opened_in_the_mail_program(window, tmp_path, monkeypatch, file_dialogs):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile()) or True))
    window.show_county_action.trigger()
    path = tmp_path / "till_skl.eml"
    file_dialogs.answer(path)
    window.county_view.export_buttons["eml"].click()
    assert opened == [str(path)]
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["X-Unsent"] == "1" and message["To"] == "bou@skl.se"
    assert len(list(message.iter_attachments())) == 2


def test_without_skl_address_the_leader_is_offered_the_profile_before_the_save_dialog(
        qtbot, tmp_path, monkeypatch, file_dialogs):
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: True))
    settings_file = tmp_path / "settings.json"
    store = core.open_store(tmp_path / "db.sqlite")
    win = MainWindow(store, Settings(role="ledare", region="Gotland"), settings_file=settings_file)
    qtbot.addWidget(win)
    win.show_county_action.trigger()
    mail_button = win.county_view.export_buttons["eml"]

    # "Nej": nothing more is asked (no file dialog is answered: one would fail the test), nothing written.
    seen = []
    on_modals(lambda box: (seen.append(box.text()), box.button(box.StandardButton.No).click()))
    mail_button.click()
    assert "SKL:s e-postadress" in seen[0] and file_dialogs.asked == []

    # "Ja": the profile opens; with the address saved there, the save dialog follows and the draft is written.
    def fill_in_profile(dialog):
        type_text(dialog.skl_email_edit, "bou@skl.se")
        dialog.save_button.click()

    on_modals(lambda box: box.button(box.StandardButton.Yes).click(), fill_in_profile)
    draft = tmp_path / "till_skl.eml"
    file_dialogs.answer(draft)
    mail_button.click()
    assert [a["function"] for a in file_dialogs.asked] == ["save"]
    assert email.message_from_bytes(draft.read_bytes(), policy=email.policy.default)["To"] == "bou@skl.se"
    assert '"skl_email": "bou@skl.se"' in settings_file.read_text(encoding="utf-8")


def test_a_municipality_does_not_see_the_county_tab(qtbot, tmp_path):
    win = MainWindow(core.open_store(tmp_path / "db.sqlite"), Settings(role="kommun", kommun="0580"))
    qtbot.addWidget(win)
    assert not win.tabs.isTabVisible(win.tabs.indexOf(win.county_page))


def test_the_leaders_name_is_filled_in_from_the_profile(qtbot, tmp_path):
    path = tmp_path / "db.sqlite"
    win = MainWindow(core.open_store(path), LEADER)
    qtbot.addWidget(win)
    win.show_county_action.trigger()
    assert win.county_view.leader_edit.text() == "Åsa Öberg"
    round_ = win.round
    other = core.open_store(path)  # what is saved, read as another program would
    assert other.leader_texts(round_, "Östergötland").utvecklingsledare == "Åsa Öberg"
    # Another region shown is not the leader's: its name stays empty; a name typed over is kept.
    win.region_box.setCurrentIndex(win.region_box.findData("Gotland"))
    assert win.county_view.leader_edit.text() == ""
    win.region_box.setCurrentIndex(win.region_box.findData("Östergötland"))
    win.county_view.leader_edit.clear()
    type_text(win.county_view.leader_edit, "Örjan Åberg")
    win.region_box.setCurrentIndex(win.region_box.findData("Gotland"))
    win.region_box.setCurrentIndex(win.region_box.findData("Östergötland"))
    assert win.county_view.leader_edit.text() == "Örjan Åberg"
    assert other.leader_texts(round_, "Gotland").utvecklingsledare == ""
    other.close()
