"""Issue 17 in the county view: "Jämför med" chosen with the keyboard, both rounds' figures and the change
in every count table and chart (read from the widgets), a new question marked, exports beside the chosen round."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import QPoint, Qt  # noqa: E402
from two_rounds import (  # noqa: E402
    ANSWERS,
    CHOICES,
    REGION,
    answered,
    changed_form_rounds,
    count,
    percent_of,
    points,
    points_words,
    two_rounds,
    whole_percent,
)

from bou_desktop import core  # noqa: E402
from bou_desktop.gui.main_window import MainWindow  # noqa: E402
from bou_desktop.settings import Settings  # noqa: E402
from bou_desktop.survey.changes import NOT_COMPARABLE  # noqa: E402

LEADER = Settings(role="ledare", region=REGION, name="Åsa Öberg", skl_email="bou@skl.se")


def open_window(qtbot, store):
    win = MainWindow(store, LEADER, round_year=2013)
    qtbot.addWidget(win)
    win.resize(1366, 900)
    win.show()
    qtbot.waitExposed(win)
    win.show_county_action.trigger()
    qtbot.waitUntil(lambda: win.county_view.isVisible())
    qtbot.waitUntil(lambda: win.county_view.width() == win.county_page.width())
    return win


@pytest.fixture
def window(qtbot, tmp_path):
    return open_window(qtbot, two_rounds(tmp_path / "two.sqlite"))


def expected_rows(view, qid):
    labels = [o.label for o in view.municipal_form.question(qid).options]
    return [(label, str(count(2013, qid, o)), f"{percent_of(2013, qid, o)} %",
             f"{count(2011, qid, o)} ({percent_of(2011, qid, o)} %)", points_words(points(qid, o)))
            for label, o in zip(labels, CHOICES[qid], strict=True)]


def choose(qtbot, view, text):
    """Pick an entry of "Jämför med" with the keyboard, as a person does."""
    box = view.compare_box
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    target = box.findText(text)
    while box.currentIndex() != target:
        qtbot.keyClick(box, Qt.Key.Key_Down if box.currentIndex() < target else Qt.Key.Key_Up)


def test_the_county_view_compares_with_the_previous_round_by_default(window, qtbot, screenshot_dir):
    view = window.county_view
    assert view.compare_widget.isVisible()
    assert [view.compare_box.itemText(i) for i in range(view.compare_box.count())] == [
        "Kartläggning 2011 (förra omgången)", "Ingen jämförelse"]
    assert view.answered_rounds.text() == f"Svarande kommuner: {answered(2013)} (2013), {answered(2011)} (2011)"
    for qid in CHOICES:
        section = view.sections[qid]
        assert section.table.compared_values()[:len(CHOICES[qid])] == expected_rows(view, qid), qid
        # A compared choice question says so in its chart's legend (no line of its own under the heading).
        assert not section.comparison_label.isVisible()
        assert section.chart.legend_text() == (f"2013 ({answered(2013)} svarande kommuner) · "
                                               f"2011 ({answered(2011)} svarande kommuner, ljusare stapel)")
        assert section.chart.earlier_rows() == [(count(2011, qid, o), percent_of(2011, qid, o)) for o in CHOICES[qid]]
        bars = section.chart.earlier_bar_rects()
        assert len(bars) == len(CHOICES[qid])
    # "Ej svar" beside the earlier round too (q5 is never skipped: a municipality without it left it blank)
    blank = {year: sum(1 for raw in ANSWERS[year].values() if "q5" not in raw) for year in (2011, 2013)}
    shares = {year: whole_percent(blank[year], answered(year)) for year in blank}
    assert view.sections["q5"].table.compared_values()[len(CHOICES["q5"])] == (
        "Ej svar", str(blank[2013]), f"{shares[2013]} %", f"{blank[2011]} ({shares[2011]} %)",
        points_words(shares[2013] - shares[2011]))
    # and "Ej tillämpligt": q2 is skipped after q1 = nej
    skipped = {year: sum(1 for raw in ANSWERS[year].values() if raw["q1"] == ["nej"]) for year in (2011, 2013)}
    shares = {year: whole_percent(skipped[year], answered(year)) for year in skipped}
    assert view.sections["q2"].table.compared_values()[-1] == (
        "Ej tillämpligt", str(skipped[2013]), f"{shares[2013]} %", f"{skipped[2011]} ({shares[2011]} %)",
        points_words(shares[2013] - shares[2011]))
    header = view.sections["q2"].table.horizontalHeaderItem
    assert [header(c).text() for c in range(1, 5)] == ["Antal 2013", "Procent 2013", "Antal 2011 (procent)",
                                                              "Förändring"]
    view.scroll_to("q2")
    window.grab().save(str(screenshot_dir / "compare_county_default.png"))

    choose(qtbot, view, "Ingen jämförelse")
    assert view.comparison is None and not view.answered_rounds.isVisible()
    section = view.sections["q2"]
    assert section.table.isColumnHidden(3) and section.chart.earlier_rows() is None
    assert not section.comparison_label.isVisible()
    # The chart goes back to one bar per option and no legend (laid out once the events are handled).
    qtbot.waitUntil(lambda: section.chart.height() == section.chart.sizeHint().height())
    assert section.chart.legend_text() == ""
    qtbot.wait(20)  # the table's rows are fitted to the wider label column on a zero timer
    # the question read at the top stays there, though the sections above it shrank
    assert 0 <= section.mapTo(view.scroll.viewport(), QPoint(0, 0)).y() <= 10
    window.grab().save(str(screenshot_dir / "compare_county_none.png"))
    choose(qtbot, view, "Kartläggning 2011 (förra omgången)")
    assert view.sections["q5"].table.compared_values()[:4] == expected_rows(view, "q5")


def test_exports_follow_the_chosen_round(window, qtbot, tmp_path, file_dialogs):
    view = window.county_view
    first, second = tmp_path / "med.json", tmp_path / "utan.json"
    file_dialogs.answer(first)
    view.export_buttons["json"].click()
    earlier = json.loads(first.read_text(encoding="utf-8"))["earlier_rounds"]["2011"]
    assert earlier["questions"]["q1"]["counts"] == {o: count(2011, "q1", o) for o in CHOICES["q1"]}
    choose(qtbot, view, "Ingen jämförelse")
    file_dialogs.answer(second)
    view.export_buttons["json"].click()
    assert "earlier_rounds" not in json.loads(second.read_text(encoding="utf-8"))


def test_a_question_without_counterpart_is_marked_and_nothing_breaks(qtbot, tmp_path, screenshot_dir):
    win = open_window(qtbot, changed_form_rounds(tmp_path))
    view = win.county_view
    new = view.sections["q9ny"]
    assert new.comparison_label.isVisible() and new.comparison_label.text() == f"<i>{NOT_COMPARABLE}</i>"
    assert new.table.isColumnHidden(3) and new.chart.earlier_rows() is None
    renamed = view.sections["itstod"].table.compared_values()
    labels = [o.label for o in view.municipal_form.question("itstod").options]
    assert renamed[:4] == [(label, str(count(2013, "q5", o)), f"{percent_of(2013, 'q5', o)} %",
                            f"{count(2011, 'q5', o)} ({percent_of(2011, 'q5', o)} %)", points_words(points("q5", o)))
                           for label, o in zip(labels, CHOICES["q5"], strict=True)]
    view.scroll_to("q9ny")
    win.grab().save(str(screenshot_dir / "compare_county_new_question.png"))


def test_a_database_of_one_round_has_no_chooser(qtbot, tmp_path):
    store = core.open_store(tmp_path / "one.sqlite")
    win = MainWindow(store, LEADER)
    qtbot.addWidget(win)
    win.show()
    win.show_county_action.trigger()
    qtbot.waitUntil(lambda: win.county_view.isVisible())
    assert not win.county_view.compare_widget.isVisible() and win.county_view.comparison is None
    assert not win.county_view.sections["q1"].comparison_label.isVisible()


def test_a_round_nobody_has_answered_yet_still_shows_the_earlier_rounds_bars(qtbot):
    from bou_desktop.gui.bar_chart import BarChart

    chart = BarChart()
    qtbot.addWidget(chart)
    chart.set_total(0)
    chart.set_data([("Ja", 0, 0), ("Nej", 0, 0)])
    assert chart.is_empty  # nothing to draw of this round alone: "Inga svar ännu"
    chart.set_earlier([(6, 100), (0, 0)], 6, (2013, 2011))
    assert not chart.is_empty and chart.earlier_rows() == [(6, 100), (0, 0)]
    assert [bar.width() > 0 for bar in chart.earlier_bar_rects()] == [True, False]


def test_the_word_file_follows_jamfor_med_as_the_other_exports_do(window, qtbot, tmp_path, file_dialogs,
                                                                  screenshot_dir):
    import docx
    from test_compare_county import EARLIER_HEX, colour_pixels, word_charts
    from test_report_truth import word_tables

    view = window.county_view
    county_form = window.store.county_form_of(window.round)

    def q5_table(path) -> list[tuple[str, ...]]:
        label = county_form.question("q5").label
        return next(rows for headings, rows in word_tables(path.read_bytes())
                    if headings and headings[-1].startswith(f"{label} "))

    # the view's button, beside the previous round (the default of "Jämför med")
    compared = tmp_path / "med.docx"
    file_dialogs.answer(compared)
    view.export_buttons["docx"].click()
    labels = {o.id: o.label for o in county_form.question("q5").options}
    table = q5_table(compared)
    assert table[0] == ("Svarsalternativ", "Antal 2013", "Procent 2013", "Antal 2011", "Procent 2011", "Förändring")
    assert table[1:1 + len(CHOICES["q5"])] == [
        (labels[o], str(count(2013, "q5", o)), f"{percent_of(2013, 'q5', o)}\u00a0%", str(count(2011, "q5", o)),
         f"{percent_of(2011, 'q5', o)}\u00a0%", points_words(points("q5", o))) for o in CHOICES["q5"]]
    assert any("två omgångar" in d and colour_pixels(i, EARLIER_HEX) > 0 for d, i in word_charts(compared.read_bytes()))
    text = " ".join(p.text for p in docx.Document(compared).paragraphs)
    assert f"Jämförs med omgången 2011: {answered(2011)} kommuner besvarade enkäten 2011" in text

    # "Ingen jämförelse" chosen with the keyboard; Arkiv → Exportera länssammanställningen som Word…
    choose(qtbot, view, "Ingen jämförelse")
    window.grab().save(str(screenshot_dir / "compare_county_word_none.png"))
    alone = tmp_path / "utan.docx"
    file_dialogs.answer(alone)
    window.county_docx_action.trigger()
    table = q5_table(alone)
    assert table[0] == ("Svarsalternativ", "Antal kommuner", "Procent")
    assert table[1:1 + len(CHOICES["q5"])] == [
        (labels[o], str(count(2013, "q5", o)), f"{percent_of(2013, 'q5', o)}\u00a0%") for o in CHOICES["q5"]]
    assert not any(colour_pixels(i, EARLIER_HEX) for _d, i in word_charts(alone.read_bytes()))
    assert "Jämförs med" not in " ".join(p.text for p in docx.Document(alone).paragraphs)
