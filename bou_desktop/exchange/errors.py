"""The refusal every reader raises: a plain Swedish reason, naming the field where it can."""


class RefusedFile(Exception):
    """A file that cannot be imported. `str()` is the reason, for the user."""
