"""The refusal every reader raises: a plain Swedish reason, naming the field where it can."""


class RefusedFile(Exception):
    """A file that cannot be imported. `str()` is the reason, for the user."""


def check_format_version(raw: dict, supported: int | tuple[int, ...]) -> int:
    """Refuse a file of another format version; return the version. The version must be the integer
    itself: in Python `True == 1` and `1.0 == 1`, and neither is a version this program wrote."""
    versions = supported if isinstance(supported, tuple) else (supported,)
    version = raw.get("format_version")
    if type(version) is not int or version not in versions:
        raise RefusedFile(f"format_version {version!r} stöds inte (den här versionen läser {' och '.join(map(str, versions))})")
    return version
