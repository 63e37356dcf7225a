"""The county and national views on the synthetic every-type form: what a person reads for each
question type (numbers, dates, texts, a table, two ranking questions, choices), names left out when
anonymised, the leader's ranking of each ranking question saved and shown again.

Expected figures are tallied by hand below from the answers the test stores, not by the program.
"""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")

from every_type import every_type_store  # noqa: E402

from bou_desktop.gui.county_view import CountyView  # noqa: E402
from bou_desktop.gui.national_view import NationalAggregateSection, NationalView  # noqa: E402
from bou_desktop.survey.answers import Answers  # noqa: E402
from bou_desktop.survey.compilation import aggregate_questions  # noqa: E402

REGION = "Östergötland"
# What three municipalities answered (stored as fields, the way the questionnaire stores them);
# Motala answers Nej in 1 a), so 1 b) and 1 c) are not applicable for it.
ANSWERS = {
    "0580": {  # Linköping
        "har": "ja", "antal": "2", "antal.kommentar": "Ungefär",
        "ledare.1.omfattning": "50", "ledare.1.fran": "2013-01-01", "ledare.1.timmar": "30", "ledare.1.ort": "Motala",
        "ledare.2.omfattning": "75.5", "ledare.2.fran": "2012-09-15",
        "rang1.a": "1", "rang1.b": "2", "rang1.c": "3", "rang2.z": "1", "rang2.w": "2",
        "val.p": "X", "val.p.ange": "Egen text",
        "andel": "12.5", "start": "2013-05-01", "ort": "I city", "slutsats": "Rad ett\nRad två",
    },
    "0581": {  # Norrköping
        "har": "ja", "antal": "1",
        "ledare.1.omfattning": "100", "ledare.1.fran": "2014-02-01", "ledare.1.timmar": "40",
        "ledare.1.ort": "Norrköping",
        "rang1.b": "1", "rang1.a": "2", "rang2.w": "1", "rang2.x": "2", "rang2.y": "3", "rang2.z": "4",
        "val.q": "X", "andel": "7.25", "start": "2012-11-30", "ort": "Vid kusten",
    },
    "0583": {  # Motala
        "har": "nej", "rang1.a": "1", "rang2.x": "1", "val.p": "X", "val.q": "X",
        "andel": "0", "start": "2014-01-15", "ort": "Vid Vättern", "slutsats": "Vi väntar",
    },
}
DRAFT = ("0584", {"har": "ja", "antal": "49", "andel": "99"})  # Vadstena's draft: shown, never counted

# The hand tally of ANSWERS (3 municipalities answered; Motala skips 1 b) and 1 c)).
ANTAL = [("Antal svar", "2"), ("Summa", "3"), ("Medelvärde", "1,5"), ("Median", "1,5"), ("Minsta", "1"),
         ("Största", "2"), ("Ej svar", "0"), ("Ej tillämpligt", "1")]
ANDEL = [("Antal svar", "3"), ("Summa", "19,75\u00a0%"), ("Medelvärde", "6,58\u00a0%"),  # 19.75 / 3 = 6.583…
         ("Median", "7,25\u00a0%"), ("Minsta", "0\u00a0%"), ("Största", "12,5\u00a0%"), ("Ej svar", "0")]
START = [("Antal svar", "3"), ("Tidigast", "2012-11-30"), ("Senast", "2014-01-15"), ("Ej svar", "0")]
ORT = ["Linköping: I city", "Motala: Vid Vättern", "Norrköping: Vid kusten"]
SLUTSATS = ["Linköping: Rad ett\nRad två", "Motala: Vi väntar"]
LEDARE_ROWS = "Antal rader: 3. Ej tillämpligt: 1 kommun."
LEDARE_NUMBERS = [("Omfattning (%)", "3", "225,5\u00a0%", "75,17\u00a0%", "75,5\u00a0%", "50\u00a0%", "100\u00a0%"),  # 225.5 / 3
                  ("Timmar", "2", "70", "35", "35", "30", "40")]
