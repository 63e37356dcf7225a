"""`bou-desktop --selftest`: checks that an installation works, end to end, in a temporary folder.

Loads the forms and the municipality register, writes and reads back a database, renders a
PDF, an Excel file, a Word file (python-docx's templates are in the bundle) and the main window. Touches none of the user's files. Plain Python: Qt
is imported only inside the step that renders with it, so a broken Qt still reports the others.
Prints one line in Swedish; exit code 0 when every step passed, 1 otherwise.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from . import APP_NAME, __version__, paths
from .store import Store
from .survey.answers import Answers
from .survey.forms import FormLibrary
from .survey.register import Register, load_register

EXIT_OK, EXIT_FAILED = 0, 1
SAMPLE_KOMMUN = "0580"  # Linköping: any municipality of the register would do


T = TypeVar("T")


class SelftestFailure(Exception):
    """A step failed; `step` names it in Swedish."""

    def __init__(self, step: str, error: BaseException | str) -> None:
        self.step = step
        self.error = error
        super().__init__(f"{step}: {_describe(error)}")


def sample_answer(form) -> tuple[str, str]:
    """(question, option) the self-test answers: the form's first single-choice question, its first option."""
    question = next((q for q in form.questions if q.type == "single"), None)
    if question is None:
        raise SelftestFailure("formulär", f"{form.id} har ingen fråga med ett svarsalternativ att prova med")
    return question.id, question.options[0].id


def _describe(error: BaseException | str) -> str:
    """An error as one line: its message, or its type when it has none."""
    text = error if isinstance(error, str) else (str(error) or type(error).__name__)
    return " ".join(text.split())


def _run(step: str, function: Callable[..., T], *args) -> T:
    try:
        return function(*args)
    except SelftestFailure:
        raise
    except Exception as error:  # every failure of a step is reported, whatever its kind
        raise SelftestFailure(step, error) from error


def check_forms(folder: Path) -> FormLibrary:
    """The questionnaire and the county form load and pass their checks."""
    library = FormLibrary.load(folder)
    kinds = {form.kind for form in library}
    missing = [kind for kind in ("kommun", "lan") if kind not in kinds]
    if missing:
        raise SelftestFailure("formulär", f"inga formulär av slaget {', '.join(missing)} i {folder}")
    return library


def check_register(folder: Path) -> Register:
    register = load_register(folder)
    if not register.municipalities:
        raise SelftestFailure("kommunregister", f"inga kommuner i {folder}")
    if SAMPLE_KOMMUN not in {m.code for m in register.municipalities}:
        raise SelftestFailure("kommunregister", f"kommunkoden {SAMPLE_KOMMUN} saknas i {folder / 'kommuner.csv'}")
    return register


def check_database(path: Path, forms: FormLibrary, register: Register) -> Store:
    """Write one answer, close, open again and read it back; returns the reopened store."""
    store = Store.open(path, forms, register)
    try:
        round_ = store.round_for()
        question, option = sample_answer(store.form_of(round_))
        store.save_answers(round_, SAMPLE_KOMMUN, Answers(choices={question: [option]}),
                           source="cli", detail="självtest")
    finally:
        store.close()
    store = Store.open(path, forms, register)
    try:
        record = store.response(store.round_for(), SAMPLE_KOMMUN)
        read = record.answers(store.form_of(store.round_for())).choices if record is not None else {}
        if read.get(question) != [option]:
            raise SelftestFailure("databas", f"svaret som sparades gick inte att läsa tillbaka (läste {read!r})")
    except BaseException:
        store.close()
        raise
    return store


def check_pdf(store: Store, folder: Path) -> Path:
    from .exchange.response_export import export_response_pdf

    path = export_response_pdf(store, store.round_for(), SAMPLE_KOMMUN, folder / "självtest.pdf")
    data = path.read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:] or len(data) < 2_000:
        raise SelftestFailure("PDF", f"filen {path.name} är ingen fullständig PDF ({len(data)} byte)")
    return path


