"""Kill test: every change acknowledged before a crash is in the database, and the file is never corrupt.

    python -m bou_desktop.tools.crashtest [--kills N] [--db FIL] [--seed S] [--min-ms MS] [--max-ms MS]

The DRIVER starts a WRITER process (`--writer DB START`) on a database file, lets it save answer changes
for a random short time, kills it with SIGKILL (TerminateProcess on Windows) and then, with a fresh
connection, checks the file: `PRAGMA integrity_check` must say "ok", every acknowledged change must be
stored, and the audit log must hold one row per change. Repeated N times; the summary is in Swedish and
the exit code is 1 when anything was lost or broken. Without --db a temporary file is used and deleted.

The writer saves, in a strictly sequential loop, the change numbered n = START, START + 1, ... with
`Store.set_field(..., source="gui")` (the GUI's autosave: one transaction with its audit row) and, when
that call has returned, writes the line `ack {n} {kommun} {field} {value}` (value "-" = field removed)
with a single os.write on stdout: the acknowledgement, i.e. what the user was shown as saved.

Ordering of commit and acknowledgement, and what the checker therefore accepts
-----------------------------------------------------------------------------
* `set_field` returns only after COMMIT has returned (WAL, synchronous=FULL: the WAL is synced), and the
  ack line is written only after that. Once os.write has returned, the line is in the kernel's pipe
  buffer and survives the writer's death; the driver reads it after the kill. So with A the last
  acknowledged number, every change n <= A MUST be in the database.
* Change A + 1 may be not started, half done (an uncommitted transaction, which SQLite discards on the
  next open), or committed but not acknowledged (killed between COMMIT and the ack line). Change A + 2
  cannot have started: it begins only after ack A + 1 was written, and then A + 1 would be acknowledged.
  So exactly one change may legitimately be present without an acknowledgement, nothing beyond it.
* What is written is a pure function of n (`planned_write`), and consecutive changes of one
  (kommun, field) always differ (a counter in the comment, the tick toggles, the choice cycles through
  four options). So for every field the stored value must be the one of its last acknowledged change,
  except that the field of change A + 1 may instead hold the value of A + 1; any other value is a loss.
  The two cases cannot be confused, because A + 1's value differs from the previous value of its field.
* The driver, not the writer, picks the next START: A + 1 if change A + 1 was not found, else A + 2.
  The sequence of committed changes thus stays gapless and never repeats a change, so every change
  really alters its field and writes exactly one audit row, and the audit rows of the test fields must
  be exactly the planned changes 0, 1, ..., C - 1 (C = committed changes): stronger than "at least one
  audit row per acknowledged change", which is checked and reported too.
* An acknowledged change that is missing counts as lost; the run stops at the first round that finds
  anything wrong (later rounds would measure against a broken state) and the details say what.

Not covered: a power cut or OS crash (SIGKILL leaves the OS page cache intact, so fsync is never put to
the test), two programs writing at once, a full disk.

A small share of the kills (10 %) lands while the writer opens the database (migrations, register
upsert) instead of while it saves answers. `--ack-early` (hidden) makes a deliberately wrong writer that
acknowledges changes still inside an open transaction (committed every 200 changes): the tests
use it to show that the driver and checker really do find lost changes.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import core
from ..store import DatabaseError, Store, StoreError
from ..store.connection import Connection

MODULE = "bou_desktop.tools.crashtest"
KOMMUNER = ("0180", "1480", "1280", "0380")  # Stockholm, Göteborg, Malmö, Uppsala


def _fields_of(form) -> tuple[tuple[str, str, str], tuple[str, ...]]:
    """The fields the harness writes, taken from the form: a comment (on the first question), a tick
    (the first option of the first multiple-choice question) and a single choice (the single-choice
    question with the most options), and that question's options."""
    first = form.questions[0]
    multi = next(q for q in form.questions if q.type == "multi")
    single = max((q for q in form.questions if q.type == "single"), key=lambda q: len(q.options))
    return (f"{first.id}.kommentar", f"{multi.id}.{multi.options[0].id}", single.id), single.option_ids()


