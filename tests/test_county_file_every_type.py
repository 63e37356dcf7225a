"""County files of format_version 2 carry every question type, and the national compilation combines them.

The synthetic form (tests/every_type.py) is answered in two regions; each region's county file goes
through Excel or JSON into SKL's database, and the national figures equal a tally made here, from the
answers, without the program's aggregates.
"""

from __future__ import annotations

import io
import json
import statistics
from fractions import Fraction

import pytest
from openpyxl import load_workbook

from bou_desktop.exchange.county_file import county_json_bytes, county_xlsx_bytes, read_county_file
from bou_desktop.exchange.errors import RefusedFile
from bou_desktop.exchange.national_file import import_county_bytes, national_document, report_for
from bou_desktop.survey.answers import Answers, check
from tests.every_type import every_type_store
from tests.test_question_types import _random_units

REGIONS = {"Östergötland": 6, "Uppsala": 5}  # region -> municipalities that answer


def random_answers(form, count: int, seed: int) -> list[Answers]:
    """Answers as test_question_types draws them; "nej" in 1 a) skips 1 b) and 1 c), so those are left out."""
    drawn = [answers for _code, answers in _random_units(form, count, seed)]
    for answers in drawn:
        if answers.choices["har"] == ["nej"]:
            answers.values.pop("antal", None)
            answers.tables.pop("ledare", None)
    return drawn


@pytest.fixture(scope="module")
def answered(tmp_path_factory):
    """The regions' databases with answers, and the answers themselves: region -> [(code, answers)]."""
    folder = tmp_path_factory.mktemp("lan")
    store = every_type_store(folder / "lan.sqlite")
    round_ = store.round_for()
    form = store.form_of(round_)
    given: dict[str, list[tuple[str, Answers]]] = {}
    for seed, (region, count) in enumerate(REGIONS.items(), start=2013):
        municipalities = store.municipalities(region)
        for municipality, answers in zip(municipalities[:count], random_answers(form, count, seed), strict=True):
            assert check(form, answers) == []
            store.save_answers(round_, municipality.code, answers, source="cli", status="klar")
            given.setdefault(region, []).append((municipality.code, answers))
        draft = municipalities[count]  # a draft does not count
        store.save_answers(round_, draft.code, Answers(values={"antal": "49"}), source="cli")
    yield store, given
    store.close()


def county_files(store, anonymous: bool = False) -> dict[str, tuple[bytes, bytes]]:
    round_ = store.round_for()
    county_form = store.forms[round_.county_form_id]
    files = {}
    for region in REGIONS:
        compilation = store.compile(round_, region, anonymous=anonymous)
        files[region] = (county_xlsx_bytes(compilation, county_form, anonymous=anonymous),
                         county_json_bytes(compilation))
    return files


# --------------------------------------------------------------------------- the tally, from the answers only
def units_of(given) -> list[tuple[str, str, Answers]]:
    return [(region, code, answers) for region, units in given.items() for code, answers in units]


def counted(units, qid: str):
    """The units whose answers do not skip the question (only 1 b) and 1 c) can be skipped here)."""
    if qid in ("antal", "ledare"):
        return [u for u in units if u[2].choices["har"] == ["ja"]]
    return units


def number_tally(values: list[str]) -> dict:
    numbers = sorted(Fraction(v) for v in values)
    if not numbers:
        return {"n": 0, "sum": 0, "median": None, "min": None, "max": None}
    return {"n": len(numbers), "sum": sum(numbers), "median": Fraction(statistics.median(numbers)),
            "min": numbers[0], "max": numbers[-1]}


def number_figures(aggregate) -> dict:
    def f(value):
        return None if value is None else Fraction(value)
    assert aggregate.n == 0 or Fraction(aggregate.mean) == pytest.approx(Fraction(aggregate.sum) / aggregate.n)
    return {"n": aggregate.n, "sum": f(aggregate.sum), "median": f(aggregate.median), "min": f(aggregate.min),
            "max": f(aggregate.max)}


