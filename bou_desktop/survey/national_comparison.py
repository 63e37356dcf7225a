"""The national compilation of a round beside that of an earlier round of the same survey (issue 17).

Both compilations are built the same way (survey/national.py); the earlier one is re-keyed to this
round's question and option ids through `comparison.counterparts`, so a question renamed with
`same_as` compares with its earlier self. Per question:

- a choice question: per option this round's and the earlier round's count and whole percent (of the
  municipalities, or regions, that answered in each round) and the change in percentage points, of
  the whole percents shown (`change_in_points`); an option new in this round has no earlier figures;
  "Ej svar" and "Ej tillämpligt" likewise;
- a number question: n, mean and sum of both rounds and the change in mean and in sum;
- a ranking question: each option's mean rank over the units in both rounds and the change;
- any other comparable question (dates, texts, tables): the earlier round's aggregate only.

A question of this round without a counterpart in the earlier round is `comparable = False`.

An option's figures beside the earlier round's are the county comparison's `changes.OptionChange`
(made by `changes.share_change`), and every front writes a change with the words of survey/changes.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .aggregates import ChoiceAggregate, NumberAggregate, RankingAggregate
from .changes import (
    DASH,
    NumberChange,
    OptionChange,
    QuestionChange,
    RankChange,
    not_comparable_text,
    percent_text,
    points_text,
    rounds_sentence,
    share_change,
    signed,
)
from .comparison import Counterpart, EarlierRound, change_in_points, counterparts, earlier_round, without_counterpart
from .compilation import decimal_comma
from .forms import Form, Question
from .national import NationalQuestion, NationalReport

ShareChange = OptionChange  # one option (or "Ej svar") in both rounds: the county comparison's figure


@dataclass(frozen=True)
class NationalComparison:
    """This round's national compilation beside an earlier round's."""

    year: int
    earlier_year: int
    answered: int  # municipalities (regions, for a region-level form) that answered this round
    earlier_answered: int
    questions: dict[str, QuestionChange]
    not_comparable: tuple[Question, ...]
    earlier_round: EarlierRound
    earlier_report: NationalReport
    matches: dict[str, Counterpart] = field(default_factory=dict)

    def question(self, question_id: str) -> QuestionChange:
        return self.questions.get(question_id) or QuestionChange(question_id, self.earlier_year, False,
                                                                 self.earlier_answered)


_share = share_change


def _choice_change(question: Question, now: ChoiceAggregate, before: ChoiceAggregate, total: int,
                   earlier_total: int, match: Counterpart) -> dict:
    options = tuple(_share(o.id, now.counts.get(o.id, 0), total,
                           before.counts.get(o.id, 0) if o.id in match.options else None, earlier_total)
                    for o in question.options)
    return {"options": options, "ej_svar": _share("ej_svar", now.ej_svar, total, before.ej_svar, earlier_total),
            "ej_tillampligt": _share("ej_tillampligt", now.ej_tillampligt, total, before.ej_tillampligt,
                                     earlier_total)}


def compare_national(form: Form, report: NationalReport, earlier_form: Form, earlier_report: NationalReport,
                     between: Sequence[Form] = ()) -> NationalComparison:
    """This round's national report beside an earlier round's; `between`: the forms of the rounds between
    the two, oldest first (renames declared there are followed)."""
    matches = counterparts(form, earlier_form, between)
    answered, earlier_answered = report.total.kommuner_svarat, earlier_report.total.kommuner_svarat
    earlier = earlier_round(earlier_report.round_year, earlier_answered, earlier_report.aggregates, matches)
    questions: dict[str, QuestionChange] = {}
    for question in form.questions:
        match = matches.get(question.id)
        if match is None:
            questions[question.id] = QuestionChange(question.id, earlier_report.round_year, False, earlier_answered)
            continue
        now, before = report.aggregate(question.id), earlier.aggregates.get(question.id)
        parts: dict = {}
        if isinstance(before, ChoiceAggregate):
            now = now if isinstance(now, ChoiceAggregate) else ChoiceAggregate({})
            parts = _choice_change(question, now, before, answered, earlier_answered, match)
        elif isinstance(before, NumberAggregate):
            now = now if isinstance(now, NumberAggregate) else NumberAggregate.of([])
            parts = {"numbers": NumberChange(now.n, now.mean, now.sum, before.n, before.mean, before.sum)}
        elif isinstance(before, RankingAggregate):
            means = now.mean_rank if isinstance(now, RankingAggregate) else {}
            parts = {"ranks": tuple(RankChange(o.id, means.get(o.id), before.mean_rank.get(o.id) if o.id in
                                               match.options else None) for o in question.options)}
        questions[question.id] = QuestionChange(question.id, earlier_report.round_year, True, earlier_answered,
                                                earlier_question_id=match.earlier.id, earlier=before, **parts)
    return NationalComparison(report.round_year, earlier_report.round_year, answered, earlier_answered, questions,
                              without_counterpart(form, matches), earlier, earlier_report, matches)


def comparison_note(change: QuestionChange, comparison: NationalComparison, labels: Mapping[str, str]) -> str:
    """Below a question, in the view, the PDF and the Word report: not comparable; a number question's or
    a ranking's figures of the earlier round and the change."""
    year = comparison.earlier_year
    if not change.comparable:
        return not_comparable_text(year)
    if change.numbers is not None:
        n = change.numbers
        mean = decimal_comma(float(n.earlier_mean), 2) if n.earlier_mean is not None else DASH
        return (f"{year}: medelvärde {mean}, summa {decimal_comma(float(n.earlier_sum), 2)} (n = {n.earlier_n}). "
                f"Förändring: medelvärde {signed(n.change_in_mean, 2)}, summa {signed(n.change_in_sum, 2)}.")
    if change.ranks:
        parts = [f"{labels.get(r.option_id, r.option_id)} {decimal_comma(float(r.earlier_mean_rank))} "
                 f"({signed(r.change, 1)})" for r in change.ranks if r.earlier_mean_rank is not None]
        if not parts:
            return f"Jämförbar med {year}; inget alternativ rangordnades då."
        return f"Medelrang {year} (förändring): " + "; ".join(parts) + "."
    return f"Jämförbar med {year}."


