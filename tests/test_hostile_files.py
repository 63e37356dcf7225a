"""Hostile and broken files: every importer answers with a clear Swedish message within seconds.

The promise: whatever file a user drops on the program (svarsfil as JSON or Excel, county file as JSON
or Excel, the national JSON), `import_file` returns a result, never raises, never hangs, and a refused
file leaves the database exactly as it was. Random files (hypothesis) and hand-made hostile ones.
"""

from __future__ import annotations

import copy
import io
import json
import os
import re
import signal
import socket
import struct
import time
import tracemalloc
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from datetime import time as time_of_day
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart
from openpyxl.worksheet.formula import ArrayFormula

from bou_desktop import core
from bou_desktop.demo import fill_demo
from bou_desktop.exchange.county_file import county_document, county_xlsx_bytes
from bou_desktop.exchange.importer import Outcome, import_file
from bou_desktop.exchange.national_file import (
    import_county_bytes,
    national_document,
    read_national_file,
    report_for,
    stored_county_files,
)
from bou_desktop.exchange.response_export import export_response_json, export_response_xlsx
from bou_desktop.exchange.svarsfil_json import MAX_TEXT
from bou_desktop.exchange.svarsfil_xlsx import TemplateInfo, build_workbook, name_for
from bou_desktop.survey.answers import ANSWER_MODES, Answers, check