def assert_national_equals_tally(report, given) -> None:
    units = units_of(given)
    skl_order = [r.region for r in report.regions if r.has_file]
    assert set(skl_order) == set(REGIONS)

    val = report.aggregate("val")
    assert val.counts == {o: sum(1 for u in units if o in u[2].choices.get("val", [])) for o in "pq"}
    assert val.ej_svar == sum(1 for u in units if "val" not in u[2].choices)
    assert {o.option_id: o.antal for o in report.question("val").options} == val.counts
    har = report.aggregate("har")
    assert har.counts == {o: sum(1 for u in units if u[2].choices["har"] == [o]) for o in ("ja", "nej")}

    antal = report.aggregate("antal")
    in_antal = counted(units, "antal")
    assert number_figures(antal) == number_tally([u[2].values["antal"] for u in in_antal if "antal" in u[2].values])
    assert (antal.ej_svar, antal.ej_tillampligt) == (
        sum(1 for u in in_antal if "antal" not in u[2].values), len(units) - len(in_antal))
    assert number_figures(report.aggregate("andel")) == number_tally(
        [u[2].values["andel"] for u in units if "andel" in u[2].values])

    dates = sorted(u[2].values["start"] for u in units if "start" in u[2].values)
    start = report.aggregate("start")
    assert (start.n, start.min.isoformat(), start.max.isoformat()) == (len(dates), dates[0], dates[-1])

    for qid in ("ort", "slutsats"):
        texts = report.aggregate(qid).texts
        assert sorted((t.region, t.unit, t.text) for t in texts) == sorted(
            (region, code, a.values[qid]) for region, code, a in units if qid in a.values)
        assert [t.region for t in texts] == sorted((t.region for t in texts), key=skl_order.index)  # by region

    for qid, options in (("rang1", "abc"), ("rang2", "wxyz")):
        ranking = report.ranking_of(qid).aggregate
        for option in options:
            ranks = [a.ranks[qid][option] for _r, _c, a in units if option in a.ranks.get(qid, {})]
            assert ranking.ranked_by[option] == len(ranks)
            if ranks:
                assert Fraction(ranking.mean_rank[option]) == pytest.approx(Fraction(sum(ranks), len(ranks)), abs=1e-20)
            else:
                assert ranking.mean_rank[option] is None

    table = report.aggregate("ledare")
    rows = [row for _r, _c, a in counted(units, "ledare") for row in a.tables.get("ledare", [])]
    assert table.rows == len(rows)
    for column in ("omfattning", "timmar"):
        assert number_figures(table.columns[column]) == number_tally([r[column] for r in rows if column in r])
        assert table.columns[column].ej_svar == sum(1 for r in rows if column not in r)
    fran = sorted(r["fran"] for r in rows if "fran" in r)
    assert (table.columns["fran"].n, table.columns["fran"].min.isoformat(), table.columns["fran"].max.isoformat()) == (
        len(fran), fran[0], fran[-1])
    assert sorted(t.text for t in table.columns["ort"].texts) == sorted(r["ort"] for r in rows if "ort" in r)

    for region, region_units in given.items():  # and per region
        per_region = report.question("antal").region_aggregates[region]
        values = [a.values["antal"] for _c, a in region_units if a.choices["har"] == ["ja"] and "antal" in a.values]
        assert number_figures(per_region) == number_tally(values)


# --------------------------------------------------------------------------- tests
def test_county_files_read_back_with_every_aggregate(answered):
    store, _given = answered
    round_ = store.round_for()
    form = store.form_of(round_)
    for region, (xlsx, json_bytes) in county_files(store).items():
        compilation = store.compile(round_, region)
        document = json.loads(json_bytes)
        assert document["format_version"] == 2
        assert set(document["questions"]) == set(form.question_ids())
        assert document["questions"]["antal"]["values"] == sorted(document["questions"]["antal"]["values"])
        for data in (xlsx, json_bytes):
            county = read_county_file(data, store.forms, store.register)
            assert county.kommuner_svarat == REGIONS[region]
            for result in compilation.questions:
                assert county.aggregates[result.question_id].to_json() == result.aggregate.to_json(), result.question_id


