"""Build the BoU Desktop program folder (and on Windows, optionally, its installer) from a clean state.

    python packaging/build.py                  # from a clean clone of the repository's HEAD
    python packaging/build.py --source .       # from the working tree as it is (for trying out changes)
    python packaging/build.py --installer      # Windows: also the Inno Setup installer

Steps: (1) a clean `git clone` of HEAD (or, with --source, a copy of the tree's tracked and untracked,
not ignored files) in the work folder; (2) a fresh venv there with the project and its `build` extra
(PyInstaller); (3) PyInstaller with packaging/bou-desktop.spec; (4) the built program's --version and
--selftest; (5) with --installer, Inno Setup's compiler on packaging/windows/bou-desktop.iss.
Prints the built program's path on the last line; exits non-zero if any step fails.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
APP_FOLDER = "bou-desktop"  # COLLECT's name in the spec
WINDOWS = sys.platform == "win32"


class BuildError(Exception):
    pass


def log(message: str) -> None:
    print(f"[build] {message}", flush=True)


def run(command: list[str | Path], **kwargs) -> subprocess.CompletedProcess:
    log("$ " + " ".join(str(part) for part in command))
    result = subprocess.run([str(part) for part in command], **kwargs)
    if result.returncode != 0:
        raise BuildError(f"kommandot misslyckades (kod {result.returncode}): {Path(str(command[0])).name} …")
    return result


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


def version_of(source: Path) -> str:
    text = (source / "bou_desktop" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if not found:
        raise BuildError("hittar inte __version__ i bou_desktop/__init__.py")
    return found[1]


def clean_clone(repo: Path, target: Path) -> str:
    """A fresh clone of the repository's HEAD commit (what CI builds); returns the commit."""
    commit = git(repo, "rev-parse", "HEAD").strip()
    if git(repo, "status", "--porcelain", "--untracked-files=no").strip():
        log("Obs: arbetskopian har ändringar som inte är incheckade; de kommer inte med (bygg med --source för dem).")
    run(["git", "clone", "--quiet", "--no-hardlinks", repo, target])
    if git(target, "rev-parse", "HEAD").strip() != commit:
        run(["git", "-C", target, "checkout", "--quiet", "--detach", commit])
    return commit


def copy_tree(source: Path, target: Path) -> None:
    """The tree's tracked and untracked, not ignored files (as `git add -A` would see them)."""
    if (source / ".git").exists():
        listed = git(source, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
        names = sorted({name for name in listed if name and (source / name).is_file()})
    else:
        skip = {".git", ".venv", "venv", "build", "dist", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis"}
        names = [str(path.relative_to(source)) for path in source.rglob("*")
                 if path.is_file() and not skip & set(path.relative_to(source).parts)]
    for name in names:
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / name, destination)
    log(f"Kopierade {len(names)} filer från {source}")


def venv_python(folder: Path) -> Path:
    return folder / ("Scripts/python.exe" if WINDOWS else "bin/python")


def built_program(dist: Path, console: bool) -> Path:
    name = "bou-desktop-cli" if console else "bou-desktop"
    if sys.platform == "darwin" and not console:
        return dist / "BoU Desktop.app" / "Contents" / "MacOS" / name
    return dist / APP_FOLDER / (name + (".exe" if WINDOWS else ""))


def check_program(dist: Path, version: str) -> str:
    """The built console program's --version and --selftest; returns the self-test's line."""
    for console in (False, True):
        if not built_program(dist, console).is_file():
            raise BuildError(f"programmet byggdes inte: {built_program(dist, console)} saknas")
    program = built_program(dist, console=True)
    result = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=120)
    if result.returncode != 0 or result.stdout.strip() != f"BoU Desktop {version}":
        raise BuildError(f"--version gav {result.stdout.strip()!r} (kod {result.returncode}): {result.stderr.strip()}")
    result = subprocess.run([program, "--selftest"], capture_output=True, text=True, timeout=300)
    line = (result.stdout or result.stderr).strip()
    if result.returncode != 0:
        raise BuildError(f"självtestet i det byggda programmet misslyckades: {line}")
    return line