BUDGET = 5.0  # seconds one import of a hostile file may take
HARD_LIMIT = 30  # a hang fails the test instead of hanging the suite
ÖG = "Östergötland"
# BOU_FUZZ_EXAMPLES=2000 for a longer search than the suite's quick one.
FUZZ = settings(max_examples=int(os.environ.get("BOU_FUZZ_EXAMPLES", "60")), deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

SVARSFIL = {
    "format": "bou-svarsfil",
    "format_version": 1,
    "form": "kommunenkat",
    "form_version": "2011",
    "round": 2011,
    "kommun": "0180",
    "kommun_namn": "Stockholm",
    "uuid": "6f1c5c2e-8d3a-4f43-9a39-1c2b7d1f0a11",
    "status": "klar",
    "svarssatt": "intervju",
    "datum": "2011-11-14",
    "intervjuare": "Eva Utvecklingsledare",
    "uppgiftslamnare": {"namn": "Åsa Öberg", "befattning": "IFO-chef"},
    "answers": {
        "q1": "ja",
        "q2": ["politiker", "annan"],
        "q5": "ja_i_viss_man",
        "q10": {"basuppgifter": 1, "resultat_hvb": 2},
    },
    "specify": {"q2": "Socialstyrelsen"},
    "comments": {"q1": "Redovisas i verksamhetsberättelsen."},
    "exported": "2011-11-15T10:00:00+01:00",
    "app_version": "0.1.0",
}


# ----------------------------------------------------------------------------- the valid files we start from
@dataclass(frozen=True, repr=False)  # no 100 kB reprs in hypothesis' reports
class Valid:
    svarsfil: dict
    svarsfil_xlsx: bytes
    county: dict
    county_xlsx: bytes
    national: dict


def cell_of(workbook, key):
    """The cell a defined name points at, as the import finds it."""
    sheet, coordinate = next(iter(workbook.defined_names[name_for(key)].destinations))
    return workbook[sheet][coordinate.replace("$", "")]


def workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def valid(tmp_path_factory) -> Valid:
    folder = tmp_path_factory.mktemp("valid")
    leader = core.open_store(folder / "leader.sqlite")
    try:
        fill_demo(leader)
        round_ = leader.round_for()
        leader.set_leader_text(round_, ÖG, "utvecklingsledare", "Åsa Öberg")
        leader.set_leader_text(round_, ÖG, "summary.q3", "Budget dominerar")
        leader.set_leader_text(round_, ÖG, "rank.basuppgifter", 1)
        leader.set_leader_text(round_, ÖG, "ranking_specify", "Kunskapsläget")
        compilation = leader.compile(round_, ÖG)
        county = county_document(compilation, exported_by="Åsa Öberg")
        county_xlsx = county_xlsx_bytes(compilation, leader.forms["lanssammanstallning"], exported_by="Åsa Öberg")
        template = build_workbook(TemplateInfo(leader.form_of(round_), 2011, "0580", "Linköping"))
    finally:
        leader.close()
    workbook = load_workbook(io.BytesIO(template))
    cell_of(workbook, "uppgiftslamnare.namn").value = "Åsa Öberg"
    cell_of(workbook, "q1.ja").value = "X"
    cell_of(workbook, "q2.annan").value = "x"
    cell_of(workbook, "q2.annan.ange").value = "Socialstyrelsen"
    cell_of(workbook, "q10.basuppgifter").value = 1
    cell_of(workbook, "q1.kommentar").value = "Redovisas i verksamhetsberättelsen."
    skl = core.open_store(folder / "skl.sqlite")
    try:
        import_county_bytes(skl, county_xlsx, "ÖG.xlsx")
        national = national_document(report_for(skl, skl.round_for()), exported_by="SKL")
    finally:
        skl.close()
    return Valid(copy.deepcopy(SVARSFIL), workbook_bytes(workbook), county, county_xlsx, national)


# ----------------------------------------------------------------------------- the checks every import passes
SWEDISH = re.compile(r"[åäöÅÄÖ]|\b(inte|ingen|inga|ska|okän[dt]|saknas|finns|filen|fältet|tom|mapp|för|är|har|och|"
                     r"klar|utkast|samma|stöds|av|kommuner|riksrapport)\b")
NOT_FOR_USERS = ("Traceback", "object has no attribute", "unhashable", "not subscriptable", "is not iterable",
                 "invalid literal", "codec can't", "Expecting value", "NoneType", "<openpyxl")


class Hung(BaseException):
    """Not an Exception, so that no reader's `except Exception` can turn a hang into a refusal."""


@contextmanager
def hard_limit(seconds: int = HARD_LIMIT):
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def on_alarm(signum, frame):
        raise Hung(f"the import still ran after {seconds} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def tables(store) -> dict:
    """store.snapshot() and the county and national files (which it leaves out)."""
    snapshot = store.snapshot()
    for table in ("county_files", "national_files"):
        snapshot[table] = [tuple(r.values()) for r in store.db.query(f"SELECT * FROM {table} ORDER BY 1, 2")]
    return snapshot


def assert_store_holds_only_valid_content(store) -> None:
    """What an accepted file left in the database reads back through the program's own checks."""
    round_ = store.round_for()
    form = store.form_of(round_)
    for record in store.responses(round_):
        assert all(isinstance(v, str) and len(v) <= MAX_TEXT for v in record.fields.values()), record.kommun
        assert check(form, Answers.from_fields(form, record.fields)) == [], record.fields
        for value in (record.svarssatt, record.datum, record.intervjuare):
            assert value is None or (isinstance(value, str) and len(value) <= MAX_TEXT)
    stored_county_files(store, round_)  # raises RefusedFile when a stored county file is not valid
    national = store.national_document(round_)
    if national is not None:
        read_national_file(json.dumps(national[0]).encode(), store.forms, {r.name for r in store.register.regions})


def imports(store, path: Path, *, may_succeed: bool = False):
    """Import one file: a result within BUDGET, a Swedish message, and nothing changed when refused."""
    before = tables(store)
    start = time.monotonic()
    with hard_limit():
        result = import_file(store, path)
    elapsed = time.monotonic() - start
    assert elapsed < BUDGET, f"{path.name}: the import took {elapsed:.1f} s"
    assert isinstance(result.outcome, Outcome)
    message = result.message
    assert isinstance(message, str) and message.strip(), result
    assert SWEDISH.search(message), message
    assert not any(words in message for words in NOT_FOR_USERS), message
    if result.outcome is not Outcome.IMPORTED:  # refused, unchanged or a conflict: nothing written
        assert tables(store) == before, f"{result.outcome.value} but the database changed: {message}"
    if result.outcome is not Outcome.REFUSED:
        assert may_succeed, f"a hostile file was accepted: {result.outcome.value}: {message}"
        assert_store_holds_only_valid_content(store)
    return result


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def json_bytes(document) -> bytes:
    return json.dumps(document, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass")


def test_the_valid_files_import(store, valid, tmp_path):
    """The starting points of the mutations are valid: what breaks them is the mutation."""
    for name, data in [("svar.json", json_bytes(valid.svarsfil)), ("svar.xlsx", valid.svarsfil_xlsx),
                       ("lan.json", json_bytes(valid.county)), ("riks.json", json_bytes(valid.national))]:
        assert imports(store, write(tmp_path / name, data), may_succeed=True).outcome is Outcome.IMPORTED, name
    fresh = core.open_store(tmp_path / "fresh.sqlite")
    try:
        assert imports(fresh, write(tmp_path / "lan.xlsx", valid.county_xlsx), may_succeed=True).outcome is Outcome.IMPORTED
    finally:
        fresh.close()


# ----------------------------------------------------------------------------- hypothesis: random files
ROUTES = [b"", b"PK\x03\x04", b"PK\x05\x06", b"{", b"[", b'{"format": "bou-lanssammanstallning", ',
          b'{"format": "bou-riksrapport", ', b'{"format": "bou-svarsfil", "format_version": 1, ', b"\xef\xbb\xbf{"]


@FUZZ
@given(prefix=st.sampled_from(ROUTES), body=st.binary(max_size=2_000),
       suffix=st.sampled_from([".xlsx", ".json", ".xlsm", ".txt", ""]))
def test_random_bytes_are_refused(store, tmp_path, prefix, body, suffix):
    imports(store, write(tmp_path / f"slump{suffix}", prefix + body))


INTERESTING_TEXT = st.sampled_from([
    "", " ", "2011", "0580", " 0580 ", "kommunenkat", "bou-svarsfil", "bou-lanssammanstallning", "bou-riksrapport",
    "ja", "nej", "X", "q1", "q10", "klar", "utkast", "intervju", ÖG, "=1+1", "=cmd|' /C calc'!A0", "\x00", "\x07\x1b",
    "\u202e", "\ufeff", "\ud800", "\udfff", "Åsa Öberg",
]) | st.builds(lambda: "x" * 30_000)  # longer than any text field may be
SCALARS = (st.none() | st.booleans() | st.integers() | st.integers(-3, 3000) | st.floats()
           | st.text(max_size=20) | INTERESTING_TEXT)
JSON = st.recursive(SCALARS, lambda children: st.lists(children, max_size=4)
                    | st.dictionaries(st.text(max_size=8) | INTERESTING_TEXT, children, max_size=4), max_leaves=12)


@FUZZ
@given(value=JSON, marker=st.sampled_from([None, "bou-svarsfil", "bou-lanssammanstallning", "bou-riksrapport"]),
       ascii_only=st.booleans())
def test_random_json_is_refused(store, tmp_path, value, marker, ascii_only):
    if marker is not None:
        value = {"format": marker, "format_version": 1, **(value if isinstance(value, dict) else {"x": value})}
    data = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    imports(store, write(tmp_path / "slump.json", data))


def paths_of(document, prefix=(), depth=4):
    """Every place in a document a value sits: ("answers", "q2", 0) and so on (of a list, its first two)."""
    items = document.items() if isinstance(document, dict) else enumerate(document[:2]) if isinstance(document, list) else ()
    for key, value in items:
        yield (*prefix, key)
        if depth > 1:
            yield from paths_of(value, (*prefix, key), depth - 1)


_DELETE = object()


def replaced(document, path, value):
    document = copy.deepcopy(document)
    target = document
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return document


def _number(v) -> bool:
    return not isinstance(v, bool) and isinstance(v, int | float) and v == v and abs(v) != float("inf")


def may_accept(kind: str, field: str, v, register, original: dict) -> bool:
    """Whether a document whose top-level `field` was replaced by `v` can still be a valid file."""
    if kind == "svarsfil":
        rules = {
            "format": lambda: v == "bou-svarsfil",
            "format_version": lambda: type(v) is int and v in (1, 2),  # 2: the version with every question type
            "form": lambda: v == "kommunenkat",
            "form_version": lambda: v == "2011",
            "round": lambda: type(v) is int and v == 2011,
            "kommun": lambda: isinstance(v, str) and any(m.code == v.strip() for m in register.municipalities),
            "uuid": lambda: v is None or isinstance(v, str),
            "status": lambda: v is None or v in ("", "utkast", "importerad", "klar"),  # null or "": no status
            "svarssatt": lambda: v is None or (isinstance(v, str) and v in ANSWER_MODES),
            "datum": lambda: not v or isinstance(v, str),
            "intervjuare": lambda: not v or isinstance(v, str),
            "uppgiftslamnare": lambda: isinstance(v, dict),
            "answers": lambda: isinstance(v, dict),
            "specify": lambda: isinstance(v, dict),
            "comments": lambda: isinstance(v, dict),
        }
    elif kind == "county":
        region = register.find_region(v) if isinstance(v, str) else None
        rules = {
            "format": lambda: v == "bou-lanssammanstallning",
            "format_version": lambda: type(v) is int and v == 1,
            "form": lambda: v == "kommunenkat",
            "form_version": lambda: str(v) == "2011",
            "round": lambda: _number(v) and v == 2011,
            "region": lambda: region is not None and region.expected_count == original["kommuner_totalt"],
            "kommuner_totalt": lambda: _number(v) and v == original["kommuner_totalt"],
            "kommuner_svarat": lambda: _number(v) and v == original["kommuner_svarat"],
            "utvecklingsledare": lambda: v is None or isinstance(v, str),
            "ovriga_synpunkter": lambda: v is None or isinstance(v, str),
            "questions": lambda: not v or isinstance(v, dict),
            "ranking": lambda: not v or isinstance(v, dict),
            "specify": lambda: not isinstance(v, dict) or v.get("q10") is None or isinstance(v.get("q10"), str),
        }
    else:
        names = {r.name for r in register.regions}
        rules = {
            "format": lambda: v == "bou-riksrapport",
            "format_version": lambda: type(v) is int and v == 1,
            "form": lambda: v == "kommunenkat",
            "round": lambda: v is None or (_number(v) and v == 2011),  # None: the latest round
            "regions": lambda: isinstance(v, list) and all(
                isinstance(e, dict) and isinstance(e.get("region"), str) and e["region"] in names for e in v),
            "totalt": lambda: isinstance(v, dict),
            "questions": lambda: isinstance(v, dict),
        }
    rule = rules.get(field)
    return True if rule is None else bool(rule())


def _documents(valid: Valid) -> dict[str, dict]:
    return {"svarsfil": valid.svarsfil, "county": valid.county, "national": valid.national}


@FUZZ
@given(data=st.data())
def test_a_valid_document_with_one_value_replaced(store, valid, tmp_path, data):
    kind = data.draw(st.sampled_from(["svarsfil", "county", "national"]), label="kind")
    original = _documents(valid)[kind]
    path = data.draw(st.sampled_from(sorted(paths_of(original), key=repr)), label="path")
    value = data.draw(JSON | st.just(_DELETE), label="value")
    document = replaced(original, path, value)
    result = imports(store, write(tmp_path / f"{kind}.json", json_bytes(document)), may_succeed=True)
    if result.outcome is not Outcome.REFUSED and len(path) == 1:
        assert value is _DELETE or may_accept(kind, path[0], value, store.register, original), (path, value)


# ----------------------------------------------------------------------------- hypothesis: damaged Excel files
def mutate(data: bytes, mutations) -> bytes:
    out = bytearray(data)
    for op, where, payload in mutations:
        position = int(where * len(out))
        if op == "flip":
            if out:
                out[min(position, len(out) - 1)] ^= payload[0] or 0xFF
        elif op == "truncate":
            del out[position:]
        elif op == "insert":
            out[position:position] = payload
        elif op == "delete":
            del out[position:position + len(payload)]
        else:
            out[position:position + len(payload)] = payload
    return bytes(out)


MUTATIONS = st.lists(st.tuples(st.sampled_from(["flip", "flip", "flip", "truncate", "insert", "delete", "overwrite"]),
                               st.floats(0, 1), st.binary(min_size=1, max_size=8)), min_size=1, max_size=4)


@FUZZ
@given(which=st.sampled_from(["svarsfil_xlsx", "county_xlsx"]), mutations=MUTATIONS)
def test_damaged_excel_files(store, valid, tmp_path, which, mutations):
    imports(store, write(tmp_path / "skadad.xlsx", mutate(getattr(valid, which), mutations)), may_succeed=True)


def rezip(data: bytes, *, change: dict | None = None, add: dict | None = None) -> bytes:
    """The same workbook with some parts changed (a function of the old bytes) or added."""
    change, add = change or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            target.writestr(name, change[name](content) if name in change else content)
        for name, content in add.items():
            target.writestr(name, content)
    return out.getvalue()


@FUZZ
@given(which=st.sampled_from(["svarsfil_xlsx", "county_xlsx"]), data=st.data())
def test_excel_files_with_damaged_xml(store, valid, tmp_path, which, data):
    """A well-formed zip whose parts are damaged: what openpyxl's XML reading makes of it."""
    source = getattr(valid, which)
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        names = sorted(archive.namelist())
    part = data.draw(st.sampled_from(names), label="part")
    mutations = data.draw(MUTATIONS, label="mutations")
    damaged = rezip(source, change={part: lambda content: mutate(content, mutations)})
    imports(store, write(tmp_path / "skadad.xlsx", damaged), may_succeed=True)


# ----------------------------------------------------------------------------- hand-made: zips
def test_truncated_zips(store, valid, tmp_path):
    for which in ("svarsfil_xlsx", "county_xlsx"):
        data = getattr(valid, which)
        for cut in (2, 4, 30, 100, 3_000, len(data) // 2, len(data) - 100, len(data) - 22, len(data) - 1):
            result = imports(store, write(tmp_path / f"avklippt {cut}.xlsx", data[:cut]))
            assert "Excel" in result.message or "zip" in result.message, result.message


def zeros_member(archive: zipfile.ZipFile, name: str, megabytes: int) -> None:
    zeros = bytes(1_000_000)
    with archive.open(name, "w", force_zip64=True) as member:
        for _ in range(megabytes):
            member.write(zeros)


@pytest.fixture(scope="module")
def bombs(valid) -> dict[str, bytes]:
    """200 MB of zeros, deflated to a few hundred kilobytes, where each reader looks first."""

    def bomb(source: bytes, name: str) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(source)) as template, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for member in template.namelist():
                if member != name:
                    archive.writestr(member, template.read(member))
            zeros_member(archive, name, 200)
        return out.getvalue()

    return {
        "sheet of a svarsfil": bomb(valid.svarsfil_xlsx, "xl/worksheets/sheet1.xml"),
        "workbook part": bomb(valid.svarsfil_xlsx, "xl/workbook.xml"),
        "data sheet of a county file": bomb(valid.county_xlsx, "xl/worksheets/sheet2.xml"),
        "extra part of a county file": bomb(valid.county_xlsx, "xl/media/image1.png"),
    }


@pytest.mark.parametrize("where", ["sheet of a svarsfil", "workbook part", "data sheet of a county file",
                                   "extra part of a county file"])
def test_a_zip_bomb_is_refused_without_inflating_it(store, tmp_path, bombs, where):
    data = bombs[where]
    assert len(data) < 1_000_000
    tracemalloc.start()
    try:
        result = imports(store, write(tmp_path / "bomb.xlsx", data))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "för stor" in result.message, result.message
    assert peak < 30_000_000, f"{peak // 1_000_000} MB used: the bomb was inflated"


def test_a_zip_with_too_many_members(store, valid, tmp_path):
    data = rezip(valid.svarsfil_xlsx, add={f"xl/media/bild{i}.png": b"" for i in range(1_500)})
    assert "för stor" in imports(store, write(tmp_path / "manga.xlsx", data)).message


def _sheet_with_rows(source: bytes, sheet: str, rows) -> bytes:
    """A workbook whose sheet keeps its own rows and gets `rows` (an iterable of XML bytes) after them,
    written as a stream so that a million rows are cheap to make."""
    with zipfile.ZipFile(io.BytesIO(source)) as template:
        xml = re.sub(rb"<dimension [^>]*>", b"", template.read(sheet))  # a hostile file needs not declare its size
        end = xml.index(b"</sheetData>")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in template.namelist():
                if name != sheet:
                    archive.writestr(name, template.read(name))
            with archive.open(sheet, "w", force_zip64=True) as member:
                member.write(xml[:end])
                for chunk in rows:
                    member.write(chunk)
                member.write(xml[end:])
    return out.getvalue()


def _rows(first: int, last: int, row: bytes, batch: int = 20_000):
    for start in range(first, last + 1, batch):
        yield b"".join(row % {b"r": n} for n in range(start, min(last + 1, start + batch)))


MANY_ROWS = {
    "a million empty rows": (b'<row r="%(r)d"/>', 1_000_000),
    "a million rows with a cell": (b'<row r="%(r)d"><c r="D%(r)d" t="inlineStr"><is><t>x</t></is></c></row>', 1_000_000),
    "2 000 rows of 400 cells": (b'<row r="%(r)d">' + b'<c t="n"><v>1</v></c>' * 400 + b"</row>", 2_000),
    "a row of 16 384 cells, 40 times": (b'<row r="%(r)d">' + b'<c t="n"><v>1</v></c>' * 16_384 + b"</row>", 40),
}


@pytest.mark.parametrize("which, sheet", [("svarsfil_xlsx", "xl/worksheets/sheet1.xml"),
                                          ("county_xlsx", "xl/worksheets/sheet2.xml")], ids=["svarsfil", "county"])
@pytest.mark.parametrize("shape", MANY_ROWS)
def test_a_huge_sheet_is_refused_before_it_is_loaded(store, valid, tmp_path, which, sheet, shape):
    row, count = MANY_ROWS[shape]
    data = _sheet_with_rows(getattr(valid, which), sheet, _rows(2_000, 2_000 + count - 1, row))
    assert len(data) < 20_000_000  # cheap to make and to send: only its inside is huge
    result = imports(store, write(tmp_path / "stor.xlsx", data))
    assert re.search(r"för stor|rader|celler", result.message), result.message


def test_a_svarsfil_with_thousands_of_formatted_empty_rows_is_still_read(store, valid, tmp_path):
    """Excel writes an empty row for every row a user formats; 5 000 of them are no reason to refuse."""
    formatted = b'<row r="%(r)d" s="1" customFormat="1" ht="15" customHeight="1"/>'
    data = _sheet_with_rows(valid.svarsfil_xlsx, "xl/worksheets/sheet1.xml", _rows(2_000, 6_999, formatted))
    result = imports(store, write(tmp_path / "formaterad.xlsx", data), may_succeed=True)
    assert result.outcome is Outcome.IMPORTED, result.message
    too_many = _sheet_with_rows(valid.svarsfil_xlsx, "xl/worksheets/sheet1.xml", _rows(2_000, 22_000, formatted))
    result = imports(store, write(tmp_path / "for-manga.xlsx", too_many))
    assert "ett blad i filen har över 20\u00a0000 rader; en svarsfil har färre" in result.message, result.message


# ----------------------------------------------------------------------------- hand-made: JSON
WRONG_TYPES = ["2011", 2011, 20.11, True, False, None, [], {}, ["2011"], {"a": 1}, "", float("nan"), float("inf"),
               "x" * 1_000, -1, 10**30]


@pytest.mark.parametrize("kind", ["svarsfil", "county", "national"])
def test_wrong_types_in_every_field(store, valid, tmp_path, kind):
    original = _documents(valid)[kind]
    accepted = []
    for path in paths_of(original, depth=3):
        for value in WRONG_TYPES:
            document = replaced(original, path, value)
            result = imports(store, write(tmp_path / f"fel typ {kind}.json", json_bytes(document)), may_succeed=True)
            if result.outcome is not Outcome.REFUSED:
                accepted.append((path, value))
                if len(path) == 1:
                    assert may_accept(kind, path[0], value, store.register, original), (path, value, result.message)
    assert accepted  # some fields are free (exported, app_version): the loop did import


@pytest.mark.parametrize("kind, path, value, reason", [
    ("svarsfil", ("round",), "2011", "fältet round ska vara ett årtal"),
    ("svarsfil", ("answers", "q1"), 1, "answers.q1"),
    ("svarsfil", ("answers", "q2"), 2, "answers.q2: ska vara en lista"),
    ("svarsfil", ("answers", "q10"), [1, 2], "fältet answers.q10 ska vara ett objekt"),
    ("svarsfil", ("uuid",), ["6f1c5c2e"], "fältet uuid ska vara text"),
    ("svarsfil", ("comments", "q1"), 7, "fältet comments.q1 ska vara text"),
    ("svarsfil", ("svarssatt",), ["intervju"], "fältet svarssatt"),
    ("county", ("round",), "2011", "fältet round ska vara ett heltal"),
    ("county", ("questions", "q1", "counts", "ja"), "3", "questions.q1.counts.ja ska vara ett heltal"),
    ("county", ("kommuner_svarat",), "6", "fältet kommuner_svarat ska vara ett heltal"),
    ("county", ("round",), float("inf"), "fältet round ska vara ett heltal"),
    ("county", ("round",), float("nan"), "fältet round ska vara ett heltal"),
    ("county", ("form",), ["kommunenkat"], "okänt formulär"),
    ("national", ("form",), ["kommunenkat"], "okänt formulär"),
    ("national", ("questions", "q1", "options", "ja", "procent"), "50", "procent ska vara 0–100"),
    ("national", ("regions",), 24, "regions"),
    ("national", ("regions",), None, "regions"),
    ("national", ("regions",), [{"region": ["Skåne"]}], "regions"),
    ("national", ("totalt",), [], "totalt"),
])
def test_named_wrong_types_are_refused_naming_the_field(store, valid, tmp_path, kind, path, value, reason):
    document = replaced(_documents(valid)[kind], path, value)
    result = imports(store, write(tmp_path / "fel.json", json_bytes(document)))
    assert reason in result.message, result.message


@pytest.mark.parametrize("kind", ["svarsfil", "county", "national"])
def test_a_number_with_5000_digits(store, valid, tmp_path, kind):
    """Python refuses to read integers longer than 4 300 digits with a plain ValueError."""
    field = {"svarsfil": "round", "county": "kommuner_totalt", "national": "round"}[kind]
    text = json.dumps(replaced(_documents(valid)[kind], (field,), 123456789))
    imports(store, write(tmp_path / "siffror.json", text.replace("123456789", "9" * 5_000).encode()))


@pytest.mark.parametrize("kind, path", [
    ("svarsfil", ("comments", "q1")), ("svarsfil", ("uppgiftslamnare", "namn")), ("svarsfil", ("specify", "q2")),
    ("svarsfil", ("datum",)), ("svarsfil", ("uuid",)), ("svarsfil", ("form",)), ("svarsfil", ("kommun",)),
    ("svarsfil", ("extra_field",)),
    ("county", ("questions", "q3", "summary")), ("county", ("ovriga_synpunkter",)), ("county", ("region",)),
    ("county", ("utvecklingsledare",)), ("county", ("form",)),
    ("national", ("form",)), ("national", ("round",)),
])
def test_a_megabyte_of_text_is_refused_not_stored(store, valid, tmp_path, kind, path):
    text = "Långt svar " + "x" * 1_000_000
    result = imports(store, write(tmp_path / "lång.json", json_bytes(replaced(_documents(valid)[kind], path, text))))
    assert re.search(r"för lång|okän[dt]|stämmer inte|finns inte|ska vara", result.message), result.message


STORED_AS_IS = ()  # was a known gap; fixed: only the checked content of county and national files is stored


@pytest.mark.parametrize("kind, path", [("svarsfil", ("kommun_namn",)), ("svarsfil", ("exported",)),
                                        pytest.param("county", ("exported_by",), marks=STORED_AS_IS),
                                        pytest.param("county", ("x_okänt_fält",), marks=STORED_AS_IS),
                                        pytest.param("national", ("exported_by",), marks=STORED_AS_IS)])
def test_a_megabyte_of_text_in_a_free_field_is_never_stored(store, valid, tmp_path, kind, path):
    """Fields the reader does not use may be accepted, but a megabyte of text must not end up in the database."""
    result = imports(store, write(tmp_path / "lång.json", json_bytes(replaced(_documents(valid)[kind], path, "x" * 1_000_000))),
                     may_succeed=True)
    stored = repr(tables(store))
    assert "x" * MAX_TEXT not in stored, f"{result.outcome.value}: {result.message}"


@pytest.mark.parametrize("kind, path", [("svarsfil", ("form",)), ("svarsfil", ("kommun",)), ("svarsfil", ("format_version",)),
                                        ("county", ("format_version",)), ("national", ("round",))])
def test_a_refusal_quoting_a_huge_value_stays_short(store, valid, tmp_path, kind, path):
    document = replaced(_documents(valid)[kind], path, "x" * 1_000_000)
    result = imports(store, write(tmp_path / "lång.json", json_bytes(document)))
    assert len(result.message) < 1_000, f"a message of {len(result.message)} characters"


CONTROL_TEXTS = ["Rad ett\x00\x07\x1b slut", "tab\toch\r\nradbrytning", "\u202eövänt", "\ufeffBOM", "\x7f\x85\x9f",
                 "ensam surrogat \ud800 här", "\udfff"]


@pytest.mark.parametrize("text", CONTROL_TEXTS, ids=range(len(CONTROL_TEXTS)))
def test_control_characters_in_json_texts(store, valid, tmp_path, text):
    """Refused, or stored as they are and exported again without a crash."""
    svarsfil_cases = [("0580", ("comments", "q1"), "q1.kommentar"), ("0581", ("uppgiftslamnare", "namn"), "uppgiftslamnare.namn"),
                      ("1280", ("intervjuare",), None)]
    for kommun, path, field in svarsfil_cases:
        document = replaced({**valid.svarsfil, "kommun": kommun, "uuid": None}, path, text)
        result = imports(store, write(tmp_path / "kontroll.json", json.dumps(document).encode()), may_succeed=True)
        if result.outcome is Outcome.IMPORTED:
            round_ = store.round_for()
            record = store.response(round_, kommun)
            assert (record.fields[field] if field else record.intervjuare) == text.strip(), path
            export_response_json(store, round_, kommun, tmp_path / "ut.json", overwrite=True)
            export_response_xlsx(store, round_, kommun, tmp_path / "ut.xlsx", overwrite=True)
    for kind, path in [("county", ("questions", "q3", "summary")), ("county", ("exported_by",)),
                       ("national", ("exported_by",))]:
        document = replaced(_documents(valid)[kind], path, text)
        imports(store, write(tmp_path / "kontroll.json", json.dumps(document).encode()), may_succeed=True)


@pytest.mark.parametrize("kind", ["svarsfil", "county", "national"])
@pytest.mark.parametrize("depth", [100_000, 5_000, 990, 900, 500])
def test_deeply_nested_json(store, valid, tmp_path, kind, depth):
    free_field = {"svarsfil": "kommun_namn", "county": "utkast", "national": "exported_by"}[kind]
    text = json.dumps(replaced(_documents(valid)[kind], (free_field,), "DEEP"))
    deep = "[" * depth + "]" * depth
    imports(store, write(tmp_path / "djup.json", text.replace('"DEEP"', deep).encode()), may_succeed=depth < 1_000)
    imports(store, write(tmp_path / "djup2.json", ("[" * depth + "]" * depth).encode()))
    imports(store, write(tmp_path / "djup3.json", ('{"a": ' * depth + "1" + "}" * depth).encode()))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "cp1252"])
def test_a_json_file_in_another_encoding(store, valid, tmp_path, encoding):
    for kind in ("svarsfil", "county", "national"):
        text = json.dumps(_documents(valid)[kind], ensure_ascii=False)
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            continue
        result = imports(store, write(tmp_path / f"{kind} {encoding}.json", data))
        assert "UTF-8" in result.message or "JSON" in result.message, result.message


@pytest.mark.parametrize("name", ["tom.json", "tom.xlsx", "tom", "tom.txt"])
@pytest.mark.parametrize("content", [b"", b" \n\t\r\n", b"\xef\xbb\xbf"])
def test_an_empty_file(store, tmp_path, name, content):
    result = imports(store, write(tmp_path / name, content))
    assert re.search(r"tom|JSON|Excel", result.message), result.message


@pytest.mark.parametrize("name, head, size", [
    ("stor.json", b'{"format": "bou-svarsfil", "x": "', 6_000_000),
    ("stor lan.json", b'{"format": "bou-lanssammanstallning", "x": "', 6_000_000),
    ("stor riks.json", b'{"format": "bou-riksrapport", "x": "', 21_000_000),
    ("jätte.xlsx", b"PK\x03\x04", 60_000_000),
])
def test_a_big_file_is_refused_before_it_is_parsed(store, tmp_path, name, head, size):
    path = tmp_path / name
    with path.open("wb") as handle:  # sparse: big on paper, cheap to make
        handle.write(head)
        handle.truncate(size)
    assert "för stor" in imports(store, path).message


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4_000)