def test_the_national_compilation_equals_the_tally(answered, tmp_path):
    store, given = answered
    files = county_files(store)
    skl = every_type_store(tmp_path / "skl.sqlite")
    try:
        for index, (region, (xlsx, json_bytes)) in enumerate(files.items()):
            data, name = (xlsx, f"{region}.xlsx") if index == 0 else (json_bytes, f"{region}.json")
            outcome, message = import_county_bytes(skl, data, name)
            assert outcome == "importerad", message
            assert import_county_bytes(skl, data, name)[0] == "oförändrad"
        report = report_for(skl, skl.round_for())
        assert report.total.kommuner_svarat == sum(REGIONS.values())
        assert [r.question_id for r in report.rankings] == ["rang1", "rang2"]
        assert_national_equals_tally(report, given)
        document = national_document(report)
        assert document["questions"]["antal"]["riket"] == report.aggregate("antal").to_json()
        assert set(document["questions"]["ledare"]["per_region"]) == set(REGIONS)
        assert set(document["ranking"]) == {"rang1", "rang2"} and "riket" in document["questions"]["rang2"]
        assert {t.get("region") for t in document["questions"]["ort"]["riket"]["texts"]} == set(REGIONS)
    finally:
        skl.close()


def test_anonymous_county_files_carry_no_municipality_names(answered):
    store, given = answered
    written = " ".join(v for units in given.values() for _c, a in units
                       for v in [*a.values.values(), *(c for row in a.tables.get("ledare", []) for c in row.values())])
    # Not the region's own name (Uppsala is both), nor a name a municipality wrote itself (the table's "Ort").
    names = {m.name for region in REGIONS for m in store.municipalities(region)} - set(REGIONS)
    names = {name for name in names if name not in written}
    assert len(names) > 10
    codes = {code for units in given.values() for code, _a in units}
    for region, (xlsx, json_bytes) in county_files(store, anonymous=True).items():
        document = json.loads(json_bytes)
        text = json.dumps(document, ensure_ascii=False)
        assert not any(name in text for name in names) and not any(f'"{code}"' in text for code in codes)
        assert all(set(t) == {"text"} for t in document["questions"]["ort"]["texts"])
        workbook = load_workbook(io.BytesIO(xlsx))
        cells = [str(c.value) for ws in workbook.worksheets for row in ws.iter_rows() for c in row
                 if c.value is not None]
        assert not [c for c in cells if any(name in c for name in names) or c in codes], region
        county = read_county_file(xlsx, store.forms, store.register)
        assert {t.unit for t in county.aggregates["ort"].texts} == {None}


BAD = [
    ("n beyond the answering", lambda q: q["antal"].update(values=list(range(40)), n=40, sum=780, min=0, max=39),
     "fler kommuner"),
    ("values and sum disagree", lambda q: q["andel"].update(sum=1), "sum går inte ihop med values"),
    ("a date that is none", lambda q: q["start"].update(min="2013-02-30"), "datum"),
    ("texts not a list", lambda q: q["ort"].update(texts="x"), "texts ska vara en lista"),
    ("unknown column", lambda q: q["ledare"]["columns"].update(lon={}), "okänt alternativ 'lon'"),
    ("column not adding up", lambda q: q["ledare"].update(rows=q["ledare"]["rows"] + 1), "går inte ihop med rows"),
    ("mean rank without rankers", lambda q: q["rang2"]["mean_rank"].update(w=2, x=2, y=2, z=2) or
     q["rang2"]["ranked_by"].update(w=0), "medelrangen"),
]


@pytest.mark.parametrize("name, change, reason", BAD, ids=[b[0] for b in BAD])
def test_broken_aggregates_are_refused(answered, name, change, reason):
    store, _given = answered
    document = json.loads(county_files(store)["Uppsala"][1])
    change(document["questions"])
    with pytest.raises(RefusedFile, match=reason):
        read_county_file(json.dumps(document).encode(), store.forms, store.register)


def test_a_median_without_values_is_not_combined(answered):
    """A file that leaves out the values (written by hand) still counts; only the national median is unknown."""
    from bou_desktop.exchange.national_file import county_numbers
    from bou_desktop.survey.national import national_report

    store, given = answered
    form = store.form_of(store.round_for())
    numbers = {}
    for region, (_xlsx, json_bytes) in county_files(store).items():
        document = json.loads(json_bytes)
        if region == "Uppsala":
            del document["questions"]["antal"]["values"]
        numbers[region] = county_numbers(read_county_file(json.dumps(document).encode(), store.forms, store.register))
    report = national_report(form, 2013, [(r.name, r.expected_count) for r in store.register.regions], numbers)
    antal = report.aggregate("antal")
    tally = number_tally([a.values["antal"] for _r, _c, a in counted(units_of(given), "antal") if "antal" in a.values])
    assert number_figures(antal) == tally | {"median": None}


