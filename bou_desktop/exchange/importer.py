"""Importing svarsfiler: validation, the merge rules and one transaction per file.

Result per file: imported, unchanged (the same content again), conflict (the database
holds other answers edited since the file was made) or refused, with the reason in Swedish.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from ..store import ResponseRecord, Store, StoreError
from ..survey.answers import contradictions, response_state
from ..survey.forms import Form, FormLibrary
from ..survey.register import Register
from .errors import RefusedFile, read_with_round_forms
from .svarsfil_json import Svarsfil, parse_svarsfil
from .svarsfil_xlsx import parse_svarsfil_xlsx

MAX_FILE_BYTES = 50_000_000
MAX_MESSAGE = 400


class Outcome(Enum):
    IMPORTED = "importerad"
    UNCHANGED = "oförändrad"
    CONFLICT = "konflikt"
    REFUSED = "nekad"


@dataclass(frozen=True)
class ImportResult:
    path: Path
    outcome: Outcome
    message: str
    kommun: str | None = None

    def __post_init__(self) -> None:
        # A refusal may quote a value from the file; a huge value must not make a huge message.
        message = re.sub(r"\S{80,}", lambda m: m.group(0)[:40] + "…", self.message)  # a quoted huge value
        if len(message) > MAX_MESSAGE:
            message = message[: MAX_MESSAGE - 1] + "…"
        object.__setattr__(self, "message", message)

    def line(self) -> str:
        return f"{self.path.name}: {self.outcome.value}: {self.message}"


class Questions:
    """What an import may ask its user; the command line answers no (the GUI asks)."""

    def other_region(self, svarsfil: Svarsfil, municipality_name: str, region: str) -> bool:
        return False

    def replace(self, existing: ResponseRecord, svarsfil: Svarsfil, form: Form) -> bool:
        return False


def import_svarsfil(store: Store, svarsfil: Svarsfil, name: str, *, replace: bool = False,
                    region: str | None = None, ask: Questions | None = None) -> ImportResult:
    """Merge one checked svarsfil; `region` is the leader's region (others need a yes from `ask`)."""
    ask = ask or Questions()
    path = Path(name)
    try:
        round_ = store.round_for(svarsfil.round_year, svarsfil.form_id)
    except StoreError as error:  # the store's words for a round it does not have (Store.round_for)
        return ImportResult(path, Outcome.REFUSED, str(error))
    if round_.form_version != svarsfil.form_version:
        return ImportResult(
            path, Outcome.REFUSED,
            f"filen gäller formulärversion {svarsfil.form_version}, omgången {round_.year} använder {round_.form_version}",
        )
    form = store.form_of(round_)
    if svarsfil.region is not None:  # a region-level form (kind "region"): the region answers for itself
        unit, name, home = svarsfil.region, svarsfil.region, svarsfil.region
        place = f"{name} är inte din region {region}"
    else:
        municipality = store.register.municipality(svarsfil.kommun)
        unit, name, home = svarsfil.kommun, municipality.name, municipality.region
        place = f"{name} hör till {home}, inte till din region {region}"
    if region is not None and home != region and not ask.other_region(svarsfil, name, region):
        return ImportResult(path, Outcome.REFUSED, f"{place}; inget har ändrats", unit)
    new_fields = svarsfil.answers.to_fields(form)
    if not new_fields:
        return ImportResult(path, Outcome.REFUSED, f"{name}: filen innehåller inga svar ännu", unit)
    existing = store.response(round_, unit)
    if existing is not None:
        same = (
            existing.fields == new_fields
            # the municipality's own answers again, after the leader marked them klar, bring nothing new
            and (existing.status == svarsfil.status or (svarsfil.status, existing.status) == ("importerad", "klar"))
            and all(getattr(existing, k) == (v or None) for k, v in svarsfil.meta.items())
        )
        if same:
            return ImportResult(path, Outcome.UNCHANGED, f"{name}: samma svar finns redan", unit)
        the_same_response = svarsfil.uuid is not None and svarsfil.uuid == existing.uuid
        newer_version_of_export = the_same_response and not existing.edited_since_export
        if existing.fields and not replace and not newer_version_of_export and not ask.replace(existing, svarsfil, form):
            return ImportResult(
                path, Outcome.CONFLICT,
                f"{name} har andra svar i databasen som ändrats sedan filen skapades; "
                "inget har ändrats (importera med --replace för att ersätta dem)",
                unit,
            )
    try:
        record, _changes = store.save_answers(
            round_, unit, svarsfil.answers, source="import", detail=path.name,
            status=svarsfil.status, meta=svarsfil.meta, uuid=svarsfil.uuid,
        )
    except StoreError as error:
        return ImportResult(path, Outcome.REFUSED, str(error), unit)
    state = response_state(form, record.status, record.answers(form))
    message = f"{name} ({unit}), {state.description}" if unit != name else f"{name}, {state.description}"
    flagged = contradictions(form, svarsfil.answers)
    if flagged:
        numbers = ", ".join(str(form.question(q).number) for q in flagged)
        message += f"; OBS: fråga {numbers} besvarad trots hopp – räknas inte förrän det är rättat"
    return ImportResult(path, Outcome.IMPORTED, message, unit)


def file_kind(data: bytes) -> str:
    """What a file is, from its content: "county" (länssammanställning), "national" (riksrapport) or "svarsfil"."""
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("xl/workbook.xml") as member:
                workbook = member.read(200_000)  # never more: the part may be a zip bomb
        except Exception:  # zipfile raises many kinds (encrypted, unknown method, damaged data, …)
            return "svarsfil"  # its reader says what is wrong
        return "county" if b'name="Data"' in workbook and b'name="Om filen"' in workbook else "svarsfil"
    head = data[:4096]
    if b'"bou-lanssammanstallning"' in head:
        return "county"
    if b'"bou-riksrapport"' in head:
        return "national"
    return "svarsfil"


