"""The benchmarks of issue 8, each measured against a floor in the same run.

Every case takes a `Context` and returns one or more `Result`s. Cases that drive the GUI run on
Qt's offscreen platform, in this process (autosave, import) or in child processes (start-up, memory).
Each case also checks that the work it timed was really done (the answers committed, the files
imported), so that a fast figure cannot come from work skipped.
"""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .data import BenchData
from .measure import Result, command_time, median, median_time, percentile, run_until_line, timed

PROBE = Path(__file__).resolve().parent / "probe_gui.py"
LARGEST_REGION = "Skåne"
MB = 1024 * 1024


@dataclass
class Context:
    data: BenchData
    work: Path  # scratch folder for copies and outputs
    quick: bool = False

    def repeats(self, full: int, quick: int = 1) -> int:
        return quick if self.quick else full

    def copy_of(self, database: Path, name: str) -> Path:
        """A fresh copy of a database, so a case never changes the shared data set."""
        target = self.work / name
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(database, target)
        return target

    def child_env(self, home: Path) -> dict[str, str]:
        """The environment of a GUI child: offscreen, its own data folder with a leader's profile."""
        from bou_desktop.settings import Settings, save_settings

        home.mkdir(parents=True, exist_ok=True)
        save_settings(Settings(role="ledare", region=LARGEST_REGION, name="Bänk Utvecklingsledare",
                               email="bank@example.se"), home / "settings.json")
        env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
        env.update({"QT_QPA_PLATFORM": "offscreen", "BOU_DESKTOP_HOME": str(home), "PYTHONDONTWRITEBYTECODE": "1"})
        repo = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = repo + os.pathsep + env.get("PYTHONPATH", "") if env.get("PYTHONPATH") else repo
        return env


def qt_app():
    from bou_desktop.gui.app import ensure_app

    return ensure_app()


def leader_window(store):
    from bou_desktop.gui.main_window import MainWindow
    from bou_desktop.settings import Settings

    window = MainWindow(store, Settings(role="ledare", region=LARGEST_REGION, name="Bänk Utvecklingsledare"))
    window.show()
    qt_app().processEvents()
    return window


# ----------------------------------------------------------------------------- start-up and memory
def startup(ctx: Context) -> list[Result]:
    """From process start to the main window painted, full database, against a bare PySide6 window."""
    env = ctx.child_env(ctx.work / "home-start")
    database = ctx.copy_of(ctx.data.full, "start.sqlite")
    app_args = [sys.executable, str(PROBE), "app", str(database)]
    bare_args = [sys.executable, str(PROBE), "bare"]
    text_args = [sys.executable, str(PROBE), "bare-text"]
    for args in (app_args, bare_args, text_args):  # the day's first start makes the daily backup: not timed
        run_until_line(args, env, "painted")
    app_times, bare_times, text_times = [], [], []
    for _ in range(ctx.repeats(15, 2)):  # interleaved, so a busy moment hits all alike
        app_times.append(run_until_line(app_args, env, "painted")[0])
        bare_times.append(run_until_line(bare_args, env, "painted")[0])
        text_times.append(run_until_line(text_args, env, "painted")[0])
    app, text = median(app_times), median(text_times)
    return [Result(
        "startup", "Start-up to the main window painted (290 answered, leader of Skåne)",
        app, "s", median(bare_times), "a bare PySide6 main window started the same way",
        1.5, "ratio", "at most 1.5× the floor",
        notes=[f"against a bare window showing one line of text ({text * 1000:.0f} ms), {app / text:.2f}×"],
        extra={"app_min": min(app_times), "bare_min": min(bare_times), "bare_text": text},
    )]


def memory(ctx: Context) -> list[Result]:
    """Peak resident memory of the GUI on the full database after every view has been shown."""
    env = ctx.child_env(ctx.work / "home-memory")
    database = ctx.copy_of(ctx.data.full, "memory.sqlite")
    peaks, floors = [], []
    for _ in range(ctx.repeats(3, 1)):
        peaks.append(int(run_until_line([sys.executable, str(PROBE), "app-tour", str(database)], env, "peak")[1].split()[1]))
        floors.append(int(run_until_line([sys.executable, str(PROBE), "bare-tour"], env, "peak")[1].split()[1]))
    return [Result(
        "memory", "Peak memory of the GUI, full database, every tab and every municipality of the region shown",
        median(peaks) / MB, "MB", median(floors) / MB, "peak memory of a bare PySide6 main window",
        300, "value", "at most 300 MB",
    )]


