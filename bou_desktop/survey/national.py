"""The national report (Enkätredovisning): SKL's compilation of the county files.

As in the report of February 2012:
- response rate per region: municipalities in the region, how many answered, per cent; a region
  without a county file shows 0 and 0 %; a total row;
- per question and option: "Antal kommuner" summed over the regions and "Procent" of all
  responding municipalities in the country, rounded half up;
- question 10: per alternative the mean of the ranks of the regions that ranked it (one decimal,
  decimal comma when shown) and how many regions ranked it, sorted by the mean.
"""

from __future__ import annotations

from dataclasses import dataclass

from .compilation import percent
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
    ranking: dict[str, int]
    ranking_specify: str = ""
    ovriga_synpunkter: str = ""


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


@dataclass(frozen=True)
class NationalRank:
    option_id: str
    label: str
    medelvarde: float
    antal_regioner: int


@dataclass(frozen=True)
class NationalReport:
    round_year: int
    form_id: str
    regions: tuple[RegionRate, ...]
    total: RegionRate
    questions: tuple[NationalQuestion, ...]
    ranking: tuple[NationalRank, ...]  # sorted by mean; alternatives no region ranked last
    ranking_specify: tuple[tuple[str, str], ...]  # (region, "Annat alternativ" text)
    ovriga_synpunkter: tuple[tuple[str, str], ...]
    ranking_question: str | None = None

    def question(self, question_id: str) -> NationalQuestion:
        return next(q for q in self.questions if q.question_id == question_id)

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
    ranking_question = next((q for q in form.questions if q.type == "ranking"), None)
    for question in form.questions:
        if question.type == "ranking":
            continue
        options = []
        for option in question.options:
            antal = sum(c.counts.get(question.id, {}).get(option.id, 0) for c in ordered)
            options.append(NationalOption(option.id, option.label, antal, percent(antal, total_answered)))
        no_answer = sum(c.ej_svar.get(question.id, 0) for c in ordered)
        not_applicable = sum(c.ej_tillampligt.get(question.id, 0) for c in ordered)
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
            per_region,
        ))
    ranking: list[NationalRank] = []
    if ranking_question is not None:
        for option in ranking_question.options:
            ranks = [c.ranking[option.id] for c in ordered if option.id in c.ranking]
            ranking.append(NationalRank(option.id, option.label, sum(ranks) / len(ranks) if ranks else 0.0, len(ranks)))
        ranking.sort(key=lambda r: (r.antal_regioner == 0, r.medelvarde))
    return NationalReport(
        round_year, form.id, tuple(rates), total, tuple(questions), tuple(ranking),
        tuple((c.region, c.ranking_specify) for c in ordered if c.ranking_specify),
        tuple((c.region, c.ovriga_synpunkter) for c in ordered if c.ovriga_synpunkter),
        ranking_question.id if ranking_question else None,
    )
