"""Issue 17 for a region: its compilation beside an earlier round in the core, the county file (JSON and
the Excel Data sheet, read back), the Excel sheet and the PDF; every figure against a tally of both rounds."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from two_rounds import (
    ANSWERS,
    CHOICES,
    REGION,
    answered,
    changed_form_rounds,
    count,
    fill,
    mean_rank,
    one_decimal,
    percent_of,
    points,
    points_words,
    two_rounds,
    whole_percent,
)

from bou_desktop import core
from bou_desktop.exchange.county_export import CountyTargets, export_county
from bou_desktop.exchange.county_file import HUMAN_SHEET, read_county_file
from bou_desktop.exchange.errors import RefusedFile
from bou_desktop.store import StoreError
from bou_desktop.store.comparisons import compare_county, earlier_choices
from bou_desktop.survey.aggregates import NumberAggregate
from bou_desktop.survey.changes import NOT_COMPARABLE, points_text, question_change, signed, summary_text
from bou_desktop.survey.comparison import EarlierRound
from bou_desktop.survey.compilation import QuestionResult


@pytest.fixture
def store(tmp_path):
    store = two_rounds(tmp_path / "two.sqlite")
    yield store
    store.close()


def test_the_previous_round_by_default_and_every_choice_figure_as_tallied(store):
    later = store.round_for(2013)
    assert [r.year for r in earlier_choices(store, later)] == [2011]
    comparison = compare_county(store, later, REGION)
    assert (comparison.year, comparison.answered, comparison.earlier.answered) == (2011, answered(2013), answered(2011))
    assert comparison.without == ()
    for qid, options in CHOICES.items():
        change = comparison.change(qid)
        assert change.comparable
        for option in options:
            figures = change.option(option)
            assert (figures.earlier_count, figures.earlier_percent, figures.points) == (
                count(2011, qid, option), percent_of(2011, qid, option), points(qid, option)), (qid, option)
    for option in ("basuppgifter", "resultat_hvb"):
        figures = comparison.change("q10").option(option)
        assert figures.earlier_mean_rank == Decimal(mean_rank(2011, option).numerator) / mean_rank(2011, option).denominator
        assert figures.rank_change == one_decimal(mean_rank(2013, option)) - one_decimal(mean_rank(2011, option))
    assert compare_county(store, later, REGION, compare_with=None) is None
    assert compare_county(store, store.round_for(2011), REGION) is None  # the first round: nothing to compare
    with pytest.raises(StoreError, match="2012 är ingen tidigare omgång"):
        compare_county(store, later, REGION, compare_with=2012)


def test_an_earlier_round_changed_after_it_was_compared_is_compiled_again(store):
    later, first = store.round_for(2013), store.round_for(2011)
    assert compare_county(store, later, REGION).change("q1").option("ja").earlier_count == count(2011, "q1", "ja")
    store.set_status(first, "0583", "utkast", source="cli", reason="rättas")  # a "nej" no longer counts
    comparison = compare_county(store, later, REGION)
    assert comparison.earlier.answered == answered(2011) - 1
    assert comparison.change("q1").option("nej").earlier_count == 0


def test_words_of_a_change():
    assert [points_text(n) for n in (5, -1, 0, -12)] == [
        "+5 procentenheter", "−1 procentenhet", "±0 procentenheter", "−12 procentenheter"]
    assert [points_words(n) for n in (5, -1, 0)] == [points_text(n) for n in (5, -1, 0)]
    assert signed(Decimal("1.25"), 1) == "+1,3" and signed(Decimal("-0.5"), 1) == "−0,5"


def test_a_number_question_changes_in_mean_and_sum():
    now = NumberAggregate.of([Decimal(4), Decimal(8), Decimal(3)])  # sum 15, mean 5
    then = NumberAggregate.of([Decimal(2), Decimal(5)])  # sum 7, mean 3,5
    result = QuestionResult("antal", 1, "Hur många?", "integer", (), 0, 0, 0, 0, (), aggregate=now)
    change = question_change(result, 3, EarlierRound(2011, 2, {"antal": then}))
    assert (change.earlier_mean, change.earlier_sum, change.mean_change, change.sum_change) == (
        Decimal("3.5"), Decimal(7), Decimal("1.5"), Decimal(8))
    assert summary_text(change, "st") == "Medelvärde 2011: 3,5\u00a0st (+1,5\u00a0st); Summa 2011: 7\u00a0st (+8\u00a0st). " \
                                         "Antal svar 2011: 2."
    missing = question_change(result, 3, EarlierRound(2011, 2, {}))
    assert not missing.comparable and summary_text(missing) == NOT_COMPARABLE


def _export(store, tmp_path, **kwargs):
    targets = CountyTargets(xlsx=tmp_path / "l.xlsx", pdf=tmp_path / "l.pdf", json=tmp_path / "l.json")
    export_county(store, store.round_for(2013), REGION, targets, overwrite=True, **kwargs)
    return targets


def test_the_county_file_carries_the_earlier_round_and_is_read_back(store, tmp_path):
    targets = _export(store, tmp_path)
    document = json.loads(targets.json.read_text(encoding="utf-8"))
    earlier = document["earlier_rounds"]["2011"]
    assert earlier["kommuner_svarat"] == answered(2011)
    for qid, options in CHOICES.items():
        assert earlier["questions"][qid]["counts"] == {o: count(2011, qid, o) for o in options}
    assert set(earlier["questions"]["q10"]["ranked_by"]) >= {"basuppgifter"}
    for path in (targets.json, targets.xlsx):
        county = read_county_file(path.read_bytes(), store.forms, store.register)
        assert county.kommuner_svarat == answered(2013)
        assert county.earlier_rounds[2011].answered == answered(2011)
        assert county.earlier_rounds[2011].aggregates["q2"].counts == {o: count(2011, "q2", o) for o in CHOICES["q2"]}
    # without a comparison the file is as before
    targets = _export(store, tmp_path, compare_with=None)
    assert "earlier_rounds" not in json.loads(targets.json.read_text(encoding="utf-8"))


@pytest.mark.parametrize("bad, message", [
    ({"2013": {"kommuner_svarat": 3, "questions": {}}}, "tidigare omgång än 2013"),
    ({"2011": {"kommuner_svarat": 3, "questions": {"q99": {"counts": {}}}}}, "okänd fråga"),
    ({"2011": {"kommuner_svarat": 1, "questions": {"q1": {"counts": {"ja": 4}}}}}, "ska vara 0–1"),
    ([], "ska vara ett objekt"),
])
def test_a_bad_earlier_round_is_refused_in_swedish(store, tmp_path, bad, message):
    targets = _export(store, tmp_path)
    document = json.loads(targets.json.read_text(encoding="utf-8")) | {"earlier_rounds": bad}
    with pytest.raises(RefusedFile, match=message):
        read_county_file(json.dumps(document).encode("utf-8"), store.forms, store.register)


def test_the_excel_sheet_shows_both_rounds_and_the_change(store, tmp_path):
    targets = _export(store, tmp_path)
    sheet = load_workbook(io.BytesIO(targets.xlsx.read_bytes()))[HUMAN_SHEET]
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows(max_col=6)]
    assert any(r[0] and r[0].startswith("Jämförs med omgången 2011") and r[1] == answered(2011) for r in rows)
    form = store.form_of(store.round_for(2013))
    for qid, options in CHOICES.items():
        labels = {o.id: o.label for o in form.question(qid).options}
        start = next(i for i, r in enumerate(rows) if r[0] and r[0].startswith(f"{qid[1:]})"))
        assert rows[start + 1][1:6] == ("Antal 2013", "Procent 2013", "Antal 2011", "Procent 2011", "Förändring")
        for option in options:
            row = next(r for r in rows[start:] if r[0] == labels[option])
            assert row[1:6] == (count(2013, qid, option), f"{percent_of(2013, qid, option)} %", count(2011, qid, option),
                                f"{percent_of(2011, qid, option)} %", points_words(points(qid, option))), (qid, option)
    # "Ej svar" and "Ej tillämpligt" beside the earlier round as well, as the view and the PDF show them
    for qid, name, counted in (("q5", "Ej svar", _blank_q5), ("q2", "Ej tillämpligt", _skipped_q2)):
        start = next(i for i, r in enumerate(rows) if r[0] and r[0].startswith(f"{qid[1:]})"))
        row = next(r for r in rows[start:] if r[0] == name)
        now, then = counted(2013), counted(2011)
        shares = whole_percent(now, answered(2013)), whole_percent(then, answered(2011))
        assert row[1:6] == (now, f"{shares[0]} %", then, f"{shares[1]} %", points_words(shares[0] - shares[1]))


def _blank_q5(year: int) -> int:
    return sum(1 for raw in ANSWERS[year].values() if "q5" not in raw)


def _skipped_q2(year: int) -> int:
    return sum(1 for raw in ANSWERS[year].values() if raw["q1"] == ["nej"])


def test_the_pdf_shows_both_rounds_the_change_and_a_chart_of_both(store, tmp_path):
    from reportlab.graphics.shapes import Rect

    from bou_desktop.exchange.county_pdf import EARLIER_COLOR, option_chart

    targets = _export(store, tmp_path)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(targets.pdf.read_bytes())).pages)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert f"{answered(2011)} kommuner besvarade enkäten 2011" in " ".join(lines)
    q5 = {o.id: o.label for o in store.form_of(store.round_for(2013)).question("q5").options}
    joined = " ".join(lines)
    for option in CHOICES["q5"]:
        n = points("q5", option)
        figures = (f"{q5[option]} {count(2013, 'q5', option)} {percent_of(2013, 'q5', option)} % "
                   f"{count(2011, 'q5', option)} {percent_of(2011, 'q5', option)} % "
                   f"{'±' if n == 0 else '+' if n > 0 else '−'}{abs(n)}")
        assert figures in joined.replace("\u00a0", " "), figures
    for name, counted in (("Ej svar", _blank_q5),):
        now, then = counted(2013), counted(2011)
        shares = whole_percent(now, answered(2013)), whole_percent(then, answered(2011))
        n = shares[0] - shares[1]
        figures = f"{name} {now} {shares[0]} % {then} {shares[1]} % {'±' if n == 0 else '+' if n > 0 else '−'}{abs(n)}"
        assert figures in joined.replace("\u00a0", " "), figures
    comparison = compare_county(store, store.round_for(2013), REGION)
    result = store.compile(store.round_for(2013), REGION).question("q5")
    chart = option_chart(result, answered(2013), change=comparison.change("q5"), year=2013)
    earlier_bars = [s for s in chart.contents if isinstance(s, Rect) and s.fillColor == EARLIER_COLOR and s.height > 6]
    assert len(earlier_bars) == len(CHOICES["q5"])
    counts = [count(2011, "q5", option) for option in CHOICES["q5"]]
    scale = {round(bar.width / n, 6) for bar, n in zip(earlier_bars, counts, strict=True) if n}
    assert len(scale) == 1 and all(bar.width == 0 for bar, n in zip(earlier_bars, counts, strict=True) if not n)


def test_a_changed_form_follows_renames_and_marks_what_has_no_counterpart(tmp_path):
    store = changed_form_rounds(tmp_path)
    try:
        later = store.round_for(2013)
        comparison = compare_county(store, later, REGION)
        assert [q.id for q in comparison.without] == ["q9ny"]
        assert not comparison.change("q9ny").comparable
        itstod = comparison.change("itstod")
        assert itstod.comparable and itstod.option("nej").earlier_count == count(2011, "q5", "nej")
        targets = _export(store, tmp_path)
        document = json.loads(targets.json.read_text(encoding="utf-8"))
        assert "q9ny" not in document["earlier_rounds"]["2011"]["questions"]
        assert document["earlier_rounds"]["2011"]["questions"]["itstod"]["counts"]["nej"] == count(2011, "q5", "nej")
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(targets.pdf.read_bytes())).pages)
        assert NOT_COMPARABLE in " ".join(text.split())
        rows = [r[0] for r in load_workbook(io.BytesIO(targets.xlsx.read_bytes()))[HUMAN_SHEET].iter_rows(values_only=True)]
        assert NOT_COMPARABLE in rows
    finally:
        store.close()


def test_every_municipality_in_the_data_is_in_the_region(store):
    codes = {m.code for m in store.municipalities(REGION)}
    assert all(set(ANSWERS[year]) <= codes for year in ANSWERS)


def test_the_command_line_compares_with_the_previous_round_unless_told_otherwise(store, tmp_path, capsys):
    """`export county` beside the previous round by default (here an unanswered 2012 round, added after
    2011 and 2013), beside a chosen year with --compare, beside none with --no-compare."""
    from bou_desktop.cli import main

    store.add_round(2012, "kommunenkat", source="system")
    base = ["--db", str(store.path), "--round", "2013", "export", "county", "--region", REGION]
    out = tmp_path / "ls.json"

    def written(*options: str) -> dict:
        assert main([*base, "--json", str(out), "--overwrite", *options]) == 0
        return json.loads(out.read_text(encoding="utf-8"))

    assert list(written()["earlier_rounds"]) == ["2012"]
    assert written()["earlier_rounds"]["2012"]["kommuner_svarat"] == 0
    assert "Jämfört med 2012" in capsys.readouterr().out
    earlier = written("--compare", "2011")["earlier_rounds"]
    assert list(earlier) == ["2011"] and earlier["2011"]["kommuner_svarat"] == answered(2011)
    for qid, options in CHOICES.items():
        assert earlier["2011"]["questions"][qid]["counts"] == {o: count(2011, qid, o) for o in options}
    assert "Jämfört med 2011" in capsys.readouterr().out
    assert "earlier_rounds" not in written("--no-compare")
    assert "Jämfört med" not in capsys.readouterr().out

    other = tmp_path / "inte.json"
    assert main([*base, "--json", str(other), "--compare", "2010"]) == 1
    assert "2010 är ingen tidigare omgång av samma enkät som 2013 (tidigare omgångar: 2012, 2011)" in \
        capsys.readouterr().err
    assert not other.exists()
    with pytest.raises(SystemExit):
        main([*base, "--json", str(other), "--compare", "2011", "--no-compare"])
    assert "--no-compare kan inte anges tillsammans med --compare" in capsys.readouterr().err
    assert not other.exists()


def test_a_round_nobody_has_answered_yet_exports_beside_the_earlier_one(tmp_path):
    """The first day of a new round: Excel, PDF and JSON are written, every change shown as "–" (none yet)."""
    store = core.open_store(tmp_path / "new.sqlite")
    store.add_round(2013, "kommunenkat", source="system")
    fill(store, 2011)
    targets = _export(store, tmp_path)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(targets.pdf.read_bytes())).pages)
    ja = count(2011, "q1", "ja")
    assert f"Ja 0 0 % {ja} {percent_of(2011, 'q1', 'ja')} % –" in text.replace("\u00a0", " ")
    rows = [tuple(c.value for c in row) for row in load_workbook(io.BytesIO(targets.xlsx.read_bytes()))[HUMAN_SHEET]
            .iter_rows(max_col=6)]
    assert ("Ja", 0, "0 %", ja, f"{percent_of(2011, 'q1', 'ja')} %", "–") in rows
    assert json.loads(targets.json.read_text(encoding="utf-8"))["earlier_rounds"]["2011"]["kommuner_svarat"] == answered(2011)


# --------------------------------------------------------------------------- Word (one truth with the PDF and Excel)

def word_charts(data: bytes) -> list[tuple[str, object]]:
    """A Word file's pictures in order: (alternative text, the image as a Pillow image)."""
    import docx
    from PIL import Image

    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    blip = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
    embed = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
    document = docx.Document(io.BytesIO(data))
    out = []
    for inline in document.element.body.iter(f"{wp}inline"):
        part = document.part.related_parts[next(inline.iter(blip)).get(embed)]
        out.append((inline.find(f"{wp}docPr").get("descr"), Image.open(io.BytesIO(part.blob)).convert("RGB")))
    return out