def check_excel(store: Store, folder: Path) -> Path:
    """Write the municipality's svarsfil and read it back with the import's own reader."""
    from .exchange.errors import RefusedFile
    from .exchange.response_export import export_response_xlsx
    from .exchange.svarsfil_xlsx import parse_svarsfil_xlsx

    path = export_response_xlsx(store, store.round_for(), SAMPLE_KOMMUN, folder / "självtest.xlsx")
    try:
        read = parse_svarsfil_xlsx(path.read_bytes(), store.forms, store.register).answers.choices
    except RefusedFile as error:
        raise SelftestFailure("Excel", f"svarsfilen {path.name} kunde inte läsas tillbaka: {error}") from error
    question, option = sample_answer(store.form_of(store.round_for()))
    if read.get(question) != [option]:
        raise SelftestFailure("Excel", f"svaret på {question} lästes tillbaka som {read.get(question)!r}")
    return path


def check_word(store: Store, folder: Path) -> Path:
    """Write the region's county compilation as Word (python-docx opens its own template for that, and the
    charts are drawn as pictures) and read it back with python-docx."""
    import docx

    from .exchange.report_docx import county_docx

    round_ = store.round_for()
    region = store.register.municipality(SAMPLE_KOMMUN).region
    compilation = store.compile(round_, region)
    path = folder / "självtest.docx"
    path.write_bytes(county_docx(compilation, store.county_form_of(round_), exported_by="självtest"))
    try:
        title = docx.Document(str(path)).paragraphs[0].text
    except Exception as error:  # python-docx's own errors have no common base
        raise SelftestFailure("Word", f"filen {path.name} kunde inte läsas tillbaka: {_describe(error)}") from error
    if region not in title:
        raise SelftestFailure("Word", f"filen {path.name} har fel rubrik ({title!r})")
    return path


def needs_offscreen(environ: dict[str, str] | os._Environ = os.environ, platform: str = sys.platform) -> bool:
    """No screen to draw on: a Linux (or other X11/Wayland) system with neither DISPLAY nor WAYLAND_DISPLAY."""
    if platform in ("win32", "darwin") or environ.get("QT_QPA_PLATFORM"):
        return False
    return not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY")


def check_qt(store: Store) -> str:
    """Build the real main window on the test database and render it; returns Qt's version."""
    if needs_offscreen():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler, qVersion

    from .gui.app import app_icon, ensure_app
    from .gui.main_window import MainWindow
    from .settings import Settings

    messages: list[str] = []

    def collect(kind: QtMsgType, _context, message: str) -> None:
        if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            messages.append(message)

    previous = qInstallMessageHandler(collect)  # Qt's own chatter would break the one-line report
    try:
        app = ensure_app()
        if app_icon().pixmap(32, 32).isNull():
            raise SelftestFailure("Qt", "programikonen (SVG) kan inte ritas; saknas Qt:s svg-insticksprogram?")
        region = store.register.municipality(SAMPLE_KOMMUN).region
        window = MainWindow(store, Settings(role="ledare", region=region))
        try:
            image = window.grab()
            if image.isNull() or image.width() < 100 or image.height() < 100:
                raise SelftestFailure("Qt", f"huvudfönstret ritades inte ({image.width()}×{image.height()} bildpunkter)")
        finally:
            window.close()
            window.deleteLater()
            app.processEvents()
    finally:
        qInstallMessageHandler(previous)
    if messages:
        raise SelftestFailure("Qt", messages[0])
    return qVersion()


def run(forms_folder: Path | None = None, resources_folder: Path | None = None) -> str:
    """All steps; returns the summary of what passed, or raises SelftestFailure."""
    forms = _run("formulär", check_forms, forms_folder or _run("formulär", paths.forms_dir))
    register = _run("kommunregister", check_register, resources_folder or _run("kommunregister", paths.resources_dir))
    with tempfile.TemporaryDirectory(prefix="bou-selftest-", ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp)
        store = _run("databas", check_database, folder / "självtest.sqlite", forms, register)
        try:
            _run("PDF", check_pdf, store, folder)
            _run("Excel", check_excel, store, folder)
            _run("Word", check_word, store, folder)
            qt_version = _run("Qt", check_qt, store)
        finally:
            store.close()
    return f"formulär, kommunregister, databas, PDF, Excel, Word, Qt {qt_version}"


def main(forms_folder: Path | None = None, resources_folder: Path | None = None) -> int:
    """Run the self-test and print its one line: stdout when it passed, stderr when not."""
    try:
        summary = run(forms_folder, resources_folder)
    except SelftestFailure as failure:
        print(f"{APP_NAME} {__version__}: självtestet misslyckades: {failure}", file=sys.stderr)
        return EXIT_FAILED
    print(f"{APP_NAME} {__version__}: självtestet gick igenom ({summary})")
    return EXIT_OK
