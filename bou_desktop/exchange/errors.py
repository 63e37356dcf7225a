"""The refusal every reader raises: a plain Swedish reason, naming the field where it can."""


class RefusedFile(Exception):
    """A file that cannot be imported. `str()` is the reason, for the user."""


def check_format_version(raw: dict, supported: int) -> None:
    """Refuse a file of another format version. The version must be the integer itself: in Python
    `True == 1` and `1.0 == 1`, and neither is a version this program wrote."""
    version = raw.get("format_version")
    if type(version) is not int or version != supported:
        raise RefusedFile(f"format_version {version!r} stöds inte (den här versionen läser {supported})")
