"""Forms are data: no code names a question id, an option id, a form id or a number of options.

A new form or a new survey year needs no code change, so the program must not know the ids of
today's forms. This reads every string the code holds (not docstrings or comments) and refuses any
that is, or starts with, an id of a form in forms/ (the demo data in demo.py may name them), and any
text that names a question by its number or a fixed range of ranks ("fråga 10", "1–7").
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "bou_desktop"
MAY_NAME_IDS = {"demo.py"}  # made-up answers to the 2011 form
# Swedish words that are also option ids of the 2011 form: in code they are words ("Anonymiserad: ja",
# a cell ticked with "ja"), never the options.
WORDS = {"ja", "nej"}
NUMBERED = re.compile(r"(?i)\bfråga \d|\b1–\d+\b")


def form_ids() -> dict[str, str]:
    """Every id of the forms in forms/ (and any subfolder): form, question, option and table column ids."""
    ids: dict[str, str] = {}
    for path in sorted((REPO / "forms").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        ids[data["id"]] = f"formulär i {path.name}"
        for question in data["questions"]:
            ids.setdefault(question["id"], f"fråga i {path.name}")
            for option in question.get("options", []):
                ids.setdefault(option["id"], f"alternativ i {path.name}")
            for column in question.get("columns", []):
                ids.setdefault(column["id"], f"kolumn i {path.name}")
    return ids


# Header fields and free texts of the forms: a view shows them from the form (`computed` says what the
# program fills in), so code names none of them. Words that are also ids ("kommun", "region" are
# units, "namn" a column of the register) are words in code.
FIELD_WORDS = WORDS | {"kommun", "region", "namn"}
# The county and national file formats (docs/formats.md) keep the keys they have had since format 1,
# which are also the ids of the 2011 county form's fields: the modules writing and reading those files,
# and the leader's texts offering the two by the file's names, may name them.
FILE_FORMAT_KEYS = {"kommuner_totalt", "kommuner_svarat", "utvecklingsledare", "ovriga_synpunkter"}
FILE_FORMAT_MODULES = {"county_file.py", "national_file.py", "importer.py", "national_pdf.py", "compilation.py",
                       "comparison.py",  # the `earlier_rounds` entry of those files
                       "screenshots.py"}  # screenshots.py: made-up texts for the user guide's pictures


def field_ids() -> dict[str, str]:
    """Every id of a header field or a free text of the forms in forms/."""
    ids: dict[str, str] = {}
    for path in sorted((REPO / "forms").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for item in data.get("header", []):
            ids.setdefault(item["id"], f"fält i {path.name}")
        for item in data.get("free_texts", []):
            ids.setdefault(item["id"], f"fritext i {path.name}")
    return {key: where for key, where in ids.items() if key not in FIELD_WORDS}


def code_strings(path: Path):
    """(line, text) of every string constant in a module, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def offences(ids: dict[str, str], files, root: Path = REPO) -> list[str]:
    found = []
    for path in files:
        for line, text in code_strings(path):
            head = re.split(r"[.\s]", text)[0]
            named = text if text in ids else head if "." in text and head in ids else None
            if named is not None and named not in WORDS:
                found.append(f"{path.relative_to(root)}:{line}: {text!r} ({ids[named]})")
            if NUMBERED.search(text):
                found.append(f"{path.relative_to(root)}:{line}: {text[:60]!r} (ett frågenummer eller ett rangintervall)")
    return found


def test_no_code_names_an_id_of_a_form_or_a_question_number():
    files = [p for p in sorted(PACKAGE.rglob("*.py")) if p.name not in MAY_NAME_IDS]
    assert offences(form_ids(), files) == []


def test_no_code_names_a_header_field_or_a_free_text_of_a_form():
    files = [p for p in sorted(PACKAGE.rglob("*.py")) if p.name not in MAY_NAME_IDS]
    ids = field_ids()
    found = offences(ids, [p for p in files if p.name not in FILE_FORMAT_MODULES])
    found += offences({k: v for k, v in ids.items() if k not in FILE_FORMAT_KEYS},
                      [p for p in files if p.name in FILE_FORMAT_MODULES])
    assert found == []


def test_the_field_check_finds_a_header_field_named_in_code(tmp_path):
    """The county view named the 2011 county form's count fields; that is what the check refuses."""
    module = tmp_path / "vy.py"
    module.write_text('FIELDS = ("region", "kommuner_totalt", "kommuner_svarat")\nB = "befattning"\n', encoding="utf-8")
    found = offences(field_ids(), [module], root=tmp_path)
    assert sorted(line.split(":")[1] for line in found) == ["1", "1", "2"]
    assert any("'kommuner_totalt' (fält i lanssammanstallning.toml)" in line for line in found)


def test_the_check_finds_what_it_looks_for(tmp_path):
    """The check itself can fail: a module naming a question id, an option id or "fråga 10" is caught."""
    module = tmp_path / "exempel.py"
    module.write_text('"""Fråga 1 i en docstring är tillåten."""\n'
                      'A = "q5"\nB = "q2.politiker"\nC = "I fråga 10 skriver du 1–7."\nD = "ja"\nE = "kommun"\n',
                      encoding="utf-8")
    found = offences(form_ids(), [module], root=tmp_path)
    assert [line.split(":")[1] for line in found] == ["2", "3", "4"]
    assert "'q5' (fråga i kommunenkat.toml)" in found[0]