@pytest.mark.parametrize("name", ["lösenord.xlsx", "gammal.xls", "gammal.json", "utan ändelse"])
def test_an_old_xls_or_a_password_protected_workbook(store, tmp_path, name):
    """Both are OLE2 containers, not zip files: Excel saves a password-protected .xlsx that way."""
    imports(store, write(tmp_path / name, OLE2))


def test_a_folder_and_a_missing_file(store, tmp_path):
    folder = tmp_path / "en mapp.json"
    folder.mkdir()
    assert "mapp" in imports(store, folder).message
    assert "finns inte" in imports(store, tmp_path / "saknas.json").message


@pytest.mark.parametrize("name", ["Svar från Åre kommun – 2011 (kopia).json", "Enkät 2011 0580 Linköping.xlsx",
                                  "  mellanslag  .json", "ÅÄÖ åäö é ü.xlsx", "A\u030are kommun.json"])
def test_a_file_name_with_swedish_letters_and_spaces(store, valid, tmp_path, name):
    data = valid.svarsfil_xlsx if name.endswith(".xlsx") else json_bytes(valid.svarsfil)
    path = write(tmp_path / name, data)
    result = imports(store, path, may_succeed=True)
    assert result.outcome is Outcome.IMPORTED, result.message
    assert result.path.name == name and result.line().startswith(f"{name}: importerad: ")
    assert {e.detail for e in store.audit_log()} == {name}


