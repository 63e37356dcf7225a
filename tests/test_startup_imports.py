"""Start-up stays light (docs/performance.md): opening the main window on an existing database loads
none of the file-format libraries, nor sqlite-utils. Each is imported where it is first used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HEAVY = ("openpyxl", "reportlab", "sqlite_utils", "PySide6.QtPrintSupport")

OPEN_WINDOW = """
import sys
from bou_desktop import core
from bou_desktop.demo import fill_demo, fill_demo_national
from bou_desktop.gui.app import ensure_app
from bou_desktop.gui.main_window import MainWindow
from bou_desktop.settings import Settings

app = ensure_app()
store = core.open_store(sys.argv[1])
fill_demo(store)            # already filled: must return without work
fill_demo_national(store)   # likewise
window = MainWindow(store, Settings(role="ledare", region="Skåne", name="Test"))
window.show()
app.processEvents()
window.select_municipality("1281")  # a municipality opened: the questionnaire's form is built
app.processEvents()
print(" ".join(sorted(name for name in {HEAVY} if name in sys.modules)) or "none")
""".replace("{HEAVY}", repr(HEAVY))


def run(code: str, *args: str, home: Path) -> str:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BOU_DESKTOP_HOME": str(home)}
    completed = subprocess.run([sys.executable, "-c", code, *args], cwd=REPO, env=env, capture_output=True,
                               text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return completed.stdout.strip().splitlines()[-1]


def test_opening_the_main_window_loads_no_file_format_library(tmp_path):
    database = tmp_path / "demo.sqlite"
    prepare = ("import sys\nfrom bou_desktop import core\nfrom bou_desktop.demo import fill_demo, fill_demo_national\n"
               "store = core.open_store(sys.argv[1])\nprint(fill_demo(store), fill_demo_national(store))\n")
    written, county_files = map(int, run(prepare, str(database), home=tmp_path).split())
    assert written > 100 and county_files > 10  # the demo really has answers and county files
    assert run(OPEN_WINDOW, str(database), home=tmp_path) == "none"


REAL_START = """
import gc, sys
from bou_desktop import cli
import bou_desktop.gui.app as gui_app

seen = []
original = gui_app.open_main_window

def watched(*args, **kwargs):
    seen.append(("building", gc.isenabled()))
    window = original(*args, **kwargs)
    from PySide6 import QtCore
    from PySide6.QtWidgets import QApplication

    def painted():  # the window is up and painted, the start's put-off work not done yet
        seen.append(("painted", window.isVisible(), "Qt" in vars(QtCore), gc.isenabled()))

    def later():
        seen.append(("after", "Qt" in vars(QtCore), gc.isenabled(), gc.get_freeze_count() > 0))
        QApplication.instance().quit()

    QtCore.QTimer.singleShot(gui_app.AFTER_START_MS // 2, painted)
    QtCore.QTimer.singleShot(gui_app.AFTER_START_MS + 500, later)
    return window

gui_app.open_main_window = watched
status = cli.main(["--db", sys.argv[1]])
print(seen, gc.isenabled(), status)
"""


def test_the_start_puts_off_the_garbage_collector_and_the_qt_namespace_until_the_window_is_up(tmp_path):
    """docs/performance.md: both would cost the start about 25 ms; they are done a second later."""
    from bou_desktop.settings import Settings, save_settings

    save_settings(Settings(role="ledare", region="Skåne", name="Test", email="test@example.se"),
                  tmp_path / "settings.json")
    last = run(REAL_START, str(tmp_path / "db.sqlite"), home=tmp_path)
    assert last == "[('building', False), ('painted', True, False, False), ('after', True, True, True)] True 0"


UNTIL_PAINTED = """
import sys
from bou_desktop import cli, core
import bou_desktop.gui.app as gui_app

original = gui_app.open_main_window

def watched(*args, **kwargs):
    window = original(*args, **kwargs)
    from PySide6 import QtCore
    from PySide6.QtWidgets import QApplication

    def painted():
        loaded = [name for name in ("hashlib", "decimal", "tomllib") if name in sys.modules]
        print(window.isVisible(), loaded, core.forms.cache_info().currsize, flush=True)
        QApplication.instance().quit()

    QtCore.QTimer.singleShot(gui_app.AFTER_START_MS // 2, painted)
    return window

gui_app.open_main_window = watched
cli.main(["--db", sys.argv[1]])
"""


def test_the_start_reads_neither_the_forms_folder_nor_loads_what_only_later_work_needs(tmp_path):
    """docs/performance.md: an existing database's rounds keep their forms, so the forms folder is read
    only when a round is started; the recovery file's name (hashlib) is worked out only when there is
    one; numbers (decimal) are read only when a form is answered."""
    from bou_desktop.settings import Settings, save_settings

    database = tmp_path / "db.sqlite"
    save_settings(Settings(role="ledare", region="Skåne", name="Test", email="test@example.se"),
                  tmp_path / "settings.json")
    run("import sys\nfrom bou_desktop import core\ncore.open_store(sys.argv[1]).close()\nprint('ok')",
        str(database), home=tmp_path)
    assert run(UNTIL_PAINTED, str(database), home=tmp_path) == "True [] 0"


QUESTIONNAIRE_ON_DEMAND = """
import sys
from bou_desktop import core
from bou_desktop.gui.app import ensure_app
from bou_desktop.gui.main_window import MainWindow
from bou_desktop.settings import Settings

app = ensure_app()
window = MainWindow(core.open_store(sys.argv[1]), Settings(role="ledare", region="Skåne", name="Test"))
window.show()
app.processEvents()
before = "bou_desktop.gui.questionnaire" in sys.modules
page_text = [label.text() for label in window.questionnaire_page.findChildren(type(window.progress))]
window.select_municipality("1281")
app.processEvents()
view = window.questionnaire
print(before, page_text == [view.empty_label.text()], view.kommun, view.isVisible(), view.undo_stack is window.undo_stack)
"""


def test_the_questionnaire_is_built_when_a_municipality_is_first_chosen(tmp_path):
    """Until then the page shows what the empty questionnaire would show; the Edit menu's undo is ready."""
    last = run(QUESTIONNAIRE_ON_DEMAND, str(tmp_path / "db.sqlite"), home=tmp_path)
    assert last == "False True 1281 True True"
