"""Excel svarsfiler: the template, filled by hand as people do, round trips, and broken files."""

from __future__ import annotations

import io
import random
import shutil
import subprocess
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from bou_desktop import core
from bou_desktop.cli import main
from bou_desktop.demo import synthetic_answers
from bou_desktop.exchange.importer import Outcome, import_file
from bou_desktop.exchange.svarsfil_xlsx import META_SHEET, SHEET, TemplateInfo, build_workbook, name_for
from bou_desktop.survey.answers import Answers


def cell_of(workbook, key):
    """The cell a defined name points at, as the import finds it."""
    sheet, coordinate = next(iter(workbook.defined_names[name_for(key)].destinations))
    return workbook[sheet][coordinate.replace("$", "")]


def template(store, kommun="0580", **kwargs) -> bytes:
    form = store.form_of(store.round_for())
    name = store.register.municipality(kommun).name if kommun else ""
    return build_workbook(TemplateInfo(form, 2011, kommun, name, **kwargs))


def save(workbook, path):
    workbook.save(path)
    return path


def test_template_is_a_protected_a4_form_with_named_answer_cells(store):
    workbook = load_workbook(io.BytesIO(template(store)))
    ws = workbook[SHEET]
    assert ws.protection.sheet and not ws.protection.password
    assert int(ws.page_setup.paperSize) == 9 and int(ws.page_setup.fitToWidth) == 1  # 9 = A4
    assert workbook[META_SHEET].sheet_state == "veryHidden"
    # the round named as the window names it, in the printed header and the file's title
    assert ws.oddHeader.right.text == "Kartläggning 2011" and workbook.properties.title.startswith("Kartläggning 2011")
    form = store.form_of(store.round_for())
    keys = ["uppgiftslamnare.namn", "uppgiftslamnare.befattning"]
    for question in form.questions:
        keys += [f"{question.id}.{o.id}" for o in question.options]
        keys += [f"{question.id}.{o.id}.ange" for o in question.specify_options]
        keys.append(f"{question.id}.kommentar")
    for key in keys:
        cell = cell_of(workbook, key)
        assert cell.protection.locked is False, key
    assert cell_of(workbook, "uppgiftslamnare.kommun").value == "Linköping (0580)"
    assert cell_of(workbook, "uppgiftslamnare.kommun").protection.locked is True
    texts = [c.value for row in ws.iter_rows(min_col=3, max_col=3) for c in row if c.value]
    for question in form.questions:
        assert question.full_text in texts
    # Ticks are offered as a drop-down "X".
    assert any('"X"' in (dv.formula1 or "") for dv in ws.data_validations.dataValidation)


def test_template_filled_by_hand_as_people_do_imports(store, tmp_path):
    workbook = load_workbook(io.BytesIO(template(store)))
    cell_of(workbook, "uppgiftslamnare.namn").value = "  Åsa Öberg "
    cell_of(workbook, "uppgiftslamnare.befattning").value = "IFO-chef"
    cell_of(workbook, "q1.ja").value = "x"
    cell_of(workbook, "q2.politiker").value = "X "
    cell_of(workbook, "q2.annan").value = 1
    cell_of(workbook, "q2.annan.ange").value = "Nätverkskommuner"
    cell_of(workbook, "q3.budget").value = " ja"
    cell_of(workbook, "q5.ja_i_viss_man").value = "X"
    cell_of(workbook, "q10.basuppgifter").value = 1
    cell_of(workbook, "q10.resultat_hvb").value = "2"
    cell_of(workbook, "q3.kommentar").value = "=SUMMA(A1) är ingen formel här"
    path = save(workbook, tmp_path / "ifylld.xlsx")
    result = import_file(store, path)
    assert result.outcome is Outcome.IMPORTED, result.message
    fields = store.response(store.round_for(), "0580").fields
    assert fields == {
        "uppgiftslamnare.namn": "Åsa Öberg", "uppgiftslamnare.befattning": "IFO-chef",
        "q1": "ja", "q2.politiker": "X", "q2.annan": "X", "q2.annan.ange": "Nätverkskommuner", "q3.budget": "X",
        "q3.kommentar": "=SUMMA(A1) är ingen formel här", "q5": "ja_i_viss_man",
        "q10.basuppgifter": "1", "q10.resultat_hvb": "2",
    }


