"""Raw data export: one row per municipality as .xlsx (with codebook) and .csv for Swedish Excel."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from bou_desktop.collation import swedish_key, swedish_sorted
from bou_desktop.demo import fill_demo
from bou_desktop.exchange.fileio import OverwriteRefused
from bou_desktop.exchange.raw_export import (
    CODEBOOK_HEADER,
    TICKED_MEANING,
    codebook,
    raw_csv_bytes,
    raw_table,
    raw_xlsx_bytes,
    write_raw,
)
from bou_desktop.store import StoreError
from bou_desktop.survey.answers import Answers

FIXED = ["kommunkod", "kommun", "region", "status", "svarssatt", "datum", "uppgiftslamnare_namn",
         "uppgiftslamnare_befattning", "motsagelse"]
TRICKY = {"q1": "=SUMMA(A1)", "q2": "+46", "q5": "-x", "q6": "@y"}


@pytest.fixture
def filled(store):
    """The demo round plus three hand-made responses in Östergötland."""
    fill_demo(store)
    round_ = store.round_for()
    store.save_answers(round_, "0512", Answers(  # Ydre: every kind of column, and formula-like comments
        choices={"q1": ["ja"], "q2": ["politiker", "annan"], "q5": ["ja_i_viss_man"]},
        ranks={"q10": {"basuppgifter": 2, "annat": 1}},
        specify={("q2", "annan"): "Nätverket i länet", ("q10", "annat"): "Eget förslag"},
        comments=dict(TRICKY),
        respondent={"namn": "Örjan Testsson", "befattning": "IFO-chef"},
    ), source="cli", status="klar", meta={"svarssatt": "telefon", "datum": "2011-11-07"})
    store.save_answers(round_, "0561", Answers(  # Åtvidaberg: Q1 = Nej, and yet Q2 ticked
        choices={"q1": ["nej"], "q2": ["chefer"]}, respondent={"namn": "Åsa Provsson"},
    ), source="cli", status="klar")
    store.save_answers(round_, "0509", Answers(  # Ödeshög: Q1 = Nej, a comment with control characters
        choices={"q1": ["nej"]}, comments={"q1": "Rad ett\x07\x1b slut"},
    ), source="cli", status="utkast")
    return store, round_


def _rows_by_code(table):
    columns, rows = table
    return {row[0]: dict(zip(columns, row, strict=True)) for row in rows}


def test_header_has_the_fixed_columns_then_every_question(filled):
    store, round_ = filled
    columns, _rows = raw_table(store, round_)
    assert columns[: len(FIXED)] == FIXED
    assert columns[len(FIXED):len(FIXED) + 3] == ["q1", "q1_text", "q1_kommentar"]
    for name in ("q2_politiker", "q2_annan", "q2_annan_ange", "q2_kommentar", "q5", "q5_text",
                 "q10_basuppgifter", "q10_annat", "q10_annat_ange", "q10_kommentar"):
        assert name in columns
    assert len(columns) == len(set(columns))
    assert columns.index("q2_annan") < columns.index("q2_annan_ange") < columns.index("q2_kommentar")


def test_one_row_per_responding_municipality_with_its_answers(filled):
    store, round_ = filled
    form = store.form_of(round_)
    columns, rows = raw_table(store, round_)
    records = store.responses(round_)
    assert len(rows) == len(records) > 100
    by_code = _rows_by_code((columns, rows))
    assert set(by_code) == {r.kommun for r in records}
    for record in records:
        row, answers = by_code[record.kommun], record.answers(form)
        assert row["kommun"] == store.register.municipality(record.kommun).name
        assert row["status"] == record.status
        assert row["uppgiftslamnare_namn"] == answers.respondent.get("namn")
        for question in form.questions:
            if question.type == "multi":
                answered = bool(answers.choices.get(question.id))
                for option in question.options:
                    expected = (1 if option.id in answers.choices[question.id] else 0) if answered else None
                    assert row[f"{question.id}_{option.id}"] == expected, (record.kommun, question.id, option.id)
            elif question.type == "single":
                chosen = answers.choices.get(question.id, [None])[0]
                assert row[question.id] == chosen
                assert row[f"{question.id}_text"] == (question.option(chosen).label if chosen else None)
            else:
                for option in question.options:
                    assert row[f"{question.id}_{option.id}"] == answers.ranks.get(question.id, {}).get(option.id)
            for option in question.specify_options:
                assert row[f"{question.id}_{option.id}_ange"] == answers.specify.get((question.id, option.id))
            assert row[f"{question.id}_kommentar"] == answers.comments.get(question.id)


def test_hand_made_rows(filled):
    store, round_ = filled
    rows = _rows_by_code(raw_table(store, round_))
    ydre, atvidaberg, odeshog = rows["0512"], rows["0561"], rows["0509"]
    assert ydre["kommun"] == "Ydre" and ydre["region"] == "Östergötland"
    assert ydre["svarssatt"] == "Telefonintervju" and ydre["datum"] == "2011-11-07"
    assert ydre["uppgiftslamnare_namn"] == "Örjan Testsson" and ydre["uppgiftslamnare_befattning"] == "IFO-chef"
    assert (ydre["q2_politiker"], ydre["q2_chefer"], ydre["q2_annan"]) == (1, 0, 1)
    assert ydre["q2_annan_ange"] == "Nätverket i länet"
    assert ydre["q3_budget"] is None  # unanswered: empty, not 0
    assert ydre["q5"] == "ja_i_viss_man"
    assert ydre["q5_text"] == store.form_of(round_).question("q5").option("ja_i_viss_man").label
    assert ydre["q6"] is None and ydre["q6_text"] is None
    assert (ydre["q10_basuppgifter"], ydre["q10_annat"], ydre["q10_resultat_hvb"]) == (2, 1, None)
    assert ydre["q10_annat_ange"] == "Eget förslag"
    assert {q: ydre[f"{q}_kommentar"] for q in TRICKY} == TRICKY
    assert ydre["motsagelse"] == 0
    # A contradiction is exported as recorded and flagged.
    assert atvidaberg["motsagelse"] == 1 and atvidaberg["q2_chefer"] == 1 and atvidaberg["q2_politiker"] == 0
    # Skipped and unanswered: empty.
    assert odeshog["motsagelse"] == 0 and odeshog["status"] == "utkast"
    assert all(odeshog[f"q2_{o}"] is None for o in ("politiker", "chefer", "annan"))
    assert odeshog["svarssatt"] is None and odeshog["uppgiftslamnare_namn"] is None


def test_rows_in_swedish_order_by_region_then_municipality(filled):
    store, round_ = filled
    columns, rows = raw_table(store, round_)
    regions = [row[2] for row in rows]
    assert regions == sorted(regions, key=swedish_key)
    names = [row[1] for row in rows if row[2] == "Östergötland"]
    assert names == swedish_sorted(names)
    assert names.index("Ydre") < names.index("Åtvidaberg") < names.index("Ödeshög")
    assert regions.index("Örebro") > regions.index("Västmanland")


def test_region_filter(filled):
    store, round_ = filled
    _columns, rows = raw_table(store, round_, "östergötland")
    assert {row[2] for row in rows} == {"Östergötland"}
    assert len(rows) == len(store.responses(round_, "Östergötland"))
    with pytest.raises(StoreError, match="finns inte"):
        raw_table(store, round_, "Atlantis")


def test_anonymous_leaves_out_respondents_and_municipalities(filled):
    store, round_ = filled
    columns, rows = raw_table(store, round_, anonymous=True)
    assert columns[:5] == ["kommun_anonym", "region", "status", "svarssatt", "datum"]
    assert not {"kommunkod", "kommun", "uppgiftslamnare_namn", "uppgiftslamnare_befattning"} & set(columns)
    assert [row[0] for row in rows] == [f"K{i:03d}" for i in range(1, len(rows) + 1)]
    records = store.responses(round_)
    assert len(rows) == len(records)
    hidden = set()
    for record in records:
        municipality = store.register.municipality(record.kommun)
        hidden |= {record.kommun, municipality.name, record.uuid}
        hidden |= {v for v in record.answers(store.form_of(round_)).respondent.values()}
    cells = {value for row in rows for value in row if isinstance(value, str)}
    regions = {r.name for r in store.regions()}  # Gotland, Uppsala …: a region may share its name
    assert not (cells - regions) & hidden
    text = raw_csv_bytes(store, round_, anonymous=True).decode("utf-8-sig")
    for secret in ("Örjan Testsson", "Åsa Provsson", "IFO-chef", ";Ydre;", ";0512;"):
        assert secret not in text
    assert [row[1] for row in rows] == sorted((row[1] for row in rows), key=swedish_key)  # region kept, grouped


def test_codebook_explains_every_column(filled):
    store, round_ = filled
    form = store.form_of(round_)
    for anonymous in (False, True):
        columns, _rows = raw_table(store, round_, anonymous=anonymous)
        book = codebook(form, anonymous=anonymous)
        assert book[0] == CODEBOOK_HEADER
        described = [row[0] for row in book[1:] if row[4] is None]
        assert described == columns
    book = codebook(form)
    q5_values = {row[4]: row[5] for row in book[1:] if row[0] == "q5" and row[4] is not None}
    assert q5_values == {o.id: o.label for o in form.question("q5").options}
    politiker = next(row for row in book if row[0] == "q2_politiker")
    assert politiker[1] == 2 and politiker[3] == "0/1" and politiker[5] == TICKED_MEANING
    assert "Politiker" in politiker[2]


def test_xlsx_has_data_and_codebook_and_text_stays_text(filled):
    store, round_ = filled
    data = raw_xlsx_bytes(store, round_)
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Data", "Kodbok"]
    sheet = workbook["Data"]
    columns, rows = raw_table(store, round_)
    assert [c.value for c in sheet[1]] == columns
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    assert sheet.max_row == len(rows) + 1
    assert sheet.column_dimensions["B"].width > 6
    ydre = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "0512")
    cells = dict(zip(columns, ydre, strict=True))
    for question, text in TRICKY.items():
        cell = cells[f"{question}_kommentar"]
        assert cell.value == text and cell.data_type == "s", question
    assert cells["kommunkod"].data_type == "s" and cells["kommunkod"].value == "0512"
    assert cells["q2_politiker"].value == 1 and cells["q10_basuppgifter"].value == 2
    odeshog = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "0509")
    assert dict(zip(columns, odeshog, strict=True))["q1_kommentar"].value == "Rad ett slut"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert "<f>" not in archive.read(name).decode(), name
    book = [[c.value for c in row] for row in workbook["Kodbok"].iter_rows()]
    assert book == codebook(store.form_of(round_))


def test_csv_for_swedish_excel(filled):
    store, round_ = filled
    data = raw_csv_bytes(store, round_)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    columns, table = raw_table(store, round_)
    assert rows[0] == columns
    assert len(rows) == len(table) + 1
    by_code = {row[0]: dict(zip(columns, row, strict=True)) for row in rows[1:]}
    ydre = by_code["0512"]
    assert {q: ydre[f"{q}_kommentar"] for q in TRICKY} == {q: "'" + t for q, t in TRICKY.items()}
    assert ydre["q2_politiker"] == "1" and ydre["q2_chefer"] == "0" and ydre["q3_budget"] == ""
    assert ydre["q2_annan_ange"] == "Nätverket i länet"
    assert by_code["0561"]["kommun"] == "Åtvidaberg" and by_code["0509"]["kommun"] == "Ödeshög"
    assert "Rad ett\x07\x1b slut" == by_code["0509"]["q1_kommentar"]  # CSV keeps what Excel files cannot
    assert b"\r\n" in data


def test_csv_guards_tab_and_carriage_return(store):
    round_ = store.round_for()
    store.save_answers(round_, "0580", Answers(comments={"q1": "\tx", "q2": "\r=1", "q3": "a=b"}), source="cli")
    rows = list(csv.reader(io.StringIO(raw_csv_bytes(store, round_).decode("utf-8-sig"), newline=""), delimiter=";"))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["q1_kommentar"], row["q2_kommentar"], row["q3_kommentar"]) == ("'\tx", "'\r=1", "a=b")


def test_write_raw_by_suffix_and_never_over_a_file(filled, tmp_path):
    store, round_ = filled
    xlsx = write_raw(store, round_, tmp_path / "raddata.xlsx", region="Östergötland")
    assert load_workbook(xlsx)["Data"].max_row == len(store.responses(round_, "Östergötland")) + 1
    csv_path = write_raw(store, round_, tmp_path / "raddata.CSV", anonymous=True)
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbfkommun_anonym;")
    before = xlsx.read_bytes()
    with pytest.raises(OverwriteRefused):
        write_raw(store, round_, xlsx)
    assert xlsx.read_bytes() == before
    write_raw(store, round_, xlsx, overwrite=True)
    assert load_workbook(xlsx)["Data"].max_row == len(store.responses(round_)) + 1
    with pytest.raises(ValueError, match="ska sluta på .xlsx"):
        write_raw(store, round_, tmp_path / "raddata.txt")
    assert not (tmp_path / "raddata.txt").exists()


def test_an_empty_round_gives_only_the_header(store):
    round_ = store.round_for()
    columns, rows = raw_table(store, round_)
    assert rows == [] and columns[0] == "kommunkod"
    assert load_workbook(io.BytesIO(raw_xlsx_bytes(store, round_)))["Data"].max_row == 1
    assert raw_csv_bytes(store, round_).decode("utf-8-sig").count("\r\n") == 1
