"""Writing one municipality's response to a svarsfil."""

from __future__ import annotations

from pathlib import Path

from ..store import Round, Store, StoreError
from ..store.repository import now
from .fileio import write_bytes_atomic
from .svarsfil_json import build_svarsfil, dumps


def export_response_json(store: Store, round_: Round, kommun: str, path: Path, *, overwrite: bool = False) -> Path:
    try:
        municipality = store.register.municipality(kommun)
    except KeyError:
        raise StoreError(f"Kommunkoden {kommun!r} finns inte i kommunregistret.") from None
    record = store.response(round_, kommun)
    if record is None:
        raise StoreError(f"{municipality.name} har inget svar i omgången {round_.year}.")
    form = store.form_of(round_)
    meta = {"svarssatt": record.svarssatt, "datum": record.datum, "intervjuare": record.intervjuare}
    document = build_svarsfil(
        form, round_.year, kommun, municipality.name, record.uuid, record.status, meta, record.answers(form), now()
    )
    write_bytes_atomic(Path(path), dumps(document), overwrite=overwrite)
    store.mark_exported(record)
    return Path(path)
