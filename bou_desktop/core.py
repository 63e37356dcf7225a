"""Loading the app's data in one place: forms, register, database. Used by CLI and GUI alike."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .paths import cache_dir, forms_dir, resources_dir
from .store import Store
from .survey.forms import FormLibrary
from .survey.register import Register, load_register


@cache
def forms() -> FormLibrary:
    return FormLibrary.load(forms_dir(), cache_dir=cache_dir() / "forms")


@cache
def register() -> Register:
    return load_register(resources_dir())


def open_store(path: Path | str | None, *, daily_backup: bool = False) -> Store:
    """Open a database; with `daily_backup`, make the day's backup if none is made yet (program start)."""
    store = Store.open(path, forms, register())  # the forms folder read only when needed (Store.library)
    if daily_backup and store.path is not None:
        from .store.backup import BackupError
        from .store.backup import daily_backup as make_daily

        try:
            make_daily(store.path, connection=store.db.conn)
        except BackupError:
            pass  # a failed backup must not stop the work; the next start tries again
    return store
