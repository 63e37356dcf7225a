"""Imported answers count: a municipality's own svarsfil is "importerad" and counts when its required
questions are answered; an incomplete one is "importerad – ofullständig" until the leader completes it
or marks it klar; a file exported from a response keeps that response's status.

Expected numbers are tallied by hand from what each test writes, never taken from the code under test.
"""

from __future__ import annotations

import json
import zipfile

from office import fill_with_libreoffice, needs_office
from openpyxl import load_workbook

from bou_desktop import core
from bou_desktop.cli import main
from bou_desktop.exchange.response_export import export_response_json, export_response_xlsx, write_region_templates
from bou_desktop.exchange.svarsfil_xlsx import name_for
from bou_desktop.survey.answers import Answers, ResponseState, response_state

ÖG = "Östergötland"  # 13 municipalities
# Question 1 = Nej skips 2–4; question 10 (the ranking) is optional on the municipal form.
COMPLETE = {"q1.nej": "X", "q5.ja": "X", "q6.nej": "X", "q7.vet_ej": "X", "q8.tidsbrist": "X", "q9.statistikstod": "X"}
# Question 1 = Ja: 2–4 are asked. Answered: 1, 2, 5. Missing: 3, 4, 6, 7, 8, 9.
INCOMPLETE = {"q1.ja": "X", "q2.politiker": "X", "q5.ja": "X", "uppgiftslamnare.namn": "Åsa Öberg"}


def fill(template, out, cells):
    """The municipality fills in its template (here with openpyxl; see the LibreOffice test below)."""
    workbook = load_workbook(template)
    for key, value in cells.items():
        sheet, coordinate = next(iter(workbook.defined_names[name_for(key)].destinations))
        workbook[sheet][coordinate.replace("$", "")].value = value
    workbook.save(out)
    return out


def templates(store, folder):
    paths = write_region_templates(store, store.round_for(), ÖG, folder)
    return {path.name.split(" ")[2]: path for path in paths}  # "Enkät 2011 0580 Linköping.xlsx"


def counted(store):
    return store.compile(store.round_for(), ÖG).kommuner_svarat


def test_the_state_of_a_response(forms):
    form = forms["kommunenkat"]
    full = Answers(choices={"q1": ["nej"], "q5": ["ja"], "q6": ["ja"], "q7": ["ja"], "q8": ["annat"], "q9": ["annat"]})
    partial = Answers(choices={"q1": ["ja"], "q5": ["ja"]})
    assert response_state(form, "importerad", full) == ResponseState("importerad", ())
    assert response_state(form, "importerad", partial).missing == ("2", "3", "4", "6", "7", "8", "9")
    assert response_state(form, "importerad", partial).label == "importerad – ofullständig"
    assert response_state(form, "importerad", partial).description == (
        "importerad – ofullständig, saknar svar på fråga 2, 3, 4, 6, 7, 8, 9")
    assert [response_state(form, s, a).counts for s, a in (
        ("importerad", full), ("importerad", partial), ("klar", partial), ("utkast", full))] == [True, False, True, False]
    assert response_state(form, None, None).label == "ej påbörjad" and not response_state(form, None, None).counts


