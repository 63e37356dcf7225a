"""Writing the county compilation: Excel, PDF and JSON for SKL, and the e-mail draft carrying them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..store import Round, Store, StoreError
from ..store.comparisons import PREVIOUS, compare_county
from .county_file import county_email, county_json_bytes, county_xlsx_bytes
from .fileio import OverwriteRefused, safe_filename, write_bytes_atomic


@dataclass(frozen=True)
class CountyTargets:
    xlsx: Path | None = None
    pdf: Path | None = None
    json: Path | None = None
    eml: Path | None = None
    docx: Path | None = None  # Word, for a leader who edits the compilation before sending it

    def paths(self) -> list[Path]:
        return [p for p in (self.xlsx, self.pdf, self.json, self.eml, self.docx) if p is not None]


def county_file_stem(region: str, round_year: int) -> str:
    return safe_filename(f"Länssammanställning {region} {round_year}")


def export_county(store: Store, round_: Round, region: str, targets: CountyTargets, *, anonymous: bool = False,
                  overwrite: bool = False, exported_by: str = "", contact_lines: list[str] | None = None,
                  to: str = "", compare_with: int | str | Round | None = PREVIOUS) -> list[Path]:
    """Write the requested files; nothing is written when any target exists and overwrite is off.

    compare_with: the round the figures are set beside (store/comparisons.py): the previous round of
    the same survey by default, an earlier year, or None for none.
    """
    if not targets.paths():
        raise StoreError("Ange minst en fil att skriva (Excel, PDF, JSON, Word eller e-post).")
    if targets.eml is not None:
        store.refuse_own_survey(round_, "Inget e-postutkast till SKL skapas; exportera Excel eller PDF för "
                                        "regionens eget bruk.")
    if targets.eml is not None and not to.strip():
        raise StoreError("SKL:s e-postadress saknas: ange den i profilen (eller med --to).")
    existing = [p for p in targets.paths() if p.exists()]
    if existing and not overwrite:
        raise OverwriteRefused(f"Filen {existing[0]} finns redan och skrivs inte över.")
    compilation = store.compile(round_, region, anonymous=anonymous)
    comparison = compare_county(store, round_, region, compilation, compare_with=compare_with, anonymous=anonymous)
    county_form = store.county_form_of(round_) or store.form_of(round_)
    stamp = datetime.now().astimezone().isoformat(timespec="seconds")
    stem = county_file_stem(compilation.region, round_.year)
    xlsx = pdf = None
    if targets.xlsx or targets.eml:
        xlsx = county_xlsx_bytes(compilation, county_form, anonymous=anonymous, exported_by=exported_by, exported_at=stamp,
                                 comparison=comparison)
    if targets.pdf or targets.eml:
        from .county_pdf import county_pdf

        pdf = county_pdf(compilation, county_form, contact_lines=contact_lines, exported_by=exported_by, exported_at=stamp,
                         comparison=comparison)
    written = []
    if targets.xlsx:
        write_bytes_atomic(targets.xlsx, xlsx, overwrite=overwrite)  # type: ignore[arg-type]
        written.append(targets.xlsx)
    if targets.pdf:
        write_bytes_atomic(targets.pdf, pdf, overwrite=overwrite)  # type: ignore[arg-type]
        written.append(targets.pdf)
    if targets.json:
        write_bytes_atomic(targets.json, county_json_bytes(compilation, exported_by=exported_by, exported_at=stamp,
                                                              comparison=comparison),
                           overwrite=overwrite)
        written.append(targets.json)
    if targets.docx:
        from .report_docx import county_docx

        write_bytes_atomic(targets.docx, county_docx(compilation, county_form, contact_lines=contact_lines or (),
                                                     exported_by=exported_by, exported_at=stamp,
                                                     comparison=comparison),
                           overwrite=overwrite)
        written.append(targets.docx)
    if targets.eml:
        message = county_email(to=to, region=compilation.region, round_year=round_.year,
                               sender=exported_by or "Utvecklingsledaren",
                               attachments=[(f"{stem}.xlsx", xlsx), (f"{stem}.pdf", pdf)])  # type: ignore[list-item]
        write_bytes_atomic(targets.eml, message, overwrite=overwrite)
        written.append(targets.eml)
    return written