# ----------------------------------------------------------------------------- hand-made: Excel content
def _svarsfil_with(valid: Valid, **cells) -> bytes:
    workbook = load_workbook(io.BytesIO(valid.svarsfil_xlsx))
    for key, value in cells.items():
        cell_of(workbook, key.replace("__", ".")).value = value
    return workbook_bytes(workbook)


FORMULAS = ["=1+1", '=HYPERLINK("http://evil.example/x","Klicka")', "=cmd|' /C calc'!A0", "=WEBSERVICE(\"http://x\")",
            "=[1]Blad1!A1", "@SUM(1+1)*cmd|' /C calc'!A0"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_a_formula_in_a_text_cell_is_stored_as_its_literal_text(store, valid, tmp_path, formula):
    data = _svarsfil_with(valid, q1__kommentar=formula)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" in archive.read("xl/worksheets/sheet1.xml") or formula.startswith("@")  # a real formula cell
    result = imports(store, write(tmp_path / "formel.xlsx", data), may_succeed=True)
    if result.outcome is not Outcome.REFUSED:
        assert store.response(store.round_for(), "0580").fields["q1.kommentar"] == formula


@pytest.mark.parametrize("formula", FORMULAS)
def test_a_formula_in_a_tick_or_rank_cell_is_refused(store, valid, tmp_path, formula):
    for key in ("q2__politiker", "q10__resultat_hvb"):
        result = imports(store, write(tmp_path / "formel.xlsx", _svarsfil_with(valid, **{key: formula})))
        assert "rutan innehåller" in result.message or "rangen ska vara" in result.message, result.message


def test_an_array_formula_is_stored_as_its_text(store, valid, tmp_path):
    workbook = load_workbook(io.BytesIO(valid.svarsfil_xlsx))
    cell = cell_of(workbook, "q1.kommentar")
    cell.value = ArrayFormula(cell.coordinate, "=1+1")
    result = imports(store, write(tmp_path / "matris.xlsx", workbook_bytes(workbook)), may_succeed=True)
    if result.outcome is not Outcome.REFUSED:
        assert store.response(store.round_for(), "0580").fields["q1.kommentar"] == "=1+1"


@pytest.mark.parametrize("value", ["inf", "Infinity", "-inf", "1e400", "nan", "1,5", "0", "8", "  ", "1e-400"])
def test_odd_numbers_in_a_rank_cell(store, valid, tmp_path, value):
    result = imports(store, write(tmp_path / "rang.xlsx", _svarsfil_with(valid, q10__resultat_hvb=value)),
                     may_succeed=value.strip() == "")
    if result.outcome is Outcome.REFUSED:
        assert "rangen ska vara ett heltal 1–7" in result.message, result.message


@pytest.mark.parametrize("key", ["format", "format_version", "form", "form_version", "round", "kommun", "uuid", "status"])
def test_odd_values_in_the_hidden_sheet(store, valid, tmp_path, key):
    for value in (datetime(2011, 11, 14), True, "=1+1", 2011.5, -1, "x" * 40_000, " ", None):
        workbook = load_workbook(io.BytesIO(valid.svarsfil_xlsx))
        for row in workbook["bou"].iter_rows(max_col=2):
            if row[0].value == key:
                row[1].value = value
        # Still valid: kommun empty (the Kommun cell says), uuid any short text, status empty (utkast), and
        # format_version True (== 1 in Python; see the report).
        still_valid = ((key == "kommun" and value in (" ", None)) or (key == "uuid" and value != "x" * 40_000)
                       or (key == "status" and value is None) or (key == "format_version" and value is True))
        imports(store, write(tmp_path / "meta.xlsx", workbook_bytes(workbook)), may_succeed=still_valid)


def test_a_megabyte_in_an_excel_comment_cell(store, valid, tmp_path):
    result = imports(store, write(tmp_path / "lång.xlsx", _svarsfil_with(valid, q1__kommentar="x" * 1_000_000)))
    assert "för lång" in result.message


@pytest.mark.parametrize("escaped", ["_x0007_", "_x0000_", "_xD800_", "_xFFFE_", "_x001B_[31m"])
def test_control_characters_escaped_in_excel_xml(store, valid, tmp_path, escaped):
    data = _svarsfil_with(valid, q1__kommentar="MARKER")
    data = rezip(data, change={"xl/worksheets/sheet1.xml": lambda xml: xml.replace(b"MARKER", f"a{escaped}b".encode())})
    result = imports(store, write(tmp_path / "kontroll.xlsx", data), may_succeed=True)
    if result.outcome is not Outcome.REFUSED:
        round_ = store.round_for()
        export_response_json(store, round_, "0580", tmp_path / "ut.json", overwrite=True)
        export_response_xlsx(store, round_, "0580", tmp_path / "ut.xlsx", overwrite=True)


def test_a_raw_control_character_in_excel_xml(store, valid, tmp_path):
    data = _svarsfil_with(valid, q1__kommentar="MARKER")
    data = rezip(data, change={"xl/worksheets/sheet1.xml": lambda xml: xml.replace(b"MARKER", b"a\x01\x00b")})
    imports(store, write(tmp_path / "kontroll.xlsx", data))


@pytest.mark.parametrize("target", ["'Enkät'!$A:$A", "'Enkät'!$A$1:$XFD$1048576", "'Enkät'!$B$1:$B$1048576",
                                    "'Enkät'!$1:$1048576", "#REF!", "'Enkät'!#REF!", "1+1", "[1]Blad1!$A$1",
                                    "'Enkät'!$XFD$1048576", "'Enkät'!$B$15,'Enkät'!$B$16", "'Annat'!$B$15",
                                    "'Enkät", "WEnkät'!$B$16", "'Enkät'!$B$9999999", "'Enkät'!$B$0"])
def test_a_defined_name_pointing_anywhere(store, valid, tmp_path, target):
    """The answer cells are found by defined names: a hostile name points at a whole sheet."""
    workbook = load_workbook(io.BytesIO(valid.svarsfil_xlsx))
    workbook.defined_names[name_for("q1.nej")].attr_text = target
    imports(store, write(tmp_path / "namn.xlsx", workbook_bytes(workbook)), may_succeed=True)


EXTERNAL_LINK = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                 b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                 b'<externalBook r:id="rId1"><sheetNames><sheetName val="Blad1"/></sheetNames>'
                 b'<sheetDataSet><sheetData sheetId="0"><row r="1"><cell r="A1" t="str"><v>X</v></cell></row>'
                 b"</sheetData></sheetDataSet></externalBook></externalLink>")
