"""Every question type from a form file alone: loading, checks, fields, JSON svarsfil v2, aggregates.

The form is written here, not taken from forms/: two ranking questions, numbers, a date, texts, a
table, parts 1 a)–1 c) and a skip over parts.
"""

from __future__ import annotations

import copy
import random
import statistics
import tomllib
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from every_type import FORM, every_type_store

from bou_desktop.exchange.errors import RefusedFile
from bou_desktop.exchange.svarsfil_json import build_svarsfil, svarsfil_from_dict
from bou_desktop.store.repository import _check_fields
from bou_desktop.survey.aggregates import NumberAggregate
from bou_desktop.survey.answers import Answers, check, field_label, response_state
from bou_desktop.survey.compilation import aggregate_questions, compile_region
from bou_desktop.survey.forms import FormError, FormLibrary, parse_form
from bou_desktop.survey.types import QUESTION_TYPES


def data() -> dict:
    return tomllib.loads(FORM)


@pytest.fixture
def form():
    return parse_form(data(), "provform.toml")


def full_answers() -> Answers:
    return Answers(
        choices={"har": ["ja"], "val": ["p", "q"]},
        ranks={"rang1": {"a": 1, "b": 2, "c": 3}, "rang2": {"z": 1, "w": 2}},
        specify={("val", "p"): "Egen text"},
        comments={"antal": "Ungefär", "ledare": "Två ledare"},
        values={"antal": "2", "andel": "12.5", "start": "2013-05-01", "ort": "Linköping", "slutsats": "Rad ett\nRad två"},
        tables={"ledare": [{"omfattning": "50", "fran": "2013-01-01", "ort": "Motala"},
                           {"omfattning": "75.5", "fran": "2012-09-15", "timmar": "30"}]},
    )


FULL_FIELDS = {
    "har": "ja",
    "antal": "2", "antal.kommentar": "Ungefär",
    "ledare.1.omfattning": "50", "ledare.1.fran": "2013-01-01", "ledare.1.ort": "Motala",
    "ledare.2.omfattning": "75.5", "ledare.2.fran": "2012-09-15", "ledare.2.timmar": "30",
    "ledare.kommentar": "Två ledare",
    "rang1.a": "1", "rang1.b": "2", "rang1.c": "3",
    "rang2.z": "1", "rang2.w": "2",
    "val.p": "X", "val.q": "X", "val.p.ange": "Egen text",
    "andel": "12.5", "start": "2013-05-01", "ort": "Linköping", "slutsats": "Rad ett\nRad två",
}


# --------------------------------------------------------------------------- the form


def test_the_form_loads_with_every_type_labels_parts_and_a_skip_over_parts(form):
    assert {q.type for q in form.questions} == set(QUESTION_TYPES)
    assert [q.label for q in form.questions] == ["1 a)", "1 b)", "1 c)", "2)", "3)", "4)", "5)", "6)", "7)", "8)"]
    assert form.question("har").heading == "Regionala utvecklingsledare"
    assert form.question("antal").number_text == "1 b"
    assert form.question("andel").unit == "%" and form.question("andel").max == 100
    table = form.question("ledare")
    assert [c.id for c in table.columns] == ["omfattning", "fran", "timmar", "ort"] and table.max_rows == 20
    assert form.question("antal").options == ()
    assert form.skipped_by("har", "nej") == ("antal", "ledare")
    assert form.kind == "kommun" and form.scope is None and form.unit_key == "kommun"


def test_a_region_level_form_and_a_region_scope_load():
    raw = data()
    raw.update(kind="region", scope="region")
    form = parse_form(raw, "region.toml")
    assert form.unit_key == "region" and form.scope == "region"


def _question(raw: dict, qid: str) -> dict:
    return next(q for q in raw["questions"] if q["id"] == qid)


def _set(qid: str, **values):
    def change(raw):
        _question(raw, qid).update(values)
    return change


def _drop(qid: str, key: str):
    def change(raw):
        del _question(raw, qid)[key]
    return change


def _column(**values):
    def change(raw):
        _question(raw, "ledare")["columns"][0].update(values)
    return change


