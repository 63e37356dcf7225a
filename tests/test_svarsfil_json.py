"""JSON svarsfiler: round trip through import and export, and every bad file refused."""

from __future__ import annotations

import copy
import json

import pytest

from bou_desktop import core
from bou_desktop.cli import main

FULL = {
    "format": "bou-svarsfil",
    "format_version": 1,
    "form": "kommunenkat",
    "form_version": "2011",
    "round": 2011,
    "kommun": "0580",
    "uuid": "6f1c5c2e-8d3a-4f43-9a39-1c2b7d1f0a11",
    "status": "klar",
    "svarssatt": "intervju",
    "datum": "2011-11-14",
    "intervjuare": "Eva Utvecklingsledare",
    "uppgiftslamnare": {"namn": "Åsa Öberg", "befattning": "IFO-chef"},
    "answers": {
        "q1": "ja",
        "q2": ["politiker", "chefer", "annan"],
        "q3": ["budget", "placerade_barn", "andra_uppgifter"],
        "q4": ["verksamhetssystem", "bbic", "annat"],
        "q5": "ja_i_viss_man",
        "q6": "nej",
        "q7": "ja",
        "q8": ["tidsbrist", "annat"],
        "q9": ["statistikstod", "annat"],
        "q10": {"basuppgifter": 1, "resultat_hvb": 2, "annat": 3},
    },
    "specify": {
        "q2": "Socialstyrelsen",
        "q3": "Sammanbrott <i> placeringar & avbrott",
        "q4": "Journal Digital",
        "q8": "Få placeringar",
        "q9": "En mall för uppföljning",
        "q10": "Kunskapsläget när det gäller placerade barn",
    },
    "comments": {"q1": "Redovisas i verksamhetsberättelsen.", "q7": "=SUMMA(A1) ska vara text"},
}


def write_json(path, document):
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def run(db, *args):
    return main(["--db", str(db), *map(str, args)])


def semantic(document):
    keys = ("form", "form_version", "round", "kommun", "uuid", "status", "svarssatt", "datum", "intervjuare",
            "uppgiftslamnare", "answers", "specify", "comments")
    return {k: document.get(k) for k in keys}


def test_import_then_export_gives_back_the_same_answers(tmp_path, capsys):
    db = tmp_path / "db.sqlite"
    a = write_json(tmp_path / "a.json", FULL)
    assert run(db, "import", a) == 0
    assert "a.json: importerad: Linköping (0580), klar" in capsys.readouterr().out
    b = tmp_path / "b.json"
    assert run(db, "export", "response", "--kommun", "0580", "--json", b) == 0
    exported = json.loads(b.read_text(encoding="utf-8"))
    assert semantic(exported) == semantic(FULL)
    assert exported["kommun_namn"] == "Linköping"


def test_exported_file_imports_into_a_fresh_database_identically(tmp_path):
    a = write_json(tmp_path / "a.json", FULL)
    assert run(tmp_path / "one.sqlite", "import", a) == 0
    assert run(tmp_path / "one.sqlite", "export", "response", "--kommun", "0580", "--json", tmp_path / "b.json") == 0
    assert run(tmp_path / "two.sqlite", "import", tmp_path / "b.json") == 0
    one, two = core.open_store(tmp_path / "one.sqlite"), core.open_store(tmp_path / "two.sqlite")
    try:
        r1, r2 = one.response(one.round_for(), "0580"), two.response(two.round_for(), "0580")
        assert r1.fields == r2.fields and r1.uuid == r2.uuid and r1.status == r2.status == "klar"
        assert len(r1.fields) == 30  # 13 ticks/choices… + 6 ange + 2 comments + 3 ranks + 2 respondent
    finally:
        one.close()
        two.close()


def test_same_file_twice_is_unchanged(tmp_path, capsys):
    db = tmp_path / "db.sqlite"
    a = write_json(tmp_path / "a.json", FULL)
    assert run(db, "import", a) == 0
    store = core.open_store(db)
    before = store.snapshot()
    store.close()
    assert run(db, "import", a) == 0
    assert "a.json: oförändrad" in capsys.readouterr().out
    store = core.open_store(db)
    assert store.snapshot() == before
    store.close()


def test_import_writes_the_audit_log_with_the_file_name(tmp_path):
    db = tmp_path / "db.sqlite"
    run(db, "import", write_json(tmp_path / "linkoping.json", FULL))
    store = core.open_store(db)
    entries = store.audit_log(FULL["uuid"])
    store.close()
    assert entries and all(e.source == "import" and e.detail == "linkoping.json" for e in entries)
    assert ("q2.politiker", None, "X") in [(e.field, e.old, e.new) for e in entries]


def test_conflicting_file_is_refused_unless_replace(tmp_path, capsys):
    db = tmp_path / "db.sqlite"
    run(db, "import", write_json(tmp_path / "a.json", FULL))
    other = copy.deepcopy(FULL)
    other["uuid"] = "00000000-0000-4000-8000-000000000001"
    other["answers"]["q5"] = "nej"
    b = write_json(tmp_path / "b.json", other)
    assert run(db, "import", b) == 1
    assert "b.json: konflikt: Linköping har andra svar" in capsys.readouterr().err
    assert run(db, "import", "--replace", b) == 0
    store = core.open_store(db)
    assert store.response(store.round_for(), "0580").fields["q5"] == "nej"
    # The replacement's changes are logged under the id the response now carries.
    changes = [(e.field, e.old, e.new) for e in store.audit_log(other["uuid"])]
    assert ("q5", "ja_i_viss_man", "nej") in changes and ("uuid", FULL["uuid"], other["uuid"]) in changes
    store.close()


