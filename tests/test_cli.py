"""The command line: help, exit codes, Swedish messages, no Qt."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import REPO

from bou_desktop.cli import main, parse_arguments


def test_help_lists_the_commands(capsys):
    try:
        main(["--help"])
    except SystemExit as exit_:
        assert exit_.code == 0
    out = capsys.readouterr().out
    assert "Användning: bou-desktop" in out and "import" in out and "export" in out and "--db FIL" in out


def test_opening_the_program_reads_only_the_options_and_commands_get_the_full_parser(tmp_path):
    args, parser = parse_arguments(["--db", str(tmp_path / "x.sqlite"), "--round", "2011"])
    assert parser is None and args.command is None and args.round == 2011 and args.db == tmp_path / "x.sqlite"
    args, parser = parse_arguments(["--db", "x.sqlite", "import", "a.xlsx", "--replace"])
    assert parser is not None and args.command == "import" and args.replace and args.db.name == "x.sqlite"


@pytest.mark.parametrize("argv, message", [
    (["--round", "tjugo"], "argumentet --round: ska vara ett heltal, inte 'tjugo'"),
    (["--okänd"], "okända argument: --okänd"),
    (["--d", "x"], "flaggan --d är tvetydig: den kan vara --db, --demo"),
])
def test_a_bad_option_gets_the_full_usage_with_the_commands(capsys, argv, message):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and message in err and "KOMMANDO" in err, err


def test_help_asked_for_in_short_still_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--he"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0 and "kommandon:" in out and "remove-personal-data" in out


def test_command_line_does_not_import_qt(tmp_path):
    code = (
        "import sys\n"
        "from bou_desktop.cli import main\n"
        f"rc = main(['--db', {str(tmp_path / 'x.sqlite')!r}, 'export', 'response', '--kommun', '0580', '--json', {str(tmp_path / 'x.json')!r}])\n"
        "print(rc, any(m.startswith('PySide6') for m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert result.stdout.strip() == "1 False"
    assert "Linköping har inget svar i omgången 2011" in result.stderr


def test_python_dash_m_runs(tmp_path):
    result = subprocess.run([sys.executable, "-m", "bou_desktop", "--version"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0 and result.stdout.startswith("BoU Desktop ")


def test_usage_error_exits_2_in_swedish(capsys):
    try:
        main(["export", "response", "--json", "x.json"])
    except SystemExit as exit_:
        assert exit_.code == 2
    err = capsys.readouterr().err
    assert "följande argument krävs: --kommun" in err


def test_unknown_round_exits_1(tmp_path, capsys):
    rc = main(["--db", str(tmp_path / "db.sqlite"), "--round", "1999", "import", str(tmp_path / "none.json")])
    assert rc == 1
    assert "Omgången 1999 finns inte" in capsys.readouterr().err


def test_demo_is_never_written_into_a_chosen_database(tmp_path, capsys):
    real = tmp_path / "real.sqlite"
    try:
        main(["--db", str(real), "--demo", "import", str(tmp_path / "a.json")])
    except SystemExit as exit_:
        assert exit_.code == 2
    assert "kan inte kombineras med --db" in capsys.readouterr().err
    assert not real.exists()


def test_export_never_overwrites_without_being_asked(tmp_path, capsys):
    db = tmp_path / "db.sqlite"
    from bou_desktop import core
    from bou_desktop.survey.answers import Answers

    store = core.open_store(db)
    store.save_answers(store.round_for(), "0580", Answers(choices={"q1": ["ja"]}), source="cli")
    store.close()
    assert main(["--db", str(db), "export", "response", "--kommun", "0580", "--json", str(tmp_path / "a.json")]) == 0
    target = tmp_path / "a.json"
    target.write_text("mitt eget", encoding="utf-8")
    assert main(["--db", str(db), "export", "response", "--kommun", "0580", "--json", str(target)]) == 1
    assert "finns redan och skrivs inte över" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "mitt eget"
    assert main(["--db", str(db), "export", "response", "--kommun", "0580", "--json", str(target), "--overwrite"]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["kommun"] == "0580"


def test_unreadable_database_exits_1_without_traceback(tmp_path, capsys):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"x" * 4096)
    assert main(["--db", str(bad), "import", str(tmp_path / "a.json")]) == 1
    err = capsys.readouterr().err
    assert "bou-desktop:" in err and "Traceback" not in err


def test_demo_database_is_separate(tmp_path, isolated_home):
    from bou_desktop.paths import default_database, demo_database

    assert main(["--demo", "export", "response", "--kommun", "0580", "--json", str(tmp_path / "d.json")]) == 0
    assert demo_database().exists() and not default_database().exists()
    assert demo_database().parent == isolated_home


def test_the_demo_on_the_command_line_has_the_county_files_as_in_the_window(tmp_path, capsys):
    """bou-desktop --demo export national: the demo's regions have sent in their files, as in Riket."""
    out = tmp_path / "riket.json"
    assert main(["--demo", "export", "national", "--json", str(out)]) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["totalt"]["kommuner_svarat"] > 100
    assert sum(1 for region in document["regions"] if region["har_fil"]) > 10


def test_a_round_started_in_the_demo_is_left_for_the_user(isolated_home, capsys):
    """The demo fills its own 2011 round; a round the user starts stays empty, at this start and the next."""
    assert main(["--demo", "round", "add", "--year", "2013", "--form", str(REPO / "forms" / "kommunenkat.toml"),
                 "--county-form", str(REPO / "forms" / "lanssammanstallning.toml")]) == 0
    capsys.readouterr()
    assert main(["--demo", "round", "list"]) == 0  # the demo database opened again: the demo fill runs
    lines = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert [(line[0], line[-1]) for line in lines][1] == ("2013", "0 svar")
    assert int(lines[0][-1].split()[0]) > 100
