"""The packaged program: built for real with packaging/build.py from a clean clone, then started.

Slow (a minute or more: a fresh venv and PyInstaller), and part of the normal run: CI builds the
program on every change. The clone is of the committed HEAD, as CI sees it; uncommitted changes in
a working tree are not in it (`python packaging/build.py --source .` builds those by hand).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, SCREENSHOTS

pytestmark = pytest.mark.slow

BUILD_TIMEOUT = 1800  # seconds; about one to three minutes is usual


def _load_build_module():
    spec = importlib.util.spec_from_file_location("bou_build", REPO / "packaging" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_module = _load_build_module()


def _pip_cache() -> Path:
    """pip's usual cache (conftest points XDG_CACHE_HOME at a temporary folder, which would download all again)."""
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home())) / "pip" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "pip"
    return Path.home() / ".cache" / "pip"


class Build:
    def __init__(self, work: Path, dist: Path) -> None:
        self.work, self.dist = work, dist
        self.folder = dist / build_module.APP_FOLDER
        self.gui = build_module.built_program(dist, console=False)
        self.cli = build_module.built_program(dist, console=True)
        self.version = build_module.version_of(work / "src")
        self.internal = self.folder / "_internal"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Build:
    """The program, built once for this module from a clean clone of HEAD (a copy when not a git checkout)."""
    root = tmp_path_factory.mktemp("package")
    command = [sys.executable, str(REPO / "packaging" / "build.py"), "--work", str(root / "work"),
               "--dist", str(root / "dist")]
    if not (REPO / ".git").exists():
        command += ["--source", str(REPO)]
    env = os.environ | {"PIP_CACHE_DIR": os.environ.get("PIP_CACHE_DIR") or str(_pip_cache())}
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, timeout=BUILD_TIMEOUT, env=env)
    assert result.returncode == 0, f"{result.stdout[-6000:]}\n{result.stderr[-6000:]}"
    print(f"build took {time.monotonic() - started:.0f} s")
    return Build(root / "work", root / "dist")


def _program_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    return env | {"BOU_DESKTOP_HOME": str(home)} | extra


def test_both_programs_and_the_data_are_in_the_bundle(built):
    assert built.gui.is_file() and built.cli.is_file()
    assert (built.internal / "forms" / "kommunenkat.toml").is_file()  # sys._MEIPASS is _internal (PyInstaller >= 6)
    assert (built.internal / "resources" / "kommuner.csv").is_file()
    assert (built.internal / "resources" / "icons" / "bou-desktop.svg").is_file()
    assert not list(built.internal.rglob("*Qt6Quick*")) and not list(built.internal.rglob("*Qt6WebEngine*"))


def test_version(built, tmp_path):
    for program in (built.cli, built.gui):
        result = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=60,
                                env=_program_env(tmp_path))
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"BoU Desktop {built.version}"


def test_selftest(built, tmp_path):
    result = subprocess.run([built.cli, "--selftest"], capture_output=True, text=True, timeout=300,
                            env=_program_env(tmp_path / "home"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    assert re.fullmatch(rf"BoU Desktop {re.escape(built.version)}: självtestet gick igenom "
                        r"\(formulär, kommunregister, databas, PDF, Excel, Word, Qt 6\.[0-9.]+\)", lines[0])
    assert not (tmp_path / "home").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="checks ELF libraries with ldd")
def test_no_qt_library_is_missing(built):
    """The spec leaves out Qt libraries only unused plugins need: every kept file still finds its Qt libraries."""
    if shutil.which("ldd") is None:
        pytest.skip("ldd is not installed")
    missing = set()
    env = os.environ | {"LD_LIBRARY_PATH": str(built.internal)}
    for path in built.internal.rglob("*.so*"):
        if path.is_symlink() or not path.is_file():
            continue
        out = subprocess.run(["ldd", path], capture_output=True, text=True, env=env).stdout
        missing.update(f"{path.name}: {name}" for name in re.findall(r"(libQt6\S+) => not found", out))
    assert not missing


# ----------------------------------------------------------------------------- the window, under Xvfb
def _x_tools_or_skip() -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the window test uses Xvfb (Linux)")
    tools = ("Xvfb", "xwininfo", "xdotool", "import")
    absent = [tool for tool in tools if shutil.which(tool) is None]
    if absent:
        if os.geteuid() == 0 and Path("/etc/debian_version").exists():
            pytest.fail(f"{', '.join(absent)} saknas; .ci/run installerar dem (xvfb x11-utils xdotool imagemagick)")
        pytest.skip(f"{', '.join(absent)} not installed")


@pytest.fixture
def xvfb():
    """A private X server on a free display (Xvfb picks it and writes its number to a pipe)."""
    _x_tools_or_skip()
    read_end, write_end = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                              pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as pipe:
            number = pipe.readline().strip().decode()
        assert number.isdigit(), "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _windows(display: str) -> list[tuple[str, str, int, int]]:
    """Every window on the display: (id, title, width, height)."""
    out = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True,
                         env=os.environ | {"DISPLAY": display}, timeout=30).stdout
    return [(m[1], m[2], int(m[3]), int(m[4]))
            for m in re.finditer(r'^\s*(0x[0-9a-f]+) "(.*)": \(.*?\)\s+(\d+)x(\d+)\+', out, re.MULTILINE)]


def _main_window(display: str, program: subprocess.Popen, timeout: float = 60) -> tuple[str, str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for window_id, title, width, height in _windows(display):
            if "BoU Desktop" in title and width >= 200 and height >= 100:
                return window_id, title
        if program.poll() is not None:
            break
        time.sleep(0.5)
    return "", ""


def test_the_windowed_program_opens_its_window(built, xvfb, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    # A saved profile, so that the main window opens at once (the profile dialog is titled "Profil").
    (home / "settings.json").write_text(json.dumps({"role": "ledare", "region": "Östergötland"}), encoding="utf-8")
    env = _program_env(home, DISPLAY=xvfb)
    program = subprocess.Popen([built.gui, "--db", str(tmp_path / "db.sqlite")], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        window_id, title = _main_window(xvfb, program)
        assert window_id, f"no window titled BoU Desktop; windows: {_windows(xvfb)}"
        assert title.startswith("BoU Desktop")
        time.sleep(1)  # let it paint
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / "packaged-window.png"
        subprocess.run(["import", "-window", "root", str(shot)], env=os.environ | {"DISPLAY": xvfb}, check=True,
                       timeout=60)
        assert shot.stat().st_size > 5_000
        # Close it as a user would: Ctrl+Q (Arkiv → Avsluta) in the focused window.
        subprocess.run(["xdotool", "windowfocus", "--sync", window_id], env=env, check=True, timeout=30)
        subprocess.run(["xdotool", "key", "--clearmodifiers", "ctrl+q"], env=env, check=True, timeout=30)
        program.wait(timeout=30)
    finally:
        if program.poll() is None:
            program.terminate()
        out, err = program.communicate(timeout=30)
    assert program.returncode == 0, err
    assert (tmp_path / "db.sqlite").is_file()
