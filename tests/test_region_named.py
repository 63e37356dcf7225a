"""Store.region_named: one answer to "which region is meant", for the store, the exports and every
command that takes --region. A name is found ignoring case and spaces and given back as the register
spells it; an unknown name is refused, in Swedish, naming the regions there are."""

from __future__ import annotations

import pytest

from bou_desktop import cli, core
from bou_desktop.store import StoreError

# The first and last of the 24 regions in Swedish order (Ö last, after Ä).
FIRST, LAST = "Blekinge", "Östergötland"


def test_a_region_by_name_and_an_unknown_one(store):
    assert store.region_named("  östergötland ") == "Östergötland"
    assert store.region_named("GÄVLEBORG") == "Gävleborg" and store.region_named("gr") == "GR"
    with pytest.raises(StoreError) as refused:
        store.region_named("Atlantis")
    message = str(refused.value)
    assert message.startswith(f"Regionen 'Atlantis' finns inte. Regioner: {FIRST}, ")
    assert message.endswith(f", {LAST}.") and message.count(", ") == 23  # 24 regions
    # the store's own uses say the same: the county compilation, and a leader's text for it
    for call in (lambda: store.compile(store.round_for(), "Atlantis"),
                 lambda: store.set_leader_text(store.round_for(), "Atlantis", "summary.q1", "Bra")):
        with pytest.raises(StoreError, match=f"^Regionen 'Atlantis' finns inte. Regioner: {FIRST}, "):
            call()


@pytest.mark.parametrize("command", [
    ["export", "raw", "--region", "Atlantis", "--csv", "{out}/rå.csv"],
    ["export", "national", "--region", "Atlantis", "--json", "{out}/riket.json"],
    ["export", "feedback", "--region", "Atlantis", "--out-dir", "{out}/återkoppling"],
    ["template", "--region", "Atlantis", "--out-dir", "{out}/mallar"],
])
def test_every_command_names_the_regions_there_are(tmp_path, capsys, command):
    db = tmp_path / "db.sqlite"
    core.open_store(db).close()
    out = tmp_path / "ut"
    out.mkdir()
    code = cli.main(["--db", str(db), *[part.format(out=out) for part in command]])
    refusal = capsys.readouterr().err.splitlines()[-1]  # (feedback first notes a missing national report)
    assert code == 1 and not any(out.iterdir())
    assert refusal.startswith(f"bou-desktop: Regionen 'Atlantis' finns inte. Regioner: {FIRST}, ")
    assert refusal.endswith(f", {LAST}.")
    # and the region found ignoring case is the register's
    if command[:2] == ["export", "raw"]:
        assert cli.main(["--db", str(db), "export", "raw", "--region", " östergötland", "--csv", str(out / "rå.csv")]) == 0
