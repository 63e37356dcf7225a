"""The forms are Bilaga 1 and 2 word for word, load into dataclasses and refuse broken files."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from bou_desktop.paths import forms_dir
from bou_desktop.survey.forms import FormError, FormLibrary, load_form

# Texts of ours, not the seed's: the introduction and help on the municipal form's optional
# question 10, and the heading over the seed's instructions.
OWN_TEXTS = {
    "Frivillig fråga till kommunen:",
    "Frågan ställs till länet i sammanställningsenkäten.",
    "Så fyller du i enkäten",
}


def normalise(text: str) -> str:
    """Fold what PDF extraction and markdown changed: emphasis, footnote marks, bullets, dots, spaces."""
    text = re.sub(r"</?i>|\*\*|\*", "", text)
    text = re.sub(r"[³⁴]", "", text)
    text = re.sub(r"\.{3,}", "", text)
    text = text.replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def section(seed: str, start: str, end: str | None) -> str:
    begin = seed.index(start)
    stop = seed.index(end, begin) if end else len(seed)
    return seed[begin:stop]


def bilaga1(seed: str) -> str:
    return section(seed, "Bilaga 1 – Kommunens enkät\n\nIntroduktionsbrev", "Bilaga 2 – Länens sammanställningsenkät\n\nSammanställningsunderlag")


def bilaga2(seed: str) -> str:
    return section(seed, "Bilaga 2 – Länens sammanställningsenkät\n\nSammanställningsunderlag", None)


def form_texts(form) -> list[str]:
    texts = [form.title, form.header_title, form.closing, form.summary_label]
    texts += [h.label for h in form.header] + [h.unit for h in form.header] + [f.label for f in form.free_texts]
    for section_ in form.intro:
        texts += [section_.heading, *section_.text.split("\n")]
    for question in form.questions:
        texts += [question.text, question.hint, question.instruction, *question.introduction.split("\n")]
        texts += question.help.split("\n")
        for option in question.options:
            texts += [option.label, option.description]
    return [t for t in (normalise(t) for t in texts) if t and not any(t.startswith(own) for own in OWN_TEXTS)]


def seed_option_lines(part: str) -> list[str]:
    """The seed's answer-option lines ("- Politiker", "— Annat alternativ, ange", "___ Ja")."""
    lines = []
    raw_lines = part.split("\n")
    for index, raw in enumerate(raw_lines):
        line = raw.strip()
        if re.match(r"^ [^\s\-—]", raw) and not raw.startswith(" ange"):
            # An option whose check box was lost in extraction (" Nej (gå …)"), maybe wrapped onto "ange…".
            following = raw_lines[index + 1] if index + 1 < len(raw_lines) else ""
            line = "- " + line + (" " + following.strip() if following.startswith("ange") else "")
        if not line or not re.match(r"^(-|—|___)", line):
            continue
        text = normalise(re.sub(r"^(?:-|—|___)\s*", "", line))
        # Footnote bullets and the report's prose bullets are not options.
        if text.startswith(("Klienternas", "De sociala", "Verksamhetens processer", "Personalens uppfattning om sin")):
            continue
        if text.startswith("Sammanfattning av öppna svar"):
            continue
        if re.match(r"^\d+\)", text):  # a numbered question, not an option
            continue
        lines.append(text)
    return lines


@pytest.fixture(scope="module")
def library():
    return FormLibrary.load(forms_dir())


def test_the_2011_forms_load_beside_the_2013_lagesrapport(library):
    assert {f.id for f in library} == {"kommunenkat", "lanssammanstallning", "lagesrapport"}
    assert library["lagesrapport"].kind == "region"
    municipal, county = library["kommunenkat"], library["lanssammanstallning"]
    assert municipal.kind == "kommun" and county.kind == "lan"
    assert [q.number for q in municipal.questions] == list(range(1, 11))
    assert [q.number for q in county.questions] == list(range(1, 11))
    assert county.compiles == "kommunenkat"
    assert [h.label for h in municipal.header] == ["Kommun", "Namn", "Befattning"]
    assert [h.label for h in county.header] == [
        "Län/region", "Totalt antal kommuner i länet/regionen", "Antal kommuner som besvarat enkäten", "Utvecklingsledarens namn",
    ]
    assert [f.label for f in county.free_texts] == ["Övriga synpunkter på kartläggningen"]


