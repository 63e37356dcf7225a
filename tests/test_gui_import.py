"""Svarsfiler in the GUI: drop or choose files, progress, conflicts side by side, exports, templates."""

from __future__ import annotations

import io

import pytest

pytest.importorskip("PySide6.QtWidgets")

from helpers import click_button, on_modals  # noqa: E402
from openpyxl import load_workbook  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDropEvent  # noqa: E402

from bou_desktop import core  # noqa: E402
from bou_desktop.exchange.svarsfil_xlsx import TemplateInfo, build_workbook, name_for  # noqa: E402
from bou_desktop.gui.main_window import MainWindow  # noqa: E402
from bou_desktop.settings import Settings  # noqa: E402
from bou_desktop.survey.answers import Answers  # noqa: E402

LEADER = Settings(role="ledare", region="Östergötland", name="Eva Ek", email="eva.ek@example.se")


@pytest.fixture
def window(qtbot, tmp_path):
    win = MainWindow(core.open_store(tmp_path / "db.sqlite"), LEADER)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def filled_template(store, path, kommun, ticks: dict[str, str], texts: dict[str, str] | None = None):
    form = store.form_of(store.round_for())
    data = build_workbook(TemplateInfo(form, 2011, kommun, store.register.municipality(kommun).name))
    workbook = load_workbook(io.BytesIO(data))
    for key, value in {**ticks, **(texts or {})}.items():
        sheet, coordinate = next(iter(workbook.defined_names[name_for(key)].destinations))
        workbook[sheet][coordinate.replace("$", "")].value = value
    workbook.save(path)
    return path


def drop(window, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)


def test_dropping_files_imports_them_and_lists_the_result_per_file(qtbot, window, tmp_path, screenshot_dir):
    good = filled_template(window.store, tmp_path / "motala.xlsx", "0583", {"q1.ja": "x", "q2.politiker": "X"})
    bad = tmp_path / "trasig.xlsx"
    bad.write_bytes(b"not a workbook")
    ignored = tmp_path / "anteckningar.txt"
    ignored.write_text("inte en svarsfil", encoding="utf-8")
    seen = {}

    def read_results(dialog):
        seen["summary"] = dialog.summary.text()
        seen["lines"] = [dialog.list.item(i).text() for i in range(dialog.list.count())]
        dialog.grab().save(str(screenshot_dir / "import_results.png"))
        dialog.reject()

    on_modals(read_results)
    drop(window, [good, bad, ignored])
    assert seen["summary"] == "1 importerad, 1 nekad."
    # Motala's own answers to questions 1 and 2: imported, listed as incomplete, not counted.
    assert seen["lines"][0] == ("motala.xlsx: importerad: Motala (0583), importerad – ofullständig, "
                                "saknar svar på fråga 3, 4, 5, 6, 7, 8, 9")
    assert seen["lines"][1].startswith("trasig.xlsx: nekad: filen är ingen Excel-fil")
    assert window.store.response(window.round, "0583").fields == {"q1": "ja", "q2.politiker": "X"}
    status = {window.proxy.index(r, 0).data(): window.proxy.index(r, 1).data() for r in range(window.proxy.rowCount())}
    assert status["Motala"] == "importerad – ofullständig"
    assert window.progress.text() == "0 av 13 kommuner har svarat (0 %)"


class _DragEvent:
    """What dragEnterEvent uses of a QDragEnterEvent (its constructor is deprecated in Qt 6)."""

    def __init__(self, mime):
        self._mime, self.accepted = mime, None

    def mimeData(self):  # noqa: N802 (Qt API)
        return self._mime

    def acceptProposedAction(self):  # noqa: N802 (Qt API)
        self.accepted = True

    def ignore(self):
        self.accepted = False


