"""Swedish sort order without Qt: å, ä, ö after z; accents folded (é = e, ü = y)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

# Letters with their own place in the Swedish alphabet, after z.
_SWEDISH_TAIL = {"å": "{0", "ä": "{1", "æ": "{1", "ö": "{2", "ø": "{2"}
# Letters Swedish dictionaries sort as another letter.
_FOLDED = {"ü": "y", "w": "w", "ß": "ss", "þ": "th", "đ": "d", "ł": "l"}


def _primary(char: str) -> str:
    lower = char.lower()
    if lower in _SWEDISH_TAIL:
        return _SWEDISH_TAIL[lower]
    if lower in _FOLDED:
        return _FOLDED[lower]
    base = unicodedata.normalize("NFD", lower)[0]
    return base


def swedish_key(text: str) -> tuple[str, str]:
    """A sort key: Swedish alphabetical order first, then the exact text as tie-break."""
    primary = "".join(_primary(c) for c in text)
    return (primary, text)


def swedish_sorted(items: Iterable[T], key: Callable[[T], str] | None = None) -> list[T]:
    get = key or (lambda item: item)  # type: ignore[assignment,return-value]
    return sorted(items, key=lambda item: swedish_key(get(item)))
