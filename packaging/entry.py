"""The frozen program's entry point (PyInstaller): the same `main` as the `bou-desktop` launcher."""

import sys

from bou_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