BROKEN = [
    (_set("antal", options=[{"id": "a", "label": "A"}]), "questions[1].options",
     "svarsalternativ går bara på frågetyperna single, multi och ranking, inte integer"),
    (_drop("rang1", "options"), "questions[3].options", "frågan har inga svarsalternativ"),
    (_set("rang1", options=[]), "questions[3].options", "frågan har inga svarsalternativ"),
    (_set("ort", unit="%"), "questions[8].unit", "går bara på frågetyperna integer och decimal, inte text"),
    (_set("start", min=1), "questions[7].min", "går bara på frågetyperna integer och decimal, inte date"),
    (_set("antal", min=10, max=5), "questions[1].min", "är större än max (10 > 5)"),
    (_set("antal", min=0.5), "questions[1].min", "ska vara ett heltal på en fråga av typen integer"),
    (_set("antal", min="0"), "questions[1].min", "ska vara ett tal"),
    (_set("antal", max=True), "questions[1].max", "ska vara ett tal"),
    (_drop("ledare", "columns"), "questions[2].columns", "en tabell behöver minst en kolumn"),
    (_column(type="longtext"), "questions[2].columns[0].type", "okänd kolumntyp 'longtext'"),
    (_column(min=200), "questions[2].columns[0].min", "är större än max (200 > 100)"),
    (_column(farg="röd"), "questions[2].columns[0].farg", "okänd nyckel"),
    (_set("antal", columns=[{"id": "a", "label": "A", "type": "text"}]), "questions[1].columns",
     "går bara på frågetypen table, inte integer"),
    (_set("antal", max_rows=3), "questions[1].max_rows", "går bara på frågetypen table, inte integer"),
    (_set("ledare", min_rows=5, max_rows=3), "questions[2].max_rows", "ska vara minst 1 och minst min_rows (5)"),
    (_set("ledare", min_rows=-1), "questions[2].min_rows", "får inte vara negativ"),
    (_set("antal", part="a"), "questions", "frågornas nummer (och delar) ska vara unika och stigande"),
    (_set("ledare", part="0"), "questions[2].part", "ogiltig del '0'"),
    (_drop("antal", "part"), "questions", "frågornas nummer (och delar) ska vara unika och stigande"),
    (_set("rang1", number=1), "questions", "frågornas nummer (och delar) ska vara unika och stigande"),
    (_drop("har", "part"), "questions[0].heading", "går bara på en delfråga (med part)"),
    (_set("antal", heading="Rubrik"), "questions[1].heading", "står bara på första delfrågan av fråga 1"),
    (_set("rang1", heading="Rubrik"), "questions[3].heading", "går bara på en delfråga (med part)"),
    (_set("antal", type="heltal"), "questions[1].type", "okänd frågetyp 'heltal'"),
    (lambda raw: raw.update(kind="land"), "kind", "okänd sort 'land'"),
    (lambda raw: raw.update(scope="kommun"), "scope", "okänd omfattning 'kommun'"),
]


@pytest.mark.parametrize("change, key, reason", BROKEN, ids=[f"{b[1]}:{b[2][:30]}" for b in BROKEN])
def test_a_broken_form_is_refused_naming_file_key_and_reason(change, key, reason):
    raw = data()
    change(raw)
    with pytest.raises(FormError) as caught:
        parse_form(raw, "provform.toml")
    assert caught.value.key == key, str(caught.value)
    assert reason in caught.value.reason, str(caught.value)
    assert str(caught.value).startswith(f"provform.toml: {key}: ")


def test_a_number_with_parts_needs_a_part_on_every_question():
    raw = data()
    # 1 (no part), then 1 a: sorted and unique, but a number is either one question or all parts.
    raw["questions"].insert(0, {"id": "utan", "number": 1, "type": "integer", "text": "Utan del"})
    with pytest.raises(FormError, match=r"questions\[0\]\.part: fråga 1 har delfrågor"):
        parse_form(raw, "provform.toml")


# --------------------------------------------------------------------------- checks and fields