def test_drag_enter_accepts_only_svarsfiler(window, tmp_path):
    for name, accepted in (("svar.xlsx", True), ("SVAR.JSON", True), ("bild.png", False)):
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(tmp_path / name))])
        event = _DragEvent(mime)
        window.dragEnterEvent(event)
        assert event.accepted is accepted, name


@pytest.mark.parametrize("choice, expected_q5", [("Ersätt med filens svar", "nej"), ("Behåll databasens svar", "ja")])
def test_a_conflict_is_shown_side_by_side_and_the_user_decides(qtbot, window, tmp_path, choice, expected_q5, screenshot_dir,
                                                                 file_dialogs):
    store = window.store
    store.set_fields(window.round, "0580", {"q1": "ja", "q5": "ja"})  # typed in during an interview
    path = filled_template(store, tmp_path / "linkoping.xlsx", "0580", {"q1.ja": "X", "q5.nej": "X"},
                           {"q5.kommentar": "Nytt system"})
    seen = {}

    def decide(dialog):
        table = dialog.table
        seen["rows"] = [[table.item(r, c).text() for c in range(3)] for r in range(table.rowCount())]
        if choice.startswith("Ersätt"):
            dialog.grab().save(str(screenshot_dir / "conflict_dialog.png"))
        click_button(dialog, choice)

    on_modals(decide, lambda results: results.reject())
    file_dialogs.answer([path])
    window.import_action.trigger()
    assert seen["rows"] == [["Fråga 5", "Ja", "Nej"], ["Fråga 5: kommentar", "–", "Nytt system"]]
    assert store.response(window.round, "0580").fields["q5"] == expected_q5


def test_a_municipality_from_another_region_is_asked_about(qtbot, window, tmp_path, file_dialogs):
    path = filled_template(window.store, tmp_path / "kiruna.xlsx", "2584", {"q1.nej": "X"})
    seen = {}

    def answer(box):
        seen["text"] = box.text()
        assert box.button(box.StandardButton.Yes).text().replace("&", "") == "Ja"  # Qt's own texts in Swedish
        box.button(box.StandardButton.Yes).click()

    on_modals(answer, lambda results: results.reject())
    file_dialogs.answer([path])
    window.import_action.trigger()
    assert "Kiruna hör inte till din region Östergötland" in seen["text"]
    assert window.store.response(window.round, "2584").fields == {"q1": "nej"}


def test_region_templates_from_the_menu_never_overwrite_without_asking(qtbot, window, tmp_path, file_dialogs):
    folder = tmp_path / "utskick"
    folder.mkdir()
    file_dialogs.answer(folder)
    window.templates_action.trigger()
    assert len(list(folder.glob("*.xlsx"))) == 13  # Östergötland's 13 municipalities
    first = folder / "Enkät 2011 0580 Linköping.xlsx"
    first.write_bytes(b"kommunens egen fil")
    on_modals(lambda box: box.button(box.StandardButton.No).click())
    file_dialogs.answer(folder)
    window.templates_action.trigger()
    assert first.read_bytes() == b"kommunens egen fil"
    assert file_dialogs.asked[1]["directory"] == str(folder)  # the dialog opens where the files went last time
    workbook = load_workbook(folder / "Enkät 2011 0583 Motala.xlsx")
    assert "Eva Ek" in " ".join(str(c.value) for row in workbook["Enkät"].iter_rows() for c in row if c.value)


def test_a_municipality_exports_its_svarsfil_for_the_leader(qtbot, tmp_path, file_dialogs):
    win = MainWindow(core.open_store(tmp_path / "kommun.sqlite"), Settings(role="kommun", kommun="2584"))
    qtbot.addWidget(win)
    win.store.save_answers(win.round, "2584", Answers(choices={"q1": ["nej"], "q5": ["vet_ej"]},
                                                      comments={"q5": "Vi har få placeringar"}), source="gui")
    win.questionnaire.load("2584")
    xlsx, json_file = tmp_path / "kiruna.xlsx", tmp_path / "kiruna.json"
    file_dialogs.answer(xlsx, json_file)
    win.export_action.trigger()
    win.export_action.trigger()
    assert xlsx.exists() and json_file.exists()
    leader = core.open_store(tmp_path / "ledare.sqlite")
    from bou_desktop.exchange.importer import Outcome, import_file

    assert import_file(leader, xlsx).outcome is Outcome.IMPORTED
    assert leader.response(leader.round_for(), "2584").fields == {"q1": "nej", "q5": "vet_ej", "q5.kommentar": "Vi har få placeringar"}
    leader.close()


