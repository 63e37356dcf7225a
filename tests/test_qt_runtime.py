"""The Qt binding the app runs on must survive a long working day of signals.

PySide6 6.12.0 on Python 3.11 loses a reference to True on every signal emitted from Python and
aborts the interpreter after some thousands (bool_dealloc); pyproject.toml excludes it. The
questionnaire emits a signal on every keystroke, so this is a crash a user would meet.
"""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
from PySide6.QtCore import QCoreApplication, QObject, Signal
app = QCoreApplication([])
class Source(QObject):
    changed = Signal(str)
source = Source()
source.changed.connect(lambda text: None)
for _ in range(30000):
    source.changed.emit("sparat")
print("ok")
"""


def test_thirty_thousand_signals_do_not_crash_the_interpreter():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120,
                            env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-500:]