@pytest.mark.parametrize("values, tables, message", [
    ({"antal": "tolv"}, {}, "Fråga 1 b): skriv ett heltal, t.ex. 12"),
    ({"antal": "2,5"}, {}, "Fråga 1 b): skriv ett heltal, t.ex. 12"),
    ({"antal": "-1"}, {}, "Fråga 1 b): ska vara minst 0"),
    ({"antal": "51"}, {}, "Fråga 1 b): ska vara högst 50"),
    ({"andel": "12.5.1"}, {}, "Fråga 5): skriv ett tal, t.ex. 12,5"),
    ({"andel": "100,5"}, {}, "Fråga 5): ska vara högst 100"),
    ({"start": "1/5 2013"}, {}, "Fråga 6): skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2013-05-01"),
    ({"start": "2013-02-30"}, {}, "Fråga 6): datumet '2013-02-30' finns inte"),
    ({}, {"ledare": [{"omfattning": "120"}]}, "Fråga 1 c), rad 1, Omfattning: ska vara högst 100"),
    ({}, {"ledare": [{}, {"fran": "maj"}]}, "Fråga 1 c), rad 2, Anställd fr.o.m.: skriv datumet som ÅÅÅÅ-MM-DD"),
    ({}, {"ledare": [{"omfattning": "1"}] * 21}, "Fråga 1 c): högst 20 rader"),
    ({"har": "1"}, {}, "Fråga 1 a) har inte ett värde som svar"),
    ({}, {"antal": [{"a": "1"}]}, "Fråga 1 b) har inte en tabell som svar"),
])
def test_a_wrong_value_is_refused_with_a_swedish_message_naming_the_question(form, values, tables, message):
    problems = check(form, Answers(values=values, tables=tables))
    assert any(message in p for p in problems), problems


def test_values_are_accepted_as_people_type_them_and_stored_canonically(form):
    answers = Answers(values={"antal": " 12 ", "andel": "12,50", "ort": "Linköping\nCentrum"},
                      tables={"ledare": [{"omfattning": "33,3", "timmar": "1 200"}]})
    assert check(form, answers) == []
    assert answers.to_fields(form) == {"antal": "12", "andel": "12.5", "ort": "Linköping Centrum",
                                       "ledare.1.omfattning": "33.3", "ledare.1.timmar": "1200"}


def test_fields_round_trip_through_the_registry(form):
    answers = full_answers()
    assert check(form, answers) == []
    assert answers.to_fields(form) == FULL_FIELDS
    assert Answers.from_fields(form, FULL_FIELDS) == answers
    assert _check_fields(form, FULL_FIELDS) == []


def test_a_table_keeps_its_row_numbers_when_a_row_in_between_is_empty(form):
    fields = {"ledare.1.ort": "A", "ledare.3.ort": "C"}
    answers = Answers.from_fields(form, fields)
    assert answers.tables["ledare"] == [{"ort": "A"}, {}, {"ort": "C"}]
    assert answers.to_fields(form) == fields


@pytest.mark.parametrize("key", ["antal.x", "ledare.21.ort", "ledare.0.ort", "ledare.1.okand", "ledare.1",
                                 "ort.1.ort", "okand"])
def test_the_store_refuses_a_key_no_type_owns(form, key):
    problems = _check_fields(form, {key: "1"})
    assert problems and problems[0].startswith("okänt fält"), problems


def test_the_store_refuses_a_wrong_value_with_the_types_message(form):
    assert _check_fields(form, {"ledare.1.omfattning": "mycket"}) == [
        "Fråga 1 c), rad 1, Omfattning: skriv ett tal, t.ex. 12,5"]


def test_answered_per_type_and_missing_parts_are_named(form):
    answers = Answers(choices={"har": ["ja"]}, values={"antal": "0", "ort": " "}, tables={"ledare": [{}, {"ort": " "}]})
    answered = {q.id for q in form.questions if answers.is_answered(q)}
    assert answered == {"har", "antal"}  # 0 is an answer; blanks and empty rows are not
    assert response_state(form, "importerad", answers).missing == ("1 c", "2", "3", "4", "5", "6", "7")
    skipping = Answers(choices={"har": ["nej"]})
    assert response_state(form, "importerad", skipping).missing[:1] == ("2",)  # 1 b and 1 c skipped


def test_a_table_with_min_rows_counts_as_answered_only_with_that_many_filled_rows():
    raw = data()
    _question(raw, "ledare")["min_rows"] = 2
    form = parse_form(raw, "provform.toml")
    one = Answers(tables={"ledare": [{"ort": "A"}]})
    two = Answers(tables={"ledare": [{"ort": "A"}, {"timmar": "3"}]})
    assert not one.is_answered(form.question("ledare")) and two.is_answered(form.question("ledare"))


