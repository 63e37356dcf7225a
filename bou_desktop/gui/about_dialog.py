"""Hjälp → Om BoU Desktop: the version, the licence, the Qt, PySide6 and Python versions and where the data is."""

from __future__ import annotations

import platform
from html import escape
from pathlib import Path

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QWidget

from .. import APP_NAME, __version__
from ..paths import user_data_dir
from .first_run import TextDialog

LICENSE_LINE = "Licens: MIT"
COPYRIGHT_LINE = "Copyright (c) 2026 BoU Desktop-utvecklarna"
DESCRIPTION = ("Insamling och sammanställning av SKL:s kartläggning om systematisk uppföljning av barn och unga "
               "placerade i familjehem och HVB.")


def about_lines(database: Path | str | None, data_folder: Path | str | None = None) -> list[tuple[str, str]]:
    """(label, value) rows of the dialog, after the name and version."""
    return [
        ("Version", __version__),
        ("Licens", "MIT"),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("Python", platform.python_version()),
        ("Datamapp", str(data_folder if data_folder is not None else user_data_dir())),
        ("Databas", str(database) if database is not None else "i minnet (sparas inte)"),
    ]


def about_html(database: Path | str | None, data_folder: Path | str | None = None) -> str:
    rows = "".join(f"<tr><td style='padding-right:12px'>{escape(label)}:</td><td>{escape(value)}</td></tr>"
                   for label, value in about_lines(database, data_folder) if label != "Licens")
    return (f"<h2>{escape(APP_NAME)} {escape(__version__)}</h2><p>{escape(DESCRIPTION)}</p>"
            f"<p>{escape(LICENSE_LINE)}<br>{escape(COPYRIGHT_LINE)}</p><p></p><table cellspacing='0'>{rows}</table>")


def about_text(database: Path | str | None, data_folder: Path | str | None = None) -> str:
    """The dialog's content as plain text (what "Kopiera" would give, and what tests read)."""
    lines = [f"{APP_NAME} {__version__}", DESCRIPTION, LICENSE_LINE, COPYRIGHT_LINE]
    lines += [f"{label}: {value}" for label, value in about_lines(database, data_folder) if label != "Licens"]
    return "\n".join(lines)


class AboutDialog(TextDialog):
    """Everything support asks first, selectable so it can be copied into an e-mail."""

    def __init__(self, database: Path | str | None, parent: QWidget | None = None, *,
                 data_folder: Path | str | None = None) -> None:
        super().__init__(f"Om {APP_NAME}", about_html(database, data_folder), parent, width=560)
        self.plain_text = about_text(database, data_folder)
