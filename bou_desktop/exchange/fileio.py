"""Writing files safely: never half a file, never over an existing file without consent."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class OverwriteRefused(Exception):
    pass


def write_bytes_atomic(path: Path, data: bytes, *, overwrite: bool = False) -> None:
    """Write via a temporary file in the same folder (mode 0600) and rename it into place, durably."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise OverwriteRefused(f"Filen {path} finns redan och skrivs inte över.")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it (not on Windows)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_filename(name: str, fallback: str = "fil") -> str:
    """A file name that is valid on Windows, macOS and Linux (Swedish letters kept)."""
    cleaned = "".join("_" if c in '<>:"/\\|?*' or ord(c) < 32 else c for c in name)
    cleaned = " ".join(cleaned.split()).strip(" .")
    stem = cleaned.split(".")[0].upper()
    if not cleaned or stem in _WINDOWS_RESERVED:
        cleaned = f"{fallback}_{cleaned}" if cleaned else fallback
    return cleaned[:150]