def test_municipal_form_structure(library):
    form = library["kommunenkat"]
    q1 = form.question("q1")
    assert q1.type == "single" and q1.option("nej").label == "Nej (gå vidare till fråga 5)"
    assert form.skipped_by("q1", "nej") == ("q2", "q3", "q4")
    assert form.skipped_by("q1", "ja") == ()
    assert {q.id for q in form.questions if q.type == "multi"} == {"q2", "q3", "q4", "q8", "q9"}
    assert all(q.hint == "(flera svarsalternativ möjliga)" for q in form.questions if q.type == "multi")
    q10 = form.question("q10")
    assert q10.type == "ranking" and not q10.required and q10.max_rank == 7
    assert all(q.required for q in form.questions if q.id != "q10")
    assert "SOSFS 2006:11" in form.question("q3").help
    # Every "ange" option has its text field, and only those.
    specify = {(q.id, o.id) for q in form.questions for o in q.options if o.specify}
    ange = {(q.id, o.id) for q in form.questions for o in q.options if "ange" in o.label}
    assert specify == ange and len(specify) == 6


def test_every_form_text_is_from_the_seed(library, seed_text):
    """Bilaga 1 for the municipal form (its optional question 10 is Bilaga 2's), Bilaga 2 for the county form."""
    municipal, county = library["kommunenkat"], library["lanssammanstallning"]
    checks = [
        ("kommunenkat", form_texts(replace(municipal, questions=municipal.questions[:9])), bilaga1(seed_text)),
        ("kommunenkat q10", form_texts(replace(municipal, questions=municipal.questions[9:], intro=(), header=(), closing="", title="", header_title="")), bilaga2(seed_text)),
        ("lanssammanstallning", form_texts(county), bilaga2(seed_text)),
    ]
    for name, texts, part in checks:
        haystack = normalise(part)
        missing = [t for t in texts if t not in haystack]
        assert not missing, f"{name}: not word for word from the seed: {missing}"


@pytest.mark.parametrize("form_id, part", [("kommunenkat", bilaga1), ("lanssammanstallning", bilaga2)])
def test_every_seed_option_is_in_the_form(library, seed_text, form_id, part):
    form = library[form_id]
    labels = {normalise(o.label) for q in form.questions for o in q.options}
    # The seed prints a described option as "Label – description".
    labels |= {normalise(f"{o.label} – {o.description}") for q in form.questions for o in q.options if o.description}
    seed_lines = seed_option_lines(part(seed_text))
    assert len(seed_lines) >= 49  # Bilaga 1 has 49 options, Bilaga 2 56
    missing = []
    for line in seed_lines:
        # The extraction glued some options onto one line ("Ja  Nej (gå vidare …)"): each part must be a label.
        pieces = [p for p in re.split(r"\s{2,}|(?<=[a-zåäö])\s(?=Nej \(gå)", line) if p]
        for piece in pieces:
            piece = normalise(piece).rstrip(",").strip()
            if piece and piece not in labels and not any(label.startswith(piece) for label in labels):
                missing.append(piece)
    assert not missing, f"{form_id}: seed options missing from the form: {missing}"


def test_every_question_text_of_the_seed_is_in_the_forms(library, seed_text):
    for form_id, part in (("kommunenkat", bilaga1(seed_text)), ("lanssammanstallning", bilaga2(seed_text))):
        texts = {normalise(q.text) for q in library[form_id].questions}
        numbered = re.findall(r"^[-\s]*\**\s*(\d+)\)\s*\**(.+?)$", part, flags=re.M)
        assert len(numbered) >= 9  # Bilaga 1 numbers 1–9, Bilaga 2 1–10
        for number, line in numbered:
            line = normalise(line.replace("(flera svarsalternativ möjliga)", ""))
            question = library[form_id].questions[int(number) - 1]
            assert normalise(question.text) == line or line.startswith(normalise(question.text)), (form_id, number, line)
        assert len(texts) == 10


# ------------------------------------------------------------------------- broken files

VALID = """
id = "mini"
version = "1"
kind = "kommun"
title = "Liten enkät"

[[questions]]
id = "q1"
number = 1
type = "single"
text = "Fråga ett?"
[[questions.options]]
id = "ja"
label = "Ja"
[[questions.options]]
id = "nej"
label = "Nej"
skip_to = "q3"

[[questions]]
id = "q2"
number = 2
type = "multi"
text = "Fråga två?"
[[questions.options]]
id = "a"
label = "A"

[[questions]]
id = "q3"
number = 3
type = "ranking"
text = "Fråga tre?"
[[questions.options]]
id = "a"
label = "A"
"""


