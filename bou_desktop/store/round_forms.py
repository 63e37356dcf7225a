"""A round's forms as the database keeps them: the form file's exact text, and that text parsed.

A round is started from a form file (forms/ or any other folder); the file's text goes into the
database with it, so a database is complete by itself and editing a file later changes no round.
The parsed TOML is kept beside the text as JSON: reading JSON needs no TOML reader at start.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..records import Record, record
from ..survey.forms import Form, FormError, _parse_toml, parse_form

MAX_FORM_BYTES = 2_000_000  # a form is a few tens of kilobytes; anything near this is not a form


@record
class FormSource(Record):
    """A form with the text it was read from, as stored with a round."""

    form: Form
    file_name: str
    source: str
    data: str | None  # the parsed TOML as JSON; None when JSON cannot hold a value of it

    @classmethod
    def read(cls, path: Path | str) -> FormSource:
        """Read and check a form file (FormError naming the file, the key and the reason)."""
        path = Path(path)
        try:
            size = path.stat().st_size
            if size > MAX_FORM_BYTES:
                raise FormError(path, "(fil)", f"filen är för stor för att vara ett formulär ({size // 1000} kB)")
            raw = path.read_bytes()
        except OSError as error:
            raise FormError(path, "(fil)", f"kan inte läsas: {error.strerror or error}") from error
        parsed = _parse_toml(raw, path)  # refuses a file that is not UTF-8
        return cls(parse_form(parsed, path), path.name, raw.decode("utf-8"), _as_json(parsed))


def _as_json(parsed: dict[str, Any]) -> str | None:
    try:
        text = json.dumps(parsed, ensure_ascii=False)
    except (TypeError, ValueError):  # a TOML date, say: the text is parsed again when needed
        return None
    return text if json.loads(text) == parsed else None


def stored_form(file_name: str, source: str, data: str | None) -> Form:
    """The Form of a stored round form, from its JSON when there is one, else from its text."""
    path = Path(file_name)
    parsed = json.loads(data) if data is not None else _parse_toml(source.encode("utf-8"), path)
    return parse_form(parsed, path)
