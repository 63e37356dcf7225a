"""`record`: `@dataclass(frozen=True)` for the classes read at start-up, without a compiled method per class.

Python 3.11 compiles every method a dataclass generates with its own `exec`: for a frozen dataclass
`__init__`, `__setattr__`, `__delattr__`, `__eq__`, `__hash__` and `__repr__`, about 0.4 ms a class. The
frozen classes read at start-up (forms, register, rounds …) took about a fifth of the start's own
import time that way (docs/performance.md). A class declared

    @record
    class Option(Record):
        ...

behaves as `@dataclass(frozen=True)` would: made with the same arguments (positional or by name,
defaults, `default_factory` called per instance) and the same errors for wrong ones; frozen; equal
when of the same class with equal compared fields (`field(compare=False)` left out), hashed on those
fields, shown as `Name(field=value, …)` (`field(repr=False)` left out). `dataclasses.fields`,
`replace` and `asdict` work on it as on any dataclass. `tests/test_records.py` holds it to that.
"""

from __future__ import annotations

from dataclasses import MISSING, FrozenInstanceError, dataclass, field, fields
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T", bound=type)


class Record:
    __slots__ = ()

    def _compared(self) -> tuple:
        return tuple(getattr(self, f.name) for f in fields(self) if f.compare)  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._compared() == other._compared()  # type: ignore[attr-defined]
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._compared())

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)  # type: ignore[arg-type]
        return f"{type(self).__qualname__}({shown})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")


def _initializer(cls: type) -> Any:
    """An `__init__` taking a dataclass's init fields as the generated one would, without compiling one."""
    init_fields = [f for f in fields(cls) if f.init]
    names = tuple(f.name for f in init_fields)
    defaults = tuple((f.default, f.default_factory) for f in init_fields)
    later = [(f.name, f.default, f.default_factory) for f in fields(cls) if not f.init]
    post_init = getattr(cls, "__post_init__", None)
    where = f"{cls.__qualname__}.__init__()"
    required = sum(1 for default, factory in defaults if default is MISSING and factory is MISSING)
    takes = (f"from {required + 1} to {len(names) + 1} positional arguments" if required < len(names)
             else f"{len(names) + 1} positional argument{'s' if names else ''}")  # worded as Python words it
    assign = object.__setattr__

    def init(self, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(names):
            raise TypeError(f"{where} takes {takes} but {len(args) + 1} were given")
        for name, value in zip(names, args, strict=False):  # fewer args than names: the rest below
            assign(self, name, value)
        for index in range(len(args), len(names)):
            name = names[index]
            if name in kwargs:
                assign(self, name, kwargs.pop(name))
                continue
            default, factory = defaults[index]
            if default is not MISSING:
                assign(self, name, default)
            elif factory is not MISSING:
                assign(self, name, factory())
            else:
                raise TypeError(f"{where} missing 1 required positional argument: {name!r}")
        if kwargs:
            name = next(iter(kwargs))
            if name in names:
                raise TypeError(f"{where} got multiple values for argument {name!r}")
            raise TypeError(f"{where} got an unexpected keyword argument {name!r}")
        for name, default, factory in later:
            if default is not MISSING:
                assign(self, name, default)
            elif factory is not MISSING:
                assign(self, name, factory())
        if post_init is not None:
            post_init(self)

    init.__name__, init.__qualname__ = "__init__", f"{cls.__qualname__}.__init__"
    return init


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: T) -> T:
    """Make `cls`, a subclass of `Record`, a frozen dataclass (see the module's text)."""
    if not issubclass(cls, Record):
        raise TypeError(f"{cls.__qualname__}: @record is for subclasses of Record")
    if cls.__doc__ is None:
        cls.__doc__ = cls.__name__  # not the signature dataclass would work out (inspect, at start-up)
    cls = dataclass(init=False, repr=False, eq=False)(cls)  # the fields, their metadata and match args only
    cls.__init__ = _initializer(cls)  # type: ignore[misc]
    return cls
