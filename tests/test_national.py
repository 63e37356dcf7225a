"""The national report from county files as SKL receives them: the seed's 2011 tables, exactly."""

from __future__ import annotations

import io
import json
import re

import pytest
from openpyxl import load_workbook

from bou_desktop import core
from bou_desktop.exchange.county_file import county_xlsx_bytes
from bou_desktop.exchange.errors import RefusedFile
from bou_desktop.exchange.national_file import (
    import_county_bytes,
    national_document,
    national_xlsx_bytes,
    read_national_file,
    regional_comparison,
    report_for,
)
from bou_desktop.survey.answers import Answers
from bou_desktop.survey.compilation import decimal_comma
from bou_desktop.survey.national import CountyNumbers, national_report

# The seed's Q3 table: "REDOVISADE UPPGIFTER  Procent  Antal kommuner".
SEED_Q3 = {
    "verksamhetsmal": (54, 102), "budget": (78, 149), "laguppfyllelse": (29, 56), "arbetsprocesser": (16, 30),
    "placerade_barn": (65, 123), "avslut": (15, 29), "personalen": (26, 49), "resultat_hvb": (3, 6),
    "resultat_familjehem": (5, 10), "uppfattning_barn": (8, 16), "uppfattning_vardnadshavare": (6, 11),
    "uppfattning_personal": (6, 12), "uppfattning_vardgivare": (6, 12), "andra_uppgifter": (4, 8),
}


def seed_rates(seed: str) -> list[tuple[str, int, int, int]]:
    start = seed.index("\tAntal kommuner i länet/regionen\t")
    rows = re.findall(r"^([A-Za-zÅÄÖåäö]+)\t(\d+)\t(\d+)\t(\d+)%$", seed[start : start + 2000], flags=re.M)
    return [("Norrbotten" if n == "Norrbottn" else n, int(t), int(a), int(p)) for n, t, a, p in rows]


