"""A compilation beside an earlier round's: per question what the earlier round gave and the change.

The earlier round comes re-keyed to this round's ids (`comparison.EarlierRound`); this module works
out what the county view, its Excel file and its PDF show beside each question:
- a choice (single, multi): per option the earlier count and percent (of the municipalities that
  answered the earlier round) and the change in percentage points of the whole percents shown;
  an option of this round without an earlier counterpart has no earlier figures;
- a number (integer, decimal): the earlier mean and sum, and the change of each;
- a ranking: per option the earlier mean rank and its change;
- a date or a text: how many answered it in the earlier round; a table: its rows then.
A question without a counterpart is "not comparable". The words (Swedish, decimal comma, sign) are
here too, so that every front writes a change the same way. Plain Python, no Qt.

The national comparison (national_comparison.py) uses the same figure (`OptionChange`, made by
`share_change`: the rule that a round without respondents has no change lives there once) and the same
words (`points_text`, `signed`, `percent_text`), so the county and the national views, Excel files,
PDFs and Word documents write a change alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .aggregates import Aggregate, ChoiceAggregate, NumberAggregate, RankingAggregate
from .comparison import EarlierRound, change_in_points
from .compilation import QuestionResult, percent, round_half_up

NOT_COMPARABLE = "Ny fråga – inget att jämföra med"
NEW_OPTION = "nytt alternativ"
MINUS = "−"
DASH = "–"
NBSP = "\u00a0"
NUMBER_PLACES = 2  # a change of a mean or sum: two decimals at most
RANK_PLACES = 1


@dataclass(frozen=True)
class OptionChange:
    """A figure beside the same figure of an earlier round: one option of a choice or ranking question
    (or "Ej svar", "Ej tillämpligt"); the earlier figures are None for an option new in this round.

    `count` and `percent` are this round's (the national comparison carries them; the county view has
    them in its compilation). The national names (`antal`, `procent`, `earlier_antal`, `earlier_procent`,
    `change`) read the same fields."""

    option_id: str
    earlier_count: int | None
    earlier_percent: int | None
    points: int | None  # change in percentage points (choices); None: nothing to compare
    earlier_mean_rank: Decimal | None = None  # rankings
    rank_change: Decimal | None = None
    count: int | None = None
    percent: int | None = None

    # the national comparison's (and its JSON's) names of the same figures
    antal = property(lambda self: self.count)
    procent = property(lambda self: self.percent)
    earlier_antal = property(lambda self: self.earlier_count)
    earlier_procent = property(lambda self: self.earlier_percent)
    change = property(lambda self: self.points)


def share_change(option_id: str, count: int, total: int, earlier_count: int | None,
                 earlier_total: int) -> OptionChange:
    """A share of `total` beside the earlier round's share of `earlier_total` (`earlier_count` None: a new
    option). No change when either round has no respondents (`change_in_points`)."""
    shown = percent(count, total)
    if earlier_count is None:
        return OptionChange(option_id, None, None, None, count=count, percent=shown)
    return OptionChange(option_id, earlier_count, percent(earlier_count, earlier_total),
                        change_in_points(count, total, earlier_count, earlier_total), count=count, percent=shown)


@dataclass(frozen=True)
class NumberChange:
    """A number question's n, mean and sum in both rounds (a mean is None without values). A change is of
    the figures shown (a mean and a sum to two decimals, county and national alike), and none when either
    round has no values."""

    n: int
    mean: Decimal | None
    sum: Decimal
    earlier_n: int
    earlier_mean: Decimal | None
    earlier_sum: Decimal

    @property
    def change_in_mean(self) -> Decimal | None:
        if not (self.n and self.earlier_n) or self.mean is None or self.earlier_mean is None:
            return None
        return _round(self.mean, NUMBER_PLACES) - _round(self.earlier_mean, NUMBER_PLACES)

    @property
    def change_in_sum(self) -> Decimal | None:
        if not (self.n and self.earlier_n):
            return None
        return _round(self.sum, NUMBER_PLACES) - _round(self.earlier_sum, NUMBER_PLACES)


@dataclass(frozen=True)
class RankChange:
    """An option's mean rank in both rounds; the change is of the mean ranks shown (one decimal)."""

    option_id: str
    mean_rank: Decimal | None
    earlier_mean_rank: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.mean_rank is None or self.earlier_mean_rank is None:
            return None
        return _round(self.mean_rank, RANK_PLACES) - _round(self.earlier_mean_rank, RANK_PLACES)


