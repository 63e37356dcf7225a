"""Rounds: started from any form file, their forms stored in the database, listed, and read by imports.

The forms here are written by the tests (not those of forms/), so nothing depends on 2011's shape.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from old_database import database_before

from bou_desktop import cli, core
from bou_desktop.exchange.importer import Outcome, import_file
from bou_desktop.exchange.response_export import export_response_json
from bou_desktop.paths import forms_dir
from bou_desktop.store import Store, StoreError
from bou_desktop.store.backup import list_backups
from bou_desktop.survey.answers import Answers
from bou_desktop.survey.forms import FormLibrary

REGION = "Östergötland"

FORM = """
id = "provenkat"
version = "p1"
kind = "kommun"
title = "Provenkät om uppföljning"

[[questions]]
id = "f1"
number = 1
type = "single"
text = "Följer ni upp placeringarna?"
[[questions.options]]
id = "ja"
label = "Ja"
[[questions.options]]
id = "nej"
label = "Nej"

[[questions]]
id = "f2"
number = 2
type = "multi"
text = "Vad följs upp?"
[[questions.options]]
id = "skola"
label = "Skolgång"
[[questions.options]]
id = "halsa"
label = "Hälsa"
[[questions.options]]
id = "annat"
label = "Annat"
"""

HEAD = 'id = "provenkat"\nversion = "p1"\nkind = "kommun"\ntitle = "Provenkät om uppföljning"'
# The county form counts the same questions and options.
COUNTY_FORM = FORM.replace(HEAD, 'id = "provlan"\nversion = "p1"\nkind = "lan"\ncompiles = "provenkat"\n'
                                 'title = "Provsammanställning för länet"')
assert COUNTY_FORM != FORM


@pytest.fixture
def form_files(tmp_path) -> tuple[Path, Path]:
    folder = tmp_path / "egna-formulär"
    folder.mkdir()
    form, county = folder / "provenkat.toml", folder / "provlan.toml"
    form.write_text(FORM, encoding="utf-8")
    county.write_text(COUNTY_FORM, encoding="utf-8")
    return form, county


def run(capsys, db: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--db", str(db), *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_round_add_with_a_form_file_of_the_test_starts_a_round_whose_svarsfiler_import_and_compile(
        tmp_path, capsys, form_files):
    form, county = form_files
    source_db, target_db = tmp_path / "kommunen.sqlite", tmp_path / "ledaren.sqlite"
    for db in (source_db, target_db):
        code, out, err = run(capsys, db, "round", "add", "--year", 2014, "--form", form, "--county-form", county)
        assert (code, err) == (0, "")
        assert "Startade omgången 2014: provenkat version p1" in out and "länsformulär provlan" in out

    code, out, _ = run(capsys, target_db, "round", "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("2011\tkommunenkat 2011\t")  # the forms folder's round of a new database
    assert lines[1].split("\t") == ["2014", "provenkat p1", "Provenkät om uppföljning 2014", "länsformulär provlan", "0 svar"]

    # A municipality answers the round in its database and sends the svarsfil.
    source = core.open_store(source_db)
    round_ = source.round_for(2014, "provenkat")
    source.save_answers(round_, "0580", Answers(choices={"f1": ["ja"], "f2": ["skola", "halsa"]}), source="cli",
                        status="klar")
    svarsfil = export_response_json(source, round_, "0580", tmp_path / "Svarsfil 0580.json")
    source.close()

    code, out, err = run(capsys, target_db, "import", svarsfil)
    assert code == 0 and "importerad" in out, err
    code, out, _ = run(capsys, target_db, "round", "list")
    assert out.splitlines()[1].endswith("\t1 svar")
    code, out, err = run(capsys, target_db, "--round", 2014, "export", "county", "--region", REGION,
                         "--json", tmp_path / "län.json", "--xlsx", tmp_path / "län.xlsx")
    assert code == 0, err

    store = core.open_store(target_db)
    round_ = store.round_for(2014)
    compiled = store.compile(round_, REGION)
    assert (compiled.form_id, compiled.round_year, compiled.kommuner_svarat) == ("provenkat", 2014, 1)
    counts = {(q.question_id, o.option_id): o.count for q in compiled.questions for o in q.options}
    assert counts == {("f1", "ja"): 1, ("f1", "nej"): 0, ("f2", "skola"): 1, ("f2", "halsa"): 1, ("f2", "annat"): 0}
    assert store.county_form_of(round_).id == "provlan"
    assert [e.new for e in store.audit_log() if e.field == "omgång"] == ["2014 provenkat p1 + provlan p1"]
    store.close()


def test_editing_or_removing_the_form_file_later_never_changes_the_round(tmp_path, capsys, form_files):
    form, county = form_files
    db = tmp_path / "db.sqlite"
    assert run(capsys, db, "round", "add", "--year", 2014, "--form", form)[0] == 0
    form.write_text(FORM.replace("Följer ni upp placeringarna?", "En helt annan fråga?"), encoding="utf-8")
    store = core.open_store(db)
    assert store.form_of(store.round_for(2014)).question("f1").text == "Följer ni upp placeringarna?"
    store.close()
    form.unlink()
    store = core.open_store(db)
    assert store.form_of(store.round_for(2014)).question("f1").text == "Följer ni upp placeringarna?"
    with pytest.raises(sqlite3.IntegrityError, match="kan inte ändras"):
        store.db.execute("UPDATE round_forms SET source = 'x'")
    store.close()


def test_a_round_is_refused_twice_and_a_county_form_must_compile_the_form(tmp_path, capsys, form_files):
    form, county = form_files
    db = tmp_path / "db.sqlite"
    assert run(capsys, db, "round", "add", "--year", 2014, "--form", form)[0] == 0
    code, _, err = run(capsys, db, "round", "add", "--year", 2014, "--form", form)
    assert code == 1 and "Omgången 2014 av formuläret 'provenkat' finns redan" in err
    code, _, err = run(capsys, db, "round", "add", "--year", 2015, "--form", form,
                       "--county-form", forms_dir() / "lanssammanstallning.toml")
    assert code == 1 and "sammanställer 'kommunenkat', inte 'provenkat'" in err
    code, _, err = run(capsys, db, "round", "add", "--year", 2015, "--form", county)
    assert code == 1 and "inte ett länsformulär" in err
    broken = tmp_path / "trasig.toml"
    broken.write_text(FORM.replace('type = "multi"', 'type = "flerval"'), encoding="utf-8")
    code, _, err = run(capsys, db, "round", "add", "--year", 2015, "--form", broken)
    assert code == 1 and "trasig.toml: questions[1].type: okänd frågetyp 'flerval'" in err
    with pytest.raises(SystemExit) as usage:
        run(capsys, db, "round", "add", "--form", form)
    assert usage.value.code == 2 and "följande argument krävs: --year" in capsys.readouterr().err
    store = core.open_store(db)
    assert [r.year for r in store.rounds()] == [2011, 2014]
    store.close()


def test_a_new_database_starts_the_rounds_its_forms_name_a_year_for(tmp_path, form_files):
    form, county = form_files
    form.write_text(FORM.replace(HEAD, HEAD + "\nyear = 2020"), encoding="utf-8")
    store = Store.open(tmp_path / "ny.sqlite", FormLibrary.load(form.parent), core.register())
    assert [(r.year, r.form_id, r.county_form_id) for r in store.rounds()] == [(2020, "provenkat", "provlan")]
    store.close()


def test_the_same_form_id_a_later_year_is_a_later_round_and_earlier_files_still_import(tmp_path, store):
    """A changed form under the same id (a new version) for 2013; a svarsfil of 2011 is read with 2011's form."""
    first = store.round_for(2011)
    store.save_answers(first, "0580", Answers(choices={"q1": ["ja"]}), source="cli")
    svarsfil = export_response_json(store, first, "0580", tmp_path / "Svarsfil 2011.json")
    store.set_field(first, "0580", "q1", None)

    changed = tmp_path / "kommunenkat.toml"
    changed.write_text((forms_dir() / "kommunenkat.toml").read_text(encoding="utf-8")
                       .replace('version = "2011"', 'version = "2013"'), encoding="utf-8")
    later = store.add_round(2013, changed)
    assert (later.form_id, later.form_version, later.county_form_id) == ("kommunenkat", "2013", "lanssammanstallning")
    assert store.earlier_rounds(later) == [first] and store.earlier_rounds(first) == []
    assert store.forms["kommunenkat"].version == "2013"

    result = import_file(store, svarsfil)
    assert result.outcome == Outcome.IMPORTED, result.message
    assert store.response(first, "0580").fields == {"q1": "ja"}
    assert store.response(later, "0580") is None


