"""Raw data over all rounds (issue 17): one long table (kommun, region, year, question, option, value),
as Excel and CSV, with a codebook naming each round's form version, its questions' texts and same_as.
Expected figures are tallied here from the answers the test writes, never by the code under test."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
from every_type import every_type_store, later_form, write_forms
from openpyxl import load_workbook

from bou_desktop import cli
from bou_desktop.exchange.fileio import OverwriteRefused
from bou_desktop.exchange.raw_long import HEADER, codebook_paths, long_table, survey_rounds, write_long

# Round 2013 (provform 1) and 2014 (provform 2: "andel" renamed "andelen" with same_as, "ort" gone, "plats" new).
ANSWERS_2013 = {
    "0580": {"har": "ja", "antal": "12", "andel": "12.5", "val.p": "X", "val.p.ange": "=SUMMA(A1)", "ort": "Linköping",
             "rang1.a": "1", "rang1.c": "2", "ledare.1.omfattning": "50", "ledare.2.ort": "Motala",
             "har.kommentar": "+46 13 20 00 00"},
    "0512": {"har": "nej", "val.q": "X"},
    "1280": {"har": "ja", "antal": "3", "andel": "7", "val.p": "X", "val.q": "X", "start": "2012-01-31"},
}
ANSWERS_2014 = {
    "0580": {"har": "ja", "antal": "14", "andelen": "20.25", "val.q": "X", "plats": "@hemma"},
    "0583": {"har": "ja", "antal": "1", "slutsats": "-inget att tillägga"},
}
REGIONS = {"0580": "Östergötland", "0512": "Östergötland", "0583": "Östergötland", "1280": "Skåne"}
NAMES = {"0580": "Linköping", "0512": "Ydre", "0583": "Motala", "1280": "Malmö"}


@pytest.fixture
def two_rounds(tmp_path):
    path = tmp_path / "every.sqlite"
    store = every_type_store(path)
    first = store.round_for(2013)
    for code, fields in ANSWERS_2013.items():
        store.set_fields(first, code, fields)
    later = store.add_round(2014, later_form(write_forms(tmp_path / "formulär")))
    for code, fields in ANSWERS_2014.items():
        store.set_fields(later, code, fields)
    store.set_status(later, "0583", "klar")
    yield store
    store.close()


def tally(answers: dict[str, dict[str, str]]) -> Counter:
    """How many rows each (code, question) should give: one per value field, a multi's options when answered."""
    count: Counter = Counter()
    for code, fields in answers.items():
        for key in fields:
            qid = key.split(".")[0]
            if qid == "val" and not key.endswith(".ange"):
                continue
            count[(code, qid)] += 1
        if any(k.startswith("val.") and not k.endswith(".ange") for k in fields):
            count[(code, "val")] += 2  # P and Q, 1 or 0
    return count