def write(tmp_path: Path, text: str, name: str = "mini.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_form_in_a_test_loads(tmp_path):
    form = load_form(write(tmp_path, VALID))
    assert form.skipped_by("q1", "nej") == ("q2",)


@pytest.mark.parametrize(
    "change, key, reason",
    [
        (lambda t: t.replace('title = "Liten enkät"', 'title = "Liten enkät"\ncolour = "blå"'), "colour", "okänd nyckel"),
        (lambda t: t.replace('id = "q2"', 'id = "q1"'), "questions[1].id", "dubblett"),
        (lambda t: t.replace('id = "nej"', 'id = "ja"'), "questions[0].options[1].id", "dubblett"),
        (lambda t: t.replace('skip_to = "q3"', 'skip_to = "q9"'), "questions[0].options[1].skip_to", "inte finns"),
        (lambda t: t.replace('type = "multi"', 'type = "many"'), "questions[1].type", "okänd frågetyp"),
        (lambda t: t.replace('text = "Fråga två?"\n', ""), "questions[1].text", "saknas"),
        (lambda t: t.replace("number = 2", 'number = "två"'), "questions[1].number", "heltal"),
        (lambda t: t.replace('id = "a"\nlabel = "A"\n\n[[questions]]', 'id = "A-1"\nlabel = "A"\n\n[[questions]]'), "questions[1].options[0].id", "ogiltigt id"),
        (lambda t: t.replace('kind = "kommun"', 'kind = "stat"'), "kind", "okänd sort"),
        (lambda t: t + '\n[[questions.options]]\nid = "b"\nlabel = "B"\nlabel_en = "B"\n', "questions[2].options[1].label_en", "okänd nyckel"),
        (lambda t: t.replace("[[questions]]\nid = \"q2\"\nnumber = 2", "[[questions]]\nid = \"q2\"\nnumber = 1"), "questions", "stigande"),
    ],
)
def test_broken_form_is_refused_naming_file_and_key(tmp_path, change, key, reason):
    path = write(tmp_path, change(VALID))
    with pytest.raises(FormError) as caught:
        load_form(path)
    message = str(caught.value)
    assert "mini.toml" in message and key in message and reason in message, message


def test_skip_backwards_is_refused(tmp_path):
    text = VALID.replace('skip_to = "q3"', "").replace('id = "a"\nlabel = "A"\n\n[[questions]]', 'id = "a"\nlabel = "A"\n\n[[questions]]', 1)
    text = text.replace('type = "multi"', 'type = "single"').replace('label = "A"\n\n[[questions]]\nid = "q3"', 'label = "A"\nskip_to = "q1"\n\n[[questions]]\nid = "q3"')
    with pytest.raises(FormError, match="framåt"):
        load_form(write(tmp_path, text))


def test_not_toml_is_refused(tmp_path):
    with pytest.raises(FormError, match=r"trasig\.toml: \(fil\): inte giltig TOML"):
        load_form(write(tmp_path, "id = [unclosed", "trasig.toml"))


@pytest.mark.parametrize("text, said", [
    ('{"format": "bou-svarsfil"}', "raden är varken ”nyckel = värde” eller en rubrik [namn], på rad 1, kolumn 1"),
    ('id = "a"\nid = "b"\n', "samma nyckel eller rubrik står två gånger, på rad 2, kolumn 9"),
    ('title = "Enkät\n', "en text saknar sitt avslutande citattecken före radens slut, på rad 1, kolumn 15"),
    ("[[questions]\n", "en rubrik [[namn]] saknar sina ]], på rad 1, kolumn 12"),
    ('title = "Enkät', "en text saknar sitt avslutande citattecken, i slutet av filen"),
    ("id\n", "en nyckel saknar ”=” och sitt värde, på rad 1, kolumn 3"),
])
def test_a_toml_mistake_is_said_in_swedish_with_where_it_is(tmp_path, text, said):
    """Not the TOML reader's English ("Invalid statement (at line 1, column 1)"): what is wrong, and where."""
    with pytest.raises(FormError) as refused:
        load_form(write(tmp_path, text, "trasig.toml"))
    assert str(refused.value) == f"trasig.toml: (fil): inte giltig TOML: {said}"


def test_a_form_not_saved_as_utf8_is_refused_with_a_message(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(VALID.encode("latin-1"))  # "enkät", "två" in Windows' old encoding
    with pytest.raises(FormError, match=r"latin1\.toml: \(fil\): inte giltig TOML: filen är inte sparad som UTF-8"):
        load_form(path)


@pytest.mark.parametrize("content, said", [
    ("latin-1", "filen är inte sparad som UTF-8; spara den som UTF-8 i textredigeraren"),
    ("xlsx", "filen är ingen textfil; ett formulär är en textfil (.toml)"),
])
def test_a_file_that_is_not_utf8_text_is_said_in_swedish(tmp_path, content, said):
    """An Excel file, or a form saved in Windows' old encoding, chosen as a form (Ny omgång…) or as a report
    template: said in Swedish, without the decoder's English ("invalid start byte")."""
    from bou_desktop.survey.report import load_template

    raw = VALID.encode("latin-1") if content == "latin-1" else b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xa0"
    path = tmp_path / "vald.toml"
    path.write_bytes(raw)
    for read in (load_form, load_template):
        with pytest.raises(FormError) as refused:
            read(path)
        assert str(refused.value) == f"vald.toml: (fil): inte giltig TOML: {said}", read


def test_county_form_must_match_the_form_it_compiles(tmp_path):
    (tmp_path / "a.toml").write_text(VALID, encoding="utf-8")
    county = VALID.replace('id = "mini"', 'id = "lan"').replace('kind = "kommun"', 'kind = "lan"\ncompiles = "mini"')
    county = county.replace('id = "nej"', 'id = "kanske"')
    (tmp_path / "b.toml").write_text(county, encoding="utf-8")
    with pytest.raises(FormError, match=r"b\.toml: questions\[0\]\.options: svarsalternativen"):
        FormLibrary.load(tmp_path)


def test_a_new_form_file_needs_no_code_change(tmp_path):
    """A form for a new year: copy the file, change the version, and it loads as it is."""
    source = (forms_dir() / "kommunenkat.toml").read_text(encoding="utf-8")
    (tmp_path / "kommunenkat2013.toml").write_text(source.replace('id = "kommunenkat"', 'id = "kommunenkat2013"').replace('version = "2011"', 'version = "2013"'), encoding="utf-8")
    library = FormLibrary.load(tmp_path)
    assert library["kommunenkat2013"].version == "2013"


# ----------------------------------------------------------------------------- the cache of parsed forms
def copy_forms(folder: Path) -> Path:
    folder.mkdir()
    for path in forms_dir().glob("*.toml"):
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def no_toml(monkeypatch):
    """Make reading TOML fail, to see that a load was served from the cache."""
    import tomllib

    def refuse(*_args, **_kwargs):
        raise AssertionError("TOML was read")

    monkeypatch.setattr(tomllib, "loads", refuse)


def test_the_second_start_reads_the_forms_from_the_cache_and_gets_the_same_forms(tmp_path, monkeypatch):
    folder, cache = copy_forms(tmp_path / "forms"), tmp_path / "cache"
    first = FormLibrary.load(folder, cache_dir=cache)
    files = list(folder.glob("*.toml"))  # the 2011 forms and the 2013 lägesrapport
    assert len(list(cache.glob("*.json"))) == len(files) == 3
    no_toml(monkeypatch)
    second = FormLibrary.load(folder, cache_dir=cache)
    assert [form.id for form in second] == [form.id for form in first]
    assert {form.id for form in first} == {"kommunenkat", "lanssammanstallning", "lagesrapport"}
    for form in first:
        assert second[form.id] == form


def test_an_edited_form_is_read_again_not_taken_from_the_cache(tmp_path):
    folder, cache = copy_forms(tmp_path / "forms"), tmp_path / "cache"
    FormLibrary.load(folder, cache_dir=cache)
    path = folder / "kommunenkat.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('version = "2011"', 'version = "2013"'), encoding="utf-8")
    assert FormLibrary.load(folder, cache_dir=cache)["kommunenkat"].version == "2013"
    assert len(list(cache.glob("*.json"))) == len(list(folder.glob("*.toml")))  # the entry was replaced, not added to


def test_a_broken_edit_is_refused_even_when_the_old_file_is_cached(tmp_path):
    folder, cache = copy_forms(tmp_path / "forms"), tmp_path / "cache"
    FormLibrary.load(folder, cache_dir=cache)
    path = folder / "kommunenkat.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('kind = "kommun"', 'kind = "stat"'), encoding="utf-8")
    with pytest.raises(FormError, match=r"kommunenkat\.toml: kind: okänd sort"):
        FormLibrary.load(folder, cache_dir=cache)


@pytest.mark.parametrize("damage", ["{ trasig", "[1, 2]", ""])
def test_a_damaged_cache_entry_is_passed_over_and_written_again(tmp_path, damage):
    folder, cache = copy_forms(tmp_path / "forms"), tmp_path / "cache"
    expected = FormLibrary.load(folder, cache_dir=cache)["kommunenkat"]
    for entry in cache.glob("*.json"):
        entry.write_text(damage, encoding="utf-8")
    assert FormLibrary.load(folder, cache_dir=cache)["kommunenkat"] == expected
    assert all(entry.read_text(encoding="utf-8").startswith("{\"") for entry in cache.glob("*.json"))


def test_the_forms_load_when_the_cache_cannot_be_written(tmp_path):
    folder = copy_forms(tmp_path / "forms")
    blocked = tmp_path / "cache"
    blocked.write_text("en fil, ingen mapp", encoding="utf-8")  # mkdir fails on every system
    library = FormLibrary.load(folder, cache_dir=blocked)
    assert library["lanssammanstallning"].compiles == "kommunenkat"
    assert blocked.read_text(encoding="utf-8") == "en fil, ingen mapp"
