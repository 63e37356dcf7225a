"""Rounds compared: which questions and options of a round have a counterpart in an earlier round.

A question compares with the earlier round's question of the same id, or of the id its `same_as`
names (a question renamed or moved); an option likewise within its question, and a table's columns
by id. An id that a `same_as` claims is not matched by id as well: a new question may take the id a
renamed one had. The types must agree (integer and decimal compare with each other, as do text and
longtext), or the question is not comparable.

Between rounds further apart the mapping goes through the rounds between, so a rename declared
once (in the round that made it) holds for every later round; where a round between lacks the
question, the two forms are matched directly.

What an earlier round gave (a unit's answers, a compiled aggregate) is re-keyed to this round's ids,
so every front shows it beside this round's without knowing of renames.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from .aggregates import Aggregate, ChoiceAggregate, RankingAggregate, TableAggregate
from .answers import Answers
from .compilation import percent
from .forms import Form, Question

_SAME_KIND = ({"integer", "decimal"}, {"text", "longtext"})


@dataclass(frozen=True)
class Counterpart:
    """A question of this round and its counterpart in an earlier round."""

    question: Question
    earlier: Question
    options: dict[str, str] = field(default_factory=dict)  # this round's option id -> the earlier round's
    columns: dict[str, str] = field(default_factory=dict)  # table: column id -> the earlier round's

    def new_options(self) -> tuple[str, ...]:
        """This round's options without an earlier counterpart."""
        return tuple(o.id for o in self.question.options if o.id not in self.options)


def _compatible(a: str, b: str) -> bool:
    return a == b or any(a in kind and b in kind for kind in _SAME_KIND)


def _match(items: Sequence, earlier_ids: set[str]) -> dict[str, str]:
    """this id -> earlier id for items (questions, options) with `id` and `same_as`."""
    claimed = {item.same_as for item in items if item.same_as in earlier_ids}
    matched: dict[str, str] = {}
    for item in items:
        if item.same_as in earlier_ids:
            matched[item.id] = item.same_as
        elif item.id in earlier_ids and item.id not in claimed:
            matched[item.id] = item.id
    return matched


def _direct(form: Form, earlier: Form) -> dict[str, Counterpart]:
    earlier_questions = {q.id: q for q in earlier.questions}
    result: dict[str, Counterpart] = {}
    for qid, earlier_id in _match(form.questions, set(earlier_questions)).items():
        question, before = form.question(qid), earlier_questions[earlier_id]
        if not _compatible(question.type, before.type):
            continue
        options = _match(question.options, {o.id for o in before.options})
        columns = {}
        if question.columns:
            before_columns = {c.id: c for c in before.columns}
            columns = {c.id: c.id for c in question.columns
                       if c.id in before_columns and _compatible(c.type, before_columns[c.id].type)}
            if not columns:
                continue
        if question.options and not options:
            continue
        result[qid] = Counterpart(question, before, options, columns)
    return result


def _compose(later: Counterpart, earlier: Counterpart) -> Counterpart:
    return Counterpart(
        later.question, earlier.earlier,
        {o: earlier.options[m] for o, m in later.options.items() if m in earlier.options},
        {c: earlier.columns[m] for c, m in later.columns.items() if m in earlier.columns},
    )


def counterparts(form: Form, earlier: Form, between: Sequence[Form] = ()) -> dict[str, Counterpart]:
    """This round's question id -> its counterpart in `earlier`; `between`: the forms of the rounds
    between the two, oldest first, through which renames are followed."""
    direct = _direct(form, earlier)
    if not between:
        return direct
    chain = [earlier, *between, form]
    steps = [_direct(chain[i + 1], chain[i]) for i in range(len(chain) - 1)]
    result: dict[str, Counterpart] = {}
    for question in form.questions:
        match = steps[-1].get(question.id)
        for step in reversed(steps[:-1]):
            if match is None:
                break
            before = step.get(match.earlier.id)
            match = _compose(match, before) if before is not None else None
        if match is not None and (match.options or not question.options):
            result[question.id] = match
        elif question.id in direct:
            result[question.id] = direct[question.id]
    return result