LEDARE_DATES = [("Anställd fr.o.m.", "3", "2012-09-15", "2014-02-01")]
LEDARE_ORT = ["Linköping: Motala", "Norrköping: Norrköping"]
# mean rank (one decimal, half up) and how many ranked: a (1+2+1)/3, b (2+1)/2, c 3; w (2+1)/2, x (2+1)/2, y 3, z (1+4)/2
RANG1 = {"a": ("1,3", 3), "b": ("1,5", 2), "c": ("3,0", 1)}
RANG2 = {"w": ("1,5", 2), "x": ("1,5", 2), "y": ("3,0", 1), "z": ("2,5", 2)}
VAL = [("P", "2", "67 %"), ("Q", "2", "67 %"), ("Ej svar", "0", "0 %")]  # of 3


@pytest.fixture
def prov(tmp_path):
    store = every_type_store(tmp_path / "prov.sqlite")
    round_ = store.round_for()
    for code, fields in ANSWERS.items():
        store.set_fields(round_, code, fields)
        store.set_status(round_, code, "klar")
    store.set_fields(round_, DRAFT[0], DRAFT[1])
    yield store
    store.close()


@pytest.fixture
def county(qtbot, prov):
    view = CountyView(prov, prov.round_for(), REGION)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    qtbot.waitExposed(view)
    return view


def labels(rows):
    return [row[:2] for row in rows]


def test_the_county_view_shows_every_types_figures_as_tallied(county):
    assert county.header_labels["units_answered"].text().startswith("3 kommuner")
    assert county.header_labels["drafts"].text() == "Vadstena"
    sections = county.sections
    assert labels(sections["antal"].figures.rows()) == ANTAL
    assert labels(sections["andel"].figures.rows()) == ANDEL
    assert labels(sections["start"].figures.rows()) == START
    assert sorted(sections["ort"].figures.text_list.lines) == ORT
    assert sections["ort"].figures.text_list.heading.text() == "<b>3 svar</b>"
    assert sorted(sections["slutsats"].figures.text_list.lines) == SLUTSATS
    assert "ej svar: 1 kommun" in sections["slutsats"].figures.text_list.heading.text()
    table = sections["ledare"].figures.table_figures
    assert table.rows_label.text() == LEDARE_ROWS
    assert table.number_table.rows() == LEDARE_NUMBERS
    assert table.date_table.rows() == LEDARE_DATES
    assert sorted(table.text_lists["ort"].lines) == LEDARE_ORT
    assert sections["val"].table.values() == VAL
    # a municipality's comment and "ange" text stay beside the figures
    assert sections["antal"].texts.lines == ["Linköping (kommentar): Ungefär"]
    assert sections["val"].texts.lines == ["Linköping (P): Egen text"]


def test_both_ranking_questions_show_the_municipalities_mean_ranks(county):
    assert list(county.rankings) == ["rang1", "rang2"]
    assert county.ranking is county.rankings["rang1"]
    for qid, expected in (("rang1", RANG1), ("rang2", RANG2)):
        section = county.rankings[qid]
        shown = {o: label.text() for o, label in section.mean_labels.items()}
        assert shown == {o: f"Kommunernas medelvärde: {mean} ({n} {'kommun' if n == 1 else 'kommuner'})"
                         for o, (mean, n) in expected.items()}
        assert section.answered_label.text() == "3 av 3 svarande kommuner har rangordnat alternativen."