# ----------------------------------------------------------------------------- autosave
def _sqlite_commit_floor(folder: Path, changes: int) -> list[float]:
    """One-row commits on a bare sqlite3 connection with the store's durability settings."""
    path = folder / "floor.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)")
    times = []
    for i in range(changes):
        start = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT OR REPLACE INTO t VALUES (?, ?)", (f"q4.{i % 8}", "X" if i % 2 else "0"))
        connection.execute("COMMIT")
        times.append(time.perf_counter() - start)
    connection.close()
    return times


def autosave(ctx: Context) -> list[Result]:
    """An answer ticked in the questionnaire until it is committed, 1,000 times; p99."""
    from bou_desktop.core import open_store

    changes = 100 if ctx.quick else 1000
    app = qt_app()
    database = ctx.copy_of(ctx.data.full, "autosave.sqlite")
    store = open_store(database)
    round_ = store.round_for()
    kommun = store.municipalities(LARGEST_REGION)[0].code
    store.set_status(round_, kommun, "utkast", source="system", reason="bänktest")
    store.set_fields(round_, kommun, {"q1": "ja"}, source="system")
    window = leader_window(store)
    window.select_municipality(kommun)
    app.processEvents()
    view = window.questionnaire
    buttons = list(view.cards["q4"].buttons.items())
    reader = sqlite3.connect(database)  # a second connection sees only what is committed
    times = []
    for i in range(changes):
        option_id, button = buttons[i % len(buttons)]
        expected = not button.isChecked()
        start = time.perf_counter()
        button.click()
        times.append(time.perf_counter() - start)
        committed = reader.execute(
            "SELECT count(*) FROM answers a JOIN responses r ON r.id = a.response_id "
            "WHERE r.round_id = ? AND r.kommun = ? AND a.field = ?", (round_.id, kommun, f"q4.{option_id}"),
        ).fetchone()[0]
        if bool(committed) != expected:
            raise RuntimeError(f"change {i} ({option_id}) was not committed when the click returned")
        if i % 50 == 0:
            app.processEvents()
    reader.close()
    window.close()
    window.deleteLater()
    app.processEvents()
    floor = _sqlite_commit_floor(ctx.work, changes)
    return [Result(
        "autosave", f"Autosave: a tick in the questionnaire until committed, p99 over {changes:,} changes",
        percentile(times, 99) * 1000, "ms", percentile(floor, 99) * 1000,
        "p99 of a one-row commit on bare sqlite3 (WAL, synchronous=FULL)",
        10, "value", "p99 at most 10 ms",
        extra={"median_ms": median(times) * 1000, "max_ms": max(times) * 1000},
    )]


