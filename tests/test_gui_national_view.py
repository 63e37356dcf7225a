"""The national compilation view (Nationell sammanställning, SKL) on the seed's 2011 county files:
the response-rate table, question 3 and the question 10 means as in the report, live refresh after
an import, and the requests its buttons send to the main window."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import Qt  # noqa: E402
from test_national import SEED_Q3, seed_rates, spread  # noqa: E402

from bou_desktop import core  # noqa: E402
from bou_desktop.exchange.county_file import county_xlsx_bytes  # noqa: E402
from bou_desktop.exchange.national_file import import_county_bytes  # noqa: E402
from bou_desktop.gui.national_view import MISSING, WARNING_COLOUR, NationalView  # noqa: E402
from bou_desktop.gui.tables import table_rows  # noqa: E402
from bou_desktop.survey.answers import Answers  # noqa: E402

LATE = "Gotland"  # the county file that arrives while the view is open
RANKS = {  # the regions that ranked question 10 (about half the leaders left it blank in 2011)
    "Uppsala": {"basuppgifter": 1, "resultat_familjehem": 2, "annat": 7},
    "Kalmar": {"basuppgifter": 2, "resultat_familjehem": 4},
    "Gotland": {"basuppgifter": 2},
}
SUMMARIES = {
    "Uppsala": "Budget och statistik redovisas årligen; resultat av insatserna följs sällan upp.",
    "Skåne": "Flera kommuner håller på att ta fram enkäter till barn och vårdnadshavare.",
}


@pytest.fixture(scope="module")
def county_files(tmp_path_factory, request):
    """Each region's leader compiles real responses as in 2011 (as tests/test_national.py does), adds a
    summary or a ranking here and there, and exports the county Excel file."""
    seed = (request.config.rootpath / "tests" / "data" / "seed_001.txt").read_text(encoding="utf-8")
    rates = seed_rates(seed)  # the 24 regions and the Total row
    answering = [(name, answered) for name, _total, answered, _pct in rates[:-1] if answered]
    folder = tmp_path_factory.mktemp("lan_gui")
    q3_by_region = {option: spread(antal, [a for _n, a in answering]) for option, (_pct, antal) in SEED_Q3.items()}
    files = {}
    for index, (region, answered) in enumerate(answering):
        store = core.open_store(folder / f"{region}.sqlite")
        round_ = store.round_for()
        for m_index, municipality in enumerate(store.municipalities(region)[:answered]):
            ticks = [option for option, counts in q3_by_region.items() if m_index < counts[index]]
            answers = Answers(choices={"q1": ["ja"], **({"q3": ticks} if ticks else {}), "q5": ["ja"]})
            store.save_answers(round_, municipality.code, answers, source="cli", status="klar")
        for option, rank in RANKS.get(region, {}).items():
            store.set_leader_text(round_, region, f"rank.{option}", rank)
        if region == "Uppsala":
            store.set_leader_text(round_, region, "ranking_specify", "Kompetensutveckling för handläggarna")
        if region in SUMMARIES:
            store.set_leader_text(round_, region, "summary.q3", SUMMARIES[region])
        if region == "Dalarna":
            store.set_leader_text(round_, region, "ovriga_synpunkter", "Enkäten borde skickas ut tidigare på året.")
        path = folder / f"Länssammanställning {region} 2011.xlsx"
        path.write_bytes(county_xlsx_bytes(store.compile(round_, region), store.forms["lanssammanstallning"]))
        files[region] = path
        store.close()
    return rates, files


def import_files(store, paths):
    for path in paths:
        outcome, message = import_county_bytes(store, path.read_bytes(), path.name)
        assert outcome == "importerad", message


@pytest.fixture
def early(store, county_files):
    """SKL's database before the last county file has arrived."""
    import_files(store, [path for region, path in county_files[1].items() if region != LATE])
    return store


@pytest.fixture
def skl(early, county_files):
    import_files(early, [county_files[1][LATE]])
    return early


def make_view(qtbot, store):
    widget = NationalView(store, store.round_for())
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def view(qtbot, skl):
    return make_view(qtbot, skl)


def seed_table(rates):
    return [(name, str(total), str(answered), f"{pct} %") for name, total, answered, pct in rates]