def test_the_long_table_holds_every_value_of_both_rounds(two_rounds):
    store = two_rounds
    rounds = survey_rounds(store, store.round_for(2014))
    assert [r.year for r in rounds] == [2013, 2014]
    rows = [dict(zip(HEADER, row, strict=True)) for row in long_table(store, rounds)]
    by_year = Counter((r["ar"], r["kommunkod"], r["fraga"]) for r in rows)
    expected = Counter({(2013, *key): n for key, n in tally(ANSWERS_2013).items()})
    expected += Counter({(2014, *key): n for key, n in tally(ANSWERS_2014).items()})
    assert by_year == expected and len(rows) == sum(expected.values())
    for row in rows:
        assert row["kommun"] == NAMES[row["kommunkod"]] and row["region"] == REGIONS[row["kommunkod"]]
        assert (row["formular"], row["version"]) == ("provform", "1" if row["ar"] == 2013 else "2")

    def one(year, code, qid, part="svar", option=None, row=None):
        found = [r for r in rows if (r["ar"], r["kommunkod"], r["fraga"], r["del"]) == (year, code, qid, part)
                 and (option is None or r["alternativ"] == option) and (row is None or r["rad"] == row)]
        assert len(found) == 1, found
        return found[0]

    assert (one(2013, "0580", "har")["alternativ"], one(2013, "0580", "har")["varde"], one(2013, "0580", "har")["text"]) \
        == ("ja", 1, "Ja")
    assert one(2013, "0580", "andel")["varde"] == 12.5 and one(2014, "0580", "andelen")["varde"] == 20.25
    assert one(2013, "0580", "antal")["varde"] == 12 and one(2013, "0580", "antal")["nummer"] == "1 b"
    assert one(2013, "0580", "val", option="q")["varde"] == 0 and one(2013, "0580", "val", option="p")["varde"] == 1
    assert one(2013, "0580", "val", "ange", "p")["text"] == "=SUMMA(A1)"
    assert one(2013, "0580", "rang1", option="c")["varde"] == 2
    assert one(2013, "0580", "ledare", option="omfattning", row=1)["varde"] == 50
    assert one(2013, "0580", "ledare", option="ort", row=2)["text"] == "Motala"
    assert one(2013, "0580", "har", "kommentar")["text"] == "+46 13 20 00 00"
    assert one(2013, "1280", "start")["text"] == "2012-01-31"
    assert one(2014, "0583", "har")["status"] == "klar" and one(2014, "0580", "har")["status"] == "utkast"
    # ordered by year, then region and municipality in Swedish order (Skåne before Östergötland)
    order = [(r["ar"], r["kommunkod"]) for r in rows]
    assert sorted(set(order), key=order.index) == [(2013, "1280"), (2013, "0580"), (2013, "0512"),
                                                   (2014, "0580"), (2014, "0583")]
    # one region
    assert {r[0] for r in long_table(store, rounds, region="Skåne")} == {"1280"}


def test_excel_has_the_data_the_codebook_and_the_rounds_and_no_formulas(two_rounds, tmp_path):
    store = two_rounds
    rounds = survey_rounds(store, store.round_for(2014))
    path = tmp_path / "Rådata alla omgångar.xlsx"
    assert write_long(store, rounds, path) == [path]
    book = load_workbook(path)
    assert book.sheetnames == ["Data", "Kodbok", "Omgångar"]
    data = list(book["Data"].iter_rows(values_only=True))
    assert list(data[0]) == HEADER and len(data) - 1 == sum((tally(ANSWERS_2013) + tally(ANSWERS_2014)).values())
    for row in book["Data"].iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"
    texts = {r[13] for r in data[1:]}
    assert {"=SUMMA(A1)", "+46 13 20 00 00", "@hemma", "-inget att tillägga"} <= texts

    codebook = [dict(zip(data_header := list(book["Kodbok"].iter_rows(values_only=True))[0], r, strict=True))
                for r in list(book["Kodbok"].iter_rows(values_only=True))[1:]]
    assert data_header[:4] == ("ar", "formular", "version", "fraga")
    questions = {(r["ar"], r["fraga"]): r for r in codebook if r["alternativ"] is None}
    assert questions[(2014, "andelen")]["same_as"] == "andel"
    assert questions[(2014, "andelen")]["motsvarar_foregaende"] == "andel"
    assert questions[(2014, "plats")]["motsvarar_foregaende"] is None
    assert questions[(2014, "plats")]["text"] == "På vilken plats?" and questions[(2013, "ort")]["text"] == "Var?"
    assert (2014, "ort") not in questions and (2013, "plats") not in questions
    assert questions[(2013, "har")]["version"] == "1" and questions[(2014, "har")]["version"] == "2"
    assert questions[(2014, "har")]["motsvarar_foregaende"] == "har" and questions[(2013, "har")]["motsvarar_foregaende"] is None
    options = {(r["ar"], r["fraga"], r["alternativ"]): r for r in codebook if r["alternativ"] is not None}
    assert options[(2014, "val", "p")]["text"] == "P" and options[(2014, "val", "p")]["motsvarar_foregaende"] == "p"
    assert options[(2014, "ledare", "omfattning")]["text"] == "Omfattning (%)"
    rounds_rows = list(book["Omgångar"].iter_rows(values_only=True))
    assert rounds_rows[1:] == [(2013, "provform", "1", "Provformulär med alla frågetyper", 3),
                               (2014, "provform", "2", "Provformulär med alla frågetyper", 2)]


