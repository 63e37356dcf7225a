"""The refusal every reader raises: a plain Swedish reason, naming the field where it can."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from ..survey.forms import FormLibrary

T = TypeVar("T")


class RefusedFile(Exception):
    """A file that cannot be imported. `str()` is the reason, for the user."""


def check_format_version(raw: dict, supported: int | tuple[int, ...]) -> int:
    """Refuse a file of another format version; return the version. The version must be the integer
    itself: in Python `True == 1` and `1.0 == 1`, and neither is a version this program wrote."""
    versions = supported if isinstance(supported, tuple) else (supported,)
    version = raw.get("format_version")
    if type(version) is not int or version not in versions:
        raise RefusedFile(f"format_version {version!r} stöds inte (den här versionen läser {' och '.join(map(str, versions))})")
    return version


def read_with_round_forms(read: Callable[[FormLibrary], T], forms: FormLibrary | Sequence[FormLibrary]) -> T:
    """`read(forms)` with each library of `Store.form_generations()` in turn, until one accepts the file:
    a file of an earlier round whose form has changed since is read with that round's form. A refusal
    by them all is the first library's (the latest rounds')."""
    libraries = [forms] if isinstance(forms, FormLibrary) else list(forms)
    first: RefusedFile | None = None
    for library in libraries:
        try:
            return read(library)
        except RefusedFile as error:
            first = first or error
    raise first or RefusedFile("databasen har ingen omgång att läsa filen med")
