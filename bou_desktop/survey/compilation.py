"""The county compilation (länssammanställningen): Bilaga 2 computed from a region's responses.

Rules, as in the 2011 survey:
- a municipality has answered when its response counts (ResponseState.counts: klar, or importerad
  with every required question answered); drafts and incomplete imports are shown, not counted;
- per question: how many ticked each option, "ej svar" (answered the survey, left the question
  blank) and "ej tillämpligt" (skipped, e.g. questions 2–4 after Nej in question 1);
- answers to skipped questions (a contradiction) are kept but not counted: the question counts
  as not applicable for that municipality until the leader resolves it;
- percentages are of the responding municipalities, rounded half up to a whole percent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .aggregates import Aggregate
from .answers import Answers, contradictions, response_state, skipped_questions
from .forms import Form, HeaderField
from .shares import percent  # noqa: F401 (here too: the compilation's callers import it from here)


@dataclass(frozen=True)
class OptionCount:
    option_id: str
    label: str
    count: int
    percent: int


@dataclass(frozen=True)
class OpenText:
    """A municipality's own words: an "ange" text or a comment."""

    kommun: str  # code
    kommun_namn: str
    kind: str  # "ange" or "kommentar"
    option_label: str
    text: str


@dataclass(frozen=True)
class MeanRank:
    option_id: str
    label: str
    mean: float
    count: int


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    number: int
    text: str
    type: str
    options: tuple[OptionCount, ...]
    ej_svar: int
    ej_tillampligt: int
    ej_svar_percent: int
    ej_tillampligt_percent: int
    texts: tuple[OpenText, ...]
    summary: str = ""
    mean_ranks: tuple[MeanRank, ...] = ()
    can_be_skipped: bool = False
    aggregate: Aggregate | None = None  # the question's typed aggregate (survey/aggregates.py), any type


@dataclass(frozen=True)
class LeaderTexts:
    """What the leader writes on the county form: summaries, the region's rankings, other views.

    `rankings` and `specify` hold every ranking question's; `ranking` and `ranking_specify` the first
    ranking question's, for the views that show one (the county view and its PDF). `fields` holds the
    county form's own fields by id: its text `header` fields (the leader's name …) and its `free_texts`.
    """

    summaries: dict[str, str] = field(default_factory=dict)  # question id -> text
    ranking: dict[str, int] = field(default_factory=dict)  # option id of the first ranking question -> rank
    ranking_specify: str = ""  # "Annat alternativ, ange"
    fields: dict[str, str] = field(default_factory=dict)  # header or free text id -> text
    rankings: dict[str, dict[str, int]] = field(default_factory=dict)  # ranking question id -> option id -> rank
    specify: dict[str, str] = field(default_factory=dict)  # ranking question id -> "Annat alternativ, ange"

    def field(self, field_id: str) -> str:
        """A field of the county form as written ("" when empty)."""
        return self.fields.get(field_id, "")

    # The 2011 county form's two fields, by the names the county file (format 1 and 2) and its PDF use.
    @property
    def utvecklingsledare(self) -> str:
        return self.field("utvecklingsledare")

    @property
    def ovriga_synpunkter(self) -> str:
        return self.field("ovriga_synpunkter")

    def ranks_of(self, ranking_questions: Sequence[str]) -> dict[str, dict[str, int]]:
        """Every ranking question's ranks; the first one's also when given only as `ranking`."""
        result = {qid: dict(self.rankings[qid]) for qid in ranking_questions if self.rankings.get(qid)}
        if ranking_questions and self.ranking and ranking_questions[0] not in result:
            result[ranking_questions[0]] = dict(self.ranking)
        return result

    def specify_of(self, ranking_questions: Sequence[str]) -> dict[str, str]:
        result = {qid: self.specify[qid] for qid in ranking_questions if self.specify.get(qid)}
        if ranking_questions and self.ranking_specify and ranking_questions[0] not in result:
            result[ranking_questions[0]] = self.ranking_specify
        return result


@dataclass(frozen=True)
class CountyCompilation:
    round_year: int
    form_id: str
    form_version: str
    region: str
    kommuner_totalt: int
    kommuner_svarat: int
    drafts: tuple[str, ...]  # names of municipalities with a response that does not count yet
    not_answered: tuple[str, ...]  # names of municipalities without a finished response
    flagged: tuple[str, ...]  # names of responding municipalities whose contradictions are not counted
    questions: tuple[QuestionResult, ...]
    leader: LeaderTexts
    ranking_questions: tuple[str, ...] = ()  # every ranking question, in the form's order
    scope: str | None = None  # "region": a region's own survey, for the region's use only (never sent to SKL)

    @property
    def ranking_question(self) -> str | None:
        """The first ranking question: the one the county view and its PDF show the leader's ranks for."""
        return self.ranking_questions[0] if self.ranking_questions else None

    @property
    def svarsfrekvens(self) -> int:
        return percent(self.kommuner_svarat, self.kommuner_totalt)

    def question(self, question_id: str) -> QuestionResult:
        return next(q for q in self.questions if q.question_id == question_id)


