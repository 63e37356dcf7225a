"""The one place that reads and writes the database. Views and the CLI never write SQL.

Every public write is one transaction that also writes the audit log (old -> new, source).
Listeners registered with `on_change` are called after each committed write, so that a
GUI can refresh; the core itself knows nothing of Qt.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..collation import swedish_sorted
from ..records import Record, record
from ..survey.answers import RESPONDENT_PREFIX, STATUSES, Answers, ResponseState, personal_fields, response_state
from ..survey.forms import Form, FormError, FormLibrary, check_county_form, county_fields
from ..survey.register import Municipality, Region, Register
from .connection import Connection
from .database import BUSY_TIMEOUT_MS, open_database
from .round_forms import FormSource, stored_form

if TYPE_CHECKING:  # imported where used: the program's start does not need them (docs/performance.md)
    from ..survey.compilation import CountyCompilation, LeaderTexts
    from ..survey.report import ReportTemplate, ReportTexts

REPORT_KINDS = ("section", "analysis")  # a text of the report: a template section's, or a question's analysis

SOURCES = ("gui", "import", "cli", "demo", "system")
# Where a response may come from (responses.origin's CHECK in store/schema.py), and what each means.
ORIGINS = {"gui": "programmets fönster", "import": "en import", "cli": "kommandoraden", "demo": "demodatabasen"}
META_FIELDS = ("svarssatt", "datum", "intervjuare")


class StoreError(Exception):
    """A write that was refused; the message is for the user, in Swedish."""


def own_survey_message(round_: Round, what: str = "") -> str:
    """Why a region's own survey does not go to SKL, and what is therefore not done."""
    return (f"{round_.title} är regionens egen enkät: den sammanställs för regionens eget bruk och skickas "
            f"inte till SKL. {what}").strip()


class RoundsOfOneYear(StoreError):
    """A year asked for has more than one round that fits and none was named: `rounds` are those, oldest
    first. The command line refuses with the message; the window opens on the latest and lists them all."""

    def __init__(self, message: str, rounds: list[Round]) -> None:
        super().__init__(message)
        self.rounds = rounds


class StoreBusy(StoreError):
    """A write that could not be made because another program holds the database's write lock.

    Not a refusal: the same write can be tried again once the other program is done.
    """


LOCKED_MESSAGE = ("Databasen används just nu av ett annat program eller fönster (till exempel en import). "
                  "Ändringen sparades inte; försök igen om en stund.")


