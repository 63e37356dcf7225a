"""The municipality register: 290 municipalities in the survey's 24 regions (resources/*.csv)."""

from __future__ import annotations

import csv
from pathlib import Path

from ..collation import swedish_sorted
from ..records import Record, record


class RegisterError(ValueError):
    pass


@record
class Region(Record):
    name: str
    lan: str
    expected_count: int
    order: int
    note: str = ""  # a footnote under the response-rate table (Västra Götaland's four regions)


@record
class Municipality(Record):
    code: str
    name: str
    lan: str
    region: str


@record
class Register(Record):
    regions: tuple[Region, ...]
    municipalities: tuple[Municipality, ...]

    def region(self, name: str) -> Region:
        for region in self.regions:
            if region.name == name:
                return region
        raise KeyError(name)

    def find_region(self, name: str) -> Region | None:
        """A region by name, ignoring case and surrounding spaces."""
        wanted = name.strip().casefold()
        return next((r for r in self.regions if r.name.casefold() == wanted), None)

    def municipality(self, code: str) -> Municipality:
        for municipality in self.municipalities:
            if municipality.code == code:
                return municipality
        raise KeyError(code)

    def in_region(self, region: str) -> list[Municipality]:
        """The region's municipalities in Swedish alphabetical order."""
        return swedish_sorted((m for m in self.municipalities if m.region == region), key=lambda m: m.name)


def _rows(path: Path, columns: list[str], optional: tuple[str, ...] = ()) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames not in (columns, columns + list(optional)):
                raise RegisterError(f"{path.name}: kolumnerna ska vara {','.join(columns)}")
            return [{k: (v or "").strip() for k, v in row.items()} for row in reader]
    except OSError as error:
        raise RegisterError(f"{path.name}: kan inte läsas: {error.strerror or error}") from error


def load_register(folder: Path) -> Register:
    """Read and check resources/regioner.csv and resources/kommuner.csv."""
    region_rows = _rows(folder / "regioner.csv", ["namn", "lan", "antal_kommuner", "ordning"], ("fotnot",))
    regions = tuple(
        sorted(
            (Region(r["namn"], r["lan"], int(r["antal_kommuner"]), int(r["ordning"]), r.get("fotnot", ""))
             for r in region_rows),
            key=lambda r: r.order,
        )
    )
    names = {r.name for r in regions}
    muni_rows = _rows(folder / "kommuner.csv", ["kod", "namn", "lan", "region"])
    municipalities = tuple(Municipality(r["kod"], r["namn"], r["lan"], r["region"]) for r in muni_rows)
    codes = [m.code for m in municipalities]
    if len(set(codes)) != len(codes):
        raise RegisterError("kommuner.csv: samma kommunkod förekommer flera gånger")
    for m in municipalities:
        if len(m.code) != 4 or not m.code.isdigit():
            raise RegisterError(f"kommuner.csv: ogiltig kommunkod {m.code!r}")
        if m.region not in names:
            raise RegisterError(f"kommuner.csv: {m.name} hör till okänd region {m.region!r}")
    for region in regions:
        count = sum(1 for m in municipalities if m.region == region.name)
        if count != region.expected_count:
            raise RegisterError(
                f"regioner.csv: {region.name} ska ha {region.expected_count} kommuner, kommuner.csv har {count}"
            )
    return Register(regions, municipalities)
