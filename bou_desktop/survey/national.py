"""The national report (Enkätredovisning): SKL's compilation of the county files.

As in the report of February 2012:
- response rate per region: municipalities in the region, how many answered, per cent; a region
  without a county file shows 0 and 0 %; a total row;
- per question and option: "Antal kommuner" summed over the regions and "Procent" of all
  responding municipalities in the country, rounded half up;
- each ranking question: per alternative the mean of the ranks of the regions that ranked it (one
  decimal, decimal comma when shown) and how many regions ranked it, sorted by the mean;
- every question also has its aggregate over the nation and per region (survey/aggregates.py):
  choices and counts summed, numbers exactly (n, sum, mean = sum / n, the median from the values the
  county files carry), dates earliest and latest, texts one after another with their region, tables
  per column. A region-level form (kind "region") is compiled from the regions' own responses
  (`compilation.aggregate_questions`), see `region_level_report`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .aggregates import Aggregate, ChoiceAggregate, in_region
from .answers import Answers
from .compilation import aggregate_questions, percent
from .forms import Form


@dataclass(frozen=True)
class CountyNumbers:
    """What the national report needs of one county file."""

    region: str
    kommuner_totalt: int
    kommuner_svarat: int
    counts: dict[str, dict[str, int]]
    ej_svar: dict[str, int]
    ej_tillampligt: dict[str, int]
    summaries: dict[str, str]
    rankings: dict[str, dict[str, int]]  # ranking question -> option -> the leader's rank
    specify: dict[str, str] = field(default_factory=dict)  # ranking question -> the leader's "annat" text
    ovriga_synpunkter: str = ""
    aggregates: dict[str, Aggregate] = field(default_factory=dict)  # question -> the region's aggregate

    def aggregate(self, question) -> Aggregate | None:
        """The region's aggregate of a question; a version 1 file's choices from its counts."""
        if question.id in self.aggregates:
            return self.aggregates[question.id]
        if question.type in ("single", "multi") and question.id in self.counts:
            return ChoiceAggregate(dict(self.counts[question.id]), self.ej_svar.get(question.id, 0),
                                   self.ej_tillampligt.get(question.id, 0))
        return None


@dataclass(frozen=True)
class RegionRate:
    region: str
    kommuner_totalt: int
    kommuner_svarat: int
    svarsfrekvens: int
    has_file: bool


@dataclass(frozen=True)
class Share:
    antal: int
    procent: int


@dataclass(frozen=True)
class NationalOption:
    option_id: str
    label: str
    antal: int
    procent: int


@dataclass(frozen=True)
class NationalQuestion:
    question_id: str
    number: int
    text: str
    type: str
    options: tuple[NationalOption, ...]
    ej_svar: Share
    ej_tillampligt: Share
    summaries: tuple[tuple[str, str], ...]  # (region, summary)
    per_region: dict[str, dict[str, Share]]  # region -> option -> share of the region's responding
    aggregate: Aggregate | None = None  # over the nation (None: no region's file has the question)
    region_aggregates: dict[str, Aggregate] = field(default_factory=dict)  # region -> its aggregate


@dataclass(frozen=True)
class NationalRank:
    option_id: str
    label: str
    medelvarde: float
    antal_regioner: int


@dataclass(frozen=True)
class NationalRanking:
    """A ranking question over the nation: the regions' ranks, and the municipalities' (the aggregate)."""

    question_id: str
    ranks: tuple[NationalRank, ...]  # sorted by mean; alternatives no region ranked last
    specify: tuple[tuple[str, str], ...]  # (region, "Annat alternativ" text)
    aggregate: Aggregate | None = None
    region_aggregates: dict[str, Aggregate] = field(default_factory=dict)


@dataclass(frozen=True)
class NationalReport:
    round_year: int
    form_id: str
    regions: tuple[RegionRate, ...]
    total: RegionRate
    questions: tuple[NationalQuestion, ...]  # every question but the ranking questions
    rankings: tuple[NationalRanking, ...]  # every ranking question, in the form's order
    ovriga_synpunkter: tuple[tuple[str, str], ...]
    unit_key: str = "kommun"  # "region" for a region-level form

    def question(self, question_id: str) -> NationalQuestion:
        return next(q for q in self.questions if q.question_id == question_id)

    def ranking_of(self, question_id: str) -> NationalRanking:
        return next(r for r in self.rankings if r.question_id == question_id)

    # The first ranking question, for the views that show one (national view and PDF).
    @property
    def ranking_question(self) -> str | None:
        return self.rankings[0].question_id if self.rankings else None

    @property
    def ranking(self) -> tuple[NationalRank, ...]:
        return self.rankings[0].ranks if self.rankings else ()

    @property
    def ranking_specify(self) -> tuple[tuple[str, str], ...]:
        return self.rankings[0].specify if self.rankings else ()

    @property
    def aggregates(self) -> dict[str, Aggregate]:
        """Every question's aggregate over the nation (question id -> aggregate), where there is one."""
        found = {q.question_id: q.aggregate for q in self.questions if q.aggregate is not None}
        return found | {r.question_id: r.aggregate for r in self.rankings if r.aggregate is not None}

    def aggregate(self, question_id: str) -> Aggregate | None:
        """Any question's aggregate over the nation."""
        found = [q.aggregate for q in self.questions if q.question_id == question_id]
        found += [r.aggregate for r in self.rankings if r.question_id == question_id]
        return found[0] if found else None

    def rate(self, region: str) -> RegionRate:
        return next(r for r in self.regions if r.region == region)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(r.region for r in self.regions if not r.has_file)


