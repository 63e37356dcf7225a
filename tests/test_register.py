"""The municipality register matches the seed's table "Antal kommuner i länet/regionen"."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from bou_desktop.collation import swedish_key, swedish_sorted
from bou_desktop.paths import resources_dir
from bou_desktop.survey.register import RegisterError, load_register


def seed_region_table(seed: str) -> dict[str, int]:
    """Region -> number of municipalities, read from the seed's response-rate table."""
    start = seed.index("\tAntal kommuner i länet/regionen\t")
    rows = re.findall(r"^([A-Za-zÅÄÖåäö]+)\t(\d+)\t(\d+)\t(\d+)%$", seed[start : start + 2000], flags=re.M)
    # The seed misspells Norrbotten; the register spells it right.
    return {("Norrbotten" if name == "Norrbottn" else name): int(total) for name, total, _answered, _pct in rows}


def test_290_unique_codes(register):
    codes = [m.code for m in register.municipalities]
    assert len(codes) == 290 == len(set(codes))
    assert all(re.fullmatch(r"\d{4}", c) for c in codes)
    assert len({m.name for m in register.municipalities}) == 290
    assert register.municipality("0180").name == "Stockholm"
    assert register.municipality("1480").name == "Göteborg"
    assert register.municipality("0580").name == "Linköping"


def test_each_region_count_equals_the_seeds_table(register, seed_text):
    table = seed_region_table(seed_text)
    total = table.pop("Total")
    assert total == 290 and len(table) == 24
    counts = Counter(m.region for m in register.municipalities)
    assert dict(counts) == table
    assert [r.name for r in register.regions] == list(table)  # the seed's order
    assert all(r.expected_count == table[r.name] for r in register.regions)


def test_vastra_gotaland_is_split_as_in_the_survey(register):
    assert register.municipality("1384").region == "Halland"  # Kungsbacka
    assert register.municipality("1489").region == "Sjuhärad"  # Alingsås
    assert sum(1 for m in register.municipalities if m.lan == "Västra Götaland") == 49


def test_codes_belong_to_their_county(register):
    county_of = {m.lan for m in register.municipalities}
    assert len(county_of) == 21
    prefixes: dict[str, set[str]] = {}
    for m in register.municipalities:
        prefixes.setdefault(m.lan, set()).add(m.code[:2])
    assert all(len(p) == 1 for p in prefixes.values()), prefixes


def test_region_municipalities_in_swedish_order(register):
    names = [m.name for m in register.in_region("Skåne")]
    assert names[-3:] == ["Ängelholm", "Örkelljunga", "Östra Göinge"]
    assert names.index("Åstorp") > names.index("Ystad") and names.index("Åstorp") < names.index("Ängelholm")


@pytest.mark.parametrize(
    "words, expected",
    [
        (["Örebro", "Ale", "Åmål", "Ängelholm", "Zinkgruvan", "Alvesta"], ["Ale", "Alvesta", "Zinkgruvan", "Åmål", "Ängelholm", "Örebro"]),
        (["ösa", "Åsa", "äsa", "asa"], ["asa", "Åsa", "äsa", "ösa"]),
        (["Émile", "Erik", "Ebba"], ["Ebba", "Émile", "Erik"]),
        (["Müller", "Mats", "Mörk", "Myra"], ["Mats", "Müller", "Myra", "Mörk"]),
    ],
)
def test_swedish_sort_order(words, expected):
    assert swedish_sorted(words) == expected


def test_plain_sorted_would_be_wrong():
    """Python's own order puts Å before Ä and lowercase after uppercase; ours does not."""
    words = ["Ängelholm", "Åmål", "ale"]
    assert sorted(words) != swedish_sorted(words) == ["ale", "Åmål", "Ängelholm"]
    assert swedish_key("Åmål") < swedish_key("Ängelholm") < swedish_key("Örebro")


def test_broken_register_is_refused(tmp_path):
    source = resources_dir()
    (tmp_path / "regioner.csv").write_text((source / "regioner.csv").read_text(encoding="utf-8"), encoding="utf-8")
    lines = (source / "kommuner.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "kommuner.csv").write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # one municipality missing
    with pytest.raises(RegisterError, match="Norrbotten ska ha 14 kommuner, kommuner.csv har 13"):
        load_register(tmp_path)