def test_a_region_level_form_is_compiled_over_the_regions(answered):
    """kind = "region": each region answers once; the national compilation aggregates the regions themselves."""
    import tomllib

    from bou_desktop.survey.forms import parse_form
    from bou_desktop.survey.national import region_level_report
    from tests.every_type import FORM

    store, _given = answered
    form = parse_form(tomllib.loads(FORM.replace('kind = "kommun"', 'kind = "region"')), "provform.toml")
    assert form.unit_key == "region"
    regions = [(r.name, r.expected_count) for r in store.register.regions]
    answering = [name for name, _count in regions][::5]
    responses = dict(zip(answering, random_answers(form, len(answering), 7), strict=True))
    report = region_level_report(form, 2013, regions, responses)
    assert (report.total.kommuner_totalt, report.total.kommuner_svarat) == (len(regions), len(answering))
    antal = [a.values["antal"] for a in responses.values() if a.choices["har"] == ["ja"] and "antal" in a.values]
    assert number_figures(report.aggregate("antal")) == number_tally(antal)
    assert report.aggregate("har").counts == {
        o: sum(a.choices["har"] == [o] for a in responses.values()) for o in ("ja", "nej")}
    texts = report.aggregate("ort").to_json()["texts"]
    assert texts == [{"region": name, "text": a.values["ort"]} for name, a in responses.items() if "ort" in a.values]
    rows = [row for a in responses.values() if a.choices["har"] == ["ja"] for row in a.tables.get("ledare", [])]
    assert report.aggregate("ledare").rows == len(rows)
    assert national_document(report)["questions"]["antal"]["riket"] == report.aggregate("antal").to_json()


def test_a_county_forms_own_fields_reach_skl_in_excel_and_json(tmp_path):
    """Fields the county form declares (an e-mail address, a second free text) go with the county file."""
    from every_type import write_forms_with_county_fields

    from bou_desktop import core
    from bou_desktop.store import Store
    from bou_desktop.survey.forms import FormLibrary

    library = FormLibrary.load(write_forms_with_county_fields(tmp_path / "former"))
    leader = Store.open(tmp_path / "ledare.sqlite", library, core.register())
    round_ = leader.round_for()
    leader.save_answers(round_, "0980", Answers(choices={"har": ["nej"]}), source="gui", status="klar")
    written = {"epost": "ledare@gotland.se", "ledarens_namn": "Örjan Åberg", "nasta_steg": "Fler träffar"}
    for key, value in written.items():
        leader.set_leader_text(round_, "Gotland", key, value)
    compilation = leader.compile(round_, "Gotland")
    county_form = leader.county_form_of(round_)
    for data in (county_json_bytes(compilation), county_xlsx_bytes(compilation, county_form)):
        county = read_county_file(data, library, core.register())
        assert county.fields == written
        assert county.free_texts == (("Nästa steg i regionen", "Fler träffar"),)
    sheet = load_workbook(io.BytesIO(county_xlsx_bytes(compilation, county_form)), read_only=True).worksheets[0]
    shown = [tuple(c for c in row if c) for row in sheet.iter_rows(values_only=True)]
    assert ("E-post till utvecklingsledaren:", "ledare@gotland.se") in shown and ("Fler träffar",) in shown
    bad = json.loads(county_json_bytes(compilation))
    bad["fields"]["telefon"] = "0498-"
    with pytest.raises(RefusedFile, match="fields.telefon: länsformuläret har inget sådant fält"):
        read_county_file(json.dumps(bad).encode(), library, core.register())
    skl = Store.open(tmp_path / "skl.sqlite", library, core.register())
    assert import_county_bytes(skl, county_json_bytes(compilation), "gotland.json")[0] == "importerad"
    report = report_for(skl, skl.round_for())
    assert report.ovriga_synpunkter == (("Gotland", "Fler träffar"),)
    leader.close()
    skl.close()