def colour_pixels(image, hex_colour: str) -> int:
    wanted = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return sum(n for n, pixel in image.getcolors(maxcolors=1 << 24) if pixel == wanted)


EARLIER_HEX, THIS_HEX = "#a9c4e0", "#2f6aa3"  # the county PDF's colours, in every chart of two rounds


def test_the_county_word_file_follows_the_comparison_as_the_pdf_and_excel_do(store, tmp_path):
    from test_report_truth import word_tables

    targets = CountyTargets(xlsx=tmp_path / "l.xlsx", pdf=tmp_path / "l.pdf", docx=tmp_path / "l.docx")
    export_county(store, store.round_for(2013), REGION, targets, overwrite=True)  # the previous round, 2011
    data = targets.docx.read_bytes()
    tables = word_tables(data)

    def table_of(question) -> list[tuple[str, ...]]:
        """The first table under a question's heading ("5) …")."""
        index = next(i for i, (headings, _rows) in enumerate(tables)
                     if headings and headings[-1].startswith(f"{question.label} "))
        return tables[index][1]
    pdf = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(targets.pdf.read_bytes())).pages)
    pdf = pdf.replace("\u00a0", " ")
    sheet = load_workbook(io.BytesIO(targets.xlsx.read_bytes()))[HUMAN_SHEET]
    excel = [tuple(c.value for c in row) for row in sheet.iter_rows(max_col=6)]
    import docx

    paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert f"Jämförs med omgången 2011: {answered(2011)} kommuner besvarade enkäten 2011" in paragraphs
    county_form = store.county_form_of(store.round_for(2013))
    head = ("Svarsalternativ", "Antal 2013", "Procent 2013", "Antal 2011", "Procent 2011", "Förändring")
    charts = word_charts(data)
    for qid, options in CHOICES.items():
        labels = {o.id: o.label for o in county_form.question(qid).options}
        table = table_of(county_form.question(qid))
        assert table[0] == head, qid
        # from the tally: this round's and the earlier round's count and percent, the change in the county words
        want = [(labels[o], str(count(2013, qid, o)), f"{percent_of(2013, qid, o)}\u00a0%", str(count(2011, qid, o)),
                 f"{percent_of(2011, qid, o)}\u00a0%", points_words(points(qid, o))) for o in options]
        assert table[1:1 + len(options)] == want, qid
        for row in want:  # the same row in the PDF and in the Excel file
            assert " ".join(row).replace("\u00a0", " ") in pdf, row
            assert any(r[0] == row[0] and (str(r[1]), r[2], str(r[3]), r[4], r[5]) ==
                       tuple(v.replace("\u00a0", " ") for v in row[1:]) for r in excel), row
        # the chart's alternative text states both rounds' figures; the picture has both rounds' bars
        figures = [f"{labels[option]}: 2013 {percent_of(2013, qid, option)}\u00a0% ({count(2013, qid, option)}), "
                   f"2011 {percent_of(2011, qid, option)}\u00a0% ({count(2011, qid, option)})" for option in options]
        found = [(d, i) for d, i in charts if "två omgångar" in d and all(f in d for f in figures)]
        assert len(found) == 1, qid
        image = found[0][1]
        assert colour_pixels(image, EARLIER_HEX) > 0 and colour_pixels(image, THIS_HEX) > 0
    q5 = table_of(county_form.question("q5"))
    blank = (_blank_q5(2013), _blank_q5(2011))
    shares = whole_percent(blank[0], answered(2013)), whole_percent(blank[1], answered(2011))
    assert ("Ej svar", str(blank[0]), f"{shares[0]}\u00a0%", str(blank[1]), f"{shares[1]}\u00a0%",
            points_words(shares[0] - shares[1])) in q5
    # the ranking: the earlier mean rank and its change, as the PDF
    q10 = table_of(county_form.question("q10"))
    assert q10[0][-2:] == ("Medelvärde 2011", "Förändring")
    row = next(r for r in q10 if r[0] == county_form.question("q10").option("basuppgifter").label)
    before, now = one_decimal(mean_rank(2011, "basuppgifter")), one_decimal(mean_rank(2013, "basuppgifter"))
    assert row[-2] == f"{before}".replace(".", ",") and row[-1] == signed(now - before)