def _insert_row_above(workbook, key, *, move_names: bool):
    """Insert a row above a question as a user does; Excel moves the defined names with the cells."""
    ws = workbook[SHEET]
    row = cell_of(workbook, key).row - 1  # the question's text row
    ws.insert_rows(row)
    ws.cell(row, 3).value = "Egen anteckning: fråga kommunchefen"
    if move_names:
        for definition in list(workbook.defined_names.values()):
            sheet, coordinate = next(iter(definition.destinations))
            column, number = coordinate.replace("$", "")[0], int(coordinate.replace("$", "")[1:])
            if number >= row:
                definition.attr_text = f"'{sheet}'!${column}${number + 1}"


@pytest.mark.parametrize("move_names", [True, False], ids=["as-excel-does", "names-left-behind"])
def test_a_row_inserted_above_a_question_does_not_break_the_import(store, tmp_path, move_names):
    workbook = load_workbook(io.BytesIO(template(store)))
    _insert_row_above(workbook, "q3.verksamhetsmal", move_names=move_names)
    # Filled after the insert, by where the cells now are (the key column moved with them).
    ws = workbook[SHEET]
    rows = {ws[f"E{r}"].value: r for r in range(1, ws.max_row + 1) if ws[f"E{r}"].value}
    ws[f"B{rows['q3.verksamhetsmal']}"] = "x"
    ws[f"B{rows['q4.bbic']}"] = "X"
    ws[f"C{rows['q3.kommentar']}"] = "Efter infogad rad"
    result = import_file(store, save(workbook, tmp_path / "rad.xlsx"))
    assert result.outcome is Outcome.IMPORTED, result.message
    assert store.response(store.round_for(), "0580").fields == {
        "q3.verksamhetsmal": "X", "q4.bbic": "X", "q3.kommentar": "Efter infogad rad"}


def test_generic_template_takes_the_municipality_from_the_kommun_cell(store, tmp_path):
    workbook = load_workbook(io.BytesIO(template(store, kommun=None)))
    cell_of(workbook, "uppgiftslamnare.kommun").value = "Kiruna"
    cell_of(workbook, "q1.nej").value = "X"
    assert import_file(store, save(workbook, tmp_path / "kiruna.xlsx")).outcome is Outcome.IMPORTED
    assert store.response(store.round_for(), "2584").fields == {"q1": "nej"}


def _round_trip(store, tmp_path, answers: Answers, status: str, index: int) -> None:
    round_ = store.round_for()
    kommun = store.register.municipalities[index % 290].code
    store.save_answers(round_, kommun, answers, source="cli", status=status)
    out = tmp_path / f"svar{index}.xlsx"
    assert main(["--db", str(store.path), "export", "response", "--kommun", kommun, "--xlsx", str(out), "--overwrite"]) == 0
    fresh = core.open_store(tmp_path / f"fresh{index}.sqlite")
    try:
        result = import_file(fresh, out)
        assert result.outcome is Outcome.IMPORTED, result.message
        original, copy = store.response(round_, kommun), fresh.response(fresh.round_for(), kommun)
        assert copy.fields == original.fields
        assert copy.status == original.status and copy.uuid == original.uuid
    finally:
        fresh.close()


@pytest.mark.parametrize("seed", range(12))
def test_round_trip_of_generated_responses(store, tmp_path, seed):
    rng = random.Random(seed)
    answers = synthetic_answers(store, rng)
    answers.ranks["q10"] = {oid: rank for rank, oid in enumerate(rng.sample(store.form_of(store.round_for()).question("q10").option_ids(), 4), 1)}
    answers.specify[("q10", "annat")] = "Kunskapsläget när det gäller placerade barn"
    _round_trip(store, tmp_path, answers, rng.choice(["utkast", "klar"]), seed)


