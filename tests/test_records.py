"""bou_desktop.records: a class made with @record behaves as @dataclass(frozen=True) would: made with the same
arguments and the same errors, frozen, equal, hashed and shown alike."""

from __future__ import annotations

import copy
import pickle
from dataclasses import FrozenInstanceError, asdict, dataclass, field, fields, replace

import pytest

from bou_desktop.records import Record, record


@dataclass(frozen=True)
class Generated:
    id: str
    label: str = ""
    path: str | None = field(default=None, compare=False)
    secret: str = field(default="", repr=False)


@record
class Shared(Record):
    id: str
    label: str = ""
    path: str | None = field(default=None, compare=False)
    secret: str = field(default="", repr=False)


@record
class Other(Record):
    id: str
    label: str = ""
    path: str | None = field(default=None, compare=False)
    secret: str = field(default="", repr=False)


@pytest.mark.parametrize(("a", "b"), [
    (("q1", "Ja", "a.toml", "x"), ("q1", "Ja", "b.toml", "x")),  # a field left out of comparing
    (("q1", "Ja"), ("q1", "Nej")),
    (("q1", "Ja", None, "x"), ("q1", "Ja", None, "y")),
])
def test_equality_hash_and_repr_are_the_generated_ones(a, b):
    generated, shared = (Generated(*a), Generated(*b)), (Shared(*a), Shared(*b))
    assert (shared[0] == shared[1]) == (generated[0] == generated[1])
    assert (hash(shared[0]) == hash(shared[1])) == (hash(generated[0]) == hash(generated[1]))
    assert repr(shared[0]).replace("Shared", "Generated") == repr(generated[0])
    assert len({shared[0], shared[1]}) == len({generated[0], generated[1]})


def test_another_class_with_the_same_fields_is_not_equal_and_it_stays_frozen():
    assert Shared("q1") != Other("q1") and Shared("q1") != ("q1",)
    record = Shared("q1", "Ja")
    with pytest.raises(FrozenInstanceError):
        record.label = "Nej"  # type: ignore[misc]
    assert replace(record, label="Nej") == Shared("q1", "Nej")


def test_the_forms_are_records_and_compare_as_before(tmp_path):
    from conftest import REPO

    from bou_desktop.survey.forms import Form, Question, load_form

    first, second = load_form(REPO / "forms" / "kommunenkat.toml"), load_form(REPO / "forms" / "kommunenkat.toml")
    assert isinstance(first, Record) and isinstance(first.questions[0], Record)
    assert first == second and hash(first) == hash(second) and first is not second
    assert replace(first, path=tmp_path / "x.toml") == first  # the path is not compared
    assert replace(first, title="Annan") != first
    assert repr(first.questions[0]).startswith("Question(id='q1', number=1, type='single'")
    assert Form.__eq__ is Record.__eq__ and Question.__repr__ is Record.__repr__


@dataclass(frozen=True)
class GeneratedWithFactory:
    id: str
    tags: list = field(default_factory=list)
    count: int = field(default=0, init=False)


@record
class SharedWithFactory(Record):
    id: str
    tags: list = field(default_factory=list)
    count: int = field(default=0, init=False)


def _outcome(cls, args, kwargs):
    """What making `cls` gives: its fields, or the error's class and message (without the class's name)."""
    try:
        made = cls(*args, **kwargs)
    except TypeError as error:
        return "TypeError", str(error).replace(cls.__qualname__, "C")
    return "made", tuple((f.name, getattr(made, f.name)) for f in fields(made))


@pytest.mark.parametrize(("args", "kwargs"), [
    (("q1",), {}),
    (("q1", "Ja", "a.toml", "x"), {}),
    ((), {"id": "q1", "secret": "x"}),
    (("q1",), {"path": "p", "label": "L"}),
    ((), {}),  # the required field missing
    (("q1", "Ja", "a", "x", "too many"), {}),
    (("q1",), {"id": "again"}),
    (("q1",), {"unknown": 1}),
])
def test_made_with_the_same_arguments_and_the_same_errors(args, kwargs):
    assert _outcome(Shared, args, kwargs) == _outcome(Generated, args, kwargs)


@pytest.mark.parametrize(("args", "kwargs"), [
    (("q1",), {}),
    (("q1", ["a"]), {}),
    (("q1",), {"count": 3}),  # not an init field
    (("q1", [], 3), {}),
])
def test_factories_and_fields_not_in_init_as_generated(args, kwargs):
    assert _outcome(SharedWithFactory, args, kwargs) == _outcome(GeneratedWithFactory, args, kwargs)
    first, second = SharedWithFactory("a"), SharedWithFactory("b")
    assert first.tags == [] and first.tags is not second.tags  # a new list per instance


def test_frozen_and_usable_as_any_dataclass():
    made = Shared("q1", "Ja", secret="s")
    for change in (lambda: setattr(made, "label", "Nej"), lambda: delattr(made, "label"),
                   lambda: setattr(made, "new", 1)):
        with pytest.raises(FrozenInstanceError):
            change()
    assert made.label == "Ja"
    assert asdict(made) == {"id": "q1", "label": "Ja", "path": None, "secret": "s"}
    assert replace(made, secret="t").secret == "t"
    assert copy.copy(made) == made and copy.deepcopy(made) == made
    assert pickle.loads(pickle.dumps(made)) == made
    assert Shared.__match_args__ == Generated.__match_args__


def test_only_for_records():
    with pytest.raises(TypeError):
        record(type("Plain", (), {"__annotations__": {"id": "str"}}))