FIELDS, CHOICES = _fields_of(core.forms().of_kind("kommun")[0])
COMMENT, TICK_FIELD, CHOICE = FIELDS
SLOTS = len(KOMMUNER) * len(FIELDS)
REMOVED = "-"  # the ack line's value for a removed field (an unticked box)
STARTUP_TIMEOUT = 60.0  # seconds to wait for a writer's first sign of life
WRITER_MAX_SECONDS = 300.0  # a writer whose driver vanished without closing the pipe still stops
STARTUP_SHARE = 0.1
EARLY_GROUP = 200  # --ack-early: changes per (too late) commit; far more time in the open transaction than in COMMIT

Slot = tuple[str, str]


@dataclass(frozen=True)
class Write:
    """One planned change: number, municipality, field and value (None removes the field)."""

    n: int
    kommun: str
    key: str
    value: str | None

    @property
    def slot(self) -> Slot:
        return (self.kommun, self.key)

    def ack_line(self) -> str:
        return f"ack {self.n} {self.kommun} {self.key} {REMOVED if self.value is None else self.value}"


def planned_write(n: int) -> Write:
    """Change number n. Consecutive changes of the same (kommun, field) never have the same value."""
    slot, turn = n % SLOTS, n // SLOTS
    kommun, key = KOMMUNER[slot % len(KOMMUNER)], FIELDS[slot // len(KOMMUNER)]
    if key == COMMENT:
        value: str | None = f"ändring {n}"
    elif key == TICK_FIELD:
        value = "X" if turn % 2 == 0 else None
    else:
        value = CHOICES[turn % len(CHOICES)]
    return Write(n, kommun, key, value)


def parse_ack(line: str) -> Write:
    """The change an ack line acknowledges; ValueError when the line is not one."""
    parts = line.rstrip("\r\n").split(" ", 4)
    if len(parts) != 5 or parts[0] != "ack":
        raise ValueError(f"ingen bekräftelserad: {line!r}")
    return Write(int(parts[1]), parts[2], parts[3], None if parts[4] == REMOVED else parts[4])


# ---------------------------------------------------------------------------------------------- writer
def _emit_stdout(line: str) -> None:
    """Write one line with os.write (no Python buffering): when this returns, the line has left the process."""
    data = (line + "\n").encode("utf-8")
    while data:
        data = data[os.write(1, data):]


def write_stream(db: Path, start: int, *, count: int | None = None, emit: Callable[[str], None] = _emit_stdout,
                 ack_early: bool = False, max_seconds: float = WRITER_MAX_SECONDS) -> int:
    """Save changes start, start + 1, ... (count of them, or until killed) and acknowledge each one.

    Returns the number of the next change. `ack_early` is wrong on purpose: it holds a transaction open
    around EARLY_GROUP changes, so each is acknowledged before it is committed (a too eager "sparat").
    """
    emit(f"open {start}")
    store = core.open_store(db)
    try:
        round_ = store.round_for()
        deadline = time.monotonic() + max_seconds
        n = start
        while (count is None or n < start + count) and time.monotonic() < deadline:
            with store.bulk() if ack_early else contextlib.nullcontext():
                for _ in range(EARLY_GROUP if ack_early else 1):
                    change = planned_write(n)
                    store.set_field(round_, change.kommun, change.key, change.value, source="gui")  # committed
                    emit(change.ack_line())  # (with ack_early: still inside the open outer transaction)
                    n += 1
        return n
    finally:
        store.close()


def _writer_main(db: Path, start: int, ack_early: bool) -> int:
    try:
        write_stream(db, start, ack_early=ack_early)
    except BrokenPipeError:  # the driver is gone: nobody to acknowledge to
        return 1
    except (DatabaseError, StoreError) as error:
        print(f"Skrivaren: {error}", file=sys.stderr)
        return 1
    return 0


# ---------------------------------------------------------------------------------------------- checker
@dataclass
class Ledger:
    """What the driver knows: the last known committed value of every test field, and counts."""

    audit_after: int  # audit rows with a higher id belong to this test
    values: dict[Slot, str | None] = field(default_factory=dict)  # absent: the field is empty
    committed: int = 0  # changes 0 .. committed - 1 are known to be in the database; the next START
    acknowledged: int = 0

    def expected(self, slot: Slot) -> str | None:
        return self.values.get(slot)

    def acknowledge(self, change: Write) -> None:
        self.values[change.slot] = change.value
        self.committed = change.n + 1
        self.acknowledged += 1

    def found_unacknowledged(self, change: Write) -> None:
        """Change `committed` was found saved though never acknowledged (killed between COMMIT and ack)."""
        self.values[change.slot] = change.value
        self.committed = change.n + 1


@dataclass
class Verdict:
    integrity: str = "ok"  # "ok" or what is wrong with the file
    lost: list[str] = field(default_factory=list)  # acknowledged changes missing from the database
    audit: list[str] = field(default_factory=list)  # audit log not matching the committed changes
    audit_missing: int = 0  # acknowledged changes without their audit row
    next_committed: bool = False  # change `ledger.committed` was found saved but unacknowledged

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and not self.lost and not self.audit


def _show(value: str | None) -> str:
    return "(tomt)" if value is None else repr(value)


def prepare(db: Path) -> Ledger:
    """Create (or open) the database and empty the test fields; the audit log so far is not the test's."""
    store = core.open_store(db)
    try:
        round_ = store.round_for()
        for kommun in KOMMUNER:
            store.set_fields(round_, kommun, dict.fromkeys(FIELDS), source="gui")
        audit_after = store.db.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]
    finally:
        store.close()
    return Ledger(audit_after=audit_after)


