"""The main window: the region's municipalities on the left, the selected questionnaire on the right.

Child widgets emit requests (finish, reopen, history); the main window decides and calls the store.
All signals are connected in one place, `_connect` (the lazily built views' in `_*_view_built`).

Start-up time matters (docs/performance.md): the file formats, printing, dialogs, the questionnaire
and the county and national views are imported where they are first used, not here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtWidgets  # the dialogs as QtWidgets.X: PySide6 makes a class on first use, QMessageBox alone ~3 ms
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .. import APP_NAME
from ..settings import ROLES, Settings, save_settings
from ..store import RoundsOfOneYear, Store, StoreError
from ..store.backup import BackupError, delete_backups, list_backups, make_backup, restore_backup
from ..survey.shares import percent
from .labels import GO_TO_SECTION_SHORTCUT, GO_TO_SECTION_TEXT, NO_MUNICIPALITY_CHOSEN
from .lazy import LazyPage
from .models import CODE_ROLE, MunicipalityFilter, MunicipalityListModel

if TYPE_CHECKING:
    from PySide6.QtGui import QTextDocument

    from .county_view import CountyView
    from .national_view import NationalView
    from .pending import PendingWrites
    from .questionnaire import QuestionnaireView

SVARSFIL_SUFFIXES = (".xlsx", ".json")
ELSEWHERE_CHECK_MS = 2000  # how often to look for what another window or the command line saved
# Windows that replaced another (a restore) are kept referenced here until they are closed. Not in a
# Qt property of the application: a QVariant list of windows keeps dangling pointers once one is deleted.
OPEN_WINDOWS: list[MainWindow] = []
DEMO_MARK = "Demo – påhittade svar"
OWN_SURVEY_TIP = "Regionens egen enkät: sammanställs för regionens eget bruk och skickas inte till SKL"


def no_arguments(slot):
    """`slot`, called without the arguments a signal carries (a `triggered` or `clicked` bool)."""
    def call(*_signal_arguments) -> None:
        slot()

    return call


def svarsfil_paths(urls) -> list[Path]:
    """The local .xlsx and .json files among dropped URLs."""
    paths = [Path(url.toLocalFile()) for url in urls if url.isLocalFile()]
    return [p for p in paths if p.suffix.lower() in SVARSFIL_SUFFIXES]


class MainWindow(QMainWindow):
    def __init__(self, store: Store, settings: Settings | None = None, *, demo: bool = False,
                 round_year: int | None = None, round_form_id: str | None = None,
                 settings_file: Path | None = None) -> None:
        super().__init__()
        self.store = store
        self.settings = settings or Settings()
        self.settings_file = settings_file
        self.demo = demo
        self.round = self._first_round(store, self.settings, round_year, round_form_id)
        self.setMinimumSize(900, 560)
        self.setAcceptDrops(True)
        self.resize(1280, 720)

        self.round_box = QComboBox()
        self.round_box.setAccessibleName("Omgång")
        self._fill_round_box()
        self.region_box = QComboBox()
        self.region_box.setAccessibleName("Region")
        for region in store.regions():
            self.region_box.addItem(region.name, region.name)
        self.filter_box = QLineEdit()
        self.filter_box.setPlaceholderText("Sök kommun (namn eller kod) … Ctrl+F")
        self.filter_box.setAccessibleName("Sök kommun")
        self.filter_box.setClearButtonEnabled(True)
        self.progress = QLabel()
        self.progress.setAccessibleName("Hur många som har svarat")

        self.model = MunicipalityListModel(store, self.round)
        self.proxy = MunicipalityFilter()
        self.proxy.setSourceModel(self.model)
        self.list = QTableView()
        self.list.setModel(self.proxy)
        self.list.setAccessibleName("Kommuner")
        self.list.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.list.verticalHeader().hide()
        self.list.horizontalHeader().setStretchLastSection(True)
        self.list.setColumnWidth(0, 170)
        self.list.setShowGrid(False)
        self.list.setTabKeyNavigation(False)

        self.left = QWidget()
        left_layout = QVBoxLayout(self.left)
        left_layout.setContentsMargins(6, 6, 6, 6)
        left_layout.addWidget(self.round_box)
        left_layout.addWidget(self.region_box)
        left_layout.addWidget(self.filter_box)
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.progress)
        left_layout.addStretch(0)  # takes the list's room when a round is answered per region (no list)

        # The questionnaire is built when a municipality is first chosen (until then the page shows
        # what the questionnaire itself would); the county and national views when first shown:
        # most sessions never open one. The undo stack is the window's, so the menu has it at once.
        self.undo_stack = QUndoStack(self)
        self._pending: PendingWrites | None = None  # made when a view first writes (see `pending`)
        self._rebuilding_list = False
        self.questionnaire_page = LazyPage(self._make_questionnaire, self._questionnaire_built,
                                           placeholder=NO_MUNICIPALITY_CHOSEN)
        self.county_page = LazyPage(self._make_county_view, self._county_view_built)
        self.national_page = LazyPage(self._make_national_view, self._national_view_built)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.questionnaire_page, "&Enkät")
        self.tabs.addTab(self.county_page, "&Länssammanställning")
        self.tabs.addTab(self.national_page, "&Riket")
        self.tabs.setDocumentMode(True)
        splitter = self.splitter = QSplitter()
        splitter.addWidget(self.left)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 980])
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        if demo:
            # Never mistaken for the real database: the demo says so above everything else.
            self.demo_banner = QLabel(DEMO_MARK)
            self.demo_banner.setAccessibleName(DEMO_MARK)
            self.demo_banner.setStyleSheet("background: #fff3b0; color: #5a4500; font-weight: bold; padding: 6px;"
                                           "border-bottom: 1px solid #d8c060;")
            central_layout.addWidget(self.demo_banner)
        central_layout.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self._round_bar: QWidget | None = None  # a municipality's round list (see `round_bar`)

        self._build_menus()
        self._connect()
        self.apply_profile()
        # Another window, or the command line, may write to the same database: look every few
        # seconds (one PRAGMA) and show what it saved.
        self.elsewhere_timer = QTimer(self)
        self.elsewhere_timer.setInterval(ELSEWHERE_CHECK_MS)
        self.elsewhere_timer.timeout.connect(self.check_changes_elsewhere)
        self.elsewhere_timer.start()
        self._save_failed_box: QtWidgets.QMessageBox | None = None

    @property
    def pending(self) -> PendingWrites:
        """The views' writes the database cannot take yet (gui/pending.py), and the status bar's word on
        them. Made when first needed (a view is built, the window closes), not before the first paint."""
        if self._pending is None:
            from .pending import PENDING_MESSAGE, PendingWrites

            self._pending = PendingWrites(self.store, self)
            # Changes kept while another program holds the database: said in the status bar until written.
            self.pending_label = QLabel(PENDING_MESSAGE)
            self.pending_label.setStyleSheet("color: #8a5a00; font-weight: bold;")
            self.pending_label.hide()
            self.statusBar().addPermanentWidget(self.pending_label)
            self._pending.pending_changed.connect(lambda count: self.pending_label.setVisible(count > 0))
            self._pending.flushed.connect(lambda at: self.statusBar().showMessage(f"Sparat {at}"))
            self._pending.refused.connect(lambda _write, message: self._save_failed(message))
        return self._pending

    @property
    def round_bar(self) -> QWidget:
        """A municipality's window with more than one round to answer: the round list in a bar above the
        questionnaire (it has no list of municipalities, so no left column). Made when first needed."""
        if self._round_bar is None:
            from PySide6.QtWidgets import QHBoxLayout

            self._round_bar = QWidget()
            layout = QHBoxLayout(self._round_bar)
            layout.setContentsMargins(8, 6, 8, 2)
            label = QLabel("&Omgång:")
            label.setBuddy(self.round_box)
            layout.addWidget(label)
            layout.addStretch(1)  # the list after the label, as wide as its longest title
            central_layout = self.centralWidget().layout()
            central_layout.insertWidget(central_layout.indexOf(self.splitter), self._round_bar)
        return self._round_bar

    def _place_round_box(self, in_bar: bool) -> None:
        """The round list in the municipality's bar above the questionnaire, or first in the left column."""
        if in_bar:
            bar = self.round_bar
            if self.round_box.parentWidget() is not bar:
                bar.layout().insertWidget(1, self.round_box)
            bar.setVisible(self.round_box.count() > 1)
        elif self.round_box.parentWidget() is not self.left:
            self.left.layout().insertWidget(0, self.round_box)
            self.round_bar.hide()

    @staticmethod
    def _first_round(store: Store, settings: Settings, year: int | None, form_id: str | None = None):
        """The round the window opens on: the store's default round (Store.default_round), of the year asked
        for; a municipality's window the latest round a municipality answers, since a region-level form has
        no questionnaire for it. A year with two rounds: the latest of them (the round list shows both).
        A round named by its form id and year (a restore keeps the round shown; ids may differ in the
        restored database): that round, or the default round when the database does not have it."""
        if form_id is not None:
            try:
                return store.round_for(year, form_id)
            except StoreError:
                year = None
        try:
            return store.default_round(year, per_municipality=settings.role == "kommun")
        except RoundsOfOneYear as error:
            return error.rounds[-1]

    # ------------------------------------------------------------------ building
    @property
    def questionnaire(self) -> QuestionnaireView:
        return self.questionnaire_page.view()

    @property
    def county_view(self) -> CountyView:
        return self.county_page.view()

    @property
    def national_view(self) -> NationalView:
        return self.national_page.view()

    def _make_questionnaire(self) -> QuestionnaireView:
        from .questionnaire import QuestionnaireView

        return QuestionnaireView(self.store, self.round, self.undo_stack, pending=self.pending)

    def _questionnaire_built(self, view: QuestionnaireView) -> None:
        view.saved.connect(lambda at: self.statusBar().showMessage(f"Sparat {at}"))
        view.failed.connect(self._save_failed)
        view.finish_requested.connect(self.finish)
        view.reopen_requested.connect(self.reopen)
        view.history_requested.connect(self.show_history)

    def _make_county_view(self) -> CountyView:
        from .county_view import CountyView

        return CountyView(self.store, self.round, self.region_box.currentData(), pending=self.pending)

    def _make_national_view(self) -> NationalView:
        from .national_view import NationalView

        return NationalView(self.store, self.round, pending=self.pending)

    def _county_view_built(self, view: CountyView) -> None:
        view.export_requested.connect(self.export_county)
        view.saved.connect(lambda at: self.statusBar().showMessage(f"Sparat {at}"))
        view.failed.connect(self._save_failed)
        self._fill_in_leader_name()

    def _fill_in_leader_name(self) -> None:
        """The county form's "Utvecklingsledarens namn" from the profile, when it is empty in the
        leader's own region (saved like a typed name: it goes with the compilation to SKL)."""
        name, region = self.settings.name.strip(), self.settings.region
        if self.settings.role != "ledare" or not name or not self.county_page.is_built:
            return
        field = self.county_view.name_field  # the county form's first personal text field
        if field is None or self.county_view.region != region or self.store.leader_texts(self.round, region).field(field):
            return
        try:
            self.store.set_leader_text(self.round, region, field, name, source="gui")
        except StoreError:
            return  # the database is busy: the name is offered again the next time the view is shown
        self.county_view.refresh(force=True)

    def _national_view_built(self, view: NationalView) -> None:
        view.import_requested.connect(no_arguments(self.import_files))
        view.export_requested.connect(self.export_national)
        view.comparison_requested.connect(self.export_comparison)
        view.report_editor.saved.connect(lambda at: self.statusBar().showMessage(f"Sparat {at}"))
        view.report_editor.failed.connect(self._save_failed)
        view.report_editor.history_requested.connect(self.show_report_text_history)

    def _action(self, text: str, slot, shortcut=None, menu=None) -> QAction:
        """A menu action that calls `slot()` with no arguments when triggered.

        `triggered` carries a bool (checked); handed on, it would land in the slot's first
        parameter, so every action is connected here, and only here, through `no_arguments`.
        """
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcuts(shortcut if isinstance(shortcut, list) else [shortcut])
        if menu is not None:
            menu.addAction(action)
        action.triggered.connect(no_arguments(slot))
        return action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&Arkiv")
        self.profile_action = self._action("&Profil…", self.edit_profile, menu=file_menu)
        self.new_round_action = self._action("Ny &omgång…", self.start_round, None, file_menu)
        file_menu.addSeparator()
        self.import_action = self._action("&Importera…", self.import_files, QKeySequence("Ctrl+I"), file_menu)
        self.export_action = self._action("&Exportera svarsfil…", self.export_svarsfil, QKeySequence("Ctrl+E"), file_menu)
        self.templates_action = self._action("Skapa s&varsfiler för regionen…", self.create_region_templates, None, file_menu)
        self.feedback_action = self._action("Å&terkoppling till kommunerna…", self.write_feedback, None, file_menu)
        self.raw_long_action = self._action("Exportera rådata för alla omgån&gar…", self.export_raw_long, None, file_menu)
        # SKL's report (the national view) and, for a leader, the county compilation as Word
        self.report_docx_action = self._action("Exportera rapporten som &Word…", lambda: self.export_national("docx"),
                                               None, file_menu)
        self.report_pdf_action = self._action("Exportera rapporten som PD&F…",
                                              lambda: self.export_national("report_pdf"), None, file_menu)
        self.county_docx_action = self._action("Exportera &länssammanställningen som Word…",
                                               lambda: self.export_county("docx"), None, file_menu)
        file_menu.addSeparator()
        self.print_action = self._action("&Skriv ut eller förhandsgranska svaret…", self.print_response,
                                         QKeySequence.StandardKey.Print, file_menu)
        self.pdf_action = self._action("Spara svaret som &PDF…", self.save_response_pdf, None, file_menu)
        self.blank_action = self._action("Skriv ut &tom enkät…", self.print_blank, None, file_menu)
        self.blank_pdf_action = self._action("Spara tom enkät som P&DF…", self.save_blank_pdf, None, file_menu)
        file_menu.addSeparator()
        self.backup_action = self._action("Säkerhets&kopiera…", self.backup_now, None, file_menu)
        self.restore_action = self._action("Åte&rställ…", self.restore, None, file_menu)
        self.purge_action = self._action("Ta bort person&uppgifter…", self.remove_personal_data, None, file_menu)
        file_menu.addSeparator()
        self.quit_action = self._action("&Avsluta", self.close, QKeySequence.StandardKey.Quit, file_menu)

        edit_menu = self.menuBar().addMenu("&Redigera")
        self.undo_action = self.undo_stack.createUndoAction(self, "&Ångra")
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = self.undo_stack.createRedoAction(self, "&Gör om")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        self.find_action = self._action("&Sök kommun", self._focus_filter, QKeySequence.StandardKey.Find, edit_menu)

        view_menu = self.menuBar().addMenu("&Visa")
        self.show_questionnaire_action = self._action(
            "&Enkät", lambda: self.tabs.setCurrentWidget(self.questionnaire_page), QKeySequence("Ctrl+1"), view_menu)
        self.show_county_action = self._action("&Länssammanställning", self.show_county, QKeySequence("Ctrl+2"), view_menu)
        self.report_texts_action = self._action("&Rapporttexter", self.show_report_texts, QKeySequence("Ctrl+3"),
                                                view_menu)
        self.go_to_section_action = self._action("&" + GO_TO_SECTION_TEXT, self.go_to_report_section,
                                                 QKeySequence(GO_TO_SECTION_SHORTCUT), view_menu)

        answer_menu = self.menuBar().addMenu("&Svar")
        self.finish_action = self._action("&Markera som klar…", self.finish, QKeySequence("Ctrl+Return"), answer_menu)
        self.reopen_action = self._action("&Öppna igen…", self.reopen, None, answer_menu)
        self.history_action = self._action("&Historik…", self.show_history, QKeySequence("Ctrl+H"), answer_menu)
        self.go_to_question_action = self._action("&Gå till fråga…", self.ask_question_to_go_to, QKeySequence("Ctrl+G"),
                                                  answer_menu)
        self.copy_earlier_action = self._action("Hämta &förra omgångens svar", self.copy_earlier_answer,
                                                QKeySequence("Ctrl+Shift+K"), answer_menu)

        help_menu = self.menuBar().addMenu("&Hjälp")
        self.how_it_works_action = self._action("&Så fungerar det", self.show_how_it_works, QKeySequence("F1"), help_menu)
        help_menu.addSeparator()
        self.about_action = self._action("&Om BoU Desktop", self._about, None, help_menu)

    def _connect(self) -> None:
        self.round_box.activated.connect(self._round_chosen)
        self.region_box.currentIndexChanged.connect(self._region_chosen)
        self.filter_box.textChanged.connect(self.proxy.set_text)
        self.filter_box.returnPressed.connect(self._open_first_match)
        self.list.selectionModel().currentRowChanged.connect(self._selected)
        self.list.activated.connect(self._focus_questionnaire)  # Enter (or a double click) in the list
        self.store.on_change(self._store_changed)

    # ------------------------------------------------------------------ profile and lists
    def apply_profile(self) -> None:
        """Show what the profile needs: a leader's region, a municipality's own questionnaire."""
        role = self.settings.role
        county_tab = self.tabs.indexOf(self.county_page)
        national_tab = self.tabs.indexOf(self.national_page)
        self.tabs.setTabVisible(national_tab, role == "skl")
        for tab in (self.tabs.indexOf(self.questionnaire_page), county_tab):
            self.tabs.setTabVisible(tab, role != "skl")
        for action in (self.templates_action, self.feedback_action, self.county_docx_action):
            action.setVisible(role == "ledare" or not role)
        for action in (self.report_docx_action, self.report_pdf_action, self.report_texts_action,
                       self.go_to_section_action):
            action.setVisible(role == "skl")
        self.new_round_action.setVisible(role != "kommun")  # SKL and the leaders start rounds, not a municipality
        if role == "skl":
            self._set_title("Nationell sammanställning")
            self.left.hide()
            if self._round_bar is not None:  # after a municipality's window
                self._place_round_box(in_bar=False)
            self.tabs.setCurrentWidget(self.national_page)
            self.national_view.refresh()
        elif role == "kommun" and self.settings.kommun:
            municipality = self.store.register.municipality(self.settings.kommun)
            self._set_title(municipality.name)
            # No list of municipalities, so no left column; the round list in a bar above the questionnaire,
            # when there is more than one round to answer (the programme's round and a region's own survey):
            # the window opens on the programme's.
            self._fill_round_box()
            for widget in (self.region_box, self.filter_box, self.list, self.progress):
                widget.hide()
            self.left.hide()
            if self.round_box.count() > 1 or self._round_bar is not None:
                self._place_round_box(in_bar=True)
            self.tabs.setTabVisible(county_tab, False)
            self.tabs.setCurrentWidget(self.questionnaire_page)
            self.questionnaire.load(municipality.code)
        else:
            if self.round_box.count() != len(self.store.rounds()):  # after a municipality's window: every round
                self._fill_round_box()
            self._place_round_box(in_bar=False)
            self.region_box.show()
            self.progress.show()
            self.left.show()
            self._show_units()
            region = self.settings.region if role == "ledare" and self.settings.region else self.region_box.currentData()
            self._set_title(region)
            index = self.region_box.findData(region)
            if index != self.region_box.currentIndex():
                self.region_box.setCurrentIndex(index)
            elif self.model.region != region or self.answered_per_region:  # the first time; a profile saved
                self._region_chosen(index)  # again keeps the open municipality
        self._offer_what_is_shown()
        self.statusBar().showMessage(f"Databas: {self.store.path or 'i minnet'} · {self.round.title} · "
                                     f"Profil: {ROLES.get(role, 'ingen vald')}")

    @property
    def answered_per_region(self) -> bool:
        """Whether the round shown is of a form each region answers itself (kind "region")."""
        return self.store.answered_per_region(self.round)

    def _show_units(self) -> None:
        """A leader's window for the round shown: the region's municipalities and the county compilation,
        or for a form answered per region the region's own questionnaire (no list, no county compilation)."""
        per_region = self.answered_per_region
        for widget in (self.filter_box, self.list):
            widget.setVisible(not per_region)
        # Without the list, the progress line stands under the boxes, not in the middle of the empty column.
        layout = self.left.layout()
        layout.setStretch(layout.count() - 1, 1 if per_region else 0)
        county_tab = self.tabs.indexOf(self.county_page)
        if per_region and self.tabs.currentIndex() == county_tab:
            self.tabs.setCurrentWidget(self.questionnaire_page)
        self.tabs.setTabVisible(county_tab, not per_region)
        self._offer_what_is_shown()

    def _offer_what_is_shown(self) -> None:
        """Visa's entries only for the tabs the window shows (SKL has no questionnaire, a municipality and a
        round answered per region no county compilation), Sök kommun only beside a list of municipalities."""
        for action, page in ((self.show_questionnaire_action, self.questionnaire_page),
                             (self.show_county_action, self.county_page)):
            action.setVisible(self.tabs.isTabVisible(self.tabs.indexOf(page)))
        self.find_action.setVisible(self.settings.role != "skl" and not self.filter_box.isHidden())

    def _set_title(self, place: str) -> None:
        """BoU Desktop – what is shown – the database file, and a demo database marked as one."""
        name = self.store.path.name if self.store.path else "minnesdatabas"
        self.setWindowTitle(f"{APP_NAME} – {place} – {name}" + (f" – {DEMO_MARK}" if self.demo else ""))

    def _rebuild_list(self, change) -> None:
        """Fill the list anew (another region or round). Its rows go and come back, and the
        selection with them; that is not the user choosing no municipality."""
        self._rebuilding_list = True
        try:
            change()
        finally:
            self._rebuilding_list = False

    def _region_chosen(self, index: int) -> None:
        region = self.region_box.itemData(index)
        self._rebuild_list(lambda: self.model.set_region(region))
        self._load_questionnaire(region if self.answered_per_region else None)  # per region: the region's own
        if self.county_page.is_built:
            self.county_view.set_region(region)
            self._fill_in_leader_name()
        self._update_progress()
        if self.settings.role != "kommun":
            self._set_title(region)

    def _round_chosen(self, index: int) -> None:
        round_id = self.round_box.itemData(index)
        self.round = next(r for r in self.store.rounds() if r.id == round_id)
        self._rebuild_list(lambda: self.model.set_round(self.round))
        if self.questionnaire_page.is_built:
            self.questionnaire.set_round(self.round)  # the same municipality, in the chosen round
            code = self.questionnaire.kommun
            self._rebuild_list(lambda: self._highlight(code))
        if self.county_page.is_built:
            self.county_view.set_round(self.round)
            self._fill_in_leader_name()
        if self.national_page.is_built:
            self.national_view.set_round(self.round)
        if self.settings.role != "skl" and not (self.settings.role == "kommun" and self.settings.kommun):  # a list shown
            self._show_units()
            if self.answered_per_region:
                self._load_questionnaire(self.region_box.currentData())
        self._update_progress()

    def _update_progress(self) -> None:
        if self.answered_per_region:  # the regions answer themselves: count regions, say whose form is shown
            states = self.store.states(self.round)
            total, answered = len(self.store.regions()), sum(state.counts for state in states.values())
            region = self.region_box.currentData()
            own = states[region].label if region in states else "ej påbörjad"
            self.progress.setText(f"Besvaras per region: {region} fyller i sin egen enkät ({own}). "
                                  f"{answered} av {total} regioner har svarat ({percent(answered, total)} %)")
            self.progress.setWordWrap(True)
            return
        total, answered = self.model.rowCount(), self.model.answered_count()
        self.progress.setText(f"{answered} av {total} kommuner har svarat ({percent(answered, total)} %)")

    def _store_changed(self) -> None:
        self.model.refresh_statuses()
        self._update_progress()
        if self.round_box.count() != len(self._listed_rounds()):  # a round started here, elsewhere or from the command line
            self._fill_round_box()

    def _listed_rounds(self) -> list:
        """The rounds of the round list: every round; in a municipality's window those a municipality
        answers (and the one shown): a form answered per region has no questionnaire for it."""
        rounds = self.store.rounds()
        if self.settings.role == "kommun" and self.settings.kommun:
            rounds = [r for r in rounds if r.id == self.round.id or not self.store.answered_per_region(r)]
        return rounds

    def _fill_round_box(self) -> None:
        self.round_box.clear()
        for round_ in self._listed_rounds():
            self.round_box.addItem(round_.title, round_.id)
            if self.store.own_survey(round_):  # Qt's namespace only then: it costs the start (docs/performance.md)
                from PySide6.QtCore import Qt

                self.round_box.setItemData(self.round_box.count() - 1, OWN_SURVEY_TIP, Qt.ItemDataRole.ToolTipRole)
        self.round_box.setCurrentIndex(self.round_box.findData(self.round.id))

    def start_round(self) -> None:
        """Arkiv → Ny omgång…: a form file, then the year and an optional county form; the round is then shown."""
        from ..store.round_forms import FormSource
        from ..survey.forms import FormError
        from .file_dialogs import FORMS, open_file
        from .round_dialog import FORM_FILTER, NewRoundDialog

        path = open_file(self, "Ny omgång: välj formuläret", FORMS, FORM_FILTER)
        if path is None:
            return
        try:
            form = FormSource.read(path).form
        except FormError as error:
            QtWidgets.QMessageBox.warning(self, "Ingen ny omgång", f"Filen kan inte användas som formulär:\n{error}")
            return
        (year, county_path), accepted = NewRoundDialog.ask(form, path.name, self.store.next_year(form), self)
        if not accepted:
            return
        try:
            round_ = self.store.add_round(year, path, county_path, source="gui")
        except StoreError as error:
            QtWidgets.QMessageBox.warning(self, "Ingen ny omgång", str(error))
            return
        self._fill_round_box()
        index = self.round_box.findData(round_.id)
        self.round_box.setCurrentIndex(index)
        self._round_chosen(index)
        self.statusBar().showMessage(f"Omgången {round_.title} är startad med {form.id} version {form.version}.")

    def check_changes_elsewhere(self) -> None:
        """Show what another window or the command line saved in this database."""
        if not self.store.changed_elsewhere():  # if it has, the list and the views have been told
            return
        code = self.open_municipality()
        from ..store.pending import RESPONSE

        if code is not None and self._pending is not None and self._pending.values_for(RESPONSE, self.round.id, code):
            return  # the questionnaire shows changes not written yet: not replaced by what is stored
        if code is not None and self.store.response(self.round, code) != self.questionnaire.record:
            self.questionnaire.load(code)
            self.statusBar().showMessage("Svaret har ändrats i ett annat fönster eller från kommandoraden; "
                                         "det visas nu som det är sparat.")

    def _selected(self, current, _previous) -> None:
        if not self._rebuilding_list:
            self._load_questionnaire(current.siblingAtColumn(0).data(CODE_ROLE))

    def _highlight(self, code: str | None) -> None:
        """Make a municipality's row the list's current one, if it is listed."""
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(CODE_ROLE) == code:
                self.list.setCurrentIndex(index)
                return

    def _load_questionnaire(self, code: str | None) -> None:
        """Show a municipality's questionnaire, or none; the view is built for the first municipality."""
        if code is not None or self.questionnaire_page.is_built:
            self.questionnaire.load(code)

    def _reload_questionnaire(self) -> None:
        """Show the open municipality's answers again, after a change made outside the questionnaire."""
        self._load_questionnaire(self.open_municipality())

    def open_municipality(self) -> str | None:
        """The code of the municipality whose questionnaire is open, if any."""
        return self.questionnaire.kommun if self.questionnaire_page.is_built else None

    def select_municipality(self, code: str) -> None:
        """Select a municipality in the list, clearing the filter or changing region if needed."""
        region = self.store.register.municipality(code).region
        if self.region_box.currentData() != region:
            self.region_box.setCurrentIndex(self.region_box.findData(region))
        for attempt in range(2):
            for row in range(self.proxy.rowCount()):
                index = self.proxy.index(row, 0)
                if index.data(CODE_ROLE) == code:
                    self.list.setCurrentIndex(index)
                    return
            if attempt == 0:
                self.filter_box.clear()
        raise KeyError(code)

    def _open_first_match(self) -> None:
        if self.proxy.rowCount():
            self.list.setCurrentIndex(self.proxy.index(0, 0))
            self._focus_questionnaire()

    def _focus_questionnaire(self) -> None:
        """After choosing a municipality by keyboard: on to its questionnaire's first field."""
        if self.open_municipality() is not None and self.tabs.isTabVisible(self.tabs.indexOf(self.questionnaire_page)):
            self.tabs.setCurrentWidget(self.questionnaire_page)
            self.questionnaire.focus_first_field()

    def ask_question_to_go_to(self) -> None:
        """Svar → Gå till fråga… (Ctrl+G): a question's number, then the focus is on that question."""
        if self.open_municipality() is None or not self.tabs.isTabVisible(self.tabs.indexOf(self.questionnaire_page)):
            self.statusBar().showMessage("Välj en kommun först.")
            return
        numbers = self.questionnaire.question_numbers()
        number, ok = QtWidgets.QInputDialog.getInt(self, "Gå till fråga", f"Frågans nummer ({numbers[0]}–{numbers[-1]}):",
                                                   numbers[0], numbers[0], numbers[-1])
        if ok:
            self.tabs.setCurrentWidget(self.questionnaire_page)
            if not self.questionnaire.go_to_question(number):
                self.statusBar().showMessage(f"Det finns ingen fråga {number}.")

    def copy_earlier_answer(self) -> None:
        """The municipality's answer in the round compared with, copied into the question in focus (Ctrl+Z undoes)."""
        if not self.questionnaire_page.is_built or self.tabs.currentWidget() is not self.questionnaire_page:
            self.statusBar().showMessage("Öppna en kommuns enkät och ställ markören i en fråga först.")
            return
        self.statusBar().showMessage(self.questionnaire.copy_earlier_answer())

    def _focus_filter(self) -> None:
        if self.filter_box.isVisible():  # not in a municipality's window, nor for a round answered per region
            self.filter_box.setFocus()
            self.filter_box.selectAll()

    def edit_profile(self) -> None:
        from .profile_dialog import ProfileDialog
        settings, accepted = ProfileDialog.edit(self, self.store.register, self.settings)
        if not accepted:
            return
        self.settings = settings
        save_settings(settings, self.settings_file)
        if settings.role == "kommun" and self.answered_per_region:
            # A round each region answers has no questionnaire for a municipality: the latest one it answers.
            round_ = self._first_round(self.store, settings, None)
            if round_.id != self.round.id:
                index = self.round_box.findData(round_.id)
                self.round_box.setCurrentIndex(index)
                self._round_chosen(index)
        self.apply_profile()
        self._fill_in_leader_name()

    # ------------------------------------------------------------------ response actions
    def _save_failed(self, message: str) -> None:
        """A refused change: in the status bar, and in one message window that does not block the
        window (a refusal on each key typed updates it, never opens another)."""
        self.statusBar().showMessage(f"Sparades inte: {message}")
        if self._save_failed_box is None:
            self._save_failed_box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Warning, "Kunde inte spara", "",
                                                          QtWidgets.QMessageBox.StandardButton.Ok, self)
            self._save_failed_box.setModal(False)  # a message box is modal unless told otherwise
        self._save_failed_box.setText(f"Ändringen sparades inte:\n\n{message}")
        self._save_failed_box.show()

    def _current(self) -> str | None:
        code = self.open_municipality()
        if code is None:
            self.statusBar().showMessage("Välj först en kommun.")
        return code

    def finish(self) -> None:
        from .finish_dialog import FinishDialog
        code = self._current()
        if code is None or self.questionnaire.locked:
            return
        name = self.store.unit_name(self.round, code)
        dialog = FinishDialog(self.questionnaire.form, self.questionnaire.answers(), name, self)
        jump: list[str] = []
        dialog.jump_requested.connect(jump.append)
        accepted = dialog.exec() == FinishDialog.DialogCode.Accepted
        if jump:  # after the dialog has closed, so that its focus restore does not undo the jump
            self.questionnaire.scroll_to(jump[-1])
        if not accepted:
            return
        try:
            if self.store.response(self.round, code) is None:
                self.store.set_fields(self.round, code, {})
            self.store.set_status(self.round, code, "klar", source="gui")
        except StoreError as error:
            QtWidgets.QMessageBox.warning(self, "Kunde inte markera som klar", str(error))
            return
        self.questionnaire.load(code)
        self.statusBar().showMessage(f"{name} är markerad som klar.")

    def reopen(self) -> None:
        code = self._current()
        if code is None or not self.questionnaire.locked:
            return
        reason, ok = self.ask_reason()
        while ok and not reason.strip():
            QtWidgets.QMessageBox.information(self, "Orsak behövs", "Skriv varför svaret öppnas igen; orsaken sparas i historiken.")
            reason, ok = self.ask_reason()
        if not ok:
            return
        self.store.set_status(self.round, code, "utkast", source="gui", reason=reason.strip())
        self.questionnaire.load(code)
        self.statusBar().showMessage("Svaret är öppnat igen.")

    def ask_reason(self) -> tuple[str, bool]:
        return QtWidgets.QInputDialog.getText(self, "Öppna svaret igen", "Varför öppnas svaret igen? (sparas i historiken)")

    def show_history(self) -> None:
        from .history_dialog import HistoryDialog
        if self.national_page.is_built and self.tabs.currentWidget() is self.national_page:
            focused = self.national_view.report_editor.focused_text()
            if focused is None:
                self.statusBar().showMessage("Ställ markören i en rapporttext för att se dess historik.")
            else:
                self.show_report_text_history(*focused)
            return
        code = self._current()
        if code is None:
            return
        self.history_dialog = HistoryDialog(self.store, self.round, code, self)
        self.history_dialog.exec()

    def _national_page_shown(self) -> bool:
        """The national view made current, where SKL writes the report's texts; elsewhere (a leader's or a
        municipality's window) the status bar says so, and False."""
        if not self.tabs.isTabVisible(self.tabs.indexOf(self.national_page)):
            self.statusBar().showMessage("Rapporttexterna skrivs av SKL, i vyn Riket.")
            return False
        self.tabs.setCurrentWidget(self.national_page)
        return True

    def show_report_texts(self) -> None:
        """Visa → Rapporttexter (Ctrl+3): the national view with the report's text boxes, the cursor in the
        first empty one."""
        if not self._national_page_shown():
            return
        editor = self.national_view.report_editor
        editor.toggle.setChecked(True)
        editor.focus_first()
        focused = self.focusWidget()
        if focused is not None:
            self.national_view.scroll.ensureWidgetVisible(focused, 0, 80)

    def go_to_report_section(self) -> None:
        """Visa → Gå till avsnitt… (Ctrl+Shift+G): the chooser of the report's sections and the questions'
        analyses; the keyboard stays where it is until a text is chosen."""
        if self._national_page_shown():
            self.national_view.report_editor.choose_text()

    def show_report_text_history(self, kind: str, key: str) -> None:
        """The history of one of SKL's report texts (Historik… beside it, or Ctrl+H in it)."""
        from .report_texts import report_text_history_dialog

        self.national_view.report_editor.save_now()
        self.history_dialog = report_text_history_dialog(self.store, self.round, kind, key, self)
        self.history_dialog.exec()

    # ------------------------------------------------------------------ printing
    def response_document(self, blank: bool = False) -> QTextDocument:
        from PySide6.QtGui import QTextDocument

        from ..exchange.response_html import response_html
        code = None if blank else self.open_municipality()
        if code is None:
            form = self.store.form_of(self.round)
            html = response_html(form, contact_lines=self.settings.contact_lines(), include_intro=True)
        else:
            record = self.store.response(self.round, code)
            html = response_html(
                self.questionnaire.form, municipality=self.store.unit_name(self.round, code),
                code="" if self.answered_per_region else code, answers=self.questionnaire.answers(),
                meta=self.questionnaire.meta, status=record.status if record else None,
            )
        document = QTextDocument(self)
        document.setHtml(html)
        return document

    def _preview(self, document: QTextDocument, title: str) -> None:
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle(title)
        dialog.paintRequested.connect(document.print_)
        self.preview_dialog = dialog
        dialog.exec()

    def print_response(self) -> None:
        if self._current() is None:
            return
        self._preview(self.response_document(), "Förhandsgranska svaret")

    def print_blank(self) -> None:
        self._preview(self.response_document(blank=True), "Förhandsgranska tom enkät")

    def _save_path(self, title: str, kind: str, name: str, filters: str) -> Path | None:
        """Ask where to save, in the folder last used for this kind of file; the file dialog itself
        asks before replacing an existing file."""
        from .file_dialogs import save_file

        return save_file(self, title, kind, name, filters)

    def _write(self, what: str, write) -> Path | None:
        """Run a writer, report the result in the status bar and any failure in plain Swedish."""
        from ..exchange.fileio import OverwriteRefused
        try:
            path = write()
        except (StoreError, OverwriteRefused, OSError) as error:
            message = getattr(error, "strerror", None) or str(error)
            QtWidgets.QMessageBox.warning(self, f"Kunde inte spara {what}", message)
            return None
        if path is not None:
            self.statusBar().showMessage(f"Sparade {path}")
        return path

    def save_response_pdf(self) -> Path | None:
        """The filled form as PDF (reportlab), for the respondent to check what was recorded."""
        from ..exchange.response_export import export_response_pdf
        code = self._current()
        if code is None:
            return None
        if self.store.response(self.round, code) is None:
            self.statusBar().showMessage("Kommunen har inga svar ännu.")
            return None
        name = self.store.unit_name(self.round, code)
        path = self._save_path("Spara svaret som PDF", "pdf", f"Svar {self.round.year} {name}.pdf", "PDF (*.pdf)")
        if path is None:
            return None
        return self._write("PDF-filen", lambda: export_response_pdf(self.store, self.round, code, path, overwrite=True))

    def save_blank_pdf(self) -> Path | None:
        """The blank questionnaire with the introduction and the leader's contact details, for paper."""
        from ..exchange.response_export import write_template
        path = self._save_path("Spara tom enkät som PDF", "pdf", f"Enkät {self.round.year} (tom).pdf", "PDF (*.pdf)")
        if path is None:
            return None
        return self._write("PDF-filen", lambda: write_template(self.store, self.round, path, overwrite=True,
                                                              contact_lines=self.settings.contact_lines()))

    def export_svarsfil(self) -> Path | None:
        """The selected municipality's answers as a svarsfil (.xlsx or .json) to e-mail to the leader."""
        from ..exchange.response_export import export_response_json, export_response_xlsx
        code = self._current()
        if code is None:
            return None
        if self.store.response(self.round, code) is None:
            self.statusBar().showMessage("Kommunen har inga svar att exportera ännu.")
            return None
        name = self.store.unit_name(self.round, code)
        unit = name if self.answered_per_region else f"{code} {name}"  # a region's file names the region
        path = self._save_path("Exportera svarsfil", "svarsfil", f"Svarsfil {self.round.year} {unit}.xlsx",
                               "Excel (*.xlsx);;JSON (*.json)")
        if path is None:
            return None
        if path.suffix.lower() == ".json":
            return self._write("svarsfilen", lambda: export_response_json(self.store, self.round, code, path, overwrite=True))
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        return self._write("svarsfilen", lambda: export_response_xlsx(
            self.store, self.round, code, path, overwrite=True, contact_lines=self.settings.contact_lines()))

    def create_region_templates(self) -> list[Path]:
        """One fillable Excel svarsfil per municipality of the region shown."""
        from ..exchange.fileio import OverwriteRefused
        from ..exchange.response_export import write_region_templates
        from .file_dialogs import choose_folder
        region = self.region_box.currentData()
        folder = choose_folder(self, f"Mapp för svarsfilerna till {region}", "svarsfiler-mapp")
        if folder is None:
            return []
        contact = self.settings.contact_lines()
        try:
            paths = write_region_templates(self.store, self.round, region, folder, contact_lines=contact)
        except OverwriteRefused as refused:
            answer = QtWidgets.QMessageBox.question(self, "Filerna finns redan", f"{refused}\n\nVill du skriva över dem?",
                                          QtWidgets.QMessageBox.StandardButton.Yes | QtWidgets.QMessageBox.StandardButton.No,
                                          QtWidgets.QMessageBox.StandardButton.No)
            if answer != QtWidgets.QMessageBox.StandardButton.Yes:
                return []
            paths = write_region_templates(self.store, self.round, region, folder, overwrite=True,
                                           contact_lines=contact)
        except OSError as error:
            QtWidgets.QMessageBox.warning(self, "Kunde inte skapa svarsfilerna", error.strerror or str(error))
            return []
        self.statusBar().showMessage(f"Skapade {len(paths)} svarsfiler i {folder}")
        return paths

    # ------------------------------------------------------------------ county compilation
    def show_county(self) -> None:
        if self.tabs.isTabVisible(self.tabs.indexOf(self.county_page)):
            self.tabs.setCurrentWidget(self.county_page)

    def export_county(self, kind: str) -> Path | None:
        """Export the region's compilation ("xlsx", "pdf", "json", "docx", "eml") or raw data ("raw")."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from ..exchange.county_export import CountyTargets, county_file_stem, export_county
        from ..exchange.raw_export import write_raw
        region = self.region_box.currentData()
        anonymous = self.county_view.anonymous
        compare_with = self.county_view.compare_with  # the round the view sets the figures beside, or None
        stem = county_file_stem(region, self.round.year)
        filters = {"xlsx": "Excel (*.xlsx)", "pdf": "PDF (*.pdf)", "json": "JSON (*.json)", "docx": "Word (*.docx)",
                   "eml": "E-postutkast (*.eml)", "raw": "Excel (*.xlsx);;CSV (*.csv)"}
        if kind == "eml" and (self._refused_as_own_survey("Inget e-postutkast till SKL skapas; exportera Excel "
                                                          "eller PDF för regionens eget bruk.")
                              or not self._ensure_skl_email()):
            return None
        default = f"Rådata {region} {self.round.year}.xlsx" if kind == "raw" else f"{stem}.{kind}"
        titles = {"eml": "Spara e-postutkastet till SKL", "raw": "Exportera rådata"}
        path = self._save_path(titles.get(kind, "Exportera länssammanställningen"), "lansfiler", default,
                               filters[kind])
        if path is None:
            return None
        if kind == "raw":
            return self._write("rådata", lambda: write_raw(self.store, self.round, path, region=region,
                                                          anonymous=anonymous, overwrite=True))
        written = self._write("länssammanställningen", lambda: export_county(
            self.store, self.round, region, CountyTargets(**{kind: path}), anonymous=anonymous, overwrite=True,
            exported_by=self.settings.name, contact_lines=self.settings.contact_lines(), to=self.settings.skl_email,
            compare_with=compare_with)[0])
        if written is not None and kind == "eml":
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(written)))  # the system's mail program opens the draft
        return written

    def _refused_as_own_survey(self, what: str) -> bool:
        """A region's own survey never goes to SKL: say so (and what is not done) instead of asking for a file."""
        if not self.store.own_survey(self.round):
            return False
        from ..store.repository import own_survey_message

        QtWidgets.QMessageBox.information(self, "Regionens egen enkät", own_survey_message(self.round, what))
        return True

    def export_raw_long(self) -> list[Path]:
        """Every round of this round's survey as one long table (Excel, or CSV with its codebook beside it),
        for analysts: the region shown (all regions for SKL)."""
        from ..exchange.raw_long import survey_rounds, write_long
        rounds = survey_rounds(self.store, self.round)
        region = None if self.settings.role == "skl" else self.region_box.currentData()
        years = f"{rounds[0].year}–{rounds[-1].year}" if len(rounds) > 1 else str(rounds[0].year)
        name = f"Rådata {region + ' ' if region else ''}{years}.xlsx"
        path = self._save_path("Exportera rådata för alla omgångar", "lansfiler", name, "Excel (*.xlsx);;CSV (*.csv)")
        if path is None:
            return []
        if path.suffix.lower() not in (".xlsx", ".csv"):
            path = path.with_suffix(".xlsx")
        written: list[Path] = []

        def write() -> Path:
            written.extend(write_long(self.store, rounds, path, region=region, overwrite=True))
            return path

        self._write("rådata", write)
        return written

    def _ensure_skl_email(self) -> bool:
        """SKL's address is needed for the e-mail draft: when it is missing, offer the profile first."""
        if self.settings.skl_email:
            return True
        answer = QtWidgets.QMessageBox.question(
            self, "SKL:s e-postadress saknas",
            "E-postutkastet behöver SKL:s e-postadress, och den finns inte i din profil.\n\n"
            "Vill du ange den i profilen nu?",
            QtWidgets.QMessageBox.StandardButton.Yes | QtWidgets.QMessageBox.StandardButton.No,
            QtWidgets.QMessageBox.StandardButton.Yes)
        if answer != QtWidgets.QMessageBox.StandardButton.Yes:
            return False
        self.edit_profile()
        return bool(self.settings.skl_email)

    # ------------------------------------------------------------------ national
    def export_national(self, kind: str) -> Path | None:
        """The national report from the county files received: "xlsx", "pdf" or "json"; SKL's report with its
        texts as Word ("docx") or PDF ("report_pdf")."""
        from ..exchange.fileio import write_bytes_atomic
        from ..exchange.national_file import national_json_bytes, national_xlsx_bytes, report_for
        filters = {"xlsx": "Excel (*.xlsx)", "pdf": "PDF (*.pdf)", "json": "JSON (*.json)", "docx": "Word (*.docx)",
                   "report_pdf": "PDF (*.pdf)"}
        if self._refused_as_own_survey("Den ingår inte i den nationella sammanställningen."):
            return None
        title, name = "Exportera riksrapporten", f"Riksrapport {self.round.year}.{kind}"
        if kind in ("docx", "report_pdf"):
            title = "Exportera rapporten"
            name = f"{self.store.form_of(self.round).round_title(self.round.year)} rapport." + (
                "docx" if kind == "docx" else "pdf")
        path = self._save_path(title, "riksrapport", name, filters[kind])
        if path is None:
            return None
        report = report_for(self.store, self.round)
        form = self.store.form_of(self.round)

        def write() -> Path:
            # the round chosen in the view's "Jämför med" (the previous round until the view is shown)
            from ..exchange.national_file import PREVIOUS, national_comparison_for

            chosen = self.national_view.compare_with() if self.national_page.is_built else PREVIOUS
            comparison = national_comparison_for(self.store, self.round, chosen, report=report)
            if kind == "xlsx":
                data = national_xlsx_bytes(report, form, exported_by=self.settings.name, comparison=comparison)
            elif kind == "pdf":
                from ..exchange.national_pdf import national_pdf

                data = national_pdf(report, form, exported_by=self.settings.name, comparison=comparison)
            elif kind == "docx":
                from ..exchange.report_docx import national_docx_for

                data = national_docx_for(self.store, self.round, exported_by=self.settings.name, report=report,
                                         comparison=comparison)
            elif kind == "report_pdf":
                from ..exchange.report_pdf import report_pdf_for

                data = report_pdf_for(self.store, self.round, exported_by=self.settings.name, comparison=comparison,
                                      report=report)
            else:
                data = national_json_bytes(report, exported_by=self.settings.name, comparison=comparison)
            write_bytes_atomic(path, data, overwrite=True)
            return path

        return self._write("riksrapporten", write)

    def export_comparison(self, region: str) -> Path | None:
        """"Län i jämförelse med riket" for one region, as PDF or Excel."""
        from ..exchange.fileio import write_bytes_atomic
        from ..exchange.national_file import national_xlsx_bytes, report_for
        if self._refused_as_own_survey("Den ingår inte i den nationella sammanställningen."):
            return None
        path = self._save_path(f"{region} i jämförelse med riket", "riksrapport",
                               f"{region} jämfört med riket {self.round.year}.pdf", "PDF (*.pdf);;Excel (*.xlsx)")
        if path is None:
            return None
        report = report_for(self.store, self.round)
        form = self.store.form_of(self.round)

        def write() -> Path:
            if path.suffix.lower() == ".xlsx":
                data = national_xlsx_bytes(report, form, region=region, exported_by=self.settings.name)
            else:
                from ..exchange.national_pdf import region_vs_nation_pdf

                data = region_vs_nation_pdf(report, form, region)
            write_bytes_atomic(path, data, overwrite=True)
            return path

        return self._write("jämförelsen", write)

    def write_feedback(self) -> list[Path]:
        """"Er kommun i jämförelse med länet och riket": one PDF per municipality of the region that has answered."""
        from ..exchange.fileio import safe_filename, write_bytes_atomic
        from ..exchange.national_pdf import feedback_pdfs_for_region

        region = self.region_box.currentData()
        national = self.store.national_document(self.round)
        if national is None:
            answer = QtWidgets.QMessageBox.question(
                self, "Riksrapporten saknas",
                "Ingen riksrapport är importerad, så rikets siffror kommer att saknas. Importera den via "
                "Arkiv → Importera… när SKL har skickat den.\n\nSkapa återkopplingen ändå, med kommunen och länet?",
                QtWidgets.QMessageBox.StandardButton.Yes | QtWidgets.QMessageBox.StandardButton.No, QtWidgets.QMessageBox.StandardButton.No)
            if answer != QtWidgets.QMessageBox.StandardButton.Yes:
                return []
        from .file_dialogs import choose_folder

        folder = choose_folder(self, f"Mapp för återkopplingen till kommunerna i {region}", "aterkoppling")
        if folder is None:
            return []
        pdfs = feedback_pdfs_for_region(self.store, self.round, region, national[0] if national else None)
        targets = {code: folder / safe_filename(
            f"Återkoppling {self.round.year} {code} {self.store.register.municipality(code).name}.pdf") for code in pdfs}
        existing = [p for p in targets.values() if p.exists()]
        if existing and QtWidgets.QMessageBox.question(
                self, "Filerna finns redan", f"{len(existing)} av filerna finns redan. Vill du skriva över dem?",
                QtWidgets.QMessageBox.StandardButton.Yes | QtWidgets.QMessageBox.StandardButton.No,
                QtWidgets.QMessageBox.StandardButton.No) != QtWidgets.QMessageBox.StandardButton.Yes:
            return []
        try:
            for code, target in targets.items():
                write_bytes_atomic(target, pdfs[code], overwrite=True)
        except OSError as error:
            QtWidgets.QMessageBox.warning(self, "Kunde inte skriva återkopplingen", error.strerror or str(error))
            return []
        self.statusBar().showMessage(f"Skrev {len(targets)} återkopplingar i {folder}")
        return list(targets.values())

    # ------------------------------------------------------------------ backups and privacy
    def backup_now(self) -> Path | None:
        if self.store.path is None:
            return None
        try:
            path = make_backup(self.store.path, "manuell", connection=self.store.db.conn)
        except BackupError as error:
            QtWidgets.QMessageBox.warning(self, "Säkerhetskopian misslyckades", str(error))
            return None
        self.statusBar().showMessage(f"Säkerhetskopierade till {path}")
        return path

    def restore(self):
        """Replace the database's content with a chosen backup (the current content is backed up first)."""
        if self.store.path is None:
            return None
        backups = list_backups(self.store.path)
        if not backups:
            QtWidgets.QMessageBox.information(self, "Inga säkerhetskopior", "Det finns inga säkerhetskopior av databasen ännu.")
            return None
        label, ok = QtWidgets.QInputDialog.getItem(self, "Återställ", "Välj säkerhetskopia:", [b.label for b in backups], 0, False)
        if not ok:
            return None
        backup = backups[[b.label for b in backups].index(label)].path
        if QtWidgets.QMessageBox.question(
                self, "Återställ", "Databasens innehåll ersätts med säkerhetskopian. Det nuvarande innehållet sparas "
                "först som en egen säkerhetskopia.\n\nFortsätta?",
                QtWidgets.QMessageBox.StandardButton.Yes | QtWidgets.QMessageBox.StandardButton.No,
                QtWidgets.QMessageBox.StandardButton.No) != QtWidgets.QMessageBox.StandardButton.Yes:
            return None
        if self.national_page.is_built:
            self.national_view.report_editor.save_now()
        self.pending.flush()
        if self.pending.queue:  # typed before the restore: written first, so the backup made now has them
            QtWidgets.QMessageBox.information(
                self, "Återställ", "Det finns ändringar som inte är sparade ännu, eftersom databasen används av ett "
                "annat program. Inget har återställts; försök igen när de är sparade.")
            return None
        path = self.store.path
        self.elsewhere_timer.stop()
        self.store.close()
        try:
            restore_backup(Path(backup), path)
        except BackupError as error:
            QtWidgets.QMessageBox.warning(self, "Återställningen misslyckades", str(error))
        # A window on the restored database replaces this one.
        from ..core import open_store

        shown = self.round
        replacement = MainWindow(open_store(path), self.settings, demo=self.demo, round_year=shown.year,
                                 round_form_id=shown.form_id, settings_file=self.settings_file)
        OPEN_WINDOWS.append(replacement)  # it lives on after this window, which made it, is closed
        replacement.setWindowState(self.windowState())  # maximised as this one was
        replacement.show()
        message = f"Återställde databasen från {Path(backup).name}"
        if (replacement.round.form_id, replacement.round.year) != (shown.form_id, shown.year):
            message += (f" · Omgången {shown.title} finns inte i säkerhetskopian; "
                        f"fönstret visar {replacement.round.title}.")
        replacement.statusBar().showMessage(message)
        self._store_closed = True
        self.close()
        return replacement

    def remove_personal_data(self) -> int | None:
        """Remove the respondents' names of the round, from answers, history and backups."""
        reason, ok = QtWidgets.QInputDialog.getText(
            self, "Ta bort personuppgifter",
            f"Uppgiftslämnarnas namn och befattningar i {self.round.title} tas bort, även ur historiken och "
            "säkerhetskopiorna. Det kan inte ångras.\n\nVarför tas de bort? (sparas i historiken)")
        if not ok:
            return None
        try:
            removed = self.store.remove_personal_data(self.round, reason=reason or "", source="gui")
        except StoreError as error:
            QtWidgets.QMessageBox.warning(self, "Personuppgifterna togs inte bort", str(error))
            return None
        if self.store.path is not None:
            delete_backups(self.store.path)
            make_backup(self.store.path, "manuell", connection=self.store.db.conn)
        self._reload_questionnaire()
        self.statusBar().showMessage(f"Personuppgifterna är borttagna ur {removed} svar.")
        return removed

    # ------------------------------------------------------------------ import
    def import_files(self) -> list:
        """Arkiv → Importera…: svarsfiler, länssammanställningar or a riksrapport, chosen in a file dialog."""
        from .file_dialogs import open_files

        paths = open_files(self, "Importera", "import", "Svarsfiler och sammanställningar (*.xlsx *.json);;Alla filer (*)")
        return self.import_paths(paths) if paths else []

    def import_paths(self, paths: list[Path]) -> list:
        """Import these files (chosen in the dialog, or dropped on the window) and show the results."""
        from .import_dialogs import ImportResultsDialog, import_with_progress
        region = self.settings.region if self.settings.role == "ledare" and self.settings.region else None
        results = import_with_progress(self, self.store, [Path(p) for p in paths], region)
        self.import_results = ImportResultsDialog(results, self)
        self.import_results.exec()
        self._reload_questionnaire()
        return results

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if svarsfil_paths(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt API)
        paths = svarsfil_paths(event.mimeData().urls())
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    def _about(self):
        """Hjälp → Om BoU Desktop: version, licence, Qt/PySide6/Python versions, data folder and database."""
        from .about_dialog import AboutDialog

        self.about_dialog = AboutDialog(self.store.path, self)
        self.about_dialog.open()  # window-modal, without blocking: Enter or Esc closes it
        return self.about_dialog

    def show_how_it_works(self):
        """Hjälp → Så fungerar det (F1): the steps of the profile's role."""
        from .first_run import HowItWorksDialog

        self.how_it_works_dialog = HowItWorksDialog(self.settings.role, self)
        self.how_it_works_dialog.open()
        return self.how_it_works_dialog

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        # Every change is saved, unless another program held the database: then wait, or keep it in a file.
        from .pending import settle_before_close

        if not getattr(self, "_store_closed", False) and self.national_page.is_built:
            self.national_view.report_editor.save_now()  # typed a moment ago: saved (or kept) before closing
        if not getattr(self, "_store_closed", False) and self._pending is not None \
                and not settle_before_close(self, self._pending):
            event.ignore()
            return
        self.elsewhere_timer.stop()
        if self in OPEN_WINDOWS:
            OPEN_WINDOWS.remove(self)
        if not getattr(self, "_store_closed", False):
            self.store.close()
        super().closeEvent(event)

