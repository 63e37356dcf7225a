"""SKL in the main window: county files in by menu or drop, the national report out; feedback to municipalities."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("PySide6.QtWidgets")

from helpers import on_modals  # noqa: E402

from bou_desktop import core  # noqa: E402
from bou_desktop.demo import fill_demo  # noqa: E402
from bou_desktop.exchange.county_file import county_xlsx_bytes  # noqa: E402
from bou_desktop.exchange.national_file import national_json_bytes, report_for  # noqa: E402
from bou_desktop.gui.main_window import MainWindow  # noqa: E402
from bou_desktop.settings import Settings  # noqa: E402


@pytest.fixture
def county_files(tmp_path):
    """The demo's county files, as the leaders of Östergötland, Skåne and Gotland send them."""
    store = core.open_store(tmp_path / "lan.sqlite")
    fill_demo(store)
    paths = []
    for region in ("Östergötland", "Skåne", "Gotland"):
        path = tmp_path / f"Länssammanställning {region} 2011.xlsx"
        path.write_bytes(county_xlsx_bytes(store.compile(store.round_for(), region), store.forms["lanssammanstallning"]))
        paths.append(path)
    store.close()
    return paths


@pytest.fixture
def skl(qtbot, tmp_path):
    win = MainWindow(core.open_store(tmp_path / "skl.sqlite"), Settings(role="skl", name="Kjerstin Bergman"))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_skl_sees_the_national_view_and_imports_county_files(qtbot, skl, county_files, tmp_path, screenshot_dir,
                                                            file_dialogs):
    assert skl.tabs.currentWidget() is skl.national_page and skl.national_view.isVisible() and not skl.left.isVisible()
    visible = [skl.tabs.tabText(i) for i in range(skl.tabs.count()) if skl.tabs.isTabVisible(i)]
    assert visible == ["&Riket"]
    seen = {}
    on_modals(lambda results: (seen.update(summary=results.summary.text()), results.reject()))
    file_dialogs.answer(county_files)
    skl.national_view.import_button.click()
    assert seen["summary"] == "3 importerade."
    rates = {r.region: (r.kommuner_svarat, r.has_file) for r in report_for(skl.store, skl.round).regions}
    assert rates["Östergötland"] == (6, True) and rates["Stockholm"] == (0, False)
    assert "3 av 24 regioner har skickat in" in skl.national_view.summary_line.text()
    skl.grab().save(str(screenshot_dir / "main_window_skl.png"))
    # The same file again changes nothing; a newer one from a region asks first.
    on_modals(lambda results: (seen.update(again=results.summary.text()), results.reject()))
    file_dialogs.answer(county_files[:1])
    skl.import_action.trigger()
    assert seen["again"] == "1 oförändrad."


def test_skl_exports_the_national_report(skl, county_files, tmp_path, file_dialogs):
    on_modals(lambda results: results.reject())
    file_dialogs.answer(county_files)
    skl.import_action.trigger()
    view = skl.national_view
    file_dialogs.answer(tmp_path / "riket.json", tmp_path / "riket.xlsx", tmp_path / "riket.pdf")
    for kind in ("json", "xlsx", "pdf"):
        view.export_buttons[kind].click()
    document = json.loads((tmp_path / "riket.json").read_text(encoding="utf-8"))
    assert document["totalt"]["kommuner_svarat"] == 6 + 18 + 1
    assert (tmp_path / "riket.xlsx").stat().st_size > 0
    assert (tmp_path / "riket.pdf").read_bytes().startswith(b"%PDF")
    view.select_region("Skåne")
    file_dialogs.answer(tmp_path / "skane.pdf", tmp_path / "skane.xlsx")
    view.comparison_button.click()
    view.comparison_button.click()
    assert (tmp_path / "skane.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "skane.xlsx").stat().st_size > 0


def test_a_leader_gives_each_municipality_its_feedback(qtbot, tmp_path, county_files, file_dialogs):
    store = core.open_store(tmp_path / "ledare.sqlite")
    fill_demo(store)
    skl_store = core.open_store(tmp_path / "skl2.sqlite")
    from bou_desktop.exchange.national_file import import_county_bytes

    for path in county_files:
        import_county_bytes(skl_store, path.read_bytes(), path.name)
    national = tmp_path / "riksrapport.json"
    national.write_bytes(national_json_bytes(report_for(skl_store, skl_store.round_for())))
    skl_store.close()
    win = MainWindow(store, Settings(role="ledare", region="Östergötland"))
    qtbot.addWidget(win)
    on_modals(lambda results: results.reject())
    file_dialogs.answer([national])
    win.import_action.trigger()
    assert store.national_document(store.round_for()) is not None
    folder = tmp_path / "återkoppling"
    folder.mkdir()
    file_dialogs.answer(folder)
    win.feedback_action.trigger()
    written = sorted(folder.glob("*.pdf"))
    assert len(written) == 6 and all(p.read_bytes().startswith(b"%PDF") for p in written)
    assert any("Linköping" in p.name for p in written)
