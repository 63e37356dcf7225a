"""Every PDF renders every question type: the response and the blank form, the print preview's HTML, the
county PDF (normal and anonymous), the national PDF, the region-vs-nation and the feedback PDFs.

The synthetic form (tests/every_type.py) is answered by a few municipalities in two regions, with
answers written out here; the figures a reader should find are tallied here from those answers, with
fractions, and written the Swedish way by this test's own formatting, not the program's.
"""

from __future__ import annotations

import io
import shutil
import statistics
import subprocess
from fractions import Fraction

import pytest
from pypdf import PdfReader

from bou_desktop import core
from bou_desktop.exchange.county_file import county_json_bytes
from bou_desktop.exchange.county_pdf import county_pdf
from bou_desktop.exchange.national_file import import_county_bytes, national_document, report_for
from bou_desktop.exchange.national_pdf import feedback_pdf, national_pdf, region_vs_nation_pdf
from bou_desktop.exchange.response_export import export_response_pdf, write_template
from bou_desktop.exchange.response_html import response_html
from bou_desktop.store import Store
from bou_desktop.survey.answers import Answers, check
from bou_desktop.survey.forms import FormLibrary
from tests.every_type import write_forms_with_county_fields

ANSWERS = {
    "Östergötland": [
        Answers(choices={"har": ["ja"], "val": ["p"]}, specify={("val", "p"): "Egen text"},
                ranks={"rang1": {"a": 1, "b": 2, "c": 3}, "rang2": {"z": 1, "w": 2}},
                comments={"antal": "Ungefär"},
                values={"antal": "2", "andel": "12.5", "start": "2013-05-01", "ort": "Ort Alfa",
                        "slutsats": "Slutsats alfa\nandra raden"},
                tables={"ledare": [{"omfattning": "50", "fran": "2013-01-01", "timmar": "40", "ort": "Norra kontoret"},
                                   {"omfattning": "75.5", "fran": "2012-09-15"}]}),
        Answers(choices={"har": ["ja"], "val": ["p", "q"]}, ranks={"rang1": {"b": 1, "a": 2},
                                                                  "rang2": {"w": 1, "x": 2, "y": 3, "z": 4}},
                values={"antal": "3", "andel": "33.3", "start": "2012-02-29", "ort": "Ort Beta"},
                tables={"ledare": [{"omfattning": "100", "fran": "2011-12-24", "ort": "Södra kontoret"}]}),
        Answers(choices={"har": ["nej"], "val": ["q"]}, ranks={"rang1": {"c": 1}},
                values={"andel": "7", "start": "2014-12-31", "slutsats": "Slutsats gamma"}),
        Answers(choices={"har": ["ja"]}, ranks={"rang2": {"x": 1}}, values={"antal": "0", "andel": "100"}),
    ],
    "Uppsala": [
        Answers(choices={"har": ["ja"]}, ranks={"rang1": {"a": 1}},
                values={"antal": "5", "andel": "50", "ort": "Ort Gamma"},
                tables={"ledare": [{"omfattning": "20", "fran": "2010-03-01", "timmar": "10", "ort": "Enköping"}]}),
        Answers(choices={"har": ["ja"], "val": ["p"]}, specify={("val", "p"): "Annan text"},
                ranks={"rang1": {"a": 2, "b": 1}, "rang2": {"z": 1}}, values={"antal": "1", "start": "2013-01-15"}),
        Answers(choices={"har": ["nej"]}, values={"andel": "0", "slutsats": "Slutsats delta"}),
    ],
}
LEADER = "Åsa Öberg"
NEXT_STEP = "Nätverksträffar varje kvartal"


# --------------------------------------------------------------------------- the test's own tally and words
def sv(value: Fraction, places: int | None = None) -> str:
    """A number as a Swedish reader writes it: "12,5", "1,67" (rounded half up), "2"."""
    if places is not None:
        scaled = value * 10**places
        whole = int(scaled + Fraction(1, 2)) if scaled >= 0 else -int(-scaled + Fraction(1, 2))
        value = Fraction(whole, 10**places)
    sign = "−" if value < 0 else ""
    value = abs(value)
    integer, rest = divmod(value, 1)
    digits = ""
    while rest and len(digits) < 10:
        rest *= 10
        digit, rest = divmod(rest, 1)
        digits += str(int(digit))
    return sign + str(int(integer)) + ("," + digits if digits else "")


def number_row(values: list[str], unit: str = "") -> list[str]:
    """Antal svar, Summa, Medelvärde (two decimals), Median, Minsta, Största: as the reader sees them."""
    numbers = sorted(Fraction(v) for v in values)
    u = f" {unit}" if unit else ""
    return [str(len(numbers)), sv(sum(numbers)) + u, sv(sum(numbers) / len(numbers), 2) + u,
            sv(Fraction(statistics.median(numbers))) + u, sv(numbers[0]) + u, sv(numbers[-1]) + u]


