"""County files for SKL: Excel and JSON that read back with the same numbers, and the e-mail draft."""

from __future__ import annotations

import email
import email.policy
import io
import json
import shutil
import subprocess
import zipfile

import pytest
from openpyxl import load_workbook

from bou_desktop.cli import main
from bou_desktop.demo import fill_demo
from bou_desktop.exchange.county_file import (
    county_json_bytes,
    county_xlsx_bytes,
    read_county_file,
)
from bou_desktop.exchange.errors import RefusedFile
from bou_desktop.settings import Settings, save_settings

ÖG = "Östergötland"


@pytest.fixture
def demo(store):
    fill_demo(store)
    round_ = store.round_for()
    store.set_leader_text(round_, ÖG, "utvecklingsledare", "Åsa Öberg")
    store.set_leader_text(round_, ÖG, "summary.q3", "=SUMMA(B2) <b>&</b> budget dominerar")
    store.set_leader_text(round_, ÖG, "rank.basuppgifter", 1)
    store.set_leader_text(round_, ÖG, "rank.resultat_familjehem", 2)
    store.set_leader_text(round_, ÖG, "ranking_specify", "Kunskapsläget")
    store.set_leader_text(round_, ÖG, "ovriga_synpunkter", "Svårt att prioritera.")
    return store


def assert_same_numbers(county, compilation):
    assert (county.region, county.round_year, county.kommuner_totalt, county.kommuner_svarat) == (
        compilation.region, compilation.round_year, compilation.kommuner_totalt, compilation.kommuner_svarat)
    for q in compilation.questions:
        if q.question_id == compilation.ranking_question:
            continue
        assert county.counts[q.question_id] == {o.option_id: o.count for o in q.options}
        assert county.ej_svar[q.question_id] == q.ej_svar and county.ej_tillampligt[q.question_id] == q.ej_tillampligt
    assert county.ranking == compilation.leader.ranking
    assert county.summaries == {k: v for k, v in compilation.leader.summaries.items()}
    assert county.ranking_specify == "Kunskapsläget" and county.ovriga_synpunkter == "Svårt att prioritera."
    assert county.utvecklingsledare == "Åsa Öberg"


def test_excel_county_file_reads_back_with_the_same_numbers(demo):
    c = demo.compile(demo.round_for(), ÖG)
    data = county_xlsx_bytes(c, demo.forms["lanssammanstallning"], exported_by="Åsa Öberg")
    assert_same_numbers(read_county_file(data, demo.forms, demo.register), c)
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Länssammanställning", "Data", "Om filen"]
    about = {row[0].value: row[1].value for row in workbook["Om filen"].iter_rows()}
    assert about["Kommuner som besvarat enkäten"] == 6 and about["Totalt antal kommuner"] == 13
    assert about["Exporterad av"] == "Åsa Öberg" and about["Utkast som inte räknas"] == "Motala"
    human = [cell.value for row in workbook["Länssammanställning"].iter_rows() for cell in row if cell.value is not None]
    county_form = demo.forms["lanssammanstallning"]
    for question in county_form.questions:
        assert f"{question.number}) {question.full_text}" in human
    assert "Sammanfattning av öppna svar och övrig reflektion:" in human and "Övriga synpunkter på kartläggningen" in human
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not any("<f>" in archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))


def test_json_county_file_matches_the_documented_shape(demo):
    c = demo.compile(demo.round_for(), ÖG)
    document = json.loads(county_json_bytes(c))
    assert document["format"] == "bou-lanssammanstallning" and document["format_version"] == 2
    assert (document["round"], document["region"], document["kommuner_totalt"], document["kommuner_svarat"]) == (2011, ÖG, 13, 6)
    assert set(document["questions"]) == {f"q{n}" for n in range(1, 11)}  # version 2: the ranking question too
    assert set(document["questions"]["q10"]) == {"mean_rank", "ranked_by", "ej_svar", "ej_tillampligt", "summary"}
    assert document["questions"]["q3"]["counts"]["budget"] == c.question("q3").options[1].count
    assert document["ranking"] == {"q10": {"basuppgifter": 1, "resultat_familjehem": 2}}
    assert document["specify"] == {"q10": "Kunskapsläget"}
    assert_same_numbers(read_county_file(json.dumps(document).encode(), demo.forms, demo.register), c)


def test_a_version_1_county_file_still_reads(demo):
    """Version 1 as 2011's program wrote it: choices only, the ranking question only in `ranking`."""
    c = demo.compile(demo.round_for(), ÖG)
    document = json.loads(county_json_bytes(c))
    document["format_version"] = 1
    del document["questions"]["q10"]
    assert_same_numbers(read_county_file(json.dumps(document).encode(), demo.forms, demo.register), c)
    document["questions"]["q10"] = {"counts": {}}
    with pytest.raises(RefusedFile, match="questions.q10: ska vara ett objekt med counts"):
        read_county_file(json.dumps(document).encode(), demo.forms, demo.register)


