"""The question types: what each stores, accepts, counts and writes (in the spirit of pyxform's type dictionary).

`QUESTION_TYPES[name]` owns, for a question of its type:
- its field keys (after the question id; `qid.kommentar` is common to every type and handled by Answers):
  single `qid` (option id) and `qid.opt.ange`; multi `qid.opt` = "X"; ranking `qid.opt` = rank;
  integer, decimal, date, text, longtext `qid` = the value; table `qid.<row>.<column>`, rows from 1;
- the check of the stored strings, with a Swedish message naming the question ("Fråga 1 a): …");
- `is_answered`;
- its aggregate over the units that answered (survey/aggregates.py);
- its value in a JSON svarsfil's `answers` (format_version 2, docs/formats.md) and back.

A stored value is a string in a canonical form: an integer "12", a decimal "12.5" (a decimal comma is
accepted on input), a date "2013-05-01", a text as typed (one line for `text`).
Types read questions and answers by their attributes only (survey/forms.py, survey/answers.py).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from decimal import Decimal

    from .aggregates import (
        Aggregate,
        DateAggregate,
        NumberAggregate,
        TextAggregate,
        ValueAggregate,
    )


def _aggregates():
    """survey/aggregates.py, imported when something is first compiled: the program's start only reads forms."""
    from . import aggregates

    return aggregates

TICK = "X"
TABLE_ROW_LIMIT = 100  # a table without max_rows: no more rows than this
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


class AnswerError(ValueError):
    """A value that a question cannot hold; `str()` is the Swedish reason."""


def where_of(question, row: int | None = None, column=None) -> str:
    """"Fråga 1 a)", or "Fråga 1 b), rad 2, Omfattning" for a table cell."""
    place = f"Fråga {question.label}"
    if row is not None:
        place += f", rad {row}"
    if column is not None:
        place += f", {column.label}"
    return place


def _swedish(value: Decimal | int | float) -> str:
    from decimal import Decimal  # here, as in the number types: the start reads forms, not numbers (~1 ms)

    return format(Decimal(str(value)).normalize(), "f").replace(".", ",")


class QuestionType:
    """A question type; subclasses override what differs."""

    name = ""
    label = ""  # Swedish, for people
    has_options = False  # single, multi, ranking: `options` required
    has_bounds = False  # integer, decimal: `unit`, `min`, `max`
    has_columns = False  # table: `columns`, `min_rows`, `max_rows`
    is_value = False  # stored in Answers.values

    def read_field(self, question, rest: tuple[str, ...], value: str, answers) -> None:
        """Put one stored field (`rest`: the key's parts after the question id) into `answers`; KeyError if unknown."""
        raise KeyError(".".join((question.id, *rest)))

    def write_fields(self, question, answers, fields: dict[str, str]) -> None:
        """The question's fields of `answers`, added to `fields`."""

    def is_answered(self, question, answers) -> bool:
        raise NotImplementedError

    def check(self, question, answers) -> list[str]:
        """What makes the question's answer impossible to store (Swedish); empty when all is well."""
        return []

    def aggregate(self, question, answered: Sequence[tuple[str, Any]], ej_svar: int = 0, ej_tillampligt: int = 0,
                  unit_key: str = "kommun", anonymous: bool = False) -> Aggregate:
        """The aggregate over `answered`: (unit code or name, Answers) of the units that answered the question."""
        raise NotImplementedError

    def aggregate_from_json(self, question, raw: Any, where: str, unit_key: str = "kommun") -> Aggregate:
        """The aggregate from its shape in a county or national file (`Aggregate.to_json`); AggregateError if wrong."""
        raise NotImplementedError

    def combine(self, question, parts: Sequence[Aggregate], unit_key: str = "kommun") -> Aggregate:
        """The aggregate over several regions from theirs (texts marked with their region first, `in_region`)."""
        raise NotImplementedError

    def to_json(self, question, answers) -> Any:
        """The value in a svarsfil's `answers`; None when not answered."""
        raise NotImplementedError

    def from_json(self, question, value: Any, answers, where: str) -> None:
        """Read a svarsfil's `answers[qid]` into `answers`; AnswerError naming `where` when it is wrong."""
        raise NotImplementedError


# --------------------------------------------------------------------------- choices


def _option_id(question, option_id: Any, where: str) -> str:
    if not isinstance(option_id, str):
        raise AnswerError(f"fältet {where} ska vara text")
    option_id = option_id.strip()
    if option_id not in question.option_ids():
        raise AnswerError(
            f"{where}: okänt svarsalternativ {option_id!r} för fråga {question.number_text} "
            f"(tillåtna: {', '.join(question.option_ids())})"
        )
    return option_id


