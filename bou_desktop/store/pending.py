"""Writes the GUI could not make yet (another program held the database): what they are, how they
are made through the store, and the recovery file that keeps them when the program is closed.

Plain data, so that a write can be kept in a file and made at the next start exactly as it would
have been made at once: through the store's own methods, validated and audited as usual.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..paths import user_data_dir
from .repository import Store, StoreError, now

META_PREFIX = "meta."  # a questionnaire value with this prefix is response metadata (svarssätt, datum …)
RESPONSE, COUNTY, REPORT = "svar", "lan", "rapport"
RECOVERY_FORMAT = "bou-osparat"


@dataclass
class PendingWrite:
    """One change: `values` of a municipality's response (kind "svar", target a municipality code),
    of a region's county form (kind "lan", target a region name) or of SKL's report texts (kind
    "rapport", target "section" or "analysis", values keyed by section or question id) in a round."""

    kind: str
    round_id: int
    target: str
    values: dict[str, str | int | None] = field(default_factory=dict)

    def key(self) -> tuple:
        """Writes with the same key change the same things: the later one replaces the earlier."""
        return self.kind, self.round_id, self.target, tuple(sorted(self.values))

    def concerns(self, kind: str, round_id: int, target: str) -> bool:
        return (self.kind, self.round_id, self.target) == (kind, round_id, target)


def perform(store: Store, write: PendingWrite) -> None:
    """Make a write through the store (StoreBusy when the database is busy, StoreError when refused)."""
    round_ = next((r for r in store.rounds() if r.id == write.round_id), None)
    if round_ is None:
        raise StoreError("Omgången som ändringen gällde finns inte längre i databasen.")
    if write.kind == RESPONSE:
        fields = {k: v for k, v in write.values.items() if not k.startswith(META_PREFIX)}
        meta = {k[len(META_PREFIX):]: v for k, v in write.values.items() if k.startswith(META_PREFIX)}
        if fields:
            store.set_fields(round_, write.target, fields, source="gui")  # type: ignore[arg-type]
        if meta:
            store.set_meta(round_, write.target, source="gui", **meta)  # type: ignore[arg-type]
    elif write.kind == COUNTY:
        for key, value in write.values.items():
            store.set_leader_text(round_, write.target, key, value, source="gui")
    elif write.kind == REPORT:
        for key, value in write.values.items():
            store.set_report_text(round_, write.target, key, None if value is None else str(value), source="gui")
    else:
        raise StoreError(f"Okänd sorts ändring {write.kind!r}.")


def _database_name(database: Path | None) -> str:
    return str(Path(database).resolve()) if database is not None else ":memory:"


RECOVERY_PREFIX = "osparade-andringar-"


def recovery_path(database: Path | None) -> Path:
    """The recovery file of a database, in the data folder: one per database file."""
    import hashlib  # not at the start: has_recovery looks for any recovery file first (~3 ms)

    digest = hashlib.sha256(_database_name(database).encode("utf-8")).hexdigest()[:12]
    return user_data_dir() / f"{RECOVERY_PREFIX}{digest}.json"


def has_recovery(database: Path | None) -> bool:
    """Whether changes of a database were kept from an earlier session (cheap when no database has any)."""
    try:
        with os.scandir(user_data_dir()) as entries:
            if not any(entry.name.startswith(RECOVERY_PREFIX) for entry in entries):
                return False
    except OSError:
        return False
    return recovery_path(database).exists()


def save_recovery(database: Path | None, writes: list[PendingWrite]) -> Path:
    """Keep writes that could not be made in the data folder (readable by the user only), after
    any kept earlier for the same database; returns the file."""
    from ..exchange.fileio import write_bytes_atomic

    path = recovery_path(database)
    kept = load_recovery(database)
    document = {
        "format": RECOVERY_FORMAT,
        "format_version": 1,
        "database": _database_name(database),
        "saved": now(),
        "writes": [asdict(w) for w in kept + writes],
    }
    write_bytes_atomic(path, json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"), overwrite=True)
    os.chmod(path, 0o600)  # as the settings: the temporary file already is, an old file too now
    return path


def load_recovery(database: Path | None) -> list[PendingWrite]:
    """The writes kept for this database, in the order they were made; none if the file is missing,
    unreadable or for another database."""
    try:
        document = json.loads(recovery_path(database).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return []
    if not isinstance(document, dict) or document.get("format") != RECOVERY_FORMAT:
        return []
    if document.get("database") != _database_name(database):
        return []
    writes = []
    for item in document.get("writes", []):
        try:
            writes.append(PendingWrite(str(item["kind"]), int(item["round_id"]), str(item["target"]), dict(item["values"])))
        except (KeyError, TypeError, ValueError):
            continue
    return writes


def remove_recovery(database: Path | None) -> None:
    recovery_path(database).unlink(missing_ok=True)
