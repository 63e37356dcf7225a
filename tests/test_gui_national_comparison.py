"""SKL's national view beside an earlier round (issue 17, point 3): "Jämför med", per question the earlier
round's percent and the change in points, both rounds in the chart, a question 2011 lacks marked as not
comparable, and the exports of the chosen comparison; every figure against an independent tally."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("PySide6.QtWidgets")

from national_rounds import ANSWERED, make_county_files, skl_store, tally, whole_percent  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from two_rounds import points_words  # noqa: E402

from bou_desktop.gui.main_window import MainWindow  # noqa: E402
from bou_desktop.settings import Settings  # noqa: E402

# 2013's question -> 2011's, and option -> 2011's option
QUESTIONS = {"q1": ("q1", {"ja": "ja", "nej": "nej"}),
             "instrument": ("q4", {"verksamhetssystem": "verksamhetssystem", "bbic_ny": "bbic"})}


@pytest.fixture(scope="module")
def county_files(tmp_path_factory):
    return make_county_files(tmp_path_factory.mktemp("lan_rounds_gui"))


@pytest.fixture
def window(qtbot, tmp_path, county_files):
    win = MainWindow(skl_store(tmp_path / "skl.sqlite", tmp_path, county_files), Settings(role="skl", name="SKL"))
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    return win


def expected_rows(form, question: str) -> list[tuple[str, str]]:
    """(earlier percent, change) per option, then Ej svar and Ej tillämpligt (question 4 may be passed over)."""
    earlier_id, renamed = QUESTIONS[question]
    now, before = tally(2013, question), tally(2011, earlier_id)
    keys = [(o.id, renamed.get(o.id, o.id)) for o in form.question(question).options] + [("ej_svar", "ej_svar")]
    if question == "instrument":
        keys.append(("ej_tillampligt", "ej_tillampligt"))
    rows = []
    for option, earlier in keys:
        p_now, p_before = whole_percent(now.get(option, 0), now["answered"]), whole_percent(before.get(earlier, 0), 12)
        change = p_now - p_before
        rows.append((f"{p_before} %", points_words(change)))  # the county view's words for a change
    return rows


def test_the_view_compares_with_the_previous_round_and_can_be_told_not_to(qtbot, window, screenshot_dir, tmp_path,
                                                                        file_dialogs):
    view = window.national_view
    assert window.round.year == 2013 and view.isVisible()
    box = view.compare_box
    assert [box.itemText(i) for i in range(box.count())] == ["Kartläggning 2011 (förra omgången)", "Ingen jämförelse"]
    assert box.currentText() == "Kartläggning 2011 (förra omgången)" and box.isEnabled()
    answered_2011, answered_2013 = sum(ANSWERED[2011].values()), sum(ANSWERED[2013].values())
    assert view.compare_line.isVisible()
    # the words of the PDF and Word reports (test_the_word_report_follows_jamfor_med), not a view's own
    assert view.compare_line.text() == (f"Jämförs med 2011: då hade {answered_2011} kommuner svarat, 2013 "
                                        f"{answered_2013}. Inte jämförbara frågor: 11).")
    form = view.form
    for qid in QUESTIONS:
        table = view.question_tables[qid]
        headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
        assert headers == ["Svarsalternativ", "Procent 2013", "Antal kommuner", "Procent 2011",
                           "Förändring"]
        rows = table.rows()
        assert [row[3:] for row in rows] == expected_rows(form, qid), qid
        # this round's figures as before, from the tally
        now = tally(2013, qid)
        for row, option in zip(rows, form.question(qid).options, strict=False):
            assert row[1:3] == (f"{whole_percent(now.get(option.id, 0), answered_2013)} %", str(now.get(option.id, 0)))
        chart = view.charts[qid]
        earlier_id, options = QUESTIONS[qid]
        before = tally(2011, earlier_id)
        earlier_of = {o.id: options.get(o.id, o.id) for o in form.question(qid).options}
        want = [(before.get(earlier_of[o.id], 0), whole_percent(before.get(earlier_of[o.id], 0), answered_2011))
                for o in form.question(qid).options]
        assert chart.earlier_rows() == want
        assert "mot" in chart.accessibleDescription()
    adad = [o.id for o in form.question("instrument").options].index("adad")
    assert view.question_tables["instrument"].rows()[adad][3:] == ("0 %", "±0 procentenheter")  # nobody chose it in either round
    # question 11 is new in 2013: not comparable, and its chart has one round
    q11 = view.sections["q11"]
    assert q11.compare_note.isVisible()
    assert q11.compare_note.text() == "Inte jämförbar med 2011: frågan saknas i den omgången."
    assert all(row[3:] == ("–", "–") for row in view.question_tables["q11"].rows())
    assert view.charts["q11"].earlier_rows() is None
    assert not view.sections["q1"].compare_note.isVisible()  # a comparable choice: the columns say it all
    view.grab().save(str(screenshot_dir / "compare_national_view.png"))
    view.scroll_to("instrument")
    qtbot.wait(20)
    view.grab().save(str(screenshot_dir / "compare_national_q4.png"))
    view.scroll_to("q11")
    qtbot.wait(20)
    view.grab().save(str(screenshot_dir / "compare_national_q11.png"))

    # The JSON file carries the comparison the view shows.
    file_dialogs.answer(tmp_path / "riket.json")
    view.export_buttons["json"].click()
    document = json.loads((tmp_path / "riket.json").read_text(encoding="utf-8"))
    assert document["earlier_rounds"]["2011"]["kommuner_svarat"] == answered_2011
    assert document["earlier_rounds"]["2011"]["questions"]["instrument"]["options"]["bbic_ny"]["antal"] == \
        tally(2011, "q4")["bbic"]

    # "Ingen jämförelse", chosen with the keyboard: the view is as for one round, and so is the file.
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.currentText() == "Ingen jämförelse" and view.compare_with() is None
    assert not view.compare_line.isVisible()
    table = view.question_tables["q1"]
    assert [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())] == [
        "Svarsalternativ", "Procent", "Antal kommuner"]
    assert view.charts["q1"].earlier_rows() is None and not q11.compare_note.isVisible()
    file_dialogs.answer(tmp_path / "riket2.json")
    view.export_buttons["json"].click()
    assert "earlier_rounds" not in json.loads((tmp_path / "riket2.json").read_text(encoding="utf-8"))
    qtbot.keyClick(box, Qt.Key.Key_Up)
    assert view.question_tables["q1"].columnCount() == 5


def test_the_first_round_has_nothing_to_compare_with(qtbot, window):
    view = window.national_view
    view.set_round(window.store.round_for(2011))
    assert [view.compare_box.itemText(i) for i in range(view.compare_box.count())] == ["Ingen tidigare omgång"]
    assert not view.compare_box.isEnabled() and view.compare_with() is None
    assert view.compare_group.isHidden()  # no chooser with nothing to choose
    assert not view.compare_line.isVisible() and view.question_tables["q1"].columnCount() == 3
    assert view.report.total.kommuner_svarat == sum(ANSWERED[2011].values())


def test_the_word_report_follows_jamfor_med(qtbot, window, tmp_path, file_dialogs, screenshot_dir):
    import docx
    from test_compare_county import EARLIER_HEX, colour_pixels, word_charts

    view = window.national_view
    answered_2011, answered_2013 = sum(ANSWERED[2011].values()), sum(ANSWERED[2013].values())
    compared = tmp_path / "rapport.docx"
    file_dialogs.answer(compared)
    view.export_buttons["docx"].click()
    text = " ".join(p.text for p in docx.Document(compared).paragraphs)
    assert f"Jämförs med 2011: då hade {answered_2011} kommuner svarat, 2013 {answered_2013}." in text
    rows = {tuple(c.text for c in row.cells) for table in docx.Document(compared).tables for row in table.rows}
    assert ("Svarsalternativ", "Procent 2013", "Antal kommuner", "Procent 2011", "Förändring") in rows
    assert any("två omgångar" in d and colour_pixels(i, EARLIER_HEX) > 0 for d, i in word_charts(compared.read_bytes()))

    box = view.compare_box
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.currentText() == "Ingen jämförelse"
    view.grab().save(str(screenshot_dir / "compare_national_word_none.png"))
    alone = tmp_path / "rapport_utan.docx"
    file_dialogs.answer(alone)
    window.report_docx_action.trigger()  # Arkiv → Exportera rapporten som Word…
    assert "Jämförs med" not in " ".join(p.text for p in docx.Document(alone).paragraphs)
    assert not any(colour_pixels(i, EARLIER_HEX) for _d, i in word_charts(alone.read_bytes()))
