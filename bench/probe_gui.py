"""A child process for the start-up and memory benchmarks; run by bench/cases.py, not by hand.

    python bench/probe_gui.py bare              a bare PySide6 main window, the floor
    python bench/probe_gui.py bare-text         the same showing one line of text (for comparison)
    python bench/probe_gui.py app DB            BoU Desktop's own start (cli.main), on database DB
    python bench/probe_gui.py app-tour DB       the same, then every view shown, for peak memory

Each prints "painted" when its main window has painted for the first time; the tours print
"peak <bytes>" at the end. The parent times the process from its start to the "painted" line, so the
interpreter's own start is in both figures alike.

In the app modes the probe imports nothing of its own before BoU Desktop's entry point runs: the
order in which modules are first imported matters to start-up time (gui/app.py says why), so the
hook on the main window is put in place by an import hook, at the moment the app imports it.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import json
import sys
from pathlib import Path


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


def report_first_paint(window_class, after) -> None:
    """Print "painted" at the first paint of a `window_class` window, then run `after` with it.

    The hook is an override of the class's paintEvent, so only that window's paint events reach
    Python. An event filter on the whole application would not do: PySide6 would then wrap every
    event of every widget in a Python object, and with a few child widgets that alone costs tens
    of milliseconds before the first paint, which is the probe measuring itself.
    """
    from PySide6.QtCore import QTimer

    original = window_class.paintEvent
    state = {"done": False}

    def paint_event(window, event) -> None:
        original(window, event)
        if not state["done"]:
            state["done"] = True
            print("painted", flush=True)
            QTimer.singleShot(0, lambda: after(window))

    window_class.paintEvent = paint_event


class _PatchWhenImported(importlib.abc.MetaPathFinder):
    """Runs `patch(module)` right after `name` is first imported, by whoever imports it."""

    def __init__(self, name: str, patch) -> None:
        self.name, self.patch = name, patch

    def find_spec(self, fullname, path, target=None):
        if fullname != self.name:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        loader, patch = spec.loader, self.patch

        class Loader(importlib.abc.Loader):
            def create_module(self, spec):
                return loader.create_module(spec)

            def exec_module(self, module):
                loader.exec_module(module)
                patch(module)

        spec.loader = Loader()
        return spec


def tour(window) -> None:
    """Show every tab, and in the questionnaire every municipality of the region, painting each."""
    from PySide6.QtWidgets import QApplication, QTabWidget

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


def quit_app(_window) -> None:
    from PySide6.QtWidgets import QApplication

    QApplication.instance().quit()


def main(argv: list[str]) -> int:
    mode = argv[0]
    after = tour if mode.endswith("tour") else quit_app
    if mode.startswith("bare"):
        from PySide6.QtWidgets import QApplication, QMainWindow

        app = QApplication(sys.argv[:1])

        class BareWindow(QMainWindow):
            pass

        report_first_paint(BareWindow, after)
        window = BareWindow()
        window.resize(1280, 720)
        if mode == "bare-text":  # the same with one line of text: Qt's one-time font set-up included
            from PySide6.QtWidgets import QLabel

            window.setCentralWidget(QLabel("Välj en kommun i listan."))
        window.show()
        return app.exec()

    sys.meta_path.insert(0, _PatchWhenImported(
        "bou_desktop.gui.main_window", lambda module: report_first_paint(module.MainWindow, after)))
    from bou_desktop.cli import main as cli_main

    return cli_main(["--db", str(Path(argv[1]))])


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(json.dumps({"usage": __doc__}))
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