@dataclass(frozen=True)
class QuestionChange:
    """A question of this round beside the round compared with, county and national alike.

    The county comparison (`question_change`) counts the earlier "Ej svar" and "Ej tillämpligt"
    (`earlier_ej_svar`, …; `missing_changes` sets them beside this round's); the national one
    (national_comparison.compare_national) carries them as OptionChange (`ej_svar`, `ej_tillampligt`),
    its ranks as RankChange and the earlier round's aggregate (`earlier`)."""

    question_id: str
    year: int  # the earlier round's year
    comparable: bool
    earlier_answered: int  # municipalities that answered the earlier round
    options: tuple[OptionChange, ...] = ()
    earlier_n: int | None = None  # numbers, dates, texts, tables: how many answered the question then
    numbers: NumberChange | None = None  # a number question's figures in both rounds
    earlier_ej_svar: int | None = None
    earlier_ej_tillampligt: int | None = None
    n_word: str = "svar"  # what earlier_n counts: "svar", or "rader" of a table
    ranks: tuple[RankChange, ...] = ()
    ej_svar: OptionChange | None = None
    ej_tillampligt: OptionChange | None = None
    earlier_question_id: str | None = None
    earlier: Aggregate | None = None  # the earlier round's aggregate, under this round's ids

    def option(self, option_id: str) -> OptionChange | None:
        return next((o for o in self.options if o.option_id == option_id), None)

    # a number question's earlier mean and sum (None when nobody gave a value then) and their changes
    earlier_mean = property(lambda self: self.numbers.earlier_mean if self._earlier_values else None)
    earlier_sum = property(lambda self: self.numbers.earlier_sum if self._earlier_values else None)
    mean_change = property(lambda self: self.numbers.change_in_mean if self.numbers else None)
    sum_change = property(lambda self: self.numbers.change_in_sum if self.numbers else None)
    _earlier_values = property(lambda self: self.numbers is not None and self.numbers.earlier_n > 0)


def question_change(result: QuestionResult, total: int, earlier: EarlierRound) -> QuestionChange:
    """`result` (this round's, of `total` responding municipalities) beside the earlier round."""
    before = earlier.aggregates.get(result.question_id)
    if before is None:
        return QuestionChange(result.question_id, earlier.year, False, earlier.answered)
    then = earlier.answered
    ej_svar = getattr(before, "ej_svar", None)
    if isinstance(before, ChoiceAggregate):
        options = []
        for option in result.options:
            options.append(share_change(option.option_id, option.count, total, before.counts.get(option.option_id),
                                        then))
        return QuestionChange(result.question_id, earlier.year, True, then, tuple(options), earlier_ej_svar=ej_svar,
                              earlier_ej_tillampligt=before.ej_tillampligt)
    if isinstance(before, RankingAggregate):
        now = result.aggregate if isinstance(result.aggregate, RankingAggregate) else None
        options = []
        for option in result.options:
            if option.option_id not in before.mean_rank:
                options.append(OptionChange(option.option_id, None, None, None))
                continue
            mean = before.mean_rank.get(option.option_id)
            current = now.mean_rank.get(option.option_id) if now is not None else None
            change = RankChange(option.option_id, current, mean).change
            options.append(OptionChange(option.option_id, before.ranked_by.get(option.option_id, 0), None, None,
                                        mean, change))
        return QuestionChange(result.question_id, earlier.year, True, then, tuple(options), earlier_ej_svar=ej_svar)
    if isinstance(before, NumberAggregate):
        now = result.aggregate if isinstance(result.aggregate, NumberAggregate) else NumberAggregate.of([])
        numbers = NumberChange(now.n, now.mean, now.sum, before.n, before.mean, before.sum)
        return QuestionChange(result.question_id, earlier.year, True, then, earlier_n=before.n, numbers=numbers,
                              earlier_ej_svar=ej_svar)
    return QuestionChange(result.question_id, earlier.year, True, then, earlier_n=answered_units(before),
                          earlier_ej_svar=ej_svar, n_word="rader" if hasattr(before, "rows") else "svar")


def missing_changes(change: QuestionChange, result: QuestionResult, total: int) -> list[OptionChange | None]:
    """"Ej svar" and, where the question can be skipped, "Ej tillämpligt" beside the earlier round, in the
    order the tables show them (None: not known of the earlier round)."""
    rows = [(result.ej_svar, change.earlier_ej_svar)]
    if result.can_be_skipped:
        rows.append((result.ej_tillampligt, change.earlier_ej_tillampligt))
    then = change.earlier_answered
    return [None if before is None else share_change("", now, total, before, then) for now, before in rows]


def compared_choice_rows(result: QuestionResult, change: QuestionChange, total: int,
                         labels: dict[str, str]) -> list[tuple[str, str, str, str, str, str]]:
    """A choice question beside the earlier round as the county PDF and Word document show it: (label,
    count, percent, earlier count, earlier percent, change) per option ("–", "nytt" for an option new in
    this round), then "Ej svar" (and "Ej tillämpligt", blank when not known of the earlier round)."""
    rows = []
    for option in result.options:
        before = change.option(option.option_id)
        known = before is not None and before.earlier_count is not None
        rows.append((labels.get(option.option_id, option.label), str(option.count), percent_text(option.percent),
                     str(before.earlier_count) if known else DASH,
                     percent_text(before.earlier_percent) if known else "nytt",
                     points_text(before.points) if known else DASH))
    missing = [("Ej svar", result.ej_svar, result.ej_svar_percent)]
    if result.can_be_skipped:
        missing.append(("Ej tillämpligt", result.ej_tillampligt, result.ej_tillampligt_percent))
    for (name, count, share), before in zip(missing, missing_changes(change, result, total), strict=True):
        rows.append((name, str(count), percent_text(share),
                     *((str(before.earlier_count), percent_text(before.earlier_percent), points_text(before.points))
                       if before is not None else ("", "", ""))))
    return rows


