"""The county compilation: counts, "ej svar", "ej tillämpligt" and percentages as a person tallies them."""

from __future__ import annotations

import random

import pytest

from bou_desktop.demo import synthetic_answers
from bou_desktop.store import StoreError
from bou_desktop.survey.answers import Answers, skipped_questions
from bou_desktop.survey.compilation import decimal_comma, percent

ÖG = "Östergötland"


def answer(store, code, status="klar", **choices):
    answers = Answers(choices={q: v if isinstance(v, list) else [v] for q, v in choices.items()})
    store.save_answers(store.round_for(), code, answers, source="cli", status=status)


def test_a_small_region_tallied_by_hand(store):
    # Five finished responses, one draft, seven municipalities without an answer.
    answer(store, "0580", q1="ja", q2=["politiker", "chefer"], q5="ja")             # Linköping
    answer(store, "0581", q1="ja", q2=["politiker"], q5="ja_i_viss_man")            # Norrköping
    answer(store, "0583", q1="nej", q5="nej")                                        # Motala: Q2–4 skipped
    answer(store, "0584", q1="nej", q2=["brukare"], q5="ja")                         # Vadstena: contradiction
    answer(store, "0586", q1="ja", q5="ja")                                          # Mjölby: Q2 left blank
    answer(store, "0512", status="utkast", q1="ja", q2=["politiker"], q5="vet_ej")   # Ydre: draft, not counted
    c = store.compile(store.round_for(), ÖG)
    assert (c.kommuner_totalt, c.kommuner_svarat, c.svarsfrekvens) == (13, 5, 38)
    assert c.drafts == ("Ydre",) and c.flagged == ("Vadstena",)
    q1, q2, q5 = c.question("q1"), c.question("q2"), c.question("q5")
    assert [(o.option_id, o.count, o.percent) for o in q1.options] == [("ja", 3, 60), ("nej", 2, 40)]
    assert (q1.ej_svar, q1.ej_tillampligt) == (0, 0)
    counts = {o.option_id: o.count for o in q2.options}
    assert counts == {"politiker": 2, "chefer": 1, "handlaggare": 0, "brukare": 0, "annan": 0}  # Vadstena's not counted
    assert (q2.ej_svar, q2.ej_tillampligt) == (1, 2)  # Mjölby blank; Motala and Vadstena skipped
    assert q2.can_be_skipped and not q5.can_be_skipped
    assert {o.option_id: o.count for o in q5.options} == {"ja": 3, "ja_i_viss_man": 1, "nej": 1, "vet_ej": 0}
    assert c.question("q6").ej_svar == 5
    assert "Ydre" in c.not_answered and "Linköping" not in c.not_answered


def _tally(store, region):
    """An independent count, the slow way: response by response, question by question."""
    form = store.form_of(store.round_for())
    counts, no_answer, not_applicable = {}, {}, {}
    for record in store.responses(store.round_for(), region):
        if record.status != "klar":
            continue
        answers = record.answers(form)
        skipped = skipped_questions(form, answers)
        for question in form.questions:
            if question.id in skipped:
                not_applicable[question.id] = not_applicable.get(question.id, 0) + 1
                continue
            chosen = list(answers.ranks.get(question.id, {})) if question.type == "ranking" else answers.choices.get(question.id, [])
            if not chosen:
                no_answer[question.id] = no_answer.get(question.id, 0) + 1
            for option_id in chosen:
                counts[(question.id, option_id)] = counts.get((question.id, option_id), 0) + 1
    return counts, no_answer, not_applicable


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_generated_region_equals_an_independent_tally(store, seed):
    rng = random.Random(seed)
    for municipality in store.municipalities("Skåne"):
        if rng.random() < 0.8:
            answers = synthetic_answers(store, rng)
            if rng.random() < 0.1:
                answers.choices.pop("q5", None)
            store.save_answers(store.round_for(), municipality.code, answers, source="cli",
                               status="klar" if rng.random() < 0.8 else "utkast")
    c = store.compile(store.round_for(), "Skåne")
    counts, no_answer, not_applicable = _tally(store, "Skåne")
    for q in c.questions:
        for o in q.options:
            assert o.count == counts.get((q.question_id, o.option_id), 0), (q.question_id, o.option_id)
            assert abs(o.percent - 100 * o.count / c.kommuner_svarat) <= 0.5
        assert q.ej_svar == no_answer.get(q.question_id, 0) and q.ej_tillampligt == not_applicable.get(q.question_id, 0)


