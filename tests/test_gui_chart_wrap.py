"""Issue 18: the window's bar charts wrap a long label onto more lines instead of cutting it with "…"
(the PDFs already wrap). The row grows to hold the lines, and the chart's height follows its width."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtGui import QPixmap  # noqa: E402
from PySide6.QtWidgets import QVBoxLayout, QWidget  # noqa: E402

from bou_desktop.demo import fill_demo  # noqa: E402
from bou_desktop.gui.bar_chart import LABEL_SHARE, BarChart, TwoRoundsChart  # noqa: E402
from bou_desktop.gui.county_view import CountyView  # noqa: E402

LONG = "Uppgifter om nämndens verksamhetsmål med inriktning på placerade barn och unga"
LONGER = ("Uppgifter om de placerade barnen/unga under ett år (t.ex. antal placerade barn/unga eller andra "
          "uppgifter som rör placeringarna)")
ROWS = [("Ja", 5, 83), (LONG, 3, 50), ("Nej", 1, 17), (LONGER, 2, 33)]


def painted(chart) -> list[str]:
    """Paint the chart (off screen) and return the label lines it drew."""
    pixmap = QPixmap(chart.size())
    chart.render(pixmap)
    return list(chart.painted_labels)


def check_whole_labels(chart) -> None:
    drawn = painted(chart)
    lines = chart.label_lines()
    assert drawn == [line for row in lines for line in row]  # what is drawn is what the layout wrapped
    assert not [line for line in drawn if "…" in line]
    for (label, _count, _percent), row in zip(chart.rows(), lines, strict=True):
        assert " ".join(row) == label  # the whole label, word for word
    room = (chart.width() - 2 * chart._margin()) * LABEL_SHARE
    metrics = chart.fontMetrics()
    assert all(metrics.horizontalAdvance(line) <= room for row in lines for line in row)


def in_column(qtbot, chart, width: int) -> QWidget:
    """The chart in a vertical layout (as in the views), the holder `width` wide."""
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.addWidget(chart)
    layout.addStretch(1)
    qtbot.addWidget(holder)
    holder.resize(width, 900)
    holder.show()
    qtbot.waitExposed(holder)
    return holder


def test_a_long_label_wraps_whole_and_its_row_grows(qtbot, screenshot_dir):
    short = BarChart()
    short.set_total(6)
    short.set_data([("Ja", 5, 83), ("Ja, delvis", 3, 50), ("Nej", 1, 17), ("Vet ej", 2, 33)])
    chart = BarChart()
    chart.set_total(6)
    chart.set_data(ROWS)
    holder = in_column(qtbot, chart, 640)
    short_holder = in_column(qtbot, short, 640)
    qtbot.waitUntil(lambda: chart.height() == chart.height_for(chart.width()))
    check_whole_labels(chart)
    lines = chart.label_lines()
    assert len(lines[1]) >= 2 and len(lines[3]) >= 3 and lines[0] == ("Ja",)
    assert chart.height() > short.height() and short_holder.isVisible()  # the rows of a wrapped label are taller
    line = chart.fontMetrics().lineSpacing()
    layout = chart._layout()
    assert layout[3].label.height() >= len(lines[3]) * line
    assert layout[0].label.height() == layout[2].label.height() < layout[3].label.height()
    assert all(a.label.bottom() <= b.label.top() + 0.01 for a, b in zip(layout, layout[1:], strict=False))
    holder.grab().save(str(screenshot_dir / "chart_wrap.png"))

    # Narrower: more lines and a taller chart; wider: fewer lines, shorter. The layout follows by itself.
    tall = chart.height()
    holder.resize(420, 900)
    qtbot.waitUntil(lambda: chart.width() < 420 and chart.height() == chart.height_for(chart.width()))
    assert chart.height() > tall
    check_whole_labels(chart)
    holder.resize(1300, 900)
    qtbot.waitUntil(lambda: chart.width() > 1200 and chart.height() == chart.height_for(chart.width()))
    assert chart.height() < tall
    check_whole_labels(chart)
    holder.grab().save(str(screenshot_dir / "chart_wrap_wide.png"))


def test_a_word_longer_than_the_column_is_broken_not_cut(qtbot):
    chart = BarChart()
    chart.set_total(6)
    word = "Familjehemsplaceringsuppföljningsdokumentationsrutinerna"
    chart.set_data([(word, 2, 33), ("Nej", 4, 67)])
    holder = in_column(qtbot, chart, 300)
    qtbot.waitUntil(lambda: chart.height() == chart.height_for(chart.width()))
    drawn = painted(chart)
    assert "".join(chart.label_lines()[0]) == word and len(chart.label_lines()[0]) > 1
    assert not [line for line in drawn if "…" in line] and holder.isVisible()


def test_a_compared_chart_wraps_too(qtbot, screenshot_dir):
    chart = BarChart()
    chart.set_total(6)
    chart.set_data(ROWS)
    chart.set_earlier([(4, 67), (2, 33), None, (1, 17)], total=6, years=(2013, 2011))
    holder = in_column(qtbot, chart, 560)
    qtbot.waitUntil(lambda: chart.height() == chart.height_for(chart.width()))
    check_whole_labels(chart)
    layout = chart._layout()
    for row in layout:  # both bars of a row inside the row
        assert row.label.top() <= row.bar.top() and row.earlier_bar.bottom() <= row.label.bottom() + 0.01
    holder.grab().save(str(screenshot_dir / "chart_wrap_compared.png"))


def test_the_two_rounds_chart_wraps_too(qtbot, screenshot_dir):
    chart = TwoRoundsChart()
    chart.set_total(190)
    chart.set_data([(label, count * 30, percent) for label, count, percent in ROWS])
    chart.set_earlier([(120, 63), (80, 42), None, (40, 21)], total=190, names=("2013", "2011"))
    holder = in_column(qtbot, chart, 560)
    qtbot.waitUntil(lambda: chart.height() == chart.height_for(chart.width()))
    check_whole_labels(chart)
    assert len(chart.label_lines()[3]) >= 3
    holder.grab().save(str(screenshot_dir / "chart_wrap_two_rounds.png"))


def test_the_county_views_charts_show_whole_labels(qtbot, store):
    fill_demo(store)
    view = CountyView(store, store.round_for(), "Östergötland")
    qtbot.addWidget(view)
    view.resize(1000, 768)
    view.show()
    qtbot.waitExposed(view)
    chart = view.sections["q3"].chart
    qtbot.waitUntil(lambda: chart.height() == chart.height_for(chart.width()))
    assert any(len(row) > 1 for row in chart.label_lines())  # question 3's long options wrap here
    check_whole_labels(chart)