def answered_units(aggregate: Aggregate) -> int:
    """A date's or text's number of answers, a table's number of rows."""
    if hasattr(aggregate, "texts"):
        return len(aggregate.texts)
    if hasattr(aggregate, "rows"):
        return aggregate.rows
    return getattr(aggregate, "n", 0)


def question_changes(questions: tuple[QuestionResult, ...], total: int,
                     earlier: EarlierRound) -> dict[str, QuestionChange]:
    """Every question's change, by this round's question id."""
    return {q.question_id: question_change(q, total, earlier) for q in questions}


def _round(value: Decimal | float | None, places: int) -> Decimal:
    return round_half_up(value, places)  # a Decimal as it is, not through a float


# ----------------------------------------------------------------------------- words
def percent_text(value: int | None) -> str:
    """"83 %" with a non-breaking space (as every PDF and Word document writes it); "–" for none."""
    return DASH if value is None else f"{value}{NBSP}%"


def signed(value: Decimal | int | None, places: int | None = None, unit: str = "") -> str:
    """"+5", "−1,5", "±0": a change with its sign and a decimal comma; "–" when unknown."""
    if value is None:
        return DASH
    value = Decimal(value)
    if places is not None:
        value = _round(value, places)
    if value == 0:
        text = "±0"
    else:
        text = ("+" if value > 0 else MINUS) + format(abs(value).normalize(), "f").replace(".", ",")
    return f"{text}\u00a0{unit}" if unit else text


def points_text(points: int | None) -> str:
    """"+5 procentenheter", "−1 procentenhet", "±0 procentenheter"; "–" for a new option. Every change of
    a share is written so, county and national alike."""
    if points is None:
        return DASH
    word = "procentenhet" if abs(points) == 1 else "procentenheter"
    return f"{signed(points)} {word}"


def earlier_percent_text(change: OptionChange | None) -> str:
    """The earlier round's figure of an option: "4 (67 %)", or "nytt alternativ"."""
    if change is None or change.earlier_count is None:
        return NEW_OPTION
    return f"{change.earlier_count} ({change.earlier_percent} %)"


def not_comparable_text(year: int) -> str:
    """Below a question of this round that the earlier round did not have."""
    return f"Inte jämförbar med {year}: frågan saknas i den omgången."


def rounds_sentence(year: int, answered: int, earlier_year: int, earlier_answered: int, word: str = "kommuner") -> str:
    """"Jämförs med 2011: då hade 12 kommuner svarat, 2013 19." — the respondents of both rounds."""
    return f"Jämförs med {earlier_year}: då hade {earlier_answered} {word} svarat, {year} {answered}."


def answered_line(year: int, answered: int, earlier: int | None, earlier_year: int | None) -> str:
    """"Svarande kommuner: 2013: 7, 2011: 6"."""
    line = f"Svarande kommuner {year}: {answered}"
    if earlier is not None and earlier_year is not None:
        line += f", {earlier_year}: {earlier}"
    return line


def number_change_lines(change: QuestionChange, unit: str = "") -> list[tuple[str, str, str]]:
    """(measure, earlier, change) rows of a number question: Medelvärde and Summa, each to two decimals
    at most, as the national comparison writes them."""
    return [(label, _plain(before, places, unit), signed(delta, places, unit) if delta is not None else "–")
            for label, before, delta, places in (("Medelvärde", change.earlier_mean, change.mean_change, NUMBER_PLACES),
                                                 ("Summa", change.earlier_sum, change.sum_change, NUMBER_PLACES))]


def _plain(value: Decimal | None, places: int | None, unit: str) -> str:
    if value is None:
        return "–"
    value = _round(value, places) if places is not None else Decimal(value)
    text = format(value.normalize(), "f").replace(".", ",")
    text = MINUS + text[1:] if text.startswith("-") else text
    return f"{text}\u00a0{unit}" if unit else text


def summary_text(change: QuestionChange, unit: str = "") -> str:
    """One line for a question that is not a choice: the earlier round's figures and the change."""
    if not change.comparable:
        return NOT_COMPARABLE
    year = change.year
    if change.earlier_mean is not None or change.mean_change is not None or change.earlier_sum is not None:
        parts = [f"{label} {year}: {before}" + (f" ({delta})" if delta != "–" else "")
                 for label, before, delta in number_change_lines(change, unit)]
        return "; ".join(parts) + f". Antal svar {year}: {change.earlier_n or 0}."
    return f"Antal {change.n_word} {year}: {change.earlier_n or 0}."


def rank_change_text(option: OptionChange | None) -> tuple[str, str]:
    """(earlier mean rank, change) of a ranking option, as shown."""
    if option is None or option.earlier_count is None:
        return NEW_OPTION, "–"
    mean = option.earlier_mean_rank
    before = format(_round(mean, RANK_PLACES), "f").replace(".", ",") if mean is not None else "–"
    return before, signed(option.rank_change, RANK_PLACES) if option.rank_change is not None else "–"
