"""What one question adds up to over the units that answered (municipalities or regions).

One typed object per question type, used by every output (window, Excel, PDF, JSON); `to_json` is
the shape of a question in the county and national files (docs/formats.md) and `from_json` reads it
back, checked (AggregateError with a Swedish reason). `combine` adds up the aggregates of several
regions (the national compilation): counts and sums exactly, means again from sums, the median from
the values that every number aggregate carries (sorted, without their units), earliest and latest
dates, texts one after another with their region. Numbers are exact (`Decimal`), dates are
`datetime.date`.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

MAX_ITEMS = 100_000  # values, texts or options in one aggregate read from a file


class AggregateError(ValueError):
    """An aggregate in a file that cannot be one; `str()` is the Swedish reason, naming the place."""


def plain_number(value: Decimal | None) -> int | float | None:
    """A Decimal for JSON: an int when whole, else a float."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _dict(raw: Any, where: str) -> dict:
    if not isinstance(raw, dict):
        raise AggregateError(f"{where} ska vara ett objekt")
    return raw


def _count(raw: Any, where: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw) or raw != int(raw) or raw < 0:
        raise AggregateError(f"{where} ska vara ett heltal, minst 0, inte {raw!r}")
    return int(raw)


def _number(raw: Any, where: str, none: bool = True) -> Decimal | None:
    if raw is None and none:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise AggregateError(f"{where} ska vara ett tal, inte {raw!r}")
    return Decimal(raw) if isinstance(raw, int) else Decimal(repr(raw))


def _date(raw: Any, where: str) -> date | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw) if isinstance(raw, str) and len(raw) == 10 else _bad_date(raw, where)
    except ValueError:
        return _bad_date(raw, where)


def _bad_date(raw: Any, where: str):
    raise AggregateError(f"{where} ska vara ett datum ÅÅÅÅ-MM-DD, inte {raw!r}")


def _text(raw: Any, where: str, limit: int = 50_000) -> str:
    if not isinstance(raw, str) or len(raw) > limit:
        raise AggregateError(f"{where} ska vara en text (högst {limit} tecken)")
    return raw


def _keys(raw: dict, allowed: Sequence[str], where: str) -> dict:
    if len(raw) > MAX_ITEMS:
        raise AggregateError(f"{where} har för många delar")
    unknown = [k for k in raw if k not in allowed]
    if unknown:
        raise AggregateError(f"{where}: okänt alternativ {str(unknown[0])[:40]!r}")
    return raw


def _missing(raw: dict, where: str) -> tuple[int, int]:
    return (_count(raw.get("ej_svar", 0), f"{where}.ej_svar"), _count(raw.get("ej_tillampligt", 0), f"{where}.ej_tillampligt"))