def verify(db: Path, ledger: Ledger) -> Verdict:
    """Check the file with a fresh connection against what was acknowledged (see the module text)."""
    verdict = Verdict()
    conn = sqlite3.connect(str(db), isolation_level=None)
    try:
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
            if rows != ["ok"]:
                verdict.integrity = "; ".join(str(r) for r in rows[:5])
                return verdict
            broken_keys = conn.execute("PRAGMA foreign_key_check").fetchall()
            if broken_keys:
                verdict.integrity = f"främmande nycklar bryts: {broken_keys[:5]}"
                return verdict
            store = Store(Connection(conn), core.forms(), core.register(), db)
            round_ = store.round_for()
            stored: dict[Slot, str | None] = {}
            for kommun in KOMMUNER:
                record = store.response(round_, kommun)
                fields = record.fields if record is not None else {}
                for key in FIELDS:
                    stored[(kommun, key)] = fields.get(key)
            audit = [(r[0], r[1], r[2]) for r in conn.execute(
                f"SELECT kommun, field, new FROM audit_log WHERE id > ? AND round_id = ? AND source = 'gui' "
                f"AND kommun IN ({','.join('?' * len(KOMMUNER))}) AND field IN ({','.join('?' * len(FIELDS))}) "
                "ORDER BY id",
                [ledger.audit_after, round_.id, *KOMMUNER, *FIELDS])]
        except sqlite3.DatabaseError as error:
            verdict.integrity = f"databasen går inte att läsa: {error}"
            return verdict
    finally:
        conn.close()

    following = planned_write(ledger.committed)  # the one change that may be saved without an ack
    for slot, value in stored.items():
        expected = ledger.expected(slot)
        if value == expected:
            continue
        if slot == following.slot and value == following.value:
            verdict.next_committed = True
            continue
        verdict.lost.append(f"{slot[0]} {slot[1]}: bekräftat {_show(expected)}, databasen har {_show(value)}")

    committed = ledger.committed + (1 if verdict.next_committed else 0)
    planned = [(w.kommun, w.key, w.value) for w in map(planned_write, range(committed))]
    verdict.audit_missing = max(0, ledger.acknowledged - len(audit))
    if verdict.audit_missing:
        verdict.audit.append(f"revisionsloggen har {len(audit)} rader för {ledger.acknowledged} bekräftade ändringar")
    if audit != planned:
        first = next((i for i, (a, p) in enumerate(zip(audit, planned, strict=False)) if a != p),
                     min(len(audit), len(planned)))
        wanted = planned[first] if first < len(planned) else "ingen rad"
        found = audit[first] if first < len(audit) else "ingen rad"
        verdict.audit.append(
            f"revisionsloggen stämmer inte med de {committed} sparade ändringarna (har {len(audit)} rader); "
            f"första avvikelsen vid ändring {first}: väntade {wanted}, fann {found}")
    return verdict


