"""Crash safety: every acknowledged change survives a kill, and the file is never corrupt (tools/crashtest)."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from bou_desktop import core
from bou_desktop.tools import crashtest
from bou_desktop.tools.crashtest import Ledger, parse_ack, planned_write, prepare, verify, write_stream

needs_sigkill = pytest.mark.skipif(sys.platform == "win32", reason="the kill test uses SIGKILL (POSIX)")
SUMMARY = re.compile(r"^Kill-test: (\d+) avbrott, (\d+) bekräftade ändringar, 0 förlorade, "
                     r"integritetskontroll ok varje gång$")


def _acknowledged(db: Path, count: int) -> Ledger:
    """A database with `count` changes saved in-process and the ledger of their ack lines."""
    ledger = prepare(db)
    lines: list[str] = []
    write_stream(db, 0, count=count, emit=lines.append)
    assert lines[0] == "open 0" and len(lines) == count + 1
    for line in lines[1:]:
        ledger.acknowledge(parse_ack(line))
    return ledger


# ---------------------------------------------------------------------------------------------- the plan
def test_consecutive_changes_of_a_field_always_differ():
    """What makes "the change after the last ack" recognisable, and gives every change an audit row."""
    for n in range(2000):
        change = planned_write(n)
        before = planned_write(n - crashtest.SLOTS).value if n >= crashtest.SLOTS else None
        assert change.value != before, n
        assert planned_write(n + crashtest.SLOTS).slot == change.slot
    assert len({planned_write(n).slot for n in range(crashtest.SLOTS)}) == crashtest.SLOTS


def test_the_plan_fits_the_form_and_the_register():
    form = core.forms().of_kind("kommun")[0]
    # The harness writes a comment, a tick and a single choice, all fields the form has.
    from bou_desktop.store.repository import _check_fields

    assert crashtest.FIELDS == ("q1.kommentar", "q2.politiker", "q5")  # the 2011 form's, found by their types
    for choice in crashtest.CHOICES:
        assert _check_fields(form, {crashtest.COMMENT: "text", crashtest.TICK_FIELD: "X", crashtest.CHOICE: choice}) == []
    assert len(crashtest.CHOICES) == 4
    for code in crashtest.KOMMUNER:
        core.register().municipality(code)


def test_ack_lines_round_trip():
    for n in (0, 4, 16, 29):  # a comment with a space, a tick on and off, a choice
        assert parse_ack(planned_write(n).ack_line() + "\n") == planned_write(n)
    assert planned_write(16).value is None and planned_write(16).ack_line().endswith(" -")
    with pytest.raises(ValueError):
        parse_ack("open 12")


# ---------------------------------------------------------------------------------------------- the checker
def test_checker_accepts_the_acknowledged_state_and_exactly_one_unacknowledged_change(tmp_path):
    db = tmp_path / "check.sqlite"
    ledger = _acknowledged(db, 60)  # five rounds over the 12 fields: every q5 option, ticks on and off
    verdict = verify(db, ledger)
    assert verdict.ok and not verdict.next_committed and verdict.integrity == "ok"

    write_stream(db, 60, count=1, emit=lambda _line: None)  # saved, killed before its ack line
    verdict = verify(db, ledger)
    assert verdict.ok and verdict.next_committed

    write_stream(db, 61, count=1, emit=lambda _line: None)  # a second unacknowledged change cannot exist
    verdict = verify(db, ledger)
    assert not verdict.ok
    assert verdict.lost == [f"{planned_write(61).kommun} {planned_write(61).key}: bekräftat "
                            f"{planned_write(49).value!r}, databasen har {planned_write(61).value!r}"]
    assert any("revisionsloggen stämmer inte" in text for text in verdict.audit)


def test_checker_reports_a_deleted_acknowledged_answer_as_lost(tmp_path):
    db = tmp_path / "check.sqlite"
    ledger = _acknowledged(db, 30)
    last = planned_write(29)
    assert last.value is not None
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM answers WHERE field = ? AND response_id = "
                     "(SELECT id FROM responses WHERE kommun = ?)", [last.key, last.kommun])
    conn.close()
    verdict = verify(db, ledger)
    assert verdict.lost == [f"{last.kommun} {last.key}: bekräftat {last.value!r}, databasen har (tomt)"]
    assert not verdict.ok and not verdict.next_committed


def test_checker_reports_an_acknowledged_value_that_is_not_in_the_database(tmp_path):
    db = tmp_path / "check.sqlite"
    ledger = _acknowledged(db, 30)
    ledger.values[("0180", "q1.kommentar")] = "ändring 9999"  # a fake ack the database never saw
    verdict = verify(db, ledger)
    assert verdict.lost == ["0180 q1.kommentar: bekräftat 'ändring 9999', databasen har 'ändring 24'"]


def test_checker_reports_a_missing_audit_row(tmp_path):
    db = tmp_path / "check.sqlite"
    ledger = _acknowledged(db, 30)
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")  # the schema itself forbids this; force it
        conn.execute("DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)")
    conn.close()
    verdict = verify(db, ledger)
    assert not verdict.ok and verdict.lost == [] and verdict.audit_missing == 1
    assert "revisionsloggen har 29 rader för 30 bekräftade ändringar" in verdict.audit


def _page(db: Path, table: str) -> tuple[int, int]:
    with sqlite3.connect(db) as conn:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    return (root - 1) * size, size


def test_checker_reports_a_corrupt_file(tmp_path):
    db = tmp_path / "check.sqlite"
    ledger = _acknowledged(db, 30)
    assert not Path(f"{db}-wal").exists()  # everything is in the main file, so editing it is enough

    # A table row that no longer matches its index: integrity_check answers with rows, not "ok".
    index_broken = tmp_path / "index.sqlite"
    data = bytearray(db.read_bytes())
    start, size = _page(db, "responses")
    at = start + data[start:start + size].index(b"0180")
    data[at:at + 4] = b"0181"
    index_broken.write_bytes(bytes(data))
    assert "missing from index" in verify(index_broken, ledger).integrity

    # A page of garbage: SQLite refuses to read it at all.
    garbage = tmp_path / "garbage.sqlite"
    data = bytearray(db.read_bytes())
    start, size = _page(db, "answers")
    data[start:start + size] = b"\xa5" * size
    garbage.write_bytes(bytes(data))
    verdict = verify(garbage, ledger)
    assert verdict.integrity != "ok" and not verdict.ok

    assert verify(db, ledger).ok  # the original was fine all along


# ---------------------------------------------------------------------------------------------- real kills
@needs_sigkill
def test_short_kill_run_loses_nothing(tmp_path):
    db = tmp_path / "kill.sqlite"
    report = crashtest.run(8, db, seed=2011, min_ms=20, max_ms=150)
    assert report.details == []
    assert report.kills == 8 and report.lost == 0 and report.integrity_failures == 0 and report.ok
    assert report.acknowledged > 0
    assert db.exists()  # a given database is kept
    again = crashtest.run(2, db, seed=2012)  # and can be used again: the test fields are emptied first
    assert again.ok and again.acknowledged > 0, again.details


@needs_sigkill
def test_kill_run_catches_a_writer_that_acknowledges_too_early(tmp_path):
    """The mutant acknowledges changes inside one open transaction per 200: killed, it loses acknowledged ones."""
    report = crashtest.run(8, tmp_path / "early.sqlite", seed=7, min_ms=20, max_ms=150, ack_early=True)
    assert not report.ok and report.lost > 0
    assert any(line.startswith("  förlorad: ") for line in report.details)
    assert re.search(rf" {report.lost} förlorade?, ", report.summary()) and SUMMARY.match(report.summary()) is None


@needs_sigkill
def test_command_line_prints_the_swedish_summary():
    result = subprocess.run([sys.executable, "-m", "bou_desktop.tools.crashtest", "--kills", "3"],
                            capture_output=True, text=True, encoding="utf-8", cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    summary = SUMMARY.match(result.stdout.splitlines()[-1])
    assert summary is not None, result.stdout
    assert summary[1] == "3" and int(summary[2]) > 0


@needs_sigkill
def test_command_line_exits_1_and_says_what_was_lost(tmp_path):
    result = subprocess.run([sys.executable, "-m", "bou_desktop.tools.crashtest", "--kills", "5", "--seed", "1",
                             "--ack-early", "--db", str(tmp_path / "early.sqlite")],
                            capture_output=True, text=True, encoding="utf-8", cwd=REPO, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "förlorad: " in result.stdout
    assert re.search(r"^Kill-test: \d+ avbrott, \d+ bekräftade ändringar, [1-9]\d* förlorade", result.stdout, re.M)