# ----------------------------------------------------------------------------- import
class GapWatch:
    """A 10 ms timer on the GUI thread: the longest gap between its ticks is the longest freeze."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.longest = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def __enter__(self) -> GapWatch:
        self.last = time.perf_counter()
        self.timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._tick()
        self.timer.stop()


def import_svarsfiler(ctx: Context) -> list[Result]:
    """290 Excel svarsfiler imported in the GUI, with its progress dialog, into an empty database."""
    from openpyxl import load_workbook
    from PySide6.QtWidgets import QWidget

    from bou_desktop.core import open_store
    from bou_desktop.exchange.importer import Outcome
    from bou_desktop.gui.import_dialogs import import_with_progress

    files = ctx.data.some_svarsfiler(30) if ctx.quick else ctx.data.svarsfiler
    app = qt_app()
    parent = QWidget()
    parent.resize(900, 600)
    parent.show()
    app.processEvents()
    times, gaps, floors = [], [], []
    for attempt in range(ctx.repeats(5)):  # this machine varies by a third from run to run: take five
        floors.append(timed(lambda: [load_workbook(path) for path in files]))
        database = ctx.work / f"import-{attempt}.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        store = open_store(database)
        with GapWatch() as watch:
            start = time.perf_counter()
            results = import_with_progress(parent, store, files, None)
            times.append(time.perf_counter() - start)
        gaps.append(watch.longest)
        imported = sum(1 for r in results if r.outcome is Outcome.IMPORTED)
        stored = len(store.responses(store.round_for(), with_fields=False))
        store.close()
        if imported != len(files) or stored != len(files):
            raise RuntimeError(f"import: {imported} imported, {stored} stored, of {len(files)} files")
    parent.close()
    parent.deleteLater()
    app.processEvents()
    n = len(files)
    return [
        Result("import", f"Import of {n} Excel svarsfiler in the GUI (progress dialog shown)",
               median(times), "s", median(floors), f"openpyxl merely loading the same {n} files",
               1.5, "ratio", "at most 1.5× the floor"),
        Result("import_gui", "Longest time the GUI thread was blocked during that import",
               max(gaps) * 1000, "ms", 10, "the watch timer's own interval (10 ms)",
               100, "value", "at most 100 ms"),
    ]


# ----------------------------------------------------------------------------- compilations
def _library_floor(folder: Path) -> float:
    """The fixed cost of our two writers: an empty one-sheet workbook and a one-page PDF."""
    from openpyxl import Workbook
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    def write() -> None:
        workbook = Workbook()
        workbook.active["A1"] = "Länssammanställning"
        workbook.save(folder / "floor.xlsx")
        buffer = io.BytesIO()
        SimpleDocTemplate(buffer).build([Paragraph("Länssammanställning", getSampleStyleSheet()["Normal"])])
        (folder / "floor.pdf").write_bytes(buffer.getvalue())

    write()
    return median_time(write, 7)


def county(ctx: Context) -> list[Result]:
    """The county compilation of the largest region (Skåne, 33) with its Excel file and PDF."""
    from bou_desktop.core import open_store
    from bou_desktop.exchange.county_export import CountyTargets, export_county

    store = open_store(ctx.copy_of(ctx.data.full, "county.sqlite"))
    round_ = store.round_for()
    targets = CountyTargets(xlsx=ctx.work / "county.xlsx", pdf=ctx.work / "county.pdf")

    def run() -> None:
        export_county(store, round_, LARGEST_REGION, targets, overwrite=True, exported_by="Bänk")

    run()  # the first call loads fonts and modules: every later export in a session is like the rest
    value = median_time(run, ctx.repeats(7, 2))
    if targets.xlsx.stat().st_size < 5000 or not targets.pdf.read_bytes().startswith(b"%PDF"):
        raise RuntimeError("county export wrote no real files")
    answered = store.compile(round_, LARGEST_REGION).kommuner_svarat
    store.close()
    return [Result(
        "county", f"County compilation + Excel + PDF, {LARGEST_REGION} ({answered} municipalities)",
        value, "s", _library_floor(ctx.work), "an empty workbook and a one-page PDF written by the same libraries",
        1.0, "value", "at most 1 s",
    )]


def national(ctx: Context) -> list[Result]:
    """SKL's national report from the 24 county files: import, compile, PDF, into an empty database."""
    from openpyxl import load_workbook

    from bou_desktop.core import open_store
    from bou_desktop.exchange.importer import Outcome, import_files
    from bou_desktop.exchange.national_file import report_for
    from bou_desktop.exchange.national_pdf import national_pdf

    files = ctx.data.county_files
    counter = iter(range(1000))

    def run() -> None:
        database = ctx.work / f"national-{next(counter)}.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        store = open_store(database)
        results = import_files(store, files)
        if any(r.outcome is not Outcome.IMPORTED for r in results):
            raise RuntimeError("national: " + "; ".join(r.line() for r in results if r.outcome is not Outcome.IMPORTED))
        round_ = store.round_for()
        report = report_for(store, round_)
        (ctx.work / "national.pdf").write_bytes(national_pdf(report, store.form_of(round_), exported_by="Bänk"))
        store.close()
        if report.total.kommuner_svarat != 290:
            raise RuntimeError(f"national report counts {report.total.kommuner_svarat} municipalities, not 290")

    run()
    value = median_time(run, ctx.repeats(5, 1))
    floor = median_time(lambda: [load_workbook(path) for path in files], ctx.repeats(5, 1))
    return [Result(
        "national", "National report from the 24 county files: import, compile, PDF",
        value, "s", floor, "openpyxl merely loading the same 24 files",
        3.0, "value", "at most 3 s",
    )]