def test_the_rates_table_is_the_seed_table(view, county_files, skl):
    rates = county_files[0]
    assert [r.name for r in skl.register.regions] == [name for name, *_ in rates[:-1]]  # the register's order
    table = view.rates_table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == ["Region", "Antal kommuner", "Har svarat", "Svarsfrekvens", "Fil"]
    assert [row[:4] for row in table_rows(table)] == seed_table(rates)
    assert table_rows(table)[-1] == ("Total", "290", "190", "66 %", "")
    assert table.item(table.rowCount() - 1, 0).font().bold()
    assert not table.item(1, 0).font().bold()
    files = {row[0]: row[4] for row in table_rows(table)[:-1]}
    assert files["Stockholm"] == files["GR"] == files["Sjuhärad"] == MISSING
    assert table.item(0, 4).foreground().color() == WARNING_COLOUR
    assert files["Uppsala"].startswith("Länssammanställning Uppsala 2011.xlsx, importerad 20")
    assert table.item(1, 4).foreground().color() != WARNING_COLOUR
    assert view.summary_line.text() == "21 av 24 regioner har skickat in. Saknas: Stockholm, GR, Sjuhärad."
    assert table.accessibleName() and view.region_box.accessibleName()


def test_question_3_as_in_the_report(view, skl):
    form = skl.form_of(skl.round_for())
    section = view.sections["q3"]
    assert form.question("q3").text in section.title.text()
    table = view.question_tables["q3"]
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == ["Svarsalternativ", "Procent", "Antal kommuner"]
    rows = table_rows(table)
    assert ("Budget för vårdkostnader", "78 %", "149") in rows
    labels = {o.id: o.report_label for o in form.question("q3").options}  # the seed's short labels
    assert rows[: len(labels)] == [(labels[oid], f"{pct} %", str(antal)) for oid, (pct, antal) in SEED_Q3.items()]
    assert rows[len(labels)][0] == "Ej svar"
    assert table.accessibleName() == "Procent och antal kommuner, fråga 3"
    chart = view.charts["q3"]
    assert chart.total() == 190
    assert ("Budget för vårdkostnader", 149, 78) in chart.rows()
    assert set(view.question_tables) == {f"q{n}" for n in range(1, 10)}
    assert view.question_tables["q1"].rows()[0][1:] == ("100 %", "190")


def test_the_regions_summaries_fold_out(qtbot, view):
    summaries = view.sections["q3"].summaries
    assert summaries.button.text() == "Regionernas sammanfattningar av öppna svar (2)"
    assert not summaries.body.isVisible()
    qtbot.mouseClick(summaries.button, Qt.MouseButton.LeftButton)
    assert summaries.expanded and summaries.body.isVisible()
    assert summaries.button.arrowType().name == "DownArrow"
    regions = [r.name for r in view.store.register.regions]
    assert summaries.lines == [f"{region}: {SUMMARIES[region]}" for region in regions if region in SUMMARIES]
    assert "<b>Uppsala:</b>" in summaries.body.text()
    empty = view.sections["q1"].summaries
    assert empty.button.text().endswith("(inga)") and not empty.button.isEnabled()
    assert view.other_views.lines == ["Dalarna: Enkäten borde skickas ut tidigare på året."]


def test_question_10_means_with_decimal_comma(view):
    table = view.ranking_table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == ["Alternativ", "Medelvärde", "Antal regioner"]
    rows = table_rows(table)
    assert rows[:3] == [
        ("Basuppgifter för systematisk uppföljning", "1,7", "3"),  # (1 + 2 + 2) / 3
        ("Utveckla systematisk uppföljning – resultat av insatsen familjehem", "3,0", "2"),
        ("Annat alternativ, ange", "7,0", "1"),
    ]
    assert all(mean == "–" and count == "0" for _label, mean, count in rows[3:]) and len(rows) == 7
    assert view.ranking_section.specify.lines == ["Uppsala: Kompetensutveckling för handläggarna"]


def test_an_imported_county_file_updates_the_open_view(qtbot, early, county_files):
    view = make_view(qtbot, early)
    rates = county_files[0]
    assert view.summary_line.text() == ("20 av 24 regioner har skickat in. Saknas: Stockholm, Gotland, GR, "
                                        "Sjuhärad.")
    gotland = next(row for row in table_rows(view.rates_table) if row[0] == LATE)
    assert gotland[1:] == ("1", "0", "0 %", MISSING)
    assert table_rows(view.rates_table)[-1][:4] == ("Total", "290", "189", "65 %")
    view.select_region(LATE)
    assert view.region_box.currentText() == f"{LATE} ({MISSING})" and not view.comparison_button.isEnabled()
    path = county_files[1][LATE]
    outcome, _message = import_county_bytes(early, path.read_bytes(), path.name)
    assert outcome == "importerad"
    qtbot.waitUntil(lambda: view.summary_line.text().startswith("21 av 24"))
    assert view.summary_line.text() == "21 av 24 regioner har skickat in. Saknas: Stockholm, GR, Sjuhärad."
    assert [row[:4] for row in table_rows(view.rates_table)] == seed_table(rates)
    assert ("Budget för vårdkostnader", "78 %", "149") in table_rows(view.question_tables["q3"])
    assert table_rows(view.ranking_table)[0] == ("Basuppgifter för systematisk uppföljning", "1,7", "3")
    assert view.region_box.currentText() == LATE and view.comparison_button.isEnabled()