# ---------------------------------------------------------------------------------------------- driver
@dataclass
class CrashReport:
    kills: int = 0
    acknowledged: int = 0
    lost: int = 0
    integrity_failures: int = 0
    details: list[str] = field(default_factory=list)
    audit_failures: int = 0
    writer_failures: int = 0
    startup_kills: int = 0  # kills aimed at the writer's opening of the database
    unacknowledged_commits: int = 0  # times the one change after the last ack was found saved
    seed: int | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not (self.lost or self.integrity_failures or self.audit_failures or self.writer_failures)

    def summary(self) -> str:
        changes = "bekräftad ändring" if self.acknowledged == 1 else "bekräftade ändringar"
        lost = "förlorad" if self.lost == 1 else "förlorade"
        text = f"Kill-test: {self.kills} avbrott, {self.acknowledged} {changes}, {self.lost} {lost}, "
        if self.integrity_failures:
            times = "gång" if self.integrity_failures == 1 else "gånger"
            text += f"integritetskontrollen misslyckades {self.integrity_failures} {times}"
        else:
            text += "integritetskontroll ok varje gång"
        if self.audit_failures:
            text += f", revisionsloggen fel {self.audit_failures} " + ("gång" if self.audit_failures == 1 else "gånger")
        if self.writer_failures:
            text += f", {self.writer_failures} skrivarfel"
        return text


@dataclass
class _WriterRun:
    lines: list[str]
    open_to_ack: float | None  # seconds from "open" to the first ack, when both were seen
    error: str | None


def _kill(proc: subprocess.Popen) -> None:
    if sys.platform == "win32":
        proc.kill()  # TerminateProcess: no clean-up in the writer either
    else:
        os.kill(proc.pid, signal.SIGKILL)


def _writer_env() -> dict[str, str]:
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])  # the folder holding the bou_desktop package
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return env


def _run_writer(db: Path, start: int, delay: float, at_open: bool, ack_early: bool) -> _WriterRun:
    """Start a writer, kill it `delay` seconds after its first ack (after "open" when `at_open`)."""
    command = [sys.executable, "-m", MODULE, "--writer", str(db), str(start)] + (["--ack-early"] if ack_early else [])
    raw: list[bytes] = []
    times: dict[str, float] = {}
    opened, acked = threading.Event(), threading.Event()
    error: str | None = None
    with tempfile.TemporaryFile() as stderr:
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr,
                                env=_writer_env())
        assert proc.stdout is not None

        def read() -> None:
            for line in proc.stdout:  # type: ignore[union-attr]
                raw.append(line)
                if line.startswith(b"open "):
                    times.setdefault("open", time.perf_counter())
                    opened.set()
                elif line.startswith(b"ack "):
                    times.setdefault("ack", time.perf_counter())
                    acked.set()
            opened.set()  # end of output: wake the driver
            acked.set()

        reader = threading.Thread(target=read, name="crashtest-reader", daemon=True)
        reader.start()
        try:
            if not (opened if at_open else acked).wait(STARTUP_TIMEOUT):
                error = f"skrivaren gav inget livstecken på {STARTUP_TIMEOUT:.0f} s"
            else:
                time.sleep(delay)
            if proc.poll() is None:
                _kill(proc)
            elif error is None:
                error = f"skrivaren avslutades själv (kod {proc.returncode}) innan den dödades"
        finally:
            if proc.poll() is None:
                _kill(proc)
            proc.wait()
            reader.join()
            proc.stdout.close()
        if error is None and sys.platform != "win32" and proc.returncode != -signal.SIGKILL:
            error = f"skrivaren avslutades själv (kod {proc.returncode}) innan den dödades"
        if error is not None:
            stderr.seek(0)
            tail = stderr.read().decode("utf-8", "replace").strip().splitlines()[-15:]
            if tail:
                error += ":\n    " + "\n    ".join(tail)
    lines = [b.decode("utf-8") for b in raw if b.endswith(b"\n")]  # a torn last line was never acknowledged
    open_to_ack = times["ack"] - times["open"] if "ack" in times and "open" in times else None
    return _WriterRun(lines, open_to_ack, error)