def rounds(ctx: Context) -> list[Result]:
    """Opening a database and compiling every region, 20 rounds against one round (interleaved)."""
    from bou_desktop.core import open_store

    one = ctx.copy_of(ctx.data.full, "rounds-1.sqlite")
    many = ctx.copy_of(ctx.data.rounds20, "rounds-20.sqlite")
    opened = {one: [], many: []}
    for _ in range(ctx.repeats(41, 3)):  # a couple of milliseconds each: many runs, taken in turn
        for database in (one, many):
            opened[database].append(timed(lambda database=database: open_store(database).close()))

    stores = {database: open_store(database) for database in (one, many)}
    compiled = {one: [], many: []}
    counts = {}
    for database, store in stores.items():
        round_ = store.round_for()
        regions = [r.name for r in store.regions()]
        if sum(store.compile(round_, r).kommuner_svarat for r in regions) != 290:
            raise RuntimeError(f"{database.name}: the latest round does not have 290 answers")
        counts[database] = len(store.rounds())
    for _ in range(ctx.repeats(9, 2)):
        for database, store in stores.items():
            round_ = store.round_for()
            compiled[database].append(timed(lambda store=store, round_=round_: [
                store.compile(round_, r.name) for r in store.regions()]))
    for store in stores.values():
        store.close()
    n = counts[many]
    return [
        Result("rounds_open", f"Opening the database: {n} rounds × 290 against 1 round",
               median(opened[many]), "s", median(opened[one]), "the same with one round",
               1.2, "ratio", "at most 1.2× one round"),
        Result("rounds_compile", f"Compiling all 24 regions of the latest round: {n} rounds × 290 against 1 round",
               median(compiled[many]), "s", median(compiled[one]), "the same with one round",
               1.2, "ratio", "at most 1.2× one round"),
    ]


# ----------------------------------------------------------------------------- rounds compared (issue 17)
def _opened(app, open_view, store) -> float:
    """Seconds to open (build, compile, show) a view of `store`; then it is closed and deleted, untimed."""
    start = time.perf_counter()
    view = open_view(store)
    elapsed = time.perf_counter() - start
    view.close()
    view.deleteLater()
    app.processEvents()
    return elapsed


def compare(ctx: Context) -> list[Result]:
    """The county view and the county report of the largest region beside the previous round, in the
    20-round database, against the same work on the one-round database (nothing to compare there); and
    SKL's national view the same way, on SKL's databases of county files."""
    from bou_desktop.core import open_store
    from bou_desktop.exchange.county_export import CountyTargets, export_county
    from bou_desktop.gui.county_view import CountyView

    app = qt_app()
    one = open_store(ctx.copy_of(ctx.data.full, "compare-1.sqlite"))
    many = open_store(ctx.copy_of(ctx.data.rounds20, "compare-20.sqlite"))
    stores = {"one": one, "many": many}

    def open_view(store) -> CountyView:
        view = CountyView(store, store.round_for(), LARGEST_REGION)
        view.resize(1366, 768)
        view.show()
        app.processEvents()
        return view

    def export(store, name: str) -> None:
        targets = CountyTargets(xlsx=ctx.work / f"compare-{name}.xlsx", pdf=ctx.work / f"compare-{name}.pdf")
        export_county(store, store.round_for(), LARGEST_REGION, targets, overwrite=True, exported_by="Bänk")

    views = {name: open_view(store) for name, store in stores.items()}  # the first view loads fonts and modules
    if views["many"].comparison is None or views["one"].comparison is not None:
        raise RuntimeError("compare: the 20-round view does not compare, or the one-round view does")
    if views["many"].comparison.year != many.round_for().year - 1:
        raise RuntimeError("compare: not compared with the previous round")
    for view in views.values():
        view.close()
        view.deleteLater()
    app.processEvents()
    for name, store in stores.items():
        export(store, name)
    opened: dict[str, list[float]] = {"one": [], "many": []}
    written: dict[str, list[float]] = {"one": [], "many": []}
    for _ in range(ctx.repeats(15, 2)):  # interleaved, so a busy moment hits both alike
        for name, store in stores.items():
            opened[name].append(_opened(app, open_view, store))
            written[name].append(timed(lambda store=store, name=name: export(store, name)))
    from openpyxl import load_workbook

    sheet = load_workbook(ctx.work / "compare-many.xlsx")["Länssammanställning"]
    if not any(str(c.value or "").startswith("Jämförs med omgången") for c in sheet["A"]):
        raise RuntimeError("compare: the report of the 20-round database is not compared")
    n = len(many.rounds())
    for store in stores.values():
        store.close()
    national_one, national_many = _compare_national(ctx, app)
    return [
        Result("compare_view", f"County view of {LARGEST_REGION} compared with the previous round: {n} rounds × 290 "
               "against the view of 1 round", median(opened["many"]), "s", median(opened["one"]),
               "the same view on one round (nothing to compare)", 1.2, "ratio", "at most 1.2× one round"),
        Result("compare_report", f"County report (Excel + PDF) of {LARGEST_REGION} compared with the previous round: "
               f"{n} rounds × 290 against 1 round", median(written["many"]), "s", median(written["one"]),
               "the same report on one round (nothing to compare)", 1.2, "ratio", "at most 1.2× one round"),
        Result("compare_national", f"National view (SKL) compared with the previous round: {n} rounds × 24 county "
               "files against the view of 1 round", median(national_many), "s", median(national_one),
               "the same view on one round (nothing to compare)", 1.2, "ratio", "at most 1.2× one round"),
    ]