def _write_specify(question, answers, fields: dict[str, str]) -> None:
    for option in question.specify_options:
        text = answers.specify.get((question.id, option.id), "")
        if text.strip():
            fields[f"{question.id}.{option.id}.ange"] = text


class ChoiceType(QuestionType):
    """single and multi: options ticked; an option may have an "ange" text (`qid.opt.ange`)."""

    has_options = True

    def read_field(self, question, rest, value, answers) -> None:
        if len(rest) == 2 and rest[1] == "ange":
            answers.specify[(question.id, rest[0])] = value
        elif len(rest) == 0 and self.name == "single":
            answers.choices[question.id] = [value]
        elif len(rest) == 1:
            answers.choices.setdefault(question.id, []).append(rest[0])
        else:
            raise KeyError(".".join((question.id, *rest)))

    def write_fields(self, question, answers, fields) -> None:
        self.write_choices(question, answers, fields)
        _write_specify(question, answers, fields)

    def write_choices(self, question, answers, fields) -> None:
        for option_id in answers.choices.get(question.id, []):
            fields[f"{question.id}.{option_id}"] = TICK

    def is_answered(self, question, answers) -> bool:
        return bool(answers.choices.get(question.id))

    def aggregate(self, question, answered, ej_svar=0, ej_tillampligt=0, unit_key="kommun", anonymous=False):
        counts = {o.id: sum(1 for _u, a in answered if o.id in a.choices.get(question.id, [])) for o in question.options}
        return _aggregates().ChoiceAggregate(counts, ej_svar, ej_tillampligt)

    def aggregate_from_json(self, question, raw, where, unit_key="kommun"):
        return _aggregates().ChoiceAggregate.from_json(raw, where, question.option_ids())

    def combine(self, question, parts, unit_key="kommun"):
        return _aggregates().ChoiceAggregate.combine(parts, question.option_ids())


class SingleType(ChoiceType):
    name, label = "single", "ett svar"

    def write_choices(self, question, answers, fields) -> None:
        chosen = answers.choices.get(question.id) or []
        if chosen:
            fields[question.id] = chosen[0]

    def to_json(self, question, answers):
        chosen = answers.choices.get(question.id)
        return chosen[0] if chosen else None

    def from_json(self, question, value, answers, where) -> None:
        if isinstance(value, list):
            if len(value) > 1:
                raise AnswerError(f"{where}: fråga {question.number_text} tillåter bara ett svar, men filen har {len(value)}")
            value = value[0] if value else None
        if value is None or value == "":
            return
        answers.choices[question.id] = [_option_id(question, value, where)]


class MultiType(ChoiceType):
    name, label = "multi", "flera svar"

    def to_json(self, question, answers):
        return list(answers.choices.get(question.id, [])) or None

    def from_json(self, question, value, answers, where) -> None:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise AnswerError(f"{where}: ska vara en lista med svarsalternativ")
        chosen = [_option_id(question, v, where) for v in value]
        if len(set(chosen)) != len(chosen):
            raise AnswerError(f"{where}: samma svarsalternativ förekommer två gånger")
        if chosen:
            answers.choices[question.id] = chosen


