"""A child process for the start-up and memory benchmarks; run by bench/cases.py, not by hand.

    python bench/probe_gui.py bare              a bare PySide6 main window, the floor
    python bench/probe_gui.py bare-text         the same showing one line of text (for comparison)
    python bench/probe_gui.py app DB            BoU Desktop's own start (cli.main), on database DB
    python bench/probe_gui.py app-tour DB       the same, then every view shown, for peak memory

Each prints "painted" when its main window has painted for the first time; the tours print
"peak <bytes>" at the end. The parent times the process from its start to the "painted" line, so the
interpreter's own start is in both figures alike.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget


def _peak_bytes() -> int:
    """Peak resident memory of this process.

    On Linux from /proc (VmHWM): getrusage's ru_maxrss survives exec, so a child started by a
    big parent would report the parent's size.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource  # not on Windows

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # Linux gives KiB


class FirstPaint(QObject):
    """Reports the first paint of a main window, then runs `after`."""

    def __init__(self, after) -> None:
        super().__init__()
        self.after = after
        self.done = False

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt API)
        if not self.done and event.type() == QEvent.Type.Paint and isinstance(watched, QMainWindow):
            self.done = True
            print("painted", flush=True)
            QTimer.singleShot(0, lambda: self.after(watched))
        return False


def tour(window: QMainWindow) -> None:
    """Show every tab, and in the questionnaire every municipality of the region, painting each."""
    app = QApplication.instance()
    tabs = window.findChild(QTabWidget)
    if tabs is not None:
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            app.processEvents()
            window.grab()
        tabs.setCurrentIndex(0)
    model = getattr(window, "proxy", None)
    view = getattr(window, "list", None)
    if model is not None and view is not None:
        for row in range(model.rowCount()):
            view.setCurrentIndex(model.index(row, 0))
            app.processEvents()
            window.grab()
    print(f"peak {_peak_bytes()}", flush=True)
    app.quit()


def main(argv: list[str]) -> int:
    mode = argv[0]
    after = tour if mode.endswith("tour") else (lambda _window: QApplication.instance().quit())
    spy = FirstPaint(after)
    if mode.startswith("bare"):
        app = QApplication(sys.argv[:1])
        app.installEventFilter(spy)
        window = QMainWindow()
        window.resize(1280, 720)
        if mode == "bare-text":  # the same with one line of text: Qt's one-time font set-up included
            from PySide6.QtWidgets import QLabel

            window.setCentralWidget(QLabel("Välj en kommun i listan."))
        window.show()
        return app.exec()

    import bou_desktop.gui.app as gui_app
    from bou_desktop.cli import main as cli_main

    original = gui_app.ensure_app

    def ensure_app_with_spy():
        app = original()
        app.installEventFilter(spy)
        return app

    gui_app.ensure_app = ensure_app_with_spy
    return cli_main(["--db", str(Path(argv[1]))])


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(json.dumps({"usage": __doc__}))
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