def counted(units: list[Answers], qid: str) -> list[Answers]:
    """1 b) and 1 c) are skipped after "nej" in 1 a)."""
    return [a for a in units if a.choices["har"] == ["ja"]] if qid in ("antal", "ledare") else units


def norm(text: str) -> str:
    return " ".join(text.split())


def pdf_text(pdf: bytes) -> str:
    return norm("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def render(pdf: bytes, name: str, folder, tmp_path, pages: int = 1) -> None:
    """The first pages as PNG in the screenshot folder, to look at."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm saknas")
    for old in folder.glob(f"{name}-*.png"):
        old.unlink()
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-l", str(pages), str(source), str(folder / name)],
                   check=True, timeout=120)
    assert list(folder.glob(f"{name}-*.png"))


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def answered(tmp_path_factory):
    """A county database with the answers, and who gave them: region -> [(code, name, answers)]."""
    folder = tmp_path_factory.mktemp("lan")
    library = FormLibrary.load(write_forms_with_county_fields(folder / "former"))  # with the leader's own fields
    store = Store.open(folder / "lan.sqlite", library, core.register())
    round_ = store.round_for()
    form = store.form_of(round_)
    given = {}
    for region, units in ANSWERS.items():
        municipalities = store.municipalities(region)
        for municipality, answers in zip(municipalities, units, strict=False):
            assert check(form, answers) == []
            store.save_answers(round_, municipality.code, answers, source="cli", status="klar")
            given.setdefault(region, []).append((municipality.code, municipality.name, answers))
    for key, value in (("ledarens_namn", LEADER), ("nasta_steg", NEXT_STEP), ("rank.rang1.c", 1), ("rank.rang1.a", 2),
                       ("rank.rang2.y", 1), ("specify.rang2", "Eget område"), ("summary.antal", "Få ledare")):
        store.set_leader_text(round_, "Östergötland", key, value, source="cli")
    yield store, given
    store.close()


@pytest.fixture(scope="module")
def national(answered, tmp_path_factory):
    """SKL's database with both regions' county files, and its report."""
    store, _given = answered
    round_ = store.round_for()
    skl = Store.open(tmp_path_factory.mktemp("skl") / "skl.sqlite", store.library, core.register())  # the same forms
    for region in ANSWERS:
        outcome, message = import_county_bytes(skl, county_json_bytes(store.compile(round_, region)), f"{region}.json")
        assert outcome == "importerad", message
    yield skl, report_for(skl, skl.round_for())
    skl.close()


# --------------------------------------------------------------------------- the response and the blank form
def test_the_response_pdf_shows_every_answer(answered, tmp_path, screenshot_dir):
    store, given = answered
    round_ = store.round_for()
    code, name, answers = given["Östergötland"][0]
    path = export_response_pdf(store, round_, code, tmp_path / "svar.pdf")
    text = pdf_text(path.read_bytes())
    assert f"{name} ({code})" in text
    assert text.count("1) Regionala utvecklingsledare") == 1  # the heading once, above its first part
    for label, answer in (("1 a) Finns det utvecklingsledare?", "☒ Ja"), ("1 b) Hur många?", "Svar: 2"),
                          ("5) Hur stor andel?", "Svar: 12,5 %"), ("6) När började arbetet?", "Svar: 2013-05-01"),
                          ("7) Var?", "Svar: Ort Alfa"), ("8) Beskriv", "Slutsats alfa andra raden")):
        assert label in text and answer in text[text.index(label):], label
    assert "Kommentar: Ungefär" in text
    # The table: its column names, then the rows with a decimal comma and the unit.
    assert "Rad Omfattning (0–100 %) Anställd fr.o.m. ÅÅÅÅ-MM-DD Timmar Ort" in text
    assert "1 50 % 2013-01-01 40 Norra kontoret" in text and "2 75,5 % 2012-09-15" in text
    assert "fråga" not in text.lower()
    render(path.read_bytes(), "pdf_every_type_svar", screenshot_dir, tmp_path)


def test_the_blank_form_has_room_for_every_type(answered, tmp_path, screenshot_dir):
    store, _given = answered
    round_ = store.round_for()
    path = write_template(store, round_, tmp_path / "tom.pdf")
    data = path.read_bytes()
    text = pdf_text(data)
    assert "1 b) Hur många? Svar (0–50):" in text
    assert "5) Hur stor andel? Svar (0–100 %):" in text
    assert "6) När började arbetet? Å Å Å Å – M M – D D" in text  # eight boxes to write the date in
    assert "7) Var? Svar:" in text
    # The table: column headers with units and bounds, then numbered empty rows (max_rows is 20: twelve here).
    assert "Rad Omfattning (0–100 %) Anställd fr.o.m. ÅÅÅÅ-MM-DD Timmar Ort 1 2 3 4 5 6 7 8 9 10 11 12" in text
    assert "Högst 20 rader" in text
    assert "☒" not in text and "Svarssätt" not in text
    render(data, "pdf_every_type_tom", screenshot_dir, tmp_path, pages=2)


def test_the_print_preview_shows_every_type(answered):
    store, given = answered
    form = store.form_of(store.round_for())
    _code, name, answers = given["Östergötland"][0]
    html = response_html(form, municipality=name, code=_code, answers=answers)
    assert html.count("1) Regionala utvecklingsledare") == 1 and "1 b) Hur många?" in html
    for shown in ("<b>2</b>", "<b>12,5\u00a0%</b>", "<b>2013-05-01</b>", "<b>Ort Alfa</b>", "Slutsats alfa<br>andra raden",
                  "Omfattning", "75,5\u00a0%", "Norra kontoret"):
        assert shown in html, shown
    blank = response_html(form)
    assert "Svar (0–50):" in blank and "ÅÅÅÅ-MM-DD" in blank and blank.count("<td align='center'>") == 12


# --------------------------------------------------------------------------- the county PDF
def county_expectations(units: list[tuple[str, str, Answers]], anonymous: bool) -> list[str]:
    answers = [a for _c, _n, a in units]
    antal = [a.values["antal"] for a in counted(answers, "antal") if "antal" in a.values]
    andel = [a.values["andel"] for a in answers if "andel" in a.values]
    dates = sorted(a.values["start"] for a in answers if "start" in a.values)
    rows = [row for a in counted(answers, "ledare") for row in a.tables.get("ledare", [])]
    skipped = len(answers) - len(counted(answers, "antal"))
    expected = [
        "Mått Värde Antal svar {} Summa {} Medelvärde {} Median {} Minsta {} Största {}".format(*number_row(antal)),
        f"Ej tillämpligt {skipped} kommun{'er' if skipped != 1 else ''}",
        "Mått Värde Antal svar {} Summa {} Medelvärde {} Median {} Minsta {} Största {}".format(*number_row(andel, "%")),
        f"Antal svar {len(dates)} Tidigast {dates[0]} Senast {dates[-1]}",
        f"Antal rader: {len(rows)}.",
        "Omfattning (%) {} {} {} {} {} {}".format(*number_row([r["omfattning"] for r in rows if "omfattning" in r], "%")),
    ]
    fran = sorted(r["fran"] for r in rows if "fran" in r)
    expected.append(f"Anställd fr.o.m. {len(fran)} {fran[0]} {fran[-1]}")
    for _code, name, a in units:
        for qid in ("ort", "slutsats"):
            if qid in a.values:
                text = norm(a.values[qid])
                expected.append(text if anonymous else f"{name}: {text}")
        for row in a.tables.get("ledare", []) if a.choices["har"] == ["ja"] else []:
            if "ort" in row:
                expected.append(row["ort"] if anonymous else f"{name}: {row['ort']}")
    return expected


@pytest.mark.parametrize("anonymous", [False, True], ids=["named", "anonymous"])
def test_the_county_pdf_shows_every_type_as_the_county_view(answered, anonymous, tmp_path, screenshot_dir):
    store, given = answered
    round_ = store.round_for()
    compilation = store.compile(round_, "Östergötland", anonymous=anonymous)
    data = county_pdf(compilation, store.county_form_of(round_))
    text = pdf_text(data)
    units = given["Östergötland"]
    assert text.count("1) Regionala utvecklingsledare") == 1
    for label in ("1 a) Finns det", "1 b) Hur många?", "1 c) Per utvecklingsledare", "2) Rangordna A–C",
                  "3) Rangordna W–Z", "4) Vilka?", "5) Hur stor andel?", "6) När började", "7) Var?", "8) Beskriv"):
        assert label in text, label
    for expected in county_expectations(units, anonymous):
        assert expected in text, expected
    # Every ranking question: the region's own ranks next to the municipalities' means and counts.
    assert text.count("Regionens rangordning Kommunernas medelvärde Antal kommuner som rangordnat") == 2
    assert "A 2 1,5 2 B – 1,5 2 C 1 2,0 2" in text
    assert "W – 1,5 2 X – 1,5 2 Y 1 3,0 1 Z – 2,5 2" in text
    assert "Annat alternativ, ange: Eget område" in text
    assert "Få ledare" in text
    # The county form's own fields, under their labels: the leader's name, an e-mail field, a free text.
    assert f"Utvecklingsledarens namn: {LEADER}" in text and "E-post till utvecklingsledaren:" in text
    assert f"Nästa steg i regionen {NEXT_STEP}" in text
    if anonymous:  # no answering municipality is named (none of their names is a text they wrote)
        assert not [name for _c, name, _a in units if name in text]
    render(data, f"pdf_every_type_lan_{'anonym' if anonymous else 'namn'}", screenshot_dir, tmp_path, pages=3)


# --------------------------------------------------------------------------- the national PDFs
def test_the_national_pdf_shows_every_type_over_the_nation_and_per_region(answered, national, tmp_path,
                                                                         screenshot_dir):
    _store, given = answered
    skl, report = national
    form = skl.form_of(skl.round_for())
    data = national_pdf(report, form, exported_by="SKL")
    text = pdf_text(data)
    assert text.count("1) Regionala utvecklingsledare") == 1
    everyone = [a for units in given.values() for _c, _n, a in units]
    antal = [a.values["antal"] for a in counted(everyone, "antal") if "antal" in a.values]
    assert "Mått Värde Antal svar {} Summa {} Medelvärde {} Median {} Minsta {} Största {}".format(
        *number_row(antal)) in text
    for region, units in given.items():  # per region, then the nation
        values = [a.values["antal"] for _c, _n, a in units if a.choices["har"] == ["ja"] and "antal" in a.values]
        assert f"{region} {' '.join(number_row(values))}" in text, region
    assert f"Riket {' '.join(number_row(antal))}" in text
    andel = [a.values["andel"] for a in everyone if "andel" in a.values]
    assert "Summa {1} Medelvärde {2} Median {3}".format(*number_row(andel, "%")) in text
    dates = sorted(a.values["start"] for a in everyone if "start" in a.values)
    assert f"Antal svar {len(dates)} Tidigast {dates[0]} Senast {dates[-1]}" in text
    for region, units in given.items():  # texts with their region and municipality
        for _code, name, a in units:
            if "ort" in a.values:
                assert f"{region} – {name}: {a.values['ort']}" in text
    rows = [row for a in counted(everyone, "ledare") for row in a.tables.get("ledare", [])]
    assert f"Antal rader: {len(rows)}." in text
    assert "Omfattning (%) {} {} {} {} {} {}".format(
        *number_row([r["omfattning"] for r in rows if "omfattning" in r], "%")) in text
    # Both ranking questions, the municipalities' means over the nation.
    for qid, options in (("rang1", "abc"), ("rang2", "wxyz")):
        cells = []
        for option in options:
            ranks = [a.ranks[qid][option] for a in everyone if option in a.ranks.get(qid, {})]
            mean = sv(Fraction(sum(ranks), len(ranks)), 1) if ranks else "–"
            cells.append(f"{option.upper()} {mean + (',0' if ranks and ',' not in mean else '')} {len(ranks)}")
        assert " ".join(cells) in text, qid
    assert text.count("Alternativ Kommunernas medelvärde Antal kommuner som rangordnat") == 2
    render(data, "pdf_every_type_riket", screenshot_dir, tmp_path, pages=3)


def test_region_vs_nation_and_feedback_render_a_form_with_every_type(answered, national, tmp_path, screenshot_dir):
    store, given = answered
    skl, report = national
    form = skl.form_of(skl.round_for())
    data = region_vs_nation_pdf(report, form, "Uppsala")
    text = pdf_text(data)
    values = [a.values["antal"] for _c, _n, a in given["Uppsala"] if a.choices["har"] == ["ja"] and "antal" in a.values]
    assert f"Uppsala {' '.join(number_row(values))}" in text
    assert "Svar från Uppsala (1)" in text and "Ort Gamma" in text
    render(data, "pdf_every_type_region_riket", screenshot_dir, tmp_path)

    round_ = store.round_for()
    code, name, answers = given["Östergötland"][0]
    county = store.compile(round_, "Östergötland")
    feedback = feedback_pdf(form, municipality=name, code=code, region="Östergötland", round_year=round_.year,
                            answers=answers, county=county, national=national_document(report))
    text = pdf_text(feedback)
    assert "Ert svar: 2" in text and "Ert svar: 12,5 %" in text and "Ert svar: 2013-05-01" in text
    assert "Omfattning Anställd fr.o.m. Timmar Ort 50 % 2013-01-01 40 Norra kontoret" in text
    antal = [a.values["antal"] for a in counted([a for u in given.values() for _c, _n, a in u], "antal")
             if "antal" in a.values]
    assert f"Riket {' '.join(number_row(antal))}" in text
    render(feedback, "pdf_every_type_aterkoppling", screenshot_dir, tmp_path)