def without_counterpart(form: Form, matches: dict[str, Counterpart]) -> tuple[Question, ...]:
    """This round's questions that have no counterpart in the round compared with."""
    return tuple(q for q in form.questions if q.id not in matches)


def earlier_answers(answers: Answers, matches: dict[str, Counterpart]) -> Answers:
    """A unit's answers in an earlier round, keyed by this round's question, option and column ids;
    what has no counterpart is left out."""
    result = Answers(respondent=dict(answers.respondent))
    for qid, match in matches.items():
        old = match.earlier.id
        back = {earlier_id: option_id for option_id, earlier_id in match.options.items()}
        if old in answers.choices:
            result.choices[qid] = [back[o] for o in answers.choices[old] if o in back]
        if old in answers.ranks:
            result.ranks[qid] = {back[o]: rank for o, rank in answers.ranks[old].items() if o in back}
        for (question_id, option_id), text in answers.specify.items():
            if question_id == old and option_id in back:
                result.specify[(qid, back[option_id])] = text
        if old in answers.comments:
            result.comments[qid] = answers.comments[old]
        if old in answers.values:
            result.values[qid] = answers.values[old]
        if old in answers.tables:
            columns = {earlier_id: column_id for column_id, earlier_id in match.columns.items()}
            rows = [{columns[c]: v for c, v in row.items() if c in columns} for row in answers.tables[old]]
            result.tables[qid] = [row for row in rows if row]
    return result


def earlier_aggregate(aggregate: Aggregate, match: Counterpart) -> Aggregate:
    """An earlier round's aggregate of `match.earlier`, keyed by this round's option and column ids."""
    if isinstance(aggregate, ChoiceAggregate):
        return replace(aggregate, counts={o: aggregate.counts.get(e, 0) for o, e in match.options.items()})
    if isinstance(aggregate, RankingAggregate):
        return replace(aggregate, mean_rank={o: aggregate.mean_rank.get(e) for o, e in match.options.items()},
                       ranked_by={o: aggregate.ranked_by.get(e, 0) for o, e in match.options.items()})
    if isinstance(aggregate, TableAggregate):
        return replace(aggregate, columns={c: aggregate.columns[e] for c, e in match.columns.items()
                                           if e in aggregate.columns})
    return aggregate


def change_in_points(count: int, total: int, earlier_count: int, earlier_total: int) -> int | None:
    """The change of a share in percentage points, of the whole percents shown for each round; None when
    a round has no respondents (its 0 % is no share: "−100 procentenheter" would mislead)."""
    if not total or not earlier_total:
        return None
    return percent(count, total) - percent(earlier_count, earlier_total)


@dataclass(frozen=True)
class EarlierRound:
    """A compilation (county or national) of an earlier round, keyed by this round's ids.

    `answered`: the units that answered in that round (kommuner_svarat, or regions for a region-level form);
    `aggregates`: this round's question id -> the earlier round's aggregate, for the comparable questions.
    """

    year: int
    answered: int
    aggregates: dict[str, Aggregate]

    def to_json(self, unit_key: str = "kommun") -> dict:
        """The entry of a county or national file's `earlier_rounds` (docs/formats.md)."""
        answered_key = "regioner_svarat" if unit_key == "region" else "kommuner_svarat"
        return {answered_key: self.answered, "questions": {k: v.to_json() for k, v in self.aggregates.items()}}


def earlier_round(year: int, answered: int, aggregates: dict[str, Aggregate],
                  matches: dict[str, Counterpart]) -> EarlierRound:
    """An earlier round's aggregates (keyed by that round's question ids) re-keyed to this round's."""
    return EarlierRound(year, answered, {qid: earlier_aggregate(aggregates[m.earlier.id], m)
                                         for qid, m in matches.items() if m.earlier.id in aggregates})
