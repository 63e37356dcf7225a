"""The county compilation from the main window: the tab, the exports, the e-mail draft opened for sending."""

from __future__ import annotations

import email
import email.policy

import pytest

pytest.importorskip("PySide6.QtWidgets")

from helpers import on_modals  # noqa: E402
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


def test_exports_from_the_view_write_files_skl_can_read(window, tmp_path):
    window.show_county_action.trigger()
    xlsx = window.export_county("xlsx", tmp_path / "ls.xlsx")
    county = read_county_file(xlsx.read_bytes(), window.store.forms, window.store.register)
    assert (county.region, county.kommuner_svarat, county.kommuner_totalt) == ("Östergötland", 6, 13)
    assert window.export_county("pdf", tmp_path / "ls.pdf").read_bytes().startswith(b"%PDF")
    assert window.export_county("raw", tmp_path / "raw.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_mail_draft_is_opened_in_the_mail_program(window, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile()) or True))
    path = window.export_county("eml", tmp_path / "till_skl.eml")
    assert opened == [str(path)]
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["X-Unsent"] == "1" and message["To"] == "bou@skl.se"
    assert len(list(message.iter_attachments())) == 2


def test_without_skl_address_the_leader_is_told_where_to_add_it(qtbot, tmp_path):
    store = core.open_store(tmp_path / "db.sqlite")
    win = MainWindow(store, Settings(role="ledare", region="Gotland"))
    qtbot.addWidget(win)
    seen = []
    on_modals(lambda box: (seen.append(box.text()), box.accept()))
    assert win.export_county("eml", tmp_path / "x.eml") is None
    assert "Ange SKL:s e-postadress i profilen" in seen[0]
    assert not (tmp_path / "x.eml").exists()


def test_a_municipality_does_not_see_the_county_tab(qtbot, tmp_path):
    win = MainWindow(core.open_store(tmp_path / "db.sqlite"), Settings(role="kommun", kommun="0580"))
    qtbot.addWidget(win)
    assert not win.tabs.isTabVisible(win.tabs.indexOf(win.county_page))
