"""bou_desktop.records.Record behaves as @dataclass(frozen=True) would for equality, hashing and repr."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass, field, replace

import pytest

from bou_desktop.records import Record


@dataclass(frozen=True)
class Generated:
    id: str
    label: str = ""
    path: str | None = field(default=None, compare=False)
    secret: str = field(default="", repr=False)


@dataclass(frozen=True, repr=False, eq=False)
class Shared(Record):
    id: str
    label: str = ""
    path: str | None = field(default=None, compare=False)
    secret: str = field(default="", repr=False)


@dataclass(frozen=True, repr=False, eq=False)
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