def test_the_leader_ranks_each_ranking_question_and_sees_the_ranks_again(qtbot, county, prov):
    round_ = prov.round_for()
    county.rankings["rang1"].spins["b"].setValue(1)
    county.rankings["rang2"].spins["z"].setValue(1)
    county.rankings["rang2"].spins["w"].setValue(2)
    county.rankings["rang2"].spins["x"].setValue(2)
    leader = prov.leader_texts(round_, REGION)
    assert leader.rankings == {"rang1": {"b": 1}, "rang2": {"z": 1, "w": 2, "x": 2}}
    assert leader.ranking == {"b": 1}  # the first ranking question, as the county file reads it
    assert county.rankings["rang2"].warning.text() == "Obs! Samma rang har getts flera alternativ: 2"
    assert not county.rankings["rang1"].warning.isVisible()
    county.rankings["rang2"].spins["x"].setValue(0)  # "–" removes the rank, of that question only
    assert prov.leader_texts(round_, REGION).rankings == {"rang1": {"b": 1}, "rang2": {"z": 1, "w": 2}}
    again = CountyView(prov, round_, REGION)
    qtbot.addWidget(again)
    assert {o: s.value() for o, s in again.rankings["rang2"].spins.items()} == {"w": 2, "x": 0, "y": 0, "z": 1}
    assert again.rankings["rang1"].spins["b"].value() == 1 and again.rankings["rang1"].spins["a"].value() == 0


def test_a_database_with_ranks_from_before_keeps_them_for_the_first_ranking_question(prov):
    round_ = prov.round_for()
    prov.set_leader_text(round_, REGION, "rank.c", 1)  # the key as written before there could be two
    prov.set_leader_text(round_, REGION, "ranking_specify", "Eget")
    leader = prov.leader_texts(round_, REGION)
    assert leader.rankings == {"rang1": {"c": 1}} and leader.ranking == {"c": 1}
    assert leader.ranking_specify == "Eget"


def test_anonymise_hides_the_names_of_every_text(qtbot, county):
    county.anonymous_box.click()
    assert county.anonymous
    assert sorted(county.sections["ort"].figures.text_list.lines) == sorted(t.split(": ", 1)[1] for t in ORT)
    assert sorted(county.sections["ledare"].figures.table_figures.text_lists["ort"].lines) == ["Motala", "Norrköping"]
    assert county.sections["antal"].texts.lines == ["Kommentar: Ungefär"]
    shown = county.sections["ort"].figures.text_list.label.text()
    assert not any(name in shown for name in ("Linköping", "Norrköping")) and "Vid Vättern" in shown
    county.anonymous_box.click()
    assert sorted(county.sections["ort"].figures.text_list.lines) == ORT


def test_question_headings_use_labels_and_a_parts_heading_once(county):
    first = county.sections["har"].title.text()
    assert first.startswith("<b>1) Regionala utvecklingsledare</b><br><b>1 a)</b> Finns det utvecklingsledare?")
    assert county.sections["antal"].title.text().startswith("<b>1 b)</b> Hur många?")
    assert "Regionala utvecklingsledare" not in county.sections["antal"].title.text()
    assert county.rankings["rang2"].title.text().startswith("<b>3)</b> Rangordna W–Z")


def shoot(qtbot, view, question_id: str, path) -> None:
    """The view scrolled to a question, saved as a picture."""
    view.scroll_to(question_id)
    qtbot.wait(20)
    view.grab().save(str(path))


def test_every_type_county_screenshot(qtbot, county, screenshot_dir):
    county.activateWindow()
    qtbot.wait(50)
    assert county.content.width() <= county.scroll.viewport().width()  # no horizontal scrolling
    county.scroll.verticalScrollBar().setValue(0)
    qtbot.wait(20)
    county.grab().save(str(screenshot_dir / "every_type_county.png"))
    shoot(qtbot, county, "rang1", screenshot_dir / "every_type_county_ranking.png")
    shoot(qtbot, county, "andel", screenshot_dir / "every_type_county_values.png")
    county.anonymous_box.click()
    shoot(qtbot, county, "ledare", screenshot_dir / "every_type_county_table_anonymous.png")


# ---------------------------------------------------------------------- the national view