@dataclass(frozen=True)
class ChoiceAggregate:
    """single and multi: how many units chose each option."""

    counts: dict[str, int]
    ej_svar: int = 0
    ej_tillampligt: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"counts": dict(self.counts), "ej_svar": self.ej_svar, "ej_tillampligt": self.ej_tillampligt}

    @classmethod
    def from_json(cls, raw: Any, where: str, option_ids: Sequence[str]) -> ChoiceAggregate:
        raw = _dict(raw, where)
        counts = _keys(_dict(raw.get("counts") or {}, f"{where}.counts"), option_ids, f"{where}.counts")
        return cls({k: _count(v, f"{where}.counts.{k}") for k, v in counts.items()}, *_missing(raw, where))

    @classmethod
    def combine(cls, parts: Sequence[ChoiceAggregate], option_ids: Sequence[str]) -> ChoiceAggregate:
        return cls({o: sum(p.counts.get(o, 0) for p in parts) for o in option_ids},
                   sum(p.ej_svar for p in parts), sum(p.ej_tillampligt for p in parts))


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

    @classmethod
    def from_json(cls, raw: Any, where: str, option_ids: Sequence[str]) -> RankingAggregate:
        raw = _dict(raw, where)
        means = _keys(_dict(raw.get("mean_rank") or {}, f"{where}.mean_rank"), option_ids, f"{where}.mean_rank")
        ranked = _keys(_dict(raw.get("ranked_by") or {}, f"{where}.ranked_by"), option_ids, f"{where}.ranked_by")
        ranked_by = {o: _count(ranked.get(o, 0), f"{where}.ranked_by.{o}") for o in option_ids}
        mean_rank: dict[str, Decimal | None] = {}
        for o in option_ids:
            mean = _number(means.get(o), f"{where}.mean_rank.{o}")
            if (mean is None) != (ranked_by[o] == 0) or (mean is not None and not 1 <= mean <= len(option_ids)):
                raise AggregateError(f"{where}.mean_rank.{o}: medelrangen går inte ihop med ranked_by")
            # A sum of ranks is a whole number: the mean is that sum over ranked_by, exactly.
            mean_rank[o] = None if mean is None else Decimal(round(mean * ranked_by[o])) / ranked_by[o]
        return cls(mean_rank, ranked_by, *_missing(raw, where))

    @classmethod
    def combine(cls, parts: Sequence[RankingAggregate], option_ids: Sequence[str]) -> RankingAggregate:
        means: dict[str, Decimal | None] = {}
        ranked_by: dict[str, int] = {}
        for o in option_ids:
            ranked_by[o] = sum(p.ranked_by.get(o, 0) for p in parts)
            # Each part's sum of ranks is a whole number: rounding undoes the mean's last digit.
            total = sum(round(p.mean_rank[o] * p.ranked_by[o]) for p in parts if p.mean_rank.get(o) is not None)
            means[o] = Decimal(total) / ranked_by[o] if ranked_by[o] else None
        return cls(means, ranked_by, sum(p.ej_svar for p in parts), sum(p.ej_tillampligt for p in parts))


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
    # Every value, sorted, without its unit: what a median over several regions needs. None when a file
    # did not carry them (then a combined median is None, the rest is exact all the same).
    values: tuple[Decimal, ...] | None = None

    @classmethod
    def of(cls, values: Sequence[Decimal], ej_svar: int = 0, ej_tillampligt: int = 0) -> NumberAggregate:
        ordered = tuple(sorted(values))
        if not ordered:
            return cls(0, Decimal(0), None, None, None, None, ej_svar, ej_tillampligt, ())
        total = sum(ordered, Decimal(0))
        return cls(len(ordered), total, total / len(ordered), statistics.median(ordered), ordered[0], ordered[-1],
                   ej_svar, ej_tillampligt, ordered)

    def to_json(self) -> dict[str, Any]:
        document = {
            "n": self.n, "sum": plain_number(self.sum), "mean": plain_number(self.mean),
            "median": plain_number(self.median), "min": plain_number(self.min), "max": plain_number(self.max),
            "ej_svar": self.ej_svar, "ej_tillampligt": self.ej_tillampligt,
        }
        if self.values is not None:
            document["values"] = [plain_number(v) for v in self.values]
        return document

    @classmethod
    def from_json(cls, raw: Any, where: str) -> NumberAggregate:
        raw = _dict(raw, where)
        missing = _missing(raw, where)
        if "values" in raw:  # the values decide; the figures beside them must agree
            values = raw["values"]
            if not isinstance(values, list) or len(values) > MAX_ITEMS:
                raise AggregateError(f"{where}.values ska vara en lista med tal")
            result = cls.of([_number(v, f"{where}.values", none=False) for v in values], *missing)
            for key in ("n", "sum", "min", "max"):
                if key in raw and _number(raw[key], f"{where}.{key}") != getattr(result, key):
                    raise AggregateError(f"{where}.{key} går inte ihop med values")
            return result
        n = _count(raw.get("n", 0), f"{where}.n")
        total = _number(raw.get("sum", 0), f"{where}.sum", none=False)
        if n == 0:
            return cls(0, Decimal(0), None, None, None, None, *missing, None)
        low, high = _number(raw.get("min"), f"{where}.min"), _number(raw.get("max"), f"{where}.max")
        if low is None or high is None or not low * n <= total <= high * n:
            raise AggregateError(f"{where}: sum, min och max går inte ihop")
        return cls(n, total, total / n, _number(raw.get("median"), f"{where}.median"), low, high, *missing, None)

    @classmethod
    def combine(cls, parts: Sequence[NumberAggregate]) -> NumberAggregate:
        missing = sum(p.ej_svar for p in parts), sum(p.ej_tillampligt for p in parts)
        if all(p.values is not None for p in parts):
            return cls.of([v for p in parts for v in p.values], *missing)
        n = sum(p.n for p in parts)
        total = sum((p.sum for p in parts), Decimal(0))
        if n == 0:
            return cls(0, Decimal(0), None, None, None, None, *missing, None)
        given = [p for p in parts if p.n]
        return cls(n, total, total / n, given[0].median if len(given) == 1 else None,
                   min(p.min for p in given), max(p.max for p in given), *missing, None)


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

    @classmethod
    def from_json(cls, raw: Any, where: str) -> DateAggregate:
        raw = _dict(raw, where)
        n = _count(raw.get("n", 0), f"{where}.n")
        low, high = _date(raw.get("min"), f"{where}.min"), _date(raw.get("max"), f"{where}.max")
        if (n == 0) != (low is None) or (low is None) != (high is None) or (low and high and low > high):
            raise AggregateError(f"{where}: n, min och max går inte ihop")
        return cls(n, low, high, *_missing(raw, where))

    @classmethod
    def combine(cls, parts: Sequence[DateAggregate]) -> DateAggregate:
        given = [p for p in parts if p.n]
        return cls(sum(p.n for p in parts), min((p.min for p in given), default=None),
                   max((p.max for p in given), default=None),
                   sum(p.ej_svar for p in parts), sum(p.ej_tillampligt for p in parts))


