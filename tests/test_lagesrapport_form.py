"""SKL's "Mall för länens lägesrapporter 2013" (issue 16, point 6) is seed 000's template word for word.

The form is forms/lagesrapport2013.toml, beside the 2011 forms. It names no `year`: a new database
starts only the 2011 round, and the lägesrapport round is started with `round add` or Ny omgång…
(tests/test_lagesrapport_loop.py runs it end to end). These tests read the TOML with tomllib; one
test uses the program's loader.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from conftest import REPO

from bou_desktop.paths import forms_dir
from bou_desktop.survey.forms import FormError, FormLibrary, load_form

FORM = REPO / "forms" / "lagesrapport2013.toml"
EXCERPT = Path(__file__).resolve().parent / "data" / "seed_000_lagesrapport.txt"
SHARED = REPO.parent / "shared" / "seeds" / "000_cec3f9267ea409ee.txt"

# Every text of the form that is ours, not the seed's (the file's opening comment lists the same).
OWN_TEXTS = {
    "Lägesrapport",  # short_title
    "Om mallen",  # the intro's heading; its text is the seed's
    "Län/region", "Kontaktperson",  # header labels
    "utvecklingsledare",  # unit of 1 a)
    "En rad per utvecklingsledare.",  # instruction of the tables 1 b) and 1 c)
    "Omfattning", "%",  # the column of 1 b)
    "Anställd fr.o.m.", "Anställd t.o.m.",  # the columns of 1 c)
    "Vid tillsvidareanställning lämnas ”Anställd t.o.m.” tom.",  # help of 1 c)
}

# The seed's numbered and lettered items: every one is a question of the form.
SEED_ITEMS = [
    (1, "a"), (1, "b"), (1, "c"), (2, None), (3, None), (4, None), (5, "a"), (5, "b"),
    (6, "a"), (6, "b"), (6, "c"), (6, "d"), (6, "e"), (7, None),
]

# The schema of issue 16 (what the extended loader implements).
QUESTION_TYPES = {"single", "multi", "ranking", "integer", "decimal", "date", "text", "longtext", "table"}
COLUMN_TYPES = {"integer", "decimal", "date", "text"}
FORM_KEYS = {
    "id", "version", "kind", "title", "short_title", "header_title", "closing", "summary_label", "compiles",
    "intro", "header", "free_texts", "questions",
}
COMMON_QUESTION_KEYS = {
    "id", "number", "part", "heading", "type", "text", "hint", "instruction", "help", "introduction", "required",
}
TYPE_KEYS = {
    "single": {"options"}, "multi": {"options"}, "ranking": {"options"},
    "integer": {"unit", "min", "max"}, "decimal": {"unit", "min", "max"},
    "date": set(), "text": set(), "longtext": set(),
    "table": {"columns", "min_rows", "max_rows"},
}
COLUMN_KEYS = {"id", "label", "type", "unit", "min", "max"}
HEADER_KEYS = {"id", "label", "type", "unit", "personal"}
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")

# Keys the new schema adds: the loader of today refuses them as "okänd nyckel".
NEW_QUESTION_KEYS = {"part", "heading", "unit", "min", "max", "columns", "min_rows", "max_rows"}


def normalise(text: str) -> str:
    """Fold whitespace: the only change allowed between the seed and the form's texts."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def drop_footers(seed: str) -> str:
    """The seed's page footers ("BoU-satsningen 11" at the end of a page's line) are not text."""
    return re.sub(r"\s*BoU-satsningen \d+[ \t]*$", "", seed, flags=re.MULTILINE)


def template(excerpt: str) -> str:
    """The template: from its heading to its last item (the excerpt ends with it)."""
    text = normalise(drop_footers(excerpt))
    return text[text.index("Mall för länens lägesrapporter 2013 Under försommaren 2013"):]


def seed_items(excerpt: str) -> dict[tuple[int, str | None], str]:
    """The template's items "1) …", "a) …" (also "b)i …", with no space) keyed (number, part)."""
    text = template(excerpt)
    text = text[text.index("1) "):]
    marks = list(re.finditer(r"(?<!\S)(?:(\d)|([a-z]))\)\s*", text))
    items: dict[tuple[int, str | None], str] = {}
    number = 0
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        body = text[mark.end():following.start() if following else len(text)].strip()
        if mark.group(1):
            number = int(mark.group(1))
            items[(number, None)] = body
        else:
            items[(number, mark.group(2))] = body
    return items


