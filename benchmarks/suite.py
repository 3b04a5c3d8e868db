"""The test suite's time (issue 39: ≤ 6 minutes on a 2-core machine), beside ``import sympy``.

    python benchmarks/suite.py                  # the README's command: pytest -q -n auto
    python benchmarks/suite.py -- -m "not slow" # extra arguments go to pytest
    python benchmarks/suite.py --json

It runs the README's test command once (in the repository, with the interpreter running
this script) and prints its wall time and CPU time (of pytest and every process it
started: workers, pdflatex, chromium, ``python -m symbrnn``), the load average before and
after, and the same for ``python -c "import sympy"`` (best of 5) as the yardstick of this
machine's speed at this moment. No threshold is asserted: the machine is shared, its load
is printed so that a reader can judge the figure.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUITE = [sys.executable, "-m", "pytest", "-q", "-n", "auto", "-p", "no:cacheprovider"]


def timed(cmd: list[str], quiet: bool = True) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of the command and its children, exit code) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.DEVNULL if quiet else None
    rc = subprocess.run(cmd, cwd=ROOT, stdout=out, stderr=out).returncode
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, rc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="one JSON object")
    parser.add_argument("pytest_args", nargs="*", help="more arguments for pytest (after --)")
    args = parser.parse_args(argv)

    sympy = min(timed([sys.executable, "-c", "import sympy"])[:2] for _ in range(5))
    load_before = os.getloadavg()[0]
    wall, cpu, rc = timed([*SUITE, *args.pytest_args], quiet=args.json)
    load_after = os.getloadavg()[0]
    result = {
        "command": " ".join(["python", *SUITE[1:], *args.pytest_args]),
        "exit_code": rc,
        "cores": os.cpu_count(),
        "suite_wall_s": round(wall, 1),
        "suite_cpu_s": round(cpu, 1),
        "import_sympy_wall_s": round(sympy[0], 3),
        "import_sympy_cpu_s": round(sympy[1], 3),
        "suite_wall_in_import_sympy": round(wall / sympy[0]),
        "load_before": round(load_before, 2),
        "load_after": round(load_after, 2),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print()
        print(f"{result['command']}   (exit code {rc}, {result['cores']} cores)")
        print(
            f"  suite          wall {wall / 60:5.1f} min ({wall:7.1f} s)   CPU {cpu / 60:5.1f} min"
        )
        print(f"  import sympy   wall {sympy[0]:7.3f} s   CPU {sympy[1]:7.3f} s (best of 5)")
        print(f"  suite / import sympy (wall): {result['suite_wall_in_import_sympy']}×")
        print(f"  load average: {load_before:.2f} before, {load_after:.2f} after")
    return rc


if __name__ == "__main__":
    sys.exit(main())