@pytest.fixture
def national(qtbot, prov):
    view = NationalView(prov, prov.round_for())
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    qtbot.waitExposed(view)
    form = prov.form_of(prov.round_for())
    units = [(code, Answers.from_fields(form, fields)) for code, fields in ANSWERS.items()]
    view.show_aggregates(aggregate_questions(form, units))
    return view


def test_the_national_view_shows_the_nations_aggregates(national):
    sections = national.sections
    assert isinstance(sections["antal"], NationalAggregateSection)
    assert labels(sections["antal"].figures.rows()) == ANTAL
    assert labels(sections["andel"].figures.rows()) == ANDEL
    assert labels(sections["start"].figures.rows()) == START
    assert sorted(sections["ort"].figures.text_list.lines) == ORT
    table = sections["ledare"].figures.table_figures
    assert table.rows_label.text() == LEDARE_ROWS
    assert table.number_table.rows() == LEDARE_NUMBERS and table.date_table.rows() == LEDARE_DATES
    # the first ranking question: the regions' ranks (none yet) and below them the nation's units
    rank1 = national.ranking_section
    assert rank1.question.id == "rang1" and rank1.figures.isVisible()
    assert rank1.figures.rows() == [(o.upper(), mean, str(n)) for o, (mean, n) in RANG1.items()]
    rank2 = sections["rang2"]
    assert isinstance(rank2, NationalAggregateSection)
    assert rank2.figures.table.horizontalHeaderItem(2).text() == "Antal kommuner som rangordnat"
    assert rank2.figures.rows() == [(o.upper(), mean, str(n)) for o, (mean, n) in RANG2.items()]


def test_the_national_view_without_aggregates_says_so_and_anonymous_texts_have_no_names(national, prov):
    national.show_aggregates({})
    assert not national.sections["antal"].note.isHidden()
    assert national.sections["antal"].note.text().startswith("Inga uppgifter ännu")
    assert not national.ranking_section.figures.isVisible()
    form = prov.form_of(prov.round_for())
    units = [(code, Answers.from_fields(form, fields)) for code, fields in ANSWERS.items()]
    national.show_aggregates(aggregate_questions(form, units, anonymous=True))
    assert sorted(national.sections["ort"].figures.text_list.lines) == ["I city", "Vid Vättern", "Vid kusten"]


def test_every_type_national_screenshot(qtbot, national, screenshot_dir):
    national.activateWindow()
    qtbot.wait(50)
    assert national.content.width() <= national.scroll.viewport().width()
    shoot(qtbot, national, "har", screenshot_dir / "every_type_national.png")
    shoot(qtbot, national, "rang1", screenshot_dir / "every_type_national_ranking.png")


def test_a_county_form_with_fields_of_its_own_is_written_in_the_view(qtbot, tmp_path):
    """Every text field and free text of the county form gets its box, saved as typed (no "Okänt fält")."""
    import sqlite3

    from every_type import write_forms_with_county_fields
    from helpers import type_text

    from bou_desktop import core
    from bou_desktop.store import Store
    from bou_desktop.survey.forms import FormLibrary

    folder = write_forms_with_county_fields(tmp_path / "former")
    store = Store.open(tmp_path / "db.sqlite", FormLibrary.load(folder), core.register())
    view = CountyView(store, store.round_for(), "Gotland")
    qtbot.addWidget(view)
    view.show()
    assert view.name_field == "ledarens_namn"  # the form's personal text field takes the profile's name
    email = view.field_edits["epost"]
    assert email.accessibleName() == "E-post till utvecklingsledaren"
    email.setFocus()
    type_text(email, "ledare@gotland.se")
    type_text(view.free_text_edits["nasta_steg"], "Fler träffar")
    conn = sqlite3.connect(store.path)
    stored = dict(conn.execute("SELECT field, value FROM compilation_fields"))
    conn.close()
    assert stored == {"epost": "ledare@gotland.se", "nasta_steg": "Fler träffar"}
    store.close()