@pytest.fixture(scope="module")
def excerpt() -> str:
    return EXCERPT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def form() -> dict:
    with FORM.open("rb") as handle:
        return tomllib.load(handle)


def key_of(question: dict) -> tuple[int, str | None]:
    return question["number"], question.get("part")


# ----------------------------------------------------------------------------- the seed's excerpt
@pytest.mark.skipif(not SHARED.exists(), reason="../shared/seeds is not beside this checkout")
def test_the_excerpt_is_whole_lines_of_the_shared_seed(excerpt):
    shared = SHARED.read_text(encoding="utf-8")
    assert excerpt.endswith("\n") and ("\n" + excerpt) in shared


def test_the_seed_parser_finds_every_item_of_the_template(excerpt):
    items = seed_items(excerpt)
    with_parts = {number for number, part in items if part}
    leaves = [(number, part) for number, part in items if part or number not in with_parts]
    assert leaves == SEED_ITEMS
    assert items[(1, None)] == "Regionala utvecklingsledare"
    assert items[(1, "b")] == "i vilken omfattning arbetar utvecklingsledaren/na för BoU?"
    assert items[(6, "c")] == "Spridning av Socialstyrelsens kunskapsprodukter Trygg och säker vård"  # no page footer
    assert items[(7, None)] == "Övrigt att rapportera om det regionala BoU-arbetet"


# ----------------------------------------------------------------------------- word for word
def test_every_seed_item_has_its_question_word_for_word(form, excerpt):
    items = seed_items(excerpt)
    questions = form["questions"]
    assert [key_of(q) for q in questions] == SEED_ITEMS
    for question in questions:
        number, part = key_of(question)
        shown = question["text"] + (" " + question["hint"] if question.get("hint") else "")
        assert normalise(shown) == items[(number, part)], f"{question['id']}: not the seed's text"
        if part == "a":
            assert normalise(question["heading"]) == items[(number, None)], f"{question['id']}: heading"
        else:
            assert "heading" not in question, f"{question['id']}: a heading belongs on the first part"


def test_title_intro_headings_and_texts_are_in_the_seed_in_order(form, excerpt):
    haystack = template(excerpt)
    texts = [form["title"], *(section["text"] for section in form.get("intro", []))]
    for question in form["questions"]:
        texts += [question.get("heading", ""), question["text"], question.get("hint", "")]
    position = 0
    for text in filter(None, map(normalise, texts)):
        found = haystack.find(text, position)
        assert found >= 0, f"not in the seed word for word, or out of order: {text!r}"
        position = found + len(text)


def texts_of(node, where: str = "") -> list[tuple[str, str, str]]:
    """Every text of the TOML as (where, key, text); ids, types and other codes left out."""
    codes = {"id", "version", "kind", "type", "part", "compiles"}
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str) and key not in codes:
                found.append((where, key, value))
            else:
                found += texts_of(value, f"{where}.{key}" if where else key)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found += texts_of(item, f"{where}[{index}]")
    return found


def test_every_other_text_is_listed_as_ours(form):
    """The seed's texts are the title, the intro's text and the questions' heading, text and hint."""
    seeds = {"title", "text", "hint"}
    unlisted = []
    for where, key, text in texts_of(form):
        from_seed = key in seeds or (key == "heading" and where.startswith("questions"))
        if not from_seed and text not in OWN_TEXTS:
            unlisted.append(f"{where}.{key}: {text!r}")
    assert not unlisted, f"texts neither the seed's nor listed as ours: {unlisted}"
    lines = FORM.read_text(encoding="utf-8").splitlines(keepends=True)
    comment = "".join(line for line in lines if line.startswith("#"))
    assert all(text in comment for text in OWN_TEXTS), "the file's opening comment lists every text of ours"


# ----------------------------------------------------------------------------- structure
def test_form_level(form):
    assert set(form) <= FORM_KEYS
    assert (form["id"], form["version"], form["kind"]) == ("lagesrapport", "2013", "region")
    assert form["title"] == "Mall för länens lägesrapporter 2013"
    for field in form.get("header", []):
        assert set(field) <= HEADER_KEYS and ID_PATTERN.match(field["id"])
    header = {field["id"]: field for field in form["header"]}
    assert len(header) == len(form["header"])
    assert header["region"]["type"] == "region" and not header["region"].get("personal", False)
    assert header["kontaktperson"]["personal"] is True
    assert all(set(section) == {"heading", "text"} for section in form.get("intro", []))