def test_field_labels_name_parts_and_table_cells(form):
    assert field_label(form, "antal") == "Fråga 1 b"
    assert field_label(form, "ledare.2.fran") == "Fråga 1 c), rad 2, Anställd fr.o.m."
    assert field_label(form, "rang2.z") == "Fråga 3: Z"


# --------------------------------------------------------------------------- JSON svarsfil v2


def _library(form) -> FormLibrary:
    return FormLibrary({form.id: form})


EXPECTED_JSON_ANSWERS = {
    "har": "ja",
    "antal": 2,
    "ledare": [{"omfattning": 50, "fran": "2013-01-01", "ort": "Motala"},
               {"omfattning": 75.5, "fran": "2012-09-15", "timmar": 30}],
    "rang1": {"a": 1, "b": 2, "c": 3},
    "rang2": {"z": 1, "w": 2},
    "val": ["p", "q"],
    "andel": 12.5,
    "start": "2013-05-01",
    "ort": "Linköping",
    "slutsats": "Rad ett\nRad två",
}


def _document(form, answers=None, unit="0580"):
    return build_svarsfil(form, 2013, unit, "Linköping", "u-1", "klar", {}, answers or full_answers(), "2013-06-01")


def test_json_v2_carries_every_type_and_round_trips(form, register):
    document = _document(form)
    assert document["format_version"] == 2 and document["kommun"] == "0580" and "region" not in document
    assert document["answers"] == EXPECTED_JSON_ANSWERS
    assert document["specify"] == {"val": "Egen text"}
    read = svarsfil_from_dict(copy.deepcopy(document), _library(form), register)
    assert read.answers == full_answers() and read.kommun == "0580" and read.region is None


def test_a_region_level_svarsfil_names_its_region(register):
    raw = data()
    raw["kind"] = "region"
    form = parse_form(raw, "region.toml")
    document = _document(form, unit="Östergötland")
    assert document["region"] == "Östergötland" and "kommun" not in document and "kommun_namn" not in document
    read = svarsfil_from_dict(copy.deepcopy(document), _library(form), register)
    assert read.region == "Östergötland" and read.kommun == "" and read.answers == full_answers()
    with pytest.raises(RefusedFile, match="fältet region: okänd region 'Atlantis'"):
        svarsfil_from_dict({**document, "region": "Atlantis"}, _library(form), register)
    wrong = {**document, "kommun": "0580"}
    with pytest.raises(RefusedFile, match="fältet kommun: formuläret provform besvaras per region"):
        svarsfil_from_dict(wrong, _library(form), register)


@pytest.mark.parametrize("qid, value, message", [
    ("antal", "tolv", "answers.antal: Fråga 1 b): skriv ett heltal, t.ex. 12"),
    ("antal", 2.5, "answers.antal: Fråga 1 b): skriv ett heltal"),
    ("antal", True, "answers.antal: Fråga 1 b): skriv ett heltal"),
    ("antal", 99, "answers.antal: Fråga 1 b): ska vara högst 50"),
    ("andel", [12], "answers.andel: Fråga 5): skriv ett tal, t.ex. 12,5"),
    ("start", "2013-13-01", "answers.start: Fråga 6): datumet '2013-13-01' finns inte"),
    ("start", 20130501, "answers.start: Fråga 6): skriv datumet som ÅÅÅÅ-MM-DD"),
    ("ort", 5, "answers.ort: Fråga 7): skriv en text"),
    ("ledare", {"omfattning": 5}, "answers.ledare: ska vara en lista med rader"),
    ("ledare", [{"omfattning": 500}], "answers.ledare[0].omfattning: Fråga 1 c), rad 1, Omfattning: ska vara högst 100"),
    ("ledare", [{"lon": 1}], "answers.ledare[0].lon: okänd kolumn"),
    ("ledare", [{"ort": "A"}] * 21, "answers.ledare: Fråga 1 c): högst 20 rader"),
    ("ledare", ["rad"], "answers.ledare[0]: en rad ska vara ett objekt"),
    ("rang2", {"w": 5}, "answers.rang2.w: rangen ska vara ett heltal 1–4, inte 5"),
    ("ort", "x" * 20_001, "fältet answers.ort är för långt"),
])
def test_a_wrong_json_value_is_refused_naming_the_field(form, register, qid, value, message):
    document = _document(form)
    document["answers"][qid] = value
    with pytest.raises(RefusedFile) as caught:
        svarsfil_from_dict(document, _library(form), register)
    assert message in str(caught.value), str(caught.value)