class RankingType(QuestionType):
    """ranking: `qid.opt` = the option's rank, 1 to the number of options."""

    name, label = "ranking", "rangordning"
    has_options = True

    def read_field(self, question, rest, value, answers) -> None:
        if len(rest) == 2 and rest[1] == "ange":
            answers.specify[(question.id, rest[0])] = value
        elif len(rest) == 1:
            answers.ranks.setdefault(question.id, {})[rest[0]] = int(value)
        else:
            raise KeyError(".".join((question.id, *rest)))

    def write_fields(self, question, answers, fields) -> None:
        for option_id, rank in answers.ranks.get(question.id, {}).items():
            fields[f"{question.id}.{option_id}"] = str(rank)
        _write_specify(question, answers, fields)

    def is_answered(self, question, answers) -> bool:
        return bool(answers.ranks.get(question.id))

    def aggregate(self, question, answered, ej_svar=0, ej_tillampligt=0, unit_key="kommun", anonymous=False):
        from decimal import Decimal

        means: dict[str, Decimal | None] = {}
        ranked_by: dict[str, int] = {}
        for option in question.options:
            ranks = [a.ranks[question.id][option.id] for _u, a in answered if option.id in a.ranks.get(question.id, {})]
            means[option.id] = Decimal(sum(ranks)) / len(ranks) if ranks else None
            ranked_by[option.id] = len(ranks)
        return _aggregates().RankingAggregate(means, ranked_by, ej_svar, ej_tillampligt)

    def aggregate_from_json(self, question, raw, where, unit_key="kommun"):
        return _aggregates().RankingAggregate.from_json(raw, where, question.option_ids())

    def combine(self, question, parts, unit_key="kommun"):
        return _aggregates().RankingAggregate.combine(parts, question.option_ids())

    def to_json(self, question, answers):
        return dict(answers.ranks.get(question.id, {})) or None

    def from_json(self, question, value, answers, where) -> None:
        if not isinstance(value, dict):
            raise AnswerError(f"fältet {where} ska vara ett objekt ({{…}})")
        ranks: dict[str, int] = {}
        for option_id, rank in value.items():
            _option_id(question, option_id, where)
            if isinstance(rank, bool) or not isinstance(rank, int) or not 1 <= rank <= question.max_rank:
                raise AnswerError(
                    f"{where}.{option_id}: rangen ska vara ett heltal 1–{question.max_rank}, inte {json.dumps(rank, ensure_ascii=False)}"
                )
            ranks[option_id] = rank
        if ranks:
            answers.ranks[question.id] = ranks


# --------------------------------------------------------------------------- values


class ValueType(QuestionType):
    """A single value (`qid`); also the types of a table's columns. `spec` is a question or a column."""

    is_value = True
    example = ""

    def canonical(self, spec, raw: str) -> str:
        """The stored form of a typed value; AnswerError with the reason (without the place) when it is not one."""
        return raw.strip()

    def parse(self, spec, stored: str) -> Any:
        """The value of a stored string (canonical or as typed)."""
        return self.canonical(spec, stored)

    def value_to_json(self, spec, stored: str) -> Any:
        return self.canonical(spec, stored)

    def value_from_json(self, spec, value: Any) -> str:
        if not isinstance(value, str):
            raise AnswerError(f"skriv {self.example}")
        return self.canonical(spec, value)

    def aggregate_values(self, values: list[tuple[str, str]], ej_svar: int, ej_tillampligt: int,
                         unit_key: str, anonymous: bool) -> ValueAggregate:
        raise NotImplementedError

    # As a question: the value is Answers.values[qid].
    def read_field(self, question, rest, value, answers) -> None:
        if rest:
            raise KeyError(".".join((question.id, *rest)))
        answers.values[question.id] = value

    def write_fields(self, question, answers, fields) -> None:
        value = answers.values.get(question.id, "")
        if value.strip():
            try:
                fields[question.id] = self.canonical(question, value)
            except AnswerError:  # kept as typed; check() reports it
                fields[question.id] = value

    def is_answered(self, question, answers) -> bool:
        return bool(answers.values.get(question.id, "").strip())

    def check(self, question, answers) -> list[str]:
        value = answers.values.get(question.id, "")
        if not value.strip():
            return []
        try:
            self.canonical(question, value)
        except AnswerError as error:
            return [f"{where_of(question)}: {error}"]
        return []

    def aggregate(self, question, answered, ej_svar=0, ej_tillampligt=0, unit_key="kommun", anonymous=False):
        values = [(unit, a.values[question.id]) for unit, a in answered if a.values.get(question.id, "").strip()]
        return self.aggregate_values(values, ej_svar, ej_tillampligt, unit_key, anonymous)

    def aggregate_from_json(self, question, raw, where, unit_key="kommun"):
        return getattr(_aggregates(), self.aggregate_class_name).from_json(raw, where)

    def combine(self, question, parts, unit_key="kommun"):
        return getattr(_aggregates(), self.aggregate_class_name).combine(parts)

    def to_json(self, question, answers):
        if not self.is_answered(question, answers):
            return None
        return self.value_to_json(question, answers.values[question.id])

    def from_json(self, question, value, answers, where) -> None:
        if value is None or value == "":
            return
        try:
            answers.values[question.id] = self.value_from_json(question, value)
        except AnswerError as error:
            raise AnswerError(f"{where}: {where_of(question)}: {error}") from None


