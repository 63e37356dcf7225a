"""Timing helpers and the shape of a result."""

from __future__ import annotations

import gc
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass
class Result:
    """One benchmark: the measured value, its floor from the same run, and the target it is held to.

    `limit` is the target; `judged` says whether the target is on the value itself ("value") or on
    the ratio value/floor ("ratio").
    """

    key: str
    title: str
    value: float
    unit: str
    floor: float
    floor_label: str
    limit: float
    judged: str  # "value" or "ratio"
    target_text: str
    notes: list[str] = field(default_factory=list)
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.value / self.floor if self.floor else math.inf

    @property
    def passed(self) -> bool:
        measured = self.ratio if self.judged == "ratio" else self.value
        return measured <= self.limit

    def to_dict(self) -> dict:
        return {
            "key": self.key, "title": self.title, "value": self.value, "unit": self.unit, "floor": self.floor,
            "floor_label": self.floor_label, "ratio": self.ratio, "limit": self.limit, "judged": self.judged,
            "target": self.target_text, "passed": self.passed, "notes": self.notes, "extra": self.extra,
        }


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100), nearest-rank: p99 of 1,000 samples is the 990th smallest."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call takes, with the garbage collector run before and kept out of the timing."""
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median_time(fn: Callable[[], object], repeats: int, setup: Callable[[], object] | None = None) -> float:
    times = []
    for _ in range(repeats):
        if setup is not None:
            setup()
        times.append(timed(fn))
    return median(times)


def run_until_line(args: Sequence[str], env: dict[str, str], marker: str, timeout: float = 120) -> tuple[float, str]:
    """Start a process; seconds until it prints a line starting with `marker`, and that line."""
    start = time.perf_counter()
    process = subprocess.Popen(list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith(marker):
                elapsed = time.perf_counter() - start
                process.wait(timeout=timeout)
                return elapsed, line.strip()
        process.wait(timeout=timeout)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    error = process.stderr.read() if process.stderr else ""
    raise RuntimeError(f"{' '.join(args)} printed no {marker!r} line (exit {process.returncode}): {error[-2000:]}")


def command_time(args: Sequence[str], env: dict[str, str]) -> float:
    """Seconds from starting a command to its exit (it must succeed)."""
    start = time.perf_counter()
    completed = subprocess.run(list(args), env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({completed.returncode}): {completed.stderr[-2000:]}")
    return elapsed


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    info = {
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "machine": platform.machine(),
        "cores": str(os.cpu_count()),
    }
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo", encoding="utf-8") as meminfo:
            kib = int(meminfo.readline().split()[1])
            info["memory"] = f"{kib / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    try:
        import sqlite3

        import openpyxl
        import PySide6
        import reportlab

        info["libraries"] = (f"PySide6 {PySide6.__version__}, openpyxl {openpyxl.__version__}, "
                             f"reportlab {reportlab.Version}, SQLite {sqlite3.sqlite_version}")
    except ImportError:
        pass
    info["executable"] = sys.executable
    return info
