"""The user's settings: saved atomically under the data folder, a broken file kept aside, validated in Swedish."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bou_desktop.settings import ROLES, Settings, load_settings, save_settings, settings_path, validate

REPO = Path(__file__).resolve().parents[1]


def leader(**changes) -> Settings:
    values = {"role": "ledare", "region": "Östergötland", "name": "Åsa Öberg", "email": "asa.oberg@example.se",
              "phone": "+46 (0)13-12 34 56", "skl_email": "bou@skl.se"}
    values.update(changes)
    return Settings(**values)


def test_roles_are_the_three_swedish_labels():
    assert ROLES == {"ledare": "Utvecklingsledare för region", "kommun": "Kommun",
                     "skl": "Nationell sammanställning (SKL)"}


def test_the_file_lands_in_the_temporary_data_folder(isolated_home, tmp_path):
    assert settings_path() == isolated_home / "settings.json"
    save_settings(leader())
    assert (isolated_home / "settings.json").is_file()
    assert tmp_path in settings_path().parents  # never the real user's folder


def test_round_trip_keeps_swedish_letters_readable(isolated_home):
    original = leader()
    save_settings(original)  # the folder does not exist yet: created
    assert load_settings() == original
    text = settings_path().read_text(encoding="utf-8")
    assert "Östergötland" in text and "Åsa Öberg" in text  # ensure_ascii=False
    assert json.loads(text)["role"] == "ledare"
    assert [p.name for p in isolated_home.iterdir()] == ["settings.json"]  # no temporary file left


def test_saving_again_replaces_the_file(tmp_path):
    path = tmp_path / "sub" / "settings.json"
    save_settings(leader(), path)
    save_settings(Settings(role="skl"), path)
    assert load_settings(path) == Settings(role="skl")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_file_is_readable_by_the_user_only(tmp_path):
    path = tmp_path / "settings.json"
    save_settings(leader(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o644)
    save_settings(leader(name="Ny"), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_missing_file_gives_defaults(tmp_path):
    assert load_settings(tmp_path / "finns-inte.json") == Settings()
    assert load_settings() == Settings()
    assert not Settings().is_configured


@pytest.mark.parametrize("content", [b"{ inte json", b"[1, 2]", b'{"role": 5}', b'"ledare"', b"\xff\xfe\x00"])
def test_broken_file_gives_defaults_and_is_kept_aside(tmp_path, content):
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    assert load_settings(path) == Settings()
    assert not path.exists()
    assert (tmp_path / "settings.json.trasig").read_bytes() == content


def test_an_earlier_broken_file_is_not_overwritten(tmp_path):
    path = tmp_path / "settings.json"
    (tmp_path / "settings.json.trasig").write_text("första", encoding="utf-8")
    path.write_text("andra", encoding="utf-8")
    assert load_settings(path) == Settings()
    assert (tmp_path / "settings.json.trasig").read_text(encoding="utf-8") == "första"
    assert (tmp_path / "settings.json.trasig.2").read_text(encoding="utf-8") == "andra"


def test_unknown_keys_are_ignored(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"role": "kommun", "kommun": "0580", "tema": "mörkt", "version": 3}), encoding="utf-8")
    assert load_settings(path) == Settings(role="kommun", kommun="0580")
    assert path.exists()  # not treated as broken


def test_is_configured_needs_the_roles_place():
    assert leader().is_configured
    assert not leader(region="").is_configured
    assert Settings(role="kommun", kommun="0580").is_configured
    assert not Settings(role="kommun").is_configured
    assert Settings(role="skl").is_configured
    assert not Settings(role="okänd").is_configured


def test_contact_lines_leave_out_empty_details():
    assert leader().contact_lines() == ["Åsa Öberg", "E-post: asa.oberg@example.se", "Telefon: +46 (0)13-12 34 56"]
    assert leader(name="", phone=" ").contact_lines() == ["E-post: asa.oberg@example.se"]
    assert Settings().contact_lines() == []


def test_valid_settings_have_no_problems(register):
    assert validate(leader(), register) == []
    assert validate(Settings(role="kommun", kommun="0580"), register) == []
    assert validate(Settings(role="skl"), register) == []


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (Settings(), "Välj en roll."),
        (Settings(role="chef"), "Välj en roll."),
        (leader(region=""), "Välj region."),
        (leader(region="Atlantis"), "Välj region."),
        (Settings(role="kommun"), "Välj kommun."),
        (Settings(role="kommun", kommun="9999"), "Välj kommun."),
        (leader(email="asa.oberg"), "E-postadressen ”asa.oberg” ser inte ut som en e-postadress."),
        (leader(email="asa@skl"), "E-postadressen ”asa@skl” ser inte ut som en e-postadress."),
        (leader(skl_email="bou at skl.se"), "E-postadressen till SKL ”bou at skl.se” ser inte ut som en e-postadress."),
        (leader(phone="013-12 34 56 ank. 7"),
         "Telefonnumret ”013-12 34 56 ank. 7” får bara innehålla siffror, mellanslag och + - ( )."),
        (leader(phone="--"), "Telefonnumret ”--” får bara innehålla siffror, mellanslag och + - ( )."),
    ],
)
def test_validate_names_each_problem_in_swedish(register, settings, message):
    assert validate(settings, register) == [message]


def test_validate_lists_every_problem(register):
    problems = validate(Settings(role="kommun", email="x", phone="abc", skl_email="y"), register)
    assert len(problems) == 4 and problems[0] == "Välj kommun."


def test_settings_module_does_not_import_qt():
    code = "import sys, bou_desktop.settings; sys.exit(any(m.startswith('PySide6') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO).returncode == 0
