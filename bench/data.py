"""The benchmark's data: made once per work folder, deterministic, never in the user's folders.

- `full.sqlite`: one round, all 290 municipalities answered and finished (synthetic answers);
- `rounds20.sqlite`: the same for 20 rounds (2011 to 2030);
- `svarsfiler/`: the 290 responses of `full.sqlite` as Excel svarsfiler, as municipalities send them;
- `lansfiler/`: the 24 regions' county compilations of `full.sqlite` as Excel files, as SKL gets them;
- `skl1.sqlite`, `skl20.sqlite`: SKL's databases with the 24 county files of every round of `full.sqlite`
  and `rounds20.sqlite` imported (what the national view compiles and compares).
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from bou_desktop.core import open_store
from bou_desktop.demo import synthetic_answers
from bou_desktop.exchange.county_export import CountyTargets, county_file_stem, export_county
from bou_desktop.exchange.county_file import county_json_bytes
from bou_desktop.exchange.national_file import import_county_bytes
from bou_desktop.exchange.response_export import export_response_xlsx, template_name
from bou_desktop.store import Store

FIRST_YEAR = 2011
MODES = ("intervju", "telefon", "egen_ifyllning")


def fill_round(store: Store, year: int, seed: int) -> None:
    """Every municipality answered and finished for the round of `year`."""
    rng = random.Random(seed)
    round_ = store.round_for(year)
    with store.bulk():
        for municipality in store.municipalities():
            meta = {"svarssatt": rng.choice(MODES), "datum": f"{year}-11-{rng.randint(1, 25):02d}",
                    "intervjuare": "Bänk Utvecklingsledare"}
            store.save_answers(round_, municipality.code, synthetic_answers(store, rng), source="demo",
                               status="klar", meta=meta)


def make_database(path: Path, rounds: int = 1, *, seed: int = 2011) -> Path:
    """A database with `rounds` rounds, each with every municipality answered; kept when it exists."""
    if path.exists():
        return path
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    store = open_store(partial)
    try:
        form_id = store.round_for().form_id
        years = [FIRST_YEAR + i for i in range(rounds)]
        for year in years:
            if all(r.year != year for r in store.rounds()):
                store.add_round(year, form_id, source="system")
            fill_round(store, year, seed + year)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    partial.rename(path)
    return path


def _export_each(database: Path, folder: Path, count: int, exports) -> list[Path]:
    """Files written by `exports(store, round_)` (pairs of a target and a writer), kept when made before."""
    if folder.is_dir() and len(list(folder.glob("*.xlsx"))) >= count:
        return sorted(folder.glob("*.xlsx"))[:count]
    folder.mkdir(parents=True, exist_ok=True)
    store = open_store(database)
    try:
        round_ = store.round_for()
        for target, write in list(exports(store, round_))[:count]:
            write(folder / target)
    finally:
        store.close()
    return sorted(folder.glob("*.xlsx"))[:count]


def make_svarsfiler(database: Path, folder: Path, count: int = 290) -> list[Path]:
    """The first `count` municipalities' responses as the Excel svarsfiler they would send back."""

    def exports(store: Store, round_):
        for m in store.municipalities():
            yield (template_name(round_, m.code, m.name),
                   lambda target, code=m.code: export_response_xlsx(store, round_, code, target, overwrite=True))

    return _export_each(database, folder, count, exports)


def make_county_files(database: Path, folder: Path) -> list[Path]:
    """The 24 regions' county compilations as the Excel files SKL receives."""

    def exports(store: Store, round_):
        for region in store.regions():
            yield (f"{county_file_stem(region.name, round_.year)}.xlsx",
                   lambda target, name=region.name: export_county(
                       store, round_, name, CountyTargets(xlsx=target), overwrite=True,
                       exported_by=f"Utvecklingsledare {name}"))

    return _export_each(database, folder, 24, exports)


def make_skl_database(leaders: Path, path: Path) -> Path:
    """SKL's database: every round of `leaders` with the 24 regions' county files (JSON) imported; kept
    when it exists."""
    if path.exists():
        return path
    partial = path.with_name(path.name + ".partial")
    copy = path.with_name(path.name + ".source")  # the leaders' data set is only read, through a copy
    for name in (partial, copy):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(leaders, copy)
    source, store = open_store(copy), open_store(partial)
    try:
        for round_ in sorted(source.rounds(), key=lambda r: r.year):
            if all(r.year != round_.year for r in store.rounds()):
                store.add_round(round_.year, round_.form_id, source="system")
            for region in source.regions():
                data = county_json_bytes(source.compile(round_, region.name),
                                         exported_by=f"Utvecklingsledare {region.name}")
                outcome, message = import_county_bytes(store, data, f"{county_file_stem(region.name, round_.year)}.json")
                if outcome != "importerad":
                    raise RuntimeError(f"{path.name}: {message}")
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        source.close()
        store.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
    partial.rename(path)
    return path


class BenchData:
    """Paths to the data sets, made on first use in `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    @property
    def full(self) -> Path:
        return make_database(self.folder / "full.sqlite", 1)

    @property
    def rounds20(self) -> Path:
        return make_database(self.folder / "rounds20.sqlite", 20)

    @property
    def svarsfiler(self) -> list[Path]:
        return make_svarsfiler(self.full, self.folder / "svarsfiler")

    def some_svarsfiler(self, count: int) -> list[Path]:
        return make_svarsfiler(self.full, self.folder / "svarsfiler", count)

    @property
    def county_files(self) -> list[Path]:
        return make_county_files(self.full, self.folder / "lansfiler")

    @property
    def skl1(self) -> Path:
        return make_skl_database(self.full, self.folder / "skl1.sqlite")

    @property
    def skl20(self) -> Path:
        return make_skl_database(self.rounds20, self.folder / "skl20.sqlite")
