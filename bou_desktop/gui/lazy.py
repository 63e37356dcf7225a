"""A tab page that builds its view the first time it is shown (or asked for).

The county and national views are big and often never opened in a session (a municipality never
sees them); building them only when needed keeps start-up fast (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyPage(QWidget):
    """A page for a QTabWidget whose only child, made by `factory`, is built on first need."""

    def __init__(self, factory: Callable[[], QWidget], built: Callable[[QWidget], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._factory = factory
        self._built = built
        self._view: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    @property
    def is_built(self) -> bool:
        return self._view is not None

    def view(self) -> QWidget:
        """The view, built now if it has not been yet."""
        if self._view is None:
            self._view = self._factory()
            self.layout().addWidget(self._view)
            self._view.show()  # a child added to a page being shown is not shown by Qt on its own
            if self._built is not None:
                self._built(self._view)
        return self._view

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self.view()
        super().showEvent(event)