def import_national_bytes(store: Store, data: bytes, name: str) -> ImportResult:
    """A leader brings SKL's national file into the region's database, for the feedback to municipalities."""
    from .national_file import read_national_file

    path = Path(name)
    regions = {r.name for r in store.register.regions}
    raw = read_with_round_forms(lambda forms: read_national_file(data, forms, regions), store.form_generations())
    try:
        round_ = store.round_for(raw.get("round"), raw.get("form"))
    except StoreError as error:  # the store's words for a round it does not have (Store.round_for)
        return ImportResult(path, Outcome.REFUSED, str(error))
    digest = hashlib.sha256(json.dumps(raw.get("questions"), sort_keys=True).encode()).hexdigest()
    existing = store.national_document(round_)
    if existing is not None and hashlib.sha256(json.dumps(existing[0].get("questions"), sort_keys=True).encode()).hexdigest() == digest:
        return ImportResult(path, Outcome.UNCHANGED, "samma riksrapport finns redan")
    store.save_national_document(round_, raw, digest, path.name)
    total = raw.get("totalt", {})
    return ImportResult(path, Outcome.IMPORTED,
                        f"riksrapport {round_.year}: {total.get('kommuner_svarat')} av {total.get('kommuner_totalt')} kommuner")


@dataclass(frozen=True)
class PreparedFile:
    """A file read and, for a svarsfil, parsed and checked: everything before the database.

    Made by `prepare_file`, which touches no database and so may run in a worker thread while
    the GUI thread stores the previous file (gui/import_dialogs.py).
    """

    path: Path
    kind: str  # "svarsfil", "county", "national" or "refused"
    data: bytes = b""
    svarsfil: Svarsfil | None = None
    refusal: str = ""


def prepare_file(path: Path, forms: FormLibrary | Sequence[FormLibrary], register: Register) -> PreparedFile:
    """Read a file and tell what it is; a svarsfil is parsed and checked against the form here.

    `forms`: the rounds' forms, `Store.form_generations()` (or one library).
    """
    path = Path(path)
    try:
        if path.is_dir():
            raise RefusedFile("det är en mapp, inte en fil")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise RefusedFile(f"filen är för stor ({size // 1_000_000} MB)")
        data = path.read_bytes()
        kind = file_kind(data)
        if kind in ("county", "national"):
            return PreparedFile(path, kind, data)
        if not data.strip():
            raise RefusedFile("filen är tom")
        suffix = path.suffix.lower()
        if data[:2] == b"PK" or suffix in (".xlsx", ".xlsm", ".xls"):
            svarsfil = read_with_round_forms(lambda library: parse_svarsfil_xlsx(data, library, register), forms)
        elif suffix == ".json" or data.lstrip()[:1] in (b"{", b"["):
            svarsfil = read_with_round_forms(lambda library: parse_svarsfil(data, library, register), forms)
        else:
            raise RefusedFile("filen är varken en JSON- eller Excel-svarsfil")
        return PreparedFile(path, "svarsfil", svarsfil=svarsfil)
    except RefusedFile as error:
        return PreparedFile(path, "refused", refusal=str(error))
    except FileNotFoundError:
        return PreparedFile(path, "refused", refusal="filen finns inte")
    except OSError as error:
        return PreparedFile(path, "refused", refusal=f"filen kan inte läsas ({error.strerror or error})")


def import_prepared(store: Store, prepared: PreparedFile, *, replace: bool = False, region: str | None = None,
                    ask: Questions | None = None) -> ImportResult:
    """Store a prepared file: one transaction, the merge rules, questions through `ask`."""
    path = prepared.path
    if prepared.kind == "refused":
        return ImportResult(path, Outcome.REFUSED, prepared.refusal)
    try:
        if prepared.kind == "county":
            from .national_file import import_county_bytes

            outcome, message = import_county_bytes(store, prepared.data, path.name, replace=replace,
                                                   confirm=getattr(ask, "replace_county", None))
            return ImportResult(path, Outcome(outcome), message)
        if prepared.kind == "national":
            return import_national_bytes(store, prepared.data, path.name)
    except RefusedFile as error:
        return ImportResult(path, Outcome.REFUSED, str(error))
    assert prepared.svarsfil is not None
    return import_svarsfil(store, prepared.svarsfil, str(path), replace=replace, region=region, ask=ask)


def import_file(store: Store, path: Path, *, replace: bool = False, region: str | None = None,
                ask: Questions | None = None) -> ImportResult:
    """Import a svarsfil, a county file (SKL) or the national file (leaders), told apart by content."""
    return import_prepared(store, prepare_file(path, store.form_generations(), store.register), replace=replace,
                           region=region, ask=ask)


def import_files(store: Store, paths: Iterable[Path], *, replace: bool = False, region: str | None = None,
                 ask: Questions | None = None,
                 progress: Callable[[int, int, Path], bool] | None = None) -> list[ImportResult]:
    """Import many files, each on its own; `progress(done, total, path)` may return False to stop."""
    paths = list(paths)
    results = []
    for index, path in enumerate(paths):
        if progress is not None and progress(index, len(paths), Path(path)) is False:
            break
        results.append(import_file(store, Path(path), replace=replace, region=region, ask=ask))
    return results
