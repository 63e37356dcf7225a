"""A file of a round the database does not have is refused in one wording, whatever the file: a
svarsfil, a county file or SKL's national file. The words are the store's (Store.round_for), as the
command line's --round gives them, and the user reads them on stderr after the file's name."""

from __future__ import annotations

import copy
import json

import pytest

from bou_desktop import core
from bou_desktop.cli import main
from bou_desktop.exchange.county_file import county_json_bytes
from bou_desktop.exchange.national_file import national_document, report_for
from bou_desktop.survey.answers import Answers
from tests.test_svarsfil_json import FULL

YEAR = 2019  # a round nobody has started
# the survey's form names the round, a county file's too (the county form compiles it)
REFUSAL = f"Omgången {YEAR} av formuläret 'kommunenkat' finns inte i databasen (kända omgångar: 2011 kommunenkat)."


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A county file and a national file of the 2011 round, rewritten to name the round YEAR."""
    folder = tmp_path_factory.mktemp("filer")
    store = core.open_store(folder / "lan.sqlite")
    round_ = store.round_for(2011)
    municipality = store.municipalities("Uppsala")[0]
    store.save_answers(round_, municipality.code, Answers(choices={"q1": ["ja"]}), source="cli", status="klar")
    county = json.loads(county_json_bytes(store.compile(round_, "Uppsala")))
    national = national_document(report_for(store, round_))
    store.close()
    written = {}
    for name, document in (("län.json", county), ("riket.json", national), ("svar.json", copy.deepcopy(FULL))):
        document["round"] = YEAR
        (folder / name).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        written[name] = folder / name
    return written


@pytest.mark.parametrize("name", ["län.json", "riket.json", "svar.json"])
def test_a_file_of_an_unknown_round_is_refused_in_the_stores_words(tmp_path, capsys, files, name):
    path = files[name]
    db = tmp_path / "skl.sqlite"
    core.open_store(db).close()
    capsys.readouterr()
    assert main(["--db", str(db), "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.strip() == f"{name}: nekad: {REFUSAL}", err
