"""Two rounds of the 2011 form (2011 and 2013) with different answers in Östergötland, and an
independent tally of them, for the comparison tests of the county view, its files and its PDF."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

from bou_desktop import core
from bou_desktop.paths import forms_dir
from bou_desktop.store import Store
from bou_desktop.survey.answers import Answers
from bou_desktop.survey.forms import FormLibrary

REGION = "Östergötland"
# code -> answers; q1 = nej skips q2–q4 (not applicable), q10 is the ranking.
ANSWERS = {
    2011: {
        "0580": {"q1": ["ja"], "q2": ["politiker", "chefer"], "q5": ["ja"], "q9": ["it_system"],
                 "q10": {"basuppgifter": 1, "resultat_hvb": 2}},
        "0581": {"q1": ["ja"], "q2": ["chefer"], "q5": ["nej"], "q9": ["statistikstod"], "q10": {"basuppgifter": 3}},
        "0583": {"q1": ["nej"], "q5": ["nej"]},
        "0584": {"q1": ["ja"], "q2": ["handlaggare"], "q5": ["vet_ej"]},
    },
    2013: {
        "0580": {"q1": ["ja"], "q2": ["politiker", "chefer", "brukare"], "q5": ["ja"],
                 "q10": {"basuppgifter": 2, "resultat_hvb": 1}},
        "0581": {"q1": ["ja"], "q2": ["politiker"], "q5": ["ja"], "q10": {"basuppgifter": 2}},
        "0583": {"q1": ["ja"], "q2": ["chefer"], "q5": ["ja_i_viss_man"]},
        "0584": {"q1": ["nej"], "q5": ["nej"]},
        "0586": {"q1": ["ja"], "q2": ["politiker", "handlaggare"]},
    },
}
CHOICES = {"q1": ("ja", "nej"), "q2": ("politiker", "chefer", "handlaggare", "brukare", "annan"),
           "q5": ("ja", "ja_i_viss_man", "nej", "vet_ej")}



def answers_of(raw: dict) -> Answers:
    return Answers(choices={q: list(v) for q, v in raw.items() if isinstance(v, list)},
                   ranks={q: dict(v) for q, v in raw.items() if isinstance(v, dict)})


def fill(store: Store, year: int, form_id: str = "kommunenkat", rename: dict[str, str] | None = None) -> None:
    round_ = store.round_for(year, form_id)
    for code, raw in ANSWERS[year].items():
        raw = {(rename or {}).get(q, q): v for q, v in raw.items()}
        store.save_answers(round_, code, answers_of(raw), source="cli", status="klar")


def two_rounds(path: Path) -> Store:
    """A database with the 2011 round and a 2013 round of the same form, both answered."""
    store = core.open_store(path)
    store.add_round(2013, "kommunenkat", source="system")
    fill(store, 2011)
    fill(store, 2013)
    return store


def changed_form_rounds(tmp_path: Path) -> Store:
    """2013 of a changed form (the same id): q5 renamed "itstod" (same_as = "q5"), q9 replaced by a new
    question "q9ny" with no counterpart; the 2011 round answered with the 2011 form."""
    folder = tmp_path / "forms"
    folder.mkdir()
    for path in forms_dir().glob("*.toml"):
        (folder / path.name).write_bytes(path.read_bytes())
    source = (forms_dir() / "kommunenkat.toml").read_text(encoding="utf-8")
    changed = (source.replace('version = "2011"', 'version = "2013"').replace("\nyear = 2011", "\n# started with add_round")
               .replace('id = "q5"', 'id = "itstod"\nsame_as = "q5"').replace('skip_to = "q5"', 'skip_to = "itstod"')
               .replace('id = "q9"', 'id = "q9ny"'))
    assert changed.count("itstod") == 2 and "q9ny" in changed
    new_form = tmp_path / "kommunenkat2013.toml"
    new_form.write_text(changed, encoding="utf-8")
    store = Store.open(tmp_path / "changed.sqlite", FormLibrary.load(folder), core.register())
    store.add_round(2013, new_form, source="system")
    fill(store, 2011)
    fill(store, 2013, rename={"q5": "itstod"})
    return store


# ----------------------------------------------------------------------------- the independent tally
def whole_percent(count: int, total: int) -> int:
    return int((Decimal(count) * 100 / Decimal(total)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def count(year: int, qid: str, option: str) -> int:
    return sum(1 for raw in ANSWERS[year].values() if option in raw.get(qid, []))


def answered(year: int) -> int:
    return len(ANSWERS[year])


def percent_of(year: int, qid: str, option: str) -> int:
    return whole_percent(count(year, qid, option), answered(year))


def points(qid: str, option: str) -> int:
    return percent_of(2013, qid, option) - percent_of(2011, qid, option)


def points_words(n: int) -> str:
    sign = "±" if n == 0 else ("+" if n > 0 else "−")
    return f"{sign}{abs(n)} procentenhet{'' if abs(n) == 1 else 'er'}"


def mean_rank(year: int, option: str) -> Fraction | None:
    ranks = [raw["q10"][option] for raw in ANSWERS[year].values() if option in raw.get("q10", {})]
    return Fraction(sum(ranks), len(ranks)) if ranks else None


def one_decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