class NumberType(ValueType):
    has_bounds = True
    aggregate_class_name = "NumberAggregate"
    pattern = _INTEGER

    def number(self, raw: str) -> Decimal:
        from decimal import Decimal, InvalidOperation

        text = _SPACES.sub("", raw).replace(",", ".").replace("\u2212", "-")
        if not self.pattern.match(text):
            raise AnswerError(f"skriv {self.example}")
        try:
            return Decimal(text)
        except InvalidOperation:
            raise AnswerError(f"skriv {self.example}") from None

    def canonical(self, spec, raw: str) -> str:
        from decimal import Decimal

        value = self.number(raw)
        if spec.min is not None and value < Decimal(str(spec.min)):
            raise AnswerError(f"ska vara minst {_swedish(spec.min)}")
        if spec.max is not None and value > Decimal(str(spec.max)):
            raise AnswerError(f"ska vara högst {_swedish(spec.max)}")
        return format(value.normalize(), "f") if value else "0"

    def parse(self, spec, stored: str) -> Decimal:
        return self.number(self.canonical(spec, stored))

    def value_to_json(self, spec, stored: str):
        value = self.parse(spec, stored)
        return int(value) if self.name == "integer" else (int(value) if value == value.to_integral_value() else float(value))

    def value_from_json(self, spec, value) -> str:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise AnswerError(f"skriv {self.example}")
        if isinstance(value, float) and not math.isfinite(value):
            raise AnswerError(f"skriv {self.example}")
        if not isinstance(value, str):
            from decimal import Decimal

            value = format(Decimal(repr(value)), "f")
        return self.canonical(spec, value)

    def aggregate_values(self, values, ej_svar, ej_tillampligt, unit_key, anonymous) -> NumberAggregate:
        return _aggregates().NumberAggregate.of([self.number(v) for _u, v in values], ej_svar, ej_tillampligt)


class IntegerType(NumberType):
    name, label, example = "integer", "heltal", "ett heltal, t.ex. 12"
    pattern = _INTEGER


class DecimalType(NumberType):
    name, label, example = "decimal", "tal", "ett tal, t.ex. 12,5"
    pattern = _DECIMAL


class DateType(ValueType):
    name, label, example = "date", "datum", "datumet som ÅÅÅÅ-MM-DD, t.ex. 2013-05-01"
    aggregate_class_name = "DateAggregate"

    def canonical(self, spec, raw: str) -> str:
        return self.parse(spec, raw).isoformat()

    def parse(self, spec, stored: str) -> date:
        text = stored.strip()
        try:
            if _DATE.match(text):
                return date.fromisoformat(text)
        except ValueError:
            raise AnswerError(f"datumet {text!r} finns inte; skriv {self.example}") from None
        raise AnswerError(f"skriv {self.example}")

    def aggregate_values(self, values, ej_svar, ej_tillampligt, unit_key, anonymous) -> DateAggregate:
        return _aggregates().DateAggregate.of([self.parse(None, v) for _u, v in values], ej_svar, ej_tillampligt)


class TextType(ValueType):
    """text: one line (line breaks become spaces); longtext keeps them."""

    name, label, example = "text", "text", "en text"
    one_line = True

    def canonical(self, spec, raw: str) -> str:
        text = raw.strip()
        return " ".join(text.splitlines()) if self.one_line else text

    def aggregate_values(self, values, ej_svar, ej_tillampligt, unit_key, anonymous) -> TextAggregate:
        texts = tuple(_aggregates().UnitText(None if anonymous else unit, self.canonical(None, v)) for unit, v in values)
        return _aggregates().TextAggregate(texts, ej_svar, ej_tillampligt, unit_key)

    def aggregate_from_json(self, question, raw, where, unit_key="kommun"):
        return _aggregates().TextAggregate.from_json(raw, where, unit_key)

    def combine(self, question, parts, unit_key="kommun"):
        return _aggregates().TextAggregate.combine(parts, unit_key)


class LongTextType(TextType):
    name, label = "longtext", "lång text"
    one_line = False


# --------------------------------------------------------------------------- table


