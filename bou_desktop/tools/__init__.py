"""Developer tools run with `python -m bou_desktop.tools.<name>`; not part of the program's user interface."""