def run(kills: int, db: Path, seed: int, min_ms: int = 20, max_ms: int = 150, *,
        ack_early: bool = False, startup_share: float = STARTUP_SHARE) -> CrashReport:
    """Kill `kills` writers on `db` and check the file after each kill; stops at the first failure."""
    rng = random.Random(seed)
    report = CrashReport(seed=seed)
    began = time.perf_counter()
    ledger = prepare(Path(db))
    open_to_ack: list[float] = []
    for round_no in range(1, kills + 1):
        at_open = rng.random() < startup_share
        if at_open:  # somewhere between "about to open the database" and the first saved change
            window = statistics.median(open_to_ack[-20:]) if open_to_ack else 0.03
            delay = rng.uniform(0.0, window)
        else:
            delay = rng.uniform(min_ms, max_ms) / 1000
        start = ledger.committed
        writer = _run_writer(Path(db), start, delay, at_open, ack_early)
        report.kills += 1
        report.startup_kills += at_open
        if writer.open_to_ack is not None:
            open_to_ack.append(writer.open_to_ack)
        problems: list[str] = []
        if writer.error is not None:
            report.writer_failures += 1
            problems.append(writer.error)
        expected_n = start
        for line in writer.lines:
            if not line.startswith("ack "):
                continue
            change = parse_ack(line)
            if change != planned_write(expected_n):
                report.writer_failures += 1
                wanted = planned_write(expected_n).ack_line()
                problems.append(f"oväntad bekräftelse {line.strip()!r}, väntade {wanted!r}")
                break
            ledger.acknowledge(change)
            report.acknowledged += 1
            expected_n += 1
        verdict = verify(Path(db), ledger)
        if verdict.integrity != "ok":
            report.integrity_failures += 1
            problems.append(f"integritetskontrollen: {verdict.integrity}")
        # A lost change usually misses both its value and its audit row: count it once (a lower bound).
        report.lost += max(len(verdict.lost), verdict.audit_missing)
        problems += [f"förlorad: {text}" for text in verdict.lost]
        if verdict.audit:
            report.audit_failures += 1
            problems += verdict.audit
        if verdict.next_committed and not problems:
            ledger.found_unacknowledged(planned_write(ledger.committed))
            report.unacknowledged_commits += 1
        if problems:
            when = "under öppnandet" if at_open else f"{delay * 1000:.0f} ms efter första bekräftelsen"
            report.details.append(f"Avbrott {round_no} (start {start}, dödad {when}):")
            report.details += [f"  {p}" for p in problems]
            if round_no < kills:
                report.details.append(f"Testet avbröts efter {round_no} av {kills} avbrott.")
            break
    report.seconds = time.perf_counter() - began
    return report


# ---------------------------------------------------------------------------------------------- command line
def build_parser() -> argparse.ArgumentParser:
    from ..cli import SwedishParser

    parser = SwedishParser(
        prog=f"python -m {MODULE}",
        description="Kill-test: dödar ett skrivande program gång på gång och kontrollerar att varje bekräftad "
                    "ändring finns kvar i databasen och att filen aldrig är skadad.")
    parser.add_argument("--kills", type=int, default=200, metavar="N", help="antal avbrott (standard 200)")
    parser.add_argument("--db", type=Path, metavar="FIL",
                        help="databasfil som behålls efteråt (standard: en tillfällig fil); aldrig den riktiga")
    parser.add_argument("--seed", type=int, metavar="S", help="frö för slumpen (standard: ett nytt, som skrivs ut)")
    parser.add_argument("--min-ms", type=int, default=20, metavar="MS", help="kortaste tid före avbrott (standard 20)")
    parser.add_argument("--max-ms", type=int, default=150, metavar="MS", help="längsta tid före avbrott (standard 150)")
    parser.add_argument("--writer", nargs=2, metavar=("DB", "START"), help="kör som skrivare (startas av testet)")
    parser.add_argument("--ack-early", action="store_true", help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.writer is not None:
        try:
            start = int(args.writer[1])
        except ValueError:
            parser.error(f"START ska vara ett heltal, inte {args.writer[1]!r}")
        return _writer_main(Path(args.writer[0]), start, args.ack_early)
    if args.kills < 1:
        parser.error("--kills ska vara minst 1")
    if not 0 <= args.min_ms <= args.max_ms:
        parser.error("--min-ms och --max-ms ska uppfylla 0 ≤ min ≤ max")
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1_000_000)
    try:
        if args.db is not None:
            report = run(args.kills, args.db, seed, args.min_ms, args.max_ms, ack_early=args.ack_early)
        else:
            with tempfile.TemporaryDirectory(prefix="bou-crashtest-") as folder:
                report = run(args.kills, Path(folder) / "crashtest.sqlite", seed, args.min_ms, args.max_ms,
                             ack_early=args.ack_early)
    except (DatabaseError, StoreError) as error:
        print(f"Kill-testet kunde inte starta: {error}", file=sys.stderr)
        return 2
    for line in report.details:
        print(line)
    print(f"Frö {report.seed}; {report.startup_kills} avbrott under öppnandet av databasen; "
          f"{report.unacknowledged_commits} gånger fanns en sparad men obekräftad ändring; {report.seconds:.1f} s.")
    print(report.summary())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
