"""Which questions and options of a round compare with an earlier round (survey/comparison.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bou_desktop.survey.aggregates import ChoiceAggregate, NumberAggregate, RankingAggregate
from bou_desktop.survey.answers import Answers
from bou_desktop.survey.comparison import (
    change_in_points,
    counterparts,
    earlier_aggregate,
    earlier_answers,
    without_counterpart,
)
from bou_desktop.survey.forms import FormError, parse_form


def form(year: int, questions: list[dict]) -> object:
    return parse_form({"id": "uppfoljning", "version": str(year), "kind": "kommun", "title": "Uppföljning",
                       "questions": questions})


def choice(qid: str, number: int, options: list[str | tuple[str, str]], **keys) -> dict:
    made = []
    for option in options:
        option_id, same_as = option if isinstance(option, tuple) else (option, None)
        made.append({"id": option_id, "label": option_id.capitalize()} | ({"same_as": same_as} if same_as else {}))
    return {"id": qid, "number": number, "type": "single", "text": f"Fråga om {qid}", "options": made} | keys


Y2011 = form(2011, [
    choice("q1", 1, ["ja", "nej"]),
    choice("q3", 2, ["budget", "statistik", "annat"]),
    {"id": "antal", "number": 3, "type": "integer", "text": "Hur många?"},
    {"id": "borttagen", "number": 4, "type": "text", "text": "Finns bara 2011"},
])
# 2013: q3 moved to "underlag" (and budget renamed), a new q3 takes the old id, "antal" became a decimal,
# "borttagen" is gone and "ny" is new.
Y2013 = form(2013, [
    choice("q1", 1, ["ja", "nej"]),
    choice("q3", 2, ["ja", "nej"]),
    choice("underlag", 3, [("kostnader", "budget"), "statistik", "nytt"], same_as="q3"),
    {"id": "antal", "number": 4, "type": "decimal", "text": "Hur många?"},
    {"id": "ny", "number": 5, "type": "date", "text": "När?"},
])


def test_same_id_and_same_as_are_the_counterparts_and_a_claimed_id_is_not_matched_twice():
    matches = counterparts(Y2013, Y2011)
    assert {qid: m.earlier.id for qid, m in matches.items()} == {"q1": "q1", "underlag": "q3", "antal": "antal"}
    assert matches["underlag"].options == {"kostnader": "budget", "statistik": "statistik"}
    assert matches["underlag"].new_options() == ("nytt",)
    # the new q3 has options ja/nej but the old q3's id is claimed by "underlag": not comparable
    assert [q.id for q in without_counterpart(Y2013, matches)] == ["q3", "ny"]


def test_a_type_that_changed_kind_is_not_comparable():
    changed = form(2013, [{"id": "antal", "number": 1, "type": "text", "text": "Hur många?"}])
    assert counterparts(changed, Y2011) == {}


def test_a_rename_declared_once_holds_for_later_rounds():
    y2015 = form(2015, [choice("underlag", 1, ["kostnader", "statistik"])])  # says nothing of 2011
    assert counterparts(y2015, Y2011) == {}  # directly, nothing matches
    matches = counterparts(y2015, Y2011, between=[Y2013])
    assert matches["underlag"].earlier.id == "q3"
    assert matches["underlag"].options == {"kostnader": "budget", "statistik": "statistik"}


def test_earlier_answers_are_keyed_by_this_rounds_ids():
    answers = Answers(choices={"q1": ["ja"], "q3": ["budget"]}, specify={("q3", "budget"): "se bilaga"},
                      comments={"q3": "Svårt"}, values={"antal": "4", "borttagen": "x"})
    shown = earlier_answers(answers, counterparts(Y2013, Y2011))
    assert shown.choices == {"q1": ["ja"], "underlag": ["kostnader"]}
    assert shown.specify == {("underlag", "kostnader"): "se bilaga"}
    assert shown.comments == {"underlag": "Svårt"}
    assert shown.values == {"antal": "4"}  # "borttagen" has no place in 2013


def test_earlier_aggregates_are_re_keyed_and_points_are_of_the_shown_percents():
    match = counterparts(Y2013, Y2011)["underlag"]
    before = ChoiceAggregate({"budget": 3, "statistik": 1, "annat": 2}, ej_svar=1)
    assert earlier_aggregate(before, match) == ChoiceAggregate({"kostnader": 3, "statistik": 1}, ej_svar=1)
    ranks = RankingAggregate({"budget": Decimal("1.5"), "statistik": None, "annat": Decimal(2)},
                             {"budget": 2, "statistik": 0, "annat": 1})
    assert earlier_aggregate(ranks, match).mean_rank == {"kostnader": Decimal("1.5"), "statistik": None}
    numbers = NumberAggregate.of([Decimal(2), Decimal(4)])
    assert earlier_aggregate(numbers, counterparts(Y2013, Y2011)["antal"]) == numbers
    # 149 of 190 is 78 %, 3 of 6 is 50 %: 28 points
    assert change_in_points(149, 190, 3, 6) == 28
    assert change_in_points(1, 3, 1, 3) == 0
    # a round nobody has answered yet has no share to compare: no change, not −50
    assert change_in_points(0, 0, 3, 6) is None and change_in_points(3, 6, 0, 0) is None


@pytest.mark.parametrize("where", ["question", "option"])
def test_same_as_must_be_an_id(where):
    question = choice("q1", 1, ["ja"])
    if where == "question":
        question["same_as"] = "Fråga 3"
    else:
        question["options"][0]["same_as"] = "Fråga 3"
    with pytest.raises(FormError, match="same_as.*ogiltigt id"):
        form(2013, [question])


def test_an_earlier_round_carries_only_comparable_questions_under_this_rounds_ids():
    from bou_desktop.survey.comparison import earlier_round

    aggregates = {"q1": ChoiceAggregate({"ja": 4, "nej": 2}), "q3": ChoiceAggregate({"budget": 3}),
                  "borttagen": ChoiceAggregate({})}
    earlier = earlier_round(2011, 6, aggregates, counterparts(Y2013, Y2011))
    assert earlier.to_json() == {"kommuner_svarat": 6, "questions": {
        "q1": {"counts": {"ja": 4, "nej": 2}, "ej_svar": 0, "ej_tillampligt": 0},
        "underlag": {"counts": {"kostnader": 3, "statistik": 0}, "ej_svar": 0, "ej_tillampligt": 0}}}


def test_the_national_change_of_a_round_nobody_has_answered_is_no_change():
    from bou_desktop.survey.national_comparison import _share

    assert _share("ja", 0, 0, 6, 6).change is None  # this round: no county files yet
    assert _share("ja", 3, 6, 0, 0).change is None  # the earlier round had no respondents
    assert _share("ja", 3, 6, 4, 8).change == 0 and _share("ja", 6, 6, 3, 6).change == 50
