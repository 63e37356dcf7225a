"""SKL's report texts in the store: per round, per template section and per question's analysis, with history."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from old_database import database_before

from bou_desktop import core
from bou_desktop.paths import forms_dir
from bou_desktop.store import Store, StoreError
from bou_desktop.survey.forms import FormLibrary
from bou_desktop.survey.report import texts_outside

FORORD = "Sveriges Kommuner och Landsting har på uppdrag av …\n\nRapporten är skriven av Åsa Öberg."


def test_texts_round_trip_with_their_history(store):
    round_ = store.round_for(2011)
    template = store.report_template(round_)
    assert template.section_ids()[0] == "forord"  # forms/rapporter/kommunenkat.toml, stored with the round
    store.set_report_text(round_, "section", "forord", FORORD)
    store.set_report_text(round_, "analysis", "q1", "Nio av tio kommuner svarar ja.")
    store.set_report_text(round_, "analysis", "q1", "Nästan alla kommuner svarar ja.")
    texts = store.report_texts(round_)
    assert texts.section("forord") == FORORD and texts.sections == {"forord": FORORD}
    assert texts.analysis("q1") == "Nästan alla kommuner svarar ja." and texts.analysis("q2") == ""
    history = [(e.field, e.old, e.new, e.source) for e in store.report_text_history(round_, "analysis", "q1")]
    assert history == [("rapport.analys.q1", None, "Nio av tio kommuner svarar ja.", "gui"),
                       ("rapport.analys.q1", "Nio av tio kommuner svarar ja.", "Nästan alla kommuner svarar ja.", "gui")]
    store.set_report_text(round_, "analysis", "q1", "Nästan alla kommuner svarar ja.")  # unchanged: not logged
    assert len(store.report_text_history(round_)) == 3
    store.set_report_text(round_, "analysis", "q1", "  \n")  # emptied: the text goes, its history stays
    assert store.report_texts(round_).analyses == {}
    assert store.report_text_history(round_, "analysis", "q1")[-1].new is None


def test_texts_are_read_by_a_second_connection(store):
    round_ = store.round_for(2011)
    store.set_report_text(round_, "section", "bakgrund", "## Syfte\nAtt följa upp.", source="cli")
    other = core.open_store(store.path)
    assert other.report_texts(other.round_for(2011)).sections == {"bakgrund": "## Syfte\nAtt följa upp."}
    other.close()


def test_unknown_sections_questions_and_kinds_are_refused_in_swedish(store):
    round_ = store.round_for(2011)
    with pytest.raises(StoreError, match="inget avsnitt 'slutord'"):
        store.set_report_text(round_, "section", "slutord", "Tack.")
    with pytest.raises(StoreError, match="ingen fråga 'q99'"):
        store.set_report_text(round_, "analysis", "q99", "Text")
    with pytest.raises(StoreError, match="Okänd sorts rapporttext"):
        store.set_report_text(round_, "bilaga", "forord", "Text")
    assert store.report_texts(round_).sections == {} and store.report_text_history(round_) == []


def test_each_round_has_its_own_texts(store):
    first = store.round_for(2011)
    later = store.add_round(2014, "kommunenkat")
    store.set_report_text(first, "section", "forord", "2011 års förord")
    assert store.report_texts(later).sections == {}
    assert store.report_template(later).section_ids() == store.report_template(first).section_ids()


def _forms_copy(tmp_path):
    folder = tmp_path / "former"
    shutil.copytree(forms_dir(), folder)
    return folder


def test_a_round_keeps_its_template_when_the_file_is_edited_or_removed(tmp_path, monkeypatch):
    folder = _forms_copy(tmp_path)
    store = Store.open(tmp_path / "db.sqlite", FormLibrary.load(folder), core.register())
    round_ = store.round_for(2011)
    sections = store.report_template(round_).section_ids()
    store.set_report_text(round_, "section", "forord", FORORD)
    store.close()
    (folder / "rapporter" / "kommunenkat.toml").unlink()
    monkeypatch.setattr("bou_desktop.paths.forms_dir", lambda: folder)  # nowhere else to find it
    store = Store.open(tmp_path / "db.sqlite", FormLibrary.load(folder), core.register())
    round_ = store.round_for(2011)
    assert store.report_template(round_).section_ids() == sections
    assert store.report_texts(round_).section("forord") == FORORD
    store.close()


def test_a_section_the_template_no_longer_has_keeps_its_text(tmp_path, monkeypatch):
    """A round written with the default sections, whose form later gets a template without "Metodproblem":
    the text stays, listed as outside the template, and can still be changed or emptied."""
    folder = _forms_copy(tmp_path)
    template_file = folder / "rapporter" / "kommunenkat.toml"
    template_text = template_file.read_text(encoding="utf-8")
    template_file.unlink()
    monkeypatch.setattr("bou_desktop.paths.forms_dir", lambda: folder)
    store = Store.open(tmp_path / "db.sqlite", FormLibrary.load(folder), core.register())
    round_ = store.round_for(2011)
    assert "metodproblem" in store.report_template(round_).section_ids()  # the default template
    store.set_report_text(round_, "section", "metodproblem", "Frågan om rangordning missförstods.")
    store.close()
    template_file.write_text(template_text.replace('id = "metodproblem"', 'id = "metod"'), encoding="utf-8")
    store = Store.open(tmp_path / "db.sqlite", FormLibrary.load(folder), core.register())
    round_ = store.round_for(2011)
    store.set_report_text(round_, "section", "forord", FORORD)  # the template file is now stored with the round
    template = store.report_template(round_)
    assert "metodproblem" not in template.section_ids()
    texts = store.report_texts(round_)
    assert texts_outside(template, texts) == [("section", "metodproblem", "Frågan om rangordning missförstods.")]
    store.set_report_text(round_, "section", "metodproblem", "Ändrad.")
    store.set_report_text(round_, "section", "metodproblem", "")
    assert texts_outside(template, store.report_texts(round_)) == []
    store.close()


def test_0007_reaches_a_0006_database_whose_round_then_gets_its_template(tmp_path):
    path = tmp_path / "old.sqlite"
    old = database_before(path, "0007_report_texts")
    old.close()
    store = core.open_store(path)
    round_ = store.round_for(2011)
    assert store.response(round_, "0580").fields == {"q1": "ja"}
    assert store.db.execute("SELECT count(*) FROM round_reports").fetchone()[0] == 0
    assert store.report_template(round_).section_ids()[0] == "forord"  # from the forms folder
    store.set_report_text(round_, "section", "forord", FORORD)
    assert store.db.execute("SELECT file_name FROM round_reports").fetchone()[0] == "kommunenkat.toml"
    assert store.report_texts(round_).section("forord") == FORORD
    with pytest.raises(sqlite3.IntegrityError):  # a stored template never changes
        store.db.execute("UPDATE round_reports SET source = ''")
    store.close()


# --------------------------------------------------------------------------- the command line

def _cli(db, *args) -> int:
    from bou_desktop import cli

    return cli.main(["--db", str(db), *map(str, args)])


def test_the_seeds_forord_pasted_through_the_command_line_comes_back_word_for_word(tmp_path, seed_text, capsys):
    forord = seed_text.split("\nFörord\n", 1)[1].split("\nInnehåll\n", 1)[0].strip()
    assert forord.startswith("Den här rapporten är ett arbetsmaterial") and forord.endswith("socionomstuderande")
    source = tmp_path / "förord.txt"
    source.write_text(forord + "\n", encoding="utf-8")
    db = tmp_path / "db.sqlite"
    assert _cli(db, "report", "text", "--section", "forord", "--file", source) == 0
    assert f"har nu {len(forord)} tecken" in capsys.readouterr().out
    analysis = tmp_path / "analys.txt"
    analysis.write_text("## Slutsats\n- Nästan alla redovisar.\n- Få använder resultaten.", encoding="utf-8")
    assert _cli(db, "report", "text", "--question", "q1", "--file", analysis) == 0
    store = core.open_store(db)
    round_ = store.round_for(2011)
    assert store.report_texts(round_).section("forord").strip() == forord
    assert [e.source for e in store.report_text_history(round_)] == ["cli", "cli"]
    store.close()
    capsys.readouterr()
    assert _cli(db, "report", "show") == 0
    lines = capsys.readouterr().out.splitlines()
    assert f"  forord\tFörord\t{len(forord)} tecken" in lines
    assert "  bakgrund\tBakgrund och syfte\t(tom)" in lines
    assert "    bortfall\tBortfall\t(tom)" in lines  # a section of the chapter above it
    assert any(line.startswith("    q1\t1\t") for line in lines)


def test_the_command_line_refuses_an_unknown_section_and_a_file_that_is_not_text(tmp_path, capsys):
    db = tmp_path / "db.sqlite"
    text = tmp_path / "text.txt"
    text.write_text("Hej", encoding="utf-8")
    assert _cli(db, "report", "text", "--section", "slutord", "--file", text) != 0
    assert "inget avsnitt 'slutord'" in capsys.readouterr().err
    binary = tmp_path / "bild.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    assert _cli(db, "report", "text", "--question", "q1", "--file", binary) != 0
    assert "inte en textfil i UTF-8" in capsys.readouterr().err
    assert _cli(db, "report", "text", "--question", "q1", "--file", tmp_path / "saknas.txt") != 0
    assert "kan inte läsas" in capsys.readouterr().err