def _compare_national(ctx: Context, app) -> tuple[list[float], list[float]]:
    """SKL's national view opened (built, compiled from the 24 county files, shown) beside the previous
    round in the 20-round database, and on one round: (times on one round, times on 20 rounds)."""
    from bou_desktop.core import open_store
    from bou_desktop.gui.national_view import NationalView

    one = open_store(ctx.copy_of(ctx.data.skl1, "compare-skl-1.sqlite"))
    many = open_store(ctx.copy_of(ctx.data.skl20, "compare-skl-20.sqlite"))
    stores = {"one": one, "many": many}

    def open_view(store) -> NationalView:
        view = NationalView(store, store.round_for())
        view.resize(1366, 768)
        view.show()
        app.processEvents()
        return view

    def close(view: NationalView) -> None:
        view.close()
        view.deleteLater()
        app.processEvents()

    for name, store in stores.items():  # the first view loads fonts and modules; and it did the work
        view = open_view(store)
        latest = store.round_for()
        if view.report is None or view.report.total.kommuner_svarat != 290:
            raise RuntimeError(f"compare: the national view of {name} does not count 290 municipalities")
        if name == "one" and (view.comparison is not None or view.compare_line.isVisible()):
            raise RuntimeError("compare: the one-round national view compares")
        if name == "many" and (view.comparison is None or view.comparison.earlier_year != latest.year - 1
                               or str(latest.year - 1) not in view.compare_line.text()
                               or not view.compare_line.isVisible()):
            raise RuntimeError("compare: the 20-round national view is not shown beside the previous round")
        close(view)
    opened: dict[str, list[float]] = {"one": [], "many": []}
    for _ in range(ctx.repeats(15, 2)):  # interleaved, so a busy moment hits both alike
        for name, store in stores.items():
            opened[name].append(_opened(app, open_view, store))
    for store in stores.values():
        store.close()
    return opened["one"], opened["many"]


# ----------------------------------------------------------------------------- a large form
FORM60_TYPES = ("single", "multi", "ranking", "integer", "decimal", "date", "text", "longtext", "table")


def form_of_60_questions(count: int = 60) -> str:
    """A form file of `count` questions, taking every type in turn (options and table columns included)."""
    lines = ['id = "bank60"', 'version = "1"', "year = 2030", 'kind = "kommun"', 'title = "Bänkformulär med 60 frågor"',
             '[[header]]', 'id = "namn"', 'label = "Namn"', 'type = "text"', "personal = true"]
    for number in range(1, count + 1):
        kind = FORM60_TYPES[(number - 1) % len(FORM60_TYPES)]
        lines += ["[[questions]]", f'id = "f{number}"', f"number = {number}", f'type = "{kind}"',
                  f'text = "Fråga nummer {number} av bänkformuläret, av typen {kind}?"']
        if kind in ("single", "multi", "ranking"):
            for option in range(1, 6):
                lines += ["[[questions.options]]", f'id = "a{option}"', f'label = "Alternativ {option} med en text"']
        if kind == "table":
            lines.append("max_rows = 10")
            for column, column_type in (("tal", "decimal"), ("datum", "date"), ("text", "text")):
                lines += ["[[questions.columns]]", f'id = "{column}"', f'label = "{column.capitalize()}"',
                          f'type = "{column_type}"']
    return "\n".join(lines) + "\n"