def test_a_hidden_view_refreshes_when_shown_again(qtbot, early, county_files):
    view = make_view(qtbot, early)
    view.hide()
    path = county_files[1][LATE]
    import_county_bytes(early, path.read_bytes(), path.name)
    qtbot.wait(20)
    assert view.summary_line.text().startswith("20 av 24")  # no work while hidden
    view.show()
    qtbot.waitUntil(lambda: view.summary_line.text().startswith("21 av 24"))


def test_an_empty_database_shows_every_region_missing(qtbot, store):
    view = make_view(qtbot, store)
    assert view.summary_line.text() == "Ingen av de 24 regionerna har skickat in någon länssammanställning ännu."
    assert all(row[4] == MISSING for row in table_rows(view.rates_table)[:-1])
    assert table_rows(view.rates_table)[-1] == ("Total", "290", "0", "0 %", "")
    assert view.charts["q3"].is_empty
    assert all(mean == "–" for _label, mean, _count in table_rows(view.ranking_table))
    assert not view.comparison_button.isEnabled()


def test_a_narrow_window_wraps_instead_of_scrolling_sideways(qtbot, view, tmp_path):
    view.resize(760, 600)
    qtbot.wait(50)
    assert view.content.width() <= view.scroll.viewport().width()
    assert view.content.minimumSizeHint().width() <= view.scroll.viewport().width()
    assert not view.sections["q3"].wide  # the chart below the table
    assert max(view._toolbar_rows) >= 1  # the toolbar in two rows
    assert all(item.geometry().right() <= view.width() for item in view._toolbar_items())
    view.grab().save(str(tmp_path / "narrow.png"))


def test_the_first_region_with_a_file_is_offered_for_comparison(view):
    assert view.selected_region() == "Uppsala" and view.comparison_button.isEnabled()
    assert view.region_box.itemText(0) == "Stockholm (saknas)"


def test_the_buttons_send_their_requests(qtbot, view):
    with qtbot.waitSignal(view.import_requested, timeout=1000) as blocker:
        view.import_button.click()
    assert blocker.args == []
    assert view.import_button.text() == "Importera länssammanställningar…"
    for kind, text in (("xlsx", "Exportera Excel…"), ("pdf", "Exportera PDF…"), ("json", "Exportera JSON…")):
        assert view.export_buttons[kind].text() == text
        with qtbot.waitSignal(view.export_requested, timeout=1000) as blocker:
            view.export_buttons[kind].click()
        assert blocker.args == [kind]
    view.select_region("skåne")
    assert view.selected_region() == "Skåne"
    assert view.comparison_button.text() == "Län i jämförelse med riket…"
    with qtbot.waitSignal(view.comparison_requested, timeout=1000) as blocker:
        view.comparison_button.click()
    assert blocker.args == ["Skåne"]
    view.select_region("GR")  # no county file: nothing to compare
    assert view.region_box.currentText() == "GR (saknas)" and not view.comparison_button.isEnabled()
    assert view.region_box.count() == 24


def test_a_deleted_view_is_no_longer_called_by_the_store(qtbot, early, county_files):
    import shiboken6

    widget = NationalView(early, early.round_for())
    widget.show()
    widget.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(widget))
    path = county_files[1][LATE]
    import_county_bytes(early, path.read_bytes(), path.name)  # would raise if the dead view were refreshed
    qtbot.wait(20)


def test_screenshots_at_1366x768(qtbot, view, screenshot_dir):
    view.activateWindow()
    qtbot.wait(50)
    assert view.width() == 1366 and view.height() == 768
    assert view.content.width() <= view.scroll.viewport().width()  # no horizontal scrolling
    assert view.content.minimumSizeHint().width() <= view.scroll.viewport().width()
    assert all(s.wide for qid, s in view.sections.items() if qid in view.question_tables)
    view.scroll.verticalScrollBar().setValue(0)
    qtbot.wait(20)
    view.grab().save(str(screenshot_dir / "national_view.png"))
    view.sections["q3"].summaries.set_expanded(True)
    view.scroll_to("q3")
    qtbot.wait(20)
    assert view.question_tables["q3"].visibleRegion().boundingRect().height() > 300
    view.grab().save(str(screenshot_dir / "national_view_q3.png"))
    view.scroll_to("q10")
    qtbot.wait(20)
    view.grab().save(str(screenshot_dir / "national_view_q10.png"))


def test_another_round_has_its_own_county_files(qtbot, view, skl):
    later = skl.add_round(2012, "kommunenkat")
    view.set_round(later)
    assert "2012" in view.title.text()
    assert view.summary_line.text() == "Ingen av de 24 regionerna har skickat in någon länssammanställning ännu."
    view.set_round(skl.round_for(2011))
    assert view.summary_line.text().startswith("21 av 24")
