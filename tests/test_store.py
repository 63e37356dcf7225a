"""The SQLite store: schema, transactions, the audit log, refusing what it cannot use."""

from __future__ import annotations

import sqlite3

import pytest
from old_database import database_before

from bou_desktop import core
from bou_desktop.store import DatabaseError, NewerDatabaseError, StoreError
from bou_desktop.survey.answers import Answers


def test_new_database_is_wal_with_foreign_keys_and_first_round(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    round_ = store.round_for()
    assert (round_.year, round_.form_id, round_.form_version) == (2011, "kommunenkat", "2011")
    count = lambda table: store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: E731
    assert count("municipalities") == 290 and count("regions") == 24


def test_reopening_keeps_data_and_applies_no_migration_twice(tmp_path):
    path = tmp_path / "a.sqlite"
    first = core.open_store(path)
    first.set_field(first.round_for(), "0580", "q1", "ja")
    first.close()
    second = core.open_store(path)
    assert second.response(second.round_for(), "0580").fields == {"q1": "ja"}
    assert [r["name"] for r in second.db.query("SELECT name FROM _sqlite_migrations")] == [
        "0001_initial", "0002_national", "0003_importerad_status", "0004_round_forms", "0005_response_units",
        "0006_compilation_fields", "0007_report_texts"]
    second.close()


def test_every_change_is_audited_with_old_and_new(store):
    round_ = store.round_for()
    store.set_field(round_, "0580", "q1", "ja")
    store.set_field(round_, "0580", "q1", "nej")
    store.set_field(round_, "0580", "q1.kommentar", "Nytt verksamhetssystem")
    record = store.response(round_, "0580")
    log = [(e.field, e.old, e.new, e.source) for e in store.audit_log(record.uuid)]
    assert log == [
        ("svar", None, "skapat", "gui"),
        ("q1", None, "ja", "gui"),
        ("q1", "ja", "nej", "gui"),
        ("q1.kommentar", None, "Nytt verksamhetssystem", "gui"),
    ]


def test_audit_log_cannot_be_edited(store):
    store.set_field(store.round_for(), "0580", "q1", "ja")
    with pytest.raises(sqlite3.DatabaseError, match="granskningsloggen"):
        store.db.execute("UPDATE audit_log SET new = 'nej'")
    with pytest.raises(sqlite3.DatabaseError, match="granskningsloggen"):
        store.db.execute("DELETE FROM audit_log")


def test_a_refused_write_changes_nothing(store):
    round_ = store.round_for()
    store.set_field(round_, "0580", "q1", "ja")
    before = store.snapshot()
    with pytest.raises(StoreError, match="okänt svarsalternativ"):
        store.set_field(round_, "0580", "q5", "kanske")
    with pytest.raises(StoreError):
        store.set_field(round_, "0580", "q10.basuppgifter", "8")
    with pytest.raises(StoreError, match="finns inte i kommunregistret"):
        store.set_field(round_, "9999", "q1", "ja")
    assert store.snapshot() == before


def test_transaction_is_all_or_nothing(store, monkeypatch):
    """A failure half-way through saving a whole response leaves no part of it."""
    round_ = store.round_for()
    answers = Answers(choices={"q1": ["ja"], "q2": ["politiker", "chefer"]}, comments={"q2": "Årligen"})
    before = store.snapshot()
    calls = {"n": 0}
    original = store._audit

    def failing_audit(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise sqlite3.OperationalError("disk I/O error")
        return original(*args, **kwargs)

    monkeypatch.setattr(store, "_audit", failing_audit)
    with pytest.raises(sqlite3.OperationalError):
        store.save_answers(round_, "0580", answers, source="cli")
    assert store.snapshot() == before


def test_finished_response_is_read_only_in_the_gui_until_reopened_with_reason(store):
    round_ = store.round_for()
    store.set_field(round_, "0580", "q1", "ja")
    store.set_status(round_, "0580", "klar")
    with pytest.raises(StoreError, match="klart"):
        store.set_field(round_, "0580", "q1", "nej")
    with pytest.raises(StoreError, match="Ange varför"):
        store.set_status(round_, "0580", "utkast")
    store.set_status(round_, "0580", "utkast", reason="Kommunen kompletterade fråga 3")
    store.set_field(round_, "0580", "q1", "nej")
    reasons = [e.reason for e in store.audit_log(store.response(round_, "0580").uuid) if e.field == "status"]
    assert reasons == [None, "Kommunen kompletterade fråga 3"]


def test_database_from_a_newer_version_is_refused_and_untouched(tmp_path):
    path = tmp_path / "new.sqlite"
    core.open_store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('bou_desktop', '0099_future', 'x')")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerDatabaseError, match="nyare version"):
        core.open_store(path)
    assert path.read_bytes() == before


def test_other_sqlite_file_is_refused_and_untouched(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="ingen BoU Desktop-databas"):
        core.open_store(path)
    assert path.read_bytes() == before


def test_not_a_database_is_refused(tmp_path):
    path = tmp_path / "junk.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DatabaseError):
        core.open_store(path)


def test_unknown_round_is_refused(store):
    with pytest.raises(StoreError, match="Omgången 2030 finns inte"):
        store.round_for(2030)


def test_a_new_round_uses_the_same_form_without_code(store):
    round_ = store.add_round(2012, "kommunenkat")
    assert store.round_for().year == 2012
    store.set_field(round_, "0580", "q1", "nej")
    assert store.response(store.round_for(2011), "0580") is None
    assert store.response(round_, "0580").fields == {"q1": "nej"}


def test_an_older_database_is_upgraded_in_place_keeping_its_answers(tmp_path):
    """A database made before the national tables existed opens, gains them, and keeps every answer."""
    from sqlite_utils import Database

    from bou_desktop.store.schema import migrations

    path = tmp_path / "old.sqlite"
    old = Database(path)
    migrations().apply(old, stop_before="0002_national")
    old.close()
    store = core.open_store(path)
    store.set_field(store.round_for(), "0580", "q1", "ja")
    store.close()
    reopened = core.open_store(path)
    assert "county_files" in reopened.db.table_names()
    assert reopened.response(reopened.round_for(), "0580").fields == {"q1": "ja"}
    reopened.close()


def test_a_database_from_before_importerad_is_upgraded_keeping_answers_and_their_cascade(tmp_path):
    """0003 rebuilds the responses table to allow "importerad"; answers and their foreign key survive."""


    path = tmp_path / "old.sqlite"
    old = database_before(path, "0003_importerad_status")
    with pytest.raises(sqlite3.IntegrityError):
        old.execute("UPDATE responses SET status = 'importerad'")
    old.close()
    store = core.open_store(path)
    round_ = store.round_for()
    record = store.response(round_, "0580")
    assert (record.uuid, record.status, record.fields) == ("u-1", "klar", {"q1": "ja"})
    store.save_answers(round_, "0581", Answers(choices={"q1": ["nej"]}), source="import", status="importerad")
    assert store.response(round_, "0581").status == "importerad"
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("UPDATE responses SET status = 'okänd'")
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    store.db.execute("DELETE FROM responses WHERE id = 7")  # the cascade still reaches the answers
    assert store.db.execute("SELECT count(*) FROM answers WHERE response_id = 7").fetchone()[0] == 0
    assert "idx_responses_round_status" in [r[0] for r in store.db.execute("SELECT name FROM sqlite_master")]
    store.close()


def test_a_changed_register_reaches_an_existing_database_when_it_opens(tmp_path):
    """The register in resources/ wins: a renamed or moved municipality is updated on the next start."""
    path = tmp_path / "db.sqlite"
    store = core.open_store(path)
    store.db.execute("UPDATE municipalities SET name = 'Gamla namnet', region = 'Skåne' WHERE code = '0580'")
    store.db.execute("DELETE FROM municipalities WHERE code = '0114'")
    store.close()
    reopened = core.open_store(path)
    rows = dict(reopened.db.execute("SELECT code, name || '/' || region FROM municipalities WHERE code IN ('0580', '0114')"))
    assert rows == {"0580": "Linköping/Östergötland", "0114": "Upplands Väsby/Stockholm"}
    reopened.close()


def test_nested_transactions_roll_back_only_their_own_part(tmp_path):
    store = core.open_store(tmp_path / "db.sqlite")
    round_ = store.round_for()
    with store.db.atomic():
        store.set_field(round_, "0580", "q1", "ja")
        with pytest.raises(RuntimeError), store.db.atomic():
            store.set_field(round_, "0580", "q1", "nej")
            store.set_field(round_, "0581", "q1", "ja")
            raise RuntimeError("stopp")
    assert store.response(round_, "0580").fields == {"q1": "ja"}
    assert store.response(round_, "0581") is None
    with pytest.raises(RuntimeError), store.db.atomic():
        store.set_field(round_, "0586", "q1", "ja")
        raise RuntimeError("stopp")
    assert store.response(round_, "0586") is None
    store.close()


def test_a_commit_by_another_connection_is_noticed_once_and_told_to_the_listeners(tmp_path):
    here = core.open_store(tmp_path / "db.sqlite")
    told = []
    here.on_change(lambda: told.append("ändrat"))
    round_ = here.round_for()
    here.set_field(round_, "0580", "q1", "ja")  # our own commit: the listeners hear of it at once
    assert told == ["ändrat"] and not here.changed_elsewhere()
    there = core.open_store(tmp_path / "db.sqlite")
    there.set_field(round_, "0581", "q1", "nej")
    there.close()
    assert here.changed_elsewhere() and told == ["ändrat", "ändrat"]
    assert not here.changed_elsewhere()  # told once
    assert here.response(round_, "0581").fields == {"q1": "nej"}
    here.close()


def test_the_county_forms_fields_move_from_fixed_columns_to_their_own_table(tmp_path):
    """0006: the leader's name and other views, two columns until now, become fields by id; nothing is lost."""
    from sqlite_utils import Database

    from bou_desktop.store.schema import migrations

    path = tmp_path / "old.sqlite"
    old = Database(path)
    migrations().apply(old, stop_before="0006_compilation_fields")
    old.executescript("""
        INSERT INTO regions VALUES ('Östergötland', 'Östergötlands län', 13, 20);
        INSERT INTO rounds VALUES (1, 2011, 'kommunenkat', '2011', 'lanssammanstallning', 'Kartläggning 2011', 't');
        INSERT INTO compilations (id, round_id, region, utvecklingsledare, ovriga_synpunkter, modified)
            VALUES (3, 1, 'Östergötland', 'Åsa Öberg', 'Bra enkät; för kort tid.', 't');
    """)
    old.close()
    store = core.open_store(path)
    leader = store.leader_texts(store.round_for(), "Östergötland")
    assert leader.fields == {"utvecklingsledare": "Åsa Öberg", "ovriga_synpunkter": "Bra enkät; för kort tid."}
    columns = [row[1] for row in store.db.execute("PRAGMA table_info(compilations)")]
    assert "utvecklingsledare" not in columns and "ovriga_synpunkter" not in columns
    store.set_leader_text(store.round_for(), "Östergötland", "utvecklingsledare", "")  # emptied: the field goes
    assert store.leader_texts(store.round_for(), "Östergötland").fields == {"ovriga_synpunkter": "Bra enkät; för kort tid."}
    store.close()


def test_a_county_form_with_fields_of_its_own_stores_them(tmp_path):
    """A county form with an e-mail field and a second free text: both are stored by their ids."""
    from every_type import write_forms_with_county_fields

    folder = write_forms_with_county_fields(tmp_path / "former")
    from bou_desktop.store import Store, StoreError
    from bou_desktop.survey.forms import FormLibrary

    store = Store.open(tmp_path / "db.sqlite", FormLibrary.load(folder), core.register())
    round_ = store.round_for()
    store.set_leader_text(round_, "Gotland", "epost", "ledare@gotland.se")
    store.set_leader_text(round_, "Gotland", "nasta_steg", "Fler nätverksträffar")
    store.set_leader_text(round_, "Gotland", "ledarens_namn", "Örjan Åberg")
    assert store.leader_texts(round_, "Gotland").fields == {
        "epost": "ledare@gotland.se", "nasta_steg": "Fler nätverksträffar", "ledarens_namn": "Örjan Åberg"}
    with pytest.raises(StoreError, match="Okänt fält"):
        store.set_leader_text(round_, "Gotland", "telefon", "0498-")
    history = [(e.field, e.new) for e in store.compilation_audit(round_, "Gotland")]
    assert ("lan.epost", "ledare@gotland.se") in history
    store.save_answers(round_, "0980", Answers(choices={"har": ["nej"]}), source="gui", status="klar")
    store.remove_personal_data(round_, reason="Omgången är slut")  # the personal field goes, the others stay
    assert store.leader_texts(round_, "Gotland").fields == {"epost": "ledare@gotland.se", "nasta_steg": "Fler nätverksträffar"}
    store.close()


def test_0005_lets_a_response_name_its_region_and_keeps_the_answers_of_2011(tmp_path):
    """0005 rebuilds responses without the reference to municipalities: a region-level round's unit is the
    region's name. A 2011 response, its answers and their cascade survive; the unit is checked by the store."""


    path = tmp_path / "old.sqlite"
    old = database_before(path, "0005_response_units", status="importerad", origin="import")
    old.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError):  # before 0005 the unit had to be a municipality
        old.execute("INSERT INTO responses (uuid, round_id, kommun, created, modified) VALUES ('u-2', 1, 'Östergötland', 't', 't')")
    old.close()
    store = core.open_store(path)
    round_ = store.round_for(2011)
    record = store.response(round_, "0580")
    assert (record.uuid, record.status, record.fields) == ("u-1", "importerad", {"q1": "ja"})
    with pytest.raises(StoreError, match="Kommunkoden"):
        store.set_field(round_, "Östergötland", "q1", "ja")  # a municipal round's unit is still a municipality
    region_round = store.add_round(2013, "lagesrapport")
    store.set_field(region_round, "Östergötland", "q1a", "2")
    assert [r.kommun for r in store.responses(region_round, "Östergötland")] == ["Östergötland"]
    assert store.unit_name(region_round, "Östergötland") == "Östergötland"
    with pytest.raises(StoreError, match="besvaras per region"):
        store.set_field(region_round, "0580", "q1a", "2")
    assert "REFERENCES municipalities" not in store.db.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'responses'").fetchone()[0]
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    store.db.execute("DELETE FROM responses WHERE id = 7")  # the cascade still reaches the answers
    assert store.db.execute("SELECT count(*) FROM answers WHERE response_id = 7").fetchone()[0] == 0
    assert "idx_responses_round_status" in [r[0] for r in store.db.execute("SELECT name FROM sqlite_master")]
    store.close()


def test_0005_also_reaches_a_database_that_already_has_0006(tmp_path):
    """0006 shipped before 0005: a database made then gets 0005 on its next start, its answers kept."""
    from sqlite_utils import Database, Migrations

    from bou_desktop.store.schema import MIGRATION_SET, compilation_fields, migrations

    path = tmp_path / "made_with_0006.sqlite"
    old = Database(path)
    migrations().apply(old, stop_before="0005_response_units")
    without_0005 = Migrations(MIGRATION_SET)
    without_0005(name="0006_compilation_fields")(compilation_fields)
    without_0005.apply(old)
    old.close()
    store = core.open_store(path)
    assert {r["name"] for r in store.db.query("SELECT name FROM _sqlite_migrations")} >= {
        "0005_response_units", "0006_compilation_fields"}
    region_round = store.add_round(2013, "lagesrapport")
    store.set_field(region_round, "Skåne", "q1a", "3")
    assert store.response(region_round, "Skåne").fields == {"q1a": "3"}
    store.close()


@pytest.mark.parametrize("source", ["system", "webb"])
def test_a_response_of_an_origin_not_allowed_is_refused_with_what_is_allowed(store, source):
    """A response created with an origin the database does not take: the message says what is wrong and
    which origins are allowed, not that the response's id is already taken; nothing is written."""
    round_ = store.round_for()
    with pytest.raises(StoreError) as refused:
        store.set_field(round_, "0580", "q1", "ja", source=source)
    message = str(refused.value)
    assert "finns redan" not in message
    assert repr(source) in message and "ursprung" in message
    for allowed in ("gui", "import", "cli", "demo"):
        assert allowed in message
    assert store.response(round_, "0580") is None
    assert store.db.execute("SELECT count(*) FROM audit_log WHERE kommun = '0580'").fetchone()[0] == 0


def test_removing_personal_data_names_the_unfinished_responses_and_how_many(store):
    """One unfinished response: its name, no "…" as if there were more; seven: how many, the first five in
    Swedish order and how many more."""
    round_ = store.round_for()
    store.set_field(round_, "0580", "q1", "ja")  # Linköping, an unfinished response
    with pytest.raises(StoreError) as refused:
        store.remove_personal_data(round_, reason="Omgången är avslutad")
    assert str(refused.value) == "Omgången har 1 svar som inte är klart (Linköping); markera det som klart först."
    # Åtvidaberg, Ödeshög, Boxholm, Finspång, Kinda, Mjölby: with Linköping seven, sorted as in Swedish
    for code in ("0561", "0509", "0560", "0562", "0513", "0586"):
        store.set_field(round_, code, "q1", "ja")
    with pytest.raises(StoreError) as refused:
        store.remove_personal_data(round_, reason="Omgången är avslutad")
    assert str(refused.value) == ("Omgången har 7 svar som inte är klara (Boxholm, Finspång, Kinda, Linköping, "
                                  "Mjölby och 2 till); markera dem som klara först.")