def national_report(form: Form, round_year: int, regions: list[tuple[str, int]],
                    files: dict[str, CountyNumbers]) -> NationalReport:
    """regions: (name, number of municipalities) of every region, in report order."""
    rates = []
    for name, count in regions:
        county = files.get(name)
        answered = county.kommuner_svarat if county else 0
        rates.append(RegionRate(name, count, answered, percent(answered, count), county is not None))
    total_count = sum(r.kommuner_totalt for r in rates)
    total_answered = sum(r.kommuner_svarat for r in rates)
    total = RegionRate("Total", total_count, total_answered, percent(total_answered, total_count), bool(files))
    ordered = [files[name] for name, _count in regions if name in files]
    questions = []
    rankings = []
    for question in form.questions:
        region_aggregates = {c.region: in_region(a, c.region) for c in ordered
                             if (a := c.aggregate(question)) is not None}
        combined = (question.qtype.combine(question, list(region_aggregates.values()), form.unit_key)
                    if region_aggregates else None)
        if question.type == "ranking":
            ranks = []
            for option in question.options:
                given = [c.rankings[question.id][option.id] for c in ordered if option.id in c.rankings.get(question.id, {})]
                ranks.append(NationalRank(option.id, option.label, sum(given) / len(given) if given else 0.0, len(given)))
            ranks.sort(key=lambda r: (r.antal_regioner == 0, r.medelvarde))
            rankings.append(NationalRanking(
                question.id, tuple(ranks),
                tuple((c.region, c.specify[question.id]) for c in ordered if c.specify.get(question.id)),
                combined, region_aggregates))
            continue
        options = []
        for option in question.options:
            antal = sum(c.counts.get(question.id, {}).get(option.id, 0) for c in ordered)
            options.append(NationalOption(option.id, option.label, antal, percent(antal, total_answered)))
        no_answer = sum(a.ej_svar for a in region_aggregates.values())
        not_applicable = sum(a.ej_tillampligt for a in region_aggregates.values())
        per_region = {
            c.region: {o.id: Share(c.counts.get(question.id, {}).get(o.id, 0),
                                   percent(c.counts.get(question.id, {}).get(o.id, 0), c.kommuner_svarat))
                       for o in question.options}
            for c in ordered
        }
        questions.append(NationalQuestion(
            question.id, question.number, question.text, question.type, tuple(options),
            Share(no_answer, percent(no_answer, total_answered)), Share(not_applicable, percent(not_applicable, total_answered)),
            tuple((c.region, c.summaries[question.id]) for c in ordered if c.summaries.get(question.id)),
            per_region, combined, region_aggregates,
        ))
    return NationalReport(
        round_year, form.id, tuple(rates), total, tuple(questions), tuple(rankings),
        tuple((c.region, c.ovriga_synpunkter) for c in ordered if c.ovriga_synpunkter), form.unit_key,
    )


def region_level_report(form: Form, round_year: int, regions: Sequence[tuple[str, int]],
                        responses: dict[str, Answers]) -> NationalReport:
    """The national compilation of a region-level form (kind "region"): each answering region is a unit.

    regions: (name, number of municipalities) of every region in report order; responses: region ->
    its counted answers. The rates count regions (`kommuner_*` hold 1 or 0 for a region).
    """
    units = [(name, responses[name]) for name, _count in regions if name in responses]
    per_region = {name: aggregate_questions(form, [(name, answers)]) for name, answers in units}
    files = {name: CountyNumbers(name, 1, 1, {}, {}, {}, {}, {}, aggregates=per_region[name]) for name, _a in units}
    for question in form.questions:  # choices: counts as a county file has them
        if question.type in ("single", "multi"):
            for name, _a in units:
                files[name].counts[question.id] = dict(per_region[name][question.id].counts)
    return national_report(form, round_year, [(name, 1) for name, _count in regions], files)
