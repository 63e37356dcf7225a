"""The main window: regions and municipalities on the left, the selected response on the right."""

from __future__ import annotations

import html

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from .. import APP_NAME, __version__
from ..store import Store
from ..survey.answers import ANSWER_MODES, TICK, skipped_questions
from .models import CODE_ROLE, MunicipalityFilter, RegionTreeModel, status_label


class MainWindow(QMainWindow):
    def __init__(self, store: Store, *, demo: bool = False, round_year: int | None = None) -> None:
        super().__init__()
        self.store = store
        self.demo = demo
        self.round = store.round_for(round_year)
        name = store.path.name if store.path else "minnesdatabas"
        self.setWindowTitle(f"{APP_NAME} – {name}{' (demo)' if demo else ''}")
        self.resize(1200, 720)

        self.model = RegionTreeModel(store, self.round)
        self.proxy = MunicipalityFilter()
        self.proxy.setSourceModel(self.model)

        self.filter_box = QLineEdit()
        self.filter_box.setPlaceholderText("Sök kommun (namn eller kod) …")
        self.filter_box.setAccessibleName("Sök kommun")
        self.filter_box.setClearButtonEnabled(True)

        self.tree = QTreeView()
        self.tree.setModel(self.proxy)
        self.tree.setAccessibleName("Regioner och kommuner")
        self.tree.setUniformRowHeights(True)
        self.tree.setColumnWidth(0, 220)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 6, 6)
        left_layout.addWidget(QLabel(f"<b>{html.escape(self.round.title)}</b>"))
        left_layout.addWidget(self.filter_box)
        left_layout.addWidget(self.tree)

        self.details = QTextBrowser()
        self.details.setAccessibleName("Kommunens svar")
        self.details.setOpenLinks(False)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([360, 840])
        self.setCentralWidget(splitter)

        self._build_menus()
        self._connect()
        self.statusBar().showMessage(f"Databas: {store.path or 'i minnet'} · Omgång {self.round.year}")
        self.show_overview()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&Arkiv")
        self.find_action = QAction("&Sök kommun", self, shortcut=QKeySequence.StandardKey.Find)
        file_menu.addAction(self.find_action)
        file_menu.addSeparator()
        self.quit_action = QAction("&Avsluta", self, shortcut=QKeySequence.StandardKey.Quit)
        file_menu.addAction(self.quit_action)
        help_menu = self.menuBar().addMenu("&Hjälp")
        self.about_action = QAction("&Om BoU Desktop", self)
        help_menu.addAction(self.about_action)

    def _connect(self) -> None:
        self.filter_box.textChanged.connect(self._filter)
        self.tree.selectionModel().currentChanged.connect(self._selected)
        self.find_action.triggered.connect(self._focus_filter)
        self.quit_action.triggered.connect(self.close)
        self.about_action.triggered.connect(self._about)
        self.store.on_change(self.model.reload)

    def _focus_filter(self) -> None:
        self.filter_box.setFocus()
        self.filter_box.selectAll()

    def _filter(self, text: str) -> None:
        self.proxy.set_text(text)
        if text.strip():
            self.tree.expandAll()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            f"Om {APP_NAME}",
            f"<b>{APP_NAME} {__version__}</b><p>Insamling och sammanställning av SKL:s kartläggning om "
            "systematisk uppföljning av barn och unga placerade i familjehem och HVB.</p>",
        )

    def _selected(self, current, _previous) -> None:
        code = current.siblingAtColumn(0).data(CODE_ROLE)
        if code:
            self.show_response(code)
        else:
            self.show_overview()

    def show_overview(self) -> None:
        records = self.store.responses(self.round, with_fields=False)
        done = sum(1 for r in records if r.status == "klar")
        total = len(self.store.register.municipalities)
        self.details.setHtml(
            f"<h2>{html.escape(self.round.title)}</h2>"
            f"<p>{done} av {total} kommuner har svarat ({round(100 * done / total) if total else 0} %).</p>"
            "<p>Välj en kommun till vänster för att se dess svar.</p>"
        )

    def show_response(self, code: str) -> None:
        municipality = self.store.register.municipality(code)
        record = self.store.response(self.round, code)
        form = self.store.form_of(self.round)
        parts = [f"<h2>{html.escape(municipality.name)} <small>({code}, {html.escape(municipality.region)})</small></h2>"]
        if record is None:
            parts.append("<p>Status: ej påbörjad.</p>")
            self.details.setHtml("".join(parts))
            return
        answers = record.answers(form)
        mode = ANSWER_MODES.get(record.svarssatt or "", "–")
        parts.append(
            f"<p>Status: {status_label(record.status, record.origin)} · Svarssätt: {html.escape(mode)}"
            f" · Senast ändrat: {html.escape(record.modified[:16].replace('T', ' '))}</p>"
        )
        if answers.respondent:
            parts.append(
                "<p>Uppgiftslämnare: "
                + html.escape(", ".join(answers.respondent.get(k, "") for k in ("namn", "befattning") if answers.respondent.get(k)))
                + "</p>"
            )
        skipped = skipped_questions(form, answers)
        for question in form.questions:
            lines = []
            if question.type == "ranking":
                ranks = answers.ranks.get(question.id, {})
                for option_id, rank in sorted(ranks.items(), key=lambda item: item[1]):
                    lines.append(f"{rank}. {question.option(option_id).label}")
            else:
                for option_id in answers.choices.get(question.id, []):
                    lines.append(f"{TICK} {question.option(option_id).label}")
            for (qid, _option_id), text in answers.specify.items():
                if qid == question.id:
                    lines.append(f"Ange: {text}")
            if question.id in answers.comments:
                lines.append(f"Kommentar: {answers.comments[question.id]}")
            empty = "<i>Ej tillämpligt (hoppas över)</i>" if question.id in skipped else "<i>Inget svar</i>"
            if question.id in skipped and lines:
                lines.insert(0, "OBS: besvarad trots att frågan skulle hoppas över")
            body = "<br>".join(html.escape(line) for line in lines) or empty
            parts.append(f"<p><b>{question.number}) {html.escape(question.text)}</b><br>{body}</p>")
        self.details.setHtml("".join(parts))

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self.store.close()
        super().closeEvent(event)
