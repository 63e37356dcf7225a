"""Two rounds of the municipal survey at SKL for the national comparison (issue 17), and an independent
tally of what the regions' municipalities answered.

2011 is the form as shipped; 2013 is a form written here under the same id: question 4 renamed to
"instrument" (`same_as = "q4"`), its option "bbic" renamed to "bbic_ny" (`same_as = "bbic"`), and a new
question 11 that 2011 lacks. Each region's leader compiles real responses in their own database and
exports the county Excel file, which SKL imports (as tests/test_national.py does for one round).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from bou_desktop import core
from bou_desktop.exchange.county_file import county_xlsx_bytes
from bou_desktop.exchange.national_file import import_county_bytes
from bou_desktop.paths import forms_dir
from bou_desktop.survey.answers import Answers

ANSWERED = {  # region -> how many of its municipalities answer, per round
    2011: {"Uppsala": 5, "Kalmar": 6, "Gotland": 1},
    2013: {"Uppsala": 8, "Kalmar": 4, "Skåne": 7},
}
NEW_QUESTION = """
[[questions]]
id = "q11"
number = 11
type = "single"
text = "Har kommunen en plan för uppföljningen under 2014?"

[[questions.options]]
id = "ja"
label = "Ja"

[[questions.options]]
id = "nej"
label = "Nej"
"""


def write_forms_2013(folder: Path) -> tuple[Path, Path]:
    """The 2013 form and its county form, written from the shipped ones with the renames above."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, version in (("kommunenkat", "2011"), ("lanssammanstallning", "2011")):
        text = (forms_dir() / f"{name}.toml").read_text(encoding="utf-8")
        assert text.count('id = "q4"') == 1 and text.count('id = "bbic"') == 1
        text = (text.replace(f'version = "{version}"', 'version = "2013"')
                .replace('id = "q4"', 'id = "instrument"\nsame_as = "q4"')
                .replace('id = "bbic"', 'id = "bbic_ny"\nsame_as = "bbic"')
                .replace("\nyear = 2011", "\n# started with add_round") + NEW_QUESTION)
        path = folder / f"{name}2013.toml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1]


def answers_of(year: int, m: int) -> dict[str, list[str]]:
    """What municipality number m (0, 1, …) of a region answers, as choices; 2013 under its own ids."""
    if year == 2011:
        if m % 4 == 3:
            return {"q1": ["nej"], "q5": ["ja"]}  # "nej" passes over questions 2–4
        ticks = (["verksamhetssystem"] if m % 3 == 0 else []) + (["bbic"] if m % 2 == 0 else [])
        return {"q1": ["ja"], **({"q4": ticks} if ticks else {}), "q5": ["ja"]}
    if m % 5 == 4:
        return {"q1": ["nej"], "q5": ["ja"], "q11": ["ja"]}
    ticks = (["verksamhetssystem"] if m % 2 == 1 else []) + (["bbic_ny"] if m % 3 != 1 else [])
    return {"q1": ["ja"], **({"instrument": ticks} if ticks else {}), "q5": ["ja"], "q11": ["ja" if m % 2 == 0 else "nej"]}


def tally(year: int, question: str) -> dict[str, int]:
    """Independently of the program: per option how many municipalities chose it, "ej_svar" (answered the
    survey, not the question, not passed over) and "ej_tillampligt" (passed over by "nej" on question 1),
    and "answered", over all regions with a county file of that round."""
    counts: dict[str, int] = {"answered": 0, "ej_svar": 0, "ej_tillampligt": 0}
    passed_over = question in ("q2", "q3", "q4", "instrument")
    for answered in ANSWERED[year].values():
        for m in range(answered):
            choices = answers_of(year, m)
            counts["answered"] += 1
            if passed_over and choices["q1"] == ["nej"]:
                counts["ej_tillampligt"] += 1
            elif question not in choices:
                counts["ej_svar"] += 1
            for option in choices.get(question, []):
                counts[option] = counts.get(option, 0) + 1
    return counts


def whole_percent(count: int, total: int) -> int:
    """Rounded half up, as the report prints percents."""
    return int(Fraction(100 * count, total) + Fraction(1, 2)) if total else 0


def make_county_files(folder: Path) -> dict[int, list[Path]]:
    """Every region's county file of each round, exported by its leader from their own database."""
    form_2013, county_2013 = write_forms_2013(folder / "forms")
    files: dict[int, list[Path]] = {2011: [], 2013: []}
    for region in sorted({r for regions in ANSWERED.values() for r in regions}):
        store = core.open_store(folder / f"{region}.sqlite")
        rounds = {2011: store.round_for(2011), 2013: store.add_round(2013, form_2013, county_2013)}
        for year, round_ in rounds.items():
            answered = ANSWERED[year].get(region)
            if answered is None:
                continue
            for m, municipality in enumerate(store.municipalities(region)[:answered]):
                store.save_answers(round_, municipality.code, Answers(choices=answers_of(year, m)),
                                   source="cli", status="klar")
            path = folder / f"Länssammanställning {region} {year}.xlsx"
            path.write_bytes(county_xlsx_bytes(store.compile(round_, region), store.county_form_of(round_)))
            files[year].append(path)
        store.close()
    return files


def skl_store(path: Path, folder: Path, files: dict[int, list[Path]]):
    """SKL's database with both rounds and every county file imported."""
    form_2013, county_2013 = write_forms_2013(folder / "forms")
    store = core.open_store(path)
    store.add_round(2013, form_2013, county_2013)
    for year in (2011, 2013):
        for file in files[year]:
            outcome, message = import_county_bytes(store, file.read_bytes(), file.name)
            assert outcome == "importerad", message
    return store