def test_questions_follow_the_schema(form):
    questions = form["questions"]
    ids = [q["id"] for q in questions]
    assert len(set(ids)) == len(ids)
    for question in questions:
        qid, qtype = question["id"], question["type"]
        assert ID_PATTERN.match(qid), qid
        assert qtype in QUESTION_TYPES, qid
        assert set(question) <= COMMON_QUESTION_KEYS | TYPE_KEYS[qtype], f"{qid}: keys not of type {qtype}"
        assert question["text"].strip() and isinstance(question["number"], int)
        assert isinstance(question.get("required", True), bool)
        assert qid == f"q{question['number']}{question.get('part', '')}", "ids are q<number><part>"
        if qtype in ("integer", "decimal"):
            assert question.get("min", 0) <= question.get("max", float("inf")), qid
        if qtype == "table":
            columns = question["columns"]
            assert columns and len({c["id"] for c in columns}) == len(columns), qid
            for column in columns:
                assert set(column) <= COLUMN_KEYS and ID_PATTERN.match(column["id"]), f"{qid}.{column}"
                assert column["type"] in COLUMN_TYPES and column["label"].strip()
                if column["type"] not in ("integer", "decimal"):
                    assert not {"unit", "min", "max"} & set(column), f"{qid}.{column['id']}: a number's keys"
                else:
                    assert column.get("min", 0) <= column.get("max", float("inf"))


def test_parts_run_a_b_c_within_a_number(form):
    numbers = [q["number"] for q in form["questions"]]
    assert numbers == sorted(numbers) and sorted(set(numbers)) == list(range(1, 8))
    for number in set(numbers):
        parts = [q.get("part") for q in form["questions"] if q["number"] == number]
        if parts != [None]:
            assert parts == list("abcdefgh"[: len(parts)]), f"question {number}: parts {parts}"


def test_the_types_fit_what_is_asked(form):
    questions = {q["id"]: q for q in form["questions"]}
    assert questions["q1a"]["type"] == "integer" and questions["q1a"]["min"] == 0
    omfattning = questions["q1b"]["columns"]
    assert [(c["id"], c["type"], c["unit"], c["min"], c["max"]) for c in omfattning] == [
        ("omfattning", "decimal", "%", 0, 100),
    ]
    assert [(c["id"], c["type"]) for c in questions["q1c"]["columns"]] == [("fran", "date"), ("till", "date")]
    assert all(q["type"] == "longtext" for qid, q in questions.items() if not qid.startswith("q1"))
    assert [qid for qid, q in questions.items() if not q.get("required", True)] == ["q6e", "q7"]


# ----------------------------------------------------------------------------- the program's loader
def refused_only_for_the_new_schema(error: FormError) -> bool:
    """The loader of today refuses what issue 16 adds, and nothing else of this form."""
    last_key = re.sub(r"\[\d+\]", "", error.key).rsplit(".", 1)[-1]
    return (
        error.reason.startswith("okänd sort 'region'")
        or error.reason.startswith("okänd frågetyp")
        or (error.reason == "okänd nyckel" and last_key in NEW_QUESTION_KEYS)
        or (error.reason == "saknas" and last_key == "options")
        or error.reason.startswith("frågornas nummer ska vara unika")  # parts share their number
    )


def test_the_program_loads_the_form(form):
    try:
        loaded = load_form(FORM)
    except FormError as error:
        if refused_only_for_the_new_schema(error):
            pytest.skip(f"the form loader does not yet support issue 16's schema: {error}")
        raise
    assert (loaded.id, loaded.version, loaded.kind, loaded.title) == ("lagesrapport", "2013", "region", form["title"])
    assert [(q.id, q.number, q.type, q.text) for q in loaded.questions] == [
        (q["id"], q["number"], q["type"], q["text"]) for q in form["questions"]
    ]
    # Beside the 2011 forms, without a year: a new database does not start its round.
    assert {f.id for f in FormLibrary.load(forms_dir())} == {"kommunenkat", "lanssammanstallning", "lagesrapport"}
    assert loaded.year is None