def retry_when_locked(method):
    """A write that finds the database locked by another writer waits (busy_timeout), tries once more,
    and is then refused with StoreBusy: never a traceback, never half a change. Inside
    `Store.without_waiting()` it is refused at once, for the caller to try again later."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        for attempt in range(2):
            try:
                return method(self, *args, **kwargs)
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
                if attempt == 1 or not self.waits_when_busy:
                    raise StoreBusy(LOCKED_MESSAGE) from error
                time.sleep(0.2)
        raise AssertionError("unreachable")

    return wrapper


def now() -> str:
    return datetime.now().astimezone().isoformat(timespec="microseconds")


@record
class Round(Record):
    id: int
    year: int
    form_id: str
    form_version: str
    county_form_id: str | None
    title: str


@dataclass
class ResponseRecord:
    """A stored response: its identity, metadata and answers."""

    id: int
    uuid: str
    round_id: int
    kommun: str
    status: str
    origin: str
    svarssatt: str | None
    datum: str | None
    intervjuare: str | None
    created: str
    modified: str
    exported: str | None
    fields: dict[str, str] = field(default_factory=dict)

    def answers(self, form: Form) -> Answers:
        return Answers.from_fields(form, self.fields)

    @property
    def edited_since_export(self) -> bool:
        return self.exported is None or self.modified > self.exported


@record
class AuditEntry(Record):
    at: str
    source: str
    detail: str | None
    field: str
    old: str | None
    new: str | None
    reason: str | None


def _field_parts(key: str, value: str, form: Form) -> tuple[str, str | None, str]:
    """(question_id, option_id, kind) of a canonical field."""
    parts = key.split(".")
    if parts[0] == RESPONDENT_PREFIX:
        return parts[0], parts[1], "respondent"
    if len(parts) == 1:
        return parts[0], value, "choice"
    if parts[1] == "kommentar":
        return parts[0], None, "comment"
    if len(parts) == 3:
        return parts[0], parts[1], "specify"
    kind = "rank" if form.question(parts[0]).type == "ranking" else "tick"
    return parts[0], parts[1], kind


class Store:
    """The survey database: rounds, register, responses, compilations and the audit log."""

    def __init__(self, db: Connection, forms: FormLibrary | Callable[[], FormLibrary], register: Register,
                 path: Path | None) -> None:
        self.db = db
        self._library = forms
        self._round_forms: dict[int, tuple[Form, Form | None]] = {}  # a round's forms never change: parsed once
        self.register = register
        self.path = path
        self._listeners: list[Callable[[], None]] = []
        self.closed = False
        self.waits_when_busy = True
        self._data_version = self._read_data_version()

    # ------------------------------------------------------------------ lifecycle
    @property
    def library(self) -> FormLibrary:
        """The forms folder: the rounds a new database starts with, older databases' forms, the forms a new
        round may use. Given as a function it is read when first needed: a database whose rounds all
        keep their forms opens without it (start-up time)."""
        if not isinstance(self._library, FormLibrary):
            try:
                self._library = self._library()
            except FormError as error:
                raise StoreError(f"Formulärmappen kan inte läsas: {error}") from error
        return self._library

    @classmethod
    def open(cls, path: Path | str | None, forms: FormLibrary | Callable[[], FormLibrary], register: Register) -> Store:
        db = open_database(path)
        store = cls(db, forms, register, Path(path) if path is not None else None)
        store._seed()
        return store

    def close(self) -> None:
        self.closed = True
        self.db.close()

    @contextmanager
    def without_waiting(self) -> Iterator[None]:
        """Writes in this block do not wait for another program's write lock: StoreBusy at once.

        For the GUI's autosave, which keeps the write and tries again on a timer rather than
        freezing the window for busy_timeout.
        """
        self.waits_when_busy = False
        self.db.execute("PRAGMA busy_timeout = 0")
        try:
            yield
        finally:
            self.waits_when_busy = True
            if not self.closed:
                self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def on_change(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener()

    def _read_data_version(self) -> int:
        return self.db.execute("PRAGMA data_version").fetchone()[0]

    def changed_elsewhere(self) -> bool:
        """Whether another connection (a second window, the command line) has committed since the
        last look; if so the listeners are told, as after a change of our own. Cheap enough to ask
        every few seconds: SQLite's data_version changes only for other connections' commits."""
        if self.closed:
            return False
        version = self._read_data_version()
        if version == self._data_version:
            return False
        self._data_version = version
        self._changed()
        return True

    def _seed(self) -> None:
        """Keep the register in step with resources/, start a new database's rounds, and store the forms
        of rounds from before the database kept them (migration 0004)."""
        regions = [(r.name, r.lan, r.expected_count, r.order) for r in self.register.regions]
        municipalities = [(m.code, m.name, m.lan, m.region) for m in self.register.municipalities]
        stored_regions = set(self.db.execute("SELECT name, lan, expected_count, ordning FROM regions"))
        stored_municipalities = set(self.db.execute("SELECT code, name, lan, region FROM municipalities"))
        without_forms = self._rounds_without_forms()
        if (set(regions) <= stored_regions and set(municipalities) <= stored_municipalities and self.rounds()
                and not without_forms):
            return  # the usual start: nothing to write
        with self.db.atomic():
            self.db.conn.executemany(
                "INSERT INTO regions (name, lan, expected_count, ordning) VALUES (?, ?, ?, ?) ON CONFLICT (name) "
                "DO UPDATE SET lan = excluded.lan, expected_count = excluded.expected_count, ordning = excluded.ordning",
                regions,
            )
            self.db.conn.executemany(
                "INSERT INTO municipalities (code, name, lan, region) VALUES (?, ?, ?, ?) ON CONFLICT (code) "
                "DO UPDATE SET name = excluded.name, lan = excluded.lan, region = excluded.region",
                municipalities,
            )
            for round_ in without_forms:
                self._store_library_forms(round_)
            if not self.rounds():
                # A new database: a round for each form of the folder that names the year it starts in.
                for form in self.library:
                    if form.kind != "lan" and form.year is not None:
                        source = FormSource.read(self._library_path(form))
                        self._insert_round(form.year, source, self._default_county(source.form))

    # ------------------------------------------------------------------ rounds
    def _rounds_without_forms(self) -> list[Round]:
        ids = {r[0] for r in self.db.execute(
            "SELECT id FROM rounds WHERE id NOT IN (SELECT round_id FROM round_forms WHERE role = 'form')")}
        return [r for r in self.rounds() if r.id in ids] if ids else []

    def _library_path(self, form: Form) -> Path:
        if form.path is None:
            raise StoreError(f"Formuläret {form.id!r} har ingen fil att spara med omgången.")
        return form.path

    def _store_library_forms(self, round_: Round) -> None:
        """A round from before forms were stored gets the text of the forms folder's files (once)."""
        for role, form_id in (("form", round_.form_id), ("county", round_.county_form_id)):
            if form_id is None or form_id not in self.library:
                continue  # form_of says which form is missing
            source = FormSource.read(self._library_path(self.library[form_id]))
            self._insert_form(round_.id, role, source)
            self._audit("system", source.file_name, round_.id, None, None, "omgång.formulär", None,
                        f"{source.form.id} {source.form.version}", None)

    def _insert_form(self, round_id: int, role: str, source: FormSource) -> None:
        self.db.execute(
            "INSERT INTO round_forms (round_id, role, form_id, version, file_name, source, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [round_id, role, source.form.id, source.form.version, source.file_name, source.source, source.data])

    def _insert_round(self, year: int, source: FormSource, county: FormSource | None) -> Round:
        form = source.form
        # Named by its form, as the list, the window and the county and national views show it:
        # "Lägesrapport 2013"; two forms of the same name the same year are told apart by their ids.
        title = form.round_title(year)
        if any(r.title == title for r in self.rounds()):
            title += f" ({form.id})"
        self.db.execute(
            "INSERT INTO rounds (year, form_id, form_version, county_form_id, title, created) VALUES (?, ?, ?, ?, ?, ?)",
            [year, form.id, form.version, county.form.id if county else None, title, now()],
        )
        round_ = self.round_for(year, form.id)
        self._insert_form(round_.id, "form", source)
        if county is not None:
            self._insert_form(round_.id, "county", county)
        self._store_report_template(round_, self._template_folder(form.id, source.file_name))
        return round_

    def _default_county(self, form: Form) -> FormSource | None:
        """The county form a round of `form` gets when none is given: the forms folder's that compiles it,
        else that of the survey's latest earlier round, if it still fits the form."""
        candidates: list[FormSource] = [FormSource.read(self._library_path(f))
                                        for f in self.library.of_kind("lan") if f.compiles == form.id]
        for earlier in reversed([r for r in self.rounds() if r.form_id == form.id and r.county_form_id]):
            row = self.db.execute("SELECT file_name, source, data FROM round_forms WHERE round_id = ? AND role = 'county'",
                                  [earlier.id]).fetchone()
            if row is not None:
                candidates.append(FormSource(stored_form(*row), row[0], row[1], row[2]))
                break
        for county in candidates:
            try:
                check_county_form(county.form, form)
            except FormError:
                continue
            return county
        return None

    def _form_source(self, form: Form | str | Path, kind: str) -> FormSource:
        """A form given to add_round: a Form read from a file, the id of one in the forms folder, or a file."""
        try:
            if isinstance(form, Form):
                source = FormSource.read(self._library_path(form))
                if source.form != form:
                    raise StoreError(f"Formulärfilen {source.file_name} har ändrats sedan den lästes; välj den igen.")
            elif isinstance(form, str) and form in self.library:
                source = FormSource.read(self._library_path(self.library[form]))
            elif isinstance(form, str) and not form.endswith(".toml"):
                raise StoreError(f"Formuläret {form!r} finns inte.")
            else:
                source = FormSource.read(form)
        except FormError as error:
            raise StoreError(f"Formuläret kan inte användas: {error}") from error
        if (source.form.kind == "lan") != (kind == "lan"):
            wanted = "ett länsformulär (kind = \"lan\")" if kind == "lan" else "ett formulär som besvaras, inte ett länsformulär"
            raise StoreError(f"{source.file_name}: ska vara {wanted}.")
        return source

    @retry_when_locked
    def add_round(self, year: int, form: Form | str | Path, county_form: Form | str | Path | None = None, *,
                  source: str = "cli") -> Round:
        """Start a round of `form` in `year`, its forms' text stored with it; the same form id in a later
        year is a later round of the same survey. `county_form` must compile `form`; without it the
        round gets the county form that fits (see _default_county), if any."""
        if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2200:
            raise StoreError(f"Året ska vara ett årtal, t.ex. 2013, inte {year!r}.")
        municipal = self._form_source(form, "kommun")
        if county_form is None:
            county = self._default_county(municipal.form)
        else:
            county = self._form_source(county_form, "lan")
            if county.form.compiles != municipal.form.id:
                raise StoreError(f"{county.file_name}: länsformuläret sammanställer {county.form.compiles!r}, "
                                 f"inte {municipal.form.id!r} (nyckeln compiles).")
            try:
                check_county_form(county.form, municipal.form)
            except FormError as error:
                raise StoreError(f"Länsformuläret passar inte formuläret: {error}") from error
        if any(r.year == year and r.form_id == municipal.form.id for r in self.rounds()):
            raise StoreError(f"Omgången {year} av formuläret {municipal.form.id!r} finns redan.")
        with self.db.atomic():
            round_ = self._insert_round(year, municipal, county)
            self._audit(source, municipal.file_name, round_.id, None, None, "omgång", None,
                        f"{year} {municipal.form.id} {municipal.form.version}"
                        + (f" + {county.form.id} {county.form.version}" if county else ""), None)
        self._changed()
        return round_

    def rounds(self) -> list[Round]:
        rows = self.db.query("SELECT * FROM rounds ORDER BY year, id")
        return [Round(r["id"], r["year"], r["form_id"], r["form_version"], r["county_form_id"], r["title"]) for r in rows]

    def round_for(self, year: int | None = None, form_id: str | None = None) -> Round:
        """A round by year (the latest when None) and form id. Without a form id, a round of the programme
        is preferred to a region's own survey (scope "region") the same year: `--round 2011` keeps meaning
        the programme's round; the region's own is named by its form id, or is the only one that year."""
        rounds = [r for r in self.rounds() if form_id is None or r.form_id == form_id]
        if year is not None:
            rounds = [r for r in rounds if r.year == year]
        if not rounds:
            known = ", ".join(str(r.year) for r in self.rounds())
            if not known:
                raise StoreError("Databasen har ingen omgång ännu; starta en med Ny omgång… eller bou-desktop round add.")
            if form_id is not None:
                known = ", ".join(f"{r.year} {r.form_id}" for r in self.rounds())
                which = f"{year} av formuläret {form_id!r}" if year is not None else f"av formuläret {form_id!r}"
                raise StoreError(f"Omgången {which} finns inte i databasen (kända omgångar: {known}).")
            raise StoreError(f"Omgången {year} finns inte i databasen (kända omgångar: {known}).")
        if form_id is None and len(rounds) > 1:  # the latest first: usually the only form read
            return next((r for r in reversed(rounds) if not self.regions_own(r)), rounds[-1])
        return rounds[-1]

    def next_year(self, form: Form) -> int:
        """The year a new round of `form` is first offered: the year after its survey's latest round;
        for a survey not yet run here, the year its form names (`year`), else this year."""
        years = [r.year for r in self.rounds() if r.form_id == form.id]
        if years:
            return max(years) + 1
        return form.year if form.year is not None else datetime.now().year

    def default_round(self, year: int | None = None, form_id: str | None = None, *,
                      per_municipality: bool = False) -> Round:
        """The round a person works on when none is chosen: the one of `form_id` (the latest, or of `year`)
        when named; else the latest round (of `year`, when given). Work done per municipality (its
        questionnaire, svarsfiler, the county compilation, feedback) takes the latest round a municipality
        answers, not a later one answered per region. A region's own survey (scope "region") is taken only
        when named or when nothing else fits: the programme's round stays the default, also in a
        municipality's window (docs/forms.md). A year with two rounds that fit raises RoundsOfOneYear,
        which names them."""
        if form_id is not None:  # named: that survey's round (the latest, or of the year given)
            return self.round_for(year, form_id)
        rounds = self.rounds()
        if per_municipality:
            rounds = [r for r in rounds if not self.answered_per_region(r)] or rounds
        rounds = [r for r in rounds if not self.regions_own(r)] or rounds
        if year is None:
            return rounds[-1] if rounds else self.round_for()
        same_year = [r for r in rounds if r.year == year]
        if len(same_year) > 1:
            choices = "; ".join(f"{r.title} (--form-id {r.form_id})" for r in same_year)
            raise RoundsOfOneYear(f"År {year} har {len(same_year)} omgångar: {choices}. Välj en med --form-id.",
                                  same_year)
        return same_year[0] if same_year else self.round_for(year)  # an unknown year: the known ones

    def regions_own(self, round_: Round) -> bool:
        """`own_survey`, but False for a round whose form cannot be read (for choosing a default round)."""
        try:
            return self.own_survey(round_)
        except StoreError:  # a round whose form is missing: chosen as before, and form_of then says so
            return False

    def own_survey(self, round_: Round) -> bool:
        """Whether a round is a region's own survey (its form's scope "region"): answered by the region's
        municipalities, compiled in its county view and exports, and never sent to SKL."""
        return self.form_of(round_).scope == "region"

    def refuse_own_survey(self, round_: Round, what: str) -> None:
        """StoreError, in Swedish, when a round is a region's own survey and `what` would send it to SKL
        (e.g. "Inget e-postutkast till SKL skapas.")."""
        if self.own_survey(round_):
            raise StoreError(own_survey_message(round_, what))

    def earlier_rounds(self, round_: Round) -> list[Round]:
        """The earlier rounds of the same survey (the same form id), oldest first."""
        return [r for r in self.rounds() if r.form_id == round_.form_id and (r.year, r.id) < (round_.year, round_.id)]

    def _forms_of(self, round_: Round) -> tuple[Form, Form | None]:
        cached = self._round_forms.get(round_.id)
        if cached is None:
            rows = {row[0]: row[1:] for row in self.db.execute(
                "SELECT role, file_name, source, data FROM round_forms WHERE round_id = ?", [round_.id])}
            if "form" not in rows:
                raise StoreError(f"Formuläret {round_.form_id!r} för omgången {round_.year} finns varken i databasen "
                                 "eller i formulärmappen.")
            try:
                cached = (stored_form(*rows["form"]), stored_form(*rows["county"]) if "county" in rows else None)
            except FormError as error:
                raise StoreError(f"Omgången {round_.year}: formuläret i databasen kan inte läsas: {error}") from error
            self._round_forms[round_.id] = cached
        return cached

    def form_of(self, round_: Round) -> Form:
        """The form a round is answered with, as stored with the round."""
        return self._forms_of(round_)[0]

    def county_form_of(self, round_: Round) -> Form | None:
        """The county form that compiles a round's form, as stored with the round (None: the round has none)."""
        return self._forms_of(round_)[1]

    def form_generations(self) -> list[FormLibrary]:
        """The rounds' forms by id, for reading files: the first library holds each id's form of its latest
        round; the next the form of an earlier round where that differs, and so on."""
        by_id: dict[str, list[Form]] = {}
        for round_ in reversed(self.rounds()):
            try:
                forms = self._forms_of(round_)
            except StoreError:  # a round whose form is missing: its files cannot be read, the others' can
                continue
            for form in forms:
                if form is not None and form not in by_id.setdefault(form.id, []):
                    by_id[form.id].append(form)
        depth = max((len(forms) for forms in by_id.values()), default=1)
        return [FormLibrary({fid: forms[min(g, len(forms) - 1)] for fid, forms in by_id.items()}) for g in range(depth)]

    @property
    def forms(self) -> FormLibrary:
        """The forms of the database's rounds by id (of a survey, its latest round's)."""
        return self.form_generations()[0]

    # ------------------------------------------------------------------ register
    def regions(self) -> list[Region]:
        """The regions in Swedish alphabetical order."""
        return swedish_sorted(self.register.regions, key=lambda r: r.name)

    def region_named(self, name: str) -> str:
        """A region's name as the register spells it, found ignoring case and spaces; a StoreError naming
        the regions there are when there is none by that name (every command and export asks this)."""
        found = self.register.find_region(name)
        if found is None:
            known = ", ".join(r.name for r in self.regions())
            raise StoreError(f"Regionen {name!r} finns inte. Regioner: {known}.")
        return found.name

    def municipalities(self, region: str | None = None) -> list[Municipality]:
        items = self.register.municipalities if region is None else self.register.in_region(region)
        return swedish_sorted(items, key=lambda m: m.name)

    # ------------------------------------------------------------------ responses
    def _record(self, row: dict, with_fields: bool = True) -> ResponseRecord:
        record = ResponseRecord(
            id=row["id"], uuid=row["uuid"], round_id=row["round_id"], kommun=row["kommun"],
            status=row["status"], origin=row["origin"], svarssatt=row["svarssatt"], datum=row["datum"],
            intervjuare=row["intervjuare"], created=row["created"], modified=row["modified"],
            exported=row["exported"],
        )
        if with_fields:
            record.fields = {
                r["field"]: r["value"]
                for r in self.db.query("SELECT field, value FROM answers WHERE response_id = ?", [row["id"]])
            }
        return record

    def response(self, round_: Round, kommun: str) -> ResponseRecord | None:
        rows = list(self.db.query("SELECT * FROM responses WHERE round_id = ? AND kommun = ?", [round_.id, kommun]))
        return self._record(rows[0]) if rows else None

    def responses(self, round_: Round, region: str | None = None, with_fields: bool = True) -> list[ResponseRecord]:
        return self._responses(round_, region, fields_of="all" if with_fields else "none")

    def _responses(self, round_: Round, region: str | None, *, fields_of: str) -> list[ResponseRecord]:
        """The round's responses, or a region's of it, with the answers of "all", "none" or only those whose
        status is `fields_of` ("importerad"). The same responses in both queries: two queries in all."""
        params: list = [round_.id]
        if self.answered_per_region(round_):  # the unit is the region itself
            scope = "WHERE r.round_id = ?" + (" AND r.kommun = ?" if region is not None else "")
        else:
            scope = "JOIN municipalities m ON m.code = r.kommun WHERE r.round_id = ?" + (" AND m.region = ?" if region is not None else "")
        if region is not None:
            params.append(region)
        records = [self._record(row, with_fields=False) for row in self.db.query(f"SELECT r.* FROM responses r {scope}", params)]
        if fields_of != "none" and records:
            by_id = {r.id: r for r in records}
            answers = f"SELECT a.response_id, a.field, a.value FROM answers a JOIN responses r ON r.id = a.response_id {scope}"
            if fields_of != "all":
                answers, params = answers + " AND r.status = ?", [*params, fields_of]
            for response_id, field_name, value in self.db.execute(answers, params):
                by_id[response_id].fields[field_name] = value
        return records

    def statuses(self, round_: Round) -> dict[str, str]:
        """kommun -> status for every response of a round (municipalities without one are absent)."""
        return {r["kommun"]: r["status"] for r in self.db.query("SELECT kommun, status FROM responses WHERE round_id = ?", [round_.id])}

    def states(self, round_: Round, region: str | None = None) -> dict[str, ResponseState]:
        """kommun -> what the list shows and whether it counts as answered (no response: absent)."""
        form = self.form_of(round_)
        # Only an imported response's answers decide how it counts (complete or not): read just those, all
        # in one query (a query per response made every refresh of the list slow with 290 imports).
        return {r.kommun: response_state(form, r.status, r.answers(form)) if r.status == "importerad"
                else ResponseState(r.status) for r in self._responses(round_, region, fields_of="importerad")}

    def answered_per_region(self, round_: Round) -> bool:
        """Whether a round's form is answered by each region (kind "region"), not by each municipality."""
        return self.form_of(round_).unit_key == "region"

    def units(self, round_: Round) -> list[tuple[str, str]]:
        """(unit, name) of everyone who answers a round: the municipalities, or the regions for a form
        answered per region (the unit is then the region's name)."""
        if self.answered_per_region(round_):
            return [(r.name, r.name) for r in self.regions()]
        return [(m.code, m.name) for m in self.municipalities()]

    def unit_name(self, round_: Round, unit: str) -> str:
        """A unit's name: the municipality's name for its code; a region's name is its own."""
        self._check_unit(round_, unit)
        return unit if self.answered_per_region(round_) else self.register.municipality(unit).name

    def _check_unit(self, round_: Round, unit: str) -> None:
        """A response's unit (the column `kommun`) fits the round: a municipality's code, or a region's name."""
        if self.answered_per_region(round_):
            found = self.register.find_region(unit)
            if found is None or found.name != unit:
                raise StoreError(f"Regionen {unit!r} finns inte; omgången {round_.year} besvaras per region.")
            return
        try:
            self.register.municipality(unit)
        except KeyError:
            raise StoreError(f"Kommunkoden {unit!r} finns inte i kommunregistret.") from None

    def _ensure_response(self, round_: Round, kommun: str, origin: str, uuid: str | None, source: str, detail: str | None) -> ResponseRecord:
        existing = self.response(round_, kommun)
        if existing is not None:
            return existing
        self._check_unit(round_, kommun)
        if origin not in ORIGINS:  # the schema's CHECK would refuse it, with a message about something else
            allowed = ", ".join(f"{key} ({meaning})" for key, meaning in ORIGINS.items())
            raise StoreError(f"Ett svar kan inte skapas med ursprunget {origin!r}. Tillåtna ursprung: {allowed}.")
        stamp = now()
        import uuid as uuidlib

        new_uuid = uuid or str(uuidlib.uuid4())
        try:
            self.db.execute(
                "INSERT INTO responses (uuid, round_id, kommun, status, origin, created, modified) VALUES (?, ?, ?, 'utkast', ?, ?, ?)",
                [new_uuid, round_.id, kommun, origin, stamp, stamp],
            )
        except sqlite3.IntegrityError as error:
            raise StoreError(f"Svaret med id {new_uuid} finns redan för en annan kommun eller omgång.") from error
        self._audit(source, detail, round_.id, kommun, new_uuid, "svar", None, "skapat", None)
        record = self.response(round_, kommun)
        assert record is not None
        return record

    def _audit(self, source: str, detail: str | None, round_id: int | None, kommun: str | None,
               response_uuid: str | None, field_name: str, old: str | None, new: str | None, reason: str | None) -> None:
        if source not in SOURCES:
            raise ValueError(f"unknown audit source {source!r}")
        self.db.execute(
            "INSERT INTO audit_log (at, source, detail, round_id, kommun, response_uuid, field, old, new, reason) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [now(), source, detail, round_id, kommun, response_uuid, field_name, old, new, reason],
        )

    def _apply_fields(self, record: ResponseRecord, form: Form, new_fields: dict[str, str], source: str,
                      detail: str | None, reason: str | None) -> int:
        """Write the difference between the stored and the new fields; return the number of changes."""
        old_fields = record.fields
        changes = 0
        for key in sorted(set(old_fields) | set(new_fields)):
            old, new = old_fields.get(key), new_fields.get(key)
            if old == new:
                continue
            changes += 1
            if new is None:
                self.db.execute("DELETE FROM answers WHERE response_id = ? AND field = ?", [record.id, key])
            else:
                question_id, option_id, kind = _field_parts(key, new, form)
                self.db.execute(
                    "INSERT INTO answers (response_id, field, question_id, option_id, kind, value) VALUES (?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (response_id, field) DO UPDATE SET option_id = excluded.option_id, value = excluded.value",
                    [record.id, key, question_id, option_id, kind, new],
                )
            self._audit(source, detail, record.round_id, record.kommun, record.uuid, key, old, new, reason)
        return changes

    def _apply_meta(self, record: ResponseRecord, meta: dict[str, str | None], source: str, detail: str | None) -> int:
        changes = 0
        for key, value in meta.items():
            if key not in META_FIELDS:
                raise ValueError(f"unknown response metadata {key!r}")
            value = value or None
            old = getattr(record, key)
            if old == value:
                continue
            changes += 1
            self.db.execute(f"UPDATE responses SET {key} = ? WHERE id = ?", [value, record.id])
            self._audit(source, detail, record.round_id, record.kommun, record.uuid, key, old, value, None)
        return changes

    def _touch(self, record: ResponseRecord) -> None:
        self.db.execute("UPDATE responses SET modified = ? WHERE id = ?", [now(), record.id])

    def _writable(self, record: ResponseRecord, source: str) -> None:
        if record.status == "klar" and source == "gui":
            raise StoreError("Svaret är markerat som klart och kan inte ändras. Öppna det igen för att ändra.")

    def set_field(self, round_: Round, kommun: str, key: str, value: str | None, *, source: str = "gui") -> ResponseRecord:
        """Change one answer field (None or blank removes it): the GUI's autosave."""
        return self.set_fields(round_, kommun, {key: value}, source=source)

    @retry_when_locked
    def set_fields(self, round_: Round, kommun: str, changes: dict[str, str | None], *, source: str = "gui") -> ResponseRecord:
        """Change several answer fields in one transaction (None or blank removes a field)."""
        form = self.form_of(round_)
        with self.db.atomic():
            record = self._ensure_response(round_, kommun, source, None, source, None)
            self._writable(record, source)
            fields = dict(record.fields)
            for key, value in changes.items():
                if value is None or not str(value).strip():
                    fields.pop(key, None)
                else:
                    fields[key] = str(value)
            # Validate the result as a whole before anything is written.
            problems = _check_fields(form, fields)
            if problems:
                raise StoreError("; ".join(problems))
            if self._apply_fields(record, form, fields, source, None, None):
                self._touch(record)
        self._changed()
        return self.response(round_, kommun)  # type: ignore[return-value]

    @retry_when_locked
    def set_meta(self, round_: Round, kommun: str, *, source: str = "gui", **meta: str | None) -> None:
        """Change svarssätt, datum or intervjuare."""
        with self.db.atomic():
            record = self._ensure_response(round_, kommun, source, None, source, None)
            self._writable(record, source)
            if self._apply_meta(record, meta, source, None):
                self._touch(record)
        self._changed()

    @retry_when_locked
    def save_answers(self, round_: Round, kommun: str, answers: Answers, *, source: str, detail: str | None = None,
                     status: str | None = None, meta: dict[str, str | None] | None = None,
                     uuid: str | None = None, reason: str | None = None) -> tuple[ResponseRecord, int]:
        """Replace a response's answers as a whole (an import, the demo); returns (record, changes)."""
        form = self.form_of(round_)
        fields = answers.to_fields(form)
        problems = _check_fields(form, fields)
        if problems:
            raise StoreError("; ".join(problems))
        if status is not None and status not in STATUSES:
            raise StoreError(f"Okänd status {status!r} (tillåtna: {', '.join(STATUSES)}).")
        with self.db.atomic():
            record = self._ensure_response(round_, kommun, source, uuid, source, detail)
            changes = 0
            if uuid and uuid != record.uuid:
                # First, so that everything this write logs is under the id the response now has.
                try:
                    self.db.execute("UPDATE responses SET uuid = ? WHERE id = ?", [uuid, record.id])
                except sqlite3.IntegrityError as error:
                    raise StoreError(f"Svaret med id {uuid} finns redan för en annan kommun eller omgång.") from error
                self._audit(source, detail, record.round_id, kommun, uuid, "uuid", record.uuid, uuid, reason)
                record.uuid = uuid
                changes += 1
            changes += self._apply_fields(record, form, fields, source, detail, reason)
            changes += self._apply_meta(record, meta or {}, source, detail)
            if status is not None and status != record.status:
                self.db.execute("UPDATE responses SET status = ? WHERE id = ?", [status, record.id])
                self._audit(source, detail, record.round_id, kommun, record.uuid, "status", record.status, status, reason)
                changes += 1
            if changes:
                self._touch(record)
                if source == "import":
                    self.db.execute("UPDATE responses SET origin = 'import' WHERE id = ?", [record.id])
        self._changed()
        return self.response(round_, kommun), changes  # type: ignore[return-value]

    @retry_when_locked
    def set_status(self, round_: Round, kommun: str, status: str, *, source: str = "gui", reason: str | None = None) -> None:
        if status not in STATUSES:
            raise StoreError(f"Okänd status {status!r}.")
        with self.db.atomic():
            record = self.response(round_, kommun)
            if record is None:
                raise StoreError("Kommunen har inget svar att ändra status på.")
            if record.status == "klar" and status == "utkast" and not (reason or "").strip():
                raise StoreError("Ange varför ett klart svar öppnas igen.")
            if record.status == status:
                return
            self.db.execute("UPDATE responses SET status = ?, modified = ? WHERE id = ?", [status, now(), record.id])
            self._audit(source, None, round_.id, kommun, record.uuid, "status", record.status, status, reason)
        self._changed()

    @retry_when_locked
    def mark_exported(self, record: ResponseRecord) -> None:
        """Remember when a response was last written to a svarsfil (for the merge rule)."""
        with self.db.atomic():
            self.db.execute("UPDATE responses SET exported = ? WHERE id = ?", [now(), record.id])

    # ------------------------------------------------------------------ county compilation
    def _compilation_id(self, round_: Round, region: str, create: bool) -> int | None:
        rows = list(self.db.query("SELECT id FROM compilations WHERE round_id = ? AND region = ?", [round_.id, region]))
        if rows:
            return rows[0]["id"]
        if not create:
            return None
        self.region_named(region)
        self.db.execute("INSERT INTO compilations (round_id, region, modified) VALUES (?, ?, ?)", [round_.id, region, now()])
        return self._compilation_id(round_, region, False)

    def leader_texts(self, round_: Round, region: str) -> LeaderTexts:
        """What the leader has written on the county form for a region and round."""
        from ..survey.compilation import LeaderTexts

        cid = self._compilation_id(round_, region, create=False)
        if cid is None:
            return LeaderTexts()
        fields = dict(self.db.execute("SELECT field, value FROM compilation_fields WHERE compilation_id = ?", [cid]))
        texts = {(r["question_id"], r["kind"]): r["text"] for r in self.db.query(
            "SELECT question_id, kind, text FROM compilation_texts WHERE compilation_id = ?", [cid])}
        rankings: dict[str, dict[str, int]] = {}
        for r in self.db.query("SELECT question_id, option_id, rank FROM compilation_ranks WHERE compilation_id = ?", [cid]):
            rankings.setdefault(r["question_id"], {})[r["option_id"]] = r["rank"]
        ranking_ids = [q.id for q in self.form_of(round_).questions if q.type == "ranking"]
        first = ranking_ids[0] if ranking_ids else ""
        return LeaderTexts(
            summaries={q: t for (q, kind), t in texts.items() if kind == "summary"},
            ranking=dict(rankings.get(first, {})),
            ranking_specify=texts.get((first, "specify"), ""),
            fields=fields,
            rankings=rankings,
            specify={q: t for (q, kind), t in texts.items() if kind == "specify" and q in ranking_ids},
        )

    @retry_when_locked
    def set_leader_text(self, round_: Round, region: str, key: str, value: str | int | None, *, source: str = "gui") -> None:
        """Change one thing on the county form.

        Keys: the id of a field of the county form (a text `header` field, e.g. the leader's name, or
        a `free_texts` entry), "summary.<question id>",
        "rank.<question id>.<option id>" (None removes) and "specify.<question id>" (also written
        "ranking_specify.<question id>") for any ranking question; "rank.<option id>" and "ranking_specify"
        (as before) for the form's first ranking question.
        """
        form = self.form_of(round_)
        rankings = [q for q in form.questions if q.type == "ranking"]
        audit_key = key
        if key.startswith("specify."):  # the county file's name for a ranking question's "ange" text
            key = "ranking_" + key
        old = self.leader_texts(round_, region)
        text = "" if value is None else str(value)
        with self.db.atomic():
            cid = self._compilation_id(round_, region, create=True)
            if key in county_fields(self.county_form_of(round_)):
                before = old.field(key)
                if text:
                    self.db.execute("INSERT INTO compilation_fields (compilation_id, field, value) VALUES (?, ?, ?) "
                                    "ON CONFLICT (compilation_id, field) DO UPDATE SET value = excluded.value",
                                    [cid, key, text])
                else:
                    self.db.execute("DELETE FROM compilation_fields WHERE compilation_id = ? AND field = ?", [cid, key])
            elif key.startswith("summary."):
                qid = key.split(".", 1)[1]
                if qid not in form.question_ids():
                    raise StoreError(f"Okänd fråga {qid!r}.")
                before = old.summaries.get(qid, "")
                self._set_compilation_text(cid, qid, "summary", text)
            elif key.split(".", 1)[0] == "ranking_specify" and rankings:
                ranking = _ranking_question(rankings, key.split(".", 1)[1] if "." in key else None)
                before = old.specify.get(ranking.id, "")
                self._set_compilation_text(cid, ranking.id, "specify", text)
            elif key.startswith("rank.") and rankings:
                parts = key.split(".")[1:]
                ranking = _ranking_question(rankings, parts[0] if len(parts) == 2 else None)
                option_id = parts[-1]
                if len(parts) > 2 or option_id not in ranking.option_ids():
                    raise StoreError(f"Okänt alternativ {option_id!r} i fråga {ranking.number_text}.")
                before = str(old.rankings.get(ranking.id, {}).get(option_id, ""))
                if value in (None, "", 0):
                    self.db.execute("DELETE FROM compilation_ranks WHERE compilation_id = ? AND question_id = ? "
                                    "AND option_id = ?", [cid, ranking.id, option_id])
                    text = ""
                else:
                    rank = int(value)
                    if not 1 <= rank <= ranking.max_rank:
                        raise StoreError(f"Rangen ska vara 1–{ranking.max_rank}.")
                    self.db.execute(
                        "INSERT INTO compilation_ranks (compilation_id, question_id, option_id, rank) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT (compilation_id, question_id, option_id) DO UPDATE SET rank = excluded.rank",
                        [cid, ranking.id, option_id, rank])
                    text = str(rank)
            else:
                raise StoreError(f"Okänt fält i länssammanställningen: {key!r}.")
            if (before or "") == text:
                return
            self.db.execute("UPDATE compilations SET modified = ? WHERE id = ?", [now(), cid])
            self._audit(source, region, round_.id, None, None, f"lan.{audit_key}", before or None, text or None, None)
        self._changed()

    def _set_compilation_text(self, cid: int, question_id: str, kind: str, text: str) -> None:
        if text.strip():
            self.db.execute(
                "INSERT INTO compilation_texts (compilation_id, question_id, kind, text) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (compilation_id, question_id, kind) DO UPDATE SET text = excluded.text",
                [cid, question_id, kind, text])
        else:
            self.db.execute("DELETE FROM compilation_texts WHERE compilation_id = ? AND question_id = ? AND kind = ?",
                            [cid, question_id, kind])

    def compile(self, round_: Round, region: str, *, anonymous: bool = False) -> CountyCompilation:
        """The county compilation of a region, from the responses as they are now."""
        from ..survey.compilation import compile_region

        region = self.region_named(region)
        form = self.form_of(round_)
        municipalities = [(m.code, m.name) for m in self.municipalities(region)]
        responses = {r.kommun: (r.status, r.answers(form)) for r in self.responses(round_, region)}
        return compile_region(form, round_.year, region, municipalities, responses,
                              self.leader_texts(round_, region), anonymous=anonymous)

    def compilation_audit(self, round_: Round, region: str) -> list[AuditEntry]:
        return [AuditEntry(**row) for row in self.db.query(
            "SELECT at, source, detail, field, old, new, reason FROM audit_log "
            "WHERE round_id = ? AND detail = ? AND field LIKE 'lan.%' ORDER BY id", [round_.id, region])]

    # ------------------------------------------------------------------ SKL's report: template and texts
    def _template_folder(self, form_id: str, file_name: str | None = None) -> Path:
        """The forms folder whose `rapporter/` holds a form's report template: that of the form's file
        in the forms folder the store was opened with, else the program's."""
        from ..paths import forms_dir

        form = self.library[form_id] if form_id in self.library else None
        if form is not None and form.path is not None and (file_name is None or form.path.name == file_name):
            return form.path.parent
        return forms_dir()

    def _stored_template_row(self, round_: Round) -> tuple[str, str] | None:
        return self.db.execute("SELECT file_name, source FROM round_reports WHERE round_id = ?",
                               [round_.id]).fetchone()

    def _store_report_template(self, round_: Round, folder: Path) -> None:
        """Keep the text of the report template file beside a round's form with the round (once; inside the
        caller's transaction). A form without a template file stores nothing: it has the default sections."""
        from ..survey.report import TEMPLATE_FOLDER, template_from_text

        path = Path(folder) / TEMPLATE_FOLDER / f"{round_.form_id}.toml"
        if not path.exists() or self._stored_template_row(round_) is not None:
            return
        try:  # read once: the text stored is the text checked
            source = path.read_text(encoding="utf-8")
            template = template_from_text(source, path)
        except (FormError, OSError, UnicodeDecodeError):
            return  # a broken template file: report_template says what is wrong with it
        if template.report_for != round_.form_id:
            return
        self.db.execute("INSERT INTO round_reports (round_id, file_name, source) VALUES (?, ?, ?)",
                        [round_.id, path.name, source])

    def report_template(self, round_: Round) -> ReportTemplate:
        """The report template of a round: as stored with the round (its file's text when the round was
        started or its first text written), else the template beside the form in the forms folder, else
        the default sections (`survey.report.template_for`). StoreError, in Swedish, for a broken file."""
        from ..survey.report import template_for, template_from_text

        row = self._stored_template_row(round_)
        try:
            if row is not None:
                file_name, source = row
                return template_from_text(source, Path(file_name))
            return template_for(self._template_folder(round_.form_id), round_.form_id)
        except FormError as error:
            raise StoreError(f"Rapportmallen för {round_.title} kan inte läsas: {error}") from error

    def report_texts(self, round_: Round) -> ReportTexts:
        """What SKL has written for a round's report: every stored text, also of a section the template no
        longer has (`survey.report.texts_outside` finds those; nothing written is dropped)."""
        from ..survey.report import ReportTexts

        sections: dict[str, str] = {}
        analyses: dict[str, str] = {}
        for kind, key, text in self.db.execute(
                "SELECT kind, key, text FROM report_texts WHERE round_id = ? ORDER BY rowid", [round_.id]):
            (sections if kind == "section" else analyses)[key] = text
        return ReportTexts(sections=sections, analyses=analyses)

    @retry_when_locked
    def set_report_text(self, round_: Round, kind: str, key: str, text: str | None, *, source: str = "gui") -> None:
        """Write one text of a round's report: a section's (kind "section", key its id in the report template)
        or a question's analysis (kind "analysis", key the question id). An empty text removes it; every
        change is logged with the old and the new text. A section the template no longer has keeps its
        text, and can still be changed or emptied."""
        if kind not in REPORT_KINDS:
            raise StoreError(f"Okänd sorts rapporttext {kind!r} (tillåtna: avsnitt eller analys).")
        key = (key or "").strip()
        text = "" if text is None else str(text)
        if not text.strip():
            text = ""
        with self.db.atomic():
            row = self.db.execute("SELECT text FROM report_texts WHERE round_id = ? AND kind = ? AND key = ?",
                                  [round_.id, kind, key]).fetchone()
            before = row[0] if row else ""
            if row is None:
                self._check_report_key(round_, kind, key)
            if before == text:
                return
            if row is None:
                self._store_report_template(round_, self._template_folder(round_.form_id))
            if text:
                self.db.execute(
                    "INSERT INTO report_texts (round_id, kind, key, text, modified) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (round_id, kind, key) DO UPDATE SET text = excluded.text, modified = excluded.modified",
                    [round_.id, kind, key, text, now()])
            else:
                self.db.execute("DELETE FROM report_texts WHERE round_id = ? AND kind = ? AND key = ?",
                                [round_.id, kind, key])
            self._audit(source, None, round_.id, None, None, _report_field(kind, key), before or None, text or None, None)
        self._changed()

    def _check_report_key(self, round_: Round, kind: str, key: str) -> None:
        if kind == "section":
            template = self.report_template(round_)
            if key not in template.section_ids():
                known = ", ".join(template.section_ids())
                raise StoreError(f"Rapportmallen har inget avsnitt {key!r} (avsnitt: {known}).")
        else:
            form = self.form_of(round_)
            if key not in form.question_ids():
                raise StoreError(f"Formuläret {form.id!r} har ingen fråga {key!r} att skriva en analys till.")

    def report_text_history(self, round_: Round, kind: str | None = None, key: str | None = None) -> list[AuditEntry]:
        """The changes of a round's report texts (of one text, given kind and key), oldest first."""
        if kind is None:
            where, params = "field LIKE 'rapport.%'", [round_.id]
        else:
            where, params = "field = ?", [round_.id, _report_field(kind, key or "")]
        return [AuditEntry(**row) for row in self.db.query(
            f"SELECT at, source, detail, field, old, new, reason FROM audit_log WHERE round_id = ? AND {where} "
            "ORDER BY id", params)]

    # ------------------------------------------------------------------ national: county files and the national file
    def county_documents(self, round_: Round) -> dict[str, tuple[dict, str, str]]:
        """region -> (the county file's content, file name, when imported) for a round."""
        return {r["region"]: (json.loads(r["document"]), r["file_name"], r["imported"]) for r in self.db.query(
            "SELECT region, document, file_name, imported FROM county_files WHERE round_id = ?", [round_.id])}

    def county_file_count(self, round_: Round) -> int:
        """How many regions' county files a round has, without reading them."""
        return self.db.execute("SELECT count(*) FROM county_files WHERE round_id = ?", [round_.id]).fetchone()[0]

    def county_hash(self, round_: Round, region: str) -> str | None:
        rows = list(self.db.query("SELECT content_hash FROM county_files WHERE round_id = ? AND region = ?",
                                  [round_.id, region]))
        return rows[0]["content_hash"] if rows else None

    @retry_when_locked
    def save_county_document(self, round_: Round, region: str, document: dict, content_hash: str, file_name: str,
                             *, source: str = "import") -> None:
        """Store (or replace) a region's county file; the audit log names both files."""
        with self.db.atomic():
            old = list(self.db.query("SELECT file_name, content_hash FROM county_files WHERE round_id = ? AND region = ?",
                                     [round_.id, region]))
            self.db.execute(
                "INSERT INTO county_files (round_id, region, file_name, content_hash, document, imported) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (round_id, region) DO UPDATE SET file_name = excluded.file_name, "
                "content_hash = excluded.content_hash, document = excluded.document, imported = excluded.imported",
                [round_.id, region, file_name, content_hash, json.dumps(document, ensure_ascii=False), now()])
            before = f"{old[0]['file_name']} ({old[0]['content_hash'][:8]})" if old else None
            self._audit(source, file_name, round_.id, None, None, f"riks.{region}", before,
                        f"{file_name} ({content_hash[:8]})", None)
        self._changed()

    @retry_when_locked
    def remove_county_document(self, round_: Round, region: str, *, reason: str, source: str = "gui") -> None:
        with self.db.atomic():
            old = list(self.db.query("SELECT file_name FROM county_files WHERE round_id = ? AND region = ?", [round_.id, region]))
            if not old:
                return
            self.db.execute("DELETE FROM county_files WHERE round_id = ? AND region = ?", [round_.id, region])
            self._audit(source, old[0]["file_name"], round_.id, None, None, f"riks.{region}", old[0]["file_name"], None, reason)
        self._changed()

    def national_document(self, round_: Round) -> tuple[dict, str] | None:
        rows = list(self.db.query("SELECT document, file_name FROM national_files WHERE round_id = ?", [round_.id]))
        return (json.loads(rows[0]["document"]), rows[0]["file_name"]) if rows else None

    @retry_when_locked
    def save_national_document(self, round_: Round, document: dict, content_hash: str, file_name: str,
                               *, source: str = "import") -> None:
        with self.db.atomic():
            old = self.national_document(round_)
            self.db.execute(
                "INSERT INTO national_files (round_id, file_name, content_hash, document, imported) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (round_id) DO UPDATE SET file_name = excluded.file_name, content_hash = excluded.content_hash, "
                "document = excluded.document, imported = excluded.imported",
                [round_.id, file_name, content_hash, json.dumps(document, ensure_ascii=False), now()])
            self._audit(source, file_name, round_.id, None, None, "riksrapport", old[1] if old else None, file_name, None)
        self._changed()

    # ------------------------------------------------------------------ privacy
    @retry_when_locked
    def remove_personal_data(self, round_: Round, *, reason: str, source: str = "gui") -> int:
        """Remove the personal data of a round, also from the history: the fields its forms mark
        `personal = true` (the respondent's name and title, the county form's leader name).

        Allowed when every response of the round is finished. The history keeps that a change was
        made but not the names ("[borttaget]"). Returns how many responses had names removed.
        """
        personal = personal_fields(self.form_of(round_))
        county = self.county_form_of(round_)
        county_personal = [h.id for h in (county.header if county else ()) if h.personal]
        records = self.responses(round_)
        drafts = [r for r in records if r.status != "klar"]
        if drafts:
            names = swedish_sorted(self.unit_name(round_, r.kommun) for r in drafts)
            shown = ", ".join(names[:5]) + (f" och {len(names) - 5} till" if len(names) > 5 else "")
            if len(names) == 1:
                raise StoreError(f"Omgången har 1 svar som inte är klart ({shown}); markera det som klart först.")
            raise StoreError(f"Omgången har {len(names)} svar som inte är klara ({shown}); markera dem som klara först.")
        if not reason.strip():
            raise StoreError("Ange varför personuppgifterna tas bort.")
        removed = 0
        audited = [*personal, *(f"lan.{name}" for name in county_personal)]
        with self.db.atomic():
            for name in county_personal:
                self.db.execute("DELETE FROM compilation_fields WHERE field = ? AND compilation_id IN "
                                "(SELECT id FROM compilations WHERE round_id = ?)", [name, round_.id])
            for record in records:
                keys = [k for k in record.fields if k in personal]
                for key in keys:
                    self.db.execute("DELETE FROM answers WHERE response_id = ? AND field = ?", [record.id, key])
                removed += bool(keys)
            # The one sanctioned edit of the history: names are replaced, the record of changes stays.
            self.db.execute("DROP TRIGGER audit_log_no_update")
            self.db.execute(
                "UPDATE audit_log SET old = CASE WHEN old IS NULL THEN NULL ELSE '[borttaget]' END, "
                "new = CASE WHEN new IS NULL THEN NULL ELSE '[borttaget]' END "
                f"WHERE round_id = ? AND field IN ({', '.join('?' * len(audited))})", [round_.id, *audited])
            self.db.execute("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
                            "BEGIN SELECT RAISE(ABORT, 'granskningsloggen kan inte ändras'); END")
            self._audit(source, None, round_.id, None, None, "personuppgifter", None,
                        f"borttagna ur {removed} svar", reason.strip())
        # Deleted text lingers in free pages and the write-ahead log until they are rewritten.
        self.db.execute("VACUUM")
        if self.path is not None:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._changed()
        return removed

    # ------------------------------------------------------------------ audit
    def audit_log(self, response_uuid: str | None = None) -> list[AuditEntry]:
        sql = "SELECT at, source, detail, field, old, new, reason FROM audit_log"
        params: list = []
        if response_uuid is not None:
            sql += " WHERE response_uuid = ?"
            params.append(response_uuid)
        sql += " ORDER BY id"
        return [AuditEntry(**row) for row in self.db.query(sql, params)]

    # ------------------------------------------------------------------ helpers for tests and tools
    def snapshot(self) -> dict[str, list[tuple]]:
        """Every row of the data tables, for "the database is unchanged" checks."""
        tables = ("rounds", "responses", "answers", "compilations", "compilation_texts", "compilation_ranks",
                  "report_texts", "audit_log")
        return {t: [tuple(r.values()) for r in self.db.query(f"SELECT * FROM {t} ORDER BY 1, 2")] for t in tables}

    def bulk(self) -> Iterable[None]:
        """A transaction around many writes (the demo database): one commit instead of thousands."""
        return self.db.atomic()


def _report_field(kind: str, key: str) -> str:
    """The audit log's name of a report text: "rapport.avsnitt.<section id>", "rapport.analys.<question id>"."""
    return f"rapport.{'avsnitt' if kind == 'section' else 'analys'}.{key}"


def _ranking_question(rankings: list, question_id: str | None):
    """The ranking question a leader's key names; without a question id (the keys before there could be
    several), the form's first."""
    if question_id is None:
        return rankings[0]
    found = next((q for q in rankings if q.id == question_id), None)
    if found is None:
        raise StoreError(f"Okänd rangordningsfråga {question_id!r}.")
    return found


def _check_fields(form: Form, fields: dict[str, str]) -> list[str]:
    from ..survey.answers import check

    try:
        answers = Answers.from_fields(form, fields)
    except (KeyError, ValueError) as error:
        return [f"okänt fält {error}"]
    return check(form, answers)