@dataclass(frozen=True)
class UnitText:
    """One unit's text; `unit` (a municipality code or a region name) is None when anonymised."""

    unit: str | None
    text: str
    region: str | None = None  # set in the national compilation of a municipal form: the unit's region


@dataclass(frozen=True)
class TextAggregate:
    """text and longtext: every text with its unit, in the units' order."""

    texts: tuple[UnitText, ...]
    ej_svar: int = 0
    ej_tillampligt: int = 0
    unit_key: str = "kommun"  # "region" for a region-level form

    def to_json(self) -> dict[str, Any]:
        texts = []
        for t in self.texts:
            entry = {"region": t.region} if t.region is not None and self.unit_key != "region" else {}
            if t.unit is not None:
                entry[self.unit_key] = t.unit
            texts.append(entry | {"text": t.text})
        return {"texts": texts, "ej_svar": self.ej_svar, "ej_tillampligt": self.ej_tillampligt}

    @classmethod
    def from_json(cls, raw: Any, where: str, unit_key: str = "kommun") -> TextAggregate:
        raw = _dict(raw, where)
        entries = raw.get("texts") or []
        if not isinstance(entries, list) or len(entries) > MAX_ITEMS:
            raise AggregateError(f"{where}.texts ska vara en lista")
        texts = []
        for index, entry in enumerate(entries):
            place = f"{where}.texts[{index}]"
            entry = _keys(_dict(entry, place), (unit_key, "region", "text"), place)
            unit = entry.get(unit_key)
            region = entry.get("region") if unit_key != "region" else None
            texts.append(UnitText(None if unit is None else _text(unit, f"{place}.{unit_key}", 100),
                                  _text(entry.get("text"), f"{place}.text"),
                                  None if region is None else _text(region, f"{place}.region", 100)))
        return cls(tuple(texts), *_missing(raw, where), unit_key)

    def in_region(self, region: str) -> TextAggregate:
        """The same texts, each marked with the region it came from (a municipal form's national compilation)."""
        if self.unit_key == "region":
            return self
        return replace(self, texts=tuple(replace(t, region=region) for t in self.texts))

    @classmethod
    def combine(cls, parts: Sequence[TextAggregate], unit_key: str = "kommun") -> TextAggregate:
        """One text after another, in the order of `parts` (the report's order of regions)."""
        return cls(tuple(t for p in parts for t in p.texts), sum(p.ej_svar for p in parts),
                   sum(p.ej_tillampligt for p in parts), unit_key)


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

    @classmethod
    def from_json(cls, raw: Any, where: str, columns: dict[str, Any]) -> TableAggregate:
        """columns: column id -> a function (raw, where) reading that column's aggregate."""
        raw = _dict(raw, where)
        given = _keys(_dict(raw.get("columns") or {}, f"{where}.columns"), list(columns), f"{where}.columns")
        read = {cid: reader(given.get(cid, {}), f"{where}.columns.{cid}") for cid, reader in columns.items()}
        rows = _count(raw.get("rows", 0), f"{where}.rows")
        for cid, column in read.items():
            filled = column.n if hasattr(column, "n") else len(column.texts)
            if filled + column.ej_svar != rows:
                raise AggregateError(f"{where}.columns.{cid}: kolumnen går inte ihop med rows ({rows})")
        return cls(rows, read, *_missing(raw, where))

    @classmethod
    def combine(cls, parts: Sequence[TableAggregate], columns: dict[str, Any]) -> TableAggregate:
        """columns: column id -> a function combining that column's aggregates."""
        return cls(sum(p.rows for p in parts), {cid: combine([p.columns[cid] for p in parts if cid in p.columns])
                                                for cid, combine in columns.items()},
                   sum(p.ej_svar for p in parts), sum(p.ej_tillampligt for p in parts))


Aggregate = ChoiceAggregate | RankingAggregate | NumberAggregate | DateAggregate | TextAggregate | TableAggregate


def in_region(aggregate: Aggregate, region: str) -> Aggregate:
    """A region's aggregate with its texts (also a table's) marked with the region, for the national compilation."""
    if isinstance(aggregate, TextAggregate):
        return aggregate.in_region(region)
    if isinstance(aggregate, TableAggregate):
        return replace(aggregate, columns={k: in_region(v, region) for k, v in aggregate.columns.items()})
    return aggregate