def test_csv_opens_in_excel_and_r_with_its_codebook_beside_it(two_rounds, tmp_path):
    store = two_rounds
    rounds = survey_rounds(store, store.round_for(2014))
    path = tmp_path / "rådata.csv"
    written = write_long(store, rounds, path)
    book, rounds_path = codebook_paths(path)
    assert written == [path, book, rounds_path] and book.name == "rådata kodbok.csv"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # UTF-8 with BOM: Excel reads å ä ö
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == HEADER
    assert all(len(r) == len(HEADER) for r in rows)  # read.csv2: same number of fields on every line
    assert len(rows) - 1 == sum((tally(ANSWERS_2013) + tally(ANSWERS_2014)).values())
    texts = {r[13] for r in rows[1:]}
    assert {"'=SUMMA(A1)", "'+46 13 20 00 00", "'@hemma", "'-inget att tillägga"} <= texts  # never formulas
    assert any(r[12] == "20,25" for r in rows)  # decimal comma, as read.csv2 and Swedish Excel expect
    assert "Linköping" in raw.decode("utf-8-sig")
    codebook_rows = list(csv.reader(io.StringIO(book.read_bytes().decode("utf-8-sig"), newline=""), delimiter=";"))
    assert ["2014", "provform", "2", "andelen"] == codebook_rows[[r[3] for r in codebook_rows].index("andelen")][:4]
    with pytest.raises(OverwriteRefused):
        write_long(store, rounds, path)


def test_cli_writes_every_round_of_the_survey(two_rounds, tmp_path, capsys):
    store = two_rounds
    db = store.path
    store.close()
    out = tmp_path / "alla.xlsx"
    code = cli.main(["--db", str(db), "export", "raw", "--all-rounds", "--xlsx", str(out)])
    assert code == 0, capsys.readouterr().err
    years = {row[3] for row in load_workbook(out)["Data"].iter_rows(min_row=2, values_only=True)}
    assert years == {2013, 2014}
    one = tmp_path / "en.csv"
    assert cli.main(["--db", str(db), "--round", "2013", "export", "raw", "--long", "--csv", str(one)]) == 0
    rows = list(csv.reader(io.StringIO(one.read_bytes().decode("utf-8-sig"), newline=""), delimiter=";"))
    assert {r[3] for r in rows[1:]} == {"2013"}


def test_the_window_exports_every_round_through_the_file_dialog(qtbot, two_rounds, tmp_path, file_dialogs):
    pytest.importorskip("PySide6.QtWidgets")
    from helpers import show_window

    from bou_desktop.gui.main_window import MainWindow
    from bou_desktop.settings import Settings

    window = show_window(qtbot, MainWindow(two_rounds, Settings(role="ledare", region="Östergötland", name="Eva Ek")))
    target = tmp_path / "ut" / "rådata.csv"
    target.parent.mkdir()
    file_dialogs.answer(target)
    window.raw_long_action.trigger()
    assert file_dialogs.asked[-1]["title"] == "Exportera rådata för alla omgångar"
    assert "Rådata Östergötland 2013–2014.xlsx" in file_dialogs.asked[-1]["directory"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["rådata kodbok.csv", "rådata omgångar.csv", "rådata.csv"]
    rows = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig"), newline=""), delimiter=";"))
    assert {(r[0], r[3]) for r in rows[1:]} == {("0580", "2013"), ("0512", "2013"), ("0580", "2014"), ("0583", "2014")}
    assert "rådata.csv" in window.statusBar().currentMessage()
    file_dialogs.answer(None)  # Avbryt: nothing written
    assert window.export_raw_long() == []


def test_cli_says_plainly_what_is_wrong(two_rounds, tmp_path, capsys):
    db = two_rounds.path
    two_rounds.close()
    out = tmp_path / "x.xlsx"
    assert cli.main(["--db", str(db), "export", "raw", "--all-rounds", "--region", "Atlantis", "--xlsx", str(out)]) != 0
    assert "Regionen 'Atlantis' finns inte" in capsys.readouterr().err and not out.exists()
    assert cli.main(["--db", str(db), "export", "raw", "--all-rounds", "--anonymous", "--xlsx", str(out)]) != 0
    assert "--anonymous finns inte" in capsys.readouterr().err
