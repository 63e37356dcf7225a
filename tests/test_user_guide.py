"""The user guide (docs/anvandarguide.md): its pictures are what the program shows, and it names real menus.

The pictures are made again with `python -m bou_desktop.tools.screenshots` (in its own process: it sets
its own font and style) and compared with the committed ones. When the program's look changes on
purpose, run that command and commit docs/bilder/.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtGui import QImage  # noqa: E402

from bou_desktop import core  # noqa: E402
from bou_desktop.gui.first_run import STEPS  # noqa: E402
from bou_desktop.tools.screenshots import SHOTS  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
GUIDE = REPO / "docs" / "anvandarguide.md"
PICTURES = REPO / "docs" / "bilder"
# Mean absolute difference per colour channel (0–255) allowed between a new and a committed picture:
# room for another FreeType or Python version (the About dialog shows it), far below a changed view.
TOLERANCE = 1.5
UPDATE = "Gör om bilderna med: python -m bou_desktop.tools.screenshots"
MENU_PATH = re.compile(r"(Arkiv|Redigera|Visa|Svar|Hjälp) → ([^\n*]+)")


def referenced_pictures() -> list[str]:
    return re.findall(r"!\[[^\]]+\]\(bilder/([^)]+)\)", GUIDE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bilder")
    result = subprocess.run([sys.executable, "-m", "bou_desktop.tools.screenshots", "--out", str(out)],
                            capture_output=True, text=True, timeout=600, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr  # no Qt warnings either
    return out


def mean_difference(first: QImage, second: QImage) -> float:
    """Mean absolute difference per channel of two images of the same size."""
    a = first.convertToFormat(QImage.Format.Format_RGB888)
    b = second.convertToFormat(QImage.Format.Format_RGB888)
    bytes_a, bytes_b = bytes(a.constBits()), bytes(b.constBits())
    if bytes_a == bytes_b:
        return 0.0
    return sum(abs(x - y) for x, y in zip(bytes_a, bytes_b, strict=True)) / len(bytes_a)


def test_the_script_makes_every_picture(regenerated):
    assert sorted(p.name for p in regenerated.iterdir()) == sorted(SHOTS)


@pytest.mark.parametrize("name", list(SHOTS))
def test_a_picture_matches_the_committed_one(regenerated, name):
    committed, new = QImage(str(PICTURES / name)), QImage(str(regenerated / name))
    assert not committed.isNull(), f"docs/bilder/{name} saknas. {UPDATE}"
    assert not new.isNull()
    assert new.size() == committed.size(), f"{name}: {new.size()} i stället för {committed.size()}. {UPDATE}"
    difference = mean_difference(new, committed)
    assert difference <= TOLERANCE, f"{name} skiljer sig ({difference:.2f} per kanal). {UPDATE}"


def test_pictures_show_real_content():
    """No blank picture: each has many colours (text, frames), not one flat background."""
    for name in SHOTS:
        image = QImage(str(PICTURES / name)).convertToFormat(QImage.Format.Format_RGB888)
        assert image.width() >= 400 and image.height() >= 120, name
        data = bytes(image.constBits())
        assert len(set(data[i:i + 3] for i in range(0, len(data), 3 * 7))) > 20, name


def test_every_picture_in_the_guide_exists_and_every_picture_is_in_the_guide():
    referenced = referenced_pictures()
    assert referenced and len(referenced) == len(set(referenced))
    committed = sorted(p.name for p in PICTURES.glob("*.png"))
    assert sorted(referenced) == committed
    assert sorted(committed) == sorted(SHOTS)


@pytest.fixture
def menus(qtbot, tmp_path) -> dict[str, dict[str, str]]:
    """menu title -> {item text: shortcut}, as the main window shows them."""
    from bou_desktop.gui.main_window import MainWindow
    from bou_desktop.settings import Settings

    window = MainWindow(core.open_store(tmp_path / "meny.sqlite"), Settings(role="ledare", region="Östergötland"))
    qtbot.addWidget(window)
    found = {}
    for top in window.menuBar().actions():
        items = {a.text().replace("&", ""): a.shortcut().toString() for a in top.menu().actions() if not a.isSeparator()}
        found[top.text().replace("&", "")] = items
    return found


def check_menu_paths(text: str, menus: dict[str, dict[str, str]]) -> int:
    """Every "Meny → Kommando" in the text names a real menu item, with its real shortcut after it."""
    checked = 0
    for menu, rest in MENU_PATH.findall(text):
        items = [item for item in menus[menu] if rest.startswith(item)]
        assert items, f"{menu} → {rest[:40]!r} finns inte i menyn {menu}: {list(menus[menu])}"
        item = max(items, key=len)
        after = re.match(r"\**\s*\(([^)]+)\)", rest[len(item):])
        if after and re.fullmatch(r"(Ctrl\+\S+|F\d+)", after.group(1)):
            assert after.group(1) == menus[menu][item], f"{menu} → {item}: {after.group(1)} ≠ {menus[menu][item]}"
        checked += 1
    return checked


def test_the_guide_names_real_menu_items_and_shortcuts(menus):
    assert check_menu_paths(GUIDE.read_text(encoding="utf-8"), menus) >= 20


def test_how_it_works_names_real_menu_items_and_shortcuts(menus):
    for _intro, steps in STEPS.values():
        assert check_menu_paths(" ".join(text for _heading, text in steps), menus) >= 1


def test_the_guide_covers_the_three_roles_backups_and_questions():
    text = GUIDE.read_text(encoding="utf-8")
    for heading in ("## Installera och starta", "## Första starten", "## Utvecklingsledare", "## Kommun", "## SKL",
                    "## Kortkommandon", "## Säkerhetskopior och återställning", "## Vanliga frågor och felmeddelanden"):
        assert heading in text
    for anchor in re.findall(r"\]\(#([^)]+)\)", text):
        headings = [re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-")
                    for h in re.findall(r"^#+ (.+)$", text, flags=re.MULTILINE)]
        assert anchor in headings, anchor


def test_the_guide_quotes_the_programs_own_words(qtbot, tmp_path):
    """What the guide tells a person to look for is what the program shows."""
    from PySide6.QtWidgets import QPushButton

    from bou_desktop.gui import crash_report
    from bou_desktop.gui.file_dialogs import FILE_NAME as FOLDERS_FILE
    from bou_desktop.gui.main_window import DEMO_MARK

    text = " ".join(GUIDE.read_text(encoding="utf-8").split())
    assert f"”{DEMO_MARK}”" in text
    dialog = crash_report.error_dialog(RuntimeError("hittepå"), "detaljer", tmp_path / "bou-desktop.log")
    qtbot.addWidget(dialog)
    quoted = "Något gick fel i programmet: "
    assert dialog.message.text().startswith(quoted + "hittepå") and f"”{quoted}…”" in text
    assert "Inget som redan är sparat har gått förlorat" in dialog.message.text()
    assert "Kopiera detaljer" in [b.text() for b in dialog.findChildren(QPushButton)]
    assert "**Kopiera detaljer**" in text
    assert f"logg\\{crash_report.log_path().name}" in text and f"`{FOLDERS_FILE}`" in text