def form60(ctx: Context) -> list[Result]:
    """Opening a municipality's questionnaire of a 60-question form (every type), built from nothing."""
    from bou_desktop import core
    from bou_desktop.gui.main_window import MainWindow
    from bou_desktop.settings import Settings
    from bou_desktop.store import Store
    from bou_desktop.survey.forms import FormLibrary

    qt_app()
    folder = ctx.work / "form60"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bank60.toml").write_text(form_of_60_questions(), encoding="utf-8")
    library = FormLibrary.load(folder)
    opened, floors = [], []
    for _ in range(ctx.repeats(5, 1)):
        store = Store.open(ctx.work / "form60.sqlite", library, core.register())  # closing the window closes it
        try:
            window = MainWindow(store, Settings(role="ledare", region=LARGEST_REGION))
            window.show()
            qt_app().processEvents()
            code = store.municipalities(LARGEST_REGION)[0].code
            opened.append(timed(lambda window=window, code=code: (window.select_municipality(code),
                                                                  qt_app().processEvents())))
            if len(window.questionnaire.cards) != 60 or not window.questionnaire.isVisible():
                raise RuntimeError("the questionnaire of 60 questions was not shown")
            window.close()
            floors.append(timed(lambda: [_shown_label() for _ in range(60)]))
        finally:
            if not store.closed:
                store.close()
    return [Result("form60", "A questionnaire of 60 questions (every type) opened in the window",
                   median(opened), "s", median(floors), "60 empty widgets made",
                   0.5, "value", "under 0.5 s")]


def _shown_label():
    """The floor's unit: the cheapest widget with text, made and shown once."""
    from PySide6.QtWidgets import QLabel

    label = QLabel("Fråga")
    label.show()
    label.hide()
    return label


# ----------------------------------------------------------------------------- command line
QT_CHECK = (
    "import sys\n"
    "from bou_desktop.cli import main\n"
    "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
    "sys.stderr.write('qt-loaded' if any(m.startswith('PySide6') for m in sys.modules) else 'qt-not-loaded')\n"
)


def cli(ctx: Context) -> list[Result]:
    """`bou-desktop --help` against `python -c "import openpyxl"`, both as fresh processes."""
    import subprocess

    env = dict(os.environ)
    launcher = Path(sys.executable).with_name("bou-desktop")
    app_args = [str(launcher), "--help"] if launcher.exists() else [sys.executable, "-m", "bou_desktop", "--help"]
    floor_args = [sys.executable, "-c", "import openpyxl"]
    check = subprocess.run([sys.executable, "-c", QT_CHECK], env=env, capture_output=True, text=True, timeout=60)
    if not check.stderr.endswith("qt-not-loaded"):
        raise RuntimeError("bou-desktop --help imported Qt")
    command_time(app_args, env)
    command_time(floor_args, env)
    app_times, floor_times = [], []
    for _ in range(ctx.repeats(15, 2)):
        app_times.append(command_time(app_args, env))
        floor_times.append(command_time(floor_args, env))
    return [Result(
        "cli", f"Command-line start: {' '.join(Path(a).name for a in app_args[-2:])} (Qt not imported)",
        median(app_times), "s", median(floor_times), 'python -c "import openpyxl"',
        1.3, "ratio", "at most 1.3× the floor",
    )]


CASES: dict[str, Callable[[Context], list[Result]]] = {
    "startup": startup,
    "autosave": autosave,
    "import": import_svarsfiler,
    "county": county,
    "national": national,
    "rounds": rounds,
    "compare": compare,
    "cli": cli,
    "memory": memory,
    "form60": form60,
}