def test_pdfs_from_the_menu(qtbot, window, tmp_path, file_dialogs):
    window.store.save_answers(window.round, "0580", Answers(choices={"q2": ["brukare"]}), source="gui")
    window.select_municipality("0580")
    response, blank = tmp_path / "svar.pdf", tmp_path / "tom.pdf"
    file_dialogs.answer(response, blank)
    window.pdf_action.trigger()
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(response).pages)
    assert "Linköping (0580)" in text and "☒ Brukare" in text
    window.blank_pdf_action.trigger()
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(blank).pages)
    assert "Eva Ek" in text and "Varför är kommunerna tillfrågade?" in text and "☒" not in text


def test_a_slow_file_never_freezes_the_progress_dialog_and_avbryt_stops_at_once(qtbot, window, tmp_path, monkeypatch):
    """Reading runs beside the GUI: while a file takes long to read the window keeps handling events,
    and Avbryt stops the import without waiting for the rest; what was imported before stays."""
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog

    from bou_desktop.exchange import importer
    from bou_desktop.gui.import_dialogs import import_with_progress

    files = [filled_template(window.store, tmp_path / f"{code}.xlsx", code, {"q1.ja": "x"}) for code in ("0583", "0584", "0586")]
    real_prepare = importer.prepare_file

    def slow_prepare(path, forms, register):  # called as the GUI calls it, with keywords
        if path.name != "0583.xlsx":
            time.sleep(1.5)  # a huge file on a slow network drive
        return real_prepare(path, forms, register)

    monkeypatch.setattr("bou_desktop.gui.import_dialogs.prepare_file", slow_prepare)
    ticks, gaps = [], []

    def tick():
        now = time.perf_counter()
        if ticks:
            gaps.append(now - ticks[-1])
        ticks.append(now)
        dialog = window.findChild(QProgressDialog)
        if len(ticks) == 60 and dialog is not None:  # 0.6 s into the slow file: the user gives up
            dialog.cancel()

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    started = time.perf_counter()
    results = import_with_progress(window, window.store, files, "Östergötland")
    elapsed = time.perf_counter() - started
    timer.stop()
    assert [r.kommun for r in results] == ["0583"]  # the first file was stored; the cancelled ones were not
    assert window.store.response(window.store.round_for(), "0584") is None
    assert len(ticks) >= 60 and max(gaps) < 0.1  # the GUI thread was never blocked for 100 ms
    assert elapsed < 1.5  # Avbryt did not wait for the slow reads to finish


def test_the_import_leaves_the_start_s_frozen_objects_frozen(window, tmp_path):
    """The running program froze its start's objects (gui/app.py); an import must not thaw them."""
    import gc

    from bou_desktop.gui.import_dialogs import import_with_progress

    files = [filled_template(window.store, tmp_path / "motala.xlsx", "0583", {"q1.ja": "x"})]
    assert gc.get_freeze_count() == 0  # a test starts unfrozen: the import thaws what it froze
    import_with_progress(window, window.store, files, "Östergötland")
    assert gc.get_freeze_count() == 0
    gc.freeze()  # as after the start
    try:
        results = import_with_progress(window, window.store, files, "Östergötland")
        assert results[0].kommun == "0583"
        assert gc.get_freeze_count() > 0  # gc.unfreeze() would leave none (objects freed since have left it)
    finally:
        gc.unfreeze()