def test_an_older_database_is_migrated_keeping_its_rounds_forms_and_answers(tmp_path):


    folder = tmp_path / "forms"
    folder.mkdir()
    for path in forms_dir().glob("*.toml"):
        (folder / path.name).write_bytes(path.read_bytes())
    path = tmp_path / "old.sqlite"
    old = database_before(path, "0004_round_forms")
    old.close()

    store = Store.open(path, FormLibrary.load(folder), core.register())
    assert [b.kind for b in list_backups(path)] == ["uppgradering"]
    round_ = store.round_for()
    assert [r.year for r in store.rounds()] == [2011]
    assert store.response(round_, "0580").fields == {"q1": "ja"}
    stored = dict(store.db.execute("SELECT role, source FROM round_forms WHERE round_id = 1").fetchall())
    assert stored == {"form": (folder / "kommunenkat.toml").read_text(encoding="utf-8"),
                      "county": (folder / "lanssammanstallning.toml").read_text(encoding="utf-8")}
    assert [e.new for e in store.audit_log() if e.field == "omgång.formulär"] == [
        "kommunenkat 2011", "lanssammanstallning 2011"]
    first_text = store.form_of(round_).question("q1").text
    store.close()

    # The folder's file edited later: the migrated round keeps the text it was given.
    kommunenkat = folder / "kommunenkat.toml"
    kommunenkat.write_text(kommunenkat.read_text(encoding="utf-8").replace(first_text, "Ändrad fråga?"), encoding="utf-8")
    store = Store.open(path, FormLibrary.load(folder), core.register())
    assert store.form_of(store.round_for()).question("q1").text == first_text
    assert store.compile(store.round_for(), REGION).kommuner_svarat == 1
    store.close()