def find_iscc() -> Path | None:
    found = shutil.which("iscc") or shutil.which("ISCC")
    if found:
        return Path(found)
    for base in (os.environ.get("ProgramFiles(x86)"), os.environ.get("ProgramFiles"), os.environ.get("LOCALAPPDATA")):
        if base:
            for candidate in (Path(base) / "Inno Setup 6" / "ISCC.exe", Path(base) / "Programs" / "Inno Setup 6" / "ISCC.exe"):
                if candidate.is_file():
                    return candidate
    return None


def build_installer(source: Path, dist: Path, version: str) -> Path:
    if not WINDOWS:
        raise BuildError("installationsprogrammet (Inno Setup) byggs bara på Windows")
    iscc = find_iscc()
    if iscc is None:
        raise BuildError("Inno Setup 6 (ISCC.exe) hittas inte; installera det från https://jrsoftware.org/isinfo.php")
    numeric = re.match(r"\d+(\.\d+){0,3}", version)[0]  # Windows' file version: numbers only ("0.2.0rc1" -> "0.2.0")
    run([iscc, "/Q", f"/DAppVersion={version}", f"/DNumericVersion={numeric}", f"/DSourceDir={dist / APP_FOLDER}",
         f"/DOutputDir={dist}", f"/DRepoDir={source}", source / "packaging" / "windows" / "bou-desktop.iss"])
    installer = dist / f"bou-desktop-{version}-setup.exe"
    if not installer.is_file():
        raise BuildError(f"Inno Setup skrev inte {installer}")
    return installer


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def build(args: argparse.Namespace) -> Path:
    work, dist = args.work.resolve(), args.dist.resolve()
    source, env_dir = work / "src", work / "venv"
    for folder in (source, env_dir, work / "pyinstaller"):
        if folder.exists():
            shutil.rmtree(folder)
    work.mkdir(parents=True, exist_ok=True)

    started = time.monotonic()
    if args.source is not None:
        copy_tree(args.source.resolve(), source)
    else:
        log(f"Klonar {REPO} (incheckad HEAD {clean_clone(REPO, source)[:12]})")
    version = version_of(source)
    spec = source / "packaging" / "bou-desktop.spec"
    if not spec.is_file():
        raise BuildError(f"{spec.relative_to(source)} saknas i källan (är det incheckat?)")

    log(f"Ny venv i {env_dir}")
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = venv_python(env_dir)
    quiet = [] if args.verbose else ["--quiet"]
    run([python, "-m", "pip", "install", *quiet, "--disable-pip-version-check", f"{source}[build]"])

    log_level = [] if args.verbose else ["--log-level", "WARN"]
    run([python, "-m", "PyInstaller", "--noconfirm", "--clean", *log_level, "--distpath", dist,
         "--workpath", work / "pyinstaller", spec], cwd=source)

    line = check_program(dist, version)
    log(line)
    if args.installer:
        log(f"Installationsprogram: {build_installer(source, dist, version)}")
    size = folder_size(dist / APP_FOLDER)
    log(f"Klart på {time.monotonic() - started:.0f} s; {dist / APP_FOLDER} är {size / 1e6:.0f} MB")
    return built_program(dist, console=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Bygg BoU Desktop med PyInstaller från ett rent läge.")
    parser.add_argument("--source", type=Path, help="bygg från den här mappen (arbetskopian) i stället för en ren klon av HEAD")
    parser.add_argument("--work", type=Path, default=REPO / "build" / "package", help="arbetsmapp (klon, venv, PyInstallers filer)")
    parser.add_argument("--dist", type=Path, default=REPO / "dist", help="mapp för det byggda programmet")
    parser.add_argument("--installer", action="store_true", help="bygg också installationsprogrammet (Windows, Inno Setup 6)")
    parser.add_argument("--verbose", action="store_true", help="visa pip:s och PyInstallers utskrifter")
    args = parser.parse_args(argv)
    try:
        program = build(args)
    except (BuildError, subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
        print(f"[build] Bygget misslyckades: {error}", file=sys.stderr)
        return 1
    print(program)
    return 0


if __name__ == "__main__":
    sys.exit(main())
