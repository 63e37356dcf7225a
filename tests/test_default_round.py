"""Store.default_round: the one rule for the round a person works on when none is chosen, shared by the
command line (`--round`, `--form-id`) and the window (its first round). Each case names the round it
expects by year and form id, as the test set the database up."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_region_scope import FORM as OWN_FORM
from test_region_scope import FORM_ID as OWN_ID
from test_rounds import FORM as PROV_FORM

from bou_desktop import core
from bou_desktop.paths import forms_dir
from bou_desktop.store import RoundsOfOneYear, StoreError


def which(round_) -> tuple[int, str]:
    return round_.year, round_.form_id


@pytest.fixture
def forms(tmp_path) -> dict[str, Path]:
    folder = tmp_path / "formulär"
    folder.mkdir()
    (folder / "provenkat.toml").write_text(PROV_FORM, encoding="utf-8")
    (folder / f"{OWN_ID}.toml").write_text(OWN_FORM, encoding="utf-8")
    return {"provenkat": folder / "provenkat.toml", "own": folder / f"{OWN_ID}.toml",
            "lagesrapport": forms_dir() / "lagesrapport2013.toml"}


@pytest.fixture
def store(tmp_path):
    store = core.open_store(tmp_path / "rundor.sqlite")  # its 2011 round of the municipalities' form
    yield store
    store.close()


def test_the_latest_round_and_per_municipality_the_latest_a_municipality_answers(store, forms):
    store.add_round(2013, forms["lagesrapport"])  # answered per region
    assert which(store.default_round()) == (2013, "lagesrapport")
    assert which(store.default_round(per_municipality=True)) == (2011, "kommunenkat")
    assert which(store.default_round(2011)) == (2011, "kommunenkat")
    # a year whose only round is answered per region: that round, also per municipality (nothing else fits)
    assert which(store.default_round(2013, per_municipality=True)) == (2013, "lagesrapport")


def test_a_regions_own_survey_only_when_named_or_nothing_else_fits(store, forms):
    store.add_round(2012, forms["own"])  # the latest round, but the region's own survey
    for per_municipality in (False, True):
        assert which(store.default_round(per_municipality=per_municipality)) == (2011, "kommunenkat")
        assert which(store.default_round(form_id=OWN_ID, per_municipality=per_municipality)) == (2012, OWN_ID)
        assert which(store.default_round(2012, per_municipality=per_municipality)) == (2012, OWN_ID)  # the only one
    store.add_round(2011, forms["own"])  # beside the programme's round of the same year
    assert which(store.default_round(2011)) == (2011, "kommunenkat")  # not two rounds to choose between
    assert which(store.default_round(2011, OWN_ID)) == (2011, OWN_ID)


def test_a_year_of_two_rounds_names_them(store, forms):
    store.add_round(2013, forms["lagesrapport"])
    store.add_round(2013, forms["provenkat"])
    with pytest.raises(RoundsOfOneYear) as refused:
        store.default_round(2013)
    assert isinstance(refused.value, StoreError)
    assert str(refused.value) == ("År 2013 har 2 omgångar: Lägesrapport 2013 (--form-id lagesrapport); "
                                  "Provenkät om uppföljning 2013 (--form-id provenkat). Välj en med --form-id.")
    assert [which(r) for r in refused.value.rounds] == [(2013, "lagesrapport"), (2013, "provenkat")]
    # per municipality only one of them fits; named, either is taken
    assert which(store.default_round(2013, per_municipality=True)) == (2013, "provenkat")
    assert which(store.default_round(2013, "lagesrapport")) == (2013, "lagesrapport")
    assert which(store.default_round(None, "provenkat")) == (2013, "provenkat")


def test_an_unknown_round_says_which_are_known(store, forms):
    store.add_round(2013, forms["lagesrapport"])
    with pytest.raises(StoreError) as refused:
        store.default_round(2020, per_municipality=True)
    assert str(refused.value) == "Omgången 2020 finns inte i databasen (kända omgångar: 2011, 2013)."
    with pytest.raises(StoreError) as refused:
        store.default_round(2011, "lagesrapport")
    assert str(refused.value) == ("Omgången 2011 av formuläret 'lagesrapport' finns inte i databasen "
                                  "(kända omgångar: 2011 kommunenkat, 2013 lagesrapport).")