def rounds_paragraph(comparison: NationalComparison, word: str = "kommuner") -> str:
    """Above the questions of the PDF and Word reports: both rounds' respondents, what a change is, and
    the questions that cannot be compared."""
    text = (rounds_sentence(comparison.year, comparison.answered, comparison.earlier_year,
                            comparison.earlier_answered, word)
            + " Förändringen är i procentenheter, av de hela procent som visas för varje omgång.")
    if comparison.not_comparable:
        text += f" Inte jämförbara frågor: {', '.join(q.label for q in comparison.not_comparable)}."
    return text


def compared_rows(national: NationalQuestion, change: QuestionChange, labels: Mapping[str, str],
                  skippable: bool) -> list[tuple[str, str, str, str, str]]:
    """A choice question beside the earlier round, as every national output shows it: (label, percent
    this round, count, percent then, change in percentage points) per option, then "Ej svar" (and
    "Ej tillämpligt"); "–" where an option has no earlier counterpart."""
    rows = [(labels.get(o.option_id, o.label), o.procent, o.antal, change.option(o.option_id))
            for o in national.options]
    rows.append(("Ej svar", national.ej_svar.procent, national.ej_svar.antal, change.ej_svar))
    if skippable:
        rows.append(("Ej tillämpligt", national.ej_tillampligt.procent, national.ej_tillampligt.antal,
                     change.ej_tillampligt))
    return [(label, percent_text(procent), str(antal),
             percent_text(share.earlier_procent if share is not None else None),
             points_text(share.change if share is not None else None)) for label, procent, antal, share in rows]


__all__ = [
    "NationalComparison",
    "NumberChange",
    "QuestionChange",
    "RankChange",
    "ShareChange",
    "change_in_points",
    "compare_national",
    "comparison_note",
    "compared_rows",
    "rounds_paragraph",
]
