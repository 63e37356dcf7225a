"""The synthetic form of the contract tests: every question type, two ranking questions, a table,
parts "1 a)"–"1 c)" with a heading, a skip over parts, and a county form that compiles it.

Use `every_type_store(path)` for a database whose only round asks this form (not one in forms/).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

FORM = """
id = "provform"
version = "1"
year = 2013
kind = "kommun"
title = "Provformulär med alla frågetyper"

[[questions]]
id = "har"
number = 1
part = "a"
heading = "Regionala utvecklingsledare"
type = "single"
text = "Finns det utvecklingsledare?"
[[questions.options]]
id = "ja"
label = "Ja"
[[questions.options]]
id = "nej"
label = "Nej"
skip_to = "rang1"

[[questions]]
id = "antal"
number = 1
part = "b"
type = "integer"
text = "Hur många?"
min = 0
max = 50

[[questions]]
id = "ledare"
number = 1
part = "c"
type = "table"
text = "Per utvecklingsledare"
max_rows = 20
[[questions.columns]]
id = "omfattning"
label = "Omfattning"
type = "decimal"
unit = "%"
min = 0
max = 100
[[questions.columns]]
id = "fran"
label = "Anställd fr.o.m."
type = "date"
[[questions.columns]]
id = "timmar"
label = "Timmar"
type = "integer"
[[questions.columns]]
id = "ort"
label = "Ort"
type = "text"

[[questions]]
id = "rang1"
number = 2
type = "ranking"
text = "Rangordna A–C"
[[questions.options]]
id = "a"
label = "A"
[[questions.options]]
id = "b"
label = "B"
[[questions.options]]
id = "c"
label = "C"

[[questions]]
id = "rang2"
number = 3
type = "ranking"
text = "Rangordna W–Z"
[[questions.options]]
id = "w"
label = "W"
[[questions.options]]
id = "x"
label = "X"
[[questions.options]]
id = "y"
label = "Y"
[[questions.options]]
id = "z"
label = "Z"

[[questions]]
id = "val"
number = 4
type = "multi"
text = "Vilka?"
[[questions.options]]
id = "p"
label = "P"
specify = true
[[questions.options]]
id = "q"
label = "Q"

[[questions]]
id = "andel"
number = 5
type = "decimal"
text = "Hur stor andel?"
unit = "%"
min = 0
max = 100

[[questions]]
id = "start"
number = 6
type = "date"
text = "När började arbetet?"

[[questions]]
id = "ort"
number = 7
type = "text"
text = "Var?"

[[questions]]
id = "slutsats"
number = 8
type = "longtext"
text = "Beskriv"
required = false
"""


def county_form_text() -> str:
    """The county form compiling FORM: the same questions, asked of the region's compilation."""
    head, _, questions = FORM.partition("[[questions]]")
    head = head.replace('id = "provform"', 'id = "provform_lan"').replace('kind = "kommun"', 'kind = "lan"')
    head += 'compiles = "provform"\nsummary_label = "Sammanfattning:"\n'
    return head + "\n[[questions]]" + questions


def form_data() -> dict:
    return tomllib.loads(FORM)


def write_forms(folder: Path) -> Path:
    """The two form files in a folder of their own (a FormLibrary of just these)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "provform.toml").write_text(FORM, encoding="utf-8")
    (folder / "provform_lan.toml").write_text(county_form_text(), encoding="utf-8")
    return folder


def every_type_store(path: Path):
    """A database whose round asks the synthetic form (and compiles it with its county form)."""
    from bou_desktop import core
    from bou_desktop.store import Store
    from bou_desktop.survey.forms import FormLibrary

    library = FormLibrary.load(write_forms(Path(path).parent / "provformulär"))
    return Store.open(path, library, core.register())


OWN_FIELDS = """
[[header]]
id = "epost"
label = "E-post till utvecklingsledaren"
type = "text"

[[header]]
id = "ledarens_namn"
label = "Utvecklingsledarens namn"
type = "text"
personal = true

[[free_texts]]
id = "nasta_steg"
label = "Nästa steg i regionen"
"""


def write_forms_with_county_fields(folder: Path) -> Path:
    """The two forms, the county form with fields of its own: an e-mail address, a personal name, a free text."""
    write_forms(folder)
    county = folder / "provform_lan.toml"
    county.write_text(county.read_text(encoding="utf-8").replace("\n[[questions]]", OWN_FIELDS + "\n[[questions]]", 1),
                      encoding="utf-8")
    return folder


def later_form(folder: Path) -> Path:
    """FORM's version 2, as a later round of the same survey: "andel" renamed "andelen" (same_as),
    "ort" dropped and "plats" new in its place (no earlier counterpart). Written into `folder`."""
    text = (FORM.replace('version = "1"', 'version = "2"').replace("year = 2013\n", "")
            .replace('id = "andel"\n', 'id = "andelen"\nsame_as = "andel"\n')
            .replace('id = "ort"\nnumber = 7\ntype = "text"\ntext = "Var?"',
                     'id = "plats"\nnumber = 7\ntype = "text"\ntext = "På vilken plats?"'))
    path = Path(folder) / "provform-2.toml"
    path.write_text(text, encoding="utf-8")
    return path