def test_json_decimal_comma_in_a_string_and_empty_rows_are_read(form, register):
    document = _document(form, Answers())
    document["answers"] = {"andel": "12,5", "ledare": [{}, {"omfattning": "33,3", "ort": ""}]}
    read = svarsfil_from_dict(document, _library(form), register)
    assert read.answers.values == {"andel": "12.5"}
    assert read.answers.tables == {"ledare": [{}, {"omfattning": "33.3"}]}


def test_version_1_files_are_read_unchanged_and_cannot_name_a_region(forms, register):
    v1 = {
        "format": "bou-svarsfil", "format_version": 1, "form": "kommunenkat", "form_version": "2011",
        "round": 2011, "kommun": "0580",
        "answers": {"q1": "ja", "q2": ["politiker", "annan"], "q10": {"basuppgifter": 1, "resultat_hvb": 2}},
        "specify": {"q2": "Socialstyrelsen"}, "comments": {"q1": "Redovisas."},
    }
    read = svarsfil_from_dict(copy.deepcopy(v1), forms, register)
    assert read.answers == Answers(choices={"q1": ["ja"], "q2": ["politiker", "annan"]},
                                   ranks={"q10": {"basuppgifter": 1, "resultat_hvb": 2}},
                                   specify={("q2", "annan"): "Socialstyrelsen"}, comments={"q1": "Redovisas."})
    assert svarsfil_from_dict({**copy.deepcopy(v1), "format_version": 2}, forms, register).answers == read.answers
    with pytest.raises(RefusedFile, match="okänt fält 'region'"):
        svarsfil_from_dict({**v1, "region": "Östergötland"}, forms, register)
    written = build_svarsfil(forms["kommunenkat"], 2011, "0580", "Linköping", "u", "klar", {}, read.answers, "")
    assert written["format_version"] == 2
    assert written["answers"] == v1["answers"] and written["specify"] == v1["specify"]


# --------------------------------------------------------------------------- aggregation


def _random_units(form, count: int, seed: int) -> list[tuple[str, Answers]]:
    rng = random.Random(seed)
    units = []
    for index in range(count):
        answers = Answers()
        answers.choices["har"] = [rng.choice(["ja", "ja", "nej"])]
        if rng.random() < 0.8:
            answers.values["antal"] = str(rng.randint(0, 50))
        rows = [{"omfattning": rng.choice(["", "50", "75.5", "100", "12.25"]),
                 "fran": rng.choice(["", "2012-01-31", "2013-05-01", "2011-12-24"]),
                 "timmar": rng.choice(["", "10", "40"]), "ort": rng.choice(["", "Motala", "Kinda"])}
                for _ in range(rng.randint(0, 3))]
        rows = [{k: v for k, v in row.items() if v} for row in rows]
        if any(rows):
            answers.tables["ledare"] = rows
        for qid, options in (("rang1", "abc"), ("rang2", "wxyz")):
            chosen = rng.sample(options, rng.randint(0, len(options)))
            if chosen:
                answers.ranks[qid] = {o: r for r, o in enumerate(chosen, start=1)}
        if rng.random() < 0.7:
            answers.choices["val"] = sorted(rng.sample("pq", rng.randint(1, 2)))
        if rng.random() < 0.7:
            answers.values["andel"] = rng.choice(["0", "12.5", "33.3", "100", "7"])
        if rng.random() < 0.7:
            answers.values["start"] = rng.choice(["2013-05-01", "2012-02-29", "2014-12-31"])
        if rng.random() < 0.6:
            answers.values["ort"] = f"Ort {index}"
        if rng.random() < 0.5:
            answers.values["slutsats"] = f"Slutsats {index}\nandra raden"
        assert check(form, answers) == []
        units.append((f"{index:04d}", answers))
    return units


def _tally_numbers(values: list[str]) -> dict:
    numbers = [Fraction(v) for v in values]
    if not numbers:
        return {"n": 0, "sum": 0, "mean": None, "median": None, "min": None, "max": None}
    ordered = sorted(numbers)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return {"n": len(numbers), "sum": sum(numbers), "mean": sum(numbers) / len(numbers),
            "median": median, "min": ordered[0], "max": ordered[-1]}