TEXT = st.text(alphabet="abcåäöÅÄÖ =+-@<>&\"'\n0123456789", min_size=1, max_size=40).map(str.strip).filter(bool)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_round_trip_keeps_any_text_and_every_question_type(store, tmp_path_factory, data):
    form = store.form_of(store.round_for())
    answers = Answers()
    for question in form.questions:
        ids = list(question.option_ids())
        if question.type == "single":
            answers.choices[question.id] = [data.draw(st.sampled_from(ids))]
        elif question.type == "multi":
            answers.choices[question.id] = sorted(data.draw(st.sets(st.sampled_from(ids), min_size=1)), key=ids.index)
        else:
            picked = data.draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
            answers.ranks[question.id] = {oid: data.draw(st.integers(1, question.max_rank)) for oid in picked}
        for option in question.specify_options:
            answers.specify[(question.id, option.id)] = data.draw(TEXT)
        answers.comments[question.id] = data.draw(TEXT)
    answers.respondent = {"namn": data.draw(TEXT), "befattning": data.draw(TEXT)}
    _round_trip(store, tmp_path_factory.mktemp("rt"), answers, "klar", data.draw(st.integers(0, 289)))


def test_control_characters_are_cleaned_not_fatal(store, tmp_path):
    round_ = store.round_for()
    store.save_answers(round_, "0580", Answers(comments={"q1": "Rad ett\x07\x1b slut"}), source="cli")
    out = tmp_path / "ctrl.xlsx"
    assert main(["--db", str(store.path), "export", "response", "--kommun", "0580", "--xlsx", str(out)]) == 0
    assert cell_of(load_workbook(out), "q1.kommentar").value == "Rad ett slut"


def test_formula_like_text_is_written_as_text(store, tmp_path):
    store.save_answers(store.round_for(), "0580", Answers(comments={"q1": "=HYPERLINK(\"http://x\")", "q2": "+46 13 12"},
                                                          specify={("q2", "annan"): "@kommun"}), source="cli")
    out = tmp_path / "f.xlsx"
    assert main(["--db", str(store.path), "export", "response", "--kommun", "0580", "--xlsx", str(out)]) == 0
    workbook = load_workbook(out)
    for key in ("q1.kommentar", "q2.kommentar", "q2.annan.ange"):
        assert cell_of(workbook, key).data_type == "s", key
    with zipfile.ZipFile(out) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


# ------------------------------------------------------------------------------ broken files

def _meta(workbook, key, value):
    ws = workbook[META_SHEET]
    for row in ws.iter_rows(max_col=2):
        if row[0].value == key:
            row[1].value = value


def _filled(store):
    workbook = load_workbook(io.BytesIO(template(store)))
    cell_of(workbook, "q1.ja").value = "X"
    return workbook


def _bomb(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 60_000_000)


def _macro(path, store):
    data = template(store)
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/vbaProject.bin", b"\x00macro")