def test_a_new_round_is_first_offered_the_year_after_its_surveys_latest_round(tmp_path, form_files):
    """Arkiv → Ny omgång…'s year: after the same survey's latest round, not after another survey's; a survey
    not run here yet gets the year its form names, else this year."""
    from bou_desktop.survey.forms import load_form

    store = core.open_store(tmp_path / "db.sqlite")
    kommunenkat = store.form_of(store.round_for(2011))
    provenkat = load_form(form_files[0])
    assert store.next_year(provenkat) == date.today().year  # no `year` in the form
    store.add_round(2030, form_files[0])
    assert store.next_year(kommunenkat) == 2012  # provenkat's 2030 is another survey
    assert store.next_year(provenkat) == 2031
    dated = form_files[0].with_name("daterad.toml")
    dated.write_text(FORM.replace('id = "provenkat"', 'id = "daterad"\nyear = 2019'), encoding="utf-8")
    assert store.next_year(load_form(dated)) == 2019
    store.close()


def test_a_round_without_its_form_anywhere_is_told_clearly(tmp_path):
    store = core.open_store(tmp_path / "db.sqlite")
    store.db.execute("INSERT INTO rounds (year, form_id, form_version, title, created) "
                     "VALUES (2030, 'borta', '1', 'Kartläggning 2030', 't')")
    with pytest.raises(StoreError, match="Formuläret 'borta' för omgången 2030 finns varken i databasen"):
        store.form_of(store.round_for(2030))
    assert "kommunenkat" in store.forms  # the other rounds' files are still read
    store.close()


def test_a_database_whose_rounds_keep_their_forms_opens_without_the_forms_folder(tmp_path, form_files):
    """The forms folder is read when a round is started, not at every start (docs/performance.md); a
    broken file there then stops only that, with the file named."""
    db = tmp_path / "db.sqlite"
    core.open_store(db).close()  # a new database: its rounds from the forms folder
    reads = []

    def broken_folder():
        reads.append(1)
        return FormLibrary.load(broken)

    broken = tmp_path / "trasig-mapp"
    broken.mkdir()
    (broken / "trasig.toml").write_text('id = "trasig"\nkind = "kommun"\n[[questions]]\n', encoding="utf-8")
    store = Store.open(db, broken_folder, core.register())
    round_ = store.round_for(2011)
    assert store.form_of(round_).id == "kommunenkat" and len(store.municipalities()) == 290
    assert reads == []
    with pytest.raises(StoreError, match="Formulärmappen kan inte läsas: .*trasig.toml"):
        store.add_round(2014, form_files[0])
    assert reads == [1] and [r.year for r in store.rounds()] == [2011]
    store.close()

    core.forms.cache_clear()  # as at the program's start
    store = core.open_store(db)
    assert store.form_of(store.round_for(2011)).id == "kommunenkat"
    assert core.forms.cache_info().currsize == 0  # the forms folder not read
    store.close()


# ----------------------------------------------------------------------------- the window
qt = pytest.importorskip("PySide6.QtWidgets")


def answer_modal_dialogs(qtbot, answer):
    """Call `answer(dialog)` on each modal dialog as it opens (a timer, as a person would)."""
    from PySide6.QtCore import QTimer

    seen = []

    def look() -> None:
        dialog = qt.QApplication.activeModalWidget()
        if dialog is not None and dialog.isVisible() and dialog not in seen:
            seen.append(dialog)
            try:
                answer(dialog)
            except BaseException:
                dialog.reject()  # a failed check closes the dialog, so the test fails instead of waiting forever
                raise

    timer = QTimer()
    timer.setInterval(15)
    timer.timeout.connect(look)
    timer.start()
    return timer, seen