def _as_fractions(aggregate: NumberAggregate) -> dict:
    def f(value):
        return None if value is None else Fraction(value)
    return {"n": aggregate.n, "sum": f(aggregate.sum), "mean": None if aggregate.mean is None else
            Fraction(aggregate.sum) / aggregate.n, "median": f(aggregate.median), "min": f(aggregate.min),
            "max": f(aggregate.max)}


def test_aggregates_equal_an_independent_tally(form):
    units = _random_units(form, 23, seed=16)
    result = aggregate_questions(form, units)
    skipping = {code for code, a in units if a.choices["har"] == ["nej"]}
    assert skipping and len(skipping) < len(units)
    counted = [(code, a) for code, a in units if code not in skipping]

    antal = [a.values["antal"] for _c, a in counted if "antal" in a.values]
    agg = result["antal"]
    assert _as_fractions(agg) == _tally_numbers(antal)
    assert agg.mean == Decimal(sum(int(v) for v in antal)) / len(antal)
    assert (agg.ej_svar, agg.ej_tillampligt) == (len(counted) - len(antal), len(skipping))

    andel = [a.values["andel"] for _c, a in units if "andel" in a.values]
    assert _as_fractions(result["andel"]) == _tally_numbers(andel)
    assert result["andel"].ej_svar == len(units) - len(andel) and result["andel"].ej_tillampligt == 0

    dates = [a.values["start"] for _c, a in units if "start" in a.values]
    assert (result["start"].n, result["start"].min, result["start"].max) == (
        len(dates), date.fromisoformat(min(dates)), date.fromisoformat(max(dates)))

    assert [(t.unit, t.text) for t in result["ort"].texts] == [
        (code, a.values["ort"]) for code, a in units if "ort" in a.values]
    assert [(t.unit, t.text) for t in result["slutsats"].texts] == [
        (code, a.values["slutsats"]) for code, a in units if "slutsats" in a.values]
    anonymous = aggregate_questions(form, units, anonymous=True)["ort"]
    assert {t.unit for t in anonymous.texts} == {None} and len(anonymous.texts) == len(result["ort"].texts)

    for qid in ("rang1", "rang2"):
        agg = result[qid]
        for option in form.question(qid).option_ids():
            ranks = [a.ranks[qid][option] for _c, a in units if option in a.ranks.get(qid, {})]
            assert agg.ranked_by[option] == len(ranks)
            assert agg.mean_rank[option] == (Decimal(sum(ranks)) / len(ranks) if ranks else None)
            if ranks:
                assert float(agg.mean_rank[option]) == pytest.approx(statistics.mean(ranks))
        assert agg.ej_svar == sum(1 for _c, a in units if not a.ranks.get(qid))

    assert result["val"].counts == {o: sum(1 for _c, a in units if o in a.choices.get("val", [])) for o in "pq"}

    table = result["ledare"]
    rows = [row for _c, a in counted for row in a.tables.get("ledare", []) if row]
    assert table.rows == len(rows)
    assert table.ej_svar == sum(1 for _c, a in counted if not a.tables.get("ledare"))
    assert _as_fractions(table.columns["omfattning"]) == _tally_numbers([r["omfattning"] for r in rows if "omfattning" in r])
    assert _as_fractions(table.columns["timmar"]) == _tally_numbers([r["timmar"] for r in rows if "timmar" in r])
    assert table.columns["timmar"].ej_svar == sum(1 for r in rows if "timmar" not in r)
    fran = sorted(r["fran"] for r in rows if "fran" in r)
    assert (table.columns["fran"].n, table.columns["fran"].min.isoformat(), table.columns["fran"].max.isoformat()) == (
        len(fran), fran[0], fran[-1])
    assert [t.text for t in table.columns["ort"].texts] == [r["ort"] for r in rows if "ort" in r]


def test_the_county_compilation_carries_the_aggregate_and_keeps_the_ranking_figures(form):
    units = _random_units(form, 9, seed=3)
    municipalities = [(code, f"Kommun {code}") for code, _a in units]
    compiled = compile_region(form, 2013, "Provregion", municipalities, {c: ("klar", a) for c, a in units})
    by_hand = aggregate_questions(form, units)
    for question in form.questions:
        assert compiled.question(question.id).aggregate == by_hand[question.id]
    for qid in ("rang1", "rang2"):
        result = compiled.question(qid)
        for mean in result.mean_ranks:  # the figures every output shows today, unchanged
            agg = result.aggregate
            assert mean.count == agg.ranked_by[mean.option_id]
            assert mean.mean == (pytest.approx(float(agg.mean_rank[mean.option_id])) if mean.count else 0.0)


