"""Loading the app's data in one place: forms, register, database. Used by CLI and GUI alike."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .paths import forms_dir, resources_dir
from .store import Store
from .survey.forms import FormLibrary
from .survey.register import Register, load_register


@cache
def forms() -> FormLibrary:
    return FormLibrary.load(forms_dir())


@cache
def register() -> Register:
    return load_register(resources_dir())


def open_store(path: Path | str | None) -> Store:
    return Store.open(path, forms(), register())
