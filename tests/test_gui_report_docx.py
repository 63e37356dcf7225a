"""The report documents from the window: SKL's report as Word and PDF from the national view's buttons and
the Arkiv menu, and a leader's county compilation as Word from the county view, through the file dialog."""

from __future__ import annotations

import docx
import pytest

pytest.importorskip("PySide6.QtWidgets")

from pypdf import PdfReader  # noqa: E402

from bou_desktop import core  # noqa: E402
from bou_desktop.demo import fill_demo  # noqa: E402
from bou_desktop.gui.main_window import MainWindow  # noqa: E402
from bou_desktop.settings import Settings  # noqa: E402


def _window(qtbot, path, settings):
    store = core.open_store(path)
    fill_demo(store)
    window = MainWindow(store, settings)
    qtbot.addWidget(window)
    window.resize(1300, 850)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_skl_exports_the_report_as_word_and_pdf(qtbot, tmp_path, file_dialogs, screenshot_dir):
    window = _window(qtbot, tmp_path / "skl.sqlite", Settings(role="skl", name="Kjerstin Bergman"))
    view = window.national_view
    assert view.export_buttons["docx"].text() == "Exportera Word…"
    assert view.export_buttons["report_pdf"].text() == "Exportera rapport som PDF…"
    assert window.report_docx_action.isVisible() and not window.county_docx_action.isVisible()
    window.grab().save(str(screenshot_dir / "report_national_buttons.png"))

    word = tmp_path / "Rapport.docx"
    file_dialogs.answer(word)
    view.export_buttons["docx"].click()
    document = docx.Document(word)
    assert document.paragraphs[0].text == "Enkätredovisning"
    assert document.core_properties.author == "Kjerstin Bergman" and document.core_properties.language == "sv-SE"
    rates = [tuple(c.text for c in row.cells) for row in document.tables[0].rows]
    assert rates[1][0] == "Stockholm (saknas)"  # no county file has come in yet

    pdf = tmp_path / "Rapport.pdf"
    file_dialogs.answer(pdf)
    window.report_pdf_action.trigger()  # Arkiv → Exportera rapporten som PDF…
    reader = PdfReader(pdf)
    assert reader.metadata.title.startswith("Enkätredovisning") and reader.outline

    file_dialogs.answer(None)
    window.report_docx_action.trigger()  # cancelled: nothing written, nothing changed
    assert sorted(p.name for p in tmp_path.glob("Rapport*")) == ["Rapport.docx", "Rapport.pdf"]


def test_a_leader_exports_the_county_compilation_as_word(qtbot, tmp_path, file_dialogs):
    window = _window(qtbot, tmp_path / "ledare.sqlite",
                     Settings(role="ledare", region="Östergötland", name="Åsa Öberg", email="asa@example.se"))
    window.show_county()
    view = window.county_view
    assert view.export_buttons["docx"].text() == "Exportera Word…"
    assert window.county_docx_action.isVisible() and not window.report_docx_action.isVisible()
    path = tmp_path / "Länssammanställning.docx"
    file_dialogs.answer(path)
    view.export_buttons["docx"].click()
    document = docx.Document(path)
    assert document.paragraphs[0].text == f"Länssammanställning Östergötland {window.round.year}"
    assert document.core_properties.author == "Åsa Öberg"