def _document(demo):
    return json.loads(county_json_bytes(demo.compile(demo.round_for(), ÖG)))


BAD = [
    ("not ours", lambda d: d.update(format="något"), "ingen länssammanställning"),
    ("future version", lambda d: d.update(format_version=3), "format_version 3 stöds inte"),
    ("version true", lambda d: d.update(format_version=True), "format_version True stöds inte"),
    ("unknown region", lambda d: d.update(region="Atlantis"), "okänd region"),
    ("wrong total", lambda d: d.update(kommuner_totalt=12), "Östergötland har 13 kommuner"),
    ("more answered than total", lambda d: d.update(kommuner_svarat=14), "kommuner_svarat ska vara 0–13"),
    ("count above answered", lambda d: d["questions"]["q3"]["counts"].update(budget=7), "ska vara 0–6"),
    ("negative count", lambda d: d["questions"]["q2"]["counts"].update(politiker=-1), "ska vara 0–6"),
    ("single choice not adding up", lambda d: d["questions"]["q5"].update(ej_svar=3), "går inte ihop med 6 svarande"),
    ("unknown option", lambda d: d["questions"]["q2"]["counts"].update(kungen=1), "okänt svarsalternativ 'kungen'"),
    ("rank out of range", lambda d: d["ranking"]["q10"].update(basuppgifter=8), "ska vara 1–7"),
    ("count as text", lambda d: d["questions"]["q2"]["counts"].update(politiker="fem"), "ska vara ett heltal"),
]


@pytest.mark.parametrize("name, change, reason", BAD, ids=[b[0] for b in BAD])
def test_broken_county_files_are_refused(demo, name, change, reason):
    document = _document(demo)
    change(document)
    with pytest.raises(RefusedFile, match=reason):
        read_county_file(json.dumps(document).encode(), demo.forms, demo.register)


def test_unreadable_county_files_are_refused(demo):
    for data, reason in ((b"PK\x03\x04 trasig", "ingen Excel-fil"), (b"{", "inte giltig JSON"), (b"\xff\xfe", "varken Excel")):
        with pytest.raises(RefusedFile, match=reason):
            read_county_file(data, demo.forms, demo.register)


def test_export_county_writes_all_four_and_the_mail_carries_both_files(demo, tmp_path, capsys):
    save_settings(Settings(role="ledare", region=ÖG, name="Åsa Öberg", email="asa@example.se", skl_email="bou@skl.se"))
    db = str(demo.path)
    out = {kind: tmp_path / f"ls.{kind}" for kind in ("xlsx", "pdf", "json", "eml")}
    args = ["--db", db, "export", "county", "--region", "östergötland"]
    for kind, path in out.items():
        args += [f"--{kind}", str(path)]
    assert main(args) == 0, capsys.readouterr().err
    assert all(p.exists() for p in out.values())
    message = email.message_from_bytes(out["eml"].read_bytes(), policy=email.policy.default)
    assert message["X-Unsent"] == "1" and message["To"] == "bou@skl.se"
    assert message["Subject"] == "Länssammanställning Östergötland – kartläggning 2011"
    assert "Här kommer länssammanställningen för Östergötland" in message.get_body(("plain",)).get_content()
    attachments = {part.get_filename(): part.get_payload(decode=True) for part in message.iter_attachments()}
    assert set(attachments) == {"Länssammanställning Östergötland 2011.xlsx", "Länssammanställning Östergötland 2011.pdf"}
    assert attachments["Länssammanställning Östergötland 2011.pdf"].startswith(b"%PDF")
    county = read_county_file(attachments["Länssammanställning Östergötland 2011.xlsx"], demo.forms, demo.register)
    assert county.kommuner_svarat == 6
    # Nothing is overwritten without being asked.
    assert main(args) == 1
    assert "finns redan" in capsys.readouterr().err


def test_mail_needs_an_address(demo, tmp_path, capsys):
    assert main(["--db", str(demo.path), "export", "county", "--region", ÖG, "--eml", str(tmp_path / "x.eml")]) == 1
    assert "SKL:s e-postadress saknas" in capsys.readouterr().err


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_county_excel_opens_in_libreoffice(demo, tmp_path, screenshot_dir):
    from pypdf import PdfReader

    c = demo.compile(demo.round_for(), ÖG)
    path = tmp_path / "lan.xlsx"
    path.write_bytes(county_xlsx_bytes(c, demo.forms["lanssammanstallning"]))
    result = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(tmp_path / "lan.pdf").pages)
    assert "Östergötland" in text and "Antal kommuner som besvarat enkäten" in text
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(tmp_path / "lan.pdf"),
                        str(screenshot_dir / "county_xlsx")], check=True)