EXTERNAL_RELS = (b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                 b'externalLinkPath" Target="http://evil.example/bou/stjal.xlsx" TargetMode="External"/></Relationships>')


def _with_external_link(data: bytes) -> bytes:
    link = (b'<Relationship Id="rIdExt1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'externalLink" Target="externalLinks/externalLink1.xml"/></Relationships>')
    content_type = (b'<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>')
    return rezip(data, change={
        "xl/workbook.xml": lambda xml: xml.replace(
            # the prefix declared where it is used: lxml (python-docx's, so openpyxl's parser too) insists on it
            b"</sheets>", b'</sheets><externalReferences><externalReference xmlns:r="http://schemas.openxmlformats.org/'
                          b'officeDocument/2006/relationships" r:id="rIdExt1"/></externalReferences>'),
        "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(b"</Relationships>", link),
        "[Content_Types].xml": lambda xml: xml.replace(b"</Types>", content_type),
    }, add={"xl/externalLinks/externalLink1.xml": EXTERNAL_LINK,
            "xl/externalLinks/_rels/externalLink1.xml.rels": EXTERNAL_RELS})


@pytest.fixture
def no_network(monkeypatch):
    """Every attempt to reach the network is recorded (and fails)."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


@pytest.mark.parametrize("which", ["svarsfil_xlsx", "county_xlsx"])
def test_an_external_link_is_never_followed(store, valid, tmp_path, which, no_network):
    data = _with_external_link(getattr(valid, which))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        workbook = load_workbook(io.BytesIO(data), keep_links=True)  # the link is real: openpyxl sees it when asked
        assert workbook._external_links and "externalLink1.xml" in " ".join(archive.namelist())
    if which == "svarsfil_xlsx":
        workbook = load_workbook(io.BytesIO(data), keep_links=True)
        cell_of(workbook, "q1.kommentar").value = "=[1]Blad1!A1"
        data = workbook_bytes(workbook)
    result = imports(store, write(tmp_path / "länk.xlsx", data), may_succeed=True)
    assert no_network == []
    if which == "svarsfil_xlsx" and result.outcome is not Outcome.REFUSED:
        assert store.response(store.round_for(), "0580").fields["q1.kommentar"] == "=[1]Blad1!A1"


@pytest.mark.parametrize("which", ["svarsfil_xlsx", "county_xlsx"])
@pytest.mark.parametrize("member", ["xl/vbaProject.bin", "xl/VBAPROJECT.BIN"])
def test_a_macro_workbook_renamed_xlsx(store, valid, tmp_path, which, member):
    data = rezip(getattr(valid, which), add={member: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512})
    assert "makro" in imports(store, write(tmp_path / "makro.xlsx", data)).message


BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                             for i in range(1, 10))
                  + b"]>")


@pytest.mark.parametrize("which, part", [("svarsfil_xlsx", "xl/workbook.xml"), ("svarsfil_xlsx", "xl/worksheets/sheet1.xml"),
                                         ("county_xlsx", "xl/worksheets/sheet2.xml"), ("svarsfil_xlsx", "docProps/core.xml")])
def test_an_xml_entity_bomb(store, valid, tmp_path, which, part):
    def bomb(xml: bytes) -> bytes:
        xml = re.sub(rb"^<\?xml[^>]*\?>", b"", xml)
        return BILLION_LAUGHS + re.sub(rb"(<[A-Za-z:]+[^>]*>)", rb"\1&lol9;", xml, count=1)

    imports(store, write(tmp_path / "skratt.xlsx", rezip(getattr(valid, which), change={part: bomb})))


def test_a_chart_sheet_where_a_worksheet_is_expected(store, valid, tmp_path):
    """A chart sheet by the name of a worksheet the reader needs: it has no cells to read."""
    for sheets in (("Enkät",), ("bou",), ("Enkät", "bou")):
        workbook = load_workbook(io.BytesIO(valid.svarsfil_xlsx))
        for title in sheets:
            index = workbook.sheetnames.index(title)
            del workbook[title]
            workbook.create_chartsheet(title, index).add_chart(BarChart())  # without a chart openpyxl cannot read it
        data = workbook_bytes(workbook)
        assert {type(load_workbook(io.BytesIO(data))[title]).__name__ for title in sheets} == {"Chartsheet"}
        assert "saknas" in imports(store, write(tmp_path / "diagram.xlsx", data)).message
    workbook = Workbook()
    workbook.create_chartsheet("Data").add_chart(BarChart())
    workbook.create_sheet("Om filen")
    assert "Data" in imports(store, write(tmp_path / "diagram-lan.xlsx", workbook_bytes(workbook))).message


def _zip_patched(data: bytes, *, flags: int | None = None, method: int | None = None) -> bytes:
    """Change every member's general-purpose flags or compression method, in both headers."""
    out = bytearray(data)
    for signature, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        start = 0
        while (start := out.find(signature, start)) >= 0:
            if flags is not None:
                out[start + flag_at:start + flag_at + 2] = struct.pack("<H", flags)
            if method is not None:
                out[start + method_at:start + method_at + 2] = struct.pack("<H", method)
            start += 4
    return bytes(out)


@pytest.mark.parametrize("which", ["svarsfil_xlsx", "county_xlsx"])
@pytest.mark.parametrize("patch", [{"flags": 1}, {"flags": 0x41}, {"method": 99}, {"method": 12}, {"method": 14},
                                   {"method": 0}], ids=["encrypted", "strong-encryption", "unknown-method", "bzip2",
                                                        "lzma", "stored"])
def test_zip_members_that_cannot_be_unpacked(store, valid, tmp_path, which, patch):
    imports(store, write(tmp_path / "zip.xlsx", _zip_patched(getattr(valid, which), **patch)))


@pytest.mark.parametrize("which", ["svarsfil_xlsx", "county_xlsx"])
def test_a_zip_of_a_future_version(store, valid, tmp_path, which):
    """zipfile refuses a member that needs a newer zip version than it knows with NotImplementedError."""
    data = bytearray(getattr(valid, which))
    central = data.find(b"PK\x01\x02")
    data[central + 6:central + 8] = struct.pack("<H", 193)  # "version needed to extract": 19.3
    assert "zip" in imports(store, write(tmp_path / "framtida.xlsx", bytes(data))).message


@pytest.mark.parametrize("key", ["exported", "utvecklingsledare", "okänd_nyckel"])
def test_a_date_in_the_data_sheet_of_a_county_file(store, valid, tmp_path, key):
    """Excel cells hold dates and times, which the stored JSON document cannot."""
    workbook = load_workbook(io.BytesIO(valid.county_xlsx))
    data = workbook["Data"]
    rows = [row for row in data.iter_rows(min_row=2) if row[0].value == key]
    if rows:
        rows[0][3].value = datetime(2011, 11, 14, 10, 0)
    else:
        data.append([key, "", "", time_of_day(10, 0)])
    result = imports(store, write(tmp_path / "datum.xlsx", workbook_bytes(workbook)), may_succeed=True)
    if result.outcome is not Outcome.REFUSED:
        json.dumps(store.county_documents(store.round_for())[ÖG][0])


def test_a_damaged_data_sheet_in_a_county_file(store, valid, tmp_path):
    """Read-only openpyxl parses the sheet only while the import iterates it: the damage shows up there."""

    def damage(xml: bytes) -> bytes:
        middle = xml.index(b"</row>", len(xml) // 2)
        return xml[:middle] + b"</rad>" + xml[middle + len(b"</row>"):]

    data = rezip(valid.county_xlsx, change={"xl/worksheets/sheet2.xml": damage})
    assert "kan inte läsas" in imports(store, write(tmp_path / "skadad data.xlsx", data)).message
