"""`bou-desktop --selftest`: one Swedish line, exit 0 when everything works, 1 naming the failed step."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import REPO

from bou_desktop import __version__, selftest

PASSED = f"BoU Desktop {__version__}: självtestet gick igenom (formulär, kommunregister, databas, PDF, Excel, Word, Qt 6."
FAILED = f"BoU Desktop {__version__}: självtestet misslyckades: "


def _headless_env() -> dict[str, str]:
    """The test session's environment without a screen: the self-test must choose offscreen by itself."""
    return {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}


def test_selftest_passes_with_one_line(tmp_path):
    env = _headless_env() | {"BOU_DESKTOP_HOME": str(tmp_path / "home")}
    result = subprocess.run([sys.executable, "-m", "bou_desktop", "--selftest"], capture_output=True, text=True,
                            cwd=REPO, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(PASSED) and lines[0].endswith(")"), result.stdout
    assert result.stderr == ""
    assert not (tmp_path / "home").exists()  # the user's folder is not touched


def test_a_broken_form_in_the_bundle_fails_the_forms_step(tmp_path):
    """As in a damaged installation: data_root() finds a bundle folder whose form does not parse."""
    bundle = tmp_path / "bundle"
    (bundle / "forms").mkdir(parents=True)
    shutil.copytree(REPO / "resources", bundle / "resources")
    (bundle / "forms" / "kommunenkat.toml").write_text('id = "kommunenkat"\nkind = [', encoding="utf-8")
    code = (
        "import sys\n"
        f"sys._MEIPASS = {str(bundle)!r}\n"
        "from bou_desktop.cli import main\n"
        "sys.exit(main(['--selftest']))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                            env=_headless_env(), timeout=120)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(FAILED + "formulär: "), result.stderr
    assert "kommunenkat.toml" in lines[0]


def test_an_empty_forms_folder_fails_the_forms_step(tmp_path, capsys):
    assert selftest.main(forms_folder=tmp_path) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"{FAILED}formulär: inga formulär av slaget kommun, lan i {tmp_path}\n"


def test_a_missing_register_fails_the_register_step(tmp_path, capsys):
    assert selftest.main(resources_folder=tmp_path) == 1
    assert capsys.readouterr().err.startswith(FAILED + "kommunregister: regioner.csv")


def test_an_unwritable_database_fails_the_database_step(tmp_path, forms, register):
    folder = tmp_path / "not-a-folder"
    folder.write_text("", encoding="utf-8")
    with pytest.raises(selftest.SelftestFailure) as failure:
        selftest._run("databas", selftest.check_database, folder / "x.sqlite", forms, register)
    assert failure.value.step == "databas"
    assert str(failure.value).startswith("databas: ")


def test_the_word_step_writes_a_word_file_python_docx_reads(store, tmp_path):
    import docx

    path = selftest.check_word(store, tmp_path)
    document = docx.Document(str(path))
    assert document.paragraphs[0].text.startswith("Länssammanställning ")
    assert document.core_properties.language == "sv-SE"


def test_python_docx_without_its_templates_fails_the_word_step(tmp_path, monkeypatch, store):
    """As in a bundle that left out docx/templates: the step says Word, not a traceback."""
    import docx.package

    def missing(*_args, **_kwargs):
        raise FileNotFoundError("docx/templates/default.docx")

    monkeypatch.setattr(docx.package.Package, "open", missing)
    with pytest.raises(selftest.SelftestFailure) as failure:
        selftest._run("Word", selftest.check_word, store, tmp_path)
    assert str(failure.value) == "Word: docx/templates/default.docx"


def test_errors_are_one_line():
    failure = selftest.SelftestFailure("PDF", ValueError("första raden\n  andra raden"))
    assert str(failure) == "PDF: första raden andra raden"
    assert str(selftest.SelftestFailure("Qt", RuntimeError())) == "Qt: RuntimeError"


@pytest.mark.parametrize(("environ", "platform", "offscreen"), [
    ({}, "linux", True),
    ({"DISPLAY": ":0"}, "linux", False),
    ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
    ({"QT_QPA_PLATFORM": "xcb"}, "linux", False),
    ({}, "freebsd14", True),
    ({}, "win32", False),
    ({}, "darwin", False),
])
def test_offscreen_only_without_a_screen(environ, platform, offscreen):
    assert selftest.needs_offscreen(environ, platform) is offscreen


@pytest.mark.gui
def test_qt_step_renders_the_main_window(qapp, store):
    assert selftest.check_qt(store).startswith("6.")