BROKEN = {
    "not a zip": (lambda store, p: p.write_bytes(b"\x00\x01 inte en zip" * 50), "ingen Excel-fil"),
    "truncated zip": (lambda store, p: p.write_bytes(template(store)[:3000]), "Excel-fil"),
    "another kind of xlsx": (lambda store, p: Workbook().save(p), "ingen svarsfil från BoU Desktop"),
    "wrong form": (lambda store, p: (lambda wb: (_meta(wb, "form", "annan"), wb.save(p)))(_filled(store)), "okänt formulär"),
    "wrong round": (lambda store, p: (lambda wb: (_meta(wb, "round", 2012), wb.save(p)))(_filled(store)), "Omgången 2012 av formuläret 'kommunenkat' finns inte"),
    "unknown municipality": (lambda store, p: (lambda wb: (_meta(wb, "kommun", "9999"), wb.save(p)))(_filled(store)), "okänd kommunkod '9999'"),
    "two ticks on single choice": (
        lambda store, p: (lambda wb: (setattr(cell_of(wb, "q5.ja"), "value", "X"), setattr(cell_of(wb, "q5.nej"), "value", "x"), wb.save(p)))(_filled(store)),
        "fråga 5 tillåter bara ett svar, men 2 rutor är ikryssade"),
    "odd tick": (lambda store, p: (lambda wb: (setattr(cell_of(wb, "q8.tidsbrist"), "value", "kanske"), wb.save(p)))(_filled(store)),
                 "rutan innehåller ”kanske”"),
    "rank out of range": (lambda store, p: (lambda wb: (setattr(cell_of(wb, "q10.basuppgifter"), "value", 9), wb.save(p)))(_filled(store)),
                          "rangen ska vara ett heltal 1–7"),
    "zip bomb": (lambda store, p: _bomb(p), "för stor uppackad"),
    "macro workbook renamed": (lambda store, p: _macro(p, store), "innehåller makron"),
    "empty template": (lambda store, p: p.write_bytes(template(store)), "inga svar"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_broken_file_is_refused_and_changes_nothing(store, tmp_path, case, capsys):
    make, reason = BROKEN[case]
    store.save_answers(store.round_for(), "0180", Answers(choices={"q1": ["ja"]}), source="cli")
    before = store.snapshot()
    path = tmp_path / "svar.xlsx"
    make(store, path)
    assert main(["--db", str(store.path), "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("svar.xlsx: nekad: ") and reason in err, err
    assert "Traceback" not in err
    assert store.snapshot() == before


def test_a_leader_is_asked_about_municipalities_of_other_regions(store, tmp_path, monkeypatch, capsys):
    from bou_desktop.settings import Settings, save_settings

    save_settings(Settings(role="ledare", region="Skåne", name="Sara"))
    path = save(_filled(store), tmp_path / "linkoping.xlsx")
    assert main(["--db", str(store.path), "import", str(path)]) == 1
    assert "Linköping hör till Östergötland, inte till din region Skåne" in capsys.readouterr().err
    assert main(["--db", str(store.path), "import", "--other-region", str(path)]) == 0


# ------------------------------------------------------------------------------ command line and LibreOffice

def test_template_commands(tmp_path, capsys):
    db = str(tmp_path / "db.sqlite")
    assert main(["--db", db, "template", "--region", "Östergötland", "--out-dir", str(tmp_path / "ut")]) == 0
    files = sorted(p.name for p in (tmp_path / "ut").iterdir())
    assert len(files) == 13 and "Enkät 2011 0580 Linköping.xlsx" in files
    assert main(["--db", db, "template", "--region", "Östergötland", "--out-dir", str(tmp_path / "ut")]) == 1
    assert "13 av filerna finns redan" in capsys.readouterr().err
    assert main(["--db", db, "template", "--region", "Atlantis", "--out-dir", str(tmp_path / "x")]) == 1
    assert "Regionen 'Atlantis' finns inte" in capsys.readouterr().err
    assert main(["--db", db, "template", "--out", str(tmp_path / "t.docx")]) == 1
    assert "ska sluta på .xlsx" in capsys.readouterr().err


@pytest.mark.skipif(not shutil.which("soffice") and not shutil.which("libreoffice"), reason="LibreOffice is not installed")
def test_template_opens_in_libreoffice_and_prints_on_a4(store, tmp_path, screenshot_dir):
    from pypdf import PdfReader

    path = tmp_path / "mall.xlsx"
    path.write_bytes(template(store))
    office = shutil.which("soffice") or shutil.which("libreoffice")
    result = subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    pdf = PdfReader(tmp_path / "mall.pdf")
    width, height = float(pdf.pages[0].mediabox.width), float(pdf.pages[0].mediabox.height)
    assert abs(width - 595) < 3 and abs(height - 842) < 3  # A4 in points
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Uppgiftslämnare" in text and "Vårdgivares uppfattning" in " ".join(text.split())
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(tmp_path / "mall.pdf"),
                        str(screenshot_dir / "template_xlsx")], check=True)
