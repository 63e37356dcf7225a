"""Whole percents as the program shows them everywhere: rounded half up, exactly.

Its own module, light enough for the window's first paint (the compilation pulls in decimal).
"""

from __future__ import annotations


def percent(count: int, total: int) -> int:
    """A whole percent, rounded half up (78.5 -> 79, 12.5 -> 13), exactly: no floating point."""
    if total <= 0:
        return 0
    return (200 * count + total) // (2 * total)