@pytest.mark.parametrize("count, total, expected", [(149, 190, 78), (1, 8, 13), (5, 8, 63), (3, 8, 38), (0, 5, 0), (5, 0, 0), (6, 13, 46)])
def test_percent_rounds_half_up(count, total, expected):
    assert percent(count, total) == expected


@pytest.mark.parametrize("value, text", [(1.75, "1,8"), (2.25, "2,3"), (1.8, "1,8"), (3.25, "3,3"), (5.0, "5,0")])
def test_decimal_comma_rounds_half_up(value, text):
    assert decimal_comma(value) == text


def test_the_leaders_texts_are_saved_and_audited(store):
    round_ = store.round_for()
    store.set_leader_text(round_, ÖG, "summary.q3", "Budget dominerar")
    store.set_leader_text(round_, ÖG, "rank.basuppgifter", 1)
    store.set_leader_text(round_, ÖG, "rank.basuppgifter", 2)
    store.set_leader_text(round_, ÖG, "ranking_specify", "Kunskapsläget")
    store.set_leader_text(round_, ÖG, "utvecklingsledare", "Åsa Öberg")
    texts = store.leader_texts(round_, ÖG)
    assert texts.summaries == {"q3": "Budget dominerar"} and texts.ranking == {"basuppgifter": 2}
    assert texts.ranking_specify == "Kunskapsläget" and texts.utvecklingsledare == "Åsa Öberg"
    log = [(e.field, e.old, e.new) for e in store.compilation_audit(round_, ÖG)]
    assert ("lan.rank.basuppgifter", "1", "2") in log and ("lan.summary.q3", None, "Budget dominerar") in log
    store.set_leader_text(round_, ÖG, "rank.basuppgifter", None)
    assert store.leader_texts(round_, ÖG).ranking == {}
    with pytest.raises(StoreError):
        store.set_leader_text(round_, ÖG, "rank.basuppgifter", 8)
    with pytest.raises(StoreError):
        store.set_leader_text(round_, ÖG, "farg", "blå")
    with pytest.raises(StoreError):
        store.compile(round_, "Atlantis")


def test_mean_ranks_of_the_municipalities(store):
    round_ = store.round_for()
    for code, ranks in (("0580", {"basuppgifter": 1, "resultat_hvb": 2}), ("0581", {"basuppgifter": 2}), ("0583", {})):
        store.save_answers(round_, code, Answers(choices={"q1": ["ja"]}, ranks={"q10": ranks} if ranks else {}), source="cli", status="klar")
    means = {m.option_id: (m.mean, m.count) for m in store.compile(round_, ÖG).question("q10").mean_ranks}
    assert means["basuppgifter"] == (1.5, 2) and means["resultat_hvb"] == (2.0, 1) and means["annat"] == (0.0, 0)


def test_anonymous_compilation_names_no_municipality(store):
    store.save_answers(store.round_for(), "0580", Answers(choices={"q1": ["ja"]}, comments={"q1": "Årsrapport"}),
                       source="cli", status="klar")
    named = store.compile(store.round_for(), ÖG).question("q1").texts[0]
    anonymous = store.compile(store.round_for(), ÖG, anonymous=True).question("q1").texts[0]
    assert named.kommun_namn == "Linköping" and anonymous.kommun_namn == "" and anonymous.text == "Årsrapport"