def test_returned_templates_are_imported_counted_or_listed_as_incomplete(tmp_path, capsys):
    db = tmp_path / "db.sqlite"
    store = core.open_store(db)
    blank = templates(store, tmp_path / "ut")
    store.close()
    linkoping = fill(blank["0580"], tmp_path / "linkoping.xlsx", COMPLETE)
    norrkoping = fill(blank["0581"], tmp_path / "norrkoping.xlsx", INCOMPLETE)
    assert main(["--db", str(db), "import", str(linkoping), str(norrkoping)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "linkoping.xlsx: importerad: Linköping (0580), importerad" in out
    assert ("norrkoping.xlsx: importerad: Norrköping (0581), importerad – ofullständig, "
            "saknar svar på fråga 3, 4, 6, 7, 8, 9") in out

    store = core.open_store(db)
    round_ = store.round_for()
    assert {k: r.status for k, r in ((k, store.response(round_, k)) for k in ("0580", "0581"))} == {
        "0580": "importerad", "0581": "importerad"}
    c = store.compile(round_, ÖG)
    assert (c.kommuner_svarat, c.drafts) == (1, ("Norrköping",))
    assert [(o.option_id, o.count) for o in c.question("q1").options] == [("ja", 0), ("nej", 1)]
    assert {k: s.label for k, s in store.states(round_, ÖG).items()} == {
        "0580": "importerad", "0581": "importerad – ofullständig"}

    # The leader completes Norrköping's answers: complete is enough, no "Markera som klar" needed.
    store.set_fields(round_, "0581", {"q3.budget": "X", "q4.bbic": "X", "q6": "ja", "q7": "ja", "q8.tidsbrist": "X"})
    assert counted(store) == 1  # question 9 still missing
    store.set_fields(round_, "0581", {"q9.annat": "X"})
    assert store.response(round_, "0581").status == "importerad" and counted(store) == 2
    assert store.compile(round_, ÖG).question("q1").options[0].count == 1  # Norrköping's Ja now counted
    store.close()


def test_marking_an_incomplete_import_klar_makes_it_count(store, tmp_path):
    round_ = store.round_for()
    main(["--db", str(store.path), "import", str(fill(templates(store, tmp_path / "ut")["0581"], tmp_path / "n.xlsx",
                                                      INCOMPLETE))])
    assert counted(store) == 0
    store.set_status(round_, "0581", "klar")
    assert counted(store) == 1 and store.states(round_, ÖG)["0581"].label == "klar"


def test_the_same_file_again_after_marking_klar_changes_nothing(store, tmp_path):
    path = fill(templates(store, tmp_path / "ut")["0580"], tmp_path / "l.xlsx", COMPLETE)
    assert main(["--db", str(store.path), "import", str(path)]) == 0
    store.set_status(store.round_for(), "0580", "klar")
    assert main(["--db", str(store.path), "import", str(path)]) == 0
    assert store.response(store.round_for(), "0580").status == "klar"


def test_a_file_exported_from_a_response_keeps_its_status(store, tmp_path):
    round_ = store.round_for()
    complete = {"q1": "nej", "q5": "ja", "q6": "ja", "q7": "ja", "q8.tidsbrist": "X", "q9.annat": "X"}
    for code, status in (("0580", "utkast"), ("0581", "klar"), ("0583", None)):
        store.set_fields(round_, code, complete)  # all three complete
        if status == "klar":
            store.set_status(round_, code, "klar")
    main(["--db", str(store.path), "import",
          str(fill(templates(store, tmp_path / "ut")["0583"], tmp_path / "m.xlsx", COMPLETE))])
    assert store.response(round_, "0583").status == "utkast"  # a draft already there: a conflict, nothing written
    main(["--db", str(store.path), "import", "--replace", str(tmp_path / "m.xlsx")])
    exports = {}
    for code in ("0580", "0581", "0583"):
        exports[code] = (export_response_json(store, round_, code, tmp_path / f"{code}.json"),
                         export_response_xlsx(store, round_, code, tmp_path / f"{code}.xlsx"))
    assert json.loads(exports["0583"][0].read_text(encoding="utf-8"))["status"] == "importerad"
    expected = {"0580": ("utkast", False), "0581": ("klar", True), "0583": ("importerad", True)}
    for index, kind in enumerate(("json", "xlsx")):
        other = core.open_store(tmp_path / f"other-{kind}.sqlite")
        assert main(["--db", str(other.path), "import", *(str(exports[c][index]) for c in expected)]) == 0
        states = other.states(other.round_for(), ÖG)
        assert {c: (s.status, s.counts) for c, s in states.items()} == expected, kind
        other.close()


def test_a_template_has_no_status_and_an_old_one_saying_utkast_still_imports_as_importerad(store, tmp_path):
    path = templates(store, tmp_path / "ut")["0580"]
    meta = dict(load_workbook(path)["bou"].iter_rows(values_only=True))
    assert not meta.get("uuid") and not meta.get("status")
    old = load_workbook(path)
    sheet = old["bou"]
    next(row for row in sheet.iter_rows() if row[0].value == "status")[1].value = "utkast"  # as earlier versions wrote
    old.save(tmp_path / "gammal.xlsx")
    main(["--db", str(store.path), "import", str(fill(tmp_path / "gammal.xlsx", tmp_path / "g.xlsx", COMPLETE))])
    assert store.response(store.round_for(), "0580").status == "importerad" and counted(store) == 1


@needs_office
def test_a_svarsfil_filled_in_and_saved_by_libreoffice_is_imported_and_counted(store, tmp_path, capsys):
    template = templates(store, tmp_path / "ut")["0586"]  # Mjölby
    cells = {name_for(k): v for k, v in {**COMPLETE, "q5.kommentar": "Skrivet i LibreOffice – åäö"}.items()}
    path = fill_with_libreoffice(template, tmp_path / "mjolby.xlsx", cells, tmp_path)
    with zipfile.ZipFile(path) as archive:
        assert b"LibreOffice" in archive.read("docProps/app.xml")  # Calc's writer, not openpyxl's
    assert main(["--db", str(store.path), "import", str(path)]) == 0
    assert "mjolby.xlsx: importerad: Mjölby (0586), importerad" in capsys.readouterr().out.splitlines()
    record = store.response(store.round_for(), "0586")
    assert record.fields == {"q1": "nej", "q5": "ja", "q6": "nej", "q7": "vet_ej", "q8.tidsbrist": "X",
                             "q9.statistikstod": "X", "q5.kommentar": "Skrivet i LibreOffice – åäö"}
    c = store.compile(store.round_for(), ÖG)
    assert (c.kommuner_svarat, c.svarsfrekvens) == (1, 8)  # 1 of 13 = 7.7 %
    assert c.question("q7").options[3].count == 1


def test_the_guide_names_every_status_the_list_shows():
    from pathlib import Path

    guide = (Path(__file__).resolve().parents[1] / "docs" / "anvandarguide.md").read_text(encoding="utf-8")
    guide = " ".join(guide.split())
    labels = {ResponseState(s, m).label for s in (None, "utkast", "importerad", "klar") for m in ((), (3,))}
    assert labels == {"ej påbörjad", "utkast", "importerad", "importerad – ofullständig", "klar"}
    assert "*ej påbörjad*, *utkast*, *importerad*, *importerad – ofullständig* eller *klar*" in guide
    assert "importerad – ofullständig, saknar svar på fråga 3, 4" in guide
    assert ResponseState("importerad", (3, 4)).description == "importerad – ofullständig, saknar svar på fråga 3, 4"
