"""`Record`: what `@dataclass` generates for equality, hashing and repr, shared instead of compiled per class.

Python 3.11 compiles every method a dataclass generates with its own `exec`; the frozen dataclasses
read at start-up (forms, register, rounds …) made about a hundred of them, a tenth of the start-up's
import time (docs/performance.md). A frozen dataclass declared `@dataclass(frozen=True, repr=False,
eq=False)` on `Record` behaves as `@dataclass(frozen=True)` would: equal when of the same class with
equal compared fields (`field(compare=False)` left out), hashed on those fields, shown as
`Name(field=value, …)` (`field(repr=False)` left out).
"""

from __future__ import annotations

from dataclasses import fields


class Record:
    __slots__ = ()

    def _compared(self) -> tuple:
        return tuple(getattr(self, f.name) for f in fields(self) if f.compare)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._compared() == other._compared()  # type: ignore[attr-defined]
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._compared())

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
        return f"{type(self).__qualname__}({shown})"