def test_new_round_from_the_menu_adds_and_shows_the_round(qtbot, tmp_path, file_dialogs, form_files):
    from bou_desktop.gui.main_window import MainWindow
    from bou_desktop.gui.round_dialog import NewRoundDialog
    from bou_desktop.settings import Settings

    form, county = form_files
    store = core.open_store(tmp_path / "db.sqlite")
    window = MainWindow(store, Settings(role="ledare", region=REGION, name="Åsa Öberg"))
    qtbot.addWidget(window)
    window.show()
    assert window.new_round_action.isVisible() and window.new_round_action.text() == "Ny &omgång…"

    def fill_in(dialog) -> None:
        assert isinstance(dialog, NewRoundDialog)
        assert dialog.year_box.value() == date.today().year  # a survey not run here, its form names no year
        dialog.year_box.setValue(2014)
        next(b for b in dialog.findChildren(qt.QPushButton) if b.text() == "&Välj länsformulär…").click()
        assert dialog.county_label.text() == "provlan.toml"
        dialog.accept()

    file_dialogs.answer(form, county)
    timer, seen = answer_modal_dialogs(qtbot, fill_in)
    try:
        window.new_round_action.trigger()
    finally:
        timer.stop()
    assert len(seen) == 1 and [d["title"] for d in file_dialogs.asked] == [
        "Ny omgång: välj formuläret", "Välj länsformuläret"]
    round_ = store.round_for(2014, "provenkat")
    assert store.county_form_of(round_).id == "provlan"
    assert window.round.id == round_.id
    assert window.round_box.currentData() == round_.id and window.round_box.currentText() == "Provenkät om uppföljning 2014"
    assert [window.round_box.itemText(i) for i in range(window.round_box.count())] == [
        "Kartläggning 2011", "Provenkät om uppföljning 2014"]
    window.select_municipality("0580")
    assert window.questionnaire.form.id == "provenkat"
    assert [e.source for e in store.audit_log() if e.field == "omgång"] == ["gui"]


def test_new_round_refuses_a_file_that_is_not_a_form_and_a_duplicate(qtbot, tmp_path, file_dialogs, form_files):
    from bou_desktop.gui.main_window import MainWindow
    from bou_desktop.settings import Settings

    form, _county = form_files
    store = core.open_store(tmp_path / "db.sqlite")
    window = MainWindow(store, Settings(role="skl", name="Kjerstin Bergman"))
    qtbot.addWidget(window)
    window.show()
    svarsfil = tmp_path / "Svarsfil.json"
    svarsfil.write_text('{"format": "bou-svarsfil"}', encoding="utf-8")
    messages = []

    def answer(dialog) -> None:
        if isinstance(dialog, qt.QMessageBox):
            messages.append(dialog.text())
            dialog.accept()
        else:
            dialog.findChild(qt.QSpinBox).setValue(2011)
            dialog.accept()

    file_dialogs.answer(svarsfil, forms_dir() / "kommunenkat.toml")
    timer, _seen = answer_modal_dialogs(qtbot, answer)
    try:
        window.new_round_action.trigger()
        window.new_round_action.trigger()
    finally:
        timer.stop()
    assert messages[0] == ("Filen kan inte användas som formulär:\nSvarsfil.json: (fil): inte giltig TOML: raden är "
                           "varken ”nyckel = värde” eller en rubrik [namn], på rad 1, kolumn 1")  # in Swedish
    assert messages[1] == "Omgången 2011 av formuläret 'kommunenkat' finns redan."
    assert [r.year for r in store.rounds()] == [2011]

    kommun = MainWindow(store, Settings(role="kommun", kommun="0580", name="Kim Ek"))
    qtbot.addWidget(kommun)
    kommun.show()
    assert not kommun.new_round_action.isVisible()  # a municipality answers rounds; it does not start them


def test_a_new_round_is_named_by_its_form(tmp_path, store, form_files):
    """The round's title (the round list, the window, the county and national views) is the form's short
    title, else its title, and the year; not "Kartläggning" whatever the form."""
    form, county = form_files
    lagesrapport = store.add_round(2013, forms_dir() / "lagesrapport2013.toml")
    assert lagesrapport.title == "Lägesrapport 2013"
    own = store.add_round(2014, form, county)
    assert own.title == "Provenkät om uppföljning 2014"  # no short_title: the title
    # Another form of the same name the same year is told apart.
    other = form.parent / "annan.toml"
    other.write_text(FORM.replace('id = "provenkat"', 'id = "annan"'), encoding="utf-8")
    assert store.add_round(2014, other).title == "Provenkät om uppföljning 2014 (annan)"
    assert [r.title for r in store.rounds() if r.year >= 2013] == [
        "Lägesrapport 2013", "Provenkät om uppföljning 2014", "Provenkät om uppföljning 2014 (annan)"]
