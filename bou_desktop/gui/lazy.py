"""A tab page that builds its view the first time it is shown (or asked for).

The county and national views are big and often never opened in a session (a municipality never
sees them), and the questionnaire is not needed until a municipality is chosen; building them only
when needed keeps start-up fast (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget


class LazyPage(QWidget):
    """A page for a QTabWidget whose only child, made by `factory`, is built on first need.

    Without a `placeholder` that is when the page is first shown. With one, only when `view()` is
    called; until then the page shows the placeholder, which should be what the view itself shows
    before it has anything to show, so that building it changes nothing on screen.
    """

    def __init__(self, factory: Callable[[], QWidget], built: Callable[[QWidget], None] | None = None,
                 parent: QWidget | None = None, *, placeholder: str = "") -> None:
        super().__init__(parent)
        self._factory = factory
        self._built = built
        self._build_on_show = not placeholder
        self._view: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._placeholder: QWidget | None = None
        if placeholder:
            # Centred by stretches rather than an alignment flag, which would make PySide6 create
            # the whole `Qt` namespace during the start (see gui/models.py).
            self._placeholder = QWidget()
            row = QHBoxLayout(self._placeholder)
            row.addStretch(1)
            row.addWidget(QLabel(placeholder))
            row.addStretch(1)
            layout.addStretch(1)
            layout.addWidget(self._placeholder)
            layout.addStretch(1)

    @property
    def is_built(self) -> bool:
        return self._view is not None

    def view(self) -> QWidget:
        """The view, built now if it has not been yet."""
        if self._view is None:
            self._view = self._factory()
            layout = self.layout()
            if self._placeholder is not None:
                self._placeholder.deleteLater()
                self._placeholder = None
                while layout.count():  # the placeholder and its stretches
                    layout.takeAt(0)
            layout.addWidget(self._view)
            self._view.show()  # a child added to a page being shown is not shown by Qt on its own
            if self._built is not None:
                self._built(self._view)
        return self._view

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if self._build_on_show:
            self.view()
        super().showEvent(event)
