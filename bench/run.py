"""Run the benchmarks of issue 8 and report each figure against its floor and its target.

    python -m bench                     every case, full repeats; exit 1 if a target is missed
    python bench/run.py --quick         fewer repeats and a smaller import, to check the harness
    python -m bench --only startup cli  some cases
    python -m bench --write             also put the results into docs/performance.md
    python -m bench --json FILE         also write the results as JSON

The data sets (a database with all 290 municipalities answered, one with 20 rounds, 290 svarsfiler,
24 county files) are made once in the work folder (default build/bench) and reused. Each case runs
in a fresh Python process (--in-process runs them all in this one).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS_START = "<!-- results:start -->"
RESULTS_END = "<!-- results:end -->"


def _prepare_environment(work: Path) -> None:
    """Offscreen Qt and a data folder of our own, before bou_desktop is imported.

    The package is byte-compiled first, as an installed program is (pip compiles on install, and
    PyInstaller bundles compiled modules): otherwise, with PYTHONDONTWRITEBYTECODE set, every start
    would compile our sources again and the start-up figure would measure the compiler.
    """
    compileall.compile_dir(REPO / "bou_desktop", quiet=1)
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["BOU_DESKTOP_HOME"] = str(work / "home")
    if str(REPO) not in sys.path:  # `python bench/run.py` puts bench/, not the repository, on the path
        sys.path.insert(0, str(REPO))


def _number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def _figure(value: float, unit: str) -> str:
    if unit == "s" and value < 1:
        return f"{_number(value * 1000)} ms"
    return f"{_number(value)} {unit}"


def table(results, machine: dict[str, str]) -> str:
    """The results as a Markdown table, with the machine they were measured on."""
    lines = [
        "| benchmark | measured | floor (same run) | ratio | target | |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    for result in results:
        lines.append(
            f"| {result.title} | {_figure(result.value, result.unit)} | {_figure(result.floor, result.unit)}: "
            f"{result.floor_label} | {result.ratio:.2f}× | {result.target_text} | {'✔' if result.passed else '✘ MISSED'} |"
        )
    notes = [f"- {result.key}: {note}" for result in results for note in result.notes]
    details = ", ".join(f"{key}: {value}" for key, value in machine.items() if key != "executable")
    text = "\n".join(lines) + "\n"
    if notes:
        text += "\n" + "\n".join(notes) + "\n"
    return text + f"\nMeasured {date.today().isoformat()} on {details}.\n"


def write_into(document: Path, block: str) -> None:
    """Replace the results block of the performance document (between its two markers)."""
    text = document.read_text(encoding="utf-8")
    start, end = text.find(RESULTS_START), text.find(RESULTS_END)
    if start < 0 or end < start:
        raise SystemExit(f"{document} has no {RESULTS_START} … {RESULTS_END} block")
    text = text[: start + len(RESULTS_START)] + "\n" + block + text[end:]
    document.write_text(text, encoding="utf-8")


def _case_in_child(name: str, args: argparse.Namespace) -> list:
    """One case in a fresh process, so that no case runs on the heap or caches another one left."""
    from .measure import Result

    out = args.workdir.resolve() / "scratch" / f"{name}.json"
    command = [sys.executable, "-m", "bench", "--in-process", "--only", name, "--workdir", str(args.workdir),
               "--json", str(out)] + (["--quick"] if args.quick else [])
    completed = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    if not out.exists() or completed.returncode not in (0, 1):
        raise SystemExit(f"the case {name} failed:\n{completed.stdout[-3000:]}{completed.stderr[-3000:]}")
    raw = json.loads(out.read_text(encoding="utf-8"))["results"]
    out.unlink()
    fields = ("key", "title", "value", "unit", "floor", "floor_label", "limit", "judged", "notes", "extra")
    return [Result(**{k: r[k] for k in fields}, target_text=r["target"]) for r in raw]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="few repeats: checks the harness, not the targets")
    parser.add_argument("--only", nargs="+", metavar="CASE", help="run only these cases")
    parser.add_argument("--workdir", type=Path, default=REPO / "build" / "bench", help="data and scratch folder")
    parser.add_argument("--write", action="store_true", help="write the results into docs/performance.md")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the results as JSON")
    parser.add_argument("--in-process", action="store_true",
                        help="run the cases in this process (by default each runs in a fresh one)")
    args = parser.parse_args(argv)

    work = args.workdir.resolve()
    _prepare_environment(work)
    from .cases import CASES, Context
    from .data import BenchData
    from .measure import machine

    unknown = sorted(set(args.only or ()) - set(CASES))
    if unknown:
        parser.error(f"unknown case(s) {', '.join(unknown)}; the cases are {', '.join(CASES)}")
    names = args.only or list(CASES)
    scratch = work / "scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    context = Context(BenchData(work / "data"), scratch, quick=args.quick)

    started = time.perf_counter()
    print(f"Data sets in {context.data.folder} (made on first use, then reused)", flush=True)
    results = []
    for name in names:
        print(f"– {name} …", end=" ", flush=True)
        case_start = time.perf_counter()
        found = CASES[name](context) if args.in_process else _case_in_child(name, args)
        results.extend(found)
        verdicts = ", ".join(f"{r.key} {_figure(r.value, r.unit)} ({r.ratio:.2f}×) "
                             f"{'ok' if r.passed else 'MISSED'}" for r in found)
        print(f"{verdicts}  [{time.perf_counter() - case_start:.0f} s]", flush=True)

    info = machine()
    report = table(results, info)
    print()
    print(report)
    print(f"({time.perf_counter() - started:.0f} s in all{', quick mode: not a measurement' if args.quick else ''})")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"machine": info, "quick": args.quick,
                                         "results": [r.to_dict() for r in results]}, indent=2, ensure_ascii=False),
                             encoding="utf-8")
    if args.write:
        if args.quick or args.only:
            parser.error("--write records a full run of every case: leave out --quick and --only")
        write_into(REPO / "docs" / "performance.md", report)
    missed = [r.key for r in results if not r.passed]
    if missed and not args.quick:
        print(f"Missed: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if __package__ in (None, ""):  # run as a script: make `bench` importable as a package
        sys.path.insert(0, str(REPO))
        import bench.run

        sys.exit(bench.run.main())
    sys.exit(main())
