"""One half-up rounding for every figure shown: survey/compilation.round_half_up, which
exchange/aggregate_text.swedish_number (views, PDFs, print) uses too. As Swedish statistics round: a
half goes away from zero (0,5 -> 1; 2,5 -> 3; -2,5 -> -3), never to the even neighbour as Python's
round() does (round(2.5) == 2)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bou_desktop.exchange import aggregate_text
from bou_desktop.exchange.aggregate_text import swedish_number
from bou_desktop.survey.compilation import decimal_comma, round_half_up

HALVES = [  # (value, places, as a person rounds it)
    (0.5, 0, "1"), (1.5, 0, "2"), (2.5, 0, "3"), (3.5, 0, "4"),
    (-0.5, 0, "-1"), (-1.5, 0, "-2"), (-2.5, 0, "-3"),
    (1.75, 1, "1.8"), (2.25, 1, "2.3"), (-2.25, 1, "-2.3"), (0.05, 1, "0.1"),
    (2.675, 2, "2.68"),  # as written, though the float 2.675 is a hair below it
    (0.125, 2, "0.13"), (12.345, 2, "12.35"),
    (2.4, 0, "2"), (-2.4, 0, "-2"), (2.6, 0, "3"),
]


@pytest.mark.parametrize(("value", "places", "rounded"), HALVES)
def test_round_half_up_rounds_a_half_away_from_zero(value, places, rounded):
    assert round_half_up(value, places) == Decimal(rounded)
    assert round_half_up(Decimal(repr(value)), places) == Decimal(rounded)  # a Decimal the same way


def test_whole_numbers_and_the_default_of_one_decimal():
    assert round_half_up(3, 0) == Decimal(3) and round_half_up(-7, 1) == Decimal("-7.0")
    assert round_half_up(1.25) == Decimal("1.3")  # one decimal by default, as the county compilation shows
    assert decimal_comma(2.25) == "2,3" and decimal_comma(-0.05) == "-0,1"


@pytest.mark.parametrize(("value", "places", "rounded"), HALVES)
def test_the_shown_figures_round_the_same_way(value, places, rounded):
    expected = rounded.replace(".", ",").replace("-", "−")
    if "," in expected:  # swedish_number leaves out trailing zeros unless asked to keep them
        expected = expected.rstrip("0").rstrip(",")
    assert swedish_number(value, places=places) == expected
    assert swedish_number(value, "%", places) == f"{expected}\u00a0%"


def test_one_helper_not_two(monkeypatch):
    """swedish_number rounds through compilation's helper: no second quantize to drift apart from it."""
    calls = []

    def spy(value, decimals=1):
        calls.append((value, decimals))
        return round_half_up(value, decimals)

    monkeypatch.setattr(aggregate_text, "round_half_up", spy)
    assert swedish_number(2.5, places=0) == "3" and calls == [(2.5, 0)]
    assert swedish_number(2.5) == "2,5" and len(calls) == 1  # no places: not rounded