def test_answers_to_skipped_questions_are_kept_and_flagged(tmp_path, capsys):
    db = tmp_path / "db.sqlite"
    contradictory = copy.deepcopy(FULL)
    contradictory["answers"]["q1"] = "nej"
    assert run(db, "import", write_json(tmp_path / "c.json", contradictory)) == 0
    assert "OBS: fråga 2, 3, 4 besvarad trots hopp" in capsys.readouterr().out
    store = core.open_store(db)
    assert "q2.politiker" in store.response(store.round_for(), "0580").fields
    store.close()


def _mutate(path_and_value):
    def change(document):
        target = document
        *parents, last = path_and_value[0]
        for key in parents:
            target = target[key]
        if path_and_value[1] is _DELETE:
            del target[last]
        else:
            target[last] = path_and_value[1]
        return document

    return change


_DELETE = object()

BAD = [
    ("unknown question", (["answers", "q11"], "ja"), "answers.q11: okänd fråga"),
    ("unknown option", (["answers", "q2"], ["politiker", "kungen"]), "okänt svarsalternativ 'kungen' för fråga 2"),
    ("unknown option single", (["answers", "q5"], "kanske"), "okänt svarsalternativ 'kanske' för fråga 5"),
    ("two answers to single", (["answers", "q5"], ["ja", "nej"]), "fråga 5 tillåter bara ett svar"),
    ("rank too high", (["answers", "q10"], {"basuppgifter": 8}), "answers.q10.basuppgifter: rangen ska vara ett heltal 1–7"),
    ("rank zero", (["answers", "q10"], {"basuppgifter": 0}), "rangen ska vara ett heltal 1–7"),
    ("rank text", (["answers", "q10"], {"basuppgifter": "ett"}), "rangen ska vara ett heltal 1–7"),
    ("unknown municipality", (["kommun"], "9999"), "fältet kommun: okänd kommunkod '9999'"),
    ("unknown form", (["form"], "annan_enkat"), "fältet form: okänt formulär"),
    ("wrong form version", (["form_version"], "2009"), "fältet form_version"),
    ("unknown round", (["round"], 2019), "Omgången 2019 av formuläret 'kommunenkat' finns inte i databasen"),
    ("round as text", (["round"], "2011"), "fältet round ska vara ett årtal"),
    ("not a svarsfil", (["format"], "något-annat"), "filen är ingen svarsfil"),
    ("future format", (["format_version"], 3), "format_version 3 stöds inte"),
    ("format version true", (["format_version"], True), "format_version True stöds inte"),
    ("format version float", (["format_version"], 1.0), "format_version 1.0 stöds inte"),
    ("unknown top field", (["extra"], 1), "okänt fält 'extra'"),
    ("specify without ange option", (["specify", "q5"], "text"), "specify.q5: fråga 5 har inget ”ange”-alternativ"),
    ("comment on unknown question", (["comments", "q99"], "text"), "comments.q99: okänd fråga"),
    ("bad status", (["status"], "färdig"), "fältet status"),
    ("bad svarssatt", (["svarssatt"], "brevduva"), "fältet svarssatt"),
    ("answers not object", (["answers"], ["q1"]), "fältet answers ska vara ett objekt"),
]


@pytest.mark.parametrize("name, change, reason", BAD, ids=[b[0] for b in BAD])
def test_bad_file_is_refused_naming_file_and_field_database_unchanged(tmp_path, capsys, name, change, reason):
    db = tmp_path / "db.sqlite"
    # Something already in the database, to see that it stays as it was.
    run(db, "import", write_json(tmp_path / "ok.json", {**FULL, "kommun": "0180", "uuid": None}))
    store = core.open_store(db)
    before = store.snapshot()
    store.close()
    capsys.readouterr()
    bad = write_json(tmp_path / "dålig.json", _mutate(change)(copy.deepcopy(FULL)))
    assert run(db, "import", bad) == 1
    err = capsys.readouterr().err
    assert err.startswith("dålig.json: nekad: ") and reason in err, err
    assert "Traceback" not in err
    store = core.open_store(db)
    assert store.snapshot() == before
    store.close()


@pytest.mark.parametrize(
    "content, reason",
    [
        (b'{"format": "bou-svarsfil", ', "inte giltig JSON (rad 1"),
        (b"\xff\xfe\x00garbage", "inte text i UTF-8"),
        (b"[1, 2, 3]", "ska vara ett objekt"),
        (b"", "filen är tom"),
        (b"hello", "inte giltig JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "för djupt nästlad"),
    ],
)
def test_malformed_file_is_refused(tmp_path, capsys, content, reason):
    db = tmp_path / "db.sqlite"
    path = tmp_path / "trasig.json"
    path.write_bytes(content)
    assert run(db, "import", path) == 1
    err = capsys.readouterr().err
    assert "trasig.json: nekad: " in err and reason in err, err


def test_many_files_one_line_each_and_only_the_bad_one_refused(tmp_path, capsys):
    db = tmp_path / "db.sqlite"
    good = write_json(tmp_path / "good.json", FULL)
    bad = write_json(tmp_path / "bad.json", {**FULL, "kommun": "0000"})
    missing = tmp_path / "saknas.json"
    assert run(db, "import", good, bad, missing) == 1
    out, err = capsys.readouterr()
    assert out.count("\n") == 1 and "good.json: importerad" in out
    assert "bad.json: nekad" in err and "saknas.json: nekad: filen finns inte" in err
