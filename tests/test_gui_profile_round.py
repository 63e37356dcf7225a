"""Changing the profile to a municipality while a region-level round is shown: the window goes to the
latest round a municipality answers (the lägesrapport 2013 has no questionnaire for a municipality)."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")

from helpers import on_next_modal, type_text  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from test_cli_round_defaults import database  # noqa: E402

from bou_desktop import core  # noqa: E402
from bou_desktop.gui.main_window import MainWindow  # noqa: E402
from bou_desktop.gui.profile_dialog import ProfileDialog  # noqa: E402
from bou_desktop.settings import Settings  # noqa: E402


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_changing_the_profile_to_a_municipality_shows_the_round_it_answers(tmp_path, capsys, qtbot, screenshot_dir):
    """A leader looks at the region's lägesrapport 2013; the profile becomes Linköping's: the window shows the
    2011 round, the one a municipality answers, with Linköping's questionnaire."""
    db = database(tmp_path, capsys)
    store = core.open_store(db)
    window = MainWindow(store, Settings(role="ledare", region="Östergötland"), settings_file=tmp_path / "profil.json")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.round.year == 2013 and window.answered_per_region

    def become_linkoping(dialog) -> None:
        assert isinstance(dialog, ProfileDialog)
        dialog.role_buttons["kommun"].click()
        dialog.kommun_combo.setFocus()
        dialog.kommun_combo.lineEdit().selectAll()
        type_text(dialog.kommun_combo.lineEdit(), "Linköping")
        qtbot.keyClick(dialog.save_button, Qt.Key.Key_Space)

    on_next_modal(become_linkoping)
    window.profile_action.trigger()
    assert window.settings.role == "kommun" and window.settings.kommun == "0580"
    assert window.round.year == 2011 and not window.answered_per_region
    assert window.round_box.currentData() == window.round.id
    assert window.questionnaire.form.unit_key == "kommun" and window.questionnaire.kommun == "0580"
    window.grab().save(str(screenshot_dir / "profile_kommun_round_2011.png"))
    window.close()
    store.close()
