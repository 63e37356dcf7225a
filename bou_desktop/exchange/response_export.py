"""Writing svarsfiler: one municipality's (or region's) response (JSON, Excel, PDF) and blank templates."""

from __future__ import annotations

from pathlib import Path

from ..store import Round, Store, StoreError
from ..store.repository import now
from .fileio import OverwriteRefused, safe_filename, write_bytes_atomic
from .svarsfil_json import build_svarsfil, dumps
from .svarsfil_xlsx import TemplateInfo, build_workbook


def _municipality(store: Store, kommun: str):
    try:
        return store.register.municipality(kommun)
    except KeyError:
        raise StoreError(f"Kommunkoden {kommun!r} finns inte i kommunregistret.") from None


def _record(store: Store, round_: Round, unit: str):
    """The unit's name and its response: a municipality's by its code, or a region's by its name for a form
    answered per region (kind "region")."""
    name = store.unit_name(round_, unit)
    record = store.response(round_, unit)
    if record is None:
        raise StoreError(f"{name} har inget svar i omgången {round_.year}.")
    return name, record


def export_response_json(store: Store, round_: Round, kommun: str, path: Path, *, overwrite: bool = False) -> Path:
    name, record = _record(store, round_, kommun)
    form = store.form_of(round_)
    meta = {"svarssatt": record.svarssatt, "datum": record.datum, "intervjuare": record.intervjuare}
    document = build_svarsfil(  # a region-level form's file names the region (`kommun` is its name)
        form, round_.year, kommun, name, record.uuid, record.status, meta, record.answers(form), now()
    )
    write_bytes_atomic(Path(path), dumps(document), overwrite=overwrite)
    store.mark_exported(record)
    return Path(path)


def export_response_xlsx(store: Store, round_: Round, kommun: str, path: Path, *, overwrite: bool = False,
                         contact_lines: list[str] | None = None) -> Path:
    """The filled svarsfil, in the template's layout: the municipality can check, change and send it back."""
    name, record = _record(store, round_, kommun)
    form = store.form_of(round_)
    if form.unit_key == "region":  # the region's own file names the region
        info = TemplateInfo(form, round_.year, None, "", record.uuid, record.status, tuple(contact_lines or ()), region=name)
    else:
        info = TemplateInfo(form, round_.year, kommun, name, record.uuid, record.status, tuple(contact_lines or ()))
    meta = {"svarssatt": record.svarssatt, "datum": record.datum, "intervjuare": record.intervjuare}
    write_bytes_atomic(Path(path), build_workbook(info, record.answers(form), meta), overwrite=overwrite)
    store.mark_exported(record)
    return Path(path)


def export_response_pdf(store: Store, round_: Round, kommun: str, path: Path, *, overwrite: bool = False) -> Path:
    """The filled form as PDF, ticks and all, for the respondent to check what was recorded."""
    from .pdf_forms import questionnaire_pdf

    name, record = _record(store, round_, kommun)
    form = store.form_of(round_)
    meta = {"svarssatt": record.svarssatt, "datum": record.datum, "intervjuare": record.intervjuare}
    code = "" if form.unit_key == "region" else kommun
    data = questionnaire_pdf(form, municipality=name, code=code, answers=record.answers(form),
                             meta=meta, status=record.status, round_year=round_.year)
    write_bytes_atomic(Path(path), data, overwrite=overwrite)
    return Path(path)


def template_bytes(store: Store, round_: Round, kommun: str | None, kind: str, contact_lines: list[str] | None = None,
                   *, region: str | None = None) -> bytes:
    """A blank questionnaire, for one municipality or for any: kind "xlsx" (to fill in) or "pdf" (to print).

    A region-level form (kind "region") is answered per region: `region` names it (None: any region).
    """
    form = store.form_of(round_)
    if form.unit_key == "region":
        region = store.region_named(region) if region else None
        if kind == "pdf":
            from .pdf_forms import questionnaire_pdf

            return questionnaire_pdf(form, municipality=region or "", code="", answers=None,
                                     contact_lines=list(contact_lines or ()), include_intro=True, round_year=round_.year)
        return build_workbook(TemplateInfo(form, round_.year, contact_lines=tuple(contact_lines or ()), region=region))
    name = _municipality(store, kommun).name if kommun else ""
    if kind == "pdf":
        from .pdf_forms import questionnaire_pdf

        return questionnaire_pdf(form, municipality=name, code=kommun or "", answers=None,
                                 contact_lines=list(contact_lines or ()), include_intro=True, round_year=round_.year)
    return build_workbook(TemplateInfo(form, round_.year, kommun, name, contact_lines=tuple(contact_lines or ())))


def write_template(store: Store, round_: Round, path: Path, *, kommun: str | None = None, overwrite: bool = False,
                   contact_lines: list[str] | None = None, region: str | None = None) -> Path:
    path = Path(path)
    kind = "pdf" if path.suffix.lower() == ".pdf" else "xlsx"
    if kind == "xlsx" and path.suffix.lower() != ".xlsx":
        raise StoreError(f"Filen {path.name} ska sluta på .xlsx (Excel) eller .pdf (för utskrift).")
    write_bytes_atomic(path, template_bytes(store, round_, kommun, kind, contact_lines, region=region), overwrite=overwrite)
    return path


def template_name(round_: Round, code: str, name: str) -> str:
    """"Enkät 2011 0580 Linköping.xlsx"; a region's file of a region-level form: "Enkät 2013 Östergötland.xlsx"."""
    return safe_filename(f"Enkät {round_.year} {code} {name}.xlsx" if code else f"Enkät {round_.year} {name}.xlsx")


def write_region_templates(store: Store, round_: Round, region: str, folder: Path, *, overwrite: bool = False,
                           contact_lines: list[str] | None = None) -> list[Path]:
    """One fillable svarsfil per municipality of a region (or the region's own, for a region-level form);
    refuses up front if any file exists."""
    region = store.region_named(region)
    folder = Path(folder)
    if store.form_of(round_).unit_key == "region":  # answered by the region itself: one file, naming it
        target = folder / template_name(round_, "", region)
        write_bytes_atomic(target, template_bytes(store, round_, None, "xlsx", contact_lines, region=region),
                           overwrite=overwrite)
        return [target]
    targets = [(m, folder / template_name(round_, m.code, m.name)) for m in store.municipalities(region)]
    existing = [p for _m, p in targets if p.exists()]
    if existing and not overwrite:
        raise OverwriteRefused(
            f"{len(existing)} av filerna finns redan i {folder} (t.ex. {existing[0].name}) och skrivs inte över."
        )
    written = []
    for municipality, target in targets:
        write_bytes_atomic(target, template_bytes(store, round_, municipality.code, "xlsx", contact_lines), overwrite=True)
        written.append(target)
    return written
