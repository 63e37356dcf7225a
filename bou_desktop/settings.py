"""The user's profile: role, region or municipality, contact details (settings.json).

Plain Python (no Qt), so that the command line can read the same settings. The file is
written atomically; a file that cannot be read is kept aside as `settings.json.trasig`
instead of being overwritten, so nothing the user typed is silently lost.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from .paths import user_data_dir
from .survey.register import Register

ROLES = {
    "ledare": "Utvecklingsledare för region",
    "kommun": "Kommun",
    "skl": "Nationell sammanställning (SKL)",
}
FILE_NAME = "settings.json"
BROKEN_SUFFIX = ".trasig"

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_PHONE = re.compile(r"^[0-9 +\-()]+$")

log = logging.getLogger(__name__)


@dataclass
class Settings:
    role: str = ""  # a key of ROLES, "" until chosen
    region: str = ""  # the leader's region (Region.name)
    kommun: str = ""  # the municipality's code, for the "kommun" role
    name: str = ""
    email: str = ""
    phone: str = ""
    skl_email: str = ""  # where the county compilation is sent

    @property
    def is_configured(self) -> bool:
        """A role is chosen, with its region or municipality when the role needs one."""
        if self.role not in ROLES:
            return False
        if self.role == "ledare":
            return bool(self.region.strip())
        if self.role == "kommun":
            return bool(self.kommun.strip())
        return True

    def contact_lines(self) -> list[str]:
        """The contact details as printed on forms, leaving out what is not filled in."""
        lines = []
        if self.name.strip():
            lines.append(self.name.strip())
        if self.email.strip():
            lines.append(f"E-post: {self.email.strip()}")
        if self.phone.strip():
            lines.append(f"Telefon: {self.phone.strip()}")
        return lines


def settings_path() -> Path:
    return user_data_dir() / FILE_NAME


def _keep_aside(path: Path) -> Path | None:
    """Rename a broken settings file to settings.json.trasig (or .trasig.2, … if taken)."""
    target = path.with_name(path.name + BROKEN_SUFFIX)
    number = 2
    while target.exists():
        target = path.with_name(f"{path.name}{BROKEN_SUFFIX}.{number}")
        number += 1
    try:
        os.replace(path, target)
    except OSError as error:
        log.warning("Kunde inte flytta undan den trasiga inställningsfilen %s: %s", path, error)
        return None
    return target


def _parse(raw: object) -> Settings | None:
    """Settings from decoded JSON, or None when the content is not usable."""
    if not isinstance(raw, dict):
        return None
    known = {f.name for f in fields(Settings)}
    values = {}
    for key, value in raw.items():
        if key not in known:
            continue  # written by a newer version, or left over: ignored
        if not isinstance(value, str):
            return None
        values[key] = value
    return Settings(**values)


def load_settings(path: Path | None = None) -> Settings:
    """The saved settings; defaults when there are none or the file is broken (then kept aside)."""
    path = Path(path) if path is not None else settings_path()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Settings()
    except OSError as error:
        log.warning("Kunde inte läsa inställningarna i %s: %s", path, error)
        return Settings()
    try:
        settings = _parse(json.loads(data.decode("utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError):
        settings = None
    if settings is None:
        kept = _keep_aside(path)
        log.warning("Inställningsfilen %s gick inte att läsa; sparad som %s.", path, kept)
        return Settings()
    return settings


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write the settings atomically (temporary file, fsync, rename), readable by the user only."""
    from .exchange.fileio import write_bytes_atomic

    path = Path(path) if path is not None else settings_path()
    data = (json.dumps(asdict(settings), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    write_bytes_atomic(path, data, overwrite=True)  # its temporary file is created with mode 0600
    os.chmod(path, 0o600)


def validate(settings: Settings, register: Register) -> list[str]:
    """Problems with the settings, in Swedish; empty when they can be saved."""
    problems: list[str] = []
    if settings.role not in ROLES:
        problems.append("Välj en roll.")
    elif settings.role == "ledare":
        try:
            register.region(settings.region.strip())
        except KeyError:
            problems.append("Välj region.")
    elif settings.role == "kommun":
        try:
            register.municipality(settings.kommun.strip())
        except KeyError:
            problems.append("Välj kommun.")
    email = settings.email.strip()
    if email and not _EMAIL.match(email):
        problems.append(f"E-postadressen ”{email}” ser inte ut som en e-postadress.")
    phone = settings.phone.strip()
    if phone and (not _PHONE.match(phone) or not any(c.isdigit() for c in phone)):
        problems.append(f"Telefonnumret ”{phone}” får bara innehålla siffror, mellanslag och + - ( ).")
    skl_email = settings.skl_email.strip()
    if skl_email and not _EMAIL.match(skl_email):
        problems.append(f"E-postadressen till SKL ”{skl_email}” ser inte ut som en e-postadress.")
    return problems
