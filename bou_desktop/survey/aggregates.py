"""What one question adds up to over the units that answered (municipalities or regions).

One typed object per question type, used by every output (window, Excel, PDF, JSON); `to_json` is
the shape of a question in the county and national files (docs/formats.md). Numbers are exact
(`Decimal`), dates are `datetime.date`.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


def plain_number(value: Decimal | None) -> int | float | None:
    """A Decimal for JSON: an int when whole, else a float."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass(frozen=True)
class ChoiceAggregate:
    """single and multi: how many units chose each option."""

    counts: dict[str, int]
    ej_svar: int = 0
    ej_tillampligt: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"counts": dict(self.counts), "ej_svar": self.ej_svar, "ej_tillampligt": self.ej_tillampligt}


@dataclass(frozen=True)
class RankingAggregate:
    """ranking: per option the mean of the ranks given to it (None when nobody ranked it) and how many ranked it."""

    mean_rank: dict[str, Decimal | None]
    ranked_by: dict[str, int]
    ej_svar: int = 0
    ej_tillampligt: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "mean_rank": {k: plain_number(v) for k, v in self.mean_rank.items()},
            "ranked_by": dict(self.ranked_by),
            "ej_svar": self.ej_svar,
            "ej_tillampligt": self.ej_tillampligt,
        }


@dataclass(frozen=True)
class NumberAggregate:
    """integer and decimal: count, sum, mean, median, smallest and largest of the values given."""

    n: int
    sum: Decimal
    mean: Decimal | None
    median: Decimal | None
    min: Decimal | None
    max: Decimal | None
    ej_svar: int = 0
    ej_tillampligt: int = 0

    @classmethod
    def of(cls, values: list[Decimal], ej_svar: int = 0, ej_tillampligt: int = 0) -> NumberAggregate:
        if not values:
            return cls(0, Decimal(0), None, None, None, None, ej_svar, ej_tillampligt)
        total = sum(values, Decimal(0))
        return cls(len(values), total, total / len(values), statistics.median(values), min(values), max(values),
                   ej_svar, ej_tillampligt)

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n, "sum": plain_number(self.sum), "mean": plain_number(self.mean),
            "median": plain_number(self.median), "min": plain_number(self.min), "max": plain_number(self.max),
            "ej_svar": self.ej_svar, "ej_tillampligt": self.ej_tillampligt,
        }


@dataclass(frozen=True)
class DateAggregate:
    """date: how many dates, the earliest and the latest."""

    n: int
    min: date | None
    max: date | None
    ej_svar: int = 0
    ej_tillampligt: int = 0

    @classmethod
    def of(cls, values: list[date], ej_svar: int = 0, ej_tillampligt: int = 0) -> DateAggregate:
        return cls(len(values), min(values, default=None), max(values, default=None), ej_svar, ej_tillampligt)

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n, "min": self.min.isoformat() if self.min else None,
            "max": self.max.isoformat() if self.max else None,
            "ej_svar": self.ej_svar, "ej_tillampligt": self.ej_tillampligt,
        }


@dataclass(frozen=True)
class UnitText:
    """One unit's text; `unit` (a municipality code or a region name) is None when anonymised."""

    unit: str | None
    text: str


@dataclass(frozen=True)
class TextAggregate:
    """text and longtext: every text with its unit, in the units' order."""

    texts: tuple[UnitText, ...]
    ej_svar: int = 0
    ej_tillampligt: int = 0
    unit_key: str = "kommun"  # "region" for a region-level form

    def to_json(self) -> dict[str, Any]:
        texts = [{self.unit_key: t.unit, "text": t.text} if t.unit is not None else {"text": t.text} for t in self.texts]
        return {"texts": texts, "ej_svar": self.ej_svar, "ej_tillampligt": self.ej_tillampligt}


ValueAggregate = NumberAggregate | DateAggregate | TextAggregate


@dataclass(frozen=True)
class TableAggregate:
    """table: the filled rows of every unit, and per column the aggregate of its type over those rows."""

    rows: int
    columns: dict[str, ValueAggregate] = field(default_factory=dict)
    ej_svar: int = 0
    ej_tillampligt: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "rows": self.rows, "columns": {k: v.to_json() for k, v in self.columns.items()},
            "ej_svar": self.ej_svar, "ej_tillampligt": self.ej_tillampligt,
        }


Aggregate = ChoiceAggregate | RankingAggregate | NumberAggregate | DateAggregate | TextAggregate | TableAggregate