def spread(total: int, capacities: list[int]) -> list[int]:
    """Share a national count among the regions, none above its number of responding municipalities."""
    whole = sum(capacities)
    shares = [total * c // whole for c in capacities]
    i = 0
    while sum(shares) < total:
        if shares[i % len(shares)] < capacities[i % len(shares)]:
            shares[i % len(shares)] += 1
        i += 1
    return shares


@pytest.fixture(scope="module")
def county_files_2011(tmp_path_factory, request):
    """Each region's leader compiles real responses and exports the county Excel file, as in 2011."""
    seed = (request.config.rootpath / "tests" / "data" / "seed_001.txt").read_text(encoding="utf-8")
    rates = seed_rates(seed)  # the 24 regions and the Total row
    answering = [(name, answered) for name, _total, answered, _pct in rates[:-1] if answered]
    folder = tmp_path_factory.mktemp("lan")
    q3_by_region = {option: spread(antal, [a for _n, a in answering]) for option, (_pct, antal) in SEED_Q3.items()}
    files = []
    for index, (region, answered) in enumerate(answering):
        store = core.open_store(folder / f"{region}.sqlite")
        round_ = store.round_for()
        municipalities = store.municipalities(region)[:answered]
        for m_index, municipality in enumerate(municipalities):
            ticks = [option for option, counts in q3_by_region.items() if m_index < counts[index]]
            answers = Answers(choices={"q1": ["ja"], **({"q3": ticks} if ticks else {}), "q5": ["ja"]})
            store.save_answers(round_, municipality.code, answers, source="cli", status="klar")
        if store.municipalities(region)[answered:]:
            draft = store.municipalities(region)[answered]  # a draft that must not count
            store.save_answers(round_, draft.code, Answers(choices={"q1": ["ja"], "q3": ["budget"]}), source="cli")
        compilation = store.compile(round_, region)
        path = folder / f"Länssammanställning {region} 2011.xlsx"
        path.write_bytes(county_xlsx_bytes(compilation, store.forms["lanssammanstallning"], exported_by=f"Ledare {region}"))
        files.append(path)
        store.close()
    return rates, files


@pytest.fixture
def skl(tmp_path, county_files_2011):
    store = core.open_store(tmp_path / "skl.sqlite")
    for path in county_files_2011[1]:
        outcome, message = import_county_bytes(store, path.read_bytes(), path.name)
        assert outcome == "importerad", message
    yield store
    store.close()


def test_the_response_rate_table_of_2011(skl, county_files_2011):
    rates = county_files_2011[0]
    report = report_for(skl, skl.round_for())
    got = [(r.region, r.kommuner_totalt, r.kommuner_svarat, r.svarsfrekvens) for r in report.regions]
    got.append(("Total", report.total.kommuner_totalt, report.total.kommuner_svarat, report.total.svarsfrekvens))
    assert got == rates  # every row of the seed's table, 290 / 190 / 66 % in total
    assert report.missing == ("Stockholm", "GR", "Sjuhärad")


def test_the_q3_table_of_2011(skl):
    q3 = report_for(skl, skl.round_for()).question("q3")
    assert {o.option_id: (o.procent, o.antal) for o in q3.options} == SEED_Q3
    budget = next(o for o in q3.options if o.option_id == "budget")
    assert (budget.label, budget.procent, budget.antal) == ("Uppgifter om budget för vårdkostnader.", 78, 149)


def test_the_same_file_twice_is_unchanged_and_a_new_one_needs_consent(skl, county_files_2011):
    path = county_files_2011[1][0]
    assert import_county_bytes(skl, path.read_bytes(), path.name)[0] == "oförändrad"
    region = "Uppsala"
    store = core.open_store(None)
    store.save_answers(store.round_for(), "0380", Answers(choices={"q1": ["nej"]}), source="cli", status="klar")
    newer = county_xlsx_bytes(store.compile(store.round_for(), region), store.forms["lanssammanstallning"])
    assert import_county_bytes(skl, newer, "uppsala-ny.xlsx")[0] == "konflikt"
    assert report_for(skl, skl.round_for()).rate(region).kommuner_svarat == 8
    assert import_county_bytes(skl, newer, "uppsala-ny.xlsx", confirm=lambda region, old: True)[0] == "importerad"
    assert report_for(skl, skl.round_for()).rate(region).kommuner_svarat == 1
    log = [(e.field, e.new) for e in skl.audit_log() if e.field == f"riks.{region}"]
    assert len(log) == 2 and log[-1][1].startswith("uppsala-ny.xlsx")


def test_a_broken_county_file_changes_nothing(skl):
    before = skl.snapshot(), skl.county_documents(skl.round_for())
    with pytest.raises(RefusedFile):
        import_county_bytes(skl, b"PK\x03\x04 trasig", "trasig.xlsx")
    assert (skl.snapshot(), skl.county_documents(skl.round_for())) == before


def _numbers(region, answered, ranking):
    return CountyNumbers(region, answered, answered, {}, {}, {}, {}, {"q10": ranking})


def test_q10_means_over_partial_rankings(forms):
    form = forms["kommunenkat"]
    files = {
        "Uppsala": _numbers("Uppsala", 8, {"basuppgifter": 1, "resultat_familjehem": 2, "annat": 7}),
        "Kalmar": _numbers("Kalmar", 8, {"basuppgifter": 2, "resultat_familjehem": 4}),
        "Gotland": _numbers("Gotland", 1, {"basuppgifter": 2}),
        "Skåne": _numbers("Skåne", 18, {}),  # left question 10 blank, like about half the leaders
    }
    regions = [("Uppsala", 8), ("Kalmar", 12), ("Gotland", 1), ("Skåne", 33), ("GR", 11)]
    report = national_report(form, 2011, regions, files)
    means = {r.option_id: (r.medelvarde, r.antal_regioner) for r in report.ranking}
    assert means["basuppgifter"] == (5 / 3, 3) and decimal_comma(means["basuppgifter"][0]) == "1,7"
    assert means["resultat_familjehem"] == (3.0, 2)
    assert means["annat"] == (7.0, 1)
    assert means["resultat_hvb"] == (0.0, 0)
    order = [r.option_id for r in report.ranking]
    assert order[:3] == ["basuppgifter", "resultat_familjehem", "annat"]  # sorted by mean, unranked last
    assert set(order[3:]) == {"resultat_hvb", "brukarmedverkan", "personalens_erfarenheter", "individuell_uppfoljning"}
    document = national_document(report)
    assert document["ranking"]["q10"]["basuppgifter"] == {"medelvarde": 1.7, "antal_regioner": 3}
    assert document["ranking"]["q10"]["resultat_hvb"] == {"medelvarde": None, "antal_regioner": 0}


def test_the_national_json_has_every_region_and_reads_back(skl):
    report = report_for(skl, skl.round_for())
    document = national_document(report)
    assert document["format"] == "bou-riksrapport" and len(document["regions"]) == 24
    assert document["totalt"] == {"kommuner_totalt": 290, "kommuner_svarat": 190, "svarsfrekvens": 66}
    assert document["questions"]["q3"]["options"]["budget"] == {"antal": 149, "procent": 78}
    assert {"region": "Uppsala", "kommuner_totalt": 8, "kommuner_svarat": 8, "svarsfrekvens": 100, "har_fil": True} in document["regions"]
    raw = read_national_file(json.dumps(document).encode(), skl.forms, {r.name for r in skl.register.regions})
    assert raw["totalt"]["kommuner_svarat"] == 190
    with pytest.raises(RefusedFile, match="ingen riksrapport"):
        read_national_file(b'{"format": "bou-svarsfil"}', skl.forms, set())
    for version in (True, 1.0, 2):
        with pytest.raises(RefusedFile, match=f"format_version {version!r} stöds inte"):
            read_national_file(json.dumps({**document, "format_version": version}).encode(), skl.forms, set())


def test_the_national_excel_and_a_region_compared_with_the_nation(skl):
    report = report_for(skl, skl.round_for())
    form = skl.form_of(skl.round_for())
    workbook = load_workbook(io.BytesIO(national_xlsx_bytes(report, form)))
    rates = [[c.value for c in row] for row in workbook["Svarsfrekvens"].iter_rows()]
    assert rates[-3] == ["Total", 290, 190, "66 %"] and ["Östergötland", 13, 6, "46 %"] in rates
    assert rates[-1][0].startswith("Skaraborg, Fyrbodal, GR, Sjuhärad: Det finns 21 län/regioner i landet")  # the footnote
    q3 = [[c.value for c in row] for row in workbook["Fråga 3"].iter_rows()]
    assert ["Budget för vårdkostnader", 78, 149] in [row[:3] for row in q3]  # the seed's short label
    assert workbook["Fråga 3"]._charts
    comparison = load_workbook(io.BytesIO(national_xlsx_bytes(report, form, region="Skåne")))
    header = [c.value for c in next(comparison["Fråga 3"].iter_rows(min_row=2, max_row=2))]
    assert header[:5] == ["Svarsalternativ", "Procent", "Antal kommuner", "Skåne procent", "Skåne antal"]
    rows = regional_comparison(report, "Skåne")
    assert all(nation == option_percent for (_n, _l, _r, nation), option_percent in
               zip(rows, [o.procent for q in report.questions for o in q.options], strict=True))
    assert all(region_pct is None for _n, _l, region_pct, _nat in regional_comparison(report, "GR"))


def test_the_national_chain_on_the_command_line(county_files_2011, tmp_path, capsys):
    from bou_desktop.cli import main

    skl_db, leader_db = str(tmp_path / "skl.sqlite"), str(tmp_path / "ledare.sqlite")
    files = [str(p) for p in county_files_2011[1]]
    assert main(["--db", skl_db, "import", *files]) == 0
    out = capsys.readouterr().out
    assert out.count(": importerad: ") == 21 and "Östergötland: 6 av 13 kommuner (importerad)" in out
    assert main(["--db", skl_db, "import", files[0]]) == 0
    assert "oförändrad" in capsys.readouterr().out
    national = tmp_path / "riksrapport.json"
    assert main(["--db", skl_db, "export", "national", "--json", str(national), "--xlsx", str(tmp_path / "riket.xlsx")]) == 0
    assert "Saknas: Stockholm, GR, Sjuhärad" in capsys.readouterr().err
    assert json.loads(national.read_text(encoding="utf-8"))["totalt"]["kommuner_svarat"] == 190
    # A leader brings the national file back to the region's database.
    assert main(["--db", leader_db, "import", str(national)]) == 0
    assert "riksrapport 2011: 190 av 290 kommuner" in capsys.readouterr().out
    leader = core.open_store(leader_db)
    assert leader.national_document(leader.round_for())[0]["questions"]["q3"]["options"]["budget"]["procent"] == 78
    leader.close()
