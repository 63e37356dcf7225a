"""Changing the profile to a municipality while a region-level round is shown: the window goes to the
latest round a municipality answers (the lägesrapport 2013 has no questionnaire for a municipality)."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")

from helpers import on_next_modal, type_text  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from test_cli_round_defaults import database  # noqa: E402
from test_region_scope import FORM_ID as OWN_ID  # noqa: E402

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



@pytest.mark.qt_log_ignore("This plugin does not support")
def test_a_municipalitys_window_opens_on_the_programmes_round_not_a_later_own_survey(tmp_path, qtbot, screenshot_dir):
    """Linköping's database has the programme's 2011 round and Östergötland's own survey of 2012: the window
    opens on the programme's round (docs/forms.md: the programme's round stays the window's first round),
    and the own survey is in the round list. Asked for 2013, a year of two rounds, the window opens on the
    one a municipality answers, not the later region-level lägesrapport; nothing is refused."""
    from test_region_scope import FORM as OWN_FORM
    from test_rounds import FORM as PROV_FORM

    from bou_desktop.paths import forms_dir

    db = tmp_path / "kommun.sqlite"
    (tmp_path / "egen.toml").write_text(OWN_FORM, encoding="utf-8")
    (tmp_path / "provenkat.toml").write_text(PROV_FORM, encoding="utf-8")
    store = core.open_store(db)
    own = store.add_round(2012, tmp_path / "egen.toml")
    store.close()

    def opened(role: str, year: int | None, shot: str | None = None) -> tuple[int, str, str]:
        settings = Settings(role="kommun", kommun="0580") if role == "kommun" else Settings(role=role, region="Östergötland")
        window = MainWindow(core.open_store(db), settings, round_year=year)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        assert window.round_box.findData(own.id) >= 0  # the own survey is there to choose
        if shot:
            window.grab().save(str(screenshot_dir / shot))
        seen = (window.round.year, window.round.form_id, window.round_box.currentText())
        window.close()  # and its store with it
        return seen

    assert opened("kommun", None, "kommun_first_round_own_survey_later.png") == (2011, "kommunenkat", "Kartläggning 2011")
    assert opened("kommun", 2012)[:2] == (2012, OWN_ID)  # asked for by its year: the only round of 2012

    # Linköping chooses the own survey in the round list (shown since there are two rounds to answer)
    window = MainWindow(core.open_store(db), Settings(role="kommun", kommun="0580"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.round_bar.isVisible() and window.round_box.isVisible() and not window.left.isVisible()
    assert not any(w.isVisible() for w in (window.region_box, window.filter_box, window.list, window.progress))
    assert [window.round_box.itemText(i) for i in range(window.round_box.count())] == [
        "Kartläggning 2011", "Östergötlands enkät 2012"]
    window.round_box.setFocus()
    qtbot.keyClick(window.round_box, Qt.Key.Key_Down)
    assert (window.round.year, window.round.form_id) == (2012, OWN_ID)
    assert window.questionnaire.form.id == OWN_ID and window.questionnaire.kommun == "0580"
    window.grab().save(str(screenshot_dir / "kommun_chooses_own_survey.png"))
    window.close()
    store = core.open_store(db)
    store.add_round(2013, tmp_path / "provenkat.toml")
    store.add_round(2013, forms_dir() / "lagesrapport2013.toml")  # the later of the two 2013 rounds
    store.close()
    assert opened("kommun", 2013, "kommun_round_2013_of_two.png") == (2013, "provenkat", "Provenkät om uppföljning 2013")
    assert opened("ledare", 2013)[:2] == (2013, "lagesrapport")  # the latest of the year's two, as before
    # a municipality's round list leaves out the lägesrapport, which only regions answer
    window = MainWindow(core.open_store(db), Settings(role="kommun", kommun="0580"))
    qtbot.addWidget(window)
    assert [window.round_box.itemText(i) for i in range(window.round_box.count())] == [
        "Kartläggning 2011", "Östergötlands enkät 2012", "Provenkät om uppföljning 2013"]
    window.close()


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_a_municipality_with_one_round_to_answer_sees_no_round_list(tmp_path, capsys, qtbot):
    """2011 and the region-level lägesrapport 2013: a municipality answers only 2011, so no list to choose
    from; the leader (the same database) sees both rounds and the municipalities again."""
    db = database(tmp_path, capsys)
    window = MainWindow(core.open_store(db), Settings(role="kommun", kommun="0580"), settings_file=tmp_path / "p.json")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert not window.left.isVisible() and not window.round_box.isVisible() and window.round.year == 2011
    window.settings = Settings(role="ledare", region="Östergötland")
    window.apply_profile()
    assert window.left.isVisible() and window.region_box.isVisible() and window.list.isVisible()
    assert window.progress.isVisible() and window.round_box.count() == 2
    window.close()


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_a_municipalitys_round_chooser_is_a_compact_bar_above_the_questionnaire(tmp_path, qtbot, screenshot_dir):
    """Linköping answers the programme's 2011 round and Östergötland's own survey: the round list is in a
    bar above the questionnaire, no empty column beside it; Alt+O goes to the list and the arrow keys choose.
    The leader's window (the same database) has the round list in the left column again."""
    from test_region_scope import FORM as OWN_FORM

    db = tmp_path / "kommun.sqlite"
    (tmp_path / "egen.toml").write_text(OWN_FORM, encoding="utf-8")
    store = core.open_store(db)
    store.add_round(2012, tmp_path / "egen.toml")
    store.close()
    window = MainWindow(core.open_store(db), Settings(role="kommun", kommun="0580"), settings_file=tmp_path / "p.json")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.grab().save(str(screenshot_dir / "kommun_round_bar.png"))
    assert window.round_box.isVisible() and not window.left.isVisible()
    box_at = window.round_box.mapTo(window, window.round_box.rect().bottomLeft())
    tabs_at = window.tabs.mapTo(window, window.tabs.rect().topLeft())
    assert box_at.y() <= tabs_at.y()  # above the questionnaire
    assert tabs_at.x() < 20  # the questionnaire has the window's width: no column beside it
    assert window.round_box.width() < window.width() // 2  # compact, not stretched over the window

    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    assert window.round_box.hasFocus()
    qtbot.keyClick(window.round_box, Qt.Key.Key_Down)
    assert (window.round.year, window.round.form_id) == (2012, OWN_ID)
    assert window.questionnaire.form.id == OWN_ID and window.questionnaire.kommun == "0580"

    window.settings = Settings(role="ledare", region="Östergötland")
    window.apply_profile()
    assert window.left.isVisible() and window.round_box.isVisible()
    assert window.round_box.parentWidget() is window.left
    assert not window.round_bar.isVisible()
    qtbot.wait(50)  # laid out again
    assert window.left.width() > 200 and window.list.width() > 200  # the leader's list has its room again
    window.grab().save(str(screenshot_dir / "kommun_round_bar_then_leader.png"))
    window.close()