def test_aggregates_in_json_have_the_documented_shapes(form):
    units = [("0580", Answers(values={"antal": "4", "ort": "Här", "start": "2013-01-01"},
                              ranks={"rang1": {"a": 2}}, tables={"ledare": [{"omfattning": "12.5"}]})),
             ("0581", Answers(values={"antal": "1"}, ranks={"rang1": {"a": 1, "b": 2}}))]
    result = aggregate_questions(form, units)
    assert result["antal"].to_json() == {"n": 2, "sum": 5, "mean": 2.5, "median": 2.5, "min": 1, "max": 4,
                                         "ej_svar": 0, "ej_tillampligt": 0, "values": [1, 4]}
    assert result["start"].to_json() == {"n": 1, "min": "2013-01-01", "max": "2013-01-01", "ej_svar": 1,
                                         "ej_tillampligt": 0}
    assert result["ort"].to_json() == {"texts": [{"kommun": "0580", "text": "Här"}], "ej_svar": 1, "ej_tillampligt": 0}
    assert result["rang1"].to_json() == {"mean_rank": {"a": 1.5, "b": 2, "c": None}, "ranked_by": {"a": 2, "b": 1, "c": 0},
                                         "ej_svar": 0, "ej_tillampligt": 0}
    assert result["ledare"].to_json()["rows"] == 1
    assert result["ledare"].to_json()["columns"]["omfattning"]["sum"] == 12.5
    assert result["ledare"].to_json()["columns"]["timmar"] == {
        "n": 0, "sum": 0, "mean": None, "median": None, "min": None, "max": None, "ej_svar": 1, "ej_tillampligt": 0,
        "values": []}


def test_a_database_asks_the_synthetic_form_and_stores_every_type(tmp_path):
    store = every_type_store(tmp_path / "prov.sqlite")
    round_ = store.round_for()
    form = store.form_of(round_)
    assert (form.id, round_.county_form_id) == ("provform", "provform_lan")
    store.save_answers(round_, "0580", full_answers(), source="gui", status="klar")
    assert store.response(round_, "0580").fields == FULL_FIELDS
    assert store.compile(round_, "Östergötland").kommuner_svarat == 1
    store.close()


def test_raw_data_has_a_column_per_value_and_table_cell_with_a_codebook(tmp_path):
    from bou_desktop.exchange.raw_export import codebook, raw_table

    store = every_type_store(tmp_path / "prov.sqlite")
    round_ = store.round_for()
    store.save_answers(round_, "0580", full_answers(), source="gui", status="klar")
    store.save_answers(round_, "0581", Answers(values={"antal": "0"}), source="gui", status="klar")
    columns, rows = raw_table(store, round_)
    linkoping = dict(zip(columns, rows[0], strict=True))
    norrkoping = dict(zip(columns, rows[1], strict=True))
    assert (linkoping["kommun"], norrkoping["kommun"]) == ("Linköping", "Norrköping")
    assert (linkoping["antal"], linkoping["andel"], linkoping["start"]) == (2, 12.5, "2013-05-01")
    assert (linkoping["ort"], linkoping["slutsats"]) == ("Linköping", "Rad ett\nRad två")
    # Two rows in the widest table, one column per row and table column, numbers as numbers.
    assert [c for c in columns if c.startswith("ledare_")] == [
        *(f"ledare_{row}_{column}" for row in (1, 2) for column in ("omfattning", "fran", "timmar", "ort")),
        "ledare_kommentar"]
    assert (linkoping["ledare_1_omfattning"], linkoping["ledare_2_omfattning"], linkoping["ledare_2_timmar"]) == (50, 75.5, 30)
    assert norrkoping["antal"] == 0 and norrkoping["ledare_1_omfattning"] is None
    book = codebook(store.form_of(round_), rows={"ledare": 2})
    described = [row[0] for row in book[1:] if row[4] is None]
    assert described == columns
    assert next(row for row in book if row[0] == "ledare_2_omfattning")[1] == "1 c"
    store.close()