def header_value(field: HeaderField, c: CountyCompilation) -> str | int:
    """What a county form's header field shows: the region or a count when it is `computed`, else the
    leader's text."""
    if field.computed == "region":
        return c.region
    if field.computed == "units_total":
        return c.kommuner_totalt
    if field.computed == "units_answered":
        return c.kommuner_svarat
    return c.leader.field(field.id)


def compile_region(form: Form, round_year: int, region: str, municipalities: list[tuple[str, str]],
                   responses: dict[str, tuple[str, Answers]], leader: LeaderTexts | None = None,
                   anonymous: bool = False) -> CountyCompilation:
    """Compile a region.

    municipalities: (code, name) of every municipality of the region, in display order.
    responses: code -> (status, answers) for those that have a response.
    anonymous: leave municipality names out of the open answers.
    """
    leader = leader or LeaderTexts()
    names = dict(municipalities)
    counting = {code for code, (status, answers) in responses.items() if response_state(form, status, answers).counts}
    finished = {code: answers for code, (_status, answers) in responses.items() if code in counting and code in names}
    drafts = tuple(names[c] for c in responses if c not in counting and c in names)
    answering = [code for code, _name in municipalities if code in finished]
    total = len(answering)
    flagged = tuple(names[c] for c in answering if contradictions(form, finished[c]))
    skipped = {code: skipped_questions(form, finished[code]) for code in answering}
    aggregates = aggregate_questions(form, [(code, finished[code]) for code in answering], anonymous, skipped)
    results = []
    for question in form.questions:
        counted = [c for c in answering if question.id not in skipped[c]]
        not_applicable = total - len(counted)
        answered = [c for c in counted if finished[c].is_answered(question)]
        options = []
        for option in question.options:
            if question.type == "ranking":
                count = sum(1 for c in answered if option.id in finished[c].ranks.get(question.id, {}))
            else:
                count = sum(1 for c in answered if option.id in finished[c].choices.get(question.id, []))
            options.append(OptionCount(option.id, option.label, count, percent(count, total)))
        no_answer = len(counted) - len(answered)
        texts = []
        for code in counted:
            answers = finished[code]
            shown = "" if anonymous else names[code]
            for option in question.specify_options:
                text = answers.specify.get((question.id, option.id), "").strip()
                if text:
                    texts.append(OpenText(code if not anonymous else "", shown, "ange", option.label, text))
            comment = answers.comments.get(question.id, "").strip()
            if comment:
                texts.append(OpenText(code if not anonymous else "", shown, "kommentar", "", comment))
        means = ()
        if question.type == "ranking":
            means = tuple(_mean_rank(option.id, option.label, [finished[c] for c in answered], question.id)
                          for option in question.options)
        results.append(QuestionResult(
            question.id, question.number, question.text, question.type, tuple(options),
            no_answer, not_applicable, percent(no_answer, total), percent(not_applicable, total), tuple(texts),
            leader.summaries.get(question.id, ""), means,
            can_be_skipped=any(question.id in form.skipped_by(q.id, o.id) for q in form.questions for o in q.options),
            aggregate=aggregates[question.id],
        ))
    return CountyCompilation(
        round_year, form.id, form.version, region, len(municipalities), total, drafts,
        tuple(name for code, name in municipalities if code not in finished), flagged, tuple(results),
        leader, tuple(q.id for q in form.questions if q.type == "ranking"), form.scope,
    )


def aggregate_questions(form: Form, units: Sequence[tuple[str, Answers]], anonymous: bool = False,
                        skipped: dict[str, set[str]] | None = None) -> dict[str, Aggregate]:
    """Each question's aggregate over the answering units (code or region name, answers), in their order.

    A unit whose answers skip the question counts as ej_tillampligt (its answers there are not
    counted), one that left it blank as ej_svar; texts name their unit unless `anonymous`.
    """
    if skipped is None:
        skipped = {code: skipped_questions(form, answers) for code, answers in units}
    result: dict[str, Aggregate] = {}
    for question in form.questions:
        counted = [(code, answers) for code, answers in units if question.id not in skipped[code]]
        answered = [(code, answers) for code, answers in counted if answers.is_answered(question)]
        result[question.id] = question.qtype.aggregate(
            question, answered, len(counted) - len(answered), len(units) - len(counted), form.unit_key, anonymous)
    return result


def _mean_rank(option_id: str, label: str, answers: list[Answers], question_id: str) -> MeanRank:
    ranks = [a.ranks[question_id][option_id] for a in answers if option_id in a.ranks.get(question_id, {})]
    return MeanRank(option_id, label, sum(ranks) / len(ranks) if ranks else 0.0, len(ranks))


def round_half_up(value: float | int | Decimal, decimals: int = 1) -> Decimal:
    """Rounded as people and Swedish statistics round, a half away from zero (1,75 -> 1,8; 2,5 -> 3;
    -2,5 -> -3), not to even. A float is taken as it is written (2.675 is 2,675, not 2,67499…). The one
    rounding of shown figures: the views, files and PDFs (exchange/aggregate_text.swedish_number) use it."""
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def decimal_comma(value: float, decimals: int = 1) -> str:
    """A number the Swedish way: 1,8."""
    return f"{round_half_up(value, decimals):f}".replace(".", ",")
