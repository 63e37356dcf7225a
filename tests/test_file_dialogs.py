"""File dialogs open in the folder last used for that kind of file."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")

from bou_desktop import core  # noqa: E402
from bou_desktop.gui import file_dialogs as seam  # noqa: E402
from bou_desktop.gui.main_window import MainWindow  # noqa: E402
from bou_desktop.settings import Settings  # noqa: E402
from bou_desktop.survey.answers import Answers  # noqa: E402


def test_each_kind_of_file_opens_where_it_was_saved_last(qtbot, tmp_path, file_dialogs):
    window = MainWindow(core.open_store(tmp_path / "db.sqlite"), Settings(role="ledare", region="Östergötland"))
    qtbot.addWidget(window)
    window.store.save_answers(window.round, "0580", Answers(choices={"q1": ["nej"]}), source="gui")
    window.select_municipality("0580")
    svarsfiler, pdfs = tmp_path / "Svarsfiler till länet", tmp_path / "Utskrifter"
    svarsfiler.mkdir()
    pdfs.mkdir()
    file_dialogs.answer(svarsfiler / "linkoping.xlsx", pdfs / "linkoping.pdf", svarsfiler / "igen.json", None)
    window.export_action.trigger()  # the first time: the home folder
    window.pdf_action.trigger()  # another kind: still the home folder
    window.export_action.trigger()  # a svarsfil again: where the last one went
    window.blank_pdf_action.trigger()  # a PDF again: where the last PDF went (cancelled)
    folders = [Path(asked["directory"]).parent for asked in file_dialogs.asked]
    assert folders == [Path.home(), Path.home(), svarsfiler, pdfs]
    assert Path(file_dialogs.asked[0]["directory"]).name == "Svarsfil 2011 0580 Linköping.xlsx"
    assert (svarsfiler / "igen.json").exists()


def test_a_folder_that_is_gone_or_a_broken_file_means_the_home_folder(tmp_path):
    gone = tmp_path / "usb-minnet"
    gone.mkdir()
    seam.remember_folder("svarsfil", gone)
    assert seam.last_folder("svarsfil") == gone
    gone.rmdir()
    assert seam.last_folder("svarsfil") == Path.home()
    seam._folders_file().write_text("{inte json", encoding="utf-8")
    assert seam.last_folder("svarsfil") == Path.home()
    seam.remember_folder("pdf", tmp_path)  # a broken file is replaced, not a reason to fail
    assert seam.last_folder("pdf") == tmp_path