def test_the_county_word_file_without_a_comparison_when_none_is_chosen(store, tmp_path):
    from test_report_truth import word_tables

    targets = CountyTargets(docx=tmp_path / "l.docx")
    export_county(store, store.round_for(2013), REGION, targets, overwrite=True, compare_with=None)
    data = targets.docx.read_bytes()
    assert all(rows[0] in (("Svarsalternativ", "Antal kommuner", "Procent"),) or "2011" not in " ".join(rows[0])
               for _h, rows in word_tables(data))
    assert all("två omgångar" not in d and colour_pixels(i, EARLIER_HEX) == 0 for d, i in word_charts(data))


def test_county_and_national_share_one_figure_and_one_rule():
    """One model for both comparisons: the same option figure, a change of the figures shown (rounded half
    up), no change when a round has no values, and the same words."""
    from bou_desktop.survey.changes import NumberChange, OptionChange, RankChange, share_change
    from bou_desktop.survey.national_comparison import ShareChange, _share

    assert ShareChange is OptionChange and _share is share_change
    share = share_change("ja", 3, 6, 4, 8)  # 50 % then and now
    assert (share.antal, share.procent, share.earlier_antal, share.earlier_procent, share.change) == (3, 50, 4, 50, 0)
    assert points_text(share.change) == "±0 procentenheter"
    numbers = NumberChange(3, Decimal("2.345"), Decimal("7.035"), 3, Decimal("2.344"), Decimal("7.032"))
    assert signed(numbers.change_in_mean, 2) == "+0,01"  # 2,35 − 2,34 as shown, not 0,001
    assert signed(numbers.change_in_sum) == "+0,01"  # 7,04 − 7,03 as shown (half up), as the mean: one rule
    assert NumberChange(0, None, Decimal(0), 4, Decimal(2), Decimal(8)).change_in_sum is None
    assert signed(RankChange("a", Decimal("1.25"), Decimal("1.34")).change, 1) == "±0"  # 1,3 and 1,3
    assert signed(None) == "–"
