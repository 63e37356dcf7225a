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


def test_a_new_round_looks_for_its_form_first_in_the_programs_forms_folder(qtbot, tmp_path, file_dialogs):
    """The forms the program comes with are where a leader looks first; later, where a form was last chosen."""
    from bou_desktop.paths import forms_dir

    window = MainWindow(core.open_store(tmp_path / "db.sqlite"), Settings(role="ledare", region="Östergötland"))
    qtbot.addWidget(window)
    own = tmp_path / "Egna formulär"
    own.mkdir()
    form = own / "egen.toml"
    form.write_text((forms_dir() / "kommunenkat.toml").read_text(encoding="utf-8"), encoding="utf-8")
    file_dialogs.answer(None, form)
    window.new_round_action.trigger()  # the first time: the program's forms (cancelled)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().reject())  # the round's details: Avbryt
    window.new_round_action.trigger()  # chosen from a folder of one's own
    file_dialogs.answer(None)
    window.new_round_action.trigger()  # again: that folder
    assert [Path(asked["directory"]) for asked in file_dialogs.asked] == [forms_dir(), forms_dir(), own]
    assert [r.year for r in window.store.rounds()] == [2011]
