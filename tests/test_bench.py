"""The benchmark harness (bench/) runs and reports every figure with its floor; no timing is judged here.

The targets themselves are checked by `python -m bench` (docs/performance.md), on a quiet machine:
timings in a test run on a shared CI machine would only measure the neighbours.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QUICK_CASES = ["startup", "autosave", "import", "county", "national", "cli", "memory", "form60"]


def test_the_harness_measures_every_case_against_a_floor(tmp_path):
    out = tmp_path / "bench.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
    completed = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--quick", "--workdir", str(tmp_path / "work"),
         "--json", str(out), "--only", *QUICK_CASES],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    results = {r["key"]: r for r in report["results"]}
    assert set(results) == {"startup", "autosave", "import", "import_gui", "county", "national", "cli", "memory", "form60"}
    for result in results.values():
        assert result["value"] > 0 and result["floor"] > 0, result
        assert result["ratio"] == result["value"] / result["floor"]
        assert result["passed"] == ((result["ratio"] if result["judged"] == "ratio" else result["value"]) <= result["limit"])
    assert report["machine"]["cores"] and "PySide6" in report["machine"]["libraries"]
    assert "| Start-up to the main window painted" in completed.stdout  # the table for docs/performance.md


def test_results_replace_only_the_block_between_the_markers(tmp_path):
    sys.path.insert(0, str(REPO))
    try:
        from bench.run import RESULTS_END, RESULTS_START, write_into
    finally:
        sys.path.remove(str(REPO))
    document = tmp_path / "performance.md"
    document.write_text(f"# Prestanda\n\nFöre.\n{RESULTS_START}\ngammalt\n{RESULTS_END}\nEfter.\n", encoding="utf-8")
    write_into(document, "| ny tabell |\n")
    assert document.read_text(encoding="utf-8") == (
        f"# Prestanda\n\nFöre.\n{RESULTS_START}\n| ny tabell |\n{RESULTS_END}\nEfter.\n"
    )


def test_the_committed_performance_document_has_a_results_block():
    text = (REPO / "docs" / "performance.md").read_text(encoding="utf-8")
    start, end = text.index("<!-- results:start -->"), text.index("<!-- results:end -->")
    block = text[start:end]
    for title in ("Start-up", "Autosave", "Import of 290", "County compilation", "National report",
                  "20 rounds", "Command-line start", "Peak memory"):
        assert title in block