class TableType(QuestionType):
    """Rows of named columns: Answers.tables[qid] is a list of rows {column id: stored value}; row 1 first."""

    name, label = "table", "tabell"
    has_columns = True

    @staticmethod
    def row_limit(question) -> int:
        return question.max_rows if question.max_rows is not None else TABLE_ROW_LIMIT

    @staticmethod
    def filled_rows(question, answers) -> list[dict[str, str]]:
        return [row for row in answers.tables.get(question.id, []) if any(v.strip() for v in row.values())]

    def read_field(self, question, rest, value, answers) -> None:
        if len(rest) != 2 or not rest[0].isdigit() or not 1 <= int(rest[0]) <= self.row_limit(question):
            raise KeyError(".".join((question.id, *rest)))
        question.column(rest[1])  # KeyError for an unknown column
        rows = answers.tables.setdefault(question.id, [])
        index = int(rest[0]) - 1
        while len(rows) <= index:
            rows.append({})
        rows[index][rest[1]] = value

    def write_fields(self, question, answers, fields) -> None:
        for number, row in enumerate(answers.tables.get(question.id, []), start=1):
            for column in question.columns:
                value = row.get(column.id, "")
                if value.strip():
                    try:
                        value = QUESTION_TYPES[column.type].canonical(column, value)
                    except AnswerError:  # kept as typed; check() reports it
                        pass
                    fields[f"{question.id}.{number}.{column.id}"] = value

    def is_answered(self, question, answers) -> bool:
        return len(self.filled_rows(question, answers)) >= max(question.min_rows, 1)

    def check(self, question, answers) -> list[str]:
        problems = []
        rows = answers.tables.get(question.id, [])
        limit = self.row_limit(question)
        if len(rows) > limit:
            problems.append(f"{where_of(question)}: högst {limit} rader")
        for number, row in enumerate(rows[:limit], start=1):
            for column_id, value in row.items():
                try:
                    column = question.column(column_id)
                except KeyError:
                    problems.append(f"{where_of(question, number)}: okänd kolumn {column_id!r}")
                    continue
                if value.strip():
                    try:
                        QUESTION_TYPES[column.type].canonical(column, value)
                    except AnswerError as error:
                        problems.append(f"{where_of(question, number, column)}: {error}")
        return problems

    def aggregate(self, question, answered, ej_svar=0, ej_tillampligt=0, unit_key="kommun", anonymous=False):
        rows = [(unit, row) for unit, a in answered for row in self.filled_rows(question, a)]
        columns = {}
        for column in question.columns:
            values = [(unit, row[column.id]) for unit, row in rows if row.get(column.id, "").strip()]
            columns[column.id] = QUESTION_TYPES[column.type].aggregate_values(
                values, len(rows) - len(values), 0, unit_key, anonymous)
        return _aggregates().TableAggregate(len(rows), columns, ej_svar, ej_tillampligt)

    def aggregate_from_json(self, question, raw, where, unit_key="kommun"):
        readers = {c.id: (lambda r, w, c=c: QUESTION_TYPES[c.type].aggregate_from_json(c, r, w, unit_key))
                   for c in question.columns}
        return _aggregates().TableAggregate.from_json(raw, where, readers)

    def combine(self, question, parts, unit_key="kommun"):
        combiners = {c.id: (lambda ps, c=c: QUESTION_TYPES[c.type].combine(c, ps, unit_key)) for c in question.columns}
        return _aggregates().TableAggregate.combine(parts, combiners)

    def to_json(self, question, answers):
        rows = []
        for row in self.filled_rows(question, answers):
            out = {}
            for column in question.columns:
                if row.get(column.id, "").strip():
                    out[column.id] = QUESTION_TYPES[column.type].value_to_json(column, row[column.id])
            rows.append(out)
        return rows or None

    def from_json(self, question, value, answers, where) -> None:
        if not isinstance(value, list):
            raise AnswerError(f"{where}: ska vara en lista med rader ([{{…}}, …])")
        limit = self.row_limit(question)
        if len(value) > limit:
            raise AnswerError(f"{where}: {where_of(question)}: högst {limit} rader")
        rows = []
        for number, raw in enumerate(value, start=1):
            if not isinstance(raw, dict):
                raise AnswerError(f"{where}[{number - 1}]: en rad ska vara ett objekt ({{…}})")
            row = {}
            for column_id, cell in raw.items():
                try:
                    column = question.column(column_id)
                except KeyError:
                    raise AnswerError(
                        f"{where}[{number - 1}].{column_id}: okänd kolumn (tillåtna: {', '.join(c.id for c in question.columns)})"
                    ) from None
                if cell is None or cell == "":
                    continue
                try:
                    row[column_id] = QUESTION_TYPES[column.type].value_from_json(column, cell)
                except AnswerError as error:
                    raise AnswerError(f"{where}[{number - 1}].{column_id}: {where_of(question, number, column)}: {error}") from None
            rows.append(row)
        if any(rows):
            answers.tables[question.id] = rows


QUESTION_TYPES: dict[str, QuestionType] = {
    t.name: t for t in (SingleType(), MultiType(), RankingType(), IntegerType(), DecimalType(), DateType(),
                        TextType(), LongTextType(), TableType())
}
# The types a table's column may have.
COLUMN_TYPES = ("integer", "decimal", "date", "text")
